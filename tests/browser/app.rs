//! Browser tests: the Yew app mounted into a fresh element of a real page in
//! headless Chromium: tagging, the two highlight renderers, the word cursor.

use crate::common::{mount, press, selected_text, wait_for};
use claimmark::core::parse::plain::parse_plain_text;
use std::rc::Rc;

use claimmark::core::{seed_article, Article};
use wasm_bindgen_test::*;

const UNICODE: &str = include_str!("../fixtures/unicode-crlf.txt");

fn unicode_article() -> Article {
    parse_plain_text(UNICODE, None)
}

/// The code-point offset of `needle` in the article's canonical text.
fn cp_offset(a: &Article, needle: &str) -> u32 {
    let b = a.text().find(needle).unwrap();
    a.text()[..b].chars().count() as u32
}

#[wasm_bindgen_test]
async fn opens_on_the_seed_article_with_an_empty_panel() {
    let app = mount(None).await;
    assert_eq!(
        app.text("article h1"),
        "U.S. and Venezuela Begin Restoring Diplomatic Ties"
    );
    assert!(app.text("article .byline").contains("WASHINGTON"));
    assert!(app
        .text("article .standfirst")
        .starts_with("The United States and Venezuela"));
    assert_eq!(app.all("article ul > li").len(), 10);
    let headings: Vec<String> = app
        .all("article h2")
        .iter()
        .map(|h| h.text_content().unwrap())
        .collect();
    assert_eq!(
        headings,
        ["U.S. Venezuela Relations Quick Looks", "Deep Look"]
    );
    assert!(!app
        .article()
        .text_content()
        .unwrap()
        .contains("Register or Login"));
    // The side panel is a region named "Annotations" holding a list.
    let aside = app.q("section.panel").unwrap();
    let label_id = aside.get_attribute("aria-labelledby").unwrap();
    assert_eq!(app.text(&format!("#{label_id}")), "Annotations");
    assert!(app.q("section.panel ol").is_some());
    assert!(app.items().is_empty());
    assert!(app
        .text("section.panel .empty")
        .contains("Select a passage"));
}

#[wasm_bindgen_test]
async fn selecting_shows_the_toolbar_and_f_creates_a_fact() {
    let app = mount(None).await;
    assert!(app.q("[role=toolbar]:not([hidden])").is_none());
    app.select_text("Nicolás Maduro and flew").await;
    let toolbar = app
        .q("[role=toolbar]:not([hidden])")
        .expect("toolbar after selecting");
    let names: Vec<String> = app
        .all("[role=toolbar]:not([hidden]) button")
        .iter()
        .map(|b| b.text_content().unwrap())
        .collect();
    assert!(
        names[0].starts_with("Fact")
            && names[1].starts_with("Quote")
            && names[2].starts_with("Analysis")
    );
    drop(toolbar);
    press(None, "f", false, false).await;
    let items = app.items();
    assert_eq!(items.len(), 1);
    assert!(items[0]
        .text_content()
        .unwrap()
        .contains("Nicolás Maduro and flew"));
    let marks = app.all("article mark.hl-fact");
    let marked: String = marks.iter().map(|m| m.text_content().unwrap()).collect();
    assert_eq!(marked, "Nicolás Maduro and flew");
    assert!(
        app.q("[role=toolbar]:not([hidden])").is_none(),
        "toolbar closes after tagging"
    );
}

