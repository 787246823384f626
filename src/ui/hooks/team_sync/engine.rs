//! The sync engine's shared state and the small things every part uses:
//! the generation that stops old loops, the queue in storage, the status
//! (said in the live region when it is news), waiting with backoff and
//! being woken early by the browser's `online` event.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use yew::prelude::*;

use crate::core::storage::merge::{Clock, Entry};
use crate::core::storage::{self as persist, Store};
use crate::core::sync::queue::{self, Queue};
use crate::core::sync::{backoff, Status};
use crate::core::{AnnotationId, Article, ArticleId, State};
use crate::ui::app_state::AppState;
use crate::ui::messages::Messenger;
use crate::web::couch::{Couch, CouchError};

use super::push::push_soon;
use super::Lost;

/// How many documents one `_bulk_docs` or `_all_docs` page carries.
pub(super) const BATCH: usize = 1000;
/// How long a longpoll may stay open before it is asked again (servers
/// that ignore `timeout` would otherwise hold it forever).
pub(super) const POLL_MS: i32 = 60_000;

/// What the server last showed of one annotation of the open article.
#[derive(Clone, Debug)]
pub(super) struct Known {
    pub(super) rev: String,
    pub(super) author: Option<String>,
}

pub(super) struct Engine {
    pub(super) store: Rc<dyn Store>,
    pub(super) shared: Option<Rc<RefCell<State>>>,
    pub(super) dispatch: UseReducerDispatcher<AppState>,
    pub(super) say: Messenger,
    pub(super) set_status: Callback<Status>,
    pub(super) set_lost: Callback<Vec<Lost>>,
    pub(super) lost: Vec<Lost>,
    pub(super) couch: Option<Couch>,
    /// Bumped on sign-in, sign-out and opening another article: loops of
    /// an older generation stop.
    pub(super) gen: u64,
    pub(super) article: Option<ArticleId>,
    pub(super) known: HashMap<AnnotationId, Known>,
    /// The clock of the version of each annotation of the open article
    /// this tab last sent: a version from the team that says it overwrote
    /// that one unseen means this person's edit lost.
    pub(super) sent: HashMap<AnnotationId, Clock>,
    /// Versions from the team that the next push of each id replaces
    /// unseen (their clocks), to be named in the pushed document.
    pub(super) overwriting: HashMap<AnnotationId, Clock>,
    /// Articles whose `article:` and `list:` documents are on the server.
    pub(super) shared_articles: HashSet<ArticleId>,
    /// The open article's first sync or catch-up is done: pushes may go.
    pub(super) ready: bool,
    pub(super) pushing: bool,
    pub(super) again: bool,
    pub(super) push_attempt: u32,
    pub(super) poll: Option<web_sys::AbortController>,
    /// Resolves the current backoff wait early (the `online` event).
    pub(super) wake: Vec<js_sys::Function>,
    pub(super) status: Status,
}

pub(super) type Shared = Rc<RefCell<Engine>>;

pub(super) fn stale(e: &Shared, gen: u64) -> bool {
    let e = e.borrow();
    e.gen != gen || e.couch.is_none()
}

pub(super) fn queue_of(store: &dyn Store) -> Queue {
    Queue::read(store.get(&queue::queue_key()).ok().flatten().as_deref())
}

pub(super) fn write_queue(store: &dyn Store, q: &Queue) {
    let _ = store.set(&queue::queue_key(), &q.encode());
}

/// How the team's errors start on the page (so they can be taken back).
const TEAM_ERROR: &str = "Team: ";

/// Set the status, and say it when it is news (not every count); a problem
/// that is over takes its error off the page.
pub(super) fn set_status(e: &Shared, s: Status) {
    set_status_said(e, s, true)
}

/// Set the status a dialog already tells (a failed sign-in: the Team
/// dialog's own alert says why), without a second alert on the page.
pub(super) fn set_status_in_dialog(e: &Shared, s: Status) {
    set_status_said(e, s, false)
}

fn set_status_said(e: &Shared, s: Status, on_page: bool) {
    let (cb, say, announce, was_problem) = {
        let mut en = e.borrow_mut();
        if en.status == s {
            return;
        }
        let announce = s.worth_saying(&en.status);
        let was_problem = en.status.is_problem();
        en.status = s.clone();
        (en.set_status.clone(), en.say.clone(), announce, was_problem)
    };
    if was_problem && !s.is_problem() {
        say.dismiss_error_starting(TEAM_ERROR);
    }
    if announce && on_page {
        if s.is_problem() {
            say.error(format!("{TEAM_ERROR}{}.", s.words()));
        } else {
            say.status(format!("{TEAM_ERROR}{}", s.words()));
        }
    }
    cb.emit(s);
}

