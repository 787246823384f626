//! The documents a team database holds, writing them and checking them.
//!
//! ```text
//! article:<sha256>          the article: title, metadata, source, details, blocks, links, text
//! list:<sha256>             its entry in the team's list: title, length, who shared it, when
//! ann:<sha256>:<id>         one annotation: the claimmark fields, its author and its clock
//! ```
//!
//! An annotation document carries the same fields as an annotation in
//! claimmark JSON (`tag`, `start`, `end`, `note`, `verdict`, `explanation`,
//! `sources`, `claim`, `claimant`, `created`, `modified`), its `author`, the
//! `article` it belongs to, and its merge clock `clock: {life, changed}`
//! (`changed` in milliseconds; see `core::merge`). A placed
//! annotation's quote is left out — the text at its span is the quote, and
//! the article's id (the SHA-256 of its text) guarantees the text — so an
//! orphan alone carries `quote`, `prefix` and `suffix` (with `start` and
//! `end` null and `orphan: true`). A deletion is a document of its own
//! (`deleted: true`) that keeps `type`, `article`, `id`, `author` and
//! `clock` and nothing else: a client that sees it later still compares it
//! by the merge rule, and the server's validation function, which sees it
//! as the document's current version, still knows whose it was when
//! someone brings it back. (A CouchDB deletion, `_deleted: true`, hides the
//! current version from the validation function on some servers; claimmark
//! writes one only to remove a revision in conflict, and still reads the
//! ones earlier versions wrote.)
//!
//! Everything read from a server is untrusted, as an imported file is:
//! [`read_annotation`] checks types, sizes and that a span lies inside the
//! text, and names what is wrong; a bad document is skipped, never
//! painted, and never panics (a property test feeds arbitrary JSON). The
//! limits ([`LIMITS`]) are the ones `couchdb/design.js` enforces too.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::core::annotation::{Annotation, TextQuote};

use crate::core::id::AnnotationId;

use crate::core::article::Article;
use crate::core::factcheck::{check_source, FactCheck, Verdict};
use crate::core::formats::json::kind_of;
use crate::core::id::ArticleId;
use crate::core::links::{is_link_id, LinkKind, LinkTo, MAX_LINKS};
use crate::core::merge::{Clock, Entry};
use crate::core::offset::Span;
use crate::core::storage::layout::StoredArticle;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// How large the parts of an annotation document may be (characters, or
/// items for `sources`). `couchdb/design.js` refuses the same.
pub struct Limits {
    pub id: usize,
    /// `note`, `explanation`, `claim`, and an orphan's `quote`.
    pub text: usize,
    /// `prefix`, `suffix`.
    pub context: usize,
    pub claimant: usize,
    pub author: usize,
    pub sources: usize,
    pub source: usize,
    /// An article's title (its `list:` entry).
    pub title: usize,
}

/// The limits every client and the server agree on.
pub const LIMITS: Limits = Limits {
    id: 200,
    text: 20_000,
    context: 20_000,
    claimant: 1_000,
    author: 200,
    sources: 100,
    source: 2_000,
    title: 1_000,
};

/// The id of an article's document.
pub fn article_doc_id(article: &ArticleId) -> String {
    format!("article:{}", article.0)
}

/// The id of an article's entry in the team's list.
pub fn list_doc_id(article: &ArticleId) -> String {
    format!("list:{}", article.0)
}

/// The id of an annotation's document.
pub fn ann_doc_id(article: &ArticleId, id: &AnnotationId) -> String {
    format!("ann:{}:{}", article.0, id.as_str())
}

/// The first and past-the-last document ids of an article's annotations,
/// for an `_all_docs` range (`\u{fff0}` sorts after every id character used).
pub fn ann_range(article: &ArticleId) -> (String, String) {
    (
        format!("ann:{}:", article.0),
        format!("ann:{}:\u{fff0}", article.0),
    )
}

/// An article id as claimmark makes them: 64 lowercase hex digits.
pub fn is_article_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The article and annotation id in an annotation document's id.
pub fn parse_ann_doc_id(doc_id: &str) -> Option<(ArticleId, AnnotationId)> {
    let rest = doc_id.strip_prefix("ann:")?;
    let (article, id) = rest.split_at_checked(64)?;
    let id = id.strip_prefix(':')?;
    (is_article_id(article) && !id.is_empty()).then(|| {
        (
            ArticleId(article.to_string()),
            AnnotationId::from_string(id),
        )
    })
}

