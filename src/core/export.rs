//! Export codecs: the formats annotations leave the browser in.
//!
//! - claimmark JSON ([`claimmark_json`]): ours, versioned and lossless;
//! - W3C Web Annotation ([`w3c_jsonld`]): an `AnnotationCollection`;
//! - CSV ([`csv`]): RFC 4180, one row per annotation, formula-safe;
//! - a Markdown report ([`markdown`]) grouped by tag;
//! - schema.org ClaimReview ([`claim_review`]) for fact-checkers.
//!
//! Every position counts Unicode code points over the article's canonical
//! text (blocks joined by "\n").

use serde::Serialize;

use super::annotation::{Annotation, Timestamp};
use super::article::{Article, Block, MetaField};
use super::factcheck::Verdict;
use super::tag::Tag;

/// The `format` field of claimmark JSON.
pub const FORMAT: &str = "claimmark";
/// The claimmark JSON version this build writes (and the newest it reads).
pub const VERSION: u32 = 1;
/// `generator` in exports.
pub const GENERATOR: &str = concat!("claimmark ", env!("CARGO_PKG_VERSION"));

/// One export format: its name in the menu, file extension and MIME type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Claimmark,
    W3c,
    Csv,
    Markdown,
    ClaimReview,
}

impl Format {
    pub const ALL: [Format; 5] = [
        Format::Claimmark,
        Format::W3c,
        Format::Csv,
        Format::Markdown,
        Format::ClaimReview,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Format::Claimmark => "claimmark JSON",
            Format::W3c => "W3C Web Annotation",
            Format::Csv => "CSV",
            Format::Markdown => "Markdown report",
            Format::ClaimReview => "ClaimReview",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Claimmark => "application/json",
            Format::W3c => "application/ld+json",
            Format::Csv => "text/csv;charset=utf-8",
            Format::Markdown => "text/markdown;charset=utf-8",
            Format::ClaimReview => "application/ld+json",
        }
    }

    /// The file name: the article's title made safe, and the extension.
    pub fn file_name(self, article: &Article) -> String {
        let stem = slug(&article.title);
        match self {
            Format::Claimmark => format!("{stem}.claimmark.json"),
            Format::W3c => format!("{stem}.annotations.jsonld"),
            Format::Csv => format!("{stem}.annotations.csv"),
            Format::Markdown => format!("{stem}.notes.md"),
            Format::ClaimReview => format!("{stem}.claimreview.jsonld"),
        }
    }
}

/// Everything an export needs besides the article and annotations.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub now: Timestamp,
    /// The user's name, for ClaimReview's `author`.
    pub author: Option<String>,
}

/// Export in `format`.
pub fn export(
    format: Format,
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
) -> String {
    match format {
        Format::Claimmark => claimmark_json(article, annotations, cx.now),
        Format::W3c => w3c_jsonld(article, annotations),
        Format::Csv => csv(annotations),
        Format::Markdown => markdown(article, annotations, cx.now),
        Format::ClaimReview => claim_review(article, annotations, cx),
    }
}

fn slug(title: &str) -> String {
    let mut s = String::new();
    for c in title.chars() {
        if c.is_alphanumeric() {
            s.extend(c.to_lowercase());
        } else if !s.ends_with('-') && !s.is_empty() {
            s.push('-');
        }
        if s.chars().count() >= 60 {
            break;
        }
    }
    let s = s.trim_end_matches('-');
    if s.is_empty() {
        "article".into()
    } else {
        s.into()
    }
}

/// The article's web address, when its source is one.
pub fn article_url(article: &Article) -> Option<&str> {
    article.source.as_deref().filter(|s| {
        let l = s.to_ascii_lowercase();
        l.starts_with("https://") || l.starts_with("http://")
    })
}

/// An IRI for the article: its URL, or a URN of its text's SHA-256.
pub fn article_iri(article: &Article) -> String {
    article_url(article)
        .map(str::to_string)
        .unwrap_or_else(|| format!("urn:sha256:{}", article.id.0))
}

// ---------------------------------------------------------------- claimmark

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
    text: &'a str,
    blocks: &'a [Block],
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
    created: String,
    modified: String,
}

/// claimmark JSON: the article (text, blocks, metadata) and every annotation.
pub fn claimmark_json(
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    now: Timestamp,
) -> String {
    let file = ClaimmarkFile {
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
            text: article.text(),
            blocks: &article.blocks,
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
                    verdict: a.verdict,
                    explanation: &a.explanation,
                    sources: &a.sources,
                    created: a.created.to_iso8601(),
                    modified: a.modified.to_iso8601(),
                }
            })
            .collect(),
    };
    serde_json::to_string_pretty(&file).unwrap_or_default()
}

// ---------------------------------------------------------------------- W3C

/// The Web Annotation JSON-LD context.
pub const W3C_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Page<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    start_index: usize,
    items: Vec<W3cAnnotation<'a>>,
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    modified: String,
    body: Vec<Body<'a>>,
    target: W3cTarget<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Text {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<&'static str>,
    },
    Link {
        id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
    },
}