#[wasm_bindgen_test]
async fn partial_words_snap_and_quotes_are_exact_for_unicode() {
    let article = unicode_article();
    let app = mount(Some(article.clone())).await;
    // Each case: what the person selects, and what must be stored.
    let cases = [
        ("colás met", "Nicolás met"),
        ("👩‍👩‍👧‍👦 in Caracas 🇻🇪", "👩‍👩‍👧‍👦 in Caracas 🇻🇪"),
        ("cafe\u{301} twice", "cafe\u{301} twice"),
        ("中文", "中文"),
        ("𝒜 and مرحبا", "𝒜 and مرحبا"),
    ];
    for (n, (select, stored)) in cases.iter().enumerate() {
        app.select_text(select).await;
        press(None, "2", false, false).await;
        assert_eq!(app.items().len(), n + 1, "{select}");
        // The highlight covers exactly the stored quote, at its code-point offset.
        let start = cp_offset(&article, stored);
        let first = app
            .all("article mark.hl-quote")
            .into_iter()
            .find(|m| m.get_attribute("data-s").unwrap() == start.to_string())
            .unwrap_or_else(|| panic!("no highlight starts at {start} for {stored:?}"));
        let ids = first.get_attribute("data-ids").unwrap();
        let id = ids.split_whitespace().last().unwrap().to_string();
        let covered: String = app
            .all("article mark")
            .iter()
            .filter(|m| {
                m.get_attribute("data-ids")
                    .unwrap()
                    .split_whitespace()
                    .any(|x| x == id)
            })
            .map(|m| m.text_content().unwrap())
            .collect();
        assert_eq!(&covered, stored);
        // And the panel shows it as the quote.
        let item = app.q(&format!("li[data-id=\"{id}\"] .item-quote")).unwrap();
        assert_eq!(item.text_content().unwrap(), *stored);
    }
}

#[wasm_bindgen_test]
async fn whitespace_only_selection_does_nothing() {
    let app = mount(None).await;
    app.select_text(" ").await;
    assert!(app.q("[role=toolbar]:not([hidden])").is_none());
    press(None, "f", false, false).await;
    assert!(app.items().is_empty());
}

#[wasm_bindgen_test]
async fn overlapping_annotations_stay_individually_visible() {
    let app = mount(None).await;
    app.select_text("explore reopening").await;
    press(None, "f", false, false).await;
    app.select_text("reopening embassies").await;
    press(None, "a", false, false).await;
    assert_eq!(app.items().len(), 2);
    let both = app
        .all("article mark")
        .into_iter()
        .find(|m| m.text_content().unwrap() == "reopening")
        .expect("a run covered by both");
    let class = both.get_attribute("class").unwrap();
    assert!(
        class.contains("hl-fact") && class.contains("hl-analysis"),
        "{class}"
    );
    assert_eq!(
        both.get_attribute("data-ids")
            .unwrap()
            .split_whitespace()
            .count(),
        2
    );
    // Each annotation keeps its own start marker.
    let markers: String = app
        .all("article mark[data-markers]")
        .iter()
        .map(|m| m.get_attribute("data-markers").unwrap())
        .collect();
    assert_eq!(markers, "FA");
    // Clicking the shared place offers a choice between the two.
    both.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    let chooser = app
        .q("[role=dialog][aria-label='Choose an annotation']")
        .expect("a chooser");
    assert_eq!(chooser.query_selector_all("li button").unwrap().length(), 2);
    // Focus is in it; Escape closes it and gives focus to the article.
    let first = chooser.query_selector("li button").unwrap().unwrap();
    assert_eq!(
        gloo::utils::document().active_element(),
        Some(first.clone())
    );
    press(Some(&first), "Escape", false, false).await;
    assert!(app.q(".chooser").is_none());
    wait_for("focus on the article", || {
        gloo::utils::document().active_element().map(|e| e.id()) == Some("article".into())
    })
    .await;
}

