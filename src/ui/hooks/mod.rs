//! Custom hooks, one job each, so "what happens when I press f" is one file:
//!
//! - [`highlighter`]: painting highlights, following the viewport, and what
//!   a click or hover on the article hits;
//! - [`selection`]: the selection waiting to be tagged, the keyboard word
//!   cursor, and tagging it;
//! - [`shortcuts`]: the keys that work anywhere outside fields and dialogs;
//! - [`opener`]: opening articles (file, paste, library, new versions);
//! - [`importer`]: importing a file of annotations;
//! - [`announcer`]: saying what each change did;
//! - [`actions`]: what the panel's items and a click on the article do;
//! - [`media`]: whether a media query matches (the phone layout);
//! - [`library_index`]: the library's search index, built once and kept
//!   current (Search all, links' other ends, "checked before");
//! - [`navigate`]: going to an annotation anywhere in the library (a search
//!   result, a link, a fact checked before), and the Link dialog;
//! - [`team`]: the team client, its reports turned into state, actions
//!   and messages.
//!
//! Hooks that belong to one component live beside it: saving, other tabs
//! and crash recovery in `ui::persistence` (`use_autosave`, `use_other_tabs`,
//! `use_paint_record`, `use_recovered`), printing in `ui::print`, dialogs'
//! focus in `ui::dialog`, the context and messages in `ui::context` and
//! `ui::messages`.

pub mod actions;
pub mod announcer;
pub mod highlighter;
pub mod importer;
pub mod library_index;
pub mod media;
pub mod navigate;
pub mod opener;
pub mod selection;
pub mod shortcuts;
pub mod team;

use std::rc::Rc;

use yew::prelude::*;

/// A callback that stays the same object across renders and calls the
/// closure of the latest render. Props that hold it then compare equal, so
/// the article's blocks and the panel's items are not re-rendered just
/// because the parent was, and listeners installed once see current values.
#[hook]
pub fn use_latest<IN: 'static>(f: impl Fn(IN) + 'static) -> Callback<IN> {
    let slot = use_mut_ref(|| None::<Rc<dyn Fn(IN)>>);
    *slot.borrow_mut() = Some(Rc::new(f));
    let stable = use_memo((), move |_| {
        Callback::from(move |x: IN| {
            let f = slot.borrow().clone();
            if let Some(f) = f {
                f(x);
            }
        })
    });
    (*stable).clone()
}
