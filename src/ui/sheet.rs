//! On phones the panel sits far below the article, so the annotation just
//! made (or the one tapped) opens in a sheet at the bottom of the screen,
//! with its note, tag and fact-check fields. Wider screens hide it: the
//! panel beside the article does the same job there.

use yew::prelude::*;

use super::dialog::use_focus_fallback;
use super::panel::{Item, ItemActions};
use super::refs::AnnRef;

#[derive(Properties, PartialEq)]
pub struct SheetProps {
    pub annotation: AnnRef,
    pub actions: ItemActions,
    pub on_close: Callback<()>,
}

#[function_component(CurrentSheet)]
pub fn current_sheet(p: &SheetProps) -> Html {
    let a = &p.actions;
    // Closed or deleted from inside: focus goes back to the article.
    let root = use_node_ref();
    use_focus_fallback(root.clone(), "article");
    html! {
        <section class="sheet" aria-labelledby="sheet-heading" ref={root}>
            <div class="sheet-head">
                <h2 id="sheet-heading">{ "Current annotation" }</h2>
                <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <ul class="sheet-list">
                <Item annotation={p.annotation.clone()} selected=true hovered=false id_prefix="sheet-"
                      on_select={a.select.clone()} on_hover={a.hover.clone()} on_edit={a.edit.clone()}
                      on_delete={a.delete.clone()} on_reattach={a.reattach.clone()} />
            </ul>
        </section>
    }
}
