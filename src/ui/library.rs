//! Articles: pasting one, the library of stored ones, and new versions.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::SessionRef;
use crate::core::parse::decode::human_size;
use crate::core::storage::{self as persist, IndexEntry, Removed};
use crate::core::{seed_article, ArticleId, Tag, Timestamp};

/// Focus `node` when a dialog opens; give focus back when it closes.
#[hook]
pub fn use_dialog_focus(node: NodeRef) {
    use_effect_with((), move |_| {
        let before = gloo::utils::document().active_element();
        if let Some(el) = node.cast::<HtmlElement>() {
            let _ = el.focus();
        }
        move || {
            if let Some(el) =
                before.and_then(|e| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(e).ok())
            {
                let _ = el.focus();
            }
        }
    });
}

/// Keys in a modal dialog: Escape closes it; Tab and Shift+Tab cycle
/// through its controls instead of leaving it for the page behind.
pub fn dialog_keys(close: &Callback<()>) -> Callback<KeyboardEvent> {
    let close = close.clone();
    Callback::from(move |e: KeyboardEvent| {
        if e.key() == "Escape" {
            e.stop_propagation();
            close.emit(());
        } else if e.key() == "Tab" {
            keep_tab_inside(&e);
        }
    })
}

fn keep_tab_inside(e: &KeyboardEvent) {
    use wasm_bindgen::JsCast;
    // The dialog around the focused control (Yew delegates events, so the
    // event's current target is not the dialog element).
    let Some(dialog) = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("[role=dialog]").ok().flatten())
    else {
        return;
    };
    let Ok(list) = dialog.query_selector_all(
        "button:not([disabled]), input:not([disabled]), select, textarea, summary, [tabindex]:not([tabindex='-1'])",
    ) else {
        return;
    };
    let n = list.length();
    if n == 0 {
        return;
    }
    let (first, last) = (list.item(0), list.item(n - 1));
    let active = gloo::utils::document()
        .active_element()
        .map(web_sys::Node::from);
    let wrap_to = if e.shift_key() && active == first {
        last
    } else if !e.shift_key() && active == last {
        first
    } else {
        None
    };
    if let Some(el) = wrap_to.and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
        e.prevent_default();
        let _ = el.focus();
    }
}

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    /// Stored articles, to mark the text as a new version of one.
    pub stored: Rc<Vec<IndexEntry>>,
    /// The text, and the article it is a new version of (if chosen).
    pub on_open: Callback<(String, Option<ArticleId>)>,
    pub on_cancel: Callback<()>,
}

