//! The article element, and its blocks when highlights are drawn as `<mark>`
//! runs (browsers without the CSS Custom Highlight API; otherwise the blocks
//! are built by `web::render` and painted by `web::highlight`).
//!
//! Each block is its own memoised component whose props are only what that
//! block shows, so adding or removing an annotation re-renders just the blocks
//! it touches.
//!
//! Links in the article (both renderers) are real links: focusable, opened
//! by Enter or by a click — but pressing on one and dragging selects its
//! words, as anywhere else in the article, and the click that ends a
//! selection does not follow it. Browsers start dragging a link (its
//! address) instead of selecting when it is pressed: [`hold_link`] takes
//! the address off for the length of a plain press and [`release_links`]
//! puts it back at the release, before the click; [`guard_links`] keeps
//! that click from following the link when it ended a selection.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::{AnnotationId, Article, BlockKind, Piece, Run, Span};
use crate::web::render;

/// At a plain press (main button, no modifier keys) on a link in the
/// article, take its address off until the release, so that moving the
/// pointer selects text instead of dragging the link. With a modifier, the
/// browser's own link behaviour (open in a new tab or window) stays.
pub fn hold_link(e: &MouseEvent) {
    use wasm_bindgen::JsCast;
    if e.button() != 0 || e.ctrl_key() || e.meta_key() || e.shift_key() || e.alt_key() {
        return;
    }
    let link = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest(&format!("a.{}[href]", render::LINK_CLASS))
                .ok()
                .flatten()
        });
    if let Some(a) = link {
        if let Some(href) = a.get_attribute("href") {
            let _ = a.set_attribute("data-href", &href);
            let _ = a.remove_attribute("href");
        }
    }
}

/// Put back the address of every link held by [`hold_link`].
pub fn release_links() {
    let held =
        gloo::utils::document().query_selector_all(&format!("a.{}[data-href]", render::LINK_CLASS));
    if let Ok(list) = held {
        for i in 0..list.length() {
            if let Some(a) = list
                .item(i)
                .and_then(|n| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(n).ok())
            {
                if let Some(href) = a.get_attribute("data-href") {
                    let _ = a.set_attribute("href", &href);
                    let _ = a.remove_attribute("data-href");
                }
            }
        }
    }
}

/// Keep a click on a link in the article from following it when the click
/// ends a selection: a mouse click (`detail > 0`; Enter on a focused link
/// gives 0) while text is selected. Anywhere else, the click goes on.
pub fn guard_links(e: &MouseEvent) {
    use wasm_bindgen::JsCast;
    let on_link = e
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| {
            el.closest(&format!("a.{}", render::LINK_CLASS))
                .ok()
                .flatten()
        })
        .is_some();
    let selecting = web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .is_some_and(|s| !s.is_collapsed());
    if on_link && e.detail() > 0 && selecting {
        e.prevent_default();
    }
}

pub use super::refs::ArticleRef;

#[derive(Properties, PartialEq)]
pub struct ArticleViewProps {
    pub article: ArticleRef,
    /// Runs per block (see [`crate::core::segments`]).
    pub segments: Rc<Vec<Rc<Vec<Run>>>>,
    pub selected: Option<AnnotationId>,
    pub hovered: Option<AnnotationId>,
    /// The spans of the selected and hovered annotations (to find their blocks).
    pub selected_span: Option<Span>,
    pub hovered_span: Option<Span>,
    pub node_ref: NodeRef,
    pub onkeydown: Callback<KeyboardEvent>,
    pub onclick: Callback<MouseEvent>,
    pub onmouseover: Callback<MouseEvent>,
    /// Draw highlights as `<mark>` runs (when the CSS Custom Highlight API is
    /// missing); otherwise each block is one text node and highlights are painted.
    pub spans: bool,
}

