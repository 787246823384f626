//! What claimmark keeps in local storage, and how it is versioned.
//!
//! Keys are namespaced `claimmark:v1:` (the key layout's version):
//!
//! | key | holds |
//! |---|---|
//! | `claimmark:v1:index` | the library: [`Index`] |
//! | `claimmark:v1:article:<sha256>` | the article record: text, blocks, metadata (written once) |
//! | `claimmark:v1:ann:<sha256>:<bb>` | chunk `bb` (`00`–`ff`) of its annotations and tombstones; an annotation lives in chunk [`bucket_of`] its id |
//! | `claimmark:v1:backup:<what>:<ms>` | a value that could not be read, kept verbatim before anything is written in its place |
//! | `claimmark:v1:author` | the name ClaimReview exports use |
//! | `claimmark:v1:paint` | the article open last as the first-paint script draws it ([`save_paint`]) |
//!
//! Which of two versions of an annotation wins is the merge rule,
//! [`crate::core::merge`], which tabs, the team and imports share.
//!
//! Every one of these writes is also kept in the journal (IndexedDB), so a
//! crash cannot lose it: see [`journal`].
//!
//! Every value carries `schema` ([`SCHEMA`]). Records of schemas 1–3 held
//! the annotations in the article record; they are read as a base layer and
//! migrated on load ([`migrate`]). A newer schema is never written over.
//!
//! - [`store`]: the `Store` trait and the in-memory store;
//! - [`keys`]: key names and which chunk an annotation belongs in;
//! - [`layout`]: the stored forms of schema 4, written and read;
//! - [`migrate`]: schemas 1–3;
//! - [`read`]: an article record of any schema (which of the two reads it);
//! - [`index`]: the library;
//! - [`save`]: loading, opening, saving ([`Writer`]);
//! - [`set_aside`]: values set aside because they could not be read (keys `backup:`): listing them, reading one back;
//! - [`journal`]: the crash-proof copy of every write, and putting it back.

pub mod index;
pub mod journal;
pub mod keys;
pub mod layout;
pub mod migrate;
pub mod read;
pub mod save;
pub mod set_aside;
pub mod store;

pub use crate::core::merge::{Clock, Entry};
pub use index::{
    index_to_change, read_index, rebuild_index, remove_article, rename, restore_article, usage,
    Index, IndexEntry, Removed,
};
pub use keys::{
    article_key, backup_key, bucket_of, chunk_key, details_key, index_key, paint_key, parse_key,
    record_key, Key, BUCKETS, PREFIX,
};
pub use layout::LoadError;
pub use save::{
    load, open, read_boot, read_stored, read_versions, repairs, replace_versions, save, save_paint,
    unreadable_record, Boot, Problem, Writer,
};
pub use store::{MemoryStore, Store, StoreError};

/// The schema this build writes: 4, the article record and annotation
/// chunks apart (3: one record per article, placed quotes left out; 2:
/// every quote stored; 1: flat annotations, no sync stamps).
pub const SCHEMA: u32 = 4;
