//! The side panel: counts per tag, filters, search, and one item per
//! annotation in document order, a page at a time.

mod item;

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::ui::select::Select;

pub use crate::ui::field_edit::FieldEdit;
pub use item::Item;

use crate::core::filter::{AuthorFilter, Filter, TagFilter, VerdictFilter};
use crate::core::{words, Annotation, AnnotationId, Tag};
use crate::ui::context::use_ctx;
use crate::ui::refs::{AnnList, AnnRef};

/// How many items the list renders at first (and adds per "Show more").
/// The rest stay out of the DOM so 10,000 annotations do not cost 10,000 items.
const PAGE: usize = 40;

/// How long the filters rest before what they leave is announced.
const ANNOUNCE_AFTER_MS: u32 = 500;

/// What an item can do, as callbacks (stable across renders).
#[derive(Clone, PartialEq)]
pub struct ItemActions {
    pub select: Callback<AnnotationId>,
    pub hover: Callback<Option<AnnotationId>>,
    pub edit: Callback<(AnnotationId, FieldEdit)>,
    pub delete: Callback<AnnotationId>,
    pub reattach: Callback<AnnotationId>,
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub annotations: AnnList,
    pub selected: Option<AnnotationId>,
    pub hovered: Option<AnnotationId>,
    pub actions: ItemActions,
}