#[wasm_bindgen_test]
async fn retag_note_delete_undo_redo_through_the_panel() {
    let app = mount(None).await;
    app.select_text("Delcy Rodríguez calls").await;
    app.button("Quote").click();
    yew::scheduler::flush().await;
    assert_eq!(app.all("article mark.hl-quote").len(), 1);

    // Retag to analysis.
    app.set_field("section.panel .items select", "analysis", "change")
        .await;
    assert_eq!(app.all("article mark.hl-analysis").len(), 1);
    assert!(app.q("article mark.hl-quote").is_none());

    // A note is plain text, never HTML.
    app.set_field(
        "section.panel .items textarea",
        "<img src=x onerror=alert(1)> check this",
        "change",
    )
    .await;
    assert!(app.q("section.panel img").is_none());

    app.button("Delete").click();
    yew::scheduler::flush().await;
    assert!(app.items().is_empty());
    assert!(app.q("article mark").is_none());

    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 1);
    let note: web_sys::HtmlTextAreaElement = app
        .q("section.panel .items textarea")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(note.value(), "<img src=x onerror=alert(1)> check this");

    // Keyboard undo/redo.
    press(None, "z", true, false).await; // undo the note
    press(None, "z", true, false).await; // undo the retag
    assert_eq!(app.all("article mark.hl-quote").len(), 1);
    press(None, "z", true, true).await; // redo retag
    assert_eq!(app.all("article mark.hl-analysis").len(), 1);
    press(None, "y", true, false).await; // redo note
    let note: web_sys::HtmlTextAreaElement = app
        .q("section.panel .items textarea")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert!(note.value().ends_with("check this"));
    // The live region says what happened.
    assert!(app.text("[aria-live]").starts_with("Redone"));
}

#[wasm_bindgen_test]
async fn filter_and_search_narrow_the_list() {
    let app = mount(None).await;
    app.select_text("Caracas to assess").await;
    press(None, "f", false, false).await;
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    assert_eq!(app.items().len(), 2);
    let counts = app.text("section.panel .summary");
    assert!(counts.contains("Fact") && counts.contains('1'));

    let filter = "section.panel select[aria-label='Filter by tag']";
    app.set_field(filter, "quote", "change").await;
    assert_eq!(app.items().len(), 1);
    assert!(app.items()[0]
        .text_content()
        .unwrap()
        .contains("oil leverage"));
    app.set_field(filter, "", "change").await;

    app.set_field("section.panel input[type=search]", "CARACAS", "input")
        .await;
    assert_eq!(app.items().len(), 1);
    assert!(app.items()[0]
        .text_content()
        .unwrap()
        .contains("Caracas to assess"));
}

#[wasm_bindgen_test]
async fn keyboard_only_word_cursor_creates_an_annotation() {
    let app = mount(None).await;
    let article = app.article();
    article
        .dyn_ref::<web_sys::HtmlElement>()
        .unwrap()
        .focus()
        .unwrap();
    let changed = crate::common::next_event(&gloo::utils::document(), "selectionchange");
    press(Some(&article), "ArrowRight", false, false).await;
    changed.await.unwrap();
    yew::scheduler::flush().await;
    assert_eq!(selected_text(), "U.S.");
    let changed = crate::common::next_event(&gloo::utils::document(), "selectionchange");
    press(Some(&article), "ArrowRight", false, true).await;
    changed.await.unwrap();
    yew::scheduler::flush().await;
    assert_eq!(selected_text(), "U.S. and");
    press(None, "q", false, false).await;
    assert_eq!(app.items().len(), 1);
    assert_eq!(app.text("section.panel .item-quote"), "U.S. and");
    assert_eq!(
        app.text("[aria-live]").trim(),
        "Quote annotation created: “U.S. and”"
    );
    // `?` opens the list of keys, Escape closes it.
    press(None, "?", false, false).await;
    assert!(app.q("[role=dialog][aria-modal=true]").is_some());
    press(None, "Escape", false, false).await;
    assert!(app.q("[role=dialog][aria-modal=true]").is_none());
    let _ = seed_article();
}

use wasm_bindgen::JsCast;

