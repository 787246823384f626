//! Painting annotations with the CSS Custom Highlight API.
//!
//! Highlights are `Range`s registered under names (`cm-fact`, `cm-quote`,
//! `cm-analysis`, `cm-selected`, `cm-hovered`, `cm-flash`) and styled with
//! `::highlight()` in CSS. No element is added to the article: the article's
//! DOM stays one text node per block, built by [`super::render`] when the
//! article (or the element it is drawn in) changes. Where the API is missing,
//! the UI falls back to `<mark>` runs (see `ui::article_view`).

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use super::render;
use crate::core::offset::Span;
use crate::core::{Annotation, AnnotationId, Article, State, Tag};

#[wasm_bindgen]
extern "C" {
    /// A CSS `Highlight`: a set of ranges.
    #[wasm_bindgen(js_name = Highlight)]
    pub type JsHighlight;
    #[wasm_bindgen(constructor, js_class = "Highlight")]
    fn new() -> JsHighlight;
    #[wasm_bindgen(method, js_class = "Highlight")]
    fn add(this: &JsHighlight, range: &Range) -> JsHighlight;
    #[wasm_bindgen(method, js_class = "Highlight", js_name = delete)]
    fn remove(this: &JsHighlight, range: &Range) -> bool;
    #[wasm_bindgen(method, js_class = "Highlight")]
    fn clear(this: &JsHighlight);
}

/// `CSS.highlights`, when this browser has the Custom Highlight API.
fn registry() -> Option<JsValue> {
    let global = js_sys::global();
    let css = js_sys::Reflect::get(&global, &"CSS".into()).ok()?;
    let reg = js_sys::Reflect::get(&css, &"highlights".into()).ok()?;
    let ctor = js_sys::Reflect::get(&global, &"Highlight".into()).ok()?;
    (!reg.is_undefined() && ctor.is_function()).then_some(reg)
}

/// Whether the Custom Highlight API is available.
pub fn supported() -> bool {
    registry().is_some()
}

fn register(name: &str, h: &JsHighlight) {
    if let Some(reg) = registry() {
        if let Ok(set) = js_sys::Reflect::get(&reg, &"set".into()) {
            if let Ok(f) = set.dyn_into::<js_sys::Function>() {
                let _ = f.call2(&reg, &name.into(), h);
            }
        }
    }
}

/// The registered name of a tag's highlight.
pub fn name(tag: Tag) -> &'static str {
    match tag {
        Tag::Fact => "cm-fact",
        Tag::Quote => "cm-quote",
        Tag::Analysis => "cm-analysis",
    }
}

/// Up to this many annotations every one is painted; beyond, only those near
/// the viewport. Chromium's marker rebuild costs ~8 µs a range on each change
/// (so ~8 ms here, under a frame), and small documents stay simple.
const PAINT_ALL_UP_TO: usize = 1_000;

/// The first index in `0..n` where `pred` turns false (it must be true,
/// then false, along the blocks).
fn partition_point(n: usize, pred: impl Fn(usize) -> bool) -> usize {
    let (mut lo, mut hi) = (0, n);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    lo
}

/// Which of the painter's tag highlights paints `tag`.
fn tag_index(tag: Tag) -> usize {
    Tag::ALL.iter().position(|t| *t == tag).unwrap_or(0)
}

/// Keeps the registered highlights in step with the annotations.
pub struct Painter {
    tags: [JsHighlight; 3],
    selected: JsHighlight,
    hovered: JsHighlight,
    flash: JsHighlight,
    /// The range painted for each annotation, and the annotation it was made
    /// for (compared by pointer: a changed annotation is a new `Rc`).
    ranges: HashMap<AnnotationId, (Rc<Annotation>, Range)>,
    /// The block elements, by block index, built for `article` in `root`.
    blocks: Vec<Element>,
    /// Each block's first UTF-16 unit in the text (DOM offsets count units).
    starts: Vec<u32>,
    article: Option<Rc<Article>>,
    root: Option<Element>,
    /// The state whose annotations are painted (read, never copied: a copy
    /// of 10,000 pointers per change cost more than the change).
    state: Option<Rc<RefCell<State>>>,
    /// How many annotations there were at the last sync.
    count: usize,
    /// The blocks `[lo, hi)` whose annotations are painted.
    window: (usize, usize),
    /// Paint everything regardless of the viewport (while printing).
    everything: bool,
}

impl Painter {
    /// A painter with its highlights registered, or `None` without the API.
    pub fn new() -> Option<Painter> {
        supported().then(|| {
            let p = Painter {
                tags: [JsHighlight::new(), JsHighlight::new(), JsHighlight::new()],
                selected: JsHighlight::new(),
                hovered: JsHighlight::new(),
                flash: JsHighlight::new(),
                ranges: HashMap::new(),
                blocks: Vec::new(),
                starts: Vec::new(),
                article: None,
                root: None,
                state: None,
                count: 0,
                window: (0, 0),
                everything: false,
            };
            for (t, h) in Tag::ALL.iter().zip(&p.tags) {
                register(name(*t), h);
            }
            register("cm-selected", &p.selected);
            register("cm-hovered", &p.hovered);
            register("cm-flash", &p.flash);
            p
        })
    }

