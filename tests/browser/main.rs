//! The browser tests, one binary: the Yew app mounted into fresh elements
//! of a real page in headless Chromium (`wasm-bindgen-test`). Every test
//! file of this folder is a module below; `make test-browser` runs them all
//! (`cargo test --target wasm32-unknown-unknown --test browser`), and a
//! name filter after `--` runs some (`… --test browser -- storage::`).
#![cfg(target_arch = "wasm32")]

mod common;
#[path = "../../bench/workload.rs"]
mod workload;

mod app;
mod open;
mod scripts;
mod storage;
mod transfer;
mod ui;

wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);
