//! Older record schemas, brought up to the current one on read.

use serde::Deserialize;

use super::record::{rebuild_article, LoadError, Record, StoredAnnotation, StoredArticle};
use super::SCHEMA;
use crate::core::annotation::{Annotation, AnnotationId, TextQuote, Timestamp};
use crate::core::offset::Span;
use crate::core::tag::Tag;

/// A schema 1 record: each annotation flat — `start`, `end`, `quote` as a
/// plain string, no context, no sync stamp — and no tombstones.
#[derive(Deserialize)]
struct RecordV1 {
    #[serde(default)]
    saved: Timestamp,
    article: StoredArticle,
    annotations: Vec<AnnotationV1>,
}

#[derive(Deserialize)]
struct AnnotationV1 {
    id: String,
    tag: String,
    start: u32,
    end: u32,
    #[serde(default)]
    note: String,
    created: Timestamp,
    modified: Timestamp,
}

/// Bring a schema 1 record up to [`SCHEMA`]: keep each span, rebuild the
/// quote with prefix and suffix from the text, use `modified` as the stamp.
pub(super) fn migrate_v1(raw: &str) -> Result<Record, LoadError> {
    let old: RecordV1 = serde_json::from_str(raw).map_err(|e| LoadError::Shape(e.to_string()))?;
    let built = rebuild_article(&old.article)?;
    let mut entries = Vec::with_capacity(old.annotations.len());
    for (i, a) in old.annotations.into_iter().enumerate() {
        let span = Span::try_new(a.start, a.end)
            .filter(|s| s.end() <= built.len_chars())
            .ok_or_else(|| {
                LoadError::Invalid(format!(
                    "annotation {i}: span {}..{} is outside the text",
                    a.start, a.end
                ))
            })?;
        let tag = Tag::parse(&a.tag)
            .ok_or_else(|| LoadError::Shape(format!("annotation {i}: unknown tag {:?}", a.tag)))?;
        let annotation = Annotation {
            id: AnnotationId::from_string(&a.id),
            tag,
            span,
            quote: TextQuote::of(&built, span),
            note: a.note,
            created: a.created,
            modified: a.modified,
            verdict: None,
            explanation: String::new(),
            sources: Vec::new(),
            orphan: false,
        };
        entries.push(StoredAnnotation {
            annotation,
            changed: a.modified,
        });
    }
    Ok(Record {
        schema: SCHEMA,
        saved: old.saved,
        article: old.article,
        annotations: entries,
        tombstones: vec![],
    })
}
