//! "Paste article": a text area, what it is a new version of (if anything),
//! and Open.

use std::rc::Rc;

use web_sys::{HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::storage;
use crate::core::ArticleId;
use crate::ui::context::use_ctx;
use crate::ui::dialog::DialogShell;

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    /// The text, and the article it is a new version of (if the person chose one).
    pub on_open: Callback<(String, Option<ArticleId>)>,
    pub on_cancel: Callback<()>,
}

#[function_component(PasteDialog)]
pub fn paste_dialog(p: &PasteProps) -> Html {
    let ctx = use_ctx();
    let stored = {
        let store = ctx.session.store.clone();
        use_memo((), move |_| Rc::new(storage::read_index(&*store).articles))
    };
    let text_ref = use_node_ref();
    let version_ref = use_node_ref();
    let open = {
        let (cb, text_ref, version_ref) =
            (p.on_open.clone(), text_ref.clone(), version_ref.clone());
        Callback::from(move |_: MouseEvent| {
            let text = text_ref
                .cast::<HtmlTextAreaElement>()
                .map(|t| t.value())
                .unwrap_or_default();
            let version = version_ref
                .cast::<HtmlSelectElement>()
                .map(|s| s.value())
                .filter(|v| !v.is_empty())
                .map(ArticleId);
            cb.emit((text, version));
        })
    };
    html! {
        <DialogShell labelled_by="paste-title" class="paste-dialog" on_close={p.on_cancel.clone()}>
            <h2 id="paste-title">{ "Paste an article" }</h2>
            <p class="hint">{ "Plain text (the first line is the headline) or HTML. Nothing you paste is run or shown as HTML." }</p>
            <label for="paste-text">{ "Article text" }</label>
            <textarea id="paste-text" ref={text_ref} rows="10" class="paste-text" data-autofocus="" />
            if !stored.is_empty() {
                <label for="paste-version" class="version-of">{ "Is it a new version of a stored article?" }</label>
                <select id="paste-version" ref={version_ref}>
                    // The default never puts annotations into another text.
                    <option value="" selected=true>{ "No: a new article" }</option>
                    { for stored.iter().map(|e| html! {
                        <option value={e.id.0.clone()}>{ format!("Yes, of “{}”", e.display_name()) }</option>
                    }) }
                </select>
            }
            <div class="dialog-actions">
                <button type="button" onclick={open}>{ "Open" }</button>
                <button type="button" onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </div>
        </DialogShell>
    }
}
