//! **First sync / catch-up**: the article's documents are shared once;
//! an article never synced with this database is read with `_all_docs`
//! over its key range in pages of [`BATCH`] (status "Syncing 1,000 of
//! 10,000" where the server counts rows), everything the server lacks is
//! queued, and the database's `update_seq` read before the pages becomes the
//! **checkpoint**; otherwise the changes since the checkpoint are read.

use std::collections::HashSet;
use std::rc::Rc;

use serde_json::Value;

use crate::core::sync::doc;
use crate::core::sync::queue::checkpoint_key;
use crate::core::sync::{status, Status};
use crate::core::{AnnotationId, Article};
use crate::web::couch::{Couch, CouchError};

use super::engine::{queue_of, set_status, stale, write_queue, Shared, BATCH};
use super::incoming::{apply, read_docs};
use super::pull::take_changes;
use super::wire::{unreadable, Rows};

/// Make sure the article's documents are on the server (shared once).
pub(super) async fn share(
    e: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
) -> Result<(), CouchError> {
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
pub(super) async fn sync(
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
            status::count(done, "annotation", "annotations")
        ));
    }
    Ok(())
}

/// Read the changes since `since` in batches, storing the checkpoint after each.
pub(super) async fn catch_up(
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
