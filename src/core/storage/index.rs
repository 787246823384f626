//! The library: the list of stored articles (`claimmark:v1:index`),
//! renaming, removing, and rebuilding it from the article records present
//! when it cannot be read.
//!
//! The index is derived data except for names given in the library: every
//! entry can be rebuilt from an article's record and chunks.

use serde::{Deserialize, Serialize};

use super::keys::{article_key, chunk_key, index_key, parse_key, Key, BUCKETS};
use super::layout::parse_chunk;
use super::read::decode_article;
use super::store::{Store, StoreError};
use crate::core::id::ArticleId;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// The index layout this build writes. An index of a later layout is
/// treated as unreadable: copied to a backup key and rebuilt, never
/// written over as it is.
pub const LAYOUT: u32 = 1;

/// The list of stored articles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub layout: u32,
    #[serde(default)]
    pub last_open: Option<ArticleId>,
    #[serde(default)]
    pub articles: Vec<IndexEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub id: ArticleId,
    pub title: String,
    /// Length of the text in code points.
    pub chars: u32,
    /// Annotations per tag: fact, quote, analysis.
    pub counts: [usize; 3],
    pub last_opened: Timestamp,
    /// Size of its keys and values in UTF-16 units (what the browser's quota
    /// counts), as of the last save.
    pub units: usize,
    /// A name the person gave it in the library (the headline stays the text's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl IndexEntry {
    /// What the library calls it: the given name, else the headline.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.title)
    }
}

/// Every claimmark key and its size in UTF-16 units.
pub fn usage(store: &dyn Store) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = store
        .keys()
        .unwrap_or_default()
        .into_iter()
        .filter(|k| k.starts_with("claimmark:"))
        .map(|k| {
            let n = store
                .get(&k)
                .ok()
                .flatten()
                .map_or(0, |v| v.encode_utf16().count());
            (k.clone(), n + k.encode_utf16().count())
        })
        .collect();
    out.sort();
    out
}

/// The index to change and write back: empty when missing, `None` when
/// it is there but cannot be read — never replaced by a smaller one here
/// (loading backs it up and rebuilds it).
pub fn index_to_change(store: &dyn Store) -> Result<Option<Index>, StoreError> {
    Ok(match store.get(&index_key())? {
        Some(raw) => serde_json::from_str::<Index>(&raw)
            .ok()
            .filter(|i| i.layout <= LAYOUT),
        None => Some(Index::default()),
    })
}

/// The library's index cannot be read now: what a change to it says.
fn unreadable() -> StoreError {
    StoreError::Other("the library's list cannot be read; reload the page to rebuild it".into())
}

/// Read the index to show it (empty when missing or unreadable; a change
/// reads it with [`index_to_change`]).
pub fn read_index(store: &dyn Store) -> Index {
    store
        .get(&index_key())
        .ok()
        .flatten()
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default()
}

/// Give a stored article a name in the library (empty: back to its headline).
pub fn rename(store: &dyn Store, id: &ArticleId, name: &str) -> Result<(), StoreError> {
    let mut index = index_to_change(store)?.ok_or_else(unreadable)?;
    let Some(e) = index.articles.iter_mut().find(|e| &e.id == id) else {
        return Err(StoreError::Other("that article is not stored here".into()));
    };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    e.name = (!name.is_empty() && name != e.title).then_some(name);
    write_index(store, &index)
}

/// An article taken out of storage, kept so its removal can be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    pub entry: IndexEntry,
    /// Every key it had (its record and its chunks) and the value.
    pub values: Vec<(String, String)>,
}

/// The keys an article may have: its record and its chunks.
pub fn article_keys(id: &ArticleId) -> impl Iterator<Item = String> + '_ {
    [article_key(id), super::keys::details_key(id)]
        .into_iter()
        .chain((0..BUCKETS).map(|b| chunk_key(id, b as u8)))
}

