//! What to do with one annotation, given the version here and the
//! server's: the merge rule (`core::storage::merge`), applied across
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

use crate::core::storage::merge::{self, Entry};

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

/// The greatest of several versions of one annotation (revisions in
/// conflict): what every client writes, whichever resolves it first.
pub fn pick(versions: impl IntoIterator<Item = Entry>) -> Option<Entry> {
    versions.into_iter().reduce(merge::merge)
}
