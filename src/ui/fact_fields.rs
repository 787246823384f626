//! A fact's claim as checked and its claimant, and adding a link from the
//! article to its sources — the parts of a panel item that ClaimReview and
//! the printed report read. Shown with the explanation and sources: where
//! any is filled in, or once asked for ("Add explanation, sources, claim…").

use std::rc::Rc;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::field_edit::FieldEdit;
use super::refs::ArticleRef;
use crate::core::{Annotation, AnnotationId, Article, Link};

#[derive(Properties, PartialEq)]
pub struct FactFieldsProps {
    pub annotation: Rc<Annotation>,
    /// The current annotation: every field shows, and the article's links.
    pub selected: bool,
    /// Makes the fields' ids unique where the item is shown twice.
    #[prop_or_default]
    pub id_prefix: &'static str,
    pub on_edit: Callback<(AnnotationId, FieldEdit)>,
}

#[function_component(FactFields)]
pub fn fact_fields(p: &FactFieldsProps) -> Html {
    let a = &p.annotation;
    let article = use_context::<ArticleRef>();
    let edit = |f: fn(String) -> FieldEdit| {
        let (cb, id) = (p.on_edit.clone(), a.id.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            cb.emit((
                id.clone(),
                f(v.split_whitespace().collect::<Vec<_>>().join(" ")),
            ));
        })
    };
    let claim_id = format!("{}claim-{}", p.id_prefix, a.id.as_str());
    let claimant_id = format!("{}claimant-{}", p.id_prefix, a.id.as_str());
    html! {
        <div class="fact-extra">
            <label class="field-label" for={claim_id.clone()}>{ "Claim as checked" }</label>
                <input id={claim_id} type="text" class="claim" dir="auto" value={a.check.claim.clone()}
                       onchange={edit(FieldEdit::Claim)} placeholder="The claim, in one sentence" />
                <label class="field-label" for={claimant_id.clone()}>{ "Claimant" }</label>
                <input id={claimant_id} type="text" class="claimant" dir="auto" value={a.check.claimant.clone()}
                       onchange={edit(FieldEdit::Claimant)} placeholder="Who made the claim" />
            if p.selected {
                if let Some(article) = article {
                    <ArticleLinks article={article} annotation={a.clone()} on_edit={p.on_edit.clone()} />
                }
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct LinksProps {
    article: ArticleRef,
    annotation: Rc<Annotation>,
    on_edit: Callback<(AnnotationId, FieldEdit)>,
}

/// The article's links, those in the annotation's own paragraphs first,
/// each with a button adding it to the annotation's sources.
fn ordered_links<'a>(article: &'a Article, a: &Annotation) -> Vec<&'a Link> {
    let near = if a.is_anchored() {
        let blocks = article.blocks_overlapping(a.span);
        match (blocks.clone().next(), blocks.last()) {
            (Some(f), Some(l)) => {
                Some(article.blocks[f].span.start()..article.blocks[l].span.end())
            }
            _ => None,
        }
    } else {
        None
    };
    let mut links: Vec<&Link> = article.links().iter().collect();
    links.sort_by_key(|l| !near.as_ref().is_some_and(|r| r.contains(&l.span.start())));
    links
}

#[function_component(ArticleLinks)]
fn article_links(p: &LinksProps) -> Html {
    let article = &p.article.0;
    if article.links().is_empty() {
        return Html::default();
    }
    let a = &p.annotation;
    let rows = ordered_links(article, a).into_iter().map(|l| {
        let text: String = article.slice(l.span).chars().take(60).collect();
        let added = a.check.sources.contains(&l.href);
        let add = {
            let (cb, id, url) = (p.on_edit.clone(), a.id.clone(), l.href.clone());
            Callback::from(move |_: MouseEvent| cb.emit((id.clone(), FieldEdit::AddSource(url.clone()))))
        };
        html! {
            <li>
                <span><span class="link-text">{ text }</span><br /><span class="url">{ l.href.clone() }</span></span>
                <button type="button" onclick={add} disabled={added}
                        aria-label={if added { format!("{} is a source", l.href) } else { format!("Add {} to the sources", l.href) }}>
                    { if added { "Added" } else { "Add" } }
                </button>
            </li>
        }
    });
    html! {
        <details class="article-links">
            <summary>{ format!("Add a link from the article ({})", article.links().len()) }</summary>
            <ul>{ for rows }</ul>
        </details>
    }
}
