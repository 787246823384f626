//! The side panel: counts per tag, filter, search, and one item per annotation.

use std::rc::Rc;

use web_sys::{HtmlElement, HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::factcheck::parse_sources;
use crate::core::{Annotation, AnnotationId, Tag, Verdict};

/// A change to one field of an annotation, made in the panel.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldEdit {
    Tag(Tag),
    Note(String),
    Verdict(Option<Verdict>),
    Explanation(String),
    /// Already checked: http and https links only.
    Sources(Vec<String>),
    Claim(String),
    Claimant(String),
    /// A link from the article, added to the sources.
    AddSource(String),
}

/// The tag filter's value for orphans.
const ORPHANS: &str = "orphan";

/// How many items the list renders at first (and adds per "Show more").
/// The rest stay out of the DOM so 10,000 annotations do not cost 10,000 items.
const PAGE: usize = 40;

/// Quotes longer than this (in chars) are shortened until asked for in full.
const SHORT_QUOTE: usize = 140;

/// The annotation list, compared by identity (one `Rc` per revision).
#[derive(Clone)]
pub struct AnnList(pub Rc<Vec<Rc<Annotation>>>);

impl PartialEq for AnnList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

#[derive(Properties, PartialEq)]
pub struct PanelProps {
    pub annotations: AnnList,
    pub selected: Option<AnnotationId>,
    pub hovered: Option<AnnotationId>,
    pub on_select: Callback<AnnotationId>,
    pub on_hover: Callback<Option<AnnotationId>>,
    pub on_edit: Callback<(AnnotationId, FieldEdit)>,
    pub on_delete: Callback<AnnotationId>,
    /// Place an orphan on the current selection.
    pub on_reattach: Callback<AnnotationId>,
}

/// Does `a` pass the verdict filter (`""` any, `"some"`, `"none"`, or a verdict key)?
fn verdict_matches(a: &Annotation, filter: &str) -> bool {
    match filter {
        "" => true,
        "some" => a.verdict.is_some(),
        "none" => a.verdict.is_none(),
        key => a.verdict.is_some_and(|v| v.key() == key),
    }
}

