//! The thin browser layer: clocks, ids, DOM selection ↔ article offsets, the
//! article's DOM when highlights are painted ([`render`]), storage and files.

use wasm_bindgen::JsCast;

pub mod couch;
pub mod dom;
pub mod files;
pub mod highlight;
pub mod html;
pub mod journal;
pub mod later;
pub mod local_store;
pub mod print;
pub mod render;
pub mod typing;
pub mod words;

use crate::core::{AnnotationId, Timestamp};

/// Now, from the browser's clock.
pub fn now() -> Timestamp {
    Timestamp(js_sys::Date::now() as i64)
}

/// A fresh UUID v4 from `crypto.getRandomValues` (falls back to `Math.random`
/// where Web Crypto is missing, e.g. an insecure context in an old browser).
pub fn new_id() -> AnnotationId {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut bytes).ok())
        .is_some();
    if !filled {
        for b in &mut bytes {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    AnnotationId::from_random_bytes(bytes)
}

/// `performance.mark(name)`, ignored where the Performance API is missing.
pub fn mark(name: &str) {
    if let Some(p) = web_sys::window().and_then(|w| w.performance()) {
        let _ = p.mark(name);
    }
}

/// The app is ready: it takes the place of the page drawn before it arrived
/// (index.html's `#first-paint`, see `assets/first-paint.js`), over which it
/// was laid out unseen while it started (`ui::start`) — in one task, so the
/// next frame shows the same page in the same place.
pub fn hand_over() {
    let doc = gloo::utils::document();
    if let Some(first) = doc.get_element_by_id("first-paint") {
        first.remove();
    }
    if let Some(html) = doc.document_element() {
        let _ = html.remove_attribute("data-starting");
        let _ = html.remove_attribute("data-first-paint");
    }
}

/// `performance.mark('claimmark:ready')`, with the wasm memory size and the
/// number of annotations loaded as its detail (what the benchmark reports
/// as the wasm heap, and checks against what it stored).
pub fn mark_ready(annotations: usize) {
    mark_with("claimmark:ready", Some(annotations));
}

/// `performance.mark(name)` with the wasm memory size (`wasmBytes`) as its
/// detail: the benchmark reads it after loading and after merging another
/// tab's change.
pub fn mark_memory(name: &str) {
    mark_with(name, None);
}

fn mark_with(name: &str, annotations: Option<usize>) {
    let Some(p) = web_sys::window().and_then(|w| w.performance()) else {
        return;
    };
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let bytes = memory
        .buffer()
        .unchecked_into::<js_sys::ArrayBuffer>()
        .byte_length();
    let detail = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&detail, &"wasmBytes".into(), &(bytes as f64).into());
    if let Some(n) = annotations {
        let _ = js_sys::Reflect::set(&detail, &"annotations".into(), &(n as f64).into());
    }
    let opts = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&opts, &"detail".into(), &detail);
    // performance.mark(name, { detail }) — called through JS: web-sys has no binding for the options.
    let called = js_sys::Reflect::get(&p, &"mark".into())
        .ok()
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        .map(|f| f.call2(&p, &name.into(), &opts));
    if !matches!(called, Some(Ok(_))) {
        let _ = p.mark(name);
    }
}

/// Run `f` before the next paint (`requestAnimationFrame`): for reading
/// layout after a change without forcing an extra layout in the middle of
/// the change's own task.
pub fn next_frame(f: impl FnOnce() + 'static) {
    let cb = wasm_bindgen::closure::Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        let _ = w.request_animation_frame(cb.unchecked_ref());
    }
}