/// "Paste article": a text area and Open.
#[function_component(PasteDialog)]
pub fn paste_dialog(p: &PasteProps) -> Html {
    let text_ref = use_node_ref();
    let version_ref = use_node_ref();
    use_dialog_focus(text_ref.clone());
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
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="backdrop">
            <div class="dialog paste-dialog" role="dialog" aria-modal="true" aria-labelledby="paste-title"
                 onkeydown={dialog_keys(&p.on_cancel)}>
                <h2 id="paste-title">{ "Paste an article" }</h2>
                <p class="hint">{ "Plain text (the first line is the headline) or HTML. Nothing you paste is run or shown as HTML." }</p>
                <label for="paste-text">{ "Article text" }</label>
                <textarea id="paste-text" ref={text_ref} rows="12" class="paste-text" />
                if !p.stored.is_empty() {
                    <label class="version-of">{ "New version of " }
                        <select ref={version_ref} aria-label="New version of">
                            <option value="" selected=true>{ "(none: a new article)" }</option>
                            { for p.stored.iter().map(|e| html! {
                                <option value={e.id.0.clone()}>{ e.display_name().to_string() }</option>
                            }) }
                        </select>
                    </label>
                }
                <div class="dialog-actions">
                    <button type="button" onclick={open}>{ "Open" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct VersionProps {
    pub new_title: String,
    pub old: IndexEntry,
    /// `true`: carry the annotations over; `false`: open it separately.
    pub on_choice: Callback<bool>,
    pub on_cancel: Callback<()>,
}

/// Asked when an opened article looks like a new version of a stored one.
#[function_component(VersionDialog)]
pub fn version_dialog(p: &VersionProps) -> Html {
    let yes_ref = use_node_ref();
    use_dialog_focus(yes_ref.clone());
    let n: usize = p.old.counts.iter().sum();
    let choose = |v: bool| {
        let cb = p.on_choice.clone();
        Callback::from(move |_: MouseEvent| cb.emit(v))
    };
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="version-title"
                 aria-describedby="version-text" onkeydown={dialog_keys(&p.on_cancel)}>
                <h2 id="version-title">{ "A new version?" }</h2>
                <p id="version-text">{ format!(
                    "“{}” differs from the stored “{}” ({n} annotations). If it is a new version, its annotations are placed on the new text, and a report says what moved.",
                    p.new_title, p.old.display_name()) }</p>
                <div class="dialog-actions">
                    <button type="button" ref={yes_ref} onclick={choose(true)}>{ "New version: carry the annotations over" }</button>
                    <button type="button" onclick={choose(false)}>{ "Open it as a separate article" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    pub session: SessionRef,
    pub current: ArticleId,
    /// Bumped on every change, so the list is re-read.
    pub revision: u64,
    pub on_open: Callback<ArticleId>,
    /// Delete the open article's annotations (undoable with Undo).
    pub on_clear_current: Callback<()>,
    /// Shown at the end of the open library (the backups list).
    #[prop_or_default]
    pub children: Html,
}

fn date(t: Timestamp) -> String {
    t.to_iso8601()[..10].to_string()
}

/// Every article stored in this browser (and the bundled seed): open,
/// rename, delete (undoable), and how much storage they take.
#[function_component(Library)]
pub fn library(p: &LibraryProps) -> Html {
    let store = p.session.0.store.clone();
    let removed = use_state(Vec::<Removed>::new);
    let renaming = use_state(|| None::<ArticleId>);
    let tick = use_state(|| 0u32);
    let error = use_state(|| None::<String>);
    let _ = (*tick, p.revision);
    // Read only while open: the index is small, but sizes mean reading every value.
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(el.open());
        })
    };
    if !*open {
        return html! {
            <details class="storage library" {ontoggle}>
                <summary>{ "Library" }</summary>
            </details>
        };
    }
    let index = persist::read_index(&*store);
    let total: usize = persist::usage(&*store).iter().map(|u| u.1).sum();
    let seed = seed_article();
    let mut entries = index.articles;
    entries.sort_by_key(|e| std::cmp::Reverse(e.last_opened));
    let seed_stored = entries.iter().any(|e| e.id == seed.id);
    let rows = entries.iter().map(|e| {
        let is_current = e.id == p.current;
        let name = e.display_name().to_string();
        let counts: Vec<String> = Tag::ALL
            .iter()
            .zip(e.counts)
            .map(|(t, n)| format!("{n} {}", t.label().to_lowercase()))
            .collect();
        let open_it = {
            let (cb, id) = (p.on_open.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
        };
        let start_rename = {
            let (r, id) = (renaming.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| r.set(Some(id.clone())))
        };
        let delete = {
            let (store, removed, tick, error, id) =
                (store.clone(), removed.clone(), tick.clone(), error.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| match persist::remove_article(&*store, &id) {
                Ok(r) => {
                    let mut all = (*removed).clone();
                    all.push(r);
                    removed.set(all);
                    tick.set(*tick + 1);
                }
                Err(e) => error.set(Some(format!("Could not delete: {e}."))),
            })
        };
        let clear = p.on_clear_current.reform(|_: MouseEvent| ());
        let editing = renaming.as_ref() == Some(&e.id);
        let rename_form = editing.then(|| {
            let input_ref = NodeRef::default();
            let save = {
                let (store, r, tick, error, id, input_ref) =
                    (store.clone(), renaming.clone(), tick.clone(), error.clone(), e.id.clone(), input_ref.clone());
                Callback::from(move |_: MouseEvent| {
                    let v = input_ref.cast::<HtmlInputElement>().map(|i| i.value()).unwrap_or_default();
                    if let Err(e) = persist::rename(&*store, &id, &v) {
                        error.set(Some(format!("Could not rename: {e}.")));
                    }
                    r.set(None);
                    tick.set(*tick + 1);
                })
            };
            let cancel = {
                let r = renaming.clone();
                Callback::from(move |_: MouseEvent| r.set(None))
            };
            html! {
                <span class="rename">
                    <input type="text" ref={input_ref} value={name.clone()} aria-label={format!("New name for {name}")} />
                    <button type="button" onclick={save}>{ "Save name" }</button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </span>
            }
        });
        html! {
            <tr>
                <th scope="row">{ name.clone() }{ if is_current { " (open)" } else { "" } }
                    { for rename_form }</th>
                <td>{ format!("{} · {} characters", human_size(e.units * 2), e.chars) }</td>
                <td>{ counts.join(", ") }</td>
                <td>{ date(e.last_opened) }</td>
                <td class="row-actions">
                    if !is_current {
                        <button type="button" onclick={open_it} aria-label={format!("Open {name}")}>{ "Open" }</button>
                    }
                    <button type="button" onclick={start_rename} aria-label={format!("Rename {name}")}>{ "Rename" }</button>
                    if is_current {
                        <button type="button" class="danger" onclick={clear}
                                aria-label={format!("Delete the annotations of {name}")}>{ "Delete annotations" }</button>
                    } else {
                        <button type="button" class="danger" onclick={delete}
                                aria-label={format!("Delete {name}")}>{ "Delete" }</button>
                    }
                </td>
            </tr>
        }
    });
    let seed_row = (!seed_stored).then(|| {
        let open_it = {
            let (cb, id) = (p.on_open.clone(), seed.id.clone());
            Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
        };
        let is_current = seed.id == p.current;
        html! {
            <tr>
                <th scope="row">{ seed.title.clone() }{ if is_current { " (open)" } else { " (bundled)" } }</th>
                <td>{ format!("{} characters", seed.len_chars()) }</td>
                <td>{ "no annotations" }</td>
                <td>{ "—" }</td>
                <td class="row-actions">
                    if !is_current {
                        <button type="button" onclick={open_it} aria-label={format!("Open {}", seed.title)}>{ "Open" }</button>
                    }
                </td>
            </tr>
        }
    });
    let undo = {
        let (store, removed, tick, error) =
            (store.clone(), removed.clone(), tick.clone(), error.clone());
        Callback::from(move |_: MouseEvent| {
            let mut all = (*removed).clone();
            if let Some(r) = all.pop() {
                match persist::restore_article(&*store, &r) {
                    Ok(()) => {
                        removed.set(all);
                        tick.set(*tick + 1);
                    }
                    Err(e) => error.set(Some(format!("Could not restore: {e}."))),
                }
            }
        })
    };
    html! {
        <details class="storage library" open=true {ontoggle}>
            <summary>{ "Library" }</summary>
            <p>{ format!("Articles in this browser: {} of storage used (browsers allow about 5 MB).", human_size(total * 2)) }</p>
            <table>
                <thead><tr>
                    <th scope="col">{ "Article" }</th><th scope="col">{ "Size" }</th>
                    <th scope="col">{ "Annotations" }</th><th scope="col">{ "Last opened" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr></thead>
                <tbody>{ for rows }{ for seed_row }</tbody>
            </table>
            if let Some(e) = (*error).clone() {
                <p class="field-error" role="alert">{ e }</p>
            }
            if let Some(last) = removed.last() {
                <p>{ format!("Deleted “{}”. ", last.entry.display_name()) }
                   <button type="button" onclick={undo}>{ "Undo delete" }</button></p>
            }
            { p.children.clone() }
        </details>
    }
}
