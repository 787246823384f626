//! The stored record of one article (schema [`SCHEMA`]): its text, blocks,
//! annotations with their sync stamps, and tombstones; reading it with as
//! little memory as the text itself costs, and checking it.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::migrate::migrate_v1;
use super::SCHEMA;
use crate::core::annotation::{Annotation, AnnotationId, TextQuote, Timestamp};
use crate::core::article::{Article, ArticleId, Block, MetaField};
use crate::core::factcheck::Verdict;
use crate::core::offset::Span;
use crate::core::state::State;
use crate::core::tag::Tag;

/// An article as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    pub id: ArticleId,
    pub title: String,
    #[serde(default)]
    pub metadata: Vec<MetaField>,
    #[serde(default)]
    pub source: Option<String>,
    pub blocks: Vec<Block>,
    #[serde(deserialize_with = "text_exactly")]
    pub text: String,
}

/// Read the article's text into a string allocated once.
///
/// serde_json unescapes a string with escapes (every text has `\n`) into a
/// scratch buffer grown by doubling and then copies it: for a 1 MB text that
/// is ~3 MB at once. Borrowing the literal and unescaping it into a string
/// sized by the literal costs the text's size and no more.
fn text_exactly<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    use serde::de::Error;
    let raw = <&serde_json::value::RawValue>::deserialize(d)?;
    unescape(raw.get()).ok_or_else(|| D::Error::custom("the text is not a valid JSON string"))
}

/// The string a JSON string literal (quotes included, already checked as
/// JSON by serde_json) stands for; `None` for an escape that is no character
/// (a lone surrogate, which serde_json refuses too).
fn unescape(literal: &str) -> Option<String> {
    let body = literal.strip_prefix('"')?.strip_suffix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut rest = body;
    while let Some(i) = rest.bytes().position(|b| b == b'\\' || b == b'"') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        if after.starts_with('"') {
            return None;
        }
        let mut chars = after[1..].chars();
        let c = match chars.next()? {
            '"' => '"',
            '\\' => '\\',
            '/' => '/',
            'b' => '\u{8}',
            'f' => '\u{c}',
            'n' => '\n',
            'r' => '\r',
            't' => '\t',
            'u' => {
                let hex = |s: &str| s.get(..4).and_then(|h| u32::from_str_radix(h, 16).ok());
                let hi = hex(&after[2..])?;
                let (code, used) = if (0xD800..0xDC00).contains(&hi) {
                    let lo = after[6..].strip_prefix("\\u").and_then(hex)?;
                    if !(0xDC00..0xE000).contains(&lo) {
                        return None;
                    }
                    (0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00), 12)
                } else {
                    (hi, 6)
                };
                out.push(char::from_u32(code)?);
                rest = &after[used..];
                continue;
            }
            _ => return None,
        };
        out.push(c);
        rest = &after[2..];
    }
    out.push_str(rest);
    Some(out)
}

/// An annotation as stored: the annotation plus when it last changed,
/// written as one flat object (the annotation's fields and `changed`).
#[derive(Clone, Debug, PartialEq)]
pub struct StoredAnnotation {
    pub annotation: Annotation,
    pub changed: Timestamp,
}

// The flat form is spelled out here rather than with `#[serde(flatten)]`,
// which routes every field of every annotation through serde's generic
// buffered `Content`: reading 10,000 annotations took 20 % longer (41 → 33
// ms natively) and the wasm was 8 KB larger.

#[derive(Serialize)]
struct FlatRef<'a> {
    id: &'a AnnotationId,
    tag: Tag,
    span: Span,
    /// Only for orphans: a placed annotation's quote is the text at its span.
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a TextQuote>,
    note: &'a str,
    created: Timestamp,
    modified: Timestamp,
    #[serde(skip_serializing_if = "Option::is_none")]
    verdict: Option<Verdict>,
    #[serde(skip_serializing_if = "str::is_empty")]
    explanation: &'a str,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    sources: &'a [String],
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    orphan: bool,
    changed: Timestamp,
}

#[derive(Deserialize)]
struct Flat {
    id: AnnotationId,
    tag: Tag,
    span: Span,
    /// Absent for placed annotations since schema 3 (filled in from the text).
    #[serde(default)]
    quote: TextQuote,
    #[serde(default)]
    note: String,
    created: Timestamp,
    modified: Timestamp,
    #[serde(default)]
    verdict: Option<Verdict>,
    #[serde(default)]
    explanation: String,
    #[serde(default)]
    sources: Vec<String>,
    #[serde(default)]
    orphan: bool,
    changed: Timestamp,
}

