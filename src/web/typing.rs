//! What the browser's own undo would take back in a text field: typing of
//! the person's not yet committed.
//!
//! The browser keeps one undo history for the whole page, and Ctrl+Z on a
//! button or a select undoes the last typing anywhere: focus jumps into the
//! note and its text goes, outside the app's history. So the app decides:
//! the browser's undo acts only in a text field where the person has typed
//! since it took focus (or since its value was last committed or set by the
//! app) and that typing is still there; its redo only where the person has
//! just undone typing there. Everywhere else Ctrl+Z is the app's undo.
//!
//! The marks live on the element itself (JavaScript properties): the value
//! it started from, whether the person typed, and how many of their
//! undos the browser could redo.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Element, HtmlInputElement, HtmlTextAreaElement};

const BASELINE: &str = "__claimmarkBaseline";
const TYPED: &str = "__claimmarkTyped";
const REDOS: &str = "__claimmarkRedos";

/// The value of a text field (a textarea, a text-like input, an editable
/// element); `None` for anything else.
pub fn text_value(el: &Element) -> Option<String> {
    if let Some(t) = el.dyn_ref::<HtmlTextAreaElement>() {
        return Some(t.value());
    }
    if let Some(i) = el.dyn_ref::<HtmlInputElement>() {
        let kind = i.type_();
        return matches!(
            kind.as_str(),
            "" | "text" | "search" | "url" | "email" | "tel" | "password" | "number"
        )
        .then(|| i.value());
    }
    el.closest("[contenteditable]")
        .ok()
        .flatten()
        .map(|e| e.text_content().unwrap_or_default())
}

fn set(el: &Element, name: &str, v: &JsValue) {
    let _ = js_sys::Reflect::set(el, &name.into(), v);
}

fn get(el: &Element, name: &str) -> JsValue {
    js_sys::Reflect::get(el, &name.into()).unwrap_or(JsValue::UNDEFINED)
}

/// The field's value now is the one nothing of the person's is on top of:
/// it took focus, committed, or the app put it in.
pub fn settle(el: &Element) {
    if let Some(v) = text_value(el) {
        set(el, BASELINE, &v.into());
        set(el, TYPED, &false.into());
        set(el, REDOS, &0.into());
    }
}

/// Note an `input` event on a field: typing, or the browser's own undo or
/// redo there (`inputType` `historyUndo`, `historyRedo`).
pub fn note_input(el: &Element, input_type: &str) {
    let redos = get(el, REDOS).as_f64().unwrap_or(0.0);
    match input_type {
        "historyUndo" => set(el, REDOS, &(redos + 1.0).into()),
        "historyRedo" => set(el, REDOS, &(redos - 1.0).max(0.0).into()),
        _ => {
            set(el, TYPED, &true.into());
            set(el, REDOS, &0.into());
        }
    }
}

/// Whether the browser's undo in `el` would take back typing of the
/// person's: they typed there and it is not all undone yet.
pub fn undoable(el: &Element) -> bool {
    let Some(now) = text_value(el) else {
        return false;
    };
    get(el, TYPED).as_bool() == Some(true) && get(el, BASELINE).as_string() != Some(now)
}

/// Whether the browser's redo in `el` would bring back typing of the
/// person's they have just undone there.
pub fn redoable(el: &Element) -> bool {
    text_value(el).is_some() && get(el, REDOS).as_f64().unwrap_or(0.0) > 0.0
}
