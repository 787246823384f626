//! The Yew UI: one reducer over [`State`], small components fed with data and
//! `on_*` callbacks. Browser work (selection, ids, clock) goes through
//! [`crate::web`].

pub mod article_view;
pub mod library;
pub mod panel;
pub mod persistence;
pub mod transfer;
pub mod update_notice;

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use web_sys::{Element, KeyboardEvent};
use yew::prelude::*;

use crate::core::formats::{self, Parsed};
use crate::core::import as importer;
use crate::core::parse;
use crate::core::persist::{self, Boot};
use crate::core::selection::{refine, word_after, word_before};
use crate::core::store::{MemoryStore, Store, StoreError};
use crate::core::{
    seed_article, segments, Action, Annotation, AnnotationId, Article, ArticleId, Span, State, Tag,
};
use crate::web::{self, dom, highlight, storage};
use article_view::{ArticleRef, ArticleView};
use library::{Library, PasteDialog, VersionDialog};
use panel::{AnnList, FieldEdit, Panel};
use transfer::{ExportMenu, ImportChoice, ImportDialog, Message};

/// Mount the app on `<body>`.
pub fn start() {
    web::mark("claimmark:start");
    let session = Session::from_browser();
    web::mark("claimmark:loaded");
    let props = AppProps {
        article: None,
        session: Some(SessionRef(Rc::new(session))),
        force_spans: false,
    };
    yew::Renderer::<App>::with_props(props).render();
}

/// Where the app keeps its work, and what loading it found.
pub struct Session {
    pub store: Rc<dyn Store>,
    pub article: Rc<Article>,
    /// The loaded annotations and tombstones, taken once by the app's state
    /// (so the session does not hold a second copy of 10,000 annotations).
    initial: RefCell<Option<Loaded>>,
    pub problems: Vec<persist::Problem>,
    /// Keys not to write this session (see [`persist::Boot::protected`]);
    /// grows when an article opened later has an unreadable record.
    pub protected: RefCell<Vec<String>>,
    /// Why local storage could not be used (the store is then in memory).
    pub storage_problem: Option<StoreError>,
}

type Loaded = (
    Vec<(Annotation, crate::core::Timestamp)>,
    Vec<(AnnotationId, crate::core::Timestamp)>,
);

impl Session {
    fn new(store: Rc<dyn Store>, boot: Boot, storage_problem: Option<StoreError>) -> Session {
        Session {
            store,
            article: boot.article,
            initial: RefCell::new(Some((boot.annotations, boot.tombstones))),
            problems: boot.problems,
            protected: RefCell::new(boot.protected),
            storage_problem,
        }
    }

    /// Open local storage (or fall back to memory) and load the last article.
    pub fn from_browser() -> Session {
        let (store, storage_problem) = storage::open();
        let boot = persist::load(&*store, seed_article, web::now());
        Session::new(Rc::from(store), boot, storage_problem)
    }

    /// A session in memory on `article` (tests, and browsers without storage).
    pub fn in_memory(article: Rc<Article>) -> Session {
        let store: Rc<dyn Store> = Rc::new(MemoryStore::new());
        let boot = Boot {
            article,
            annotations: vec![],
            tombstones: vec![],
            problems: vec![],
            protected: vec![],
        };
        Session::new(store, boot, None)
    }

    fn take_initial(&self) -> Loaded {
        self.initial.borrow_mut().take().unwrap_or_default()
    }
}

/// A session compared by identity.
#[derive(Clone)]
pub struct SessionRef(pub Rc<Session>);

impl PartialEq for SessionRef {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The reducer's state as Yew sees it.
#[derive(Clone, PartialEq)]
pub struct AppState(pub State);

impl Reducible for AppState {
    type Action = Action;
    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        next.0.reduce(action);
        Rc::new(next)
    }
}

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// An article to open in memory (no storage); used by tests.
    #[prop_or_default]
    pub article: Option<Rc<Article>>,
    /// Storage and what was loaded from it; an in-memory seed session when `None`.
    #[prop_or_default]
    pub session: Option<SessionRef>,
    /// Draw highlights as `<mark>` runs even where the CSS Custom Highlight
    /// API exists (the fallback path, kept under test).
    #[prop_or_default]
    pub force_spans: bool,
}

/// A selection waiting to be tagged, and where to show the toolbar.
#[derive(Clone, Copy, PartialEq, Debug)]
struct Pending {
    span: Span,
    /// Page position in whole pixels (no float formatting in the bundle).
    top: i32,
    left: i32,
}

/// Annotations covering the clicked place, to choose from.
#[derive(Clone, PartialEq)]
struct Choice {
    ids: Vec<AnnotationId>,
    top: i32,
    left: i32,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session: Rc<Rc<Session>> = use_memo(
        (props.session.clone(), props.article.clone().map(ArticleRef)),
        |(session, article)| match (session, article) {
            (Some(s), _) => s.0.clone(),
            (None, Some(a)) => Rc::new(Session::in_memory(a.0.clone())),
            (None, None) => Rc::new(Session::in_memory(Rc::new(seed_article()))),
        },
    );
    let session: Rc<Session> = (*session).clone();
    let state = {
        let session = session.clone();
        use_reducer(move || {
            let (annotations, tombstones) = session.take_initial();
            let mut s = State::new(session.article.clone(), vec![]);
            s.reduce(Action::Restore {
                article: session.article.clone(),
                annotations,
                tombstones,
            });
            s.announcement.clear();
            AppState(s)
        })
    };
    let save_error = persistence::use_autosave(session.clone(), state.clone());
    let pending = use_state(|| None::<Pending>);
    let hovered = use_state(|| None::<AnnotationId>);
    let choice = use_state(|| None::<Choice>);
    let help_open = use_state(|| false);
    let hint = use_state(String::new);
    let article_ref = use_node_ref();
    let alt_held = use_mut_ref(|| false);

