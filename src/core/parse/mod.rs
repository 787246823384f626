//! Reading an article: a file's bytes or pasted text → [`Article`].
//!
//! Plain text goes through [`parse_plain_text`] (as the seed does), Markdown
//! through pulldown-cmark ([`markdown`]); HTML is parsed inertly by the
//! browser (see `web::html`) and its blocks assembled here with
//! [`assemble`]. Structured readers collect each block's text in a
//! [`BlockBuf`], which collapses whitespace and keeps the block's links.

pub mod decode;
pub mod markdown;
pub mod plain;

use crate::core::article::{Article, BlockKind, Part};
use crate::core::factcheck::check_source;
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

/// One block's text as a structured reader collects it: ASCII whitespace
/// (what HTML and Markdown collapse; a no-break space stays) collapsed to
/// single spaces with none at the ends, and the links in it, in code points
/// of that text. A link still open when the block ends goes on in the next.
#[derive(Clone, Debug, Default)]
pub struct BlockBuf {
    text: String,
    chars: u32,
    /// Whitespace seen since the last character kept.
    space: bool,
    links: Vec<(u32, u32, String)>,
    /// Links being read: where each started and its address (`None` for a
    /// link whose address is not kept, so that ends still pair up).
    open: Vec<Option<(u32, String)>>,
}

impl BlockBuf {
    pub fn push_str(&mut self, s: &str) {
        for c in s.chars() {
            if c.is_ascii_whitespace() {
                self.space = true;
                continue;
            }
            if self.space && !self.text.is_empty() {
                self.text.push(' ');
                self.chars += 1;
            }
            self.space = false;
            self.text.push(c);
            self.chars += 1;
        }
    }

    /// Text that separates parts of a block (table cells): kept even where
    /// a part is empty, but never at the start of the block.
    pub fn push_separator(&mut self, s: &str) {
        self.space = true;
        self.push_str(s.trim());
        self.space = true;
    }

    /// Where the next character kept will be.
    fn next_at(&self) -> u32 {
        self.chars + u32::from(self.space && !self.text.is_empty())
    }

    /// A link starts here; its address is kept only if it is `http`/`https`.
    pub fn start_link(&mut self, href: &str) {
        let at = self.next_at();
        self.open.push(check_source(href).ok().map(|h| (at, h)));
    }

    /// The innermost open link ends here.
    pub fn end_link(&mut self) {
        if let Some(Some((start, href))) = self.open.pop() {
            if self.chars > start {
                self.links.push((start, self.chars, href));
            }
        }
    }

    /// Whether nothing has been kept since the last [`BlockBuf::take`].
    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The block read so far (if it has any text), as a `kind` block; the
    /// buffer starts over, with open links going on from its start.
    pub fn take(&mut self, kind: BlockKind) -> Option<Part> {
        self.space = false;
        if self.text.is_empty() {
            return None;
        }
        for (start, href) in self.open.iter_mut().flatten() {
            if self.chars > *start {
                self.links.push((*start, self.chars, href.clone()));
            }
            *start = 0;
        }
        self.links.sort();
        self.chars = 0;
        Some(Part {
            kind,
            text: std::mem::take(&mut self.text),
            links: std::mem::take(&mut self.links),
        })
    }
}

/// Build an article from blocks read out of a structured document. The
/// title is the first block when it is a `Title`; otherwise `title` (from
/// `<title>`), or `fallback`, becomes one. A heading repeating the title
/// right after it is dropped; a byline among the two blocks after it
/// ("By … · … · March 3, 2026") becomes the article's metadata.
pub fn assemble(
    title: Option<String>,
    mut blocks: Vec<Part>,
    fallback: &str,
    source: Option<String>,
) -> Article {
    blocks.retain(|p| !p.text.trim().is_empty());
    let has_title = blocks.first().is_some_and(|p| p.kind == BlockKind::Title);
    if !has_title {
        let t = title
            .map(|t| t.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|t| !t.is_empty())
            .unwrap_or_else(|| fallback.to_string());
        blocks.insert(0, Part::new(BlockKind::Title, t));
    }
    if blocks.len() > 1
        && matches!(blocks[1].kind, BlockKind::Heading(_))
        && blocks[1].text.trim() == blocks[0].text.trim()
    {
        blocks.remove(1);
    }
    // A byline just under the headline is the article's metadata.
    let mut metadata = vec![];
    for i in 1..blocks.len().min(3) {
        if matches!(blocks[i].kind, BlockKind::Paragraph | BlockKind::Heading(_)) {
            if let Some(m) = plain::byline_metadata(&blocks[i].text) {
                metadata = m;
                blocks.remove(i);
                break;
            }
        }
    }
    Article::from_parts(fallback, metadata, source, blocks)
}

/// Markdown, read with pulldown-cmark: headings, paragraphs, list items
/// (numbered ones keep their numbers), block quotes and table rows become
/// blocks; inline emphasis and code stay as their text, links as their text
/// with their `http`/`https` targets kept; raw HTML and images are not
/// article text. A hard line break starts a new block. See [`markdown`].
pub fn parse_markdown(text: &str, fallback: &str, source: Option<String>) -> Article {
    // No leading `# ` headline: the file's name is the title.
    assemble(None, markdown::parts(text), fallback, source)
}

/// A file's text, decoded, and what kind of text it is: what an article is
/// read from. Markdown is read by the second module in the release app
/// (`core::later`), so the opener decides which reader runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileText {
    pub kind: Kind,
    pub text: String,
    /// The title when the text has none: the file's name without its extension.
    pub fallback: String,
    /// Where it came from: the file's name.
    pub source: Option<String>,
}

/// A file's bytes, decoded, and its kind by its name (by its content when
/// the name says nothing). Refuses binary, empty and oversized files.
pub fn decode_file(name: &str, bytes: &[u8]) -> Result<FileText, String> {
    let text = decode_article(bytes).map_err(|e| e.to_string())?;
    let kind = Kind::of_name(name).unwrap_or_else(|| Kind::sniff(&text));
    Ok(FileText {
        kind,
        text,
        fallback: title_from_name(name),
        source: Some(name.to_string()),
    })
}

/// An article from a file's bytes, every reader in place. HTML is not read
/// here (it needs the browser's inert parser): the caller passes `html` to
/// build it from the decoded text and a fallback title.
pub fn article_from_file(
    name: &str,
    bytes: &[u8],
    html: impl FnOnce(&str, &str) -> Result<Article, String>,
) -> Result<Article, String> {
    let file = decode_file(name, bytes)?;
    match file.kind {
        Kind::Markdown => Ok(parse_markdown(&file.text, &file.fallback, file.source)),
        _ => article_from_text(file, html),
    }
}

/// A plain-text or HTML file's article. Markdown is read with
/// [`parse_markdown`] (in the release app by the second module, see
/// `core::later`); given here, it is read as plain text.
pub fn article_from_text(
    file: FileText,
    html: impl FnOnce(&str, &str) -> Result<Article, String>,
) -> Result<Article, String> {
    match file.kind {
        Kind::Html => html(&file.text, &file.fallback),
        Kind::Text | Kind::Markdown => Ok(parse_plain_text(&file.text, file.source)),
    }
}

/// An article from pasted text: plain text or HTML, by what the text looks
/// like. Refuses an empty box and text over the file limit.
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
    article_from_text(
        FileText {
            kind: Kind::sniff(&text),
            fallback: UNTITLED_PASTE.into(),
            text,
            source: None,
        },
        html,
    )
}
