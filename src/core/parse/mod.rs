//! Reading an article: a file's bytes or pasted text → [`Article`].
//!
//! Plain text goes through [`parse_plain_text`] (as the seed does), Markdown
//! through pulldown-cmark; HTML is parsed inertly by the browser (see
//! `web::html`) and its blocks assembled here with [`assemble`].

pub mod decode;
pub mod markdown;
pub mod plain;

use crate::core::article::{Article, BlockKind};
use decode::{decode_text, human_size, DecodeError};
use plain::{normalise_newlines, parse_plain_text, UNTITLED};

/// The largest article file opened (text, before parsing).
pub const MAX_ARTICLE_BYTES: usize = 8 << 20;

/// The title of pasted HTML with no `<title>` or heading.
pub const UNTITLED_PASTE: &str = "Pasted article";

/// What kind of text a file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Text,
    Markdown,
    Html,
}

impl Kind {
    /// By file name: `.txt`, `.md` / `.markdown`, `.html` / `.htm`.
    pub fn of_name(name: &str) -> Option<Kind> {
        let lower = name.to_ascii_lowercase();
        let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
        match ext {
            "txt" | "text" => Some(Kind::Text),
            "md" | "markdown" | "mdown" => Some(Kind::Markdown),
            "html" | "htm" | "xhtml" => Some(Kind::Html),
            _ => None,
        }
    }

    /// By content, for pasted text: markup that only HTML has, else text.
    pub fn sniff(text: &str) -> Kind {
        let head: String = text
            .trim_start()
            .chars()
            .take(512)
            .collect::<String>()
            .to_ascii_lowercase();
        if head.starts_with("<!doctype html")
            || head.starts_with("<html")
            || head.contains("<body")
            || head.contains("<article")
            || head.contains("<p>")
        {
            Kind::Html
        } else {
            Kind::Text
        }
    }
}

/// A file's text for opening: decoded (UTF-8 / UTF-16 with BOM), with
/// CRLF and CR as LF. Refuses binary, empty and oversized files.
pub fn decode_article(bytes: &[u8]) -> Result<String, DecodeError> {
    decode_text(bytes, MAX_ARTICLE_BYTES).map(|t| normalise_newlines(&t))
}

/// The title to use when a file has none: its name without the extension.
pub fn title_from_name(name: &str) -> String {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let stem = stem.rsplit_once('.').map_or(stem, |(s, _)| s);
    let t = stem.replace(['_', '-'], " ").trim().to_string();
    if t.is_empty() {
        UNTITLED.into()
    } else {
        t
    }
}

/// Plain text, as the seed is parsed.
pub fn parse_text(text: &str, source: Option<String>) -> Article {
    parse_plain_text(text, source)
}

/// Build an article from blocks read out of a structured document. The
/// title is the first block when it is a `Title`; otherwise `title` (from
/// `<title>`), or `fallback`, becomes one. A heading repeating the title
/// right after it is dropped.
pub fn assemble(
    title: Option<String>,
    mut blocks: Vec<(BlockKind, String)>,
    fallback: &str,
    source: Option<String>,
) -> Article {
    blocks.retain(|(_, t)| !t.trim().is_empty());
    let has_title = blocks.first().is_some_and(|(k, _)| *k == BlockKind::Title);
    if !has_title {
        let t = title
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| fallback.to_string());
        blocks.insert(0, (BlockKind::Title, t));
    }
    if blocks.len() > 1
        && matches!(blocks[1].0, BlockKind::Heading(_))
        && blocks[1].1.trim() == blocks[0].1.trim()
    {
        blocks.remove(1);
    }
    Article::from_blocks(fallback, vec![], source, blocks)
}

/// Markdown: headings, paragraphs, list items and block quotes become
/// blocks; inline emphasis, links and code stay as their text; raw HTML and
/// images are not article text. A hard line break starts a new block. See
/// [`markdown`].
pub fn parse_markdown(text: &str, fallback: &str, source: Option<String>) -> Article {
    // No leading `# ` headline: the file's name is the title.
    assemble(None, markdown::blocks(text), fallback, source)
}

/// An article from a file's bytes, read by its name (by its content when
/// the name says nothing). HTML is not read here (it needs the browser's
/// inert parser): the caller passes `html` to build it from the decoded text
/// and a fallback title.
pub fn article_from_file(
    name: &str,
    bytes: &[u8],
    html: impl FnOnce(&str, &str) -> Result<Article, String>,
) -> Result<Article, String> {
    let text = decode_article(bytes).map_err(|e| e.to_string())?;
    let kind = Kind::of_name(name).unwrap_or_else(|| Kind::sniff(&text));
    article_from_text(
        kind,
        &text,
        &title_from_name(name),
        Some(name.to_string()),
        html,
    )
}

/// An article from pasted text: the same readers as a file, by what the
/// text looks like. Refuses an empty box and text over the file limit.
pub fn article_from_paste(
    text: &str,
    html: impl FnOnce(&str, &str) -> Result<Article, String>,
) -> Result<Article, String> {
    let text = normalise_newlines(text);
    if text.trim().is_empty() {
        return Err("the box is empty: paste some text first".into());
    }
    if text.len() > MAX_ARTICLE_BYTES {
        return Err(format!(
            "the text is too large ({}; the limit is {})",
            human_size(text.len()),
            human_size(MAX_ARTICLE_BYTES)
        ));
    }
    article_from_text(Kind::sniff(&text), &text, UNTITLED_PASTE, None, html)
}

/// Decoded text of `kind` → an article.
fn article_from_text(
    kind: Kind,
    text: &str,
    fallback: &str,
    source: Option<String>,
    html: impl FnOnce(&str, &str) -> Result<Article, String>,
) -> Result<Article, String> {
    match kind {
        Kind::Text => Ok(parse_plain_text(text, source)),
        Kind::Markdown => Ok(parse_markdown(text, fallback, source)),
        Kind::Html => html(text, fallback),
    }
}
