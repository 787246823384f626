//! The article's markup as plain data: which elements, with which
//! attributes and text, make up the page of an article — written once, here,
//! and drawn three ways:
//!
//! - `web::render` builds the live DOM from it (when highlights are painted,
//!   the usual case);
//! - [`to_html`] writes it as HTML: the build writes the seed article into
//!   `index.html` this way (`examples/prerender.rs`), so the first visit
//!   shows the article before the wasm has arrived;
//! - [`paint_record`] writes it as a small JSON description whose text is
//!   ranges of the stored record's text: the app keeps it for the article
//!   open last (`claimmark:v1:paint`), and the page's first-paint script
//!   (`assets/first-paint.js`) draws a returning person's article from it
//!   before the wasm has arrived.
//!
//! So the three cannot drift apart, and "nothing moves when the app starts"
//! holds by construction (an end-to-end test compares them anyway).
//!
//! The shape: every text node sits under an element carrying `data-s="START"`
//! (its first character's offset, in code points), blocks carry `data-b`
//! (their index); a block is one element holding one text node unless it has
//! links or is a table row. A block with links is split into one element per
//! stretch — `<span data-s>` outside links, `<a data-s>` inside — so a DOM
//! point still maps to an offset exactly. A table row (Markdown tables) is a
//! `<tr>` whose cells are `<td>` (`<th scope="col">` in the header row)
//! holding the cell's stretches; the " | " between cells stays in the DOM as
//! a visually hidden, `aria-hidden` stretch at the end of the cell before it,
//! so the DOM's text is still the article's text, offset for offset.
//!
//! Direction: the `<article>` element carries the article's `dir` and
//! `lang` ([`article_attributes`]), and `data-long` when it is long
//! ([`is_long`]); a block whose own letters run the other
//! way (an Arabic quotation in an English article) gets its own `dir`
//! ([`block_dir`]).

use std::fmt::Write as _;

use super::article::RowPart;
use super::{Article, BlockKind, MetaField, MetaKind, Piece, Span};

/// An attribute's value: a number is kept a number, so a DOM builder can
/// pass it without decoding a string.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value<'a> {
    Num(u32),
    Str(&'a str),
    Owned(String),
}

impl Value<'_> {
    /// The value as the attribute's text.
    pub fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Value::Num(n) => n.to_string().into(),
            Value::Str(s) => (*s).into(),
            Value::Owned(s) => s.as_str().into(),
        }
    }
}

/// A text node: a stretch of the article's text, or words of its own (the
/// byline, a fallback headline).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Text<'a> {
    Span(Span),
    Str(&'a str),
}

/// Where the markup goes: elements are opened (with their attributes, in
/// order), filled and closed, depth first.
pub trait Sink {
    type Error;
    fn open(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Value<'_>)],
    ) -> Result<(), Self::Error>;
    fn text(&mut self, text: Text<'_>) -> Result<(), Self::Error>;
    fn close(&mut self) -> Result<(), Self::Error>;
}

/// The element and class of a block.
pub fn element_of(kind: BlockKind) -> (&'static str, Option<&'static str>) {
    match kind {
        BlockKind::Title => ("h1", Some("title")),
        BlockKind::Heading(level) => (
            ["h2", "h3", "h4", "h5", "h6"][level.clamp(2, 6) as usize - 2],
            None,
        ),
        BlockKind::Standfirst => ("p", Some("standfirst")),
        BlockKind::Paragraph => ("p", None),
        BlockKind::ListItem | BlockKind::OrderedItem(_) => ("li", None),
        BlockKind::BlockQuote => ("blockquote", None),
        BlockKind::TableHeader | BlockKind::TableRow => ("tr", None),
    }
}

/// The class of the hidden text between two cells of a table row.
pub const CELL_SEP_CLASS: &str = "cell-sep";

/// The class of links in the article.
pub const LINK_CLASS: &str = "cm-link";

/// The `lang` (when the article's details or letters tell one) and `dir`
/// of the `<article>` element.
pub fn article_attributes(article: &Article) -> (Option<String>, &'static str) {
    (article.lang(), article.dir().attr())
}

/// From this many blocks on, an article is long: its `<article>` carries
/// `data-long`, and its blocks are laid out and painted only near the screen
/// (`content-visibility: auto` in styles/main.css). A 1 MB article's first
/// layout on a phone takes seconds otherwise; a short one gains nothing.
pub const LONG_FROM_BLOCKS: usize = 200;

/// Whether the article is long (see [`LONG_FROM_BLOCKS`]).
pub fn is_long(article: &Article) -> bool {
    article.blocks.len() >= LONG_FROM_BLOCKS
}

/// The `dir` a block needs of its own: its direction where it differs
/// from the article's (which its element inherits).
pub fn block_dir(article: &Article, i: usize) -> Option<&'static str> {
    let d = article.block_dir(i);
    (d != article.dir()).then_some(d.attr())
}

