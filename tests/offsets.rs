//! Offset conversions between code points, UTF-16 units and UTF-8 bytes.
#![cfg(not(target_arch = "wasm32"))]

use claimmark::core::offset::{chars_to_byte, chars_to_utf16, utf16_len, utf16_to_chars};
use claimmark::core::{Span, TextIndex};
use proptest::prelude::*;

const FAMILY: &str = "👩‍👩‍👧‍👦";

#[test]
fn astral_zwj_combining_cjk_and_rtl() {
    // (text, code points, UTF-16 units, UTF-8 bytes)
    let cases = [
        ("Nicolás", 7, 7, 8),
        ("𝒜", 1, 2, 4),
        (FAMILY, 7, 11, 25),
        ("🇻🇪", 2, 4, 8),
        ("e\u{301}", 2, 2, 3),
        ("中文", 2, 2, 6),
        ("مرحبا", 5, 5, 10),
    ];
    for (s, cps, u16s, bytes) in cases {
        assert_eq!(s.chars().count(), cps, "{s}");
        assert_eq!(utf16_len(s), u16s, "{s}");
        assert_eq!(s.len(), bytes, "{s}");
        assert_eq!(utf16_to_chars(s, u16s), cps as u32, "{s}");
        assert_eq!(chars_to_utf16(s, cps as u32), u16s, "{s}");
        assert_eq!(chars_to_byte(s, cps as u32), bytes, "{s}");
    }
    // "a𝒜b": b is code point 2, UTF-16 unit 3, byte 5.
    let s = "a𝒜b";
    assert_eq!(utf16_to_chars(s, 3), 2);
    assert_eq!(chars_to_utf16(s, 2), 3);
    assert_eq!(chars_to_byte(s, 2), 5);
    // Between the halves of a surrogate pair rounds down to the character's start.
    assert_eq!(utf16_to_chars(s, 2), 1);
}

#[test]
fn index_on_a_long_mixed_text() {
    let text = format!("{}{}", "ab𝒜 ".repeat(100), FAMILY.repeat(30));
    let idx = TextIndex::new(&text);
    assert_eq!(idx.len_chars() as usize, text.chars().count());
    assert_eq!(idx.len_utf16(), utf16_len(&text));
    let span = Span::new(398, 410);
    let expected: String = text.chars().skip(398).take(12).collect();
    assert_eq!(idx.slice(&text, span), expected);
}

proptest! {
    #[test]
    fn index_agrees_with_the_plain_conversions(
        text in "(\\PC|👩‍👩‍👧‍👦|🇻🇪|𝒜|e\u{301}|中){0,300}",
        pick in 0u32..400,
    ) {
        let idx = TextIndex::new(&text);
        let n = idx.len_chars();
        let cp = pick.min(n);
        let u = idx.utf16_of(&text, cp);
        prop_assert_eq!(u, chars_to_utf16(&text, cp));
        prop_assert_eq!(idx.byte_of(&text, cp), chars_to_byte(&text, cp));
        prop_assert_eq!(idx.char_of_utf16(&text, u), cp);
        prop_assert_eq!(utf16_to_chars(&text, u), cp);
        prop_assert!(text.is_char_boundary(idx.byte_of(&text, cp)));
    }
}

proptest! {
    /// A quote's text and context are exactly the text's slices around the
    /// span, at the start, the end and across multi-byte characters.
    #[test]
    fn quotes_are_the_slices_around_the_span(a in 0u32..200, b in 0u32..200) {
        use claimmark::core::TextQuote;
        let art = claimmark::core::parse::plain::parse_plain_text(
            "Café 👩‍👩‍👧‍👦 Notes\n\nNicolás met 🇻🇪 in Caracas and said cafe\u{301} twice; 中文测试, then 𝒜 and مرحبا.",
            None,
        );
        let len = art.len_chars();
        // Any non-empty span, without rejecting cases (so any number of
        // cases runs): a start inside the text, a length that fits.
        let s = a % len;
        let e = s + 1 + b % (len - s);
        let span = Span::new(s, e);
        let q = TextQuote::of(&art, span);
        prop_assert_eq!(q.exact.as_str(), art.slice(span));
        prop_assert_eq!(q.prefix.as_str(), art.slice(Span::new(s.saturating_sub(32), s)));
        prop_assert_eq!(q.suffix.as_str(), art.slice(Span::new(e, (e + 32).min(len))));
    }
}

proptest! {
    /// Any UTF-16 offset — on a boundary, between the halves of a surrogate
    /// pair, or past the end — maps to the code point at or before it (the
    /// reference: count the characters that end at or before it), and back
    /// to the last boundary at or before it.
    #[test]
    fn any_utf16_offset_maps_to_the_code_point_at_or_before_it(
        text in "(\\PC|👩‍👩‍👧‍👦|🇻🇪|𝒜|😀|e\u{301}|中){0,300}",
        units in 0u32..1500,
    ) {
        let idx = TextIndex::new(&text);
        let mut end = 0;
        let mut want = 0;
        for c in text.chars() {
            end += c.len_utf16() as u32;
            if end > units {
                break;
            }
            want += 1;
        }
        prop_assert_eq!(utf16_to_chars(&text, units), want);
        prop_assert_eq!(idx.char_of_utf16(&text, units), want);
        let back = idx.utf16_of(&text, want);
        prop_assert!(back <= units);
        prop_assert_eq!(back, chars_to_utf16(&text, want));
        if units < idx.len_utf16() {
            prop_assert!(idx.utf16_of(&text, want + 1) > units, "the next boundary is past it");
        } else {
            prop_assert_eq!(want, idx.len_chars(), "past the end: clamped to the end");
        }
        // Code points past the end clamp too.
        prop_assert_eq!(idx.utf16_of(&text, idx.len_chars() + units), idx.len_utf16());
        prop_assert_eq!(chars_to_utf16(&text, idx.len_chars() + units), idx.len_utf16());
    }
}

#[test]
fn an_offset_inside_a_surrogate_pair_rounds_down_to_its_character() {
    let text = "a𝒜b";
    let idx = TextIndex::new(text);
    // a = unit 0, 𝒜 = units 1–2, b = unit 3.
    assert_eq!(idx.char_of_utf16(text, 2), 1, "inside 𝒜: at 𝒜");
    assert_eq!(utf16_to_chars(text, 2), 1);
    assert_eq!(idx.char_of_utf16(text, 3), 2);
    assert_eq!(idx.char_of_utf16(text, 99), 3);
}
