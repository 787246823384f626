//! What the first module asks of the second, as JSON both ways.
//!
//! The release app is two wasm modules (docs/architecture.md, "Two
//! modules"): the first reads, selects, tags and saves; the second (the
//! `later/` crate, loaded when first used) holds the parts a first visit
//! never needs — the export writers and the Markdown reader with
//! pulldown-cmark. wasm-bindgen gives each module its own memory, so what
//! crosses is text: the first module writes a request here
//! ([`export_request`], [`markdown_request`]), the second runs it
//! ([`run_export`], [`run_markdown`]) and the first reads the reply
//! ([`article_of`]). The article crosses as its stored form
//! ([`StoredArticle`]), checked again on arrival like any record read.
//!
//! Both sides are this one crate, so the two ends cannot disagree on a
//! shape; the round trip is tested natively below.

use serde::{Deserialize, Serialize};

use crate::core::annotation::Annotation;
use crate::core::article::Article;
use crate::core::formats::{self, Context, Format};
use crate::core::id::{AnnotationId, ArticleId};
use crate::core::links::{Backlink, End, Ends};
use crate::core::parse::{parse_markdown, FileText};
use crate::core::storage::layout::StoredArticle;
use crate::core::time::Timestamp;

/// An export: everything [`formats::export`] takes.
#[derive(Serialize, Deserialize)]
struct ExportJob<A> {
    format: Format,
    article: StoredArticle,
    annotations: Vec<A>,
    now: Timestamp,
    author: Option<String>,
    /// [`Ends::targets`] (each keyed by its own article and id).
    targets: Vec<End>,
    /// [`Ends::incoming`].
    incoming: Vec<(AnnotationId, Vec<Backlink>)>,
}

/// The request for an export in `format`.
pub fn export_request(
    format: Format,
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
) -> String {
    let job = ExportJob {
        format,
        article: StoredArticle::of(article),
        annotations: annotations.iter().map(AsRef::as_ref).collect(),
        now: cx.now,
        author: cx.author.clone(),
        targets: cx.ends.targets.values().cloned().collect(),
        incoming: cx
            .ends
            .incoming
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    };
    serde_json::to_string(&job).unwrap_or_default()
}

/// Run an export request: the file's text.
pub fn run_export(request: &str) -> Result<String, String> {
    let job: ExportJob<Annotation> =
        serde_json::from_str(request).map_err(|e| format!("a malformed export request: {e}"))?;
    let article = job.article.build().map_err(|e| e.to_string())?;
    let ends = Ends {
        targets: job
            .targets
            .into_iter()
            .map(|e| ((e.article.clone(), e.id.clone()), e))
            .collect::<std::collections::HashMap<(ArticleId, AnnotationId), End>>(),
        incoming: job.incoming.into_iter().collect(),
    };
    let cx = Context {
        now: job.now,
        author: job.author,
        ends: std::rc::Rc::new(ends),
    };
    Ok(formats::export(job.format, &article, &job.annotations, &cx))
}

/// A Markdown file to read.
#[derive(Serialize, Deserialize)]
struct MarkdownJob {
    text: String,
    fallback: String,
    source: Option<String>,
}

/// The request to read `file` (decoded Markdown) into an article.
pub fn markdown_request(file: &FileText) -> String {
    serde_json::to_string(&MarkdownJob {
        text: file.text.clone(),
        fallback: file.fallback.clone(),
        source: file.source.clone(),
    })
    .unwrap_or_default()
}

/// Run a Markdown request: the article, in its stored form.
pub fn run_markdown(request: &str) -> Result<String, String> {
    let job: MarkdownJob =
        serde_json::from_str(request).map_err(|e| format!("a malformed Markdown request: {e}"))?;
    let article = parse_markdown(&job.text, &job.fallback, job.source);
    serde_json::to_string(&StoredArticle::of(&article)).map_err(|e| e.to_string())
}

