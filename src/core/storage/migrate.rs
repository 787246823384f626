//! Records of schema 1–3: one key per article holding the article *and*
//! its annotations. They are read as a base layer of versions (life 0, the
//! stamp they were saved with) and migrated on load into the current
//! layout (see [`super::save`]): chunks first, then the article record
//! rewritten without its annotations, so that at any moment what is stored
//! reads back to the same annotations.
//!
//! - schema 1: each annotation flat — `start`, `end`, no quote, no context,
//!   no sync stamp (its `modified` becomes its clock) — and no tombstones;
//! - schema 2: every annotation with its quote and a `changed` stamp,
//!   tombstones `{id, deleted}`;
//! - schema 3: as 2, with a placed annotation's quote left out (it is the
//!   text at its span).

use serde::Deserialize;

use super::layout::{
    check_entries, counted, entries_of, shape, LoadError, ReadArticle, StoredAnnotation,
    StoredArticle, Tombstone,
};
use crate::core::annotation::{Annotation, TextQuote};
use crate::core::factcheck::FactCheck;
use crate::core::id::AnnotationId;
use crate::core::merge::{Clock, Entry};
use crate::core::offset::Span;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// A schema 2 or 3 record.
#[derive(Deserialize)]
struct RecordV3 {
    #[serde(default)]
    saved: Timestamp,
    article: StoredArticle,
    #[serde(deserialize_with = "counted")]
    annotations: Vec<StoredAnnotation>,
    #[serde(default)]
    tombstones: Vec<Tombstone>,
}

/// A schema 1 record.
#[derive(Deserialize)]
struct RecordV1 {
    #[serde(default)]
    saved: Timestamp,
    article: StoredArticle,
    annotations: Vec<AnnotationV1>,
}

/// Schema 1's flat annotation (also what a backup of a schema 1 record holds).
#[derive(Deserialize)]
pub(super) struct AnnotationV1 {
    pub id: String,
    pub tag: String,
    pub start: u32,
    pub end: u32,
    #[serde(default)]
    pub note: String,
    pub created: Timestamp,
    pub modified: Timestamp,
}

impl AnnotationV1 {
    /// As an annotation of today, with what schema 1 did not have left empty.
    pub(super) fn upgrade(self, tag: Tag, span: Span, quote: TextQuote) -> Annotation {
        Annotation {
            id: AnnotationId::from_string(&self.id),
            tag,
            span,
            quote,
            note: self.note,
            created: self.created,
            modified: self.modified,
            check: FactCheck::default(),
            author: None,
            orphan: false,
            links: Vec::new(),
        }
    }
}

/// Read a record of schema 1, 2 or 3 (see [`super::read::decode_article`]).
pub(super) fn read_legacy(
    raw: String,
    schema: u64,
) -> Result<ReadArticle, (LoadError, Option<String>)> {
    match schema {
        1 => {
            let old: RecordV1 = match serde_json::from_str(&raw) {
                Ok(r) => r,
                Err(e) => return Err((shape(e), Some(raw))),
            };
            drop(raw);
            from_v1(old).map_err(|e| (e, None))
        }
        2 | 3 => {
            let old: RecordV3 = match serde_json::from_str(&raw) {
                Ok(r) => r,
                Err(e) => return Err((shape(e), Some(raw))),
            };
            drop(raw);
            let article = old.article.build().map_err(|e| (e, None))?;
            let mut legacy = entries_of(old.annotations, old.tombstones);
            check_entries(&mut legacy, &article).map_err(|e| (e, None))?;
            Ok(ReadArticle {
                article,
                saved: old.saved,
                schema,
                legacy,
            })
        }
        other => Err((
            LoadError::Shape(format!("unknown schema {other}")),
            Some(raw),
        )),
    }
}

/// Keep each span, rebuild the quote with prefix and suffix from the text,
/// use `modified` as the clock.
fn from_v1(old: RecordV1) -> Result<ReadArticle, LoadError> {
    let article = old.article.build()?;
    let mut legacy = Vec::with_capacity(old.annotations.len());
    for (i, a) in old.annotations.into_iter().enumerate() {
        let span = Span::try_new(a.start, a.end)
            .filter(|s| s.end() <= article.len_chars())
            .ok_or_else(|| {
                LoadError::Invalid(format!(
                    "annotation {i}: span {}..{} is outside the text",
                    a.start, a.end
                ))
            })?;
        let tag = Tag::parse(&a.tag)
            .ok_or_else(|| LoadError::Shape(format!("annotation {i}: unknown tag {:?}", a.tag)))?;
        let modified = a.modified;
        let annotation = a.upgrade(tag, span, TextQuote::of(&article, span));
        legacy.push(Entry::live(annotation, Clock::new(modified)));
    }
    check_entries(&mut legacy, &article)?;
    Ok(ReadArticle {
        article,
        saved: old.saved,
        schema: 1,
        legacy,
    })
}
