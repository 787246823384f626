//! Importing a file of annotations: read it, show the plan in the import
//! dialog, and apply the person's choice as one undoable step.

use std::collections::BTreeMap;
use std::rc::Rc;

use yew::prelude::*;

use super::opener::{annotations_of, opened};
use super::use_latest;
use crate::core::formats::{self, Parsed};
use crate::core::import::{self, Plan};
use crate::core::storage;
use crate::core::{words, Action, Tag};
use crate::ui::context::Ctx;
use crate::ui::dialog::Dialog;
use crate::web;

/// What the person chose in the import dialog.
#[derive(Clone, Debug, PartialEq)]
pub enum ImportChoice {
    /// Add the planned annotations to the open article.
    Here(Rc<Plan>),
    /// Open the file's own article (continuing it if stored) and add them
    /// there, with this mapping of unknown tags.
    OpenFileArticle(BTreeMap<String, Option<Tag>>),
}

#[derive(Clone, PartialEq)]
pub struct Importer {
    /// A file chosen or dropped: read it and show the import dialog.
    pub file: Callback<web_sys::File>,
    /// The dialog's answer, with the file it was about.
    pub confirm: Callback<(Rc<Parsed>, ImportChoice)>,
}

#[hook]
pub fn use_importer(ctx: &Ctx) -> Importer {
    let file = {
        let ctx = ctx.clone();
        use_latest(move |file: web_sys::File| {
            let name = web::files::describe(&file);
            let ctx = ctx.clone();
            web::files::read_file(file, formats::MAX_IMPORT_BYTES, move |r| {
                match r.and_then(|bytes| formats::read_owned(bytes).map_err(|e| e.to_string())) {
                    Ok(parsed) => ctx.dialog.emit(Some(Dialog::Import {
                        file: name,
                        parsed: Rc::new(parsed),
                    })),
                    Err(e) => ctx.say.error(format!(
                        "Nothing was imported from {name}: {e}. Your annotations are unchanged."
                    )),
                }
            });
        })
    };
    let confirm = {
        let ctx = ctx.clone();
        use_latest(move |(parsed, choice): (Rc<Parsed>, ImportChoice)| {
            ctx.dialog.emit(None);
            let now = web::now();
            match choice {
                ImportChoice::Here(plan) => {
                    ctx.dispatch.dispatch(Action::Import {
                        label: format!("Imported {}", words::annotations(plan.add.len())),
                        annotations: plan.add.clone(),
                        now,
                    });
                }
                ImportChoice::OpenFileArticle(mapping) => {
                    let Some(article) = parsed.article.as_ref().and_then(|a| a.build()) else {
                        ctx.say.error(
                            "Nothing was imported: the file's article does not match its own id or blocks (the file was changed by hand?).",
                        );
                        return;
                    };
                    let store = &*ctx.session.store;
                    match opened(&ctx.session, storage::open(store, Rc::new(article), now)) {
                        Ok((restore, _, warning)) => {
                            let Action::Restore {
                                article: target, ..
                            } = &restore
                            else {
                                return;
                            };
                            let (target, existing) = (target.clone(), annotations_of(&restore));
                            ctx.dispatch.dispatch(restore);
                            let plan = import::plan(
                                &parsed,
                                &target,
                                &existing,
                                &mapping,
                                now,
                                &mut web::new_id,
                            );
                            ctx.dispatch.dispatch(Action::Import {
                                label: format!("Imported {}", words::annotations(plan.add.len())),
                                annotations: plan.add,
                                now,
                            });
                            if let Some(w) = warning {
                                ctx.say.error(w);
                            }
                        }
                        Err(e) => ctx.say.error(e),
                    }
                }
            }
        })
    };
    Importer { file, confirm }
}
