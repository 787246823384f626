//! The journal: a copy of every value claimmark writes to local storage,
//! kept where a crash cannot lose it (IndexedDB, written in a transaction
//! with `durability: "strict"`, in `web::journal`), and put back into local
//! storage when the app starts.
//!
//! Why: Chromium writes local storage to disk lazily — 5 s after a change
//! at the soonest, and no more than about once a minute on average — so a
//! killed browser (an OS crash, a phone killing its tab's process) loses
//! the last seconds of work. Local storage stays the store the app reads
//! and that tabs share; the journal only makes each write survive a crash.
//!
//! This module holds the journal's decisions, as pure functions over a
//! [`Store`]:
//!
//! - **what is journaled** ([`kind`]): every `claimmark:v1:` value a person's
//!   work lives in — article records, annotation chunks, edited details,
//!   the library index, backups, the reviewer's name — and removals of
//!   them. Not the team's queue and checkpoints (the team's server keeps
//!   those) nor anything else.
//! - **where a write goes**: each tab (each page load) writes its own
//!   *slot* of a key, `<key>#<tab>`, with a plain put — no read first, so
//!   nothing stands between the change and the disk but the write itself.
//! - **what wins when the slots of one key meet** ([`fold`], [`combine`]):
//!   in the order they were written, for a chunk every version of every
//!   slot by the merge rule (two tabs writing one chunk at once, each from
//!   a copy without the other's change, lose nothing even there); for
//!   edited details, the later edit; otherwise the later write. A removal
//!   is a write too, and so is a chunk the team's server made stand
//!   ([`Slot::replace`]: nothing written before it is merged back in).
//!   On start-up the slots of a key are folded into one (`<key>#`).
//! - **what is put back on load** ([`replay`]): what the journal holds that
//!   local storage does not, by the same rules as saving — chunks merged,
//!   the later details, a missing record or backup written back, an
//!   unreadable value copied to a backup key before anything is written in
//!   its place, nothing of an article saved by a newer claimmark touched.
//! - **when an entry can be dropped** ([`droppable`]): a removal, one day
//!   after it was made, once local storage no longer holds the key. A value
//!   is never dropped while its key is stored: the journal is the copy that
//!   is known to be on disk, and no page can tell when local storage's own
//!   copy reached it. So the journal holds about what local storage holds.

use super::index::{Index, IndexEntry};
use super::keys::{article_key, parse_key, Key, PREFIX};
use super::layout::{decode_details, encode_chunk, parse_chunk, LoadError};
use super::read::decode_article;
use super::save::{back_up, write_chunk_at, write_details_at};
use super::store::{Store, StoreError};
use super::SCHEMA;
use crate::core::id::ArticleId;
use crate::core::merge::{self, Entry};
use crate::core::time::Timestamp;

/// How a key's journaled writes combine, and how it is put back.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// An article record (written once; the same id is the same text).
    Record,
    /// A chunk of annotations: versions merged by the merge rule.
    Chunk,
    /// Edited details: the later edit wins.
    Details,
    /// The library index.
    Index,
    /// A value set aside because it could not be read.
    Backup,
    /// Anything else of claimmark's worth keeping (the reviewer's name).
    Plain,
}

/// Whether (and how) a local-storage key is journaled.
pub fn kind(key: &str) -> Option<Kind> {
    Some(match parse_key(key) {
        Key::Article(_) => Kind::Record,
        Key::Chunk(..) => Kind::Chunk,
        Key::Details(_) => Kind::Details,
        Key::Index => Kind::Index,
        Key::Backup { .. } => Kind::Backup,
        Key::Other if key == format!("{PREFIX}author") => Kind::Plain,
        Key::Other => return None,
    })
}

/// What the journal holds for one key: the value last written there
/// (`None`: the key was removed), and when it was journaled.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Journaled {
    pub value: Option<String>,
    pub at: Timestamp,
}

/// How long a removal is remembered once local storage no longer holds the
/// key. Chromium writes local storage to disk 5 s after a change, and
/// rate-limits itself to about 60 writes an hour: a removal is on disk long
/// before a day has passed. Forgetting it early only risks a deleted
/// article coming back after a crash, never a loss.
pub const REMOVAL_KEPT_MS: i64 = 24 * 60 * 60 * 1000;

