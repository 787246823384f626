//! DOM selection ↔ article offsets.
//!
//! The article view renders every run of text as `<span data-s="START">` (START
//! in code points) holding exactly one text node, inside a block element with
//! `data-b="INDEX"`. A DOM point in such a text node maps exactly: START plus the
//! code points in its first `offset` UTF-16 units. Any other point (an element
//! boundary, the byline, outside the article) is placed between blocks by
//! comparing it with the blocks' starts, which also clamps a selection that
//! reaches outside the article.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use crate::core::offset::{chars_to_utf16, utf16_to_chars};
use crate::core::{Article, Span};

fn data_u32(el: &Element, name: &str) -> Option<u32> {
    el.get_attribute(name)?.parse().ok()
}

/// Which end of a range a point is: a start is placed at the next block's
/// start, an end at the previous block's end.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum End {
    Start,
    End,
}

/// The article offset of a DOM point.
fn point_offset(
    root: &Element,
    article: &Article,
    node: &Node,
    offset: u32,
    end: End,
) -> Option<u32> {
    if node.node_type() == Node::TEXT_NODE {
        if let Some(parent) = node.parent_element() {
            if let Some(s) = data_u32(&parent, "data-s") {
                if root.contains(Some(&parent)) {
                    let text = node.text_content().unwrap_or_default();
                    return Some(s + utf16_to_chars(&text, offset));
                }
            }
        }
    }
    // Between blocks: find the first block that starts after the point.
    let doc = root.owner_document()?;
    let here = doc.create_range().ok()?;
    here.set_start(node, offset).ok()?;
    here.collapse_with_to_start(true);
    let blocks = root.query_selector_all("[data-b]").ok()?;
    let n = blocks.length();
    // Binary search: blocks are in document order.
    let (mut lo, mut hi) = (0u32, n);
    while lo < hi {
        let mid = (lo + hi) / 2;
        let b = blocks.item(mid)?;
        // comparePoint: 1 when (b, 0) is after the collapsed range.
        let after = here.compare_point(&b, 0).ok()? > 0;
        // A point inside block `mid` counts as not-after its start.
        if after {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    // `lo` is the first block starting after the point; the point is inside
    // or after block `lo - 1`.
    if lo > 0 {
        let prev: Element = blocks.item(lo - 1)?.dyn_into().ok()?;
        let i = data_u32(&prev, "data-b")? as usize;
        let span = article.blocks.get(i)?.span;
        let inside = prev.contains(Some(node));
        if inside {
            // An element boundary inside the block: the child at `offset`.
            return Some(element_boundary(node, offset, span, end));
        }
        if end == End::End || lo == n {
            return Some(span.end());
        }
    }
    if lo < n {
        let next: Element = blocks.item(lo)?.dyn_into().ok()?;
        let i = data_u32(&next, "data-b")? as usize;
        return Some(article.blocks.get(i)?.span.start());
    }
    Some(0)
}

/// A point at an element boundary inside a block element: before its child
/// at `offset` (the first run under that child starts there), or after its
/// last child (where the last run under it ends).
fn element_boundary(node: &Node, offset: u32, span: Span, end: End) -> u32 {
    let run_start = |el: &Element| data_u32(el, "data-s");
    let run_end = |el: &Element| {
        let len = el.text_content().map_or(0, |t| t.chars().count() as u32);
        run_start(el).map(|s| s + len)
    };
    // The first / last run at or under a node.
    let first_run = |n: &Node| -> Option<Element> {
        let el = n.dyn_ref::<Element>()?;
        if run_start(el).is_some() {
            return Some(el.clone());
        }
        el.query_selector("[data-s]").ok()?
    };
    let last_run = |n: &Node| -> Option<Element> {
        let el = n.dyn_ref::<Element>()?;
        if run_start(el).is_some() {
            return Some(el.clone());
        }
        let all = el.query_selector_all("[data-s]").ok()?;
        all.item(all.length().checked_sub(1)?)?.dyn_into().ok()
    };
    if let Some(el) = node.dyn_ref::<Element>() {
        if let Some(s) = run_start(el) {
            // Inside a run: offset 0 is its start, anything else its end.
            return if offset == 0 {
                s
            } else {
                run_end(el).unwrap_or(s)
            };
        }
        let kids = el.child_nodes();
        if let Some(at) = kids.item(offset).as_ref().and_then(first_run) {
            return run_start(&at).unwrap_or(span.start());
        }
        let before = offset.checked_sub(1).and_then(|k| kids.item(k));
        if let Some(at) = before.as_ref().and_then(last_run) {
            return run_end(&at).unwrap_or(span.end());
        }
    }
    match end {
        End::Start => span.start(),
        End::End => span.end(),
    }
}

/// The current DOM selection as a raw article span (not yet trimmed or
/// snapped), or `None` when it is collapsed or outside the article.
pub fn selection_span(root: &Element, article: &Article) -> Option<Span> {
    let sel = web_sys::window()?.get_selection().ok()??;
    if sel.range_count() == 0 || sel.is_collapsed() {
        return None;
    }
    let range = sel.get_range_at(0).ok()?;
    range_span(root, article, &range)
}

/// The article span of a DOM range (clamped to the article).
pub fn range_span(root: &Element, article: &Article, range: &Range) -> Option<Span> {
    let s = point_offset(
        root,
        article,
        &range.start_container().ok()?,
        range.start_offset().ok()?,
        End::Start,
    )?;
    let e = point_offset(
        root,
        article,
        &range.end_container().ok()?,
        range.end_offset().ok()?,
        End::End,
    )?;
    (s < e).then(|| Span::new(s, e))
}

/// The DOM point (text node, UTF-16 offset) of an article offset.
pub fn offset_point(
    root: &Element,
    article: &Article,
    offset: u32,
    end: End,
) -> Option<(Node, u32)> {
    let mut i = article.block_at(offset)?;
    // An end at a block's start belongs to the end of the previous block.
    if end == End::End && i > 0 && article.blocks[i].span.start() >= offset {
        i -= 1;
    }
    let block = root.query_selector(&format!("[data-b=\"{i}\"]")).ok()??;
    if let Some(s) = data_u32(&block, "data-s") {
        // One text node per block (highlights painted by the Highlight API).
        let text = block.first_child()?;
        let content = text.text_content().unwrap_or_default();
        return Some((text, chars_to_utf16(&content, offset.saturating_sub(s))));
    }
    // Otherwise the block is made of runs (or, with links, stretches), each
    // an element with `data-s` holding one text node.
    let runs = block.query_selector_all("[data-s]").ok()?;
    let mut found: Option<(Element, u32)> = None;
    for k in 0..runs.length() {
        let el: Element = runs.item(k)?.dyn_into().ok()?;
        let s = data_u32(&el, "data-s")?;
        if s > offset || (end == End::End && s == offset && found.is_some()) {
            break;
        }
        found = Some((el, s));
    }
    let (el, s) = found?;
    let text = el.first_child()?;
    let content = text.text_content().unwrap_or_default();
    let rel = offset.saturating_sub(s);
    Some((text, chars_to_utf16(&content, rel)))
}

/// Select `span` in the DOM (used by the keyboard word cursor and tests).
pub fn select_span(root: &Element, article: &Article, span: Span) -> Option<Range> {
    let (sn, so) = offset_point(root, article, span.start(), End::Start)?;
    let (en, eo) = offset_point(root, article, span.end(), End::End)?;
    let doc = root.owner_document()?;
    let range = doc.create_range().ok()?;
    range.set_start(&sn, so).ok()?;
    range.set_end(&en, eo).ok()?;
    let sel = web_sys::window()?.get_selection().ok()??;
    sel.remove_all_ranges().ok()?;
    sel.add_range(&range).ok()?;
    Some(range)
}

/// The HTML element with `id`, when there is one.
pub fn html_element(id: &str) -> Option<web_sys::HtmlElement> {
    gloo::utils::document()
        .get_element_by_id(id)
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
}

/// Focus the element with `id`, when there is one (the article, after the
/// control that had focus went away).
pub fn focus_id(id: &str) {
    if let Some(el) = html_element(id) {
        let _ = el.focus();
    }
}

/// Clear the DOM selection.
pub fn clear_selection() {
    if let Some(Ok(Some(sel))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = sel.remove_all_ranges();
    }
}

/// The first highlight element of an annotation, if rendered.
pub fn highlight_element(root: &Element, id: &str) -> Option<Element> {
    root.query_selector(&format!("[data-ids~=\"{id}\"]")).ok()?
}

/// The article offset of a DOM point (a caret under the pointer, say).
pub fn node_offset(root: &Element, article: &Article, node: &Node, offset: u32) -> Option<u32> {
    root.contains(Some(node))
        .then(|| point_offset(root, article, node, offset, End::Start))
        .flatten()
}
