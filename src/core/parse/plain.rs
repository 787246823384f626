//! Plain text → [`Article`].
//!
//! Plain text carries its structure in layout only, so this reads it the way a
//! person would:
//! - the first line is the headline; when it packs several fields separated by
//!   "/ " (as news-site copies often do), the first is the headline, short ones
//!   are metadata (outlet, dateline, author, programme) and a long last one is
//!   the standfirst;
//! - blank lines separate blocks; inside a blank-line chunk each line is its own
//!   block unless the chunk is hard-wrapped (short lines), when lines join;
//! - `- `, `* `, `• `, `1. ` start list items, `> ` a block quote, `# ` a heading;
//! - a short line with no closing punctuation is a heading; one that repeats the
//!   headline is dropped;
//! - trailing site chrome ("You must Register or Login to post a comment.") is
//!   not article text.

use crate::core::article::{Article, BlockKind, MetaField, MetaKind};

/// Title used when the text has no line that reads as a headline.
pub const UNTITLED: &str = "Untitled article";

/// Longest line (in chars) still read as part of a hard-wrapped paragraph.
const WRAP_WIDTH: usize = 100;
/// Most words a heading may have.
const HEADING_MAX_WORDS: usize = 12;

/// Parse plain text into an article. Never fails: any text is some article.
pub fn parse_plain_text(input: &str, source: Option<String>) -> Article {
    let text = normalise_newlines(input);
    let mut lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    strip_trailing_chrome(&mut lines);

    let mut parts: Vec<(BlockKind, String)> = Vec::new();
    let mut metadata = Vec::new();
    let mut title: Option<String> = None;

    // The headline: the first non-blank line.
    let first = lines.iter().position(|l| !l.trim().is_empty());
    let mut rest_from = 0;
    if let Some(i) = first {
        let line = lines[i].trim();
        rest_from = i + 1;
        let fields: Vec<&str> = line
            .split("/ ")
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .collect();
        if fields.len() >= 3 {
            title = Some(fields[0].to_string());
            parts.push((BlockKind::Title, fields[0].to_string()));
            let mut meta_fields = &fields[1..];
            let mut standfirst = None;
            if let Some(last) = meta_fields.last() {
                if !is_meta_like(last) {
                    standfirst = Some(last.to_string());
                    meta_fields = &meta_fields[..meta_fields.len() - 1];
                }
            }
            metadata = classify_metadata(meta_fields);
            if let Some(s) = standfirst {
                parts.push((BlockKind::Standfirst, s));
            }
        } else if is_heading_like(line) {
            title = Some(strip_heading_marks(line).to_string());
            parts.push((BlockKind::Title, strip_heading_marks(line).to_string()));
        } else {
            rest_from = i;
        }
    }

    for chunk in lines[rest_from..].split(|l| l.trim().is_empty()) {
        if chunk.is_empty() {
            continue;
        }
        parse_chunk(chunk, title.as_deref(), &mut parts);
    }

    Article::from_blocks(UNTITLED, metadata, source, parts)
}

/// Strip a BOM and turn CRLF and lone CR into LF.
pub fn normalise_newlines(input: &str) -> String {
    let s = input.strip_prefix('\u{feff}').unwrap_or(input);
    s.replace("\r\n", "\n").replace('\r', "\n")
}

fn parse_chunk(chunk: &[&str], title: Option<&str>, parts: &mut Vec<(BlockKind, String)>) {
    let plain: Vec<&str> = chunk
        .iter()
        .copied()
        .filter(|l| classify_line(l).is_none())
        .collect();
    // A chunk is hard-wrapped when its plain lines (all but the last) are short.
    let wrapped = plain.len() >= 2
        && plain[..plain.len() - 1]
            .iter()
            .all(|l| l.chars().count() <= WRAP_WIDTH);
    let mut para: Option<String> = None;
    let mut prev_quote = false;
    for line in chunk {
        match classify_line(line) {
            Some((kind, body)) => {
                if let Some(p) = para.take() {
                    parts.push((BlockKind::Paragraph, p));
                }
                if matches!(kind, BlockKind::Heading(_)) && is_repeat_of_title(body, title) {
                    prev_quote = false;
                    continue;
                }
                // Consecutive "> " lines are one quotation.
                if kind == BlockKind::BlockQuote && prev_quote {
                    if let Some((_, q)) = parts.last_mut() {
                        q.push(' ');
                        q.push_str(body);
                        continue;
                    }
                }
                prev_quote = kind == BlockKind::BlockQuote;
                parts.push((kind, body.to_string()));
            }
            None => {
                prev_quote = false;
                let line = line.trim();
                if wrapped {
                    match para.as_mut() {
                        Some(p) => {
                            p.push(' ');
                            p.push_str(line);
                        }
                        None => para = Some(line.to_string()),
                    }
                } else if is_heading_like(line) {
                    if !is_repeat_of_title(line, title) {
                        parts.push((BlockKind::Heading(2), line.to_string()));
                    }
                } else {
                    parts.push((BlockKind::Paragraph, line.to_string()));
                }
            }
        }
    }
    if let Some(p) = para.take() {
        parts.push((BlockKind::Paragraph, p));
    }
}

