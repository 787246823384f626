//! Opening articles: encodings, Markdown, limits, new versions, the library.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::import::carry_over;
use claimmark::core::parse::decode::DecodeError;
use claimmark::core::parse::{self, Kind, MAX_ARTICLE_BYTES};
use claimmark::core::storage;
use claimmark::core::storage::{MemoryStore, Store};
use claimmark::core::{seed_article, Annotation, BlockKind, State, Tag, Timestamp};
use common::{find, id};

fn bytes(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/articles/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn no_html(_: &str, _: &str) -> Result<claimmark::core::Article, String> {
    Err("not in this test".into())
}

#[test]
fn markdown_becomes_blocks_with_inline_markup_as_text() {
    let art = parse::article_from_file("notes.md", &bytes("notes.md"), no_html).unwrap();
    assert_eq!(art.title, "Reading Markdown Articles");
    let blocks: Vec<(BlockKind, &str)> = (0..art.blocks.len())
        .map(|i| (art.blocks[i].kind, art.block_text(i)))
        .collect();
    assert_eq!(
        blocks,
        vec![
            (BlockKind::Title, "Reading Markdown Articles"),
            (BlockKind::Paragraph, "A first paragraph with strong, emphasis, code and a link that wraps onto a second line."),
            (BlockKind::Heading(2), "Why it matters"),
            (BlockKind::ListItem, "First item"),
            (BlockKind::ListItem, "Second item with emphasis and a second paragraph in the same item"),
            (BlockKind::OrderedItem(1), "Numbered item"),
            (BlockKind::BlockQuote, "A block quote on two lines."),
            (BlockKind::Paragraph, "Hard break here"),
            (BlockKind::Paragraph, "and the next line."),
            (BlockKind::Paragraph, "let code = \"kept as text\";"),
        ]
    );
    assert!(
        !art.text().contains("__pwned"),
        "raw HTML is not article text"
    );
    assert!(
        !art.text().contains("alt text"),
        "image alt text is not article text"
    );
}

#[test]
fn every_encoding_gives_the_same_text_with_lf_line_ends() {
    let utf8 = parse::article_from_file("bom-utf8.txt", &bytes("bom-utf8.txt"), no_html).unwrap();
    let le =
        parse::article_from_file("utf16le-bom.txt", &bytes("utf16le-bom.txt"), no_html).unwrap();
    let be =
        parse::article_from_file("utf16be-bom.txt", &bytes("utf16be-bom.txt"), no_html).unwrap();
    assert_eq!(utf8.text(), le.text());
    assert_eq!(utf8.text(), be.text());
    assert_eq!(utf8.id, le.id, "same text, same id, whatever the encoding");
    assert!(!utf8.text().contains('\r') && !utf8.text().starts_with('\u{feff}'));
    assert_eq!(utf8.title, "Byte Order Marks");
    assert!(utf8.text().contains("café, 👩‍👩‍👧‍👦."));
    assert!(utf8.text().contains("Third line."));
}

#[test]
fn unicode_heavy_text_is_kept_exactly() {
    let raw = String::from_utf8(bytes("unicode-heavy.txt")).unwrap();
    let art = parse::article_from_file("unicode-heavy.txt", raw.as_bytes(), no_html).unwrap();
    for needle in [
        "👩‍👩‍👧‍👦",
        "🇻🇪🇺🇸",
        "cafe\u{301}",
        "中文测试",
        "مرحبا بالعالم",
        "𝒜𝒷𝒸",
        "No-break\u{a0}space",
        "zero\u{200b}width",
        "soft\u{ad}hyphen",
    ] {
        assert!(art.text().contains(needle), "{needle:?} lost");
    }
}

#[test]
fn binary_empty_and_oversized_files_are_refused_in_words() {
    let err = parse::article_from_file("binary.txt", &bytes("binary.txt"), no_html).unwrap_err();
    assert!(err.contains("not text"), "{err}");
    assert!(parse::article_from_file("empty.txt", b"  \n", no_html)
        .unwrap_err()
        .contains("empty"));
    let big = vec![b'a'; MAX_ARTICLE_BYTES + 1];
    let err = parse::decode_article(&big).unwrap_err();
    assert!(matches!(err, DecodeError::TooLarge { .. }));
    assert!(err.to_string().contains("the limit is 8.0 MB"), "{err}");
}

#[test]
fn kinds_come_from_the_name_or_the_content() {
    assert_eq!(Kind::of_name("A.HTM"), Some(Kind::Html));
    assert_eq!(Kind::of_name("notes.markdown"), Some(Kind::Markdown));
    assert_eq!(Kind::of_name("story.txt"), Some(Kind::Text));
    assert_eq!(Kind::of_name("story"), None);
    assert_eq!(Kind::sniff("<!doctype html><p>x"), Kind::Html);
    assert_eq!(Kind::sniff("Just a headline\n\nAnd text."), Kind::Text);
    assert_eq!(
        parse::title_from_name("my_field-notes.md"),
        "my field notes"
    );
}

#[test]
fn a_new_version_carries_annotations_over_and_reports_what_moved() {
    let old = seed_article();
    let new = parse::article_from_file("seed-v2.txt", &bytes("seed-v2.txt"), no_html).unwrap();
    assert_ne!(old.id, new.id);
    let now = Timestamp(1_764_300_000_000);
    let mk = |n, needle: &str, tag| Annotation::new(id(n), tag, &old, find(&old, needle), now);
    let anns = vec![
        mk(1, "The United States and Venezuela are taking", Tag::Fact), // before the edits: stays
        mk(2, "captured former Venezuelan President", Tag::Quote), // edited: moves, approximately
        mk(3, "potential reopening of embassies", Tag::Analysis),  // after the inserted line: moves
        mk(4, "A U.S. delegation traveled", Tag::Fact),            // the words changed
        mk(5, "recognized opposition leader Juan Guaidó", Tag::Fact), // deleted
    ];
    let carried = carry_over(&anns, &new, now);
    assert_eq!(carried.annotations.len(), 5, "none dropped");
    let texts: Vec<String> = carried
        .annotations
        .iter()
        .map(|a| {
            if a.orphan {
                String::from("(orphan)")
            } else {
                new.slice(a.span).to_string()
            }
        })
        .collect();
    assert_eq!(texts[0], "The United States and Venezuela are taking");
    assert_eq!(texts[1], "captured ousted Venezuelan President");
    assert_eq!(texts[2], "potential reopening of embassies");
    assert_eq!(texts[3], "A U.S. team traveled");
    assert_eq!(texts[4], "(orphan)");
    assert_eq!(
        carried.annotations[4].quote.exact,
        "recognized opposition leader Juan Guaidó"
    );
    assert_eq!(carried.stayed, 1);
    assert_eq!(carried.moved, 3);
    assert!(carried
        .annotations
        .iter()
        .zip(&anns)
        .all(|(n, o)| n.id == o.id && n.tag == o.tag));
    assert_eq!(
        carried.report(),
        "1 stayed, 3 moved, 1 not found: “recognized opposition leader Juan Guaidó”"
    );
}

#[test]
fn the_library_renames_removes_and_restores_articles() {
    let store = MemoryStore::new();
    let art = std::rc::Rc::new(seed_article());
    let mut state = State::new(art.clone(), vec![]);
    state.reduce(claimmark::core::Action::Create(Annotation::new(
        id(1),
        Tag::Fact,
        &art,
        find(&art, "Caracas"),
        Timestamp(1),
    )));
    storage::save(&store, &state, Timestamp(2), &[]).unwrap();
    storage::rename(&store, &art.id, "  Venezuela   story ").unwrap();
    let index = storage::read_index(&store);
    assert_eq!(index.articles[0].display_name(), "Venezuela story");
    // Saving again keeps the name.
    storage::save(&store, &state, Timestamp(3), &[]).unwrap();
    assert_eq!(
        storage::read_index(&store).articles[0].display_name(),
        "Venezuela story"
    );

    let removed = storage::remove_article(&store, &art.id).unwrap();
    assert!(storage::read_index(&store).articles.is_empty());
    assert!(store.get(&storage::record_key(&art.id)).unwrap().is_none());
    storage::restore_article(&store, &removed).unwrap();
    let (back, anns) = storage::read_stored(&store, &art.id).unwrap();
    assert_eq!(back.id, art.id);
    assert_eq!(anns.len(), 1);
    assert_eq!(
        storage::read_index(&store).articles[0].display_name(),
        "Venezuela story"
    );
}

#[test]
fn sizes_read_as_people_say_them() {
    use claimmark::core::parse::decode::human_size;
    assert_eq!(human_size(0), "0 bytes");
    assert_eq!(human_size(1023), "1023 bytes");
    assert_eq!(human_size(1024), "1 KB");
    assert_eq!(human_size(1025), "2 KB");
    assert_eq!(human_size(1 << 20), "1.0 MB");
    assert_eq!(human_size(3 << 19), "1.5 MB");
    assert_eq!(human_size((1 << 20) + (1 << 20) / 20 + 1), "1.1 MB"); // 1.05 rounds up
    assert_eq!(human_size(MAX_ARTICLE_BYTES), "8.0 MB");
}
