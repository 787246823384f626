//! Browser tests of what a person meets in the interface: every change
//! announced, keys that never fire in fields or dialogs, the library's
//! rename, the sources field, the Export menu, new versions. Run alone:
//! `cargo test --target wasm32-unknown-unknown --test browser -- ui::`.

use crate::common::{local_storage, mount, mount_stored, press, sleep, wait_for};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

/// What the live region says now, and its node (replaced for every message).
fn live(app: &crate::common::Mounted) -> (String, Option<Element>) {
    let region = app.q("[aria-live]").expect("a live region");
    (
        region.text_content().unwrap_or_default().trim().to_string(),
        region.first_element_child(),
    )
}

fn active() -> Option<Element> {
    gloo::utils::document().active_element()
}

/// Press `key` on `target` (bubbling, as a person's key press does).
async fn key_on(target: &Element, key: &str) {
    press(Some(target), key, false, false).await;
}

#[wasm_bindgen_test]
async fn every_change_is_announced_also_after_a_status_message_and_when_words_repeat() {
    let app = mount(None).await;
    app.select_text("Nicolás Maduro and flew").await;
    press(None, "f", false, false).await;
    assert_eq!(
        live(&app).0,
        "Fact annotation created: “Nicolás Maduro and flew”"
    );

    // A status message (a download), then changes: each is said.
    app.button("Export").click();
    yew::scheduler::flush().await;
    app.button("Download CSV").click();
    yew::scheduler::flush().await;
    assert_eq!(live(&app).0, "Downloaded 1 annotation as CSV");
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(
        live(&app).0,
        "Undone: Fact annotation created: “Nicolás Maduro and flew”"
    );
    app.button("Redo").click();
    yew::scheduler::flush().await;
    assert_eq!(
        live(&app).0,
        "Redone: Fact annotation created: “Nicolás Maduro and flew”"
    );
    let item = "section.panel .items > li";
    app.set_field(&format!("{item} .factcheck select"), "false", "change")
        .await;
    assert_eq!(live(&app).0, "Verdict set to False");
    // The same words twice are said twice: the region's text node is new.
    app.set_field(&format!("{item} textarea.note"), "first", "change")
        .await;
    let (said, node) = live(&app);
    assert_eq!(said, "Note changed");
    app.set_field(&format!("{item} textarea.note"), "second", "change")
        .await;
    let (said_again, node_again) = live(&app);
    assert_eq!(said_again, "Note changed");
    assert_ne!(
        node, node_again,
        "the repeat must replace the announced node"
    );
    app.button("Delete").click();
    yew::scheduler::flush().await;
    assert_eq!(
        live(&app).0,
        "Fact annotation deleted: “Nicolás Maduro and flew”"
    );
}

#[wasm_bindgen_test]
async fn no_shortcut_acts_in_a_text_field_a_select_or_a_dialog() {
    let app = mount(None).await;
    app.select_text("Nicolás Maduro and flew").await;
    let search = app.q("input[type=search]").unwrap();
    search.dyn_ref::<HtmlElement>().unwrap().focus().unwrap();
    // The selection is still there; typing in the search box is typing.
    for k in ["f", "3", "q"] {
        key_on(&search, k).await;
    }
    let filter = app.q("select[aria-label=\"Filter by tag\"]").unwrap();
    key_on(&filter, "a").await;
    assert!(
        app.items().is_empty(),
        "a key in a field created an annotation"
    );

    // A dialog has the keyboard: neither tagging nor undo reach the article.
    press(None, "?", false, false).await;
    let dialog = app.q("[role=dialog][aria-modal=true]").expect("help open");
    // Focus on its heading: the list is taller than a small window, and
    // it is read from the top.
    let heading = dialog.query_selector("#help-title").unwrap().unwrap();
    assert_eq!(
        active().as_ref(),
        Some(&heading),
        "focus moves into the dialog"
    );
    app.select_text("Nicolás Maduro and flew").await;
    key_on(&heading, "f").await;
    press(None, "f", false, false).await;
    assert!(
        app.items().is_empty(),
        "a key behind a dialog created an annotation"
    );
    key_on(&heading, "Escape").await;
    assert!(app.q("[role=dialog][aria-modal=true]").is_none());
}

