//! Asked when an opened article looks like a new version of a stored one.
//! The safe answer (open it separately) is the default: carrying
//! annotations over is a choice the person makes, never a key press away.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::storage::IndexEntry;
use crate::core::{words, Article};
use crate::ui::dialog::DialogShell;
use crate::ui::hooks::opener::VersionChoice;

#[derive(Properties, PartialEq)]
pub struct VersionProps {
    pub article: Rc<Article>,
    pub old: IndexEntry,
    pub likeness: f32,
    pub on_choice: Callback<VersionChoice>,
    pub on_cancel: Callback<()>,
}

#[function_component(VersionDialog)]
pub fn version_dialog(p: &VersionProps) -> Html {
    let n: usize = p.old.counts.iter().sum();
    let choose = |carry: bool| {
        let (cb, article, old) = (p.on_choice.clone(), p.article.clone(), p.old.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(VersionChoice {
                article: article.clone(),
                old: old.clone(),
                carry,
            })
        })
    };
    let shared = (p.likeness * 100.0).round() as u32;
    let warning = (p.likeness < crate::core::import::NEW_VERSION_LIKENESS).then(|| {
        format!(
            "These texts share little wording ({shared} %): if it is not a new version, its annotations would not fit it."
        )
    });
    html! {
        <DialogShell labelled_by="version-title" described_by="version-text" on_close={p.on_cancel.clone()}>
            <h2 id="version-title">{ "A new version?" }</h2>
            <p id="version-text">{ format!(
                "“{}” differs from the stored “{}” ({}; they share {shared} % of their wording). If it is a new version, its annotations are placed on the new text, and a report says what moved.",
                p.article.title, p.old.display_name(), words::annotations(n)) }</p>
            if let Some(w) = warning {
                <p class="field-error">{ w }</p>
            }
            <div class="dialog-actions">
                <button type="button" data-autofocus="" onclick={choose(false)}>{ "Open it as a separate article" }</button>
                <button type="button" onclick={choose(true)}>{ "New version: carry the annotations over" }</button>
                <button type="button" onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </div>
        </DialogShell>
    }
}
