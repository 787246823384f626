//! claimmark: an article annotator that runs entirely in the browser.
//!
//! - [`core`]: the pure model (articles, offsets, annotations, segments, the
//!   reducer). No browser types; tested natively.
//! - `web` (wasm32 only): the thin browser layer — DOM selection ↔ offsets,
//!   ids and clocks.
//! - `team` (wasm32 only): the client of a team's CouchDB database; it
//!   tells the app what happened through reports, never touching the UI.
//! - `ui` (wasm32 only): Yew components that receive data and callbacks.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod team;
#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