/// The attributes of a link in the article: its address, and how it opens.
pub fn link_attributes(href: &str) -> [(&'static str, String); 5] {
    [
        ("href", href.to_string()),
        ("rel", "noopener noreferrer".into()),
        ("target", "_blank".into()),
        ("draggable", "false".into()),
        ("class", LINK_CLASS.into()),
    ]
}

/// A stretch of a block: one element holding one text node.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Stretch<'a> {
    pub span: Span,
    /// The link it is in, if any.
    pub href: Option<&'a str>,
    /// In a table row: the cell it belongs to (the text between two cells
    /// belongs to the cell before it).
    pub cell: Option<usize>,
    /// The " | " between two cells: in the DOM, not shown.
    pub hidden: bool,
}

/// The stretches of block `i`, cut where links start and end and, in a
/// table row, where cells do. One stretch, with no address, when it has
/// neither. Empty cells have none (a row's cell count is
/// [`cell_count`]).
pub fn stretches(article: &Article, i: usize) -> Vec<Stretch<'_>> {
    let span = article.blocks[i].span;
    let mut out = Vec::new();
    fn links<'a>(
        article: &'a Article,
        within: Span,
        cell: Option<usize>,
        out: &mut Vec<Stretch<'a>>,
    ) {
        let plain = |span| Stretch {
            span,
            href: None,
            cell,
            hidden: false,
        };
        let mut pos = within.start();
        for l in article.links_in(within) {
            let (s, e) = (
                l.span.start().max(within.start()),
                l.span.end().min(within.end()),
            );
            if s > pos {
                out.push(plain(Span::new(pos, s)));
            }
            out.push(Stretch {
                href: Some(l.href.as_str()),
                ..plain(Span::new(s, e))
            });
            pos = e;
        }
        if pos < within.end() {
            out.push(plain(Span::new(pos, within.end())));
        }
    }
    match article.row_parts(i) {
        Some(parts) => {
            let mut cell = 0;
            for p in parts {
                match p {
                    RowPart::Cell(k, s) => {
                        cell = k;
                        links(article, s, Some(k), &mut out);
                    }
                    RowPart::Between(s) => out.push(Stretch {
                        span: s,
                        href: None,
                        cell: Some(cell),
                        hidden: true,
                    }),
                }
            }
        }
        None => {
            links(article, span, None, &mut out);
            if out.is_empty() {
                out.push(Stretch {
                    span,
                    href: None,
                    cell: None,
                    hidden: false,
                });
            }
        }
    }
    out
}

/// How many cells block `i` has (0 unless it is a table row).
pub fn cell_count(article: &Article, i: usize) -> usize {
    article.row_parts(i).map_or(0, |parts| {
        parts
            .iter()
            .filter(|p| matches!(p, RowPart::Cell(..)))
            .count()
    })
}

/// A metadata field as the byline shows it: its element's class, the label
/// read out (visually hidden) and the words shown. "By" goes before an
/// author's name written in Latin letters only: "By 王明" or "By ليلى حداد"
/// would mix the app's English into the article's own language. Each
/// field's label and words are drawn in a `<bdi>`, isolated, so a date
/// keeps its digits' order in an Arabic byline ("2026-03-03", not
/// "03-03-2026") and the English label takes no part in the line's order,
/// while the fields and the " · " between them (outside the isolates)
/// follow the article's direction.
pub fn byline_field(m: &MetaField) -> (String, String, String) {
    let latin = |s: &str| {
        s.chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| matches!(c as u32, 0x41..=0x24f | 0x1e00..=0x1eff))
    };
    let shown = if m.kind == MetaKind::Author && latin(&m.value) {
        format!("By {}", m.value)
    } else {
        m.value.clone()
    };
    let class = format!("meta meta-{}", m.kind.label().to_lowercase());
    (class, format!("{}: ", m.kind.label()), shown)
}

