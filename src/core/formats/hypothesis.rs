//! Hypothesis exports (the JSON its "Export" writes): read only. Hypothesis
//! counts positions in UTF-16 units (JavaScript string offsets), so the
//! unit stays unknown and anchoring tries both.

use serde_json::{Map, Value};

use super::incoming::{ImportError, Incoming, Parsed, Source, MAX_ANNOTATIONS};
use super::json::{opt_str, opt_time, pick_tag};
use super::w3c::object_and_target;
use crate::core::factcheck::FactCheck;

pub(super) fn read_value(obj: &Map<String, Value>) -> Result<Parsed, ImportError> {
    let list = match obj.get("annotations") {
        Some(Value::Array(l)) => l,
        _ => {
            return Err(ImportError::Unrecognised(
                "the Hypothesis export has no \"annotations\" list".into(),
            ))
        }
    };
    if list.len() > MAX_ANNOTATIONS {
        return Err(ImportError::TooMany(list.len()));
    }
    let mut items = Vec::with_capacity(list.len());
    let mut invalid = Vec::new();
    for (i, v) in list.iter().enumerate() {
        let r = (|| -> Result<Incoming, String> {
            // Hypothesis counts UTF-16 units (JavaScript string offsets):
            // the unit stays unknown, and both are tried.
            let (o, target) = object_and_target(v, "is a page note (no quote or position)")?;
            let tags: Vec<&str> = match o.get("tags") {
                Some(Value::Array(t)) => t.iter().filter_map(Value::as_str).collect(),
                _ => vec![],
            };
            let tag = pick_tag(&tags);
            Ok(Incoming {
                id: opt_str(o, "id")?.map(str::to_string),
                tag,
                target,
                note: opt_str(o, "text")?.unwrap_or_default().to_string(),
                check: FactCheck::default(),
                author: None,
                created: opt_time(o, "created")?,
                modified: opt_time(o, "updated")?,
                changed: None,
                life: None,
                links: vec![],
            })
        })();
        match r {
            Ok(x) => items.push(x),
            Err(e) => invalid.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    Ok(Parsed {
        source: Source::Hypothesis,
        items,
        invalid,
        article: None,
    })
}
