//! Links between annotations: a claim and its evidence, a claim and
//! another that contradicts it, two wordings of the same claim — in one
//! article or across articles.
//!
//! A link lives on the annotation it was made from (its *source*), as
//! `links: [{article, id, kind}]`, so it travels wherever the annotation
//! does: storage, the merge rule, team sync, every format. Its *target* is
//! named by article and annotation id and shows the link too (a backlink,
//! found through the library's search index, `core::search`). A deletion
//! keeps the links its annotation had (see `core::merge::Entry::links`),
//! so when either end is deleted the other still shows the link — as
//! broken — and Undo brings it back whole. Nothing here needs the other
//! end to exist: a link to an annotation in an article not stored in this
//! browser is kept, and shown as such.

use serde::{Deserialize, Serialize};

use super::id::AnnotationId;
use super::id::ArticleId;

/// The most links one annotation may have (the team's rules say the same).
pub const MAX_LINKS: usize = 100;

/// What a link says about its source and its target.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum LinkKind {
    /// The source is evidence for the target.
    #[serde(rename = "supports")]
    Supports,
    /// The source contradicts the target (and so the target the source).
    #[serde(rename = "contradicts")]
    Contradicts,
    /// Both are the same claim (in other words, or in another article).
    #[serde(rename = "same-claim")]
    SameClaim,
}

impl LinkKind {
    pub const ALL: [LinkKind; 3] = [
        LinkKind::Supports,
        LinkKind::Contradicts,
        LinkKind::SameClaim,
    ];

    /// The key in files and documents: `supports`, `contradicts`, `same-claim`.
    pub fn key(self) -> &'static str {
        match self {
            LinkKind::Supports => "supports",
            LinkKind::Contradicts => "contradicts",
            LinkKind::SameClaim => "same-claim",
        }
    }

    pub fn parse(s: &str) -> Option<LinkKind> {
        LinkKind::ALL
            .into_iter()
            .find(|k| k.key().eq_ignore_ascii_case(s.trim()))
    }

    /// Its name as a choice: "Supports", "Contradicts", "Same claim".
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Supports => "Supports",
            LinkKind::Contradicts => "Contradicts",
            LinkKind::SameClaim => "Same claim",
        }
    }

    /// What the source end says of its target: "Supports", "Contradicts",
    /// "Same claim as".
    pub fn outgoing(self) -> &'static str {
        match self {
            LinkKind::Supports => "Supports",
            LinkKind::Contradicts => "Contradicts",
            LinkKind::SameClaim => "Same claim as",
        }
    }

    /// What the target end says of the source: "Supported by",
    /// "Contradicted by", "Same claim as".
    pub fn incoming(self) -> &'static str {
        match self {
            LinkKind::Supports => "Supported by",
            LinkKind::Contradicts => "Contradicted by",
            LinkKind::SameClaim => "Same claim as",
        }
    }
}

/// One link, as its source annotation holds it: where it points, and what
/// it says.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct LinkTo {
    pub article: ArticleId,
    pub id: AnnotationId,
    pub kind: LinkKind,
}

impl LinkTo {
    /// Whether it points at annotation `id` of `article`.
    pub fn points_at(&self, article: &ArticleId, id: &AnnotationId) -> bool {
        self.id == *id && self.article == *article
    }
}

/// An annotation id as a link may name one: 1 to 200 characters, no
/// control characters (what import and the team's rules accept).
pub fn is_link_id(s: &str) -> bool {
    !s.is_empty() && s.chars().count() <= 200 && !s.chars().any(char::is_control)
}

/// An article id as claimmark makes them: 64 lowercase hex digits.
pub fn is_article_id(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// `links` as they may be kept: well-formed ends, no link to itself
/// (`from`), each target once (the later of two kinds for one target
/// wins), at most [`MAX_LINKS`]. What readers of files and documents apply.
pub fn tidy(links: Vec<LinkTo>, from: (&ArticleId, &AnnotationId)) -> Vec<LinkTo> {
    let mut out: Vec<LinkTo> = Vec::with_capacity(links.len().min(MAX_LINKS));
    for l in links {
        if !is_article_id(&l.article.0) || !is_link_id(l.id.as_str()) || l.points_at(from.0, from.1)
        {
            continue;
        }
        match out.iter().position(|o| o.points_at(&l.article, &l.id)) {
            Some(i) => out[i].kind = l.kind,
            None if out.len() < MAX_LINKS => out.push(l),
            None => {}
        }
    }
    out
}

/// What has become of a link's other end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum EndState {
    /// It is there.
    Live,
    /// It was deleted (its article keeps the deletion): the link is broken.
    Deleted,
    /// Its article is stored here but holds no annotation of that id.
    Missing,
    /// Its article is not stored in this browser.
    Elsewhere,
}

impl EndState {
    /// Whether the link can be followed.
    pub fn is_live(self) -> bool {
        self == EndState::Live
    }

    /// Why it cannot be followed, in words ("" when it can).
    pub fn why(self) -> &'static str {
        match self {
            EndState::Live => "",
            EndState::Deleted => "link broken: that annotation was deleted",
            EndState::Missing => "link broken: that annotation is not in its article",
            EndState::Elsewhere => "in an article not stored in this browser",
        }
    }
}

/// One annotation at the other end of a link, as far as it is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct End {
    pub article: ArticleId,
    pub id: AnnotationId,
    pub state: EndState,
    /// Its article's name (empty when not stored here).
    pub title: String,
    /// Its article's web address, when known.
    pub url: Option<String>,
    /// Its quote (empty unless live).
    pub quote: String,
}

/// A link into one of this article's annotations from another annotation.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Backlink {
    pub from: End,
    pub kind: LinkKind,
}

/// What writers that show links (the annotated page and print, ClaimReview)
/// know of the other ends: the annotations links point to, and the links
/// pointing in from other articles. Built by the app from the library's
/// index (`core::search`); empty, every other end is "in another article".
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ends {
    /// The other ends of this article's links, by article and id.
    pub targets: std::collections::HashMap<(ArticleId, AnnotationId), End>,
    /// Links from other articles, by the id of the annotation here they
    /// point to (links within the article are read from its annotations).
    pub incoming: std::collections::HashMap<AnnotationId, Vec<Backlink>>,
}

impl Ends {
    /// The other end `to` names, as known (else "elsewhere").
    pub fn end(&self, to: &LinkTo) -> End {
        self.targets
            .get(&(to.article.clone(), to.id.clone()))
            .cloned()
            .unwrap_or_else(|| End {
                article: to.article.clone(),
                id: to.id.clone(),
                state: EndState::Elsewhere,
                title: String::new(),
                url: None,
                quote: String::new(),
            })
    }
}

/// A quote cut to `max` characters, with "…" where cut.
pub fn short(quote: &str, max: usize) -> String {
    let quote = quote.split_whitespace().collect::<Vec<_>>().join(" ");
    if quote.chars().count() <= max {
        return quote;
    }
    let cut: String = quote.chars().take(max).collect();
    format!("{}…", cut.trim_end())
}