/// Remove a stored article (its record, its chunks and its library entry).
pub fn remove_article(store: &dyn Store, id: &ArticleId) -> Result<Removed, StoreError> {
    let mut index = index_to_change(store)?.ok_or_else(unreadable)?;
    let at = index
        .articles
        .iter()
        .position(|e| &e.id == id)
        .ok_or_else(|| StoreError::Other("that article is not stored here".into()))?;
    let mut values = Vec::new();
    for k in article_keys(id) {
        if let Some(v) = store.get(&k)? {
            values.push((k, v));
        }
    }
    let entry = index.articles.remove(at);
    if index.last_open.as_ref() == Some(id) {
        index.last_open = None;
    }
    write_index(store, &index)?;
    for (k, _) in &values {
        store.remove(k)?;
    }
    Ok(Removed { entry, values })
}

/// Put a removed article back.
pub fn restore_article(store: &dyn Store, removed: &Removed) -> Result<(), StoreError> {
    for (k, v) in &removed.values {
        store.set(k, v)?;
    }
    // Its keys are back; an unreadable index lists it once rebuilt.
    let mut index = index_to_change(store)?.ok_or_else(unreadable)?;
    if !index.articles.iter().any(|e| e.id == removed.entry.id) {
        index.articles.push(removed.entry.clone());
    }
    index.layout = LAYOUT;
    write_index(store, &index)
}

/// Add or update the library entry of an article, keeping its name, and
/// make it the last one open. Read, changed and written at once, so that
/// other tabs' entries stay as they are.
pub fn update_entry(store: &dyn Store, entry: IndexEntry) -> Result<(), StoreError> {
    // Unreadable: not ours to fix here (loading backs it up and rebuilds it).
    let Some(mut index) = index_to_change(store)? else {
        return Ok(());
    };
    index.layout = LAYOUT;
    index.last_open = Some(entry.id.clone());
    match index.articles.iter_mut().find(|e| e.id == entry.id) {
        Some(e) => {
            let name = e.name.take();
            *e = IndexEntry { name, ..entry };
        }
        None => index.articles.push(entry),
    }
    write_index(store, &index)
}

/// The index rebuilt from what is stored: every article record present
/// (title, length, when saved), its chunks (annotations per tag) and the
/// size of its keys. Entries of `keep` (names, when last opened) are kept
/// for articles still stored.
pub fn rebuild_index(store: &dyn Store, keep: &Index) -> Index {
    let ids: Vec<ArticleId> = store
        .keys()
        .unwrap_or_default()
        .iter()
        .filter_map(|k| match parse_key(k) {
            Key::Article(id) => Some(id),
            _ => None,
        })
        .collect();
    let mut index = Index {
        layout: LAYOUT,
        last_open: keep.last_open.clone(),
        articles: Vec::new(),
    };
    for id in ids {
        let Some(raw) = store.get(&article_key(&id)).ok().flatten() else {
            continue;
        };
        let mut units = raw.encode_utf16().count() + article_key(&id).len();
        let Ok(read) = decode_article(raw) else {
            continue;
        };
        let mut counts = [0usize; 3];
        let mut live = |tag: Tag| counts[Tag::ALL.iter().position(|t| *t == tag).unwrap_or(0)] += 1;
        let mut seen = std::collections::HashSet::new();
        for b in 0..BUCKETS {
            let key = chunk_key(&id, b as u8);
            let Some(raw) = store.get(&key).ok().flatten() else {
                continue;
            };
            units += raw.encode_utf16().count() + key.len();
            for e in parse_chunk(&raw).unwrap_or_default() {
                seen.insert(e.id.clone());
                if let Some(a) = e.annotation {
                    live(a.tag);
                }
            }
        }
        // A record not migrated yet still holds annotations of its own.
        for e in &read.legacy {
            if let (false, Some(a)) = (seen.contains(&e.id), &e.annotation) {
                live(a.tag);
            }
        }
        let old = keep.articles.iter().find(|e| e.id == id);
        index.articles.push(IndexEntry {
            id,
            title: read.article.title.clone(),
            chars: read.article.len_chars(),
            counts,
            last_opened: old.map_or(read.saved, |e| e.last_opened),
            units,
            name: old.and_then(|e| e.name.clone()),
        });
    }
    if index
        .last_open
        .as_ref()
        .is_some_and(|id| !index.articles.iter().any(|e| &e.id == id))
    {
        index.last_open = None;
    }
    index
}

/// Write the index.
pub fn write_index(store: &dyn Store, index: &Index) -> Result<(), StoreError> {
    let raw = serde_json::to_string(index)
        .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
    store.set(&index_key(), &raw)
}
