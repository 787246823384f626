//! The stored forms (schema [`SCHEMA`]): the article record, written once,
//! and the annotation chunks, written a chunk at a time; reading them with
//! as little memory as the text itself costs, and checking them.
//!
//! ```text
//! claimmark:v1:article:<sha256>   {"schema":4,"saved":MS,"article":{id,title,metadata,source,blocks,text}}
//! claimmark:v1:ann:<sha256>:<bb>  {"schema":4,"annotations":[…],"tombstones":[…]}
//! ```
//!
//! An annotation is stored as one flat object, [`StoredAnnotation`]: its
//! fields, with what can be rebuilt left out (a placed annotation's quote is
//! the text at its span, which the article id guarantees unchanged; `note`
//! when empty; `modified` when it equals `created`), and its clock:
//! `changed` (left out when it equals `modified`) and `life` (left out when
//! 0). A tombstone is `{id, deleted, life?}`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::SCHEMA;
use crate::core::annotation::{Annotation, TextQuote};
use crate::core::article::{Article, Block, Details, Link, MetaField};
use crate::core::factcheck::FactCheck;
use crate::core::id::AnnotationId;
use crate::core::id::ArticleId;
use crate::core::links::LinkTo;
use crate::core::merge::{Clock, Entry};
use crate::core::offset::Span;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// An article as stored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredArticle {
    pub id: ArticleId,
    pub title: String,
    #[serde(default)]
    pub metadata: Vec<MetaField>,
    #[serde(default)]
    pub source: Option<String>,
    /// The details the reader found when the article was opened (an HTML
    /// page's head, say), which nothing else can rebuild; absent in older
    /// records (then guessed from the metadata and source). Details a
    /// person edits later live in their own key (`keys::details_key`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub details: Option<Details>,
    pub blocks: Vec<Block>,
    /// The article's links (older records have none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<Link>,
    #[serde(deserialize_with = "text_exactly")]
    pub text: String,
}

impl StoredArticle {
    pub fn of(a: &Article) -> StoredArticle {
        StoredArticle {
            id: a.id.clone(),
            title: a.title.clone(),
            metadata: a.metadata.clone(),
            source: a.source.clone(),
            details: Some(a.details.clone()),
            blocks: a.blocks.clone(),
            links: a.links().to_vec(),
            text: a.text().to_string(),
        }
    }

    /// Check it against its text and id, and build the article (the text is
    /// moved, not copied: a 1 MB article is built once).
    /// Links that do not hold are dropped; missing details are guessed as
    /// on opening.
    pub fn build(self) -> Result<Article, LoadError> {
        let details = match self.details {
            Some(d) => d.tidy(),
            None => Details::guess(&self.metadata, self.source.as_deref()),
        };
        let article = Article::from_stored(
            self.id,
            self.title,
            self.metadata,
            self.source,
            self.blocks,
            self.text,
        )
        .ok_or_else(|| {
            LoadError::Invalid("the article's blocks or id do not match its text".into())
        })?;
        Ok(article.with_links(self.links).with_details(details))
    }
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

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// An annotation as stored: every field of [`Annotation`] and its clock,
/// one flat object. This one struct reads every schema from 2 on and writes
/// the current one; a new field of `Annotation` is added here (with
/// `#[serde(default)]`) and in the two conversions below.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredAnnotation {
    pub id: AnnotationId,
    pub tag: Tag,
    pub span: Span,
    /// Only for orphans (schema 2 stored every quote).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<TextQuote>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
    pub created: Timestamp,
    /// Absent: the same as `created`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<Timestamp>,
    /// Verdict, explanation, sources, claim and claimant, flat.
    #[serde(flatten)]
    pub check: FactCheck,
    /// The team member who made it (absent: made without a team).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// Links to other annotations (absent: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTo>,
    /// The clock's time; absent: the same as `modified`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub changed: Option<Timestamp>,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub life: u32,
}

