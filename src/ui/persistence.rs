//! Saving after every action, in the same task; other tabs' changes merged
//! as they are written; the storage notices.
//!
//! [`Autosave::after`] runs inside the reducer's dispatch (see
//! `AppState::reduce`), right after the core reducer: what the action
//! changed is written to local storage before the action returns, so there
//! is no moment when a change is on screen and not yet stored (closing or
//! quitting at once loses nothing). One change writes the chunk of the
//! annotations it touched (~40 annotations at 10,000) and the library
//! entry; see `core::storage`.

use std::cell::RefCell;
use std::rc::{Rc, Weak};

use crate::core::State;

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::app_state::{AppState, Observers};
use super::messages::Messenger;
use super::refs::ArticleRef;
use super::session::{Session, SessionRef};
use crate::core::formats;
use crate::core::merge::wins;
use crate::core::storage::layout::{decode_chunk, decode_details};
use crate::core::storage::{self, parse_key, Key, Problem, StoreError, Writer};
use crate::core::{Action, Article};
use crate::web::{self, local_store};

/// How soon a failed save is tried again by itself (it is also tried on
/// every change).
pub const RETRY_MS: u32 = 2_000;

struct Saver {
    session: Rc<Session>,
    writer: Writer,
    /// The state as of the last action (to repair a chunk after a merge).
    latest: Weak<RefCell<State>>,
    /// The last error reported to the notices.
    error: Option<StoreError>,
    on_error: Option<Callback<Option<StoreError>>>,
    retrying: bool,
}

/// The saver, shared by the reducer (which calls [`Autosave::after`]) and
/// the listeners; compared by identity.
#[derive(Clone)]
pub struct Autosave(Rc<RefCell<Saver>>);

impl PartialEq for Autosave {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

impl Autosave {
    fn new(session: Rc<Session>) -> Autosave {
        let mut writer = Writer::new(session.article.clone());
        for p in &session.problems {
            if let Problem::Corrupt {
                key,
                backup_key: None,
                ..
            } = p
            {
                writer.distrust(key.clone());
            }
        }
        Autosave(Rc::new(RefCell::new(Saver {
            writer,
            session,
            latest: Weak::new(),
            error: None,
            on_error: None,
            retrying: false,
        })))
    }

    /// Save what the last action changed in `state`: called after each
    /// action, right after the core reducer, before anything is rendered.
    fn after(&self, state: &Rc<RefCell<State>>) {
        let result = {
            let mut s = self.0.borrow_mut();
            s.latest = Rc::downgrade(state);
            let protected = s.session.protected.borrow().clone();
            let store = s.session.store.clone();
            let state = state.borrow();
            s.writer.after(&*store, &state, web::now(), &protected)
        };
        self.report(result);
    }

    /// Write what is still queued (a retry).
    fn flush(&self) {
        let result = {
            let mut s = self.0.borrow_mut();
            let protected = s.session.protected.borrow().clone();
            let store = s.session.store.clone();
            s.writer.flush(&*store, web::now(), &protected)
        };
        self.report(result);
    }

    /// After another tab wrote a chunk (`old` → `new`) and it was merged:
    /// write back what that write left out (see `storage::repairs`).
    fn repair(&self, old: &[storage::Entry], new: &[storage::Entry]) {
        let Some(state) = self.0.borrow().latest.upgrade() else {
            return;
        };
        let (fixes, article) = {
            let state = state.borrow();
            (storage::repairs(&state, old, new), state.article.id.clone())
        };
        if fixes.is_empty() {
            return;
        }
        {
            let mut s = self.0.borrow_mut();
            for e in fixes {
                s.writer.queue(&article, e);
            }
        }
        self.flush();
    }

