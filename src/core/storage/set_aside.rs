//! Values set aside ("backups" in keys and on screen): values that could not be read, kept so that nothing saved is
//! out of reach. Listed with what they are a copy of; read back leniently
//! (every annotation that still parses) so their annotations can be
//! restored into the article they belong to.

use serde::Deserialize;
use serde_json::value::RawValue;

use super::keys::{parse_key, Key, PREFIX};
use super::layout::{schema_of, LoadError, StoredAnnotation};
use super::migrate::AnnotationV1;
use super::store::Store;
use super::SCHEMA;
use crate::core::annotation::{Annotation, TextQuote};
use crate::core::article::Article;
use crate::core::id::ArticleId;
use crate::core::offset::Span;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// One value kept because it could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct Kept {
    pub key: String,
    /// The article it belongs to (`None`: the library index).
    pub article: Option<ArticleId>,
    /// When it was set aside; `None` when it stays where it was (saved by a
    /// newer claimmark, never written over).
    pub at: Option<Timestamp>,
    /// Its size in UTF-16 units.
    pub units: usize,
    /// How many annotations can still be read from it (0: download only).
    pub annotations: usize,
    /// Why it cannot be read as it is, in words.
    pub reason: String,
}

/// Every backup, newest first, then the article records and chunks left in
/// place because a newer claimmark saved them. Reads every backup: call it
/// when the list is shown.
pub fn list(store: &dyn Store) -> Vec<Kept> {
    let keys = store.keys().unwrap_or_default();
    let mut out = Vec::new();
    let mut in_place = Vec::new();
    for key in keys {
        match parse_key(&key) {
            Key::Backup { of, at } => {
                let Some(raw) = store.get(&key).ok().flatten() else {
                    continue;
                };
                let article = (of != "index")
                    .then(|| ArticleId(of.split(':').next().unwrap_or_default().to_string()));
                let annotations = read_lenient(&raw).map_or(0, |l| l.len());
                let reason = why(&of, &raw);
                out.push(Kept {
                    key,
                    article,
                    at: Some(at),
                    units: raw.encode_utf16().count(),
                    annotations,
                    reason,
                });
            }
            // Records and chunks a newer claimmark saved: left where they
            // are, never written over, and listed so they can be downloaded.
            Key::Article(id) | Key::Chunk(id, _) => {
                let Some(head) = store.head(&key, 24).ok().flatten() else {
                    continue;
                };
                let schema = head
                    .strip_prefix("{\"schema\":")
                    .and_then(|r| r.split(',').next())
                    .and_then(|n| n.parse::<u64>().ok());
                if let Some(n) = schema.filter(|&n| n > SCHEMA as u64) {
                    in_place.push(Kept {
                        units: store.size(&key).ok().flatten().unwrap_or(0),
                        key,
                        article: Some(id),
                        at: None,
                        annotations: 0,
                        reason: LoadError::NewerSchema(n).to_string(),
                    });
                }
            }
            _ => {}
        }
    }
    out.sort_by_key(|k| std::cmp::Reverse(k.at));
    out.extend(in_place);
    out
}

/// Why a backup of `of` (an article id, `id:bb`, or `index`) was set aside:
/// read strictly again, as what it was.
fn why(of: &str, raw: &str) -> String {
    let strict = if of == "index" {
        match serde_json::from_str::<super::Index>(raw) {
            Ok(i) if i.layout > super::index::LAYOUT => {
                return format!(
                    "it was saved by a newer version of claimmark (library layout {}; this one reads up to {})",
                    i.layout,
                    super::index::LAYOUT
                )
            }
            Ok(_) => Ok(()),
            Err(e) => Err(super::layout::syntax(e)),
        }
    } else if of.contains(':') {
        super::layout::parse_chunk(raw).map(|_| ())
    } else {
        super::read::decode_article(raw.to_string())
            .map(|_| ())
            .map_err(|(e, _)| e)
    };
    match strict {
        Err(e) => e.to_string(),
        Ok(()) => "it reads now (it was set aside by another version)".into(),
    }
}

/// The value kept under `key`, verbatim (to download).
pub fn raw(store: &dyn Store, key: &str) -> Option<String> {
    key.starts_with(PREFIX)
        .then(|| store.get(key).ok().flatten())
        .flatten()
}

/// The annotations of a kept value placed on `article` (the article it
/// belongs to: the same text), every one that still reads: placed ones
/// inside the text get their quote from it; orphans keep theirs.
pub fn annotations_of(raw: &str, article: &Article) -> Result<Vec<Annotation>, LoadError> {
    let len = article.len_chars();
    Ok(read_lenient(raw)?
        .into_iter()
        .filter_map(|mut a| {
            if a.orphan {
                return (!a.quote.exact.is_empty()).then_some(a);
            }
            if a.span.is_empty() || a.span.end() > len {
                return None;
            }
            a.quote = TextQuote::of(article, a.span);
            Some(a)
        })
        .collect())
}

/// Every annotation in a kept record or chunk of any schema this build
/// knows that still parses on its own (quotes of placed ones left empty).
fn read_lenient(raw: &str) -> Result<Vec<Annotation>, LoadError> {
    #[derive(Deserialize)]
    struct Lenient<'a> {
        #[serde(borrow, default)]
        annotations: Vec<&'a RawValue>,
    }
    let schema = schema_of(raw)?;
    if schema > SCHEMA as u64 {
        return Err(LoadError::NewerSchema(schema));
    }
    let list = match serde_json::from_str::<Lenient>(raw) {
        Ok(all) => all.annotations,
        // Cut short (a torn write, a full disk): every annotation that is
        // whole before the cut.
        Err(e) if e.is_eof() => match before_the_cut(raw) {
            cut if !cut.is_empty() => cut,
            _ => return Err(super::layout::shape(e)),
        },
        Err(e) => return Err(super::layout::shape(e)),
    };
    Ok(list
        .into_iter()
        .filter_map(|v| {
            if let Ok(s) = serde_json::from_str::<StoredAnnotation>(v.get()) {
                let (mut a, _) = s.into_parts();
                if !a.orphan {
                    a.quote = TextQuote::default();
                }
                return Some(a);
            }
            // Schema 1's flat annotations.
            let old = serde_json::from_str::<AnnotationV1>(v.get()).ok()?;
            let (tag, span) = (Tag::parse(&old.tag)?, Span::try_new(old.start, old.end)?);
            Some(old.upgrade(tag, span, TextQuote::default()))
        })
        .collect())
}

/// The annotations of a value cut short that are whole before the cut: the
/// elements of its `"annotations"` array, one by one, until one does not
/// parse. (The key cannot occur inside a string of the value: there its
/// quotes are escaped.)
fn before_the_cut(raw: &str) -> Vec<&RawValue> {
    let Some(at) = raw.find("\"annotations\":[") else {
        return vec![];
    };
    let mut rest = &raw[at + "\"annotations\":[".len()..];
    let mut out = Vec::new();
    loop {
        let mut values = serde_json::Deserializer::from_str(rest).into_iter::<&RawValue>();
        let Some(Ok(v)) = values.next() else {
            return out;
        };
        let end = values.byte_offset();
        out.push(v);
        rest = rest[end..].trim_start();
        match rest.strip_prefix(',') {
            Some(r) => rest = r,
            None => return out,
        }
    }
}
