//! What floats over the article: the toolbar that tags a selection, and the
//! chooser offered when a click lands on several annotations.

use std::rc::Rc;

use yew::prelude::*;

use super::hooks::selection::Pending;
use crate::core::{Annotation, AnnotationId, Tag};

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    /// The selection to tag; the toolbar is hidden without one.
    pub pending: Option<Pending>,
    pub on_tag: Callback<Tag>,
}

/// Fact / Quote / Analysis for the selection. Under the selection on wide
/// screens; fixed at the bottom of the screen on phones (the system's own
/// selection menu sits around the selection there).
#[function_component(SelectionToolbar)]
pub fn selection_toolbar(p: &ToolbarProps) -> Html {
    // Hidden, not removed: a selection coming and going toggles one
    // attribute instead of building and dropping a dozen nodes.
    // It keeps its last place while hidden (no style change either).
    let place = use_mut_ref(|| (0, 0));
    if let Some(s) = p.pending {
        *place.borrow_mut() = (s.top, s.left);
    }
    let (top, left) = *place.borrow();
    let buttons = Tag::ALL.iter().map(|&t| {
        let on_tag = p.on_tag.clone();
        // mousedown would move focus and could collapse the selection first.
        let keep = Callback::from(|e: MouseEvent| e.prevent_default());
        let key = t.shortcut().to_ascii_uppercase();
        html! {
            <button type="button" class={classes!("tool", format!("tool-{}", t.key()))}
                    onmousedown={keep} onclick={Callback::from(move |_: MouseEvent| on_tag.emit(t))}
                    aria-keyshortcuts={key.to_string()}>
                <span class={classes!("swatch", format!("swatch-{}", t.key()))} aria-hidden="true" />
                { t.label() }
                <kbd aria-hidden="true">{ key }</kbd>
            </button>
        }
    });
    html! {
        <div class="sel-toolbar" role="toolbar" aria-label="Tag the selection" data-keep-selection=""
             hidden={p.pending.is_none()} style={format!("--top: {top}px; --left: {left}px")}>
            { for buttons }
        </div>
    }
}

/// Annotations covering a clicked place, to choose from.
#[derive(Clone, PartialEq)]
pub struct Choice {
    pub annotations: Vec<Rc<Annotation>>,
    pub top: i32,
    pub left: i32,
}

#[derive(Properties, PartialEq)]
pub struct ChooserProps {
    pub choice: Choice,
    pub on_select: Callback<AnnotationId>,
    pub on_close: Callback<()>,
}

#[function_component(Chooser)]
pub fn chooser(p: &ChooserProps) -> Html {
    let items = p.choice.annotations.iter().map(|a| {
        let (on_select, id) = (p.on_select.clone(), a.id.clone());
        let short: String = a.quote.exact.chars().take(60).collect();
        html! {
            <li><button type="button" onclick={Callback::from(move |_: MouseEvent| on_select.emit(id.clone()))}>
                { format!("{}: {}", a.tag.label(), short) }
            </button></li>
        }
    });
    // Focus goes in on opening (Escape closes it from there), and back to
    // the article when it closes with focus inside.
    let root = use_node_ref();
    {
        let root = root.clone();
        use_effect_with((), move |_| {
            if let Some(r) = root.cast::<web_sys::Element>() {
                crate::ui::dialog::focus_into(&r);
            }
        });
    }
    crate::ui::dialog::use_focus_fallback(root.clone(), "article");
    let onkeydown = {
        let close = p.on_close.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && !crate::ui::hooks::shortcuts::composing(&e) {
                e.prevent_default();
                e.stop_propagation();
                close.emit(());
            }
        })
    };
    html! {
        <div class="chooser" role="dialog" aria-label="Choose an annotation" ref={root} {onkeydown}
             style={format!("--top: {}px; --left: {}px", p.choice.top, p.choice.left)}>
            <p>{ "Several annotations cover this place:" }</p>
            <ul>{ for items }</ul>
            <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
        </div>
    }
}
