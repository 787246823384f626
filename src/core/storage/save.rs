//! Loading what was open, opening stored articles, and saving.
//!
//! **Reading** an article: its record (the text; for schema 1–3 also the
//! annotations, read as a base layer), then its 256 chunk keys; every
//! version found is merged by [`crate::core::merge`]. A value that cannot be read
//! is copied to a backup key first (newer schemas excepted: they are left
//! where they are and the article is *protected*, never written). A record
//! of schema 1–3 is migrated: its chunks are written (merged with any
//! already there), then the record is rewritten without its annotations.
//!
//! **Saving** ([`Writer`]): after every action, the versions it changed
//! ([`State::touched`]) are queued by chunk and written at once, each chunk
//! read, merged and written back (so a tab never puts back an older version
//! than storage holds), and a chunk that reads back unchanged is not
//! written. What cannot be written (a full store) stays queued and is
//! written by the next [`Writer::flush`]: on the next change or a retry.

use std::collections::HashMap;
use std::rc::Rc;

use super::index::{rebuild_index, update_entry, write_index, Index, IndexEntry};
use super::keys::{
    article_key, backup_key, bucket_of, chunk_key, details_key, index_key, parse_key, Key, BUCKETS,
    PREFIX,
};
use super::layout::{
    decode_chunk, decode_details, encode_article, encode_chunk, encode_details, parse_chunk,
    syntax, LoadError,
};
use super::read::decode_article;
use super::store::{Store, StoreError};
use super::SCHEMA;
use crate::core::annotation::Annotation;
use crate::core::article::{Article, Details};
use crate::core::id::AnnotationId;
use crate::core::id::ArticleId;
use crate::core::merge::{self, Clock, Entry};
use crate::core::state::State;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// A problem found while loading, to be told to the person.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A stored value could not be read. Its raw text is kept under
    /// `backup_key`, or, when that is `None`, left where it was and never
    /// written over (a newer schema; or there was no room for a copy yet).
    Corrupt {
        key: String,
        backup_key: Option<String>,
        raw: String,
        reason: String,
    },
    /// The store could not be read or used at all.
    Storage(StoreError),
}

/// What the app opens with.
#[derive(Clone, Debug)]
pub struct Boot {
    pub article: Rc<Article>,
    pub annotations: Vec<(Annotation, Clock)>,
    /// Deletions, with the links they keep.
    pub tombstones: Vec<Entry>,
    pub problems: Vec<Problem>,
    /// Article keys never to write: saved by a newer claimmark. Nothing of
    /// that article (record or chunks) is written while it is listed.
    pub protected: Vec<String>,
}

impl Boot {
    fn empty(article: Rc<Article>) -> Boot {
        Boot {
            article,
            annotations: vec![],
            tombstones: vec![],
            problems: vec![],
            protected: vec![],
        }
    }
}

/// Copy an unreadable value to a backup key, unless an identical copy is
/// already kept. The backup key, once it reads back identical.
pub fn back_up(store: &dyn Store, what: &str, raw: &str, now: Timestamp) -> Option<String> {
    let prefix = format!("{PREFIX}backup:{what}:");
    let existing = store.keys().unwrap_or_default().into_iter().find(|k| {
        k.starts_with(&prefix)
            && store.size(k).ok().flatten() == Some(raw.encode_utf16().count())
            && store.get(k).ok().flatten().as_deref() == Some(raw)
    });
    existing.or_else(|| {
        let k = backup_key(what, now);
        (store.set(&k, raw).is_ok() && store.get(&k).ok().flatten().as_deref() == Some(raw))
            .then_some(k)
    })
}

/// What a backup is a copy of, for a chunk key: `<article id>:<bb>`.
fn chunk_backup_name(id: &ArticleId, bucket: u8) -> String {
    format!("{}:{bucket:02x}", id.0)
}

