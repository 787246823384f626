//! The one dialog slot and the one dialog shell.
//!
//! At most one modal dialog is open: [`Dialog`] says which, and the app
//! keeps one `Option<Dialog>`. Every dialog is drawn inside [`DialogShell`],
//! which does what a modal dialog must: a backdrop, focus moved in on open
//! (to the element marked `data-autofocus`, else the first control) and back
//! where it was on close, Tab and Shift+Tab kept inside, Escape and a click
//! on the backdrop close it. Menus that are not modal (the Export menu, the
//! Library) use [`use_focus_return`] and [`focusables`] for the same rules.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement};
use yew::prelude::*;

use crate::core::formats::Parsed;
use crate::core::storage::IndexEntry;
use crate::core::Article;

/// Which dialog is open.
#[derive(Clone, PartialEq)]
pub enum Dialog {
    /// The list of keys.
    Help,
    /// "Article details": URL, date, outlet, author.
    Details,
    /// "Paste article".
    Paste,
    /// An article that may be a new version of a stored one: carry its
    /// annotations over, or open it separately.
    NewVersion {
        article: Rc<Article>,
        old: IndexEntry,
        /// How much of the old text the new one keeps (see `import::likeness`).
        likeness: f32,
    },
    /// The summary of a file of annotations, before importing it.
    Import { file: String, parsed: Rc<Parsed> },
    /// "Team": the team's database, signing in and out.
    Team,
    /// "Your name on the report", before the first print with no name kept.
    PrintName,
    /// "Search all": every annotation in the library.
    Search,
    /// Choose what annotation `from` (of the open article, quoting
    /// `quote`) links to.
    Link {
        from: crate::core::AnnotationId,
        quote: String,
    },
}

/// The controls Tab reaches inside `root`, in order.
pub fn focusables(root: &Element) -> Vec<HtmlElement> {
    let Ok(list) = root.query_selector_all(
        "a[href], button:not([disabled]), input:not([disabled]), select:not([disabled]), \
         textarea:not([disabled]), summary, [tabindex]:not([tabindex='-1'])",
    ) else {
        return vec![];
    };
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<HtmlElement>().ok())
        .filter(|el| el.offset_parent().is_some() || el.get_client_rects().length() > 0)
        .collect()
}

/// Keep Tab and Shift+Tab inside `root`: from the last control to the
/// first, from the first to the last.
pub fn keep_tab_inside(root: &Element, e: &KeyboardEvent) {
    let items = focusables(root);
    let (Some(first), Some(last)) = (items.first(), items.last()) else {
        e.prevent_default();
        return;
    };
    let active = gloo::utils::document().active_element();
    let on = |el: &HtmlElement| {
        active
            .as_ref()
            .is_some_and(|a| a == el.unchecked_ref::<Element>())
    };
    let inside = active.as_ref().is_some_and(|a| root.contains(Some(a)));
    let target = if e.shift_key() && (on(first) || !inside) {
        Some(last)
    } else if !e.shift_key() && (on(last) || !inside) {
        Some(first)
    } else {
        None
    };
    if let Some(el) = target {
        e.prevent_default();
        let _ = el.focus();
    }
}

/// Remember what had focus when a component mounted, and give focus back
/// to it when the component goes (a dialog closing, a menu closing).
#[hook]
pub fn use_focus_return() {
    use_effect_with((), |_| {
        let before = gloo::utils::document()
            .active_element()
            .and_then(|e| e.dyn_into::<HtmlElement>().ok());
        move || {
            if let Some(el) = before.filter(|el| el.is_connected()) {
                let _ = el.focus();
            }
        }
    });
}

/// When the component goes while focus is inside it (its Close or Delete
/// button pressed), give focus to the element with `id` instead of letting
/// it drop to the page.
#[hook]
pub fn use_focus_fallback(root: NodeRef, id: &'static str) {
    use_effect_with((), move |_| {
        move || {
            let inside = gloo::utils::document().active_element().is_some_and(|a| {
                root.get()
                    .is_some_and(|r| r.contains(Some(a.unchecked_ref::<web_sys::Node>())))
            });
            let lost = || {
                gloo::utils::document()
                    .active_element()
                    .is_none_or(|a| a.tag_name() == "BODY" || !a.is_connected())
            };
            // Checked again after the DOM has changed: only a focus that is
            // really lost is moved, and only to the element there now (an
            // app that is going away as a whole takes it along: focus never
            // lands on another page's or app's element of that id).
            if !(inside || lost()) {
                return;
            }
            if let Some(target) = crate::web::dom::html_element(id) {
                gloo::timers::callback::Timeout::new(0, move || {
                    if lost() && target.is_connected() {
                        let _ = target.focus();
                    }
                })
                .forget();
            }
        }
    });
}

/// Move focus into `root`: its `data-autofocus` element (when enabled: an
/// import with nothing to import disables its default), else its first control.
pub fn focus_into(root: &Element) {
    let marked = root
        .query_selector("[data-autofocus]:not([disabled])")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<HtmlElement>().ok());
    if let Some(el) = marked.or_else(|| focusables(root).into_iter().next()) {
        let _ = el.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct ShellProps {
    /// The id of the heading that names the dialog.
    pub labelled_by: AttrValue,
    #[prop_or_default]
    pub described_by: Option<AttrValue>,
    #[prop_or_default]
    pub class: Classes,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog: backdrop, focus in and back, Tab kept inside, Escape and
/// a click outside close it.
#[function_component(DialogShell)]
pub fn dialog_shell(p: &ShellProps) -> Html {
    let node = use_node_ref();
    use_focus_return();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            if let Some(root) = node.cast::<Element>() {
                focus_into(&root);
            }
        });
    }
    let onkeydown = {
        let (close, node) = (p.on_close.clone(), node.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // Escape cancels an input method's composition, not the dialog.
            _ if crate::ui::hooks::shortcuts::composing(&e) => {}
            "Escape" => {
                e.prevent_default();
                e.stop_propagation();
                close.emit(());
            }
            "Tab" => {
                if let Some(root) = node.cast::<Element>() {
                    keep_tab_inside(&root, &e);
                }
            }
            _ => {}
        })
    };
    // A press that starts and ends on the backdrop (not a drag out of a field).
    let down_on_backdrop = use_mut_ref(|| false);
    let on_down = {
        let d = down_on_backdrop.clone();
        Callback::from(move |e: MouseEvent| {
            *d.borrow_mut() = e.target() == e.current_target();
        })
    };
    let on_click = {
        let (d, close) = (down_on_backdrop, p.on_close.clone());
        Callback::from(move |e: MouseEvent| {
            if *d.borrow() && e.target() == e.current_target() {
                close.emit(());
            }
        })
    };
    html! {
        <div class="backdrop" onmousedown={on_down} onclick={on_click}>
            <div ref={node} class={classes!("dialog", p.class.clone())} role="dialog" aria-modal="true"
                 aria-labelledby={p.labelled_by.clone()} aria-describedby={p.described_by.clone()}
                 {onkeydown}>
                { p.children.clone() }
            </div>
        </div>
    }
}
