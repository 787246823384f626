//! Anchoring annotations onto text that may have changed.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../bench/workload.rs"]
mod workload;

mod common;

use claimmark::core::anchor::{Anchorer, Placement, Target, Unit};
use claimmark::core::offset::utf16_len;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{Annotation, Article, Span};
use common::find;
use proptest::prelude::*;

fn target_of(a: &Annotation, unit: Option<Unit>) -> Target {
    Target {
        unit,
        ..Target::of(a)
    }
}

fn article(text: &str) -> Article {
    parse_plain_text(text, None)
}

#[test]
fn unchanged_text_keeps_every_position() {
    let art = workload::article(100_000, 3);
    let anns = workload::annotations(&art, 1000, 3);
    let targets: Vec<Target> = anns
        .iter()
        .map(|a| target_of(a, Some(Unit::CodePoint)))
        .collect();
    let placed = Anchorer::new(&art).anchor_all(&targets);
    for (a, (span, how)) in anns.iter().zip(&placed) {
        assert_eq!(*how, Placement::Position);
        assert_eq!(*span, Some(a.span));
    }
}

#[test]
fn utf16_positions_from_other_annotators_are_converted() {
    let art = article("Title\n\nFamilies 👩‍👩‍👧‍👦 and flags 🇻🇪 before the 𝒜 word here.");
    let span = find(&art, "word here");
    let text = art.text();
    let ix = art.index();
    let (s16, e16) = (
        ix.utf16_of(text, span.start()),
        ix.utf16_of(text, span.end()),
    );
    assert_ne!(
        s16,
        span.start(),
        "the fixture must have astral characters before the quote"
    );
    let t = Target {
        exact: "word here".into(),
        prefix: "the 𝒜 ".into(), // 10-character context, as some annotators keep
        suffix: ".".into(),
        position: Some((s16 as u64, e16 as u64)),
        unit: None,
    };
    assert_eq!(
        Anchorer::new(&art).anchor(&t, None),
        (Some(span), Placement::Position)
    );
    assert!(utf16_len(text) > art.len_chars());
}

#[test]
fn repeated_quote_is_chosen_by_its_context() {
    let art = article("Title\n\nThe rate rose. Later the rate fell. Then the rate rose again.");
    let second = Span::new(
        find(&art, "Later the rate").start() + 6,
        find(&art, "Later the rate").end(),
    );
    let t = Target {
        exact: "the rate".into(),
        prefix: "rose. Later ".into(),
        suffix: " fell.".into(),
        position: None,
        unit: None,
    };
    assert_eq!(
        Anchorer::new(&art).anchor(&t, None),
        (Some(second), Placement::Quote)
    );
}

#[test]
fn wrong_position_falls_back_to_the_quote() {
    let art = article("Title\n\nAlpha beta gamma delta.");
    let t = Target {
        exact: "gamma".into(),
        position: Some((0, 5)),
        unit: Some(Unit::CodePoint),
        ..Target::default()
    };
    let (span, how) = Anchorer::new(&art).anchor(&t, None);
    assert_eq!(how, Placement::Quote);
    assert_eq!(art.slice(span.unwrap()), "gamma");
}

#[test]
fn edited_quote_is_found_approximately_and_snapped_to_words() {
    let art = article(
        "Title\n\nVenezuela and the United States restored diplomatic ties on Thursday after years.",
    );
    let t = Target {
        exact: "United Stats restored diplomatic ties".into(),
        prefix: "Venezuela and the ".into(),
        suffix: " on Thursday".into(),
        position: None,
        unit: None,
    };
    let (span, how) = Anchorer::new(&art).anchor(&t, None);
    assert!(
        matches!(how, Placement::Approximate(s) if s >= 0.75),
        "{how:?}"
    );
    assert_eq!(
        art.slice(span.unwrap()),
        "United States restored diplomatic ties"
    );
}