/// Load what was open last, or `default` when nothing (readable) was. An
/// index that cannot be read is backed up and rebuilt from the articles
/// stored; a missing one is rebuilt when articles are stored.
pub fn load(store: &dyn Store, default: impl FnOnce() -> Article, now: Timestamp) -> Boot {
    let default = Rc::new(default());
    let mut boot = Boot::empty(default.clone());
    let index = match store.get(&index_key()) {
        Ok(Some(raw)) => match serde_json::from_str::<Index>(&raw)
            .map_err(|e| syntax(e).to_string())
            .and_then(|i| match i.layout {
                n if n > super::index::LAYOUT => Err(format!(
                    "it was saved by a newer version of claimmark (library layout {n}; this one reads up to {})",
                    super::index::LAYOUT
                )),
                _ => Ok(i),
            }) {
            Ok(i) => i,
            Err(reason) => {
                // Copied before anything is written in its place; the
                // library is rebuilt from the articles stored.
                let backup = back_up(store, "index", &raw, now);
                boot.problems.push(Problem::Corrupt {
                    key: index_key(),
                    backup_key: backup.clone(),
                    raw,
                    reason,
                });
                let rebuilt = rebuild_index(store, &Index::default());
                // Only replace it once a copy is kept.
                if backup.is_some() {
                    let _ = write_index(store, &rebuilt);
                }
                rebuilt
            }
        },
        Ok(None) => {
            let stored = store
                .keys()
                .unwrap_or_default()
                .iter()
                .any(|k| matches!(parse_key(k), Key::Article(_)));
            if stored {
                let rebuilt = rebuild_index(store, &Index::default());
                if !rebuilt.articles.is_empty() {
                    let _ = write_index(store, &rebuilt);
                }
                rebuilt
            } else {
                Index::default()
            }
        }
        Err(e) => {
            boot.problems.push(Problem::Storage(e));
            return boot;
        }
    };
    match index.last_open {
        Some(id) if id != default.id => read_article(store, None, &id, Some(now), &mut boot),
        _ => {
            let id = default.id.clone();
            read_article(store, Some(default), &id, Some(now), &mut boot)
        }
    }
    boot
}

/// Open `article` as stored (its saved annotations), or fresh when it is
/// not stored. What a person gets on opening an article, a file or a
/// library entry. Unreadable values are backed up as in [`load`].
pub fn open(store: &dyn Store, article: Rc<Article>, now: Timestamp) -> Boot {
    let mut boot = Boot::empty(article.clone());
    let id = article.id.clone();
    read_article(store, Some(article), &id, Some(now), &mut boot);
    boot
}

/// A stored article as it opens, if its record is stored and readable.
/// Reads only: nothing is backed up or migrated.
pub fn read_boot(store: &dyn Store, id: &ArticleId) -> Option<Boot> {
    let mut boot = Boot::empty(Rc::new(Article::from_blocks("", vec![], None, vec![])));
    read_article(store, None, id, None, &mut boot);
    (boot.article.id == *id && boot.problems.is_empty()).then_some(boot)
}

/// Why the stored record of article `id` cannot be opened, if it cannot:
/// it does not read (as opening reads it), or a newer claimmark saved it.
/// `None` when it reads, or when nothing is stored under it.
pub fn unreadable_record(store: &dyn Store, id: &ArticleId) -> Option<LoadError> {
    let raw = store.get(&article_key(id)).ok().flatten()?;
    decode_article(raw).err().map(|(e, _)| e)
}

/// A stored article and its annotations, if stored and readable.
pub fn read_stored(store: &dyn Store, id: &ArticleId) -> Option<(Rc<Article>, Vec<Annotation>)> {
    let boot = read_boot(store, id)?;
    Some((
        boot.article,
        boot.annotations.into_iter().map(|(a, _)| a).collect(),
    ))
}

