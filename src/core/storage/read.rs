//! Reading an article record of any schema: the one place that decides
//! by its `schema` whether the current layout ([`super::layout`]) or a
//! migration from schemas 1–3 ([`super::migrate`]) reads it, so that neither
//! of the two knows the other.

use super::layout::{schema_of, shape, ArticleRecord, LoadError, ReadArticle};
use super::migrate;
use super::SCHEMA;

/// Read an article record of any schema this build reads. The value is let
/// go as soon as it is parsed, so that checking it and rebuilding quotes
/// reuse its memory (in wasm, memory once grown stays grown); on failure it
/// is handed back when it was still held, to be backed up.
pub fn decode_article(raw: String) -> Result<ReadArticle, (LoadError, Option<String>)> {
    let schema = match schema_of(&raw) {
        Ok(s) => s,
        Err(e) => return Err((e, Some(raw))),
    };
    if schema > SCHEMA as u64 {
        return Err((LoadError::NewerSchema(schema), Some(raw)));
    }
    if schema < SCHEMA as u64 {
        return migrate::read_legacy(raw, schema);
    }
    let record: ArticleRecord = match serde_json::from_str(&raw) {
        Ok(r) => r,
        Err(e) => return Err((shape(e), Some(raw))),
    };
    drop(raw);
    let article = record.article.build().map_err(|e| (e, None))?;
    Ok(ReadArticle {
        article,
        saved: record.saved,
        schema,
        legacy: Vec::new(),
    })
}