#[function_component(Panel)]
pub fn panel(p: &PanelProps) -> Html {
    let filter = use_state(Filter::default);
    let query = use_state(String::new);
    let limit = use_state(|| PAGE);
    let list_ref = use_node_ref();
    let announce = use_mut_ref(|| None::<Timeout>);
    let first_render = use_mut_ref(|| true);
    // After a deletion, focus moves to the item that took its place.
    let refocus = use_mut_ref(|| None::<usize>);
    {
        let (list_ref, refocus) = (list_ref.clone(), refocus.clone());
        use_effect(move || {
            if let Some(i) = refocus.borrow_mut().take() {
                focus_item(&list_ref, i);
            }
        });
    }

    let all_ref = p.annotations.get();
    let all: &[Rc<Annotation>] = &all_ref;
    let mut counts = [0usize; 3];
    let mut orphans = 0;
    for a in all.iter() {
        counts[Tag::ALL.iter().position(|t| *t == a.tag).unwrap_or(0)] += 1;
        orphans += usize::from(a.orphan);
    }
    // By author: only where the annotations have more than one (a choice
    // that is no longer offered filters nothing).
    let authors = AuthorFilter::choices(all);
    let effective = match authors.is_empty() {
        true => (*filter).clone().with_author(AuthorFilter::Anyone),
        false => (*filter).clone(),
    };
    // With nothing filtered out (the usual case) the list itself is shown:
    // no copy of 10,000 references on every change.
    let filtered: Option<Vec<Rc<Annotation>>> =
        (!effective.is_open()).then(|| all.iter().filter(|a| effective.fits(a)).cloned().collect());
    let shown: &[Rc<Annotation>] = filtered.as_deref().unwrap_or(all);
    // The rendered window: the first `limit` items, moved so the selected one is in it.
    let selected_at = p
        .selected
        .as_ref()
        .and_then(|id| shown.iter().position(|a| &a.id == id));
    let start = match selected_at {
        Some(i) if i >= *limit => i.saturating_sub(PAGE / 2),
        _ => 0,
    };
    let end = (start + *limit)
        .min(shown.len())
        .max(selected_at.map_or(0, |i| i + 1));
    let visible = &shown[start..end];
    // A filter or search changed: say how many it leaves, once the person
    // has paused (not on every key typed in the search).
    {
        let (say, pending, first) = (use_ctx().say, announce.clone(), first_render.clone());
        let (n, total) = (shown.len(), all.len());
        use_effect_with((*filter).clone(), move |_| {
            if std::mem::take(&mut *first.borrow_mut()) {
                return;
            }
            // Not over anything said meanwhile (a sign-out, an edit).
            let since = js_sys::Date::now();
            *pending.borrow_mut() = Some(Timeout::new(ANNOUNCE_AFTER_MS, move || {
                say.status_if_quiet_since(words::shown(n, total), since)
            }));
        });
    }

    let on_tag_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            filter.set((*filter).clone().with_tag(TagFilter::from_key(&key)));
        })
    };
    let on_verdict_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            filter.set(
                (*filter)
                    .clone()
                    .with_verdict(VerdictFilter::from_key(&key)),
            );
        })
    };
    let on_author_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            let key = e.target_unchecked_into::<HtmlSelectElement>().value();
            filter.set((*filter).clone().with_author(AuthorFilter::from_key(&key)));
        })
    };
    let on_query = {
        let (filter, query) = (filter.clone(), query.clone());
        Callback::from(move |e: InputEvent| {
            let q = e.target_unchecked_into::<HtmlInputElement>().value();
            filter.set((*filter).clone().with_query(&q));
            query.set(q);
        })
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_: MouseEvent| limit.set(*limit + PAGE))
    };
    // Stable, so the items' props do not change on every render: where the
    // deleted item stood is read from the list when it happens.
    let on_delete = {
        let (cb, refocus, list_ref) = (p.actions.delete.clone(), refocus.clone(), list_ref.clone());
        use_memo((), move |_| {
            Callback::from(move |id: AnnotationId| {
                *refocus.borrow_mut() = Some(position_in(&list_ref, &id));
                cb.emit(id);
            })
        })
    };
    let on_delete = (*on_delete).clone();
    let max = counts.iter().copied().max().unwrap_or(0).max(1);
    html! {
        <section class="panel" aria-labelledby="panel-heading">
            <h2 id="panel-heading">{ "Annotations" }</h2>
            <div class="summary" aria-label="Annotations per tag">
                { for Tag::ALL.iter().zip(counts).map(|(t, n)| html! {
                    <div class={classes!("count", format!("count-{}", t.key()))}>
                        <span class="count-label">{ t.label() }</span>
                        <span class="bar" aria-hidden="true">
                            <span class={classes!("bar-fill", format!("swatch-{}", t.key()))}
                                  style={format!("width: {}%", n * 100 / max)} />
                        </span>
                        <span class="count-n">{ n }</span>
                    </div>
                }) }
                if orphans > 0 {
                    <p class="orphan-count">{ format!("{} not found in the text: re-attach by selecting the passage, then “Re-attach to selection”.", words::count(orphans, "annotation", "annotations")) }</p>
                }
            </div>
            <div class="filters">
                <label>{ "Tag" }
                    <Select onchange={on_tag_filter} label="Filter by tag" value={filter.tag.key()}
                            options={TagFilter::choices().into_iter().map(|f| (f.key().into(), f.label().into())).collect::<Vec<_>>()} />
                </label>
                <label>{ "Verdict" }
                    <Select onchange={on_verdict_filter} label="Filter by verdict" value={filter.verdict.key()}
                            options={VerdictFilter::choices().into_iter().map(|f| (f.key().into(), f.label().into())).collect::<Vec<_>>()} />
                </label>
                if !authors.is_empty() {
                    <label>{ "Author" }
                        <Select onchange={on_author_filter} label="Filter by author" value={filter.author.key()}
                                options={authors.iter().map(|f| (f.key().into(), f.label().into())).collect::<Vec<_>>()} />
                    </label>
                }
                <label class="search">{ "Search" }
                    <input type="search" value={(*query).clone()} oninput={on_query}
                           aria-label="Search quotes and notes" placeholder="Quotes, notes…" />
                </label>
            </div>
            <Legend />
            <div class="panel-state">
            if all.is_empty() {
                <div class="empty">
                    <p>{ "No annotations yet." }</p>
                    <p>{ "Select a passage in the article, then choose Fact, Quote or Analysis — or press F, Q or A." }</p>
                    <p>{ "Keyboard: focus the article, use the arrow keys to pick a word, Shift+arrows to extend, then F, Q or A. Press ? for all keys." }</p>
                </div>
            } else if shown.is_empty() {
                <p class="empty">{ "No annotation matches this filter or search." }</p>
            }
            </div>
            <ol class="items" ref={list_ref} tabindex="-1" aria-label="Annotation list">
                { for visible.iter().map(|a| html! {
                    <Item
                        key={a.id.as_str()}
                        annotation={AnnRef((*a).clone())}
                        selected={p.selected.as_ref() == Some(&a.id)}
                        hovered={p.hovered.as_ref() == Some(&a.id)}
                        in_panel=true
                        on_select={p.actions.select.clone()}
                        on_hover={p.actions.hover.clone()}
                        on_edit={p.actions.edit.clone()}
                        on_delete={on_delete.clone()}
                        on_reattach={p.actions.reattach.clone()}
                    />
                }) }
            </ol>
            if start > 0 || end < shown.len() {
                <p class="more">
                    { format!("Showing {} of {}. ", end - start, words::annotations(shown.len())) }
                    if end < shown.len() {
                        <button type="button" onclick={more}>{ format!("Show {} more", PAGE.min(shown.len() - end)) }</button>
                    }
                </p>
            }
        </section>
    }
}