/// Read article `id` into `boot`: its record (or `known`, the article
/// itself when the caller has it), then its chunks. With `now`, unreadable
/// values are backed up and a record of schema 1–3 is migrated.
fn read_article(
    store: &dyn Store,
    known: Option<Rc<Article>>,
    id: &ArticleId,
    now: Option<Timestamp>,
    boot: &mut Boot,
) {
    let key = article_key(id);
    let mut legacy = Vec::new();
    let mut saved = Timestamp::default();
    let article: Rc<Article> = match store.get(&key) {
        Err(e) => {
            boot.problems.push(Problem::Storage(e));
            return;
        }
        Ok(None) => match known {
            Some(a) => a,
            None => return,
        },
        Ok(Some(raw)) => match decode_article(raw) {
            Ok(read) => {
                legacy = read.legacy;
                saved = read.saved;
                Rc::new(read.article)
            }
            Err((e, raw)) => {
                let raw = raw.or_else(|| store.get(&key).ok().flatten());
                let newer = matches!(e, LoadError::NewerSchema(_));
                let backup = match (&raw, now) {
                    (Some(raw), Some(now)) if !newer => back_up(store, &id.0, raw, now),
                    _ => None,
                };
                if newer {
                    boot.protected.push(key.clone());
                }
                boot.problems.push(Problem::Corrupt {
                    key: key.clone(),
                    backup_key: backup.clone(),
                    raw: raw.unwrap_or_default(),
                    reason: e.to_string(),
                });
                let Some(a) = known else { return };
                // Kept as a copy: the article opened has the same text (the
                // same id), so its record is written again in good order.
                if backup.is_some() {
                    let _ = store.set(&key, &encode_article(&a, now.unwrap_or_default()));
                }
                a
            }
        },
    };
    // Details a person edited live in their own key and win over the
    // record's (which are what the reader found).
    let mut article = article;
    let edited = store
        .get(&details_key(id))
        .ok()
        .flatten()
        .and_then(|r| decode_details(&r));
    if let Some((details, changed)) = edited.filter(|(_, c)| *c > article.details_changed) {
        // Not copied when just read (the only `Rc`).
        let a = Rc::make_mut(&mut article);
        a.details = details;
        a.details_changed = changed;
    }
    let protected = boot.protected.contains(&key);
    boot.annotations.clear();
    boot.tombstones.clear();
    // Sized from the library's count: grown by doubling, the list of 10,000
    // annotations ends up to twice as large, and that slack stays (in wasm,
    // memory once grown stays grown).
    let expected: usize = super::index::read_index(store)
        .articles
        .iter()
        .find(|e| e.id == *id)
        .map_or(0, |e| e.counts.iter().sum());
    boot.annotations.reserve_exact(expected);
    // Chunks partition the ids, so versions from different chunks never
    // meet; only a record of schema 1–3 can hold an id a chunk holds too.
    let mut entries: Vec<Entry> = Vec::new();
    let mut by_bucket: Vec<Vec<Entry>> = Vec::new();
    let migrating = !legacy.is_empty() && now.is_some() && !protected;
    for b in 0..BUCKETS {
        let ck = chunk_key(id, b as u8);
        let raw = match store.get(&ck) {
            Ok(Some(raw)) => raw,
            Ok(None) => {
                if migrating {
                    by_bucket.push(Vec::new());
                }
                continue;
            }
            Err(e) => {
                boot.problems.push(Problem::Storage(e));
                return;
            }
        };
        let got = match decode_chunk(&raw, &article) {
            Ok(got) => got,
            Err(e) => {
                let newer = matches!(e, LoadError::NewerSchema(_));
                if newer && !boot.protected.contains(&key) {
                    boot.protected.push(key.clone());
                }
                let backup = match now {
                    Some(now) if !newer => {
                        back_up(store, &chunk_backup_name(id, b as u8), &raw, now)
                    }
                    _ => None,
                };
                boot.problems.push(Problem::Corrupt {
                    key: ck,
                    backup_key: backup,
                    raw,
                    reason: e.to_string(),
                });
                Vec::new()
            }
        };
        if migrating {
            by_bucket.push(got);
        } else if legacy.is_empty() {
            // The usual case: straight into what opens.
            for e in got {
                match e.annotation {
                    Some(a) => boot.annotations.push((a, e.clock)),
                    None => boot.tombstones.push(e),
                }
            }
        } else {
            entries.extend(got);
        }
    }
    if !legacy.is_empty() {
        let mut map: HashMap<AnnotationId, Entry> =
            legacy.into_iter().map(|e| (e.id.clone(), e)).collect();
        let chunked = if migrating {
            by_bucket.iter().flatten().cloned().collect::<Vec<_>>()
        } else {
            std::mem::take(&mut entries)
        };
        for e in chunked {
            join(&mut map, e);
        }
        if migrating {
            migrate(store, &article, saved, &map);
        }
        entries = map.into_values().collect();
    }
    for e in entries {
        match e.annotation {
            Some(a) => boot.annotations.push((a, e.clock)),
            None => boot.tombstones.push(e),
        }
    }
    boot.article = article;
}

