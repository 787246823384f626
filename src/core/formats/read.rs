//! Reading an annotation file: recognise its format and read it into
//! [`Incoming`] annotations, or say in words why it cannot be read.

use std::fmt;

use serde_json::{Map, Value};

use super::claimmark::{self, VERSION};
use super::{hypothesis, w3c};
use crate::core::anchor::Target;
use crate::core::annotation::Timestamp;
use crate::core::article::{Article, ArticleId, Block, Details, Link, MetaField};
use crate::core::factcheck::Verdict;
use crate::core::parse::decode::{decode_owned, DecodeError};
use crate::core::tag::Tag;

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
    /// The claim as checked, and who made it (fact annotations).
    pub claim: String,
    pub claimant: String,
    /// Who made it (a team member's name), when the file says.
    pub author: Option<String>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    /// When it last changed anywhere (the sync stamp); only library backups
    /// carry it.
    pub changed: Option<Timestamp>,
    /// Its life (see `core::storage::merge`); only library backups carry it.
    pub life: Option<u32>,
    /// Its links to other annotations (claimmark JSON from version 2, W3C
    /// `linking` annotations); tidied when it is placed.
    pub links: Vec<crate::core::links::LinkTo>,
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
    /// Links in its text (those that do not hold are dropped on building).
    pub links: Vec<Link>,
    /// Its details; `None` when the file has none (then they are guessed
    /// from the metadata and source, as on opening).
    pub details: Option<Details>,
}

impl FileArticle {
    /// Build the article the file describes, if its parts agree with its text.
    pub fn build(&self) -> Option<Article> {
        let article = match &self.blocks {
            Some(blocks) => Article::from_stored(
                ArticleId(self.id.clone()),
                self.title.clone(),
                self.metadata.clone(),
                self.source.clone(),
                blocks.clone(),
                self.text.clone(),
            ),
            None => {
                let a =
                    crate::core::parse::plain::parse_plain_text(&self.text, self.source.clone());
                (a.id.0 == self.id).then_some(a)
            }
        }?;
        let details = match &self.details {
            Some(d) => d.clone().tidy(),
            None => Details::guess(&self.metadata, self.source.as_deref()),
        };
        Some(article.with_links(self.links.clone()).with_details(details))
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
