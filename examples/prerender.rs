//! The seed article as HTML, for the build to write into `index.html` (see
//! `scripts/postbuild.mjs`): the first visit shows the article before the
//! wasm has arrived, drawn from the same description the app builds its DOM
//! from (`core::markup`).
//!
//!     cargo run -q --example prerender    # prints {"id", "attributes", "html"} as JSON

use claimmark::core::{markup, seed_article};

fn main() {
    let seed = seed_article();
    let out = serde_json::json!({
        "id": seed.id.0,
        "attributes": markup::article_attributes_html(&seed),
        "html": markup::to_html(&seed),
    });
    println!("{out}");
}