impl Serialize for StoredAnnotation {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let a = &self.annotation;
        FlatRef {
            id: &a.id,
            tag: a.tag,
            span: a.span,
            quote: a.orphan.then_some(&a.quote),
            note: &a.note,
            created: a.created,
            modified: a.modified,
            verdict: a.verdict,
            explanation: &a.explanation,
            sources: &a.sources,
            orphan: a.orphan,
            changed: self.changed,
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for StoredAnnotation {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let f = Flat::deserialize(d)?;
        Ok(StoredAnnotation {
            annotation: Annotation {
                id: f.id,
                tag: f.tag,
                span: f.span,
                quote: f.quote,
                note: f.note,
                created: f.created,
                modified: f.modified,
                verdict: f.verdict,
                explanation: f.explanation,
                sources: f.sources,
                orphan: f.orphan,
            },
            changed: f.changed,
        })
    }
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: AnnotationId,
    pub deleted: Timestamp,
}

/// One article's record (schema [`SCHEMA`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub schema: u32,
    pub saved: Timestamp,
    pub article: StoredArticle,
    #[serde(deserialize_with = "annotations_exactly")]
    pub annotations: Vec<StoredAnnotation>,
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
}

/// Annotations with the stamps they were last changed at, and tombstones
/// with when they were deleted: what opening or merging a record takes.
pub type Stamped = (Vec<(Annotation, Timestamp)>, Vec<(AnnotationId, Timestamp)>);

impl Record {
    /// The record's annotations and tombstones, each with its stamp.
    pub fn into_stamped(self) -> Stamped {
        (
            self.annotations
                .into_iter()
                .map(|s| (s.annotation, s.changed))
                .collect(),
            self.tombstones
                .into_iter()
                .map(|t| (t.id, t.deleted))
                .collect(),
        )
    }
}

/// Read a record's annotations into a list of exactly their number.
///
/// JSON does not say how long an array is, so serde grows the list by
/// doubling: at 10,000 annotations the old and the new list coexist while it
/// grows, and that moment was the wasm heap's high-water mark (it never
/// shrinks). Each stored annotation starts `{"id":` (quotes inside strings
/// are escaped, so the sequence cannot occur in a note), which counts them in
/// a quick pass over the borrowed text. Records are read from strings, which
/// lets the array be borrowed rather than copied.
fn annotations_exactly<'de, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Vec<StoredAnnotation>, D::Error> {
    use serde::de::{DeserializeSeed, Error, SeqAccess, Visitor};
    struct Exactly(usize);
    impl<'de> Visitor<'de> for Exactly {
        type Value = Vec<StoredAnnotation>;
        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a list of annotations")
        }
        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
            let mut list = Vec::with_capacity(self.0);
            while let Some(a) = seq.next_element()? {
                list.push(a);
            }
            Ok(list)
        }
    }
    impl<'de> DeserializeSeed<'de> for Exactly {
        type Value = Vec<StoredAnnotation>;
        fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_seq(self)
        }
    }
    let raw = <&serde_json::value::RawValue>::deserialize(d)?;
    let json = raw.get();
    let mut de = serde_json::Deserializer::from_str(json);
    Exactly(json.matches("{\"id\":").count())
        .deserialize(&mut de)
        .and_then(|list| de.end().map(|()| list))
        .map_err(|e| D::Error::custom(format_args!("annotations: {e}")))
}

/// Why a stored record could not be read; `Display` says it in words.
#[derive(Clone, Debug, PartialEq)]
pub enum LoadError {
    /// Not JSON at all (truncated, binary, …).
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    /// JSON, but not shaped like a record.
    Shape(String),
    /// Written by a newer claimmark.
    NewerSchema(u64),
    /// Shaped right, but inconsistent (offsets past the text, a wrong id…).
    Invalid(String),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::Syntax { line, column, message } => {
                write!(f, "it is not valid JSON (line {line}, column {column}: {message})")
            }
            LoadError::Shape(m) => write!(f, "it is not shaped like a claimmark record ({m})"),
            LoadError::NewerSchema(v) => write!(
                f,
                "it was saved by a newer version of claimmark (schema {v}; this one reads up to {SCHEMA})"
            ),
            LoadError::Invalid(m) => write!(f, "it is inconsistent ({m})"),
        }
    }
}

pub(super) fn syntax(e: serde_json::Error) -> LoadError {
    LoadError::Syntax {
        line: e.line(),
        column: e.column(),
        message: e
            .to_string()
            .split(" at line")
            .next()
            .unwrap_or_default()
            .to_string(),
    }
}

/// Parse and check a stored record, migrating older schemas. The article is
/// returned built and checked; the record keeps only its id and title.
pub fn decode_record(raw: &str) -> Result<(Record, Article), LoadError> {
    check_record(parse_record(raw)?)
}

/// [`decode_record`] of a stored value that is let go as soon as it is
/// parsed, so that checking the record and rebuilding its quotes reuse its
/// memory (in wasm, memory once grown stays grown). On failure the value is
/// handed back when it was still held, to be backed up.
pub(super) fn decode_owned(raw: String) -> Result<(Record, Article), (LoadError, Option<String>)> {
    match parse_record(&raw) {
        Ok(record) => {
            drop(raw);
            check_record(record).map_err(|e| (e, None))
        }
        Err(e) => Err((e, Some(raw))),
    }
}

