//! What claimmark keeps in local storage, and how it is versioned.
//!
//! Keys are namespaced `claimmark:v1:` (the key layout's version):
//! - `claimmark:v1:index` — an [`Index`] of stored articles and the last open one;
//! - `claimmark:v1:article:<sha256>` — one [`Record`] per article: its text,
//!   metadata, blocks, annotations (with sync stamps) and tombstones;
//! - `claimmark:v1:backup:<sha256>:<ms>` — a record that could not be read,
//!   kept verbatim before anything else is written for that article.
//!
//! Every record carries `schema` ([`SCHEMA`]). Older schemas are migrated on
//! read ([`migrate`]); a newer one is refused, never overwritten.

pub mod index;
pub mod keys;
pub mod migrate;
pub mod record;
pub mod save;
pub mod store;

pub use index::{
    read_index, remove_article, rename, restore_article, usage, Index, IndexEntry, Removed,
};
pub use keys::{backup_key, index_key, record_key, PREFIX};
pub use record::{
    decode_record, encode_record, record_of, LoadError, Record, Stamped, StoredAnnotation,
    StoredArticle, Tombstone,
};
pub use save::{load, open, read_boot, read_stored, save, Boot, Problem};
pub use store::{MemoryStore, Store, StoreError};

/// The record schema this build writes.
pub const SCHEMA: u32 = 3;