#[derive(Serialize)]
struct ClockDoc {
    life: u32,
    changed: i64,
}

#[derive(Serialize)]
struct AnnDoc<'a> {
    #[serde(rename = "_id")]
    doc_id: String,
    #[serde(rename = "_rev", skip_serializing_if = "Option::is_none")]
    rev: Option<&'a str>,
    /// CouchDB's deletion: only to remove a revision in conflict.
    #[serde(rename = "_deleted", skip_serializing_if = "std::ops::Not::not")]
    removed: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    deleted: bool,
    #[serde(rename = "type")]
    kind: &'static str,
    article: &'a str,
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    clock: ClockDoc,
    /// The clock of a version this one was written over without having
    /// been seen (see [`encode_annotation_over`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    overwrote: Option<ClockDoc>,
    /// Its links (a deletion's: those it kept); left out when none.
    #[serde(skip_serializing_if = "<[LinkTo]>::is_empty")]
    links: &'a [LinkTo],
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    body: Option<AnnBody<'a>>,
}

#[derive(Serialize)]
struct AnnBody<'a> {
    tag: Tag,
    start: Option<u32>,
    end: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    quote: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    prefix: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suffix: Option<&'a str>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    orphan: bool,
    note: &'a str,
    /// Verdict, explanation, sources, claim and claimant, flat; those not
    /// filled in are left out.
    #[serde(flatten)]
    check: &'a FactCheck,
    created: String,
    modified: String,
}

/// The document for version `e` of an annotation of `article`, written
/// over revision `rev` (none: a new document). A deletion keeps the id,
/// author and clock in its body; `author` is the author of the version it
/// deletes (a tombstone knows no content).
pub fn encode_annotation(
    article: &ArticleId,
    e: &Entry,
    rev: Option<&str>,
    author: Option<&str>,
) -> String {
    encode_annotation_over(article, e, rev, author, None)
}

/// [`encode_annotation`], saying which version it replaces unseen:
/// `overwrote` is the clock of the server's version that this client had
/// not seen when its own (later, so winning) edit was made. The client
/// that made that version learns from it that its edit lost, and can
/// bring it back.
pub fn encode_annotation_over(
    article: &ArticleId,
    e: &Entry,
    rev: Option<&str>,
    author: Option<&str>,
    overwrote: Option<Clock>,
) -> String {
    let body = e.annotation.as_ref().map(|a| {
        let orphan = a.orphan;
        AnnBody {
            tag: a.tag,
            start: (!orphan).then(|| a.span.start()),
            end: (!orphan).then(|| a.span.end()),
            quote: orphan.then_some(a.quote.exact.as_str()),
            prefix: orphan.then_some(a.quote.prefix.as_str()),
            suffix: orphan.then_some(a.quote.suffix.as_str()),
            orphan,
            note: &a.note,
            check: &a.check,
            created: a.created.to_iso8601(),
            modified: a.modified.to_iso8601(),
        }
    });
    let author = e
        .annotation
        .as_ref()
        .and_then(|a| a.author.as_deref())
        .or(author);
    serde_json::to_string(&AnnDoc {
        doc_id: ann_doc_id(article, &e.id),
        rev,
        removed: false,
        deleted: e.annotation.is_none(),
        kind: "annotation",
        article: &article.0,
        id: e.id.as_str(),
        author,
        clock: ClockDoc {
            life: e.clock.life,
            changed: e.clock.changed.0,
        },
        overwrote: overwrote.map(|c| ClockDoc {
            life: c.life,
            changed: c.changed.0,
        }),
        links: e.links(),
        body,
    })
    .unwrap_or_default()
}

/// The CouchDB deletion of revision `rev` of an annotation's document — a
/// revision in conflict that lost (see `plan::pick`). Its body keeps what a
/// deletion keeps, so the validation function knows whose it was.
pub fn encode_removal(
    article: &ArticleId,
    id: &AnnotationId,
    rev: &str,
    author: Option<&str>,
    clock: Clock,
) -> String {
    serde_json::to_string(&AnnDoc {
        doc_id: ann_doc_id(article, id),
        rev: Some(rev),
        removed: true,
        deleted: true,
        kind: "annotation",
        article: &article.0,
        id: id.as_str(),
        author,
        clock: ClockDoc {
            life: clock.life,
            changed: clock.changed.0,
        },
        overwrote: None,
        links: &[],
        body: None,
    })
    .unwrap_or_default()
}

