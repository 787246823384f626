//! The reducer's state as Yew holds it.

use std::cell::RefCell;
use std::rc::Rc;

use yew::prelude::*;

use crate::core::{Action, Article, State};

/// What runs after each action, in the same task and before anything is
/// rendered: saving, then queueing for the team. The workspace registers
/// them (`Observers::add`); the reducer only calls them in order and knows
/// nothing of what they do.
#[derive(Clone, Default)]
pub struct Observers(Rc<RefCell<Vec<Observer>>>);

/// One of the [`Observers`]: given the state after the action.
type Observer = Rc<dyn Fn(&Rc<RefCell<State>>)>;

impl Observers {
    /// Run `f` after every action from now on (after those added before).
    pub fn add(&self, f: impl Fn(&Rc<RefCell<State>>) + 'static) {
        self.0.borrow_mut().push(Rc::new(f));
    }

    fn notify(&self, state: &Rc<RefCell<State>>) {
        // A copy: an observer may add another while running.
        let all = self.0.borrow().clone();
        for f in all {
            f(state);
        }
    }
}

/// The one [`State`], shared rather than copied.
///
/// Yew's reducer hands back a new `Rc` per action, and copying a state of
/// 10,000 annotations (their list, their sync stamps, the undo history) on
/// every key press costs more than the change itself. So the state lives in
/// one `RefCell` that [`State::reduce`] (pure: ids and clocks arrive in the
/// action) changes in place, and each action produces a new thin handle whose
/// `revision`/`announced`/`selected` tell Yew what changed. Only the reducer
/// writes to it; components read it during render.
///
/// The [`Observers`] run inside the reduction, right after the core
/// reducer: what an action changed is in local storage (and queued for the
/// team) before the action returns (see `ui::persistence`).
#[derive(Clone)]
pub struct AppState {
    shared: Rc<RefCell<State>>,
    observers: Observers,
    /// The state's revision when this handle was made (bumped by every change
    /// to annotations), and the other values that tell renders apart.
    pub revision: u64,
    pub announced: u64,
    /// Bumped whenever the current annotation (`selected`) changes.
    pub picked: u64,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.shared, &other.shared)
            && self.revision == other.revision
            && self.announced == other.announced
            && self.picked == other.picked
    }
}

impl AppState {
    pub fn new(state: State, observers: Observers) -> AppState {
        AppState {
            observers,
            revision: state.revision,
            announced: state.announced,
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

    /// The shared state itself (for observers, which outlive handles).
    pub fn shared(&self) -> &Rc<RefCell<State>> {
        &self.shared
    }
}

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let (revision, announced, selected) = {
            let mut s = self.shared.borrow_mut();
            let before = s.selected.clone();
            s.reduce(action);
            (s.revision, s.announced, s.selected != before)
        };
        // Saved (and queued) in the same task, before anything is rendered.
        self.observers.notify(&self.shared);
        if revision == self.revision && announced == self.announced && !selected {
            // Nothing a render shows changed: no re-render.
            return self;
        }
        Rc::new(AppState {
            shared: self.shared.clone(),
            observers: self.observers.clone(),
            revision,
            announced,
            picked: self.picked + u64::from(selected),
        })
    }
}