/// The children of the `<article>` element, in document order, into `sink`.
pub fn write<S: Sink>(article: &Article, sink: &mut S) -> Result<(), S::Error> {
    for piece in article.pieces() {
        match piece {
            Piece::FallbackTitle => {
                sink.open("h1", &[("class", Value::Str("title"))])?;
                sink.text(Text::Str(&article.title))?;
                sink.close()?;
            }
            Piece::Byline => {
                sink.open("p", &[("class", Value::Str("byline"))])?;
                for m in &article.metadata {
                    let (class, label, shown) = byline_field(m);
                    sink.open("span", &[("class", Value::Owned(class))])?;
                    sink.open("bdi", &[])?;
                    sink.open("span", &[("class", Value::Str("visually-hidden"))])?;
                    sink.text(Text::Str(&label))?;
                    sink.close()?;
                    sink.text(Text::Str(&shown))?;
                    sink.close()?;
                    sink.close()?;
                }
                sink.close()?;
            }
            Piece::Block(i) => block(article, i, sink)?,
            Piece::Table(range) => {
                sink.open("table", &[("class", Value::Str("md-table"))])?;
                let (head, body): (Vec<usize>, Vec<usize>) =
                    range.partition(|&b| article.blocks[b].kind == BlockKind::TableHeader);
                if !head.is_empty() {
                    sink.open("thead", &[])?;
                    for i in head {
                        block(article, i, sink)?;
                    }
                    sink.close()?;
                }
                sink.open("tbody", &[])?;
                for i in body {
                    block(article, i, sink)?;
                }
                sink.close()?;
                sink.close()?;
            }
            Piece::List(range) | Piece::NumberedList(range) => {
                let numbered =
                    matches!(article.blocks[range.start].kind, BlockKind::OrderedItem(_));
                sink.open(if numbered { "ol" } else { "ul" }, &[])?;
                for i in range {
                    block(article, i, sink)?;
                }
                sink.close()?;
            }
        }
    }
    Ok(())
}

/// Block `i`: its element (`class`, `data-b`, `value`, `dir`), and either
/// its text under `data-s` or its cells and stretches.
fn block<S: Sink>(article: &Article, i: usize, sink: &mut S) -> Result<(), S::Error> {
    let b = article.blocks[i];
    let (tag, class) = element_of(b.kind);
    let plain = article.links_in(b.span).is_empty() && !b.kind.is_row();
    let mut attrs: Vec<(&'static str, Value)> = Vec::with_capacity(5);
    if let Some(c) = class {
        attrs.push(("class", Value::Str(c)));
    }
    attrs.push(("data-b", Value::Num(i as u32)));
    if let BlockKind::OrderedItem(n) = b.kind {
        attrs.push(("value", Value::Num(n)));
    }
    if let Some(d) = block_dir(article, i) {
        attrs.push(("dir", Value::Str(d)));
    }
    if plain {
        // Without `data-s` on the other blocks: points map through their stretches.
        attrs.push(("data-s", Value::Num(b.span.start())));
    }
    sink.open(tag, &attrs)?;
    if plain {
        sink.text(Text::Span(b.span))?;
        return sink.close();
    }
    let all = stretches(article, i);
    let stretch = |st: &Stretch, sink: &mut S| -> Result<(), S::Error> {
        match st.href {
            Some(href) => {
                let [a, b, c, d, e] = link_attributes(href);
                let attrs = [a, b, c, d, e].map(|(k, v)| (k, Value::Owned(v)));
                let mut attrs = attrs.to_vec();
                attrs.push(("data-s", Value::Num(st.span.start())));
                sink.open("a", &attrs)?;
            }
            None if st.hidden => sink.open(
                "span",
                &[
                    ("class", Value::Str(CELL_SEP_CLASS)),
                    ("aria-hidden", Value::Str("true")),
                    ("data-s", Value::Num(st.span.start())),
                ],
            )?,
            None => sink.open("span", &[("data-s", Value::Num(st.span.start()))])?,
        }
        sink.text(Text::Span(st.span))?;
        sink.close()
    };
    if b.kind.is_row() {
        let header = b.kind == BlockKind::TableHeader;
        for c in 0..cell_count(article, i) {
            if header {
                sink.open("th", &[("scope", Value::Str("col"))])?;
            } else {
                sink.open("td", &[])?;
            }
            for st in all.iter().filter(|st| st.cell == Some(c)) {
                stretch(st, sink)?;
            }
            sink.close()?;
        }
    } else {
        for st in &all {
            stretch(st, sink)?;
        }
    }
    sink.close()
}

/// Text as HTML: `&`, `<`, `>` (and in attributes `"`) escaped.
fn escape(out: &mut String, s: &str, attribute: bool) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' if attribute => out.push_str("&quot;"),
            '\u{a0}' => out.push_str("&nbsp;"),
            c => out.push(c),
        }
    }
}

/// Writes HTML (see [`to_html`]).
struct Html<'a> {
    article: &'a Article,
    out: String,
    open: Vec<&'static str>,
}