#[derive(Serialize)]
struct ArticleDoc<'a> {
    #[serde(rename = "_id")]
    doc_id: String,
    #[serde(rename = "_rev", skip_serializing_if = "Option::is_none")]
    rev: Option<&'a str>,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(flatten)]
    article: StoredArticle,
}

/// The article's document: what its record in local storage holds.
pub fn encode_article(article: &Article) -> String {
    encode_article_over(article, None)
}

/// The article's document written over revision `rev` (an editor putting
/// the real text back over another one).
pub fn encode_article_over(article: &Article, rev: Option<&str>) -> String {
    serde_json::to_string(&ArticleDoc {
        doc_id: article_doc_id(&article.id),
        rev,
        kind: "article",
        article: StoredArticle::of(article),
    })
    .unwrap_or_default()
}

/// An article's entry in the team's list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListEntry {
    pub id: ArticleId,
    pub title: String,
    /// Its length in characters.
    pub chars: u64,
    /// Who shared it first.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
}

/// The list entry's document for `article`, shared by `author`.
pub fn encode_list_entry(article: &Article, author: Option<&str>) -> String {
    encode_list_entry_over(article, author, None)
}

/// The list entry's document written over revision `rev`.
pub fn encode_list_entry_over(
    article: &Article,
    author: Option<&str>,
    rev: Option<&str>,
) -> String {
    let title: String = article.title.chars().take(LIMITS.title).collect();
    let mut doc = serde_json::json!({
        "_id": list_doc_id(&article.id),
        "type": "list",
        "title": title,
        "chars": article.len_chars(),
        "author": author,
    });
    if let Some(rev) = rev {
        doc["_rev"] = Value::from(rev);
    }
    doc.to_string()
}

/// The CouchDB deletion of a shared article's document or list entry
/// (`doc_id`) at revision `rev` (an editor removing one).
pub fn encode_doc_removal(doc_id: &str, rev: &str) -> String {
    serde_json::json!({ "_id": doc_id, "_rev": rev, "_deleted": true }).to_string()
}

/// Read a list entry (as `_all_docs` gives it); `None` when it is not one
/// or is malformed (the list then leaves it out).
pub fn read_list_entry(doc: &Value) -> Option<ListEntry> {
    let o = doc.as_object()?;
    let id = o.get("_id")?.as_str()?.strip_prefix("list:")?;
    if !is_article_id(id) || o.get("type")?.as_str()? != "list" {
        return None;
    }
    let title = o.get("title")?.as_str()?.trim();
    let author = o.get("author").and_then(Value::as_str).map(str::to_string);
    Some(ListEntry {
        id: ArticleId(id.to_string()),
        title: title.chars().take(LIMITS.title).collect(),
        chars: o.get("chars").and_then(Value::as_u64).unwrap_or(0),
        author: author.filter(|a| a.chars().count() <= LIMITS.author),
    })
}

/// What is wrong with an article's document read from the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ArticleProblem {
    /// Not an article's document, or not readable as one.
    Unreadable(String),
    /// Its text is not the text its id names: someone put another text
    /// under this article's id (the id is the SHA-256 of the text).
    Forged,
    /// The text is right but its blocks do not fit it.
    Broken(String),
}

impl std::fmt::Display for ArticleProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ArticleProblem::Unreadable(why) => {
                write!(f, "the team's copy of the article cannot be read ({why})")
            }
            ArticleProblem::Forged => write!(
                f,
                "the team's copy holds a different text from the one its id names, so it is not the article it claims to be"
            ),
            ArticleProblem::Broken(why) => {
                write!(f, "the team's copy of the article is damaged ({why})")
            }
        }
    }
}