    let s = &state.0;
    let article = s.article.clone();
    // Paint with the CSS Custom Highlight API where the browser has it.
    let painter = {
        let force = props.force_spans;
        use_mut_ref(move || {
            if force {
                None
            } else {
                highlight::Painter::new()
            }
        })
    };
    let spans = painter.borrow().is_none();
    let segs = {
        let (article, st) = (article.clone(), state.clone());
        use_memo(
            (s.revision, ArticleRef(article.clone()), spans),
            move |_| {
                if !spans {
                    return Rc::new(Vec::new());
                }
                Rc::new(
                    segments(&article, st.0.annotations())
                        .into_iter()
                        .map(Rc::new)
                        .collect::<Vec<_>>(),
                )
            },
        )
    };
    let list = {
        // The list is copied once per revision, not on every render.
        let st = state.clone();
        use_memo(s.revision, move |_| {
            AnnList(Rc::new(st.0.annotations().to_vec()))
        })
    };

    // Mark readiness once the first paint with annotations is done.
    {
        let (painter, article_ref, list, article) = (
            painter.clone(),
            article_ref.clone(),
            (*list).clone(),
            article.clone(),
        );
        use_effect_with((s.revision, ArticleRef(article.clone())), move |_| {
            if let (Some(p), Some(root)) =
                (painter.borrow_mut().as_mut(), article_ref.cast::<Element>())
            {
                p.sync(&root, &article, &list.0);
            }
        });
    }
    {
        let painter = painter.clone();
        use_effect_with(
            (s.selected.clone(), (*hovered).clone(), s.revision),
            move |(sel, hov, _)| {
                if let Some(p) = painter.borrow().as_ref() {
                    p.set_selected(sel.as_ref());
                    p.set_hovered(hov.as_ref());
                }
            },
        );
    }

