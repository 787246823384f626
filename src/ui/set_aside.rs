//! Values set aside ("Backups" on screen; storage keys `backup:`): every value claimmark set aside because it could not be read,
//! so the annotations in it stay within reach. Each is listed with what it
//! belongs to, when it was set aside and why; "Download" saves it as a
//! file, and "Restore" (where its annotations can still be read, and they
//! belong to the open article) adds them to the article as one undoable
//! step, as an import does: ids already present are skipped.

use std::rc::Rc;

use yew::prelude::*;

use super::context::{use_ctx, Ctx};
use super::refs::ArticleRef;
use crate::core::parse::decode::human_size;
use crate::core::storage::read_index;
use crate::core::storage::set_aside::{self, Kept};
use crate::core::{words, Action};
use crate::web::{self, local_store};

#[derive(Properties, PartialEq)]
pub struct SetAsideProps {
    /// The open article: a backup of it can be restored into it.
    pub article: ArticleRef,
}

/// The list of backups (nothing when there are none). Reads storage when
/// mounted and after each of its own actions.
#[function_component(SetAside)]
pub fn set_aside_list(p: &SetAsideProps) -> Html {
    let ctx = use_ctx();
    let store = ctx.session.store.clone();
    let tick = use_state(|| 0u32);
    let list = {
        let store = store.clone();
        use_memo(*tick, move |_| set_aside::list(&*store))
    };
    if list.is_empty() {
        return Html::default();
    }
    let names = read_index(&*store).articles;
    let rows = list.iter().map(|k| row(p, &ctx, &store, k, &names, &tick));
    html! {
        <section class="backups" aria-labelledby="backups-title">
            <h3 id="backups-title">{ "Backups" }</h3>
            <p>{ "Saved data claimmark could not read, kept so that nothing is lost. Download a copy, or restore its annotations into the article it belongs to." }</p>
            <ul class="lib-list" aria-label="Backups">{ for rows }</ul>
        </section>
    }
}

fn row(
    p: &SetAsideProps,
    ctx: &Ctx,
    store: &Rc<dyn crate::core::storage::Store>,
    k: &Kept,
    names: &[crate::core::storage::IndexEntry],
    tick: &UseStateHandle<u32>,
) -> Html {
    let open = &p.article.0;
    let of = match &k.article {
        None => "the library list".to_string(),
        Some(id) if *id == open.id => format!("“{}” (open)", open.title),
        Some(id) => names
            .iter()
            .find(|e| e.id == *id)
            .map(|e| format!("“{}”", e.display_name()))
            .unwrap_or_else(|| {
                format!(
                    "an article not in the library ({}…)",
                    &id.0[..8.min(id.0.len())]
                )
            }),
    };
    let when = match k.at {
        Some(t) => format!(
            "{} · {}",
            t.to_iso8601()[..16].replace('T', " "),
            human_size(k.units * 2)
        ),
        None => format!("left in place · {}", human_size(k.units * 2)),
    };
    let label = format!("{of}, {when}");
    let download = {
        let (store, key, say) = (store.clone(), k.key.clone(), ctx.say.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(raw) = set_aside::raw(&*store, &key) else {
                say.error("That backup is no longer stored.");
                return;
            };
            let name = format!(
                "claimmark-backup-{}.json",
                key.rsplit(':').take(2).collect::<Vec<_>>().join("-")
            );
            match local_store::download(&name, "application/json", &raw) {
                Ok(()) => say.status("Downloaded the backup"),
                Err(_) => say.error("The backup could not be downloaded."),
            }
        })
    };
    let restorable = k.annotations > 0 && k.article.as_ref() == Some(&open.id);
    let restore = {
        let (store, key, article) = (store.clone(), k.key.clone(), open.clone());
        let (ctx, tick) = (ctx.clone(), tick.clone());
        Callback::from(move |_: MouseEvent| {
            match set_aside::raw(&*store, &key).map(|raw| set_aside::annotations_of(&raw, &article))
            {
                Some(Ok(list)) if !list.is_empty() => {
                    // One undoable step, as an import: ids already here are kept.
                    let n = list.len();
                    ctx.dispatch.dispatch(Action::Import {
                        label: format!("Restored {} from a backup", words::annotations(n)),
                        annotations: list,
                        now: web::now(),
                    });
                }
                _ => ctx
                    .say
                    .error("No annotations could be read from that backup."),
            }
            tick.set(*tick + 1);
        })
    };
    let hint = if k.at.is_none() {
        // A newer claimmark's, left where it is.
        "This version does not read it and never writes over it: open it with the newer version, or download it to keep a copy."
    } else if k.annotations == 0 {
        "Nothing in it can be read; download it to keep it."
    } else if !restorable {
        "Open its article to restore it."
    } else {
        ""
    };
    html! {
        <li class="lib-entry">
            <p class="lib-title">{ of.clone() }</p>
            <p class="lib-meta">{ when }{ " · " }{ k.reason.clone() }
                if k.annotations > 0 { { format!(" · {} can be read", words::annotations(k.annotations)) } }
                if !hint.is_empty() { { format!(". {hint}") } }
            </p>
            <div class="row-actions">
                <button type="button" onclick={download} aria-label={format!("Download the backup of {label}")}>{ "Download" }</button>
                if restorable {
                    <button type="button" onclick={restore} aria-label={format!("Restore the backup of {label}")}>{ "Restore" }</button>
                }
            </div>
        </li>
    }
}
