//! Helpers shared by the native test files.
#![allow(dead_code)]

use claimmark::core::{Annotation, AnnotationId, Article, Span, Tag, Timestamp};

/// Read a file from `seeds/`.
pub fn seed_file(name: &str) -> String {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A test fixture, from `tests/fixtures/`.
pub fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// A deterministic id: UUID v4 built from a counter.
pub fn id(n: u32) -> AnnotationId {
    let mut b = [0u8; 16];
    b[12..].copy_from_slice(&n.to_be_bytes());
    AnnotationId::from_random_bytes(b)
}

pub fn ann(article: &Article, n: u32, tag: Tag, start: u32, end: u32) -> Annotation {
    Annotation::new(
        id(n),
        tag,
        article,
        Span::new(start, end),
        Timestamp(1_700_000_000_000 + n as i64),
    )
}

/// The code-point span of the first occurrence of `needle` in the article.
pub fn find(article: &Article, needle: &str) -> Span {
    let b = article
        .text()
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in article"));
    let start = article.text()[..b].chars().count() as u32;
    Span::new(start, start + needle.chars().count() as u32)
}

/// A store that records every write (key, value length), to see what a
/// change costs.
#[cfg(not(target_arch = "wasm32"))]
pub struct CountingStore {
    pub inner: claimmark::core::storage::MemoryStore,
    pub writes: std::cell::RefCell<Vec<(String, usize)>>,
}

#[cfg(not(target_arch = "wasm32"))]
impl CountingStore {
    pub fn new(inner: claimmark::core::storage::MemoryStore) -> CountingStore {
        CountingStore {
            inner,
            writes: Default::default(),
        }
    }

    pub fn take(&self) -> Vec<(String, usize)> {
        std::mem::take(&mut *self.writes.borrow_mut())
    }
}

#[cfg(not(target_arch = "wasm32"))]
impl claimmark::core::storage::Store for CountingStore {
    fn get(&self, key: &str) -> Result<Option<String>, claimmark::core::storage::StoreError> {
        self.inner.get(key)
    }
    fn set(&self, key: &str, value: &str) -> Result<(), claimmark::core::storage::StoreError> {
        self.writes
            .borrow_mut()
            .push((key.to_string(), value.len()));
        self.inner.set(key, value)
    }
    fn remove(&self, key: &str) -> Result<(), claimmark::core::storage::StoreError> {
        self.inner.remove(key)
    }
    fn keys(&self) -> Result<Vec<String>, claimmark::core::storage::StoreError> {
        self.inner.keys()
    }
}
