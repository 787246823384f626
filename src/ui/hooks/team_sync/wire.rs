//! The shapes of CouchDB's answers the engine reads: `_all_docs` rows
//! and `_changes` results (everything else in them is ignored).

use serde::Deserialize;
use serde_json::Value;

use crate::web::couch::CouchError;

#[derive(Deserialize)]
pub(super) struct Rows {
    #[serde(default)]
    pub(super) rows: Vec<Row>,
    #[serde(default)]
    pub(super) offset: Option<u64>,
}

#[derive(Deserialize)]
pub(super) struct Row {
    #[serde(default)]
    pub(super) id: Option<String>,
    #[serde(default)]
    pub(super) key: Option<String>,
    #[serde(default)]
    pub(super) value: Option<RowValue>,
    #[serde(default)]
    pub(super) doc: Option<Value>,
}

#[derive(Deserialize)]
pub(super) struct RowValue {
    #[serde(default)]
    pub(super) rev: String,
    #[serde(default)]
    pub(super) deleted: bool,
}

#[derive(Deserialize)]
pub(super) struct Changes {
    #[serde(default)]
    pub(super) results: Vec<ChangeRow>,
    pub(super) last_seq: Value,
}

#[derive(Deserialize)]
pub(super) struct ChangeRow {
    #[serde(default)]
    pub(super) doc: Option<Value>,
}

pub(super) fn unreadable(e: serde_json::Error) -> CouchError {
    CouchError::Unreadable(e.to_string())
}
