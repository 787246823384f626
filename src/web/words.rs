//! The browser's word dictionary: `Intl.Segmenter` with `granularity:
//! "word"`, which knows where words end in Chinese, Japanese, Thai, Lao,
//! Khmer and Myanmar (ICU's dictionaries). The core's snapping and word
//! cursor ask it through [`Dictionary`]; where a browser has no
//! `Intl.Segmenter` (Firefox before 125), [`IntlWords::new`] gives `None`
//! and the core's own rule stands in.
//!
//! A small binding of our own rather than js-sys's: its constructor there
//! cannot report the exception a missing `Intl.Segmenter` (or a bad
//! language tag) throws. Offsets come back in UTF-16 units and are turned
//! into code points here, at the edge.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::selection::Dictionary;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_namespace = Intl, js_name = Segmenter)]
    type Segmenter;
    #[wasm_bindgen(constructor, js_namespace = Intl, js_class = "Segmenter", catch)]
    fn new(locales: &JsValue, options: &JsValue) -> Result<Segmenter, JsValue>;
    #[wasm_bindgen(method, js_class = "Segmenter")]
    fn segment(this: &Segmenter, input: &str) -> JsValue;

    /// One segment the iterator gives: where it starts (UTF-16), its text,
    /// and whether it is a word (not spaces or punctuation).
    type SegmentData;
    #[wasm_bindgen(method, getter)]
    fn index(this: &SegmentData) -> u32;
    #[wasm_bindgen(method, getter)]
    fn segment(this: &SegmentData) -> js_sys::JsString;
    #[wasm_bindgen(method, getter, js_name = isWordLike)]
    fn is_word_like(this: &SegmentData) -> Option<bool>;
}

/// `Intl.Segmenter` for words in one language.
pub struct IntlWords(Segmenter);

impl IntlWords {
    /// A word segmenter for `lang` (the browser's default language when
    /// `None` or unknown to it); `None` when the browser has none.
    pub fn new(lang: Option<&str>) -> Option<IntlWords> {
        let options = js_sys::Object::new();
        js_sys::Reflect::set(&options, &"granularity".into(), &"word".into()).ok()?;
        let locales = match lang {
            Some(l) => js_sys::Array::of1(&l.into()).into(),
            None => JsValue::UNDEFINED,
        };
        Segmenter::new(&locales, &options)
            .or_else(|_| Segmenter::new(&JsValue::UNDEFINED, &options))
            .ok()
            .map(IntlWords)
    }
}

impl Dictionary for IntlWords {
    fn words(&self, text: &str) -> Vec<(u32, u32)> {
        // Code points before each UTF-16 unit of `text` (and its end).
        let mut cp = Vec::with_capacity(text.len() + 1);
        for (i, c) in text.chars().enumerate() {
            for _ in 0..c.len_utf16() {
                cp.push(i as u32);
            }
        }
        cp.push(text.chars().count() as u32);
        let at = |unit: u32| cp.get(unit as usize).copied();
        let Ok(Some(segments)) = js_sys::try_iter(&self.0.segment(text)) else {
            return vec![];
        };
        let mut out = Vec::new();
        for item in segments.flatten() {
            let seg: SegmentData = item.unchecked_into();
            if seg.is_word_like() != Some(true) {
                continue;
            }
            let start = seg.index();
            let end = start + seg.segment().length();
            if let (Some(s), Some(e)) = (at(start), at(end)) {
                out.push((s, e));
            }
        }
        out
    }
}
