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
//! A block with links is the exception: its text is split into one element
//! per stretch — `<span data-s>` outside links, `<a data-s>` inside — each
//! holding one text node, so a DOM point still maps to an offset exactly
//! ([`text_point`] finds the node for an offset). Links open in a new tab,
//! never tell the page they lead to where they came from
//! (`rel="noopener noreferrer"`), and are not draggable, so pressing on one
//! and moving selects text as anywhere else (see `ui::article_view` for
//! when a click follows one).

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

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
    }
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

/// The stretches of block `i`, cut where links start and end: `(span,
/// link address)`. One stretch, with no address, when it has no links.
pub fn stretches(article: &Article, i: usize) -> Vec<(crate::core::Span, Option<&str>)> {
    let span = article.blocks[i].span;
    let mut out = Vec::new();
    let mut pos = span.start();
    for l in article.links_in(span) {
        if l.span.start() > pos {
            out.push((crate::core::Span::new(pos, l.span.start()), None));
        }
        out.push((l.span, Some(l.href.as_str())));
        pos = l.span.end();
    }
    if pos < span.end() || out.is_empty() {
        out.push((crate::core::Span::new(pos, span.end()), None));
    }
    out
}

/// The text node and UTF-16 offset in it of a point `units` UTF-16 units
/// into a block element built here: its one text node, or (a block with
/// links) the stretch holding the point.
pub fn text_point(block: &Element, units: u32) -> Option<(Node, u32)> {
    let first = block.first_child()?;
    if first.node_type() == Node::TEXT_NODE {
        return Some((first, units));
    }
    let kids = block.child_nodes();
    let mut rest = units;
    let mut last = None;
    for k in 0..kids.length() {
        let text = kids.item(k)?.first_child()?;
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
/// read out (visually hidden) and the words shown.
pub fn byline_field(m: &MetaField) -> (String, String, String) {
    let shown = if m.kind == MetaKind::Author {
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
        let slice = |span: crate::core::Span| {
            text.substring(
                index.utf16_of(canonical, span.start()),
                index.utf16_of(canonical, span.end()),
            )
        };
        if article.links_in(b.span).is_empty() {
            el.set_attribute_number(&data_s, b.span.start() as f64);
            el.set_text(&slice(b.span));
        } else {
            // Without `data-s` on the block: points map through its stretches.
            for (span, href) in stretches(article, i) {
                let part: BlockElement = match href {
                    Some(href) => {
                        let a = doc.create_element("a")?;
                        for (k, v) in link_attributes(href) {
                            a.set_attribute(k, &v)?;
                        }
                        a.unchecked_into()
                    }
                    None => doc.create_element("span")?.unchecked_into(),
                };
                part.set_attribute_number(&data_s, span.start() as f64);
                part.set_text(&slice(span));
                el.append_child(&part)?;
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
                    let hidden = element(&doc, "span", Some("visually-hidden"), Some(&label))?;
                    field.append_child(&hidden)?;
                    field.append_with_str_1(&shown)?;
                    line.append_child(&field)?;
                }
                page.append_child(&line)?;
            }
            Piece::Block(i) => block(i, &page)?,
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
