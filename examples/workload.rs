//! Write a benchmark workload as the app would have stored it:
//! `cargo run --release --example workload -- BYTES ANNOTATIONS OUT.json`
//! (BYTES = 0 for the seed article).
//!
//! OUT holds `{ "entries": { key: value, … }, "chars": N, "annotations": N }`:
//! the local-storage entries a returning user's browser would have.
//!
//! With `--export FILE`, also the annotations as claimmark JSON (for the
//! import benchmark); with `--revised FILE`, the article as plain text with
//! ~5 % of its words replaced (for re-anchoring onto a new version).

use std::rc::Rc;

use claimmark::core::storage;
use claimmark::core::storage::{MemoryStore, Store};
use claimmark::core::{workload, State, Timestamp};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(bytes), Some(n), Some(out)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: workload BYTES ANNOTATIONS OUT.json");
        std::process::exit(2);
    };
    let bytes: usize = bytes.parse().expect("BYTES is a number");
    let n: usize = n.parse().expect("ANNOTATIONS is a number");
    // BYTES = 0: the seed article itself.
    let article = Rc::new(if bytes == 0 {
        claimmark::core::seed_article()
    } else {
        workload::article(bytes, 42)
    });
    assert!(
        article.text().chars().all(|c| (c as u32) < 0x10000),
        "the baseline page counts UTF-16 units: keep generated text in the BMP"
    );
    let list = workload::annotations(&article, n, 7);
    let count = list.len();
    let state = State::new(article.clone(), list);
    let store = MemoryStore::new();
    storage::save(&store, &state, Timestamp(1_770_000_000_000), &[]).expect("in-memory save");
    let entries: serde_json::Map<String, serde_json::Value> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| {
            let v = store.get(&k).unwrap().unwrap();
            (k, serde_json::Value::String(v))
        })
        .collect();
    let doc = serde_json::json!({
        "entries": entries,
        "articleId": article.id.0,
        "recordKey": storage::article_key(&article.id),
        "chars": article.len_chars(),
        "bytes": article.text().len(),
        "annotations": count,
    });
    std::fs::write(out, serde_json::to_string(&doc).unwrap()).expect("write OUT");
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    if let Some(path) = flag("--export") {
        let text = claimmark::core::formats::claimmark::write(
            &article,
            state.annotations(),
            Timestamp(1_770_000_000_000),
        );
        std::fs::write(path, text).expect("write --export");
    }
    if let Some(path) = flag("--revised") {
        let (revised, map) = workload::revise(&article, 50, 11);
        let carried = claimmark::core::import::carry_over(
            state
                .annotations()
                .iter()
                .map(|a| (**a).clone())
                .collect::<Vec<_>>()
                .as_slice(),
            &revised,
            Timestamp(1),
        );
        let right = workload::right_words(state.annotations(), &carried.annotations, &map);
        println!(
            "re-anchoring onto ~5 % changed words: {right} of {} on the right words ({:.2} %), {} not found",
            count,
            100.0 * right as f64 / count.max(1) as f64,
            carried.orphans.len()
        );
        // Blank lines between blocks: the plain-text parser reads each as one.
        let text: Vec<&str> = (0..revised.blocks.len())
            .map(|i| revised.block_text(i))
            .collect();
        std::fs::write(path, text.join("\n\n")).expect("write --revised");
    }
}
