//! Keys that work anywhere on the page: F/Q/A (or 1/2/3) tag the selection,
//! Ctrl/Cmd+Z undoes, Ctrl/Cmd+Shift+Z or Ctrl+Y redoes, ? lists the keys,
//! / searches all articles, L links the current annotation,
//! Escape drops the selection or closes the chooser.
//!
//! None of them acts while a dialog is open, or while focus is in a text
//! field, a select, an editable element, a dialog or a menu: typing "3" in
//! a name field is typing, never tagging.

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

use crate::core::Tag;

/// What the keys do, and whether they may act now.
#[derive(Clone)]
pub struct Shortcuts {
    pub tag: Callback<Tag>,
    pub undo: Callback<()>,
    pub redo: Callback<()>,
    pub help: Callback<()>,
    pub escape: Callback<()>,
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
            if e.default_prevented() {
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
                let lower = key.to_lowercase();
                if lower == "z" && !e.shift_key() {
                    e.prevent_default();
                    s.undo.emit(());
                } else if (lower == "z" && e.shift_key()) || (lower == "y" && e.ctrl_key()) {
                    e.prevent_default();
                    s.redo.emit(());
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
        move || drop(listener)
    });
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
