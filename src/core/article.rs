//! The article model: blocks over one canonical plain text.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::offset::{Span, TextIndex};

/// What a block is; decides its element (`h1`, `h2`, `p`, `li`, `blockquote`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "level")]
pub enum BlockKind {
    /// The article's headline (at most one, always first).
    Title,
    /// A section heading, level 2 to 6.
    Heading(u8),
    /// The lead paragraph under the headline.
    Standfirst,
    Paragraph,
    ListItem,
    BlockQuote,
}

/// One block of the article and where its text sits in the canonical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// One piece of an article's page (see [`Article::pieces`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The headline, when the text has no title block: `article.title`.
    FallbackTitle,
    /// The metadata, under the headline (only when there is some).
    Byline,
    /// Block `i` on its own.
    Block(usize),
    /// Consecutive list items, as one list.
    List(std::ops::Range<usize>),
}

/// What a piece of metadata says about the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKind {
    Outlet,
    Dateline,
    Author,
    Programme,
    Date,
    Other,
}

impl MetaKind {
    /// The label read out by assistive technology.
    pub fn label(self) -> &'static str {
        match self {
            MetaKind::Outlet => "Outlet",
            MetaKind::Dateline => "Dateline",
            MetaKind::Author => "Author",
            MetaKind::Programme => "Programme",
            MetaKind::Date => "Date",
            MetaKind::Other => "Note",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaField {
    pub kind: MetaKind,
    pub value: String,
}

/// The SHA-256 of an article's canonical text, as 64 lowercase hex digits.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ArticleId(pub String);

impl ArticleId {
    pub fn of_text(text: &str) -> ArticleId {
        let digest = Sha256::digest(text.as_bytes());
        let mut hex = String::with_capacity(64);
        for b in digest {
            hex.push(char::from_digit((b >> 4) as u32, 16).unwrap_or('0'));
            hex.push(char::from_digit((b & 15) as u32, 16).unwrap_or('0'));
        }
        ArticleId(hex)
    }
}

/// The separator between blocks in the canonical text.
pub const BLOCK_SEPARATOR: &str = "\n";

/// An article: its headline, metadata, and blocks over one canonical text.
///
/// Invariants: blocks are in order, do not overlap, and are separated by
/// exactly [`BLOCK_SEPARATOR`]; no block text contains a newline; `id` is the
/// SHA-256 of `text`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub metadata: Vec<MetaField>,
    /// Where the article came from (a URL or file name), when known.
    pub source: Option<String>,
    pub blocks: Vec<Block>,
    text: String,
    index: TextIndex,
}

impl Article {
    /// Build an article from its blocks' texts. Newlines inside a block become
    /// spaces and each block is trimmed; empty blocks are dropped. When there
    /// is no `Title` block, `fallback_title` names the article.
    pub fn from_blocks(
        fallback_title: &str,
        metadata: Vec<MetaField>,
        source: Option<String>,
        parts: Vec<(BlockKind, String)>,
    ) -> Article {
        let mut text = String::new();
        let mut blocks = Vec::with_capacity(parts.len());
        let mut pos = 0u32;
        let mut title = None;
        for (kind, raw) in parts {
            let clean: String = raw
                .trim()
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            if clean.is_empty() {
                continue;
            }
            if kind == BlockKind::Title {
                if title.is_some() || !blocks.is_empty() {
                    // Only a leading headline is the title; a later one is a heading.
                    let len = clean.chars().count() as u32;
                    push_block(
                        &mut text,
                        &mut blocks,
                        &mut pos,
                        BlockKind::Heading(2),
                        &clean,
                        len,
                    );
                    continue;
                }
                title = Some(clean.clone());
            }
            let len = clean.chars().count() as u32;
            push_block(&mut text, &mut blocks, &mut pos, kind, &clean, len);
        }
        let index = TextIndex::new(&text);
        Article {
            id: ArticleId::of_text(&text),
            title: title.unwrap_or_else(|| fallback_title.to_string()),
            metadata,
            source,
            blocks,
            text,
            index,
        }
    }

