//! Browser tests for import, export and the fact-checking fields: real
//! files through the real file inputs, in headless Chromium.

use crate::common::{local_storage, mount, mount_stored, wait_for};
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::Article;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const UNICODE: &str = include_str!("../fixtures/unicode-crlf.txt");
const COLLECTION: &[u8] = include_bytes!("../fixtures/import/w3c-collection-utf16.jsonld");
const PAGE: &[u8] = include_bytes!("../fixtures/import/w3c-page.jsonld");
const TRUNCATED: &[u8] = include_bytes!("../fixtures/import/bad/truncated.json");
const BINARY: &[u8] = include_bytes!("../fixtures/import/bad/binary.json");

fn unicode_article() -> Article {
    parse_plain_text(UNICODE, None)
}

fn dialog_open(app: &crate::common::Mounted) -> bool {
    app.q(".import-dialog").is_some()
}

#[wasm_bindgen_test]
async fn importing_another_annotators_collection_maps_its_tag_and_undoes_in_one_step() {
    let app = mount(Some(unicode_article())).await;
    app.choose_file("Import annotations", "cafe.jsonld", COLLECTION)
        .await;
    wait_for("the import dialog", || dialog_open(&app)).await;
    let summary = app.text("#import-summary");
    assert!(summary.starts_with("2 to import"), "{summary}");
    assert!(summary.contains("1 skipped"), "{summary}");
    assert!(app.items().is_empty(), "nothing changes before confirming");

    app.set_field(
        ".import-dialog select[aria-label=\"Map tag “claim”\"]",
        "analysis",
        "change",
    )
    .await;
    assert!(app.text("#import-summary").starts_with("3 to import"));
    app.button("Import 3").click();
    yew::scheduler::flush().await;
    assert!(!dialog_open(&app));
    assert_eq!(app.items().len(), 3);
    let marks: Vec<String> = app
        .all("article mark[data-ids]")
        .iter()
        .map(|m| m.text_content().unwrap())
        .collect();
    assert!(marks.contains(&"Caracas".to_string()), "{marks:?}");
    assert!(marks.concat().contains("مرحبا"), "{marks:?}");
    assert!(marks.concat().contains("𝒜"), "{marks:?}");

    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert!(app.items().is_empty(), "one undo removes the whole import");
    app.button("Redo").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 3);
}

#[wasm_bindgen_test]
async fn a_bad_file_says_what_is_wrong_and_changes_nothing() {
    let app = mount(Some(unicode_article())).await;
    app.select_text("Caracas").await;
    app.button("Fact").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 1);

    app.choose_file("Import annotations", "broken.json", TRUNCATED)
        .await;
    wait_for("an alert", || app.alerts().contains("not valid JSON")).await;
    assert!(app.alerts().contains("line 1, column"), "{}", app.alerts());
    assert!(app.alerts().contains("unchanged"), "{}", app.alerts());
    assert!(!dialog_open(&app));
    assert_eq!(app.items().len(), 1);

    app.choose_file("Import annotations", "a.out.json", BINARY)
        .await;
    wait_for("an alert", || app.alerts().contains("not text")).await;
    assert_eq!(app.items().len(), 1);
}

#[wasm_bindgen_test]
async fn an_orphan_stays_listed_unpainted_and_is_reattached_by_selecting() {
    let app = mount(Some(unicode_article())).await;
    app.choose_file("Import annotations", "page.jsonld", PAGE)
        .await;
    wait_for("the import dialog", || dialog_open(&app)).await;
    assert!(app.text("#import-summary").contains("1 orphan"));
    app.button("Import 2").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 2);
    let orphan = app
        .items()
        .into_iter()
        .find(|i| i.text_content().unwrap().contains("Not found in the text"))
        .expect("the orphan is listed, with words saying so");
    assert!(orphan
        .text_content()
        .unwrap()
        .contains("a sentence that appears nowhere in it"));
    assert_eq!(
        app.all("article mark[data-ids]").len(),
        1,
        "orphans are not painted"
    );

    app.select_text("Caracas").await;
    app.button("Re-attach to selection").click();
    yew::scheduler::flush().await;
    assert!(app
        .items()
        .iter()
        .all(|i| !i.text_content().unwrap().contains("Not found in the text")));
    let marks: Vec<String> = app
        .all("article mark[data-ids]")
        .iter()
        .map(|m| m.text_content().unwrap())
        .collect();
    assert!(marks.contains(&"Caracas".to_string()), "{marks:?}");
}

