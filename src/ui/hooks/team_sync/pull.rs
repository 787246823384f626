//! **Longpoll**: the session for the open article ([`run`]) shares and
//! syncs it, then follows `_changes?feed=longpoll` filtered to the article,
//! resumed from the checkpoint, asked again every [`POLL_MS`] whatever the
//! server does with `timeout`; each batch is merged by the rule as another
//! tab's changes are and the checkpoint moves after it is stored. Failures
//! back off and resume. Revisions in conflict inside the database are
//! resolved here: the greatest version is written, the others deleted.

use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen::{closure::Closure, JsCast};
use wasm_bindgen_futures::spawn_local;

use crate::core::storage::merge::Entry;
use crate::core::sync::doc::{self, Remote};
use crate::core::sync::plan::{self};
use crate::core::sync::queue::checkpoint_key;
use crate::core::sync::Status;
use crate::core::Article;
use crate::web::couch::{Couch, CouchError};

use super::engine::{back_off, set_status, settled, stale, Shared, BATCH, POLL_MS};
use super::first_sync::{share, sync};
use super::incoming::{apply, read_docs};
use super::push::push_soon;
use super::wire::{unreadable, Changes};

/// Apply a `_changes` answer and move the checkpoint; how many rows it had.
pub(super) fn take_changes(
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
pub(super) async fn resolve_conflicts(
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
                overwrote: None,
            }],
            true,
        );
    }
    Ok(())
}

/// The session for the open article: share it, sync it, then follow its
/// changes with longpolls until signed out or another article opens.
pub(super) async fn run(e: Shared, gen: u64) {
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

pub(super) async fn follow(
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
