//! The Library: every article stored in this browser (and the bundled
//! seed): open, rename, delete (undoable), and how much of the browser's
//! space they take. Escape closes it and gives focus back to its toggle.

use web_sys::{HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::context::use_ctx;
use crate::core::storage::{self, IndexEntry, Removed};
use crate::core::{seed_article, words, ArticleId, Tag, Timestamp};

#[derive(Properties, PartialEq)]
pub struct LibraryProps {
    pub current: ArticleId,
    /// Bumped on every change, so the list is re-read.
    pub revision: u64,
    pub on_open: Callback<ArticleId>,
    /// Delete the open article's annotations (undoable with Undo).
    pub on_clear_current: Callback<()>,
    /// More controls for the whole library (back up, restore).
    #[prop_or_default]
    pub children: Html,
}

fn date(t: Timestamp) -> String {
    t.to_iso8601()[..10].to_string()
}

#[function_component(Library)]
pub fn library(p: &LibraryProps) -> Html {
    let ctx = use_ctx();
    let store = ctx.session.store.clone();
    let removed = use_state(Vec::<Removed>::new);
    let renaming = use_state(|| None::<ArticleId>);
    let tick = use_state(|| 0u32);
    let _ = (*tick, p.revision);
    let details_ref = use_node_ref();
    // Where focus goes once the list has changed under it (a selector inside
    // the library), so it never drops to the page: after renaming, the
    // entry's Rename button; after Delete, "Undo delete"; after bringing an
    // article back, its Rename button.
    let refocus = use_mut_ref(|| None::<String>);
    {
        let (refocus, details_ref) = (refocus.clone(), details_ref.clone());
        use_effect(move || {
            if let Some(selector) = refocus.borrow_mut().take() {
                let button = details_ref
                    .cast::<web_sys::Element>()
                    .and_then(|d| d.query_selector(&selector).ok().flatten())
                    .and_then(|b| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(b).ok());
                if let Some(b) = button {
                    let _ = b.focus();
                }
            }
        });
    }
    // Which records cannot be opened, and why: read in full once per
    // record (a record is written once; a changed size reads it again).
    let checked = use_mut_ref(std::collections::HashMap::<ArticleId, (usize, Option<String>)>::new);
    // Read only while open: the index is small, but sizes mean reading every value.
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| {
            let el: web_sys::HtmlDetailsElement = e.target_unchecked_into();
            open.set(el.open());
        })
    };
    let onkeydown = {
        let details_ref = details_ref.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.key() != "Escape"
                || e.default_prevented()
                || crate::ui::hooks::shortcuts::composing(&e)
            {
                return;
            }
            if let Some(d) = details_ref.cast::<web_sys::HtmlDetailsElement>() {
                e.prevent_default();
                d.set_open(false);
                if let Some(s) = d
                    .query_selector("summary")
                    .ok()
                    .flatten()
                    .and_then(|s| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(s).ok())
                {
                    let _ = s.focus();
                }
            }
        })
    };
    if !*open {
        return html! {
            <details class="storage library" ref={details_ref} {ontoggle}>
                <summary>{ "Library" }</summary>
            </details>
        };
    }
    let index = storage::read_index(&*store);
    let cannot_open = |id: &ArticleId| -> Option<String> {
        let size = store.size(&storage::article_key(id)).ok().flatten()?;
        let mut checked = checked.borrow_mut();
        if let Some((s, why)) = checked.get(id) {
            if *s == size {
                return why.clone();
            }
        }
        let why = storage::unreadable_record(&*store, id).map(|e| e.to_string());
        checked.insert(id.clone(), (size, why.clone()));
        why
    };
    let total: usize = storage::usage(&*store).iter().map(|u| u.1).sum();
    let seed = seed_article();
    let mut entries = index.articles;
    entries.sort_by_key(|e| std::cmp::Reverse(e.last_opened));
    let seed_stored = entries.iter().any(|e| e.id == seed.id);

    let rows = entries.iter().map(|e| {
        let is_current = e.id == p.current;
        let broken = (!is_current).then(|| cannot_open(&e.id)).flatten();
        let name = e.display_name().to_string();
        let delete = {
            let (store, removed, tick, say, id, name, refocus) = (
                store.clone(),
                removed.clone(),
                tick.clone(),
                ctx.say.clone(),
                e.id.clone(),
                name.clone(),
                refocus.clone(),
            );
            Callback::from(move |_: MouseEvent| match storage::remove_article(&*store, &id) {
                Ok(r) => {
                    let mut all = (*removed).clone();
                    all.push(r);
                    removed.set(all);
                    tick.set(*tick + 1);
                    *refocus.borrow_mut() = Some(".undo-delete".into());
                    say.status(format!("Deleted “{name}” from the library. Undo delete brings it back."));
                }
                Err(e) => say.error(format!("Could not delete “{name}”: {e}.")),
            })
        };
        let start_rename = {
            let (r, id) = (renaming.clone(), e.id.clone());
            Callback::from(move |_: MouseEvent| r.set(Some(id.clone())))
        };
        let editing = renaming.as_ref() == Some(&e.id);
        html! {
            <li class="lib-entry" key={e.id.0.clone()} data-id={e.id.0.clone()}>
                if editing {
                    <RenameField entry={e.clone()} on_done={{
                        let (r, tick, refocus, id) = (renaming.clone(), tick.clone(), refocus.clone(), e.id.clone());
                        Callback::from(move |_: ()| {
                            *refocus.borrow_mut() = Some(rename_button(&id));
                            r.set(None);
                            tick.set(*tick + 1);
                        })
                    }} />
                } else {
                    <p class="lib-title">{ name.clone() }{ if is_current { " (open)" } else { "" } }</p>
                }
                <p class="lib-meta">{ entry_meta(e) }</p>
                if let Some(why) = &broken {
                    <p class="lib-meta">{ format!("Its saved copy cannot be read ({why}), so it cannot be opened from here. Open the same file or paste the same text again to continue it: its annotations are kept.") }</p>
                }
                <div class="row-actions">
                    if !is_current && broken.is_none() {
                        <button type="button" onclick={{
                            let (cb, id) = (p.on_open.clone(), e.id.clone());
                            Callback::from(move |_: MouseEvent| open_and_read(&cb, &id))
                        }} aria-label={format!("Open {name}")}>{ "Open" }</button>
                    }
                    if !editing {
                        <button type="button" class="rename-button" onclick={start_rename} aria-label={format!("Rename {name}")}>{ "Rename" }</button>
                    }
                    if is_current {
                        <button type="button" class="danger" onclick={p.on_clear_current.reform(|_: MouseEvent| ())}
                                aria-label={format!("Delete annotations of {name}")}>{ "Delete annotations" }</button>
                    } else {
                        <button type="button" class="danger" onclick={delete}
                                aria-label={format!("Delete {name}")}>{ "Delete" }</button>
                    }
                </div>
            </li>
        }
    });
    let seed_row = (!seed_stored).then(|| {
        let is_current = seed.id == p.current;
        let open_it = {
            let (cb, id) = (p.on_open.clone(), seed.id.clone());
            Callback::from(move |_: MouseEvent| open_and_read(&cb, &id))
        };
        html! {
            <li class="lib-entry" key="seed">
                <p class="lib-title">{ seed.title.clone() }{ if is_current { " (open)" } else { " (bundled)" } }</p>
                <p class="lib-meta">{ format!("{} characters · no annotations", seed.len_chars()) }</p>
                <div class="row-actions">
                    if !is_current {
                        <button type="button" onclick={open_it} aria-label={format!("Open {}", seed.title)}>{ "Open" }</button>
                    }
                </div>
            </li>
        }
    });
    let undo = {
        let (store, removed, tick, say, refocus) = (
            store.clone(),
            removed.clone(),
            tick.clone(),
            ctx.say.clone(),
            refocus.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let mut all = (*removed).clone();
            if let Some(r) = all.pop() {
                match storage::restore_article(&*store, &r) {
                    Ok(()) => {
                        say.status(format!("Brought back “{}”", r.entry.display_name()));
                        *refocus.borrow_mut() = Some(rename_button(&r.entry.id));
                        removed.set(all);
                        tick.set(*tick + 1);
                    }
                    Err(e) => say.error(format!("Could not bring it back: {e}.")),
                }
            }
        })
    };
    html! {
        <details class="storage library" open=true ref={details_ref} {ontoggle} {onkeydown}>
            <summary>{ "Library" }</summary>
            <p class="lib-usage">{ words::storage_use(total) }</p>
            <ul class="lib-list" aria-label="Stored articles">{ for rows }{ for seed_row }</ul>
            if let Some(last) = removed.last() {
                <p>{ format!("Deleted “{}”. ", last.entry.display_name()) }
                   <button type="button" class="undo-delete" onclick={undo}>{ "Undo delete" }</button></p>
            }
            { p.children.clone() }
        </details>
    }
}

