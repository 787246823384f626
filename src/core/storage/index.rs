//! The library: the list of stored articles, renaming, removing.

use serde::{Deserialize, Serialize};

use super::keys::{index_key, record_key};
use super::store::{Store, StoreError};
use crate::core::annotation::Timestamp;
use crate::core::article::ArticleId;

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
    /// Size of the stored record in UTF-16 units (what the browser's quota counts).
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

/// Read the index (empty when missing or unreadable).
pub fn read_index(store: &dyn Store) -> Index {
    store
        .get(&index_key())
        .ok()
        .flatten()
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default()
}

fn write_index(store: &dyn Store, index: &Index) -> Result<(), StoreError> {
    let raw = serde_json::to_string(index)
        .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
    store.set(&index_key(), &raw)
}

/// Give a stored article a name in the library (empty: back to its headline).
pub fn rename(store: &dyn Store, id: &ArticleId, name: &str) -> Result<(), StoreError> {
    let mut index = read_index(store);
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
    pub raw: Option<String>,
}

/// Remove a stored article (its record and its library entry).
pub fn remove_article(store: &dyn Store, id: &ArticleId) -> Result<Removed, StoreError> {
    let mut index = read_index(store);
    let at = index
        .articles
        .iter()
        .position(|e| &e.id == id)
        .ok_or_else(|| StoreError::Other("that article is not stored here".into()))?;
    let raw = store.get(&record_key(id))?;
    let entry = index.articles.remove(at);
    if index.last_open.as_ref() == Some(id) {
        index.last_open = None;
    }
    write_index(store, &index)?;
    store.remove(&record_key(id))?;
    Ok(Removed { entry, raw })
}

/// Put a removed article back.
pub fn restore_article(store: &dyn Store, removed: &Removed) -> Result<(), StoreError> {
    if let Some(raw) = &removed.raw {
        store.set(&record_key(&removed.entry.id), raw)?;
    }
    let mut index = read_index(store);
    if !index.articles.iter().any(|e| e.id == removed.entry.id) {
        index.articles.push(removed.entry.clone());
    }
    index.layout = 1;
    write_index(store, &index)
}
