//! The article element, and its blocks when highlights are drawn as `<mark>`
//! runs (browsers without the CSS Custom Highlight API; otherwise the blocks
//! are built by `web::render` and painted by `web::highlight`).
//!
//! Each block is its own memoised component whose props are only what that
//! block shows, so adding or removing an annotation re-renders just the blocks
//! it touches.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::{AnnotationId, Article, Piece, Run, Span};
use crate::web::render;

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
    });
    html! {
        <article
            id="article"
            ref={p.node_ref.clone()}
            class="article"
            tabindex="0"
            aria-describedby="article-help"
            onkeydown={p.onkeydown.clone()}
            onclick={p.onclick.clone()}
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
                        <span class="visually-hidden">{ label }</span>
                        { shown }
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
    let runs = p
        .runs
        .iter()
        .map(|r| run_view(article, r, &p.selected, &p.hovered));
    html! { <@{tag.to_string()} class={class} data-b={b}>{ for runs }</@> }
}

fn run_view(
    article: &Article,
    run: &Run,
    selected: &Option<AnnotationId>,
    hovered: &Option<AnnotationId>,
) -> Html {
    let text = article.slice(run.span).to_string();
    let s = run.span.start().to_string();
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
        .filter(|c| c.starts)
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
