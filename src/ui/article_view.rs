//! The article: blocks of runs, highlights drawn as `<mark>` elements.
//!
//! Each block is its own memoised component whose props are only what that
//! block shows, so adding or removing an annotation re-renders just the blocks
//! it touches.

use std::rc::Rc;

use yew::prelude::*;

use crate::core::{AnnotationId, Article, BlockKind, MetaKind, Run, Span};

/// An article compared by identity: one parse, one `Rc`.
#[derive(Clone)]
pub struct ArticleRef(pub Rc<Article>);

impl PartialEq for ArticleRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

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
    let mut out: Vec<Html> = Vec::new();
    let mut list: Vec<Html> = Vec::new();
    for (i, block) in article.blocks.iter().enumerate() {
        let view = html! {
            <BlockView
                key={i}
                article={p.article.clone()}
                index={i}
                runs={p.segments.get(i).cloned().unwrap_or_default()}
                spans={p.spans}
                selected={p.selected.clone().filter(|_| p.spans && touches(p.selected_span, block.span))}
                hovered={p.hovered.clone().filter(|_| p.spans && touches(p.hovered_span, block.span))}
            />
        };
        if block.kind == BlockKind::ListItem {
            list.push(view);
            continue;
        }
        if !list.is_empty() {
            out.push(html! { <ul key={format!("ul{i}")}>{ for list.drain(..) }</ul> });
        }
        out.push(view);
        if block.kind == BlockKind::Title {
            out.push(byline(article));
        }
    }
    if !list.is_empty() {
        out.push(html! { <ul key="ul-end">{ for list.drain(..) }</ul> });
    }
    if article.blocks.first().map(|b| b.kind) != Some(BlockKind::Title) {
        // The headline is always an <h1>, even when the text had none.
        out.insert(
            0,
            html! { <h1 key="fallback-title" class="title">{ article.title.clone() }</h1> },
        );
        out.insert(1, byline(article));
    }
    html! {
        <article
            ref={p.node_ref.clone()}
            class="article"
            tabindex="0"
            aria-describedby="article-help"
            onkeydown={p.onkeydown.clone()}
            onclick={p.onclick.clone()}
            onmouseover={p.onmouseover.clone()}
        >
            { for out }
        </article>
    }
}

fn byline(article: &Article) -> Html {
    if article.metadata.is_empty() {
        return html! { <div key="byline" hidden=true /> };
    }
    html! {
        <p key="byline" class="byline">
            { for article.metadata.iter().map(|m| html! {
                <span class={classes!("meta", format!("meta-{}", m.kind.label().to_lowercase()))}>
                    <span class="visually-hidden">{ format!("{}: ", m.kind.label()) }</span>
                    { if m.kind == MetaKind::Author { format!("By {}", m.value) } else { m.value.clone() } }
                </span>
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
    pub spans: bool,
}

#[function_component(BlockView)]
pub fn block_view(p: &BlockProps) -> Html {
    let article = &p.article.0;
    let block = article.blocks[p.index];
    let (tag, class) = match block.kind {
        BlockKind::Title => ("h1".to_string(), Some("title")),
        BlockKind::Heading(level) => (format!("h{}", level.clamp(2, 6)), None),
        BlockKind::Standfirst => ("p".to_string(), Some("standfirst")),
        BlockKind::Paragraph => ("p".to_string(), None),
        BlockKind::ListItem => ("li".to_string(), None),
        BlockKind::BlockQuote => ("blockquote".to_string(), None),
    };
    let b = p.index.to_string();
    if !p.spans {
        // One text node; `data-s` maps DOM offsets (see `web::dom`).
        let s = block.span.start().to_string();
        let text = article.block_text(p.index).to_string();
        return html! { <@{tag} class={class} data-b={b} data-s={s}>{ text }</@> };
    }
    let runs = p
        .runs
        .iter()
        .map(|r| run_view(article, r, &p.selected, &p.hovered));
    html! { <@{tag} class={class} data-b={b}>{ for runs }</@> }
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
