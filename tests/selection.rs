//! Turning a raw selection into an annotation span, and the word cursor.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::script::Dir;
use claimmark::core::selection::{
    motion, motion_with, refine, refine_with, word_after, word_before, Dictionary, Motion,
};
use claimmark::core::{seed_article, Article, Span};
use common::{find, fixture};
use proptest::prelude::*;

fn unicode() -> Article {
    parse_plain_text(&fixture("unicode-crlf.txt"), None)
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

/// A dictionary that knows a few words and cuts everything else into
/// single characters (longest match first), as `Intl.Segmenter` does with
/// its own, much larger one.
struct Words(&'static [&'static str]);

impl Dictionary for Words {
    fn words(&self, text: &str) -> Vec<(u32, u32)> {
        let chars: Vec<char> = text.chars().collect();
        let mut out = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            if !chars[i].is_alphanumeric() {
                i += 1;
                continue;
            }
            let rest: String = chars[i..].iter().collect();
            let n = self
                .0
                .iter()
                .filter(|w| rest.starts_with(**w))
                .map(|w| w.chars().count())
                .max()
                .unwrap_or(1);
            out.push((i as u32, (i + n) as u32));
            i += n;
        }
        out
    }
}

const ZH: Words = Words(&["地铁", "北京", "新", "线路", "开通", "今天"]);
const JA: Words = Words(&["予測", "東京", "気温", "明日", "の", "は", "です"]);
const TH: Words = Words(&["รถไฟฟ้า", "สาย", "ใหม่", "เปิด", "วันนี้"]);

#[test]
fn a_drag_inside_a_chinese_japanese_or_thai_word_takes_the_word() {
    for (text, dict, inside, word) in [
        ("北京地铁新线路今天开通。", &ZH, "铁", "地铁"),
        ("明日の東京の気温予測です。", &JA, "測", "予測"),
        ("รถไฟฟ้าสายใหม่เปิดวันนี้", &TH, "ใหม", "ใหม่"),
    ] {
        let a = parse_plain_text(&format!("Headline\n\n{text}"), None);
        let at = find(&a, inside);
        let got = refine_with(&a, at, false, Some(dict)).map(|s| a.slice(s).to_string());
        assert_eq!(got.as_deref(), Some(word), "in {text}");
        // Exact characters stay exact (no dictionary), whole clusters only.
        let exact = refined(&a, at, true).unwrap();
        assert!(exact.starts_with(inside) && word.contains(exact), "{exact}");
    }
}

#[test]
fn without_a_dictionary_katakana_and_thai_runs_are_words_and_kanji_single() {
    let a = parse_plain_text("Headline\n\nコンピューター予測 รถไฟฟ้าสายใหม่", None);
    let k = find(&a, "ピュ");
    assert_eq!(refined(&a, k, false), Some("コンピューター"));
    let y = find(&a, "測");
    assert_eq!(refined(&a, y, false), Some("測"));
    let t = find(&a, "สาย");
    assert_eq!(refined(&a, t, false), Some("รถไฟฟ้าสายใหม่"));
}

#[test]
fn the_word_cursor_moves_by_dictionary_words() {
    let a = parse_plain_text("Headline\n\n北京地铁新线路今天开通。", None);
    let start = find(&a, "北京");
    let mut seen = vec![];
    let mut cur = Some(Span::new(start.start(), start.start()));
    cur = motion_with(&a, cur, Motion::NextWord, Some(&ZH));
    while let Some(c) = cur {
        seen.push(a.slice(c).to_string());
        cur = motion_with(&a, Some(c), Motion::NextWord, Some(&ZH));
    }
    assert_eq!(seen, ["北京", "地铁", "新", "线路", "今天", "开通"]);
    let kaitong = find(&a, "开通");
    let back = motion_with(&a, Some(kaitong), Motion::PreviousWord, Some(&ZH)).unwrap();
    assert_eq!(a.slice(back), "今天");
    // Shift+→ adds the next dictionary word.
    let two = motion_with(&a, Some(find(&a, "地铁")), Motion::Extend, Some(&ZH)).unwrap();
    assert_eq!(a.slice(two), "地铁新");
}

#[test]
fn arrows_go_the_way_they_point_in_right_to_left_text() {
    assert_eq!(
        Motion::of_key_in("ArrowRight", false, Dir::Rtl),
        Some(Motion::PreviousWord)
    );
    assert_eq!(
        Motion::of_key_in("ArrowLeft", false, Dir::Rtl),
        Some(Motion::NextWord)
    );
    assert_eq!(
        Motion::of_key_in("ArrowLeft", true, Dir::Rtl),
        Some(Motion::Extend)
    );
    assert_eq!(
        Motion::of_key_in("ArrowRight", true, Dir::Rtl),
        Some(Motion::Shrink)
    );
    assert_eq!(
        Motion::of_key_in("ArrowDown", false, Dir::Rtl),
        Some(Motion::NextBlock)
    );
    assert_eq!(
        Motion::of_key_in("ArrowRight", false, Dir::Ltr),
        Some(Motion::NextWord)
    );
    // Arabic words, Latin names and numbers are words in logical order.
    let a = parse_plain_text(
        "عنوان الخبر\n\nقالت شركة Siemens Mobility إن 3,200 حافلة ستعمل.",
        None,
    );
    let s = find(&a, "شركة");
    let next = motion(&a, Some(s), Motion::NextWord).unwrap();
    assert_eq!(a.slice(next), "Siemens");
    let n = find(&a, "3,200");
    assert_eq!(
        a.slice(motion(&a, Some(find(&a, "إن")), Motion::NextWord).unwrap()),
        "3"
    );
    assert!(n.start() > 0);
}

#[test]
fn marks_of_hebrew_arabic_thai_and_devanagari_stay_with_their_letters() {
    let a = parse_plain_text("Headline\n\nשָׁלוֹם مُحَمَّد กำลัง क्षत्रिय", None);
    for word in ["שָׁלוֹם", "مُحَمَّد", "กำลัง", "क्षत्रिय"]
    {
        let w = find(&a, word);
        // One code point inside, exact: at least its cluster, never a mark alone.
        let got = refine(&a, Span::new(w.start() + 1, w.start() + 2), true).unwrap();
        assert!(got.start() >= w.start() && got.end() <= w.end(), "{word}");
        assert_eq!(
            refined(&a, Span::new(w.start() + 1, w.start() + 2), false),
            Some(word)
        );
    }
}

/// A dictionary that cuts wherever it is told: boundaries a real one would
/// never give (inside clusters, overlapping), to show snapping holds anyway.
struct Cuts(Vec<u32>);

impl Dictionary for Cuts {
    fn words(&self, text: &str) -> Vec<(u32, u32)> {
        let n = text.chars().count() as u32;
        let mut out = Vec::new();
        let mut at = 0;
        for &len in self.0.iter().cycle().take(4 * n as usize + 4) {
            if at >= n {
                break;
            }
            let end = (at + len.max(1)).min(n);
            out.push((at, end));
            at = end;
        }
        out
    }
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
                "地铁站", "予測した", "コンピューター", "。", "مُحَمَّد", "שָׁלוֹם", "กำลังเดินทาง", "क्षत्रिय",
                "ព្រះរាជាណាចក្រ", "3,200", "«نص»", "،",
            ]),
            1..25,
        ),
        a in 0u32..400,
        b in 0u32..400,
        exact in any::<bool>(),
        cuts in prop::option::of(prop::collection::vec(1u32..6, 1..8)),
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
        let dict = cuts.map(Cuts);
        match refine_with(&art, raw, exact, dict.as_ref().map(|d| d as &dyn Dictionary)) {
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
