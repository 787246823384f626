//! The team client's state, private to this file: the connection and its
//! health, what the server was last seen to hold ([`ServerView`]), the
//! outgoing queue's length, and the changes of this person that lost.
//! Every other part of the client reads and changes it through the
//! methods of [`Shared`], which keep the status true: it is recomputed
//! from these facts (`Status::of`) whenever one changes, told to the app
//! when it differs, and said when its kind changes.

use std::cell::RefCell;
use std::collections::HashSet;
use std::future::Future;
use std::rc::Rc;

use futures::channel::mpsc::UnboundedSender;
use wasm_bindgen_futures::JsFuture;

use super::report::{Member, Report};
use crate::core::merge::Entry;
use crate::core::storage::{self, Store};
use crate::core::sync::queue::{self, Config, Queue};
use crate::core::sync::{backoff, Facts, Lost, ServerView, Status, Trouble};
use crate::core::{AnnotationId, Article, ArticleId, State};
use crate::web::couch::{Couch, CouchError};

struct Inner {
    store: Rc<dyn Store>,
    /// The workspace's state (read only: the client changes it through
    /// the reports it sends).
    state: Rc<RefCell<State>>,
    report: Rc<dyn Fn(Report)>,
    config: Option<Config>,
    /// Signed in: the connection (its password lives only in it).
    couch: Option<Couch>,
    editor: bool,
    view: ServerView,
    /// Articles known to be on the server as they are here (shared, or
    /// checked).
    shared: HashSet<ArticleId>,
    /// Signing in, the answer not in yet.
    connecting: bool,
    /// A request has come back since signing in.
    answered: bool,
    /// The last request failed, and how: cleared by the next answer.
    trouble: Option<Trouble>,
    /// Requests failed in a row (the wait before the next grows with it).
    failures: u32,
    /// The wait before the next try, as last chosen.
    delay_ms: u32,
    /// The open article's first sync or catch-up, under way.
    syncing: Option<(usize, Option<usize>)>,
    /// The open article's first sync or catch-up is done: pushes may go.
    ready: bool,
    waiting: usize,
    status: Status,
    lost: Vec<Lost>,
    /// Wakes the pusher.
    nudge: Option<UnboundedSender<()>>,
    /// Resolve the waits under way early (the browser is back online, or
    /// another request came back).
    wake: Vec<js_sys::Function>,
    /// The longpoll under way, to cancel.
    poll: Option<web_sys::AbortController>,
}

/// The client's state, shared by its tasks (borrowed only between awaits).
#[derive(Clone)]
pub(super) struct Shared(Rc<RefCell<Inner>>);

fn queue_of(store: &dyn Store) -> Queue {
    Queue::read(store.get(&queue::queue_key()).ok().flatten().as_deref())
}

/// How a failed request reads as trouble, and whether trying again can help.
fn trouble_of(err: &CouchError, retry_s: u32) -> Trouble {
    let online = web_sys::window().is_none_or(|w| w.navigator().on_line());
    match err {
        CouchError::WrongPassword => Trouble::WrongPassword,
        CouchError::NotMember => Trouble::NotMember,
        CouchError::Unreachable(_) if !online => Trouble::Offline,
        CouchError::Unreachable(_) => Trouble::Unreachable { retry_s },
        other => Trouble::Failed {
            why: format!("Team server: {other}"),
            retry_s: Some(retry_s),
        },
    }
}

/// How the team's alerts start on the page (the status's, and only those,
/// are taken back when the trouble is over).
pub(super) const TEAM: &str = "Team: ";

impl Shared {
    pub(super) fn new(
        store: Rc<dyn Store>,
        state: Rc<RefCell<State>>,
        report: Rc<dyn Fn(Report)>,
    ) -> Shared {
        let config = Config::read(store.get(&queue::config_key()).ok().flatten().as_deref());
        let waiting = if config.is_some() {
            queue_of(&*store).len()
        } else {
            0
        };
        Shared(Rc::new(RefCell::new(Inner {
            store,
            state,
            report,
            config,
            couch: None,
            editor: false,
            view: ServerView::default(),
            shared: HashSet::new(),
            connecting: false,
            answered: false,
            trouble: None,
            failures: 0,
            delay_ms: 0,
            syncing: None,
            ready: false,
            waiting,
            status: Status::Off,
            lost: vec![],
            nudge: None,
            wake: vec![],
            poll: None,
        })))
    }

