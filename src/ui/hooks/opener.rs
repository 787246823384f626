//! Opening articles: a file, pasted text, the library, and new versions.
//!
//! An article opened from a file or paste continues its stored copy when
//! there is one (same text, same id). When it looks like a new version of a
//! stored article — the person said so, or the headline is the same and the
//! texts share enough wording ([`import::likeness`]) — the new-version dialog
//! offers to carry the annotations over; the safe choice (a separate
//! article) is its default. Otherwise it opens fresh.

use std::rc::Rc;

use yew::prelude::*;

use super::use_latest;
use crate::core::import::{self, NEW_VERSION_LIKENESS};
use crate::core::storage::{self, Boot, IndexEntry};
use crate::core::{parse, seed_article, words, Action, Annotation, Article, ArticleId};
use crate::ui::context::Ctx;
use crate::ui::dialog::Dialog;
use crate::ui::session::Session;
use crate::web;

/// What the new-version dialog answered.
#[derive(Clone, PartialEq)]
pub struct VersionChoice {
    pub article: Rc<Article>,
    pub old: IndexEntry,
    /// Carry the annotations over (else open it as a separate article).
    pub carry: bool,
}

/// The ways to open an article.
#[derive(Clone, PartialEq)]
pub struct Opener {
    pub file: Callback<web_sys::File>,
    /// Pasted text, and the stored article the person says it is a new version of.
    pub paste: Callback<(String, Option<ArticleId>)>,
    /// A library entry (or the bundled seed).
    pub stored: Callback<ArticleId>,
    pub version: Callback<VersionChoice>,
}

#[hook]
pub fn use_opener(ctx: &Ctx, current: &Rc<Article>) -> Opener {
    // Open an article as read from storage (or fresh), and say so.
    let go = {
        let ctx = ctx.clone();
        use_latest(move |boot: Boot| match opened(&ctx.session, boot) {
            Ok((restore, n, warning)) => {
                let title = match &restore {
                    Action::Restore { article, .. } => article.title.clone(),
                    _ => String::new(),
                };
                ctx.dispatch.dispatch(restore);
                ctx.say.status(match n {
                    0 => format!("Opened “{title}”"),
                    n => format!("Opened “{title}”, with its {}", words::annotations(n)),
                });
                if let Some(w) = warning {
                    ctx.say.error(w);
                }
            }
            Err(e) => ctx.say.error(e),
        })
    };
    let open_new = {
        let (ctx, go, current) = (ctx.clone(), go.clone(), current.clone());
        use_latest(
            move |(article, version_of): (Rc<Article>, Option<ArticleId>)| {
                if article.id == current.id {
                    // Reloading it from storage could drop a change not yet saved.
                    ctx.say
                        .status(format!("“{}” is already open", article.title));
                    return;
                }
                let store = &*ctx.session.store;
                let index = storage::read_index(store);
                if index.articles.iter().any(|e| e.id == article.id) {
                    go.emit(storage::open(store, article, web::now()));
                    return;
                }
                match new_version_of(store, &index.articles, &article, version_of.as_ref()) {
                    Some((old, likeness)) => ctx.dialog.emit(Some(Dialog::NewVersion {
                        article,
                        old,
                        likeness,
                    })),
                    None => go.emit(storage::open(store, article, web::now())),
                }
            },
        )
    };
    let version = {
        let (ctx, go) = (ctx.clone(), go.clone());
        use_latest(move |c: VersionChoice| {
            ctx.dialog.emit(None);
            let store = &*ctx.session.store;
            if !c.carry {
                go.emit(storage::open(store, c.article, web::now()));
                return;
            }
            carry_over(&ctx, c.article, &c.old, &go);
        })
    };
    let file = {
        let (ctx, open_new) = (ctx.clone(), open_new.clone());
        use_latest(move |file: web_sys::File| {
            let (name, label) = (file.name(), web::files::describe(&file));
            let (say, open_new) = (ctx.say.clone(), open_new.clone());
            web::files::read_file(file, parse::MAX_ARTICLE_BYTES, move |r| {
                let done = move |article: Result<Article, String>| match article {
                    Ok(a) => open_new.emit((Rc::new(a), None)),
                    Err(e) => say.error(format!(
                        "{label} was not opened: {e}. Nothing else changed."
                    )),
                };
                match r.and_then(|bytes| parse::decode_file(&name, &bytes)) {
                    Err(e) => done(Err(e)),
                    Ok(text) if text.kind == parse::Kind::Markdown => {
                        web::later::markdown(text, done)
                    }
                    Ok(text) => done(parse::article_from_text(text, |html, fallback| {
                        web::html::html_article(html, fallback, Some(name.clone()))
                    })),
                }
            });
        })
    };
    let paste = {
        let (ctx, open_new) = (ctx.clone(), open_new.clone());
        use_latest(move |(text, version_of): (String, Option<ArticleId>)| {
            let article = parse::article_from_paste(&text, |html, fallback| {
                web::html::html_article(html, fallback, None)
            });
            match article {
                Ok(a) => {
                    ctx.dialog.emit(None);
                    open_new.emit((Rc::new(a), version_of));
                }
                Err(e) => ctx
                    .say
                    .error(format!("The pasted text was not opened: {e}.")),
            }
        })
    };
    let stored = {
        let (ctx, go) = (ctx.clone(), go.clone());
        use_latest(move |id: ArticleId| {
            let store = &*ctx.session.store;
            // The record is read once, here; the bundled seed may not be stored yet.
            match storage::read_boot(store, &id) {
                Some(boot) => go.emit(boot),
                None => {
                    let seed = seed_article();
                    if id == seed.id {
                        go.emit(storage::open(store, Rc::new(seed), web::now()));
                    } else {
                        ctx.say.error(
                            "That article's saved copy could not be read; it was not opened.",
                        );
                    }
                }
            }
        })
    };
    Opener {
        file,
        paste,
        stored,
        version,
    }
}

