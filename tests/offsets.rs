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
        let (s, e) = (a.min(b).min(len), a.max(b).min(len));
        prop_assume!(s < e);
        let span = Span::new(s, e);
        let q = TextQuote::of(&art, span);
        prop_assert_eq!(q.exact.as_str(), art.slice(span));
        prop_assert_eq!(q.prefix.as_str(), art.slice(Span::new(s.saturating_sub(32), s)));
        prop_assert_eq!(q.suffix.as_str(), art.slice(Span::new(e, (e + 32).min(len))));
    }
}
