//! What can be done to one annotation from the panel, the sheet, the
//! chooser or a click on the article: make it the current one (and bring it
//! into view), hover, edit a field, delete, re-attach.

use yew::prelude::*;

use super::highlighter::Highlighter;
use super::selection::{page_point, Selection};
use super::use_latest;
use crate::core::{Action, AnnotationId};
use crate::ui::app_state::AppState;
use crate::ui::context::Ctx;
use crate::ui::panel::{FieldEdit, ItemActions};
use crate::ui::selection_toolbar::Choice;
use crate::web;

#[hook]
pub fn use_item_actions(
    ctx: &Ctx,
    hl: &Highlighter,
    sel: &Selection,
    choice: &UseStateHandle<Option<Choice>>,
) -> ItemActions {
    let select = {
        let (ctx, reveal, choice) = (ctx.clone(), hl.reveal.clone(), choice.clone());
        use_latest(move |id: AnnotationId| {
            choice.set(None);
            ctx.dispatch.dispatch(Action::Select(Some(id.clone())));
            // Once drawn: on phones the sheet has opened by then, and the
            // annotation is brought into view above it.
            let reveal = reveal.clone();
            web::next_frame(move || reveal.emit(id));
        })
    };
    let edit = {
        let ctx = ctx.clone();
        use_latest(move |(id, edit): (AnnotationId, FieldEdit)| {
            let now = web::now();
            ctx.dispatch.dispatch(match edit {
                FieldEdit::Tag(tag) => Action::SetTag { id, tag, now },
                FieldEdit::Note(note) => Action::SetNote { id, note, now },
                FieldEdit::Verdict(verdict) => Action::SetVerdict { id, verdict, now },
                FieldEdit::Explanation(explanation) => Action::SetExplanation {
                    id,
                    explanation,
                    now,
                },
                FieldEdit::Sources(sources) => Action::SetSources { id, sources, now },
                FieldEdit::Claim(claim) => Action::SetClaim { id, claim, now },
                FieldEdit::Claimant(claimant) => Action::SetClaimant { id, claimant, now },
                FieldEdit::AddSource(url) => Action::AddSource { id, url, now },
            })
        })
    };
    let delete = {
        let ctx = ctx.clone();
        use_latest(move |id: AnnotationId| {
            ctx.dispatch.dispatch(Action::Delete {
                id,
                now: web::now(),
            })
        })
    };
    ItemActions {
        select,
        hover: hl.on_hover.clone(),
        edit,
        delete,
        reattach: sel.reattach.clone(),
    }
}

/// A click on the article: on one annotation it becomes the current one;
/// on several, the chooser offers them; elsewhere the chooser closes. A
/// click that ends a selection does neither.
#[hook]
pub fn use_article_click(
    state: &UseReducerHandle<AppState>,
    hl: &Highlighter,
    choice: &UseStateHandle<Option<Choice>>,
) -> Callback<MouseEvent> {
    let (state, hit, choice) = (state.clone(), hl.hit.clone(), choice.clone());
    use_latest(move |e: MouseEvent| {
        let has_selection = web_sys::window()
            .and_then(|w| w.get_selection().ok().flatten())
            .is_some_and(|s| !s.is_collapsed());
        if has_selection {
            return;
        }
        let Some(ids) = hit(&e) else {
            choice.set(None);
            return;
        };
        if ids.len() == 1 {
            choice.set(None);
            state.dispatch(Action::Select(ids.into_iter().next()));
        } else {
            let (top, left) = page_point(e.client_x(), e.client_y());
            let annotations = {
                let s = state.get();
                ids.iter().filter_map(|id| s.get(id).cloned()).collect()
            };
            choice.set(Some(Choice {
                annotations,
                top,
                left,
            }));
        }
    })
}
