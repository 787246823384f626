//! The library's search index in the workspace (`core::search::Library`):
//! built once — in small steps a few seconds after the app is ready, or at
//! once when something needs it first (Search all, a link, "checked
//! before", an export) — and then kept current without reading storage
//! again: after every action (an observer, like saving: the versions the
//! action changed, or the open article compared by clock after a merge),
//! from other tabs' `storage` events (the articles they wrote are read
//! again before the next use), and against the library's list before each
//! use (articles deleted, renamed or restored here).
//!
//! Consumers get a [`LibraryIndex`] through context; its `revision` moves
//! only when something links show changed, so a key press that tags a word
//! re-renders no link list.

use std::cell::{Cell, RefCell};
use std::collections::HashSet;
use std::rc::{Rc, Weak};

use gloo::events::EventListener;
use gloo::timers::callback::Timeout;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::core::search::{ArticleInfo, Builder, Library};
use crate::core::storage::{self, parse_key, Entry, Key, Store};
use crate::core::{ArticleId, State};
use crate::ui::app_state::Observers;
use crate::ui::context::Ctx;

/// How long after the app is ready the index starts building by itself.
const BUILD_AFTER_MS: u32 = 2_500;
/// Milliseconds of work per step of a background build.
const STEP_MS: f64 = 6.0;

struct Inner {
    store: Rc<dyn Store>,
    lib: RefCell<Library>,
    builder: RefCell<Option<Builder>>,
    built: Cell<bool>,
    /// The state, as of the last action.
    state: RefCell<Weak<RefCell<State>>>,
    /// The open article's revision the index last caught up with.
    synced: Cell<Option<(u64, *const crate::core::Article)>>,
    /// Articles other tabs wrote, to read again before the next use.
    stale: RefCell<HashSet<ArticleId>>,
    revision: Cell<u64>,
    on_change: RefCell<Option<Callback<u64>>>,
    /// A background step is scheduled.
    stepping: Cell<bool>,
}

/// The index, shared; compared by the revision of what links show.
#[derive(Clone)]
pub struct LibraryIndex {
    inner: Rc<Inner>,
    pub revision: u64,
}

impl PartialEq for LibraryIndex {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.inner, &other.inner) && self.revision == other.revision
    }
}

fn info_of(store: &dyn Store, state: &State) -> ArticleInfo {
    let a = &state.article;
    let entry = storage::read_index(store)
        .articles
        .into_iter()
        .find(|e| e.id == a.id);
    ArticleInfo {
        id: a.id.clone(),
        title: entry
            .as_ref()
            .map_or_else(|| a.title.clone(), |e| e.display_name().to_string()),
        url: a.details.url.clone(),
        last_opened: entry.map_or(crate::web::now(), |e| e.last_opened),
    }
}

fn entries_of(state: &State) -> Vec<Entry> {
    state.entries().collect()
}

impl Inner {
    fn bump(&self) {
        self.revision.set(self.revision.get() + 1);
        if let Some(cb) = self.on_change.borrow().clone() {
            cb.emit(self.revision.get());
        }
    }

    fn state(&self) -> Option<Rc<RefCell<State>>> {
        self.state.borrow().upgrade()
    }

    /// After an action: index what it changed (only once built).
    fn after(&self, state: &Rc<RefCell<State>>) {
        *self.state.borrow_mut() = Rc::downgrade(state);
        if !self.built.get() {
            return;
        }
        let s = state.borrow();
        let key = (s.revision, Rc::as_ptr(&s.article));
        if self.synced.get() == Some(key) {
            return;
        }
        let same_article = self
            .synced
            .get()
            .is_some_and(|(_, a)| a == Rc::as_ptr(&s.article));
        {
            let mut lib = self.lib.borrow_mut();
            if same_article && !s.touched().is_empty() {
                for id in s.touched() {
                    if let Some(e) = s.entry(id) {
                        lib.put(&s.article.id, &e);
                    }
                }
            } else {
                lib.keep_text(s.article.clone());
                lib.sync_state(info_of(&*self.store, &s), &s);
            }
        }
        self.synced.set(Some(key));
        if self.lib.borrow_mut().take_links_changed() {
            self.bump();
        }
    }

