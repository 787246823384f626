//! "Search all": every annotation in the library (the team's synced ones
//! included) by words in its quote, note, explanation, claim, claimant and
//! sources, filtered by tag, verdict, author, article and date; each result
//! shows its quote in context and opens its article scrolled to it. The
//! same view, in link mode, picks what an annotation links to.
//!
//! Results come as the person types: the first key after a pause searches
//! at once, keys typed in quick succession are gathered (every
//! [`GATHER_MS`]); how many were found is said once typing rests.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::core::filter::{TagFilter, VerdictFilter};
use crate::core::links::short;
use crate::core::search::{Found, Hit, Query};
use crate::core::{words, Action, AnnotationId, ArticleId, LinkKind, LinkTo, TextQuote, Timestamp};
use crate::ui::context::use_ctx;
use crate::ui::dialog::DialogShell;
use crate::ui::hooks::library_index::LibraryIndex;
use crate::ui::hooks::team::Team;
use crate::ui::links::Navigator;
use crate::ui::refs::ArticleRef;
use crate::web;

/// Keys typed within this many milliseconds are searched together.
pub const GATHER_MS: u32 = 60;
/// How long typing rests before the count is said.
const ANNOUNCE_AFTER_MS: u32 = 600;
/// Results drawn at first, and added per "Show more".
const PAGE: usize = 50;

/// "Changed" filter choices: (key, label, days back).
const SINCE: [(&str, &str, i64); 5] = [
    ("any", "Any time", 0),
    ("day", "Past day", 1),
    ("week", "Past 7 days", 7),
    ("month", "Past 30 days", 30),
    ("year", "Past year", 365),
];

#[derive(Properties, PartialEq)]
pub struct SearchProps {
    /// Link mode: the annotation (of the open article) to link from, and
    /// its quote.
    #[prop_or_default]
    pub link_from: Option<(AnnotationId, String)>,
    pub on_close: Callback<()>,
}

fn select_value(e: &Event) -> String {
    e.target_unchecked_into::<HtmlSelectElement>().value()
}