/// Where the item of `id` stands among the rendered items.
fn position_in(list_ref: &NodeRef, id: &AnnotationId) -> usize {
    let Some(list) = list_ref.cast::<HtmlElement>() else {
        return 0;
    };
    let Ok(items) = list.query_selector_all(":scope > li") else {
        return 0;
    };
    (0..items.length())
        .filter_map(|i| items.item(i))
        .filter_map(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
        .position(|el| el.get_attribute("data-id").as_deref() == Some(id.as_str()))
        .unwrap_or(0)
}

/// Focus the `i`-th item's button (or the list, when there is none).
fn focus_item(list_ref: &NodeRef, i: usize) {
    let Some(list) = list_ref.cast::<HtmlElement>() else {
        return;
    };
    let buttons = list.query_selector_all(".item-select").ok();
    let n = buttons.as_ref().map_or(0, |b| b.length());
    let target = (n > 0)
        .then(|| buttons.and_then(|b| b.item((i as u32).min(n - 1))))
        .flatten()
        .and_then(|b| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(b).ok());
    let _ = target.unwrap_or(list).focus();
}

#[function_component(Legend)]
fn legend() -> Html {
    html! {
        // Not a list: the region's one list is the annotations.
        <p class="legend">
            <span class="visually-hidden">{ "Legend: " }</span>
            { for Tag::ALL.iter().map(|t| html! {
                <span class="legend-entry">
                    <mark class={classes!("hl", format!("hl-{}", t.key()))}>{ t.label() }</mark>
                    <span class="legend-cue">{ format!(" — {}", t.cue()) }</span>
                </span>
            }) }
        </p>
    }
}

/// Scroll the panel (not the page) so that `el`, the selected item, shows.
/// `scrollIntoView` would also scroll the page: where the panel sits under
/// the article (narrow screens), choosing an annotation would carry the
/// reader away from it, and after a jump from the panel it would undo the
/// jump to the annotation.
pub(super) fn reveal_in_panel(el: &web_sys::Element) {
    let Some(side) = el.closest(".side").ok().flatten() else {
        return;
    };
    let (outer, inner) = (
        side.get_bounding_client_rect(),
        el.get_bounding_client_rect(),
    );
    let by = if inner.top() < outer.top() {
        inner.top() - outer.top()
    } else if inner.bottom() > outer.bottom() {
        (inner.bottom() - outer.bottom()).min(inner.top() - outer.top())
    } else {
        return;
    };
    side.set_scroll_top(side.scroll_top() + by.round() as i32);
}
