//! **Session**: signing in (the password is checked with `_session` and
//! then kept only in the `Couch` in memory; the database URL and user name
//! are stored so a reload shows "Signed out — sign in to sync"), signing
//! out (the team's settings, queue and checkpoints are forgotten here; the
//! next sign-in compares everything again, so nothing made in between is
//! lost), bringing back or dismissing a change that lost, and opening one
//! of the team's articles read from the server.

use std::rc::Rc;

use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::engine::{restart, set_status, set_status_in_dialog, wake, Shared};
use super::pull::run;
use super::queueing::QUEUEING;
use super::{Lost, SignIn};
use crate::core::storage as persist;
use crate::core::sync::doc;
use crate::core::sync::queue::{self, check_db_url, Config};
use crate::core::sync::Status;
use crate::core::{Action, ArticleId};
use crate::ui::context::Ctx;
use crate::web;
use crate::web::couch::{Couch, CouchError};

/// What signing in and out change: the engine and the hook's state.
#[derive(Clone)]
pub(super) struct Handles {
    pub(super) engine: Shared,
    pub(super) ctx: Ctx,
    pub(super) config: UseStateHandle<Option<Config>>,
    /// Signed in: the connection and whether its user is an `editor`.
    pub(super) signed: UseStateHandle<Option<(Couch, bool)>>,
    pub(super) lost: UseStateHandle<Rc<Vec<Lost>>>,
}

/// Check the address and credentials, then sign in with `_session`: on
/// success store the team's settings (never the password), take the
/// author's name for what is made here and start the session loop.
pub(super) fn sign_in(h: &Handles, req: SignIn) {
    let SignIn {
        url,
        user,
        password,
        done,
    } = req;
    let url = match check_db_url(&url) {
        Ok(u) => u,
        Err(why) => return done.emit(Err(format!("The database address is not right: {why}."))),
    };
    if user.trim().is_empty() || password.is_empty() {
        return done.emit(Err("Enter your user name and password.".into()));
    }
    let couch = Couch::new(&url, user.trim(), &password);
    let h = h.clone();
    set_status(&h.engine, Status::Connecting);
    spawn_local(async move {
        let Handles {
            engine,
            ctx,
            config,
            signed,
            ..
        } = h;
        let (dispatch, store) = (ctx.dispatch, ctx.session.store.clone());
        match couch.sign_in().await {
            Ok((name, roles)) => {
                let couch = couch.named(&name);
                let c = Config {
                    url: url.clone(),
                    user: name.clone(),
                };
                let _ = store.set(&queue::config_key(), &c.encode());
                QUEUEING.with(|q| q.set(true));
                config.set(Some(c));
                let editor = roles.iter().any(|r| r == "editor");
                signed.set(Some((couch.clone(), editor)));
                let gen = {
                    let gen = restart(&engine);
                    engine.borrow_mut().couch = Some(couch.clone());
                    engine.borrow_mut().shared_articles.clear();
                    gen
                };
                dispatch.dispatch(Action::SetAuthor {
                    author: Some(name.clone()),
                    now: web::now(),
                });
                engine
                    .borrow()
                    .say
                    .status(format!("Signed in to the team as {name}"));
                done.emit(Ok(()));
                spawn_local(run(engine, gen));
            }
            Err(err) => {
                let words = match &err {
                    CouchError::WrongPassword => Status::WrongPassword,
                    CouchError::NotMember => Status::NotMember,
                    CouchError::Unreachable(_) => Status::Failed {
                        why: "Server unreachable".into(),
                        retry_s: None,
                    },
                    other => Status::Failed {
                        why: format!("Team server: {other}"),
                        retry_s: None,
                    },
                };
                let message = match &err {
                    CouchError::WrongPassword => "Wrong password (or user name): the server did not accept them.".to_string(),
                    CouchError::NotMember => format!("You are not a member of this database: {name} may sign in to the server, but only the database's members may use it. Ask its admin to add you.", name = couch.user),
                    CouchError::Unreachable(_) => "Server unreachable: check the address and your connection (and that the server allows this site: see CORS in the README).".to_string(),
                    other => format!("Could not sign in: {other}."),
                };
                set_status_in_dialog(&engine, words);
                done.emit(Err(message));
            }
        }
    });
}