    // Highlights are painted near the viewport (see `Painter::paint_window`):
    // follow scrolling and resizing, and paint everything while printing.
    {
        let painter = painter.clone();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let on = |name: &'static str, f: fn(&mut highlight::Painter)| {
                let painter = painter.clone();
                let opts = EventListenerOptions {
                    passive: true,
                    ..Default::default()
                };
                EventListener::new_with_options(&win, name, opts, move |_| {
                    if let Some(p) = painter.borrow_mut().as_mut() {
                        f(p);
                    }
                })
            };
            let listeners = [
                on("scroll", |p| p.follow_viewport()),
                on("resize", |p| p.follow_viewport()),
                on("beforeprint", |p| p.paint_everything(true)),
                on("afterprint", |p| p.paint_everything(false)),
            ];
            move || drop(listeners)
        });
    }

    // Mark readiness once the stored annotations are painted (the effects
    // above run first).
    use_effect_with((), |_| {
        web::mark_ready();
    });

    // Track the DOM selection: any way of selecting (mouse, touch, keyboard).
    {
        let (pending, article_ref, alt_held, article) = (
            pending.clone(),
            article_ref.clone(),
            alt_held.clone(),
            article.clone(),
        );
        use_effect_with(ArticleRef(article.clone()), move |_| {
            let doc = gloo::utils::document();
            let alt_down = {
                let alt = alt_held.clone();
                EventListener::new(&doc, "pointerdown", move |e| {
                    if let Some(e) = e.dyn_ref::<web_sys::MouseEvent>() {
                        *alt.borrow_mut() = e.alt_key();
                    }
                })
            };
            let on_change = EventListener::new(&doc, "selectionchange", move |_| {
                let Some(root) = article_ref.cast::<Element>() else {
                    return;
                };
                let exact = *alt_held.borrow();
                let next = dom::selection_span(&root, &article)
                    .and_then(|raw| refine(&article, raw, exact))
                    .map(|span| {
                        let (top, left) = selection_anchor();
                        Pending { span, top, left }
                    });
                if *pending != next {
                    pending.set(next);
                }
            });
            move || drop((alt_down, on_change))
        });
    }

    // Tag the selection. Reads the live DOM selection: the `pending` state
    // follows `selectionchange`, which can lag behind fast typing.
    let create = {
        let (state, pending, hint) = (state.dispatcher(), pending.clone(), hint.clone());
        let (article, article_ref, alt_held) =
            (article.clone(), article_ref.clone(), alt_held.clone());
        // Stable and always current: the global key listener holds it.
        use_latest(move |tag: Tag| {
            let live = article_ref
                .cast::<Element>()
                .and_then(|root| dom::selection_span(&root, &article))
                .and_then(|raw| refine(&article, raw, *alt_held.borrow()));
            match live.or(pending.map(|p| p.span)) {
                Some(span) => {
                    let a = Annotation::new(web::new_id(), tag, &article, span, web::now());
                    state.dispatch(Action::Create(a));
                    dom::clear_selection();
                    pending.set(None);
                    hint.set(String::new());
                }
                None => hint.set("Select a passage in the article first.".into()),
            }
        })
    };

    // Keys that work anywhere outside text fields.
    let live = use_mut_ref(|| (None::<Pending>, false, false));
    *live.borrow_mut() = (*pending, *help_open, choice.is_some());
    {
        let (dispatch, create, help_open, choice, live, pending) = (
            state.dispatcher(),
            create.clone(),
            help_open.clone(),
            choice.clone(),
            live.clone(),
            pending.clone(),
        );
        use_effect_with((), move |_| {
            let doc = gloo::utils::document();
            let opts = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(&doc, "keydown", opts, move |e| {
                let Some(e) = e.dyn_ref::<KeyboardEvent>() else {
                    return;
                };
                let (has_pending, help, chooser) = {
                    let l = live.borrow();
                    (l.0.is_some(), l.1, l.2)
                };
                if e.key() == "Escape" {
                    if help {
                        help_open.set(false);
                    } else if chooser {
                        choice.set(None);
                    } else if has_pending {
                        dom::clear_selection();
                        pending.set(None);
                    }
                    return;
                }
                if in_text_field(e) {
                    return;
                }
                let ctrl = e.ctrl_key() || e.meta_key();
                let key = e.key();
                if ctrl && !e.alt_key() {
                    let lower = key.to_lowercase();
                    if lower == "z" && !e.shift_key() {
                        e.prevent_default();
                        dispatch.dispatch(Action::Undo { now: web::now() });
                    } else if (lower == "z" && e.shift_key()) || (lower == "y" && e.ctrl_key()) {
                        e.prevent_default();
                        dispatch.dispatch(Action::Redo { now: web::now() });
                    }
                    return;
                }
                if e.alt_key() || help {
                    return;
                }
                if key == "?" {
                    e.prevent_default();
                    help_open.set(true);
                    return;
                }
                if let Some(tag) = Tag::from_key(&key) {
                    let selecting = has_pending
                        || web_sys::window()
                            .and_then(|w| w.get_selection().ok().flatten())
                            .is_some_and(|s| !s.is_collapsed());
                    if selecting {
                        e.prevent_default();
                        create.emit(tag);
                    }
                }
            });
            move || drop(listener)
        });
    }

    // The word cursor: arrows move a one-word selection, Shift+arrows extend it.
    let on_article_key = {
        let (article, article_ref) = (article.clone(), article_ref.clone());
        let cursor = use_mut_ref(|| None::<Span>);
        use_latest(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let Some(root) = article_ref.cast::<Element>() else {
                return;
            };
            // Read the live DOM selection: state may lag behind fast key repeats.
            let cur = dom::selection_span(&root, &article).or(*cursor.borrow());
            let next = word_motion(&article, cur, &e.key(), e.shift_key());
            if let Some(span) = next {
                e.prevent_default();
                *cursor.borrow_mut() = Some(span);
                if let Some(range) = dom::select_span(&root, &article, span) {
                    if let Some(el) = range
                        .start_container()
                        .ok()
                        .and_then(|n| n.parent_element())
                    {
                        let opts = web_sys::ScrollIntoViewOptions::new();
                        opts.set_block(web_sys::ScrollLogicalPosition::Nearest);
                        el.scroll_into_view_with_scroll_into_view_options(&opts);
                    }
                }
            }
        })
    };

    // Clicking a highlight selects its annotation (or offers a choice).
    let hit = {
        let (article_ref, article, list) = (article_ref.clone(), article.clone(), (*list).clone());
        move |e: &MouseEvent| -> Option<Vec<AnnotationId>> {
            if spans {
                return ids_at(e);
            }
            let root = article_ref.cast::<Element>()?;
            let (node, off) = highlight::caret_at(e.client_x() as f64, e.client_y() as f64)?;
            let at = dom::node_offset(&root, &article, &node, off)?;
            let anns = &list.0;
            let upto = anns.partition_point(|a| a.span.start() <= at);
            let ids: Vec<AnnotationId> = anns[..upto]
                .iter()
                .filter(|a| a.span.contains(at))
                .map(|a| a.id.clone())
                .collect();
            (!ids.is_empty()).then_some(ids)
        }
    };
    let on_article_click = {
        let (dispatch, choice, hit) = (state.dispatcher(), choice.clone(), hit.clone());
        use_latest(move |e: MouseEvent| {
            let has_selection = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if has_selection {
                return;
            }
            let Some(ids) = hit(&e) else {
                choice.set(None);
                return;
            };
            if ids.len() == 1 {
                choice.set(None);
                dispatch.dispatch(Action::Select(ids.into_iter().next()));
            } else {
                let (top, left) = page_point(e.client_x(), e.client_y());
                choice.set(Some(Choice { ids, top, left }));
            }
        })
    };
    let on_article_hover = {
        let hovered = hovered.clone();
        use_latest(move |e: MouseEvent| {
            let id = hit(&e).and_then(|ids| ids.into_iter().last());
            if *hovered != id {
                hovered.set(id);
            }
        })
    };

    let on_select = {
        let (dispatch, article_ref, choice, painter) = (
            state.dispatcher(),
            article_ref.clone(),
            choice.clone(),
            painter.clone(),
        );
        use_latest(move |id: AnnotationId| {
            choice.set(None);
            if let Some(p) = painter.borrow().as_ref() {
                if let Some(el) = p
                    .range_of(&id)
                    .and_then(|r| r.start_container().ok())
                    .and_then(|n| n.parent_element())
                {
                    let opts = web_sys::ScrollIntoViewOptions::new();
                    opts.set_block(web_sys::ScrollLogicalPosition::Center);
                    el.scroll_into_view_with_scroll_into_view_options(&opts);
                }
                p.flash(&id);
            } else if let Some(el) = article_ref
                .cast::<Element>()
                .and_then(|r| dom::highlight_element(&r, id.as_str()))
            {
                let opts = web_sys::ScrollIntoViewOptions::new();
                opts.set_block(web_sys::ScrollLogicalPosition::Center);
                el.scroll_into_view_with_scroll_into_view_options(&opts);
            }
            dispatch.dispatch(Action::Select(Some(id)));
        })
    };
    let on_hover = {
        let hovered = hovered.clone();
        use_latest(move |id: Option<AnnotationId>| hovered.set(id))
    };
    let on_edit = {
        let d = state.dispatcher();
        use_latest(move |(id, edit): (AnnotationId, FieldEdit)| {
            let now = web::now();
            d.dispatch(match edit {
                FieldEdit::Tag(tag) => Action::SetTag { id, tag, now },
                FieldEdit::Note(note) => Action::SetNote { id, note, now },
                FieldEdit::Verdict(verdict) => Action::SetVerdict { id, verdict, now },
                FieldEdit::Explanation(explanation) => Action::SetExplanation {
                    id,
                    explanation,
                    now,
                },
                FieldEdit::Sources(sources) => Action::SetSources { id, sources, now },
            })
        })
    };
    // Place an orphan on the current selection (live, or the pending one).
    let on_reattach = {
        let (d, pending, hint) = (state.dispatcher(), pending.clone(), hint.clone());
        let (article, article_ref) = (article.clone(), article_ref.clone());
        use_latest(move |id: AnnotationId| {
            let live = article_ref
                .cast::<Element>()
                .and_then(|root| dom::selection_span(&root, &article))
                .and_then(|raw| refine(&article, raw, false));
            match live.or(pending.map(|p| p.span)) {
                Some(span) => {
                    d.dispatch(Action::Reattach {
                        id,
                        span,
                        now: web::now(),
                    });
                    dom::clear_selection();
                    pending.set(None);
                    hint.set(String::new());
                }
                None => hint.set(
                    "Select the passage in the article first, then choose Re-attach to selection."
                        .into(),
                ),
            }
        })
    };
    // Messages from exports, imports and opening files.
    let alert = use_state(|| None::<String>);
    let on_message = {
        let (hint, alert) = (hint.clone(), alert.clone());
        use_latest(move |m: Message| match m {
            Message::Status(s) => {
                alert.set(None);
                hint.set(s);
            }
            Message::Error(e) => alert.set(Some(e)),
        })
    };
    // A file chosen or dropped: annotations to import, or an article to open.
    let import_dialog = use_state(|| None::<(String, Rc<Parsed>)>);
    let on_import_file = {
        let (import_dialog, on_message) = (import_dialog.clone(), on_message.clone());
        use_latest(move |file: web_sys::File| {
            let name = web::files::describe(&file);
            let (import_dialog, on_message) = (import_dialog.clone(), on_message.clone());
            web::files::read_file(file, formats::MAX_IMPORT_BYTES, move |r| {
                match r.and_then(|bytes| formats::read_owned(bytes).map_err(|e| e.to_string())) {
                    Ok(parsed) => {
                        on_message.emit(Message::Status(String::new()));
                        import_dialog.set(Some((name, Rc::new(parsed))));
                    }
                    Err(e) => on_message.emit(Message::Error(format!(
                        "Nothing was imported from {name}: {e}. Your annotations are unchanged."
                    ))),
                }
            });
        })
    };
    let on_import_confirm = {
        let (d, import_dialog, session, on_message) = (
            state.dispatcher(),
            import_dialog.clone(),
            session.clone(),
            on_message.clone(),
        );
        use_latest(move |choice: ImportChoice| {
            let Some((_, parsed)) = (*import_dialog).clone() else {
                return;
            };
            import_dialog.set(None);
            let now = web::now();
            match choice {
                ImportChoice::Here(plan) => {
                    let n = plan.add.len();
                    d.dispatch(Action::Import {
                        annotations: plan.add.clone(),
                        label: format!("Imported {n} annotations"),
                        now,
                    });
                }
                ImportChoice::OpenFileArticle(mapping) => {
                    let Some(article) = parsed.article.as_ref().and_then(|a| a.build()) else {
                        on_message.emit(Message::Error(
                            "Nothing was imported: the file's article does not match its own id or blocks (the file was changed by hand?).".into(),
                        ));
                        return;
                    };
                    match open_stored(&session, Rc::new(article)) {
                        Ok((restore, existing, warning)) => {
                            let target = match &restore {
                                Action::Restore { article, .. } => article.clone(),
                                _ => return,
                            };
                            d.dispatch(restore);
                            let plan = importer::plan(
                                &parsed,
                                &target,
                                &existing,
                                &mapping,
                                now,
                                &mut web::new_id,
                            );
                            let n = plan.add.len();
                            d.dispatch(Action::Import {
                                annotations: plan.add,
                                label: format!("Imported {n} annotations"),
                                now,
                            });
                            if let Some(w) = warning {
                                on_message.emit(Message::Error(w));
                            }
                        }
                        Err(e) => on_message.emit(Message::Error(e)),
                    }
                }
            }
        })
    };
    // Opening articles: a file, pasted text, or the library.
    let notice = use_state(|| None::<String>);
    let paste_open = use_state(|| false);
    let version_offer = use_state(|| None::<(Rc<Article>, persist::IndexEntry)>);
    // Open an article as read from storage (or fresh), and say so.
    let go = {
        let (d, session, on_message, notice) = (
            state.dispatcher(),
            session.clone(),
            on_message.clone(),
            notice.clone(),
        );
        use_latest(move |boot: Boot| match opened(&session, boot) {
            Ok((restore, existing, warning)) => {
                let title = match &restore {
                    Action::Restore { article, .. } => article.title.clone(),
                    _ => String::new(),
                };
                d.dispatch(restore);
                notice.set(None);
                on_message.emit(Message::Status(match existing.len() {
                    0 => format!("Opened “{title}”"),
                    n => format!("Opened “{title}”, with its {n} annotations"),
                }));
                if let Some(w) = warning {
                    on_message.emit(Message::Error(w));
                }
            }
            Err(e) => on_message.emit(Message::Error(e)),
        })
    };
    // A new article (from a file or paste): continue it if stored; offer to
    // carry annotations over when it looks like a new version of a stored
    // one (chosen by the person, or the same headline); else open it fresh.
    let open_new = {
        let (session, go, version_offer, hint) = (
            session.clone(),
            go.clone(),
            version_offer.clone(),
            hint.clone(),
        );
        let current = article.id.clone();
        use_latest(
            move |(article, version_of): (Rc<Article>, Option<ArticleId>)| {
                if article.id == current {
                    // Reloading it from storage could drop a change not yet saved.
                    hint.set(format!("“{}” is already open", article.title));
                    return;
                }
                let index = persist::read_index(&*session.store);
                if index.articles.iter().any(|e| e.id == article.id) {
                    go.emit(persist::open(&*session.store, article, web::now()));
                    return;
                }
                let old = index.articles.into_iter().find(|e| match &version_of {
                    Some(id) => &e.id == id,
                    None => e.title == article.title || e.display_name() == article.title,
                });
                match old {
                    Some(old) => version_offer.set(Some((article, old))),
                    None => go.emit(persist::open(&*session.store, article, web::now())),
                }
            },
        )
    };
    let on_version_choice = {
        let (d, session, version_offer, go, on_message, notice) = (
            state.dispatcher(),
            session.clone(),
            version_offer.clone(),
            go.clone(),
            on_message.clone(),
            notice.clone(),
        );
        use_latest(move |carry: bool| {
            let Some((article, old)) = (*version_offer).clone() else {
                return;
            };
            version_offer.set(None);
            if !carry {
                go.emit(persist::open(&*session.store, article, web::now()));
                return;
            }
            let Some((_, old_annotations)) = persist::read_stored(&*session.store, &old.id) else {
                on_message.emit(Message::Error(format!(
                    "The annotations of “{}” could not be read, so none were carried over.",
                    old.display_name()
                )));
                go.emit(persist::open(&*session.store, article, web::now()));
                return;
            };
            let now = web::now();
            let carried = importer::carry_over(&old_annotations, &article, now);
            // Open it here rather than through `go`: the annotations must be
            // added only if the new version really opened.
            let (restore, _, warning) = match open_stored(&session, article) {
                Ok(opened) => opened,
                Err(e) => {
                    on_message.emit(Message::Error(e));
                    return;
                }
            };
            d.dispatch(restore);
            if let Some(w) = warning {
                on_message.emit(Message::Error(w));
            }
            let report = format!(
                "Carried {} annotations over from “{}”: {}.",
                carried.annotations.len(),
                old.display_name(),
                carried.report()
            );
            d.dispatch(Action::Import {
                annotations: carried.annotations,
                label: format!("Carried annotations over from “{}”", old.display_name()),
                now,
            });
            notice.set(Some(report.clone()));
            on_message.emit(Message::Status(report));
        })
    };
    let on_version_cancel = {
        let (version_offer, hint) = (version_offer.clone(), hint.clone());
        use_latest(move |_: ()| {
            version_offer.set(None);
            hint.set("Nothing opened".into());
        })
    };
    let on_article_file = {
        let (open_new, on_message) = (open_new.clone(), on_message.clone());
        use_latest(move |file: web_sys::File| {
            let (name, label) = (file.name(), web::files::describe(&file));
            let (open_new, on_message) = (open_new.clone(), on_message.clone());
            web::files::read_file(file, parse::MAX_ARTICLE_BYTES, move |r| {
                let article = r.and_then(|bytes| {
                    parse::article_from_file(&name, &bytes, |html, fallback| {
                        web::html::html_article(html, fallback, Some(name.clone()))
                    })
                });
                match article {
                    Ok(a) => open_new.emit((Rc::new(a), None)),
                    Err(e) => on_message.emit(Message::Error(format!(
                        "{label} was not opened: {e}. Nothing else changed."
                    ))),
                }
            });
        })
    };
    let on_paste_open = {
        let (open_new, on_message, paste_open) =
            (open_new.clone(), on_message.clone(), paste_open.clone());
        use_latest(move |(text, version_of): (String, Option<ArticleId>)| {
            let article = parse::article_from_paste(&text, |html, fallback| {
                web::html::html_article(html, fallback, None)
            });
            match article {
                Ok(a) => {
                    paste_open.set(false);
                    open_new.emit((Rc::new(a), version_of));
                }
                Err(e) => on_message.emit(Message::Error(format!(
                    "The pasted text was not opened: {e}."
                ))),
            }
        })
    };
    let on_library_open = {
        let (session, go, on_message) = (session.clone(), go.clone(), on_message.clone());
        use_latest(move |id: ArticleId| {
            // The record is read once, here; the bundled seed may not be stored yet.
            match persist::read_boot(&*session.store, &id) {
                Some(boot) => go.emit(boot),
                None => {
                    let seed = seed_article();
                    if id == seed.id {
                        go.emit(persist::open(&*session.store, Rc::new(seed), web::now()));
                    } else {
                        on_message.emit(Message::Error(
                            "That article's saved copy could not be read; it was not opened."
                                .into(),
                        ));
                    }
                }
            }
        })
    };
    // Any file dropped on the page: annotations (.json, .jsonld) are
    // imported; anything else is opened as an article.
    let on_any_file = {
        let (on_import_file, on_article_file) = (on_import_file.clone(), on_article_file.clone());
        use_latest(move |file: web_sys::File| {
            let name = file.name().to_ascii_lowercase();
            if name.ends_with(".json") || name.ends_with(".jsonld") {
                on_import_file.emit(file);
            } else {
                on_article_file.emit(file);
            }
        })
    };
    let on_import_cancel = {
        let (import_dialog, hint) = (import_dialog.clone(), hint.clone());
        use_latest(move |_: ()| {
            import_dialog.set(None);
            hint.set("Import cancelled; nothing changed".into());
        })
    };
    let on_delete = {
        let d = state.dispatcher();
        use_latest(move |id: AnnotationId| {
            d.dispatch(Action::Delete {
                id,
                now: web::now(),
            })
        })
    };
    let undo = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Undo { now: web::now() }))
    };
    let redo = {
        let d = state.dispatcher();
        Callback::from(move |_: MouseEvent| d.dispatch(Action::Redo { now: web::now() }))
    };
    let open_help = {
        let h = help_open.clone();
        Callback::from(move |_: MouseEvent| h.set(true))
    };
    let close_help = {
        let h = help_open.clone();
        Callback::from(move |_: ()| h.set(false))
    };

    let span_of = |id: &Option<AnnotationId>| id.as_ref().and_then(|i| s.get(i)).map(|a| a.span);
    let toolbar = pending.map(|p| {
        let buttons = Tag::ALL.iter().map(|&t| {
            let create = create.clone();
            // mousedown would move focus and could collapse the selection first.
            let keep = Callback::from(|e: MouseEvent| e.prevent_default());
            html! {
                <button type="button" class={classes!("tool", format!("tool-{}", t.key()))}
                        onmousedown={keep} onclick={Callback::from(move |_: MouseEvent| create.emit(t))}
                        aria-keyshortcuts={t.shortcut().to_ascii_uppercase().to_string()}>
                    <span class={classes!("swatch", format!("swatch-{}", t.key()))} aria-hidden="true" />
                    { t.label() }
                    <kbd aria-hidden="true">{ t.shortcut().to_ascii_uppercase() }</kbd>
                </button>
            }
        });
        html! {
            <div class="sel-toolbar" role="toolbar" aria-label="Tag the selection"
                 style={format!("top: {}px; left: {}px", p.top, p.left)}>
                { for buttons }
            </div>
        }
    });
    let chooser = (*choice).clone().map(|c| {
        let items = c.ids.iter().filter_map(|id| s.get(id)).map(|a| {
            let on_select = on_select.clone();
            let id = a.id.clone();
            let short: String = a.quote.exact.chars().take(60).collect();
            html! {
                <li><button type="button" onclick={Callback::from(move |_: MouseEvent| on_select.emit(id.clone()))}>
                    { format!("{}: {}", a.tag.label(), short) }
                </button></li>
            }
        });
        let close = {
            let choice = choice.clone();
            Callback::from(move |_: MouseEvent| choice.set(None))
        };
        html! {
            <div class="chooser" role="dialog" aria-label="Choose an annotation"
                 style={format!("top: {}px; left: {}px", c.top, c.left)}>
                <p>{ "Several annotations cover this place:" }</p>
                <ul>{ for items }</ul>
                <button type="button" onclick={close}>{ "Close" }</button>
            </div>
        }
    });

    let on_dragover = Callback::from(|e: DragEvent| {
        // Allow dropping files anywhere on the page.
        if e.data_transfer()
            .is_some_and(|d| d.types().includes(&"Files".into(), 0))
        {
            e.prevent_default();
        }
    });
    let on_drop = {
        let on_import_file = on_any_file.clone();
        Callback::from(move |e: DragEvent| {
            let Some(file) = web::files::first_file(e.data_transfer().and_then(|d| d.files()))
            else {
                return;
            };
            e.prevent_default();
            on_import_file.emit(file);
        })
    };

    html! {
        <div class="app" ondragover={on_dragover} ondrop={on_drop}>
            <header class="topbar">
                <p class="brand">{ "claimmark" }</p>
                <div class="actions" role="group" aria-label="History">
                    <button type="button" onclick={undo} disabled={!s.can_undo()} aria-keyshortcuts="Control+Z">{ "Undo" }</button>
                    <button type="button" onclick={redo} disabled={!s.can_redo()} aria-keyshortcuts="Control+Shift+Z">{ "Redo" }</button>
                    <button type="button" onclick={open_help} aria-keyshortcuts="?">{ "Keyboard shortcuts" }</button>
                </div>
                <div class="actions" role="group" aria-label="Files">
                    <label class="file-button">
                        <span aria-hidden="true">{ "Open article" }</span>
                        <input type="file" class="file-input" aria-label="Open article"
                               accept=".txt,.md,.markdown,.html,.htm,text/plain,text/markdown,text/html"
                               onchange={{
                                   let cb = on_article_file.clone();
                                   Callback::from(move |e: Event| if let Some(f) = take_file(&e) { cb.emit(f) })
                               }} />
                    </label>
                    <button type="button" onclick={{
                        let p = paste_open.clone();
                        Callback::from(move |_: MouseEvent| p.set(true))
                    }}>{ "Paste article" }</button>
                    <label class="file-button">
                        <span aria-hidden="true">{ "Import annotations" }</span>
                        <input type="file" class="file-input" aria-label="Import annotations"
                               accept=".json,.jsonld,application/json,application/ld+json"
                               onchange={{
                                   let cb = on_import_file.clone();
                                   Callback::from(move |e: Event| if let Some(f) = take_file(&e) { cb.emit(f) })
                               }} />
                    </label>
                    <ExportMenu session={SessionRef(session.clone())} article={ArticleRef(article.clone())}
                                annotations={(*list).clone()} on_message={on_message.clone()} />
                </div>
            </header>
            // Not a live region: the same words go to the status region below.
            <div class="notices-info">{ dismissible(&notice, "notice") }</div>
            <div class="alerts" role="alert">{ dismissible(&alert, "notice notice-error") }</div>
            <p id="article-help" class="visually-hidden">
                { "Select text to annotate. With the keyboard: arrow keys select a word, Shift+arrows extend, then F, Q or A." }
            </p>
            <persistence::Notices
                session={SessionRef(session.clone())}
                save_error={save_error}
                on_export={{
                    let state = state.clone();
                    Callback::from(move |_| persistence::export_json(&state))
                }}
            />
            <main class="layout">
                <ArticleView
                    article={ArticleRef(article.clone())}
                    segments={(*segs).clone()}
                    selected={s.selected.clone().filter(|_| spans)}
                    hovered={(*hovered).clone().filter(|_| spans)}
                    selected_span={span_of(&s.selected).filter(|_| spans)}
                    hovered_span={span_of(&hovered).filter(|_| spans)}
                    node_ref={article_ref.clone()}
                    onkeydown={on_article_key}
                    onclick={on_article_click}
                    onmouseover={on_article_hover}
                    spans={spans}
                />
                <div class="side">
                    <Panel
                        annotations={(*list).clone()}
                        selected={s.selected.clone()}
                        hovered={(*hovered).clone()}
                        on_select={on_select}
                        on_hover={on_hover}
                        on_edit={on_edit}
                        on_delete={on_delete}
                        on_reattach={on_reattach}
                    />
                    <Library
                        session={SessionRef(session.clone())}
                        current={article.id.clone()}
                        revision={s.revision}
                        on_open={on_library_open}
                        on_clear_current={{
                            let d = state.dispatcher();
                            Callback::from(move |_| d.dispatch(Action::DeleteAll { now: web::now() }))
                        }}
                    />
                </div>
            </main>
            // Optional parts sit in fixed wrappers: a changing number of
            // siblings would make Yew move <main>, which drops focus and the
            // DOM selection.
            <div class="overlay">{ for toolbar }</div>
            <div class="overlay">{ for chooser }</div>
            <div class="overlay">
                if *help_open {
                    <HelpDialog on_close={close_help} />
                }
            </div>
            <div class="overlay">
                if *paste_open {
                    <PasteDialog stored={Rc::new(persist::read_index(&*session.store).articles)}
                                 on_open={on_paste_open}
                                 on_cancel={{
                                     let p = paste_open.clone();
                                     Callback::from(move |_: ()| p.set(false))
                                 }} />
                }
            </div>
            <div class="overlay">
                if let Some((article, old)) = (*version_offer).clone() {
                    <VersionDialog new_title={article.title.clone()} old={old}
                                   on_choice={on_version_choice} on_cancel={on_version_cancel} />
                }
            </div>
            <div class="overlay">
                if let Some((name, parsed)) = (*import_dialog).clone() {
                    <ImportDialog file_name={name} parsed={parsed} article={ArticleRef(article.clone())}
                                  annotations={(*list).clone()} on_confirm={on_import_confirm}
                                  on_cancel={on_import_cancel} />
                }
            </div>
            <div class="visually-hidden" aria-live="polite" role="status">
                { if hint.is_empty() { s.announcement.clone() } else { (*hint).clone() } }
            </div>
            <update_notice::UpdateNotice />
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct HelpProps {
    on_close: Callback<()>,
}

/// The list of keys; focus moves in on open and back to where it was on close.
#[function_component(HelpDialog)]
fn help_dialog(p: &HelpProps) -> Html {
    let close_ref = use_node_ref();
    library::use_dialog_focus(close_ref.clone());
    let keys = [
        (
            "Arrow Right / Left",
            "Select the next / previous word (article focused)",
        ),
        (
            "Arrow Down / Up",
            "Select the first word of the next / previous block",
        ),
        (
            "Shift + Arrow Right / Left",
            "Extend / shrink the selection by a word",
        ),
        ("F or 1", "Tag the selection as Fact"),
        ("Q or 2", "Tag the selection as Quote"),
        ("A or 3", "Tag the selection as Analysis"),
        (
            "Alt + drag",
            "Keep the exact characters (no snapping to words)",
        ),
        ("Ctrl/Cmd + Z", "Undo"),
        ("Ctrl/Cmd + Shift + Z, Ctrl + Y", "Redo"),
        ("Tab", "Move to the panel and between annotations"),
        ("Delete", "Delete the focused annotation (undoable)"),
        ("Escape", "Close this dialog, or clear the selection"),
        ("?", "Show this list"),
    ];
    html! {
        <div class="backdrop">
            <div class="dialog" role="dialog" aria-modal="true" aria-labelledby="help-title"
                 onkeydown={library::dialog_keys(&p.on_close)}>
                <h2 id="help-title">{ "Keyboard shortcuts" }</h2>
                <dl class="keys">
                    { for keys.iter().map(|(k, v)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *v }</dd></> }) }
                </dl>
                <button type="button" ref={close_ref} onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </div>
    }
}