    fn tag_highlight(&self, tag: Tag) -> &JsHighlight {
        &self.tags[tag_index(tag)]
    }

    /// Keep the highlights in step with `annotations` (building the article's
    /// blocks first when the article or its element is new): paint those in
    /// the window around the viewport (see [`Painter::follow_viewport`]),
    /// adding the new, dropping the gone and repainting the changed.
    pub fn sync(&mut self, root: &Element, article: &Rc<Article>, state: &Rc<RefCell<State>>) {
        let same_article = self
            .article
            .as_ref()
            .is_some_and(|a| Rc::ptr_eq(a, article));
        let same_root = self.root.as_ref() == Some(root);
        let was_windowed = self.count > PAINT_ALL_UP_TO;
        self.state = Some(state.clone());
        self.count = state.borrow().annotations().len();
        if was_windowed != (self.count > PAINT_ALL_UP_TO) {
            // An import crossed the threshold (or a delete back under it).
            self.window = self.window_around_viewport();
        }
        if !same_article || !same_root {
            for h in &self.tags {
                h.clear();
            }
            self.ranges.clear();
            self.blocks = match render::build(root, article) {
                Ok(blocks) => blocks,
                Err(e) => {
                    web_sys::console::error_1(&e);
                    vec![]
                }
            };
            let (text, idx) = (article.text(), article.index());
            self.starts = article
                .blocks
                .iter()
                .map(|b| idx.utf16_of(text, b.span.start()))
                .collect();
            self.article = Some(article.clone());
            self.root = Some(root.clone());
            self.window = self.window_around_viewport();
        }
        self.paint_window();
    }

    /// After a scroll or resize: move the window when the viewport comes
    /// near its edge. Cheap when it does not (a dozen rectangle reads).
    pub fn follow_viewport(&mut self) {
        if self.paints_all() {
            return;
        }
        let Some((first, end)) = self.visible_blocks() else {
            return;
        };
        let (lo, hi) = self.window;
        let slack = (end - first).max(4);
        let near_top = lo > 0 && first < lo + slack;
        let near_bottom = hi < self.blocks.len() && end + slack > hi;
        if near_top || near_bottom || end <= lo || first >= hi {
            self.window = self.window_around_viewport();
            self.paint_window();
        }
    }

    /// Paint every annotation (for printing), or go back to the window.
    pub fn paint_everything(&mut self, everything: bool) {
        self.everything = everything;
        self.window = if everything {
            (0, self.blocks.len())
        } else {
            self.window_around_viewport()
        };
        self.paint_window();
    }

    /// Whether every annotation is painted, wherever the viewport is: while
    /// printing, or with few enough of them.
    fn paints_all(&self) -> bool {
        self.everything || self.count <= PAINT_ALL_UP_TO
    }

    /// The blocks on screen: the first whose bottom is below the top of the
    /// viewport, to the first whose top is below its bottom.
    fn visible_blocks(&self) -> Option<(usize, usize)> {
        let n = self.blocks.len();
        let height = web_sys::window()?.inner_height().ok()?.as_f64()?;
        if n == 0 {
            return None;
        }
        let rect = |i: usize| self.blocks[i].get_bounding_client_rect();
        let first = partition_point(n, |i| rect(i).bottom() < 0.0).min(n - 1);
        let end = partition_point(n, |i| rect(i).top() <= height).clamp(first + 1, n);
        Some((first, end))
    }

    /// The blocks on screen and two screens' worth either side (all of
    /// them for up to [`PAINT_ALL_UP_TO`] annotations).
    fn window_around_viewport(&self) -> (usize, usize) {
        let n = self.blocks.len();
        if self.paints_all() {
            return (0, n);
        }
        let (first, end) = self.visible_blocks().unwrap_or((0, n.min(1)));
        let margin = 2 * (end - first) + 8;
        (first.saturating_sub(margin), (end + margin).min(n))
    }