/// The stored article `article` may be a new version of, with how much
/// wording they share: the one the person named, else one with the same
/// headline whose text `article` largely keeps.
fn new_version_of(
    store: &dyn crate::core::storage::Store,
    stored: &[IndexEntry],
    article: &Article,
    named: Option<&ArticleId>,
) -> Option<(IndexEntry, f32)> {
    let likeness_to = |e: &IndexEntry| {
        storage::read_stored(store, &e.id).map(|(old, _)| import::likeness(&old, article))
    };
    if let Some(id) = named {
        let e = stored.iter().find(|e| &e.id == id)?;
        return Some((e.clone(), likeness_to(e).unwrap_or(0.0)));
    }
    stored
        .iter()
        .filter(|e| e.title == article.title || e.display_name() == article.title)
        .filter_map(|e| Some((e.clone(), likeness_to(e)?)))
        .filter(|(_, l)| *l >= NEW_VERSION_LIKENESS)
        .max_by(|a, b| a.1.total_cmp(&b.1))
}

/// Open `article` and carry `old`'s annotations over onto it, as one
/// undoable step, and report what moved.
fn carry_over(ctx: &Ctx, article: Rc<Article>, old: &IndexEntry, go: &Callback<Boot>) {
    let store = &*ctx.session.store;
    let Some((_, old_annotations)) = storage::read_stored(store, &old.id) else {
        ctx.say.error(format!(
            "The annotations of “{}” could not be read, so none were carried over.",
            old.display_name()
        ));
        go.emit(storage::open(store, article, web::now()));
        return;
    };
    let now = web::now();
    let carried = import::carry_over(&old_annotations, &article, now);
    // The annotations are added only if the new version really opened.
    let (restore, _, warning) = match opened(&ctx.session, storage::open(store, article, now)) {
        Ok(opened) => opened,
        Err(e) => {
            ctx.say.error(e);
            return;
        }
    };
    ctx.dispatch.dispatch(restore);
    if let Some(w) = warning {
        ctx.say.error(w);
    }
    let report = format!(
        "Carried {} over from “{}”: {}.",
        words::annotations(carried.annotations.len()),
        old.display_name(),
        carried.report()
    );
    ctx.dispatch.dispatch(Action::Import {
        annotations: carried.annotations,
        label: format!("Carried annotations over from “{}”", old.display_name()),
        now,
    });
    // After the live region has said the import (the announcer speaks once
    // the change is drawn), so the full report is what stays said.
    let say = ctx.say.clone();
    gloo::timers::callback::Timeout::new(0, move || say.notice(report)).forget();
}