/// A line with an explicit marker: list item, block quote or `#` heading.
fn classify_line(line: &str) -> Option<(BlockKind, &str)> {
    let t = line.trim_start();
    for marker in ["- ", "* ", "• ", "– "] {
        if let Some(rest) = t.strip_prefix(marker) {
            return Some((BlockKind::ListItem, rest.trim()));
        }
    }
    if let Some(rest) = t.strip_prefix("> ").or_else(|| t.strip_prefix('>')) {
        return Some((BlockKind::BlockQuote, rest.trim()));
    }
    let hashes = t.chars().take_while(|&c| c == '#').count();
    if (1..=6).contains(&hashes) && t[hashes..].starts_with(' ') {
        return Some((BlockKind::Heading(hashes.max(2) as u8), t[hashes..].trim()));
    }
    // "1. item" / "12) item"
    let digits = t.chars().take_while(char::is_ascii_digit).count();
    if (1..=3).contains(&digits) {
        let rest = &t[digits..];
        if let Some(body) = rest.strip_prefix(". ").or_else(|| rest.strip_prefix(") ")) {
            return Some((BlockKind::ListItem, body.trim()));
        }
    }
    None
}

fn strip_heading_marks(line: &str) -> &str {
    line.trim_start_matches('#').trim()
}

/// Short, starts with a capital or digit, and does not end like a sentence.
fn is_heading_like(line: &str) -> bool {
    let line = strip_heading_marks(line);
    let words = line.split_whitespace().count();
    let Some(first) = line.chars().next() else {
        return false;
    };
    let last = line
        .trim_end_matches(['"', '\'', '”', '’', ')', ']'])
        .chars()
        .last()
        .unwrap_or(' ');
    (1..=HEADING_MAX_WORDS).contains(&words)
        && line.chars().count() <= 90
        && (first.is_uppercase() || first.is_ascii_digit() || first == '“' || first == '"')
        && line.chars().any(char::is_alphabetic)
        && !matches!(last, '.' | ',' | ';' | ':' | '!' | '?' | '…')
}

/// Metadata fields are short and do not end like a sentence.
fn is_meta_like(field: &str) -> bool {
    field.split_whitespace().count() <= 6 && !field.ends_with(['.', '!', '?'])
}

fn is_repeat_of_title(line: &str, title: Option<&str>) -> bool {
    title.is_some_and(|t| normalise_for_compare(t) == normalise_for_compare(line))
}

fn normalise_for_compare(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Name each metadata field: an all-capitals one is the dateline, one like
/// "J. Mansour" or "By Jane Doe" the author, one with a year a date; of the
/// rest the first is the outlet and the next the programme.
fn classify_metadata(fields: &[&str]) -> Vec<MetaField> {
    let mut out: Vec<MetaField> = Vec::with_capacity(fields.len());
    for f in fields {
        let kind = if is_all_caps(f) {
            MetaKind::Dateline
        } else if is_author_like(f) {
            MetaKind::Author
        } else if has_year(f) {
            MetaKind::Date
        } else if !out.iter().any(|m| m.kind == MetaKind::Outlet) {
            MetaKind::Outlet
        } else if !out.iter().any(|m| m.kind == MetaKind::Programme) {
            MetaKind::Programme
        } else {
            MetaKind::Other
        };
        let value = f.strip_prefix("By ").unwrap_or(f).trim().to_string();
        out.push(MetaField { kind, value });
    }
    out
}

fn is_all_caps(s: &str) -> bool {
    let letters: Vec<char> = s.chars().filter(|c| c.is_alphabetic()).collect();
    letters.len() >= 2 && letters.iter().all(|c| c.is_uppercase())
}

fn is_author_like(s: &str) -> bool {
    if s.starts_with("By ") {
        return true;
    }
    // An initial ("J.") followed by a capitalised surname.
    let words: Vec<&str> = s.split_whitespace().collect();
    words.len() >= 2
        && words.len() <= 4
        && words.iter().any(|w| {
            let cs: Vec<char> = w.chars().collect();
            cs.len() == 2 && cs[0].is_uppercase() && cs[1] == '.'
        })
        && words
            .iter()
            .all(|w| w.chars().next().is_some_and(char::is_uppercase))
}

fn has_year(s: &str) -> bool {
    s.split(|c: char| !c.is_ascii_digit())
        .any(|d| d.len() == 4 && (d.starts_with("19") || d.starts_with("20")))
}

/// Lines at the end of a page that belong to the site, not the article.
fn is_chrome(line: &str) -> bool {
    let l = line.trim().to_lowercase();
    const PATTERNS: [&str; 8] = [
        "to post a comment",
        "to leave a comment",
        "register or login",
        "log in to comment",
        "sign in to comment",
        "subscribe to continue",
        "share this article",
        "all rights reserved",
    ];
    !l.is_empty() && l.len() < 120 && PATTERNS.iter().any(|p| l.contains(p))
}

fn strip_trailing_chrome(lines: &mut Vec<&str>) {
    loop {
        while lines.last().is_some_and(|l| l.trim().is_empty()) {
            lines.pop();
        }
        match lines.last() {
            Some(l) if is_chrome(l) => {
                lines.pop();
            }
            _ => break,
        }
    }
}
