//! Reading a Markdown file as an article, with pulldown-cmark (CommonMark
//! with GFM tables and strikethrough; its HTML renderer is not built).
//!
//! claimmark shows an article as blocks of plain text, so the parser's
//! events are reduced to blocks:
//! - headings (a first-level one that comes first is the title),
//!   paragraphs, block quotes, and list items — an item's paragraphs are one
//!   block, a nested item its own; items of a numbered list keep their
//!   number ([`BlockKind::OrderedItem`]), which is not part of the text, as a
//!   bullet is not;
//! - a table becomes one block per row: the header row a
//!   [`BlockKind::TableHeader`], the others [`BlockKind::TableRow`], its
//!   cells separated by [`CELL_SEPARATOR`] in the text (so a row copied or
//!   exported reads as a row) and drawn as a table's cells;
//! - fenced and indented code is kept as text (one block);
//! - emphasis, strikethrough and code spans stay as their words; links stay
//!   as their words and keep their target when it is an `http`/`https`
//!   address; images, raw HTML, footnote definitions and rules are not
//!   article text; a hard line break starts a new block.
//!
//! Whitespace is collapsed as in [`super::BlockBuf`]; entities are decoded
//! by the parser.

use pulldown_cmark::{Event, HeadingLevel, Options, Parser, Tag, TagEnd};

use super::BlockBuf;
use crate::core::article::{BlockKind, Part};

/// Between the cells of a table row.
pub const CELL_SEPARATOR: &str = " | ";

/// Where the reader is, among the containers that decide a block's kind.
#[derive(Default)]
struct Reader {
    out: Vec<Part>,
    buf: BlockBuf,
    quotes: usize,
    /// Open lists: the next number of each numbered one, `None` for bullets.
    lists: Vec<Option<u64>>,
    /// Open items: the kind of block each one's text becomes.
    items: Vec<BlockKind>,
    heading: Option<HeadingLevel>,
    /// Inside an image (its alt text is not article text).
    image: usize,
    /// Inside a table row: cells seen so far in it.
    cells: Option<usize>,
    /// Inside the table's header row.
    head: bool,
    /// Inside a footnote definition or metadata block (not article text).
    hidden: usize,
}

impl Reader {
    /// The kind of block the text being read becomes.
    fn kind(&self) -> BlockKind {
        match self.heading {
            Some(HeadingLevel::H1) if self.out.is_empty() => BlockKind::Title,
            Some(l) => BlockKind::Heading((l as u8).clamp(2, 6)),
            None if self.cells.is_some() && self.head => BlockKind::TableHeader,
            None if self.cells.is_some() => BlockKind::TableRow,
            None => match self.items.last() {
                Some(&k) => k,
                None if self.quotes > 0 => BlockKind::BlockQuote,
                None => BlockKind::Paragraph,
            },
        }
    }

    fn flush(&mut self) {
        let kind = self.kind();
        if let Some(part) = self.buf.take(kind) {
            self.out.push(part);
        }
    }

    fn event(&mut self, ev: Event) {
        if self.hidden > 0 {
            match ev {
                Event::Start(Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_)) => {
                    self.hidden += 1
                }
                Event::End(TagEnd::FootnoteDefinition | TagEnd::MetadataBlock(_)) => {
                    self.hidden -= 1
                }
                _ => {}
            }
            return;
        }
        match ev {
            Event::Start(Tag::Heading { level, .. }) => {
                self.flush();
                self.heading = Some(level);
            }
            Event::End(TagEnd::Heading(_)) => {
                self.flush();
                self.heading = None;
            }
            Event::Start(Tag::BlockQuote(_)) => {
                self.flush();
                self.quotes += 1;
            }
            Event::End(TagEnd::BlockQuote(_)) => {
                self.flush();
                self.quotes = self.quotes.saturating_sub(1);
            }
            Event::Start(Tag::List(start)) => {
                self.flush();
                self.lists.push(start);
            }
            Event::End(TagEnd::List(_)) => {
                self.flush();
                self.lists.pop();
            }
            Event::Start(Tag::Item) => {
                self.flush();
                let kind = match self.lists.last_mut() {
                    Some(Some(n)) => {
                        let k = BlockKind::OrderedItem(u32::try_from(*n).unwrap_or(u32::MAX));
                        *n = n.saturating_add(1);
                        k
                    }
                    _ => BlockKind::ListItem,
                };
                self.items.push(kind);
            }
            Event::End(TagEnd::Item) => {
                self.flush();
                self.items.pop();
            }
            // An item's paragraphs are one block; elsewhere each is its own.
            Event::Start(Tag::Paragraph) | Event::End(TagEnd::Paragraph)
                if !self.items.is_empty() =>
            {
                self.buf.push_str(" ")
            }
            Event::Start(Tag::Paragraph | Tag::CodeBlock(_) | Tag::HtmlBlock)
            | Event::End(TagEnd::Paragraph | TagEnd::CodeBlock)
            | Event::HardBreak
            | Event::Rule => self.flush(),
            Event::Start(Tag::Table(_)) => self.flush(),
            Event::Start(t @ (Tag::TableHead | Tag::TableRow)) => {
                self.flush();
                self.cells = Some(0);
                self.head = matches!(t, Tag::TableHead);
            }
            Event::End(TagEnd::TableHead | TagEnd::TableRow) => {
                self.flush();
                self.cells = None;
                self.head = false;
            }
            Event::Start(Tag::TableCell) => {
                // Every cell after the first is marked, empty ones too, so
                // the row keeps its columns.
                if let Some(n) = self.cells.as_mut() {
                    if *n > 0 {
                        self.buf.push_separator(CELL_SEPARATOR);
                    }
                    *n += 1;
                }
            }
            Event::Start(Tag::Link { dest_url, .. }) => self.buf.start_link(&dest_url),
            Event::End(TagEnd::Link) => self.buf.end_link(),
            Event::Start(Tag::Image { .. }) => self.image += 1,
            Event::End(TagEnd::Image) => self.image = self.image.saturating_sub(1),
            Event::Start(Tag::FootnoteDefinition(_) | Tag::MetadataBlock(_)) => {
                self.flush();
                self.hidden = 1;
            }
            Event::Text(t) | Event::Code(t) if self.image == 0 => self.buf.push_str(&t),
            Event::SoftBreak => self.buf.push_str(" "),
            // Raw HTML, footnote references, emphasis marks: not article text.
            _ => {}
        }
    }
}

/// The blocks of a Markdown document, in order, with their links.
pub fn parts(text: &str) -> Vec<Part> {
    let mut r = Reader::default();
    for ev in Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        r.event(ev);
    }
    r.flush();
    r.out
}

/// The blocks of a Markdown document as `(kind, text)`, links left out.
pub fn blocks(text: &str) -> Vec<(BlockKind, String)> {
    parts(text).into_iter().map(|p| (p.kind, p.text)).collect()
}
