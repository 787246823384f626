//! Autosave after the reducer, cross-tab sync, the storage notices and panel.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::{AppState, Session, SessionRef};
use crate::core::formats;
use crate::core::storage::StoreError;
use crate::core::storage::{self as persist, Problem};
use crate::core::{Action, ArticleId};
use crate::web::{self, storage};

/// How long a burst of changes is gathered into one write.
const SAVE_DELAY_MS: u32 = 300;
/// How soon a failed save is tried again by itself.
const RETRY_MS: u32 = 5_000;

struct Saver {
    session: Rc<Session>,
    /// The state still to write, if any.
    dirty: Option<AppState>,
    scheduled: bool,
    on_result: Callback<Result<usize, StoreError>>,
}

impl Saver {
    fn flush(&mut self) {
        self.scheduled = false;
        let Some(state) = self.dirty.take() else {
            return;
        };
        let protected = self.session.protected.borrow().clone();
        let result = persist::save(&*self.session.store, &state.0, web::now(), &protected);
        if result.is_err() {
            self.dirty = Some(state);
        }
        self.on_result.emit(result);
    }
}

fn schedule(saver: &Rc<RefCell<Saver>>, ms: u32) {
    if saver.borrow().scheduled {
        return;
    }
    saver.borrow_mut().scheduled = true;
    let s = saver.clone();
    // Forgotten, not stored: dropping a running timer's closure is not allowed.
    Timeout::new(ms, move || {
        let retry = {
            let mut saver = s.borrow_mut();
            saver.flush();
            saver.dirty.is_some()
        };
        if retry {
            schedule(&s, RETRY_MS);
        }
    })
    .forget();
}

/// Save after every change (at most [`SAVE_DELAY_MS`] later, one write per
/// burst), flush when the page is hidden or closed, and merge changes other
/// tabs save. Returns the last save error, `None` once a save succeeds.
#[hook]
pub fn use_autosave(session: Rc<Session>, state: UseReducerHandle<AppState>) -> Option<StoreError> {
    let error = use_state(|| None::<StoreError>);
    let saver = {
        let session = session.clone();
        let set_error = error.setter();
        use_mut_ref(move || Saver {
            session,
            dirty: None,
            scheduled: false,
            on_result: Callback::from(move |r: Result<usize, StoreError>| set_error.set(r.err())),
        })
    };
    let first_revision = use_mut_ref(|| state.0.revision);

    {
        let (saver, state) = (saver.clone(), state.clone());
        use_effect_with(state.0.revision, move |&rev| {
            if rev != *first_revision.borrow() {
                let switched = saver
                    .borrow()
                    .dirty
                    .as_ref()
                    .is_some_and(|d| d.0.article.id != state.0.article.id);
                if switched {
                    // Another article was opened: write the last one's
                    // pending changes before they are replaced.
                    saver.borrow_mut().flush();
                }
                // Cloned here, on a change, not on every render.
                saver.borrow_mut().dirty = Some((*state).clone());
                schedule(&saver, SAVE_DELAY_MS);
            }
        });
    }

    {
        let saver = saver.clone();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let doc = gloo::utils::document();
            let s1 = saver.clone();
            let hide = EventListener::new(&win, "pagehide", move |_| s1.borrow_mut().flush());
            let s2 = saver.clone();
            let vis = EventListener::new(&doc, "visibilitychange", move |_| {
                if gloo::utils::document().visibility_state() == web_sys::VisibilityState::Hidden {
                    s2.borrow_mut().flush();
                }
            });
            move || drop((hide, vis))
        });
    }

    {
        let dispatcher = state.dispatcher();
        use_effect_with(state.0.article.id.clone(), move |id: &ArticleId| {
            let key = persist::record_key(id);
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                    return;
                };
                if e.key().as_deref() != Some(key.as_str()) {
                    return;
                }
                let Some(raw) = e.new_value() else { return };
                // An unreadable record from another tab is left alone here.
                if let Ok((record, _)) = persist::decode_record(&raw) {
                    let (annotations, tombstones) = record.into_stamped();
                    dispatcher.dispatch(Action::Merge {
                        annotations,
                        tombstones,
                    });
                }
            });
            move || drop(listener)
        });
    }

    (*error).clone()
}

/// Download the open article and its annotations as claimmark JSON.
pub fn export_json(state: &AppState) {
    let s = &state.0;
    let format = formats::Format::Claimmark;
    let text = formats::claimmark::write(&s.article, s.annotations(), web::now());
    if let Err(e) = storage::download(&format.file_name(&s.article), format.mime(), &text) {
        web_sys::console::error_1(&e);
    }
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub session: SessionRef,
    pub save_error: Option<StoreError>,
    pub on_export: Callback<()>,
}

/// Plain-words messages about storage, each in `role="alert"`.
#[function_component(Notices)]
pub fn notices(p: &NoticesProps) -> Html {
    let session = &p.session.0;
    let export = p.on_export.reform(|_: MouseEvent| ());
    let blocked = session.storage_problem.as_ref().map(|e| {
        html! {
            <div class="notice" role="alert">
                <p><strong>{ "Not saving: " }</strong>{ format!("{e}. ") }
                   { "claimmark works, but your annotations are kept only in this tab, until it closes. Export them to keep a copy." }</p>
                <button type="button" onclick={export.clone()}>{ "Export annotations" }</button>
            </div>
        }
    });
    let failed = p.save_error.as_ref().filter(|_| session.storage_problem.is_none()).map(|e| {
        html! {
            <div class="notice notice-error" role="alert">
                <p><strong>{ "Your work is not being saved: " }</strong>{ format!("{e}. ") }
                   { "Everything stays on screen while this tab is open; the last saved copy is untouched. Saving resumes by itself when there is room again. Export your annotations to be safe." }</p>
                <button type="button" onclick={export.clone()}>{ "Export annotations" }</button>
            </div>
        }
    });
    let problems = session.problems.iter().map(|pr| match pr {
        Problem::Corrupt { key, backup_key, raw, reason } => {
            let kept = match backup_key {
                Some(_) => "Nothing was deleted: the unreadable data is kept as a backup in this browser.".to_string(),
                None => "Nothing was deleted: the unreadable data stays where it was and will not be written over.".to_string(),
            };
            let (raw, key) = (raw.clone(), key.clone());
            let download = Callback::from(move |_: MouseEvent| {
                let name = format!("claimmark-unreadable-{}.json", key.rsplit(':').next().unwrap_or("record"));
                if let Err(e) = storage::download(&name, "application/json", &raw) {
                    web_sys::console::error_1(&e);
                }
            });
            html! {
                <div class="notice notice-error" role="alert">
                    <p><strong>{ "Saved annotations could not be read: " }</strong>{ format!("{reason}. {kept}") }</p>
                    <button type="button" onclick={download}>{ "Download the unreadable data" }</button>
                </div>
            }
        }
        Problem::Storage(e) => html! {
            <div class="notice notice-error" role="alert">
                <p><strong>{ "Saved work could not be loaded: " }</strong>{ format!("{e}.") }</p>
            </div>
        },
    });
    html! {
        <div class="notices">
            { for blocked }
            { for failed }
            { for problems }
        </div>
    }
}
