//! The **pusher**: one task per sign-in that wakes when something is
//! queued and sends the queued versions article by article (the open one
//! first) in `_bulk_docs` batches, each over the revision the server last
//! showed (looked up when not known, then decided by the merge rule: see
//! `ServerView::plan_push`). An id leaves the queue only once the server
//! holds its current version; a conflict is looked up and decided again
//! next round; a refusal by the server's rules puts the server's version
//! back here and says why.

use std::collections::HashMap;
use std::rc::Rc;

use futures::channel::mpsc::UnboundedReceiver;
use futures::StreamExt;

use super::articles::share;
use super::incoming::{receive, short};
use super::inner::Shared;
use super::pull::BATCH;
use super::report::Report;
use crate::core::merge::Entry;
use crate::core::storage::{self, read_boot};
use crate::core::sync::doc::{self, Remote};
use crate::core::{AnnotationId, Article};
use crate::web::couch::{Couch, CouchError};

/// Wait for nudges and push, until stopped. A server that does not answer
/// is probed by the session alone (one request per wait, the waits
/// growing), which nudges the pusher once it answers; any other failure
/// waits (growing, jittered) and tries again.
pub(super) async fn run(team: Shared, mut nudges: UnboundedReceiver<()>) {
    while nudges.next().await.is_some() {
        // Everything queued goes in this round: the nudges so far are one.
        while nudges.try_recv().is_ok() {}
        loop {
            match push_all(&team).await {
                Ok(()) | Err(CouchError::Aborted) | Err(CouchError::Unreachable(_)) => break,
                Err(_) if !team.can_retry() => return,
                Err(_) => team.back_off().await,
            }
        }
    }
}

/// Push what is queued, article by article, a batch at a time.
async fn push_all(team: &Shared) -> Result<(), CouchError> {
    loop {
        // The open article's first sync decides what to send first.
        if !team.ready() {
            return Ok(());
        }
        let Some(couch) = team.couch() else {
            return Ok(());
        };
        let q = team.queue();
        let open = team.open_article();
        let mut articles = q.articles();
        articles.sort_by_key(|a| *a != open.id);
        let Some(article_id) = articles.first().cloned() else {
            team.recount();
            return Ok(());
        };
        let article: Rc<Article> = if article_id == open.id {
            open
        } else if let Some(boot) = read_boot(&*team.store(), &article_id) {
            boot.article
        } else {
            // Not stored here any more: nothing to send.
            let mut q = team.queue();
            for id in q.of(&article_id) {
                q.remove(&article_id, &id);
            }
            team.write_queue(&q);
            continue;
        };
        share(team, &couch, &article).await?;
        let ids: Vec<AnnotationId> = q.of(&article_id).into_iter().take(BATCH).collect();
        push_batch(team, &couch, &article, &ids).await?;
    }
}

/// What the server holds of `ids` of `article`: its versions (a deletion
/// that CouchDB hides is read by its revision).
async fn lookup(
    team: &Shared,
    couch: &Couch,
    article: &Article,
    ids: &[AnnotationId],
) -> Result<HashMap<AnnotationId, Remote>, CouchError> {
    let keys: Vec<String> = ids
        .iter()
        .map(|id| doc::ann_doc_id(&article.id, id))
        .collect();
    let page = team.ask(couch.all_docs_keys(&keys, true)).await?;
    let mut out = HashMap::new();
    for row in page.rows.into_iter().filter_map(Result::ok) {
        let Some((_, id)) = row.id.as_deref().and_then(doc::parse_ann_doc_id) else {
            continue;
        };
        if let Some(d) = &row.doc {
            if let Ok(Some(r)) = doc::read_annotation(d, article) {
                out.insert(id, r);
            }
            continue;
        }
        // A CouchDB deletion (written by earlier versions): its body, with
        // its clock, is read by revision; without one it is written over as new.
        let (Some(rev), true) = (row.rev, row.deleted) else {
            continue;
        };
        let key = doc::ann_doc_id(&article.id, &id);
        let body = team.ask(couch.get(&key, Some(&rev))).await?;
        let read = body
            .and_then(|t| crate::core::sync::wire::read_doc(&t).ok().flatten())
            .and_then(|v| doc::read_annotation(&v, article).ok().flatten());
        let r = read.unwrap_or_else(|| Remote {
            rev,
            entry: Entry::deleted(id.clone(), Default::default()),
            author: None,
            conflicts: vec![],
            overwrote: None,
        });
        out.insert(id, r);
    }
    Ok(out)
}

async fn push_batch(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    ids: &[AnnotationId],
) -> Result<(), CouchError> {
    let unknown = team.view(|v| v.to_look_up(&article.id, ids));
    let found = if unknown.is_empty() {
        HashMap::new()
    } else {
        lookup(team, couch, article, &unknown).await?
    };
    let mine = team.versions(&article.id, ids);
    let plan = team.view(|v| v.plan_push(&article.id, ids, &mine, &found, &couch.user));
    if !plan.drop.is_empty() {
        let mut q = team.queue();
        for id in &plan.drop {
            q.remove(&article.id, id);
        }
        team.write_queue(&q);
    }
    receive(team, &article.id, plan.take, true);
    if plan.docs.is_empty() {
        return Ok(());
    }
    let answers = team.ask(couch.bulk_docs(&plan.docs)).await?;
    // The versions here now (the person may have changed one meanwhile).
    let sent_ids: Vec<AnnotationId> = plan.sent.keys().cloned().collect();
    let now: HashMap<AnnotationId, Entry> = team
        .versions(&article.id, &sent_ids)
        .into_iter()
        .map(|e| (e.id.clone(), e))
        .collect();
    let mut q = team.queue();
    let out = team.view(|v| {
        v.pushed(
            &article.id,
            &plan.sent,
            answers,
            &couch.user,
            |id| now.get(id).cloned(),
            &mut q,
        )
    });
    if out.queue_changed {
        team.write_queue(&q);
    }
    if !out.refused.is_empty() {
        refuse(team, couch, article, out.refused).await?;
    }
    match out.failed {
        Some(why) => Err(CouchError::Status(500, why)),
        None => Ok(()),
    }
}

/// The server refused these changes: put its versions back here (whatever
/// the merge rule says) and say why.
async fn refuse(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    refused: Vec<(AnnotationId, Entry, String)>,
) -> Result<(), CouchError> {
    let ids: Vec<AnnotationId> = refused.iter().map(|r| r.0.clone()).collect();
    let found = lookup(team, couch, article, &ids).await?;
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
    let message = format!("The team's server refused {}.", lines.join("; "));
    if !back.is_empty() {
        let _ = storage::replace_versions(&*team.store(), &article.id, &back);
        if team.open_article().id == article.id {
            team.report(Report::Revert {
                entries: back,
                announce: message.clone(),
            });
        }
    }
    team.report(Report::Alert(message));
    Ok(())
}
