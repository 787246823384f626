//! The selection waiting to be tagged, the keyboard word cursor, and what
//! tagging it does.
//!
//! Any way of selecting (mouse, touch, keyboard, the word cursor) ends in a
//! DOM selection; `selectionchange` turns it into a [`Pending`] span (trimmed
//! and snapped to words by [`refine_with`], exact characters with Alt) that the
//! selection toolbar offers to tag. Tagging reads the live DOM selection
//! first: the pending state follows `selectionchange`, which can lag behind
//! fast typing.
//!
//! Words of Chinese, Japanese, Thai and other scripts written without
//! spaces end where the browser's dictionary says (`web::words`, made once
//! per article in its language); the word cursor's → and ← go the way they
//! point in the block the cursor is in (right to left: → goes back).

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

use super::use_latest;
use crate::core::selection::{motion_with, refine_with, Dictionary, Motion};
use crate::core::{Action, Annotation, AnnotationId, Article, Span, Tag};
use crate::ui::context::Ctx;
use crate::ui::refs::ArticleRef;
use crate::web::words::IntlWords;
use crate::web::{self, dom};

/// The browser's dictionary for `article`'s language, made once per
/// article; `None` where the browser has none.
#[hook]
fn use_dictionary(article: &Rc<Article>) -> Rc<Option<IntlWords>> {
    use_memo(ArticleRef(article.clone()), |a| {
        IntlWords::new(a.0.lang().as_deref())
    })
}

fn as_dict(d: &Option<IntlWords>) -> Option<&dyn Dictionary> {
    d.as_ref().map(|d| d as &dyn Dictionary)
}

/// A selection waiting to be tagged, and where to show the toolbar.
#[derive(Clone, Copy, PartialEq, Debug)]
pub struct Pending {
    pub span: Span,
    /// Page position in whole pixels (no float formatting in the bundle).
    pub top: i32,
    pub left: i32,
}

/// The selection and what can be done with it.
#[derive(Clone, PartialEq)]
pub struct Selection {
    pub pending: Option<Pending>,
    /// Tag the selection (the toolbar's buttons and the F/Q/A keys).
    pub tag: Callback<Tag>,
    /// Place an orphan on the selection.
    pub reattach: Callback<AnnotationId>,
    /// Arrow keys on the article: the word cursor.
    pub on_article_key: Callback<KeyboardEvent>,
    /// Drop the selection (Escape).
    pub clear: Callback<()>,
}

#[hook]
pub fn use_selection(ctx: &Ctx, article: &Rc<Article>, article_ref: &NodeRef) -> Selection {
    let pending = use_state(|| None::<Pending>);
    let press = use_mut_ref(Press::default);
    let dict = use_dictionary(article);
    use_selection_tracking(article, article_ref, &pending, &press, &dict);

    // The selection as it is now: the live DOM selection, else the pending one.
    let current: Rc<dyn Fn(bool) -> Option<Span>> = {
        let (article, article_ref, pending) = (article.clone(), article_ref.clone(), *pending);
        let dict = dict.clone();
        Rc::new(move |exact: bool| {
            article_ref
                .cast::<Element>()
                .and_then(|root| dom::selection_span(&root, &article))
                .and_then(|raw| refine_with(&article, raw, exact, as_dict(&dict)))
                .or(pending.map(|p| p.span))
        })
    };
    let clear = {
        let (pending, press) = (pending.clone(), press.clone());
        use_latest(move |_: ()| {
            press.borrow_mut().keeps_selection = false;
            dom::clear_selection();
            pending.set(None);
        })
    };
    let tag = {
        let (ctx, article, current, press, clear) = (
            ctx.clone(),
            article.clone(),
            current.clone(),
            press.clone(),
            clear.clone(),
        );
        use_latest(move |tag: Tag| {
            // Read, then let go: what follows re-renders (and writes `press`).
            let exact = press.borrow().alt;
            tag_span(&ctx, &article, &clear, tag, current(exact))
        })
    };
    let reattach = {
        let (ctx, current, clear) = (ctx.clone(), current.clone(), clear.clone());
        use_latest(move |id: AnnotationId| match current(false) {
            Some(span) => {
                ctx.dispatch.dispatch(Action::Reattach {
                    id,
                    span,
                    now: web::now(),
                });
                clear.emit(());
            }
            None => ctx.say.status(
                "Select the passage in the article first, then choose Re-attach to selection.",
            ),
        })
    };
    let on_article_key = use_word_cursor(article, article_ref, &dict, &ctx.say);
    Selection {
        pending: *pending,
        tag,
        reattach,
        on_article_key,
        clear,
    }
}

/// What the last press (mouse, pen or finger) was.
#[derive(Default)]
struct Press {
    /// Alt held: keep the exact characters.
    alt: bool,
    /// On a control that acts on the selection (the toolbar, Re-attach):
    /// a tap there collapses the selection on touch screens, and the
    /// selection must outlive that until the control's click.
    keeps_selection: bool,
}

