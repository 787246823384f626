//! Highlight segments: runs per block with the annotations covering them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{seed_article, segments, Annotation, Article, Run, Tag};
use common::{ann, find};
use proptest::prelude::*;

fn ids(run: &Run) -> Vec<String> {
    run.covers
        .iter()
        .map(|c| c.id.as_str()[30..].to_string())
        .collect()
}

fn small() -> Article {
    parse_plain_text(
        "Title Here\n\nalpha beta gamma delta\n\nepsilon zeta eta\n",
        None,
    )
}

#[test]
fn overlapping_nested_adjacent_and_identical() {
    let a = small();
    let p = a.blocks[1].span.start(); // "alpha beta gamma delta"
    let list = vec![
        ann(&a, 1, Tag::Fact, p, p + 10),         // "alpha beta"
        ann(&a, 2, Tag::Quote, p + 6, p + 16),    // "beta gamma" (overlaps 1)
        ann(&a, 3, Tag::Analysis, p + 6, p + 10), // "beta" (nested in both)
        ann(&a, 4, Tag::Fact, p + 6, p + 10),     // identical span to 3
        ann(&a, 5, Tag::Quote, p + 16, p + 22),   // " delta" adjacent to 2
    ];
    let segs = segments(&a, &list);
    let runs = &segs[1];
    let texts: Vec<&str> = runs.iter().map(|r| a.slice(r.span)).collect();
    assert_eq!(texts, ["alpha ", "beta", " gamma", " delta"]);
    assert_eq!(runs[0].covers.len(), 1);
    assert_eq!(runs[1].covers.len(), 4, "{:?}", ids(&runs[1]));
    assert_eq!(runs[2].covers.len(), 1);
    assert_eq!(runs[2].covers[0].tag, Tag::Quote);
    assert_eq!(runs[3].covers[0].id, list[4].id);
    assert!(runs[3].covers[0].starts);
    // Markers: annotation 1 starts in run 0, not again in run 1.
    let one_in_1 = runs[1].covers.iter().find(|c| c.id == list[0].id).unwrap();
    assert!(!one_in_1.starts);
    // Untouched blocks are one bare run.
    assert_eq!(segs[0].len(), 1);
    assert!(segs[0][0].covers.is_empty());
}

#[test]
fn a_span_across_blocks_covers_both_and_not_the_separator() {
    let a = seed_article();
    let s = find(&a, "shifting strategy");
    let e = find(&a, "Discussions mark");
    let x = ann(&a, 1, Tag::Analysis, s.start(), e.end());
    let segs = segments(&a, std::slice::from_ref(&x));
    let (b1, b2) = (
        a.block_at(s.start()).unwrap(),
        a.block_at(e.start()).unwrap(),
    );
    assert_eq!(b2, b1 + 1);
    let covered: Vec<&str> = [b1, b2]
        .iter()
        .flat_map(|&b| {
            segs[b]
                .iter()
                .filter(|r| !r.covers.is_empty())
                .map(|r| a.slice(r.span))
        })
        .collect();
    assert_eq!(covered, ["shifting strategy", "Discussions mark"]);
    assert!(
        segs[b1]
            .iter()
            .flat_map(|r| &r.covers)
            .filter(|c| c.starts)
            .count()
            == 1
    );
    assert!(segs[b2].iter().flat_map(|r| &r.covers).all(|c| !c.starts));
}

fn arb_spans(len: u32) -> impl Strategy<Value = Vec<(u32, u32, u8)>> {
    prop::collection::vec((0..len, 1..60u32, 0..3u8), 0..40).prop_map(move |v| {
        v.into_iter()
            .map(|(s, l, t)| (s, (s + l).min(len), t))
            .collect()
    })
}

proptest! {
    #[test]
    fn runs_tile_blocks_and_cover_exactly(spans in arb_spans(1200)) {
        let a = seed_article();
        let list: Vec<Annotation> = spans
            .iter()
            .enumerate()
            .filter(|(_, (s, e, _))| s < e)
            .map(|(i, &(s, e, t))| ann(&a, i as u32, Tag::ALL[t as usize], s, e))
            .collect();
        let segs = segments(&a, &list);
        prop_assert_eq!(segs.len(), a.blocks.len());
        for (b, runs) in segs.iter().enumerate() {
            // Runs concatenate back to the block text, with no empty run.
            let joined: String = runs.iter().map(|r| a.slice(r.span)).collect();
            prop_assert_eq!(joined.as_str(), a.block_text(b));
            prop_assert!(runs.iter().all(|r| !r.span.is_empty()));
            for w in runs.windows(2) {
                prop_assert_eq!(w[0].span.end(), w[1].span.start());
            }
        }
        // Each annotation is covered by exactly the runs inside its span.
        for x in &list {
            let mut covered = 0u32;
            let mut starts = 0;
            for runs in &segs {
                for r in runs {
                    let has = r.covers.iter().filter(|c| c.id == x.id).count();
                    prop_assert!(has <= 1);
                    let inside = r.span.start() >= x.span.start() && r.span.end() <= x.span.end();
                    prop_assert_eq!(has == 1, inside);
                    if has == 1 {
                        covered += r.span.len();
                        starts += r.covers.iter().filter(|c| c.id == x.id && c.starts).count();
                    }
                }
            }
            let in_blocks: u32 = a.blocks.iter().filter_map(|b| b.span.intersect(x.span)).map(|s| s.len()).sum();
            prop_assert_eq!(covered, in_blocks);
            prop_assert_eq!(starts, usize::from(in_blocks > 0));
        }
    }
}
