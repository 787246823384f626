//! Backups: every value claimmark set aside because it could not be read,
//! so the annotations in it stay within reach. Each is listed with what it
//! belongs to, when it was set aside and why; "Download" saves it as a
//! file, and "Restore" (where its annotations can still be read, and they
//! belong to the open article) adds them to the article as one undoable
//! step, as an import does: ids already present are skipped.

use std::rc::Rc;

use yew::prelude::*;

use super::article_view::ArticleRef;
use super::transfer::Message;
use super::SessionRef;
use crate::core::parse::decode::human_size;
use crate::core::storage::backup::{self, Kept};
use crate::core::storage::read_index;
use crate::core::Annotation;
use crate::web::storage;

#[derive(Properties, PartialEq)]
pub struct BackupsProps {
    pub session: SessionRef,
    /// The open article: a backup of it can be restored into it.
    pub article: ArticleRef,
    pub on_message: Callback<Message>,
    /// Annotations read back from a backup, to add as one undoable step.
    pub on_restore: Callback<Vec<Annotation>>,
}

/// The list of backups (nothing when there are none). Reads storage when
/// mounted and after each of its own actions.
#[function_component(Backups)]
pub fn backups(p: &BackupsProps) -> Html {
    let store = p.session.0.store.clone();
    let tick = use_state(|| 0u32);
    let list = {
        let store = store.clone();
        use_memo(*tick, move |_| backup::list(&*store))
    };
    if list.is_empty() {
        return Html::default();
    }
    let names = read_index(&*store).articles;
    let rows = list.iter().map(|k| row(p, &store, k, &names, &tick));
    html! {
        <section class="backups" aria-labelledby="backups-title">
            <h3 id="backups-title">{ "Backups" }</h3>
            <p>{ "Saved data claimmark could not read, kept so that nothing is lost. Download a copy, or restore its annotations into the article it belongs to." }</p>
            <table>
                <thead><tr>
                    <th scope="col">{ "Of" }</th><th scope="col">{ "Kept" }</th>
                    <th scope="col">{ "Why" }</th>
                    <th scope="col"><span class="visually-hidden">{ "Actions" }</span></th>
                </tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
        </section>
    }
}

fn row(
    p: &BackupsProps,
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
        let (store, key, on_message) = (store.clone(), k.key.clone(), p.on_message.clone());
        Callback::from(move |_: MouseEvent| {
            let Some(raw) = backup::raw(&*store, &key) else {
                on_message.emit(Message::Error("That backup is no longer stored.".into()));
                return;
            };
            let name = format!(
                "claimmark-backup-{}.json",
                key.rsplit(':').take(2).collect::<Vec<_>>().join("-")
            );
            match storage::download(&name, "application/json", &raw) {
                Ok(()) => on_message.emit(Message::Status("Downloaded the backup".into())),
                Err(_) => {
                    on_message.emit(Message::Error("The backup could not be downloaded.".into()))
                }
            }
        })
    };
    let restorable = k.annotations > 0 && k.article.as_ref() == Some(&open.id);
    let restore = {
        let (store, key, article) = (store.clone(), k.key.clone(), open.clone());
        let (on_restore, on_message, tick) =
            (p.on_restore.clone(), p.on_message.clone(), tick.clone());
        Callback::from(move |_: MouseEvent| {
            match backup::raw(&*store, &key).map(|raw| backup::annotations_of(&raw, &article)) {
                Some(Ok(list)) if !list.is_empty() => {
                    let n = list.len();
                    on_restore.emit(list);
                    on_message.emit(Message::Status(format!(
                        "Restored the annotations of the backup ({n} read; any already here were kept as they are). Undo takes them out again."
                    )));
                }
                _ => on_message.emit(Message::Error(
                    "No annotations could be read from that backup.".into(),
                )),
            }
            tick.set(*tick + 1);
        })
    };
    let hint = if k.annotations == 0 {
        "Nothing in it can be read; download it to keep it."
    } else if !restorable {
        "Open its article to restore it."
    } else {
        ""
    };
    html! {
        <tr>
            <th scope="row">{ of.clone() }</th>
            <td>{ when }</td>
            <td>{ k.reason.clone() }
                if k.annotations > 0 { { format!(" · {} annotations can be read", k.annotations) } }
                if !hint.is_empty() { <span class="hint">{ format!(" {hint}") }</span> }
            </td>
            <td class="row-actions">
                <button type="button" onclick={download} aria-label={format!("Download the backup of {label}")}>{ "Download" }</button>
                if restorable {
                    <button type="button" onclick={restore} aria-label={format!("Restore the backup of {label}")}>{ "Restore" }</button>
                }
            </td>
        </tr>
    }
}