impl StoredAnnotation {
    pub fn of(a: &Annotation, clock: Clock) -> StoredAnnotation {
        StoredAnnotation {
            id: a.id.clone(),
            tag: a.tag,
            span: a.span,
            quote: a.orphan.then(|| a.quote.clone()),
            note: a.note.clone(),
            created: a.created,
            modified: (a.modified != a.created).then_some(a.modified),
            check: a.check.clone(),
            author: a.author.clone(),
            orphan: a.orphan,
            links: a.links.clone(),
            changed: (clock.changed != a.modified).then_some(clock.changed),
            life: clock.life,
        }
    }

    /// The annotation (its quote still empty when not stored) and its clock.
    pub fn into_parts(self) -> (Annotation, Clock) {
        let modified = self.modified.unwrap_or(self.created);
        let clock = Clock {
            life: self.life,
            changed: self.changed.unwrap_or(modified),
        };
        let a = Annotation {
            id: self.id,
            tag: self.tag,
            span: self.span,
            quote: self.quote.unwrap_or_default(),
            note: self.note,
            created: self.created,
            modified,
            check: self.check,
            author: self.author,
            orphan: self.orphan,
            links: self.links,
        };
        (a, clock)
    }
}

/// A deletion as stored: the id, when, which life it ended, and the links
/// the deleted annotation had (so their other ends say they are broken).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Tombstone {
    pub id: AnnotationId,
    pub deleted: Timestamp,
    #[serde(default, skip_serializing_if = "is_zero")]
    pub life: u32,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTo>,
}

/// The article record (schema 4 on).
#[derive(Serialize, Deserialize)]
pub struct ArticleRecord {
    pub schema: u32,
    pub saved: Timestamp,
    pub article: StoredArticle,
}

/// One chunk of an article's annotations.
#[derive(Serialize, Deserialize)]
pub struct Chunk {
    pub schema: u32,
    #[serde(default, deserialize_with = "counted")]
    pub annotations: Vec<StoredAnnotation>,
    #[serde(default)]
    pub tombstones: Vec<Tombstone>,
}

/// Read a list of annotations into a list of exactly their number.
///
/// JSON does not say how long an array is, so serde grows the list by
/// doubling: at 10,000 annotations the old and the new list coexist while it
/// grows, and that moment was the wasm heap's high-water mark (it never
/// shrinks). Each stored annotation starts `{"id":` (quotes inside strings
/// are escaped, so the sequence cannot occur in a note), which counts them in
/// a quick pass over the borrowed text.
pub fn counted<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<StoredAnnotation>, D::Error> {
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

/// Why a stored value could not be read; `Display` says it in words.
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

pub fn syntax(e: serde_json::Error) -> LoadError {
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

pub fn shape(e: serde_json::Error) -> LoadError {
    match e.classify() {
        serde_json::error::Category::Syntax | serde_json::error::Category::Eof => syntax(e),
        _ => LoadError::Shape(e.to_string()),
    }
}

/// The schema number of a stored value, read without building a tree.
pub fn schema_of(raw: &str) -> Result<u64, LoadError> {
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
    // whole value (a 3 MB record costs ~25 ms to skim in the browser).
    let written_first = raw
        .strip_prefix("{\"schema\":")
        .and_then(|r| r.split_once(','))
        .and_then(|(n, _)| n.parse::<u64>().ok());
    if let Some(n) = written_first {
        return Ok(n);
    }
    let peek: Peek = serde_json::from_str(raw).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => LoadError::Shape(format!("no schema number ({e})")),
        _ => syntax(e),
    })?;
    peek.schema
        .ok_or_else(|| LoadError::Shape("no schema number".into()))
}

/// The article record for `article`.
pub fn encode_article(article: &Article, saved: Timestamp) -> String {
    serde_json::to_string(&ArticleRecord {
        schema: SCHEMA,
        saved,
        article: StoredArticle::of(article),
    })
    .unwrap_or_default()
}

/// A chunk holding `entries`, sorted by id (so equal contents are equal
/// strings, and a write that changes nothing is seen and skipped).
pub fn encode_chunk<'a>(entries: impl IntoIterator<Item = &'a Entry>) -> String {
    let mut list: Vec<&Entry> = entries.into_iter().collect();
    list.sort_by(|a, b| a.id.cmp(&b.id));
    let mut chunk = Chunk {
        schema: SCHEMA,
        annotations: Vec::new(),
        tombstones: Vec::new(),
    };
    for e in list {
        match &e.annotation {
            Some(a) => chunk.annotations.push(StoredAnnotation::of(a, e.clock)),
            None => chunk.tombstones.push(Tombstone {
                id: e.id.clone(),
                deleted: e.clock.changed,
                life: e.clock.life,
                links: e.links.clone(),
            }),
        }
    }
    serde_json::to_string(&chunk).unwrap_or_default()
}

