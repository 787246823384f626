//! Taking the server's versions: each is checked like an import
//! (`core::sync::doc`; a bad one is skipped with a message naming it),
//! decided against the version here by the merge rule (`core::sync::plan`),
//! stored, and shown when its article is open. A change made here and still
//! queued that loses is kept as a `Lost` so the person can bring it back.

use std::collections::HashMap;

use serde_json::Value;

use crate::core::storage::merge::Entry;
use crate::core::storage::Writer;
use crate::core::sync::doc::{self, Remote};
use crate::core::sync::plan::{self, Reconciled};
use crate::core::sync::status;
use crate::core::{words, Action, AnnotationId, Article, ArticleId};
use crate::ui::messages::Messenger;
use crate::web;

use super::engine::{local_versions, queue_of, write_queue, Known, Shared};

/// Store versions from the team (merged by the rule, as any write is) and
/// show them when their article is open; `said` is what the live region
/// says ("" for nothing).
pub(super) fn take(e: &Shared, article: &ArticleId, entries: Vec<Entry>, said: String) {
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
pub(super) fn apply(e: &Shared, article: &ArticleId, remotes: Vec<Remote>, announce: bool) {
    if remotes.is_empty() {
        return;
    }
    let store = e.borrow().store.clone();
    let ids: Vec<AnnotationId> = remotes.iter().map(|r| r.entry.id.clone()).collect();
    let mine: HashMap<AnnotationId, Entry> = local_versions(e, article, &ids)
        .into_iter()
        .map(|x| (x.id.clone(), x))
        .collect();
    for r in &remotes {
        let mut en = e.borrow_mut();
        if en.article.as_ref() == Some(article) {
            en.known.insert(
                r.entry.id.clone(),
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
    // Edits of this person already on the server that a later version
    // from the team replaced without having seen them.
    let lost_sent: Vec<plan::Lost> = {
        let mut en = e.borrow_mut();
        remotes
            .iter()
            .filter_map(|r| {
                let id = &r.entry.id;
                let l = plan::lost_after_sending(
                    article,
                    mine.get(id),
                    &r.entry,
                    r.overwrote,
                    en.sent.get(id).copied(),
                )?;
                en.sent.remove(id);
                Some(l)
            })
            .collect()
    };
    let mut q = queue_of(&*store);
    let Reconciled {
        take: winners,
        mut lost,
        queue_changed,
        overwrites,
    } = plan::reconcile(article, remotes.into_iter().map(|r| r.entry), &mine, &mut q);
    e.borrow_mut().overwriting.extend(overwrites);
    for l in lost_sent {
        if !lost.iter().any(|x| x.annotation.id == l.annotation.id) {
            lost.push(l);
        }
    }
    if queue_changed {
        write_queue(&*store, &q);
    }
    let said = if announce {
        status::team_changes(&winners, &mine)
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

/// A quote in a message: its first 60 characters.
pub(super) fn short(s: &str) -> String {
    words::clip(s, 60)
}

/// Read documents (rows of `_changes` or `_all_docs`): the annotations of
/// `article` that pass the checks, and a message naming each skipped one.
pub(super) fn read_docs<'a>(
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
