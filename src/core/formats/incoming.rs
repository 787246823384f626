//! What every reader of annotation files reads into — [`Incoming`]
//! annotations, the article a file may carry, which format it was in — and
//! why a file cannot be read. Shared by the format readers; the choice of
//! reader is [`super::read`]'s.

use std::fmt;

use crate::core::anchor::Target;
use crate::core::article::{Article, Block, Details, Link, MetaField};
use crate::core::factcheck::FactCheck;
use crate::core::id::ArticleId;
use crate::core::parse::decode::DecodeError;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

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
    /// A claimmark JSON file of a newer version than this build reads
    /// (`found`, `reads`).
    NewerVersion {
        found: u64,
        reads: u64,
    },
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
            ImportError::NewerVersion { found, reads } => write!(
                f,
                "the file is claimmark JSON version {found}, made by a newer claimmark; this one reads up to version {reads}"
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
    /// Verdict, explanation, sources, claim and claimant.
    pub check: FactCheck,
    /// Who made it (a team member's name), when the file says.
    pub author: Option<String>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    /// When it last changed anywhere (the sync stamp); only library backups
    /// carry it.
    pub changed: Option<Timestamp>,
    /// Its life (see `core::merge`); only library backups carry it.
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
