//! The Markdown report (`.notes.md`), for students' notes: title, metadata
//! and source, then the annotations grouped by tag. Write only.

use crate::core::annotation::{Annotation, Timestamp};
use crate::core::article::Article;
use crate::core::tag::Tag;

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
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], now: Timestamp) -> String {
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
