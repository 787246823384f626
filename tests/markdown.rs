//! The Markdown reader against pulldown-cmark, a CommonMark parser: the
//! same blocks, kinds and words on the same documents.
#![cfg(not(target_arch = "wasm32"))]

use claimmark::core::parse::markdown::blocks;
use claimmark::core::BlockKind;
use proptest::prelude::*;
use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag as MdTag, TagEnd};

/// What pulldown-cmark (CommonMark, with GFM tables and strikethrough) makes
/// of a document, reduced to blocks the way claimmark reads them: the code
/// claimmark used before its own reader.
fn reference(text: &str) -> Vec<(BlockKind, String)> {
    let mut blocks: Vec<(BlockKind, String)> = Vec::new();
    let mut buf = String::new();
    let mut quote_depth = 0usize;
    let mut list_depth = 0usize;
    let mut heading: Option<HeadingLevel> = None;
    let mut in_image = 0usize;
    let kind_now =
        |heading: Option<HeadingLevel>, quote: usize, list: usize, first: bool| -> BlockKind {
            match heading {
                Some(HeadingLevel::H1) if first => BlockKind::Title,
                Some(l) => BlockKind::Heading((l as u8).clamp(2, 6)),
                None if list > 0 => BlockKind::ListItem,
                None if quote > 0 => BlockKind::BlockQuote,
                None => BlockKind::Paragraph,
            }
        };
    let flush = |buf: &mut String, blocks: &mut Vec<(BlockKind, String)>, kind: BlockKind| {
        let t = buf.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        buf.clear();
        if !t.is_empty() {
            blocks.push((kind, t));
        }
    };
    for ev in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        let first = blocks.is_empty();
        match ev {
            Event::Start(MdTag::Heading { level, .. }) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
                heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(heading, quote_depth, list_depth, first),
                );
                heading = None;
            }
            Event::Start(MdTag::BlockQuote(_)) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
                quote_depth += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
                quote_depth -= 1;
            }
            Event::Start(MdTag::Item) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
                list_depth += 1;
            }
            Event::End(TagEnd::Item) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
                list_depth -= 1;
            }
            Event::End(TagEnd::Paragraph)
            | Event::End(TagEnd::CodeBlock)
            | Event::End(TagEnd::TableCell)
            | Event::HardBreak => {
                // Paragraphs inside a list item stay one item; elsewhere each is a block.
                if list_depth == 0 || matches!(ev, Event::HardBreak | Event::End(TagEnd::TableCell))
                {
                    flush(
                        &mut buf,
                        &mut blocks,
                        kind_now(heading, quote_depth, list_depth, first),
                    );
                } else {
                    buf.push(' ');
                }
            }
            Event::Start(MdTag::Image { .. }) => in_image += 1,
            Event::End(TagEnd::Image) => in_image -= 1,
            Event::Text(t) | Event::Code(t) if in_image == 0 => buf.push_str(&t),
            Event::SoftBreak => buf.push(' '),
            Event::Start(MdTag::CodeBlock(_)) => {
                flush(
                    &mut buf,
                    &mut blocks,
                    kind_now(None, quote_depth, list_depth, first),
                );
            }
            // Raw HTML, footnote references, rules: not article text.
            _ => {}
        }
    }
    let first = blocks.is_empty();
    flush(
        &mut buf,
        &mut blocks,
        kind_now(None, quote_depth, list_depth, first),
    );
    blocks
}

fn same(doc: &str) {
    assert_eq!(blocks(doc), reference(doc), "document:\n{doc}");
}

#[test]
fn agrees_on_the_fixture_and_typical_documents() {
    same(include_str!("../seeds/fixtures/articles/notes.md"));
    same("Title\n=====\n\nSub\n---\n\nText *a* and **b** and ***c*** and _d_ and __e__.\n");
    same("# Title #\n\n## Not a title\n\n# Later H1\n\n###### Six\n\n####### seven is text\n");
    same("- one\n- two\n  - nested\n  - nested two\n- three\n\n1. first\n2) second\n\n* star\n+ plus\n");
    same("- item\n\n  second paragraph\n- next\n\nafter the list\n");
    same("> quote\nlazy line\n\n> > nested quote\n\n> - list in quote\n");
    same("Links: [a](http://x.y \"t\"), [b][r], [c][], [r], <https://example.org/x>, <me@example.org>.\n\n[r]: http://example.org\n[c]: /c\n");
    same("Images: ![alt](p.png) and ![ref][r] gone.\n\n[r]: p.png\n");
    same("Code `a * b` and `` c ` d `` and ```e```.\n\n```rust\nfn main() {}\n```\n\n~~~\ntilde\n~~~\n\n    indented code\n    more\n");
    same("Escapes: \\*not\\* \\_em\\_ \\[x\\] \\\\ and 2 * 3 * 4, snake_case_word, a*b*c.\n");
    same("Entities: &amp; &lt;b&gt; &quot;q&quot; &#233; &#xE9; &eacute; &mdash; &nbsp;x.\n");
    same("Strike ~~gone~~ and ~one~ tilde.\n\nHTML <span class=\"x\">inline</span> and <!-- comment --> here.\n");
    same("<div>\nblock html\n</div>\n\ntext after\n\n<script>\nalert(1)\n\nstill script\n</script>\n\nend\n");
    same("| a | b |\n|---|:-:|\n| 1 | 2 |\n| 3 | 4 \\| 5 |\n\nafter table\n");
    same("Hard break  \nnext line\\\nthird\n\n***\n\n---\n\n___\n\n- - -\n");
    same("Line one\nline two\n# heading interrupts\ntext\n```\ncode interrupts\n```\n");
    same("  # indented heading\n\n   - indented item\n\n10. ten\n11. eleven\n");
    same("Emoji 👩‍👩‍👧‍👦 *émphase* and **中文** and _über_ café\u{301}.\n");
}