/// Merge version `e` into a short list.
fn join_list(list: &mut Vec<Entry>, e: Entry) {
    match list.iter_mut().find(|x| x.id == e.id) {
        Some(cur) => {
            if merge::wins(&e, cur) {
                *cur = e;
            }
        }
        None => list.push(e),
    }
}

/// Merge version `e` into `map`.
fn join(map: &mut HashMap<AnnotationId, Entry>, e: Entry) {
    match map.get_mut(&e.id) {
        Some(cur) => {
            if merge::wins(&e, cur) {
                *cur = e;
            }
        }
        None => {
            map.insert(e.id.clone(), e);
        }
    }
}

/// Write a record of schema 1–3 in the current layout: every chunk merged
/// with what is there, then the record without its annotations. Stops at
/// the first write that fails (a full store): the old record still holds
/// everything, and the next load tries again.
fn migrate(
    store: &dyn Store,
    article: &Article,
    saved: Timestamp,
    all: &HashMap<AnnotationId, Entry>,
) {
    let mut buckets: Vec<Vec<&Entry>> = vec![Vec::new(); BUCKETS];
    for e in all.values() {
        buckets[bucket_of(&e.id) as usize].push(e);
    }
    for (b, list) in buckets.into_iter().enumerate() {
        if list.is_empty() {
            continue;
        }
        if store
            .set(&chunk_key(&article.id, b as u8), &encode_chunk(list))
            .is_err()
        {
            return;
        }
    }
    let _ = store.set(&article_key(&article.id), &encode_article(article, saved));
}

/// Saving as the app does it: what each action changed, queued by chunk
/// and written at once (see the module docs).
#[derive(Debug, Default)]
pub struct Writer {
    /// The article open, whose record and library entry are kept current.
    article: Option<Rc<Article>>,
    /// Whether its record is known to be stored (checked, or written, once
    /// before anything else of it is).
    article_checked: bool,
    /// When the open article's details were last written (or read).
    details_saved: Timestamp,
    /// Edited details still to write: the article, the details, when.
    details_pending: Option<(ArticleId, Details, Timestamp)>,
    /// Versions not yet written, by article and chunk (at most 256 per
    /// article; a list costs less code than a map).
    pending: Vec<(u8, ArticleId, Vec<Entry>)>,
    /// The library entry to write once the chunks are written.
    index_pending: Option<IndexEntry>,
    /// The UTF-16 units the open article's keys take, once known.
    units: Option<usize>,
    /// Article records found unreadable (and not yet copied): checked in
    /// full, not by their first bytes, before they are trusted.
    distrusted: Vec<String>,
}

impl Writer {
    /// A writer for a session that opened `article` (nothing to write yet).
    pub fn new(article: Rc<Article>) -> Writer {
        Writer {
            details_saved: article.details_changed,
            article: Some(article),
            ..Writer::default()
        }
    }

    /// Check the record under `key` in full before trusting it: loading
    /// found it unreadable and could not yet keep a copy.
    pub fn distrust(&mut self, key: String) {
        self.distrusted.push(key);
    }

    /// Whether annotations (or details) are still to be written.
    pub fn pending(&self) -> bool {
        !self.pending.is_empty() || self.details_pending.is_some()
    }

    /// After an action: queue the versions it changed (and, when another
    /// article was opened, that article's record and library entry), then
    /// write everything queued.
    pub fn after(
        &mut self,
        store: &dyn Store,
        state: &State,
        now: Timestamp,
        protected: &[String],
    ) -> Result<(), StoreError> {
        let switched = self
            .article
            .as_ref()
            .is_none_or(|a| a.id != state.article.id);
        if switched {
            self.article = Some(state.article.clone());
            self.article_checked = false;
            self.units = None;
            self.details_saved = state.article.details_changed;
        }
        if state.article.details_changed > self.details_saved {
            self.details_pending = Some((
                state.article.id.clone(),
                state.article.details.clone(),
                state.article.details_changed,
            ));
            self.details_saved = state.article.details_changed;
        }
        let touched = state.touched();
        for id in touched {
            if let Some(e) = state.entry(id) {
                self.queue(&state.article.id, e);
            }
        }
        if switched || !touched.is_empty() {
            let counts =
                Tag::ALL.map(|t| state.annotations().iter().filter(|a| a.tag == t).count());
            self.index_pending = Some(IndexEntry {
                id: state.article.id.clone(),
                title: state.article.title.clone(),
                chars: state.article.len_chars(),
                counts,
                last_opened: now,
                units: 0,
                name: None,
            });
        }
        self.flush(store, now, protected)
    }