/// The article a reply holds, checked as a stored record is.
pub fn article_of(reply: &str) -> Result<Article, String> {
    let stored: StoredArticle =
        serde_json::from_str(reply).map_err(|e| format!("a malformed reply: {e}"))?;
    stored.build().map_err(|e| e.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::links::{EndState, LinkKind, LinkTo};
    use crate::core::offset::Span;
    use crate::core::parse::{decode_file, Kind};
    use crate::core::tag::Tag;
    use crate::core::{seed_article, FactCheck, Verdict};
    use std::rc::Rc;

    fn annotations(article: &Article) -> Vec<Annotation> {
        let mut list = vec![];
        for (i, (tag, start)) in [(Tag::Fact, 10), (Tag::Quote, 200), (Tag::Analysis, 400)]
            .into_iter()
            .enumerate()
        {
            let mut a = Annotation::new(
                AnnotationId::from_string(&format!("a{i}")),
                tag,
                article,
                Span::new(start, start + 25),
                Timestamp(1_700_000_000_000 + i as i64),
            );
            a.note = format!("note {i} with \"quotes\", a comma and 😀");
            if tag == Tag::Fact {
                a.check = FactCheck {
                    verdict: Some(Verdict::False),
                    sources: vec!["https://example.org/a".into()],
                    claim: "the claim".into(),
                    ..FactCheck::default()
                };
                a.links.push(LinkTo {
                    kind: LinkKind::Contradicts,
                    article: ArticleId("b".repeat(64)),
                    id: AnnotationId::from_string("far"),
                });
            }
            list.push(a);
        }
        list
    }

    fn context(article: &Article) -> Context {
        let far = End {
            article: ArticleId("b".repeat(64)),
            id: AnnotationId::from_string("far"),
            state: EndState::Live,
            title: "Another article".into(),
            url: Some("https://example.org/other".into()),
            quote: "what it says".into(),
        };
        let mut ends = Ends::default();
        ends.targets
            .insert((far.article.clone(), far.id.clone()), far.clone());
        ends.incoming.insert(
            AnnotationId::from_string("a1"),
            vec![Backlink {
                from: End {
                    article: article.id.clone(),
                    ..far
                },
                kind: LinkKind::Supports,
            }],
        );
        Context {
            now: Timestamp(1_750_000_000_000),
            author: Some("Ana".into()),
            ends: Rc::new(ends),
        }
    }

    /// Every format written through a request is the file written in place.
    #[test]
    fn an_export_through_a_request_is_the_same_file() {
        let article = seed_article();
        let list = annotations(&article);
        let cx = context(&article);
        for format in Format::ALL {
            let direct = formats::export(format, &article, &list, &cx);
            let request = export_request(format, &article, &list, &cx);
            assert_eq!(run_export(&request).unwrap(), direct, "{format:?}");
        }
    }

    /// A Markdown file read through a request is the article read in place.
    #[test]
    fn a_markdown_article_through_a_request_is_the_same_article() {
        let md = "# Héadline\n\nBy Ana · March 3, 2026\n\nA [link](https://example.org) and 😀 in **bold**.\n\n- one\n- two\n\n> quoted\n";
        let file = decode_file("notes.md", md.as_bytes()).unwrap();
        assert_eq!(file.kind, Kind::Markdown);
        let direct = parse_markdown(&file.text, &file.fallback, file.source.clone());
        let reply = run_markdown(&markdown_request(&file)).unwrap();
        let back = article_of(&reply).unwrap();
        assert_eq!(back.text(), direct.text());
        assert_eq!(back.id, direct.id);
        assert_eq!(back.links(), direct.links());
        assert_eq!(back.metadata, direct.metadata);
        assert_eq!(back.title, direct.title);
    }

    #[test]
    fn a_malformed_request_or_reply_is_an_error_not_a_panic() {
        assert!(run_export("{").is_err());
        assert!(run_export("{\"format\":\"Csv\"}").is_err());
        assert!(run_markdown("[]").is_err());
        assert!(article_of("null").is_err());
        // A reply whose text does not match its id is refused, as a record is.
        let mut stored = StoredArticle::of(&seed_article());
        stored.text.push('!');
        assert!(article_of(&serde_json::to_string(&stored).unwrap()).is_err());
    }
}
