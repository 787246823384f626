//! Links on screen: an annotation's links and backlinks in its panel item
//! (each followed with one click or Enter; a broken one said as such), the
//! facts "checked before" under a fact, going to an annotation in any
//! stored article, and what exports need to know of the other ends.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::context::use_ctx;
use super::dialog::Dialog;
use super::hooks::library_index::LibraryIndex;
use super::refs::{AnnRef, ArticleRef};
use crate::core::links::{short, Backlink, End, EndState, Ends};
use crate::core::search::claim_texts;
use crate::core::{words, Action, Annotation, AnnotationId, Article, ArticleId, Tag};
use crate::web;

/// How long after a fact is tagged "checked before" is looked for (the
/// key press that made it is drawn first).
const CHECK_AFTER_MS: u32 = 800;

/// Going places: an annotation anywhere in the library, and linking one.
#[derive(Clone, PartialEq)]
pub struct Navigator {
    /// Open annotation `id` of `article` (opening that article if another
    /// is open), make it the current one and bring it into view.
    pub go: Callback<(ArticleId, AnnotationId)>,
    /// Choose what annotation `id` of the open article links to.
    pub link_from: Callback<AnnotationId>,
}

/// What the annotated page, print and ClaimReview show of the other ends of
/// `annotations`' links: their targets, and links into them from other
/// articles.
pub fn ends_of(index: &LibraryIndex, article: &Article, annotations: &[Rc<Annotation>]) -> Ends {
    index.with(|lib, store| {
        let mut ends = Ends::default();
        for a in annotations {
            for l in &a.links {
                if l.article != article.id {
                    ends.targets.insert(
                        (l.article.clone(), l.id.clone()),
                        lib.end(store, &l.article, &l.id),
                    );
                }
            }
            let incoming: Vec<Backlink> = lib
                .backlinks(store, &article.id, &a.id)
                .into_iter()
                .filter(|b| b.from.article != article.id)
                .collect();
            if !incoming.is_empty() {
                ends.incoming.insert(a.id.clone(), incoming);
            }
        }
        ends
    })
}

/// An end in words: "“quote”" here, "“quote” in “Title”" elsewhere.
pub fn describe(end: &End, here: &ArticleId) -> String {
    let quote = short(&end.quote, 60);
    match (end.state, end.article == *here) {
        (EndState::Live, true) => format!("“{quote}”"),
        (EndState::Live, false) => format!("“{quote}” in “{}”", end.title),
        (state, _) if end.title.is_empty() => format!("an annotation {}", state.why()),
        (state, true) => format!("an annotation of this article ({})", state.why()),
        (state, false) => format!("an annotation in “{}” ({})", end.title, state.why()),
    }
}

#[derive(Properties, PartialEq)]
pub struct ItemLinksProps {
    pub annotation: AnnRef,
    /// The current annotation: "Link to…" is offered.
    pub selected: bool,
}

/// One row of the list: what the link says, where it goes (a button), and
/// for links out, Remove.
fn row(
    kind: &str,
    end: &End,
    here: &ArticleId,
    nav: &Navigator,
    remove: Option<Callback<MouseEvent>>,
) -> Html {
    let what = describe(end, here);
    let follow = {
        let (go, target) = (nav.go.clone(), (end.article.clone(), end.id.clone()));
        Callback::from(move |_: MouseEvent| go.emit(target.clone()))
    };
    html! {
        <li class={classes!("link-entry", (!end.state.is_live()).then_some("is-broken"))}>
            <span class="link-kind">{ format!("{kind} ") }</span>
            if end.state.is_live() {
                <button type="button" class="link link-follow" onclick={follow}
                        aria-label={format!("Go to {}: {what}", kind.to_lowercase())}>{ what.clone() }</button>
            } else {
                <span class="link-broken">
                    <span class="broken-mark" aria-hidden="true">{ "⚠ " }</span>{ what.clone() }
                </span>
            }
            if let Some(remove) = remove {
                <button type="button" class="link-remove" onclick={remove}
                        aria-label={format!("Remove link: {} {what}", kind.to_lowercase())}>{ "Remove" }</button>
            }
        </li>
    }
}

