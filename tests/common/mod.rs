//! Helpers shared by the native test files.
#![allow(dead_code)]

use claimmark::core::{Annotation, AnnotationId, Article, Span, Tag, Timestamp};

/// Read a file from `seeds/`.
pub fn seed_file(name: &str) -> String {
    let path = format!("{}/seeds/{name}", env!("CARGO_MANIFEST_DIR"));
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
