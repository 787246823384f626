//! The plain-text parser and the article model, on the seed and the fixtures in `tests/fixtures/`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::article::BLOCK_SEPARATOR;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{seed_article, Article, ArticleId, BlockKind, MetaKind};
use common::fixture;

#[test]
fn seed_reads_like_an_article() {
    let a = seed_article();
    assert_eq!(
        a.title,
        "U.S. and Venezuela Begin Restoring Diplomatic Ties"
    );
    assert_eq!(a.blocks[0].kind, BlockKind::Title);
    assert_eq!(a.block_text(0), a.title);

    let meta: Vec<(MetaKind, &str)> = a
        .metadata
        .iter()
        .map(|m| (m.kind, m.value.as_str()))
        .collect();
    assert_eq!(
        meta,
        [
            (MetaKind::Outlet, "Newslooks"),
            (MetaKind::Dateline, "WASHINGTON"),
            (MetaKind::Author, "J. Mansour"),
            (MetaKind::Programme, "Morning Edition"),
        ]
    );

    assert_eq!(a.blocks[1].kind, BlockKind::Standfirst);
    assert!(a
        .block_text(1)
        .starts_with("The United States and Venezuela are taking initial steps"));
    assert!(a
        .block_text(1)
        .ends_with("despite condemning the U.S. intervention."));

    let items: Vec<&str> = (0..a.blocks.len())
        .filter(|&i| a.blocks[i].kind == BlockKind::ListItem)
        .map(|i| a.block_text(i))
        .collect();
    assert_eq!(items.len(), 10);
    assert_eq!(
        items[0],
        "United States and Venezuela explore reopening embassies"
    );
    assert_eq!(
        items[9],
        "Discussions mark first diplomatic thaw since embassy closure"
    );

    let headings: Vec<&str> = (0..a.blocks.len())
        .filter(|&i| matches!(a.blocks[i].kind, BlockKind::Heading(_)))
        .map(|i| a.block_text(i))
        .collect();
    assert_eq!(
        headings,
        ["U.S. Venezuela Relations Quick Looks", "Deep Look"]
    );

    let paragraphs = a
        .blocks
        .iter()
        .filter(|b| b.kind == BlockKind::Paragraph)
        .count();
    assert_eq!(paragraphs, 14);
    assert!(a
        .text()
        .ends_with("the balance of power in the wider region."));
    assert!(
        !a.text().contains("Register or Login"),
        "site chrome is not article text"
    );
    // The repeated headline is not a second heading.
    assert_eq!(
        a.text().matches("Begin Restoring Diplomatic Ties").count(),
        1
    );
}

