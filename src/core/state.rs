//! The application state, its one [`Action`] enum and its one reducer.
//!
//! Every change to annotations goes through [`State::reduce`], which records
//! it as an undoable [`Change`]; saving, announcing and syncing hook in after.
//! The reducer is pure: ids and clocks arrive inside the actions.

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
    Delete(AnnotationId),
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
    Undo,
    Redo,
    /// Mark one annotation as the current one (panel item and highlight).
    Select(Option<AnnotationId>),
    /// Replace the open article and its annotations; forgets history.
    Open {
        article: Rc<Article>,
        annotations: Vec<Annotation>,
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
        }
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
                self.commit(
                    label,
                    vec![Edit {
                        before: None,
                        after: Some(Rc::new(a)),
                    }],
                );
                self.selected = Some(id);
            }
            Action::Delete(id) => {
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
                );
                if self.selected.as_ref() == Some(&id) {
                    self.selected = None;
                }
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
                );
            }
            Action::Undo => {
                let Some(change) = self.undo.pop() else {
                    self.announcement = "Nothing to undo".into();
                    return;
                };
                for e in change.edits.iter().rev() {
                    self.replace(e.after.as_ref(), e.before.clone());
                }
                self.announcement = format!("Undone: {}", change.label);
                self.redo.push(change);
                self.revision += 1;
            }
            Action::Redo => {
                let Some(change) = self.redo.pop() else {
                    self.announcement = "Nothing to redo".into();
                    return;
                };
                for e in &change.edits {
                    self.replace(e.before.as_ref(), e.after.clone());
                }
                self.announcement = format!("Redone: {}", change.label);
                self.undo.push(change);
                self.revision += 1;
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
        }
    }

    fn commit(&mut self, label: String, edits: Vec<Edit>) {
        for e in &edits {
            self.replace(e.before.as_ref(), e.after.clone());
        }
        self.announcement = label.clone();
        self.undo.push(Rc::new(Change { label, edits }));
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
    }

    /// Remove `old` (by id) and insert `new` in document order.
    fn replace(&mut self, old: Option<&Rc<Annotation>>, new: Option<Rc<Annotation>>) {
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
