//! Persistence in a real browser: a change is in local storage before the
//! action returns; reload; full storage and saving that resumes by itself;
//! blocked storage; unreadable and newer records; the backups list and
//! restoring from it; the library index rebuilt; another tab's chunk merged
//! and a crossing write repaired. Run alone:
//! `cargo test --target wasm32-unknown-unknown --test browser -- storage::`.

use crate::common::{fill_storage, js, local_storage, mount_stored, press, wait_for, Mounted};
use claimmark::core::storage::{article_key, chunk_key, index_key, parse_key, Key, SCHEMA};
use claimmark::core::{seed_article, Article};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{KeyboardEvent, KeyboardEventInit};

fn alerts(app: &Mounted) -> String {
    app.alerts()
}

fn seed_key() -> String {
    article_key(&seed_article().id)
}

/// Every claimmark key in local storage, sorted.
fn stored_keys() -> Vec<String> {
    let s = local_storage();
    let mut k: Vec<String> = (0..s.length().unwrap())
        .filter_map(|i| s.key(i).unwrap())
        .filter(|k| k.starts_with("claimmark:"))
        .collect();
    k.sort();
    k
}

/// Every annotation chunk of the seed, joined: what is stored of its annotations.
fn seed_chunks() -> String {
    let id = seed_article().id;
    stored_keys()
        .into_iter()
        .filter(|k| matches!(parse_key(k), Key::Chunk(a, _) if a == id))
        .map(|k| local_storage().get_item(&k).unwrap().unwrap())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Dispatch a key press and return at once: no await, no timer, no render.
fn key_now(key: &str) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    gloo::utils::document().dispatch_event(&ev).unwrap();
}

async fn open_library(app: &Mounted) {
    let lib: web_sys::HtmlDetailsElement = app.q("details.library").unwrap().dyn_into().unwrap();
    lib.set_open(true);
    lib.dispatch_event(&web_sys::Event::new("toggle").unwrap())
        .unwrap();
    wait_for("the library to open", || {
        app.q("details.library .lib-list").is_some()
    })
    .await;
}

#[wasm_bindgen_test]
async fn a_change_is_in_local_storage_before_the_action_returns() {
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("Nicolás Maduro and flew").await;
    // The same task as the key press: no render, no timer, no microtask.
    key_now("f");
    let chunks = seed_chunks();
    assert!(
        chunks.contains("\"tag\":\"fact\""),
        "not stored in the task that made it: {chunks:?}"
    );
    assert!(local_storage().get_item(&seed_key()).unwrap().is_some());
    yew::scheduler::flush().await;
    let id = app.items()[0].get_attribute("data-id").unwrap();
    assert!(seed_chunks().contains(&id));

    // A note: stored as the change event is handled.
    let note = app.q("section.panel .items textarea").unwrap();
    js_sys::Reflect::set(&note, &"value".into(), &"Check the flight record".into()).unwrap();
    note.dispatch_event(&web_sys::Event::new("change").unwrap())
        .unwrap();
    assert!(seed_chunks().contains("Check the flight record"));
    yew::scheduler::flush().await;
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
    drop(app);

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
        crate::common::highlight_texts("cm-fact"),
        ["Nicolás Maduro and flew"]
    );
    assert!(alerts(&again).is_empty(), "{}", alerts(&again));
}

#[wasm_bindgen_test]
async fn a_full_storage_keeps_the_work_says_so_truthfully_and_saves_it_by_itself_when_room_returns()
{
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    let saved = seed_chunks();

    let junk = fill_storage();
    app.select_text("regional influence").await;
    press(None, "a", false, false).await;
    let text = alerts(&app);
    assert!(text.contains("not being saved"), "{text}");
    assert!(text.contains("full"), "{text}");
    assert!(text.contains("tries again"), "{text}");
    assert!(
        !text.contains("saved.") && !text.contains("is saved"),
        "{text}"
    );
    assert!(app
        .all("[role=alert] button")
        .iter()
        .any(|b| b.text_content().unwrap() == "Export annotations"));
    assert_eq!(seed_chunks(), saved, "what was saved is untouched");
    assert_eq!(app.items().len(), 2, "work continues in memory");
    app.select_text("shifting strategy").await;
    press(None, "f", false, false).await;
    assert_eq!(app.items().len(), 3);

    // Room again, and no further change: it is saved by itself.
    for k in junk {
        local_storage().remove_item(&k).unwrap();
    }
    wait_for("the queued changes to be saved by the retry", || {
        let c = seed_chunks();
        c.contains("\"tag\":\"analysis\"") && c.matches("\"tag\":\"fact\"").count() == 1
    })
    .await;
    wait_for("the alert to go", || alerts(&app).is_empty()).await;
    drop(app);
    let again = mount_stored().await;
    assert_eq!(again.items().len(), 3, "a reload finds all three");
}

