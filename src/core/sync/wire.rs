//! CouchDB's answers, read one row at a time.
//!
//! A `_changes` or `_all_docs` answer is a list of rows, each holding one
//! member's document. One document that cannot be read — nested past any
//! reader's depth, a field of the wrong type — must not cost the others:
//! the answer is first read as an envelope whose rows stay raw JSON text
//! (skipping over a value is iterative in serde_json, so no nesting stops
//! it), and then each row is read on its own. A row that cannot be read
//! is returned as [`Skipped`], naming its document, and the rest go on.
//!
//! Of a document only the fields claimmark knows ([`KNOWN_FIELDS`]) are
//! parsed; whatever else it carries is never looked into.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::doc::{read_annotation, Remote, Skipped};

/// The fields of the documents claimmark reads (`ann:`, `list:`; an
/// `article:` document is read whole by `doc::read_article`).
pub const KNOWN_FIELDS: &[&str] = &[
    "_id",
    "_rev",
    "_deleted",
    "_conflicts",
    "type",
    "article",
    "id",
    "author",
    "clock",
    "overwrote",
    "deleted",
    "tag",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "orphan",
    "note",
    "verdict",
    "explanation",
    "sources",
    "claim",
    "claimant",
    "links",
    "created",
    "modified",
    "title",
    "chars",
];

/// One row of an answer, read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Row {
    /// The document's id (`_all_docs` rows also say it as `key`).
    pub id: Option<String>,
    /// The revision the row names (`value.rev` in `_all_docs`).
    pub rev: Option<String>,
    /// The row says the document is deleted (CouchDB's own deletion).
    pub deleted: bool,
    /// The document, with its known fields only; `None` when the row has
    /// none (asked without documents, a deleted or missing one).
    pub doc: Option<Value>,
}

/// An answer: its rows, in order, each read or skipped; and what the
/// envelope says besides.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Page {
    pub rows: Vec<Result<Row, Skipped>>,
    /// `_changes`: where to read from next, as raw JSON.
    pub last_seq: Option<String>,
    /// `_all_docs`: how many rows come before the first (CouchDB counts it).
    pub offset: Option<u64>,
}

impl Page {
    /// The documents read, in order.
    pub fn docs(&self) -> impl Iterator<Item = &Value> {
        self.rows
            .iter()
            .filter_map(|r| r.as_ref().ok())
            .filter_map(|r| r.doc.as_ref())
    }

    /// The rows that could not be read.
    pub fn skipped(&self) -> impl Iterator<Item = &Skipped> {
        self.rows.iter().filter_map(|r| r.as_ref().err())
    }
}

#[derive(Deserialize)]
struct Envelope<'a> {
    #[serde(default, borrow)]
    results: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow)]
    rows: Option<Vec<&'a RawValue>>,
    #[serde(default, borrow)]
    last_seq: Option<&'a RawValue>,
    #[serde(default)]
    offset: Option<u64>,
}

#[derive(Deserialize)]
struct RawRow<'a> {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    key: Option<&'a RawValue>,
    #[serde(default)]
    value: Option<RowValue>,
    #[serde(default)]
    deleted: bool,
    #[serde(default, borrow)]
    doc: Option<&'a RawValue>,
}

#[derive(Deserialize)]
struct RowValue {
    #[serde(default)]
    rev: Option<String>,
    #[serde(default)]
    deleted: bool,
}

/// Read a `_changes` or `_all_docs` answer. `Err` only when the answer
/// itself is not one (not JSON, no list of rows); a row that cannot be
/// read is a [`Skipped`] among the rows.
pub fn read_page(text: &str) -> Result<Page, String> {
    let env: Envelope = serde_json::from_str(text).map_err(|e| e.to_string())?;
    let raw_rows = env
        .results
        .or(env.rows)
        .ok_or("the answer holds no list of changes or rows")?;
    let rows = raw_rows
        .iter()
        .enumerate()
        .map(|(i, raw)| read_row(i, raw))
        .collect();
    Ok(Page {
        rows,
        last_seq: env.last_seq.map(|s| s.get().to_string()),
        offset: env.offset,
    })
}

fn read_row(i: usize, raw: &RawValue) -> Result<Row, Skipped> {
    let row: RawRow = serde_json::from_str(raw.get()).map_err(|e| Skipped {
        doc_id: format!("row {}", i + 1),
        reason: format!("it cannot be read ({e})"),
    })?;
    // `_all_docs` rows name the document as `key` (and as `id` when found).
    let id = row.id.or_else(|| {
        row.key
            .and_then(|k| serde_json::from_str::<String>(k.get()).ok())
    });
    let named = |reason: String| Skipped {
        doc_id: id
            .as_deref()
            .map(|d| d.chars().take(120).collect())
            .unwrap_or_else(|| format!("row {}", i + 1)),
        reason,
    };
    let doc = match row.doc {
        Some(d) => read_doc(d.get()).map_err(named)?,
        None => None,
    };
    let (rev, deleted) = match row.value {
        Some(v) => (v.rev, v.deleted || row.deleted),
        None => (None, row.deleted),
    };
    Ok(Row {
        id,
        rev,
        deleted,
        doc,
    })
}

/// A document with its known fields only: `Ok(None)` for `null` or
/// something that is not an object (nothing claimmark reads); `Err` when a
/// known field cannot be read.
pub fn read_doc(raw: &str) -> Result<Option<Value>, String> {
    let Ok(fields) = serde_json::from_str::<BTreeMap<String, &RawValue>>(raw) else {
        return Ok(None);
    };
    let mut out = Map::new();
    for (k, v) in fields {
        if !KNOWN_FIELDS.contains(&k.as_str()) {
            continue;
        }
        let value: Value =
            serde_json::from_str(v.get()).map_err(|e| format!("its {k} cannot be read ({e})"))?;
        out.insert(k, value);
    }
    Ok(Some(Value::Object(out)))
}

/// One document's answer in a `_bulk_docs` batch.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct Written {
    #[serde(default)]
    pub id: String,
    #[serde(default)]
    pub rev: Option<String>,
    #[serde(default)]
    pub error: Option<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A `_bulk_docs` answer: one [`Written`] per document sent (an entry that
/// cannot be read is left out: its document stays queued).
pub fn read_written(text: &str) -> Result<Vec<Written>, String> {
    let rows: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| e.to_string())?;
    Ok(rows
        .iter()
        .filter_map(|r| serde_json::from_str(r.get()).ok())
        .collect())
}

/// The annotations of `article` in an answer's documents, each checked
/// like an import (`doc::read_annotation`), and every row or document of
/// this article skipped, with why. Documents of other kinds or articles
/// are left out quietly.
pub fn annotations(page: &Page, article: &crate::core::Article) -> (Vec<Remote>, Vec<Skipped>) {
    let mut out = Vec::new();
    let mut skipped: Vec<Skipped> = page.skipped().cloned().collect();
    for d in page.docs() {
        match read_annotation(d, article) {
            Ok(Some(r)) => out.push(r),
            Ok(None) => {}
            Err(s) => skipped.push(s),
        }
    }
    (out, skipped)
}