/// A callback that stays the same object across renders and calls the
/// closure of the latest render. Props that hold it then compare equal, so
/// the article's 5,000 blocks and the panel's items are not re-rendered just
/// because the parent was.
#[hook]
fn use_latest<IN: 'static>(f: impl Fn(IN) + 'static) -> Callback<IN> {
    let slot = use_mut_ref(|| None::<Rc<dyn Fn(IN)>>);
    *slot.borrow_mut() = Some(Rc::new(f));
    let stable = use_memo((), move |_| {
        Callback::from(move |x: IN| {
            let f = slot.borrow().clone();
            if let Some(f) = f {
                f(x);
            }
        })
    });
    (*stable).clone()
}

/// The next word-cursor selection for an arrow key, if the key is one.
fn word_motion(article: &Article, cur: Option<Span>, key: &str, shift: bool) -> Option<Span> {
    let first_word_of = |block: usize| {
        article
            .blocks
            .get(block)
            .and_then(|b| word_after(article, b.span.start()))
    };
    match (key, cur) {
        ("ArrowRight" | "ArrowLeft" | "ArrowDown" | "ArrowUp", None) => word_after(article, 0),
        ("ArrowRight", Some(c)) if shift => {
            word_after(article, c.end()).map(|w| Span::new(c.start(), w.end()))
        }
        ("ArrowLeft", Some(c)) if shift => {
            let last = word_before(article, c.end())?;
            let prev = word_before(article, last.start()).filter(|w| w.start() >= c.start())?;
            Some(Span::new(c.start(), prev.end()))
        }
        ("ArrowRight", Some(c)) => word_after(article, c.end()),
        ("ArrowLeft", Some(c)) => word_before(article, c.start()),
        ("ArrowDown", Some(c)) => first_word_of(article.block_at(c.end().saturating_sub(1))? + 1),
        ("ArrowUp", Some(c)) => {
            let b = article.block_at(c.start())?;
            first_word_of(b.checked_sub(1)?)
        }
        _ => None,
    }
}