#[test]
fn canonical_text_is_blocks_joined_and_id_is_its_sha256() {
    let a = seed_article();
    let joined: Vec<&str> = (0..a.blocks.len()).map(|i| a.block_text(i)).collect();
    assert_eq!(a.text(), joined.join(BLOCK_SEPARATOR));
    for w in a.blocks.windows(2) {
        assert_eq!(w[1].span.start(), w[0].span.end() + 1);
    }
    assert_eq!(a.id, ArticleId::of_text(a.text()));
    // Known SHA-256 vector, so the id is the real digest and not some other hash.
    assert_eq!(
        ArticleId::of_text("abc").0,
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

#[test]
fn hard_wrapped_text_joins_lines_and_reads_markers() {
    let a = parse_plain_text(&fixture("wrapped-plain.txt"), None);
    assert_eq!(a.title, "Field Notes on River Sampling");
    let kinds: Vec<BlockKind> = a.blocks.iter().map(|b| b.kind).collect();
    assert_eq!(
        kinds,
        [
            BlockKind::Title,
            BlockKind::Paragraph,
            BlockKind::Heading(2),
            BlockKind::BlockQuote,
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::ListItem,
            BlockKind::Paragraph,
        ]
    );
    assert_eq!(
        a.block_text(1),
        "Our team sampled the lower river at six sites over two weeks in March. Each site was \
         visited twice, and the water was tested for nitrates and phosphates."
    );
    assert_eq!(
        a.block_text(3),
        "Samples were kept cold and tested within six hours of collection."
    );
    assert_eq!(a.block_text(4), "Collect the sample upstream of the wader.");
    assert!(!a.text().contains("Share this article"));
}

#[test]
fn crlf_and_bom_are_normalised_and_unicode_kept_exactly() {
    let raw = fixture("unicode-crlf.txt");
    let with_bom = format!("\u{feff}{raw}");
    let a = parse_plain_text(&with_bom, None);
    let b = parse_plain_text(&raw.replace("\r\n", "\n"), None);
    assert_eq!(a.text(), b.text());
    assert_eq!(a.id, b.id);
    assert!(!a.text().contains('\r') && !a.text().contains('\u{feff}'));
    assert_eq!(a.title, "Café Notes");
    assert!(a.block_text(1).contains("👩‍👩‍👧‍👦 in Caracas 🇻🇪"));
    assert!(a.block_text(1).contains("cafe\u{301}"));
}

#[test]
fn text_without_a_headline_gets_a_fallback_title() {
    let a = parse_plain_text(
        "this starts in lower case and runs on like a sentence.\n",
        None,
    );
    assert_eq!(a.title, "Untitled article");
    assert_eq!(a.blocks.len(), 1);
    assert_eq!(a.blocks[0].kind, BlockKind::Paragraph);
    let empty = parse_plain_text("", None);
    assert!(empty.blocks.is_empty());
    assert_eq!(empty.len_chars(), 0);
}

#[test]
fn blocks_overlapping_finds_every_touched_block() {
    let a = seed_article();
    let s = a.blocks[3].span;
    let e = a.blocks[5].span;
    let span = claimmark::core::Span::new(s.start() + 2, e.start() + 1);
    assert_eq!(a.blocks_overlapping(span), 3..6);
    assert_eq!(a.block_at(s.start()), Some(3));
    assert_eq!(a.block_at(a.len_chars()), None);
}

#[test]
fn pieces_put_the_byline_under_the_headline_and_gather_list_items() {
    use claimmark::core::{Article, MetaField, Piece};
    let meta = vec![MetaField {
        kind: MetaKind::Author,
        value: "Ana".into(),
    }];
    let parts = |kinds: &[BlockKind]| {
        kinds
            .iter()
            .enumerate()
            .map(|(i, k)| (*k, format!("block {i}")))
            .collect::<Vec<_>>()
    };
    use BlockKind::*;
    let a = Article::from_blocks(
        "t",
        meta.clone(),
        None,
        parts(&[Title, ListItem, ListItem, Paragraph, ListItem]),
    );
    assert_eq!(
        a.pieces(),
        vec![
            Piece::Block(0),
            Piece::Byline,
            Piece::List(1..3),
            Piece::Block(3),
            Piece::List(4..5)
        ]
    );
    // No headline in the text: a fallback one comes first, the byline under it.
    let b = Article::from_blocks("t", meta, None, parts(&[Paragraph, ListItem]));
    assert_eq!(
        b.pieces(),
        vec![
            Piece::FallbackTitle,
            Piece::Byline,
            Piece::Block(0),
            Piece::List(1..2)
        ]
    );
    // No metadata, no byline.
    let c = Article::from_blocks("t", vec![], None, parts(&[Title, Paragraph]));
    assert_eq!(c.pieces(), vec![Piece::Block(0), Piece::Block(1)]);
}

#[test]
fn details_are_checked_as_typed_and_dates_read_as_news_sites_write_them() {
    use claimmark::core::article::iso_day;
    use claimmark::core::Details;
    let d = Details::checked(" https://e.org/x ", "2026-02-28", "  The   Gazette ", "").unwrap();
    assert_eq!(d.url.as_deref(), Some("https://e.org/x"));
    assert_eq!(d.outlet.as_deref(), Some("The Gazette"));
    assert_eq!(d.author, None);
    let e = Details::checked("javascript:alert(1)", "2026-02-30", "", "").unwrap_err();
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(e[0].contains("URL") && e[1].contains("2026-02-30"));
    for (raw, day) in [
        ("2026-11-28", Some("2026-11-28")),
        ("2026-03-14T08:30:00+01:00", Some("2026-03-14")),
        ("November 28, 2026", Some("2026-11-28")),
        ("28 Nov 2026", Some("2026-11-28")),
        ("Nov. 28th, 2026", Some("2026-11-28")),
        ("2024-02-29", Some("2024-02-29")),
        ("2025-02-29", None),
        ("WASHINGTON", None),
        ("", None),
    ] {
        assert_eq!(iso_day(raw).as_deref(), day, "{raw:?}");
    }
}

#[test]
fn block_kinds_keep_their_stored_form_and_numbered_items_their_number() {
    use claimmark::core::Block;
    for (kind, json) in [
        (BlockKind::Title, r#"{"kind":"title"}"#),
        (BlockKind::Heading(3), r#"{"kind":"heading","level":3}"#),
        (BlockKind::ListItem, r#"{"kind":"listitem"}"#),
        (
            BlockKind::OrderedItem(7),
            r#"{"kind":"ordereditem","number":7}"#,
        ),
    ] {
        assert_eq!(serde_json::to_string(&kind).unwrap(), json);
        assert_eq!(serde_json::from_str::<BlockKind>(json).unwrap(), kind);
    }
    assert!(serde_json::from_str::<BlockKind>(r#"{"kind":"heading"}"#).is_err());
    assert!(serde_json::from_str::<Block>(
        r#"{"kind":{"kind":"nope"},"span":{"start":0,"end":1}}"#
    )
    .is_err());
}

#[test]
fn links_that_do_not_hold_are_dropped() {
    use claimmark::core::{Link, Span};
    let art = Article::from_blocks(
        "T",
        vec![],
        None,
        vec![
            (BlockKind::Title, "Title".into()),
            (BlockKind::Paragraph, "One two three four.".into()),
        ],
    );
    let link = |s, e, h: &str| Link {
        span: Span::new(s, e),
        href: h.into(),
    };
    let kept = art.with_links(vec![
        link(10, 13, "https://b.example/"),
        link(6, 9, "http://a.example/"),
        link(8, 12, "https://overlap.example/"),
        link(4, 8, "https://across-blocks.example/"),
        link(14, 18, "javascript:alert(1)"),
        link(14, 14, "https://empty.example/"),
    ]);
    let hrefs: Vec<&str> = kept.links().iter().map(|l| l.href.as_str()).collect();
    assert_eq!(hrefs, ["http://a.example/", "https://b.example/"]);
}
