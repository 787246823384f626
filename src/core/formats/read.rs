//! Reading an annotation file: recognise its format and hand it to that
//! format's reader, or say in words why it cannot be read.

use serde_json::{Map, Value};

use super::incoming::{ImportError, Parsed, MAX_ANNOTATIONS, MAX_IMPORT_BYTES};
use super::{claimmark, hypothesis, w3c};
use crate::core::parse::decode::decode_owned;

/// Read an annotation file: claimmark JSON, W3C Web Annotation (one, an
/// array, a collection or a page) or a Hypothesis export.
pub fn read(bytes: &[u8]) -> Result<Parsed, ImportError> {
    read_owned(bytes.to_vec())
}

/// [`read`], taking the file's bytes (no copy of a large file).
pub fn read_owned(bytes: Vec<u8>) -> Result<Parsed, ImportError> {
    let text = decode_owned(bytes, MAX_IMPORT_BYTES).map_err(ImportError::Decode)?;
    if let Some(parsed) = claimmark::read_fast(&text) {
        return parsed;
    }
    // serde_json refuses nesting deeper than 128 levels itself (no stack
    // overflow); annotation files never nest deeper than a handful.
    let value: Value = serde_json::from_str(&text).map_err(|e| {
        let message = e.to_string();
        if message.starts_with("recursion limit exceeded") {
            return ImportError::TooDeep;
        }
        ImportError::Syntax {
            line: e.line(),
            column: e.column(),
            message: message
                .split(" at line")
                .next()
                .unwrap_or_default()
                .to_string(),
        }
    })?;
    classify(&value)
}

fn has_type(v: &Value, name: &str) -> bool {
    let is = |t: &Value| {
        t.as_str()
            .is_some_and(|s| s == name || s.rsplit([':', '#', '/']).next() == Some(name))
    };
    match v.get("type").or_else(|| v.get("@type")) {
        Some(Value::Array(ts)) => ts.iter().any(is),
        Some(t) => is(t),
        None => false,
    }
}

fn classify(v: &Value) -> Result<Parsed, ImportError> {
    if let Some(obj) = v.as_object() {
        if obj.get("format").and_then(Value::as_str) == Some(claimmark::FORMAT) {
            return claimmark::read_value(obj);
        }
        if obj.get("format").and_then(Value::as_str) == Some(super::library::FORMAT) {
            return Err(ImportError::Unrecognised(
                "the file is a backup of a whole claimmark library, not annotations for one article; bring it back with Library → Restore".into(),
            ));
        }
        if obj.contains_key("export_date") || obj.contains_key("client_version") {
            return hypothesis::read_value(obj);
        }
        if has_type(v, "AnnotationCollection") {
            return w3c::read_items(collection_items(obj)?);
        }
        if has_type(v, "AnnotationPage") {
            return w3c::read_items(page_items(obj)?);
        }
        if has_type(v, "Annotation") || obj.contains_key("target") {
            return w3c::read_items(vec![v]);
        }
        if obj.contains_key("schema") && obj.contains_key("annotations") {
            return Err(ImportError::Unrecognised(
                "the file is a claimmark storage record, not an export; use “Export → claimmark JSON” to move work between browsers".into(),
            ));
        }
        return Err(ImportError::Unrecognised(
            "the file is JSON but not annotations: expected claimmark JSON (\"format\": \"claimmark\"), W3C Web Annotation (\"type\": \"Annotation\", \"AnnotationCollection\" or \"AnnotationPage\") or a Hypothesis export".into(),
        ));
    }
    if let Some(items) = v.as_array() {
        if items.len() > MAX_ANNOTATIONS {
            return Err(ImportError::TooMany(items.len()));
        }
        return w3c::read_items(items.iter().collect());
    }
    Err(ImportError::Unrecognised(
        "the file is JSON but not annotations: it holds a single value, not an object or a list"
            .into(),
    ))
}

fn collection_items(obj: &Map<String, Value>) -> Result<Vec<&Value>, ImportError> {
    match obj.get("first") {
        None => Ok(vec![]),
        Some(Value::Object(page)) => page_items(page),
        Some(_) => Err(ImportError::Unrecognised(
            "the collection's pages are links, not included in the file; save a collection with its first page embedded".into(),
        )),
    }
}

fn page_items(page: &Map<String, Value>) -> Result<Vec<&Value>, ImportError> {
    let mut out = Vec::new();
    let mut page = Some(page);
    // Follow embedded `next` pages; a linked one cannot be fetched offline.
    let mut pages = 0;
    while let Some(p) = page {
        pages += 1;
        match p.get("items") {
            Some(Value::Array(items)) => out.extend(items.iter()),
            Some(_) => {
                return Err(ImportError::Unrecognised(
                    "the annotation page's \"items\" is not a list".into(),
                ))
            }
            None => {}
        }
        if out.len() > MAX_ANNOTATIONS {
            return Err(ImportError::TooMany(out.len()));
        }
        page = p
            .get("next")
            .and_then(Value::as_object)
            .filter(|_| pages < 10_000);
    }
    Ok(out)
}