#[wasm_bindgen_test]
async fn painted_with_the_highlight_api_one_text_node_per_block() {
    let app = crate::common::mount_painted(None).await;
    app.select_text("explore reopening").await;
    press(None, "f", false, false).await;
    app.select_text("reopening embassies").await;
    press(None, "a", false, false).await;
    // No element is added to the article: highlights are registered ranges.
    assert!(app.q("article mark").is_none());
    assert!(app
        .all("article [data-b]")
        .iter()
        .all(|b| b.child_nodes().length() == 1));
    assert_eq!(
        crate::common::highlight_texts("cm-fact"),
        ["explore reopening"]
    );
    assert_eq!(
        crate::common::highlight_texts("cm-analysis"),
        ["reopening embassies"]
    );

    // Clicking inside the overlap (hit-tested by caret position) offers both.
    let li = app
        .all("article li")
        .into_iter()
        .find(|l| l.text_content().unwrap().contains("explore reopening"))
        .unwrap();
    li.scroll_into_view();
    let text = li.first_child().unwrap();
    let at = li.text_content().unwrap().find("reopening").unwrap() as u32 + 3;
    let range = gloo::utils::document().create_range().unwrap();
    range.set_start(&text, at).unwrap();
    range.set_end(&text, at + 1).unwrap();
    let rect = range.get_bounding_client_rect();
    let init = web_sys::MouseEventInit::new();
    init.set_client_x((rect.left() + rect.width() / 2.0) as i32);
    init.set_client_y((rect.top() + rect.height() / 2.0) as i32);
    init.set_bubbles(true);
    let click = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
    li.dispatch_event(&click).unwrap();
    yew::scheduler::flush().await;
    let chooser = app
        .q("[role=dialog][aria-label='Choose an annotation']")
        .expect("a chooser");
    let first = chooser.query_selector("li button").unwrap().unwrap();
    first.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(crate::common::highlight_texts("cm-selected").len(), 1);
    assert_eq!(app.all("section.panel li.is-selected").len(), 1);

    // Deleting and undoing repaints.
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert!(crate::common::highlight_texts("cm-analysis").is_empty());
    assert_eq!(
        crate::common::highlight_texts("cm-fact"),
        ["explore reopening"]
    );
}

/// What a reader (and `web::dom`) meets in the article: each element's tag,
/// class, block index and text, in document order; a block's offset (its own
/// `data-s` when painted, its first run's when drawn). Runs are left out.
fn article_outline(app: &crate::common::Mounted) -> Vec<String> {
    app.all("article *")
        .iter()
        .filter(|e| e.closest("[data-b]").unwrap().is_none() || e.has_attribute("data-b"))
        .map(|e| {
            let offset = e.get_attribute("data-s").or_else(|| {
                e.query_selector("[data-s]")
                    .unwrap()
                    .and_then(|r| r.get_attribute("data-s"))
            });
            format!(
                "{} {:?} b={:?} s={:?} {:?}",
                e.tag_name(),
                e.get_attribute("class"),
                e.get_attribute("data-b"),
                offset.filter(|_| e.has_attribute("data-b")),
                e.text_content().unwrap_or_default(),
            )
        })
        .collect()
}

#[wasm_bindgen_test]
async fn the_painted_article_reads_like_the_drawn_one() {
    use claimmark::core::{BlockKind, MetaField, MetaKind};
    // The seed (headline, byline, lists), and a text with no headline.
    let untitled = Article::from_blocks(
        "No headline",
        vec![MetaField {
            kind: MetaKind::Author,
            value: "Zoë".into(),
        }],
        None,
        vec![
            (BlockKind::Paragraph, "First 👩🏽‍🚀 paragraph.".into()),
            (BlockKind::ListItem, "one".into()),
            (BlockKind::ListItem, "two".into()),
            (BlockKind::Heading(3), "A heading".into()),
        ],
    );
    for article in [None, Some(untitled)] {
        let painted = crate::common::mount_painted(article.clone()).await;
        let got = article_outline(&painted);
        drop(painted);
        let drawn = mount(article).await;
        let want = article_outline(&drawn);
        drop(drawn);
        assert!(got.iter().any(|l| l.starts_with("H1 ")), "{got:#?}");
        assert!(got.iter().any(|l| l.starts_with("UL ")), "{got:#?}");
        assert!(got.iter().any(|l| l.contains("byline")), "{got:#?}");
        assert_eq!(got, want);
    }
}