#[wasm_bindgen_test]
async fn one_bad_source_line_keeps_what_was_typed_marks_it_and_saves_nothing() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("Delcy Rodríguez calls").await;
    app.button("Fact").click();
    yew::scheduler::flush().await;
    app.button("Add explanation, sources, claim").click();
    yew::scheduler::flush().await;
    let field = "section.panel .items > li textarea.sources";
    let typed = "https://example.org/a\nftp://example.org/b\nhttps://example.org/c";
    app.set_field(field, typed, "change").await;
    let area: web_sys::HtmlTextAreaElement = app.q(field).unwrap().dyn_into().unwrap();
    assert_eq!(area.value(), typed, "what was typed stays on screen");
    assert_eq!(area.get_attribute("aria-invalid").as_deref(), Some("true"));
    let alerts = app.alerts();
    assert!(alerts.contains("line 2"), "{alerts}");
    assert!(!alerts.contains("line 1:"), "{alerts}");
    let stored = (0..local_storage().length().unwrap())
        .filter_map(|i| local_storage().key(i).unwrap())
        .filter(|k| k.starts_with("claimmark:"))
        .filter_map(|k| local_storage().get_item(&k).unwrap())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(stored.contains("Delcy"), "the annotation itself was saved");
    assert!(
        !stored.contains("example.org"),
        "no source was saved: {stored}"
    );

    // Fixed: saved, and the mark goes.
    let fixed = "https://example.org/a\nhttps://example.org/c";
    app.set_field(field, fixed, "change").await;
    let area: web_sys::HtmlTextAreaElement = app.q(field).unwrap().dyn_into().unwrap();
    assert_eq!(area.value(), fixed);
    assert!(area.get_attribute("aria-invalid").is_none());
    assert_eq!(live(&app).0, "Sources changed: 2 links");
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_export_menu_closes_on_escape_and_outside_and_says_what_the_file_holds() {
    let app = mount(None).await;
    for (text, tag) in [
        ("Nicolás Maduro and flew", "f"),
        ("Delcy Rodríguez calls", "f"),
        ("Caracas to assess", "q"),
    ] {
        app.select_text(text).await;
        press(None, tag, false, false).await;
    }
    let item = "section.panel .items > li.item-tag-fact";
    app.set_field(&format!("{item} .factcheck select"), "true", "change")
        .await;

    let toggle = app.button("Export");
    toggle.click();
    yew::scheduler::flush().await;
    let menu = app.q("[role=group][aria-label=Export]").expect("menu open");
    assert_ne!(
        active().as_ref(),
        Some(toggle.unchecked_ref::<Element>()),
        "focus moves into the menu"
    );
    let download = menu.query_selector("button").unwrap().unwrap();
    key_on(&download, "Escape").await;
    assert!(app.q("[role=group][aria-label=Export]").is_none());
    assert_eq!(active().as_ref(), Some(toggle.unchecked_ref::<Element>()));

    toggle.click();
    yew::scheduler::flush().await;
    assert!(app.q("[role=group][aria-label=Export]").is_some());
    // A name typed, then a press outside: the name is kept, not lost with
    // the field.
    app.set_field(".export-menu .author input", "Ana Lee", "input")
        .await;
    js_sys::Function::new_with_args(
        "el",
        "el.dispatchEvent(new PointerEvent('pointerdown', { bubbles: true }))",
    )
    .call1(&wasm_bindgen::JsValue::NULL, &app.article())
    .unwrap();
    yew::scheduler::flush().await;
    assert!(
        app.q("[role=group][aria-label=Export]").is_none(),
        "a press outside closes the menu"
    );

    toggle.click();
    yew::scheduler::flush().await;
    let name: web_sys::HtmlInputElement = app
        .q(".export-menu .author input")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(name.value(), "Ana Lee");
    app.button("Download ClaimReview").click();
    yew::scheduler::flush().await;
    // Two facts, one with a verdict: the file holds one review.
    assert_eq!(live(&app).0, "Downloaded 1 annotation as ClaimReview");
}

