//! Import: reading annotations from files, and planning how they join the
//! open article.
//!
//! [`read`] turns a file's bytes into [`Incoming`] annotations (or says, in
//! words, why it cannot). [`plan`] anchors them onto the open article
//! ([`super::anchor`]), drops duplicates, applies the person's choice for
//! unknown tags, and produces the annotations to add with a summary to
//! confirm. Nothing changes until the plan is applied, as one undoable step.

use std::collections::{BTreeMap, HashSet};
use std::fmt;
use std::rc::Rc;

use serde_json::{Map, Value};

use super::anchor::{Anchorer, Placement, Target, Unit};
use super::annotation::{Annotation, AnnotationId, TextQuote, Timestamp};
use super::article::{Article, ArticleId, Block, MetaField};
use super::decode::{decode_owned, DecodeError};
use super::export::{FORMAT, VERSION};
use super::factcheck::{check_source, Verdict};
use super::offset::Span;
use super::tag::Tag;

/// The largest annotation file read.
pub const MAX_IMPORT_BYTES: usize = 64 << 20;
/// The most annotations one file may hold.
pub const MAX_ANNOTATIONS: usize = 100_000;
/// JSON nested deeper than this is refused (serde_json's recursion limit).
pub const MAX_DEPTH: usize = 128;

/// Which format a file was in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Source {
    Claimmark(u64),
    W3c,
    Hypothesis,
}

impl Source {
    pub fn label(self) -> String {
        match self {
            Source::Claimmark(v) => format!("claimmark JSON version {v}"),
            Source::W3c => "W3C Web Annotation".into(),
            Source::Hypothesis => "Hypothesis export".into(),
        }
    }
}

/// Why a file could not be read at all. `Display` says it in words.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportError {
    Decode(DecodeError),
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    TooDeep,
    TooMany(usize),
    NewerVersion(u64),
    /// Valid JSON, but not annotations in a format this build knows.
    Unrecognised(String),
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ImportError::Decode(e) => write!(f, "{e}"),
            ImportError::Syntax { line, column, message } => write!(
                f,
                "the file is not valid JSON: {message} at line {line}, column {column}"
            ),
            ImportError::TooDeep => write!(
                f,
                "the file's JSON is nested more than {MAX_DEPTH} levels deep; annotation files never are"
            ),
            ImportError::TooMany(n) => write!(
                f,
                "the file holds {n} annotations; the limit is {MAX_ANNOTATIONS}"
            ),
            ImportError::NewerVersion(v) => write!(
                f,
                "the file is claimmark JSON version {v}, made by a newer claimmark; this one reads up to version {VERSION}"
            ),
            ImportError::Unrecognised(m) => write!(f, "{m}"),
        }
    }
}

/// The tag an incoming annotation asked for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum IncomingTag {
    Known(Tag),
    /// Any other tag name, lowercased ("claim"); "(no tag)" when there was none.
    Unknown(String),
}

/// The name used for annotations that came without any tag.
pub const NO_TAG: &str = "(no tag)";

/// One annotation read from a file, not yet placed.
#[derive(Clone, Debug, PartialEq)]
pub struct Incoming {
    pub id: Option<String>,
    pub tag: IncomingTag,
    pub target: Target,
    pub note: String,
    pub verdict: Option<Verdict>,
    pub explanation: String,
    pub sources: Vec<String>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
}

/// An article carried by a claimmark JSON file.
#[derive(Clone, Debug, PartialEq)]
pub struct FileArticle {
    pub id: String,
    pub title: String,
    pub metadata: Vec<MetaField>,
    pub source: Option<String>,
    pub text: String,
    pub blocks: Option<Vec<Block>>,
}

impl FileArticle {
    /// Build the article the file describes, if its parts agree with its text.
    pub fn build(&self) -> Option<Article> {
        match &self.blocks {
            Some(blocks) => Article::from_stored(
                ArticleId(self.id.clone()),
                self.title.clone(),
                self.metadata.clone(),
                self.source.clone(),
                blocks.clone(),
                self.text.clone(),
            ),
            None => {
                let a = super::parse_text::parse_plain_text(&self.text, self.source.clone());
                (a.id.0 == self.id).then_some(a)
            }
        }
    }
}

