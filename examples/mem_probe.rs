//! How much memory loading a stored article takes (its record and its
//! annotation chunks): the peak and what stays.
//!
//!     cargo run --release --example workload -- 1048576 10000 target/bench/w.json
//!     cargo run --release --example mem_probe -- target/bench/w.json
//!
//! In wasm, memory once grown stays grown, so the peak while decoding is what
//! the page keeps. This counts every allocation natively (64-bit: pointers
//! and lengths are twice wasm32's, so figures run somewhat higher).
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

struct Counting;
static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, l: Layout) -> *mut u8 {
        let now = LIVE.fetch_add(l.size(), Relaxed) + l.size();
        PEAK.fetch_max(now, Relaxed);
        System.alloc(l)
    }
    unsafe fn dealloc(&self, p: *mut u8, l: Layout) {
        LIVE.fetch_sub(l.size(), Relaxed);
        System.dealloc(p, l)
    }
    unsafe fn realloc(&self, p: *mut u8, l: Layout, n: usize) -> *mut u8 {
        let now = LIVE.fetch_add(n, Relaxed) + n;
        PEAK.fetch_max(now, Relaxed);
        LIVE.fetch_sub(l.size(), Relaxed);
        System.realloc(p, l, n)
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn mb(x: usize) -> String {
    format!("{:.2} MB", x as f64 / 1e6)
}

fn main() {
    let path = std::env::args()
        .nth(1)
        .expect("usage: mem_probe WORKLOAD.json (from the workload example)");
    let workload: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).expect("readable")).expect("JSON");
    let store = claimmark::core::storage::MemoryStore::new();
    let mut stored = 0;
    for (k, v) in workload["entries"].as_object().expect("entries") {
        let v = v.as_str().expect("a string value");
        stored += v.len();
        claimmark::core::storage::Store::set(&store, k, v).expect("set");
    }
    drop(workload);
    let base = LIVE.load(Relaxed);
    PEAK.store(base, Relaxed);
    let boot = claimmark::core::storage::load(
        &store,
        claimmark::core::seed_article,
        claimmark::core::Timestamp(1),
    );
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    println!(
        "stored {}; loading it: peak {} above it, {} kept",
        mb(stored),
        mb(PEAK.load(Relaxed) - base),
        mb(LIVE.load(Relaxed) - base)
    );
    // Then opening it as the app does (the state, with its clocks).
    let mut state = claimmark::core::State::new(boot.article.clone(), vec![]);
    state.reduce(claimmark::core::Action::Restore {
        article: boot.article.clone(),
        annotations: boot.annotations,
        tombstones: boot.tombstones,
    });
    println!(
        "and opening it: peak {} above the stored data, {} kept",
        mb(PEAK.load(Relaxed) - base),
        mb(LIVE.load(Relaxed) - base)
    );
    std::hint::black_box(state);
}