#[function_component(ArticleView)]
pub fn article_view(p: &ArticleViewProps) -> Html {
    let article = &p.article.0;
    let touches = |span: Option<Span>, b: Span| span.is_some_and(|s| s.overlaps(b));
    let block = |i: usize| {
        let span = article.blocks[i].span;
        html! {
            <BlockView
                key={i}
                article={p.article.clone()}
                index={i}
                runs={p.segments.get(i).cloned().unwrap_or_default()}
                selected={p.selected.clone().filter(|_| touches(p.selected_span, span))}
                hovered={p.hovered.clone().filter(|_| touches(p.hovered_span, span))}
            />
        }
    };
    // When highlights are painted, the blocks are built by `web::render`
    // once per article (see there why): Yew draws only the element.
    let pieces = if p.spans { article.pieces() } else { vec![] };
    let pieces = pieces.into_iter().map(|piece| match piece {
        Piece::FallbackTitle => {
            html! { <h1 key="fallback-title" class="title">{ article.title.clone() }</h1> }
        }
        Piece::Byline => byline(article),
        Piece::Block(i) => block(i),
        Piece::List(r) => html! { <ul key={format!("ul{}", r.start)}>{ for r.map(block) }</ul> },
        Piece::NumberedList(r) => {
            html! { <ol key={format!("ol{}", r.start)}>{ for r.map(block) }</ol> }
        }
        Piece::Table(r) => {
            let key = format!("table{}", r.start);
            let (head, body): (Vec<usize>, Vec<usize>) =
                r.partition(|&b| article.blocks[b].kind == BlockKind::TableHeader);
            html! {
                <table {key} class="md-table">
                    if !head.is_empty() {
                        <thead>{ for head.into_iter().map(block) }</thead>
                    }
                    <tbody>{ for body.into_iter().map(block) }</tbody>
                </table>
            }
        }
    });
    let onclick = {
        let cb = p.onclick.clone();
        Callback::from(move |e: MouseEvent| {
            guard_links(&e);
            cb.emit(e);
        })
    };
    let onmousedown = Callback::from(|e: MouseEvent| hold_link(&e));
    // The release may happen anywhere on the page: listen there, and before
    // the click that follows it.
    use_effect_with((), |_| {
        let opts = gloo::events::EventListenerOptions::run_in_capture_phase();
        let up = gloo::events::EventListener::new_with_options(
            &gloo::utils::document(),
            "mouseup",
            opts,
            |_| release_links(),
        );
        move || drop(up)
    });
    // The article's language and direction: what its details say or its
    // letters tell (see `core::script`).
    let lang = article.lang();
    let dir = article.dir().attr();
    // Long articles' blocks are laid out only near the screen (styles/main.css).
    let long = crate::core::markup::is_long(article).then_some("");
    html! {
        <article
            id="article"
            ref={p.node_ref.clone()}
            class="article"
            {lang}
            {dir}
            data-long={long}
            tabindex="0"
            aria-describedby="article-help"
            onkeydown={p.onkeydown.clone()}
            {onclick}
            {onmousedown}
            onmouseover={p.onmouseover.clone()}
        >
            { for pieces }
        </article>
    }
}

fn byline(article: &Article) -> Html {
    html! {
        <p key="byline" class="byline">
            { for article.metadata.iter().map(|m| {
                let (class, label, shown) = render::byline_field(m);
                html! {
                    <span {class}>
                        <bdi><span class="visually-hidden">{ label }</span>{ shown }</bdi>
                    </span>
                }
            }) }
        </p>
    }
}

#[derive(Properties, PartialEq)]
pub struct BlockProps {
    pub article: ArticleRef,
    pub index: usize,
    pub runs: Rc<Vec<Run>>,
    pub selected: Option<AnnotationId>,
    pub hovered: Option<AnnotationId>,
}

