//! Drawing highlights and hit-testing them.
//!
//! Where the browser has the CSS Custom Highlight API, a
//! [`highlight::Painter`] registers one range per annotation and follows the
//! viewport (see `web::highlight`); elsewhere (or when a test forces it) the
//! article is drawn as `<mark>` runs from [`segments`]. Either way this hook
//! keeps the drawing in step with the state, tells what a click or hover on
//! the article hits, brings an annotation into view, and marks
//! `claimmark:ready` once the stored annotations are painted.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, MouseEvent};
use yew::prelude::*;

use super::use_latest;
use crate::core::{hit, segments, AnnotationId, Article, Run};
use crate::ui::app_state::AppState;
use crate::ui::refs::{AnnList, ArticleRef};
use crate::web::{self, dom, highlight};

/// What a mouse event on the article hits: the annotations under it.
pub type HitTest = Rc<dyn Fn(&MouseEvent) -> Option<Vec<AnnotationId>>>;

/// What the article view and the panel need from the highlighter.
#[derive(Clone)]
pub struct Highlighter {
    /// Highlights drawn as `<mark>` runs (no Highlight API, or forced).
    pub spans: bool,
    /// Runs per block, for the `<mark>` renderer (empty when painting).
    pub segments: Rc<Vec<Rc<Vec<Run>>>>,
    /// The annotation under the pointer (or the panel item hovered).
    pub hovered: Option<AnnotationId>,
    pub on_hover: Callback<Option<AnnotationId>>,
    /// Hover over the article: hit-test and set `hovered`.
    pub on_article_hover: Callback<MouseEvent>,
    /// Scroll an annotation into view and flash it.
    pub reveal: Callback<AnnotationId>,
    /// The annotations under a mouse event on the article.
    pub hit: HitTest,
}

/// The annotations, as a view that changes with each revision.
pub fn ann_list(state: &UseReducerHandle<AppState>) -> AnnList {
    AnnList::new(state.shared().clone(), state.revision)
}

#[hook]
pub fn use_highlighter(
    state: &UseReducerHandle<AppState>,
    list: &AnnList,
    article_ref: &NodeRef,
    force_spans: bool,
) -> Highlighter {
    let article: Rc<Article> = state.article();
    let painter = use_mut_ref(move || {
        if force_spans {
            None
        } else {
            highlight::Painter::new()
        }
    });
    let spans = painter.borrow().is_none();
    let hovered = use_state(|| None::<AnnotationId>);

    let segs = {
        let (article, list) = (article.clone(), list.clone());
        use_memo(
            (list.clone(), ArticleRef(article.clone()), spans),
            move |_| {
                if !spans {
                    return Rc::new(Vec::new());
                }
                Rc::new(
                    segments(&article, &list.get())
                        .into_iter()
                        .map(Rc::new)
                        .collect::<Vec<_>>(),
                )
            },
        )
    };

    // Keep the painted ranges in step with the annotations.
    {
        let (painter, article_ref, list, article) = (
            painter.clone(),
            article_ref.clone(),
            list.clone(),
            article.clone(),
        );
        use_effect_with((list.clone(), ArticleRef(article.clone())), move |_| {
            if let (Some(p), Some(root)) =
                (painter.borrow_mut().as_mut(), article_ref.cast::<Element>())
            {
                p.sync(&root, &article, list.shared());
            }
        });
    }
    {
        let painter = painter.clone();
        let selected = state.get().selected.clone();
        use_effect_with(
            (selected, (*hovered).clone(), list.clone()),
            move |(sel, hov, _)| {
                if let Some(p) = painter.borrow().as_ref() {
                    p.set_selected(sel.as_ref());
                    p.set_hovered(hov.as_ref());
                }
            },
        );
    }
    use_viewport_following(&painter);
    // Once, after the first paint of the stored annotations (the effects
    // above have run by now).
    {
        let list = list.clone();
        use_effect_with((), move |_| {
            web::hand_over();
            web::mark_ready(list.get().len());
            // The formats and readers a first visit does not need, fetched
            // now that it has what it needs.
            web::later::prefetch();
        });
    }

    let hit: HitTest = {
        let (article_ref, article, list) = (article_ref.clone(), article.clone(), list.clone());
        Rc::new(move |e: &MouseEvent| {
            if spans {
                return ids_under(e);
            }
            let root = article_ref.cast::<Element>()?;
            let (node, off) = highlight::caret_at(e.client_x() as f64, e.client_y() as f64)?;
            let at = dom::node_offset(&root, &article, &node, off)?;
            let ids = hit::covering(&list.get(), at);
            (!ids.is_empty()).then_some(ids)
        })
    };
    let on_hover = {
        let hovered = hovered.clone();
        use_latest(move |id: Option<AnnotationId>| {
            if *hovered != id {
                hovered.set(id);
            }
        })
    };
    let on_article_hover = {
        let (hit, on_hover) = (hit.clone(), on_hover.clone());
        use_latest(move |e: MouseEvent| {
            on_hover.emit(hit(&e).and_then(|ids| ids.into_iter().last()));
        })
    };
    let reveal = {
        let (painter, article_ref) = (painter.clone(), article_ref.clone());
        use_latest(move |id: AnnotationId| {
            let target = match painter.borrow().as_ref() {
                Some(p) => {
                    p.flash(&id);
                    p.range_of(&id)
                        .and_then(|r| r.start_container().ok())
                        .and_then(|n| n.parent_element())
                }
                None => article_ref
                    .cast::<Element>()
                    .and_then(|r| dom::highlight_element(&r, id.as_str())),
            };
            if let Some(el) = target {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
        })
    };
    Highlighter {
        spans,
        segments: (*segs).clone(),
        hovered: (*hovered).clone(),
        on_hover,
        on_article_hover,
        reveal,
        hit,
    }
}

/// Highlights are painted near the viewport (see `Painter::paint_window`):
/// follow scrolling and resizing, and paint everything while printing.
#[hook]
fn use_viewport_following(painter: &Rc<RefCell<Option<highlight::Painter>>>) {
    let painter = painter.clone();
    use_effect_with((), move |_| {
        let win = gloo::utils::window();
        let on = |name: &'static str, f: fn(&mut highlight::Painter)| {
            let painter = painter.clone();
            let opts = EventListenerOptions {
                passive: true,
                ..Default::default()
            };
            EventListener::new_with_options(&win, name, opts, move |_| {
                if let Some(p) = painter.borrow_mut().as_mut() {
                    f(p);
                }
            })
        };
        let listeners = [
            on("scroll", |p| p.follow_viewport()),
            on("resize", |p| p.follow_viewport()),
            on("beforeprint", |p| p.paint_everything(true)),
            on("afterprint", |p| p.paint_everything(false)),
        ];
        move || drop(listeners)
    });
}

/// The annotation ids of the `<mark>` under a mouse event's target.
fn ids_under(e: &MouseEvent) -> Option<Vec<AnnotationId>> {
    let el: Element = e.target()?.dyn_into().ok()?;
    let mark = el.closest("[data-ids]").ok()??;
    let ids: Vec<AnnotationId> = mark
        .get_attribute("data-ids")?
        .split_whitespace()
        .map(AnnotationId::from_string)
        .collect();
    (!ids.is_empty()).then_some(ids)
}