#[test]
fn text_that_is_not_there_is_an_orphan() {
    let art = article("Title\n\nAlpha beta gamma delta.");
    let t = Target {
        exact: "completely different words".into(),
        position: Some((8, 20)),
        ..Target::default()
    };
    assert_eq!(
        Anchorer::new(&art).anchor(&t, None),
        (None, Placement::Orphan)
    );
}

#[test]
fn five_percent_of_words_changed_places_99_percent_on_the_right_words() {
    let art = workload::article(200_000, 11);
    let anns = workload::annotations(&art, 2000, 11);
    let (revised, map) = workload::revise(&art, 50, 11);
    assert_ne!(revised.text(), art.text());
    let targets: Vec<Target> = anns
        .iter()
        .map(|a| target_of(a, Some(Unit::CodePoint)))
        .collect();
    let placed = Anchorer::new(&revised).anchor_all(&targets);
    let right = anns
        .iter()
        .zip(&placed)
        .filter(|(a, (span, _))| {
            let want = Span::new(map[a.span.start() as usize], map[a.span.end() as usize]);
            *span == Some(want)
        })
        .count();
    if std::env::var("ANCHOR_DEBUG").is_ok() {
        for (a, (span, how)) in anns.iter().zip(&placed) {
            let want = Span::new(map[a.span.start() as usize], map[a.span.end() as usize]);
            if *span != Some(want) {
                eprintln!(
                    "{how:?} old {:?} want {:?} got {:?}",
                    a.quote.exact,
                    revised.slice(want),
                    span.map(|s| revised.slice(s))
                );
            }
        }
    }
    let moved = placed.iter().filter(|p| p.1 != Placement::Position).count();
    assert!(
        moved > anns.len() / 2,
        "the revision should move most annotations ({moved})"
    );
    assert!(
        right * 100 >= anns.len() * 99,
        "{right} of {} on the right words",
        anns.len()
    );
}

proptest! {
    #[test]
    fn anchoring_never_panics(
        exact in "\\PC{0,40}",
        prefix in "\\PC{0,12}",
        suffix in "\\PC{0,12}",
        start in 0u64..3000,
        len in 0u64..80,
        utf16 in any::<bool>(),
    ) {
        let art = article("Títle 👩‍👩‍👧‍👦\n\nA café in 東京 with 🇻🇪 flags, Arabic مرحبا and 𝒜 letters, repeated. A café in 東京 again.");
        let t = Target {
            exact,
            prefix,
            suffix,
            position: Some((start, start + len)),
            unit: Some(if utf16 { Unit::Utf16 } else { Unit::Unknown }),
        };
        let (span, how) = Anchorer::new(&art).anchor(&t, None);
        if let Some(span) = span {
            prop_assert!(span.end() <= art.len_chars());
            prop_assert!(how != Placement::Orphan);
        }
    }
}

/// A news page's paragraphs as claimmark reads them, with a distant copy of
/// some of its words: near the start, one paragraph that runs three
/// sentences together ("said.Then … talk.Filler"), the way a web page that
/// joins paragraphs with no whitespace would show the three paragraphs
/// near the end.
fn web_article() -> Article {
    let mut text = String::from("Ministers Meet Again\n\n");
    text.push_str("Officials said.Then the ministers met in Caracas to talk.Filler paragraph number 0 about other matters.\n\n");
    for i in 1..300 {
        text.push_str(&format!(
            "Filler paragraph number {i} about other matters entirely.\n\n"
        ));
    }
    text.push_str("Officials said.\n\nThen the ministers met in Caracas to talk.\n\n");
    text.push_str("Filler paragraph number 0 about other matters.\n\nThe end.\n");
    article(&text)
}