/// Stop syncing and forget the team here: the connection (and with it the
/// password), its settings, the queue and the checkpoints.
pub(super) fn sign_out(h: &Handles) {
    let Handles {
        engine,
        ctx,
        config,
        signed,
        lost,
    } = h;
    let store = &ctx.session.store;
    restart(engine);
    engine.borrow_mut().couch = None;
    engine.borrow_mut().lost.clear();
    wake(engine);
    // Forget the team here: its settings, the queue and the
    // checkpoints (the next sign-in compares everything again, so
    // nothing made in between is lost).
    let _ = store.remove(&queue::config_key());
    let _ = store.remove(&queue::queue_key());
    let prefix = queue::checkpoint_prefix();
    for k in store.keys().unwrap_or_default() {
        if k.starts_with(&prefix) {
            let _ = store.remove(&k);
        }
    }
    QUEUEING.with(|q| q.set(false));
    config.set(None);
    signed.set(None);
    lost.set(Rc::new(vec![]));
    ctx.dispatch.dispatch(Action::SetAuthor {
        author: None,
        now: web::now(),
    });
    set_status(engine, Status::Off);
    engine
        .borrow()
        .say
        .status("Signed out of the team; the password is forgotten");
}

/// Bring back lost change `i` as a new, undoable edit (its article must be
/// the open one, `open`).
pub(super) fn bring_back(engine: &Shared, ctx: &Ctx, open: &ArticleId, i: usize) {
    let (item, cb, all) = {
        let mut en = engine.borrow_mut();
        if i >= en.lost.len() {
            return;
        }
        if en.lost[i].article != *open {
            en.say
                .status("Open that article to bring your change back.");
            return;
        }
        let item = en.lost.remove(i);
        (item, en.set_lost.clone(), en.lost.clone())
    };
    ctx.dispatch.dispatch(Action::Reapply {
        annotation: item.annotation,
        label: "Your change brought back".into(),
        now: web::now(),
    });
    cb.emit(all);
}

/// Forget lost change `i`.
pub(super) fn dismiss(engine: &Shared, i: usize) {
    let (cb, all) = {
        let mut en = engine.borrow_mut();
        if i < en.lost.len() {
            en.lost.remove(i);
        }
        (en.set_lost.clone(), en.lost.clone())
    };
    cb.emit(all);
}

/// Open one of the team's articles: its document is read from the server
/// (checked: its id must be its text's) and opened as a file would be.
pub(super) fn open(engine: &Shared, ctx: &Ctx, id: ArticleId) {
    let couch = engine.borrow().couch.clone();
    let Some(couch) = couch else { return };
    let ctx = ctx.clone();
    spawn_local(async move {
        ctx.say.status("Opening the team's article…");
        let fetched = couch.get(&doc::article_doc_id(&id), None).await;
        let article = match fetched {
            Ok(Some(text)) => doc::read_article(&text, &id),
            Ok(None) => Err("the team's database has no such article".into()),
            Err(e) => Err(e.to_string()),
        };
        match article {
            Ok(a) => {
                let boot = persist::open(&*ctx.session.store, Rc::new(a), web::now());
                match super::super::opener::opened(&ctx.session, boot) {
                    Ok((restore, _, _)) => {
                        let title = match &restore {
                            Action::Restore { article, .. } => article.title.clone(),
                            _ => String::new(),
                        };
                        ctx.dispatch.dispatch(restore);
                        ctx.say.status(format!("Opened “{title}” from the team"));
                    }
                    Err(e) => ctx.say.error(e),
                }
            }
            Err(why) => ctx
                .say
                .error(format!("The team's article was not opened: {why}.")),
        }
    });
}