/// What opening a read record does: the `Restore` action, how many
/// annotations it opens with, and a warning to show. Refused when a newer
/// claimmark saved it: opening would write over it.
pub fn opened(session: &Session, boot: Boot) -> Result<(Action, usize, Option<String>), String> {
    if !boot.protected.is_empty() {
        session
            .protected
            .borrow_mut()
            .extend(boot.protected.iter().cloned());
        let why = boot
            .problems
            .iter()
            .find_map(|p| match p {
                storage::Problem::Corrupt { reason, .. } => Some(reason.clone()),
                _ => None,
            })
            .unwrap_or_else(|| "it was saved by a newer version of claimmark".into());
        return Err(format!(
            "“{}” was not opened: {why}. This version never writes over it; open it with the newer version, or download it from Backups in the Library.",
            boot.article.title
        ));
    }
    let n = boot.annotations.len();
    let warning = damage(&boot.problems, n);
    Ok((
        Action::Restore {
            article: boot.article,
            annotations: boot.annotations,
            tombstones: boot.tombstones,
        },
        n,
        warning,
    ))
}

/// What opening found damaged, in the words of what it is: the article's
/// saved copy (its text; the annotations live apart) or some of its saved
/// annotations — where the unreadable data is kept, and what opened.
fn damage(problems: &[storage::Problem], opened: usize) -> Option<String> {
    use storage::{parse_key, Key, Problem};
    let mut record = None;
    let mut chunks = Vec::new();
    for p in problems {
        match p {
            Problem::Storage(e) => return Some(format!("Saved work could not be loaded: {e}.")),
            Problem::Corrupt {
                key,
                backup_key,
                reason,
                ..
            } => match parse_key(key) {
                Key::Chunk(..) => chunks.push((backup_key.is_some(), reason.clone())),
                _ => record = Some((backup_key.is_some(), reason.clone())),
            },
        }
    }
    let kept = |copied: bool| {
        match copied {
        true => "kept as a backup in this browser (listed under Backups in the Library)",
        false => "left where it was, and copied to a backup before anything is written there (there is no room for the copy yet)",
    }
    };
    let mut said = Vec::new();
    if let Some((copied, reason)) = record {
        said.push(format!(
            "This article's saved copy could not be read ({reason}); it is {}, and the article is saved again from the text you opened.",
            kept(copied)
        ));
    }
    if let Some((copied, reason)) = chunks.first() {
        let some = match chunks.len() {
            1 => "Some of its saved annotations".to_string(),
            n => format!("Some of its saved annotations ({n} groups)"),
        };
        said.push(format!(
            "{some} could not be read ({reason}); they are {}.",
            kept(*copied)
        ));
    }
    if said.is_empty() {
        return None;
    }
    said.push(match (opened, chunks.is_empty()) {
        (0, true) => "It opened with no annotations.".into(),
        (n, true) => format!("It opened with its {}.", words::annotations(n)),
        (n, false) => format!(
            "It opened with the {} that could be read.",
            words::annotations(n)
        ),
    });
    Some(said.join(" "))
}

/// The annotations an opened record brings (for planning an import onto it).
pub fn annotations_of(restore: &Action) -> Vec<Rc<Annotation>> {
    match restore {
        Action::Restore { annotations, .. } => annotations
            .iter()
            .map(|(a, _)| Rc::new(a.clone()))
            .collect(),
        _ => vec![],
    }
}