#[wasm_bindgen_test]
async fn renaming_in_the_library_takes_the_keyboard_and_is_announced() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("Caracas to assess").await;
    press(None, "q", false, false).await;
    // A second stored article, to delete.
    app.button("Paste article").click();
    yew::scheduler::flush().await;
    app.set_field(
        "#paste-text",
        "Second Headline\n\nSome other text here.",
        "input",
    )
    .await;
    app.button("Open").click();
    yew::scheduler::flush().await;
    assert_eq!(app.text("article h1"), "Second Headline");

    let lib: web_sys::HtmlDetailsElement = app.q("details.library").unwrap().dyn_into().unwrap();
    lib.set_open(true);
    lib.dispatch_event(&web_sys::Event::new("toggle").unwrap())
        .unwrap();
    wait_for("the library to open", || app.q(".lib-list").is_some()).await;
    let seed_name = "U.S. and Venezuela Begin Restoring Diplomatic Ties";
    app.button(&format!("Rename {seed_name}")).click();
    yew::scheduler::flush().await;
    let input = app
        .q(&format!("input[aria-label=\"New name for {seed_name}\"]"))
        .unwrap();
    assert_eq!(
        active().as_ref(),
        Some(&input),
        "focus moves into the name field"
    );
    // Typing a digit with a selection in the article is typing, not tagging.
    app.select_text("Some other text").await;
    key_on(&input, "3").await;
    assert!(app.items().is_empty(), "a typed 3 created an annotation");
    // Escape cancels (and says so); focus returns to Rename.
    key_on(&input, "Escape").await;
    assert_eq!(live(&app).0, "Rename cancelled");
    assert!(app.q(".rename input").is_none());
    assert!(
        lib.open(),
        "Escape in the field closes the field, not the library"
    );
    let rename = app.button(&format!("Rename {seed_name}"));
    assert_eq!(active().as_ref(), Some(rename.unchecked_ref::<Element>()));
    // Enter saves.
    rename.click();
    yew::scheduler::flush().await;
    let input = app.q(".rename input").unwrap();
    js_sys::Reflect::set(&input, &"value".into(), &"Venezuela reading".into()).unwrap();
    key_on(&input, "Enter").await;
    assert_eq!(
        live(&app).0,
        format!("Renamed “{seed_name}” to “Venezuela reading”")
    );
    assert!(app.text(".lib-list").contains("Venezuela reading"));
    // Deleting an article is said too.
    let delete = app.button("Delete Venezuela reading");
    delete.focus().unwrap();
    delete.click();
    yew::scheduler::flush().await;
    assert!(
        live(&app).0.starts_with("Deleted “Venezuela reading”"),
        "{}",
        live(&app).0
    );
    // The Delete button went with its entry: focus is on "Undo delete",
    // not dropped to the page.
    let undo = app.button("Undo delete");
    assert_eq!(active().as_ref(), Some(undo.unchecked_ref::<Element>()));
    // Undo delete brings it back, and focus to its entry.
    undo.click();
    yew::scheduler::flush().await;
    assert_eq!(live(&app).0, "Brought back “Venezuela reading”");
    let rename = app.button("Rename Venezuela reading");
    assert_eq!(active().as_ref(), Some(rename.unchecked_ref::<Element>()));
    // Opening it from the library takes focus to the article, to read.
    let open = app.button("Open Venezuela reading");
    open.focus().unwrap();
    open.click();
    yew::scheduler::flush().await;
    assert_eq!(
        app.text("article h1"),
        "U.S. and Venezuela Begin Restoring Diplomatic Ties"
    );
    assert_eq!(active().map(|e| e.id()), Some("article".to_string()));
    // Escape in the library closes it and gives focus to its toggle.
    let delete = app.button("Delete Second Headline");
    delete.click();
    yew::scheduler::flush().await;
    let undo = app.button("Undo delete");
    undo.focus().unwrap();
    key_on(undo.unchecked_ref(), "Escape").await;
    assert!(!lib.open());
    assert_eq!(active().map(|e| e.tag_name()), Some("SUMMARY".to_string()));
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn an_unrelated_pasted_article_is_never_offered_as_a_new_version() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    let paste = |html: &'static str, version: Option<&'static str>| {
        let app = &app;
        async move {
            app.button("Paste article").click();
            yew::scheduler::flush().await;
            let select = app.q("#paste-version");
            if let Some(s) = &select {
                let s: &web_sys::HtmlSelectElement = s.dyn_ref().unwrap();
                assert_eq!(s.value(), "", "the default is a new article");
            }
            app.set_field("#paste-text", html, "input").await;
            if let Some(label) = version {
                let s: web_sys::HtmlSelectElement = select.unwrap().dyn_into().unwrap();
                let opts = s.query_selector_all("option").unwrap();
                let pick = (0..opts.length())
                    .filter_map(|i| opts.item(i))
                    .find(|o| o.text_content().unwrap_or_default().contains(label))
                    .unwrap();
                let pick: Element = pick.dyn_into().unwrap();
                s.set_value(&pick.get_attribute("value").unwrap());
            }
            app.button("Open").click();
            yew::scheduler::flush().await;
        }
    };
    // Two HTML pastes with no title: both are called "Pasted article".
    paste(
        "<p>Alpha beta gamma delta epsilon zeta eta theta.</p>",
        None,
    )
    .await;
    app.select_text("beta gamma").await;
    press(None, "f", false, false).await;
    assert_eq!(app.items().len(), 1);
    paste(
        "<p>Completely different words about rivers and mountains.</p>",
        None,
    )
    .await;
    assert!(
        app.q("[role=dialog][aria-modal=true]").is_none(),
        "same headline, unrelated text: no new-version question"
    );
    assert!(
        app.items().is_empty(),
        "nothing carried into the unrelated text"
    );

    // Named by the person: asked, with the safe answer focused.
    paste(
        "<p>Yet another unrelated text on cooking.</p>",
        Some("Pasted article"),
    )
    .await;
    let dialog = app.q("[role=dialog][aria-modal=true]").expect("asked");
    assert!(dialog
        .text_content()
        .unwrap()
        .contains("share little wording"));
    let focused = active().unwrap();
    assert_eq!(
        focused.text_content().unwrap(),
        "Open it as a separate article"
    );
    focused.dyn_ref::<HtmlElement>().unwrap().click();
    yew::scheduler::flush().await;
    assert!(app.items().is_empty());
    assert!(
        app.text("article").contains("cooking"),
        "the new text opened"
    );
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_annotation_just_made_can_be_edited_in_the_sheet() {
    let app = mount(None).await;
    app.select_text("Caracas to assess").await;
    press(None, "f", false, false).await;
    let sheet = app
        .q("section.sheet")
        .expect("the current annotation's sheet");
    assert!(sheet.text_content().unwrap().contains("Caracas to assess"));
    app.set_field(
        "section.sheet textarea.note",
        "checked on the map",
        "change",
    )
    .await;
    app.set_field("section.sheet .factcheck select", "mostly-true", "change")
        .await;
    let note: web_sys::HtmlTextAreaElement = app
        .q("section.panel .items textarea.note")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(note.value(), "checked on the map");
    assert_eq!(app.text("section.panel .verdict-badge"), "Mostly true");
    let close = app.button("Close");
    close.focus().unwrap();
    close.click();
    yew::scheduler::flush().await;
    assert!(app.q("section.sheet").is_none());
    // Its Close button went with it: focus is back on the article.
    wait_for("focus on the article", || {
        active().map(|e| e.id()) == Some("article".to_string())
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_facts_fields_stay_while_the_last_filled_one_is_cleared() {
    local_storage().clear().unwrap();
    let item = "section.panel .items > li";
    {
        let app = mount_stored().await;
        app.select_text("Delcy Rodríguez calls").await;
        app.button("Fact").click();
        yew::scheduler::flush().await;
        app.button("Add explanation, sources, claim").click();
        yew::scheduler::flush().await;
        app.set_field(&format!("{item} .explanation"), "Checked.", "change")
            .await;
    }
    // Opened again: the fields show because one is filled in. Clearing it
    // keeps them (and whatever has focus in them) where they are.
    let app = mount_stored().await;
    assert!(app.q(&format!("{item} .explanation")).is_some());
    app.set_field(&format!("{item} .explanation"), "", "change")
        .await;
    assert!(app.q(&format!("{item} .explanation")).is_some());
    assert!(app.q(&format!("{item} textarea.sources")).is_some());
    assert_eq!(live(&app).0, "Explanation changed");
}

#[wasm_bindgen_test]
async fn the_last_undo_keeps_focus_and_filters_say_what_they_leave() {
    let app = mount(None).await;
    app.select_text("Nicolás Maduro and flew").await;
    press(None, "f", false, false).await;
    // Undo of the only change: the button stays focused (unavailable, not
    // removed from the keyboard's way), and pressed again says why nothing
    // happens.
    let undo = app.button("Undo");
    undo.focus().unwrap();
    undo.click();
    yew::scheduler::flush().await;
    assert!(app.items().is_empty());
    assert_eq!(active().as_ref(), Some(undo.unchecked_ref::<Element>()));
    assert_eq!(undo.get_attribute("aria-disabled").as_deref(), Some("true"));
    undo.click();
    yew::scheduler::flush().await;
    assert_eq!(live(&app).0, "Nothing to undo");
    app.button("Redo").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 1);
    assert_eq!(
        undo.get_attribute("aria-disabled").as_deref(),
        Some("false")
    );

    // A filter says how many annotations it leaves; so does a search, once
    // the person pauses.
    let tag = "select[aria-label=\"Filter by tag\"]";
    app.set_field(tag, "analysis", "change").await;
    wait_for("the filter's count said", || {
        live(&app).0 == "0 of 1 annotation shown"
    })
    .await;
    app.set_field(tag, "all", "change").await;
    wait_for("the count said again", || {
        live(&app).0 == "1 of 1 annotation shown"
    })
    .await;
    app.set_field("input[type=search]", "Maduro", "input").await;
    wait_for("the search's count said", || {
        live(&app).0 == "1 of 1 annotation shown" && app.items().len() == 1
    })
    .await;
    app.set_field("input[type=search]", "nowhere", "input")
        .await;
    wait_for("the search's count said", || {
        live(&app).0 == "0 of 1 annotation shown"
    })
    .await;
    // A change made before the pause is over is not covered by the count.
    app.set_field("input[type=search]", "", "input").await;
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(
        live(&app).0,
        "Undone: Fact annotation created: “Nicolás Maduro and flew”"
    );
    sleep(900).await;
    assert_eq!(
        live(&app).0,
        "Undone: Fact annotation created: “Nicolás Maduro and flew”"
    );
}

/// The value a select shows (what a screen reader reads and a person sees).
fn shown(app: &crate::common::Mounted, sel: &str) -> String {
    app.q(sel)
        .unwrap_or_else(|| panic!("no {sel}"))
        .dyn_into::<web_sys::HtmlSelectElement>()
        .unwrap()
        .value()
}

#[wasm_bindgen_test]
async fn the_tag_and_verdict_selects_show_what_undo_and_redo_put_back() {
    let app = mount(None).await;
    let item = "section.panel .items > li";
    let tag = format!("{item} .item-controls select");
    let badge = || app.text(&format!("{item} .tag-badge"));
    // The case: a quote set to Analysis, then Fact, then undone.
    app.select_text("Nicolás Maduro and flew").await;
    press(None, "q", false, false).await;
    app.set_field(&tag, "analysis", "change").await;
    app.set_field(&tag, "fact", "change").await;
    press(None, "z", true, false).await;
    assert_eq!(badge(), "Analysis");
    assert_eq!(
        shown(&app, &tag),
        "analysis",
        "the select says what the badge says"
    );
    press(None, "z", true, false).await;
    assert_eq!(
        (badge(), shown(&app, &tag)),
        ("Quote".into(), "quote".into())
    );
    press(None, "z", true, true).await;
    assert_eq!(
        (badge(), shown(&app, &tag)),
        ("Analysis".into(), "analysis".into())
    );

    // The verdict: True, then False, undone; redone.
    app.set_field(&tag, "fact", "change").await;
    let verdict = format!("{item} .factcheck select");
    app.set_field(&verdict, "true", "change").await;
    app.set_field(&verdict, "false", "change").await;
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(app.text(&format!("{item} .verdict-badge")), "True");
    assert_eq!(shown(&app, &verdict), "true");
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert_eq!(shown(&app, &verdict), "", "no verdict");
    app.button("Redo").click();
    yew::scheduler::flush().await;
    assert_eq!(shown(&app, &verdict), "true");
}
