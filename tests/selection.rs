//! Turning a raw selection into an annotation span, and the word cursor.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::selection::{motion, refine, word_after, word_before, Motion};
use claimmark::core::{seed_article, Article, Span};
use common::{find, seed_file};
use proptest::prelude::*;

fn unicode() -> Article {
    parse_plain_text(&seed_file("fixtures/unicode-crlf.txt"), None)
}

fn refined(a: &Article, raw: Span, exact: bool) -> Option<&str> {
    refine(a, raw, exact).map(|s| a.slice(s))
}

#[test]
fn snaps_partial_words_outward_and_trims_space() {
    let a = seed_article();
    let s = find(&a, "Nicolás Maduro");
    // "colás Mad" → "Nicolás Maduro"
    let raw = Span::new(s.start() + 2, s.end() - 3);
    assert_eq!(refined(&a, raw, false), Some("Nicolás Maduro"));
    // Exact keeps the characters.
    assert_eq!(refined(&a, raw, true), Some("colás Mad"));
    // Surrounding spaces go.
    let padded = Span::new(s.start() - 1, s.end());
    assert_eq!(refined(&a, padded, false), Some("Nicolás Maduro"));
    // Punctuation that was selected stays: only whitespace is trimmed.
    assert_eq!(
        refined(&a, Span::new(s.start(), s.end() + 2), false),
        Some("Nicolás Maduro.")
    );
    // Apostrophes and hyphens stay inside words.
    let t = find(&a, "Trump’s first");
    assert_eq!(
        refined(&a, Span::new(t.start() + 1, t.start() + 3), false),
        Some("Trump’s")
    );
    let f = find(&a, "face-to-face");
    assert_eq!(
        refined(&a, Span::new(f.start() + 5, f.start() + 6), false),
        Some("face-to-face")
    );
}

#[test]
fn whitespace_or_empty_selections_are_nothing() {
    let a = seed_article();
    let s = find(&a, "Maduro and");
    assert_eq!(
        refine(&a, Span::new(s.start() + 6, s.start() + 7), false),
        None
    );
    assert_eq!(refine(&a, Span::new(s.start(), s.start()), false), None);
    // Past the end of the text is clamped, then empty.
    assert_eq!(
        refine(&a, Span::new(a.len_chars() + 5, a.len_chars() + 9), false),
        None
    );
}

#[test]
fn never_splits_emoji_flags_or_combining_marks() {
    let a = unicode();
    let fam = find(&a, "👩‍👩‍👧‍👦");
    // One code point in the middle of the family, exact: the whole family.
    assert_eq!(
        refined(&a, Span::new(fam.start() + 2, fam.start() + 3), true),
        Some("👩‍👩‍👧‍👦")
    );
    let flag = find(&a, "🇻🇪");
    assert_eq!(
        refined(&a, Span::new(flag.start() + 1, flag.end()), true),
        Some("🇻🇪")
    );
    assert_eq!(
        refined(&a, Span::new(flag.start(), flag.start() + 1), true),
        Some("🇻🇪")
    );
    let cafe = find(&a, "cafe\u{301}");
    // "caf" + "e" without its accent is widened to include the accent.
    assert_eq!(
        refined(&a, Span::new(cafe.start(), cafe.end() - 1), true),
        Some("cafe\u{301}")
    );
    assert_eq!(
        refined(&a, Span::new(cafe.start() + 1, cafe.start() + 2), false),
        Some("cafe\u{301}")
    );
}

#[test]
fn cjk_characters_are_words_of_their_own() {
    let a = unicode();
    let c = find(&a, "中文测试");
    assert_eq!(
        refined(&a, Span::new(c.start() + 1, c.start() + 3), false),
        Some("文测")
    );
    let r = find(&a, "مرحبا");
    assert_eq!(
        refined(&a, Span::new(r.start() + 1, r.start() + 2), false),
        Some("مرحبا")
    );
}

#[test]
fn word_cursor_moves_over_words() {
    let a = seed_article();
    let first = word_after(&a, 0).unwrap();
    // An abbreviation keeps its final full stop.
    assert_eq!(a.slice(first), "U.S.");
    let second = word_after(&a, first.end()).unwrap();
    assert_eq!(a.slice(second), "and");
    assert_eq!(word_before(&a, second.start()), Some(first));
    let m = find(&a, "Maduro and");
    assert_eq!(a.slice(word_after(&a, m.start() + 6).unwrap()), "and");
    assert_eq!(word_after(&a, a.len_chars()), None);
    assert_eq!(word_before(&a, 0), None);
    let u = unicode();
    let f = find(&u, "👩‍👩‍👧‍👦");
    assert_eq!(u.slice(word_after(&u, f.start()).unwrap()), "👩‍👩‍👧‍👦");
}

