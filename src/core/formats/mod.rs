//! The formats annotations leave the browser in and come back from, one
//! file per format with its reading and writing side by side:
//!
//! | format | write | read |
//! |---|---|---|
//! | [`claimmark`] JSON: ours, versioned and lossless | yes | yes |
//! | [`w3c`] Web Annotation: an `AnnotationCollection` | yes | yes |
//! | [`hypothesis`] export | — | yes |
//! | [`csv`]: RFC 4180, one row per annotation, formula-safe | yes | — |
//! | [`report`]: a Markdown report grouped by tag | yes | — |
//! | [`claimreview`]: schema.org ClaimReview for fact-checkers | yes | — |
//! | [`page`]: an annotated page (HTML), self-contained, no script | yes | — |
//! | [`library`]: a backup of every stored article (claimmark JSON) | yes | yes |
//!
//! [`read()`] recognises a file's format and reads it into [`Incoming`]
//! annotations ([`read`] module); [`export()`] writes one. Every position
//! counts Unicode code points over the article's canonical text (blocks
//! joined by "\n").

pub mod claimmark;
pub mod claimreview;
pub mod csv;
pub mod hypothesis;
pub mod incoming;
pub(crate) mod json;
pub mod library;
pub mod page;
pub mod read;
pub mod report;
pub mod w3c;

pub use incoming::{
    FileArticle, ImportError, Incoming, IncomingTag, Parsed, Source, MAX_ANNOTATIONS, MAX_DEPTH,
    MAX_IMPORT_BYTES, NO_TAG,
};
pub use read::{read, read_owned};

use crate::core::annotation::Annotation;

use crate::core::article::Article;
use crate::core::time::Timestamp;

/// One export format: its name in the menu, file extension and MIME type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Format {
    Claimmark,
    W3c,
    Csv,
    Markdown,
    ClaimReview,
    /// The annotated page: one self-contained HTML file.
    Page,
}

impl Format {
    pub const ALL: [Format; 6] = [
        Format::Claimmark,
        Format::W3c,
        Format::Csv,
        Format::Markdown,
        Format::ClaimReview,
        Format::Page,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Format::Claimmark => "claimmark JSON",
            Format::W3c => "W3C Web Annotation",
            Format::Csv => "CSV",
            Format::Markdown => "Markdown report",
            Format::ClaimReview => "ClaimReview",
            Format::Page => "Annotated page (HTML)",
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Claimmark => "application/json",
            Format::W3c => "application/ld+json",
            Format::Csv => "text/csv;charset=utf-8",
            Format::Markdown => "text/markdown;charset=utf-8",
            Format::ClaimReview => "application/ld+json",
            Format::Page => "text/html;charset=utf-8",
        }
    }

    /// How many of `annotations` a file in this format holds: ClaimReview
    /// holds only the facts with a verdict, every other format all of them.
    pub fn holds(self, annotations: &[impl AsRef<Annotation>]) -> usize {
        match self {
            Format::ClaimReview => annotations
                .iter()
                .filter(|a| claimreview::reviewed(a.as_ref()))
                .count(),
            _ => annotations.len(),
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
            Format::Page => format!("{stem}.annotated.html"),
        }
    }
}

/// Everything an export needs besides the article and annotations.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub now: Timestamp,
    /// The user's name, for ClaimReview's `author`.
    pub author: Option<String>,
    /// The other ends of links, as the library knows them (the annotated
    /// page, print and ClaimReview show them).
    pub ends: std::rc::Rc<crate::core::links::Ends>,
}

/// Export in `format`.
pub fn export(
    format: Format,
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
) -> String {
    match format {
        Format::Claimmark => claimmark::write(article, annotations, cx.now),
        Format::W3c => w3c::write(article, annotations),
        Format::Csv => csv::write(article, annotations),
        Format::Markdown => report::write(article, annotations, cx.now),
        Format::ClaimReview => claimreview::write(article, annotations, cx),
        Format::Page => page::write(article, annotations, cx),
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

/// The article's web address, when known (its details' URL: prefilled from
/// a source that is one, editable in "Article details").
pub fn article_url(article: &Article) -> Option<&str> {
    article.details.url.as_deref()
}

/// An IRI for the article: its URL, or a URN of its text's SHA-256.
pub fn article_iri(article: &Article) -> String {
    article_url(article)
        .map(str::to_string)
        .unwrap_or_else(|| format!("urn:sha256:{}", article.id.0))
}