#[wasm_bindgen_test]
async fn an_unreadable_record_with_no_room_for_a_copy_is_kept_and_saving_still_resumes() {
    // The case: a truncated record set aside while storage is nearly full.
    local_storage().clear().unwrap();
    let truncated = "{\"schema\":3,\"saved\":1,\"article\":{\"id\":\"";
    local_storage().set_item(&seed_key(), truncated).unwrap();
    let junk = fill_storage();
    let app = mount_stored().await;
    let text = alerts(&app);
    assert!(text.contains("could not be read"), "{text}");
    assert!(
        text.contains("copied to a backup before anything is written"),
        "{text}"
    );
    for needle in ["oil leverage", "regional influence", "shifting strategy"] {
        app.select_text(needle).await;
        press(None, "q", false, false).await;
    }
    assert!(alerts(&app).contains("not being saved"));
    assert_eq!(
        local_storage().get_item(&seed_key()).unwrap().as_deref(),
        Some(truncated),
        "not written over without a copy"
    );
    for k in junk {
        local_storage().remove_item(&k).unwrap();
    }
    wait_for("the three annotations to be saved by the retry", || {
        seed_chunks().matches("\"tag\":\"quote\"").count() == 3
    })
    .await;
    let backups: Vec<String> = stored_keys()
        .into_iter()
        .filter(|k| k.contains(":backup:"))
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(
        local_storage().get_item(&backups[0]).unwrap().as_deref(),
        Some(truncated),
        "copied verbatim first"
    );
    drop(app);
    let again = mount_stored().await;
    assert_eq!(again.items().len(), 3);
    assert!(alerts(&again).is_empty(), "{}", alerts(&again));
    // The copy stays reachable: listed with Download.
    open_library(&again).await;
    let list = again.text("section.backups");
    assert!(
        list.contains("Backups") && list.contains("not valid JSON"),
        "{list}"
    );
    assert!(again
        .all("section.backups button")
        .iter()
        .any(|b| b.text_content().unwrap() == "Download"));
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
    assert!(alerts(&app).contains("Not saving"));
}

