//! "Article details": the article's URL, publication date, outlet and
//! author, prefilled from what the reader found (the text's metadata line,
//! an HTML page's `<meta>` tags, the file's address) and editable. Saving
//! goes through the reducer (`Action::SetDetails`), so it is undoable and
//! saved and exported like any other change.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::article_view::ArticleRef;
use super::library::{dialog_keys, use_dialog_focus};
use super::transfer::Message;
use crate::core::Details;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub article: ArticleRef,
    /// Checked details to save (only when they differ).
    pub on_save: Callback<Details>,
    pub on_message: Callback<Message>,
}

/// The "Article details" button and its dialog.
#[function_component(ArticleDetails)]
pub fn article_details(p: &DetailsProps) -> Html {
    let open = use_state(|| false);
    let show = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(true))
    };
    let close = {
        let open = open.clone();
        Callback::from(move |_: ()| open.set(false))
    };
    let save = {
        let (open, on_save, on_message, current) = (
            open.clone(),
            p.on_save.clone(),
            p.on_message.clone(),
            p.article.0.details.clone(),
        );
        Callback::from(move |d: Details| {
            open.set(false);
            if d == current {
                on_message.emit(Message::Status("Article details unchanged".into()));
            } else {
                on_save.emit(d);
            }
        })
    };
    html! {
        <>
            <button type="button" onclick={show} aria-haspopup="dialog">{ "Article details" }</button>
            if *open {
                <DetailsDialog details={p.article.0.details.clone()} title={p.article.0.title.clone()}
                               on_save={save} on_cancel={close} />
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct DialogProps {
    details: Details,
    title: String,
    on_save: Callback<Details>,
    on_cancel: Callback<()>,
}

#[function_component(DetailsDialog)]
fn details_dialog(p: &DialogProps) -> Html {
    let refs: [NodeRef; 4] = [
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    ];
    use_dialog_focus(refs[0].clone());
    let problems = use_state(Vec::<String>::new);
    let d = &p.details;
    let save = {
        let (refs, on_save, problems) = (refs.clone(), p.on_save.clone(), problems.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            match Details::checked(
                &value(&refs[0]),
                &value(&refs[1]),
                &value(&refs[2]),
                &value(&refs[3]),
            ) {
                Ok(d) => on_save.emit(d),
                Err(list) => problems.set(list),
            }
        })
    };
    let cancel = p.on_cancel.reform(|_: MouseEvent| ());
    let field = |id: &'static str,
                 label: &'static str,
                 kind: &'static str,
                 value: &Option<String>,
                 r: &NodeRef,
                 hint: &'static str| {
        let hint_id = format!("{id}-hint");
        html! {
            <>
                <label for={id}>{ label }</label>
                <input {id} type={kind} ref={r.clone()} value={value.clone().unwrap_or_default()}
                       aria-describedby={hint_id.clone()} />
                <p id={hint_id} class="hint">{ hint }</p>
            </>
        }
    };
    html! {
        <div class="backdrop">
            <div class="dialog details-dialog" role="dialog" aria-modal="true" aria-labelledby="details-title"
                 onkeydown={dialog_keys(&p.on_cancel)}>
                <h2 id="details-title">{ "Article details" }</h2>
                <p class="hint">{ format!("About “{}”. Exports and the printed report carry these.", p.title) }</p>
                <form onsubmit={save} novalidate=true>
                    { field("details-url", "URL", "url", &d.url, &refs[0], "Its web address (http or https).") }
                    { field("details-published", "Publication date", "date", &d.published, &refs[1], "The day it was published.") }
                    { field("details-outlet", "Outlet", "text", &d.outlet, &refs[2], "Who published it.") }
                    { field("details-author", "Author", "text", &d.author, &refs[3], "Who wrote it.") }
                    if !problems.is_empty() {
                        <p class="field-error" role="alert">{ format!("Not saved: {}.", problems.join("; ")) }</p>
                    }
                    <div class="dialog-actions">
                        <button type="submit">{ "Save details" }</button>
                        <button type="button" onclick={cancel}>{ "Cancel" }</button>
                    </div>
                </form>
            </div>
        </div>
    }
}
