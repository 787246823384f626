//! The article's DOM when highlights are painted (the usual case): built here
//! in one pass, not by Yew.
//!
//! With the CSS Custom Highlight API each block is one element holding one
//! text node, and nothing in it changes until another article is opened. Kept
//! in Yew's virtual DOM, 5,000 blocks cost their text a second time plus a
//! component each in wasm memory (3.3 MB at 1 MB / 10,000 annotations, a
//! quarter of the heap) for nothing to compare. Yew renders the `<article>`
//! element with no children and leaves these alone. The shape is the one Yew
//! draws when highlights are `<mark>` runs (`ui::article_view`): both follow
//! [`Article::pieces`].
//!
//! Direction: the `<article>` element carries the article's `dir` and
//! `lang` (Yew draws it); a block whose own letters run the other way
//! (an Arabic quotation in an English article) gets its own `dir` here,
//! as Yew's blocks do ([`block_dir`]).
//!
//! A block with links is the exception: its text is split into one element
//! per stretch — `<span data-s>` outside links, `<a data-s>` inside — each
//! holding one text node, so a DOM point still maps to an offset exactly
//! ([`text_point`] finds the node for an offset). Links open in a new tab,
//! never tell the page they lead to where they came from
//! (`rel="noopener noreferrer"`), and are not draggable, so pressing on one
//! and moving selects text as anywhere else (see `ui::article_view` for
//! when a click follows one).
//!
//! A table row (Markdown tables) is a `<tr>` whose cells are `<td>` (`<th>`
//! in the header row) holding the cell's stretches; the " | " between cells
//! stays in the DOM as a visually hidden, `aria-hidden` stretch at the end
//! of the cell before it, so the DOM's text is still the article's text,
//! offset for offset, and a selection across cells copies as "a | b".

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::core::article::RowPart;
use crate::core::{Article, BlockKind, MetaField, MetaKind, Piece};

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

/// The `dir` a block needs of its own: its direction where it differs
/// from the article's (which its element inherits).
pub fn block_dir(article: &Article, i: usize) -> Option<&'static str> {
    let d = article.block_dir(i);
    (d != article.dir()).then_some(d.attr())
}

