//! The application state, its one [`Action`] enum and its one reducer.
//!
//! Every change to annotations goes through [`State::reduce`], which records
//! it as an undoable [`Change`]; saving, announcing and syncing hook in after.
//! The reducer is pure: ids and clocks arrive inside the actions.

use std::collections::HashMap;
use std::rc::Rc;

use super::annotation::{Annotation, AnnotationId, TextQuote, Timestamp};
use super::article::{Article, Details};
use super::factcheck::Verdict;
use super::offset::Span;
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
    /// The article's details before and after, when the step changed them.
    pub details: Option<(Details, Details)>,
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
    SetVerdict {
        id: AnnotationId,
        verdict: Option<Verdict>,
        now: Timestamp,
    },
    SetExplanation {
        id: AnnotationId,
        explanation: String,
        now: Timestamp,
    },
    /// Replace the source links (already checked by the caller).
    SetSources {
        id: AnnotationId,
        sources: Vec<String>,
        now: Timestamp,
    },
    /// Add one source link (already checked) unless it is there already:
    /// a link from the article, added to a fact's sources.
    AddSource {
        id: AnnotationId,
        url: String,
        now: Timestamp,
    },
    /// The claim as checked (a fact's one-sentence wording).
    SetClaim {
        id: AnnotationId,
        claim: String,
        now: Timestamp,
    },
    /// Who made the claim.
    SetClaimant {
        id: AnnotationId,
        claimant: String,
        now: Timestamp,
    },
    /// Replace the article's details (already checked); undoable.
    SetDetails {
        details: Details,
        now: Timestamp,
    },
    /// Take the article's details as saved elsewhere (another tab, a
    /// backup) if they changed later than these. Not undoable.
    MergeDetails {
        details: Details,
        changed: Timestamp,
    },
    /// Place an annotation (an orphan, or one in the wrong place) on `span`,
    /// taking its quote from the text there.
    Reattach {
        id: AnnotationId,
        span: Span,
        now: Timestamp,
    },
    /// Add many annotations as one undoable step (an import). Ids already
    /// present, and spans outside the text, are skipped.
    Import {
        annotations: Vec<Annotation>,
        label: String,
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
    /// Bumped every time an action says something (even the same words
    /// twice), so the live region announces each one.
    pub said: u64,
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
            said: 0,
            revision: 0,
            stamps: HashMap::new(),
        }
        .with_default_stamps()
    }

    /// Say what an action did (see [`State::said`]).
    fn say(&mut self, words: impl Into<String>) {
        self.announcement = words.into();
        self.said += 1;
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
                let label = format!("{} deleted", super::words::annotations(edits.len()));
                self.commit(label, edits, now);
                self.selected = None;
            }
            Action::SetTag { id, tag, now } => {
                self.edit(&id, now, format!("Tag changed to {}", tag.label()), |a| {
                    std::mem::replace(&mut a.tag, tag) != tag
                });
            }
            Action::SetNote { id, note, now } => {
                self.edit(&id, now, "Note changed".into(), |a| {
                    a.note != note && {
                        a.note = note;
                        true
                    }
                });
            }
            Action::SetVerdict { id, verdict, now } => {
                let label = match verdict {
                    Some(v) => format!("Verdict set to {}", v.label()),
                    None => "Verdict cleared".into(),
                };
                self.edit(&id, now, label, |a| {
                    std::mem::replace(&mut a.verdict, verdict) != verdict
                });
            }
            Action::SetExplanation {
                id,
                explanation,
                now,
            } => {
                self.edit(&id, now, "Explanation changed".into(), |a| {
                    a.explanation != explanation && {
                        a.explanation = explanation;
                        true
                    }
                });
            }
            Action::SetSources { id, sources, now } => {
                let label = match sources.len() {
                    0 => "Sources cleared".to_string(),
                    n => format!(
                        "Sources changed: {}",
                        super::words::count(n, "link", "links")
                    ),
                };
                self.edit(&id, now, label, |a| {
                    a.sources != sources && {
                        a.sources = sources;
                        true
                    }
                });
            }
            Action::AddSource { id, url, now } => {
                let present = self.get(&id).is_some_and(|a| a.sources.contains(&url));
                if present {
                    self.say(format!("{url} is already a source"));
                    return;
                }
                let label = format!("Source added: {url}");
                self.edit(&id, now, label, |a| {
                    a.sources.push(url);
                    true
                });
            }
            Action::SetClaim { id, claim, now } => {
                self.edit(&id, now, "Claim saved".into(), |a| {
                    a.claim != claim && {
                        a.claim = claim;
                        true
                    }
                });
            }
            Action::SetClaimant { id, claimant, now } => {
                self.edit(&id, now, "Claimant saved".into(), |a| {
                    a.claimant != claimant && {
                        a.claimant = claimant;
                        true
                    }
                });
            }
            Action::SetDetails { details, now } => {
                if details == self.article.details {
                    return;
                }
                let before = self.article.details.clone();
                self.set_details(details.clone(), now);
                self.push_change(Change {
                    label: "Article details saved".into(),
                    edits: vec![],
                    details: Some((before, details)),
                });
            }
            Action::MergeDetails { details, changed } => {
                if changed > self.article.details_changed && details != self.article.details {
                    self.set_details(details, changed);
                    self.say("Updated from another tab");
                    self.revision += 1;
                }
            }
            Action::Reattach { id, span, now } => {
                let len = self.article.len_chars();
                if span.is_empty() || span.end() > len {
                    return;
                }
                let article = self.article.clone();
                self.edit(&id, now, "Annotation re-attached".into(), |a| {
                    let quote = TextQuote::of(&article, span);
                    let changed = a.orphan || a.span != span;
                    a.orphan = false;
                    a.span = span;
                    a.quote = quote;
                    changed
                });
            }
            Action::Import {
                annotations,
                label,
                now,
            } => {
                let mut seen: std::collections::HashSet<AnnotationId> =
                    self.annotations.iter().map(|a| a.id.clone()).collect();
                let len = self.article.len_chars();
                let edits: Vec<Edit> = annotations
                    .into_iter()
                    .filter(|a| a.orphan || (!a.span.is_empty() && a.span.end() <= len))
                    .filter(|a| seen.insert(a.id.clone()))
                    .map(|a| Edit {
                        before: None,
                        after: Some(Rc::new(a)),
                    })
                    .collect();
                if edits.is_empty() {
                    self.say("Nothing imported");
                    return;
                }
                self.commit(label, edits, now);
            }
            Action::Undo { now } => {
                let Some(change) = self.undo.pop() else {
                    self.say("Nothing to undo");
                    return;
                };
                self.apply(
                    change
                        .edits
                        .iter()
                        .rev()
                        .map(|e| (e.after.as_ref(), e.before.clone())),
                    now,
                );
                if let Some((before, _)) = &change.details {
                    self.set_details(before.clone(), now);
                }
                self.say(format!("Undone: {}", change.label));
                self.redo.push(change);
                self.revision += 1;
            }
            Action::Redo { now } => {
                let Some(change) = self.redo.pop() else {
                    self.say("Nothing to redo");
                    return;
                };
                self.apply(
                    change
                        .edits
                        .iter()
                        .map(|e| (e.before.as_ref(), e.after.clone())),
                    now,
                );
                if let Some((_, after)) = &change.details {
                    self.set_details(after.clone(), now);
                }
                self.say(format!("Redone: {}", change.label));
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
                    self.say("Updated from another tab");
                    self.revision += 1;
                }
            }
            Action::Select(id) => {
                self.selected = id.filter(|id| self.get(id).is_some());
            }
            Action::Restore {
                article,
                annotations,
                tombstones,
            } => {
                let (revision, said) = (self.revision + 1, self.said);
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
                self.said = said;
            }
        }
    }

    /// Change one annotation with `f` (which says whether it changed
    /// anything) as one undoable step, stamping it modified.
    fn edit(
        &mut self,
        id: &AnnotationId,
        now: Timestamp,
        label: String,
        f: impl FnOnce(&mut Annotation) -> bool,
    ) {
        let Some(old) = self.get(id).cloned() else {
            return;
        };
        let mut new = (*old).clone();
        if !f(&mut new) {
            return;
        }
        new.modified = now;
        self.commit(
            label,
            vec![Edit {
                before: Some(old),
                after: Some(Rc::new(new)),
            }],
            now,
        );
    }

    fn commit(&mut self, label: String, edits: Vec<Edit>, now: Timestamp) {
        self.apply(
            edits.iter().map(|e| (e.before.as_ref(), e.after.clone())),
            now,
        );
        self.push_change(Change {
            label,
            edits,
            details: None,
        });
    }

    /// Record an applied change as the latest undoable step.
    fn push_change(&mut self, change: Change) {
        self.say(change.label.clone());
        self.undo.push(Rc::new(change));
        if self.undo.len() > HISTORY_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.revision += 1;
    }

    /// Give the article new details, stamped `now` (never backwards). The
    /// article is a new `Rc`: its text is shared by nothing else to change.
    fn set_details(&mut self, details: Details, now: Timestamp) {
        let mut article = (*self.article).clone();
        article.details = details;
        article.details_changed = article.details_changed.max(now);
        self.article = Rc::new(article);
    }

    /// Apply many replacements: one by one when few, otherwise in one pass
    /// (filter, append, sort) so a 10,000-annotation import or its undo is
    /// O(n log n), not quadratic.
    fn apply<'a>(
        &mut self,
        pairs: impl ExactSizeIterator<Item = (Option<&'a Rc<Annotation>>, Option<Rc<Annotation>>)>,
        now: Timestamp,
    ) {
        if pairs.len() <= 16 {
            for (old, new) in pairs {
                self.replace(old, new, now);
            }
            return;
        }
        let mut gone = std::collections::HashSet::new();
        let mut added = Vec::new();
        for (old, new) in pairs {
            for id in old.iter().map(|a| &a.id).chain(new.iter().map(|a| &a.id)) {
                let stamp = self.stamps.entry(id.clone()).or_default();
                *stamp = (*stamp).max(now);
            }
            if let Some(old) = old {
                gone.insert(old.id.clone());
            }
            if let Some(new) = new {
                gone.remove(&new.id);
                added.push(new);
            }
        }
        let added_ids: std::collections::HashSet<AnnotationId> =
            added.iter().map(|a| a.id.clone()).collect();
        self.annotations
            .retain(|a| !gone.contains(&a.id) && !added_ids.contains(&a.id));
        self.annotations.extend(added);
        self.annotations.sort_by(|a, b| a.doc_order(b));
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
