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
//! - a short line with no closing punctuation is a heading (in any script:
//!   "short" counts a Chinese or Japanese character as two columns, and a
//!   letter with no case — Arabic, Hebrew, Chinese, Thai — may start one);
//!   one that repeats the headline is dropped;
//! - a byline under the headline ("By Laura Benning · The Riverside Ledger ·
//!   March 3, 2026", "بقلم …", "记者 …") is metadata, not a heading: its
//!   author, outlet and date fill the article's details;
//! - trailing site chrome ("You must Register or Login to post a comment.") is
//!   not article text.

use crate::core::article::{iso_day, Article, BlockKind, MetaField, MetaKind};
use crate::core::script::Unspaced;

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

    // A byline among the first lines after the headline.
    if title.is_some() && metadata.is_empty() {
        let mut seen = 0;
        for i in rest_from..lines.len() {
            let line = lines[i].trim();
            if line.is_empty() {
                continue;
            }
            if let Some(fields) = byline_fields(line) {
                metadata = classify_metadata(&fields);
                lines.remove(i);
                break;
            }
            seen += 1;
            // Only the headline's neighbours: a standfirst may come first.
            if seen >= 2 || width(line) > 2 * WRAP_WIDTH {
                break;
            }
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
            .all(|l| width(l) <= WRAP_WIDTH);
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
                            // Chinese and Japanese lines join with no space.
                            if !(p.chars().last().is_some_and(is_wide)
                                && line.chars().next().is_some_and(is_wide))
                            {
                                p.push(' ');
                            }
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

/// Characters that end a sentence or a clause, in the scripts claimmark
/// reads: a line ending in one is no heading.
const CLOSING: &[char] = &[
    '.', ',', ';', ':', '!', '?', '…', '。', '，', '、', '；', '：', '！', '？', '．', '؟', '،',
    '؛', '۔', '।', '॥', '׃', '\u{17d4}', '\u{104b}',
];

/// A Chinese, Japanese or Korean character (or full-width form), which
/// takes two columns.
fn is_wide(c: char) -> bool {
    let u = c as u32;
    (0x1100..=0x115f).contains(&u)
        || (0x2e80..=0xa4cf).contains(&u)
        || (0xac00..=0xd7a3).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0xfe30..=0xfe4f).contains(&u)
        || (0xff00..=0xff60).contains(&u)
        || (0xffe0..=0xffe6).contains(&u)
        || (0x20000..=0x3fffd).contains(&u)
}

/// About how many words a line has: those between spaces, and for scripts
/// written without spaces an estimate from their length (a Chinese or
/// Japanese word is about two characters, a Thai, Lao, Khmer or Myanmar
/// one about six), so a short Thai paragraph is not taken for a heading.
fn words(line: &str) -> usize {
    let (mut cjk, mut sea) = (0, 0);
    for c in line.chars() {
        match crate::core::script::unspaced(c) {
            Some(Unspaced::SouthEastAsian) => sea += 1,
            Some(_) => cjk += 1,
            None => {}
        }
    }
    line.split_whitespace().count() + cjk / 2 + sea / 6
}

/// A line's width in columns: two for each wide character.
fn width(line: &str) -> usize {
    line.chars().map(|c| if is_wide(c) { 2 } else { 1 }).sum()
}

/// Short, starts with a capital, a letter that has no case (Arabic, Hebrew,
/// Chinese, Thai…), a digit or a quotation mark, and does not end like a
/// sentence.
fn is_heading_like(line: &str) -> bool {
    let line = strip_heading_marks(line);
    let words = words(line);
    let Some(first) = line.chars().next() else {
        return false;
    };
    let last = line
        .trim_end_matches(['"', '\'', '”', '’', ')', ']', '」', '』', '»', '«'])
        .chars()
        .last()
        .unwrap_or(' ');
    let starts = (first.is_alphabetic() && !first.is_lowercase())
        || first.is_ascii_digit()
        || matches!(first, '“' | '"' | '«' | '「' | '『');
    (1..=HEADING_MAX_WORDS).contains(&words)
        && width(line) <= 90
        && starts
        && line.chars().any(char::is_alphabetic)
        && !CLOSING.contains(&last)
}

/// Words that open a byline, in the languages claimmark's readers work in.
const BYLINE_PREFIXES: &[&str] = &[
    "By ",
    "by ",
    "BY ",
    "Written by ",
    "Words by ",
    "Reporting by ",
    "Von ",
    "Par ",
    "Por ",
    "Di ",
    "Door ",
    "بقلم ",
    "بقلم:",
    "كتب ",
    "كتبت ",
    "كتبه ",
    "מאת ",
    "记者 ",
    "记者：",
    "记者",
    "作者：",
    "作者 ",
    "文／",
    "文/",
    "記者 ",
    "記者：",
    "文：",
    "โดย ",
];

/// The byline prefix `field` opens with, if any.
fn byline_prefix(field: &str) -> Option<&'static str> {
    BYLINE_PREFIXES
        .iter()
        .copied()
        .find(|p| field.starts_with(p) && field.len() > p.len())
}

/// A byline's metadata (author, outlet, date), when `line` is one (see
/// [`byline_fields`]).
pub fn byline_metadata(line: &str) -> Option<Vec<MetaField>> {
    byline_fields(line.trim()).map(|f| classify_metadata(&f))
}

/// A byline's fields, when `line` is one: short, not a sentence, and either
/// opening with a byline word ("By …", "بقلم …", "记者 …") or made of two to
/// five fields split by "·", "|", "•", "—" or "–" of which one is a date.
fn byline_fields(line: &str) -> Option<Vec<&str>> {
    if width(line) > 160 || line.ends_with(['.', '。', '!', '?']) {
        return None;
    }
    let fields: Vec<&str> = line
        .split(['·', '|', '•', '—', '–', '・'])
        .map(str::trim)
        .filter(|f| !f.is_empty())
        .collect();
    if fields.is_empty() || fields.len() > 5 {
        return None;
    }
    let opens = byline_prefix(fields[0]).is_some();
    let dated = fields.len() >= 2 && fields.iter().any(|f| iso_day(f).is_some());
    let short = fields.iter().all(|f| f.split_whitespace().count() <= 8);
    (short && (opens || dated)).then_some(fields)
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
        let kind = if byline_prefix(f).is_some() {
            MetaKind::Author
        } else if is_all_caps(f) {
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
        let value = match byline_prefix(f) {
            Some(p) => f[p.len()..].trim_start_matches([':', '：']),
            None => f,
        }
        .trim()
        .to_string();
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