/// The record in `raw`, of any schema this build reads, unchecked.
fn parse_record(raw: &str) -> Result<Record, LoadError> {
    // Read the schema number first without building a tree, then parse
    // straight into the types of that schema (no `serde_json::Value`: a tree
    // of 10,000 annotations costs several times the record's size, and the
    // `Value` machinery costs bundle size).
    #[derive(Deserialize)]
    struct Peek {
        schema: Option<u64>,
    }
    if !raw.trim_start().starts_with('{') {
        // Report where garbage breaks JSON; valid JSON of another kind is a shape error.
        serde_json::from_str::<serde::de::IgnoredAny>(raw).map_err(syntax)?;
        return Err(LoadError::Shape(
            "no schema number: not a JSON object".into(),
        ));
    }
    // This build writes `{"schema":N,` first: read N without a pass over the
    // whole record (a 3 MB record costs ~25 ms to skim in the browser).
    let written_first = raw
        .strip_prefix("{\"schema\":")
        .and_then(|r| r.split_once(','))
        .and_then(|(n, _)| n.parse::<u64>().ok());
    let schema = match written_first {
        Some(n) => n,
        None => {
            let peek: Peek = serde_json::from_str(raw).map_err(|e| match e.classify() {
                serde_json::error::Category::Data => {
                    LoadError::Shape(format!("no schema number ({e})"))
                }
                _ => syntax(e),
            })?;
            peek.schema
                .ok_or_else(|| LoadError::Shape("no schema number".into()))?
        }
    };
    if schema > SCHEMA as u64 {
        return Err(LoadError::NewerSchema(schema));
    }
    let record: Record = match schema {
        1 => migrate_v1(raw)?,
        // Schema 2 stored every quote; schema 3 only orphans' (the others are
        // rebuilt below from the text, which the id guarantees unchanged).
        2 | 3 => serde_json::from_str(raw).map_err(|e| LoadError::Shape(e.to_string()))?,
        other => return Err(LoadError::Shape(format!("unknown schema {other}"))),
    };
    Ok(record)
}

/// Build and check a parsed record's article and annotations.
fn check_record(mut record: Record) -> Result<(Record, Article), LoadError> {
    // Move the text out rather than copy it: a 1 MB article is built once.
    let stored = StoredArticle {
        id: record.article.id.clone(),
        title: String::new(),
        metadata: vec![],
        source: None,
        blocks: vec![],
        text: String::new(),
    };
    let article = into_article(std::mem::replace(&mut record.article, stored))?;
    record.article.title = article.title.clone();
    let len = article.len_chars();
    let mut seen = std::collections::HashSet::new();
    for s in &mut record.annotations {
        let a = &mut s.annotation;
        if a.span.end() > len {
            return Err(LoadError::Invalid(format!(
                "annotation {} ends at {} but the text has {len} characters",
                a.id.as_str(),
                a.span.end()
            )));
        }
        if !seen.insert(a.id.clone()) {
            return Err(LoadError::Invalid(format!(
                "annotation id {} appears twice",
                a.id.as_str()
            )));
        }
        if a.quote.exact.is_empty() {
            if a.orphan || a.span.is_empty() {
                return Err(LoadError::Invalid(format!(
                    "annotation {} has neither a place nor a quote",
                    a.id.as_str()
                )));
            }
            a.quote = TextQuote::of(&article, a.span);
        }
    }
    record.schema = SCHEMA;
    Ok((record, article))
}

/// Check the stored article against its text and id, and build it.
pub(super) fn rebuild_article(s: &StoredArticle) -> Result<Article, LoadError> {
    Article::from_stored(
        s.id.clone(),
        s.title.clone(),
        s.metadata.clone(),
        s.source.clone(),
        s.blocks.clone(),
        s.text.clone(),
    )
    .ok_or_else(|| LoadError::Invalid("the article's blocks or id do not match its text".into()))
}

/// Like [`rebuild_article`], taking the stored article apart instead of copying it.
fn into_article(s: StoredArticle) -> Result<Article, LoadError> {
    Article::from_stored(s.id, s.title, s.metadata, s.source, s.blocks, s.text).ok_or_else(|| {
        LoadError::Invalid("the article's blocks or id do not match its text".into())
    })
}

/// The record for a state.
pub fn record_of(state: &State, now: Timestamp) -> Record {
    let a = &state.article;
    Record {
        schema: SCHEMA,
        saved: now,
        article: StoredArticle {
            id: a.id.clone(),
            title: a.title.clone(),
            metadata: a.metadata.clone(),
            source: a.source.clone(),
            blocks: a.blocks.clone(),
            text: a.text().to_string(),
        },
        annotations: state
            .annotations()
            .iter()
            .map(|x| StoredAnnotation {
                annotation: (**x).clone(),
                changed: state.stamp(&x.id).unwrap_or(x.modified),
            })
            .collect(),
        tombstones: state
            .tombstones()
            .into_iter()
            .map(|(id, deleted)| Tombstone { id, deleted })
            .collect(),
    }
}

pub fn encode_record(r: &Record) -> String {
    serde_json::to_string(r).unwrap_or_default()
}
