//! Team sync: a client of a team's CouchDB database, beside `core`, `web`
//! and `ui`. The pure decisions — the document format, what each version
//! from the server means here, what to push and over which revision, the
//! queue, backoff, the status — live in `core::sync` and are tested
//! natively; this is the client that does the I/O around them (through
//! `web::couch`). It knows nothing of the interface: it tells the app what
//! happened through [`Report`]s, and the app's one hook
//! (`ui::hooks::team`) turns them into state, actions and messages.
//!
//! One file per job; each imports only those listed after it, so no two
//! import each other:
//!
//! - [`client`]: [`TeamClient`], the API, and its two tasks;
//! - `push`: the pusher (queued versions in `_bulk_docs` batches, refusals);
//! - `pull`: the session for the open article (share, first sync or
//!   catch-up, longpoll, conflicts);
//! - `articles`: sharing and checking articles, the team's list, opening
//!   and removing one;
//! - `incoming`: taking the server's versions by the merge rule;
//! - `inner`: the client's private state, its health and status;
//! - [`report`]: what the client tells the app.
//!
//! **What a member can and cannot do** (the threat model; the design
//! document in `couchdb/` enforces the server's half) is in README → Teams.

mod articles;
mod client;
mod incoming;
mod inner;
mod pull;
mod push;
pub mod report;

pub use client::TeamClient;
pub use report::{Check, Member, Report, TeamArticle, TeamArticles};