    /// An article as stored: its text and block spans, checked against the
    /// invariants above (without copying the text block by block). `None`
    /// when they do not hold or the id is not the text's SHA-256.
    #[allow(clippy::too_many_arguments)]
    pub fn from_stored(
        id: ArticleId,
        title: String,
        metadata: Vec<MetaField>,
        source: Option<String>,
        blocks: Vec<Block>,
        text: String,
    ) -> Option<Article> {
        if ArticleId::of_text(&text) != id {
            return None;
        }
        let index = TextIndex::new(&text);
        let mut expected_start = 0;
        for (i, b) in blocks.iter().enumerate() {
            let sep = if i == 0 {
                0
            } else {
                BLOCK_SEPARATOR.len() as u32
            };
            if b.span.start() != expected_start + sep
                || b.span.end() > index.len_chars()
                || b.span.is_empty()
            {
                return None;
            }
            let body = index.slice(&text, b.span);
            if body.contains('\n') || body.trim() != body {
                return None;
            }
            if i > 0
                && index.slice(&text, Span::new(expected_start, b.span.start())) != BLOCK_SEPARATOR
            {
                return None;
            }
            if b.kind == BlockKind::Title && i != 0 {
                return None;
            }
            expected_start = b.span.end();
        }
        if expected_start != index.len_chars() {
            return None;
        }
        let title = match blocks.first() {
            Some(b) if b.kind == BlockKind::Title => index.slice(&text, b.span).to_string(),
            _ => title,
        };
        Some(Article {
            id,
            title,
            metadata,
            source,
            blocks,
            text,
            index,
        })
    }

    /// The canonical plain text: every block's text, joined by [`BLOCK_SEPARATOR`].
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn index(&self) -> &TextIndex {
        &self.index
    }

    /// Length of the canonical text in code points.
    pub fn len_chars(&self) -> u32 {
        self.index.len_chars()
    }

    /// The text covered by `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.index.slice(&self.text, span)
    }

    /// The text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        self.slice(self.blocks[i].span)
    }

    /// The page's pieces in reading order: the headline (a fallback one when
    /// the text has no title block), the byline after it, and the blocks, with
    /// consecutive list items gathered into one list. Both ways of drawing the
    /// article (`web::render`, and Yew's when spans are drawn) follow this.
    pub fn pieces(&self) -> Vec<Piece> {
        let mut out = Vec::with_capacity(self.blocks.len() + 2);
        let byline = !self.metadata.is_empty();
        if self.blocks.first().map(|b| b.kind) != Some(BlockKind::Title) {
            out.push(Piece::FallbackTitle);
            if byline {
                out.push(Piece::Byline);
            }
        }
        let mut i = 0;
        while i < self.blocks.len() {
            let kind = self.blocks[i].kind;
            if kind == BlockKind::ListItem {
                let end = self.blocks[i..]
                    .iter()
                    .position(|b| b.kind != BlockKind::ListItem)
                    .map_or(self.blocks.len(), |n| i + n);
                out.push(Piece::List(i..end));
                i = end;
                continue;
            }
            out.push(Piece::Block(i));
            if kind == BlockKind::Title && byline {
                out.push(Piece::Byline);
            }
            i += 1;
        }
        out
    }

    /// The index of the block holding `offset`, or of the block after it when
    /// `offset` is on a separator. `None` past the last block.
    pub fn block_at(&self, offset: u32) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.span.end() <= offset);
        // A block ending exactly at `offset` still holds it if it is the caret
        // position at its end and no later block starts there.
        (i < self.blocks.len()).then_some(i)
    }

    /// The blocks that share any code point with `span`.
    pub fn blocks_overlapping(&self, span: Span) -> std::ops::Range<usize> {
        let first = self
            .blocks
            .partition_point(|b| b.span.end() <= span.start());
        let last = self.blocks.partition_point(|b| b.span.start() < span.end());
        first..last.max(first)
    }
}

fn push_block(
    text: &mut String,
    blocks: &mut Vec<Block>,
    pos: &mut u32,
    kind: BlockKind,
    clean: &str,
    len: u32,
) {
    if !blocks.is_empty() {
        text.push_str(BLOCK_SEPARATOR);
        *pos += BLOCK_SEPARATOR.chars().count() as u32;
    }
    text.push_str(clean);
    blocks.push(Block {
        kind,
        span: Span::new(*pos, *pos + len),
    });
    *pos += len;
}
