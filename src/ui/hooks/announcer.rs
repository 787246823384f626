//! Say what each change did: the reducer words every action it applies
//! (`State::announcement`), and this passes each one to the live region —
//! also when the words repeat, and after any other message.

use yew::prelude::*;

use crate::ui::app_state::AppState;
use crate::ui::messages::Messenger;

#[hook]
pub fn use_announcer(state: &UseReducerHandle<AppState>, say: &Messenger) {
    let first = use_mut_ref(|| state.announced);
    let (state, say) = (state.clone(), say.clone());
    use_effect_with(state.announced, move |&said| {
        // What loading said is not news.
        if said != *first.borrow() {
            let words = state.get().announcement.clone();
            if !words.is_empty() {
                say.status(words);
            }
        }
    });
}
