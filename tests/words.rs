//! Words people read: counts in the right number, storage in terms of the
//! browser's limit.
#![cfg(not(target_arch = "wasm32"))]

use claimmark::core::words::{
    annotations, clip, count, ends, shown, storage_use, USUAL_QUOTA_UNITS,
};

#[test]
fn counts_agree_in_number() {
    assert_eq!(annotations(0), "0 annotations");
    assert_eq!(annotations(1), "1 annotation");
    assert_eq!(annotations(2), "2 annotations");
    assert_eq!(count(1, "link", "links"), "1 link");
    assert_eq!(shown(3, 12), "3 of 12 annotations shown");
    assert_eq!(shown(0, 1), "0 of 1 annotation shown");
    assert_eq!(shown(5, 5), "All 5 annotations shown");
    assert_eq!(shown(1, 1), "1 of 1 annotation shown");
}

#[test]
fn storage_is_a_share_of_the_limit_and_never_looks_above_it_without_saying_why() {
    let half = storage_use(USUAL_QUOTA_UNITS / 2);
    assert!(half.starts_with("Uses 50 % of the space"), "{half}");
    assert!(
        half.contains("2.6 of about 5.2 million characters"),
        "{half}"
    );
    // Above the usual limit (a browser that allows more): said in words.
    let over = storage_use(USUAL_QUOTA_UNITS + 1_000_000);
    assert!(over.contains("more than the 5.2 million"), "{over}");
    assert!(!over.contains('%'), "{over}");
}

#[test]
fn a_clipped_quote_says_it_was_cut() {
    assert_eq!(clip("short", 60), "short");
    assert_eq!(clip("exactly", 7), "exactly");
    // Counted in characters, not bytes; the space before the cut goes.
    assert_eq!(clip("été à Paris", 4), "été…");
    assert_eq!(clip("ab cd", 3), "ab…");
}

#[test]
fn a_long_selection_is_said_by_both_ends() {
    assert_eq!(ends("short", 30), "short");
    // Up to 2 × 30 + 3 characters: nothing to gain by cutting.
    let fits = "a".repeat(63);
    assert_eq!(ends(&fits, 30), fits);
    // Longer: the first and last words, so a move at either end is heard.
    assert_eq!(
        ends("one two three four five six seven", 9),
        "one two t … six seven"
    );
    assert_ne!(
        ends("one two three four five six", 9),
        ends("one two three four five six seven", 9)
    );
    // Counted in characters: no byte boundary is split.
    assert_eq!(ends("ééééé ü ààààà", 5), "ééééé ü ààààà");
    assert_eq!(ends("ééééé üü ààààà", 2), "éé … àà");
}
