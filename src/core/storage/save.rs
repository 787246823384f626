//! Loading what was open, opening stored articles, saving, backups.

use std::rc::Rc;

use super::index::{Index, IndexEntry};
use super::keys::{backup_key, index_key, record_key, PREFIX};
use super::record::{decode_owned, record_of, syntax, Record};
use super::store::{Store, StoreError};
use crate::core::annotation::{Annotation, AnnotationId, Timestamp};
use crate::core::article::{Article, ArticleId};
use crate::core::state::State;
use crate::core::tag::Tag;

/// A problem found while loading, to be told to the person.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A record could not be read. Its raw text is kept under `backup_key`
    /// (or, when even that failed, left where it was and not written over).
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
    pub annotations: Vec<(Annotation, Timestamp)>,
    pub tombstones: Vec<(AnnotationId, Timestamp)>,
    pub problems: Vec<Problem>,
    /// Keys that must not be written this session (an unreadable record whose
    /// backup could not be made).
    pub protected: Vec<String>,
}

/// Keep an unreadable value: copy it to a backup key (unless already kept).
fn back_up(
    store: &dyn Store,
    key: &str,
    id: &str,
    raw: &str,
    reason: String,
    now: Timestamp,
    boot: &mut Boot,
) {
    let existing = store.keys().unwrap_or_default().into_iter().find(|k| {
        k.starts_with(&format!("{PREFIX}backup:{id}:"))
            && store.get(k).ok().flatten().as_deref() == Some(raw)
    });
    let backup = existing.or_else(|| {
        let k = backup_key(id, now);
        // Only trust the backup once it reads back identical.
        (store.set(&k, raw).is_ok() && store.get(&k).ok().flatten().as_deref() == Some(raw))
            .then_some(k)
    });
    if backup.is_none() {
        boot.protected.push(key.to_string());
    }
    boot.problems.push(Problem::Corrupt {
        key: key.to_string(),
        backup_key: backup,
        raw: raw.to_string(),
        reason,
    });
}

/// Load what was open last, or `default` when nothing (readable) was.
pub fn load(store: &dyn Store, default: impl FnOnce() -> Article, now: Timestamp) -> Boot {
    let default = Rc::new(default());
    let mut boot = Boot {
        article: default.clone(),
        annotations: vec![],
        tombstones: vec![],
        problems: vec![],
        protected: vec![],
    };
    let index = match store.get(&index_key()) {
        Ok(Some(raw)) => match serde_json::from_str::<Index>(&raw) {
            Ok(i) => i,
            Err(e) => {
                back_up(
                    store,
                    &index_key(),
                    "index",
                    &raw,
                    syntax(e).to_string(),
                    now,
                    &mut boot,
                );
                Index::default()
            }
        },
        Ok(None) => Index::default(),
        Err(e) => {
            boot.problems.push(Problem::Storage(e));
            return boot;
        }
    };
    let id = index.last_open.unwrap_or_else(|| default.id.clone());
    read_article(store, &id, now, &mut boot);
    boot
}

/// Open article `id` as stored, or `article` itself when it is not stored
/// (or its record cannot be read: then it is backed up as in [`load`]).
/// What a person gets on opening an article, a file or a library entry.
pub fn open(store: &dyn Store, article: Rc<Article>, now: Timestamp) -> Boot {
    let mut boot = Boot {
        article: article.clone(),
        annotations: vec![],
        tombstones: vec![],
        problems: vec![],
        protected: vec![],
    };
    read_article(store, &article.id, now, &mut boot);
    boot
}

fn read_article(store: &dyn Store, id: &ArticleId, now: Timestamp, boot: &mut Boot) {
    let key = record_key(id);
    match store.get(&key) {
        Ok(Some(raw)) => match decode_owned(raw) {
            Ok((record, article)) => {
                *boot = Boot {
                    problems: std::mem::take(&mut boot.problems),
                    protected: std::mem::take(&mut boot.protected),
                    ..opened(record, article)
                };
            }
            // Read again what was let go (it has not changed since); if even
            // that fails, the record is left where it is and never written over.
            Err((e, raw)) => match raw.or_else(|| store.get(&key).ok().flatten()) {
                Some(raw) => back_up(store, &key, &id.0, &raw, e.to_string(), now, boot),
                None => {
                    boot.protected.push(key.clone());
                    boot.problems.push(Problem::Corrupt {
                        key,
                        backup_key: None,
                        raw: String::new(),
                        reason: e.to_string(),
                    });
                }
            },
        },
        Ok(None) => {}
        Err(e) => boot.problems.push(Problem::Storage(e)),
    }
}

/// Save the state's record and update the index. Nothing is written to a
/// protected key. On failure the previous record stays as it was (a failed
/// `setItem` changes nothing).
pub fn save(
    store: &dyn Store,
    state: &State,
    now: Timestamp,
    protected: &[String],
) -> Result<usize, StoreError> {
    let key = record_key(&state.article.id);
    if protected.contains(&key) {
        return Err(StoreError::Other(
            "an unreadable saved record for this article could not be backed up".into(),
        ));
    }
    let raw = serde_json::to_string(&record_of(state, now))
        .map_err(|e| StoreError::Other(format!("could not encode the record ({e})")))?;
    store.set(&key, &raw)?;
    let units = raw.encode_utf16().count();
    // An index that does not parse is kept under a backup key before it is
    // replaced; if even that fails, it is left alone (the record is saved).
    let mut index = match store.get(&index_key()) {
        Ok(Some(old)) => match serde_json::from_str::<Index>(&old) {
            Ok(i) => i,
            Err(_) => {
                let backup = backup_key("index", now);
                if store.set(&backup, &old).is_err() {
                    return Ok(units);
                }
                Index::default()
            }
        },
        Ok(None) => Index::default(),
        Err(_) => return Ok(units),
    };
    index.layout = 1;
    index.last_open = Some(state.article.id.clone());
    let counts = Tag::ALL.map(|t| state.annotations().iter().filter(|a| a.tag == t).count());
    let entry = IndexEntry {
        id: state.article.id.clone(),
        title: state.article.title.clone(),
        chars: state.article.len_chars(),
        counts,
        last_opened: now,
        units,
        name: None,
    };
    match index.articles.iter_mut().find(|e| e.id == entry.id) {
        Some(e) => {
            let name = e.name.take();
            *e = IndexEntry { name, ..entry };
        }
        None => index.articles.push(entry),
    }
    if !protected.contains(&index_key()) {
        let raw_index = serde_json::to_string(&index)
            .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
        store.set(&index_key(), &raw_index)?;
    }
    Ok(units)
}

/// A stored article as it opens — its annotations with their sync stamps,
/// and its tombstones — if stored and readable (read once).
pub fn read_boot(store: &dyn Store, id: &ArticleId) -> Option<Boot> {
    let raw = store.get(&record_key(id)).ok()??;
    let (record, article) = decode_owned(raw).ok()?;
    Some(opened(record, article))
}

/// A decoded record, opened: its article, annotations with their stamps,
/// tombstones; no problems.
fn opened(record: Record, article: Article) -> Boot {
    let (annotations, tombstones) = record.into_stamped();
    Boot {
        article: Rc::new(article),
        annotations,
        tombstones,
        problems: vec![],
        protected: vec![],
    }
}

/// A stored article and its annotations, if stored and readable.
pub fn read_stored(store: &dyn Store, id: &ArticleId) -> Option<(Rc<Article>, Vec<Annotation>)> {
    let boot = read_boot(store, id)?;
    Some((
        boot.article,
        boot.annotations.into_iter().map(|(a, _)| a).collect(),
    ))
}