/// The annotation ids under a mouse event's target.
fn ids_at(e: &MouseEvent) -> Option<Vec<AnnotationId>> {
    let el: Element = e.target()?.dyn_into().ok()?;
    let mark = el.closest("[data-ids]").ok()??;
    let ids: Vec<AnnotationId> = mark
        .get_attribute("data-ids")?
        .split_whitespace()
        .map(AnnotationId::from_string)
        .collect();
    (!ids.is_empty()).then_some(ids)
}

/// Where to put the toolbar: just below the end of the current selection.
fn selection_anchor() -> (i32, i32) {
    let rect = web_sys::window()
        .and_then(|w| w.get_selection().ok().flatten())
        .filter(|s| s.range_count() > 0)
        .and_then(|s| s.get_range_at(0).ok())
        .map(|r| r.get_bounding_client_rect());
    match rect {
        Some(r) => page_point(r.left() as i32, r.bottom() as i32 + 6),
        None => (0, 0),
    }
}

fn page_point(x: i32, y: i32) -> (i32, i32) {
    let w = web_sys::window();
    let sx = w.as_ref().and_then(|w| w.scroll_x().ok()).unwrap_or(0.0);
    let sy = w.as_ref().and_then(|w| w.scroll_y().ok()).unwrap_or(0.0);
    (y + sy.round() as i32, (x + sx.round() as i32).max(4))
}