/// The class of links in the article.
pub const LINK_CLASS: &str = "cm-link";

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
    pub span: crate::core::Span,
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
        within: crate::core::Span,
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
                out.push(plain(crate::core::Span::new(pos, s)));
            }
            out.push(Stretch {
                href: Some(l.href.as_str()),
                ..plain(crate::core::Span::new(s, e))
            });
            pos = e;
        }
        if pos < within.end() {
            out.push(plain(crate::core::Span::new(pos, within.end())));
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

/// The text node and UTF-16 offset in it of a point `units` UTF-16 units
/// into a block element built here: its one text node, or (a block with
/// links, a table row) the stretch holding the point, its stretches being
/// the block's `[data-s]` elements in order.
pub fn text_point(block: &Element, units: u32) -> Option<(Node, u32)> {
    let first = block.first_child()?;
    if first.node_type() == Node::TEXT_NODE {
        return Some((first, units));
    }
    let kids = block.query_selector_all("[data-s]").ok()?;
    let mut rest = units;
    let mut last = None;
    for k in 0..kids.length() {
        let Some(text) = kids.item(k)?.first_child() else {
            continue;
        };
        let len = text.unchecked_ref::<web_sys::CharacterData>().length();
        if rest <= len {
            return Some((text, rest));
        }
        rest -= len;
        last = Some((text, len));
    }
    last
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

#[wasm_bindgen]
extern "C" {
    /// A block element, seen through the two calls made on each.
    #[wasm_bindgen(extends = Element)]
    type BlockElement;
    /// `setAttribute` with a number, which the browser writes as a string:
    /// no string is decoded on the way out of wasm.
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute_number(this: &BlockElement, name: &JsString, value: f64);
    /// `textContent = value` with a string already in JS.
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text(this: &BlockElement, value: &JsString);
}

/// Replace `root`'s children with `article`'s blocks; the block elements, by
/// block index. Each block carries `data-b` (its index) and `data-s` (its
/// first character's offset), which `web::dom` maps selections with.
///
/// Every string crossing from wasm to JS is decoded there, so the text
/// crosses once (each block is a slice of it in JS), block elements are
/// clones of one element per kind, and offsets are passed as numbers: at
/// 5,000 blocks that is one decode instead of some 25,000.
pub fn build(root: &Element, article: &Article) -> Result<Vec<Element>, JsValue> {
    let doc = root
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the article is not in a document"))?;
    let page = doc.create_document_fragment();
    let text = JsString::from(article.text());
    let (index, canonical) = (article.index(), article.text());
    let (data_b, data_s) = (JsString::from("data-b"), JsString::from("data-s"));
    let mut kinds: Vec<(BlockKind, Element)> = Vec::new();
    let mut blocks = Vec::with_capacity(article.blocks.len());
    let mut block = |i: usize, parent: &Node| -> Result<(), JsValue> {
        let b = article.blocks[i];
        let like = match kinds.iter().find(|(k, _)| *k == b.kind) {
            Some((_, el)) => el.clone(),
            None => {
                let (tag, class) = element_of(b.kind);
                let el = element(&doc, tag, class, None)?;
                kinds.push((b.kind, el.clone()));
                el
            }
        };
        let el: BlockElement = like.clone_node()?.unchecked_into();
        el.set_attribute_number(&data_b, i as f64);
        if let BlockKind::OrderedItem(n) = b.kind {
            el.set_attribute("value", &n.to_string())?;
        }
        if let Some(d) = block_dir(article, i) {
            el.set_attribute("dir", d)?;
        }
        let slice = |span: crate::core::Span| {
            text.substring(
                index.utf16_of(canonical, span.start()),
                index.utf16_of(canonical, span.end()),
            )
        };
        if article.links_in(b.span).is_empty() && !b.kind.is_row() {
            el.set_attribute_number(&data_s, b.span.start() as f64);
            el.set_text(&slice(b.span));
        } else {
            // Without `data-s` on the block: points map through its stretches.
            let header = b.kind == BlockKind::TableHeader;
            let cells: Vec<Element> = (0..cell_count(article, i))
                .map(|_| {
                    let c = doc.create_element(if header { "th" } else { "td" })?;
                    if header {
                        c.set_attribute("scope", "col")?;
                    }
                    el.append_child(&c)?;
                    Ok(c)
                })
                .collect::<Result<_, JsValue>>()?;
            for st in stretches(article, i) {
                let part: BlockElement = match st.href {
                    Some(href) => {
                        let a = doc.create_element("a")?;
                        for (k, v) in link_attributes(href) {
                            a.set_attribute(k, &v)?;
                        }
                        a.unchecked_into()
                    }
                    None => doc.create_element("span")?.unchecked_into(),
                };
                if st.hidden {
                    part.set_class_name(CELL_SEP_CLASS);
                    part.set_attribute("aria-hidden", "true")?;
                }
                part.set_attribute_number(&data_s, st.span.start() as f64);
                part.set_text(&slice(st.span));
                match st.cell.and_then(|c| cells.get(c)) {
                    Some(cell) => cell.append_child(&part)?,
                    None => el.append_child(&part)?,
                };
            }
        }
        parent.append_child(&el)?;
        blocks.push(el.unchecked_into());
        Ok(())
    };
    for piece in article.pieces() {
        match piece {
            Piece::FallbackTitle => {
                let title = element(&doc, "h1", Some("title"), Some(&article.title))?;
                page.append_child(&title)?;
            }
            Piece::Byline => {
                let line = element(&doc, "p", Some("byline"), None)?;
                for m in &article.metadata {
                    let (class, label, shown) = byline_field(m);
                    let field = element(&doc, "span", Some(&class), None)?;
                    let words = element(&doc, "bdi", None, None)?;
                    let hidden = element(&doc, "span", Some("visually-hidden"), Some(&label))?;
                    words.append_child(&hidden)?;
                    words.append_with_str_1(&shown)?;
                    field.append_child(&words)?;
                    line.append_child(&field)?;
                }
                page.append_child(&line)?;
            }
            Piece::Block(i) => block(i, &page)?,
            Piece::Table(range) => {
                let table = element(&doc, "table", Some("md-table"), None)?;
                let (head, body): (Vec<usize>, Vec<usize>) =
                    range.partition(|&b| article.blocks[b].kind == BlockKind::TableHeader);
                if !head.is_empty() {
                    let thead = element(&doc, "thead", None, None)?;
                    for i in head {
                        block(i, &thead)?;
                    }
                    table.append_child(&thead)?;
                }
                let tbody = element(&doc, "tbody", None, None)?;
                for i in body {
                    block(i, &tbody)?;
                }
                table.append_child(&tbody)?;
                page.append_child(&table)?;
            }
            Piece::List(range) | Piece::NumberedList(range) => {
                let numbered =
                    matches!(article.blocks[range.start].kind, BlockKind::OrderedItem(_));
                let list = element(&doc, if numbered { "ol" } else { "ul" }, None, None)?;
                for i in range {
                    block(i, &list)?;
                }
                page.append_child(&list)?;
            }
        }
    }
    root.set_text_content(None);
    root.append_child(&page)?;
    Ok(blocks)
}

fn element(
    doc: &Document,
    tag: &str,
    class: Option<&str>,
    text: Option<&str>,
) -> Result<Element, JsValue> {
    let el = doc.create_element(tag)?;
    if let Some(c) = class {
        el.set_class_name(c);
    }
    if let Some(t) = text {
        el.set_text_content(Some(t));
    }
    Ok(el)
}