#[function_component(SearchDialog)]
pub fn search_dialog(p: &SearchProps) -> Html {
    let ctx = use_ctx();
    let index = use_context::<LibraryIndex>().expect("inside the workspace");
    let nav = use_context::<Navigator>().expect("inside the workspace");
    let team = use_context::<Team>();
    let here = use_context::<ArticleRef>().map(|a| a.0.id.clone());
    let ready = use_state(|| index.is_built());
    let query = use_state(Query::default);
    let typed = use_mut_ref(String::new);
    let gather = use_mut_ref(|| None::<Timeout>);
    let last_search = use_mut_ref(|| 0.0f64);
    let announce = use_mut_ref(|| None::<Timeout>);
    let limit = use_state(|| PAGE);
    let kind = use_state(|| LinkKind::Supports);
    // A library not indexed yet is indexed once the dialog is on screen.
    {
        let (index, ready) = (index.clone(), ready.clone());
        use_effect_with((), move |_| {
            let t = (!*ready).then(|| {
                Timeout::new(0, move || {
                    index.with(|_, _| ());
                    ready.set(true);
                })
            });
            move || drop(t)
        });
    }
    let found: Rc<Found> = {
        let (index, q, ready) = (index.clone(), (*query).clone(), *ready);
        let from = p.link_from.clone();
        let here = here.clone();
        (*use_memo((q, index.revision, ready), move |(q, _, ready)| {
            if !ready {
                return Rc::new(Found::default());
            }
            web::mark("claimmark:search-start");
            let found = index.with(|lib, _| {
                let found = lib.search(q);
                match (&from, &here) {
                    // Not itself.
                    (Some((id, _)), Some(here)) => found.without(lib, here, id),
                    _ => found,
                }
            });
            Rc::new(found)
        }))
        .clone()
    };
    // Say how many, once typing rests (not over anything said meanwhile).
    {
        let (say, pending) = (ctx.say.clone(), announce.clone());
        let (words_found, ready) = (found.words(), *ready);
        use_effect_with(
            (words_found, (*query).clone(), ready),
            move |(w, _, ready)| {
                if *ready {
                    let since = js_sys::Date::now();
                    let w = w.clone();
                    *pending.borrow_mut() = Some(Timeout::new(ANNOUNCE_AFTER_MS, move || {
                        say.status_if_quiet_since(w, since)
                    }));
                }
            },
        );
    }
    // Each search drawn (the same results too): mark it, the frame after
    // (the benchmark times key → here).
    use_effect_with(((*query).clone(), Rc::as_ptr(&found) as usize), |_| {
        web::next_frame(|| web::mark("claimmark:search-drawn"));
    });

    let apply = {
        let (query, typed, last) = (query.clone(), typed.clone(), last_search.clone());
        Rc::new(move || {
            let mut q = (*query).clone();
            q.text = typed.borrow().clone();
            *last.borrow_mut() = js_sys::Date::now();
            query.set(q);
        })
    };
    let on_input = {
        let (typed, gather, last, apply, limit) = (
            typed.clone(),
            gather.clone(),
            last_search.clone(),
            apply.clone(),
            limit.clone(),
        );
        Callback::from(move |e: InputEvent| {
            *typed.borrow_mut() = e.target_unchecked_into::<HtmlInputElement>().value();
            limit.set(PAGE);
            let idle = js_sys::Date::now() - *last.borrow() > GATHER_MS as f64;
            if idle && gather.borrow().is_none() {
                apply();
            } else if gather.borrow().is_none() {
                let (apply, gather2) = (apply.clone(), gather.clone());
                *gather.borrow_mut() = Some(Timeout::new(GATHER_MS, move || {
                    gather2.borrow_mut().take();
                    apply();
                }));
            }
        })
    };
    let set_filter = |f: fn(&mut Query, &str)| {
        let (query, limit) = (query.clone(), limit.clone());
        Callback::from(move |e: Event| {
            let mut q = (*query).clone();
            f(&mut q, &select_value(&e));
            limit.set(PAGE);
            query.set(q);
        })
    };
    let on_tag = set_filter(|q, v| q.tag = TagFilter::from_key(v));
    let on_verdict = set_filter(|q, v| q.verdict = VerdictFilter::from_key(v));
    let on_author = set_filter(|q, v| {
        q.author = match v {
            "*" => None,
            "-" => Some(String::new()),
            name => Some(name.to_string()),
        }
    });
    let on_article =
        set_filter(|q, v| q.article = (!v.is_empty()).then(|| ArticleId(v.to_string())));
    let on_since = set_filter(|q, v| {
        let days = SINCE.iter().find(|s| s.0 == v).map_or(0, |s| s.2);
        q.since = (days > 0).then(|| Timestamp(web::now().0 - days * 86_400_000));
    });
    let since_key = use_state(|| "any");
    let on_since = {
        let (on_since, since_key) = (on_since.clone(), since_key.clone());
        Callback::from(move |e: Event| {
            let v = select_value(&e);
            since_key.set(SINCE.iter().find(|s| s.0 == v).map_or("any", |s| s.0));
            on_since.emit(e);
        })
    };
    let (authors, articles) = if *ready {
        index.with(|lib, _| {
            let mut arts: Vec<(ArticleId, String)> = lib
                .articles()
                .map(|a| (a.id.clone(), a.title.clone()))
                .collect();
            arts.sort_by_key(|a| a.1.to_lowercase());
            (lib.authors(), arts)
        })
    } else {
        (vec![], vec![])
    };
    // What is drawn, with its quote in context (the articles' texts are
    // kept at hand).
    let (shown, quotes): (Vec<Hit>, Vec<Option<TextQuote>>) = if *ready {
        index.with(|lib, store| {
            let hits = lib.hits(&found, 0..*limit);
            let quotes = hits.iter().map(|h| lib.quote(store, h)).collect();
            (hits, quotes)
        })
    } else {
        (vec![], vec![])
    };
    let shown = &shown[..];
    let linking = p.link_from.clone();
    let choose = |hit: &Hit, quote: &str| -> Callback<MouseEvent> {
        let target = (hit.article.clone(), hit.id.clone());
        match &linking {
            None => {
                let (go, close) = (nav.go.clone(), p.on_close.clone());
                Callback::from(move |_: MouseEvent| {
                    close.emit(());
                    go.emit(target.clone());
                })
            }
            Some((from, _)) => {
                let (dispatch, close, from, kind) = (
                    ctx.dispatch.clone(),
                    p.on_close.clone(),
                    from.clone(),
                    *kind,
                );
                let about = match Some(&hit.article) == here.as_ref() {
                    true => format!("“{}”", short(quote, 60)),
                    false => format!("“{}” in “{}”", short(quote, 60), hit.title),
                };
                Callback::from(move |_: MouseEvent| {
                    close.emit(());
                    dispatch.dispatch(Action::Link {
                        id: from.clone(),
                        to: LinkTo {
                            article: target.0.clone(),
                            id: target.1.clone(),
                            kind,
                        },
                        about: about.clone(),
                        now: web::now(),
                    });
                })
            }
        }
    };
    let more = {
        let limit = limit.clone();
        Callback::from(move |_: MouseEvent| limit.set(*limit + PAGE))
    };
    let team_elsewhere = team
        .as_ref()
        .filter(|t| t.member.is_some())
        .and_then(|t| t.articles.as_ref().map(|a| a.articles.len()))
        .filter(|n| *n > 0);
    let (title, label) = match &p.link_from {
        None => (
            "Search all annotations".to_string(),
            "Search all annotations",
        ),
        Some((_, quote)) => (
            format!("Link “{}” to…", short(quote, 50)),
            "Find the annotation to link to",
        ),
    };
    html! {
        <DialogShell labelled_by="search-title" described_by={AttrValue::from("search-count")} class="search-dialog" on_close={p.on_close.clone()}>
            <h2 id="search-title">{ title }</h2>
            if p.link_from.is_some() {
                <fieldset class="link-kinds">
                    <legend>{ "This annotation…" }</legend>
                    { for LinkKind::ALL.iter().map(|k| {
                        let (set, k2) = (kind.clone(), *k);
                        let words = match k { LinkKind::Supports => "supports", LinkKind::Contradicts => "contradicts", LinkKind::SameClaim => "is the same claim as" };
                        html! {
                            <label class="choice">
                                <input type="radio" name="link-kind" value={k.key()} checked={*kind == *k}
                                       onchange={Callback::from(move |_: Event| set.set(k2))} />
                                { words }
                            </label>
                        }
                    }) }
                </fieldset>
            }
            <div class="search-row">
                <label class="search-field">{ "Words" }
                    <input type="search" data-autofocus="" oninput={on_input} aria-label={label}
                           placeholder="Quotes, notes, claims, sources…" autocomplete="off" />
                </label>
            </div>
            <div class="filters search-filters">
                <label>{ "Tag" }
                    <select onchange={on_tag} aria-label="Filter results by tag">
                        { for TagFilter::choices().into_iter().map(|f| html! {
                            <option value={f.key()} selected={query.tag == f}>{ f.label() }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Verdict" }
                    <select onchange={on_verdict} aria-label="Filter results by verdict">
                        { for VerdictFilter::choices().into_iter().map(|f| html! {
                            <option value={f.key()} selected={query.verdict == f}>{ f.label() }</option>
                        }) }
                    </select>
                </label>
                if !authors.is_empty() {
                    <label>{ "Author" }
                        <select onchange={on_author} aria-label="Filter results by author">
                            <option value="*" selected={query.author.is_none()}>{ "Anyone" }</option>
                            { for authors.iter().map(|a| html! {
                                <option value={a.clone()} selected={query.author.as_deref() == Some(a.as_str())}>{ a.clone() }</option>
                            }) }
                            <option value="-" selected={query.author.as_deref() == Some("")}>{ "Made without a team" }</option>
                        </select>
                    </label>
                }
                <label>{ "Article" }
                    <select onchange={on_article} aria-label="Filter results by article">
                        <option value="" selected={query.article.is_none()}>{ "All articles" }</option>
                        { for articles.iter().map(|(id, t)| html! {
                            <option value={id.0.clone()} selected={query.article.as_ref() == Some(id)}>{ if t.is_empty() { "(untitled)".to_string() } else { t.clone() } }</option>
                        }) }
                    </select>
                </label>
                <label>{ "Changed" }
                    <select onchange={on_since} aria-label="Filter results by when they last changed">
                        { for SINCE.iter().map(|(k, l, _)| html! {
                            <option value={*k} selected={*since_key == *k}>{ *l }</option>
                        }) }
                    </select>
                </label>
            </div>
            <p id="search-count" class="search-count">
                { if *ready { found.words() } else { "Indexing the library…".to_string() } }
            </p>
            if let Some(n) = team_elsewhere {
                <p class="hint">{ format!("{} of the team's articles {} not in this browser: open {} from the Library to search {}.",
                    n, if n == 1 { "is" } else { "are" }, if n == 1 { "it" } else { "them" }, if n == 1 { "it" } else { "them" }) }</p>
            }
            <ol class="results" aria-label="Results">
                { for shown.iter().zip(quotes.iter().chain(std::iter::repeat(&None))).map(|(hit, q)| {
                    let q = q.clone().unwrap_or_default();
                    let action = if p.link_from.is_some() { "Link" } else { "Open" };
                    let name = format!("{action}: {} “{}” in “{}”", hit.tag.label().to_lowercase(), short(&q.exact, 60), hit.title);
                    html! {
                        <li class={classes!("result", format!("item-tag-{}", hit.tag.key()))} key={format!("{}/{}", hit.article.0, hit.id.as_str())}>
                            <p class="result-head">
                                <span class={classes!("tag-badge", format!("badge-{}", hit.tag.key()))}>{ hit.tag.label() }</span>
                                if let Some(v) = hit.verdict {
                                    <span class={classes!("verdict-badge", format!("verdict-{}", v.key()))}>{ v.label() }</span>
                                }
                                if let Some(a) = &hit.author {
                                    <span class="author-badge">{ format!("by {a}") }</span>
                                }
                                <span class="result-where">{ format!("{} · {}", if hit.title.is_empty() { "(untitled)" } else { &hit.title }, &hit.changed.to_iso8601()[..10]) }</span>
                            </p>
                            <p class="result-quote">
                                if !q.prefix.is_empty() { <span class="context">{ format!("…{}", q.prefix.trim_start()) }</span> }
                                <mark class={classes!("hl", format!("hl-{}", hit.tag.key()))}>{ short(&q.exact, 240) }</mark>
                                if !q.suffix.is_empty() { <span class="context">{ format!("{}…", q.suffix.trim_end()) }</span> }
                            </p>
                            <button type="button" class="result-action" onclick={choose(hit, &q.exact)} aria-label={name}>{ action }</button>
                        </li>
                    }
                }) }
            </ol>
            if found.len() > shown.len() {
                <p class="more">
                    { format!("Showing {} of {}. ", shown.len(), words::annotations(found.len())) }
                    <button type="button" onclick={more}>{ format!("Show {} more", PAGE.min(found.len() - shown.len())) }</button>
                </p>
            }
            <div class="dialog-actions">
                <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </DialogShell>
    }
}