#[derive(Serialize)]
struct W3cTarget<'a> {
    source: &'a str,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    TextPositionSelector {
        start: u32,
        end: u32,
    },
}

fn text_body<'a>(purpose: &'static str, value: &'a str, plain: bool) -> Body<'a> {
    Body::Text {
        kind: "TextualBody",
        purpose,
        value,
        format: plain.then_some("text/plain"),
    }
}

/// An `AnnotationCollection` with the annotations in one embedded page.
///
/// Bodies: the tag (`purpose: "tagging"`), the note (`"commenting"`), the
/// verdict (`"assessing"`, its label), the explanation (`"describing"`) and
/// each source link (a web resource with `purpose: "linking"`). An orphan's
/// target has only its `TextQuoteSelector`.
pub fn w3c_jsonld(article: &Article, annotations: &[impl AsRef<Annotation>]) -> String {
    let source = article_iri(article);
    let collection_id = format!("urn:sha256:{}#annotations", article.id.0);
    let items: Vec<W3cAnnotation> = annotations
        .iter()
        .map(|a| {
            let a = a.as_ref();
            let mut body = vec![text_body("tagging", a.tag.key(), false)];
            if !a.note.is_empty() {
                body.push(text_body("commenting", &a.note, true));
            }
            if let Some(v) = a.verdict {
                body.push(text_body("assessing", v.label(), false));
            }
            if !a.explanation.is_empty() {
                body.push(text_body("describing", &a.explanation, true));
            }
            for s in &a.sources {
                body.push(Body::Link {
                    id: s,
                    kind: "Text",
                    purpose: "linking",
                });
            }
            let mut selector = vec![Selector::TextQuoteSelector {
                exact: &a.quote.exact,
                prefix: &a.quote.prefix,
                suffix: &a.quote.suffix,
            }];
            if a.is_anchored() {
                selector.push(Selector::TextPositionSelector {
                    start: a.span.start(),
                    end: a.span.end(),
                });
            }
            W3cAnnotation {
                id: format!("urn:uuid:{}", a.id.as_str()),
                kind: "Annotation",
                motivation: if a.note.is_empty() {
                    "tagging"
                } else {
                    "commenting"
                },
                created: a.created.to_iso8601(),
                modified: a.modified.to_iso8601(),
                body,
                target: W3cTarget {
                    source: &source,
                    selector,
                },
            }
        })
        .collect();
    let total = items.len();
    let collection = Collection {
        context: W3C_CONTEXT,
        first: (total > 0).then(|| Page {
            id: format!("{collection_id}-page-1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        }),
        id: collection_id,
        kind: "AnnotationCollection",
        label: format!("Annotations on “{}”", article.title),
        total,
    };
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}

// ---------------------------------------------------------------------- CSV

/// The CSV header row.
pub const CSV_COLUMNS: [&str; 14] = [
    "id",
    "tag",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "note",
    "verdict",
    "explanation",
    "sources",
    "created",
    "modified",
    "placed",
];

/// One CSV cell, RFC 4180-quoted when needed, and neutralised against
/// spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading apostrophe, which spreadsheets show as text.
pub fn csv_cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let v = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// RFC 4180 CSV in UTF-8 with CRLF line ends, one row per annotation in
/// document order. Starts with a byte-order mark so spreadsheet programs
/// read it as UTF-8. Sources are separated by spaces (URLs hold none).
pub fn csv(annotations: &[impl AsRef<Annotation>]) -> String {
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for a in annotations {
        let a = a.as_ref();
        let placed = a.is_anchored();
        let cells = [
            a.id.as_str().to_string(),
            a.tag.key().to_string(),
            if placed {
                a.span.start().to_string()
            } else {
                String::new()
            },
            if placed {
                a.span.end().to_string()
            } else {
                String::new()
            },
            a.quote.exact.clone(),
            a.quote.prefix.clone(),
            a.quote.suffix.clone(),
            a.note.clone(),
            a.verdict.map(|v| v.label().to_string()).unwrap_or_default(),
            a.explanation.clone(),
            a.sources.join(" "),
            a.created.to_iso8601(),
            a.modified.to_iso8601(),
            if placed { "yes" } else { "no" }.to_string(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        out.push_str("\r\n");
    }
    out
}

// ----------------------------------------------------------------- Markdown

/// Escape text so Markdown shows it literally and never as HTML: every
/// ASCII punctuation character Markdown gives meaning to gets a backslash.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(
            c,
            '\\' | '`'
                | '*'
                | '_'
                | '['
                | ']'
                | '<'
                | '>'
                | '#'
                | '|'
                | '~'
                | '&'
                | '!'
                | '{'
                | '}'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// A Markdown report: title and source, then the annotations grouped by tag
/// in document order, each its quote, note, verdict and sources; orphans last.
pub fn markdown(
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    now: Timestamp,
) -> String {
    let mut out = format!("# {}\n\n", md_escape(&article.title));
    for m in &article.metadata {
        out.push_str(&format!("{}: {}  \n", m.kind.label(), md_escape(&m.value)));
    }
    if let Some(src) = &article.source {
        out.push_str(&format!("Source: {}  \n", md_escape(src)));
    }
    let date = now.to_iso8601();
    out.push_str(&format!(
        "Annotated with claimmark; exported {}. {} annotations.\n",
        &date[..10],
        annotations.len()
    ));
    let all: Vec<&Annotation> = annotations.iter().map(|a| a.as_ref()).collect();
    let groups = Tag::ALL
        .iter()
        .map(|&t| {
            (
                match t {
                    Tag::Fact => "Facts",
                    Tag::Quote => "Quotes",
                    Tag::Analysis => "Analysis",
                }
                .to_string(),
                all.iter()
                    .filter(|a| a.tag == t && a.is_anchored())
                    .copied()
                    .collect::<Vec<_>>(),
            )
        })
        .chain(std::iter::once((
            "Not found in the text".to_string(),
            all.iter().filter(|a| !a.is_anchored()).copied().collect(),
        )));
    for (name, items) in groups {
        if items.is_empty() {
            continue;
        }
        out.push_str(&format!("\n## {name} ({})\n", items.len()));
        for (i, a) in items.iter().enumerate() {
            let quote = md_escape(&a.quote.exact).replace('\n', "\n   > ");
            out.push_str(&format!("\n{}. > {quote}\n", i + 1));
            if !a.is_anchored() {
                out.push_str(&format!("\n   Tag: {}\n", a.tag.label()));
            }
            if !a.note.is_empty() {
                out.push_str(&format!(
                    "\n   Note: {}\n",
                    md_escape(&a.note).replace('\n', "\n   ")
                ));
            }
            if let Some(v) = a.verdict {
                let why = if a.explanation.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", md_escape(&a.explanation).replace('\n', " "))
                };
                out.push_str(&format!("\n   Verdict: **{}**{why}\n", v.label()));
            } else if !a.explanation.is_empty() {
                out.push_str(&format!(
                    "\n   Explanation: {}\n",
                    md_escape(&a.explanation)
                ));
            }
            if !a.sources.is_empty() {
                let links: Vec<String> = a.sources.iter().map(|s| format!("<{s}>")).collect();
                out.push_str(&format!("\n   Sources: {}\n", links.join(", ")));
            }
        }
    }
    out
}

// -------------------------------------------------------------- ClaimReview

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ClaimReview<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    #[serde(rename = "@type")]
    kind: &'static str,
    claim_reviewed: &'a str,
    review_rating: Rating,
    item_reviewed: Claim<'a>,
    date_published: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Person<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    citation: &'a [String],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rating {
    #[serde(rename = "@type")]
    kind: &'static str,
    alternate_name: &'static str,
    rating_value: i32,
    best_rating: i32,
    worst_rating: i32,
}

#[derive(Serialize)]
struct Claim<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    appearance: Option<Work<'a>>,
}

#[derive(Serialize)]
struct Work<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    url: &'a str,
    headline: &'a str,
}

#[derive(Serialize)]
struct Person<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

/// schema.org `ClaimReview` objects (a JSON array) for the fact annotations
/// that carry a verdict. Ratings run 1 (False) to 5 (True); Unverifiable is
/// -1, the usual "not rateable" value. `datePublished` is the day the
/// annotation was last changed.
pub fn claim_review(
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
) -> String {
    let url = article_url(article);
    let dates: Vec<(String, &Annotation)> = annotations
        .iter()
        .map(|a| a.as_ref())
        .filter(|a| a.tag == Tag::Fact && a.verdict.is_some())
        .map(|a| (a.modified.to_iso8601()[..10].to_string(), a))
        .collect();
    let author = cx
        .author
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let reviews: Vec<ClaimReview> = dates
        .iter()
        .filter_map(|(date, a)| {
            let v = a.verdict?;
            Some(ClaimReview {
                context: "https://schema.org",
                kind: "ClaimReview",
                claim_reviewed: &a.quote.exact,
                review_rating: Rating {
                    kind: "Rating",
                    alternate_name: v.label(),
                    rating_value: v.rating(),
                    best_rating: 5,
                    worst_rating: 1,
                },
                item_reviewed: Claim {
                    kind: "Claim",
                    appearance: url.map(|url| Work {
                        kind: "CreativeWork",
                        url,
                        headline: &article.title,
                    }),
                },
                date_published: date,
                author: author.map(|name| Person {
                    kind: "Person",
                    name,
                }),
                review_body: (!a.explanation.is_empty()).then_some(a.explanation.as_str()),
                citation: &a.sources,
            })
        })
        .collect();
    serde_json::to_string_pretty(&reviews).unwrap_or_default()
}
