//! Team sync: the connection to a team's CouchDB database, pulling its
//! changes to the open article, and pushing what changes here.
//!
//! The parts (named as in `core::sync`):
//!
//! - **queue**: every local action's changed ids (`State::touched`) are put
//!   in the outgoing queue in local storage by [`after_action`], which the
//!   saver calls inside each reduction, right after saving — so a change is
//!   queued in the same task it is saved in, in any tab of the browser.
//! - **pusher** ([`push`]): sends queued versions in `_bulk_docs` batches,
//!   each over the revision the server last showed (looked up with
//!   `_all_docs` when not known); a conflict is decided again by the merge
//!   rule; a refusal puts the server's version back and says why; an id
//!   leaves the queue once the server has its current version.
//! - **first sync / catch-up** ([`sync`]): an article never synced with this
//!   database is read with `_all_docs` over its key range, in pages (status
//!   "Syncing 1,000 of 10,000" where the server gives the total), and
//!   everything the server lacks or has older is queued; otherwise the
//!   changes since the **checkpoint** are read.
//! - **longpoll** ([`run`]): `_changes?feed=longpoll` filtered to the
//!   article, resumed from the checkpoint, merged by the rule as another
//!   tab's changes are; the checkpoint moves after each batch is stored.
//! - **backoff**: any failure waits `core::sync::backoff` (1 s doubling to
//!   60 s, jittered) and resumes, at once when the browser says it is
//!   `online` again; the status line says what is wrong in words.
//!
//! What the server sends is checked like an import (`core::sync::doc`); a
//! bad document is skipped with a message naming it. When the server's
//! version beats a change made here that was still waiting, the person is
//! told and offered to bring theirs back (as a new, undoable edit).

use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use gloo::events::EventListener;
use serde::Deserialize;
use serde_json::Value;
use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;

use super::use_latest;
use crate::core::storage::merge::Entry;
use crate::core::storage::{self as persist, Store, Writer};
use crate::core::sync::doc::{self, Remote};
use crate::core::sync::plan::{self, Step};
use crate::core::sync::queue::{self, check_db_url, checkpoint_key, Config, Queue};
use crate::core::sync::{backoff, Status};
use crate::core::{words, Action, Annotation, AnnotationId, Article, ArticleId, State};
use crate::ui::app_state::AppState;
use crate::ui::context::Ctx;
use crate::ui::messages::Messenger;
use crate::web::couch::{Couch, CouchError, Written};
use crate::web::{self};

/// How many documents one `_bulk_docs` or `_all_docs` page carries.
const BATCH: usize = 1000;
/// How long a longpoll may stay open before it is asked again (servers
/// that ignore `timeout` would otherwise hold it forever).
const POLL_MS: i32 = 60_000;

