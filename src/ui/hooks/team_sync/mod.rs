//! Team sync: the connection to a team's CouchDB database, pulling its
//! changes to the open article, and pushing what changes here. The pure
//! part (document format, merge decisions, queue, checkpoint, backoff,
//! status words) is `core::sync`, tested natively; this is the browser
//! part, one file per job:
//!
//! - [`queueing`]: the **queue** — every local change's id is queued in
//!   local storage by [`after_action`], in the same task it is saved in.
//! - [`session`]: signing in and out (the password lives in memory only),
//!   bringing back a change that lost, opening one of the team's articles.
//! - [`first_sync`]: sharing the article, the **first sync** (`_all_docs`
//!   by key range, in pages, with progress) or the catch-up from the
//!   **checkpoint**.
//! - [`pull`]: the session loop and the `_changes` **longpoll**, resolving
//!   revisions in conflict.
//! - [`incoming`]: what the server sends — checked like an import, decided
//!   by the merge rule, stored, shown; changes of this person that lost.
//! - [`push`]: the **pusher** — `_bulk_docs` batches over known revisions,
//!   conflicts decided again.
//! - [`refused`]: a refusal by the server's rules puts its version back
//!   and says why.
//! - [`engine`]: the shared state, the status (said when it is news) and
//!   **backoff** (1 s doubling to 60 s, jittered; at once on `online`).
//! - [`wire`]: the shapes of CouchDB's answers that are read.
//!
//! Every loop carries the generation it started in; signing in or out and
//! opening another article bump it, and loops of an older one stop.

mod engine;
mod first_sync;
mod incoming;
mod pull;
mod push;
mod queueing;
mod refused;
mod session;
mod wire;

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::use_latest;
use crate::core::sync::queue::{self, Config};
use crate::core::sync::Status;
use crate::core::{Action, ArticleId};
use crate::ui::app_state::{AppState, Observers};
use crate::ui::context::Ctx;
use crate::web;
use crate::web::couch::Couch;
use engine::{listen, restart, set_status, settled, Engine, Shared};
use pull::run;
use push::push_soon;
use queueing::{NUDGE, QUEUEING};
use session::Handles;

pub use crate::core::sync::plan::Lost;
use queueing::after_action;

/// What the team's parts of the UI get: where sync stands and what can be
/// done. Compared by value (it changes only with the status).
#[derive(Clone, PartialEq)]
pub struct Team {
    pub status: Status,
    /// The team as set up (for the dialog), whoever is signed in.
    pub config: Option<Config>,
    /// Signed in: the connection (its user name is `couch.user`).
    pub couch: Option<Couch>,
    pub editor: bool,
    pub lost: Rc<Vec<Lost>>,
    pub sign_in: Callback<SignIn>,
    pub sign_out: Callback<()>,
    /// Bring back lost change `i` (as a new edit), or dismiss it.
    pub bring_back: Callback<usize>,
    pub dismiss: Callback<usize>,
    /// Open one of the team's articles (read from the server).
    pub open: Callback<ArticleId>,
}

/// Signing in: a database URL, a name and a password as typed; the answer
/// (`Err`: why not, in words) goes to `done`.
#[derive(Clone)]
pub struct SignIn {
    pub url: String,
    pub user: String,
    pub password: String,
    pub done: Callback<Result<(), String>>,
}

/// The team connection for the workspace: signed in or not, its status,
/// and what the Team dialog, status line and Library use.
#[hook]
pub fn use_team_sync(ctx: &Ctx, state: &UseReducerHandle<AppState>, observers: &Observers) -> Team {
    let config = use_state(|| {
        Config::read(
            ctx.session
                .store
                .get(&queue::config_key())
                .ok()
                .flatten()
                .as_deref(),
        )
    });
    let status = use_state(|| Status::Off);
    let lost = use_state(|| Rc::new(Vec::<Lost>::new()));
    let signed = use_state(|| None::<(Couch, bool)>);
    let engine: Shared = {
        let observers = observers.clone();
        let (store, dispatch, say) = (
            ctx.session.store.clone(),
            ctx.dispatch.clone(),
            ctx.say.clone(),
        );
        let (set_status, set_lost) = (status.setter(), lost.setter());
        let shared = state.shared().clone();
        (*use_memo((), move |_| {
            // Queued in the same task as the save, after it.
            let queue_store = store.clone();
            observers.add(move |state| after_action(&*queue_store, &state.borrow()));
            Rc::new(RefCell::new(Engine::new(
                store,
                shared,
                dispatch,
                say,
                Callback::from(move |s| set_status.set(s)),
                Callback::from(move |l| set_lost.set(Rc::new(l))),
            )))
        }))
        .clone()
    };
    // A team set up in this browser: changes are queued even before signing in.
    {
        let (engine, configured) = (engine.clone(), config.is_some());
        use_effect_with(configured, move |&configured| {
            QUEUEING.with(|q| q.set(configured));
            let e = engine.clone();
            NUDGE.with(|n| *n.borrow_mut() = Some(Rc::new(move || push_soon(&e))));
            if configured && engine.borrow().couch.is_none() {
                let s = settled(&engine);
                set_status(&engine, s);
            } else if !configured {
                set_status(&engine, Status::Off);
            }
            move || NUDGE.with(|n| *n.borrow_mut() = None)
        });
    }
    // Another tab queued a change, or the browser is back online.
    {
        let engine = engine.clone();
        use_effect_with((), move |_| {
            let listeners = listen(&engine);
            move || drop(listeners)
        });
    }
    // Another article opened: follow that one.
    {
        let engine = engine.clone();
        let dispatch = ctx.dispatch.clone();
        let article = state.article().id.clone();
        use_effect_with(article, move |article| {
            let signed_in = engine.borrow().couch.clone();
            engine.borrow_mut().article = Some(article.clone());
            if let Some(couch) = signed_in {
                let gen = restart(&engine);
                engine.borrow_mut().article = Some(article.clone());
                dispatch.dispatch(Action::SetAuthor {
                    author: Some(couch.user.clone()),
                    now: web::now(),
                });
                spawn_local(run(engine.clone(), gen));
            }
        });
    }
    let handles = Handles {
        engine: engine.clone(),
        ctx: ctx.clone(),
        config: config.clone(),
        signed: signed.clone(),
        lost: lost.clone(),
    };
    let sign_in = {
        let h = handles.clone();
        use_latest(move |req: SignIn| session::sign_in(&h, req))
    };
    let sign_out = use_latest(move |_: ()| session::sign_out(&handles));
    let bring_back = {
        let (engine, ctx, state) = (engine.clone(), ctx.clone(), state.clone());
        use_latest(move |i: usize| {
            let open = state.get().article.id.clone();
            session::bring_back(&engine, &ctx, &open, i)
        })
    };
    let dismiss = {
        let engine = engine.clone();
        use_latest(move |i: usize| session::dismiss(&engine, i))
    };
    let open = {
        let (engine, ctx) = (engine.clone(), ctx.clone());
        use_latest(move |id: ArticleId| session::open(&engine, &ctx, id))
    };
    let (couch, editor) = match &*signed {
        Some((c, ed)) => (Some(c.clone()), *ed),
        None => (None, false),
    };
    Team {
        status: (*status).clone(),
        config: (*config).clone(),
        couch,
        editor,
        lost: (*lost).clone(),
        sign_in,
        sign_out,
        bring_back,
        dismiss,
        open,
    }
}