/// A file, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Parsed {
    pub source: Source,
    pub items: Vec<Incoming>,
    /// Annotations that could not be read, each with why ("annotation 3: …").
    pub invalid: Vec<String>,
    pub article: Option<FileArticle>,
}

/// Read an annotation file: claimmark JSON, W3C Web Annotation (one, an
/// array, a collection or a page) or a Hypothesis export.
pub fn read(bytes: &[u8]) -> Result<Parsed, ImportError> {
    read_owned(bytes.to_vec())
}

/// [`read`], taking the file's bytes (no copy of a large file).
pub fn read_owned(bytes: Vec<u8>) -> Result<Parsed, ImportError> {
    let text = decode_owned(bytes, MAX_IMPORT_BYTES).map_err(ImportError::Decode)?;
    if let Some(parsed) = fast_claimmark(&text) {
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

/// claimmark JSON as this build writes it, read straight into types (no
/// `Value` tree): the annotations stay raw slices of the text until each is
/// read on its own.
#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct FastFile<'a> {
    format: &'a str,
    version: u64,
    #[serde(default)]
    offset_unit: Option<&'a str>,
    #[serde(default)]
    article: Option<FastArticle>,
    #[serde(borrow)]
    annotations: Vec<&'a serde_json::value::RawValue>,
}

#[derive(serde::Deserialize)]
struct FastArticle {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    title: String,
    #[serde(default)]
    metadata: Vec<MetaField>,
    #[serde(default)]
    source: Option<String>,
    text: String,
    #[serde(default)]
    blocks: Option<Vec<Block>>,
}

/// A claimmark annotation's fields, read straight into types (the fast
/// path) or taken out of a `Value` with a message per wrong type (the
/// general path); [`check_annotation`] then checks them the same way.
#[derive(serde::Deserialize)]
struct FastAnnotation {
    #[serde(default)]
    id: Option<String>,
    tag: String,
    #[serde(default)]
    start: Option<u64>,
    #[serde(default)]
    end: Option<u64>,
    #[serde(default)]
    quote: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    verdict: Option<String>,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default, deserialize_with = "iso_time")]
    created: Option<Timestamp>,
    #[serde(default, deserialize_with = "iso_time")]
    modified: Option<Timestamp>,
}

/// An ISO 8601 time, or null. Anything else fails the typed read, and the
/// general path then names the problem.
fn iso_time<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Timestamp>, D::Error> {
    use serde::Deserialize;
    Option::<String>::deserialize(d)?
        .map(|s| {
            Timestamp::parse_iso8601(&s)
                .ok_or_else(|| serde::de::Error::custom(format!("{s:?} is not a date and time")))
        })
        .transpose()
}

