//! The application state, its one [`Action`] enum and its one reducer.
//!
//! Every change to annotations goes through [`State::reduce`], which records
//! it as an undoable [`Change`]; saving, announcing and syncing hook in after.
//! The reducer is pure: ids and clocks arrive inside the actions.
//!
//! Every annotation id the state has seen keeps a [`Clock`] (live or
//! deleted), so versions from other tabs merge by the rule of
//! [`crate::core::merge`], and [`State::touched`] names what the
//! last action changed, which is what saving writes.

use std::collections::HashMap;
use std::rc::Rc;

use super::annotation::{Annotation, TextQuote};

use super::id::AnnotationId;

use super::article::{Article, Details};
use super::factcheck::Verdict;
use super::links::LinkTo;
use super::merge::{self, Clock, Entry};
use super::offset::Span;
use super::tag::Tag;
use super::time::Timestamp;

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
    /// Link annotation `id` to `to` (or change the kind of its link to
    /// that target). `about` names the target in words for the label
    /// ("“…” in “…”"). A link to itself is refused. Undoable.
    Link {
        id: AnnotationId,
        to: LinkTo,
        about: String,
        now: Timestamp,
    },
    /// Remove annotation `id`'s link to annotation `target` of `article`.
    /// Undoable.
    Unlink {
        id: AnnotationId,
        article: super::id::ArticleId,
        target: AnnotationId,
        about: String,
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
    /// Fold in versions saved elsewhere (another tab): per annotation, the
    /// winner by the merge rule ([`merge::compare`]); a deletion is a
    /// version too. Not undoable, and nothing to save.
    Merge {
        entries: Vec<Entry>,
    },
    /// Take in versions that came from elsewhere than another tab (a
    /// restored backup): merged as [`Action::Merge`] and
    /// [`Action::MergeDetails`] merge, and, when anything changed, `announce`
    /// is what the live region says. Not undoable.
    Adopt {
        entries: Vec<Entry>,
        details: Option<(Details, Timestamp)>,
        announce: String,
    },
    /// Mark one annotation as the current one (panel item and highlight).
    Select(Option<AnnotationId>),
    /// Who is signed in to a team (`None`: nobody). Annotations made or
    /// changed here from now on without an author get this one; with a
    /// name, those of the open article that have none are claimed for it
    /// (a local change, saved and shared; not undoable).
    SetAuthor {
        author: Option<String>,
        now: Timestamp,
    },
    /// Put the server's versions back, whatever the merge rule says: the
    /// team's server refused a change made here (see `core::sync`), so its
    /// version stands. `announce` is what the live region says. Not undoable,
    /// and nothing to save (the caller stores them, as they override what
    /// storage holds).
    Revert {
        entries: Vec<Entry>,
        announce: String,
    },
    /// Make `annotation` the current version of its id as a new local
    /// change (an edit, or bringing it back if deleted): a version that lost
    /// to someone else's, brought back on request. Undoable.
    Reapply {
        annotation: Annotation,
        label: String,
        now: Timestamp,
    },
    /// Open with saved clocks (see [`State::clock`]), as loaded from storage.
    Restore {
        article: Rc<Article>,
        annotations: Vec<(Annotation, Clock)>,
        /// Deletions (with the links they keep).
        tombstones: Vec<Entry>,
    },
}

/// What the state knows of one annotation id: its clock, and the
/// annotation while it is live.
#[derive(Clone, Debug, PartialEq)]
struct Slot {
    clock: Clock,
    live: Option<Rc<Annotation>>,
    /// Deleted: the links it had (see [`Entry::links`]).
    kept: Rc<[LinkTo]>,
}

impl Slot {
    fn new(clock: Clock, live: Option<Rc<Annotation>>) -> Slot {
        Slot {
            clock,
            live,
            kept: Rc::new([]),
        }
    }
}

/// The state of the app.
///
/// Invariants: `annotations` is sorted by [`Annotation::doc_order`], ids are
/// unique, and they are exactly the live ones in `slots`.
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
    pub announced: u64,
    /// Bumped on every change to annotations (not on selection).
    pub revision: u64,
    /// Every id seen, live or deleted, with its clock: what merging
    /// compares. Ids not live are tombstones.
    slots: HashMap<AnnotationId, Slot>,
    /// The ids the last action changed locally (not by merging): what to save.
    touched: Rc<[AnnotationId]>,
    /// The team member signed in, stamped on annotations made here.
    author: Option<Rc<str>>,
}

