//! Browser tests for opening articles: hostile HTML through the real file
//! input, pasting, the library, and carrying annotations to a new version.

use crate::common::{js, mount, press, sleep, wait_for, Mounted};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

const HOSTILE: &[u8] = include_bytes!("../fixtures/articles/hostile.html");
const SEED_V2: &[u8] = include_bytes!("../fixtures/articles/seed-v2.txt");
const BINARY: &[u8] = include_bytes!("../fixtures/articles/binary.txt");
const MARKDOWN: &[u8] = include_bytes!("../fixtures/articles/notes.md");
const NO_ARTICLE: &[u8] = include_bytes!("../fixtures/articles/no-article.html");
const TITLE_ONLY: &[u8] = include_bytes!("../fixtures/articles/title-only.html");

/// The text of each block of the article as rendered, in order.
fn blocks(app: &Mounted) -> Vec<String> {
    app.all("article [data-b]")
        .iter()
        .map(|b| b.text_content().unwrap_or_default())
        .collect()
}

fn global(name: &str) -> wasm_bindgen::JsValue {
    js_sys::Reflect::get(&js_sys::global(), &name.into()).unwrap()
}

#[wasm_bindgen_test]
async fn hostile_html_never_runs_and_the_article_is_what_a_reader_sees() {
    js("window.__pwned = undefined; performance.clearResourceTimings();");
    let app = mount(None).await;
    app.choose_file("Open article", "council.html", HOSTILE)
        .await;
    wait_for("the HTML article", || {
        app.text("article h1") == "Council Approves & Funds the Bridge"
    })
    .await;
    // Nothing to wait for: give any handler, timer or fetch that should
    // never run the chance to (a check that something does not happen).
    sleep(100).await;
    assert!(
        global("__pwned").is_undefined(),
        "a hostile handler ran: {:?}",
        global("__pwned")
    );
    let requests = js_sys::eval(
        "performance.getEntriesByType('resource').map(e => e.name).filter(n => n.includes('127.0.0.1:9')).length",
    )
    .unwrap();
    assert_eq!(
        requests.as_f64(),
        Some(0.0),
        "the hostile page made a request"
    );
    assert_eq!(
        blocks(&app),
        vec![
            "Council Approves & Funds the Bridge",
            "The council voted 7–2 on Tuesday to fund the ‘Riverside’ bridge, costing €12\u{a0}million.",
            "Critics said the cost",
            "was too high.",
            "“We build for fifty years,” said the mayor.",
            "Vote: 7 for, 2 against",
            "Cost: €12m",
            "Year",
            "2027",
            "More",
            "Work starts in spring.",
        ]
    );
    let text = app.article().text_content().unwrap();
    for never in [
        "STYLE TEXT",
        "IFRAME",
        "OBJECT",
        "FORM",
        "TEMPLATE",
        "NOSCRIPT",
        "SVG",
        "HIDDEN",
        "INVISIBLE",
        "WRITTEN",
        "chrome",
        "Subscribe",
    ] {
        assert!(!text.contains(never), "{never:?} became article text");
    }
    for tag in [
        "img", "iframe", "script", "object", "embed", "form", "svg", "a", "style",
    ] {
        assert!(
            app.q(&format!("article {tag}")).is_none(),
            "a <{tag}> was rendered"
        );
    }
}

#[wasm_bindgen_test]
async fn pages_without_an_article_or_a_heading_read_only_their_visible_text() {
    js("window.__pwned = undefined;");
    let app = mount(None).await;
    app.choose_file("Open article", "ferry.html", NO_ARTICLE)
        .await;
    wait_for("the page without <article>", || {
        app.text("article h1") == "Ferry Service Returns"
    })
    .await;
    assert_eq!(
        blocks(&app),
        vec![
            "Ferry Service Returns",
            "The ferry to the island runs again from Monday.",
            "Tickets cost the same as last year.",
            "Crossings take forty minutes.",
        ]
    );
    let app2 = mount(None).await;
    app2.choose_file("Open article", "market.html", TITLE_ONLY)
        .await;
    wait_for("the page with a <title> only", || {
        app2.text("article h1") == "Night Market Opens in the Old Square"
    })
    .await;
    assert_eq!(
        blocks(&app2),
        vec![
            "Night Market Opens in the Old Square",
            "Stalls open at six every Friday.",
            "Music until midnight.",
        ]
    );
    for text in [
        app.article().text_content().unwrap(),
        app2.article().text_content().unwrap(),
    ] {
        for never in [
            "SCRIPT",
            "STYLE",
            "ARIA HIDDEN",
            "NOSCRIPT",
            "HIDDEN SPAN",
            "CHROME",
            "TEMPLATE",
            "pwned",
        ] {
            assert!(!text.contains(never), "{never} in {text:?}");
        }
    }
    assert!(global("__pwned").is_undefined());
}

