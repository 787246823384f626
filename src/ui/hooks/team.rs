//! The team in the workspace: the one hook that owns the [`TeamClient`]
//! and subscribes to what it reports — the status and the session become
//! state, versions from the team become reducer actions, words go to the
//! message channel. The client runs after every action as an observer (its
//! queue is written in the same task as the save) and follows the open
//! article.

use std::collections::HashSet;
use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::opener::opened;
use super::use_latest;
use crate::core::storage::{self, read_index};
use crate::core::sync::queue::Config;
use crate::core::sync::{Lost, Status};
use crate::core::{Action, ArticleId};
use crate::team::{Member, Report, TeamArticles, TeamClient};
use crate::ui::app_state::{AppState, Observers};
use crate::ui::context::Ctx;
use crate::web;

/// The team's alerts that the client takes back when their trouble is over.
const TEAM_ALERT: &str = "Team: ";

/// What the team's parts of the interface get: where sync stands and what
/// can be done. Compared by value (it changes with what it shows).
#[derive(Clone, PartialEq)]
pub struct Team {
    pub status: Status,
    /// The team as set up here (for the dialog), whoever is signed in.
    pub config: Option<Config>,
    /// Signed in: who, where.
    pub member: Option<Member>,
    pub lost: Rc<Vec<Lost>>,
    /// The team's articles not stored here, as last read (`None`: not yet).
    pub articles: Option<Rc<TeamArticles>>,
    pub sign_in: Callback<SignIn>,
    pub sign_out: Callback<()>,
    /// Bring back lost change `i` (as a new edit), or dismiss it.
    pub bring_back: Callback<usize>,
    pub dismiss: Callback<usize>,
    /// Read the team's articles again.
    pub list: Callback<()>,
    /// Open one of the team's articles (read from the server).
    pub open: Callback<ArticleId>,
    /// Remove one of the team's articles (editors).
    pub remove: Callback<ArticleId>,
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

/// The articles here — stored, and the one open — which the team's list
/// leaves out.
fn here(ctx: &Ctx, state: &UseReducerHandle<AppState>) -> HashSet<ArticleId> {
    let mut ids: HashSet<ArticleId> = read_index(&*ctx.session.store)
        .articles
        .into_iter()
        .map(|e| e.id)
        .collect();
    ids.insert(state.get().article.id.clone());
    ids
}

#[hook]
pub fn use_team(ctx: &Ctx, state: &UseReducerHandle<AppState>, observers: &Observers) -> Team {
    let status = use_state(|| Status::Off);
    let member = use_state(|| None::<Member>);
    let lost = use_state(|| Rc::new(Vec::<Lost>::new()));
    let articles = use_state(|| None::<Rc<TeamArticles>>);
    let config = use_state(|| None::<Config>);
    let client: Rc<TeamClient> = {
        let (ctx, observers, shared) = (ctx.clone(), observers.clone(), state.shared().clone());
        let (set_status, set_member, set_lost, set_articles, set_config) = (
            status.setter(),
            member.setter(),
            lost.setter(),
            articles.setter(),
            config.setter(),
        );
        (*use_memo((), move |_| {
            let (store, say, dispatch) = (
                ctx.session.store.clone(),
                ctx.say.clone(),
                ctx.dispatch.clone(),
            );
            let report = move |r: Report| match r {
                Report::Status(s) => set_status.set(s),
                Report::SignedIn(m) => {
                    set_config.set(m.as_ref().map(|m| Config {
                        url: m.db.clone(),
                        user: m.user.clone(),
                    }));
                    if m.is_none() {
                        set_articles.set(None);
                    }
                    set_member.set(m);
                }
                Report::Author(author) => dispatch.dispatch(Action::SetAuthor {
                    author,
                    now: web::now(),
                }),
                Report::Say(s) => say.status(s),
                Report::Alert(s) => say.error(s),
                Report::ClearAlert => say.dismiss_error_starting(TEAM_ALERT),
                Report::Take { entries, announce } => dispatch.dispatch(Action::Adopt {
                    entries,
                    details: None,
                    announce,
                }),
                Report::Revert { entries, announce } => {
                    dispatch.dispatch(Action::Revert { entries, announce })
                }
                Report::Lost(l) => set_lost.set(Rc::new(l)),
                Report::Articles(a) => set_articles.set(Some(Rc::new(a))),
                Report::Open(article) => {
                    let boot = storage::open(&*ctx.session.store, article, web::now());
                    match opened(&ctx.session, boot) {
                        Ok((restore, _, _)) => {
                            let title = match &restore {
                                Action::Restore { article, .. } => article.title.clone(),
                                _ => String::new(),
                            };
                            dispatch.dispatch(restore);
                            say.status(format!("Opened “{title}” from the team"));
                        }
                        Err(e) => say.error(e),
                    }
                }
            };
            let client = TeamClient::new(store, shared, report);
            // Queued in the same task as the save, after it.
            let c = client.clone();
            observers.add(move |state| c.changed(&state.borrow()));
            client
        }))
        .clone()
    };
    // The team set up here before this page (read once).
    {
        let (client, config) = (client.clone(), config.clone());
        use_effect_with((), move |_| config.set(client.config()));
    }
    // Another article opened: follow that one.
    {
        let client = client.clone();
        use_effect_with(state.article().id.clone(), move |_| client.follow());
    }
    let sign_in = {
        let client = client.clone();
        use_latest(move |req: SignIn| {
            let client = client.clone();
            spawn_local(async move {
                let result = client.sign_in(&req.url, &req.user, &req.password).await;
                req.done.emit(result);
            });
        })
    };
    let sign_out = {
        let client = client.clone();
        use_latest(move |_: ()| client.sign_out())
    };
    let bring_back = {
        let (client, state, dispatch) = (client.clone(), state.clone(), ctx.dispatch.clone());
        use_latest(move |i: usize| {
            let open = state.get().article.id.clone();
            if let Some(annotation) = client.bring_back(i, &open) {
                dispatch.dispatch(Action::Reapply {
                    annotation,
                    label: "Your change brought back".into(),
                    now: web::now(),
                });
            }
        })
    };
    let dismiss = {
        let client = client.clone();
        use_latest(move |i: usize| client.dismiss(i))
    };
    let list = {
        let (client, ctx, state) = (client.clone(), ctx.clone(), state.clone());
        use_latest(move |_: ()| client.list(here(&ctx, &state)))
    };
    let open = {
        let client = client.clone();
        use_latest(move |id: ArticleId| client.open(id))
    };
    let remove = {
        let (client, ctx, state) = (client.clone(), ctx.clone(), state.clone());
        use_latest(move |id: ArticleId| client.remove(id, here(&ctx, &state)))
    };
    Team {
        status: (*status).clone(),
        config: (*config).clone(),
        member: (*member).clone(),
        lost: (*lost).clone(),
        articles: (*articles).clone(),
        sign_in,
        sign_out,
        bring_back,
        dismiss,
        list,
        open,
        remove,
    }
}
