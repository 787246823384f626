//! The page's header: history (Undo, Redo, keys), files (open, paste,
//! import) and the Export menu.

use yew::prelude::*;

use super::export_menu::ExportMenu;
use super::print::Print;
use super::refs::{AnnList, ArticleRef};
use crate::web;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub can_undo: bool,
    pub can_redo: bool,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    pub on_help: Callback<()>,
    pub on_open_file: Callback<web_sys::File>,
    pub on_paste: Callback<()>,
    pub on_import_file: Callback<web_sys::File>,
    pub on_details: Callback<()>,
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_print: Callback<()>,
}

#[function_component(TopBar)]
pub fn top_bar(p: &TopBarProps) -> Html {
    let click = |cb: &Callback<()>| cb.reform(|_: MouseEvent| ());
    html! {
        <header class="topbar">
            <a class="skip-link" href="#article" onclick={Callback::from(|e: MouseEvent| {
                // Focus the article itself, so arrows and F/Q/A work at once.
                e.prevent_default();
                crate::web::dom::focus_id("article");
            })}>{ "Skip to the article" }</a>
            <p class="brand">{ "claimmark" }</p>
            <div class="actions" role="group" aria-label="History">
                // `aria-disabled`, not `disabled`: the last Undo must not
                // throw focus to the page; pressed anyway, it says "Nothing
                // to undo".
                <button type="button" onclick={click(&p.on_undo)} aria-disabled={(!p.can_undo).to_string()}
                        aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                <button type="button" onclick={click(&p.on_redo)} aria-disabled={(!p.can_redo).to_string()}
                        aria-keyshortcuts="Control+Shift+Z">{ "Redo" }</button>
                // Phones rarely have a keyboard: the button is for wide screens
                // (and "?" opens the list anywhere).
                // "Shortcuts" on screen (room for Team), the full name for assistive technology.
                <button type="button" class="wide-only" onclick={click(&p.on_help)} aria-keyshortcuts="?"
                        aria-label="Keyboard shortcuts">
                    { "Shortcuts" }
                </button>
            </div>
            <div class="actions" role="group" aria-label="Article">
                <button type="button" onclick={click(&p.on_details)} aria-haspopup="dialog"
                        aria-label="Article details">
                    <span class="wide-only">{ "Article details" }</span><span class="narrow-only">{ "Details" }</span>
                </button>
                <Print article={p.article.clone()} annotations={p.annotations.clone()}
                       on_print={p.on_print.clone()} />
            </div>
            <div class="actions files" role="group" aria-label="Files">
                <FileButton label="Open article" short="Open" on_file={p.on_open_file.clone()}
                            accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html" />
                <button type="button" onclick={click(&p.on_paste)} aria-label="Paste article">
                    { "Paste" }<span class="wide-only">{ " article" }</span>
                </button>
                <FileButton label="Import annotations" short="Import" on_file={p.on_import_file.clone()}
                            accept=".json,.jsonld,application/json,application/ld+json" />
                <ExportMenu article={p.article.clone()} annotations={p.annotations.clone()} />
            </div>
            <super::team_status::TeamButton />
        </header>
    }
}

#[derive(Properties, PartialEq)]
pub struct FileButtonProps {
    /// The input's accessible name (and the button's words).
    pub label: AttrValue,
    /// What a narrow screen shows: the first word(s) of `label`.
    pub short: AttrValue,
    pub accept: AttrValue,
    pub on_file: Callback<web_sys::File>,
}

/// A file input that looks like a button; the input itself stays the
/// focusable, named control (so assistive technology and tests find it).
#[function_component(FileButton)]
pub fn file_button(p: &FileButtonProps) -> Html {
    let onchange = {
        let cb = p.on_file.clone();
        Callback::from(move |e: Event| {
            // Cleared, so the same file can be chosen again.
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let file = web::files::first_file(input.files());
            input.set_value("");
            if let Some(f) = file {
                cb.emit(f);
            }
        })
    };
    html! {
        <label class="file-button">
            <span aria-hidden="true">
                { p.short.clone() }
                <span class="wide-only">{ p.label.strip_prefix(p.short.as_str()).unwrap_or_default().to_string() }</span>
            </span>
            <input type="file" class="file-input" aria-label={p.label.clone()}
                   accept={p.accept.clone()} {onchange} />
        </label>
    }
}