/// The status when nothing is wrong: synced, or sending what waits.
pub(super) fn settled(e: &Shared) -> Status {
    let en = e.borrow();
    let signed_in = en.couch.is_some();
    // The queue is read only when the answer depends on it.
    let waiting = if !signed_in || en.ready {
        queue_of(&*en.store).len()
    } else {
        0
    };
    Status::settled(signed_in, en.ready, waiting, &en.status)
}

/// Wait `ms`, or less if woken (`online`).
pub(super) async fn wait(e: &Shared, ms: u32) {
    let mut resolve_slot = None;
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms as i32);
        }
        resolve_slot = Some(resolve);
    });
    if let Some(r) = resolve_slot {
        e.borrow_mut().wake.push(r);
    }
    let _ = JsFuture::from(promise).await;
}

/// Wake every waiting retry now.
pub(super) fn wake(e: &Shared) {
    let all = std::mem::take(&mut e.borrow_mut().wake);
    for f in all {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
}

pub(super) fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Wait after failure `err` (attempt `attempt`), saying why; `false` when
/// there is no point in trying again (the person must sign in again).
pub(super) async fn back_off(e: &Shared, err: &CouchError, attempt: u32) -> bool {
    let waiting = queue_of(&*e.borrow().store).len();
    let ms = backoff::delay_ms(attempt, js_sys::Math::random());
    let retry_s = ms.div_ceil(1000);
    let status = match err {
        CouchError::WrongPassword => Status::WrongPassword,
        CouchError::NotMember => Status::NotMember,
        CouchError::Aborted => return false,
        CouchError::Unreachable(_) if !online() => Status::Offline { waiting },
        CouchError::Unreachable(_) => Status::Unreachable { retry_s, waiting },
        other => Status::Failed {
            why: format!("Team server: {other}"),
            retry_s: Some(retry_s),
        },
    };
    let fatal = matches!(status, Status::WrongPassword | Status::NotMember);
    set_status(e, status);
    if fatal {
        return false;
    }
    wait(e, ms).await;
    true
}

/// The versions of `ids` here: from the open state, or from storage.
pub(super) fn local_versions(e: &Shared, article: &ArticleId, ids: &[AnnotationId]) -> Vec<Entry> {
    let en = e.borrow();
    if let Some(state) = en.shared.as_ref().map(|s| s.borrow()) {
        if state.article.id == *article {
            return ids.iter().filter_map(|id| state.entry(id)).collect();
        }
    }
    persist::read_versions(&*en.store, article, ids)
}

pub(super) fn open_article(e: &Shared) -> Option<Rc<Article>> {
    let en = e.borrow();
    en.shared.as_ref().map(|s| s.borrow().article.clone())
}

/// Stop everything of the current generation (loops end, a longpoll is
/// cancelled) and start a new one.
pub(super) fn restart(e: &Shared) -> u64 {
    let mut en = e.borrow_mut();
    en.gen += 1;
    en.ready = false;
    en.known.clear();
    en.sent.clear();
    en.overwriting.clear();
    if let Some(c) = en.poll.take() {
        c.abort();
    }
    en.gen
}

impl Engine {
    /// A new engine, signed out, for the workspace's state `shared`.
    pub(super) fn new(
        store: Rc<dyn Store>,
        shared: Rc<RefCell<State>>,
        dispatch: UseReducerDispatcher<AppState>,
        say: Messenger,
        set_status: Callback<Status>,
        set_lost: Callback<Vec<Lost>>,
    ) -> Engine {
        Engine {
            store,
            shared: Some(shared),
            dispatch,
            say,
            set_status,
            set_lost,
            lost: vec![],
            couch: None,
            gen: 0,
            article: None,
            known: HashMap::new(),
            sent: HashMap::new(),
            overwriting: HashMap::new(),
            shared_articles: HashSet::new(),
            ready: false,
            pushing: false,
            again: false,
            push_attempt: 0,
            poll: None,
            wake: vec![],
            status: Status::Off,
        }
    }
}

/// Listen to the browser: another tab queued a change (`storage`), the
/// network is back (`online`: retries wake, the pusher starts) or gone
/// (`offline`). Listening stops when the listeners are dropped.
pub(super) fn listen(engine: &Shared) -> [EventListener; 3] {
    let e1 = engine.clone();
    let storage = EventListener::new(&gloo::utils::window(), "storage", move |ev| {
        let key = ev.dyn_ref::<web_sys::StorageEvent>().and_then(|s| s.key());
        if key.as_deref() == Some(queue::queue_key().as_str()) {
            push_soon(&e1);
        }
    });
    let e2 = engine.clone();
    let online = EventListener::new(&gloo::utils::window(), "online", move |_| {
        wake(&e2);
        push_soon(&e2);
    });
    let e3 = engine.clone();
    let offline = EventListener::new(&gloo::utils::window(), "offline", move |_| {
        if e3.borrow().couch.is_some() {
            let waiting = queue_of(&*e3.borrow().store).len();
            set_status(&e3, Status::Offline { waiting });
        }
    });
    [storage, online, offline]
}
