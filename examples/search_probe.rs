//! How big the library's search index gets, and how fast it is, natively:
//! `cargo run --release --example search_probe -- LIBRARY.json` with a
//! library from `cargo run --release --example workload -- 20480 1000
//! LIBRARY.json --library 100` (what `make bench` searches in the browser).

use claimmark::core::search::{Library, Query};
use claimmark::core::storage::{MemoryStore, Store};

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: search_probe LIBRARY.json");
    let doc: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("read")).expect("JSON");
    let store = MemoryStore::new();
    for (k, v) in doc["entries"].as_object().expect("entries") {
        store.set(k, v.as_str().expect("text")).expect("set");
    }
    if std::env::var_os("READ").is_some() {
        let t = std::time::Instant::now();
        let index = claimmark::core::storage::read_index(&store);
        let mut n = 0;
        for e in &index.articles {
            n += claimmark::core::storage::read_boot(&store, &e.id)
                .map_or(0, |b| b.annotations.len());
        }
        println!("read {n} in {:.0} ms", t.elapsed().as_secs_f64() * 1000.0);
    }
    let t = std::time::Instant::now();
    let lib = Library::build(&store);
    let built = t.elapsed();
    let s = lib.stats();
    println!(
        "built in {:.0} ms: {} articles, {} annotations, {} terms, {} postings, {} signatures, ~{:.1} MB",
        built.as_secs_f64() * 1000.0,
        s.articles,
        s.annotations,
        s.terms,
        s.postings,
        s.signatures,
        s.bytes as f64 / 1e6
    );
    for q in doc["queries"].as_array().expect("queries") {
        let q = q.as_str().expect("query");
        let mut times = Vec::new();
        let mut words = String::new();
        for end in 1..=q.chars().count() {
            let typed: String = q.chars().take(end).collect();
            let t = std::time::Instant::now();
            let found = lib.search(&Query {
                text: typed,
                ..Query::default()
            });
            times.push(t.elapsed().as_secs_f64() * 1000.0);
            words = found.words();
            if std::env::var_os("EACH").is_some() {
                println!(
                    "  {:?}: {:.2} ms, {}",
                    typed_of(q, end),
                    times.last().unwrap(),
                    found.len()
                );
            }
        }
        times.sort_by(f64::total_cmp);
        println!(
            "“{q}”, key by key: median {:.2} ms, max {:.2} ms — {words}",
            times[times.len() / 2],
            times[times.len() - 1]
        );
    }
}

fn typed_of(q: &str, end: usize) -> String {
    q.chars().take(end).collect()
}
