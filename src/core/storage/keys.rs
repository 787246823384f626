//! The keys claimmark uses in local storage, and which chunk holds an
//! annotation.

use sha2::{Digest, Sha256};

use crate::core::id::AnnotationId;

use crate::core::id::ArticleId;
use crate::core::time::Timestamp;

/// The key namespace (layout version 1).
pub const PREFIX: &str = "claimmark:v1:";

/// How many chunks an article's annotations are spread over. Fixed: every
/// tab must put an annotation in the same chunk. 256 keeps a chunk of a
/// 10,000-annotation article at ~40 annotations (~6 KB), and the keys
/// themselves at ~22,000 UTF-16 units of the browser's ~5 M (one key per
/// annotation would take ~1.2 M).
pub const BUCKETS: usize = 256;

pub fn index_key() -> String {
    format!("{PREFIX}index")
}

/// The article record: text, blocks and metadata, written once.
pub fn article_key(id: &ArticleId) -> String {
    format!("{PREFIX}article:{}", id.0)
}

/// The same key as [`article_key`]; records of schema 1–3 held the
/// annotations there too.
pub fn record_key(id: &ArticleId) -> String {
    article_key(id)
}

/// The article's details as a person last edited them (small, apart from
/// the record so that editing them never rewrites the text).
pub fn details_key(id: &ArticleId) -> String {
    format!("{PREFIX}details:{}", id.0)
}

/// The paint description of the article open last (`core::markup::paint_record`):
/// what the next visit's first-paint script draws before the wasm arrives.
pub fn paint_key() -> String {
    format!("{PREFIX}paint")
}

/// The chunk of `article`'s annotations numbered `bucket`.
pub fn chunk_key(article: &ArticleId, bucket: u8) -> String {
    format!("{PREFIX}ann:{}:{bucket:02x}", article.0)
}

/// The chunk an annotation belongs in: the first byte of the SHA-256 of its
/// id (ids may be any string an import brought, so they are hashed).
pub fn bucket_of(id: &AnnotationId) -> u8 {
    Sha256::digest(id.as_str().as_bytes())[0]
}

/// Where a copy of an unreadable value of `what` (an article id, an article
/// id and chunk `id:bb`, or `index`) is kept.
pub fn backup_key(what: &str, now: Timestamp) -> String {
    format!("{PREFIX}backup:{what}:{}", now.0)
}

/// What a key holds, read from its name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Key {
    Index,
    Article(ArticleId),
    Chunk(ArticleId, u8),
    Details(ArticleId),
    /// A backup of `of` (an article id, `id:bb` for a chunk, or `index`), made at `at`.
    Backup {
        of: String,
        at: Timestamp,
    },
    Other,
}

/// Read a key's name.
pub fn parse_key(key: &str) -> Key {
    let Some(rest) = key.strip_prefix(PREFIX) else {
        return Key::Other;
    };
    if rest == "index" {
        return Key::Index;
    }
    if let Some(id) = rest.strip_prefix("article:") {
        return Key::Article(ArticleId(id.to_string()));
    }
    if let Some(id) = rest.strip_prefix("details:") {
        return Key::Details(ArticleId(id.to_string()));
    }
    if let Some(r) = rest.strip_prefix("ann:") {
        if let Some((id, b)) = r.rsplit_once(':') {
            if let (2, Ok(b)) = (b.len(), u8::from_str_radix(b, 16)) {
                return Key::Chunk(ArticleId(id.to_string()), b);
            }
        }
        return Key::Other;
    }
    if let Some(r) = rest.strip_prefix("backup:") {
        if let Some((of, at)) = r.rsplit_once(':') {
            if let Ok(ms) = at.parse::<i64>() {
                return Key::Backup {
                    of: of.to_string(),
                    at: Timestamp(ms),
                };
            }
        }
    }
    Key::Other
}
