//! The Markdown reader (pulldown-cmark events reduced to blocks): what a
//! person opening a `.md` file sees — tables row by row, numbered lists with
//! their numbers, links with their targets — and that no input breaks it.
#![cfg(not(target_arch = "wasm32"))]

use claimmark::core::article::RowPart;
use claimmark::core::parse::markdown::{blocks, parts, CELL_SEPARATOR};
use claimmark::core::parse::parse_markdown;
use claimmark::core::{Article, BlockKind, Piece};
use proptest::prelude::*;

fn kinds_and_texts(doc: &str) -> Vec<(BlockKind, String)> {
    blocks(doc)
}

fn b(kind: BlockKind, text: &str) -> (BlockKind, String) {
    (kind, text.to_string())
}

/// The links of an opened document as (linked text, target).
fn links(doc: &str) -> Vec<(String, String)> {
    let art = parse_markdown(doc, "Doc", None);
    art.links()
        .iter()
        .map(|l| (art.slice(l.span).to_string(), l.href.clone()))
        .collect()
}

#[test]
fn the_fixture_reads_as_its_blocks_with_its_link() {
    let doc = include_str!("fixtures/articles/notes.md");
    use BlockKind::*;
    assert_eq!(
        kinds_and_texts(doc),
        vec![
            b(Title, "Reading Markdown Articles"),
            b(Paragraph, "A first paragraph with strong, emphasis, code and a link that wraps onto a second line."),
            b(Heading(2), "Why it matters"),
            b(ListItem, "First item"),
            b(ListItem, "Second item with emphasis and a second paragraph in the same item"),
            b(OrderedItem(1), "Numbered item"),
            b(BlockQuote, "A block quote on two lines."),
            b(Paragraph, "Hard break here"),
            b(Paragraph, "and the next line."),
            b(Paragraph, "let code = \"kept as text\";"),
        ]
    );
    assert_eq!(
        links(doc),
        vec![("link".to_string(), "https://example.org".to_string())]
    );
}

#[test]
fn a_table_is_one_block_per_row_with_its_cells_separated() {
    let doc = "Before.\n\n| Name | Age | City |\n|---|:-:|--:|\n| Ana | 31 | *Caracas* |\n| Ben |  | [Lima](https://lima.example/) |\n\nAfter.\n";
    let sep = CELL_SEPARATOR.trim();
    assert_eq!(
        kinds_and_texts(doc),
        vec![
            b(BlockKind::Paragraph, "Before."),
            b(
                BlockKind::TableHeader,
                &format!("Name {sep} Age {sep} City")
            ),
            b(BlockKind::TableRow, &format!("Ana {sep} 31 {sep} Caracas")),
            // An empty cell keeps its place, so columns still line up.
            b(BlockKind::TableRow, &format!("Ben {sep} {sep} Lima")),
            b(BlockKind::Paragraph, "After."),
        ]
    );
    assert_eq!(
        links(doc),
        vec![("Lima".to_string(), "https://lima.example/".to_string())]
    );
}

/// The cells of a row as the page draws them, with what is between them.
fn cells(art: &Article, i: usize) -> Vec<String> {
    art.row_parts(i)
        .unwrap()
        .iter()
        .filter_map(|p| match p {
            RowPart::Cell(_, s) => Some(art.slice(*s).to_string()),
            RowPart::Between(_) => None,
        })
        .collect()
}

