//! The article's markup (`core::markup`) as HTML (what the build pre-renders
//! the seed as) and as the paint description (what the first-paint script
//! draws a returning person's article from). That both equal the DOM the
//! app builds is checked in the browser (`tests/e2e/firstvisit.test.mjs`);
//! here: the text is all there, in order, and never becomes markup.

mod common;

use claimmark::core::markup::{self, Sink, Text, Value};
use claimmark::core::parse::parse_markdown;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{seed_article, Article, MetaField, MetaKind};
use common::fixture;

/// Collects the text nodes under `data-s` elements, with their offsets.
#[derive(Default)]
struct Texts {
    stack: Vec<Option<u32>>,
    out: Vec<(u32, String)>,
    elements: usize,
}

impl Sink for Texts {
    type Error = ();
    fn open(&mut self, _tag: &'static str, attrs: &[(&'static str, Value<'_>)]) -> Result<(), ()> {
        self.elements += 1;
        let s = attrs
            .iter()
            .find(|(k, _)| *k == "data-s")
            .map(|(_, v)| match v {
                Value::Num(n) => *n,
                other => panic!("data-s must be a number, not {other:?}"),
            });
        self.stack.push(s);
        Ok(())
    }
    fn text(&mut self, _text: Text<'_>) -> Result<(), ()> {
        Ok(())
    }
    fn close(&mut self) -> Result<(), ()> {
        self.stack.pop();
        Ok(())
    }
}

/// Every text node of the article's blocks, with the `data-s` of its element.
fn block_texts(article: &Article) -> Vec<(u32, String)> {
    struct T<'a>(&'a Article, Texts);
    impl Sink for T<'_> {
        type Error = ();
        fn open(
            &mut self,
            tag: &'static str,
            attrs: &[(&'static str, Value<'_>)],
        ) -> Result<(), ()> {
            self.1.open(tag, attrs)
        }
        fn text(&mut self, text: Text<'_>) -> Result<(), ()> {
            if let Text::Span(span) = text {
                let start = self
                    .1
                    .stack
                    .last()
                    .copied()
                    .flatten()
                    .expect("text under data-s");
                assert_eq!(start, span.start(), "data-s is where the text starts");
                self.1.out.push((start, self.0.slice(span).to_string()));
            }
            Ok(())
        }
        fn close(&mut self) -> Result<(), ()> {
            self.1.close()
        }
    }
    let mut t = T(article, Texts::default());
    markup::write(article, &mut t).unwrap();
    assert!(t.1.stack.is_empty(), "every element opened is closed");
    t.1.out
}

fn articles() -> Vec<(&'static str, Article)> {
    vec![
        ("seed", seed_article()),
        (
            "notes.md",
            parse_markdown(&fixture("articles/notes.md"), "notes", None),
        ),
        (
            "a table",
            parse_markdown(
                "# Results\n\n| name | votes |\n|---|---|\n| Ana | 12 |\n| | 3 |\n\nAfter [the](https://example.org/a) table.\n",
                "t",
                None,
            ),
        ),
        ("ar-news", parse_plain_text(&fixture("scripts/ar-news.txt"), None)),
    ]
}

#[test]
fn every_block_text_is_drawn_once_in_order_under_its_offset() {
    for (name, article) in articles() {
        let texts = block_texts(&article);
        let joined: String = texts.iter().map(|(_, t)| t.as_str()).collect();
        let blocks: String = (0..article.blocks.len())
            .map(|i| article.block_text(i))
            .collect();
        assert_eq!(joined, blocks, "{name}: the blocks' text, in order");
    }
}

#[test]
fn html_escapes_the_text_and_keeps_the_shape() {
    let article = Article::from_blocks(
        "<img src=x onerror=alert(1)>",
        vec![MetaField {
            kind: MetaKind::Author,
            value: "Ana \"<b>\" & co".into(),
        }],
        None,
        vec![(
            claimmark::core::BlockKind::Paragraph,
            "a <script>alert(1)</script> & b".into(),
        )],
    );
    let html = markup::to_html(&article);
    assert_eq!(
        html,
        "<h1 class=\"title\">&lt;img src=x onerror=alert(1)&gt;</h1>\
         <p class=\"byline\"><span class=\"meta meta-author\"><bdi><span class=\"visually-hidden\">Author: </span>\
         By Ana \"&lt;b&gt;\" &amp; co</bdi></span></p>\
         <p data-b=\"0\" data-s=\"0\">a &lt;script&gt;alert(1)&lt;/script&gt; &amp; b</p>"
    );
    assert_eq!(markup::article_attributes_html(&article), " dir=\"ltr\"");
}

