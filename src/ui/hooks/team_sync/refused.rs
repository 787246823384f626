//! **Refusals**: a change the server refused (`forbidden`, `unauthorized`:
//! the database's `validate_doc_update`) is not retried; the server's
//! version is put back here whatever the merge rule says, and the person
//! is told why.

use std::rc::Rc;

use crate::core::storage as persist;
use crate::core::storage::merge::Entry;
use crate::core::{Action, AnnotationId, Article};
use crate::web::couch::{Couch, CouchError};

use super::engine::Shared;
use super::incoming::short;
use super::push::lookup;

/// The server refused these changes: put its versions back here (whatever
/// the merge rule says) and say why.
pub(super) async fn refuse(
    e: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    refused: Vec<(AnnotationId, Entry, String)>,
) -> Result<(), CouchError> {
    let ids: Vec<AnnotationId> = refused.iter().map(|r| r.0.clone()).collect();
    let found = lookup(couch, article, &ids).await?;
    let mut back = Vec::new();
    let mut lines = Vec::new();
    for (id, mine, why) in refused {
        let what = mine
            .annotation
            .as_ref()
            .map(|a| format!("“{}”", short(&a.quote.exact)))
            .unwrap_or_else(|| "an annotation".into());
        match found.get(&id) {
            Some(r) => {
                lines.push(format!(
                    "your change to {what} ({why}); the team's version is back"
                ));
                back.push(r.entry.clone());
            }
            None => lines.push(format!(
                "{what} could not be shared ({why}); it stays in this browser only"
            )),
        }
    }
    let (store, dispatch, say, is_open) = {
        let en = e.borrow();
        let is_open = en
            .shared
            .as_ref()
            .is_some_and(|s| s.borrow().article.id == article.id);
        (
            en.store.clone(),
            en.dispatch.clone(),
            en.say.clone(),
            is_open,
        )
    };
    let message = format!("The team's server refused {}.", lines.join("; "));
    if !back.is_empty() {
        let _ = persist::replace_versions(&*store, &article.id, &back);
        if is_open {
            dispatch.dispatch(Action::Revert {
                entries: back,
                said: message.clone(),
            });
        }
    }
    say.error(message);
    Ok(())
}
