//! Where the app keeps its work, and what loading it found.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::storage::{self as persist, Boot, Clock, MemoryStore, Store, StoreError};
use crate::core::{seed_article, Annotation, Article};
use crate::web::{self, storage};

/// The store, and what loading it found.
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

/// Annotations with their clocks, and tombstones.
pub type Loaded = (Vec<(Annotation, Clock)>, Vec<persist::Entry>);

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

    /// What was loaded, once (later calls get nothing).
    pub fn take_initial(&self) -> Loaded {
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
