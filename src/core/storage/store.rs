//! A key-value store behind a small trait: the browser's local storage in the
//! app, [`MemoryStore`] in native tests and as the fallback when storage is
//! blocked.

use std::cell::{Cell, RefCell};
use std::collections::BTreeMap;
use std::fmt;

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreError {
    /// The store is full (the browser's QuotaExceededError).
    Full,
    /// The store cannot be used at all (SecurityError, private mode, missing).
    Blocked(String),
    /// Claimmark will not write there: the saved copy was made by a newer
    /// version (never written over).
    Protected(String),
    Other(String),
}

impl fmt::Display for StoreError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StoreError::Full => write!(f, "this browser's storage for claimmark is full"),
            StoreError::Blocked(why) => write!(f, "this browser blocks storage ({why})"),
            StoreError::Protected(why) => write!(f, "{why}"),
            StoreError::Other(why) => write!(f, "the browser refused to save ({why})"),
        }
    }
}

/// String keys to string values, like `localStorage`.
pub trait Store {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError>;
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError>;
    fn remove(&self, key: &str) -> Result<(), StoreError>;
    /// Set `key` to `value` so that it stands whatever the merge rule says
    /// (the journal otherwise merges a chunk's versions with what it holds;
    /// see `journal::combine`). Plain stores just set it.
    fn replace(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.set(key, value)
    }
    /// Every key, in any order.
    fn keys(&self) -> Result<Vec<String>, StoreError>;

    /// The first `units` UTF-16 units of a value (to read a schema number
    /// without copying a whole record).
    fn head(&self, key: &str, units: usize) -> Result<Option<String>, StoreError> {
        Ok(self.get(key)?.map(|v| {
            let head: Vec<u16> = v.encode_utf16().take(units).collect();
            String::from_utf16_lossy(&head)
        }))
    }

    /// A value's length in UTF-16 units (what the browser's quota counts).
    fn size(&self, key: &str) -> Result<Option<usize>, StoreError> {
        Ok(self.get(key)?.map(|v| v.encode_utf16().count()))
    }
}

/// An in-memory store, optionally with a quota (in UTF-16 units of keys and
/// values, as browsers count) so tests can fill it. A clone is a snapshot
/// (what a crash leaves on disk, in the journal's tests).
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    map: RefCell<BTreeMap<String, String>>,
    quota: Cell<Option<usize>>,
}

impl MemoryStore {
    pub fn new() -> MemoryStore {
        MemoryStore::default()
    }

    pub fn with_quota(units: usize) -> MemoryStore {
        MemoryStore {
            map: RefCell::default(),
            quota: Cell::new(Some(units)),
        }
    }

    /// Change the quota (`None`: unlimited), as freeing space elsewhere would.
    pub fn set_quota(&self, units: Option<usize>) {
        self.quota.set(units);
    }

    /// The UTF-16 units of keys and values stored.
    pub fn used(&self) -> usize {
        self.map
            .borrow()
            .iter()
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum()
    }

    fn used_with(&self, key: &str, value: &str) -> usize {
        let map = self.map.borrow();
        let others: usize = map
            .iter()
            .filter(|(k, _)| k.as_str() != key)
            .map(|(k, v)| k.encode_utf16().count() + v.encode_utf16().count())
            .sum();
        others + key.encode_utf16().count() + value.encode_utf16().count()
    }
}

impl Store for MemoryStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        Ok(self.map.borrow().get(key).cloned())
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        if self
            .quota
            .get()
            .is_some_and(|q| self.used_with(key, value) > q)
        {
            return Err(StoreError::Full);
        }
        self.map
            .borrow_mut()
            .insert(key.to_string(), value.to_string());
        Ok(())
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.map.borrow_mut().remove(key);
        Ok(())
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        Ok(self.map.borrow().keys().cloned().collect())
    }
}