#[wasm_bindgen_test]
async fn unreadable_records_are_kept_offered_and_explained() {
    for (raw, words) in [
        (
            "{\"schema\": 3, \"annotations\": [",
            "not valid JSON (line 1",
        ),
        (
            "{\"schema\": 3, \"article\": 5}",
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
        // Kept verbatim under a backup key, and listed in the Library.
        let backups: Vec<String> = stored_keys()
            .into_iter()
            .filter(|k| k.starts_with("claimmark:v1:backup:"))
            .collect();
        assert_eq!(backups.len(), 1);
        assert_eq!(local_storage().get_item(&backups[0]).unwrap().unwrap(), raw);
        assert_eq!(app.text("article h1"), seed_article().title);
        open_library(&app).await;
        assert!(app.text("section.backups").contains(words));
        // A reload does not lose the way back: the list is still there.
        drop(app);
        let again = mount_stored().await;
        open_library(&again).await;
        assert!(again.text("section.backups").contains(words));
    }
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_record_from_a_newer_version_is_never_written_over() {
    local_storage().clear().unwrap();
    let newer = format!(
        "{{\"schema\":{},\"saved\":1,\"article\":{{\"id\":\"{}\"}},\"futureField\":[1,2,3]}}",
        SCHEMA + 1,
        seed_article().id.0
    );
    local_storage().set_item(&seed_key(), &newer).unwrap();
    let app = mount_stored().await;
    let text = alerts(&app);
    assert!(text.contains("newer version of claimmark"), "{text}");
    assert!(text.contains("never written over"), "{text}");
    // Working on it anyway: kept on screen, nothing written, and it says so.
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    assert_eq!(app.items().len(), 1);
    let text = alerts(&app);
    assert!(
        text.contains("Changes to this article are not saved"),
        "{text}"
    );
    assert!(
        !text.contains("tries again"),
        "no promise it cannot keep: {text}"
    );
    assert_eq!(
        local_storage().get_item(&seed_key()).unwrap().unwrap(),
        newer
    );
    assert_eq!(
        stored_keys(),
        [seed_key()],
        "no chunk, no copy, no index written"
    );
    // Listed as kept in place, with Download.
    open_library(&app).await;
    let list = app.text("section.backups");
    assert!(
        list.contains("left in place") && list.contains("newer version"),
        "{list}"
    );
    drop(app);
    let again = mount_stored().await;
    assert!(alerts(&again).contains("newer version of claimmark"));
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn a_readable_backup_is_restored_into_the_article_as_one_undoable_step() {
    local_storage().clear().unwrap();
    // A schema 3 record of the seed, one annotation with a tag this build
    // does not know: the record cannot be read as a whole.
    let seed = seed_article();
    let span = |needle: &str| {
        let b = seed.text().find(needle).unwrap();
        let s = seed.text()[..b].chars().count();
        (s, s + needle.chars().count())
    };
    let (a0, a1) = span("oil leverage");
    let (b0, b1) = span("regional influence");
    let blocks = serde_json::to_string(&seed.blocks).unwrap();
    let text = serde_json::to_string(seed.text()).unwrap();
    let record = format!(
        "{{\"schema\":3,\"saved\":1,\"article\":{{\"id\":\"{}\",\"title\":\"t\",\"blocks\":{blocks},\"text\":{text}}},\
         \"annotations\":[\
          {{\"id\":\"a-1\",\"tag\":\"quote\",\"span\":{{\"start\":{a0},\"end\":{a1}}},\"note\":\"kept\",\"created\":1,\"modified\":1,\"changed\":1}},\
          {{\"id\":\"a-2\",\"tag\":\"rumour\",\"span\":{{\"start\":{b0},\"end\":{b1}}},\"note\":\"\",\"created\":1,\"modified\":1,\"changed\":1}}],\
         \"tombstones\":[]}}",
        seed.id.0
    );
    local_storage().set_item(&seed_key(), &record).unwrap();
    let app = mount_stored().await;
    assert!(alerts(&app).contains("could not be read"));
    assert!(app.items().is_empty());
    open_library(&app).await;
    let list = app.text("section.backups");
    assert!(list.contains("1 annotation can be read"), "{list}");
    app.button("Restore the backup of").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 1);
    assert!(app.items()[0]
        .text_content()
        .unwrap()
        .contains("oil leverage"));
    assert!(seed_chunks().contains("\"id\":\"a-1\""), "and saved");
    app.button("Undo").click();
    yew::scheduler::flush().await;
    assert!(app.items().is_empty(), "one undoable step");
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn an_unreadable_index_is_rebuilt_from_the_records_present() {
    use claimmark::core::storage::save;
    use claimmark::core::{Action, BlockKind, State, Tag, Timestamp};
    use std::rc::Rc;
    local_storage().clear().unwrap();
    let (store, _) = claimmark::web::local_store::open();
    let other = Rc::new(Article::from_blocks(
        "A Second Article",
        vec![],
        None,
        vec![(BlockKind::Paragraph, "About bridges and rivers.".into())],
    ));
    let mut s = State::new(other.clone(), vec![]);
    s.reduce(Action::Create(claimmark::core::Annotation::new(
        claimmark::core::AnnotationId::from_string("b-1"),
        Tag::Fact,
        &other,
        claimmark::core::Span::new(6, 13),
        Timestamp(1),
    )));
    save(&*store, &s, Timestamp(2), &[]).unwrap();
    local_storage()
        .set_item(&index_key(), "{\"layout\":1,\"articles\":[{\"id\":")
        .unwrap();
    let app = mount_stored().await;
    open_library(&app).await;
    let rows = app.text("details.library .lib-list");
    assert!(rows.contains("A Second Article"), "{rows}");
    assert!(rows.contains("1 fact"), "{rows}");
    app.button("Open A Second Article").click();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 1);
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn another_tabs_chunk_is_merged_and_a_crossing_write_repaired() {
    use claimmark::core::storage::bucket_of;
    use claimmark::core::AnnotationId;
    local_storage().clear().unwrap();
    let app = mount_stored().await;
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    let mine = AnnotationId::from_string(&app.items()[0].get_attribute("data-id").unwrap());
    let key = chunk_key(&seed_article().id, bucket_of(&mine));
    let with_mine = local_storage().get_item(&key).unwrap().unwrap();
    // Another tab wrote this chunk from a copy that did not have ours yet,
    // adding one of its own (an id that falls in the same chunk).
    let theirs = (0..10_000)
        .map(|i| format!("other-{i}"))
        .find(|id| bucket_of(&AnnotationId::from_string(id)) == bucket_of(&mine))
        .unwrap();
    let seed = seed_article();
    let b = seed.text().find("regional influence").unwrap();
    let s0 = seed.text()[..b].chars().count();
    let crossing = format!(
        "{{\"schema\":{SCHEMA},\"annotations\":[{{\"id\":\"{theirs}\",\"tag\":\"fact\",\"span\":{{\"start\":{s0},\"end\":{}}},\"created\":1}}],\"tombstones\":[]}}",
        s0 + 18
    );
    local_storage().set_item(&key, &crossing).unwrap();
    // Its storage event, as this tab receives it.
    js_sys::Function::new_with_args(
        "key, oldValue, newValue",
        "window.dispatchEvent(new StorageEvent('storage', { key, oldValue, newValue, storageArea: localStorage }));",
    )
    .call3(
        &wasm_bindgen::JsValue::NULL,
        &key.as_str().into(),
        &with_mine.as_str().into(),
        &crossing.as_str().into(),
    )
    .unwrap();
    yew::scheduler::flush().await;
    assert_eq!(app.items().len(), 2, "theirs merged in");
    let now = local_storage().get_item(&key).unwrap().unwrap();
    assert!(
        now.contains(mine.as_str()) && now.contains(&theirs),
        "ours written back: {now}"
    );
    local_storage().clear().unwrap();
}

/// Every claimmark value in local storage.
fn snapshot() -> Vec<(String, String)> {
    stored_keys()
        .into_iter()
        .map(|k| {
            let v = local_storage().get_item(&k).unwrap().unwrap();
            (k, v)
        })
        .collect()
}

/// Put local storage back to `snapshot`: what a crash leaves when the
/// browser had not yet written the later values to disk.
fn crash_back_to(snapshot: &[(String, String)]) {
    for k in stored_keys() {
        local_storage().remove_item(&k).unwrap();
    }
    for (k, v) in snapshot {
        local_storage().set_item(k, v).unwrap();
    }
}

#[wasm_bindgen_test]
async fn what_a_crash_took_from_local_storage_is_put_back_from_the_journal_and_said() {
    use crate::common::{clear_all, mount_durable};
    clear_all().await;
    let app = mount_durable().await;
    app.select_text("oil leverage").await;
    press(None, "q", false, false).await;
    let before = snapshot();
    app.set_field(
        "section.panel .items textarea",
        "typed just before the crash",
        "change",
    )
    .await;
    app.select_text("regional influence").await;
    press(None, "f", false, false).await;
    // Written to the journal in a strict transaction of its own task.
    let session = claimmark::web::journal::Journal::open().await.unwrap();
    session.settled().await.unwrap();
    drop(app);
    crash_back_to(&before);
    assert!(!seed_chunks().contains("typed just before the crash"));

    let again = mount_durable().await;
    assert_eq!(again.items().len(), 2, "both annotations back");
    assert!(seed_chunks().contains("typed just before the crash"));
    let note: web_sys::HtmlTextAreaElement = again
        .q("section.panel .items textarea")
        .unwrap()
        .dyn_into()
        .unwrap();
    assert_eq!(note.value(), "typed just before the crash");
    wait_for("the recovery to be said", || {
        again
            .text("[aria-live]")
            .contains("Recovered your last changes")
            || again
                .text(".banners")
                .contains("Recovered your last changes")
    })
    .await;
    // In step again: the next start puts nothing back and says nothing.
    drop(again);
    let third = mount_durable().await;
    yew::scheduler::flush().await;
    assert!(!third.root.text_content().unwrap().contains("Recovered"));
    clear_all().await;
}

#[wasm_bindgen_test]
async fn two_tabs_journaling_one_chunk_from_copies_without_each_other_both_come_back() {
    use crate::common::clear_all;
    use claimmark::core::storage::layout::parse_chunk;
    use claimmark::core::storage::Store;
    use claimmark::web::journal::{self, Durable, Journal};
    clear_all().await;
    let key = chunk_key(&seed_article().id, 0x5a);
    let chunk = |id: &str| {
        format!(
            "{{\"schema\":{SCHEMA},\"annotations\":[{{\"id\":\"{id}\",\"tag\":\"fact\",\"span\":{{\"start\":4,\"end\":9}},\"created\":1}}],\"tombstones\":[]}}"
        )
    };
    // Two pages: two journals, two slots of one key. Each wrote the chunk
    // from a copy without the other's annotation; local storage kept B's.
    let (a, b) = (
        Journal::open().await.unwrap(),
        Journal::open().await.unwrap(),
    );
    let local = || claimmark::web::local_store::local().unwrap();
    Durable::new(local(), a.clone())
        .set(&key, &chunk("from-a"))
        .unwrap();
    Durable::new(local(), b.clone())
        .set(&key, &chunk("from-b"))
        .unwrap();
    a.settled().await.unwrap();
    b.settled().await.unwrap();
    assert_eq!(a.slot_tabs(&key).await.unwrap().len(), 2);
    // The crash: local storage had neither on disk.
    local_storage().remove_item(&key).unwrap();
    let c = Journal::open().await.unwrap();
    let done = journal::replay(&Durable::new(local(), c.clone()))
        .await
        .unwrap();
    assert_eq!(done.restored, std::slice::from_ref(&key));
    let back = local_storage().get_item(&key).unwrap().unwrap();
    let ids: Vec<String> = parse_chunk(&back)
        .unwrap()
        .into_iter()
        .map(|e| e.id.as_str().to_string())
        .collect();
    assert_eq!(ids, ["from-a", "from-b"], "{back}");
    // Tab A writes the chunk again before the slots are folded: its new
    // write must stay.
    crate::common::sleep(5).await;
    Durable::new(local(), a.clone())
        .set(&key, &chunk("from-a-later"))
        .unwrap();
    a.settled().await.unwrap();
    // Folded soon after start-up: B's slot, as read, into `<key>#`; A's
    // newer write and the merged chunk replay wrote (journaled in the new
    // page's own slot) stay as they are.
    let mut want = vec!["".to_string(), a.tab().to_string(), c.tab().to_string()];
    want.sort();
    let clock = web_sys::window().unwrap().performance().unwrap();
    let start = clock.now();
    while c.slot_tabs(&key).await.unwrap() != want {
        assert!(
            clock.now() - start < crate::common::WAIT_MS,
            "gave up waiting for the slots to be folded: {:?}",
            c.slot_tabs(&key).await.unwrap()
        );
        crate::common::sleep(50).await;
    }
    assert!(c
        .get(&key)
        .await
        .unwrap()
        .unwrap()
        .value
        .unwrap()
        .contains("from-a"));
    clear_all().await;
}

const BRIDGES: &str = "Bridges Over the River\n\nThe town built three bridges over the river in ten years.\n\nEach one carried more traffic than the last.";

/// Store the pasted article BRIDGES with two annotations (their chunks
/// readable), and return it.
fn store_bridges() -> std::rc::Rc<Article> {
    use claimmark::core::storage::save;
    use claimmark::core::{Action, Annotation, AnnotationId, Span, State, Tag, Timestamp};
    let article = std::rc::Rc::new(
        claimmark::core::parse::article_from_paste(BRIDGES, |_, _| Err("not HTML".into())).unwrap(),
    );
    let mut s = State::new(article.clone(), vec![]);
    for (n, (start, end)) in [(27u32, 40u32), (60, 70)].into_iter().enumerate() {
        s.reduce(Action::Create(Annotation::new(
            AnnotationId::from_string(&format!("bridge-{n}")),
            Tag::Fact,
            &article,
            Span::new(start, end),
            Timestamp(1),
        )));
    }
    let (store, _) = claimmark::web::local_store::open();
    save(&*store, &s, Timestamp(2), &[]).unwrap();
    article
}

/// Paste `text` through the Paste dialog.
async fn paste(app: &Mounted, text: &str) {
    app.button("Paste article").click();
    yew::scheduler::flush().await;
    let area: web_sys::HtmlTextAreaElement = app.q("#paste-text").unwrap().dyn_into().unwrap();
    area.set_value(text);
    app.button("Open").click();
    yew::scheduler::flush().await;
}

#[wasm_bindgen_test]
async fn damaged_records_are_described_as_they_are_when_their_text_is_pasted_again() {
    // Saved by a newer claimmark: refused, and not for want of room.
    local_storage().clear().unwrap();
    let article = store_bridges();
    let key = article_key(&article.id);
    let newer = local_storage().get_item(&key).unwrap().unwrap().replacen(
        "{\"schema\":4,",
        &format!("{{\"schema\":{},", SCHEMA + 1),
        1,
    );
    local_storage().set_item(&key, &newer).unwrap();
    let app = mount_stored().await;
    paste(&app, BRIDGES).await;
    let said = alerts(&app);
    assert!(said.contains("newer version of claimmark"), "{said}");
    assert!(!said.contains("no room"), "storage is not full: {said}");
    assert_eq!(app.text("article h1"), seed_article().title, "not opened");
    assert_eq!(local_storage().get_item(&key).unwrap().unwrap(), newer);
    drop(app);

    // Its record unreadable, its annotations fine: it opens with them, and
    // the words say so.
    local_storage().clear().unwrap();
    let article = store_bridges();
    local_storage()
        .set_item(&key, "{\"schema\":4,\"saved\":1,\"article\":{\"id\":")
        .unwrap();
    let app = mount_stored().await;
    paste(&app, BRIDGES).await;
    assert_eq!(app.text("article h1"), article.title);
    assert_eq!(app.items().len(), 2, "its annotations are on screen");
    let said = alerts(&app);
    assert!(!said.contains("without them"), "{said}");
    assert!(
        said.contains("could not be read") && said.contains("backup"),
        "{said}"
    );
    assert!(said.contains("2 annotations"), "{said}");
    local_storage().clear().unwrap();
}

#[wasm_bindgen_test]
async fn the_library_offers_no_open_for_a_record_it_cannot_read_and_says_why() {
    local_storage().clear().unwrap();
    let article = store_bridges();
    local_storage()
        .set_item(
            &article_key(&article.id),
            "{\"schema\":4,\"saved\":1,\"article\":{\"id\":",
        )
        .unwrap();
    let app = mount_stored().await;
    open_library(&app).await;
    let row = app
        .q(&format!("details.library li[data-id=\"{}\"]", article.id.0))
        .expect("still listed");
    let row_text = row.text_content().unwrap();
    assert!(
        !app.all("details.library button")
            .iter()
            .any(|b| b.get_attribute("aria-label").as_deref()
                == Some(&format!("Open {}", article.title))),
        "no Open that would fail: {row_text}"
    );
    assert!(row_text.contains("cannot be read"), "{row_text}");
    // Rename and Delete still work on it.
    assert!(row_text.contains("Rename") && row_text.contains("Delete"));
    local_storage().clear().unwrap();
}