    /// Queue version `e` of an annotation of article `article`.
    pub fn queue(&mut self, article: &ArticleId, e: Entry) {
        let bucket = bucket_of(&e.id);
        let at = match self
            .pending
            .iter()
            .position(|(b, a, _)| *b == bucket && a == article)
        {
            Some(at) => at,
            None => {
                self.pending.push((bucket, article.clone(), Vec::new()));
                self.pending.len() - 1
            }
        };
        join_list(&mut self.pending[at].2, e);
    }

    /// Write everything queued: the article record if missing, each chunk
    /// (read, merged, written back), then the library entry. Stops at the
    /// first failure, keeping the rest queued.
    pub fn flush(
        &mut self,
        store: &dyn Store,
        now: Timestamp,
        protected: &[String],
    ) -> Result<(), StoreError> {
        if !self.article_checked && (self.index_pending.is_some() || !self.pending.is_empty()) {
            if let Some(a) = self.article.clone() {
                self.ensure_article(store, &a, now, protected)?;
            }
            self.article_checked = true;
        }
        if let Some((id, details, changed)) = self.details_pending.take() {
            if let Err(e) = write_details(store, &id, &details, changed, protected) {
                self.details_pending = Some((id, details, changed));
                return Err(e);
            }
        }
        while let Some((bucket, article, entries)) = self.pending.pop() {
            match write_chunk(store, bucket, &article, entries, now, protected) {
                Ok(delta) => {
                    if self.article.as_ref().is_some_and(|a| a.id == article) {
                        if let Some(u) = &mut self.units {
                            *u = u.saturating_add_signed(delta);
                        }
                    }
                }
                Err((e, entries)) => {
                    self.pending.push((bucket, article, entries));
                    return Err(e);
                }
            }
        }
        if let Some(mut entry) = self.index_pending.take() {
            if protected.contains(&article_key(&entry.id)) {
                return Ok(());
            }
            let units = match self.units {
                Some(u) => u,
                None => {
                    let u = units_of(store, &entry.id);
                    self.units = Some(u);
                    u
                }
            };
            entry.units = units;
            // The chunks are written; a library entry that does not fit
            // waits for the next change.
            if update_entry(store, entry.clone()).is_err() {
                self.index_pending = Some(entry);
            }
        }
        Ok(())
    }

    /// Make sure the article's record is stored: written when missing,
    /// backed up and written again when it cannot be read, never touched
    /// when it was saved by a newer claimmark.
    fn ensure_article(
        &self,
        store: &dyn Store,
        article: &Article,
        now: Timestamp,
        protected: &[String],
    ) -> Result<(), StoreError> {
        let key = article_key(&article.id);
        if protected.contains(&key) {
            return Err(newer());
        }
        let head = if self.distrusted.contains(&key) {
            // Read in full: only a record that decodes is trusted.
            match store.get(&key)? {
                Some(raw) if decode_article(raw.clone()).is_err() => {
                    back_up(store, &article.id.0, &raw, now).ok_or(StoreError::Full)?;
                    store.set(&key, &encode_article(article, now))?;
                    return Ok(());
                }
                other => other,
            }
        } else {
            store.head(&key, 24)?
        };
        let schema = head.as_deref().and_then(|h| {
            h.strip_prefix("{\"schema\":")
                .and_then(|r| r.split(',').next())
                .and_then(|n| n.parse::<u64>().ok())
        });
        match (head, schema) {
            (None, _) => store.set(&key, &encode_article(article, now)),
            (Some(_), Some(n)) if n > SCHEMA as u64 => Err(newer()),
            (Some(_), Some(_)) => Ok(()),
            (Some(_), None) => {
                let raw = store.get(&key)?.unwrap_or_default();
                if decode_article(raw.clone()).is_ok() {
                    return Ok(());
                }
                back_up(store, &article.id.0, &raw, now).ok_or(StoreError::Full)?;
                store.set(&key, &encode_article(article, now))
            }
        }
    }
}