/// A chunk's versions, unchecked (quotes of placed annotations empty).
pub fn parse_chunk(raw: &str) -> Result<Vec<Entry>, LoadError> {
    let schema = schema_of(raw)?;
    if schema > SCHEMA as u64 {
        return Err(LoadError::NewerSchema(schema));
    }
    if schema < SCHEMA as u64 {
        return Err(LoadError::Shape(format!(
            "schema {schema} had no annotation chunks"
        )));
    }
    let chunk: Chunk = serde_json::from_str(raw).map_err(shape)?;
    Ok(entries_of(chunk.annotations, chunk.tombstones))
}

/// Stored annotations and tombstones as versions.
pub fn entries_of(annotations: Vec<StoredAnnotation>, tombstones: Vec<Tombstone>) -> Vec<Entry> {
    let mut out = Vec::with_capacity(annotations.len() + tombstones.len());
    for s in annotations {
        let (a, clock) = s.into_parts();
        out.push(Entry::live(a, clock));
    }
    for t in tombstones {
        out.push(
            Entry::deleted(
                t.id,
                Clock {
                    life: t.life,
                    changed: t.deleted,
                },
            )
            .keeping(t.links),
        );
    }
    out
}

/// A chunk's versions, checked against `article` (spans inside the text,
/// each id once) with the quotes of placed annotations rebuilt.
pub fn decode_chunk(raw: &str, article: &Article) -> Result<Vec<Entry>, LoadError> {
    let mut entries = parse_chunk(raw)?;
    check_entries(&mut entries, article)?;
    Ok(entries)
}

/// Check versions against their article and rebuild the quotes not stored.
pub fn check_entries(entries: &mut [Entry], article: &Article) -> Result<(), LoadError> {
    let len = article.len_chars();
    let mut seen = std::collections::HashSet::new();
    for e in entries.iter_mut() {
        if !seen.insert(e.id.clone()) {
            return Err(LoadError::Invalid(format!(
                "annotation id {} appears twice",
                e.id.as_str()
            )));
        }
        let Some(a) = &mut e.annotation else {
            continue;
        };
        if a.span.end() > len {
            return Err(LoadError::Invalid(format!(
                "annotation {} ends at {} but the text has {len} characters",
                a.id.as_str(),
                a.span.end()
            )));
        }
        if a.quote.exact.is_empty() {
            if a.orphan || a.span.is_empty() {
                return Err(LoadError::Invalid(format!(
                    "annotation {} has neither a place nor a quote",
                    a.id.as_str()
                )));
            }
            a.quote = TextQuote::of(article, a.span);
        }
    }
    Ok(())
}

/// What an article record holds: the article, and for records of schema
/// 1–3 (which held the annotations too) their versions.
pub struct ReadArticle {
    pub article: Article,
    pub saved: Timestamp,
    pub schema: u64,
    /// Versions from a record of schema 1–3; empty from schema 4 on.
    pub legacy: Vec<Entry>,
}

/// The details a person set for an article, and when (its own key, see
/// `keys::details_key`): `{"schema":4,"details":{…},"changed":MS}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DetailsRecord {
    pub schema: u32,
    pub details: Details,
    pub changed: Timestamp,
}

pub fn encode_details(details: &Details, changed: Timestamp) -> String {
    serde_json::to_string(&DetailsRecord {
        schema: SCHEMA,
        details: details.clone(),
        changed,
    })
    .unwrap_or_default()
}

/// The details record in `raw`, checked (`None` when unreadable or newer).
pub fn decode_details(raw: &str) -> Option<(Details, Timestamp)> {
    let r: DetailsRecord = serde_json::from_str(raw).ok()?;
    (r.schema <= SCHEMA).then(|| (r.details.tidy(), r.changed))
}
