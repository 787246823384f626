//! The thin browser layer: clocks, ids, and DOM selection ↔ article offsets.
//! Nothing here edits the article's DOM; Yew renders it.

pub mod dom;
pub mod storage;

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