    /// Tell the app (never while the state is borrowed: the app may call
    /// back at once).
    pub(super) fn report(&self, r: Report) {
        let f = self.0.borrow().report.clone();
        f(r);
    }

    pub(super) fn store(&self) -> Rc<dyn Store> {
        self.0.borrow().store.clone()
    }

    pub(super) fn couch(&self) -> Option<Couch> {
        self.0.borrow().couch.clone()
    }

    pub(super) fn editor(&self) -> bool {
        self.0.borrow().editor
    }

    pub(super) fn config(&self) -> Option<Config> {
        self.0.borrow().config.clone()
    }

    /// The article open in the workspace.
    pub(super) fn open_article(&self) -> Rc<Article> {
        self.0.borrow().state.borrow().article.clone()
    }

    /// The versions of `ids` of `article` here: from the open state, or
    /// from storage.
    pub(super) fn versions(&self, article: &ArticleId, ids: &[AnnotationId]) -> Vec<Entry> {
        let inner = self.0.borrow();
        let state = inner.state.borrow();
        if state.article.id == *article {
            return ids.iter().filter_map(|id| state.entry(id)).collect();
        }
        storage::read_versions(&*inner.store, article, ids)
    }

    /// Every annotation id of the open article here.
    pub(super) fn open_ids(&self) -> Vec<AnnotationId> {
        let inner = self.0.borrow();
        let state = inner.state.borrow();
        state.entries().map(|e| e.id).collect()
    }

    /// The outgoing queue as stored (every tab of the browser adds to it).
    pub(super) fn queue(&self) -> Queue {
        queue_of(&*self.store())
    }

    /// Store the queue and show how much waits.
    pub(super) fn write_queue(&self, q: &Queue) {
        let _ = self.store().set(&queue::queue_key(), &q.encode());
        self.0.borrow_mut().waiting = q.len();
        self.refresh();
    }

    /// The queue changed in storage (another tab, or this one): count it again.
    pub(super) fn recount(&self) {
        let n = self.queue().len();
        self.0.borrow_mut().waiting = n;
        self.refresh();
    }

    /// Work with what the server was last seen to hold.
    pub(super) fn view<R>(&self, f: impl FnOnce(&mut ServerView) -> R) -> R {
        f(&mut self.0.borrow_mut().view)
    }

    pub(super) fn is_shared(&self, article: &ArticleId) -> bool {
        self.0.borrow().shared.contains(article)
    }

    pub(super) fn mark_shared(&self, article: &ArticleId) {
        self.0.borrow_mut().shared.insert(article.clone());
    }

    pub(super) fn ready(&self) -> bool {
        self.0.borrow().ready
    }

    /// The open article's first sync or catch-up: under way (rows read, of
    /// how many) or not; done (`ready`) once it ends.
    pub(super) fn set_syncing(&self, syncing: Option<(usize, Option<usize>)>, ready: bool) {
        {
            let mut inner = self.0.borrow_mut();
            inner.syncing = syncing;
            inner.ready = ready;
        }
        self.refresh();
    }

    // ------------------------------------------------------------ session

    /// Remember the team set up here (never the password), or forget it.
    pub(super) fn set_config(&self, config: Option<Config>) {
        let store = self.store();
        match &config {
            Some(c) => {
                let _ = store.set(&queue::config_key(), &c.encode());
            }
            None => {
                let _ = store.remove(&queue::config_key());
            }
        }
        self.0.borrow_mut().config = config;
        self.recount();
    }

    /// Signed in as `couch.user` (an editor or not), following the open
    /// article from scratch.
    pub(super) fn signed_in(&self, couch: Couch, editor: bool) {
        let member = Member {
            user: couch.user.clone(),
            editor,
            db: couch.db.clone(),
        };
        {
            let mut inner = self.0.borrow_mut();
            inner.couch = Some(couch);
            inner.connecting = false;
            inner.editor = editor;
            inner.shared.clear();
            inner.answered = true;
            inner.trouble = None;
            inner.failures = 0;
        }
        self.report(Report::SignedIn(Some(member)));
        self.refresh();
    }

