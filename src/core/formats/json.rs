//! Field access for the general JSON reader: each helper reads one field
//! and, when it has the wrong type, says so in words.

use serde_json::{Map, Value};

use super::incoming::{IncomingTag, NO_TAG};
use crate::core::factcheck::check_source;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// A field's string, or an error naming what it should have been.
pub(super) fn opt_str<'a>(o: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "\"{key}\" should be text but is {}",
            kind_of(other)
        )),
    }
}

/// What a JSON value is, in words for a message ("a number", "a list").
pub(crate) fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "true/false",
        Value::Number(_) => "a number",
        Value::String(_) => "text",
        Value::Array(_) => "a list",
        Value::Object(_) => "an object",
    }
}

/// An offset: a whole number ≥ 0.
pub(super) fn opt_offset(o: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => {
            if let Some(u) = n.as_u64() {
                Ok(Some(u))
            } else if n.as_i64().is_some() || n.as_f64().is_some_and(|f| f < 0.0) {
                Err(format!("\"{key}\" is negative ({n})"))
            } else {
                Err(format!("\"{key}\" is not a whole number ({n})"))
            }
        }
        Some(other) => Err(format!(
            "\"{key}\" should be a number but is {}",
            kind_of(other)
        )),
    }
}

pub(super) fn opt_time(o: &Map<String, Value>, key: &str) -> Result<Option<Timestamp>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Timestamp::parse_iso8601(s)
            .map(Some)
            .ok_or_else(|| format!("\"{key}\" is not a date and time ({s:?})")),
        Some(Value::Number(n)) => Ok(n.as_i64().map(Timestamp)),
        Some(other) => Err(format!(
            "\"{key}\" should be a date but is {}",
            kind_of(other)
        )),
    }
}

pub(super) fn check_position(
    start: Option<u64>,
    end: Option<u64>,
) -> Result<Option<(u64, u64)>, String> {
    match (start, end) {
        (Some(s), Some(e)) if e < s => Err(format!("end ({e}) is before start ({s})")),
        (Some(s), Some(e)) if e == s => {
            Err(format!("start and end are both {s}: nothing is selected"))
        }
        (Some(s), Some(e)) => Ok(Some((s, e))),
        (None, None) => Ok(None),
        _ => Err("has a start without an end, or an end without a start".into()),
    }
}

pub(super) fn tag_of(name: &str) -> IncomingTag {
    match Tag::parse(&name.to_lowercase()) {
        Some(t) => IncomingTag::Known(t),
        None => IncomingTag::Unknown(name.trim().to_lowercase()),
    }
}

/// Of several tag names, the first that is fact / quote / analysis; else the
/// first (to be mapped or skipped); else [`NO_TAG`].
pub(super) fn pick_tag(tags: &[impl AsRef<str>]) -> IncomingTag {
    tags.iter()
        .map(|t| tag_of(t.as_ref()))
        .find(|t| matches!(t, IncomingTag::Known(_)))
        .or_else(|| tags.first().map(|t| tag_of(t.as_ref())))
        .unwrap_or_else(|| IncomingTag::Unknown(NO_TAG.into()))
}

/// Keep the valid links; report the others.
pub(super) fn sources_of(
    values: impl Iterator<Item = String>,
    problems: &mut Vec<String>,
) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match check_source(&v) {
            Ok(s) => out.push(s),
            Err(e) => problems.push(format!("source link dropped: {e}")),
        }
    }
    out
}
