//! The merge rule: which of two versions of one annotation wins.
//!
//! Every version of an annotation — live, or deleted (a tombstone) — carries
//! a [`Clock`]: its **life** and when it last **changed**.
//!
//! - Creating an annotation starts life 0.
//! - Editing it keeps the life and moves `changed` past the version edited.
//! - Deleting it ends that life: the tombstone keeps the life number.
//! - Bringing it back after seeing the deletion (undo of a delete, redo of a
//!   create, importing or restoring the same id) starts the next life.
//!
//! Versions are totally ordered, and the greater one wins:
//! 1. the later life;
//! 2. within one life, a deletion over any edit — an edit made without
//!    seeing the deletion is in the life the deletion ended;
//! 3. then the later `changed`;
//! 4. two different live versions changed in the same millisecond: the
//!    greater JSON of the annotation as stored (arbitrary, but the same in
//!    every tab).
//!
//! Because it is a total order, merging is taking the maximum: commutative,
//! associative and idempotent, so tabs (and, later, CouchDB replicas) that
//! see the same versions in any order and any number of times agree.
//! A local change always produces a version greater than every version of
//! that id its tab has seen ([`Clock::after`], [`Clock::revived`]), even when
//! the clock steps back.

use std::cmp::Ordering;

use crate::core::annotation::Annotation;

use crate::core::id::AnnotationId;

use crate::core::links::LinkTo;
use crate::core::time::Timestamp;

/// The causal part of a version: its life and when it last changed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Clock {
    /// Which life: 0 from creation, one more each time it is brought back
    /// after a deletion was seen.
    pub life: u32,
    pub changed: Timestamp,
}

impl Clock {
    /// The clock of a new annotation.
    pub fn new(now: Timestamp) -> Clock {
        Clock {
            life: 0,
            changed: now,
        }
    }

    /// The clock of an edit or deletion made after seeing this version: the
    /// same life, changed at `now` or, if the clock stepped back, just after
    /// this version.
    pub fn after(self, now: Timestamp) -> Clock {
        Clock {
            life: self.life,
            changed: Timestamp(now.0.max(self.changed.0 + 1)),
        }
    }

    /// The clock of bringing an annotation back after seeing its deletion.
    pub fn revived(self, now: Timestamp) -> Clock {
        Clock {
            life: self.life + 1,
            changed: Timestamp(now.0.max(self.changed.0 + 1)),
        }
    }
}

/// One version of one annotation: live (`annotation` is `Some`) or deleted.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: AnnotationId,
    pub clock: Clock,
    /// `None`: deleted, in life `clock.life`, at `clock.changed`.
    pub annotation: Option<Annotation>,
    /// A deletion's links: those the annotation had when it was deleted,
    /// kept so that their other ends say the link is broken (and nothing
    /// else of it is kept). Empty for a live version, whose links are in
    /// the annotation.
    pub links: Vec<LinkTo>,
}

impl Entry {
    pub fn live(annotation: Annotation, clock: Clock) -> Entry {
        Entry {
            id: annotation.id.clone(),
            clock,
            annotation: Some(annotation),
            links: Vec::new(),
        }
    }

    pub fn deleted(id: AnnotationId, clock: Clock) -> Entry {
        Entry {
            id,
            clock,
            annotation: None,
            links: Vec::new(),
        }
    }

    /// This deletion, keeping `links` (see [`Entry::links`]); a live
    /// version is returned as it is.
    pub fn keeping(mut self, links: Vec<LinkTo>) -> Entry {
        if self.annotation.is_none() {
            self.links = links;
        }
        self
    }

    /// The links this version has: a live one's own, a deletion's kept.
    pub fn links(&self) -> &[LinkTo] {
        match &self.annotation {
            Some(a) => &a.links,
            None => &self.links,
        }
    }
}

/// How two versions of one annotation compare: `Greater` means `a` wins.
/// A total order (see the module docs); `Equal` only for the same version.
pub fn compare(
    a: Clock,
    a_body: Option<&Annotation>,
    b: Clock,
    b_body: Option<&Annotation>,
) -> Ordering {
    a.life
        .cmp(&b.life)
        .then(a_body.is_none().cmp(&b_body.is_none()))
        .then(a.changed.cmp(&b.changed))
        .then_with(|| match (a_body, b_body) {
            (Some(x), Some(y)) if x != y => canonical(x).cmp(&canonical(y)),
            _ => Ordering::Equal,
        })
}

/// The annotation as JSON, every field in a fixed order: the same bytes in
/// every tab and every member's browser running this rule.
fn canonical(a: &Annotation) -> String {
    serde_json::to_string(a).unwrap_or_default()
}

/// Does `a` win over `b` (two versions of the same annotation)?
pub fn wins(a: &Entry, b: &Entry) -> bool {
    compare(
        a.clock,
        a.annotation.as_ref(),
        b.clock,
        b.annotation.as_ref(),
    ) == Ordering::Greater
}

/// The winner of two versions of one annotation.
pub fn merge(a: Entry, b: Entry) -> Entry {
    if wins(&b, &a) {
        b
    } else {
        a
    }
}
