//! What claimmark keeps in local storage, and how it is versioned.
//!
//! Keys are namespaced `claimmark:v1:` (the key layout's version):
//! - `claimmark:v1:index` — an [`Index`] of stored articles and the last open one;
//! - `claimmark:v1:article:<sha256>` — one [`Record`] per article: its text,
//!   metadata, blocks, annotations (with sync stamps) and tombstones;
//! - `claimmark:v1:backup:<sha256>:<ms>` — a record that could not be read,
//!   kept verbatim before anything else is written for that article.
//!
//! Every record carries `schema` ([`SCHEMA`]). Older schemas are migrated on
//! read ([`migrate`]); a newer one is refused, never overwritten.

use std::fmt;
use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::annotation::{Annotation, AnnotationId, TextQuote, Timestamp};
use super::article::{Article, ArticleId, Block, Details, Link, MetaField};
use super::factcheck::Verdict;
use super::offset::Span;
use super::state::State;
use super::store::{Store, StoreError};
use super::tag::Tag;

/// The key namespace (layout version 1).
pub const PREFIX: &str = "claimmark:v1:";
/// The record schema this build writes.
pub const SCHEMA: u32 = 3;

pub fn index_key() -> String {
    format!("{PREFIX}index")
}

pub fn record_key(id: &ArticleId) -> String {
    format!("{PREFIX}article:{}", id.0)
}

pub fn backup_key(id: &str, now: Timestamp) -> String {
    format!("{PREFIX}backup:{id}:{}", now.0)
}

/// An article as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    pub id: ArticleId,
    pub title: String,
    #[serde(default)]
    pub metadata: Vec<MetaField>,
    #[serde(default)]
    pub source: Option<String>,
    /// Absent in records older than details: they are then guessed from
    /// the metadata and source, as on opening.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    /// When a person last changed the details (0: never).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub details_changed: Timestamp,
    pub blocks: Vec<Block>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(deserialize_with = "text_exactly")]
    pub text: String,
}

