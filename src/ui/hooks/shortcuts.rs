//! Keys that work anywhere on the page: F/Q/A (or 1/2/3) tag the selection,
//! Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, Ctrl/Cmd+P prints
//! (asking for the person's name the first time, as the Print button does),
//! ? lists the keys, / searches all articles, L links the current annotation,
//! Escape drops the selection or closes the chooser.
//!
//! Undo and redo follow one rule: the browser's own undo only where it
//! would take back typing of the person's still in a text field (see
//! `web::typing`); everywhere else — a select, a button, a menu, a field
//! with nothing typed — the app's, so every change goes through the app's
//! history and is said. In an open dialog nothing behind it changes: there
//! Ctrl+Z outside such typing does nothing at all.
//!
//! The other keys do not act while a dialog is open, or while focus is in
//! a text field, a select, an editable element, a dialog or a menu: typing
//! "3" in a name field is typing, never tagging. No key acts while an input
//! method is composing ([`composing`]): a Japanese or Chinese typist's
//! keys, Enter included, belong to the input method until the text is
//! committed.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

use crate::core::Tag;
use crate::web::typing;

/// What the keys do, and whether they may act now.
#[derive(Clone)]
pub struct Shortcuts {
    pub tag: Callback<Tag>,
    pub undo: Callback<()>,
    pub redo: Callback<()>,
    pub help: Callback<()>,
    pub escape: Callback<()>,
    /// Print (as the Print button does).
    pub print: Callback<()>,
    /// A selection waits to be tagged.
    pub selecting: bool,
    /// A dialog is open: it has the keyboard (Escape still closes it).
    pub blocked: bool,
    pub close_dialog: Callback<()>,
    /// "/": Search all.
    pub search: Callback<()>,
    /// "L": link the current annotation.
    pub link: Callback<()>,
}

#[hook]
pub fn use_shortcuts(now: Shortcuts) {
    let current = use_mut_ref(|| None::<Shortcuts>);
    *current.borrow_mut() = Some(now);
    use_effect_with((), move |_| {
        let doc = gloo::utils::document();
        // What the browser's own undo would take back in each field.
        let target = |e: &web_sys::Event| e.target().and_then(|t| t.dyn_into::<Element>().ok());
        let capture = EventListenerOptions::run_in_capture_phase();
        let focus = EventListener::new_with_options(&doc, "focusin", capture, move |e| {
            if let Some(el) = target(e) {
                typing::settle(&el);
            }
        });
        let committed = EventListener::new_with_options(&doc, "change", capture, move |e| {
            if let Some(el) = target(e) {
                typing::settle(&el);
            }
        });
        let input = EventListener::new_with_options(&doc, "input", capture, move |e| {
            if let Some(el) = target(e) {
                let kind = js_sys::Reflect::get(e, &"inputType".into())
                    .ok()
                    .and_then(|v| v.as_string())
                    .unwrap_or_default();
                typing::note_input(&el, &kind);
            }
        });
        let opts = EventListenerOptions::enable_prevent_default();
        let listener = EventListener::new_with_options(&doc, "keydown", opts, move |e| {
            let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                return;
            };
            // A copy, not a borrow: each callback below re-renders the app,
            // which writes the current shortcuts.
            let Some(s) = current.borrow().clone() else {
                return;
            };
            let key = e.key();
            if e.default_prevented() || composing(e) {
                return;
            }
            if let Some(step) = history_key(e) {
                let el = e.target().and_then(|t| t.dyn_into::<Element>().ok());
                let native = el.as_ref().is_some_and(|el| match step {
                    Step::Undo => typing::undoable(el),
                    Step::Redo => typing::redoable(el),
                });
                if native {
                    // The field's own undo takes back what was just typed.
                    return;
                }
                e.prevent_default();
                let in_dialog =
                    el.is_some_and(|el| el.closest("[role=dialog]").ok().flatten().is_some());
                if s.blocked || in_dialog {
                    // Nothing behind a dialog changes.
                    return;
                }
                match step {
                    Step::Undo => s.undo.emit(()),
                    Step::Redo => s.redo.emit(()),
                }
                return;
            }
            if s.blocked {
                // Focus strayed out of the open dialog: Escape still closes it.
                if key == "Escape" {
                    s.close_dialog.emit(());
                }
                return;
            }
            if in_field_or_dialog(e) {
                return;
            }
            let ctrl = e.ctrl_key() || e.meta_key();
            if key == "Escape" {
                s.escape.emit(());
            } else if ctrl && !e.alt_key() {
                // (Undo and redo were handled above.)
                if key.to_lowercase() == "p" && !e.shift_key() {
                    e.prevent_default();
                    s.print.emit(());
                }
            } else if e.alt_key() {
            } else if key == "?" {
                e.prevent_default();
                s.help.emit(());
            } else if key == "/" {
                e.prevent_default();
                s.search.emit(());
            } else if key == "l" || key == "L" {
                e.prevent_default();
                s.link.emit(());
            } else if let Some(tag) = Tag::from_key(&key) {
                // Only with something selected: a stray key is not an error.
                let selected = s.selecting
                    || web_sys::window()
                        .and_then(|w| w.get_selection().ok().flatten())
                        .is_some_and(|sel| !sel.is_collapsed());
                if selected {
                    e.prevent_default();
                    s.tag.emit(tag);
                }
            }
        });
        move || drop((listener, focus, committed, input))
    });
}

/// Whether an input method is composing text with this key: `isComposing`,
/// or the key code 229 some browsers give instead (Safari, older Chrome, the
/// key that starts a composition). Such a key is the input method's; no
/// shortcut acts on it and no control commits on it.
pub fn composing(e: &KeyboardEvent) -> bool {
    #[allow(deprecated)]
    let code = e.key_code();
    e.is_composing() || code == 229 || e.key() == "Process"
}

/// Undo or redo.
#[derive(Clone, Copy)]
enum Step {
    Undo,
    Redo,
}

/// Ctrl/Cmd+Z undoes; Ctrl/Cmd+Shift+Z and Ctrl+Y redo.
fn history_key(e: &KeyboardEvent) -> Option<Step> {
    if !(e.ctrl_key() || e.meta_key()) || e.alt_key() {
        return None;
    }
    let lower = e.key().to_lowercase();
    match (lower.as_str(), e.shift_key()) {
        ("z", false) => Some(Step::Undo),
        ("z", true) => Some(Step::Redo),
        ("y", _) if e.ctrl_key() => Some(Step::Redo),
        _ => None,
    }
}

/// Whether a key event comes from where typing is typing: a text field, a
/// select, an editable element, or anything inside a dialog or a menu.
pub fn in_field_or_dialog(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el
                    .closest("[contenteditable], [role=dialog], [data-menu]")
                    .ok()
                    .flatten()
                    .is_some()
        })
}