impl Sink for Html<'_> {
    type Error = std::convert::Infallible;
    fn open(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Value<'_>)],
    ) -> Result<(), Self::Error> {
        self.out.push('<');
        self.out.push_str(tag);
        for (name, value) in attrs {
            let _ = write!(self.out, " {name}=\"");
            escape(&mut self.out, &value.text(), true);
            self.out.push('"');
        }
        self.out.push('>');
        self.open.push(tag);
        Ok(())
    }
    fn text(&mut self, text: Text<'_>) -> Result<(), Self::Error> {
        let s = match text {
            Text::Span(span) => self.article.slice(span),
            Text::Str(s) => s,
        };
        escape(&mut self.out, s, false);
        Ok(())
    }
    fn close(&mut self) -> Result<(), Self::Error> {
        if let Some(tag) = self.open.pop() {
            let _ = write!(self.out, "</{tag}>");
        }
        Ok(())
    }
}

/// The article's page as HTML: the `<article>` element's children.
pub fn to_html(article: &Article) -> String {
    let mut html = Html {
        article,
        out: String::with_capacity(article.text().len() * 11 / 10 + 64 * article.blocks.len()),
        open: Vec::new(),
    };
    let Ok(()) = write(article, &mut html);
    html.out
}

/// The `<article>` element's own attributes as HTML (` lang="…" dir="…"`).
pub fn article_attributes_html(article: &Article) -> String {
    let (lang, dir) = article_attributes(article);
    let mut out = String::new();
    if let Some(lang) = lang {
        out.push_str(" lang=\"");
        escape(&mut out, &lang, true);
        out.push('"');
    }
    let _ = write!(out, " dir=\"{dir}\"");
    if is_long(article) {
        out.push_str(" data-long=\"\"");
    }
    out
}

/// The version of [`paint_record`]'s form; the first-paint script draws
/// nothing from another.
pub const PAINT_SCHEMA: u32 = 1;

/// Writes the paint description (see [`paint_record`]).
struct Paint<'a> {
    article: &'a Article,
    out: String,
    /// Whether the element being written has a child yet (a comma before the next).
    first: Vec<bool>,
}

impl Paint<'_> {
    fn comma(&mut self) {
        if let Some(first) = self.first.last_mut() {
            if !*first {
                self.out.push(',');
            }
            *first = false;
        }
    }
}

fn json_string(out: &mut String, s: &str) {
    // serde_json's escaping: the only string writer in the core.
    out.push_str(&serde_json::to_string(s).unwrap_or_else(|_| "\"\"".into()));
}

impl Sink for Paint<'_> {
    type Error = std::convert::Infallible;
    fn open(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Value<'_>)],
    ) -> Result<(), Self::Error> {
        self.comma();
        let _ = write!(self.out, "[\"{tag}\",{{");
        for (k, (name, value)) in attrs.iter().enumerate() {
            if k > 0 {
                self.out.push(',');
            }
            let _ = write!(self.out, "\"{name}\":");
            match value {
                Value::Num(n) => {
                    let _ = write!(self.out, "{n}");
                }
                v => json_string(&mut self.out, &v.text()),
            }
        }
        self.out.push('}');
        self.first.push(false);
        Ok(())
    }
    fn text(&mut self, text: Text<'_>) -> Result<(), Self::Error> {
        self.comma();
        match text {
            Text::Span(span) => {
                let (index, text) = (self.article.index(), self.article.text());
                let _ = write!(
                    self.out,
                    "{},{}",
                    index.utf16_of(text, span.start()),
                    index.utf16_of(text, span.end())
                );
            }
            Text::Str(s) => json_string(&mut self.out, s),
        }
        Ok(())
    }
    fn close(&mut self) -> Result<(), Self::Error> {
        self.first.pop();
        self.out.push(']');
        Ok(())
    }
}

/// The article's page as a description the first-paint script draws
/// (`assets/first-paint.js`), stored by the app for the article open last:
///
/// `{"schema":1,"id":ID,"lang":LANG|null,"dir":DIR,"long":BOOL,"body":[ELEMENT…]}`
///
/// where an element is `[TAG, {NAME: VALUE…}, CHILD…]` and a child is an
/// element, a string (text of its own) or two numbers in a row: a range of
/// the stored record's text in UTF-16 units, as JavaScript slices it. The
/// text itself is not repeated: it is read from the article's record.
pub fn paint_record(article: &Article) -> String {
    let (lang, dir) = article_attributes(article);
    let mut p = Paint {
        article,
        out: String::with_capacity(64 + 48 * article.blocks.len()),
        first: vec![true],
    };
    let _ = write!(
        p.out,
        "{{\"schema\":{PAINT_SCHEMA},\"id\":\"{}\",\"lang\":",
        article.id.0
    );
    match lang {
        Some(l) => json_string(&mut p.out, &l),
        None => p.out.push_str("null"),
    }
    let _ = write!(
        p.out,
        ",\"dir\":\"{dir}\",\"long\":{},\"body\":[",
        is_long(article)
    );
    let Ok(()) = write(article, &mut p);
    p.out.push_str("]}");
    p.out
}
