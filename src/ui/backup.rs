//! "Back up library" and "Restore": every stored article and its
//! annotations in one file (`core::formats::library`), and that file read
//! back into this browser, empty or full (`core::backup`: merged the way two
//! tabs merge, so restoring twice changes nothing).

use yew::prelude::*;

use super::app_state::AppState;
use super::context::use_ctx;
use super::topbar::FileButton;
use crate::core::backup::{backup_library, restore_library};
use crate::core::formats::library::{self, MAX_LIBRARY_BYTES};
use crate::core::storage::{self, Entry};
use crate::core::{words, Action};
use crate::web::{self, files, local_store};

#[derive(Properties, PartialEq)]
pub struct BackupProps {
    /// The app's state: the open article is backed up as it is on screen,
    /// and takes in what a restore brings it.
    pub state: UseReducerHandle<AppState>,
}

/// The two controls, side by side.
#[function_component(Backup)]
pub fn backup(p: &BackupProps) -> Html {
    let ctx = use_ctx();
    let back_up = {
        let (session, state, say) = (ctx.session.clone(), p.state.clone(), ctx.say.clone());
        Callback::from(move |_: MouseEvent| {
            let now = web::now();
            let b = backup_library(&*session.store, Some(&state.get()), now);
            let name = format!("claimmark-library-{}.json", &now.to_iso8601()[..10]);
            match local_store::download(&name, "application/json", &b.text) {
                Ok(()) => {
                    let mut msg = format!(
                        "Backed up {} and {} to {name}",
                        words::count(b.articles, "article", "articles"),
                        words::annotations(b.annotations),
                    );
                    if b.unreadable.is_empty() {
                        say.status(msg);
                    } else {
                        msg.push_str(&format!(
                            ". Not in it, because their saved copies cannot be read: {}",
                            b.unreadable.join(", ")
                        ));
                        say.error(msg);
                    }
                }
                Err(_) => say.error("The backup could not be downloaded; nothing changed."),
            }
        })
    };
    let restore = {
        let (session, state, say) = (ctx.session.clone(), p.state.clone(), ctx.say.clone());
        Callback::from(move |file: web_sys::File| {
            let name = files::describe(&file);
            let (session, state, say) = (session.clone(), state.clone(), say.clone());
            files::read_file(file, MAX_LIBRARY_BYTES, move |r| {
                let lib = match r.and_then(|bytes| library::read(bytes).map_err(|e| e.to_string()))
                {
                    Ok(lib) => lib,
                    Err(e) => {
                        say.error(format!(
                            "Nothing was restored from {name}: {e}. Your library is unchanged."
                        ));
                        return;
                    }
                };
                let store = &*session.store;
                let report = restore_library(store, &lib, web::now());
                // The open article takes in what was restored into it, as
                // it would from another tab.
                let summary = format!("{}.", report.summary());
                let trouble = report.stopped.is_some() || !report.skipped.is_empty();
                let open = state.article().id.clone();
                let boot = report
                    .restored
                    .contains(&open)
                    .then(|| storage::read_boot(store, &open))
                    .flatten();
                let mut said_by_state = false;
                if let Some(boot) = boot {
                    // The open article takes in what was restored into it.
                    let mut entries: Vec<Entry> = boot
                        .annotations
                        .into_iter()
                        .map(|(a, c)| Entry::live(a, c))
                        .collect();
                    entries.extend(boot.tombstones);
                    let before = state.get().announced;
                    state.dispatch(Action::Adopt {
                        entries,
                        details: Some((boot.article.details.clone(), boot.article.details_changed)),
                        announce: summary.clone(),
                    });
                    said_by_state = state.get().announced != before;
                }
                if trouble {
                    say.error(summary);
                } else if !said_by_state {
                    say.status(summary);
                }
            });
        })
    };
    html! {
        <div class="backup" role="group" aria-label="Backup">
            <button type="button" onclick={back_up}>{ "Back up library" }</button>
            <FileButton label="Restore" short="Restore" accept=".json,application/json" on_file={restore} />
        </div>
    }
}
