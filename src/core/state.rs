//! The application state, its one [`Action`] enum and its one reducer.
//!
//! Every change to annotations goes through [`State::reduce`], which records
//! it as an undoable [`Change`]; saving, announcing and syncing hook in after.
//! The reducer is pure: ids and clocks arrive inside the actions.

use std::collections::HashMap;
use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId, Timestamp};
use super::article::Article;
use super::tag::Tag;

/// How many changes undo remembers.
pub const HISTORY_LIMIT: usize = 1000;

/// One annotation replaced: `None` before means created, `None` after deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edit {
    pub before: Option<Rc<Annotation>>,
    pub after: Option<Rc<Annotation>>,
}

/// One undoable step: the edits it made and what to call it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    pub label: String,
    pub edits: Vec<Edit>,
}

/// Everything a person can do to the state.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// Add an annotation (built by the caller with its id and time).
    Create(Annotation),
    Delete {
        id: AnnotationId,
        now: Timestamp,
    },
    /// Delete every annotation of the open article (one undoable step).
    DeleteAll {
        now: Timestamp,
    },
    SetTag {
        id: AnnotationId,
        tag: Tag,
        now: Timestamp,
    },
    SetNote {
        id: AnnotationId,
        note: String,
        now: Timestamp,
    },
    Undo {
        now: Timestamp,
    },
    Redo {
        now: Timestamp,
    },
    /// Fold in another tab's saved annotations: per annotation, the later
    /// change wins; a deletion is a change too (a tombstone). Not undoable.
    Merge {
        annotations: Vec<(Annotation, Timestamp)>,
        tombstones: Vec<(AnnotationId, Timestamp)>,
    },
    /// Mark one annotation as the current one (panel item and highlight).
    Select(Option<AnnotationId>),
    /// Replace the open article and its annotations; forgets history.
    Open {
        article: Rc<Article>,
        annotations: Vec<Annotation>,
    },
    /// Open with saved sync stamps (see [`State::stamp`]), as loaded from storage.
    Restore {
        article: Rc<Article>,
        annotations: Vec<(Annotation, Timestamp)>,
        tombstones: Vec<(AnnotationId, Timestamp)>,
    },
}

/// The state of the app.
///
/// Invariant: `annotations` is sorted by [`Annotation::doc_order`] and ids are unique.
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    pub article: Rc<Article>,
    annotations: Vec<Rc<Annotation>>,
    undo: Vec<Rc<Change>>,
    redo: Vec<Rc<Change>>,
    pub selected: Option<AnnotationId>,
    /// What the last action did, in words, for the aria-live region.
    pub announcement: String,
    /// Bumped on every change to annotations (not on selection).
    pub revision: u64,
    /// When each annotation id last changed here or in another tab, live or
    /// deleted: what merging compares. Ids not live are tombstones.
    stamps: HashMap<AnnotationId, Timestamp>,
}

impl State {
    pub fn new(article: Rc<Article>, annotations: Vec<Annotation>) -> State {
        let mut annotations: Vec<Rc<Annotation>> = annotations.into_iter().map(Rc::new).collect();
        annotations.sort_by(|a, b| a.doc_order(b));
        annotations.dedup_by(|a, b| a.id == b.id);
        State {
            article,
            annotations,
            undo: Vec::new(),
            redo: Vec::new(),
            selected: None,
            announcement: String::new(),
            revision: 0,
            stamps: HashMap::new(),
        }
        .with_default_stamps()
    }

    fn with_default_stamps(mut self) -> State {
        for a in &self.annotations {
            self.stamps.insert(a.id.clone(), a.modified);
        }
        self
    }

    /// When annotation `id` last changed (created, edited, deleted, restored).
    pub fn stamp(&self, id: &AnnotationId) -> Option<Timestamp> {
        self.stamps.get(id).copied()
    }

    /// Deleted ids with the time of deletion, sorted by id.
    pub fn tombstones(&self) -> Vec<(AnnotationId, Timestamp)> {
        // A set of live ids: `get` is a linear scan, and this runs on every save.
        let live: std::collections::HashSet<&AnnotationId> =
            self.annotations.iter().map(|a| &a.id).collect();
        let mut t: Vec<(AnnotationId, Timestamp)> = self
            .stamps
            .iter()
            .filter(|(id, _)| !live.contains(id))
            .map(|(id, t)| (id.clone(), *t))
            .collect();
        t.sort();
        t
    }