    /// Paint exactly the placed annotations that touch the window's blocks.
    ///
    /// Chromium rebuilds its markers for every registered range whenever a
    /// highlight or the DOM changes (80 ms for 10,000 ranges on a 1 MB
    /// article, on every key press, measured in a trace): painting only
    /// what is near the viewport keeps that to the few hundred in view.
    fn paint_window(&mut self) {
        let Some(article) = self.article.clone() else {
            return;
        };
        let (lo, hi) = self.window;
        let (Some(first), Some(last)) = (
            article.blocks.get(lo),
            hi.checked_sub(1).and_then(|l| article.blocks.get(l)),
        ) else {
            return;
        };
        let (from, to) = (first.span.start(), last.span.end());
        let Some(state) = self.state.clone() else {
            return;
        };
        let state = state.borrow();
        let wanted = state
            .annotations()
            .iter()
            .filter(|a| a.is_anchored() && a.span.start() < to && a.span.end() > from);
        // Look each annotation up rather than rebuild the map: after one
        // change among thousands, most are already painted as they are.
        let mut placed = 0;
        for a in wanted.clone() {
            if let Some((old, _)) = self.ranges.get(&a.id) {
                if Rc::ptr_eq(old, a) {
                    placed += 1;
                    continue;
                }
            }
            if let Some((old, range)) = self.ranges.remove(&a.id) {
                self.tag_highlight(old.tag).remove(&range);
            }
            if let Some(range) = self.range(&article, a.span) {
                self.tag_highlight(a.tag).add(&range);
                self.ranges.insert(a.id.clone(), (a.clone(), range));
                placed += 1;
            }
        }
        if self.ranges.len() > placed {
            // Some painted annotation is gone, or out of the window.
            let live: HashSet<&AnnotationId> = wanted.map(|a| &a.id).collect();
            let tags = &self.tags;
            self.ranges.retain(|id, (old, range)| {
                let keep = live.contains(id);
                if !keep {
                    tags[tag_index(old.tag)].remove(range);
                }
                keep
            });
        }
    }

    /// A DOM range over `span`, using the block elements read at sync.
    fn range(&self, article: &Article, span: Span) -> Option<Range> {
        let (sn, so) = self.point(article, span.start(), false)?;
        let (en, eo) = self.point(article, span.end(), true)?;
        let range = Range::new().ok()?;
        range.set_start(&sn, so).ok()?;
        range.set_end(&en, eo).ok()?;
        Some(range)
    }

    fn point(&self, article: &Article, offset: u32, is_end: bool) -> Option<(Node, u32)> {
        let mut i = article
            .block_at(offset)
            .unwrap_or(article.blocks.len().checked_sub(1)?);
        if is_end && i > 0 && article.blocks[i].span.start() >= offset {
            i -= 1;
        }
        let block = article.blocks[i].span;
        let text = article.text();
        let idx = article.index();
        let at = offset.clamp(block.start(), block.end());
        render::text_point(
            self.blocks.get(i)?,
            idx.utf16_of(text, at) - self.starts.get(i)?,
        )
    }

    /// The range of a placed annotation: the painted one, or (outside the
    /// window) a new one.
    pub fn range_of(&self, id: &AnnotationId) -> Option<Range> {
        if let Some((_, r)) = self.ranges.get(id) {
            return Some(r.clone());
        }
        let state = self.state.as_ref()?.borrow();
        let a = state.get(id)?;
        a.is_anchored()
            .then(|| self.range(self.article.as_ref()?, a.span))
            .flatten()
    }

    pub fn set_selected(&self, id: Option<&AnnotationId>) {
        self.selected.clear();
        if let Some(r) = id.and_then(|id| self.range_of(id)) {
            self.selected.add(&r);
        }
    }

    pub fn set_hovered(&self, id: Option<&AnnotationId>) {
        self.hovered.clear();
        if let Some(r) = id.and_then(|id| self.range_of(id)) {
            self.hovered.add(&r);
        }
    }

    /// Flash an annotation's highlight briefly (after a jump from the panel).
    pub fn flash(&self, id: &AnnotationId) {
        self.flash.clear();
        if let Some(r) = self.range_of(id) {
            self.flash.add(&r);
            let h: JsValue = self.flash.clone().into();
            gloo::timers::callback::Timeout::new(900, move || {
                h.unchecked_into::<JsHighlight>().clear()
            })
            .forget();
        }
    }
}

impl Clone for JsHighlight {
    fn clone(&self) -> Self {
        JsValue::clone(self).unchecked_into()
    }
}

/// The DOM point under the pointer, via `caretPositionFromPoint` (or the
/// older `caretRangeFromPoint`).
pub fn caret_at(x: f64, y: f64) -> Option<(Node, u32)> {
    let doc = gloo::utils::document();
    let call = |name: &str| -> Option<JsValue> {
        let f = js_sys::Reflect::get(&doc, &name.into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        f.call2(&doc, &x.into(), &y.into())
            .ok()
            .filter(|v| !v.is_null() && !v.is_undefined())
    };
    if let Some(pos) = call("caretPositionFromPoint") {
        let node = js_sys::Reflect::get(&pos, &"offsetNode".into())
            .ok()?
            .dyn_into::<Node>()
            .ok()?;
        let offset = js_sys::Reflect::get(&pos, &"offset".into())
            .ok()?
            .as_f64()? as u32;
        return Some((node, offset));
    }
    let range: Range = call("caretRangeFromPoint")?.dyn_into().ok()?;
    Some((range.start_container().ok()?, range.start_offset().ok()?))
}