    /// Tell the notices (only when it changes), and keep retrying while
    /// something is queued and another try can help.
    fn report(&self, result: Result<(), StoreError>) {
        let (changed, on_error, retry) = {
            let mut s = self.0.borrow_mut();
            let error = result.err();
            let retry = !s.retrying
                && s.writer.pending()
                && !matches!(error, Some(StoreError::Protected(_)) | None);
            let changed = s.error != error;
            s.error = error.clone();
            (changed.then_some(error), s.on_error.clone(), retry)
        };
        if let (Some(error), Some(cb)) = (changed, on_error) {
            cb.emit(error);
        }
        if retry {
            self.0.borrow_mut().retrying = true;
            let me = Rc::downgrade(&self.0);
            // Forgotten, not stored: dropping a running timer's closure is not allowed.
            Timeout::new(RETRY_MS, move || {
                if let Some(saver) = me.upgrade() {
                    saver.borrow_mut().retrying = false;
                    Autosave(saver).flush();
                }
            })
            .forget();
        }
    }
}

/// The saver for this session, run after every action (the first of the
/// `observers`), and the last save error (`None` once a save succeeds).
#[hook]
pub fn use_autosave(session: Rc<Session>, observers: &Observers) -> (Autosave, Option<StoreError>) {
    let error = use_state(|| None::<StoreError>);
    let saver = use_memo((), |_| {
        let saver = Autosave::new(session);
        let s = saver.clone();
        observers.add(move |state| s.after(state));
        saver
    });
    saver.0.borrow_mut().on_error = Some({
        let set = error.setter();
        Callback::from(move |e| set.set(e))
    });
    ((*saver).clone(), (*error).clone())
}

/// Merge what other tabs write for the open article (their `storage`
/// events), write back what a crossing write left out, and try once more
/// when the page is hidden if anything is still queued.
/// Keep the open article's paint description for the next visit's first
/// paint (see `core::markup` and `assets/first-paint.js`): on opening, and
/// when its details change its direction. In the task after the render, so
/// it never delays `claimmark:ready`; unchanged, it is not written again.
#[hook]
pub fn use_paint_record(session: &Rc<Session>, article: &Rc<Article>) {
    let store = session.store.clone();
    use_effect_with(ArticleRef(article.clone()), move |a| {
        let article = a.0.clone();
        let later = Timeout::new(0, move || {
            let _ = storage::save_paint(&*store, &article);
        });
        move || drop(later)
    });
}

#[hook]
pub fn use_other_tabs(state: UseReducerHandle<AppState>, saver: Autosave) {
    {
        let saver = saver.clone();
        use_effect_with((), move |_| {
            let s1 = saver.clone();
            let hide = EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                commit_typing();
                if s1.0.borrow().writer.pending() {
                    s1.flush();
                }
            });
            // A phone switching apps may never come back: what is being
            // typed is committed when the page is hidden, and the cursor
            // put back when it is shown again.
            let left = Rc::new(RefCell::new(None::<web_sys::HtmlElement>));
            let visibility =
                EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
                    let doc = gloo::utils::document();
                    if doc.hidden() {
                        *left.borrow_mut() = commit_typing();
                    } else if let Some(el) = left.borrow_mut().take() {
                        if el.is_connected() {
                            let _ = el.focus();
                        }
                    }
                });
            move || drop((hide, visibility))
        });
    }
    let dispatcher = state.dispatcher();
    let article = state.article();
    use_effect_with(ArticleRef(article), move |a| {
        let article: Rc<Article> = a.0.clone();
        let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
            let Some(e) = e.dyn_ref::<web_sys::StorageEvent>() else {
                return;
            };
            let Some(key) = e.key() else { return };
            match parse_key(&key) {
                Key::Chunk(id, _) if id == article.id => {}
                Key::Details(id) if id == article.id => {
                    // Details another tab edited: the later edit wins.
                    if let Some((details, changed)) = e.new_value().and_then(|v| decode_details(&v))
                    {
                        dispatcher.dispatch(Action::MergeDetails { details, changed });
                    }
                    return;
                }
                _ => return,
            }
            // A removed chunk (the article deleted elsewhere) or one that
            // cannot be read here (unreadable, newer) is left alone.
            let Some(Ok(new)) = e.new_value().map(|v| decode_chunk(&v, &article)) else {
                return;
            };
            let old = e
                .old_value()
                .and_then(|v| decode_chunk(&v, &article).ok())
                .unwrap_or_default();
            let mut entries = old.clone();
            entries.extend(new.iter().cloned());
            // Dispatch only what wins here: an event that brings nothing
            // new costs no render.
            let latest = saver.0.borrow().latest.upgrade();
            if let Some(state) = latest {
                let state = state.borrow();
                entries.retain(|e| state.entry(&e.id).is_none_or(|mine| wins(e, &mine)));
            }
            if !entries.is_empty() {
                dispatcher.dispatch(Action::Merge { entries });
            }
            saver.repair(&old, &new);
            web::mark_memory("claimmark:merged");
        });
        move || drop(listener)
    });
}

/// Download the open article and its annotations as claimmark JSON (the way
/// out when saving fails), saying whether it started.
pub fn export_json(state: &AppState, say: &Messenger) {
    let s = state.get();
    let format = formats::Format::Claimmark;
    let cx = formats::Context {
        now: web::now(),
        ..Default::default()
    };
    let (name, say) = (format.file_name(&s.article), say.clone());
    web::later::export(
        format,
        &s.article,
        s.annotations(),
        &cx,
        move |text| match text.map(|t| local_store::download(&name, format.mime(), &t)) {
            Ok(Ok(())) => say.status(format!("Downloaded {name}")),
            Ok(Err(_)) => say.error("The download could not start."),
            Err(e) => say.error(format!("The claimmark JSON file was not written: {e}.")),
        },
    );
}

/// Whether `key` (an article record or chunk) belongs to an article saved by
/// a newer claimmark, never written here.
fn is_protected(session: &Session, key: &str) -> bool {
    let article = match parse_key(key) {
        Key::Article(id) | Key::Chunk(id, _) => storage::article_key(&id),
        _ => key.to_string(),
    };
    session.protected.borrow().contains(&article)
}