/// Write an article's edited details, unless what is stored is as new or
/// newer (another tab's edit: it wins, and this tab takes it from the
/// `storage` event).
fn write_details(
    store: &dyn Store,
    id: &ArticleId,
    details: &Details,
    changed: Timestamp,
    protected: &[String],
) -> Result<(), StoreError> {
    if protected.contains(&article_key(id)) {
        return Err(newer());
    }
    let key = details_key(id);
    let stored = store.get(&key)?.and_then(|r| decode_details(&r));
    if stored.is_some_and(|(_, c)| c >= changed) {
        return Ok(());
    }
    store.set(&key, &encode_details(details, changed))
}

/// Write an article's edited details unless what is stored is as new or
/// newer (the journal putting back what local storage lost).
pub(crate) fn write_details_at(
    store: &dyn Store,
    id: &ArticleId,
    details: &Details,
    changed: Timestamp,
) -> Result<(), StoreError> {
    write_details(store, id, details, changed, &[])
}

/// Merge `entries` into chunk `bucket` of `article` as saving does (the
/// journal putting back what local storage lost).
pub(crate) fn write_chunk_at(
    store: &dyn Store,
    bucket: u8,
    article: &ArticleId,
    entries: Vec<Entry>,
    now: Timestamp,
) -> Result<(), StoreError> {
    write_chunk(store, bucket, article, entries, now, &[])
        .map(|_| ())
        .map_err(|(e, _)| e)
}

fn newer() -> StoreError {
    StoreError::Protected(
        "this article's saved copy was made by a newer version of claimmark, and this one never writes over it".into(),
    )
}

/// Read chunk `bucket` of `article`, merge `entries` into it, and write it
/// back if that changed it. A chunk that cannot be read is backed up first.
/// Returns the change in size (UTF-16 units); on failure, the versions still
/// to write (what was merged: writing it again later is the same).
fn write_chunk(
    store: &dyn Store,
    bucket: u8,
    article: &ArticleId,
    entries: Vec<Entry>,
    now: Timestamp,
    protected: &[String],
) -> Result<isize, (StoreError, Vec<Entry>)> {
    if protected.contains(&article_key(article)) {
        return Err((newer(), entries));
    }
    let key = &chunk_key(article, bucket);
    let raw = match store.get(key) {
        Ok(raw) => raw,
        Err(e) => return Err((e, entries)),
    };
    let stored = match raw.as_deref().map(parse_chunk) {
        None => Vec::new(),
        Some(Ok(list)) => list,
        Some(Err(LoadError::NewerSchema(_))) => return Err((newer(), entries)),
        Some(Err(_)) => {
            let raw = raw.as_deref().unwrap_or_default();
            if back_up(store, &chunk_backup_name(article, bucket), raw, now).is_none() {
                return Err((StoreError::Full, entries));
            }
            Vec::new()
        }
    };
    // A chunk holds a few dozen versions: a list is enough.
    let mut merged = stored;
    for e in entries {
        join_list(&mut merged, e);
    }
    let encoded = encode_chunk(&merged);
    if raw.as_deref() == Some(encoded.as_str()) {
        return Ok(0);
    }
    if let Err(e) = store.set(key, &encoded) {
        return Err((e, merged));
    }
    let old = raw.map_or(0, |r| r.encode_utf16().count() + key.len());
    Ok((encoded.len() + key.len()) as isize - old as isize)
}

/// The UTF-16 units article `id`'s keys and values take.
pub fn units_of(store: &dyn Store, id: &ArticleId) -> usize {
    super::index::article_keys(id)
        .filter_map(|k| {
            let n = store.size(&k).ok().flatten()?;
            Some(n + k.len())
        })
        .sum()
}

