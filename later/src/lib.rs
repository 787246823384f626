//! claimmark's second wasm module: what a first visit never needs, loaded
//! the first time a person exports or opens a Markdown file
//! (docs/architecture.md, "Two modules"). Each export takes a request the
//! first module wrote with `core::later` and gives back text; an error is a
//! sentence for the person.

use claimmark::core::later;
use wasm_bindgen::prelude::*;

/// Write an export: the file's text. (Not named `export`: a word JavaScript keeps.)
#[wasm_bindgen]
pub fn write_export(request: &str) -> Result<String, JsError> {
    later::run_export(request).map_err(|e| JsError::new(&e))
}

/// Read a Markdown file: the article, in its stored form.
#[wasm_bindgen]
pub fn read_markdown(request: &str) -> Result<String, JsError> {
    later::run_markdown(request).map_err(|e| JsError::new(&e))
}