#[derive(Properties, PartialEq)]
pub struct NoticesProps {
    pub session: SessionRef,
    pub save_error: Option<StoreError>,
    pub on_export: Callback<()>,
}

/// Say once, when the app starts, what putting the journal back did: work
/// the browser had not yet written to disk when it last closed, back on
/// screen; or work it could not put back yet (a full store).
#[hook]
pub fn use_recovered(session: &Rc<Session>, say: &super::messages::Messenger) {
    let (session, say) = (session.clone(), say.clone());
    use_effect_with((), move |_| {
        let r = &session.recovered;
        if let Some((_, e)) = r.failed.first() {
            say.error(format!(
                "Some work from just before the browser last closed could not be put back yet: {e}. It is kept in this browser and put back when claimmark next starts with room (deleting articles in the Library frees room)."
            ));
        } else if !r.restored.is_empty() {
            say.notice("Recovered your last changes: the browser closed before it had written them to disk, and claimmark kept a copy.");
        }
    });
}

/// Plain-words messages about storage, each in `role="alert"`.
#[function_component(Notices)]
pub fn notices(p: &NoticesProps) -> Html {
    let session = &p.session.0;
    // A journal write that failed (its words), after start-up.
    let trouble = use_state(|| None::<String>);
    {
        let (session, set) = (session.clone(), trouble.setter());
        use_effect_with((), move |_| {
            if let Some(j) = &session.journal {
                j.on_trouble(move |why| set.set(Some(why)));
            }
        });
    }
    let unprotected = session
        .journal_problem
        .clone()
        .or_else(|| (*trouble).clone())
        .filter(|_| session.storage_problem.is_none())
        .map(|why| {
            html! {
                <div class="notice" role="alert">
                    <p><strong>{ "Saved, but not protected against a crash: " }</strong>
                       { format!("the browser refused claimmark's crash-proof copy ({why}). Your work is saved as you go, but if the browser is killed, the last few seconds of it may be lost.") }</p>
                </div>
            }
        });
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
        let (lead, what_next) = match e {
            StoreError::Protected(_) => (
                "Changes to this article are not saved: ",
                "They stay on screen while this tab is open; the saved copy is left as it is. Export your annotations to keep them.",
            ),
            _ => (
                "Your work is not being saved: ",
                "It stays on screen while this tab is open, and what was saved before is untouched. claimmark tries again every few seconds and on every change, and saves it as soon as it can (deleting articles in the Library frees room). Export your annotations to be safe.",
            ),
        };
        html! {
            <div class="notice notice-error" role="alert">
                <p><strong>{ lead }</strong>{ format!("{e}. ") }{ what_next }</p>
                <button type="button" onclick={export.clone()}>{ "Export annotations" }</button>
            </div>
        }
    });
    let problems = session.problems.iter().map(|pr| match pr {
        Problem::Corrupt { key, backup_key, raw, reason } => {
            let kept = match backup_key {
                Some(_) => "Nothing was deleted: the unreadable data is kept as a backup in this browser (listed under Backups in the Library).",
                None if is_protected(session, key) => "Nothing was deleted: the data stays where it was and is never written over by this version.",
                None => "Nothing was deleted: the unreadable data stays where it was, and is copied to a backup before anything is written in its place (there is no room for the copy yet).",
            };
            // What it is, in words: the text, annotations, or the library.
            let what = match parse_key(key) {
                Key::Article(_) => "This article's saved copy could not be read: ",
                Key::Chunk(..) => "Some saved annotations could not be read: ",
                Key::Index => "The library's list could not be read (it was rebuilt from the articles stored): ",
                _ => "Saved data could not be read: ",
            };
            let (raw, key) = (raw.clone(), key.clone());
            let download = Callback::from(move |_: MouseEvent| {
                let name = format!("claimmark-unreadable-{}.json", key.rsplit(':').next().unwrap_or("record"));
                if let Err(e) = local_store::download(&name, "application/json", &raw) {
                    web_sys::console::error_1(&e);
                }
            });
            html! {
                <div class="notice notice-error" role="alert">
                    <p><strong>{ what }</strong>{ format!("{reason}. {kept}") }</p>
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
            { for unprotected }
            { for failed }
            { for problems }
        </div>
    }
}

/// Commit the text field being typed in (its `change` fires, which saves in
/// the same task), and say which it was. Fields commit when left; a reload,
/// a closed tab or a hidden page leaves them too.
fn commit_typing() -> Option<web_sys::HtmlElement> {
    let el = gloo::utils::document().active_element()?;
    let typing = el.is_instance_of::<web_sys::HtmlTextAreaElement>()
        || el.is_instance_of::<web_sys::HtmlInputElement>();
    if !typing {
        return None;
    }
    let el: web_sys::HtmlElement = el.dyn_into().ok()?;
    let _ = el.blur();
    Some(el)
}