/// The fast path for well-formed claimmark JSON of a version this build
/// reads. `None` sends the file down the general path, which reads anything
/// and explains every problem (an annotation that does not fit the types
/// here is read again that way, for its message).
fn fast_claimmark(text: &str) -> Option<Result<Parsed, ImportError>> {
    let file: FastFile = serde_json::from_str(text).ok()?;
    if file.format != FORMAT
        || file.version == 0
        || file.version > VERSION as u64
        || file.offset_unit.is_some_and(|u| u != "codepoint")
    {
        return None;
    }
    if file.annotations.len() > MAX_ANNOTATIONS {
        return Some(Err(ImportError::TooMany(file.annotations.len())));
    }
    let article = file.article.map(|a| FileArticle {
        id: a.id.unwrap_or_else(|| ArticleId::of_text(&a.text).0),
        title: a.title,
        metadata: a.metadata,
        source: a.source,
        text: a.text,
        blocks: a.blocks,
    });
    let text_len = article.as_ref().map(|a| a.text.chars().count() as u64);
    let mut items = Vec::with_capacity(file.annotations.len());
    let mut invalid = Vec::new();
    for (i, raw) in file.annotations.iter().enumerate() {
        let fast = serde_json::from_str::<FastAnnotation>(raw.get())
            .ok()
            .and_then(|a| check_annotation(a, text_len, &mut invalid, i).ok());
        let r = match fast {
            Some(x) => Ok(x),
            // Read it again the general way, for a message naming the problem.
            None => serde_json::from_str::<Value>(raw.get())
                .map_err(|e| e.to_string())
                .and_then(|v| claimmark_annotation(&v, text_len, &mut invalid, i)),
        };
        match r {
            Ok(x) => items.push(x),
            Err(e) => invalid.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    Some(Ok(Parsed {
        source: Source::Claimmark(file.version),
        items,
        invalid,
        article,
    }))
}

/// The checks every claimmark annotation gets, however it was read.
fn check_annotation(
    a: FastAnnotation,
    text_len: Option<u64>,
    notes: &mut Vec<String>,
    i: usize,
) -> Result<Incoming, String> {
    let position = check_position(a.start, a.end)?;
    if let (Some((_, e)), Some(len)) = (position, text_len) {
        if e > len {
            return Err(format!(
                "ends at {e}, past the end of the article's text ({len} characters)"
            ));
        }
    }
    if a.quote.is_empty() && position.is_none() {
        return Err("has neither a quote nor a position".into());
    }
    let verdict = match a.verdict.as_deref() {
        None | Some("") => None,
        Some(v) => Some(Verdict::parse(v).ok_or_else(|| format!("unknown verdict {v:?}"))?),
    };
    let mut problems = Vec::new();
    let sources = sources_of(a.sources.into_iter(), &mut problems);
    notes.extend(
        problems
            .into_iter()
            .map(|p| format!("annotation {}: {p}", i + 1)),
    );
    Ok(Incoming {
        id: a.id,
        tag: tag_of(&a.tag),
        target: Target {
            exact: a.quote,
            prefix: a.prefix,
            suffix: a.suffix,
            position,
            unit: Some(Unit::CodePoint),
        },
        note: a.note,
        verdict,
        explanation: a.explanation,
        sources,
        created: a.created,
        modified: a.modified,
    })
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
        if obj.get("format").and_then(Value::as_str) == Some(FORMAT) {
            return claimmark(obj);
        }
        if obj.contains_key("export_date") || obj.contains_key("client_version") {
            return hypothesis(obj);
        }
        if has_type(v, "AnnotationCollection") {
            return w3c(collection_items(obj)?);
        }
        if has_type(v, "AnnotationPage") {
            return w3c(page_items(obj)?);
        }
        if has_type(v, "Annotation") || obj.contains_key("target") {
            return w3c(vec![v]);
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
        return w3c(items.iter().collect());
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

// -------------------------------------------------------------- field access

/// A field's string, or an error naming what it should have been.
fn opt_str<'a>(o: &'a Map<String, Value>, key: &str) -> Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(other) => Err(format!(
            "\"{key}\" should be text but is {}",
            kind_of(other)
        )),
    }
}

fn kind_of(v: &Value) -> &'static str {
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
fn opt_offset(o: &Map<String, Value>, key: &str) -> Result<Option<u64>, String> {
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

fn opt_time(o: &Map<String, Value>, key: &str) -> Result<Option<Timestamp>, String> {
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

fn check_position(start: Option<u64>, end: Option<u64>) -> Result<Option<(u64, u64)>, String> {
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

fn tag_of(name: &str) -> IncomingTag {
    match Tag::parse(&name.to_lowercase()) {
        Some(t) => IncomingTag::Known(t),
        None => IncomingTag::Unknown(name.trim().to_lowercase()),
    }
}

/// Of several tag names, the first that is fact / quote / analysis; else the
/// first (to be mapped or skipped); else [`NO_TAG`].
fn pick_tag(tags: &[impl AsRef<str>]) -> IncomingTag {
    tags.iter()
        .map(|t| tag_of(t.as_ref()))
        .find(|t| matches!(t, IncomingTag::Known(_)))
        .or_else(|| tags.first().map(|t| tag_of(t.as_ref())))
        .unwrap_or_else(|| IncomingTag::Unknown(NO_TAG.into()))
}

/// Keep the valid links; report the others.
fn sources_of(values: impl Iterator<Item = String>, problems: &mut Vec<String>) -> Vec<String> {
    let mut out = Vec::new();
    for v in values {
        match check_source(&v) {
            Ok(s) => out.push(s),
            Err(e) => problems.push(format!("source link dropped: {e}")),
        }
    }
    out
}

// ---------------------------------------------------------------- claimmark

fn claimmark(obj: &Map<String, Value>) -> Result<Parsed, ImportError> {
    let version = match obj.get("version") {
        Some(Value::Number(n)) => n.as_u64().ok_or_else(|| {
            ImportError::Unrecognised(format!(
                "the claimmark file's \"version\" ({n}) is not a version number"
            ))
        })?,
        _ => {
            return Err(ImportError::Unrecognised(
                "the claimmark file has no \"version\" number".into(),
            ))
        }
    };
    if version > VERSION as u64 {
        return Err(ImportError::NewerVersion(version));
    }
    if version == 0 {
        return Err(ImportError::Unrecognised(
            "the claimmark file's version is 0; versions start at 1".into(),
        ));
    }
    if let Some(unit) = obj.get("offsetUnit").and_then(Value::as_str) {
        if unit != "codepoint" {
            return Err(ImportError::Unrecognised(format!(
                "the claimmark file counts offsets in {unit:?}; claimmark JSON counts code points"
            )));
        }
    }
    let article = match obj.get("article") {
        Some(Value::Object(a)) => Some(file_article(a).map_err(ImportError::Unrecognised)?),
        None | Some(Value::Null) => None,
        Some(other) => {
            return Err(ImportError::Unrecognised(format!(
                "the claimmark file's \"article\" should be an object but is {}",
                kind_of(other)
            )))
        }
    };
    let list = match obj.get("annotations") {
        Some(Value::Array(l)) => l,
        Some(other) => {
            return Err(ImportError::Unrecognised(format!(
                "the claimmark file's \"annotations\" should be a list but is {}",
                kind_of(other)
            )))
        }
        None => {
            return Err(ImportError::Unrecognised(
                "the claimmark file has no \"annotations\" list".into(),
            ))
        }
    };
    if list.len() > MAX_ANNOTATIONS {
        return Err(ImportError::TooMany(list.len()));
    }
    let text_len = article.as_ref().map(|a| a.text.chars().count() as u64);
    let mut items = Vec::with_capacity(list.len());
    let mut invalid = Vec::new();
    for (i, v) in list.iter().enumerate() {
        match claimmark_annotation(v, text_len, &mut invalid, i) {
            Ok(x) => items.push(x),
            Err(e) => invalid.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    Ok(Parsed {
        source: Source::Claimmark(version),
        items,
        invalid,
        article,
    })
}

fn file_article(a: &Map<String, Value>) -> Result<FileArticle, String> {
    let text = opt_str(a, "text")
        .map_err(|e| format!("the claimmark file's article: {e}"))?
        .ok_or("the claimmark file's article has no \"text\"")?;
    let metadata = match a.get("metadata") {
        Some(m @ Value::Array(_)) => serde_json::from_value(m.clone()).unwrap_or_default(),
        _ => vec![],
    };
    let blocks = a
        .get("blocks")
        .and_then(|b| serde_json::from_value::<Vec<Block>>(b.clone()).ok());
    Ok(FileArticle {
        id: opt_str(a, "id")
            .ok()
            .flatten()
            .map(str::to_string)
            .unwrap_or_else(|| ArticleId::of_text(text).0),
        title: opt_str(a, "title")
            .ok()
            .flatten()
            .unwrap_or_default()
            .to_string(),
        metadata,
        source: opt_str(a, "source").ok().flatten().map(str::to_string),
        text: text.to_string(),
        blocks,
    })
}

fn claimmark_annotation(
    v: &Value,
    text_len: Option<u64>,
    notes: &mut Vec<String>,
    i: usize,
) -> Result<Incoming, String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("should be an object but is {}", kind_of(v)))?;
    let text = |key: &str| -> Result<String, String> {
        Ok(opt_str(o, key)?.unwrap_or_default().to_string())
    };
    let sources = match o.get("sources") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(l)) => l
            .iter()
            .filter_map(|x| x.as_str().map(str::to_string))
            .collect(),
        Some(other) => {
            return Err(format!(
                "\"sources\" should be a list but is {}",
                kind_of(other)
            ))
        }
    };
    let fields = FastAnnotation {
        id: opt_str(o, "id")?.map(str::to_string),
        tag: opt_str(o, "tag")?.ok_or("has no tag")?.to_string(),
        start: opt_offset(o, "start")?,
        end: opt_offset(o, "end")?,
        quote: text("quote")?,
        prefix: text("prefix")?,
        suffix: text("suffix")?,
        note: text("note")?,
        verdict: opt_str(o, "verdict")?.map(str::to_string),
        explanation: text("explanation")?,
        sources,
        created: opt_time(o, "created")?,
        modified: opt_time(o, "modified")?,
    };
    check_annotation(fields, text_len, notes, i)
}

// ---------------------------------------------------------------------- W3C

fn w3c(items: Vec<&Value>) -> Result<Parsed, ImportError> {
    let mut out = Vec::with_capacity(items.len());
    let mut invalid = Vec::new();
    for (i, v) in items.iter().enumerate() {
        match w3c_annotation(v, &mut invalid, i) {
            Ok(x) => out.push(x),
            Err(e) => invalid.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    Ok(Parsed {
        source: Source::W3c,
        items: out,
        invalid,
        article: None,
    })
}

/// The selectors of a target (object or list of objects), and its source.
fn selectors(target: &Value) -> Vec<&Map<String, Value>> {
    fn one(t: &Value) -> Vec<&Map<String, Value>> {
        match t.get("selector") {
            Some(Value::Array(l)) => l.iter().filter_map(Value::as_object).collect(),
            Some(Value::Object(o)) => vec![o],
            _ => vec![],
        }
    }
    match target {
        Value::Array(ts) => ts
            .iter()
            .map(one)
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        t => one(t),
    }
}

fn selector_target(sels: &[&Map<String, Value>], unit: Option<Unit>) -> Result<Target, String> {
    let mut t = Target {
        unit,
        ..Target::default()
    };
    for s in sels {
        let ty = s.get("type").and_then(Value::as_str).unwrap_or_default();
        if ty.ends_with("TextQuoteSelector") {
            t.exact = opt_str(s, "exact")?.unwrap_or_default().to_string();
            t.prefix = opt_str(s, "prefix")?.unwrap_or_default().to_string();
            t.suffix = opt_str(s, "suffix")?.unwrap_or_default().to_string();
        } else if ty.ends_with("TextPositionSelector") {
            t.position = check_position(opt_offset(s, "start")?, opt_offset(s, "end")?)?;
        }
    }
    if t.exact.is_empty() && t.position.is_none() {
        return Err("its target has no TextQuoteSelector or TextPositionSelector".into());
    }
    Ok(t)
}

/// An annotation object and where it points; `no_selector` says what it
/// means when its target has no selector.
fn object_and_target<'a>(
    v: &'a Value,
    no_selector: &str,
) -> Result<(&'a Map<String, Value>, Target), String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("should be an object but is {}", kind_of(v)))?;
    let target = o.get("target").ok_or("has no target")?;
    let sels = selectors(target);
    if sels.is_empty() {
        return Err(no_selector.to_string());
    }
    Ok((o, selector_target(&sels, Some(Unit::Unknown))?))
}

fn w3c_annotation(v: &Value, notes: &mut Vec<String>, i: usize) -> Result<Incoming, String> {
    let (o, target) = object_and_target(
        v,
        "its target has no selector (only a link to a whole document)",
    )?;
    let bodies: Vec<&Value> = match o.get("body") {
        Some(Value::Array(l)) => l.iter().collect(),
        Some(b) => vec![b],
        None => vec![],
    };
    let mut tags: Vec<String> = Vec::new();
    let mut notes_text: Vec<String> = Vec::new();
    let mut verdict = None;
    let mut explanation = String::new();
    let mut links = Vec::new();
    if let Some(s) = opt_str(o, "bodyValue")? {
        notes_text.push(s.to_string());
    }
    for b in bodies {
        let Some(b) = b.as_object() else {
            if let Some(iri) = b.as_str() {
                links.push(iri.to_string());
            }
            continue;
        };
        let purpose = opt_str(b, "purpose")?.unwrap_or_default();
        let value = opt_str(b, "value")?;
        match (purpose, value) {
            ("tagging", Some(v)) => tags.push(v.to_string()),
            ("assessing", Some(v)) => match Verdict::parse(v) {
                Some(x) => verdict = Some(x),
                None => notes_text.push(v.to_string()),
            },
            ("describing", Some(v)) => explanation = v.to_string(),
            (_, Some(v)) => notes_text.push(v.to_string()),
            (_, None) => {
                if let Some(id) = opt_str(b, "id")? {
                    links.push(id.to_string());
                }
            }
        }
    }
    let tag = pick_tag(&tags);
    let mut problems = Vec::new();
    let sources = sources_of(links.into_iter(), &mut problems);
    notes.extend(
        problems
            .into_iter()
            .map(|p| format!("annotation {}: {p}", i + 1)),
    );
    let id = opt_str(o, "id")?.map(|s| s.strip_prefix("urn:uuid:").unwrap_or(s).to_string());
    Ok(Incoming {
        id,
        tag,
        target,
        note: notes_text.join("\n\n"),
        verdict,
        explanation,
        sources,
        created: opt_time(o, "created")?,
        modified: opt_time(o, "modified")?,
    })
}

// --------------------------------------------------------------- Hypothesis

fn hypothesis(obj: &Map<String, Value>) -> Result<Parsed, ImportError> {
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
                verdict: None,
                explanation: String::new(),
                sources: vec![],
                created: opt_time(o, "created")?,
                modified: opt_time(o, "updated")?,
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

// --------------------------------------------------------------------- plan

/// What an import will do, before it does it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The annotations to add (orphans among them).
    pub add: Vec<Annotation>,
    /// Placed where the file said.
    pub kept: usize,
    /// Placed by finding the quote elsewhere, or approximately.
    pub moved: usize,
    pub orphans: usize,
    pub duplicates: usize,
    /// Skipped because of an unknown tag the person chose to skip.
    pub skipped: usize,
    pub invalid: Vec<String>,
    /// Tag names that are not fact / quote / analysis, with how many use each.
    pub unknown_tags: Vec<(String, usize)>,
}

impl Plan {
    /// "12 to import, 2 duplicates, 1 orphan, 1 invalid: annotation 4: …".
    pub fn summary(&self) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let mut parts = vec![format!("{} to import", self.add.len())];
        if self.moved > 0 {
            parts.push(format!("{} placed by their quote", self.moved));
        }
        if self.duplicates > 0 {
            parts.push(n(self.duplicates, "duplicate", "duplicates"));
        }
        if self.orphans > 0 {
            parts.push(n(
                self.orphans,
                "orphan (not found in this text)",
                "orphans (not found in this text)",
            ));
        }
        if self.skipped > 0 {
            parts.push(format!("{} skipped (tag)", self.skipped));
        }
        let mut s = parts.join(", ");
        if !self.invalid.is_empty() {
            s.push_str(&format!(
                ", {} invalid: {}",
                self.invalid.len(),
                self.invalid[0]
            ));
            if self.invalid.len() > 1 {
                s.push_str(&format!(" (and {} more)", self.invalid.len() - 1));
            }
        }
        s
    }
}

/// Plan importing `parsed` onto `article` next to `existing`. `mapping` says,
/// for each unknown tag name, which tag to give it (`None`, or absent: skip).
pub fn plan(
    parsed: &Parsed,
    article: &Article,
    existing: &[Rc<Annotation>],
    mapping: &BTreeMap<String, Option<Tag>>,
    now: Timestamp,
    new_id: &mut dyn FnMut() -> AnnotationId,
) -> Plan {
    let mut p = Plan {
        invalid: parsed.invalid.clone(),
        ..Plan::default()
    };
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for it in &parsed.items {
        if let IncomingTag::Unknown(name) = &it.tag {
            *unknown.entry(name.clone()).or_default() += 1;
        }
    }
    p.unknown_tags = unknown.into_iter().collect();
    let chosen: Vec<(&Incoming, Tag)> = parsed
        .items
        .iter()
        .filter_map(|it| match &it.tag {
            IncomingTag::Known(t) => Some((it, *t)),
            IncomingTag::Unknown(name) => match mapping.get(name).copied().flatten() {
                Some(t) => Some((it, t)),
                None => {
                    p.skipped += 1;
                    None
                }
            },
        })
        .collect();
    let targets: Vec<Target> = chosen.iter().map(|(it, _)| it.target.clone()).collect();
    let placed = Anchorer::new(article).anchor_all(&targets);
    let ids: HashSet<&str> = existing.iter().map(|a| a.id.as_str()).collect();
    let mut fresh_ids: HashSet<String> = HashSet::new();
    let mut contents: HashSet<(u32, u32, Tag, &str)> = existing
        .iter()
        .filter(|a| a.is_anchored())
        .map(|a| (a.span.start(), a.span.end(), a.tag, a.note.as_str()))
        .collect();
    for ((it, tag), (span, how)) in chosen.iter().zip(placed) {
        let file_id = it
            .id
            .as_deref()
            .filter(|s| !s.is_empty() && s.len() <= 200 && !s.chars().any(char::is_control));
        if file_id.is_some_and(|id| ids.contains(id) || fresh_ids.contains(id)) {
            p.duplicates += 1;
            continue;
        }
        if let Some(span) = span {
            if !contents.insert((span.start(), span.end(), *tag, it.note.as_str())) {
                p.duplicates += 1;
                continue;
            }
        }
        let id = match file_id {
            Some(id) => AnnotationId::from_string(id),
            None => new_id(),
        };
        fresh_ids.insert(id.as_str().to_string());
        let created = it.created.unwrap_or(now);
        let modified = it.modified.unwrap_or(created);
        let (span, orphan, quote) = match span {
            Some(span) => (span, false, TextQuote::of(article, span)),
            None => (
                Span::new(0, 0),
                true,
                TextQuote {
                    exact: it.target.exact.clone(),
                    prefix: it.target.prefix.clone(),
                    suffix: it.target.suffix.clone(),
                },
            ),
        };
        match how {
            Placement::Position => p.kept += 1,
            Placement::Orphan => p.orphans += 1,
            _ => p.moved += 1,
        }
        p.add.push(Annotation {
            id,
            tag: *tag,
            span,
            quote,
            note: it.note.clone(),
            created,
            modified,
            verdict: it.verdict,
            explanation: it.explanation.clone(),
            sources: it.sources.clone(),
            orphan,
        });
    }
    p
}

/// What carrying annotations over to a new version of an article did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CarryOver {
    /// The annotations on the new text (ids kept; orphans among them).
    pub annotations: Vec<Annotation>,
    /// Still at the same offsets.
    pub stayed: usize,
    /// Found elsewhere, exactly or approximately.
    pub moved: usize,
    /// The quotes of those not found (kept as orphans).
    pub orphans: Vec<String>,
}

impl CarryOver {
    /// "12 stayed, 3 moved, 1 not found: “…”".
    pub fn report(&self) -> String {
        let mut s = format!(
            "{} stayed, {} moved, {} not found",
            self.stayed,
            self.moved,
            self.orphans.len()
        );
        if !self.orphans.is_empty() {
            let quotes: Vec<String> = self
                .orphans
                .iter()
                .take(5)
                .map(|q| format!("“{}”", q.chars().take(60).collect::<String>()))
                .collect();
            s.push_str(": ");
            s.push_str(&quotes.join(", "));
            if self.orphans.len() > 5 {
                s.push_str(&format!(" and {} more", self.orphans.len() - 5));
            }
        }
        s
    }
}

/// Re-anchor annotations made on an earlier version of an article onto
/// `article` (the import's algorithm): each keeps its id, tag, note and
/// fact-check fields; its place and quote follow the new text, or it becomes
/// an orphan with its old quote.
pub fn carry_over(old: &[Annotation], article: &Article, now: Timestamp) -> CarryOver {
    let targets: Vec<Target> = old.iter().map(Target::of).collect();
    let placed = Anchorer::new(article).anchor_all(&targets);
    let mut out = CarryOver::default();
    for (a, (span, how)) in old.iter().zip(placed) {
        let mut n = a.clone();
        match span {
            Some(span) => {
                if how == Placement::Position {
                    out.stayed += 1;
                } else {
                    out.moved += 1;
                    n.modified = now;
                }
                n.quote = TextQuote::of(article, span);
                n.span = span;
                n.orphan = false;
            }
            None => {
                out.orphans.push(a.quote.exact.clone());
                n.span = Span::new(0, 0);
                n.orphan = true;
            }
        }
        out.annotations.push(n);
    }
    out
}
