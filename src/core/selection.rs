//! Turning a raw selection into an annotation span, and moving a word cursor.
//!
//! A raw selection is trimmed of surrounding whitespace and snapped outward to
//! whole words (unless the person asked for exact characters). Either way it is
//! widened so it never splits a user-perceived character: a combining mark, an
//! emoji ZWJ sequence, a skin-tone modifier or a flag stays whole. An
//! abbreviation keeps its final full stop ("U.S.", "e.g.").
//!
//! The word cursor ([`motion`]) is how the article is annotated from the
//! keyboard: arrows select the next or previous word or block's first word,
//! Shift extends or shrinks the selection word by word.

use super::article::Article;
use super::offset::Span;

/// How a character behaves in a word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Space,
    Punct,
    /// Part of a word: letters, digits, emoji, marks.
    Word,
    /// A CJK ideograph or kana: a word of its own (no spaces separate them).
    Ideograph,
    /// An apostrophe, hyphen or full stop: part of a word only between two
    /// word chars ("Trump’s", "face-to-face", "U.S", "3.5").
    Joiner,
}

fn class(c: char) -> Class {
    let u = c as u32;
    if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
        Class::Space
    } else if matches!(c, '\'' | '’' | '-' | '‐' | '\u{2011}' | '.') {
        Class::Joiner
    } else if is_extender(c) {
        Class::Word
    } else if (0x3040..=0x30ff).contains(&u)
        || (0x3400..=0x4dbf).contains(&u)
        || (0x4e00..=0x9fff).contains(&u)
        || (0xf900..=0xfaff).contains(&u)
        || (0x20000..=0x3134f).contains(&u)
    {
        Class::Ideograph
    } else if c.is_ascii_punctuation()
        || (0x2000..=0x206f).contains(&u)
        || (0x3000..=0x303f).contains(&u)
        || (0xff01..=0xff0f).contains(&u)
        || matches!(c, '«' | '»' | '¡' | '¿' | '·' | '§' | '¶')
    {
        Class::Punct
    } else {
        Class::Word
    }
}

/// Characters that attach to the one before: combining marks, ZWJ/ZWNJ,
/// variation selectors, emoji skin-tone modifiers and tag characters.
fn is_extender(c: char) -> bool {
    let u = c as u32;
    (0x0300..=0x036f).contains(&u)
        || (0x1ab0..=0x1aff).contains(&u)
        || (0x1dc0..=0x1dff).contains(&u)
        || (0x20d0..=0x20ff).contains(&u)
        || (0xfe20..=0xfe2f).contains(&u)
        || (0x0591..=0x05c7).contains(&u)
        || (0x0610..=0x061a).contains(&u)
        || (0x064b..=0x065f).contains(&u)
        || u == 0x0670
        || u == 0x200c
        || u == 0x200d
        || (0xfe00..=0xfe0f).contains(&u)
        || (0x1f3fb..=0x1f3ff).contains(&u)
        || (0xe0020..=0xe007f).contains(&u)
        || (0xe0100..=0xe01ef).contains(&u)
}

fn is_regional_indicator(c: char) -> bool {
    (0x1f1e6..=0x1f1ff).contains(&(c as u32))
}

/// A window of the article's text as chars, with its offset in the article.
/// Snapping looks at most this far beyond the raw selection.
const WINDOW: u32 = 256;

struct Chars {
    base: u32,
    chars: Vec<char>,
}

impl Chars {
    fn around(article: &Article, span: Span, margin: u32) -> Chars {
        let base = span.start().saturating_sub(margin);
        let end = (span.end() + margin).min(article.len_chars());
        Chars {
            base,
            chars: article.slice(Span::new(base, end)).chars().collect(),
        }
    }
    fn at(&self, abs: u32) -> Option<char> {
        abs.checked_sub(self.base)
            .and_then(|i| self.chars.get(i as usize).copied())
    }
    fn end(&self) -> u32 {
        self.base + self.chars.len() as u32
    }
}

