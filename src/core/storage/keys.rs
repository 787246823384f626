//! The keys claimmark uses in local storage.

use crate::core::annotation::Timestamp;
use crate::core::article::ArticleId;

/// The key namespace (layout version 1).
pub const PREFIX: &str = "claimmark:v1:";

pub fn index_key() -> String {
    format!("{PREFIX}index")
}

pub fn record_key(id: &ArticleId) -> String {
    format!("{PREFIX}article:{}", id.0)
}

pub fn backup_key(id: &str, now: Timestamp) -> String {
    format!("{PREFIX}backup:{id}:{}", now.0)
}
