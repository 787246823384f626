//! Backing up every stored article into one file, and restoring one.
//!
//! Storage is reached only through `storage`'s public functions, behind two
//! entry points ([`backup_library`], [`restore_library`]), so that they can
//! follow storage when it changes shape.
//!
//! Restoring merges each article the way two tabs merge (`Action::Merge`,
//! the rule in `core::merge`): per annotation the greater clock wins —
//! the later life, then a deletion over an edit of the same life, then the
//! later change — and ids keep an annotation from being added twice; the
//! details merge the same way (`Action::MergeDetails`). An article not yet
//! stored is added. An article whose stored record cannot be read is left
//! alone (never written over). Restoring the same file twice changes
//! nothing the second time: every stamp is then already as new.

use std::collections::HashMap;
use std::rc::Rc;

use super::anchor::Anchorer;
use super::annotation::Annotation;
use super::article::Article;
use super::formats::library::{self, EntryRef, Library, LibraryArticle};
use super::formats::IncomingTag;
use super::id::AnnotationId;
use super::id::ArticleId;
use super::import::annotation_of;
use super::state::{Action, State};
use super::storage::{self, Clock, Entry, Index, Store, StoreError};
use super::time::Timestamp;

/// What a backup holds, for the message after writing it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Backup {
    /// The backup file (see [`library`]).
    pub text: String,
    pub articles: usize,
    pub annotations: usize,
    /// Stored articles left out because their records cannot be read.
    pub unreadable: Vec<String>,
}

/// Every article stored in `store`, with annotations, tombstones and merge
/// clocks, as one library file. The open article is taken from `open` (its
/// latest changes may not be saved yet) and included even if not stored,
/// when it has annotations.
pub fn backup_library(store: &dyn Store, open: Option<&State>, now: Timestamp) -> Backup {
    let index = storage::read_index(store);
    let mut boots = Vec::new();
    let mut out = Backup::default();
    let open_id = open.map(|s| s.article.id.clone());
    for e in &index.articles {
        if Some(&e.id) == open_id.as_ref() {
            continue;
        }
        match storage::read_boot(store, &e.id) {
            Some(b) => boots.push((b, e.name.clone())),
            None => out.unreadable.push(e.display_name().to_string()),
        }
    }
    let mut entries: Vec<EntryRef> = Vec::new();
    let open_entry = open.filter(|s| {
        index.articles.iter().any(|e| e.id == s.article.id) || !s.annotations().is_empty()
    });
    let open_name = open_id
        .as_ref()
        .and_then(|id| index.articles.iter().find(|e| &e.id == id))
        .and_then(|e| e.name.clone());
    if let Some(s) = open_entry {
        entries.push(EntryRef {
            article: &s.article,
            annotations: s
                .annotations()
                .iter()
                .map(|a| (&**a, s.clock(&a.id).unwrap_or(Clock::new(a.modified))))
                .collect(),
            tombstones: s.tombstones(),
            name: open_name.as_deref(),
        });
    }
    for (b, name) in &boots {
        entries.push(EntryRef {
            article: &b.article,
            annotations: b.annotations.iter().map(|(a, t)| (a, *t)).collect(),
            tombstones: b.tombstones.clone(),
            name: name.as_deref(),
        });
    }
    out.articles = entries.len();
    out.annotations = entries.iter().map(|e| e.annotations.len()).sum();
    out.text = library::write(&entries, now);
    out
}

/// What restoring did, per article and in all.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Report {
    /// Articles that were not stored here and now are.
    pub added: usize,
    /// Stored articles that changed.
    pub updated: usize,
    /// Stored articles the backup had nothing newer for.
    pub unchanged: usize,
    /// Annotations added, changed and deleted, over all articles.
    pub annotations_added: usize,
    pub annotations_changed: usize,
    pub annotations_deleted: usize,
    /// Articles not restored, with why (unreadable entries included).
    pub skipped: Vec<String>,
    /// The articles restored or already up to date, by id.
    pub restored: Vec<ArticleId>,
    /// Why restoring stopped early (storage full or blocked), if it did:
    /// what was restored before stays restored.
    pub stopped: Option<StoreError>,
}

impl Report {
    /// "Restored 3 articles (1 new, 1 updated, 1 unchanged): 12 annotations added, …".
    pub fn summary(&self) -> String {
        let n = self.added + self.updated + self.unchanged;
        let mut s = format!(
            "Restored {n} article{} ({} new, {} updated, {} unchanged): {} annotation{} added, {} changed, {} deleted",
            if n == 1 { "" } else { "s" },
            self.added,
            self.updated,
            self.unchanged,
            self.annotations_added,
            if self.annotations_added == 1 { "" } else { "s" },
            self.annotations_changed,
            self.annotations_deleted,
        );
        if !self.skipped.is_empty() {
            s.push_str(&format!(
                ". {} not restored: {}",
                self.skipped.len(),
                self.skipped.join("; ")
            ));
        }
        if let Some(e) = &self.stopped {
            s.push_str(&format!(". Restoring stopped: {e}"));
        }
        s
    }
}

