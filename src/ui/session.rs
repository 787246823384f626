//! Where the app keeps its work, and what loading it found.

use std::cell::RefCell;
use std::rc::Rc;

use crate::core::storage::journal::Replayed;
use crate::core::storage::{self, Boot, Clock, MemoryStore, Store, StoreError};
use crate::core::{seed_article, Annotation, Article};
use crate::web::journal::{self, Durable, Journal};
use crate::web::{self, local_store};

/// The store, and what loading it found.
pub struct Session {
    pub store: Rc<dyn Store>,
    pub article: Rc<Article>,
    /// The loaded annotations and tombstones, taken once by the app's state
    /// (so the session does not hold a second copy of 10,000 annotations).
    initial: RefCell<Option<Loaded>>,
    pub problems: Vec<storage::Problem>,
    /// Keys not to write this session (see [`storage::Boot::protected`]);
    /// grows when an article opened later has an unreadable record.
    pub protected: RefCell<Vec<String>>,
    /// Why local storage could not be used (the store is then in memory).
    pub storage_problem: Option<StoreError>,
    /// The crash-proof copy of every write, when IndexedDB allowed it.
    pub journal: Option<Rc<Journal>>,
    /// Why there is no crash-proof copy, when local storage works but
    /// IndexedDB did not.
    pub journal_problem: Option<String>,
    /// What putting the journal back found on start-up.
    pub recovered: Replayed,
}

/// Annotations with their clocks, and tombstones.
pub type Loaded = (Vec<(Annotation, Clock)>, Vec<storage::Entry>);

impl Session {
    fn new(store: Rc<dyn Store>, boot: Boot, storage_problem: Option<StoreError>) -> Session {
        Session {
            store,
            article: boot.article,
            initial: RefCell::new(Some((boot.annotations, boot.tombstones))),
            problems: boot.problems,
            protected: RefCell::new(boot.protected),
            storage_problem,
            journal: None,
            journal_problem: None,
            recovered: Replayed::default(),
        }
    }

    /// Open local storage with its journal, put back what a crash lost,
    /// then load the last article: how the app starts (see `web::journal`).
    /// Without IndexedDB it is [`Session::from_browser`], and says why.
    pub async fn from_browser_durable() -> Session {
        let local = match local_store::local() {
            Ok(l) => l,
            Err(_) => return Session::from_browser(),
        };
        let journal = match Journal::open().await {
            Ok(j) => j,
            Err(why) => {
                let mut s = Session::from_browser();
                s.journal_problem = Some(why);
                return s;
            }
        };
        let durable = Durable::new(local, journal.clone());
        let recovered = match journal::replay(&durable).await {
            Ok(r) => r,
            Err(why) => {
                web_sys::console::warn_1(
                    &format!("claimmark: the journal could not be read: {why}").into(),
                );
                Replayed::default()
            }
        };
        let store: Rc<dyn Store> = Rc::new(durable);
        let boot = storage::load(&*store, seed_article, web::now());
        let mut s = Session::new(store, boot, None);
        s.journal = Some(journal);
        s.recovered = recovered;
        s
    }

    /// Open local storage (or fall back to memory) and load the last
    /// article, without the journal (tests of local storage alone).
    pub fn from_browser() -> Session {
        let (store, storage_problem) = local_store::open();
        let boot = storage::load(&*store, seed_article, web::now());
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