#[function_component(Panel)]
pub fn panel(p: &PanelProps) -> Html {
    let filter = use_state(String::new);
    let verdict_filter = use_state(String::new);
    let limit = use_state(|| PAGE);
    let query = use_state(String::new);
    let list_ref = use_node_ref();
    // After a deletion, focus moves to the item that took its place.
    let refocus = use_mut_ref(|| None::<usize>);

    {
        let list_ref = list_ref.clone();
        let refocus = refocus.clone();
        use_effect(move || {
            if let Some(i) = refocus.borrow_mut().take() {
                if let Some(list) = list_ref.cast::<HtmlElement>() {
                    let buttons = list.query_selector_all(".item-select").ok();
                    let n = buttons.as_ref().map_or(0, |b| b.length());
                    let target = (n > 0)
                        .then(|| buttons.and_then(|b| b.item((i as u32).min(n - 1))))
                        .flatten()
                        .and_then(|b| wasm_bindgen::JsCast::dyn_into::<HtmlElement>(b).ok());
                    let _ = target.unwrap_or(list).focus();
                }
            }
        });
    }

    let all = &p.annotations.0;
    let counts: Vec<(Tag, usize)> = Tag::ALL
        .iter()
        .map(|&t| (t, all.iter().filter(|a| a.tag == t).count()))
        .collect();
    let max = counts.iter().map(|c| c.1).max().unwrap_or(0).max(1);
    let q = query.to_lowercase();
    let orphans = all.iter().filter(|a| a.orphan).count();
    let shown: Vec<(usize, &Rc<Annotation>)> = all
        .iter()
        .filter(|a| match filter.as_str() {
            "" => true,
            ORPHANS => a.orphan,
            key => Tag::parse(key) == Some(a.tag),
        })
        .filter(|a| verdict_matches(a, &verdict_filter))
        .filter(|a| {
            q.is_empty()
                || a.quote.exact.to_lowercase().contains(&q)
                || a.note.to_lowercase().contains(&q)
                || a.explanation.to_lowercase().contains(&q)
        })
        .enumerate()
        .collect();
    // The rendered window: the first `limit` items, moved so the selected one is in it.
    let selected_at = p
        .selected
        .as_ref()
        .and_then(|id| shown.iter().position(|(_, a)| &a.id == id));
    let window_start = match selected_at {
        Some(i) if i >= *limit => i.saturating_sub(PAGE / 2),
        _ => 0,
    };
    let window_end = (window_start + *limit)
        .min(shown.len())
        .max(selected_at.map_or(0, |i| i + 1));
    let visible = &shown[window_start..window_end];
    let more = {
        let limit = limit.clone();
        Callback::from(move |_: MouseEvent| limit.set(*limit + PAGE))
    };

    let on_filter = {
        let filter = filter.clone();
        Callback::from(move |e: Event| {
            filter.set(e.target_unchecked_into::<HtmlSelectElement>().value());
        })
    };
    let on_verdict_filter = {
        let f = verdict_filter.clone();
        Callback::from(move |e: Event| {
            f.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| {
            query.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_delete = {
        let cb = p.on_delete.clone();
        let refocus = refocus.clone();
        let order: Vec<AnnotationId> = visible.iter().map(|(_, a)| a.id.clone()).collect();
        Callback::from(move |id: AnnotationId| {
            *refocus.borrow_mut() = Some(order.iter().position(|x| *x == id).unwrap_or(0));
            cb.emit(id);
        })
    };

    html! {
        <section class="panel" aria-labelledby="panel-heading">
            <h2 id="panel-heading">{ "Annotations" }</h2>
            <div class="summary" aria-label="Annotations per tag">
                { for counts.iter().map(|&(t, n)| html! {
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
                    <p class="orphan-count">{ format!("{orphans} not found in the text: re-attach them by selecting the passage, then “Re-attach to selection”.") }</p>
                }
            </div>
            <div class="filters">
                <label>{ "Show " }
                    <select onchange={on_filter} aria-label="Filter by tag">
                        <option value="" selected={filter.is_empty()}>{ "All tags" }</option>
                        { for Tag::ALL.iter().map(|t| html! {
                            <option value={t.key()} selected={*filter == t.key()}>{ t.label() }</option>
                        }) }
                        <option value={ORPHANS} selected={*filter == ORPHANS}>{ "Not found in the text" }</option>
                    </select>
                </label>
                <label>{ "Verdict " }
                    <select onchange={on_verdict_filter} aria-label="Filter by verdict">
                        <option value="" selected={verdict_filter.is_empty()}>{ "Any or none" }</option>
                        <option value="some" selected={*verdict_filter == "some"}>{ "With a verdict" }</option>
                        <option value="none" selected={*verdict_filter == "none"}>{ "Without a verdict" }</option>
                        { for Verdict::ALL.iter().map(|v| html! {
                            <option value={v.key()} selected={*verdict_filter == v.key()}>{ v.label() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Search " }
                    <input type="search" value={(*query).clone()} oninput={on_query}
                           aria-label="Search quotes and notes" placeholder="Search quotes and notes" />
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
                { for visible.iter().map(|(_, a)| html! {
                    <Item
                        key={a.id.as_str()}
                        annotation={(*a).clone()}
                        selected={p.selected.as_ref() == Some(&a.id)}
                        hovered={p.hovered.as_ref() == Some(&a.id)}
                        on_select={p.on_select.clone()}
                        on_hover={p.on_hover.clone()}
                        on_edit={p.on_edit.clone()}
                        on_delete={on_delete.clone()}
                        on_reattach={p.on_reattach.clone()}
                    />
                }) }
            </ol>
            if window_start > 0 || window_end < shown.len() {
                <p class="more">
                    { format!("Showing {} of {} annotations. ", window_end - window_start, shown.len()) }
                    if window_end < shown.len() {
                        <button type="button" onclick={more}>{ format!("Show {} more", PAGE.min(shown.len() - window_end)) }</button>
                    }
                </p>
            }
        </section>
    }
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

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub annotation: Rc<Annotation>,
    pub selected: bool,
    pub hovered: bool,
    pub on_select: Callback<AnnotationId>,
    pub on_hover: Callback<Option<AnnotationId>>,
    pub on_edit: Callback<(AnnotationId, FieldEdit)>,
    pub on_delete: Callback<AnnotationId>,
    pub on_reattach: Callback<AnnotationId>,
}

#[function_component(Item)]
fn item(p: &ItemProps) -> Html {
    let a = &p.annotation;
    let expanded = use_state(|| false);
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with(p.selected, move |&sel| {
            if sel {
                if let Some(el) = node.cast::<web_sys::Element>() {
                    reveal_in_panel(&el);
                }
            }
        });
    }
    let id = a.id.clone();
    let long = a.quote.exact.chars().count() > SHORT_QUOTE;
    let quote = if long && !*expanded {
        let short: String = a.quote.exact.chars().take(SHORT_QUOTE).collect();
        format!("{}…", short.trim_end())
    } else {
        a.quote.exact.clone()
    };
    let select = {
        let (cb, id) = (p.on_select.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let enter = {
        let (cb, id) = (p.on_hover.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(Some(id.clone())))
    };
    let leave = {
        let cb = p.on_hover.clone();
        Callback::from(move |_: MouseEvent| cb.emit(None))
    };
    let edit = |f: fn(String) -> Option<FieldEdit>| {
        let (cb, id) = (p.on_edit.clone(), id.clone());
        Callback::from(move |e: Event| {
            let target = e.target();
            let value = target
                .as_ref()
                .and_then(|t| {
                    wasm_bindgen::JsCast::dyn_ref::<HtmlSelectElement>(t).map(|s| s.value())
                })
                .or_else(|| {
                    target.as_ref().and_then(|t| {
                        wasm_bindgen::JsCast::dyn_ref::<HtmlInputElement>(t).map(|i| i.value())
                    })
                })
                .or_else(|| {
                    target.as_ref().and_then(|t| {
                        wasm_bindgen::JsCast::dyn_ref::<HtmlTextAreaElement>(t).map(|t| t.value())
                    })
                })
                .unwrap_or_default();
            if let Some(edit) = f(value) {
                cb.emit((id.clone(), edit));
            }
        })
    };
    let retag = edit(|v| Tag::parse(&v).map(FieldEdit::Tag));
    let note = edit(|v| Some(FieldEdit::Note(v)));
    let verdict = edit(|v| Some(FieldEdit::Verdict(Verdict::parse(&v))));
    let explanation = edit(|v| Some(FieldEdit::Explanation(v.trim().to_string())));
    let source_error = use_state(|| None::<String>);
    let sources = {
        let (cb, id, err) = (p.on_edit.clone(), id.clone(), source_error.clone());
        Callback::from(move |e: Event| {
            match parse_sources(&e.target_unchecked_into::<HtmlTextAreaElement>().value()) {
                Ok(list) => {
                    err.set(None);
                    cb.emit((id.clone(), FieldEdit::Sources(list)));
                }
                Err(problems) => {
                    err.set(Some(format!("Sources not saved: {}.", problems.join("; "))))
                }
            }
        })
    };
    let reattach = {
        let (cb, id) = (p.on_reattach.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    // Keep the article's selection when the button is pressed with a mouse.
    let keep_selection = Callback::from(|e: MouseEvent| e.prevent_default());
    let show_factcheck = a.tag == Tag::Fact
        || !a.claim.is_empty()
        || a.verdict.is_some()
        || !a.explanation.is_empty()
        || !a.sources.is_empty();
    let delete = {
        let (cb, id) = (p.on_delete.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let key_delete = {
        let (cb, id) = (p.on_delete.clone(), id.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Delete on the item itself (not while typing a note).
            let typing = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                });
            if e.key() == "Delete" && !typing {
                e.prevent_default();
                cb.emit(id.clone());
            }
        })
    };
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    let note_id = format!("note-{}", a.id.as_str());
    let expl_id = format!("expl-{}", a.id.as_str());
    let src_id = format!("src-{}", a.id.as_str());
    html! {
        <li ref={node}
            class={classes!("item", format!("item-tag-{}", a.tag.key()), p.selected.then_some("is-selected"), p.hovered.then_some("is-hovered"), a.orphan.then_some("is-orphan"))}
            data-id={a.id.as_str().to_string()}
            onmouseenter={enter} onmouseleave={leave} onkeydown={key_delete}>
            <div class="item-head">
                <span class={classes!("tag-badge", format!("swatch-{}", a.tag.key()))}>{ a.tag.label() }</span>
                if let Some(v) = a.verdict {
                    <span class={classes!("verdict-badge", format!("verdict-{}", v.key()))}>{ v.label() }</span>
                }
                if a.orphan {
                    <span class="orphan-badge">{ "Not found in the text" }</span>
                }
                <button type="button" class="item-select" onclick={select}
                        aria-pressed={p.selected.to_string()}
                        aria-label={format!("{}: {}", a.tag.label(), quote)}>
                    <q class="item-quote">{ quote.clone() }</q>
                </button>
            </div>
            if a.orphan {
                <button type="button" class="reattach" onmousedown={keep_selection} onclick={reattach}>
                    { "Re-attach to selection" }
                </button>
            }
            if long {
                <button type="button" class="link" onclick={toggle} aria-expanded={expanded.to_string()}>
                    { if *expanded { "Show less" } else { "Show full quote" } }
                </button>
            }
            <div class="item-controls">
                <label>{ "Tag " }
                    <select onchange={retag}>
                        { for Tag::ALL.iter().map(|t| html! {
                            <option value={t.key()} selected={a.tag == *t}>{ t.label() }</option>
                        }) }
                    </select>
                </label>
                <button type="button" class="danger" onclick={delete}>{ "Delete" }</button>
            </div>
            <label class="note-label" for={note_id.clone()}>{ "Note" }</label>
            <textarea id={note_id} class="note" rows="2" value={a.note.clone()} onchange={note}
                      placeholder="Add a note (plain text)" />
            if show_factcheck {
                <div class="factcheck">
                    <label>{ "Verdict " }
                        <select onchange={verdict}>
                            <option value="" selected={a.verdict.is_none()}>{ "No verdict" }</option>
                            { for Verdict::ALL.iter().map(|v| html! {
                                <option value={v.key()} selected={a.verdict == Some(*v)}>{ v.label() }</option>
                            }) }
                        </select>
                    </label>
                    // The longer fields on the current item, or where filled in:
                    // a whole page of items' inputs would cost layout on every change.
                    if p.selected || !a.explanation.is_empty() || !a.sources.is_empty() {
                        <label for={expl_id.clone()}>{ "Explanation" }</label>
                        <input id={expl_id} type="text" class="explanation" value={a.explanation.clone()}
                               onchange={explanation} placeholder="Why this verdict, in a sentence" />
                        <label for={src_id.clone()}>{ "Sources (one http or https link per line)" }</label>
                        <textarea id={src_id} class="sources" rows="2" value={a.sources.join("\n")} onchange={sources} />
                    }
                    if let Some(err) = (*source_error).clone() {
                        <p class="field-error" role="alert">{ err }</p>
                    }
                    <super::fact_fields::FactFields annotation={a.clone()} selected={p.selected} on_edit={p.on_edit.clone()} />
                </div>
            }
        </li>
    }
}

/// Scroll the panel (not the page) so that `el`, the selected item, shows.
/// `scrollIntoView` would also scroll the page: where the panel sits under
/// the article (narrow screens), choosing an annotation would carry the
/// reader away from it, and after a jump from the panel it would undo the
/// jump to the annotation.
fn reveal_in_panel(el: &web_sys::Element) {
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
