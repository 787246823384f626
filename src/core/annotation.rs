//! Annotations: a tagged span of the article with its quote and a note.

use serde::{Deserialize, Serialize};

use super::article::Article;
use super::factcheck::FactCheck;
use super::id::AnnotationId;
use super::links::LinkTo;
use super::offset::Span;
use super::tag::Tag;
use super::time::Timestamp;

/// Code points of context kept before and after each quote.
pub const CONTEXT_CHARS: u32 = 32;

/// The quoted text with some context either side (a W3C TextQuoteSelector).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

impl TextQuote {
    /// The quote of `span` in `article`, with up to [`CONTEXT_CHARS`] either side.
    pub fn of(article: &Article, span: Span) -> TextQuote {
        let len = article.len_chars();
        let pre_start = span.start().saturating_sub(CONTEXT_CHARS);
        let suf_end = (span.end() + CONTEXT_CHARS).min(len);
        // One indexed lookup, then a walk of at most 64 + quote characters
        // (this runs for every annotation when a record is read).
        let text = article.text();
        let from = article.index().byte_of(text, pre_start);
        let mut bounds = [text.len(); 3];
        let targets = [span.start(), span.end(), suf_end];
        let mut k = 0;
        for (cp, (b, _)) in (pre_start..).zip(text[from..].char_indices()) {
            while k < 3 && cp == targets[k] {
                bounds[k] = from + b;
                k += 1;
            }
            if k == 3 {
                break;
            }
        }
        TextQuote {
            exact: text[bounds[0]..bounds[1]].to_string(),
            prefix: text[from..bounds[0]].to_string(),
            suffix: text[bounds[1]..bounds[2]].to_string(),
        }
    }
}

/// One annotation on the open article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub tag: Tag,
    pub span: Span,
    pub quote: TextQuote,
    #[serde(default)]
    pub note: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// A fact-checker's verdict, explanation, sources, claim and claimant.
    #[serde(flatten)]
    pub check: FactCheck,
    /// Who made it: the team member (a CouchDB user name) signed in when it
    /// was created; `None` for work done without a team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Not placed on the text: imported or carried over from another version
    /// of the article and not found. Its span is empty and meaningless; its
    /// quote says what it was. Shown in the panel, never painted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// Links from this annotation to others, here or in other articles
    /// (see [`super::links`]): supports, contradicts, same claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTo>,
}

impl Annotation {
    /// A new annotation of `span`, its quote taken from the article.
    pub fn new(
        id: AnnotationId,
        tag: Tag,
        article: &Article,
        span: Span,
        now: Timestamp,
    ) -> Annotation {
        Annotation {
            id,
            tag,
            span,
            quote: TextQuote::of(article, span),
            note: String::new(),
            created: now,
            modified: now,
            check: FactCheck::default(),
            author: None,
            orphan: false,
            links: Vec::new(),
        }
    }

    /// Placed on the text (not an orphan).
    pub fn is_anchored(&self) -> bool {
        !self.orphan
    }

    /// The order of the side panel: document order, then longer first, then id.
    pub fn doc_order(&self, other: &Annotation) -> std::cmp::Ordering {
        self.span
            .start()
            .cmp(&other.span.start())
            .then(other.span.end().cmp(&self.span.end()))
            .then(self.id.cmp(&other.id))
    }
}

impl AsRef<Annotation> for Annotation {
    fn as_ref(&self) -> &Annotation {
        self
    }
}
