//! Painting annotations with the CSS Custom Highlight API.
//!
//! Highlights are `Range`s registered under names (`cm-fact`, `cm-quote`,
//! `cm-analysis`, `cm-selected`, `cm-hovered`, `cm-flash`) and styled with
//! `::highlight()` in CSS. No element is added to the article: the article's
//! DOM stays one text node per block, built by [`super::render`] when the
//! article (or the element it is drawn in) changes. Where the API is missing,
//! the UI falls back to `<mark>` runs (see `ui::article_view`).

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use super::render;
use crate::core::offset::Span;
use crate::core::{Annotation, AnnotationId, Article, Tag};

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

    /// Paint exactly `annotations`: add the new, drop the gone, repaint the changed.
    pub fn sync(&mut self, root: &Element, article: &Rc<Article>, annotations: &[Rc<Annotation>]) {
        let same_article = self
            .article
            .as_ref()
            .is_some_and(|a| Rc::ptr_eq(a, article));
        let same_root = self.root.as_ref() == Some(root);
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
        }
        // Look each annotation up rather than rebuild the map: after one
        // change at 10,000 annotations, that is 10,000 lookups instead of as
        // many removals and insertions into a new map.
        let mut placed = 0;
        for a in annotations {
            if let Some((old, _)) = self.ranges.get(&a.id) {
                if Rc::ptr_eq(old, a) {
                    placed += 1;
                    continue;
                }
            }
            if let Some((old, range)) = self.ranges.remove(&a.id) {
                self.tag_highlight(old.tag).remove(&range);
            }
            let range = a.is_anchored().then(|| self.range(article, a.span));
            if let Some(range) = range.flatten() {
                self.tag_highlight(a.tag).add(&range);
                self.ranges.insert(a.id.clone(), (a.clone(), range));
                placed += 1;
            }
        }
        if self.ranges.len() > placed {
            // Some painted annotation is gone.
            let live: HashSet<&AnnotationId> = annotations.iter().map(|a| &a.id).collect();
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
        let node = self.blocks.get(i)?.first_child()?;
        let text = article.text();
        let idx = article.index();
        let at = offset.clamp(block.start(), block.end());
        Some((node, idx.utf16_of(text, at) - self.starts.get(i)?))
    }

    /// The painted range of an annotation.
    pub fn range_of(&self, id: &AnnotationId) -> Option<Range> {
        self.ranges.get(id).map(|(_, r)| r.clone())
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