#[wasm_bindgen_test]
async fn highlights_are_painted_near_the_viewport_and_follow_it() {
    use crate::common::{highlight_texts, local_storage, wait_for};
    use claimmark::core::{
        storage, Annotation, AnnotationId, BlockKind, Span, State, Tag, Timestamp,
    };
    let window = web_sys::window().unwrap();
    window.scroll_to_with_x_and_y(0.0, 0.0);
    // 600 paragraphs, two annotations each: more than are all painted.
    let parts = (0..600)
        .map(|i| {
            let text = format!("Paragraph {i} makes a claim worth checking against the record.");
            (BlockKind::Paragraph, text)
        })
        .collect();
    let article = Rc::new(Article::from_blocks("Long", vec![], None, parts));
    let mut annotations = Vec::new();
    for (i, block) in article.blocks.iter().enumerate() {
        let words: Vec<u32> = std::iter::once(0)
            .chain(
                article
                    .block_text(i)
                    .match_indices(' ')
                    .map(|(b, _)| b as u32 + 1),
            )
            .collect();
        for (k, (from, to, tag)) in [(0, 2, Tag::Fact), (3, 5, Tag::Analysis)]
            .into_iter()
            .enumerate()
        {
            let span = Span::new(
                block.span.start() + words[from],
                block.span.start() + words[to] - 1,
            );
            let id = AnnotationId::from_string(&format!("a-{i}-{k}"));
            annotations.push(Annotation::new(id, tag, &article, span, Timestamp(1)));
        }
    }
    local_storage().clear().unwrap();
    let (store, _) = claimmark::web::local_store::open();
    storage::save(
        &*store,
        &State::new(article.clone(), annotations),
        Timestamp(2),
        &[],
    )
    .unwrap();
    let app = crate::common::mount_stored().await;
    assert_eq!(app.text("article h1"), "Long");
    let facts = || highlight_texts("cm-fact");
    let has = |t: &str| facts().iter().any(|f| f == t);

    // Only annotations near the top of the page are painted…
    wait_for("the first facts painted", || has("Paragraph 0")).await;
    assert!(facts().len() < 200, "{} painted", facts().len());
    assert!(!has("Paragraph 599"));

    // …until the reader scrolls to the end: then the last ones are, the first not.
    let bottom = gloo::utils::document().body().unwrap().scroll_height() as f64;
    window.scroll_to_with_x_and_y(0.0, bottom);
    wait_for("the last facts painted after scrolling", || {
        has("Paragraph 599")
    })
    .await;
    assert!(!has("Paragraph 0"));

    // Printing paints every annotation, and goes back after.
    window
        .dispatch_event(&web_sys::Event::new("beforeprint").unwrap())
        .unwrap();
    assert_eq!(facts().len(), 600);
    assert_eq!(highlight_texts("cm-analysis").len(), 600);
    window
        .dispatch_event(&web_sys::Event::new("afterprint").unwrap())
        .unwrap();
    assert!(facts().len() < 200);

    // Choosing a far one in the panel selects it where it is, and the page
    // goes there and paints around it.
    let first = app
        .all("section.panel .item-select")
        .into_iter()
        .find(|b| b.text_content().unwrap().contains("Paragraph 0"))
        .expect("the first fact in the panel");
    first.dyn_ref::<web_sys::HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert_eq!(highlight_texts("cm-selected"), ["Paragraph 0"]);
    wait_for("the first fact painted after the jump", || {
        has("Paragraph 0")
    })
    .await;
    drop(app);
    local_storage().clear().unwrap();
    window.scroll_to_with_x_and_y(0.0, 0.0);
}

/// An article with links, a numbered list starting at 3 and a table row, as
/// a Markdown file reads.
fn linked_article() -> Article {
    claimmark::core::parse::parse_markdown(
        "# Linked 👩‍👩‍👧‍👦 Article\n\nThe [published *minutes*](https://port.example/minutes) say the cost was \
         [€40 million](https://port.example/budget?y=2026&q=1) in all.\n\n3. Dredging starts in May.\n4. The quay opens [later](http://quay.example/).\n\n\
         | Year | Cost |\n|---|---|\n| 2026 | €40m |\n",
        "linked",
        None,
    )
}