/// Refine a raw selection into an annotation span.
///
/// Trims whitespace, snaps outward to whole words unless `exact`, and never
/// splits a character cluster. `None` when nothing but whitespace remains.
pub fn refine(article: &Article, raw: Span, exact: bool) -> Option<Span> {
    let len = article.len_chars();
    let raw = Span::try_new(raw.start().min(len), raw.end().min(len))?;
    let w = Chars::around(article, raw, WINDOW);
    let (mut s, mut e) = (raw.start(), raw.end());
    while s < e && w.at(s).is_some_and(|c| class(c) == Class::Space) {
        s += 1;
    }
    while e > s && w.at(e - 1).is_some_and(|c| class(c) == Class::Space) {
        e -= 1;
    }
    if s >= e {
        return None;
    }
    if !exact {
        s = word_start(&w, s);
        e = word_end(&w, e);
    }
    let (s, e) = cluster_bounds(&w, s, e);
    Some(Span::new(s, e))
}

/// Is position `p` (between chars `p-1` and `p`) inside a word?
fn inside_word(w: &Chars, p: u32) -> bool {
    let (Some(a), Some(b)) = (p.checked_sub(1).and_then(|q| w.at(q)), w.at(p)) else {
        return false;
    };
    let joinable = |x: Class| x == Class::Word;
    match (class(a), class(b)) {
        (Class::Word, Class::Word) => true,
        // "Trump’s", "face-to-face": a joiner between word chars is inside the word.
        (Class::Word, Class::Joiner) => w.at(p + 1).is_some_and(|c| joinable(class(c))),
        (Class::Joiner, Class::Word) => p
            .checked_sub(2)
            .and_then(|q| w.at(q))
            .is_some_and(|c| joinable(class(c))),
        (_, _) => is_extender(b),
    }
}

fn word_start(w: &Chars, mut s: u32) -> u32 {
    while s > w.base && inside_word(w, s) {
        s -= 1;
    }
    s
}

fn word_end(w: &Chars, mut e: u32) -> u32 {
    while e < w.end() && inside_word(w, e) {
        e += 1;
    }
    if abbreviation_ends_at(w, e) {
        e += 1;
    }
    e
}

/// Is the word ending at `e` an abbreviation whose full stop follows it
/// ("U.S" + ".", "e.g" + ".")? Letters in groups of one or two, joined by
/// full stops, at least one stop inside: "U.S.", "e.g.", "Ph.D.", but not
/// "Maduro." or "3.5.".
fn abbreviation_ends_at(w: &Chars, e: u32) -> bool {
    if w.at(e) != Some('.') {
        return false;
    }
    let mut groups = 0;
    let mut run = 0;
    let mut p = e;
    while p > w.base {
        let Some(c) = w.at(p - 1) else { break };
        if c.is_alphabetic() {
            run += 1;
            if run > 2 {
                return false;
            }
        } else if c == '.' && run > 0 {
            groups += 1;
            run = 0;
        } else {
            break;
        }
        p -= 1;
    }
    run > 0 && groups >= 1
}

/// Widen `[s, e)` so no extender, ZWJ sequence or flag is split.
fn cluster_bounds(w: &Chars, mut s: u32, mut e: u32) -> (u32, u32) {
    let splits = |p: u32| -> bool {
        let (Some(a), Some(b)) = (p.checked_sub(1).and_then(|q| w.at(q)), w.at(p)) else {
            return false;
        };
        if is_extender(b) || a == '\u{200d}' {
            return true;
        }
        if is_regional_indicator(a) && is_regional_indicator(b) {
            // Flags pair up from the start of a run of regional indicators.
            let mut n = 0;
            let mut q = p;
            while q > w.base && w.at(q - 1).is_some_and(is_regional_indicator) {
                n += 1;
                q -= 1;
            }
            return n % 2 == 1;
        }
        false
    };
    while s > w.base && splits(s) {
        s -= 1;
    }
    while e < w.end() && splits(e) {
        e += 1;
    }
    (s, e)
}

