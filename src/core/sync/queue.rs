//! What still has to reach the team's server, and where the feed of its
//! changes was last read — both in local storage, so they survive reloads.
//!
//! | key | holds |
//! |---|---|
//! | `claimmark:v1:team` | the team: `{"url": database URL, "user": name}` — never the password |
//! | `claimmark:v1:team:queue` | the outgoing queue: `{"schema":1,"items":{"<article id>":["<annotation id>",…]}}` |
//! | `claimmark:v1:team:since:<db>:<article id>` | the checkpoint: the `_changes` sequence up to which this browser has the server's changes to that article; `<db>` is the first 16 hex digits of the SHA-256 of the database URL |
//! | `claimmark:v1:team:checked:<db>` | the team's articles this browser read and found to be what they claim (their text hashes to their id): `{"<article id>": "<revision checked>"}` |
//!
//! The queue names annotations, not versions: pushing one sends whatever
//! version is current here (in the open state, or in storage for another
//! article), and an id leaves the queue only once the server has that
//! version — a change made while a push was under way stays queued.
//! Every tab of the browser adds to the same queue (read, changed and
//! written back at once), so a change made in a tab that is not signed in
//! is pushed by one that is.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::core::id::AnnotationId;
use crate::core::id::ArticleId;
use crate::core::storage::PREFIX;

/// The key of the team's settings.
pub fn config_key() -> String {
    format!("{PREFIX}team")
}

/// The key of the outgoing queue.
pub fn queue_key() -> String {
    format!("{PREFIX}team:queue")
}

/// The key of the checkpoint of `article`'s changes in database `db`.
pub fn checkpoint_key(db: &str, article: &ArticleId) -> String {
    format!("{PREFIX}team:since:{}:{}", db_hash(db), article.0)
}

/// The prefix of every checkpoint key (to forget them all on signing out).
pub fn checkpoint_prefix() -> String {
    format!("{PREFIX}team:since:")
}

fn db_hash(db: &str) -> String {
    let hash = Sha256::digest(db.as_bytes());
    hash[..8].iter().map(|b| format!("{b:02x}")).collect()
}

/// The key of the articles of database `db` checked here (see [`Checked`]).
pub fn checked_key(db: &str) -> String {
    format!("{PREFIX}team:checked:{}", db_hash(db))
}

/// The prefix of every [`checked_key`].
pub fn checked_prefix() -> String {
    format!("{PREFIX}team:checked:")
}

/// The team's articles found genuine here, each with the revision of its
/// document that was read: an article is downloaded and hashed once per
/// revision, not on every sign-in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Checked(BTreeMap<String, String>);

impl Checked {
    /// As stored; anything unreadable reads as empty (articles are then
    /// checked again).
    pub fn read(raw: Option<&str>) -> Checked {
        Checked(
            raw.and_then(|r| serde_json::from_str(r).ok())
                .unwrap_or_default(),
        )
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&self.0).unwrap_or_default()
    }

    /// Whether revision `rev` of `article`'s document was found genuine.
    pub fn holds(&self, article: &ArticleId, rev: &str) -> bool {
        self.0.get(&article.0).is_some_and(|r| r == rev)
    }

    pub fn insert(&mut self, article: &ArticleId, rev: &str) {
        self.0.insert(article.0.clone(), rev.to_string());
    }
}

/// Where the team is and who signs in (the password is never stored).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Config {
    pub url: String,
    pub user: String,
}

