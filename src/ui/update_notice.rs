//! "A new version is ready — Reload": the in-app notice of a waiting release.
//!
//! The service worker never switches releases under the person's hands: a
//! new one installs and waits (see `assets/offline.js`, which registers the
//! worker). That script sets `window.claimmarkUpdate = "ready"` and fires
//! `claimmark:update-ready` on `window`; this component shows the notice and,
//! when the person chooses Reload, fires `claimmark:update-apply`, upon which
//! the script lets the waiting worker take over and reloads the page — a
//! normal navigation, so the app's save on `pagehide` runs first and no edit
//! is lost. "Later" hides the notice; the new release then starts on the next
//! visit after every claimmark tab has closed.
//!
//! The polite live region around it is always in the DOM (empty until
//! needed), so screen readers announce the notice when it appears; the
//! notice itself is `role="status"` only while shown, so the app's own status
//! region stays the page's only one the rest of the time.

use gloo::events::EventListener;
use yew::prelude::*;

/// The event `assets/offline.js` fires when a new release is waiting.
pub const READY_EVENT: &str = "claimmark:update-ready";
/// The event this component fires when the person chooses Reload.
pub const APPLY_EVENT: &str = "claimmark:update-apply";

/// Whether a new release was already waiting before this component mounted
/// (the script may find it before the wasm app has started).
fn already_ready() -> bool {
    js_sys::Reflect::get(&gloo::utils::window(), &"claimmarkUpdate".into())
        .ok()
        .and_then(|v| v.as_string())
        .is_some_and(|v| v == "ready")
}

/// The notice; self-contained, mounted once at the end of the app.
#[function_component(UpdateNotice)]
pub fn update_notice() -> Html {
    let ready = use_state(already_ready);
    let dismissed = use_state(|| false);
    {
        let ready = ready.clone();
        use_effect_with((), move |_| {
            let listener = EventListener::new(&gloo::utils::window(), READY_EVENT, move |_| {
                ready.set(true)
            });
            move || drop(listener)
        });
    }
    let reload = Callback::from(|_: MouseEvent| {
        if let Ok(event) = web_sys::Event::new(APPLY_EVENT) {
            let _ = gloo::utils::window().dispatch_event(&event);
        }
    });
    let later = {
        let dismissed = dismissed.clone();
        Callback::from(move |_: MouseEvent| {
            dismissed.set(true);
            // The button goes with the notice: focus goes on to the article.
            crate::web::dom::focus_id("article");
        })
    };
    html! {
        <div class="update-notice" aria-live="polite">
            if *ready && !*dismissed {
                <div class="notice" role="status">
                    <p>{ "A new version of claimmark is ready." }</p>
                    <button type="button" onclick={reload}>{ "Reload" }</button>
                    <button type="button" onclick={later}>{ "Later" }</button>
                </div>
            }
        </div>
    }
}
