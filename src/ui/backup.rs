//! "Back up library" and "Restore": every stored article and its
//! annotations in one file (`core::formats::library`), and that file read
//! back into this browser, empty or full (`core::backup`: merged the way two
//! tabs merge, so restoring twice changes nothing).

use yew::prelude::*;

use super::transfer::Message;
use super::{AppState, SessionRef};
use crate::core::backup::{backup_library, restore_library};
use crate::core::formats::library::{self, MAX_LIBRARY_BYTES};
use crate::core::persist;
use crate::core::Action;
use crate::web::{self, files, storage};

#[derive(Properties, PartialEq)]
pub struct BackupProps {
    pub session: SessionRef,
    /// The app's state: the open article is backed up as it is on screen,
    /// and takes in what a restore brings it.
    pub state: UseReducerHandle<AppState>,
    pub on_message: Callback<Message>,
}

/// The two controls, side by side.
#[function_component(Backup)]
pub fn backup(p: &BackupProps) -> Html {
    let back_up = {
        let (session, state, on_message) =
            (p.session.clone(), p.state.clone(), p.on_message.clone());
        Callback::from(move |_: MouseEvent| {
            let now = web::now();
            let b = backup_library(&*session.0.store, Some(&state.0), now);
            let name = format!("claimmark-library-{}.json", &now.to_iso8601()[..10]);
            match storage::download(&name, "application/json", &b.text) {
                Ok(()) => {
                    let mut msg = format!(
                        "Backed up {} article{} and {} annotation{} to {name}",
                        b.articles,
                        if b.articles == 1 { "" } else { "s" },
                        b.annotations,
                        if b.annotations == 1 { "" } else { "s" },
                    );
                    if b.unreadable.is_empty() {
                        on_message.emit(Message::Status(msg));
                    } else {
                        msg.push_str(&format!(
                            ". Not in it, because their saved copies cannot be read: {}",
                            b.unreadable.join(", ")
                        ));
                        on_message.emit(Message::Error(msg));
                    }
                }
                Err(_) => on_message.emit(Message::Error(
                    "The backup could not be downloaded; nothing changed.".into(),
                )),
            }
        })
    };
    let restore = {
        let (session, state, on_message) =
            (p.session.clone(), p.state.clone(), p.on_message.clone());
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = files::first_file(input.files()) else {
                return;
            };
            input.set_value("");
            let name = files::describe(&file);
            let (session, state, on_message) = (session.clone(), state.clone(), on_message.clone());
            files::read_file(file, MAX_LIBRARY_BYTES, move |r| {
                let lib = match r.and_then(|bytes| library::read(bytes).map_err(|e| e.to_string()))
                {
                    Ok(lib) => lib,
                    Err(e) => {
                        on_message.emit(Message::Error(format!(
                            "Nothing was restored from {name}: {e}. Your library is unchanged."
                        )));
                        return;
                    }
                };
                let store = &*session.0.store;
                let report = restore_library(store, &lib, web::now());
                // The open article takes in what was restored into it, as
                // it would from another tab.
                let open = state.0.article.id.clone();
                if report.restored.contains(&open) {
                    if let Some(boot) = persist::read_boot(store, &open) {
                        state.dispatch(Action::MergeDetails {
                            details: boot.article.details.clone(),
                            changed: boot.article.details_changed,
                        });
                        state.dispatch(Action::Merge {
                            annotations: boot.annotations,
                            tombstones: boot.tombstones,
                        });
                    }
                }
                let summary = format!("{}.", report.summary());
                on_message.emit(if report.stopped.is_some() || !report.skipped.is_empty() {
                    Message::Error(summary)
                } else {
                    Message::Status(summary)
                });
            });
        })
    };
    html! {
        <div class="backup" role="group" aria-label="Backup">
            <button type="button" onclick={back_up}>{ "Back up library" }</button>
            <label class="file-button">
                <span aria-hidden="true">{ "Restore" }</span>
                <input type="file" class="file-input" aria-label="Restore"
                       accept=".json,application/json" onchange={restore} />
            </label>
        </div>
    }
}
