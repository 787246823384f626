//! The reducer's state as Yew holds it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use super::persistence::Autosave;
use crate::core::{Action, Article, State};

/// The one [`State`], shared rather than copied.
///
/// Yew's reducer hands back a new `Rc` per action, and copying a state of
/// 10,000 annotations (their list, their sync stamps, the undo history) on
/// every key press costs more than the change itself. So the state lives in
/// one `RefCell` that [`State::reduce`] (pure: ids and clocks arrive in the
/// action) changes in place, and each action produces a new thin handle whose
/// `revision`/`said`/`selected` tell Yew what changed. Only the reducer
/// writes to it; components read it during render.
///
/// The saver runs inside the reduction, right after the core reducer: what
/// an action changed is in local storage before the action returns (see
/// `ui::persistence`).
#[derive(Clone)]
pub struct AppState {
    shared: Rc<RefCell<State>>,
    saver: Autosave,
    /// The state's revision when this handle was made (bumped by every change
    /// to annotations), and the other values that tell renders apart.
    pub revision: u64,
    pub said: u64,
    /// Bumped whenever the current annotation (`selected`) changes.
    pub picked: u64,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
            && self.revision == other.revision
            && self.said == other.said
            && self.picked == other.picked
    }
}

impl AppState {
    pub fn new(state: State, saver: Autosave) -> AppState {
        AppState {
            saver,
            revision: state.revision,
            said: state.said,
            picked: 0,
            shared: Rc::new(RefCell::new(state)),
        }
    }

    /// Read the state.
    pub fn get(&self) -> std::cell::Ref<'_, State> {
        self.shared.borrow()
    }

    pub fn article(&self) -> Rc<Article> {
        self.shared.borrow().article.clone()
    }

    /// The shared state itself (for the saver, which outlives handles).
    pub fn shared(&self) -> &Rc<RefCell<State>> {
        &self.shared
    }
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let (revision, said, selected) = {
            let mut s = self.shared.borrow_mut();
            let before = s.selected.clone();
            s.reduce(action);
            (s.revision, s.said, s.selected != before)
        };
        // Saved in the same task, before anything is rendered.
        self.saver.after(&self.shared);
        if revision == self.revision && said == self.said && !selected {
            // Nothing a render shows changed: no re-render.
            return self;
        }
        Rc::new(AppState {
            shared: self.shared.clone(),
            saver: self.saver.clone(),
            revision,
            said,
            picked: self.picked + u64::from(selected),
        })
    }
}