    /// Finish building (at once) and catch up with everything that
    /// changed: the open article, other tabs' writes, the library's list.
    fn ready(&self) {
        if !self.built.get() {
            let state = self.state();
            let mut b = self.builder.borrow_mut().take().unwrap_or_else(|| {
                let open = state.as_ref().map(|s| {
                    let s = s.borrow();
                    (info_of(&*self.store, &s), entries_of(&s))
                });
                Builder::new(&*self.store, open)
            });
            let mut lib = self.lib.borrow_mut();
            while !b.step(&mut lib, &*self.store, &mut || true) {}
            if let Some(s) = &state {
                let s = s.borrow();
                lib.keep_text(s.article.clone());
                self.synced.set(Some((s.revision, Rc::as_ptr(&s.article))));
            }
            drop(lib);
            self.built.set(true);
            crate::web::mark_memory("claimmark:indexed");
            self.bump();
        }
        if let Some(s) = self.state() {
            self.after(&s);
        }
        let mut changed = false;
        let stale: Vec<ArticleId> = self.stale.borrow_mut().drain().collect();
        let index = storage::read_index(&*self.store);
        let open = self.state().map(|s| s.borrow().article.id.clone());
        {
            let mut lib = self.lib.borrow_mut();
            for id in stale {
                if Some(&id) == open.as_ref() {
                    continue;
                }
                if let Some(boot) = storage::read_boot(&*self.store, &id) {
                    let entry = index.articles.iter().find(|e| e.id == id);
                    let info = ArticleInfo {
                        id: id.clone(),
                        title: entry
                            .map_or(boot.article.title.clone(), |e| e.display_name().to_string()),
                        url: boot.article.details.url.clone(),
                        last_opened: entry.map_or(crate::web::now(), |e| e.last_opened),
                    };
                    let entries = boot
                        .annotations
                        .into_iter()
                        .map(|(a, c)| Entry::live(a, c))
                        .chain(boot.tombstones);
                    lib.sync_article(info, entries);
                }
            }
            // The library's list: articles gone, added or renamed here.
            let listed: HashSet<&ArticleId> = index.articles.iter().map(|e| &e.id).collect();
            let indexed: Vec<ArticleInfo> = lib.articles().cloned().collect();
            for a in &indexed {
                if !listed.contains(&a.id) && Some(&a.id) != open.as_ref() {
                    lib.remove_article(&a.id);
                    changed = true;
                }
            }
            for e in &index.articles {
                match indexed.iter().find(|a| a.id == e.id) {
                    Some(a) if a.title != e.display_name() || a.last_opened != e.last_opened => {
                        let mut a = a.clone();
                        a.title = e.display_name().to_string();
                        a.last_opened = e.last_opened;
                        lib.set_article(a);
                        changed = true;
                    }
                    Some(_) => {}
                    None => {
                        if let Some(boot) = storage::read_boot(&*self.store, &e.id) {
                            let info = ArticleInfo {
                                id: e.id.clone(),
                                title: e.display_name().to_string(),
                                url: boot.article.details.url.clone(),
                                last_opened: e.last_opened,
                            };
                            let entries = boot
                                .annotations
                                .into_iter()
                                .map(|(a, c)| Entry::live(a, c))
                                .chain(boot.tombstones);
                            lib.sync_article(info, entries);
                            changed = true;
                        }
                    }
                }
            }
            changed |= lib.take_links_changed();
        }
        if changed {
            self.bump();
        }
    }
}

impl LibraryIndex {
    /// Use the index, built and current.
    pub fn with<R>(&self, f: impl FnOnce(&Library, &dyn Store) -> R) -> R {
        self.inner.ready();
        let lib = self.inner.lib.borrow();
        f(&lib, &*self.inner.store)
    }

    /// Use the index only if it is built already (nothing is read): what
    /// renders use, so that drawing never waits on a build.
    pub fn peek<R>(&self, f: impl FnOnce(&Library, &dyn Store) -> R) -> Option<R> {
        if !self.inner.built.get() {
            return None;
        }
        if !self.inner.stale.borrow().is_empty() {
            self.inner.ready();
        }
        let lib = self.inner.lib.borrow();
        Some(f(&lib, &*self.inner.store))
    }

    pub fn is_built(&self) -> bool {
        self.inner.built.get()
    }
}

/// Take a step of the background build, and schedule the next.
fn step(inner: Weak<Inner>) {
    let Some(me) = inner.upgrade() else { return };
    me.stepping.set(false);
    if me.built.get() {
        return;
    }
    let done = {
        let mut builder = me.builder.borrow_mut();
        let b = builder.get_or_insert_with(|| {
            let open = me.state().map(|s| {
                let s = s.borrow();
                (info_of(&*me.store, &s), entries_of(&s))
            });
            Builder::new(&*me.store, open)
        });
        let start = js_sys::Date::now();
        let mut lib = me.lib.borrow_mut();
        b.step(&mut lib, &*me.store, &mut || {
            js_sys::Date::now() - start < STEP_MS
        })
    };
    if done {
        me.built.set(true);
        crate::web::mark_memory("claimmark:indexed");
        me.bump();
        // The rest (the open article's changes meanwhile) at once.
        me.ready();
        return;
    }
    me.stepping.set(true);
    let next = Rc::downgrade(&me);
    Timeout::new(0, move || step(next)).forget();
}

/// The library's index for this workspace (see the module docs).
#[hook]
pub fn use_library_index(ctx: &Ctx, observers: &Observers) -> LibraryIndex {
    let revision = use_state(|| 0u64);
    let inner = {
        let store = ctx.session.store.clone();
        (*use_memo((), move |_| {
            let inner = Rc::new(Inner {
                store,
                lib: RefCell::new(Library::new()),
                builder: RefCell::new(None),
                built: Cell::new(false),
                state: RefCell::new(Weak::new()),
                synced: Cell::new(None),
                stale: RefCell::new(HashSet::new()),
                revision: Cell::new(0),
                on_change: RefCell::new(None),
                stepping: Cell::new(false),
            });
            let me = Rc::downgrade(&inner);
            observers.add(move |state| {
                if let Some(me) = me.upgrade() {
                    me.after(state);
                }
            });
            inner
        }))
        .clone()
    };
    *inner.on_change.borrow_mut() = Some({
        let set = revision.setter();
        Callback::from(move |r| set.set(r))
    });
    {
        let inner = inner.clone();
        use_effect_with((), move |_| {
            // Other tabs' writes: the articles they touched are read again
            // before the index is next used.
            let me = Rc::downgrade(&inner);
            let listener = EventListener::new(&gloo::utils::window(), "storage", move |e| {
                let Some(me) = me.upgrade() else { return };
                let Some(key) = e.dyn_ref::<web_sys::StorageEvent>().and_then(|e| e.key()) else {
                    return;
                };
                match parse_key(&key) {
                    Key::Chunk(id, _) | Key::Article(id) => {
                        me.stale.borrow_mut().insert(id);
                        if me.built.get() {
                            me.bump();
                        }
                    }
                    _ => {}
                }
            });
            let me = Rc::downgrade(&inner);
            let start = Timeout::new(BUILD_AFTER_MS, move || step(me));
            move || drop((listener, start))
        });
    }
    LibraryIndex {
        inner,
        revision: *revision,
    }
}
