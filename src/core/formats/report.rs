//! The Markdown report (`.notes.md`), for students' notes: title and what is
//! known about the article (URL, date, outlet, author, source), then the
//! annotations grouped by tag. Write only.
//!
//! Every piece of text from the article or a person is escaped
//! ([`md_escape`]), so a Markdown viewer shows it as typed and never as
//! markup or HTML; sources are links whose text is the address as written.

use super::article_url;
use crate::core::annotation::Annotation;
use crate::core::article::Article;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// Escape text so Markdown shows it literally and never as HTML.
///
/// Inline: every ASCII punctuation character Markdown (or a common flavour:
/// GFM tables and strikethrough, `$` maths) gives meaning to gets a
/// backslash. At the start of each line (where the text may begin a block
/// inside the quote or list item it is written into): `-`, `+` and `=`
/// (lists, rules, setext underlines) get one too, and so does the `.` or
/// `)` after a number (numbered lists); leading spaces become no-break
/// spaces, which Markdown does not read as indentation (code blocks).
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 8);
    // A lone CR ends a line in Markdown too.
    let s = s.replace("\r\n", "\n").replace('\r', "\n");
    for (i, line) in s.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches([' ', '\t']);
        for c in line[..line.len() - body.len()].chars() {
            let n = if c == '\t' { 4 } else { 1 };
            out.extend(std::iter::repeat_n('\u{a0}', n));
        }
        // "12. " or "3) " at the start of a line: a numbered list item.
        let digits = body.bytes().take_while(u8::is_ascii_digit).count();
        let numbered = digits > 0 && matches!(body.as_bytes().get(digits), Some(b'.' | b')'));
        for (j, c) in body.char_indices() {
            let at_start = j == 0 && matches!(c, '-' | '+' | '=');
            let number_mark = numbered && j == digits;
            if at_start
                || number_mark
                || matches!(
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
                        | '$'
                )
            {
                out.push('\\');
            }
            out.push(c);
        }
    }
    out
}

/// A source as a Markdown link: its text the address as written (escaped),
/// its destination the address with the characters a destination cannot
/// hold percent-encoded.
fn md_link(url: &str) -> String {
    let mut dest = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '<' => dest.push_str("%3C"),
            '>' => dest.push_str("%3E"),
            '\\' => dest.push_str("%5C"),
            c => dest.push(c),
        }
    }
    format!("[{}](<{dest}>)", md_escape(url))
}

/// A Markdown report: title and what is known of the article, then the
/// annotations grouped by tag in document order, each its quote, note,
/// verdict, explanation, claim, claimant and sources; orphans last.
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], now: Timestamp) -> String {
    let mut out = format!("# {}\n\n", md_escape(&article.title));
    let d = &article.details;
    let url = article_url(article);
    if let Some(u) = url {
        out.push_str(&format!("URL: {}  \n", md_link(u)));
    }
    for (label, value) in [
        ("Published", &d.published),
        ("Outlet", &d.outlet),
        ("Author", &d.author),
    ] {
        if let Some(v) = value {
            out.push_str(&format!("{label}: {}  \n", md_escape(v)));
        }
    }
    // The text's own metadata, where the details do not already say it.
    for m in article.metadata_beyond_details() {
        out.push_str(&format!("{}: {}  \n", m.kind.label(), md_escape(&m.value)));
    }
    if let Some(src) = article.source.as_deref().filter(|s| Some(*s) != url) {
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
    // Continuation lines of a list item are indented three spaces.
    let indent = |s: &str| md_escape(s).replace('\n', "\n   ");
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
                out.push_str(&format!("\n   Note: {}\n", indent(&a.note)));
            }
            if !a.check.claim.is_empty() {
                out.push_str(&format!(
                    "\n   Claim as checked: {}\n",
                    indent(&a.check.claim)
                ));
            }
            if !a.check.claimant.is_empty() {
                out.push_str(&format!("\n   Claimant: {}\n", indent(&a.check.claimant)));
            }
            if let Some(v) = a.check.verdict {
                let why = if a.check.explanation.is_empty() {
                    String::new()
                } else {
                    format!(" — {}", md_escape(&a.check.explanation.replace('\n', " ")))
                };
                out.push_str(&format!("\n   Verdict: **{}**{why}\n", v.label()));
            } else if !a.check.explanation.is_empty() {
                out.push_str(&format!(
                    "\n   Explanation: {}\n",
                    indent(&a.check.explanation)
                ));
            }
            if !a.check.sources.is_empty() {
                let links: Vec<String> = a.check.sources.iter().map(|s| md_link(s)).collect();
                out.push_str(&format!("\n   Sources: {}\n", links.join(", ")));
            }
        }
    }
    out
}
