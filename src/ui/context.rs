//! What every part of the workspace reaches without props: the session,
//! the reducer's dispatcher, the message channel and the dialog slot. All
//! four are stable for the life of the app, so the context never changes
//! and never re-renders its consumers.

use std::rc::Rc;

use yew::prelude::*;

use super::app_state::AppState;
use super::dialog::Dialog;
use super::messages::Messenger;
use super::session::Session;

#[derive(Clone)]
pub struct Ctx {
    pub session: Rc<Session>,
    pub dispatch: UseReducerDispatcher<AppState>,
    pub say: Messenger,
    /// Open a dialog (or close it with `None`).
    pub dialog: Callback<Option<Dialog>>,
}

impl PartialEq for Ctx {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.session, &other.session)
            && self.dispatch == other.dispatch
            && self.say == other.say
            && self.dialog == other.dialog
    }
}

/// The workspace's context.
#[hook]
pub fn use_ctx() -> Ctx {
    use_context::<Ctx>().expect("inside the workspace")
}