#[wasm_bindgen_test]
async fn fact_checkers_set_verdict_explanation_and_sources_and_filter_on_them() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("Delcy Rodríguez calls").await;
    app.button("Fact").click();
    yew::scheduler::flush().await;
    let item = ".items > li";
    app.set_field(
        &format!("{item} .factcheck select"),
        "mostly-false",
        "change",
    )
    .await;
    assert_eq!(app.text(&format!("{item} .verdict-badge")), "Mostly false");
    // A new fact shows the verdict; the longer fields are one press away,
    // and that press puts the cursor in the first of them.
    assert!(app.q(&format!("{item} .explanation")).is_none());
    app.button("Add explanation, sources, claim").click();
    yew::scheduler::flush().await;
    let focused = gloo::utils::document().active_element().unwrap();
    assert!(
        focused.class_list().contains("explanation"),
        "{}",
        focused.outer_html()
    );
    app.set_field(
        &format!("{item} .explanation"),
        "  She said it was illegal. ",
        "change",
    )
    .await;
    // Leaving the field shows what was saved.
    app.q(&format!("{item} .explanation"))
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .blur()
        .unwrap();
    wait_for("the saved explanation", || {
        app.q(&format!("{item} .explanation"))
            .and_then(|e| e.dyn_into::<web_sys::HtmlTextAreaElement>().ok())
            .is_some_and(|t| t.value() == "She said it was illegal.")
    })
    .await;

    let stored = || {
        let s = local_storage();
        (0..s.length().unwrap())
            .filter_map(|i| s.key(i).unwrap())
            .filter(|k| k.contains(":ann:"))
            .map(|k| s.get_item(&k).unwrap().unwrap())
            .collect::<String>()
    };
    assert!(stored().contains("She said it was illegal."));
    let before = stored();
    app.set_field(
        &format!("{item} textarea.sources"),
        "javascript:alert(1)",
        "change",
    )
    .await;
    assert!(app.alerts().contains("not a web link"), "{}", app.alerts());
    // Refused means nothing saved: not in storage, not an undoable step.
    assert_eq!(stored(), before);
    assert!(!stored().contains("javascript"));
    assert_ne!(app.text("[role=status]"), "Sources set (1)");
    app.set_field(
        &format!("{item} textarea.sources"),
        "https://example.org/report\n\nhttp://example.net/a?b=1",
        "change",
    )
    .await;
    assert!(!app.alerts().contains("not a web link"));

    // Undo the sources: the explanation stays; undo again: it goes.
    app.button("Undo").click();
    yew::scheduler::flush().await;
    let expl: web_sys::HtmlTextAreaElement = app
        .q(&format!("{item} .explanation"))
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(expl.value(), "She said it was illegal.");
    app.button("Redo").click();
    yew::scheduler::flush().await;
    let src: web_sys::HtmlTextAreaElement = app
        .q(&format!("{item} textarea.sources"))
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(
        src.value(),
        "https://example.org/report\nhttp://example.net/a?b=1"
    );

    app.set_field(
        "select[aria-label=\"Filter by verdict\"]",
        "false",
        "change",
    )
    .await;
    assert!(app.items().is_empty());
    app.set_field(
        "select[aria-label=\"Filter by verdict\"]",
        "mostly-false",
        "change",
    )
    .await;
    assert_eq!(app.items().len(), 1);
    app.set_field("select[aria-label=\"Filter by verdict\"]", "none", "change")
        .await;
    assert!(app.items().is_empty());
    drop(app);
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_large_import_lists_a_page_of_items_and_shows_more_on_request() {
    use crate::workload;
    use claimmark::core::{formats, Timestamp};
    let article = workload::article(20_000, 5);
    let anns = workload::annotations(&article, 120, 5);
    let n = anns.len();
    let file = formats::claimmark::write(&article, &anns, Timestamp(1));
    let app = mount(Some(article)).await;
    app.choose_file("Import annotations", "many.claimmark.json", file.as_bytes())
        .await;
    wait_for("the import dialog", || dialog_open(&app)).await;
    app.button(&format!("Import {n}")).click();
    yew::scheduler::flush().await;
    // One page in the DOM, the rest on request; the counts cover all.
    assert_eq!(app.items().len(), 40);
    let counts: usize = app
        .all(".count-n")
        .iter()
        .map(|c| c.text_content().unwrap().parse::<usize>().unwrap())
        .sum();
    assert_eq!(counts, n);
    assert!(app.text(".more").contains(&format!("Showing 40 of {n}")));
    app.button("Show 40 more").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 80);
}

#[wasm_bindgen_test]
async fn importing_a_file_again_opens_the_dialog_with_focus_inside_and_a_second_file_gets_its_own()
{
    use crate::workload;
    use claimmark::core::{formats, Timestamp};
    let article = workload::article(5_000, 7);
    let anns = workload::annotations(&article, 3, 7);
    let file = formats::claimmark::write(&article, &anns, Timestamp(1));
    let app = mount(Some(article)).await;
    app.choose_file(
        "Import annotations",
        "three.claimmark.json",
        file.as_bytes(),
    )
    .await;
    wait_for("the import dialog", || dialog_open(&app)).await;
    app.button("Import 3").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 3);

    // The same file again: nothing to import, so the default button is
    // disabled; focus still goes into the dialog, not behind it.
    app.choose_file(
        "Import annotations",
        "three.claimmark.json",
        file.as_bytes(),
    )
    .await;
    wait_for("the import dialog", || dialog_open(&app)).await;
    assert!(app.text("#import-summary").starts_with("0 to import"));
    let focused = gloo::utils::document().active_element().unwrap();
    assert!(
        focused.closest("[role=dialog]").unwrap().is_some(),
        "focus is behind the dialog: {}",
        focused.outer_html()
    );

    // A different file dropped while it is open: its own summary.
    let other = workload::article(5_000, 8);
    let file2 =
        formats::claimmark::write(&other, &workload::annotations(&other, 2, 8), Timestamp(1));
    app.choose_file(
        "Import annotations",
        "other.claimmark.json",
        file2.as_bytes(),
    )
    .await;
    wait_for("the second file's summary", || {
        app.q(".import-dialog").is_some() && !app.text("#import-summary").starts_with("0 to import")
    })
    .await;
}
