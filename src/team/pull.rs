//! Following the open article: share it, bring it up to date (a **first
//! sync** of its annotations by key range, in pages, or the **catch-up**
//! from the checkpoint), then follow `_changes?feed=longpoll` filtered to
//! the article, moving the checkpoint after each batch is stored. Every
//! answer is read a row at a time (`core::sync::wire`): a document that
//! cannot be read is named and skipped, never stops the rest. Revisions in
//! conflict inside the database are resolved here: the greatest version
//! by the merge rule is written, the others removed.

use std::collections::HashSet;
use std::rc::Rc;

use wasm_bindgen::{closure::Closure, JsCast};

use super::articles::share;
use super::incoming::{receive, skipped};
use super::inner::Shared;
use super::report::Report;
use crate::core::sync::doc::{self, Remote};
use crate::core::sync::queue::checkpoint_key;
use crate::core::sync::wire::{self, Page};
use crate::core::sync::{plan, status};
use crate::core::{AnnotationId, Article};
use crate::web::couch::{Couch, CouchError};

/// How many documents one `_all_docs` or `_changes` page carries.
pub(super) const BATCH: usize = 1000;
/// How long a longpoll may stay open before it is asked again (servers
/// that ignore `timeout` would otherwise hold it forever).
const POLL_MS: i32 = 60_000;

/// The session for the open article, until it is stopped (signing out,
/// another article): failures wait (growing, jittered) and start again.
pub(super) async fn run(team: Shared, article: Rc<Article>) {
    loop {
        let Some(couch) = team.couch() else { return };
        match follow(&team, &couch, &article).await {
            Ok(()) | Err(CouchError::Aborted) => {}
            Err(_) if !team.can_retry() => return,
            Err(_) => team.back_off().await,
        }
    }
}

async fn follow(team: &Shared, couch: &Couch, article: &Rc<Article>) -> Result<(), CouchError> {
    share(team, couch, article).await?;
    let ck = checkpoint_key(&couch.db, &article.id);
    let since = team.store().get(&ck).ok().flatten();
    if team.ready() {
        // Back after a failure: catch up at once (a longpoll that now
        // succeeds would only answer at the next change, and until an
        // answer comes the status says the server is unreachable).
        catch_up(team, couch, article, since.unwrap_or_else(|| "0".into())).await?;
    } else {
        team.set_syncing(Some((0, None)), false);
        match since {
            Some(since) => catch_up(team, couch, article, since).await?,
            None => first_sync(team, couch, article).await?,
        }
        team.set_syncing(None, true);
        // What waits (made offline, or unknown to the server) goes now.
        team.nudge();
    }
    longpoll(team, couch, article).await
}

/// Read and take one `_changes` answer, then move the checkpoint: how
/// many rows it had.
async fn take_changes(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    p: Page,
    announce: bool,
) -> Result<usize, CouchError> {
    let (remotes, bad) = wire::annotations(&p, article);
    skipped(team, &bad);
    let conflicted: Vec<Remote> = remotes
        .iter()
        .filter(|r| !r.conflicts.is_empty())
        .cloned()
        .collect();
    receive(team, &article.id, remotes, announce);
    if !conflicted.is_empty() {
        resolve_conflicts(team, couch, article, conflicted).await?;
    }
    if let Some(since) = &p.last_seq {
        let _ = team
            .store()
            .set(&checkpoint_key(&couch.db, &article.id), since);
    }
    Ok(p.rows.len())
}

/// Revisions in conflict inside the database (replication between
/// servers): the greatest version by the rule is written over the current
/// revision and the others removed — every client writes the same.
async fn resolve_conflicts(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    list: Vec<Remote>,
) -> Result<(), CouchError> {
    for r in list {
        let doc_id = doc::ann_doc_id(&article.id, &r.entry.id);
        let mut versions = vec![r.clone()];
        for rev in &r.conflicts {
            let Some(text) = team.ask(couch.get(&doc_id, Some(rev))).await? else {
                continue;
            };
            if let Ok(Some(v)) = wire::read_doc(&text) {
                if let Ok(Some(x)) = doc::read_annotation(&v, article) {
                    versions.push(x);
                }
            }
        }
        let Some(best) = plan::pick(versions.iter().map(|v| v.entry.clone())) else {
            continue;
        };
        let author_of = |v: &Remote| {
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
                author_of(&r).as_deref(),
            ));
        }
        for v in versions.iter().skip(1) {
            docs.push(doc::encode_removal(
                &article.id,
                &v.entry.id,
                &v.rev,
                author_of(v).as_deref(),
                v.entry.clock,
            ));
        }
        team.ask(couch.bulk_docs(&docs)).await?;
        let winner = Remote {
            rev: r.rev.clone(),
            author: author_of(&r),
            entry: best,
            conflicts: vec![],
            overwrote: None,
        };
        receive(team, &article.id, vec![winner], true);
    }
    Ok(())
}