/// Read an article's document: its text must be the one its id names (the
/// id is the text's SHA-256), or it is [`ArticleProblem::Forged`].
pub fn read_article(raw: &str, id: &ArticleId) -> Result<Article, ArticleProblem> {
    #[derive(Deserialize)]
    struct Head {
        #[serde(rename = "_id")]
        doc_id: String,
        #[serde(rename = "type")]
        kind: String,
        text: String,
    }
    let unreadable = |e: serde_json::Error| ArticleProblem::Unreadable(e.to_string());
    // The text is checked first, whatever the rest looks like: another
    // text under this id is a forgery, however it is shaped. (Then the
    // record is read as storage reads it, its text straight into its
    // string, which serde cannot do inside a flattened struct.)
    let head: Head = serde_json::from_str(raw).map_err(unreadable)?;
    if head.kind != "article" || head.doc_id != article_doc_id(id) {
        return Err(ArticleProblem::Unreadable(
            "it is not this article's document".into(),
        ));
    }
    if ArticleId::of_text(&head.text) != *id {
        return Err(ArticleProblem::Forged);
    }
    drop(head);
    let article: StoredArticle = serde_json::from_str(raw).map_err(unreadable)?;
    if article.id != *id {
        return Err(ArticleProblem::Broken("it names another id".into()));
    }
    article
        .build()
        .map_err(|e| ArticleProblem::Broken(e.to_string()))
}

/// One annotation document as read from the server: its revision, the
/// version it holds, and revisions in conflict with it (from another
/// replica of the database) still to be merged.
#[derive(Clone, Debug, PartialEq)]
pub struct Remote {
    pub rev: String,
    pub entry: Entry,
    /// The author a deletion keeps (a live version has it inside).
    pub author: Option<String>,
    pub conflicts: Vec<String>,
    /// The version it was written over unseen, when it says so (a
    /// malformed `overwrote` is ignored: it only decides a message).
    pub overwrote: Option<Clock>,
}

/// Why a document was skipped, in words that name it.
#[derive(Clone, Debug, PartialEq)]
pub struct Skipped {
    pub doc_id: String,
    pub reason: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.doc_id, self.reason)
    }
}

/// A text field: absent or null is empty; at most `max` characters.
fn text<'a>(o: &'a Map<String, Value>, key: &str, max: usize) -> Result<&'a str, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(""),
        Some(Value::String(s)) => {
            let n = s.chars().count();
            if n > max {
                Err(format!("its {key} has {n} characters (at most {max})"))
            } else {
                Ok(s)
            }
        }
        Some(v) => Err(format!("its {key} should be text but is {}", kind_of(v))),
    }
}

fn offset(o: &Map<String, Value>, key: &str) -> Result<Option<u32>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .map(Some)
            .ok_or_else(|| format!("its {key} ({n}) is not a position in a text")),
        Some(v) => Err(format!(
            "its {key} should be a number but is {}",
            kind_of(v)
        )),
    }
}

fn time(o: &Map<String, Value>, key: &str) -> Result<Option<Timestamp>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Timestamp::parse_iso8601(s)
            .map(Some)
            .ok_or_else(|| format!("its {key} is not a date and time")),
        Some(v) => Err(format!("its {key} should be a date but is {}", kind_of(v))),
    }
}

/// Times before 1970 or after the year 9999 are not from a clock.
const MAX_MS: i64 = 253_402_300_799_999;

fn clock(o: &Map<String, Value>) -> Result<Clock, String> {
    let c = match o.get("clock") {
        Some(Value::Object(c)) => c,
        Some(v) => {
            return Err(format!(
                "its clock should be an object but is {}",
                kind_of(v)
            ))
        }
        None => return Err("it has no clock".into()),
    };
    let life = match c.get("life") {
        None | Some(Value::Null) => 0,
        Some(Value::Number(n)) => n
            .as_u64()
            .and_then(|n| u32::try_from(n).ok())
            .ok_or("its clock's life is not a whole number")?,
        Some(v) => {
            return Err(format!(
                "its clock's life should be a number but is {}",
                kind_of(v)
            ))
        }
    };
    let changed = match c.get("changed") {
        Some(Value::Number(n)) => n
            .as_i64()
            .filter(|ms| (0..=MAX_MS).contains(ms))
            .ok_or("its clock's time is not a time in milliseconds")?,
        Some(v) => {
            return Err(format!(
                "its clock's time should be a number but is {}",
                kind_of(v)
            ))
        }
        None => return Err("its clock has no time".into()),
    };
    Ok(Clock {
        life,
        changed: Timestamp(changed),
    })
}