#[test]
fn a_table_is_drawn_as_a_table_with_its_text_and_offsets_unchanged() {
    let doc = "Before.\n\n| Name | Age | City |\n|---|:-:|--:|\n| Ana | 31 | *Caracas* |\n| Ben |  | [Lima](https://lima.example/) |\n\nAfter.\n";
    let art = parse_markdown(doc, "Doc", None);
    // One table piece: the header row and two body rows.
    let tables: Vec<_> = art
        .pieces()
        .into_iter()
        .filter(|p| matches!(p, Piece::Table(_)))
        .collect();
    assert_eq!(tables, vec![Piece::Table(2..5)]);
    assert_eq!(cells(&art, 2), ["Name", "Age", "City"]);
    assert_eq!(cells(&art, 3), ["Ana", "31", "Caracas"]);
    assert_eq!(cells(&art, 4), ["Ben", "", "Lima"]);
    // The text (and so the article's id and every offset) is as before.
    assert!(art.text().contains("Ana | 31 | Caracas\nBen | | Lima"));
    // The link still covers the cell's word.
    let link = &art.links()[0];
    assert_eq!(art.slice(link.span), "Lima");
    // A second header row starts a second table.
    let two = parse_markdown(
        "| a | b |\n|---|---|\n| 1 | 2 |\n\n| c |\n|---|\n| 3 |\n",
        "Doc",
        None,
    );
    let tables: Vec<_> = two
        .pieces()
        .into_iter()
        .filter(|p| matches!(p, Piece::Table(_)))
        .collect();
    assert_eq!(tables.len(), 2, "{tables:?}");
    // Stored and read back, a row stays a row.
    let json = serde_json::to_string(&BlockKind::TableHeader).unwrap();
    assert_eq!(json, r#"{"kind":"tableheader"}"#);
    assert_eq!(
        serde_json::from_str::<BlockKind>(r#"{"kind":"tablerow"}"#).unwrap(),
        BlockKind::TableRow
    );
}

#[test]
fn numbered_lists_keep_their_numbers() {
    let doc = "3. three\n4. four\n\n   still four\n   1) inner one\n   2) inner two\n5. five\n\n- bullet\n\n7) seven\n";
    use BlockKind::*;
    assert_eq!(
        kinds_and_texts(doc),
        vec![
            b(OrderedItem(3), "three"),
            b(OrderedItem(4), "four still four"),
            b(OrderedItem(1), "inner one"),
            b(OrderedItem(2), "inner two"),
            b(OrderedItem(5), "five"),
            b(ListItem, "bullet"),
            b(OrderedItem(7), "seven"),
        ]
    );
    // The number is not part of the text (as a bullet is not).
    let art = parse_markdown(doc, "Doc", None);
    assert!(!art.text().contains("3.") && !art.text().contains("7)"));
}

#[test]
fn links_keep_their_web_targets_only() {
    let doc = "See [the *report*](https://example.org/r?a=1&b=2 \"title\"), [a ref][r], [rel](/about), \
               [mail](mailto:x@y.org), [js](javascript:alert(1)), <https://auto.example/p> and <me@example.org>.\n\n\
               [r]: http://ref.example/\n";
    assert_eq!(
        links(doc),
        vec![
            ("the report".into(), "https://example.org/r?a=1&b=2".into()),
            ("a ref".into(), "http://ref.example/".into()),
            (
                "https://auto.example/p".into(),
                "https://auto.example/p".into()
            ),
        ]
    );
    // The words of links that are not kept stay in the text.
    let art = parse_markdown(doc, "Doc", None);
    for words in ["rel", "mail", "js", "me@example.org"] {
        assert!(art.text().contains(words), "{words}");
    }
    assert!(!art.text().contains("javascript"));
}

#[test]
fn a_link_across_a_hard_break_links_both_parts() {
    assert_eq!(
        links("[two\\\nlines](http://h.example/) after\n"),
        vec![
            ("two".to_string(), "http://h.example/".to_string()),
            ("lines".to_string(), "http://h.example/".to_string()),
        ]
    );
}

#[test]
fn link_offsets_count_code_points_and_survive_collapsed_whitespace() {
    let doc = "# 👩‍👩‍👧‍👦 Title\n\nCafé\u{301}   and   [𝒜 **bold**   link](https://x.example/) end.\n";
    let art = parse_markdown(doc, "Doc", None);
    let l = &art.links()[0];
    assert_eq!(art.slice(l.span), "𝒜 bold link");
    let para = art.blocks[1].span;
    assert!(para.contains_span(l.span));
    assert_eq!(art.block_text(1), "Café\u{301} and 𝒜 bold link end.");
}

#[test]
fn markup_that_is_not_article_text_is_left_out() {
    let doc = "Text <span>inline</span> <!-- c --> ![alt text](p.png) and ~~struck~~ `code`.\n\n\
               <div>\nblock html\n</div>\n\n<script>\nwindow.x = 1\n</script>\n\n---\n\nEnd &amp; &eacute; &#233;.\n";
    assert_eq!(
        kinds_and_texts(doc),
        vec![
            b(BlockKind::Paragraph, "Text inline and struck code."),
            b(BlockKind::Paragraph, "End & é é."),
        ]
    );
}

#[test]
fn headings_quotes_and_code_blocks() {
    let doc = "Title\n=====\n\nSub\n---\n\n# Later H1\n\n###### Six\n\n> q1\n>\n> > nested\n\n```rust\nfn main() {}\n```\n";
    use BlockKind::*;
    assert_eq!(
        kinds_and_texts(doc),
        vec![
            b(Title, "Title"),
            b(Heading(2), "Sub"),
            b(Heading(2), "Later H1"),
            b(Heading(6), "Six"),
            b(BlockQuote, "q1"),
            b(BlockQuote, "nested"),
            b(Paragraph, "fn main() {}"),
        ]
    );
    // Without a leading `# ` headline the file's name is the title.
    let art = parse_markdown("Just text.\n", "notes", None);
    assert_eq!(art.title, "notes");
}

#[test]
fn numbered_and_bulleted_lists_are_separate_pieces() {
    use claimmark::core::Piece;
    let art = parse_markdown("# T\n\n- a\n- b\n\n1. c\n2. d\n\n- e\n", "Doc", None);
    let lists: Vec<Piece> = art
        .pieces()
        .into_iter()
        .filter(|p| matches!(p, Piece::List(_) | Piece::NumberedList(_)))
        .collect();
    assert_eq!(
        lists,
        vec![
            Piece::List(1..3),
            Piece::NumberedList(3..5),
            Piece::List(5..6)
        ]
    );
}

fn check_parts(doc: &str) -> Result<(), TestCaseError> {
    for p in parts(doc) {
        let words = p
            .text
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        prop_assert!(!p.text.is_empty() && p.text == words);
        let n = p.text.chars().count() as u32;
        let mut last = 0;
        for (s, e, href) in &p.links {
            prop_assert!(
                s < e && *e <= n && *s >= last,
                "{:?} in {:?}",
                (s, e),
                p.text
            );
            prop_assert!(href.starts_with("http://") || href.starts_with("https://"));
            last = *e;
        }
    }
    // And as an article: every link inside one block, in order.
    let art = parse_markdown(doc, "Doc", None);
    let mut prev_end = 0;
    for l in art.links() {
        prop_assert!(l.span.start() >= prev_end);
        let b = art.block_at(l.span.start()).unwrap();
        prop_assert!(art.blocks[b].span.contains_span(l.span));
        prev_end = l.span.end();
    }
    prop_assert!(art.len_chars() >= art.links().last().map_or(0, |l| l.span.end()));
    Ok(())
}

/// A small Markdown document from parts people write.
fn document() -> impl Strategy<Value = String> {
    let word = "[a-zé]{1,7}";
    let inline = prop_oneof![
        4 => word.prop_map(String::from),
        1 => word.prop_map(|w| format!("*{w}*")),
        1 => (word, word).prop_map(|(a, b)| format!("**{a} {b}**")),
        1 => word.prop_map(|w| format!("`{w}`")),
        1 => (word, word).prop_map(|(a, b)| format!("[{a} {b}](https://example.org/{a})")),
        1 => (word, word).prop_map(|(a, b)| format!("[{a}](/{b})")),
        1 => word.prop_map(|w| format!("![{w}](x.png)")),
        1 => Just("&amp;".to_string()),
    ];
    let line = prop::collection::vec(inline, 1..6).prop_map(|ws| ws.join(" "));
    let block = prop_oneof![
        4 => prop::collection::vec(line.clone(), 1..3).prop_map(|ls| ls.join("\n")),
        1 => (1usize..4, line.clone()).prop_map(|(n, l)| format!("{} {l}", "#".repeat(n))),
        2 => prop::collection::vec(line.clone(), 1..4).prop_map(|ls| ls.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")),
        1 => (1u32..20, prop::collection::vec(line.clone(), 1..3)).prop_map(|(s, ls)| ls.iter().enumerate().map(|(i, l)| format!("{}. {l}", s + i as u32)).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(line.clone(), 1..3).prop_map(|ls| ls.iter().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n")),
        1 => (line.clone(), line.clone()).prop_map(|(a, b)| format!("| {a} | x |\n|---|---|\n| {b} |  |")),
        1 => "[a-z =;]{1,20}".prop_map(|c| format!("```\n{c}\n```")),
    ];
    prop::collection::vec(block, 1..6).prop_map(|bs| bs.join("\n\n") + "\n")
}

proptest! {
    /// Any table row's parts cover its text exactly once, in order: cells
    /// and what is between them, so drawing cells loses no offset.
    #[test]
    fn row_parts_cover_every_row_exactly(
        cells in prop::collection::vec("([a-zé|]{0,4}( [a-z|]{1,3}){0,2})", 1..6),
        head in any::<bool>(),
    ) {
        let row = format!("| {} |", cells.join(" | "));
        let sep = format!("|{}|", vec!["---"; cells.len()].join("|"));
        let doc = if head { format!("{row}\n{sep}\n") } else { format!("| h |\n|---|\n{row}\n") };
        let art = parse_markdown(&doc, "Doc", None);
        for (i, b) in art.blocks.iter().enumerate() {
            let Some(parts) = art.row_parts(i) else { continue };
            let mut at = b.span.start();
            let mut last_cell = None;
            for p in &parts {
                let (s, cell) = match p { RowPart::Cell(k, s) => (*s, Some(*k)), RowPart::Between(s) => (*s, None) };
                prop_assert_eq!(s.start(), at, "{:?} in {:?}", parts, art.block_text(i));
                at = s.end();
                if let Some(k) = cell {
                    prop_assert_eq!(Some(k), last_cell.map_or(Some(0), |l: usize| Some(l + 1)));
                    last_cell = Some(k);
                    // A cell never starts or ends with the space around a separator.
                    let t = art.slice(s);
                    prop_assert_eq!(t.trim(), t);
                }
            }
            prop_assert_eq!(at, b.span.end());
        }
    }

    /// Documents as people write them: every block is words separated by
    /// single spaces, links sit inside their block, in order, on the web.
    #[test]
    fn written_documents_read_into_clean_blocks(doc in document()) {
        check_parts(&doc)?;
        // A numbered list starts at the number it was written with and
        // counts up from there, as CommonMark says (an item holding only an
        // image is no text, so its number may be missing); a second list
        // starts at its own number, also a lower one.
        let written: Vec<u32> = doc.lines()
            .filter_map(|l| l.split_once(". ").and_then(|(n, _)| n.parse::<u32>().ok()))
            .collect();
        let numbered: Vec<u32> = parts(&doc).iter().filter_map(|p| match p.kind {
            BlockKind::OrderedItem(n) => Some(n), _ => None }).collect();
        for (i, n) in numbered.iter().enumerate() {
            let counts_on = i > 0 && *n > numbered[i - 1];
            // Counted on from an item left out (an image only), so above a
            // number written at the start of a list.
            let after_hidden = written.iter().any(|w| w < n);
            prop_assert!(counts_on || after_hidden || written.contains(n), "{numbered:?} written {written:?}");
        }
    }

    /// Whatever the input, reading ends without a panic and gives the same.
    #[test]
    fn any_text_reads_into_clean_blocks(doc in "([-*_`#>|\\[\\]()!<&;~\\\\ \n\t0-9a-z.:/]|\\PC){0,400}") {
        check_parts(&doc)?;
    }
}

/// Two numbered lists, the second starting lower than the first: each keeps
/// its own numbers (found by the property above).
#[test]
fn a_second_numbered_list_keeps_its_own_numbers() {
    let numbered: Vec<u32> = parts("5. a\n\né\n\n1. a\n")
        .iter()
        .filter_map(|p| match p.kind {
            BlockKind::OrderedItem(n) => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(numbered, vec![5, 1]);
}

/// A list whose first item is only an image: the next item keeps the number
/// CommonMark gives it (found by the property above).
#[test]
fn an_item_of_only_an_image_leaves_the_next_its_number() {
    let numbered: Vec<u32> = parts("1. ![é](x.png)\n\n3. é\n")
        .iter()
        .filter_map(|p| match p.kind {
            BlockKind::OrderedItem(n) => Some(n),
            _ => None,
        })
        .collect();
    assert_eq!(numbered, vec![2]);
}
