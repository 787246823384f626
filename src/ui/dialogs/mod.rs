//! The dialogs, each drawn in the one [`DialogShell`]; [`DialogSlot`] draws
//! whichever [`Dialog`] is open.

mod details;
mod help;
mod import;
mod paste;
mod search;
mod team;
mod version;

use yew::prelude::*;

use super::context::use_ctx;
use super::dialog::Dialog;
use super::hooks::importer::ImportChoice;
use super::hooks::opener::VersionChoice;
use super::refs::{AnnList, ArticleRef};
use crate::core::formats::Parsed;
use crate::core::ArticleId;

#[derive(Properties, PartialEq)]
pub struct SlotProps {
    pub dialog: Option<Dialog>,
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_paste: Callback<(String, Option<ArticleId>)>,
    pub on_version: Callback<VersionChoice>,
    pub on_import: Callback<(std::rc::Rc<Parsed>, ImportChoice)>,
}

#[function_component(DialogSlot)]
pub fn dialog_slot(p: &SlotProps) -> Html {
    let ctx = use_ctx();
    let close = {
        let ctx = ctx.clone();
        move |said: &'static str| {
            let ctx = ctx.clone();
            Callback::from(move |_: ()| {
                ctx.dialog.emit(None);
                if !said.is_empty() {
                    ctx.say.status(said);
                }
            })
        }
    };
    match p.dialog.clone() {
        None => Html::default(),
        Some(Dialog::Help) => html! { <help::HelpDialog on_close={close("")} /> },
        Some(Dialog::Details) => html! {
            <details::DetailsDialog article={p.article.clone()} on_close={close("")} />
        },
        Some(Dialog::Paste) => html! {
            <paste::PasteDialog on_open={p.on_paste.clone()} on_cancel={close("Nothing pasted")} />
        },
        Some(Dialog::NewVersion {
            article,
            old,
            likeness,
        }) => html! {
            <version::VersionDialog {article} {old} {likeness} on_choice={p.on_version.clone()}
                                    on_cancel={close("Nothing opened")} />
        },
        Some(Dialog::Team) => html! { <team::TeamDialog on_close={close("")} /> },
        Some(Dialog::PrintName) => html! {
            <crate::ui::print::NameDialog on_close={close("Nothing printed")} />
        },
        Some(Dialog::Search) => html! { <search::SearchDialog on_close={close("")} /> },
        Some(Dialog::Link { from, quote }) => {
            let key = from.as_str().to_string();
            html! { <search::SearchDialog {key} link_from={Some((from, quote))} on_close={close("")} /> }
        }
        Some(Dialog::Import { file, parsed }) => {
            // Keyed by the file: another file dropped while it is open gets
            // a fresh dialog (its own target and tag mapping), not the
            // first file's choices.
            let key = format!("{file}@{:p}", std::rc::Rc::as_ptr(&parsed));
            html! {
            <import::ImportDialog {key} file_name={file} {parsed} article={p.article.clone()}
                                  annotations={p.annotations.clone()} on_confirm={p.on_import.clone()}
                                  on_cancel={close("Import cancelled; nothing changed")} />
            }
        }
    }
}
