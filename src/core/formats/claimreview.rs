//! schema.org `ClaimReview`, for fact-checkers publishing their checks.
//! Write only.

use serde::Serialize;

use super::{article_url, Context};
use crate::core::annotation::Annotation;
use crate::core::article::Article;
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
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], cx: &Context) -> String {
    let url = article_url(article);
    let dates: Vec<(String, &Annotation)> = annotations
        .iter()
        .map(|a| a.as_ref())
        .filter(|a| reviewed(a))
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

/// Whether an annotation becomes a ClaimReview: a fact with a verdict.
pub fn reviewed(a: &Annotation) -> bool {
    a.tag == Tag::Fact && a.verdict.is_some()
}