/// The versions a tab must write back after reading chunk `new` (what
/// another tab wrote) whose previous content was `old`, given its own state
/// after merging both: every version of an id named in either that beats
/// what `new` holds. Non-empty only when the other tab's write crossed one
/// from here (or from a third tab) and so left something out.
pub fn repairs(state: &State, old: &[Entry], new: &[Entry]) -> Vec<Entry> {
    let stored: HashMap<&AnnotationId, &Entry> = new.iter().map(|e| (&e.id, e)).collect();
    let mut seen = std::collections::HashSet::new();
    old.iter()
        .chain(new)
        .map(|e| &e.id)
        .filter(|id| seen.insert(*id))
        .filter_map(|id| {
            let mine = state.entry(id)?;
            match stored.get(id) {
                Some(s) if !merge::wins(&mine, s) => None,
                _ => Some(mine),
            }
        })
        .collect()
}

/// Save everything of `state` at once — its record, every version in its
/// chunks (merged with what is there) and its library entry — as a fresh
/// session would. Returns the UTF-16 units the article's keys take.
pub fn save(
    store: &dyn Store,
    state: &State,
    now: Timestamp,
    protected: &[String],
) -> Result<usize, StoreError> {
    let mut w = Writer::default();
    for e in state.entries() {
        w.queue(&state.article.id, e);
    }
    w.after(store, state, now, protected)?;
    // Everything of the state: its edited details too.
    if state.article.details_changed.0 != 0 {
        w.details_pending = Some((
            state.article.id.clone(),
            state.article.details.clone(),
            state.article.details_changed,
        ));
        w.flush(store, now, protected)?;
    }
    Ok(units_of(store, &state.article.id))
}

/// The stored versions of `ids` of article `article` (unchecked: placed
/// annotations' quotes are empty), read from their chunks. What team sync
/// pushes for an article that is not open.
pub fn read_versions(store: &dyn Store, article: &ArticleId, ids: &[AnnotationId]) -> Vec<Entry> {
    let mut buckets: Vec<u8> = ids.iter().map(bucket_of).collect();
    buckets.sort_unstable();
    buckets.dedup();
    let wanted: std::collections::HashSet<&AnnotationId> = ids.iter().collect();
    buckets
        .into_iter()
        .filter_map(|b| store.get(&chunk_key(article, b)).ok().flatten())
        .filter_map(|raw| parse_chunk(&raw).ok())
        .flatten()
        .filter(|e| wanted.contains(&e.id))
        .collect()
}

/// Put `entries` in article `article`'s chunks in place of whatever
/// versions of those ids are stored, whatever the merge rule says: the
/// team's server refused a change made here, and its version stands (see
/// `State`'s `Action::Revert`). Chunks that cannot be read or are of a
/// newer schema are left alone.
pub fn replace_versions(
    store: &dyn Store,
    article: &ArticleId,
    entries: &[Entry],
) -> Result<(), StoreError> {
    let mut by_bucket: HashMap<u8, Vec<&Entry>> = HashMap::new();
    for e in entries {
        by_bucket.entry(bucket_of(&e.id)).or_default().push(e);
    }
    for (b, list) in by_bucket {
        let key = chunk_key(article, b);
        let mut stored = match store.get(&key)?.as_deref().map(parse_chunk) {
            None => Vec::new(),
            Some(Ok(s)) => s,
            Some(Err(_)) => continue,
        };
        stored.retain(|s| !list.iter().any(|e| e.id == s.id));
        stored.extend(list.into_iter().cloned());
        // Not merged anywhere: the server's version stands.
        store.replace(&key, &encode_chunk(&stored))?;
    }
    Ok(())
}

/// Keep the paint description of `article`, the article open now, for the
/// next visit's first paint (`assets/first-paint.js` draws it before the
/// wasm has arrived). Written only when it differs from what is kept; when
/// it cannot be written the old one is removed, so no other article's
/// description is left to draw (the script then hides the pre-rendered seed
/// instead). `Ok(true)` when it was written.
pub fn save_paint(store: &dyn Store, article: &Article) -> Result<bool, StoreError> {
    let key = super::keys::paint_key();
    let value = crate::core::markup::paint_record(article);
    if store.size(&key)? == Some(value.encode_utf16().count())
        && store.get(&key)?.as_deref() == Some(value.as_str())
    {
        return Ok(false);
    }
    store.set(&key, &value).map(|()| true).inspect_err(|_| {
        let _ = store.remove(&key);
    })
}
