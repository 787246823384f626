//! The **pusher**: sends queued versions article by article (the open one
//! first) in `_bulk_docs` batches, each over the revision the server last
//! showed (looked up with `_all_docs` when not known, and then decided by
//! the merge rule); a `conflict` forgets the revision so the next round
//! looks it up and decides again; an id leaves the queue only once the
//! server has its current version. One pusher runs per tab; asked while it
//! runs, it goes round once more.

use std::collections::HashMap;
use std::rc::Rc;

use serde_json::Value;
use wasm_bindgen_futures::spawn_local;

use crate::core::storage as persist;
use crate::core::storage::merge::Entry;
use crate::core::sync::doc::{self, Remote};
use crate::core::sync::plan::{self, Step};
use crate::core::sync::Status;
use crate::core::{AnnotationId, Article};
use crate::web::couch::{Couch, CouchError, Written};

use super::engine::{
    back_off, local_versions, open_article, queue_of, set_status, settled, stale, write_queue,
    Known, Shared, BATCH,
};
use super::first_sync::share;
use super::incoming::apply;
use super::refused::refuse;
use super::wire::{unreadable, Rows};

/// Start the pusher unless it runs (then it goes round once more).
pub(super) fn push_soon(e: &Shared) {
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
pub(super) async fn lookup(
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
                                    overwrote: None,
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
pub(super) async fn push(e: &Shared, gen: u64) -> Result<(), CouchError> {
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

pub(super) async fn push_batch(
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
                // Looked up for the open article (its revision went stale,
                // or it was never seen here): a different version there is
                // one this person never saw, and its maker is told.
                let overwrote = server_entry
                    .as_ref()
                    .filter(|_| is_open)
                    .and_then(|s| plan::overwrites_unseen(s, l))
                    .or_else(|| e.borrow().overwriting.get(&l.id).copied());
                docs.push(doc::encode_annotation_over(
                    &article.id,
                    l,
                    rev.as_deref(),
                    author.as_deref(),
                    overwrote,
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
                    let mut en = e.borrow_mut();
                    en.known.insert(id.clone(), Known { rev, author });
                    en.sent.insert(id.clone(), pushed.clock);
                    en.overwriting.remove(&id);
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
