//! The import summary: what will happen, the choice for unknown tags, and
//! confirm or cancel. Nothing changes before "Import".

use std::collections::BTreeMap;
use std::rc::Rc;

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::core::formats::Parsed;
use crate::core::{import, words, Tag};
use crate::ui::dialog::DialogShell;
use crate::ui::hooks::importer::ImportChoice;
use crate::ui::refs::{AnnList, ArticleRef};
use crate::web;

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub file_name: String,
    pub parsed: Rc<Parsed>,
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_confirm: Callback<(Rc<Parsed>, ImportChoice)>,
    pub on_cancel: Callback<()>,
}

#[function_component(ImportDialog)]
pub fn import_dialog(p: &ImportProps) -> Html {
    let mapping = use_state(BTreeMap::<String, Option<Tag>>::new);
    let file_article = p
        .parsed
        .article
        .as_ref()
        .filter(|a| a.id != p.article.0.id.0);
    let open_file = use_state(|| file_article.is_some());
    let plan = {
        let (parsed, article, list) = (p.parsed.clone(), p.article.clone(), p.annotations.clone());
        use_memo(
            ((*mapping).clone(), article, list),
            move |(m, article, list)| {
                import::plan(
                    &parsed,
                    &article.0,
                    &list.get(),
                    m,
                    web::now(),
                    &mut web::new_id,
                )
            },
        )
    };
    let here = !*open_file;
    let n_add = if here {
        plan.add.len()
    } else {
        p.parsed.items.len()
    };
    let summary = if here {
        plan.summary()
    } else {
        let a = file_article.map(|a| a.title.clone()).unwrap_or_default();
        format!(
            "Opens “{a}” from the file with its {}{}",
            words::annotations(p.parsed.items.len()),
            if p.parsed.invalid.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} invalid: {}",
                    p.parsed.invalid.len(),
                    p.parsed.invalid[0]
                )
            }
        )
    };
    let confirm = {
        let (cb, plan, mapping, parsed) = (
            p.on_confirm.clone(),
            plan.clone(),
            mapping.clone(),
            p.parsed.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let choice = if here {
                ImportChoice::Here(Rc::new((*plan).clone()))
            } else {
                ImportChoice::OpenFileArticle((*mapping).clone())
            };
            cb.emit((parsed.clone(), choice));
        })
    };
    let unknown = plan.unknown_tags.iter().map(|(name, n)| {
        let current = mapping.get(name).copied().flatten();
        let (mapping, key) = (mapping.clone(), name.clone());
        let onchange = Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut m = (*mapping).clone();
            m.insert(key.clone(), Tag::parse(&v));
            mapping.set(m);
        });
        html! {
            <li>
                <label>{ format!("“{name}” ({n}) → ") }
                    <select {onchange} aria-label={format!("Map tag “{name}”")}>
                        <option value="" selected={current.is_none()}>{ "Skip them" }</option>
                        { for Tag::ALL.iter().map(|t| html! {
                            <option value={t.key()} selected={current == Some(*t)}>{ t.label() }</option>
                        }) }
                    </select>
                </label>
            </li>
        }
    });
    let where_choice = file_article.map(|fa| {
        let (o1, o2) = (open_file.clone(), open_file.clone());
        html! {
            <fieldset>
                <legend>{ "This file carries its own article" }</legend>
                <label><input type="radio" name="import-where" checked={*open_file}
                              onchange={Callback::from(move |_: Event| o1.set(true))} />
                    { format!(" Open “{}” from the file, with its annotations", fa.title) }</label>
                <label><input type="radio" name="import-where" checked={!*open_file}
                              onchange={Callback::from(move |_: Event| o2.set(false))} />
                    { format!(" Place them on the open article, “{}”", p.article.0.title) }</label>
            </fieldset>
        }
    });
    let invalid = &p.parsed.invalid;
    html! {
        <DialogShell labelled_by="import-title" described_by="import-summary" class="import-dialog"
                     on_close={p.on_cancel.clone()}>
            <h2 id="import-title">{ "Import annotations" }</h2>
            <p>{ format!("From {} — {}.", p.file_name, p.parsed.source.label()) }</p>
            { for where_choice }
            if !plan.unknown_tags.is_empty() {
                <fieldset>
                    <legend>{ "Tags claimmark does not know: map each to Fact, Quote or Analysis, or skip" }</legend>
                    <ul class="plain">{ for unknown }</ul>
                </fieldset>
            }
            <p id="import-summary" class="import-summary" role="status">{ summary }</p>
            if !invalid.is_empty() {
                <details>
                    <summary>{ format!("{} could not be read", invalid.len()) }</summary>
                    <ul>{ for invalid.iter().take(50).map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
                </details>
            }
            <div class="dialog-actions">
                <button type="button" data-autofocus="" onclick={confirm} disabled={n_add == 0}>
                    { format!("Import {n_add}") }
                </button>
                <button type="button" onclick={p.on_cancel.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
            </div>
        </DialogShell>
    }
}
