//! "Article details": the article's URL, publication date, outlet,
//! author and language, prefilled from what the reader found (the text's metadata line,
//! an HTML page's `<meta>` tags, the file's address) and editable. Saving
//! goes through the reducer (`Action::SetDetails`), so it is undoable and
//! saved and exported like any other change.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::{Action, Details};
use crate::ui::context::use_ctx;
use crate::ui::dialog::DialogShell;
use crate::ui::refs::ArticleRef;
use crate::web;

#[derive(Properties, PartialEq)]
pub struct DetailsProps {
    pub article: ArticleRef,
    pub on_close: Callback<()>,
}

#[function_component(DetailsDialog)]
pub fn details_dialog(p: &DetailsProps) -> Html {
    let ctx = use_ctx();
    let refs: [NodeRef; 5] = [
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
        use_node_ref(),
    ];
    let problems = use_state(Vec::<String>::new);
    let d = &p.article.0.details;
    let save = {
        let (refs, problems, ctx, current) =
            (refs.clone(), problems.clone(), ctx.clone(), d.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            let value = |r: &NodeRef| {
                r.cast::<HtmlInputElement>()
                    .map(|i| i.value())
                    .unwrap_or_default()
            };
            let checked = Details::checked(
                &value(&refs[0]),
                &value(&refs[1]),
                &value(&refs[2]),
                &value(&refs[3]),
            );
            let language = value(&refs[4]);
            let checked = match checked {
                Ok(d) => d.with_language(&language).map_err(|e| vec![e]),
                Err(mut list) => {
                    if let Err(e) = Details::default().with_language(&language) {
                        list.push(e);
                    }
                    Err(list)
                }
            };
            match checked {
                Ok(details) => {
                    ctx.dialog.emit(None);
                    if details == current {
                        ctx.say.status("Article details unchanged");
                    } else {
                        ctx.dispatch.dispatch(Action::SetDetails {
                            details,
                            now: web::now(),
                        });
                    }
                }
                Err(list) => problems.set(list),
            }
        })
    };
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
        <DialogShell labelled_by="details-title" class="details-dialog" on_close={p.on_close.clone()}>
            <h2 id="details-title">{ "Article details" }</h2>
            <p class="hint">{ format!("About “{}”. Exports and the printed report carry these.", p.article.0.title) }</p>
            <form onsubmit={save} novalidate=true>
                { field("details-url", "URL", "url", &d.url, &refs[0], "Its web address (http or https).") }
                { field("details-published", "Publication date", "date", &d.published, &refs[1], "The day it was published.") }
                { field("details-outlet", "Outlet", "text", &d.outlet, &refs[2], "Who published it.") }
                { field("details-author", "Author", "text", &d.author, &refs[3], "Who wrote it.") }
                { field("details-language", "Language", "text", &d.language, &refs[4],
                        "A language tag such as ar, he, zh, ja, th or en. Empty: told by the text's script. Sets the article's direction and how it is read aloud.") }
                if !problems.is_empty() {
                    <p class="field-error" role="alert">{ format!("Not saved: {}.", problems.join("; ")) }</p>
                }
                <div class="dialog-actions">
                    <button type="submit">{ "Save details" }</button>
                    <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </div>
            </form>
        </DialogShell>
    }
}