impl Config {
    pub fn read(raw: Option<&str>) -> Option<Config> {
        serde_json::from_str(raw?).ok()
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// A database URL as typed, checked and tidied: `http` or `https`, a host,
/// and a database name as CouchDB allows them (a lowercase letter, then
/// lowercase letters, digits and `_$()+-`), without a trailing slash.
pub fn check_db_url(raw: &str) -> Result<String, String> {
    let url = raw.trim().trim_end_matches('/');
    let rest = url
        .strip_prefix("https://")
        .or_else(|| url.strip_prefix("http://"))
        .ok_or("the address must start with https:// (or http:// on this computer)")?;
    let (host, db) = rest.split_once('/').ok_or(
        "the address must end with the database's name, e.g. https://couch.example.org/newsdesk",
    )?;
    // Browsers refuse to send a request to an address with credentials in
    // it: it would fail as "unreachable" without saying why.
    if host.contains('@') {
        return Err(
            "it holds a name or password before the server's name (name:password@…): leave them out of the address and type them in the fields below".into(),
        );
    }
    if host.is_empty() || host.contains(['?', '#', ' ']) {
        return Err("the address has no server name".into());
    }
    // A database behind a path prefix (a proxy) is allowed: the name is the last part.
    let name = db.rsplit('/').next().unwrap_or_default();
    let ok = name.starts_with(|c: char| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_$()+-".contains(c));
    if !ok {
        return Err(format!(
            "“{name}” is not a database name (lowercase letters, digits and _$()+- only, starting with a letter)"
        ));
    }
    Ok(url.to_string())
}

/// The outgoing queue: annotations (by article) whose current version the
/// server may not have yet.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Queue {
    items: BTreeMap<String, BTreeSet<String>>,
}

#[derive(Serialize, Deserialize)]
struct QueueRecord {
    schema: u32,
    #[serde(default)]
    items: BTreeMap<String, Vec<String>>,
}

impl Queue {
    /// The queue as stored; anything unreadable reads as empty (the next
    /// full comparison with the server finds what it held).
    pub fn read(raw: Option<&str>) -> Queue {
        let Some(r) = raw.and_then(|r| serde_json::from_str::<QueueRecord>(r).ok()) else {
            return Queue::default();
        };
        Queue {
            items: r
                .items
                .into_iter()
                .map(|(a, ids)| (a, ids.into_iter().collect::<BTreeSet<String>>()))
                .filter(|(_, ids)| !ids.is_empty())
                .collect(),
        }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(&QueueRecord {
            schema: 1,
            items: self
                .items
                .iter()
                .map(|(a, ids)| (a.clone(), ids.iter().cloned().collect()))
                .collect(),
        })
        .unwrap_or_default()
    }

    /// Queue `ids` of `article`; whether anything was added.
    pub fn add<'a>(
        &mut self,
        article: &ArticleId,
        ids: impl IntoIterator<Item = &'a AnnotationId>,
    ) -> bool {
        let set = self.items.entry(article.0.clone()).or_default();
        let before = set.len();
        set.extend(ids.into_iter().map(|id| id.as_str().to_string()));
        let added = set.len() > before;
        if set.is_empty() {
            self.items.remove(&article.0);
        }
        added
    }

    /// Take `id` of `article` off the queue; whether it was there.
    pub fn remove(&mut self, article: &ArticleId, id: &AnnotationId) -> bool {
        let Some(set) = self.items.get_mut(&article.0) else {
            return false;
        };
        let was = set.remove(id.as_str());
        if set.is_empty() {
            self.items.remove(&article.0);
        }
        was
    }

    pub fn contains(&self, article: &ArticleId, id: &AnnotationId) -> bool {
        self.items
            .get(&article.0)
            .is_some_and(|s| s.contains(id.as_str()))
    }

    /// The queued ids of `article`.
    pub fn of(&self, article: &ArticleId) -> Vec<AnnotationId> {
        self.items
            .get(&article.0)
            .map(|s| s.iter().map(|id| AnnotationId::from_string(id)).collect())
            .unwrap_or_default()
    }

    /// The articles with something queued.
    pub fn articles(&self) -> Vec<ArticleId> {
        self.items.keys().map(|a| ArticleId(a.clone())).collect()
    }

    /// How many changes are waiting.
    pub fn len(&self) -> usize {
        self.items.values().map(BTreeSet::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