    /// Signed out: the connection (and its password) is dropped.
    pub(super) fn signed_out(&self) {
        {
            let mut inner = self.0.borrow_mut();
            inner.couch = None;
            inner.editor = false;
            inner.answered = false;
            inner.trouble = None;
            inner.failures = 0;
            inner.syncing = None;
            inner.ready = false;
            inner.lost.clear();
            inner.view.follow(None);
        }
        self.wake();
        self.report(Report::SignedIn(None));
        self.report(Report::Lost(vec![]));
        self.refresh();
    }

    /// Start following `article` (nothing known of it yet).
    pub(super) fn follow(&self, article: &ArticleId) {
        {
            let mut inner = self.0.borrow_mut();
            inner.view.follow(Some(article.clone()));
            inner.ready = false;
            inner.syncing = None;
            if let Some(c) = inner.poll.take() {
                c.abort();
            }
        }
        self.refresh();
    }

    /// The longpoll under way (cancelled by [`Shared::follow`] or signing out).
    pub(super) fn set_poll(&self, poll: Option<web_sys::AbortController>) {
        let old = std::mem::replace(&mut self.0.borrow_mut().poll, poll);
        drop(old);
    }

    pub(super) fn cancel_poll(&self) {
        if let Some(c) = self.0.borrow_mut().poll.take() {
            c.abort();
        }
    }

    // -------------------------------------------------------------- lost

    /// Changes of this person that lost: kept until brought back or dismissed.
    pub(super) fn add_lost(&self, lost: Vec<Lost>) {
        if lost.is_empty() {
            return;
        }
        let all = {
            let mut inner = self.0.borrow_mut();
            inner.lost.extend(lost);
            inner.lost.clone()
        };
        self.report(Report::Lost(all));
    }

    /// Take lost change `i` out (to bring it back, or to dismiss it).
    pub(super) fn take_lost(&self, i: usize) -> Option<Lost> {
        let (item, all) = {
            let mut inner = self.0.borrow_mut();
            if i >= inner.lost.len() {
                return None;
            }
            let item = inner.lost.remove(i);
            (item, inner.lost.clone())
        };
        self.report(Report::Lost(all));
        Some(item)
    }

    pub(super) fn lost(&self, i: usize) -> Option<Lost> {
        self.0.borrow().lost.get(i).cloned()
    }

    // ------------------------------------------------------------ health

    /// Send a request and note how it went: an answer clears any trouble
    /// (and wakes the waits and the pusher, so everything goes again at
    /// once); a failure is trouble until the next answer.
    pub(super) async fn ask<T>(
        &self,
        request: impl Future<Output = Result<T, CouchError>>,
    ) -> Result<T, CouchError> {
        let result = request.await;
        match &result {
            // A refusal is an answer: the server works, the document was
            // not allowed (the caller says why).
            Ok(_) | Err(CouchError::Forbidden(_)) => self.answered(),
            Err(CouchError::Aborted) => {}
            Err(e) => self.failed(e),
        }
        result
    }

    fn answered(&self) {
        let was = {
            let mut inner = self.0.borrow_mut();
            inner.answered = true;
            inner.failures = 0;
            inner.trouble.take()
        };
        if was.is_some() {
            // Through again: the pusher sends what waited.
            self.wake();
            self.nudge();
            self.refresh();
        }
    }

    /// A request failed: the wait before the next try grows (1 s doubling
    /// to 60 s, jittered), and the status says why.
    pub(super) fn failed(&self, err: &CouchError) {
        {
            let mut inner = self.0.borrow_mut();
            let ms = backoff::delay_ms(inner.failures, js_sys::Math::random());
            inner.failures = inner.failures.saturating_add(1);
            inner.delay_ms = ms;
            inner.trouble = Some(trouble_of(err, ms.div_ceil(1000)));
        }
        self.refresh();
    }

    /// Signing in: the answer is awaited.
    pub(super) fn connecting(&self) {
        self.0.borrow_mut().connecting = true;
        self.refresh();
    }