/// Combine what the journal holds for `key` (`old`) with a new write of it
/// (`new`): what the journal keeps. `replace` is a write that must stand
/// whatever the merge rule says (the team's server refused a change made
/// here; see `save::replace_versions`).
///
/// For a chunk, both writes' versions are merged (the later version of each
/// annotation, by the merge rule): two tabs journaling one chunk at once,
/// each from a copy without the other's change, lose nothing. When `new`
/// already holds everything of `old` — one tab, or tabs that saw each other
/// — the result is `new` itself, byte for byte, as local storage has it.
/// For details, the later edit. Otherwise, and for a removal, `new`.
pub fn combine(key: &str, old: Option<&Journaled>, new: Journaled, replace: bool) -> Journaled {
    let (Some(old_value), Some(new_value)) = (old.and_then(|o| o.value.as_deref()), &new.value)
    else {
        return new;
    };
    if replace || old_value == new_value.as_str() {
        return new;
    }
    match kind(key) {
        Some(Kind::Chunk) => match (parse_chunk(old_value), parse_chunk(new_value)) {
            (Ok(old_list), Ok(new_list)) => {
                let mut merged = new_list;
                let before = merged.clone();
                for e in old_list {
                    join(&mut merged, e);
                }
                if merged == before {
                    return new;
                }
                Journaled {
                    value: Some(encode_chunk(&merged)),
                    at: new.at,
                }
            }
            // Never written over by this build: a newer claimmark's chunk.
            (Err(LoadError::NewerSchema(_)), _) => old.cloned().unwrap_or(new),
            _ => new,
        },
        Some(Kind::Details) => match (decode_details(old_value), decode_details(new_value)) {
            (Some((_, before)), Some((_, after))) if before > after => old.cloned().unwrap_or(new),
            _ => new,
        },
        _ => new,
    }
}

/// Merge version `e` into a short list (as saving does).
fn join(list: &mut Vec<Entry>, e: Entry) {
    match list.iter_mut().find(|x| x.id == e.id) {
        Some(cur) => {
            if merge::wins(&e, cur) {
                *cur = e;
            }
        }
        None => list.push(e),
    }
}

/// One journal entry that differs from what local storage held when the
/// app started: put back by [`replay`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    pub key: String,
    pub journaled: Journaled,
    /// What local storage held for `key` just before the journal was read.
    /// Local storage is read first, so a value there that the journal does
    /// not hold yet is one a live tab wrote an instant before: it is left
    /// alone (its own journal write follows).
    pub seen: Option<String>,
}

/// What putting the journal back did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Replayed {
    /// Keys written (or removed) in local storage from the journal: work
    /// that local storage had lost.
    pub restored: Vec<String>,
    /// Keys that could not be written (a full store): they stay in the
    /// journal and are put back by a later load.
    pub failed: Vec<(String, StoreError)>,
    /// Journal entries no longer needed ([`droppable`]).
    pub dropped: Vec<String>,
}

/// Whether a journal entry can go: only a removal, a day after it was
/// made, once local storage no longer holds the key (see the module docs).
pub fn droppable(j: &Journaled, stored: Option<&str>, now: Timestamp) -> bool {
    j.value.is_none() && stored.is_none() && now.0 - j.at.0 >= REMOVAL_KEPT_MS
}

/// Put back into `store` (local storage) what the journal holds and local
/// storage lost: each candidate by its kind (see the module docs), records
/// and backups first, then details and chunks, the library index last.
pub fn replay(store: &dyn Store, candidates: Vec<Candidate>, now: Timestamp) -> Replayed {
    let rank = |c: &Candidate| match kind(&c.key) {
        Some(Kind::Record) => 0,
        Some(Kind::Backup) => 1,
        Some(Kind::Details) | Some(Kind::Chunk) => 2,
        Some(Kind::Plain) => 3,
        Some(Kind::Index) => 4,
        None => 5,
    };
    let mut out = Replayed::default();
    let in_order = (0..=5).flat_map(|r| candidates.iter().filter(move |c| rank(c) == r));
    for c in in_order.cloned().collect::<Vec<_>>() {
        let current = match store.get(&c.key) {
            Ok(v) => v,
            Err(e) => {
                out.failed.push((c.key, e));
                continue;
            }
        };
        if droppable(&c.journaled, current.as_deref(), now) {
            out.dropped.push(c.key);
            continue;
        }
        let moved = current != c.seen;
        let result = match (kind(&c.key), c.journaled.value.as_deref()) {
            (None, _) => Ok(false),
            // Removed: unless a tab has written it again since.
            (Some(_), None) => match (&current, moved) {
                (Some(_), false) => store.remove(&c.key).map(|()| true),
                _ => Ok(false),
            },
            (Some(Kind::Chunk), Some(v)) => replay_chunk(store, &c.key, v, now),
            (Some(Kind::Details), Some(v)) => replay_details(store, &c.key, v),
            (Some(Kind::Record), Some(v)) => {
                replay_record(store, &c.key, v, current.as_deref(), moved, now)
            }
            (Some(Kind::Index), Some(v)) => replay_index(store, v, current.as_deref(), moved, now),
            (Some(Kind::Backup | Kind::Plain), Some(v)) => match (&current, moved) {
                (None, _) => store.set(&c.key, v).map(|()| true),
                (Some(_), false) if kind(&c.key) == Some(Kind::Plain) => {
                    store.set(&c.key, v).map(|()| true)
                }
                _ => Ok(false),
            },
        };
        match result {
            Ok(true) => out.restored.push(c.key),
            Ok(false) => {}
            Err(e) => out.failed.push((c.key, e)),
        }
    }
    out
}