#[wasm_bindgen_test]
async fn markdown_and_pasted_text_open_and_the_library_switches_between_articles() {
    let app = mount(None).await;
    app.choose_file("Open article", "notes.md", MARKDOWN).await;
    wait_for("the Markdown article", || {
        app.text("article h1") == "Reading Markdown Articles"
    })
    .await;
    assert_eq!(app.all("article li").len(), 3);
    assert_eq!(app.all("article blockquote").len(), 1);

    app.button("Paste article").click();
    yew::scheduler::flush().await;
    let area: web_sys::HtmlTextAreaElement = app.q("#paste-text").unwrap().dyn_into().unwrap();
    assert_eq!(
        gloo::utils::document().active_element().as_ref(),
        Some(area.as_ref()),
        "focus moves into the dialog"
    );
    let label = app
        .q("label[for=paste-text]")
        .unwrap()
        .text_content()
        .unwrap();
    assert_eq!(label, "Article text");
    // Tab stays inside the dialog: from its last control to its first, and back.
    let cancel = app.button("Cancel");
    let _ = cancel.focus();
    press(Some(&cancel), "Tab", false, false).await;
    assert_eq!(
        gloo::utils::document().active_element().as_ref(),
        Some(area.as_ref())
    );
    press(Some(&area), "Tab", false, true).await;
    assert_eq!(
        gloo::utils::document().active_element().as_ref(),
        Some(cancel.as_ref())
    );
    area.set_value("My Own Headline\n\nA first paragraph of my own article.\nAnd a second one, on its own line.");
    // Nothing chosen under "New version of" (the library lists the Markdown article).
    let sel: web_sys::HtmlSelectElement = app.q("#paste-version").unwrap().dyn_into().unwrap();
    assert_eq!(sel.value(), "", "{}", sel.outer_html());
    app.button("Open").click();
    yew::scheduler::flush().await;
    assert_eq!(app.text("article h1"), "My Own Headline");
    assert!(app.q(".paste-dialog").is_none());
    app.select_text("first paragraph").await;
    // The key, not the button: the global key listener must see the new article.
    press(None, "a", false, false).await;
    assert_eq!(app.text(".items .item-quote"), "first paragraph");
    assert_eq!(app.items().len(), 1);

    // The library lists what is stored, and opens the seed and back again.
    let lib: web_sys::HtmlDetailsElement = app.q("details.library").unwrap().dyn_into().unwrap();
    lib.set_open(true);
    lib.dispatch_event(&web_sys::Event::new("toggle").unwrap())
        .unwrap();
    wait_for("the library to open", || {
        app.q("details.library .lib-list").is_some()
    })
    .await;
    let rows = app.text("details.library .lib-list");
    assert!(rows.contains("My Own Headline (open)"), "{rows}");
    assert!(rows.contains("1 analysis"), "{rows}");
    assert!(rows.contains("Reading Markdown Articles"), "{rows}");
    app.button("Open U.S. and Venezuela").click();
    yew::scheduler::flush().await;
    assert_eq!(
        app.text("article h1"),
        "U.S. and Venezuela Begin Restoring Diplomatic Ties"
    );
    assert!(app.items().is_empty());
    wait_for("the library row", || {
        app.text("details.library .lib-list")
            .contains("My Own Headline")
    })
    .await;
    app.button("Open My Own Headline").click();
    yew::scheduler::flush().await;
    assert_eq!(app.text("article h1"), "My Own Headline");
    assert_eq!(app.items().len(), 1, "its annotation came back with it");

    // Rename keeps the headline; delete is undoable.
    app.button("Rename Reading Markdown Articles").click();
    yew::scheduler::flush().await;
    app.set_field(
        "input[aria-label=\"New name for Reading Markdown Articles\"]",
        "Markdown notes",
        "change",
    )
    .await;
    app.button("Save name").click();
    yew::scheduler::flush().await;
    assert!(app
        .text("details.library .lib-list")
        .contains("Markdown notes"));
    app.button("Delete Markdown notes").click();
    yew::scheduler::flush().await;
    assert!(!app
        .text("details.library .lib-list")
        .contains("Markdown notes"));
    app.button("Undo delete").click();
    yew::scheduler::flush().await;
    assert!(app
        .text("details.library .lib-list")
        .contains("Markdown notes"));
}

#[wasm_bindgen_test]
async fn a_new_version_carries_annotations_over_with_a_report() {
    let app = mount(None).await;
    app.select_text("A U.S. delegation traveled").await;
    app.button("Fact").click();
    yew::scheduler::flush().await;
    app.select_text("recognized opposition leader Juan Guaidó")
        .await;
    app.button("Quote").click();
    yew::scheduler::flush().await;

    app.choose_file("Open article", "venezuela-updated.txt", SEED_V2)
        .await;
    wait_for("the version question", || {
        app.text("#version-title") == "A new version?"
    })
    .await;
    app.button("New version: carry the annotations over")
        .click();
    // Shown, and what the live region says once settled (not the shorter
    // words of the import that carried them).
    wait_for("the report said", || {
        app.q("[aria-live]")
            .and_then(|r| r.text_content())
            .is_some_and(|t| t.contains("0 stayed, 1 moved, 1 not found"))
    })
    .await;
    let report = app.text(".notices-info");
    assert!(
        report.contains("0 stayed, 1 moved, 1 not found"),
        "{report}"
    );
    assert!(report.contains("Juan Guaidó"), "{report}");
    assert!(app
        .article()
        .text_content()
        .unwrap()
        .contains("Editor's note"));
    assert_eq!(app.items().len(), 2);
    let marks: Vec<String> = app
        .all("article mark[data-ids]")
        .iter()
        .map(|m| m.text_content().unwrap())
        .collect();
    assert_eq!(marks, vec!["A U.S. team traveled"]);
    assert!(app.text("section.panel").contains("Not found in the text"));
}

#[wasm_bindgen_test]
async fn a_binary_file_is_refused_and_the_open_article_stays() {
    let app = mount(None).await;
    app.choose_file("Open article", "photo.txt", BINARY).await;
    wait_for("an alert", || app.alerts().contains("not text")).await;
    assert_eq!(
        app.text("article h1"),
        "U.S. and Venezuela Begin Restoring Diplomatic Ties"
    );
}