/// An article never synced with this database: its annotations read by key
/// range in pages (progress "Syncing 1,000 of 10,000" where the server
/// counts rows), what the server lacks queued, and the database's
/// `update_seq` read before the pages kept as the checkpoint.
async fn first_sync(team: &Shared, couch: &Couch, article: &Rc<Article>) -> Result<(), CouchError> {
    let info = team.ask(couch.info()).await?;
    let since = info
        .get("update_seq")
        .cloned()
        .unwrap_or(serde_json::Value::from(0))
        .to_string();
    let (start, end) = doc::ann_range(&article.id);
    // The total, where the server counts rows before a key (CouchDB does).
    let end_offset = match team
        .ask(couch.all_docs_range(&end, &end, 0, 0, false))
        .await
    {
        Ok(p) => p.offset,
        Err(CouchError::Aborted) => return Err(CouchError::Aborted),
        Err(_) => None,
    };
    let mut done = 0usize;
    let mut seen: HashSet<AnnotationId> = HashSet::new();
    let mut skip = 0;
    let mut first_offset = None;
    loop {
        let p = team
            .ask(couch.all_docs_range(&start, &end, skip, BATCH, true))
            .await?;
        first_offset = first_offset.or(p.offset);
        let n = p.rows.len();
        seen.extend(
            p.rows
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .filter_map(|r| r.id.as_deref())
                .filter_map(|id| doc::parse_ann_doc_id(id).map(|(_, a)| a)),
        );
        let (remotes, bad) = wire::annotations(&p, article);
        skipped(team, &bad);
        receive(team, &article.id, remotes, false);
        done += n;
        let total = match (end_offset, first_offset) {
            (Some(end), Some(start)) if end > start => Some((end - start) as usize),
            _ => None,
        };
        team.set_syncing(Some((done, total)), false);
        if n < BATCH {
            break;
        }
        skip += BATCH;
    }
    // Everything here the server has not got goes in the queue (which
    // survives a reload), then the checkpoint: from now on, changes.
    let local: Vec<AnnotationId> = team
        .open_ids()
        .into_iter()
        .filter(|id| !seen.contains(id))
        .collect();
    let mut q = team.queue();
    if q.add(&article.id, local.iter()) {
        team.write_queue(&q);
    }
    let _ = team
        .store()
        .set(&checkpoint_key(&couch.db, &article.id), &since);
    if done > 0 {
        team.report(Report::Say(format!(
            "{} from the team",
            status::count(done, "annotation", "annotations")
        )));
    }
    Ok(())
}

/// The changes since the checkpoint `since`, in batches.
async fn catch_up(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    mut since: String,
) -> Result<(), CouchError> {
    loop {
        let p = team
            .ask(couch.changes(&article.id.0, &since, false, BATCH, None))
            .await?;
        let n = take_changes(team, couch, article, p, true).await?;
        let ck = checkpoint_key(&couch.db, &article.id);
        since = team.store().get(&ck).ok().flatten().unwrap_or(since);
        if n < BATCH {
            return Ok(());
        }
    }
}

/// Follow the article's changes, a longpoll at a time, from the checkpoint.
async fn longpoll(team: &Shared, couch: &Couch, article: &Rc<Article>) -> Result<(), CouchError> {
    let ck = checkpoint_key(&couch.db, &article.id);
    loop {
        let since = team
            .store()
            .get(&ck)
            .ok()
            .flatten()
            .unwrap_or_else(|| "0".into());
        let controller = web_sys::AbortController::new().ok();
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
        let signal = controller.as_ref().map(|c| c.signal());
        team.set_poll(controller);
        let p = match team
            .ask(couch.changes(&article.id.0, &since, true, BATCH, signal.as_ref()))
            .await
        {
            Err(CouchError::Aborted) => continue,
            other => other?,
        };
        take_changes(team, couch, article, p, true).await?;
    }
}