/// `span` of `art` as a page that joins paragraphs with `join` quotes it,
/// 32 characters of context either side, its position `off` units late.
fn web_target(art: &Article, span: Span, join: &str, off: u64) -> Target {
    let page = |s: &str| s.replace('\n', join);
    let text: Vec<char> = art.text().chars().collect();
    let (s, e) = (span.start() as usize, span.end() as usize);
    let cut = |a: usize, b: usize| text[a..b].iter().collect::<String>();
    let prefix = page(&cut(s.saturating_sub(40), s));
    let suffix = page(&cut(e, (e + 40).min(text.len())));
    let (pc, sc) = (prefix.chars().count(), suffix.chars().count());
    Target {
        exact: page(&cut(s, e)),
        prefix: prefix.chars().skip(pc.saturating_sub(32)).collect(),
        suffix: suffix.chars().take(sc.min(32)).collect(),
        position: Some((s as u64 + off, e as u64 + off)),
        unit: Some(Unit::Unknown),
    }
}

#[test]
fn a_quote_that_differs_only_in_whitespace_at_a_block_break_anchors_exactly() {
    let art = web_article();
    let near = art.text().rfind("Officials said.\nThen").unwrap();
    let start = art.text()[..near].chars().count() as u32;
    for (words, len) in [("said.\nThen the", 14), ("to talk.\nFiller paragraph", 25)] {
        let at = art.text()[near..].find(words).unwrap() + near;
        let s = art.text()[..at].chars().count() as u32;
        let want = Span::new(s, s + len);
        assert_eq!(art.slice(want), words);
        for join in ["", "\n\n"] {
            for off in [0, 150] {
                let t = web_target(&art, want, join, off);
                let (span, how) = Anchorer::new(&art).anchor(&t, None);
                assert_eq!(
                    span,
                    Some(want),
                    "{:?} joined by {join:?}, {off} late: {how:?}",
                    t.exact
                );
            }
        }
    }
    assert!(start > 0);
    // With no position, on a text where the words occur once.
    let plain =
        article("Ministers Meet\n\nTalks ended on Monday.\n\nPart 1\n\nThe ministers met again.");
    for (quote, want) in [
        (
            "Monday.Part 1The ministers",
            "Monday.\nPart 1\nThe ministers",
        ),
        (
            "Monday.\n\nPart 1\n\nThe ministers",
            "Monday.\nPart 1\nThe ministers",
        ),
        ("Monday. Part 1 The", "Monday.\nPart 1\nThe"),
    ] {
        let t = Target {
            exact: quote.into(),
            ..Target::default()
        };
        let span = Anchorer::new(&plain)
            .anchor(&t, None)
            .0
            .map(|s| plain.slice(s));
        assert_eq!(span, Some(want), "{quote:?}");
    }
}

#[test]
fn a_quote_stays_where_its_context_fits_rather_than_on_a_distant_copy() {
    let art = web_article();
    let near = art
        .text()
        .rfind("the ministers met in Caracas to talk.")
        .unwrap();
    let s = art.text()[..near].chars().count() as u32;
    let want = Span::new(s, s + 37);
    // The page joined the paragraphs with nothing: the near copy's context
    // differs from the quote's only in whitespace; the distant copy (13,000
    // characters away) has it character for character.
    let t = web_target(&art, want, "", 150);
    assert!(art.text().contains(&format!(
        "{}{}",
        t.prefix
            .chars()
            .rev()
            .take(5)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect::<String>(),
        t.exact
    )));
    assert_eq!(Anchorer::new(&art).anchor(&t, None).0, Some(want));
}

#[test]
fn a_page_that_counts_its_navigation_does_not_send_quotes_to_other_copies() {
    // Positions from a page with 3,000 characters of navigation before the
    // article: the first quote, found with all its context, shows how far
    // off the page counts, and the next one is looked for there — not on
    // the copy of its words that happens to be nearer the page's count.
    let art = workload::article(200_000, 3);
    let chars = |b: usize| art.text()[..b].chars().count() as u32;
    let first = Span::new(0, art.blocks[0].span.end());
    // A word whose next copy is a few thousand characters on.
    let hits: Vec<usize> = art
        .text()
        .match_indices("delegation")
        .map(|(b, _)| b)
        .collect();
    let (right, copy) = hits
        .windows(2)
        .map(|w| (chars(w[0]), chars(w[1])))
        .find(|(a, b)| b - a > 3000)
        .unwrap();
    let second = Span::new(right, right + 10);
    let off = (copy - right) as u64 * 3 / 4;
    let targets = vec![
        web_target(&art, first, "\n\n", off),
        web_target(&art, second, "\n\n", off),
    ];
    let placed = Anchorer::new(&art).anchor_all(&targets);
    assert_eq!(placed[0].0, Some(first));
    assert_eq!(placed[1].0, Some(second), "{:?}", placed[1]);
}

