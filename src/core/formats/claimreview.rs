//! schema.org `ClaimReview`, for fact-checkers publishing their checks.
//! Write only.
//!
//! One review per fact annotation with a verdict. `claimReviewed` is the
//! claim as checked (the quote when none was written); `itemReviewed` is
//! the `Claim`, with its claimant as `author` and, when anything is known
//! of the article, the article as its `appearance` (`url`, `headline`,
//! `datePublished`, `author`, `publisher`). `datePublished` of the review
//! is the day the annotation last changed. The review's own `url` (the page
//! that publishes it) is not known here and is left out.

use serde::Serialize;

use super::{article_url, Context};
use crate::core::annotation::Annotation;
use crate::core::article::Article;
use crate::core::links::{End, EndState, LinkKind};
use crate::core::tag::Tag;

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
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    review_body: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    citation: Vec<Cited<'a>>,
}

/// A citation: a source's address, or an annotation linked as evidence
/// (supporting or contradicting) — the passage quoted, in its article.
#[derive(Serialize)]
#[serde(untagged)]
enum Cited<'a> {
    Url(&'a str),
    Passage(Work<'a>),
}

/// One value or several: schema.org allows either, and one stays one
/// (so a review without links reads as before).
#[derive(Serialize)]
#[serde(untagged)]
enum OneOrMore<T> {
    One(T),
    More(Vec<T>),
}

impl<T> OneOrMore<T> {
    fn of(mut v: Vec<T>) -> Option<OneOrMore<T>> {
        match v.len() {
            0 => None,
            1 => v.pop().map(OneOrMore::One),
            _ => Some(OneOrMore::More(v)),
        }
    }
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
    /// Who made the claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    /// Where it appeared: this article, and the articles of the facts
    /// linked to it as the same claim.
    #[serde(skip_serializing_if = "Option::is_none")]
    appearance: Option<OneOrMore<Work<'a>>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Work<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    headline: &'a str,
    /// The passage, for a linked annotation cited as evidence.
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    date_published: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<Named<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    publisher: Option<Named<'a>>,
}

/// A `Person` or `Organization` by name.
#[derive(Serialize)]
struct Named<'a> {
    #[serde(rename = "@type")]
    kind: &'static str,
    name: &'a str,
}

fn person(name: &str) -> Option<Named<'_>> {
    let name = name.trim();
    (!name.is_empty()).then_some(Named {
        kind: "Person",
        name,
    })
}

/// schema.org `ClaimReview` objects (a JSON array) for the fact annotations
/// that carry a verdict. Ratings run 1 (False) to 5 (True); Unverifiable is
/// -1, the usual "not rateable" value.
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], cx: &Context) -> String {
    let d = &article.details;
    let url = article_url(article);
    let known = url.is_some() || d.published.is_some() || d.outlet.is_some() || d.author.is_some();
    let dates: Vec<(String, &Annotation)> = annotations
        .iter()
        .map(|a| a.as_ref())
        .filter(|a| reviewed(a))
        .map(|a| (a.modified.to_iso8601()[..10].to_string(), a))
        .collect();
    let reviews: Vec<ClaimReview> = dates
        .iter()
        .filter_map(|(date, a)| {
            let v = a.check.verdict?;
            let claim = a.check.claim.trim();
            Some(ClaimReview {
                context: "https://schema.org",
                kind: "ClaimReview",
                claim_reviewed: if claim.is_empty() {
                    &a.quote.exact
                } else {
                    claim
                },
                review_rating: Rating {
                    kind: "Rating",
                    alternate_name: v.label(),
                    rating_value: v.rating(),
                    best_rating: 5,
                    worst_rating: 1,
                },
                item_reviewed: Claim {
                    kind: "Claim",
                    author: person(&a.check.claimant),
                    appearance: OneOrMore::of(
                        known
                            .then(|| Work {
                                kind: "CreativeWork",
                                url,
                                headline: &article.title,
                                text: None,
                                date_published: d.published.as_deref(),
                                author: d.author.as_deref().and_then(person),
                                publisher: d.outlet.as_deref().map(|name| Named {
                                    kind: "Organization",
                                    name,
                                }),
                            })
                            .into_iter()
                            .chain(linked(a, article, cx, true).map(|e| elsewhere(e, false)))
                            .collect(),
                    ),
                },
                date_published: date,
                author: cx.author.as_deref().and_then(person),
                review_body: (!a.check.explanation.is_empty())
                    .then_some(a.check.explanation.as_str()),
                citation: a
                    .check
                    .sources
                    .iter()
                    .map(|s| Cited::Url(s))
                    .chain(
                        linked(a, article, cx, false).map(|e| Cited::Passage(elsewhere(e, true))),
                    )
                    .collect(),
            })
        })
        .collect();
    serde_json::to_string_pretty(&reviews).unwrap_or_default()
}

/// The live other ends, in other articles, of `a`'s links (out and in):
/// those of the same claim (`same`), or those given as evidence.
fn linked<'a>(
    a: &'a Annotation,
    article: &'a Article,
    cx: &'a Context,
    same: bool,
) -> impl Iterator<Item = &'a End> + 'a {
    let wanted = move |k: LinkKind| (k == LinkKind::SameClaim) == same;
    let out = a
        .links
        .iter()
        .filter(move |l| wanted(l.kind) && l.article != article.id)
        .filter_map(move |l| cx.ends.targets.get(&(l.article.clone(), l.id.clone())));
    let incoming = cx
        .ends
        .incoming
        .get(&a.id)
        .into_iter()
        .flatten()
        .filter(move |b| wanted(b.kind))
        .map(|b| &b.from);
    out.chain(incoming)
        .filter(|e| e.state == EndState::Live && !e.title.is_empty())
}

/// An annotation in another article as a `CreativeWork`: its article, and
/// (as evidence) the passage.
fn elsewhere(e: &End, passage: bool) -> Work<'_> {
    Work {
        kind: "CreativeWork",
        url: e.url.as_deref(),
        headline: &e.title,
        text: passage.then_some(e.quote.as_str()),
        date_published: None,
        author: None,
        publisher: None,
    }
}

/// Whether an annotation becomes a ClaimReview: a fact with a verdict.
pub fn reviewed(a: &Annotation) -> bool {
    a.tag == Tag::Fact && a.check.verdict.is_some()
}
