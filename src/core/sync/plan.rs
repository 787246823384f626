//! What to do with one annotation, given the version here and the
//! server's: the merge rule (`core::merge`), applied across
//! browsers exactly as it is between two tabs.
//!
//! - the same version on both sides: in sync;
//! - the server's wins: take it here (and when what it replaces was a
//!   change not yet shared, tell the person their edit lost, so they can
//!   bring it back);
//! - ours wins: write it over the server's revision. If another client
//!   wrote in between, CouchDB answers 409 Conflict; the client reads the
//!   server's version again and decides again, so every client converges
//!   on the greatest version whatever the order of their writes.
//!
//! Revisions in conflict inside CouchDB (`_conflicts`, left by replication
//! between servers) are merged the same way: the greatest version of all
//! of them is written over the current revision, and the others deleted.

use std::cmp::Ordering;
use std::collections::HashMap;

use super::queue::Queue;
use crate::core::merge::{self, Clock, Entry};
use crate::core::{Annotation, AnnotationId, ArticleId};

/// The decision for one annotation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    /// Both sides hold the same version (or neither holds any).
    InSync,
    /// The server's version wins: take it here.
    Take,
    /// Ours wins: write it to the server.
    Push,
}

/// Decide for one annotation: `local` is the version here (`None`: never
/// seen here), `server` the server's (`None`: it has none).
pub fn step(local: Option<&Entry>, server: Option<&Entry>) -> Step {
    match (local, server) {
        (None, None) => Step::InSync,
        (Some(_), None) => Step::Push,
        (None, Some(_)) => Step::Take,
        (Some(l), Some(s)) => match merge::compare(
            l.clock,
            l.annotation.as_ref(),
            s.clock,
            s.annotation.as_ref(),
        ) {
            Ordering::Greater => Step::Push,
            Ordering::Less => Step::Take,
            Ordering::Equal => Step::InSync,
        },
    }
}

/// Whether taking `server` over `local` — a change made here and not yet
/// on the server — loses something the person made: a live version
/// replaced by a deletion or by different content. (A deletion made here
/// that loses to a later life is not an edit lost: it was brought back.)
pub fn loses_edit(local: &Entry, server: &Entry) -> bool {
    match (&local.annotation, &server.annotation) {
        (Some(_), None) => true,
        (Some(l), Some(s)) => l != s,
        (None, _) => false,
    }
}

/// Whether a client writing `ours` over the server's version `server`
/// (looked up after its own revision went stale) replaces a change it
/// never saw, so the document should say so (`overwrote`): the server's
/// version is live and differs from ours. `None` when nothing is lost.
pub fn overwrites_unseen(server: &Entry, ours: &Entry) -> Option<Clock> {
    loses_edit(server, ours).then_some(server.clock)
}

/// A version from the team that replaces, unseen, the change this client
/// sent last (`sent`, the clock of that version) while it is still the
/// version here (`local`): the person's edit lost after it had already
/// reached the server, so they are told as if it had lost in the queue.
pub fn lost_after_sending(
    article: &ArticleId,
    local: Option<&Entry>,
    theirs: &Entry,
    overwrote: Option<Clock>,
    sent: Option<Clock>,
) -> Option<Lost> {
    let l = local?;
    let mine = sent.is_some_and(|s| s == l.clock && overwrote == Some(s));
    if !mine || step(Some(l), Some(theirs)) != Step::Take || !loses_edit(l, theirs) {
        return None;
    }
    Some(Lost {
        article: article.clone(),
        annotation: l.annotation.clone()?,
        by: if theirs.annotation.is_none() {
            "a deletion from the team".into()
        } else {
            "a later change from the team".into()
        },
    })
}

/// The greatest of several versions of one annotation (revisions in
/// conflict): what every client writes, whichever resolves it first.
pub fn pick(versions: impl IntoIterator<Item = Entry>) -> Option<Entry> {
    versions.into_iter().reduce(merge::merge)
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

/// What the server's versions of some annotations come to here.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reconciled {
    /// The server's versions that win: to store and show here.
    pub take: Vec<Entry>,
    /// Changes of this person, still queued, that those replaced.
    pub lost: Vec<Lost>,
    /// Whether the queue changed (and must be written).
    pub queue_changed: bool,
    /// Ours wins over a different version of the server's that was made
    /// without seeing ours: the clock of that version, for the document
    /// that replaces it to name ([`overwrites_unseen`]).
    pub overwrites: Vec<(AnnotationId, Clock)>,
}

/// Decide each of the server's versions of annotations of `article`
/// against the version here (`mine`, by id) by [`step`], keeping the
/// outgoing queue `q` true to the result:
///
/// - in sync: the id leaves the queue (the server has it);
/// - the server's wins: it is taken; if the version here was a queued
///   change, it leaves the queue, and when taking loses an edit
///   ([`loses_edit`]) it is reported as [`Lost`];
/// - ours wins: the id is queued, to be pushed; when the server's version
///   is a different one, it is named in `overwrites`.
pub fn reconcile(
    article: &ArticleId,
    server: impl IntoIterator<Item = Entry>,
    mine: &HashMap<AnnotationId, Entry>,
    q: &mut Queue,
) -> Reconciled {
    let mut out = Reconciled::default();
    for theirs in server {
        let id = theirs.id.clone();
        let local = mine.get(&id);
        match step(local, Some(&theirs)) {
            Step::InSync => out.queue_changed |= q.remove(article, &id),
            Step::Take => {
                if let Some(l) = local.filter(|_| q.contains(article, &id)) {
                    if loses_edit(l, &theirs) {
                        if let Some(a) = &l.annotation {
                            out.lost.push(Lost {
                                article: article.clone(),
                                annotation: a.clone(),
                                by: if theirs.annotation.is_none() {
                                    "a deletion from the team".into()
                                } else {
                                    "a later change from the team".into()
                                },
                            });
                        }
                    }
                    out.queue_changed |= q.remove(article, &id);
                }
                out.take.push(theirs);
            }
            Step::Push => {
                if let Some(c) = local.and_then(|l| overwrites_unseen(&theirs, l)) {
                    out.overwrites.push((id.clone(), c));
                }
                out.queue_changed |= q.add(article, [&id]);
            }
        }
    }
    out
}
