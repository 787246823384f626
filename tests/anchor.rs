//! Anchoring annotations onto text that may have changed.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::anchor::{Anchorer, Placement, Target, Unit};
use claimmark::core::offset::utf16_len;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{workload, Annotation, Article, Span};
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
