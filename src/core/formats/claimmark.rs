//! claimmark JSON: ours, versioned and lossless. Importing it into an empty
//! browser reproduces the article (text, blocks, metadata) and every
//! annotation, ids and times included.
//!
//! Writing: [`write`]. Reading: a typed fast path for files as this build
//! writes them ([`read_fast`]); anything else goes through the general JSON
//! reader ([`read_value`]), which names every problem.

use serde::Serialize;
use serde_json::{Map, Value};

use super::incoming::{FileArticle, ImportError, Incoming, Parsed, Source, MAX_ANNOTATIONS};
use super::json::{check_position, kind_of, opt_offset, opt_str, opt_time, sources_of, tag_of};
use crate::core::anchor::{Target, Unit};
use crate::core::annotation::Annotation;
use crate::core::article::{Article, Block, Details, Link, MetaField};
use crate::core::factcheck::{FactCheck, Verdict};
use crate::core::id::ArticleId;
use crate::core::links::LinkTo;
use crate::core::merge::Clock;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// The `format` field of claimmark JSON.
pub const FORMAT: &str = "claimmark";
/// The claimmark JSON version this build writes (and the newest it reads).
/// 2 added links between annotations (`links` on an annotation); a file of
/// version 1 reads as before (no links), with no migration.
pub const VERSION: u32 = 2;
/// `generator` in exports.
pub const GENERATOR: &str = concat!("claimmark ", env!("CARGO_PKG_VERSION"));

// ------------------------------------------------------------------- write

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClaimmarkFile<'a> {
    format: &'static str,
    version: u32,
    exported: String,
    generator: &'static str,
    offset_unit: &'static str,
    article: ClaimmarkArticle<'a>,
    annotations: Vec<ClaimmarkAnnotation<'a>>,
}

#[derive(Serialize)]
struct ClaimmarkArticle<'a> {
    id: &'a str,
    title: &'a str,
    metadata: &'a [MetaField],
    source: Option<&'a str>,
    details: &'a Details,
    text: &'a str,
    blocks: &'a [Block],
    links: &'a [Link],
}

#[derive(Serialize)]
struct ClaimmarkAnnotation<'a> {
    id: &'a str,
    tag: Tag,
    /// `null` for an orphan (not placed on this text).
    start: Option<u32>,
    end: Option<u32>,
    quote: &'a str,
    prefix: &'a str,
    suffix: &'a str,
    note: &'a str,
    verdict: Option<Verdict>,
    explanation: &'a str,
    sources: &'a [String],
    claim: &'a str,
    claimant: &'a str,
    /// Links to other annotations (version 2); left out when none.
    #[serde(skip_serializing_if = "<[LinkTo]>::is_empty")]
    links: &'a [LinkTo],
    /// The team member who made it; left out when made without a team.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    created: String,
    modified: String,
    /// The merge clock — when it last changed, and its life (see
    /// `core::merge`) — written only in library backups (see
    /// [`super::library`]); a life of 0 is left out.
    #[serde(skip_serializing_if = "Option::is_none")]
    changed: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    life: Option<u32>,
}

/// claimmark JSON: the article (text, blocks, metadata, details, links) and
/// every annotation.
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], now: Timestamp) -> String {
    serde_json::to_string_pretty(&file(article, annotations, now, |_| None)).unwrap_or_default()
}

