//! [`TeamClient`]: the one object the app holds for team sync. Its API is
//! small — sign in and out, follow the open article, take a change made
//! here, bring back or dismiss a change that lost, list, open or remove
//! the team's articles — and everything it has to say comes back as
//! [`Report`]s through the function it was made with.
//!
//! Inside, two tasks run while someone is signed in: the session for the
//! open article (`pull`) and the pusher (`push`). Each is abortable:
//! signing out stops both, opening another article restarts the session.

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use futures::channel::mpsc;
use futures::future::{AbortHandle, Abortable};
use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use super::inner::Shared;
use super::report::Report;
use super::{articles, pull, push};
use crate::core::storage::Store;
use crate::core::sync::queue::{self, check_db_url, Config};
use crate::core::{Annotation, ArticleId, State};
use crate::web::couch::{Couch, CouchError};

#[derive(Default)]
struct Tasks {
    puller: Option<AbortHandle>,
    pusher: Option<AbortHandle>,
    listing: Option<AbortHandle>,
}

/// Team sync through a CouchDB database (see the module docs of `team`).
pub struct TeamClient {
    team: Shared,
    tasks: RefCell<Tasks>,
    _listeners: Vec<EventListener>,
}

fn spawn(task: impl std::future::Future<Output = ()> + 'static) -> AbortHandle {
    let (handle, registration) = AbortHandle::new_pair();
    spawn_local(async move {
        let _ = Abortable::new(task, registration).await;
    });
    handle
}

fn stop(slot: &mut Option<AbortHandle>) {
    if let Some(h) = slot.take() {
        h.abort();
    }
}

impl TeamClient {
    /// A client for the workspace's `state`, signed out; `report` hears
    /// everything it has to tell. It listens to the browser while it lives:
    /// another tab queued a change (`storage`), the network came back
    /// (`online`: waits end, the pusher starts) or went (`offline`).
    pub fn new(
        store: Rc<dyn Store>,
        state: Rc<RefCell<State>>,
        report: impl Fn(Report) + 'static,
    ) -> Rc<TeamClient> {
        let team = Shared::new(store, state, Rc::new(report));
        let window = gloo::utils::window();
        let t1 = team.clone();
        let storage = EventListener::new(&window, "storage", move |ev| {
            let key = ev.dyn_ref::<web_sys::StorageEvent>().and_then(|s| s.key());
            if key.as_deref() == Some(queue::queue_key().as_str()) {
                t1.recount();
                t1.nudge();
            }
        });
        let t2 = team.clone();
        let online = EventListener::new(&window, "online", move |_| {
            t2.wake();
            t2.nudge();
        });
        let t3 = team.clone();
        let offline = EventListener::new(&window, "offline", move |_| t3.offline());
        team.refresh();
        Rc::new(TeamClient {
            team,
            tasks: RefCell::new(Tasks::default()),
            _listeners: vec![storage, online, offline],
        })
    }

    /// The team set up in this browser, whoever is signed in.
    pub fn config(&self) -> Option<Config> {
        self.team.config()
    }

    /// Check the address and credentials, then sign in with `_session`: on
    /// success keep the team's settings (never the password), name what is
    /// made here after the user, and start syncing the open article.
    /// `Err`: why not, in words for the Team dialog.
    pub async fn sign_in(&self, url: &str, user: &str, password: &str) -> Result<(), String> {
        let url = check_db_url(url)
            .map_err(|why| format!("The database address is not right: {why}."))?;
        if user.trim().is_empty() || password.is_empty() {
            return Err("Enter your user name and password.".into());
        }
        let couch = Couch::new(&url, user.trim(), password);
        self.team.connecting();
        match couch.sign_in().await {
            Ok((name, roles)) => {
                self.stop_all();
                let couch = couch.named(&name);
                self.team.set_config(Some(Config {
                    url,
                    user: name.clone(),
                }));
                self.team
                    .signed_in(couch, roles.iter().any(|r| r == "editor"));
                self.team
                    .report(Report::Say(format!("Signed in to the team as {name}")));
                self.start_pusher();
                self.start_pulling();
                Ok(())
            }
            Err(err) => {
                self.team.sign_in_failed(&err);
                Err(match &err {
                    CouchError::WrongPassword => "Wrong password (or user name): the server did not accept them.".to_string(),
                    CouchError::NotMember => format!("You are not a member of this database: {} may sign in to the server, but only the database's members may use it. Ask its admin to add you.", couch.user),
                    CouchError::Unreachable(_) => {
                        let origin = web_sys::window()
                            .and_then(|w| w.location().origin().ok())
                            .unwrap_or_else(|| "this site".into());
                        format!("Server unreachable: check the address and your connection. If both are right, the server may not let this site in: ask the person who runs it to allow {origin} to use the database (its CORS settings).")
                    }
                    other => format!("Could not sign in: {other}."),
                })
            }
        }
    }

