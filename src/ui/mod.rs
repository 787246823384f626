//! The Yew UI. [`App`] only composes; behaviour lives in custom hooks with
//! one job each ([`hooks`]), regions in small components, and everything a
//! person is told goes through one message channel ([`messages`]).
//!
//! | file | what |
//! |---|---|
//! | `app.rs` | `App` and the workspace it composes |
//! | `app_state.rs` | the reducer's state as Yew holds it |
//! | `context.rs` | session, dispatcher, messenger and dialog slot, as a context |
//! | `messages.rs` | the message channel, the live region, notices and alerts |
//! | `dialog.rs`, `dialogs/` | the one dialog slot and shell; help, article details, paste, new version, import |
//! | `hooks/` | highlighting and hit-testing, selection and word cursor, shortcuts, opening, importing, announcing, item actions |
//! | `topbar.rs`, `export_menu.rs` | the header: history, files, Export |
//! | `article_view.rs`, `selection_toolbar.rs` | the article, the toolbar over a selection, the chooser |
//! | `panel/`, `fact_fields.rs`, `sheet.rs` | the annotation list and its items (a fact's claim, claimant and links to sources), the phone sheet |
//! | `library.rs`, `backup.rs`, `set_aside.rs` | the library; Back up library and Restore; values set aside because they could not be read |
//! | `print.rs` | Print, and the report built for every print |
//! | `select.rs` | a `<select>` that always shows its value (after undo too) |
//! | `persistence.rs` | saving after the reducer, other tabs, storage notices |
//! | `update_notice.rs` | "A new version is ready — Reload" (the service worker's) |
//! | `team_status.rs`, `team_library.rs`, `dialogs/team.rs` | the team: its button and status, changes that lost, its articles in the Library, signing in (the loop is `hooks/team_sync/`) |
//!
//! Browser work (selection, ids, clock, storage) goes through [`crate::web`].

pub mod app;
pub mod app_state;
pub mod article_view;
pub mod backup;
pub mod context;
pub mod dialog;
mod dialogs;
pub mod export_menu;
pub mod fact_fields;
pub mod field_edit;
pub mod hooks;
pub mod library;
pub mod links;
pub mod messages;
pub mod panel;
pub mod persistence;
pub mod print;
pub mod refs;
pub mod select;
pub mod selection_toolbar;
pub mod session;
pub mod set_aside;
pub mod sheet;
pub mod team_library;
pub mod team_status;
pub mod topbar;
pub mod update_notice;

use std::rc::Rc;

pub use app::{App, AppProps};
pub use session::{Session, SessionRef};

use crate::web;

/// Mount the app on `<body>`, once what a crash lost is put back into
/// local storage and the last article is loaded.
pub fn start() {
    web::mark("claimmark:start");
    // The page as the build or the first-paint script drew it (see
    // `assets/first-paint.js`) stays until the app is ready: the session is
    // read (IndexedDB's journal is asynchronous), Yew renders in steps,
    // yielding to the browser, and the article is built in an effect.
    // Meanwhile the app is laid out unseen over it (styles/main.css), and
    // takes its place when ready (`web::hand_over`).
    let doc = gloo::utils::document();
    if doc.get_element_by_id("first-paint").is_some() {
        if let Some(html) = doc.document_element() {
            let _ = html.set_attribute("data-starting", "");
        }
    }
    wasm_bindgen_futures::spawn_local(async {
        let session = Session::from_browser_durable().await;
        web::mark("claimmark:loaded");
        let props = AppProps {
            article: None,
            session: Some(SessionRef(Rc::new(session))),
            force_spans: false,
        };
        yew::Renderer::<App>::with_props(props).render();
    });
}