/// An annotation's links out and in, and "Link to…" on the current one.
#[function_component(ItemLinks)]
pub fn item_links(p: &ItemLinksProps) -> Html {
    let a = &p.annotation.0;
    let ctx = use_ctx();
    let index = use_context::<LibraryIndex>();
    let nav = use_context::<Navigator>();
    let here = use_context::<ArticleRef>().map(|r| r.0.id.clone());
    let (Some(nav), Some(here)) = (nav, here) else {
        return html! {};
    };
    // Ends and backlinks as the index knows them; until it is built, links
    // out are listed without what became of their other end.
    let (outs, ins): (Vec<(crate::core::LinkTo, End)>, Vec<Backlink>) = index
        .as_ref()
        .and_then(|i| {
            i.peek(|lib, store| {
                let outs = a
                    .links
                    .iter()
                    .map(|l| (l.clone(), lib.end(store, &l.article, &l.id)))
                    .collect();
                (outs, lib.backlinks(store, &here, &a.id))
            })
        })
        .unwrap_or_else(|| {
            let outs = a
                .links
                .iter()
                .map(|l| {
                    let end = End {
                        article: l.article.clone(),
                        id: l.id.clone(),
                        state: EndState::Live,
                        title: String::new(),
                        url: None,
                        quote: String::new(),
                    };
                    (l.clone(), end)
                })
                .collect();
            (outs, vec![])
        });
    if outs.is_empty() && ins.is_empty() && !p.selected {
        return html! {};
    }
    let heading = format!("links-{}", a.id.as_str());
    let remove = |l: &crate::core::LinkTo, end: &End| {
        let (dispatch, id, to, about) = (
            ctx.dispatch.clone(),
            a.id.clone(),
            l.clone(),
            describe(end, &here),
        );
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::Unlink {
                id: id.clone(),
                article: to.article.clone(),
                target: to.id.clone(),
                about: about.clone(),
                now: web::now(),
            })
        })
    };
    let link_to = {
        let (cb, id) = (nav.link_from.clone(), a.id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    html! {
        <div class="item-links">
            if !outs.is_empty() || !ins.is_empty() {
                <p class="field-label" id={heading.clone()}>{ "Links" }</p>
                <ul class="link-list" aria-labelledby={heading}>
                    { for outs.iter().map(|(l, end)| row(l.kind.outgoing(), end, &here, &nav, Some(remove(l, end)))) }
                    { for ins.iter().map(|b| row(b.kind.incoming(), &b.from, &here, &nav, None)) }
                </ul>
            }
            if p.selected {
                <button type="button" class="link-add" onclick={link_to} aria-keyshortcuts="L">
                    { "Link to…" }<span class="visually-hidden">{ " another annotation" }</span>
                </button>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct CheckedBeforeProps {
    pub annotation: AnnRef,
}

/// Under the current fact: facts elsewhere in the library (the team's
/// synced ones included) whose claim or quote is nearly the same, with
/// their verdicts, one click away. Looked for a moment after the fact is
/// tagged or its claim changes, and said once when any are found.
#[function_component(CheckedBefore)]
pub fn checked_before(p: &CheckedBeforeProps) -> Html {
    let a = p.annotation.0.clone();
    let ctx = use_ctx();
    let index = use_context::<LibraryIndex>();
    let nav = use_context::<Navigator>();
    let here = use_context::<ArticleRef>().map(|r| r.0.id.clone());
    let found = use_state(|| None::<Rc<Vec<(crate::core::search::Hit, String, f32)>>>);
    {
        let (found, say, here) = (found.clone(), ctx.say.clone(), here.clone());
        let key = (
            a.id.clone(),
            a.check.claim.clone(),
            a.quote.exact.clone(),
            a.tag,
        );
        use_effect_with(key, move |_| {
            found.set(None);
            let timer = (a.tag == Tag::Fact).then(|| {
                Timeout::new(CHECK_AFTER_MS, move || {
                    let (Some(index), Some(here)) = (index, here) else {
                        return;
                    };
                    let since = js_sys::Date::now();
                    let list = index.with(|lib, store| {
                        let texts = claim_texts(&a);
                        lib.checked_before(&texts, (&here, &a.id))
                            .into_iter()
                            .take(5)
                            .map(|(hit, s)| {
                                let quote =
                                    lib.quote(store, &hit).map(|q| q.exact).unwrap_or_default();
                                (hit, quote, s)
                            })
                            .collect::<Vec<_>>()
                    });
                    if !list.is_empty() {
                        say.status_if_quiet_since(
                            format!(
                                "Checked before: {} in the library",
                                words::count(list.len(), "similar fact", "similar facts")
                            ),
                            since,
                        );
                    }
                    found.set(Some(Rc::new(list)));
                })
            });
            move || drop(timer)
        });
    }
    let (Some(list), Some(nav), Some(here)) = ((*found).clone(), nav, here) else {
        return html! {};
    };
    if list.is_empty() {
        return html! {};
    }
    let heading = format!("before-{}", p.annotation.0.id.as_str());
    html! {
        <section class="checked-before" aria-labelledby={heading.clone()}>
            <h3 class="field-label" id={heading}>{ "Checked before" }</h3>
            <ul>
                { for list.iter().map(|(hit, quote, s)| {
                    let go = {
                        let (go, target) = (nav.go.clone(), (hit.article.clone(), hit.id.clone()));
                        Callback::from(move |_: MouseEvent| go.emit(target.clone()))
                    };
                    let verdict = hit.verdict.map_or("No verdict yet", |v| v.label());
                    let place = if hit.article == here { "this article".to_string() } else { format!("“{}”", hit.title) };
                    html! {
                        <li class="before-entry">
                            <span class={classes!("verdict-badge", hit.verdict.map(|v| format!("verdict-{}", v.key())))}>{ verdict }</span>
                            <button type="button" class="link link-follow" onclick={go}
                                    aria-label={format!("Go to the fact checked before in {place}: “{}”, {verdict}", short(quote, 60))}>
                                { format!("“{}”", short(quote, 80)) }
                            </button>
                            <span class="link-where">{ format!(" in {place} · {} % alike", (s * 100.0).round() as u32) }</span>
                        </li>
                    }
                }) }
            </ul>
        </section>
    }
}

/// The dialog that links `id` (an annotation of the open article).
pub fn link_dialog(annotation: &Annotation) -> Dialog {
    Dialog::Link {
        from: annotation.id.clone(),
        quote: annotation.quote.exact.clone(),
    }
}
