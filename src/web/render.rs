//! The article's DOM when highlights are painted (the usual case): built here
//! in one pass, not by Yew, from the article's markup as `core::markup`
//! describes it (the same description the build pre-renders the seed from
//! and the first-paint script draws a returning person's article from).
//!
//! With the CSS Custom Highlight API each block is one element holding one
//! text node, and nothing in it changes until another article is opened. Kept
//! in Yew's virtual DOM, 5,000 blocks cost their text a second time plus a
//! component each in wasm memory (3.3 MB at 1 MB / 10,000 annotations, a
//! quarter of the heap) for nothing to compare. Yew renders the `<article>`
//! element with no children and leaves these alone. The shape is the one Yew
//! draws when highlights are `<mark>` runs (`ui::article_view`): both follow
//! [`Article::pieces`] and the helpers of `core::markup`.
//!
//! Links open in a new tab, never tell the page they lead to where they came
//! from (`rel="noopener noreferrer"`), and are not draggable, so pressing on
//! one and moving selects text as anywhere else (see `ui::article_view` for
//! when a click follows one).

use js_sys::JsString;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::core::markup::{self, Sink, Text, Value};
use crate::core::Article;

pub use crate::core::markup::{
    block_dir, byline_field, cell_count, element_of, link_attributes, stretches, Stretch,
    CELL_SEP_CLASS, LINK_CLASS,
};

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

#[wasm_bindgen]
extern "C" {
    /// An element, seen through the two calls made on each.
    #[wasm_bindgen(extends = Element)]
    type BlockElement;
    /// `setAttribute` with a number, which the browser writes as a string:
    /// no string is decoded on the way out of wasm.
    #[wasm_bindgen(method, js_name = setAttribute)]
    fn set_attribute_number(this: &BlockElement, name: &JsString, value: f64);
    /// `textContent = value` with a string already in JS.
    #[wasm_bindgen(method, setter = textContent)]
    fn set_text(this: &BlockElement, value: &JsString);
    /// `append(value)`: a text node after the element's other children.
    #[wasm_bindgen(method, js_name = append)]
    fn append_text(this: &BlockElement, value: &JsString);
}

/// Builds the DOM from `core::markup`: the text crosses to JS once (each
/// text node is a slice of it there), elements are clones of one element
/// per tag and class, and numbers are passed as numbers — at 5,000 blocks
/// one decode instead of some 25,000.
struct Dom<'a> {
    doc: Document,
    article: &'a Article,
    text: JsString,
    /// The elements being filled, innermost last (a fragment at the bottom).
    stack: Vec<(BlockElement, bool)>,
    templates: Vec<((&'static str, String), Element)>,
    names: Vec<(&'static str, JsString)>,
    blocks: Vec<Element>,
}

impl Dom<'_> {
    fn name(&mut self, name: &'static str) -> JsString {
        match self.names.iter().find(|(n, _)| std::ptr::eq(*n, name)) {
            Some((_, js)) => js.clone(),
            None => {
                let js = JsString::from(name);
                self.names.push((name, js.clone()));
                js
            }
        }
    }
}

impl Sink for Dom<'_> {
    type Error = JsValue;
    fn open(
        &mut self,
        tag: &'static str,
        attrs: &[(&'static str, Value<'_>)],
    ) -> Result<(), JsValue> {
        let class = attrs
            .iter()
            .find(|(k, _)| *k == "class")
            .map(|(_, v)| v.text());
        let like = match self
            .templates
            .iter()
            .find(|((t, c), _)| *t == tag && Some(c.as_str()) == class.as_deref())
        {
            Some((_, el)) => el.clone(),
            None => {
                let el = self.doc.create_element(tag)?;
                if let Some(c) = &class {
                    el.set_class_name(c);
                }
                self.templates.push((
                    (tag, class.as_deref().unwrap_or("").to_string()),
                    el.clone(),
                ));
                el
            }
        };
        let el: BlockElement = like.clone_node()?.unchecked_into();
        for (name, value) in attrs {
            match value {
                _ if *name == "class" => {}
                Value::Num(n) => {
                    if *name == "data-b" {
                        self.blocks.push(el.clone().unchecked_into());
                    }
                    let js = self.name(name);
                    el.set_attribute_number(&js, *n as f64);
                }
                v => el.set_attribute(name, &v.text())?,
            }
        }
        if let Some((parent, filled)) = self.stack.last_mut() {
            parent.append_child(&el)?;
            *filled = true;
        }
        self.stack.push((el, false));
        Ok(())
    }
    fn text(&mut self, text: Text<'_>) -> Result<(), JsValue> {
        let js = match text {
            Text::Span(span) => {
                let (index, canonical) = (self.article.index(), self.article.text());
                self.text.substring(
                    index.utf16_of(canonical, span.start()),
                    index.utf16_of(canonical, span.end()),
                )
            }
            Text::Str(s) => JsString::from(s),
        };
        if let Some((el, filled)) = self.stack.last_mut() {
            // One text node: `textContent` on an empty element, else appended.
            if *filled {
                el.append_text(&js);
            } else {
                el.set_text(&js);
            }
            *filled = true;
        }
        Ok(())
    }
    fn close(&mut self) -> Result<(), JsValue> {
        self.stack.pop();
        Ok(())
    }
}

/// Replace `root`'s children with `article`'s blocks; the block elements, by
/// block index. Each block carries `data-b` (its index) and its text nodes
/// sit under elements carrying `data-s` (their first character's offset),
/// which `web::dom` maps selections with.
pub fn build(root: &Element, article: &Article) -> Result<Vec<Element>, JsValue> {
    let doc = root
        .owner_document()
        .ok_or_else(|| JsValue::from_str("the article is not in a document"))?;
    let page = doc.create_document_fragment();
    let mut dom = Dom {
        doc,
        article,
        text: JsString::from(article.text()),
        stack: vec![(page.clone().unchecked_into(), false)],
        templates: Vec::new(),
        names: Vec::new(),
        blocks: Vec::with_capacity(article.blocks.len()),
    };
    markup::write(article, &mut dom)?;
    root.set_text_content(None);
    root.append_child(&page)?;
    Ok(dom.blocks)
}