    /// The annotations in document order.
    pub fn annotations(&self) -> &[Rc<Annotation>] {
        &self.annotations
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Rc<Annotation>> {
        self.annotations.iter().find(|a| &a.id == id)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Apply one action.
    pub fn reduce(&mut self, action: Action) {
        match action {
            Action::Create(a) => {
                let len = self.article.len_chars();
                if a.span.is_empty() || a.span.end() > len || self.get(&a.id).is_some() {
                    return;
                }
                let label = format!("{} annotation created", a.tag.label());
                let id = a.id.clone();
                let now = a.created;
                self.commit(
                    label,
                    vec![Edit {
                        before: None,
                        after: Some(Rc::new(a)),
                    }],
                    now,
                );
                self.selected = Some(id);
            }
            Action::Delete { id, now } => {
                let Some(old) = self.get(&id).cloned() else {
                    return;
                };
                let label = format!("{} annotation deleted", old.tag.label());
                self.commit(
                    label,
                    vec![Edit {
                        before: Some(old),
                        after: None,
                    }],
                    now,
                );
                if self.selected.as_ref() == Some(&id) {
                    self.selected = None;
                }
            }
            Action::DeleteAll { now } => {
                if self.annotations.is_empty() {
                    return;
                }
                let edits = self
                    .annotations
                    .iter()
                    .map(|a| Edit {
                        before: Some(a.clone()),
                        after: None,
                    })
                    .collect::<Vec<_>>();
                let label = format!("{} annotations deleted", edits.len());
                self.commit(label, edits, now);
                self.selected = None;
            }
            Action::SetTag { id, tag, now } => {
                let Some(old) = self.get(&id).cloned() else {
                    return;
                };
                if old.tag == tag {
                    return;
                }
                let mut new = (*old).clone();
                new.tag = tag;
                new.modified = now;
                let label = format!("Tag changed to {}", tag.label());
                self.commit(
                    label,
                    vec![Edit {
                        before: Some(old),
                        after: Some(Rc::new(new)),
                    }],
                    now,
                );
            }
            Action::SetNote { id, note, now } => {
                let Some(old) = self.get(&id).cloned() else {
                    return;
                };
                if old.note == note {
                    return;
                }
                let mut new = (*old).clone();
                new.note = note;
                new.modified = now;
                self.commit(
                    "Note saved".into(),
                    vec![Edit {
                        before: Some(old),
                        after: Some(Rc::new(new)),
                    }],
                    now,
                );
            }
            Action::Undo { now } => {
                let Some(change) = self.undo.pop() else {
                    self.announcement = "Nothing to undo".into();
                    return;
                };
                for e in change.edits.iter().rev() {
                    self.replace(e.after.as_ref(), e.before.clone(), now);
                }
                self.announcement = format!("Undone: {}", change.label);
                self.redo.push(change);
                self.revision += 1;
            }
            Action::Redo { now } => {
                let Some(change) = self.redo.pop() else {
                    self.announcement = "Nothing to redo".into();
                    return;
                };
                for e in &change.edits {
                    self.replace(e.before.as_ref(), e.after.clone(), now);
                }
                self.announcement = format!("Redone: {}", change.label);
                self.undo.push(change);
                self.revision += 1;
            }
            Action::Merge {
                annotations,
                tombstones,
            } => {
                let mut changed = false;
                for (a, stamp) in annotations {
                    if self.stamp(&a.id).is_none_or(|mine| stamp > mine) {
                        let id = a.id.clone();
                        let current = self.get(&id).cloned();
                        if current.as_deref() != Some(&a) {
                            self.replace(current.as_ref(), Some(Rc::new(a)), stamp);
                            changed = true;
                        }
                        self.stamps.insert(id, stamp);
                    }
                }
                for (id, stamp) in tombstones {
                    if self.stamp(&id).is_none_or(|mine| stamp > mine) {
                        if let Some(current) = self.get(&id).cloned() {
                            self.replace(Some(&current), None, stamp);
                            changed = true;
                        }
                        self.stamps.insert(id, stamp);
                    }
                }
                if changed {
                    self.announcement = "Updated from another tab".into();
                    self.revision += 1;
                }
            }
            Action::Select(id) => {
                self.selected = id.filter(|id| self.get(id).is_some());
            }
            Action::Open {
                article,
                annotations,
            } => {
                let revision = self.revision + 1;
                *self = State::new(article, annotations);
                self.revision = revision;
            }
            Action::Restore {
                article,
                annotations,
                tombstones,
            } => {
                let revision = self.revision + 1;
                let stamps: Vec<(AnnotationId, Timestamp)> = annotations
                    .iter()
                    .map(|(a, t)| (a.id.clone(), *t))
                    .collect();
                *self = State::new(article, annotations.into_iter().map(|(a, _)| a).collect());
                self.stamps.extend(stamps);
                for (id, t) in tombstones {
                    if self.get(&id).is_none() {
                        self.stamps.insert(id, t);
                    }
                }
                self.revision = revision;
            }
        }
    }

    fn commit(&mut self, label: String, edits: Vec<Edit>, now: Timestamp) {
        for e in &edits {
            self.replace(e.before.as_ref(), e.after.clone(), now);
        }
        self.announcement = label.clone();
        self.undo.push(Rc::new(Change { label, edits }));
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
    }

    /// Remove `old` (by id) and insert `new` in document order, stamping both ids.
    fn replace(
        &mut self,
        old: Option<&Rc<Annotation>>,
        new: Option<Rc<Annotation>>,
        now: Timestamp,
    ) {
        for id in old.iter().map(|a| &a.id).chain(new.iter().map(|a| &a.id)) {
            let stamp = self.stamps.entry(id.clone()).or_default();
            // Never move a stamp backwards (clocks can step back).
            *stamp = (*stamp).max(now);
        }
        if let Some(old) = old {
            if let Some(i) = self.annotations.iter().position(|a| a.id == old.id) {
                self.annotations.remove(i);
            }
        }
        if let Some(new) = new {
            let at = self
                .annotations
                .partition_point(|a| a.doc_order(&new) == std::cmp::Ordering::Less);
            self.annotations.insert(at, new);
        }
    }
}