/// Merge a backup into `store`: see the module documentation. Stops at the
/// first article that cannot be written (storage full), saying so in
/// [`Report::stopped`]; what was written before stays written.
pub fn restore_library(store: &dyn Store, backup: &Library, now: Timestamp) -> Report {
    let mut report = Report {
        skipped: backup.invalid.clone(),
        ..Report::default()
    };
    let last_open = storage::read_index(store).last_open;
    for (i, entry) in backup.articles.iter().enumerate() {
        let Some(article) = entry.parsed.article.as_ref().and_then(|a| a.build()) else {
            report.skipped.push(format!(
                "article {}: its text does not match its id or blocks",
                i + 1
            ));
            continue;
        };
        let title = article.title.clone();
        let entries = entries_of(entry, &article);
        let key = storage::article_key(&article.id);
        let stored = match store.get(&key) {
            Ok(Some(_)) => match storage::read_boot(store, &article.id) {
                Some(b) => Some(b),
                None => {
                    report.skipped.push(format!(
                        "“{title}”: the copy stored here cannot be read, so it was left as it is"
                    ));
                    continue;
                }
            },
            Ok(None) => None,
            Err(e) => {
                report.stopped = Some(e);
                return report;
            }
        };
        let is_new = stored.is_none();
        let mut state = match stored {
            Some(b) => {
                let mut s = State::new(b.article.clone(), vec![]);
                s.reduce(Action::Restore {
                    article: b.article,
                    annotations: b.annotations,
                    tombstones: b.tombstones,
                });
                s
            }
            None => {
                let mut fresh = article.clone();
                fresh.details_changed = entry.details_changed;
                State::new(Rc::new(fresh), vec![])
            }
        };
        let before: HashMap<AnnotationId, Rc<Annotation>> = state
            .annotations()
            .iter()
            .map(|a| (a.id.clone(), a.clone()))
            .collect();
        let revision = state.revision;
        state.reduce(Action::Merge { entries });
        state.reduce(Action::MergeDetails {
            details: article.details.clone(),
            changed: entry.details_changed,
        });
        let after = state.annotations();
        report.annotations_added += after.iter().filter(|a| !before.contains_key(&a.id)).count();
        report.annotations_changed += after
            .iter()
            .filter(|a| before.get(&a.id).is_some_and(|b| b != *a))
            .count();
        report.annotations_deleted +=
            before.len() - after.iter().filter(|a| before.contains_key(&a.id)).count();
        let changed = is_new || state.revision != revision;
        if changed {
            if let Err(e) = storage::save(store, &state, now, &[]) {
                report
                    .skipped
                    .push(format!("“{title}”: it could not be saved"));
                report.stopped = Some(e);
                return report;
            }
            if is_new {
                report.added += 1;
            } else {
                report.updated += 1;
            }
        } else {
            report.unchanged += 1;
        }
        if let Some(name) = &entry.name {
            name_if_unnamed(store, &article.id, name);
        }
        report.restored.push(article.id.clone());
    }
    // Saving marks each article as the last one open; the person's stays.
    if let Ok(Some(mut index)) = storage::index_to_change(store) {
        if index.last_open != last_open {
            index.last_open = last_open;
            write_index(store, &index);
        }
    }
    report
}

/// The entry's annotations placed on its own article with their merge
/// clocks (a missing one: life 0, changed at the last modification), and
/// its tombstones.
/// A position is trusted where the text there is the quote; otherwise (a
/// file changed by hand) the quote is looked for; an annotation without an
/// id or with an unknown tag is left out.
fn entries_of(entry: &LibraryArticle, article: &Article) -> Vec<Entry> {
    let anchorer = Anchorer::new(article);
    let mut out = Vec::with_capacity(entry.parsed.items.len());
    for it in &entry.parsed.items {
        let (Some(id), IncomingTag::Known(tag)) = (&it.id, &it.tag) else {
            continue;
        };
        let created = it.created.or(it.modified).unwrap_or(Timestamp(0));
        let modified = it.modified.unwrap_or(created);
        let placed = match it.target.position {
            Some(_) => anchorer.anchor(&it.target, None).0,
            None => None,
        };
        let a = annotation_of(
            it,
            AnnotationId::from_string(id),
            *tag,
            placed,
            article,
            created,
            modified,
        );
        if a.orphan && a.quote.exact.is_empty() {
            continue;
        }
        let clock = Clock {
            life: it.life.unwrap_or(0),
            changed: it.changed.unwrap_or(modified),
        };
        out.push(Entry::live(a, clock));
    }
    out.extend(entry.tombstones.iter().cloned());
    out
}

/// Give a restored article its library name, unless it has one here.
fn name_if_unnamed(store: &dyn Store, id: &ArticleId, name: &str) {
    let index = storage::read_index(store);
    if index
        .articles
        .iter()
        .any(|e| &e.id == id && e.name.is_none())
    {
        let _ = storage::rename(store, id, name);
    }
}

fn write_index(store: &dyn Store, index: &Index) {
    if let Ok(raw) = serde_json::to_string(index) {
        let _ = store.set(&storage::index_key(), &raw);
    }
}