thread_local! {
    /// Whether a team is set up in this browser (so changes are queued).
    static QUEUEING: Cell<bool> = const { Cell::new(false) };
    /// Wakes the pusher of this tab after a change is queued.
    static NUDGE: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Queue what the last action changed here (called by the saver inside
/// each reduction, after saving). Nothing happens without a team.
pub fn after_action(store: &dyn Store, state: &State) {
    if !QUEUEING.with(Cell::get) || state.touched().is_empty() {
        return;
    }
    let key = queue::queue_key();
    let mut q = Queue::read(store.get(&key).ok().flatten().as_deref());
    if q.add(&state.article.id, state.touched()) {
        let _ = store.set(&key, &q.encode());
    }
    if let Some(f) = NUDGE.with(|n| n.borrow().clone()) {
        // After the reduction: the pusher reads the state this one is writing.
        let cb = Closure::once_into_js(move || f());
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(cb.unchecked_ref());
        }
    }
}

/// A change made here that lost to a version from the team, which the
/// person may bring back.
#[derive(Clone, Debug, PartialEq)]
pub struct Lost {
    pub article: ArticleId,
    /// Their version.
    pub annotation: Annotation,
    /// What replaced it, in words ("a later change", "a deletion").
    pub by: String,
}

/// What the team's parts of the UI get: where sync stands and what can be
/// done. Compared by value (it changes only with the status).
#[derive(Clone, PartialEq)]
pub struct Team {
    pub status: Status,
    /// The team as set up (for the dialog), whoever is signed in.
    pub config: Option<Config>,
    /// Signed in: the connection (its user name is `couch.user`).
    pub couch: Option<Couch>,
    pub editor: bool,
    pub lost: Rc<Vec<Lost>>,
    pub sign_in: Callback<SignIn>,
    pub sign_out: Callback<()>,
    /// Bring back lost change `i` (as a new edit), or dismiss it.
    pub bring_back: Callback<usize>,
    pub dismiss: Callback<usize>,
    /// Open one of the team's articles (read from the server).
    pub open: Callback<ArticleId>,
}

/// Signing in: a database URL, a name and a password as typed; the answer
/// (`Err`: why not, in words) goes to `done`.
#[derive(Clone)]
pub struct SignIn {
    pub url: String,
    pub user: String,
    pub password: String,
    pub done: Callback<Result<(), String>>,
}

/// What the server last showed of one annotation of the open article.
#[derive(Clone, Debug)]
struct Known {
    rev: String,
    author: Option<String>,
}

struct Engine {
    store: Rc<dyn Store>,
    shared: Option<Rc<RefCell<State>>>,
    dispatch: UseReducerDispatcher<AppState>,
    say: Messenger,
    set_status: Callback<Status>,
    set_lost: Callback<Vec<Lost>>,
    lost: Vec<Lost>,
    couch: Option<Couch>,
    /// Bumped on sign-in, sign-out and opening another article: loops of
    /// an older generation stop.
    gen: u64,
    article: Option<ArticleId>,
    known: HashMap<AnnotationId, Known>,
    /// Articles whose `article:` and `list:` documents are on the server.
    shared_articles: HashSet<ArticleId>,
    /// The open article's first sync or catch-up is done: pushes may go.
    ready: bool,
    pushing: bool,
    again: bool,
    push_attempt: u32,
    poll: Option<web_sys::AbortController>,
    /// Resolves the current backoff wait early (the `online` event).
    wake: Vec<js_sys::Function>,
    status: Status,
}

type Shared = Rc<RefCell<Engine>>;

fn stale(e: &Shared, gen: u64) -> bool {
    let e = e.borrow();
    e.gen != gen || e.couch.is_none()
}

fn queue_of(store: &dyn Store) -> Queue {
    Queue::read(store.get(&queue::queue_key()).ok().flatten().as_deref())
}

fn write_queue(store: &dyn Store, q: &Queue) {
    let _ = store.set(&queue::queue_key(), &q.encode());
}

/// Set the status, and say it when it is news (not every count).
fn set_status(e: &Shared, s: Status) {
    let (cb, say, announce) = {
        let mut en = e.borrow_mut();
        if en.status == s {
            return;
        }
        let kind = |s: &Status| std::mem::discriminant(s);
        let announce = kind(&en.status) != kind(&s)
            && matches!(
                s,
                Status::Synced
                    | Status::Offline { .. }
                    | Status::Unreachable { .. }
                    | Status::WrongPassword
                    | Status::NotMember
                    | Status::Failed { .. }
            );
        en.status = s.clone();
        (en.set_status.clone(), en.say.clone(), announce)
    };
    if announce {
        if s.is_problem() {
            say.error(format!("Team: {}.", s.words()));
        } else {
            say.status(format!("Team: {}", s.words()));
        }
    }
    cb.emit(s);
}

/// The status when nothing is wrong: synced, or sending what waits.
fn settled(e: &Shared) -> Status {
    let en = e.borrow();
    if en.couch.is_none() {
        return Status::SignedOut {
            waiting: queue_of(&*en.store).len(),
        };
    }
    if !en.ready {
        return en.status.clone();
    }
    match queue_of(&*en.store).len() {
        0 => Status::Synced,
        waiting => Status::Sending { waiting },
    }
}

/// Wait `ms`, or less if woken (`online`).
async fn wait(e: &Shared, ms: u32) {
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
fn wake(e: &Shared) {
    let all = std::mem::take(&mut e.borrow_mut().wake);
    for f in all {
        let _ = f.call0(&wasm_bindgen::JsValue::NULL);
    }
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Wait after failure `err` (attempt `attempt`), saying why; `false` when
/// there is no point in trying again (the person must sign in again).
async fn back_off(e: &Shared, err: &CouchError, attempt: u32) -> bool {
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
fn local_versions(e: &Shared, article: &ArticleId, ids: &[AnnotationId]) -> Vec<Entry> {
    let en = e.borrow();
    if let Some(state) = en.shared.as_ref().map(|s| s.borrow()) {
        if state.article.id == *article {
            return ids.iter().filter_map(|id| state.entry(id)).collect();
        }
    }
    persist::read_versions(&*en.store, article, ids)
}

fn open_article(e: &Shared) -> Option<Rc<Article>> {
    let en = e.borrow();
    en.shared.as_ref().map(|s| s.borrow().article.clone())
}

/// Store versions from the team (merged by the rule, as any write is) and
/// show them when their article is open; `said` is what the live region
/// says ("" for nothing).
fn take(e: &Shared, article: &ArticleId, entries: Vec<Entry>, said: String) {
    if entries.is_empty() {
        return;
    }
    let (store, dispatch, is_open) = {
        let en = e.borrow();
        let is_open = en
            .shared
            .as_ref()
            .is_some_and(|s| s.borrow().article.id == *article);
        (en.store.clone(), en.dispatch.clone(), is_open)
    };
    let mut w = Writer::default();
    for x in &entries {
        w.queue(article, x.clone());
    }
    if let Err(err) = w.flush(&*store, web::now(), &[]) {
        e.borrow()
            .say
            .error(format!("Changes from the team could not be saved in this browser: {err}. They are on screen; claimmark tries again with the next change."));
    }
    if is_open {
        dispatch.dispatch(Action::Adopt {
            entries,
            details: None,
            said,
        });
    }
}

/// Versions from the server for the open article (or `article`): decide
/// each by the rule, take the winners, queue what is newer here, and note
/// changes of this person that lost. `seen` collects the ids read.
fn apply(e: &Shared, article: &ArticleId, remotes: Vec<Remote>, announce: bool) {
    if remotes.is_empty() {
        return;
    }
    let store = e.borrow().store.clone();
    let ids: Vec<AnnotationId> = remotes.iter().map(|r| r.entry.id.clone()).collect();
    let mine: HashMap<AnnotationId, Entry> = local_versions(e, article, &ids)
        .into_iter()
        .map(|x| (x.id.clone(), x))
        .collect();
    let mut q = queue_of(&*store);
    let mut q_changed = false;
    let mut winners = Vec::new();
    let mut lost = Vec::new();
    for r in remotes {
        let id = r.entry.id.clone();
        {
            let mut en = e.borrow_mut();
            if en.article.as_ref() == Some(article) {
                en.known.insert(
                    id.clone(),
                    Known {
                        rev: r.rev.clone(),
                        author: r
                            .author
                            .clone()
                            .or_else(|| r.entry.annotation.as_ref().and_then(|a| a.author.clone())),
                    },
                );
            }
        }
        let local = mine.get(&id);
        match plan::step(local, Some(&r.entry)) {
            Step::InSync => q_changed |= q.remove(article, &id),
            Step::Take => {
                if let Some(l) = local.filter(|_| q.contains(article, &id)) {
                    if plan::loses_edit(l, &r.entry) {
                        if let Some(a) = &l.annotation {
                            lost.push(Lost {
                                article: article.clone(),
                                annotation: a.clone(),
                                by: if r.entry.annotation.is_none() {
                                    "a deletion from the team".into()
                                } else {
                                    "a later change from the team".into()
                                },
                            });
                        }
                    }
                    q_changed |= q.remove(article, &id);
                }
                winners.push(r.entry);
            }
            Step::Push => q_changed |= q.add(article, [&id]),
        }
    }
    if q_changed {
        write_queue(&*store, &q);
    }
    let n = winners.len();
    let said = if announce {
        format!(
            "{} from the team",
            words::count(n, "change", "changes").replacen(
                &n.to_string(),
                &crate::core::sync::status::thousands(n),
                1
            )
        )
    } else {
        String::new()
    };
    take(e, article, winners, said);
    if !lost.is_empty() {
        let (cb, all, say) = {
            let mut en = e.borrow_mut();
            en.lost.extend(lost.iter().cloned());
            (en.set_lost.clone(), en.lost.clone(), en.say.clone())
        };
        for l in &lost {
            say.notice(format!(
                "Your change to “{}” was replaced by {}. “Bring mine back” in the team status restores yours.",
                short(&l.annotation.quote.exact),
                l.by
            ));
        }
        cb.emit(all);
    }
}

fn short(s: &str) -> String {
    let t: String = s.chars().take(60).collect();
    if t.len() < s.len() {
        format!("{}…", t.trim_end())
    } else {
        t
    }
}

/// Read documents (rows of `_changes` or `_all_docs`): the annotations of
/// `article` that pass the checks, and a message naming each skipped one.
fn read_docs<'a>(
    article: &Article,
    docs: impl Iterator<Item = &'a Value>,
    say: &Messenger,
) -> Vec<Remote> {
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for d in docs {
        match doc::read_annotation(d, article) {
            Ok(Some(r)) => out.push(r),
            Ok(None) => {}
            Err(s) => skipped.push(s.to_string()),
        }
    }
    if !skipped.is_empty() {
        say.error(format!(
            "Skipped {} from the team that could not be used (nothing of it was shown): {}.",
            words::count(skipped.len(), "annotation", "annotations"),
            skipped.join("; ")
        ));
    }
    out
}

#[derive(Deserialize)]
struct Rows {
    #[serde(default)]
    rows: Vec<Row>,
    #[serde(default)]
    offset: Option<u64>,
}

#[derive(Deserialize)]
struct Row {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    key: Option<String>,
    #[serde(default)]
    value: Option<RowValue>,
    #[serde(default)]
    doc: Option<Value>,
}

#[derive(Deserialize)]
struct RowValue {
    #[serde(default)]
    rev: String,
    #[serde(default)]
    deleted: bool,
}

#[derive(Deserialize)]
struct Changes {
    #[serde(default)]
    results: Vec<ChangeRow>,
    last_seq: Value,
}

#[derive(Deserialize)]
struct ChangeRow {
    #[serde(default)]
    doc: Option<Value>,
}

fn unreadable(e: serde_json::Error) -> CouchError {
    CouchError::Unreadable(e.to_string())
}

/// Make sure the article's documents are on the server (shared once).
async fn share(e: &Shared, couch: &Couch, article: &Rc<Article>) -> Result<(), CouchError> {
    if e.borrow().shared_articles.contains(&article.id) {
        return Ok(());
    }
    let ids = [
        doc::article_doc_id(&article.id),
        doc::list_doc_id(&article.id),
    ];
    // Asked without bodies: an article's document holds its whole text.
    let url_keys: Vec<String> = ids.to_vec();
    let there = couch.exists(&url_keys).await?;
    if !there[0] {
        couch.create(&ids[0], doc::encode_article(article)).await?;
    }
    if !there[1] {
        couch
            .create(&ids[1], doc::encode_list_entry(article, Some(&couch.user)))
            .await?;
    }
    e.borrow_mut().shared_articles.insert(article.id.clone());
    Ok(())
}

/// Bring the open article up to date with the server: a first sync (its
/// key range, in pages) or the changes since the checkpoint.
async fn sync(
    e: &Shared,
    gen: u64,
    couch: &Couch,
    article: &Rc<Article>,
) -> Result<(), CouchError> {
    let store = e.borrow().store.clone();
    let say = e.borrow().say.clone();
    let ck = checkpoint_key(&couch.db, &article.id);
    if let Some(since) = store.get(&ck).ok().flatten() {
        return catch_up(e, gen, couch, article, since).await;
    }
    let info = couch.info().await?;
    let since = info
        .get("update_seq")
        .cloned()
        .unwrap_or(Value::from(0))
        .to_string();
    let (start, end) = doc::ann_range(&article.id);
    // The total, where the server counts rows before a key (CouchDB does).
    let total = match couch.all_docs_range(&end, &end, 0, 0, false).await {
        Ok(t) => serde_json::from_str::<Rows>(&t).ok().and_then(|r| r.offset),
        Err(_) => None,
    };
    let mut done = 0usize;
    let mut seen: HashSet<AnnotationId> = HashSet::new();
    let mut skip = 0;
    let mut first_offset = None;
    loop {
        if stale(e, gen) {
            return Err(CouchError::Aborted);
        }
        let text = couch
            .all_docs_range(&start, &end, skip, BATCH, true)
            .await?;
        let page: Rows = serde_json::from_str(&text).map_err(unreadable)?;
        if first_offset.is_none() {
            first_offset = page.offset;
        }
        let n = page.rows.len();
        let remotes = read_docs(
            article,
            page.rows.iter().filter_map(|r| r.doc.as_ref()),
            &say,
        );
        seen.extend(
            page.rows
                .iter()
                .filter_map(|r| r.id.as_deref())
                .filter_map(|id| doc::parse_ann_doc_id(id).map(|(_, a)| a)),
        );
        apply(e, &article.id, remotes, false);
        done += n;
        let total = match (total, first_offset) {
            (Some(end), Some(start)) if end > start => Some((end - start) as usize),
            _ => None,
        };
        set_status(e, Status::Syncing { done, total });
        if n < BATCH {
            break;
        }
        skip += BATCH;
    }
    // Everything here the server has not got goes in the queue (which
    // survives a reload), then the checkpoint: from now on, changes.
    let local: Vec<AnnotationId> = {
        let en = e.borrow();
        match en.shared.as_ref() {
            Some(s) => s
                .borrow()
                .entries()
                .map(|x| x.id)
                .filter(|id| !seen.contains(id))
                .collect(),
            None => vec![],
        }
    };
    let mut q = queue_of(&*store);
    if q.add(&article.id, local.iter()) {
        write_queue(&*store, &q);
    }
    let _ = store.set(&ck, &since);
    if done > 0 {
        say.status(format!(
            "{} from the team",
            words::count(done, "annotation", "annotations").replacen(
                &done.to_string(),
                &crate::core::sync::status::thousands(done),
                1
            )
        ));
    }
    Ok(())
}

/// Read the changes since `since` in batches, storing the checkpoint after each.
async fn catch_up(
    e: &Shared,
    gen: u64,
    couch: &Couch,
    article: &Rc<Article>,
    mut since: String,
) -> Result<(), CouchError> {
    loop {
        if stale(e, gen) {
            return Err(CouchError::Aborted);
        }
        let text = couch
            .changes(&article.id.0, &since, false, BATCH, None)
            .await?;
        let n = take_changes(e, article, &text, &mut since, true)?;
        if n < BATCH {
            return Ok(());
        }
    }
}

/// Apply a `_changes` answer and move the checkpoint; how many rows it had.
fn take_changes(
    e: &Shared,
    article: &Rc<Article>,
    text: &str,
    since: &mut String,
    announce: bool,
) -> Result<usize, CouchError> {
    let changes: Changes = serde_json::from_str(text).map_err(unreadable)?;
    let say = e.borrow().say.clone();
    let n = changes.results.len();
    let remotes = read_docs(
        article,
        changes.results.iter().filter_map(|c| c.doc.as_ref()),
        &say,
    );
    let conflicted: Vec<Remote> = remotes
        .iter()
        .filter(|r| !r.conflicts.is_empty())
        .cloned()
        .collect();
    apply(e, &article.id, remotes, announce);
    *since = changes.last_seq.to_string();
    let (store, db) = {
        let en = e.borrow();
        (en.store.clone(), en.couch.as_ref().map(|c| c.db.clone()))
    };
    if let Some(db) = db {
        let _ = store.set(&checkpoint_key(&db, &article.id), since);
    }
    if !conflicted.is_empty() {
        let e = e.clone();
        let article = article.clone();
        spawn_local(async move {
            let couch = e.borrow().couch.clone();
            if let Some(couch) = couch {
                let _ = resolve_conflicts(&e, &couch, &article, conflicted).await;
            }
        });
    }
    Ok(n)
}

/// Revisions in conflict inside the database (replication between
/// servers): the greatest version by the rule is written over the current
/// revision and the others are deleted — every client writes the same.
async fn resolve_conflicts(
    e: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    list: Vec<Remote>,
) -> Result<(), CouchError> {
    for r in list {
        let doc_id = doc::ann_doc_id(&article.id, &r.entry.id);
        let mut versions = vec![r.clone()];
        for rev in &r.conflicts {
            if let Some(text) = couch.get(&doc_id, Some(rev)).await? {
                let v: Value = serde_json::from_str(&text).map_err(unreadable)?;
                if let Ok(Some(x)) = doc::read_annotation(&v, article) {
                    versions.push(x);
                }
            }
        }
        let Some(best) = plan::pick(versions.iter().map(|v| v.entry.clone())) else {
            continue;
        };
        let author = |v: &Remote| {
            v.author
                .clone()
                .or_else(|| v.entry.annotation.as_ref().and_then(|a| a.author.clone()))
        };
        let mut docs = Vec::new();
        if best != r.entry {
            docs.push(doc::encode_annotation(
                &article.id,
                &best,
                Some(&r.rev),
                author(&r).as_deref(),
            ));
        }
        for v in versions.iter().skip(1) {
            let gone = Entry::deleted(v.entry.id.clone(), v.entry.clock);
            docs.push(doc::encode_annotation(
                &article.id,
                &gone,
                Some(&v.rev),
                author(v).as_deref(),
            ));
        }
        couch.bulk_docs(&docs).await?;
        apply(
            e,
            &article.id,
            vec![Remote {
                rev: r.rev.clone(),
                entry: best,
                author: author(&r),
                conflicts: vec![],
            }],
            true,
        );
    }
    Ok(())
}

/// The session for the open article: share it, sync it, then follow its
/// changes with longpolls until signed out or another article opens.
async fn run(e: Shared, gen: u64) {
    let mut attempt = 0u32;
    loop {
        if stale(&e, gen) {
            return;
        }
        let (couch, article) = {
            let en = e.borrow();
            (
                en.couch.clone(),
                en.shared.as_ref().map(|s| s.borrow().article.clone()),
            )
        };
        let (Some(couch), Some(article)) = (couch, article) else {
            return;
        };
        let result = follow(&e, gen, &couch, &article, &mut attempt).await;
        match result {
            Err(CouchError::Aborted) if stale(&e, gen) => return,
            Err(CouchError::Aborted) => continue,
            Err(err) => {
                if !back_off(&e, &err, attempt).await {
                    return;
                }
                attempt += 1;
            }
            Ok(()) => return,
        }
    }
}

async fn follow(
    e: &Shared,
    gen: u64,
    couch: &Couch,
    article: &Rc<Article>,
    attempt: &mut u32,
) -> Result<(), CouchError> {
    share(e, couch, article).await?;
    let ready = e.borrow().ready;
    if !ready {
        if !matches!(e.borrow().status, Status::Syncing { .. }) {
            set_status(
                e,
                Status::Syncing {
                    done: 0,
                    total: None,
                },
            );
        }
        sync(e, gen, couch, article).await?;
        e.borrow_mut().ready = true;
    }
    *attempt = 0;
    push_soon(e);
    let store = e.borrow().store.clone();
    let ck = checkpoint_key(&couch.db, &article.id);
    loop {
        if stale(e, gen) {
            return Err(CouchError::Aborted);
        }
        let s = settled(e);
        if !e.borrow().pushing || matches!(s, Status::Synced) {
            set_status(e, s);
        }
        let mut since = store.get(&ck).ok().flatten().unwrap_or_else(|| "0".into());
        let controller = web_sys::AbortController::new().ok();
        let signal = controller.as_ref().map(|c| c.signal());
        if let Some(c) = &controller {
            // Asked again after a while, whatever the server does with `timeout`.
            let c2 = c.clone();
            let cb = Closure::once_into_js(move || c2.abort());
            if let Some(w) = web_sys::window() {
                let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(
                    cb.unchecked_ref(),
                    POLL_MS,
                );
            }
        }
        e.borrow_mut().poll = controller;
        let text = couch
            .changes(&article.id.0, &since, true, BATCH, signal.as_ref())
            .await;
        let text = match text {
            Err(CouchError::Aborted) if !stale(e, gen) => continue,
            other => other?,
        };
        if stale(e, gen) {
            return Err(CouchError::Aborted);
        }
        take_changes(e, article, &text, &mut since, true)?;
        *attempt = 0;
    }
}

/// Start the pusher unless it runs (then it goes round once more).
fn push_soon(e: &Shared) {
    {
        let mut en = e.borrow_mut();
        if en.couch.is_none() {
            drop(en);
            let s = settled(e);
            set_status(e, s);
            return;
        }
        if en.pushing {
            en.again = true;
            return;
        }
        en.pushing = true;
        en.again = false;
    }
    let e = e.clone();
    spawn_local(async move {
        let gen = e.borrow().gen;
        loop {
            let result = push(&e, gen).await;
            if stale(&e, gen) {
                break;
            }
            match result {
                Ok(()) => {
                    e.borrow_mut().push_attempt = 0;
                    let again = std::mem::take(&mut e.borrow_mut().again);
                    if !again {
                        break;
                    }
                }
                Err(err) => {
                    let attempt = e.borrow().push_attempt;
                    if !back_off(&e, &err, attempt).await {
                        break;
                    }
                    e.borrow_mut().push_attempt += 1;
                }
            }
        }
        e.borrow_mut().pushing = false;
        // Asked for while this loop was ending (or by a newer sign-in).
        if std::mem::take(&mut e.borrow_mut().again) {
            push_soon(&e);
            return;
        }
        if !stale(&e, gen) && e.borrow().ready {
            let s = settled(&e);
            set_status(&e, s);
        }
    });
}

/// What the server holds of `ids` of `article` (a lookup for those whose
/// revision is not known): its versions, and the author each keeps.
async fn lookup(
    couch: &Couch,
    article: &Article,
    ids: &[AnnotationId],
) -> Result<HashMap<AnnotationId, Remote>, CouchError> {
    let keys: Vec<String> = ids
        .iter()
        .map(|id| doc::ann_doc_id(&article.id, id))
        .collect();
    let text = couch.all_docs_keys(&keys).await?;
    let rows: Rows = serde_json::from_str(&text).map_err(unreadable)?;
    let mut out = HashMap::new();
    for row in rows.rows {
        let Some(key) = row.key.as_deref() else {
            continue;
        };
        let Some((_, id)) = doc::parse_ann_doc_id(key) else {
            continue;
        };
        match (row.doc, row.value) {
            (Some(d), _) if !d.is_null() => {
                if let Ok(Some(r)) = doc::read_annotation(&d, article) {
                    out.insert(id, r);
                }
            }
            // A deletion: its body (with its clock) is read by revision.
            (_, Some(v)) if v.deleted => {
                if let Some(text) = couch.get(key, Some(&v.rev)).await? {
                    let d: Value = serde_json::from_str(&text).map_err(unreadable)?;
                    match doc::read_annotation(&d, article) {
                        Ok(Some(r)) => {
                            out.insert(id, r);
                        }
                        // A bare deletion (no clock): written over as new.
                        _ => {
                            out.insert(
                                id.clone(),
                                Remote {
                                    rev: v.rev.clone(),
                                    entry: Entry::deleted(id, Default::default()),
                                    author: None,
                                    conflicts: vec![],
                                },
                            );
                        }
                    }
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// Push what is queued, article by article, a batch at a time.
async fn push(e: &Shared, gen: u64) -> Result<(), CouchError> {
    loop {
        if stale(e, gen) || !e.borrow().ready {
            return Ok(());
        }
        let (store, couch) = {
            let en = e.borrow();
            (en.store.clone(), en.couch.clone())
        };
        let Some(couch) = couch else { return Ok(()) };
        let q = queue_of(&*store);
        if q.is_empty() {
            return Ok(());
        }
        let open = open_article(e);
        // The open article first.
        let mut articles = q.articles();
        articles.sort_by_key(|a| Some(a) != open.as_ref().map(|o| &o.id));
        let article_id = articles[0].clone();
        let article: Rc<Article> = match open.filter(|o| o.id == article_id) {
            Some(a) => a,
            None => match persist::read_boot(&*store, &article_id) {
                Some(boot) => boot.article,
                None => {
                    // Not stored here any more: nothing to send.
                    let mut q = queue_of(&*store);
                    for id in q.of(&article_id) {
                        q.remove(&article_id, &id);
                    }
                    write_queue(&*store, &q);
                    continue;
                }
            },
        };
        share(e, &couch, &article).await?;
        let ids: Vec<AnnotationId> = q.of(&article_id).into_iter().take(BATCH).collect();
        set_status(e, Status::Sending { waiting: q.len() });
        push_batch(e, &couch, &article, &ids).await?;
    }
}

async fn push_batch(
    e: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    ids: &[AnnotationId],
) -> Result<(), CouchError> {
    let store = e.borrow().store.clone();
    let is_open = open_article(e).is_some_and(|o| o.id == article.id);
    let unknown: Vec<AnnotationId> = {
        let en = e.borrow();
        ids.iter()
            .filter(|id| !is_open || !en.known.contains_key(id))
            .cloned()
            .collect()
    };
    let found = if unknown.is_empty() {
        HashMap::new()
    } else {
        lookup(couch, article, &unknown).await?
    };
    let mine = local_versions(e, &article.id, ids);
    let mut docs = Vec::new();
    let mut sent: HashMap<AnnotationId, Entry> = HashMap::new();
    let mut theirs = Vec::new();
    let user = couch.user.clone();
    for l in &mine {
        let server: Option<Remote> = found.get(&l.id).cloned();
        let known = if is_open {
            e.borrow().known.get(&l.id).cloned()
        } else {
            None
        };
        let (rev, author, server_entry) = match (&server, known) {
            (Some(r), _) => (
                Some(r.rev.clone()),
                r.author
                    .clone()
                    .or_else(|| r.entry.annotation.as_ref().and_then(|a| a.author.clone())),
                Some(r.entry.clone()),
            ),
            (None, Some(k)) => (Some(k.rev), k.author, None),
            (None, None) => (None, None, None),
        };
        // A known revision: ours is pushed over it (a conflict says if the
        // server moved on). A looked-up version: decided by the rule now.
        let step = match &server_entry {
            Some(s) => plan::step(Some(l), Some(s)),
            None => Step::Push,
        };
        match step {
            Step::Push => {
                let author = author.or_else(|| Some(user.clone()));
                docs.push(doc::encode_annotation(
                    &article.id,
                    l,
                    rev.as_deref(),
                    author.as_deref(),
                ));
                sent.insert(l.id.clone(), l.clone());
            }
            _ => {
                if let Some(r) = server {
                    theirs.push(r);
                }
            }
        }
    }
    // Ids queued but unknown here and on the server: nothing to send.
    let mut q = queue_of(&*store);
    let mut q_changed = false;
    for id in ids {
        if !mine.iter().any(|m| &m.id == id) {
            q_changed |= q.remove(&article.id, id);
        }
    }
    if q_changed {
        write_queue(&*store, &q);
    }
    apply(e, &article.id, theirs, true);
    if docs.is_empty() {
        return Ok(());
    }
    let answers: Vec<Written> = couch.bulk_docs(&docs).await?;
    let mut refused = Vec::new();
    let mut q = queue_of(&*store);
    for w in answers {
        let Some((_, id)) = doc::parse_ann_doc_id(&w.id) else {
            continue;
        };
        let Some(pushed) = sent.get(&id) else {
            continue;
        };
        match (w.rev, w.error.as_deref()) {
            (Some(rev), None) => {
                if is_open {
                    let author = pushed
                        .annotation
                        .as_ref()
                        .and_then(|a| a.author.clone())
                        .or_else(|| e.borrow().known.get(&id).and_then(|k| k.author.clone()))
                        .or_else(|| Some(user.clone()));
                    e.borrow_mut()
                        .known
                        .insert(id.clone(), Known { rev, author });
                }
                // Still the current version here: the server has it.
                let now = local_versions(e, &article.id, std::slice::from_ref(&id));
                if now.first() == Some(pushed) {
                    q.remove(&article.id, &id);
                }
            }
            (_, Some("conflict")) => {
                // Looked up and decided again on the next round.
                e.borrow_mut().known.remove(&id);
            }
            (_, Some("forbidden")) | (_, Some("unauthorized")) => {
                refused.push((id.clone(), pushed.clone(), w.reason.unwrap_or_default()));
                q.remove(&article.id, &id);
            }
            (_, Some(other)) => {
                write_queue(&*store, &q);
                return Err(CouchError::Status(
                    500,
                    format!("{other}: {}", w.reason.unwrap_or_default()),
                ));
            }
            (None, None) => {}
        }
    }
    write_queue(&*store, &q);
    if !refused.is_empty() {
        refuse(e, couch, article, refused).await?;
    }
    Ok(())
}

/// The server refused these changes: put its versions back here (whatever
/// the merge rule says) and say why.
async fn refuse(
    e: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    refused: Vec<(AnnotationId, Entry, String)>,
) -> Result<(), CouchError> {
    let ids: Vec<AnnotationId> = refused.iter().map(|r| r.0.clone()).collect();
    let found = lookup(couch, article, &ids).await?;
    let mut back = Vec::new();
    let mut lines = Vec::new();
    for (id, mine, why) in refused {
        let what = mine
            .annotation
            .as_ref()
            .map(|a| format!("“{}”", short(&a.quote.exact)))
            .unwrap_or_else(|| "an annotation".into());
        match found.get(&id) {
            Some(r) => {
                lines.push(format!(
                    "your change to {what} ({why}); the team's version is back"
                ));
                back.push(r.entry.clone());
            }
            None => lines.push(format!(
                "{what} could not be shared ({why}); it stays in this browser only"
            )),
        }
    }
    let (store, dispatch, say, is_open) = {
        let en = e.borrow();
        let is_open = en
            .shared
            .as_ref()
            .is_some_and(|s| s.borrow().article.id == article.id);
        (
            en.store.clone(),
            en.dispatch.clone(),
            en.say.clone(),
            is_open,
        )
    };
    let message = format!("The team's server refused {}.", lines.join("; "));
    if !back.is_empty() {
        let _ = persist::replace_versions(&*store, &article.id, &back);
        if is_open {
            dispatch.dispatch(Action::Revert {
                entries: back,
                said: message.clone(),
            });
        }
    }
    say.error(message);
    Ok(())
}

/// Stop everything of the current generation (loops end, a longpoll is
/// cancelled) and start a new one.
fn restart(e: &Shared) -> u64 {
    let mut en = e.borrow_mut();
    en.gen += 1;
    en.ready = false;
    en.known.clear();
    if let Some(c) = en.poll.take() {
        c.abort();
    }
    en.gen
}

/// The team connection for the workspace: signed in or not, its status,
/// and what the Team dialog, status line and Library use.
#[hook]
pub fn use_team_sync(ctx: &Ctx, state: &UseReducerHandle<AppState>) -> Team {
    let config = use_state(|| {
        Config::read(
            ctx.session
                .store
                .get(&queue::config_key())
                .ok()
                .flatten()
                .as_deref(),
        )
    });
    let status = use_state(|| Status::Off);
    let lost = use_state(|| Rc::new(Vec::<Lost>::new()));
    let signed = use_state(|| None::<(Couch, bool)>);
    let engine: Shared = {
        let (store, dispatch, say) = (
            ctx.session.store.clone(),
            ctx.dispatch.clone(),
            ctx.say.clone(),
        );
        let (set_status, set_lost) = (status.setter(), lost.setter());
        let shared = state.shared().clone();
        (*use_memo((), move |_| {
            Rc::new(RefCell::new(Engine {
                store,
                shared: Some(shared),
                dispatch,
                say,
                set_status: Callback::from(move |s| set_status.set(s)),
                set_lost: Callback::from(move |l| set_lost.set(Rc::new(l))),
                lost: vec![],
                couch: None,
                gen: 0,
                article: None,
                known: HashMap::new(),
                shared_articles: HashSet::new(),
                ready: false,
                pushing: false,
                again: false,
                push_attempt: 0,
                poll: None,
                wake: vec![],
                status: Status::Off,
            }))
        }))
        .clone()
    };
    // A team set up in this browser: changes are queued even before signing in.
    {
        let (engine, configured) = (engine.clone(), config.is_some());
        use_effect_with(configured, move |&configured| {
            QUEUEING.with(|q| q.set(configured));
            let e = engine.clone();
            NUDGE.with(|n| *n.borrow_mut() = Some(Rc::new(move || push_soon(&e))));
            if configured && engine.borrow().couch.is_none() {
                let s = settled(&engine);
                set_status(&engine, s);
            } else if !configured {
                set_status(&engine, Status::Off);
            }
            move || NUDGE.with(|n| *n.borrow_mut() = None)
        });
    }
    // Another tab queued a change, or the browser is back online.
    {
        let engine = engine.clone();
        use_effect_with((), move |_| {
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
            move || {
                drop((storage, online, offline));
            }
        });
    }
    // Another article opened: follow that one.
    {
        let engine = engine.clone();
        let dispatch = ctx.dispatch.clone();
        let article = state.article().id.clone();
        use_effect_with(article, move |article| {
            let signed_in = engine.borrow().couch.clone();
            engine.borrow_mut().article = Some(article.clone());
            if let Some(couch) = signed_in {
                let gen = restart(&engine);
                engine.borrow_mut().article = Some(article.clone());
                dispatch.dispatch(Action::SetAuthor {
                    author: Some(couch.user.clone()),
                    now: web::now(),
                });
                spawn_local(run(engine.clone(), gen));
            }
        });
    }
    let sign_in = {
        let (engine, config, signed, dispatch, store) = (
            engine.clone(),
            config.clone(),
            signed.clone(),
            ctx.dispatch.clone(),
            ctx.session.store.clone(),
        );
        use_latest(
            move |SignIn {
                      url,
                      user,
                      password,
                      done,
                  }: SignIn| {
                let url = match check_db_url(&url) {
                    Ok(u) => u,
                    Err(why) => {
                        return done.emit(Err(format!("The database address is not right: {why}.")))
                    }
                };
                if user.trim().is_empty() || password.is_empty() {
                    return done.emit(Err("Enter your user name and password.".into()));
                }
                let couch = Couch::new(&url, user.trim(), &password);
                let (engine, config, signed, dispatch, store) = (
                    engine.clone(),
                    config.clone(),
                    signed.clone(),
                    dispatch.clone(),
                    store.clone(),
                );
                set_status(&engine, Status::Connecting);
                spawn_local(async move {
                    match couch.sign_in().await {
                        Ok((name, roles)) => {
                            let couch = couch.named(&name);
                            let c = Config {
                                url: url.clone(),
                                user: name.clone(),
                            };
                            let _ = store.set(&queue::config_key(), &c.encode());
                            QUEUEING.with(|q| q.set(true));
                            config.set(Some(c));
                            let editor = roles.iter().any(|r| r == "editor");
                            signed.set(Some((couch.clone(), editor)));
                            let gen = {
                                let gen = restart(&engine);
                                engine.borrow_mut().couch = Some(couch.clone());
                                engine.borrow_mut().shared_articles.clear();
                                gen
                            };
                            dispatch.dispatch(Action::SetAuthor {
                                author: Some(name.clone()),
                                now: web::now(),
                            });
                            engine
                                .borrow()
                                .say
                                .status(format!("Signed in to the team as {name}"));
                            done.emit(Ok(()));
                            spawn_local(run(engine, gen));
                        }
                        Err(err) => {
                            let words = match &err {
                                CouchError::WrongPassword => Status::WrongPassword,
                                CouchError::NotMember => Status::NotMember,
                                CouchError::Unreachable(_) => Status::Failed {
                                    why: "Server unreachable".into(),
                                    retry_s: None,
                                },
                                other => Status::Failed {
                                    why: format!("Team server: {other}"),
                                    retry_s: None,
                                },
                            };
                            let message = match &err {
                            CouchError::WrongPassword => "Wrong password (or user name): the server did not accept them.".to_string(),
                            CouchError::NotMember => format!("You are not a member of this database: {name} may sign in to the server, but only the database's members may use it. Ask its admin to add you.", name = couch.user),
                            CouchError::Unreachable(_) => "Server unreachable: check the address and your connection (and that the server allows this site: see CORS in the README).".to_string(),
                            other => format!("Could not sign in: {other}."),
                        };
                            set_status(&engine, words);
                            done.emit(Err(message));
                        }
                    }
                });
            },
        )
    };
    let sign_out = {
        let (engine, config, signed, dispatch, store, lost) = (
            engine.clone(),
            config.clone(),
            signed.clone(),
            ctx.dispatch.clone(),
            ctx.session.store.clone(),
            lost.clone(),
        );
        use_latest(move |_: ()| {
            restart(&engine);
            engine.borrow_mut().couch = None;
            engine.borrow_mut().lost.clear();
            wake(&engine);
            // Forget the team here: its settings, the queue and the
            // checkpoints (the next sign-in compares everything again, so
            // nothing made in between is lost).
            let _ = store.remove(&queue::config_key());
            let _ = store.remove(&queue::queue_key());
            let prefix = queue::checkpoint_prefix();
            for k in store.keys().unwrap_or_default() {
                if k.starts_with(&prefix) {
                    let _ = store.remove(&k);
                }
            }
            QUEUEING.with(|q| q.set(false));
            config.set(None);
            signed.set(None);
            lost.set(Rc::new(vec![]));
            dispatch.dispatch(Action::SetAuthor {
                author: None,
                now: web::now(),
            });
            set_status(&engine, Status::Off);
            engine
                .borrow()
                .say
                .status("Signed out of the team; the password is forgotten");
        })
    };
    let bring_back = {
        let (engine, dispatch, state) = (engine.clone(), ctx.dispatch.clone(), state.clone());
        use_latest(move |i: usize| {
            let (item, cb, all, say) = {
                let mut en = engine.borrow_mut();
                if i >= en.lost.len() {
                    return;
                }
                let open = state.get().article.id.clone();
                if en.lost[i].article != open {
                    en.say
                        .status("Open that article to bring your change back.");
                    return;
                }
                let item = en.lost.remove(i);
                (item, en.set_lost.clone(), en.lost.clone(), en.say.clone())
            };
            let _ = say;
            dispatch.dispatch(Action::Reapply {
                annotation: item.annotation,
                label: "Your change brought back".into(),
                now: web::now(),
            });
            cb.emit(all);
        })
    };
    let dismiss = {
        let engine = engine.clone();
        use_latest(move |i: usize| {
            let (cb, all) = {
                let mut en = engine.borrow_mut();
                if i < en.lost.len() {
                    en.lost.remove(i);
                }
                (en.set_lost.clone(), en.lost.clone())
            };
            cb.emit(all);
        })
    };
    let open = {
        let (engine, ctx) = (engine.clone(), ctx.clone());
        use_latest(move |id: ArticleId| {
            let couch = engine.borrow().couch.clone();
            let Some(couch) = couch else { return };
            let ctx = ctx.clone();
            spawn_local(async move {
                ctx.say.status("Opening the team's article…");
                let fetched = couch.get(&doc::article_doc_id(&id), None).await;
                let article = match fetched {
                    Ok(Some(text)) => doc::read_article(&text, &id),
                    Ok(None) => Err("the team's database has no such article".into()),
                    Err(e) => Err(e.to_string()),
                };
                match article {
                    Ok(a) => {
                        let boot = persist::open(&*ctx.session.store, Rc::new(a), web::now());
                        match super::opener::opened(&ctx.session, boot) {
                            Ok((restore, _, _)) => {
                                let title = match &restore {
                                    Action::Restore { article, .. } => article.title.clone(),
                                    _ => String::new(),
                                };
                                ctx.dispatch.dispatch(restore);
                                ctx.say.status(format!("Opened “{title}” from the team"));
                            }
                            Err(e) => ctx.say.error(e),
                        }
                    }
                    Err(why) => ctx
                        .say
                        .error(format!("The team's article was not opened: {why}.")),
                }
            });
        })
    };
    let (couch, editor) = match &*signed {
        Some((c, ed)) => (Some(c.clone()), *ed),
        None => (None, false),
    };
    Team {
        status: (*status).clone(),
        config: (*config).clone(),
        couch,
        editor,
        lost: (*lost).clone(),
        sign_in,
        sign_out,
        bring_back,
        dismiss,
        open,
    }
}
