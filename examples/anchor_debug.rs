//! Diagnose re-anchoring on the benchmark workload: `anchor_debug N`.
#[path = "../bench/workload.rs"]
mod workload;

use claimmark::core::anchor::{Anchorer, Target};
use claimmark::core::Span;
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(100);
    let article = workload::article(1 << 20, 42);
    let anns = workload::annotations(&article, n, 7);
    let (revised, map) = workload::revise(&article, 50, 11);
    let targets: Vec<Target> = anns.iter().map(Target::of).collect();
    let placed = Anchorer::new(&revised).anchor_all(&targets);
    for (a, (span, how)) in anns.iter().zip(&placed) {
        let want = Span::new(map[a.span.start() as usize], map[a.span.end() as usize]);
        if *span != Some(want) {
            let shift = want.start() as i64 - a.span.start() as i64;
            println!(
                "{how:?} shift={shift} got-want={:?} old {:?} want {:?} got {:?}",
                span.map(|s| s.start() as i64 - want.start() as i64),
                a.quote.exact,
                revised.slice(want),
                span.map(|s| revised.slice(s).to_string())
            );
        }
    }
}
