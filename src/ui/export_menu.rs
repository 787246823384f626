//! The Export menu: each format downloads a file or copies to the
//! clipboard. It opens from its button and closes on Escape (focus back on
//! the button), on a click or tap outside it, and after an export.

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, HtmlInputElement};
use yew::prelude::*;

use super::context::use_ctx;
use super::dialog::focus_into;
use std::rc::Rc;

use super::refs::{AnnList, ArticleRef};
use crate::core::formats::{Context, Format};
use crate::core::storage::PREFIX;
use crate::core::words;
use crate::web::{self, files, local_store};

/// Where the user's name (for ClaimReview's `author`) is kept.
pub fn author_key() -> String {
    format!("{PREFIX}author")
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub article: ArticleRef,
    pub annotations: AnnList,
}

#[function_component(ExportMenu)]
pub fn export_menu(p: &ExportProps) -> Html {
    let ctx = use_ctx();
    // The other ends of links, for the formats that show them.
    let index = use_context::<crate::ui::hooks::library_index::LibraryIndex>();
    let open = use_state(|| false);
    let root = use_node_ref();
    let toggle_ref = use_node_ref();
    let store = ctx.session.store.clone();
    let author = use_state(|| store.get(&author_key()).ok().flatten().unwrap_or_default());
    // Read again on opening: printing may have kept a name since.
    {
        let (author, store) = (author.clone(), store.clone());
        use_effect_with(*open, move |&is_open| {
            if is_open {
                // The writers but claimmark JSON's are in the second module.
                web::later::warm();
                let kept = store.get(&author_key()).ok().flatten().unwrap_or_default();
                if kept.trim() != author.trim() {
                    author.set(kept);
                }
            }
        });
    }

    let close = {
        let (open, toggle_ref) = (open.clone(), toggle_ref.clone());
        Callback::from(move |refocus: bool| {
            open.set(false);
            if refocus {
                if let Some(b) = toggle_ref.cast::<HtmlElement>() {
                    let _ = b.focus();
                }
            }
        })
    };
    // While open: a press outside closes it; focus goes in on opening.
    {
        let (root, close) = (root.clone(), close.clone());
        use_effect_with(*open, move |&is_open| {
            let listener = is_open.then(|| {
                if let Some(body) = root
                    .cast::<Element>()
                    .and_then(|r| r.query_selector(".menu-body").ok().flatten())
                {
                    focus_into(&body);
                }
                let root = root.clone();
                EventListener::new(&gloo::utils::document(), "pointerdown", move |e| {
                    let inside = e
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                        .zip(root.cast::<Element>())
                        .is_some_and(|(t, r)| r.contains(Some(&t)));
                    if !inside {
                        close.emit(false);
                    }
                })
            });
            move || drop(listener)
        });
    }
    let onkeydown = {
        let (close, open) = (close.clone(), open.clone());
        Callback::from(move |e: KeyboardEvent| {
            if e.key() == "Escape" && *open && !crate::ui::hooks::shortcuts::composing(&e) {
                e.prevent_default();
                close.emit(true);
            }
        })
    };
    // Tab moves on through the page; the menu closes once focus has left it.
    let onfocusout = {
        let (close, root, open) = (close.clone(), root.clone(), open.clone());
        Callback::from(move |e: FocusEvent| {
            let next = e
                .related_target()
                .and_then(|t| t.dyn_into::<web_sys::Node>().ok());
            let inside = next
                .zip(root.cast::<Element>())
                .is_some_and(|(n, r)| r.contains(Some(&n)));
            if *open && !inside && e.related_target().is_some() {
                close.emit(false);
            }
        })
    };
    let toggle = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(!*open))
    };
    let run = |format: Format, copy: bool| {
        let (article, list, author, say, close, index) = (
            p.article.0.clone(),
            p.annotations.clone(),
            author.clone(),
            ctx.say.clone(),
            close.clone(),
            index.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let cx = Context {
                now: web::now(),
                author: Some(author.trim().to_string()),
                ends: Rc::new(
                    index
                        .as_ref()
                        .map(|i| crate::ui::links::ends_of(i, &article, &list.get()))
                        .unwrap_or_default(),
                ),
            };
            let what = format!(
                "{} as {}",
                words::annotations(format.holds(&list.get())),
                format.label()
            );
            close.emit(true);
            if !web::later::ready_for(format) {
                say.status(format!("Preparing the {} file…", format.label()));
            }
            let (say, name) = (say.clone(), format.file_name(&article));
            web::later::export(format, &article, &list.get(), &cx, move |text| {
                let text = match text {
                    Ok(t) => t,
                    Err(e) => {
                        return say
                            .error(format!("The {} file was not written: {e}.", format.label()))
                    }
                };
                if copy {
                    files::copy_text(text, move |r| match r {
                        Ok(()) => say.status(format!("Copied {what} to the clipboard")),
                        Err(e) => say.error(format!("Could not copy: {e}.")),
                    });
                } else {
                    match local_store::download(&name, format.mime(), &text) {
                        Ok(()) => say.status(format!("Downloaded {what}")),
                        Err(_) => say.error("The download could not start; try Copy instead."),
                    }
                }
            });
        })
    };
    let on_author = {
        let (author, store) = (author.clone(), store.clone());
        // Kept as typed, on every key: a press outside closes the menu
        // (and removes the field) before a `change` could fire.
        Callback::from(move |e: InputEvent| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let _ = store.set(&author_key(), v.trim());
            // Untrimmed while typing: a space between names must stay.
            author.set(v);
        })
    };
    // Counted only while the menu is open: it is read on every change.
    let reviewed = if *open {
        Format::ClaimReview.holds(&p.annotations.get())
    } else {
        0
    };
    html! {
        <div class="menu export-menu" ref={root} data-menu="export" {onkeydown} {onfocusout}>
            <button type="button" class="menu-toggle" ref={toggle_ref} onclick={toggle}
                    aria-expanded={open.to_string()} aria-controls="export-menu">
                { "Export" }<span class="caret" aria-hidden="true">{ if *open { " ▴" } else { " ▾" } }</span>
            </button>
            if *open {
                <div class="menu-body" id="export-menu" role="group" aria-label="Export">
                    <table class="formats">
                        <tbody>
                        { for Format::ALL.iter().map(|&f| html! {
                            <tr>
                                <th scope="row">{ f.label() }
                                    if f == Format::ClaimReview {
                                        <span class="hint">{ format!(" ({})", words::count(reviewed, "fact with a verdict", "facts with a verdict")) }</span>
                                    }
                                </th>
                                <td><button type="button" onclick={run(f, false)}
                                            aria-label={format!("Download {}", f.label())}>{ "Download" }</button></td>
                                <td><button type="button" onclick={run(f, true)}
                                            aria-label={format!("Copy {}", f.label())}>{ "Copy" }</button></td>
                            </tr>
                        }) }
                        </tbody>
                    </table>
                    <label class="author">{ "Your name (for ClaimReview) " }
                        <input type="text" value={(*author).clone()} oninput={on_author} autocomplete="name"
                               dir="auto" aria-describedby="author-hint" />
                    </label>
                    <p id="author-hint" class="hint">{ "Also printed on reports, with the date." }</p>
                </div>
            }
        </div>
    }
}