/// Tag `span` (the selection), or say there is nothing selected.
fn tag_span(ctx: &Ctx, article: &Rc<Article>, clear: &Callback<()>, tag: Tag, span: Option<Span>) {
    match span {
        Some(span) => {
            let a = Annotation::new(web::new_id(), tag, article, span, web::now());
            // The selection goes first, while the page's layout is still
            // clean: cleared after the change, it forces a style and layout
            // pass over everything the change touched (~2 ms at 1 MB).
            clear.emit(());
            ctx.dispatch.dispatch(Action::Create(a));
        }
        None => ctx.say.status("Select a passage in the article first."),
    }
}

/// Follow the DOM selection: any way of selecting, inside the article only.
#[hook]
fn use_selection_tracking(
    article: &Rc<Article>,
    article_ref: &NodeRef,
    pending: &UseStateHandle<Option<Pending>>,
    press: &Rc<RefCell<Press>>,
    dict: &Rc<Option<IntlWords>>,
) {
    let (pending, article_ref, press, article, dict) = (
        pending.clone(),
        article_ref.clone(),
        press.clone(),
        article.clone(),
        dict.clone(),
    );
    use_effect_with(ArticleRef(article.clone()), move |_| {
        let doc = gloo::utils::document();
        let on_press = {
            let press = press.clone();
            EventListener::new(&doc, "pointerdown", move |e| {
                let keeps = e
                    .target()
                    .and_then(|t| t.dyn_into::<Element>().ok())
                    .and_then(|el| el.closest("[data-keep-selection]").ok().flatten())
                    .is_some();
                let alt = e
                    .dyn_ref::<web_sys::MouseEvent>()
                    .is_some_and(|m| m.alt_key());
                *press.borrow_mut() = Press {
                    alt,
                    keeps_selection: keeps,
                };
            })
        };
        let on_change = EventListener::new(&doc, "selectionchange", move |_| {
            let Some(root) = article_ref.cast::<Element>() else {
                return;
            };
            let (exact, keeping) = {
                let p = press.borrow();
                (p.alt, p.keeps_selection)
            };
            let next = dom::selection_span(&root, &article)
                .and_then(|raw| refine_with(&article, raw, exact, as_dict(&dict)))
                .map(|span| {
                    let (top, left) = selection_anchor();
                    Pending { span, top, left }
                });
            if next.is_none() && keeping {
                // A tap on the toolbar collapsed it: keep what was selected.
                return;
            }
            if *pending != next {
                pending.set(next);
            }
        });
        move || drop((on_press, on_change))
    });
}

/// The word cursor: arrows select the next or previous word (or block),
/// Shift+arrows extend or shrink the selection; → and ← go the way they
/// point in the block the cursor is in.
#[hook]
fn use_word_cursor(
    article: &Rc<Article>,
    article_ref: &NodeRef,
    dict: &Rc<Option<IntlWords>>,
    say: &crate::ui::messages::Messenger,
) -> Callback<KeyboardEvent> {
    let (article, article_ref, dict, say) = (
        article.clone(),
        article_ref.clone(),
        dict.clone(),
        say.clone(),
    );
    let cursor = use_mut_ref(|| None::<Span>);
    use_latest(move |e: KeyboardEvent| {
        if e.ctrl_key() || e.meta_key() || e.alt_key() || super::shortcuts::composing(&e) {
            return;
        }
        let Some(root) = article_ref.cast::<Element>() else {
            return;
        };
        // Read the live DOM selection: state may lag behind fast key repeats.
        let cur = dom::selection_span(&root, &article).or(*cursor.borrow());
        let dir = cur
            .and_then(|c| article.block_at(c.start()))
            .map_or_else(|| article.dir(), |b| article.block_dir(b));
        let Some(m) = Motion::of_key_in(&e.key(), e.shift_key(), dir) else {
            return;
        };
        let Some(span) = motion_with(&article, cur, m, as_dict(&dict)) else {
            // Shift+arrow where the selection cannot grow or shrink (the
            // last word, one word left) keeps it: the browser's own move
            // would leave part of a word selected. A plain arrow there
            // still scrolls the page.
            if e.shift_key() {
                e.prevent_default();
            }
            return;
        };
        e.prevent_default();
        *cursor.borrow_mut() = Some(span);
        // A screen reader says nothing of a selection a script made: the
        // live region says which words the next F, Q or A would tag.
        say.status(format!(
            "Selected “{}”",
            crate::core::words::ends(article.slice(span), 30)
        ));
        if let Some(range) = dom::select_span(&root, &article, span) {
            // `scroll-padding-top` keeps it clear of the sticky header.
            if let Some(el) = range
                .start_container()
                .ok()
                .and_then(|n| n.parent_element())
            {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        }
    })
}

/// Where to put the toolbar: just below the end of the current selection.
fn selection_anchor() -> (i32, i32) {
    let rect = web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .filter(|s| s.range_count() > 0)
        .and_then(|s| s.get_range_at(0).ok())
        .map(|r| r.get_bounding_client_rect());
    match rect {
        Some(r) => page_point(r.left() as i32, r.bottom() as i32 + 6),
        None => (0, 0),
    }
}

/// A viewport point as a page position (top, left), kept on the page.
pub fn page_point(x: i32, y: i32) -> (i32, i32) {
    let w = web_sys::window();
    let sx = w.as_ref().and_then(|w| w.scroll_x().ok()).unwrap_or(0.0);
    let sy = w.as_ref().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
    (y + sy.round() as i32, (x + sx.round() as i32).max(4))
}