/// Whether the article `id` was saved by a newer claimmark (its record's
/// schema): nothing of it is written.
fn newer_article(store: &dyn Store, id: &ArticleId) -> bool {
    store
        .head(&article_key(id), 24)
        .ok()
        .flatten()
        .and_then(|h| {
            h.strip_prefix("{\"schema\":")
                .and_then(|r| r.split(',').next())
                .and_then(|n| n.parse::<u64>().ok())
        })
        .is_some_and(|n| n > SCHEMA as u64)
}

/// A chunk: the journal's versions merged into what is stored, as saving
/// merges (an unreadable stored chunk is copied to a backup key first).
fn replay_chunk(store: &dyn Store, key: &str, v: &str, now: Timestamp) -> Result<bool, StoreError> {
    let Key::Chunk(id, bucket) = parse_key(key) else {
        return Ok(false);
    };
    if newer_article(store, &id) {
        return Ok(false);
    }
    let Ok(entries) = parse_chunk(v) else {
        return Ok(false);
    };
    let before = store.get(key)?;
    write_chunk_at(store, bucket, &id, entries, now)?;
    Ok(store.get(key)? != before)
}

/// Edited details: the later edit wins.
fn replay_details(store: &dyn Store, key: &str, v: &str) -> Result<bool, StoreError> {
    let Key::Details(id) = parse_key(key) else {
        return Ok(false);
    };
    let Some((details, changed)) = decode_details(v) else {
        return Ok(false);
    };
    if newer_article(store, &id) {
        return Ok(false);
    }
    let before = store.get(key)?;
    write_details_at(store, &id, &details, changed)?;
    Ok(store.get(key)? != before)
}

/// An article record: written back when missing; when what is stored cannot
/// be read (and is not a newer claimmark's), copied to a backup key first.
fn replay_record(
    store: &dyn Store,
    key: &str,
    v: &str,
    current: Option<&str>,
    moved: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let Key::Article(id) = parse_key(key) else {
        return Ok(false);
    };
    match current {
        None => {}
        Some(_) if moved => return Ok(false),
        Some(stored) => match decode_article(stored.to_string()) {
            Ok(_) | Err((LoadError::NewerSchema(_), _)) => return Ok(false),
            Err(_) => {
                if decode_article(v.to_string()).is_err() {
                    return Ok(false);
                }
                back_up(store, &id.0, stored, now).ok_or(StoreError::Full)?;
            }
        },
    }
    store.set(key, v).map(|()| true)
}

/// The library index: the journal's, which is the later one (local storage
/// was read before the journal), keeping any entry only local storage has
/// whose article is still stored. An index that cannot be read, or of a
/// newer layout, is copied to a backup key before it is replaced.
fn replay_index(
    store: &dyn Store,
    v: &str,
    current: Option<&str>,
    moved: bool,
    now: Timestamp,
) -> Result<bool, StoreError> {
    let Ok(mut journaled) = serde_json::from_str::<Index>(v) else {
        return Ok(false);
    };
    if moved {
        return Ok(false);
    }
    if let Some(stored) = current {
        match serde_json::from_str::<Index>(stored) {
            Ok(s) if s.layout <= super::index::LAYOUT => {
                let stored_record =
                    |e: &IndexEntry| store.size(&article_key(&e.id)).ok().flatten().is_some();
                for e in s.articles {
                    if !journaled.articles.iter().any(|j| j.id == e.id) && stored_record(&e) {
                        journaled.articles.push(e);
                    }
                }
            }
            _ => {
                back_up(store, "index", stored, now).ok_or(StoreError::Full)?;
            }
        }
    }
    let raw = serde_json::to_string(&journaled)
        .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
    if current == Some(raw.as_str()) {
        return Ok(false);
    }
    store.set(&super::keys::index_key(), &raw).map(|()| true)
}

/// One tab's last write of a key, as the journal keeps it under
/// `<key>#<tab>`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Slot {
    pub tab: String,
    pub journaled: Journaled,
    /// Written to stand whatever the merge rule says (the team's server
    /// refused a change made here): what was written before is not merged in.
    pub replace: bool,
}

/// The journal key of `tab`'s slot of local-storage key `key` (the tab
/// `""` is the slot that start-up folds the others into).
pub fn slot_key(key: &str, tab: &str) -> String {
    format!("{key}#{tab}")
}

/// The local-storage key and the tab of a journal key.
pub fn parse_slot_key(slot: &str) -> Option<(&str, &str)> {
    slot.rsplit_once('#')
}