impl State {
    pub fn new(article: Rc<Article>, annotations: Vec<Annotation>) -> State {
        State::with_room(article, annotations, 0)
    }

    /// [`State::new`] with room for `extra` more ids (tombstones) in the
    /// clocks: sized once, not grown by doubling (the old and the new table
    /// would coexist at 10,000 annotations).
    fn with_room(article: Rc<Article>, annotations: Vec<Annotation>, extra: usize) -> State {
        let mut annotations: Vec<Rc<Annotation>> = annotations.into_iter().map(Rc::new).collect();
        annotations.sort_by(|a, b| a.doc_order(b));
        annotations.dedup_by(|a, b| a.id == b.id);
        let live = annotations.len();
        State {
            article,
            annotations,
            undo: Vec::new(),
            redo: Vec::new(),
            selected: None,
            announcement: String::new(),
            announced: 0,
            revision: 0,
            slots: HashMap::with_capacity(live + extra),
            touched: Rc::new([]),
            author: None,
        }
        .with_default_clocks()
    }

    /// Say what an action did (see [`State::announced`]).
    fn say(&mut self, words: impl Into<String>) {
        self.announcement = words.into();
        self.announced += 1;
    }

    fn with_default_clocks(mut self) -> State {
        for a in &self.annotations {
            self.slots.insert(
                a.id.clone(),
                Slot::new(Clock::new(a.modified), Some(a.clone())),
            );
        }
        self
    }

    /// The clock of annotation `id`'s current version, live or deleted.
    pub fn clock(&self, id: &AnnotationId) -> Option<Clock> {
        self.slots.get(id).map(|s| s.clock)
    }

    /// The current version of `id` (live or a tombstone), if the id is known.
    pub fn entry(&self, id: &AnnotationId) -> Option<Entry> {
        self.slots.get(id).map(|s| Entry {
            id: id.clone(),
            clock: s.clock,
            annotation: s.live.as_deref().cloned(),
            links: match s.live {
                Some(_) => Vec::new(),
                None => s.kept.to_vec(),
            },
        })
    }