    /// Stop syncing and forget the team here: the connection (and with it
    /// the password), its settings, the queue, the checkpoints.
    pub fn sign_out(&self) {
        self.stop_all();
        self.team.set_nudge(None);
        self.team.cancel_poll();
        self.team.signed_out();
        self.team.forget();
        self.team.report(Report::Author(None));
        self.team.report(Report::Say(
            "Signed out of the team; the password is forgotten".into(),
        ));
    }

    /// The workspace opened another article: follow that one.
    pub fn follow(&self) {
        if self.team.couch().is_some() {
            self.start_pulling();
        }
    }

    /// After each action (an observer of the reducer, after saving): queue
    /// what it changed here, in the same task, and wake the pusher.
    /// Nothing happens without a team.
    pub fn changed(&self, state: &State) {
        if state.touched().is_empty() || self.team.config().is_none() {
            return;
        }
        let mut q = self.team.queue();
        if q.add(&state.article.id, state.touched()) {
            let _ = self.team.store().set(&queue::queue_key(), &q.encode());
        }
        // After the reduction: the status and the pusher read the state
        // this one is still writing.
        let team = self.team.clone();
        spawn_local(async move {
            team.recount();
            team.nudge();
        });
    }

    /// Bring back lost change `i` — its annotation, to re-apply as a new,
    /// undoable edit — when its article is `open`.
    pub fn bring_back(&self, i: usize, open: &ArticleId) -> Option<Annotation> {
        if self.team.lost(i)?.article != *open {
            self.team.report(Report::Say(
                "Open that article to bring your change back.".into(),
            ));
            return None;
        }
        self.team.take_lost(i).map(|l| l.annotation)
    }

    /// Forget lost change `i`.
    pub fn dismiss(&self, i: usize) {
        self.team.take_lost(i);
    }

    /// Read the team's articles (those not in `except`, stored here, are
    /// left out) and check each; reported as [`Report::Articles`].
    pub fn list(&self, except: HashSet<ArticleId>) {
        let Some(couch) = self.team.couch() else {
            return;
        };
        let team = self.team.clone();
        let mut tasks = self.tasks.borrow_mut();
        stop(&mut tasks.listing);
        tasks.listing = Some(spawn(
            async move { articles::list(&team, &couch, except).await },
        ));
    }

    /// Open one of the team's articles (read from the server, checked).
    pub fn open(&self, id: ArticleId) {
        let Some(couch) = self.team.couch() else {
            return;
        };
        let team = self.team.clone();
        spawn_local(async move { articles::open(&team, &couch, &id).await });
    }

    /// Remove one of the team's articles (editors), then list again.
    pub fn remove(&self, id: ArticleId, except: HashSet<ArticleId>) {
        let Some(couch) = self.team.couch() else {
            return;
        };
        let team = self.team.clone();
        let mut tasks = self.tasks.borrow_mut();
        stop(&mut tasks.listing);
        tasks.listing = Some(spawn(async move {
            articles::remove(&team, &couch, &id, except).await
        }));
    }

    fn stop_all(&self) {
        let mut tasks = self.tasks.borrow_mut();
        stop(&mut tasks.puller);
        stop(&mut tasks.pusher);
        stop(&mut tasks.listing);
    }

    fn start_pusher(&self) {
        let (tx, rx) = mpsc::unbounded();
        self.team.set_nudge(Some(tx));
        let task = spawn(push::run(self.team.clone(), rx));
        stop(&mut self.tasks.borrow_mut().pusher);
        self.tasks.borrow_mut().pusher = Some(task);
    }

    /// (Re)start pulling the open article's annotations (and following its changes).
    fn start_pulling(&self) {
        stop(&mut self.tasks.borrow_mut().puller);
        let article = self.team.open_article();
        self.team.follow(&article.id);
        if let Some(couch) = self.team.couch() {
            // Annotations of this article without an author are claimed.
            self.team.report(Report::Author(Some(couch.user.clone())));
        }
        let task = spawn(pull::run(self.team.clone(), article));
        self.tasks.borrow_mut().puller = Some(task);
    }
}

impl Drop for TeamClient {
    fn drop(&mut self) {
        self.stop_all();
        self.team.cancel_poll();
    }
}
