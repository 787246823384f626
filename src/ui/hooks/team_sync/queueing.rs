//! The **queue**: every local action's changed ids (`State::touched`) go
//! into the outgoing queue in local storage from [`after_action`], which
//! runs after each action right after saving (both observe the reducer) — so a change
//! is queued in the same task it is saved in, in any tab of the browser —
//! and this tab's pusher is nudged.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::{closure::Closure, JsCast};

use crate::core::storage::Store;
use crate::core::sync::queue::{self, Queue};
use crate::core::State;

thread_local! {
    /// Whether a team is set up in this browser (so changes are queued).
    pub(super) static QUEUEING: Cell<bool> = const { Cell::new(false) };
    /// Wakes the pusher of this tab after a change is queued.
    pub(super) static NUDGE: RefCell<Option<Rc<dyn Fn()>>> = const { RefCell::new(None) };
}

/// Queue what the last action changed here (run after each action, after
/// saving). Nothing happens without a team.
pub fn after_action(store: &dyn Store, state: &State) {
    if !QUEUEING.with(Cell::get) || state.touched().is_empty() {
        return;
    }
    let key = queue::queue_key();
    let mut q = Queue::read(store.get(&key).ok().flatten().as_deref());
    if q.add(&state.article.id, state.touched()) {
        let _ = store.set(&key, &q.encode());
    }
    if let Some(f) = NUDGE.with(|n| n.borrow().clone()) {
        // After the reduction: the pusher reads the state this one is writing.
        let cb = Closure::once_into_js(move || f());
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback(cb.unchecked_ref());
        }
    }
}