fn is_zero(t: &Timestamp) -> bool {
    t.0 == 0
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
    #[serde(skip_serializing_if = "str::is_empty")]
    claim: &'a str,
    #[serde(skip_serializing_if = "str::is_empty")]
    claimant: &'a str,
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
    claim: String,
    #[serde(default)]
    claimant: String,
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
            claim: &a.claim,
            claimant: &a.claimant,
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
                claim: f.claim,
                claimant: f.claimant,
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

fn syntax(e: serde_json::Error) -> LoadError {
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
fn decode_owned(raw: String) -> Result<(Record, Article), (LoadError, Option<String>)> {
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
        details: None,
        details_changed: Timestamp(0),
        blocks: vec![],
        links: vec![],
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
fn rebuild_article(s: &StoredArticle) -> Result<Article, LoadError> {
    into_article(s.clone())
}

/// Like [`rebuild_article`], taking the stored article apart instead of
/// copying it. Links that do not hold are dropped; missing details are
/// guessed as on opening.
fn into_article(s: StoredArticle) -> Result<Article, LoadError> {
    let details = match s.details {
        Some(d) => d.tidy(),
        None => Details::guess(&s.metadata, s.source.as_deref()),
    };
    let article = Article::from_stored(s.id, s.title, s.metadata, s.source, s.blocks, s.text)
        .ok_or_else(|| {
            LoadError::Invalid("the article's blocks or id do not match its text".into())
        })?;
    let mut article = article.with_links(s.links).with_details(details);
    article.details_changed = s.details_changed;
    Ok(article)
}

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
fn migrate_v1(raw: &str) -> Result<Record, LoadError> {
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
            claim: String::new(),
            claimant: String::new(),
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
            details: Some(a.details.clone()),
            details_changed: a.details_changed,
            blocks: a.blocks.clone(),
            links: a.links().to_vec(),
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

/// The list of stored articles.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub layout: u32,
    #[serde(default)]
    pub last_open: Option<ArticleId>,
    #[serde(default)]
    pub articles: Vec<IndexEntry>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub id: ArticleId,
    pub title: String,
    /// Length of the text in code points.
    pub chars: u32,
    /// Annotations per tag: fact, quote, analysis.
    pub counts: [usize; 3],
    pub last_opened: Timestamp,
    /// Size of the stored record in UTF-16 units (what the browser's quota counts).
    pub units: usize,
    /// A name the person gave it in the library (the headline stays the text's).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
}

impl IndexEntry {
    /// What the library calls it: the given name, else the headline.
    pub fn display_name(&self) -> &str {
        self.name.as_deref().unwrap_or(&self.title)
    }
}

/// A problem found while loading, to be told to the person.
#[derive(Clone, Debug, PartialEq)]
pub enum Problem {
    /// A record could not be read. Its raw text is kept under `backup_key`
    /// (or, when even that failed, left where it was and not written over).
    Corrupt {
        key: String,
        backup_key: Option<String>,
        raw: String,
        reason: String,
    },
    /// The store could not be read or used at all.
    Storage(StoreError),
}

/// What the app opens with.
#[derive(Clone, Debug)]
pub struct Boot {
    pub article: Rc<Article>,
    pub annotations: Vec<(Annotation, Timestamp)>,
    pub tombstones: Vec<(AnnotationId, Timestamp)>,
    pub problems: Vec<Problem>,
    /// Keys that must not be written this session (an unreadable record whose
    /// backup could not be made).
    pub protected: Vec<String>,
}

/// Keep an unreadable value: copy it to a backup key (unless already kept).
fn back_up(
    store: &dyn Store,
    key: &str,
    id: &str,
    raw: &str,
    reason: String,
    now: Timestamp,
    boot: &mut Boot,
) {
    let existing = store.keys().unwrap_or_default().into_iter().find(|k| {
        k.starts_with(&format!("{PREFIX}backup:{id}:"))
            && store.get(k).ok().flatten().as_deref() == Some(raw)
    });
    let backup = existing.or_else(|| {
        let k = backup_key(id, now);
        // Only trust the backup once it reads back identical.
        (store.set(&k, raw).is_ok() && store.get(&k).ok().flatten().as_deref() == Some(raw))
            .then_some(k)
    });
    if backup.is_none() {
        boot.protected.push(key.to_string());
    }
    boot.problems.push(Problem::Corrupt {
        key: key.to_string(),
        backup_key: backup,
        raw: raw.to_string(),
        reason,
    });
}

/// Load what was open last, or `default` when nothing (readable) was.
pub fn load(store: &dyn Store, default: impl FnOnce() -> Article, now: Timestamp) -> Boot {
    let default = Rc::new(default());
    let mut boot = Boot {
        article: default.clone(),
        annotations: vec![],
        tombstones: vec![],
        problems: vec![],
        protected: vec![],
    };
    let index = match store.get(&index_key()) {
        Ok(Some(raw)) => match serde_json::from_str::<Index>(&raw) {
            Ok(i) => i,
            Err(e) => {
                back_up(
                    store,
                    &index_key(),
                    "index",
                    &raw,
                    syntax(e).to_string(),
                    now,
                    &mut boot,
                );
                Index::default()
            }
        },
        Ok(None) => Index::default(),
        Err(e) => {
            boot.problems.push(Problem::Storage(e));
            return boot;
        }
    };
    let id = index.last_open.unwrap_or_else(|| default.id.clone());
    read_article(store, &id, now, &mut boot);
    boot
}

/// Open article `id` as stored, or `article` itself when it is not stored
/// (or its record cannot be read: then it is backed up as in [`load`]).
/// What a person gets on opening an article, a file or a library entry.
pub fn open(store: &dyn Store, article: Rc<Article>, now: Timestamp) -> Boot {
    let mut boot = Boot {
        article: article.clone(),
        annotations: vec![],
        tombstones: vec![],
        problems: vec![],
        protected: vec![],
    };
    read_article(store, &article.id, now, &mut boot);
    boot
}

fn read_article(store: &dyn Store, id: &ArticleId, now: Timestamp, boot: &mut Boot) {
    let key = record_key(id);
    match store.get(&key) {
        Ok(Some(raw)) => match decode_owned(raw) {
            Ok((record, article)) => {
                *boot = Boot {
                    problems: std::mem::take(&mut boot.problems),
                    protected: std::mem::take(&mut boot.protected),
                    ..opened(record, article)
                };
            }
            // Read again what was let go (it has not changed since); if even
            // that fails, the record is left where it is and never written over.
            Err((e, raw)) => match raw.or_else(|| store.get(&key).ok().flatten()) {
                Some(raw) => back_up(store, &key, &id.0, &raw, e.to_string(), now, boot),
                None => {
                    boot.protected.push(key.clone());
                    boot.problems.push(Problem::Corrupt {
                        key,
                        backup_key: None,
                        raw: String::new(),
                        reason: e.to_string(),
                    });
                }
            },
        },
        Ok(None) => {}
        Err(e) => boot.problems.push(Problem::Storage(e)),
    }
}

/// Save the state's record and update the index. Nothing is written to a
/// protected key. On failure the previous record stays as it was (a failed
/// `setItem` changes nothing).
pub fn save(
    store: &dyn Store,
    state: &State,
    now: Timestamp,
    protected: &[String],
) -> Result<usize, StoreError> {
    let key = record_key(&state.article.id);
    if protected.contains(&key) {
        return Err(StoreError::Other(
            "an unreadable saved record for this article could not be backed up".into(),
        ));
    }
    let raw = serde_json::to_string(&record_of(state, now))
        .map_err(|e| StoreError::Other(format!("could not encode the record ({e})")))?;
    store.set(&key, &raw)?;
    let units = raw.encode_utf16().count();
    // An index that does not parse is kept under a backup key before it is
    // replaced; if even that fails, it is left alone (the record is saved).
    let mut index = match store.get(&index_key()) {
        Ok(Some(old)) => match serde_json::from_str::<Index>(&old) {
            Ok(i) => i,
            Err(_) => {
                let backup = backup_key("index", now);
                if store.set(&backup, &old).is_err() {
                    return Ok(units);
                }
                Index::default()
            }
        },
        Ok(None) => Index::default(),
        Err(_) => return Ok(units),
    };
    index.layout = 1;
    index.last_open = Some(state.article.id.clone());
    let counts = Tag::ALL.map(|t| state.annotations().iter().filter(|a| a.tag == t).count());
    let entry = IndexEntry {
        id: state.article.id.clone(),
        title: state.article.title.clone(),
        chars: state.article.len_chars(),
        counts,
        last_opened: now,
        units,
        name: None,
    };
    match index.articles.iter_mut().find(|e| e.id == entry.id) {
        Some(e) => {
            let name = e.name.take();
            *e = IndexEntry { name, ..entry };
        }
        None => index.articles.push(entry),
    }
    if !protected.contains(&index_key()) {
        let raw_index = serde_json::to_string(&index)
            .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
        store.set(&index_key(), &raw_index)?;
    }
    Ok(units)
}

/// Every claimmark key and its size in UTF-16 units.
pub fn usage(store: &dyn Store) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = store
        .keys()
        .unwrap_or_default()
        .into_iter()
        .filter(|k| k.starts_with("claimmark:"))
        .map(|k| {
            let n = store
                .get(&k)
                .ok()
                .flatten()
                .map_or(0, |v| v.encode_utf16().count());
            (k.clone(), n + k.encode_utf16().count())
        })
        .collect();
    out.sort();
    out
}

/// Read the index (empty when missing or unreadable).
pub fn read_index(store: &dyn Store) -> Index {
    store
        .get(&index_key())
        .ok()
        .flatten()
        .and_then(|r| serde_json::from_str(&r).ok())
        .unwrap_or_default()
}

fn write_index(store: &dyn Store, index: &Index) -> Result<(), StoreError> {
    let raw = serde_json::to_string(index)
        .map_err(|e| StoreError::Other(format!("could not encode the index ({e})")))?;
    store.set(&index_key(), &raw)
}

/// Give a stored article a name in the library (empty: back to its headline).
pub fn rename(store: &dyn Store, id: &ArticleId, name: &str) -> Result<(), StoreError> {
    let mut index = read_index(store);
    let Some(e) = index.articles.iter_mut().find(|e| &e.id == id) else {
        return Err(StoreError::Other("that article is not stored here".into()));
    };
    let name = name.split_whitespace().collect::<Vec<_>>().join(" ");
    e.name = (!name.is_empty() && name != e.title).then_some(name);
    write_index(store, &index)
}

/// An article taken out of storage, kept so its removal can be undone.
#[derive(Clone, Debug, PartialEq)]
pub struct Removed {
    pub entry: IndexEntry,
    pub raw: Option<String>,
}

/// Remove a stored article (its record and its library entry).
pub fn remove_article(store: &dyn Store, id: &ArticleId) -> Result<Removed, StoreError> {
    let mut index = read_index(store);
    let at = index
        .articles
        .iter()
        .position(|e| &e.id == id)
        .ok_or_else(|| StoreError::Other("that article is not stored here".into()))?;
    let raw = store.get(&record_key(id))?;
    let entry = index.articles.remove(at);
    if index.last_open.as_ref() == Some(id) {
        index.last_open = None;
    }
    write_index(store, &index)?;
    store.remove(&record_key(id))?;
    Ok(Removed { entry, raw })
}

/// Put a removed article back.
pub fn restore_article(store: &dyn Store, removed: &Removed) -> Result<(), StoreError> {
    if let Some(raw) = &removed.raw {
        store.set(&record_key(&removed.entry.id), raw)?;
    }
    let mut index = read_index(store);
    if !index.articles.iter().any(|e| e.id == removed.entry.id) {
        index.articles.push(removed.entry.clone());
    }
    index.layout = 1;
    write_index(store, &index)
}

/// A stored article as it opens — its annotations with their sync stamps,
/// and its tombstones — if stored and readable (read once).
pub fn read_boot(store: &dyn Store, id: &ArticleId) -> Option<Boot> {
    let raw = store.get(&record_key(id)).ok()??;
    let (record, article) = decode_owned(raw).ok()?;
    Some(opened(record, article))
}

/// A decoded record, opened: its article, annotations with their stamps,
/// tombstones; no problems.
fn opened(record: Record, article: Article) -> Boot {
    let (annotations, tombstones) = record.into_stamped();
    Boot {
        article: Rc::new(article),
        annotations,
        tombstones,
        problems: vec![],
        protected: vec![],
    }
}

/// A stored article and its annotations, if stored and readable.
pub fn read_stored(store: &dyn Store, id: &ArticleId) -> Option<(Rc<Article>, Vec<Annotation>)> {
    let boot = read_boot(store, id)?;
    Some((
        boot.article,
        boot.annotations.into_iter().map(|(a, _)| a).collect(),
    ))
}