/// The first word that starts at or after `pos`.
pub fn word_after(article: &Article, pos: u32) -> Option<Span> {
    let len = article.len_chars();
    let mut from = pos.min(len);
    // Scan window by window so a long gap of punctuation still finds a word.
    while from < len {
        let w = Chars::around(article, Span::new(from, from), WINDOW);
        let mut p = from;
        while p < w.end() {
            let c = w.at(p)?;
            if matches!(class(c), Class::Word | Class::Ideograph) && !inside_word(&w, p) {
                let e = if class(c) == Class::Ideograph {
                    p + 1
                } else {
                    word_end(&w, p + 1)
                };
                return Some(Span::new(p, cluster_bounds(&w, p, e).1));
            }
            p += 1;
        }
        from = w.end();
    }
    None
}

/// The last word that ends at or before `pos`.
pub fn word_before(article: &Article, pos: u32) -> Option<Span> {
    let mut to = pos.min(article.len_chars());
    while to > 0 {
        let w = Chars::around(article, Span::new(to, to), WINDOW);
        let mut p = to;
        while p > w.base {
            let c = w.at(p - 1)?;
            if matches!(class(c), Class::Word | Class::Ideograph) && !inside_word(&w, p) {
                let s = if class(c) == Class::Ideograph {
                    p - 1
                } else {
                    word_start(&w, p - 1)
                };
                // An abbreviation's full stop belongs to it ("U.S."), when
                // it is before `pos`.
                let e = if abbreviation_ends_at(&w, p) && p < pos {
                    p + 1
                } else {
                    p
                };
                return Some(Span::new(cluster_bounds(&w, s, e).0, e));
            }
            p -= 1;
        }
        to = w.base;
    }
    None
}

/// A move of the keyboard word cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// The next word (→).
    NextWord,
    /// The previous word (←).
    PreviousWord,
    /// The first word of the next block (↓).
    NextBlock,
    /// The first word of the previous block (↑).
    PreviousBlock,
    /// Add the next word to the selection (Shift+→).
    Extend,
    /// Take the last word off the selection (Shift+←); never below one word.
    Shrink,
}

impl Motion {
    /// The motion an arrow key makes (`shift` held or not), if any.
    pub fn of_key(key: &str, shift: bool) -> Option<Motion> {
        Some(match (key, shift) {
            ("ArrowRight", false) => Motion::NextWord,
            ("ArrowLeft", false) => Motion::PreviousWord,
            ("ArrowRight", true) => Motion::Extend,
            ("ArrowLeft", true) => Motion::Shrink,
            ("ArrowDown", _) => Motion::NextBlock,
            ("ArrowUp", _) => Motion::PreviousBlock,
            _ => return None,
        })
    }
}

/// Where the word cursor goes from the current selection `cur` (or from
/// nothing: the first word of the article). `None` when it cannot move.
pub fn motion(article: &Article, cur: Option<Span>, m: Motion) -> Option<Span> {
    let first_word_of = |block: usize| {
        article
            .blocks
            .get(block)
            .and_then(|b| word_after(article, b.span.start()))
    };
    let Some(c) = cur else {
        return word_after(article, 0);
    };
    match m {
        Motion::NextWord => word_after(article, c.end()),
        Motion::PreviousWord => word_before(article, c.start()),
        Motion::Extend => word_after(article, c.end()).map(|w| Span::new(c.start(), w.end())),
        Motion::Shrink => {
            let last = word_before(article, c.end())?;
            let prev = word_before(article, last.start()).filter(|w| w.start() >= c.start())?;
            Some(Span::new(c.start(), prev.end()))
        }
        Motion::NextBlock => first_word_of(article.block_at(c.end().saturating_sub(1))? + 1),
        Motion::PreviousBlock => {
            let b = article.block_at(c.start())?;
            first_word_of(b.checked_sub(1)?)
        }
    }
}