/// An annotation document's `links`: at most [`MAX_LINKS`], each exactly
/// `{article, id, kind}` with an article id, an annotation id and a kind
/// claimmark knows, none to the annotation itself.
fn links(
    o: &Map<String, Value>,
    article: &ArticleId,
    id: &AnnotationId,
) -> Result<Vec<LinkTo>, String> {
    let list = match o.get("links") {
        None | Some(Value::Null) => return Ok(vec![]),
        Some(Value::Array(l)) => l,
        Some(v) => return Err(format!("its links should be a list but is {}", kind_of(v))),
    };
    if list.len() > MAX_LINKS {
        return Err(format!("it has {} links (at most {MAX_LINKS})", list.len()));
    }
    let mut out = Vec::with_capacity(list.len());
    for l in list {
        let Some(l) = l.as_object() else {
            return Err(format!("a link should be an object but is {}", kind_of(l)));
        };
        if l.keys()
            .any(|k| !matches!(k.as_str(), "article" | "id" | "kind"))
        {
            return Err("a link has a field claimmark does not write".into());
        }
        let text = |k: &str| l.get(k).and_then(Value::as_str).unwrap_or_default();
        let (to_article, to_id, kind) = (text("article"), text("id"), text("kind"));
        if !is_article_id(to_article) || !is_link_id(to_id) {
            return Err("a link does not name an article and an annotation".into());
        }
        let kind = LinkKind::parse(kind)
            .filter(|k| k.key() == kind)
            .ok_or_else(|| {
                format!(
                    "a link's kind {:?} is not supports, contradicts or same-claim",
                    kind.chars().take(40).collect::<String>()
                )
            })?;
        let link = LinkTo {
            article: ArticleId(to_article.to_string()),
            id: AnnotationId::from_string(to_id),
            kind,
        };
        if link.points_at(article, id) {
            return Err("it links to itself".into());
        }
        out.push(link);
    }
    Ok(out)
}

/// Read one annotation document of `article` (a `_changes` or `_all_docs`
/// row's `doc`). `Ok(None)`: not an annotation of this article (a design
/// document, another article's) — not a problem. `Err`: one of this
/// article's, skipped, with why.
pub fn read_annotation(doc: &Value, article: &Article) -> Result<Option<Remote>, Skipped> {
    let Some(o) = doc.as_object() else {
        return Ok(None);
    };
    let Some(doc_id) = o.get("_id").and_then(Value::as_str) else {
        return Ok(None);
    };
    let Some((of, id)) = parse_ann_doc_id(doc_id) else {
        return Ok(None);
    };
    if of != article.id {
        return Ok(None);
    }
    let skipped = |reason: String| Skipped {
        doc_id: doc_id.chars().take(120).collect(),
        reason,
    };
    read_fields(o, &id, article).map(Some).map_err(skipped)
}

