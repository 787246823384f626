//! Going to an annotation anywhere in the library — a search result, a
//! link, a fact checked before — and opening the Link dialog.
//!
//! Another stored article is opened first (as the Library opens it); the
//! annotation is then made the current one, brought into view once drawn,
//! and its panel item gets the focus, so the keyboard is where the reader
//! is looking.

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::highlighter::Highlighter;
use super::opener::Opener;
use super::use_latest;
use crate::core::storage::read_index;
use crate::core::{seed_article, Action, AnnotationId, ArticleId};
use crate::ui::app_state::AppState;
use crate::ui::context::Ctx;
use crate::ui::links::{link_dialog, Navigator};
use crate::web;

/// Focus the panel item of `id` (its select button), if drawn.
fn focus_item(id: &AnnotationId) {
    let doc = gloo::utils::document();
    let selector = format!(
        ".panel li[data-id=\"{}\"] .item-select",
        id.as_str().replace('"', "")
    );
    if let Some(el) = doc
        .query_selector(&selector)
        .ok()
        .flatten()
        .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = el.focus();
    }
}

#[hook]
pub fn use_navigator(
    ctx: &Ctx,
    state: &UseReducerHandle<AppState>,
    opener: &Opener,
    hl: &Highlighter,
) -> Navigator {
    let go = {
        let (ctx, state, stored, reveal) = (
            ctx.clone(),
            state.clone(),
            opener.stored.clone(),
            hl.reveal.clone(),
        );
        use_latest(move |(article, id): (ArticleId, AnnotationId)| {
            if state.article().id != article {
                let listed = read_index(&*ctx.session.store)
                    .articles
                    .iter()
                    .any(|e| e.id == article);
                if !listed && article != seed_article().id {
                    ctx.say.error(
                        "That annotation is in an article not stored in this browser, so it cannot be opened here.",
                    );
                    return;
                }
                stored.emit(article.clone());
                if state.get().article.id != article {
                    // Not opened (its saved copy could not be read; said).
                    return;
                }
            }
            // Read from the shared state: it is current even before a render.
            let (present, title) = {
                let s = state.get();
                (s.get(&id).is_some(), s.article.title.clone())
            };
            if !present {
                ctx.say.error(format!(
                    "That annotation is no longer in “{title}”: the link is broken."
                ));
                return;
            }
            ctx.dispatch.dispatch(Action::Select(Some(id.clone())));
            // Once drawn (the article may just have been opened).
            let reveal = reveal.clone();
            Timeout::new(0, move || {
                web::next_frame(move || {
                    reveal.emit(id.clone());
                    focus_item(&id);
                })
            })
            .forget();
        })
    };
    let link_from = {
        let (ctx, state) = (ctx.clone(), state.clone());
        use_latest(move |id: AnnotationId| {
            let a = state.get().get(&id).cloned();
            match a {
                Some(a) => ctx.dialog.emit(Some(link_dialog(&a))),
                None => ctx.say.status("Choose an annotation first, then link it"),
            }
        })
    };
    Navigator { go, link_from }
}