#[test]
fn abbreviations_keep_their_full_stop_and_sentences_do_not() {
    let a = parse_plain_text(
        "Title\n\nThe U.S. and the e.g. case, Ph.D. holders, Maduro. Then 3.5. End.",
        None,
    );
    for word in ["U.S.", "e.g.", "Ph.D."] {
        let at = find(&a, word);
        // A click inside the word (or a cursor landing on it) takes all of it.
        assert_eq!(
            refined(&a, Span::new(at.start() + 1, at.start() + 2), false),
            Some(word)
        );
        assert_eq!(a.slice(word_after(&a, at.start()).unwrap()), word);
        // Going back over it from after the stop finds it whole.
        assert_eq!(a.slice(word_before(&a, at.end()).unwrap()), word);
    }
    // A sentence's full stop is not part of its last word.
    let m = find(&a, "Maduro.");
    assert_eq!(a.slice(word_after(&a, m.start()).unwrap()), "Maduro");
    let n = find(&a, "3.5.");
    assert_eq!(a.slice(word_after(&a, n.start()).unwrap()), "3.5");
}

#[test]
fn the_word_cursor_moves_extends_shrinks_and_jumps_blocks() {
    let a = seed_article();
    let first = motion(&a, None, Motion::NextWord).unwrap();
    assert_eq!(a.slice(first), "U.S.");
    let second = motion(&a, Some(first), Motion::NextWord).unwrap();
    assert_eq!(a.slice(second), "and");
    assert_eq!(motion(&a, Some(second), Motion::PreviousWord), Some(first));
    let two = motion(&a, Some(first), Motion::Extend).unwrap();
    assert_eq!(a.slice(two), "U.S. and");
    assert_eq!(motion(&a, Some(two), Motion::Shrink), Some(first));
    // Shrinking a single word does nothing.
    assert_eq!(motion(&a, Some(first), Motion::Shrink), None);
    let next_block = motion(&a, Some(first), Motion::NextBlock).unwrap();
    assert_eq!(a.block_at(next_block.start()), Some(1));
    assert_eq!(
        motion(&a, Some(next_block), Motion::PreviousBlock),
        Some(first)
    );
    assert_eq!(Motion::of_key("ArrowRight", true), Some(Motion::Extend));
    assert_eq!(Motion::of_key("Enter", false), None);
}

proptest! {
    /// Any raw selection, snapped to words or kept exact, only ever widens:
    /// the span covers every non-space character selected; and its ends fall
    /// on grapheme-cluster boundaries (UAX #29, by `unicode-segmentation`),
    /// so no emoji sequence, flag or accented letter is ever split.
    #[test]
    fn snapping_only_widens_and_never_splits_a_cluster(
        words in prop::collection::vec(
            prop::sample::select(vec![
                "word", "café", "cafe\u{301}", "東京", "👩‍👩‍👧‍👦", "🇻🇪", "🇻🇪🇺🇸", "👍🏽", "𝒜x", "Trump’s",
                "U.S.", "3.5", "face-to-face", "—", "(quoted)", "a\u{308}\u{323}", "🏳️‍🌈", "e\u{301}\u{302}",
            ]),
            1..25,
        ),
        a in 0u32..400,
        b in 0u32..400,
        exact in any::<bool>(),
    ) {
        use unicode_segmentation::UnicodeSegmentation;
        let art = parse_plain_text(&format!("Headline\n\n{}", words.join(" ")), None);
        let text = art.text();
        let len = art.len_chars();
        let (s, e) = (a.min(b) % (len + 1), a.max(b) % (len + 1));
        let (s, e) = (s.min(e), s.max(e));
        let raw = Span::new(s, e);
        let boundaries: std::collections::HashSet<u32> = {
            let mut set = std::collections::HashSet::new();
            let mut cp = 0;
            set.insert(0);
            for g in text.graphemes(true) {
                cp += g.chars().count() as u32;
                set.insert(cp);
            }
            set
        };
        let chars: Vec<char> = text.chars().collect();
        let selected: Vec<u32> = (s..e).filter(|&i| !chars[i as usize].is_whitespace()).collect();
        match refine(&art, raw, exact) {
            None => prop_assert!(selected.is_empty(), "{:?} dropped", &chars[s as usize..e as usize]),
            Some(span) => {
                let first = *selected.first().unwrap();
                let last = *selected.last().unwrap();
                prop_assert!(span.start() <= first && span.end() > last, "{span:?} does not cover {first}..={last}");
                prop_assert!(boundaries.contains(&span.start()), "starts inside a cluster: {:?}", art.slice(span));
                prop_assert!(boundaries.contains(&span.end()), "ends inside a cluster: {:?}", art.slice(span));
            }
        }
    }
}