#[wasm_bindgen_test]
async fn links_and_numbered_lists_are_drawn_alike_and_select_exactly_in_both_renderers() {
    let article = linked_article();
    assert_eq!(article.links().len(), 3);
    let painted = crate::common::mount_painted(Some(article.clone())).await;
    let got = article_outline(&painted);
    let links = |app: &crate::common::Mounted| -> Vec<(String, String, String, String)> {
        app.all("article a")
            .iter()
            .map(|a| {
                (
                    a.text_content().unwrap(),
                    a.get_attribute("href").unwrap(),
                    a.get_attribute("rel").unwrap(),
                    a.get_attribute("target").unwrap(),
                )
            })
            .collect()
    };
    let painted_links = links(&painted);
    assert_eq!(
        painted_links
            .iter()
            .map(|l| (l.0.as_str(), l.1.as_str()))
            .collect::<Vec<_>>(),
        [
            ("published minutes", "https://port.example/minutes"),
            ("€40 million", "https://port.example/budget?y=2026&q=1"),
            ("later", "http://quay.example/"),
        ]
    );
    assert!(painted_links
        .iter()
        .all(|l| l.2 == "noopener noreferrer" && l.3 == "_blank"));
    let values: Vec<String> = painted
        .all("article ol li")
        .iter()
        .map(|li| li.get_attribute("value").unwrap_or_default())
        .collect();
    assert_eq!(values, ["3", "4"]);
    drop(painted);
    let drawn = mount(Some(article.clone())).await;
    assert_eq!(
        article_outline(&drawn),
        got,
        "both renderers draw the same article"
    );
    assert_eq!(links(&drawn), painted_links);
    drop(drawn);

    // A selection that starts inside a link and ends after another maps to
    // exactly those characters, painted or drawn.
    for painted in [true, false] {
        let app = if painted {
            crate::common::mount_painted(Some(article.clone())).await
        } else {
            mount(Some(article.clone())).await
        };
        app.select_text("minutes say the cost was €40 million in")
            .await;
        press(None, "f", false, false).await;
        let quote = app.text("section.panel .item-quote");
        assert_eq!(
            quote, "minutes say the cost was €40 million in",
            "painted: {painted}"
        );
        if painted {
            assert_eq!(
                crate::common::highlight_texts("cm-fact"),
                ["minutes say the cost was €40 million in"]
            );
        } else {
            let marked: String = app
                .all("article mark.hl-fact")
                .iter()
                .map(|m| m.text_content().unwrap())
                .collect();
            assert_eq!(marked, "minutes say the cost was €40 million in");
            // The highlight inside a link stays inside the link.
            assert!(app.q("article a mark.hl-fact").is_some());
        }
    }
}

#[wasm_bindgen_test]
async fn a_click_that_ends_a_selection_on_a_link_does_not_follow_it() {
    use std::cell::Cell;
    let app = crate::common::mount_painted(Some(linked_article())).await;
    let link = app.q("article a").unwrap();
    // Whether a click on the link would follow it: what the app decided by
    // the time the click reaches the window (the test then stops it anyway).
    let follows = |detail: i32| -> bool {
        let init = web_sys::MouseEventInit::new();
        init.set_bubbles(true);
        init.set_cancelable(true);
        init.set_detail(detail);
        let e = web_sys::MouseEvent::new_with_mouse_event_init_dict("click", &init).unwrap();
        let kept = Rc::new(Cell::new(false));
        let seen = kept.clone();
        let stop = gloo::events::EventListener::new(&gloo::utils::window(), "click", move |ev| {
            seen.set(ev.default_prevented());
            ev.prevent_default();
        });
        link.dispatch_event(&e).unwrap();
        drop(stop);
        !kept.get()
    };
    app.select_text("published minutes").await;
    assert!(
        !follows(1),
        "a mouse click that ends a selection follows the link"
    );
    assert!(
        follows(0),
        "Enter on a focused link (a click of detail 0) must follow it"
    );
    crate::common::js("getSelection().removeAllRanges()");
    assert!(follows(1), "a plain click must follow the link");
}
