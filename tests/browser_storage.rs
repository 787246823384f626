//! Persistence in a real browser: reload, full storage, blocked storage,
//! corrupt records. Run alone: `make test-browser`.
#![cfg(target_arch = "wasm32")]

mod browser_common;

use browser_common::{fill_storage, flush_save, js, local_storage, mount_stored, press};
use claimmark::core::seed_article;
use claimmark::core::storage::{index_key, record_key};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn alerts(app: &browser_common::Mounted) -> String {
    app.all("[role=alert]")
        .iter()
        .map(|a| a.text_content().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

fn seed_key() -> String {
    record_key(&seed_article().id)
}

#[wasm_bindgen_test]
async fn a_reload_restores_annotations_exactly() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("Nicolás Maduro and flew").await;
    press(None, "f", false, false).await;
    app.set_field(
        "section.panel .items textarea",
        "Check the flight record",
        "change",
    )
    .await;
    let id = app.items()[0].get_attribute("data-id").unwrap();
    flush_save().await;
    let rec = local_storage().get_item(&seed_key()).unwrap().unwrap();
    assert!(
        rec.contains("Check the flight"),
        "{}",
        &rec[rec.len() - 600..]
    );
    drop(app);

    assert!(local_storage()
        .get_item(&seed_key())
        .unwrap()
        .unwrap()
        .contains(&id));
    assert!(local_storage().get_item(&index_key()).unwrap().is_some());
    let again = mount_stored().await;
    assert_eq!(again.items().len(), 1);
    assert_eq!(again.items()[0].get_attribute("data-id").unwrap(), id);
    let note: web_sys::HtmlTextAreaElement = again
        .q("section.panel .items textarea")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(note.value(), "Check the flight record");
    // Painted with the CSS Custom Highlight API after the reload.
    assert_eq!(
        browser_common::highlight_texts("cm-fact"),
        ["Nicolás Maduro and flew"]
    );
    assert!(alerts(&again).is_empty(), "{}", alerts(&again));
}

#[wasm_bindgen_test]
async fn a_full_storage_keeps_the_saved_copy_says_so_and_resumes() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    flush_save().await;
    let saved = local_storage().get_item(&seed_key()).unwrap().unwrap();

    let junk = fill_storage();
    app.select_text("regional influence").await;
    press(None, "a", false, false).await;
    flush_save().await;
    let text = alerts(&app);
    assert!(text.contains("not being saved"), "{text}");
    assert!(text.contains("full"), "{text}");
    assert!(app
        .all("[role=alert] button")
        .iter()
        .any(|b| b.text_content().unwrap() == "Export annotations"));
    assert_eq!(
        local_storage().get_item(&seed_key()).unwrap().unwrap(),
        saved,
        "previous save intact"
    );
    assert_eq!(app.items().len(), 2, "work continues in memory");

    for k in junk {
        local_storage().remove_item(&k).unwrap();
    }
    app.select_text("shifting strategy").await;
    press(None, "f", false, false).await;
    flush_save().await;
    assert!(alerts(&app).is_empty(), "saving resumed: {}", alerts(&app));
    let now = local_storage().get_item(&seed_key()).unwrap().unwrap();
    assert!(now.contains("regional influence") && now.contains("shifting strategy"));
}

#[wasm_bindgen_test]
async fn blocked_storage_works_in_memory_and_says_so() {
    // What a browser with storage disabled does: reading `localStorage` throws.
    js(
        "window.__realStorage = Object.getOwnPropertyDescriptor(window, 'localStorage'); \
        Object.defineProperty(window, 'localStorage', { configurable: true, get() { \
          throw new DOMException('The operation is insecure.', 'SecurityError'); } });",
    );
    let app = mount_stored().await;
    js("Object.defineProperty(window, 'localStorage', window.__realStorage);");
    let text = alerts(&app);
    assert!(
        text.contains("Not saving") && text.contains("blocks storage"),
        "{text}"
    );
    app.select_text("Deep Look").await;
    press(None, "a", false, false).await;
    assert_eq!(app.items().len(), 1);
    flush_save().await;
    assert!(alerts(&app).contains("Not saving"));
}

#[wasm_bindgen_test]
async fn corrupt_records_are_kept_offered_and_explained() {
    for (raw, words) in [
        (
            "{\"schema\": 2, \"annotations\": [",
            "not valid JSON (line 1",
        ),
        (
            "{\"schema\": 7, \"article\": {}}",
            "newer version of claimmark",
        ),
        (
            "{\"schema\": 2, \"article\": 5}",
            "not shaped like a claimmark record",
        ),
    ] {
        local_storage().clear().unwrap();
        local_storage().set_item(&seed_key(), raw).unwrap();
        let app = mount_stored().await;
        let text = alerts(&app);
        assert!(
            text.contains("could not be read") && text.contains(words),
            "{text}"
        );
        assert!(text.contains("Nothing was deleted"), "{text}");
        assert!(
            !text.contains("panicked") && !text.contains("at src/"),
            "words, not a stack trace"
        );
        assert!(app
            .all("[role=alert] button")
            .iter()
            .any(|b| b.text_content().unwrap() == "Download the unreadable data"));
        // Kept verbatim under a backup key.
        let store = local_storage();
        let backups: Vec<String> = (0..store.length().unwrap())
            .filter_map(|i| store.key(i).unwrap())
            .filter(|k| k.starts_with("claimmark:v1:backup:"))
            .collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(store.get_item(&backups[0]).unwrap().unwrap(), raw);
        // The app still opens the article.
        assert_eq!(app.text("article h1"), seed_article().title);
    }
    local_storage().clear().unwrap();
}
