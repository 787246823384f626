//! Team sync through CouchDB, the pure part: the document format
//! ([`doc`]), what to do with each annotation given the server's version
//! ([`plan`], by the merge rule of `core::merge`), the outgoing
//! queue and the checkpoint ([`queue`]), backing off ([`backoff`]) and the
//! status in words ([`status`]). The browser part is `web::couch` (HTTP)
//! and `ui::hooks::team_sync` (the loop).
//!
//! **The parts.** Local storage stays the source of truth: every change is
//! saved there first (in the same task, as always) and its id is put in the
//! *queue*. The *pusher* sends queued versions in batches (`_bulk_docs`),
//! each over the revision the server last showed; a `409 Conflict` means
//! another client wrote first, so the server's version is read again and
//! the *merge rule* decides again (the greater version is written over the
//! server's revision, or the server's is taken here). The *puller* reads the
//! article's changes through a `_changes` *longpoll* filtered to the article
//! (`couchdb/design.js`'s `article` filter), from the *checkpoint* it
//! stored, and merges what it reads by the same rule; the first sync of an
//! article reads its annotations with `_all_docs` (a key range, in pages)
//! and pushes what the server lacks or has older. Failures wait by
//! *backoff* with jitter and resume by themselves (and on the browser's
//! `online` event); nothing leaves the queue until the server has it. What
//! the server sends is *validated* like an imported file ([`doc`]), and the
//! server *validates* what it is sent (`couchdb/design.js`): a refusal puts
//! the server's version back here and says why.

pub mod backoff;
pub mod doc;
pub mod plan;
pub mod queue;
pub mod status;
pub mod view;
pub mod wire;

pub use doc::{Remote, Skipped};
pub use plan::{Lost, Reconciled, Step};
pub use queue::{Config, Queue};
pub use status::{Facts, Status, Trouble};
pub use view::ServerView;