/// The Rename button of the library's entry for `id`.
fn rename_button(id: &ArticleId) -> String {
    format!("li[data-id=\"{}\"] .rename-button", id.0)
}

/// Open an article from the library and move focus to it: the Open button
/// goes away with the change, and the person came to read.
fn open_and_read(open: &Callback<ArticleId>, id: &ArticleId) {
    open.emit(id.clone());
    crate::web::dom::focus_id("article");
}

/// "12 KB · 3,400 characters · 2 fact, 1 quote, 0 analysis · opened 2026-11-28".
fn entry_meta(e: &IndexEntry) -> String {
    let counts: Vec<String> = Tag::ALL
        .iter()
        .zip(e.counts)
        .map(|(t, n)| format!("{n} {}", t.label().to_lowercase()))
        .collect();
    format!(
        "{} characters · {} · opened {}",
        e.chars,
        counts.join(", "),
        date(e.last_opened)
    )
}

#[derive(Properties, PartialEq)]
struct RenameProps {
    entry: IndexEntry,
    on_done: Callback<()>,
}

/// The name field: focused when it appears; Enter saves, Escape cancels,
/// and what happened is said.
#[function_component(RenameField)]
fn rename_field(p: &RenameProps) -> Html {
    let ctx = use_ctx();
    let input = use_node_ref();
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(i) = input.cast::<HtmlInputElement>() {
                let _ = i.focus();
                i.select();
            }
        });
    }
    let name = p.entry.display_name().to_string();
    let save = {
        let (ctx, input, id, done, old) = (
            ctx.clone(),
            input.clone(),
            p.entry.id.clone(),
            p.on_done.clone(),
            name.clone(),
        );
        Callback::from(move |_: ()| {
            let v = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value())
                .unwrap_or_default();
            match storage::rename(&*ctx.session.store, &id, &v) {
                Ok(()) if v.trim().is_empty() => ctx
                    .say
                    .status(format!("“{old}” is called by its headline again")),
                Ok(()) => ctx.say.status(format!("Renamed “{old}” to “{}”", v.trim())),
                Err(e) => ctx.say.error(format!("Could not rename: {e}.")),
            }
            done.emit(());
        })
    };
    let cancel = {
        let (ctx, done) = (ctx.clone(), p.on_done.clone());
        Callback::from(move |_: ()| {
            ctx.say.status("Rename cancelled");
            done.emit(());
        })
    };
    let onkeydown = {
        let (save, cancel) = (save.clone(), cancel.clone());
        Callback::from(move |e: KeyboardEvent| match e.key().as_str() {
            // Enter and Escape commit or cancel an input method's
            // composition first; only the next one is for the rename.
            _ if crate::ui::hooks::shortcuts::composing(&e) => {}
            "Enter" => {
                e.prevent_default();
                save.emit(());
            }
            "Escape" => {
                // Cancels the rename, not the Library.
                e.prevent_default();
                cancel.emit(());
            }
            _ => {}
        })
    };
    html! {
        <span class="rename">
            <input type="text" ref={input} value={name.clone()} aria-label={format!("New name for {name}")} {onkeydown} />
            <button type="button" onclick={save.reform(|_: MouseEvent| ())}>{ "Save name" }</button>
            <button type="button" onclick={cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
        </span>
    }
}