#[test]
fn the_seed_is_drawn_as_the_app_draws_it() {
    let seed = seed_article();
    let html = markup::to_html(&seed);
    assert!(
        html.starts_with("<h1 class=\"title\" data-b=\"0\" data-s=\"0\">"),
        "{html}"
    );
    assert_eq!(html.matches("data-b=").count(), seed.blocks.len());
    assert!(
        html.contains("<p class=\"byline\">"),
        "the seed has a byline"
    );
}

#[test]
fn the_paint_description_reads_back_to_the_blocks_text() {
    for (name, article) in articles() {
        let doc: serde_json::Value = serde_json::from_str(&markup::paint_record(&article))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(doc["schema"], markup::PAINT_SCHEMA);
        assert_eq!(doc["id"], article.id.0.as_str());
        let (lang, dir) = markup::article_attributes(&article);
        assert_eq!(doc["dir"], dir);
        assert_eq!(doc["lang"].as_str().map(str::to_string), lang);
        assert_eq!(doc["long"], markup::is_long(&article));
        // Slice the text as JavaScript does: UTF-16 units.
        let units: Vec<u16> = article.text().encode_utf16().collect();
        fn walk(
            node: &serde_json::Value,
            units: &[u16],
            out: &mut Vec<String>,
            elements: &mut usize,
        ) {
            let list = node.as_array().expect("an element is an array");
            assert!(
                list[0].is_string() && list[1].is_object(),
                "[tag, attrs, …]"
            );
            *elements += 1;
            let mut k = 2;
            while k < list.len() {
                match &list[k] {
                    serde_json::Value::Number(s) => {
                        let (s, e) = (
                            s.as_u64().unwrap() as usize,
                            list[k + 1].as_u64().unwrap() as usize,
                        );
                        out.push(String::from_utf16(&units[s..e]).unwrap());
                        k += 2;
                    }
                    serde_json::Value::String(_) => k += 1,
                    child => {
                        walk(child, units, out, elements);
                        k += 1;
                    }
                }
            }
        }
        let (mut texts, mut elements) = (Vec::new(), 0);
        for el in doc["body"].as_array().unwrap() {
            walk(el, &units, &mut texts, &mut elements);
        }
        let expected: Vec<String> = block_texts(&article).into_iter().map(|(_, t)| t).collect();
        assert_eq!(texts, expected, "{name}");
        let mut count = Texts::default();
        markup::write(&article, &mut count).unwrap();
        assert_eq!(elements, count.elements, "{name}: one element per element");
    }
}

#[test]
fn tables_lists_links_and_directions_are_described() {
    let table = &articles()[2].1;
    let html = markup::to_html(table);
    assert!(
        html.contains(
            "<table class=\"md-table\"><thead><tr data-b=\"1\"><th scope=\"col\"><span data-s="
        ),
        "{html}"
    );
    assert!(
        html.contains("<span class=\"cell-sep\" aria-hidden=\"true\""),
        "{html}"
    );
    // A row whose first cell is empty still has two: the first holds only
    // the hidden separator.
    assert!(
        html.contains("<tr data-b=\"3\"><td><span class=\"cell-sep\" aria-hidden=\"true\" data-s=\"30\">| </span></td><td>"),
        "{html}"
    );
    assert!(
        html.contains("<a href=\"https://example.org/a\" rel=\"noopener noreferrer\" target=\"_blank\" draggable=\"false\" class=\"cm-link\" data-s="),
        "{html}"
    );
    let notes = markup::to_html(&articles()[1].1);
    assert!(notes.contains("<ul><li data-b="), "{notes}");
    assert!(
        notes.contains("<ol><li data-b=") && notes.contains(" value=\"1\""),
        "{notes}"
    );
    let ar = &articles()[3].1;
    assert_eq!(markup::article_attributes(ar).1, "rtl");
}

#[test]
fn the_paint_description_is_kept_for_the_article_open_last_and_never_left_stale() {
    use claimmark::core::storage::{paint_key, save_paint, MemoryStore, Store, StoreError};
    let store = MemoryStore::new();
    let (seed, notes) = (seed_article(), articles().remove(1).1);
    assert_eq!(save_paint(&store, &seed), Ok(true));
    assert_eq!(
        save_paint(&store, &seed),
        Ok(false),
        "unchanged: not written again"
    );
    assert_eq!(
        store.get(&paint_key()).unwrap(),
        Some(markup::paint_record(&seed))
    );
    // No room for the next article's: the seed's is not left behind.
    store.set_quota(Some(100));
    assert_eq!(save_paint(&store, &notes), Err(StoreError::Full));
    assert_eq!(store.get(&paint_key()).unwrap(), None);
    store.set_quota(None);
    assert_eq!(save_paint(&store, &notes), Ok(true));
}