    /// Quietly take the trouble of a failed sign-in: the Team dialog's own
    /// alert says why, and the status line shows it.
    pub(super) fn sign_in_failed(&self, err: &CouchError) {
        {
            let mut inner = self.0.borrow_mut();
            inner.trouble = Some(trouble_of(err, 0));
            inner.failures = 0;
            inner.connecting = false;
        }
        self.refresh_said(false);
    }

    /// The browser says it is offline.
    pub(super) fn offline(&self) {
        if self.couch().is_none() {
            return;
        }
        self.0.borrow_mut().trouble = Some(Trouble::Offline);
        self.refresh();
    }

    /// Whether trying again can help (not after a wrong password, or for
    /// someone who is not a member: they must sign in again).
    pub(super) fn can_retry(&self) -> bool {
        !matches!(
            self.0.borrow().trouble,
            Some(Trouble::WrongPassword | Trouble::NotMember)
        )
    }

    /// Wait as long as the last failure asked (less if woken).
    pub(super) async fn back_off(&self) {
        let ms = self.0.borrow().delay_ms.max(1);
        self.wait(ms).await;
    }

    /// Wait `ms`, or less if woken.
    pub(super) async fn wait(&self, ms: u32) {
        let mut resolve_slot = None;
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    &resolve,
                    ms.min(i32::MAX as u32) as i32,
                );
            }
            resolve_slot = Some(resolve);
        });
        if let Some(r) = resolve_slot {
            self.0.borrow_mut().wake.push(r);
        }
        let _ = JsFuture::from(promise).await;
    }

    /// End every wait under way now.
    pub(super) fn wake(&self) {
        let all = std::mem::take(&mut self.0.borrow_mut().wake);
        for f in all {
            let _ = f.call0(&wasm_bindgen::JsValue::NULL);
        }
    }

    /// The pusher's signal (set when it starts).
    pub(super) fn set_nudge(&self, nudge: Option<UnboundedSender<()>>) {
        self.0.borrow_mut().nudge = nudge;
    }

    /// Wake the pusher: something was queued.
    pub(super) fn nudge(&self) {
        if let Some(n) = &self.0.borrow().nudge {
            let _ = n.unbounded_send(());
        }
    }

    // ------------------------------------------------------------ status

    fn facts(&self) -> Facts {
        let inner = self.0.borrow();
        Facts {
            configured: inner.config.is_some() || inner.couch.is_some(),
            signed_in: inner.couch.is_some(),
            connecting: inner.connecting,
            answered: inner.answered,
            trouble: inner.trouble.clone(),
            syncing: if inner.ready {
                None
            } else {
                Some(inner.syncing.unwrap_or((0, None)))
            },
            waiting: inner.waiting,
        }
    }

    /// Recompute the status; tell the app when it changed, and say it when
    /// its kind changed (a problem in the alert, the rest politely).
    pub(super) fn refresh(&self) {
        self.refresh_said(true)
    }

    fn refresh_said(&self, say: bool) {
        let next = Status::of(&self.facts());
        let before = {
            let mut inner = self.0.borrow_mut();
            if inner.status == next {
                return;
            }
            std::mem::replace(&mut inner.status, next.clone())
        };
        if before.is_problem() && !next.is_problem() {
            self.report(Report::ClearAlert);
        }
        if say && next.worth_saying(&before) {
            if next.is_problem() {
                self.report(Report::Alert(format!("{TEAM}{}.", next.words())));
            } else {
                self.report(Report::Say(format!("{TEAM}{}", next.words())));
            }
        }
        self.report(Report::Status(next));
    }

    /// Forget the team here: its settings, the queue, the checkpoints and
    /// the articles checked (the next sign-in compares everything again,
    /// so nothing made in between is lost).
    pub(super) fn forget(&self) {
        let store = self.store();
        let _ = store.remove(&queue::queue_key());
        let prefixes = [queue::checkpoint_prefix(), queue::checked_prefix()];
        for k in store.keys().unwrap_or_default() {
            if prefixes.iter().any(|p| k.starts_with(p.as_str())) {
                let _ = store.remove(&k);
            }
        }
        self.set_config(None);
    }
}