fn read_fields(
    o: &Map<String, Value>,
    id: &AnnotationId,
    article: &Article,
) -> Result<Remote, String> {
    if id.as_str().chars().count() > LIMITS.id {
        return Err(format!("its id is longer than {} characters", LIMITS.id));
    }
    let rev = match o.get("_rev") {
        Some(Value::String(r)) if !r.is_empty() && r.len() <= 200 => r.clone(),
        _ => return Err("it has no revision".into()),
    };
    if o.get("type").and_then(Value::as_str) != Some("annotation") {
        return Err("it is not marked as an annotation".into());
    }
    if o.get("article").and_then(Value::as_str) != Some(article.id.0.as_str()) {
        return Err("it names another article".into());
    }
    if o.get("id").and_then(Value::as_str) != Some(id.as_str()) {
        return Err("its id does not match its document's".into());
    }
    let author = match text(o, "author", LIMITS.author)?.trim() {
        "" => None,
        a => Some(a.to_string()),
    };
    let clock = clock(o)?;
    let overwrote = o
        .get("overwrote")
        .map(|c| {
            let mut m = Map::new();
            m.insert("clock".into(), c.clone());
            m
        })
        .and_then(|m| self::clock(&m).ok());
    let conflicts = match o.get("_conflicts") {
        Some(Value::Array(l)) => l
            .iter()
            .filter_map(Value::as_str)
            .filter(|r| r.len() <= 200)
            .take(100)
            .map(str::to_string)
            .collect(),
        _ => vec![],
    };
    let links = links(o, &article.id, id)?;
    let deleted = |k: &str| o.get(k) == Some(&Value::Bool(true));
    if deleted("deleted") || deleted("_deleted") {
        return Ok(Remote {
            rev,
            entry: Entry::deleted(id.clone(), clock).keeping(links),
            author,
            conflicts,
            overwrote,
        });
    }
    let tag_name = match o.get("tag") {
        Some(Value::String(t)) => t,
        Some(v) => return Err(format!("its tag should be text but is {}", kind_of(v))),
        None => return Err("it has no tag".into()),
    };
    let tag = Tag::parse(tag_name).ok_or_else(|| {
        format!(
            "its tag {:?} is not fact, quote or analysis",
            tag_name.chars().take(40).collect::<String>()
        )
    })?;
    let orphan = match o.get("orphan") {
        None | Some(Value::Null) | Some(Value::Bool(false)) => false,
        Some(Value::Bool(true)) => true,
        Some(v) => {
            return Err(format!(
                "its orphan mark should be true/false but is {}",
                kind_of(v)
            ))
        }
    };
    let len = article.len_chars();
    let (span, quote) = match (offset(o, "start")?, offset(o, "end")?, orphan) {
        (Some(s), Some(e), false) => {
            if e <= s {
                return Err(format!("it ends ({e}) where or before it starts ({s})"));
            }
            if e > len {
                return Err(format!(
                    "it ends at {e}, past the end of the text ({len} characters)"
                ));
            }
            let span = Span::new(s, e);
            (span, TextQuote::of(article, span))
        }
        (None, None, true) => {
            let exact = text(o, "quote", LIMITS.text)?;
            if exact.is_empty() {
                return Err("it is not placed on the text and has no quote".into());
            }
            let quote = TextQuote {
                exact: exact.to_string(),
                prefix: text(o, "prefix", LIMITS.context)?.to_string(),
                suffix: text(o, "suffix", LIMITS.context)?.to_string(),
            };
            (Span::new(0, 0), quote)
        }
        _ => return Err("its start and end do not make a place in the text".into()),
    };
    let verdict = match o.get("verdict") {
        None | Some(Value::Null) => None,
        Some(Value::String(v)) if v.is_empty() => None,
        Some(Value::String(v)) => Some(Verdict::parse(v).ok_or_else(|| {
            format!(
                "its verdict {:?} is unknown",
                v.chars().take(40).collect::<String>()
            )
        })?),
        Some(v) => return Err(format!("its verdict should be text but is {}", kind_of(v))),
    };
    let sources = match o.get("sources") {
        None | Some(Value::Null) => vec![],
        Some(Value::Array(l)) => {
            if l.len() > LIMITS.sources {
                return Err(format!(
                    "it has {} sources (at most {})",
                    l.len(),
                    LIMITS.sources
                ));
            }
            let mut out = Vec::with_capacity(l.len());
            for s in l {
                let s = s.as_str().ok_or("its sources should be text")?;
                if s.chars().count() > LIMITS.source {
                    return Err(format!(
                        "a source is longer than {} characters",
                        LIMITS.source
                    ));
                }
                out.push(check_source(s).map_err(|e| format!("a source is not a web link ({e})"))?);
            }
            out
        }
        Some(v) => {
            return Err(format!(
                "its sources should be a list but is {}",
                kind_of(v)
            ))
        }
    };
    let created = time(o, "created")?.ok_or("it has no creation time")?;
    let modified = time(o, "modified")?.unwrap_or(created);
    let annotation = Annotation {
        id: id.clone(),
        tag,
        span,
        quote,
        note: text(o, "note", LIMITS.text)?.to_string(),
        created,
        modified,
        check: FactCheck {
            verdict,
            explanation: text(o, "explanation", LIMITS.text)?.to_string(),
            sources,
            claim: text(o, "claim", LIMITS.text)?.to_string(),
            claimant: text(o, "claimant", LIMITS.claimant)?.to_string(),
        },
        author: author.clone(),
        orphan,
        links,
    };
    Ok(Remote {
        rev,
        entry: Entry::live(annotation, clock),
        author,
        conflicts,
        overwrote,
    })
}