/// What opening an article does: the `Restore` action, the annotations it
/// opens with, and a warning to show.
type Opened = (Action, Vec<Rc<Annotation>>, Option<String>);

/// The action that opens `article` as stored in this browser (its saved
/// annotations, or none), the annotations it opens with, and a warning when
/// its saved record could not be read (it is then kept as a backup).
/// Refused when that record could not even be backed up: opening would
/// write over it.
fn open_stored(session: &Session, article: Rc<Article>) -> Result<Opened, String> {
    opened(session, persist::open(&*session.store, article, web::now()))
}

/// [`open_stored`] once the stored record has been read.
fn opened(session: &Session, boot: Boot) -> Result<Opened, String> {
    if !boot.protected.is_empty() {
        session
            .protected
            .borrow_mut()
            .extend(boot.protected.iter().cloned());
        return Err("That article's saved annotations could not be read, and there was no room to back them up; it was not opened, so nothing is written over them. Export or free some storage first.".into());
    }
    let warning = boot.problems.first().map(|p| match p {
        persist::Problem::Corrupt { reason, .. } => format!(
            "This article's saved annotations could not be read ({reason}); they are kept as a backup in this browser, and it opened without them."
        ),
        persist::Problem::Storage(e) => format!("Saved work could not be loaded: {e}."),
    });
    let existing = boot
        .annotations
        .iter()
        .map(|(a, _)| Rc::new(a.clone()))
        .collect();
    Ok((
        Action::Restore {
            article: boot.article,
            annotations: boot.annotations,
            tombstones: boot.tombstones,
        },
        existing,
        warning,
    ))
}

/// A message with a Dismiss button, while `slot` holds one.
fn dismissible(slot: &UseStateHandle<Option<String>>, class: &'static str) -> Html {
    let Some(msg) = (**slot).clone() else {
        return Html::default();
    };
    let slot = slot.clone();
    html! {
        <div {class}>
            <p>{ msg }</p>
            <button type="button" onclick={Callback::from(move |_: MouseEvent| slot.set(None))}>{ "Dismiss" }</button>
        </div>
    }
}

/// The file of a file input's change event; the input is cleared so the
/// same file can be chosen again.
fn take_file(e: &Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = e.target_dyn_into()?;
    let file = web::files::first_file(input.files());
    input.set_value("");
    file
}

fn in_text_field(e: &KeyboardEvent) -> bool {
    e.target()
        .and_then(|t| t.dyn_into::<Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.get_attribute("contenteditable").is_some()
        })
}