/// A small well-formed Markdown document from parts people write.
fn document() -> impl Strategy<Value = String> {
    let word = "[a-z]{1,7}";
    let inline = prop_oneof![
        4 => word.prop_map(String::from),
        1 => word.prop_map(|w| format!("*{w}*")),
        1 => (word, word).prop_map(|(a, b)| format!("**{a} {b}**")),
        1 => word.prop_map(|w| format!("_{w}_")),
        1 => word.prop_map(|w| format!("`{w}`")),
        1 => word.prop_map(|w| format!("~~{w}~~")),
        1 => (word, word).prop_map(|(a, b)| format!("[{a} {b}](https://example.org/{a})")),
        1 => word.prop_map(|w| format!("![{w}](x.png)")),
        1 => Just("&amp;".to_string()),
        1 => Just("2 * 3".to_string()),
    ];
    let line = prop::collection::vec(inline, 1..6).prop_map(|ws| ws.join(" "));
    let block = prop_oneof![
        4 => prop::collection::vec(line.clone(), 1..3).prop_map(|ls| ls.join("\n")),
        1 => (1usize..4, line.clone()).prop_map(|(n, l)| format!("{} {l}", "#".repeat(n))),
        2 => prop::collection::vec(line.clone(), 1..4).prop_map(|ls| ls.iter().map(|l| format!("- {l}")).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(line.clone(), 1..3).prop_map(|ls| ls.iter().enumerate().map(|(i, l)| format!("{}. {l}", i + 1)).collect::<Vec<_>>().join("\n")),
        1 => prop::collection::vec(line.clone(), 1..3).prop_map(|ls| ls.iter().map(|l| format!("> {l}")).collect::<Vec<_>>().join("\n")),
        1 => "[a-z =;]{1,20}".prop_map(|c| format!("```\n{c}\n```")),
    ];
    prop::collection::vec(block, 1..6).prop_map(|bs| bs.join("\n\n") + "\n")
}

proptest! {
    #[test]
    fn agrees_on_generated_documents(doc in document()) {
        prop_assert_eq!(blocks(&doc), reference(&doc), "document:\n{}", doc);
    }

    /// Whatever the input, reading ends, and every block is words separated
    /// by single spaces.
    #[test]
    fn any_text_reads_into_trimmed_blocks(doc in "([-*_`#>|\\[\\]()!<&;~\\\\ \n\t0-9a-z.:]|\\PC){0,300}") {
        for (_, text) in blocks(&doc) {
            let words = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
            prop_assert!(!text.is_empty() && text == words);
        }
    }
}

/// Corner cases of CommonMark where the simpler reader still agrees.
#[test]
fn agrees_on_corner_cases() {
    let docs = [
        "*a **b** c* and **a*b** and foo**bar**baz and *a*b*c*",
        "[a](http://x/(y)) and [*em* link](u) and [Foo][BAR]\n\n[bar]: /u",
        "a <b>bold</b> c <not a link> d <a href=\"x\">y</a>",
        "1986. A great year\n\nAnd 1986\\. escaped",
        "- a\n- b\n\n\n- c after two blanks",
        "> q1\n>\n> q2\n\n>     code in quote",
        "Text with trailing spaces   \n\n  leading spaces para",
        "- item\n  continued lazily\nlazy\n- next",
        "***bold italic*** and **_mixed_** and *__mixed__*",
        "* a\n\n    * b indented more",
        "[link]( http://x.y )\n[broken](no close\n",
        "Autolink www.example.com and http://bare.example.org",
        "Footnote[^1].\n\n[^1]: The note.",
        "- [ ] task\n- [x] done",
        "Setext\n===\n- list\n---",
        "a\n    b not code\n",
        "\tTab indented code",
        "&unknown; &amp &#0; &#xD800; &#1234567;",
        "# \n\nEmpty heading then text",
        "Line ending with backslash\\\n",
        "~~~\nunclosed fence",
        "<!-- multi\nline\ncomment -->\n\nafter",
        "Para\n<div>html interrupts</div>\nmore",
        "1. one\n1. two\n\n   indented para in item",
        "> # heading in quote\n> text",
        "__init__ and a_b_c and _a_b",
        "**foo \"*bar*\" foo**",
        "*(*foo*)*",
        "`code\nspan` across lines",
        "| not | a table\nplain",
    ];
    let differ: Vec<_> = docs
        .iter()
        .filter(|d| blocks(d) != reference(d))
        .map(|d| (d, blocks(d), reference(d)))
        .collect();
    assert!(differ.is_empty(), "{differ:#?}");
}

#[test]
fn an_item_whose_text_is_indented_code_is_read_once() {
    // The item's content is itself indented four more: code inside the item.
    assert_eq!(
        blocks("-     code in an item\n- next"),
        reference("-     code in an item\n- next")
    );
}
