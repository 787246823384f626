//! Text offsets.
//!
//! claimmark has one offset unit inside: the Unicode code point, which is
//! what the W3C Web Annotation model counts; every offset a [`Span`], the
//! core or a stored record holds is a `u32` of code points. The DOM speaks
//! UTF-16 code units and Rust strings index UTF-8 bytes; both are converted
//! only at the edges, through [`TextIndex`] or the helpers below, whose
//! names say the units they convert between (`utf16_to_chars`, `chars_to_byte`, `utf16_of`…).

use serde::{Deserialize, Serialize};

/// A half-open range `[start, end)` of code points.
///
/// Invariant: `start <= end` (enforced by every constructor and by `Deserialize`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "RawSpan", into = "RawSpan")]
pub struct Span {
    start: u32,
    end: u32,
}

#[derive(Serialize, Deserialize)]
struct RawSpan {
    start: u32,
    end: u32,
}

impl TryFrom<RawSpan> for Span {
    type Error = String;
    fn try_from(raw: RawSpan) -> Result<Self, Self::Error> {
        Span::try_new(raw.start, raw.end)
            .ok_or_else(|| format!("end {} is before start {}", raw.end, raw.start))
    }
}

impl From<Span> for RawSpan {
    fn from(s: Span) -> Self {
        RawSpan {
            start: s.start,
            end: s.end,
        }
    }
}

impl Span {
    /// A span from `start` to `end`.
    ///
    /// # Panics
    /// When `end < start`; use [`Span::try_new`] for untrusted input.
    pub fn new(start: u32, end: u32) -> Span {
        Span::try_new(start, end).expect("Span::new: end before start")
    }

    /// A span, or `None` when `end < start`.
    pub fn try_new(start: u32, end: u32) -> Option<Span> {
        (start <= end).then_some(Span { start, end })
    }

    pub fn start(self) -> u32 {
        self.start
    }

    pub fn end(self) -> u32 {
        self.end
    }

    pub fn len(self) -> u32 {
        self.end - self.start
    }

    pub fn is_empty(self) -> bool {
        self.start == self.end
    }

    /// True when the two spans share at least one code point.
    pub fn overlaps(self, other: Span) -> bool {
        self.start < other.end && other.start < self.end
    }

    /// The part of `self` inside `other`, if they share any code point.
    pub fn intersect(self, other: Span) -> Option<Span> {
        let s = self.start.max(other.start);
        let e = self.end.min(other.end);
        (s < e).then_some(Span { start: s, end: e })
    }

    pub fn contains(self, offset: u32) -> bool {
        self.start <= offset && offset < self.end
    }

    /// True when every code point of `other` is in `self`.
    pub fn contains_span(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

/// UTF-16 length of a string.
pub fn utf16_len(s: &str) -> u32 {
    s.chars().map(|c| c.len_utf16() as u32).sum()
}

/// Code points in the first `units` UTF-16 units of `s`.
///
/// An offset that falls between the two halves of a surrogate pair is rounded
/// down to the start of that character; one past the end is clamped to the end.
pub fn utf16_to_chars(s: &str, units: u32) -> u32 {
    let mut u = 0u32;
    let mut n = 0u32;
    for c in s.chars() {
        let w = c.len_utf16() as u32;
        if u + w > units {
            break;
        }
        u += w;
        n += 1;
    }
    n
}

/// UTF-16 units in the first `chars` code points of `s` (clamped to its end).
pub fn chars_to_utf16(s: &str, chars: u32) -> u32 {
    s.chars()
        .take(chars as usize)
        .map(|c| c.len_utf16() as u32)
        .sum()
}

/// UTF-8 byte offset of the code point `chars` in `s` (clamped to its end).
pub fn chars_to_byte(s: &str, chars: u32) -> usize {
    s.char_indices()
        .nth(chars as usize)
        .map_or(s.len(), |(b, _)| b)
}

/// Spacing between checkpoints in [`TextIndex`]: a lookup scans at most this
/// many code points, so a 1 MB text needs ~16 K checkpoints (~200 KB).
const STRIDE: usize = 64;

/// Fast offset conversion over one long text (an article's canonical text).
///
/// Keeps the UTF-8 byte and UTF-16 unit position of every 64th code point.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextIndex {
    /// (byte, utf16) of code point `i * STRIDE`.
    checkpoints: Vec<(u32, u32)>,
    chars: u32,
    utf16: u32,
}

impl TextIndex {
    pub fn new(text: &str) -> TextIndex {
        let mut checkpoints = Vec::with_capacity(text.len() / STRIDE + 1);
        let mut u16pos = 0u32;
        let mut n = 0usize;
        // Over bytes rather than chars (3× faster on a 1 MB text in wasm): a
        // code point starts at every byte that is not a continuation byte
        // (10xxxxxx), and takes two UTF-16 units when its lead byte is 11110xxx.
        for (b, &byte) in text.as_bytes().iter().enumerate() {
            if byte & 0xC0 == 0x80 {
                continue;
            }
            if n % STRIDE == 0 {
                checkpoints.push((b as u32, u16pos));
            }
            u16pos += 1 + (byte >= 0xF0) as u32;
            n += 1;
        }
        TextIndex {
            checkpoints,
            chars: n as u32,
            utf16: u16pos,
        }
    }

    /// Length in code points.
    pub fn len_chars(&self) -> u32 {
        self.chars
    }

    /// Length in UTF-16 units.
    pub fn len_utf16(&self) -> u32 {
        self.utf16
    }

    /// UTF-8 byte offset of code point `cp` in `text` (the text this index was built on).
    pub fn byte_of(&self, text: &str, cp: u32) -> usize {
        if cp >= self.chars {
            return text.len();
        }
        let (b, _) = self.checkpoints[cp as usize / STRIDE];
        let rest = cp as usize % STRIDE;
        b as usize + chars_to_byte(&text[b as usize..], rest as u32)
    }

    /// UTF-16 offset of code point `cp`.
    pub fn utf16_of(&self, text: &str, cp: u32) -> u32 {
        if cp >= self.chars {
            return self.utf16;
        }
        let (b, u) = self.checkpoints[cp as usize / STRIDE];
        u + chars_to_utf16(&text[b as usize..], cp % STRIDE as u32)
    }

    /// Code point at UTF-16 offset `units` (rounded down inside a surrogate pair).
    pub fn char_of_utf16(&self, text: &str, units: u32) -> u32 {
        if units >= self.utf16 {
            return self.chars;
        }
        // Last checkpoint at or before `units`.
        let i = self.checkpoints.partition_point(|&(_, u)| u <= units) - 1;
        let (b, u) = self.checkpoints[i];
        (i * STRIDE) as u32 + utf16_to_chars(&text[b as usize..], units - u)
    }

    /// Code point at UTF-8 byte offset `byte` (which must be a char boundary).
    pub fn char_of_byte(&self, text: &str, byte: usize) -> u32 {
        if byte >= text.len() {
            return self.chars;
        }
        let i = self
            .checkpoints
            .partition_point(|&(b, _)| b as usize <= byte)
            - 1;
        let (b, _) = self.checkpoints[i];
        (i * STRIDE) as u32 + text[b as usize..byte].chars().count() as u32
    }

    /// The text of `span` as a `&str`.
    pub fn slice<'a>(&self, text: &'a str, span: Span) -> &'a str {
        &text[self.byte_of(text, span.start())..self.byte_of(text, span.end())]
    }
}