/// What the journal holds for `key`: its slots combined in the order they
/// were written (then by tab, the same order in every tab), each by
/// [`combine`]. `None` without slots.
pub fn fold(key: &str, mut slots: Vec<Slot>) -> Option<Journaled> {
    // A key has a few slots: the earliest is taken each time (no sort, whose
    // code would weigh more in the bundle than this).
    let mut acc: Option<Journaled> = None;
    while !slots.is_empty() {
        let first = (0..slots.len())
            .min_by(|&i, &j| {
                let (a, b) = (&slots[i], &slots[j]);
                (a.journaled.at, &a.tab).cmp(&(b.journaled.at, &b.tab))
            })
            .unwrap_or(0);
        let s = slots.swap_remove(first);
        acc = Some(combine(key, acc.as_ref(), s.journaled, s.replace));
    }
    acc
}

/// The candidates for [`replay`]: every journal entry whose value differs
/// from what local storage holds (`stored`, read before the journal), and
/// every removal (to be dropped once [`droppable`]).
pub fn candidates(
    journal: impl IntoIterator<Item = (String, Journaled)>,
    stored: impl Fn(&str) -> Option<String>,
) -> Vec<Candidate> {
    journal
        .into_iter()
        .filter_map(|(key, journaled)| {
            let seen = stored(&key);
            (seen != journaled.value || journaled.value.is_none()).then_some(Candidate {
                key,
                journaled,
                seen,
            })
        })
        .collect()
}

/// A store that journals every write in memory, with the same rules as
/// `web::journal` does in IndexedDB: what the tests crash and replay. Its
/// writes go in the slot of tab [`Journaling::tab`] (set it to make
/// another tab's writes).
#[derive(Debug, Default)]
pub struct Journaling<S> {
    pub local: S,
    /// Slots by journal key (`<key>#<tab>`).
    pub journal: std::cell::RefCell<std::collections::BTreeMap<String, Slot>>,
    /// The time journal entries are stamped with.
    pub now: std::cell::Cell<Timestamp>,
    /// Which tab is writing.
    pub tab: std::cell::RefCell<String>,
}

impl<S: Store> Journaling<S> {
    pub fn new(local: S) -> Journaling<S> {
        Journaling {
            local,
            journal: Default::default(),
            now: Default::default(),
            tab: std::cell::RefCell::new("a".into()),
        }
    }

    fn record(&self, key: &str, value: Option<&str>, replace: bool) {
        if kind(key).is_none() {
            return;
        }
        let tab = self.tab.borrow().clone();
        self.journal.borrow_mut().insert(
            slot_key(key, &tab),
            Slot {
                tab,
                journaled: Journaled {
                    value: value.map(str::to_string),
                    at: self.now.get(),
                },
                replace,
            },
        );
    }

    /// What the journal holds for each key, its slots folded.
    pub fn folded(&self) -> std::collections::BTreeMap<String, Journaled> {
        let mut by_key: std::collections::BTreeMap<String, Vec<Slot>> = Default::default();
        for (k, slot) in self.journal.borrow().iter() {
            if let Some((key, _)) = parse_slot_key(k) {
                by_key
                    .entry(key.to_string())
                    .or_default()
                    .push(slot.clone());
            }
        }
        by_key
            .into_iter()
            .filter_map(|(k, slots)| Some((k.clone(), fold(&k, slots)?)))
            .collect()
    }

    /// Put the journal back into `local` as the app does on start-up, then
    /// fold each key's slots into one (dropping what [`droppable`] says).
    pub fn replay(&self, now: Timestamp) -> Replayed {
        let folded = self.folded();
        let found = candidates(folded.clone(), |k| self.local.get(k).ok().flatten());
        let done = replay(self, found, now);
        let mut journal = self.journal.borrow_mut();
        journal.clear();
        for (key, j) in folded {
            if !done.dropped.contains(&key) {
                let slot = Slot {
                    tab: String::new(),
                    journaled: j,
                    replace: false,
                };
                journal.insert(slot_key(&key, ""), slot);
            }
        }
        done
    }
}

impl<S: Store> Store for Journaling<S> {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.local.get(key)
    }

    /// Written to local storage, and journaled whether or not that worked
    /// (a full store keeps the change queued in memory; the journal keeps
    /// it across a crash).
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let r = self.local.set(key, value);
        self.record(key, Some(value), false);
        r
    }

    fn replace(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let r = self.local.set(key, value);
        self.record(key, Some(value), true);
        r
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        let r = self.local.remove(key);
        self.record(key, None, false);
        r
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.local.keys()
    }

    fn head(&self, key: &str, units: usize) -> Result<Option<String>, StoreError> {
        self.local.head(key, units)
    }

    fn size(&self, key: &str) -> Result<Option<usize>, StoreError> {
        self.local.size(key)
    }
}