/// The re-anchoring benchmark's web-quote workload, smaller: every quote
/// whose only difference is whitespace at block breaks lands exactly.
#[test]
fn web_quotes_land_exactly_on_their_words() {
    let art = workload::article(200_000, 5);
    for join in [
        workload::Join::None,
        workload::Join::Blank,
        workload::Join::Mixed,
    ] {
        let quotes = workload::web_quotes(&art, 1000, join, 5);
        let targets: Vec<Target> = quotes.iter().map(|(t, _)| t.clone()).collect();
        let placed = Anchorer::new(&art).anchor_all(&targets);
        let wrong: Vec<_> = quotes
            .iter()
            .zip(&placed)
            .filter(|((_, want), (got, _))| *got != Some(*want))
            .map(|((t, want), (got, how))| {
                (
                    t.exact.clone(),
                    art.slice(*want).to_string(),
                    got.map(|g| art.slice(g).to_string()),
                    *how,
                )
            })
            .collect();
        assert!(
            wrong.is_empty(),
            "{join:?}: {} of {} wrong, e.g. {:#?}",
            wrong.len(),
            quotes.len(),
            &wrong[..wrong.len().min(5)]
        );
    }
}

proptest! {
    /// On an unchanged text, every annotation goes back to exactly its span,
    /// whatever the text (repeated words, emoji sequences, flags, combining
    /// marks, astral and CJK characters) and whatever the spans (overlapping,
    /// inside words, across blocks), with positions in code points or
    /// converted to UTF-16 units.
    #[test]
    fn anchoring_an_unchanged_text_returns_every_original_span(
        paras in prop::collection::vec(
            prop::collection::vec(
                prop::sample::select(vec!["word", "café", "東京", "👩‍👩‍👧‍👦", "🇻🇪", "e\u{301}x", "𝒜", "the", "said", "the"]),
                1..30,
            ),
            1..4,
        ),
        spans in prop::collection::vec((0u32..2000, 1u32..40), 1..20),
        utf16 in any::<bool>(),
    ) {
        let text = paras.iter().map(|p| p.join(" ")).collect::<Vec<_>>().join("\n\n");
        let art = article(&format!("Headline\n\n{text}"));
        let len = art.len_chars();
        let anns: Vec<Annotation> = spans
            .iter()
            .enumerate()
            .map(|(i, &(s, l))| {
                let s = s % len;
                let span = Span::new(s, (s + l).min(len).max(s + 1));
                Annotation::new(
                    common::id(i as u32),
                    claimmark::core::Tag::Fact,
                    &art,
                    span,
                    claimmark::core::Timestamp(1),
                )
            })
            .collect();
        let targets: Vec<Target> = anns
            .iter()
            .map(|a| {
                let mut t = Target::of(a);
                if utf16 {
                    let u = |cp: u32| art.index().utf16_of(art.text(), cp) as u64;
                    t.position = Some((u(a.span.start()), u(a.span.end())));
                    t.unit = Some(Unit::Utf16);
                }
                t
            })
            .collect();
        let placed = Anchorer::new(&art).anchor_all(&targets);
        for (a, (span, _)) in anns.iter().zip(&placed) {
            prop_assert_eq!(*span, Some(a.span), "{:?} {:?}", a.quote.exact, a.span);
        }
    }
}