    /// Every known id with its clock and whether it is live (no copies:
    /// for comparing with what was seen before).
    pub fn clocks(&self) -> impl Iterator<Item = (&AnnotationId, Clock, bool)> + '_ {
        self.slots
            .iter()
            .map(|(id, s)| (id, s.clock, s.live.is_some()))
    }

    /// Every known version, live and deleted (in no particular order).
    pub fn entries(&self) -> impl Iterator<Item = Entry> + '_ {
        self.slots.keys().filter_map(|id| self.entry(id))
    }

    /// The ids whose versions the last action changed here (created,
    /// edited, deleted, brought back); empty after a merge, a selection or
    /// opening an article. Saving writes these.
    pub fn touched(&self) -> &[AnnotationId] {
        &self.touched
    }

    /// The team member signed in (see [`Action::SetAuthor`]).
    pub fn author(&self) -> Option<&str> {
        self.author.as_deref()
    }

    /// The deletions (with their clocks and kept links), sorted by id.
    pub fn tombstones(&self) -> Vec<Entry> {
        let mut ids: Vec<&AnnotationId> = self
            .slots
            .iter()
            .filter(|(_, s)| s.live.is_none())
            .map(|(id, _)| id)
            .collect();
        ids.sort();
        ids.into_iter().filter_map(|id| self.entry(id)).collect()
    }

    /// The annotations in document order.
    pub fn annotations(&self) -> &[Rc<Annotation>] {
        &self.annotations
    }

    pub fn get(&self, id: &AnnotationId) -> Option<&Rc<Annotation>> {
        self.slots.get(id).and_then(|s| s.live.as_ref())
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// Apply one action.
    pub fn reduce(&mut self, action: Action) {
        if !self.touched.is_empty() {
            self.touched = Rc::new([]);
        }
        match action {
            Action::Create(a) => {
                let len = self.article.len_chars();
                if a.span.is_empty() || a.span.end() > len || self.get(&a.id).is_some() {
                    return;
                }
                // Which words, too: a person tagging from the keyboard or a screen
                // reader hears what was tagged, not only that something was.
                let label = format!(
                    "{} annotation created: “{}”",
                    a.tag.label(),
                    super::words::clip(&a.quote.exact, 60)
                );
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
                let label = format!(
                    "{} annotation deleted: “{}”",
                    old.tag.label(),
                    super::words::clip(&old.quote.exact, 60)
                );
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
                    std::mem::replace(&mut a.check.verdict, verdict) != verdict
                });
            }
            Action::SetExplanation {
                id,
                explanation,
                now,
            } => {
                self.edit(&id, now, "Explanation changed".into(), |a| {
                    a.check.explanation != explanation && {
                        a.check.explanation = explanation;
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
                    a.check.sources != sources && {
                        a.check.sources = sources;
                        true
                    }
                });
            }
            Action::AddSource { id, url, now } => {
                let present = self
                    .get(&id)
                    .is_some_and(|a| a.check.sources.contains(&url));
                if present {
                    self.say(format!("{url} is already a source"));
                    return;
                }
                let label = format!("Source added: {url}");
                self.edit(&id, now, label, |a| {
                    a.check.sources.push(url);
                    true
                });
            }
            Action::SetClaim { id, claim, now } => {
                self.edit(&id, now, "Claim saved".into(), |a| {
                    a.check.claim != claim && {
                        a.check.claim = claim;
                        true
                    }
                });
            }
            Action::SetClaimant { id, claimant, now } => {
                self.edit(&id, now, "Claimant saved".into(), |a| {
                    a.check.claimant != claimant && {
                        a.check.claimant = claimant;
                        true
                    }
                });
            }
            Action::Link { id, to, about, now } => {
                if to.points_at(&self.article.id, &id) {
                    self.say("An annotation cannot be linked to itself");
                    return;
                }
                let present = self.get(&id).and_then(|a| {
                    a.links
                        .iter()
                        .find(|l| l.points_at(&to.article, &to.id))
                        .map(|l| l.kind)
                });
                if present == Some(to.kind) {
                    self.say(format!(
                        "Already linked: {} {about}",
                        to.kind.outgoing().to_lowercase()
                    ));
                    return;
                }
                if present.is_none()
                    && self
                        .get(&id)
                        .is_some_and(|a| a.links.len() >= super::links::MAX_LINKS)
                {
                    self.say(format!(
                        "Not linked: an annotation has at most {} links",
                        super::links::MAX_LINKS
                    ));
                    return;
                }
                let label = match present {
                    Some(_) => format!(
                        "Link changed: {} {about}",
                        to.kind.outgoing().to_lowercase()
                    ),
                    None => format!("Linked: {} {about}", to.kind.outgoing().to_lowercase()),
                };
                self.edit(&id, now, label, |a| {
                    match a
                        .links
                        .iter_mut()
                        .find(|l| l.points_at(&to.article, &to.id))
                    {
                        Some(l) => l.kind = to.kind,
                        None => a.links.push(to),
                    }
                    true
                });
            }
            Action::Unlink {
                id,
                article,
                target,
                about,
                now,
            } => {
                let label = format!("Link removed: {about}");
                self.edit(&id, now, label, |a| {
                    let before = a.links.len();
                    a.links.retain(|l| !l.points_at(&article, &target));
                    a.links.len() != before
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
                self.touched = change.edits.iter().map(edit_id).collect();
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
                self.touched = change.edits.iter().map(edit_id).collect();
                if let Some((_, after)) = &change.details {
                    self.set_details(after.clone(), now);
                }
                self.say(format!("Redone: {}", change.label));
                self.undo.push(change);
                self.revision += 1;
            }
            Action::Merge { entries } => {
                let mut changed = false;
                for e in entries {
                    let current = self.slots.get(&e.id);
                    let wins = current.is_none_or(|s| {
                        merge::compare(e.clock, e.annotation.as_ref(), s.clock, s.live.as_deref())
                            == std::cmp::Ordering::Greater
                    });
                    if wins {
                        changed |= current.and_then(|s| s.live.as_deref()) != e.annotation.as_ref();
                        self.set_entry(e);
                    }
                }
                if changed {
                    self.say("Updated from another tab");
                    self.revision += 1;
                }
            }
            Action::Adopt {
                entries,
                details,
                announce,
            } => {
                let before = self.announced;
                self.reduce(Action::Merge { entries });
                if let Some((details, changed)) = details {
                    self.reduce(Action::MergeDetails { details, changed });
                }
                if self.announced != before {
                    self.say(announce);
                }
            }
            Action::Select(id) => {
                self.selected = id.filter(|id| self.get(id).is_some());
            }
            Action::SetAuthor { author, now } => {
                self.author = author.map(Rc::from);
                if self.author.is_none() {
                    return;
                }
                let claimed: Vec<Rc<Annotation>> = self
                    .annotations
                    .iter()
                    .filter(|a| a.author.is_none())
                    .cloned()
                    .collect();
                if claimed.is_empty() {
                    return;
                }
                let ids: Rc<[AnnotationId]> = claimed.iter().map(|a| a.id.clone()).collect();
                // `apply` stamps the author; no history (there is nothing
                // a person would undo).
                self.apply(claimed.iter().map(|a| (Some(a), Some(a.clone()))), now);
                self.touched = ids;
                self.revision += 1;
            }
            Action::Revert { entries, announce } => {
                if entries.is_empty() {
                    return;
                }
                for e in entries {
                    self.set_entry(e);
                }
                if self
                    .selected
                    .as_ref()
                    .is_some_and(|id| self.get(id).is_none())
                {
                    self.selected = None;
                }
                self.say(announce);
                self.revision += 1;
            }
            Action::Reapply {
                annotation,
                label,
                now,
            } => {
                let len = self.article.len_chars();
                if !annotation.orphan && (annotation.span.is_empty() || annotation.span.end() > len)
                {
                    return;
                }
                let before = self.get(&annotation.id).cloned();
                let mut after = annotation;
                after.modified = now;
                let id = after.id.clone();
                self.commit(
                    label,
                    vec![Edit {
                        before,
                        after: Some(Rc::new(after)),
                    }],
                    now,
                );
                self.selected = Some(id);
            }
            Action::Restore {
                article,
                annotations,
                tombstones,
            } => {
                let (revision, announced, author) =
                    (self.revision + 1, self.announced, self.author.take());
                let clocks: Vec<(AnnotationId, Clock)> = annotations
                    .iter()
                    .map(|(a, c)| (a.id.clone(), *c))
                    .collect();
                let list = annotations.into_iter().map(|(a, _)| a).collect();
                *self = State::with_room(article, list, tombstones.len());
                for (id, c) in clocks {
                    if let Some(s) = self.slots.get_mut(&id) {
                        s.clock = c;
                    }
                }
                self.revision = revision;
                self.announced = announced;
                self.author = author;
                for e in tombstones {
                    let kept: Rc<[LinkTo]> = e.links.into();
                    self.slots.entry(e.id).or_insert(Slot {
                        clock: e.clock,
                        live: None,
                        kept,
                    });
                }
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
        self.touched = edits.iter().map(edit_id).collect();
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
    /// O(n log n), not quadratic. Each replacement is a local change: its
    /// clock moves past every version of that id seen here.
    fn apply<'a>(
        &mut self,
        pairs: impl ExactSizeIterator<Item = (Option<&'a Rc<Annotation>>, Option<Rc<Annotation>>)>,
        now: Timestamp,
    ) {
        if pairs.len() <= 16 {
            for (old, new) in pairs {
                let new = new.map(|a| self.stamped(a));
                if let Some(id) = old
                    .map(|a| a.id.clone())
                    .or(new.as_ref().map(|a| a.id.clone()))
                {
                    let clock = self.local_clock(&id, new.is_some(), now);
                    let kept = kept_links(old, &new);
                    self.set(id, clock, new);
                    self.keep_links(kept);
                }
            }
            return;
        }
        let mut gone = std::collections::HashSet::new();
        let mut added = Vec::new();
        for (old, new) in pairs {
            let new = new.map(|a| self.stamped(a));
            let Some(id) = old
                .map(|a| a.id.clone())
                .or(new.as_ref().map(|a| a.id.clone()))
            else {
                continue;
            };
            let clock = self.local_clock(&id, new.is_some(), now);
            gone.insert(id.clone());
            if let Some(new) = &new {
                added.push(new.clone());
            }
            let kept =
                kept_links(old, &new).map_or_else(|| Rc::new([]) as Rc<[LinkTo]>, |(_, k)| k);
            self.slots.insert(
                id,
                Slot {
                    clock,
                    live: new,
                    kept,
                },
            );
        }
        self.annotations.retain(|a| !gone.contains(&a.id));
        self.annotations.extend(added);
        self.annotations.sort_by(|a, b| a.doc_order(b));
    }

    /// `a` with the signed-in author when it has none (a local change made
    /// while signed in to a team is that member's).
    fn stamped(&self, a: Rc<Annotation>) -> Rc<Annotation> {
        match (&self.author, &a.author) {
            (Some(name), None) => {
                let mut a = (*a).clone();
                a.author = Some(name.to_string());
                Rc::new(a)
            }
            _ => a,
        }
    }

    /// The clock of a local change to `id` that leaves it live or not.
    fn local_clock(&self, id: &AnnotationId, live: bool, now: Timestamp) -> Clock {
        match self.slots.get(id) {
            None => Clock::new(now),
            // Brought back after its deletion was seen here: a new life.
            Some(s) if s.live.is_none() && live => s.clock.revived(now),
            Some(s) => s.clock.after(now),
        }
    }

    /// Make `annotation` the version of `id` (none: deleted), with `clock`,
    /// keeping the list in document order.
    fn set(&mut self, id: AnnotationId, clock: Clock, annotation: Option<Rc<Annotation>>) {
        let old = self.slots.get(&id).and_then(|s| s.live.clone());
        if let Some(old) = old {
            // Found by its place in document order, not by a scan.
            let at = self
                .annotations
                .partition_point(|a| a.doc_order(&old) == std::cmp::Ordering::Less);
            if self.annotations.get(at).is_some_and(|a| a.id == id) {
                self.annotations.remove(at);
            } else if let Some(i) = self.annotations.iter().position(|a| a.id == id) {
                self.annotations.remove(i);
            }
        }
        if let Some(new) = &annotation {
            let at = self
                .annotations
                .partition_point(|a| a.doc_order(new) == std::cmp::Ordering::Less);
            self.annotations.insert(at, new.clone());
        }
        self.slots.insert(id, Slot::new(clock, annotation));
    }

    /// Make version `e` current (a live one, or a deletion with the links
    /// it keeps).
    fn set_entry(&mut self, e: Entry) {
        let kept: Rc<[LinkTo]> = e.links.into();
        let id = e.id.clone();
        self.set(e.id, e.clock, e.annotation.map(Rc::new));
        if let Some(s) = self.slots.get_mut(&id).filter(|s| s.live.is_none()) {
            s.kept = kept;
        }
    }

    /// After deleting an annotation here: keep the links it had.
    fn keep_links(&mut self, kept: Option<(AnnotationId, Rc<[LinkTo]>)>) {
        if let Some((id, kept)) = kept {
            if let Some(s) = self.slots.get_mut(&id).filter(|s| s.live.is_none()) {
                s.kept = kept;
            }
        }
    }
}

/// A deletion of `old` (`new` is `None`) keeps its links.
fn kept_links(
    old: Option<&Rc<Annotation>>,
    new: &Option<Rc<Annotation>>,
) -> Option<(AnnotationId, Rc<[LinkTo]>)> {
    match (old, new) {
        (Some(a), None) if !a.links.is_empty() => Some((a.id.clone(), a.links.clone().into())),
        _ => None,
    }
}

fn edit_id(e: &Edit) -> AnnotationId {
    e.after
        .as_ref()
        .or(e.before.as_ref())
        .map(|a| a.id.clone())
        .unwrap_or_else(|| AnnotationId::from_string(""))
}