/// A block drawn as `<mark>` runs (browsers without the Highlight API).
#[function_component(BlockView)]
pub fn block_view(p: &BlockProps) -> Html {
    let article = &p.article.0;
    let block = article.blocks[p.index];
    let (tag, class) = render::element_of(block.kind);
    let b = p.index.to_string();
    let value = match block.kind {
        BlockKind::OrderedItem(n) => Some(n.to_string()),
        _ => None,
    };
    let dir = render::block_dir(article, p.index);
    let stretches = render::stretches(article, p.index);
    let cells = render::cell_count(article, p.index);
    // What each cell holds (everything in the first, outside tables).
    let mut parts: Vec<Vec<Html>> = vec![Vec::new(); cells.max(1)];
    // The runs under the link being drawn: its cell, address and runs.
    let mut link: Option<(usize, &str, Vec<Html>)> = None;
    let close = |link: &mut Option<(usize, &str, Vec<Html>)>, parts: &mut Vec<Vec<Html>>| {
        if let Some((c, h, kids)) = link.take() {
            parts[c].push(link_view(h, kids));
        }
    };
    let mut next_run = 0;
    for st in &stretches {
        let c = st.cell.unwrap_or(0).min(parts.len() - 1);
        if st.hidden {
            close(&mut link, &mut parts);
            parts[c].push(html! {
                <span class={render::CELL_SEP_CLASS} aria-hidden="true" data-s={st.span.start().to_string()}>
                    { article.slice(st.span).to_string() }
                </span>
            });
            continue;
        }
        // Runs are in order: skip those that end before this stretch.
        while p
            .runs
            .get(next_run)
            .is_some_and(|r| r.span.end() <= st.span.start())
        {
            next_run += 1;
        }
        for r in p.runs[next_run..]
            .iter()
            .take_while(|r| r.span.start() < st.span.end())
        {
            let Some(span) = st.span.intersect(r.span).filter(|s| !s.is_empty()) else {
                continue;
            };
            let first = span.start() == r.span.start();
            let view = run_view(article, r, span, first, &p.selected, &p.hovered);
            match (&mut link, st.href) {
                (Some((lc, h, kids)), Some(href)) if *h == href && *lc == c => kids.push(view),
                (_, href) => {
                    close(&mut link, &mut parts);
                    match href {
                        Some(href) => link = Some((c, href, vec![view])),
                        None => parts[c].push(view),
                    }
                }
            }
        }
    }
    close(&mut link, &mut parts);
    if block.kind.is_row() {
        let header = block.kind == BlockKind::TableHeader;
        return html! {
            <tr data-b={b} {dir}>
                { for parts.into_iter().map(|kids| if header {
                    html! { <th scope="col">{ for kids }</th> }
                } else {
                    html! { <td>{ for kids }</td> }
                }) }
            </tr>
        };
    }
    let children = parts.into_iter().next().unwrap_or_default();
    match value {
        Some(value) => html! { <li class={class} data-b={b} {value} {dir}>{ for children }</li> },
        None => html! { <@{tag.to_string()} class={class} data-b={b} {dir}>{ for children }</@> },
    }
}

fn link_view(href: &str, kids: Vec<Html>) -> Html {
    let [(_, href), (_, rel), (_, target), (_, draggable), (_, class)] =
        render::link_attributes(href);
    html! { <a {href} {rel} {target} {draggable} {class}>{ for kids }</a> }
}

/// The part `span` of `run` (all of it, unless a link starts or ends inside
/// it); `first` when it is the run's first part (its markers go there).
fn run_view(
    article: &Article,
    run: &Run,
    span: Span,
    first: bool,
    selected: &Option<AnnotationId>,
    hovered: &Option<AnnotationId>,
) -> Html {
    let text = article.slice(span).to_string();
    let s = span.start().to_string();
    if run.covers.is_empty() {
        return html! { <span data-s={s}>{ text }</span> };
    }
    let mut class = classes!("hl");
    for tag in crate::core::Tag::ALL {
        if run.covers.iter().any(|c| c.tag == tag) {
            class.push(format!("hl-{}", tag.key()));
        }
    }
    if selected
        .as_ref()
        .is_some_and(|id| run.covers.iter().any(|c| &c.id == id))
    {
        class.push("is-selected");
    }
    if hovered
        .as_ref()
        .is_some_and(|id| run.covers.iter().any(|c| &c.id == id))
    {
        class.push("is-hovered");
    }
    let markers: String = run
        .covers
        .iter()
        .filter(|c| c.starts && first)
        .map(|c| c.tag.marker())
        .collect();
    if !markers.is_empty() {
        class.push("has-marker");
    }
    let ids: Vec<&str> = run.covers.iter().map(|c| c.id.as_str()).collect();
    let depth = run.covers.len().min(3).to_string();
    let title: Vec<&str> = run.covers.iter().map(|c| c.tag.label()).collect();
    html! {
        <mark
            class={class}
            data-s={s}
            data-ids={ids.join(" ")}
            data-depth={depth}
            data-markers={(!markers.is_empty()).then_some(markers)}
            title={title.join(", ")}
        >{ text }</mark>
    }
}
