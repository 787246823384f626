//! Getting work out (the Export group) and in (the import dialog).

use std::collections::BTreeMap;
use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use super::article_view::ArticleRef;
use super::panel::AnnList;
use super::SessionRef;
use crate::core::formats::Parsed;
use crate::core::formats::{self, Context, Format};
use crate::core::import::{self, Plan};
use crate::core::storage::PREFIX;
use crate::core::Tag;
use crate::web::{self, files, storage};

/// Where the user's name (for ClaimReview's `author`) is kept.
pub fn author_key() -> String {
    format!("{PREFIX}author")
}

/// Something to tell the person: in the live region, or as an alert.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Status(String),
    Error(String),
}

#[derive(Properties, PartialEq)]
pub struct ExportProps {
    pub session: SessionRef,
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_message: Callback<Message>,
}

/// The "Export" group: each format downloads, or copies to the clipboard.
#[function_component(ExportMenu)]
pub fn export_menu(p: &ExportProps) -> Html {
    let store = p.session.0.store.clone();
    let author = use_state(|| store.get(&author_key()).ok().flatten().unwrap_or_default());
    let run = |format: Format, copy: bool| {
        let (article, list, author, on_message) = (
            p.article.0.clone(),
            p.annotations.clone(),
            author.clone(),
            p.on_message.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let cx = Context {
                now: web::now(),
                author: Some((*author).clone()),
            };
            let text = formats::export(format, &article, &list.0, &cx);
            let what = format!("{} annotations as {}", list.0.len(), format.label());
            if copy {
                let on_message = on_message.clone();
                files::copy_text(text, move |r| {
                    on_message.emit(match r {
                        Ok(()) => Message::Status(format!("Copied {what} to the clipboard")),
                        Err(e) => Message::Error(format!("Could not copy: {e}.")),
                    })
                });
            } else {
                match storage::download(&format.file_name(&article), format.mime(), &text) {
                    Ok(()) => on_message.emit(Message::Status(format!("Downloaded {what}"))),
                    Err(_) => on_message.emit(Message::Error(
                        "The download could not start; try Copy instead.".into(),
                    )),
                }
            }
        })
    };
    let on_author = {
        let (author, store) = (author.clone(), store.clone());
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlInputElement>().value();
            let _ = store.set(&author_key(), v.trim());
            author.set(v.trim().to_string());
        })
    };
    let facts_with_verdict = p
        .annotations
        .0
        .iter()
        .filter(|a| a.tag == Tag::Fact && a.verdict.is_some())
        .count();
    html! {
        <details class="menu export-menu">
            <summary>{ "Export" }</summary>
            <div class="menu-body" role="group" aria-label="Export">
                <table class="formats">
                    <tbody>
                    { for Format::ALL.iter().map(|&f| html! {
                        <tr>
                            <th scope="row">{ f.label() }
                                if f == Format::ClaimReview {
                                    <span class="hint">{ format!(" ({facts_with_verdict} facts with a verdict)") }</span>
                                }
                            </th>
                            <td><button type="button" onclick={run(f, false)}
                                        aria-label={format!("Download {}", f.label())}>{ "Download" }</button></td>
                            <td><button type="button" onclick={run(f, true)}
                                        aria-label={format!("Copy {}", f.label())}>{ "Copy" }</button></td>
                        </tr>
                    }) }
                    </tbody>
                </table>
                <label class="author">{ "Your name (for ClaimReview) " }
                    <input type="text" value={(*author).clone()} onchange={on_author} autocomplete="name" />
                </label>
            </div>
        </details>
    }
}

/// What the person chose in the import dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportChoice {
    /// Add the planned annotations to the open article.
    Here(Rc<Plan>),
    /// Open the file's own article (continuing it if stored) and add them there.
    OpenFileArticle(BTreeMap<String, Option<Tag>>),
}

#[derive(Properties, PartialEq)]
pub struct ImportProps {
    pub file_name: String,
    pub parsed: Rc<Parsed>,
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_confirm: Callback<ImportChoice>,
    pub on_cancel: Callback<()>,
}

/// The import summary: what will happen, the choice for unknown tags, and
/// confirm or cancel. Nothing changes before "Import".
#[function_component(ImportDialog)]
pub fn import_dialog(p: &ImportProps) -> Html {
    let mapping = use_state(BTreeMap::<String, Option<Tag>>::new);
    let file_article = p
        .parsed
        .article
        .as_ref()
        .filter(|a| a.id != p.article.0.id.0);
    let open_file = use_state(|| file_article.is_some());
    let first_ref = use_node_ref();
    super::library::use_dialog_focus(first_ref.clone());
    let plan = {
        let (parsed, article, list) = (p.parsed.clone(), p.article.clone(), p.annotations.clone());
        use_memo(
            ((*mapping).clone(), article, list),
            move |(m, article, list)| {
                import::plan(
                    &parsed,
                    &article.0,
                    &list.0,
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
            "Opens “{a}” from the file with its {} annotations{}",
            p.parsed.items.len(),
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
        let (cb, plan, mapping) = (p.on_confirm.clone(), plan.clone(), mapping.clone());
        Callback::from(move |_: MouseEvent| {
            cb.emit(if here {
                ImportChoice::Here(Rc::new((*plan).clone()))
            } else {
                ImportChoice::OpenFileArticle((*mapping).clone())
            })
        })
    };
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    let on_key = super::library::dialog_keys(&p.on_cancel);
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
        <div class="backdrop">
            <div class="dialog import-dialog" role="dialog" aria-modal="true"
                 aria-labelledby="import-title" aria-describedby="import-summary" onkeydown={on_key}>
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
                    <button type="button" ref={first_ref} onclick={confirm} disabled={n_add == 0}>
                        { format!("Import {n_add}") }
                    </button>
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                </div>
            </div>
        </div>
    }
}