/// The claimmark file's value; `clock` gives an annotation's merge clock
/// where one is to be written (library backups).
pub(super) fn file<'a, A: AsRef<Annotation>>(
    article: &'a Article,
    annotations: &'a [A],
    now: Timestamp,
    clock: impl Fn(&Annotation) -> Option<Clock>,
) -> impl Serialize + 'a {
    ClaimmarkFile {
        format: FORMAT,
        version: VERSION,
        exported: now.to_iso8601(),
        generator: GENERATOR,
        offset_unit: "codepoint",
        article: ClaimmarkArticle {
            id: &article.id.0,
            title: &article.title,
            metadata: &article.metadata,
            source: article.source.as_deref(),
            details: &article.details,
            text: article.text(),
            blocks: &article.blocks,
            links: article.links(),
        },
        annotations: annotations
            .iter()
            .map(|a| {
                let a = a.as_ref();
                let placed = a.is_anchored();
                ClaimmarkAnnotation {
                    id: a.id.as_str(),
                    tag: a.tag,
                    start: placed.then(|| a.span.start()),
                    end: placed.then(|| a.span.end()),
                    quote: &a.quote.exact,
                    prefix: &a.quote.prefix,
                    suffix: &a.quote.suffix,
                    note: &a.note,
                    verdict: a.check.verdict,
                    explanation: &a.check.explanation,
                    sources: &a.check.sources,
                    claim: &a.check.claim,
                    claimant: &a.check.claimant,
                    links: &a.links,
                    author: a.author.as_deref(),
                    created: a.created.to_iso8601(),
                    modified: a.modified.to_iso8601(),
                    changed: clock(a).map(|c| c.changed.to_iso8601()),
                    life: clock(a).map(|c| c.life).filter(|l| *l > 0),
                }
            })
            .collect(),
    }
}

// -------------------------------------------------------------------- read

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
    #[serde(default)]
    links: Vec<Link>,
    #[serde(default)]
    details: Option<Details>,
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
    #[serde(default)]
    claim: String,
    #[serde(default)]
    claimant: String,
    #[serde(default)]
    author: Option<String>,
    #[serde(default, deserialize_with = "iso_time")]
    created: Option<Timestamp>,
    #[serde(default, deserialize_with = "iso_time")]
    modified: Option<Timestamp>,
    #[serde(default, deserialize_with = "iso_time")]
    changed: Option<Timestamp>,
    #[serde(default)]
    life: Option<u32>,
    #[serde(default)]
    links: Vec<LinkTo>,
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
pub(crate) fn read_fast(text: &str) -> Option<Result<Parsed, ImportError>> {
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
        links: a.links,
        details: a.details,
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
        check: FactCheck {
            verdict,
            explanation: a.explanation,
            sources,
            claim: a.claim,
            claimant: a.claimant,
        },
        author: a.author.filter(|s| !s.trim().is_empty()),
        created: a.created,
        modified: a.modified,
        changed: a.changed,
        life: a.life,
        links: a.links,
    })
}

pub(crate) fn read_value(obj: &Map<String, Value>) -> Result<Parsed, ImportError> {
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
        return Err(ImportError::NewerVersion {
            found: version,
            reads: VERSION as u64,
        });
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
    // Links and details are extras: wrong ones are left out, not refused.
    let links = a
        .get("links")
        .and_then(|l| serde_json::from_value::<Vec<Link>>(l.clone()).ok())
        .unwrap_or_default();
    let details = a
        .get("details")
        .and_then(|d| serde_json::from_value::<Details>(d.clone()).ok());
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
        links,
        details,
    })
}

/// The links of an annotation read the general way: each well-formed one
/// (`{article, id, kind}`) kept, each other named in `notes` and left out
/// (a link is an extra: the annotation itself still imports).
fn links_of(v: Option<&Value>, notes: &mut Vec<String>, i: usize) -> Vec<LinkTo> {
    let list = match v {
        None | Some(Value::Null) => return vec![],
        Some(Value::Array(l)) => l,
        Some(other) => {
            notes.push(format!(
                "annotation {}: its \"links\" should be a list but is {}; left out",
                i + 1,
                kind_of(other)
            ));
            return vec![];
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (j, l) in list.iter().enumerate() {
        match serde_json::from_value::<LinkTo>(l.clone()) {
            Ok(link) => out.push(link),
            Err(_) => notes.push(format!(
                "annotation {}: link {} is not {{\"article\", \"id\", \"kind\"}} with a kind of supports, contradicts or same-claim; left out",
                i + 1,
                j + 1
            )),
        }
    }
    out
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
        claim: text("claim")?,
        claimant: text("claimant")?,
        author: opt_str(o, "author")?.map(str::to_string),
        created: opt_time(o, "created")?,
        modified: opt_time(o, "modified")?,
        changed: opt_time(o, "changed")?,
        life: opt_offset(o, "life")?.map(|n| n.min(u32::MAX as u64) as u32),
        links: links_of(o.get("links"), notes, i),
    };
    check_annotation(fields, text_len, notes, i)
}
