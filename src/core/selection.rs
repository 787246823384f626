//! Turning a raw selection into an annotation span, and moving a word cursor.
//!
//! A raw selection is trimmed of surrounding whitespace and snapped outward to
//! whole words (unless the person asked for exact characters). Either way it is
//! widened so it never splits a user-perceived character: a combining mark, an
//! emoji ZWJ sequence, a skin-tone modifier or a flag stays whole. An
//! abbreviation keeps its final full stop ("U.S.", "e.g.").
//!
//! Chinese, Japanese, Thai, Lao, Khmer and Myanmar put no spaces between
//! words: where a word ends there is a matter for a dictionary. The browser
//! has one (`Intl.Segmenter`, bound in `web::words`) and passes it in as a
//! [`Dictionary`]; between two characters of such scripts its word
//! boundaries decide. Without one (native tests, old browsers) a run of
//! katakana or of Thai, Lao, Khmer or Myanmar letters is one word and every
//! Chinese character or kana is a word of its own. Whatever the dictionary
//! says, snapping only ever widens and never splits a cluster.
//!
//! The word cursor ([`motion`]) is how the article is annotated from the
//! keyboard: arrows select the next or previous word or block's first word,
//! Shift extends or shrinks the selection word by word; in a right-to-left
//! block → goes back and ← on, as they look ([`Motion::of_key_in`]).

use super::article::Article;
use super::offset::Span;
use super::script::{unspaced, Dir, Unspaced};

/// Word boundaries from a dictionary, for text whose words are not
/// separated by spaces (the browser's `Intl.Segmenter`).
pub trait Dictionary {
    /// The word-like segments of `text` as `(start, end)` in code points of
    /// `text`, in order and not overlapping.
    fn words(&self, text: &str) -> Vec<(u32, u32)>;
}

/// How a character behaves in a word.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Space,
    Punct,
    /// Part of a word: letters, digits, emoji, marks.
    Word,
    /// A letter of a script written without spaces between words.
    Unspaced(Unspaced),
    /// An apostrophe, hyphen or full stop: part of a word only between two
    /// word chars ("Trump’s", "face-to-face", "U.S", "3.5").
    Joiner,
}

impl Class {
    fn is_wordy(self) -> bool {
        matches!(self, Class::Word | Class::Unspaced(_))
    }
}

fn class(c: char) -> Class {
    let u = c as u32;
    if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
        Class::Space
    } else if matches!(c, '\'' | '’' | '-' | '‐' | '\u{2011}' | '.') {
        Class::Joiner
    } else if is_extender(c) {
        Class::Word
    } else if let Some(k) = unspaced(c) {
        Class::Unspaced(k)
    } else if c.is_ascii_punctuation()
        || (0x2000..=0x206f).contains(&u)
        || (0x3000..=0x303f).contains(&u)
        || (0xff01..=0xff0f).contains(&u)
        || (0xff1a..=0xff20).contains(&u)
        || matches!(
            c,
            '«' | '»'
                | '¡'
                | '¿'
                | '·'
                | '§'
                | '¶'
                | '،'
                | '؛'
                | '؟'
                | '۔'
                | '।'
                | '॥'
                | '׃'
                | '״'
                | '\u{0e2f}'
                | '\u{0e5a}'
                | '\u{0e5b}'
                | '\u{17d4}'
                | '\u{17d5}'
                | '\u{104a}'
                | '\u{104b}'
        )
    {
        Class::Punct
    } else {
        Class::Word
    }
}

/// Characters that attach to the one before: combining marks (Latin,
/// Hebrew, Arabic, Devanagari, Thai, Lao, Khmer, Myanmar), ZWJ/ZWNJ,
/// variation selectors, emoji skin-tone modifiers and tag characters.
fn is_extender(c: char) -> bool {
    let u = c as u32;
    (0x0300..=0x036f).contains(&u)
        || (0x1ab0..=0x1aff).contains(&u)
        || (0x1dc0..=0x1dff).contains(&u)
        || (0x20d0..=0x20ff).contains(&u)
        || (0xfe20..=0xfe2f).contains(&u)
        || (0x0591..=0x05bd).contains(&u)
        || matches!(u, 0x05bf | 0x05c1 | 0x05c2 | 0x05c4 | 0x05c5 | 0x05c7)
        || (0x0610..=0x061a).contains(&u)
        || (0x064b..=0x065f).contains(&u)
        || u == 0x0670
        || (0x06d6..=0x06dc).contains(&u)
        || (0x06df..=0x06e4).contains(&u)
        || matches!(u, 0x06e7 | 0x06e8)
        || (0x06ea..=0x06ed).contains(&u)
        || (0x08d3..=0x08ff).contains(&u) && u != 0x08e2
        // Devanagari: signs, vowel signs, virama, stress marks.
        || (0x0900..=0x0903).contains(&u)
        || (0x093a..=0x093c).contains(&u)
        || (0x093e..=0x094f).contains(&u)
        || (0x0951..=0x0957).contains(&u)
        || matches!(u, 0x0962 | 0x0963)
        // Thai and Lao vowel and tone marks.
        || matches!(u, 0x0e31 | 0x0e33 | 0x0eb1 | 0x0eb3)
        || (0x0e34..=0x0e3a).contains(&u)
        || (0x0e47..=0x0e4e).contains(&u)
        || (0x0eb4..=0x0ebc).contains(&u)
        || (0x0ec8..=0x0ece).contains(&u)
        // Khmer vowel signs and diacritics; Myanmar vowel signs and medials.
        || (0x17b4..=0x17d3).contains(&u)
        || u == 0x17dd
        || (0x102b..=0x103e).contains(&u)
        || (0x1056..=0x1059).contains(&u)
        || (0x105e..=0x1060).contains(&u)
        || (0x1062..=0x1064).contains(&u)
        || (0x1067..=0x106d).contains(&u)
        || (0x1071..=0x1074).contains(&u)
        || (0x1082..=0x108d).contains(&u)
        || u == 0x108f
        || (0x109a..=0x109d).contains(&u)
        // Kana voicing marks (combining).
        || matches!(u, 0x3099 | 0x309a)
        || u == 0x200c
        || u == 0x200d
        || (0xfe00..=0xfe0f).contains(&u)
        || (0x1f3fb..=0x1f3ff).contains(&u)
        || (0xe0020..=0xe007f).contains(&u)
        || (0xe0100..=0xe01ef).contains(&u)
}

/// A virama (or Khmer coeng, Myanmar stacker) before a consonant of its
/// script: one cluster, as Unicode's conjunct rule has it ("क्ष", "ព្រ").
fn joins_conjunct(a: char, b: char) -> bool {
    let (ua, ub) = (a as u32, b as u32);
    matches!(
        ua,
        0x094d
            | 0x09cd
            | 0x0acd
            | 0x0b4d
            | 0x0c4d
            | 0x0d4d
            | 0x1039
            | 0x17d2
            | 0x1a60
            | 0x1b44
            | 0x1bab
            | 0xa9c0
    ) && ub.abs_diff(ua) < 0x80
        && b.is_alphabetic()
        && !is_extender(b)
}

fn is_regional_indicator(c: char) -> bool {
    (0x1f1e6..=0x1f1ff).contains(&(c as u32))
}

/// A window of the article's text as chars, with its offset in the article.
/// Snapping looks at most this far beyond the raw selection.
const WINDOW: u32 = 256;
/// How near a window's edge a dictionary's word boundaries are not
/// trusted (it saw the text cut there) unless the edge is the text's.
const EDGE: u32 = 32;

struct Chars {
    base: u32,
    chars: Vec<char>,
    /// The dictionary's words in the window, in article offsets (only when
    /// the window has characters of an unspaced script and a dictionary
    /// was given).
    words: Option<Vec<(u32, u32)>>,
}

impl Chars {
    fn around(article: &Article, span: Span, margin: u32, dict: Option<&dyn Dictionary>) -> Chars {
        let base = span.start().saturating_sub(margin);
        let end = (span.end() + margin).min(article.len_chars());
        let text = article.slice(Span::new(base, end));
        let chars: Vec<char> = text.chars().collect();
        let words = dict
            .filter(|_| chars.iter().any(|&c| unspaced(c).is_some()))
            .map(|d| {
                let n = chars.len() as u32;
                let mut words: Vec<(u32, u32)> = d
                    .words(text)
                    .into_iter()
                    .filter(|&(s, e)| s < e && e <= n)
                    .map(|(s, e)| (base + s, base + e))
                    .collect();
                words.sort_unstable();
                words
            });
        Chars { base, chars, words }
    }
    fn at(&self, abs: u32) -> Option<char> {
        abs.checked_sub(self.base)
            .and_then(|i| self.chars.get(i as usize).copied())
    }
    fn end(&self) -> u32 {
        self.base + self.chars.len() as u32
    }
    /// The class of the character before `p`, looking past marks and
    /// joiners-with-zero-width to the letter they attach to.
    fn base_class_before(&self, p: u32) -> Option<Class> {
        let mut q = p;
        while q > self.base {
            let c = self.at(q - 1)?;
            if !is_extender(c) {
                return Some(class(c));
            }
            q -= 1;
        }
        None
    }
    /// Whether the dictionary puts `p` strictly inside one of its words.
    fn dictionary_inside(&self, p: u32) -> Option<bool> {
        let words = self.words.as_ref()?;
        let i = words.partition_point(|&(s, _)| s < p);
        Some(i > 0 && words[i - 1].1 > p)
    }
}

/// Refine a raw selection into an annotation span.
///
/// Trims whitespace, snaps outward to whole words unless `exact`, and never
/// splits a character cluster. `None` when nothing but whitespace remains.
pub fn refine(article: &Article, raw: Span, exact: bool) -> Option<Span> {
    refine_with(article, raw, exact, None)
}

/// [`refine`] with a dictionary for scripts written without spaces.
pub fn refine_with(
    article: &Article,
    raw: Span,
    exact: bool,
    dict: Option<&dyn Dictionary>,
) -> Option<Span> {
    let len = article.len_chars();
    let raw = Span::try_new(raw.start().min(len), raw.end().min(len))?;
    let w = Chars::around(article, raw, WINDOW, if exact { None } else { dict });
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
    if is_extender(b) {
        return true;
    }
    let joinable = |x: Class| x == Class::Word;
    // A mark belongs to its letter: what counts is the letter before it.
    let left = if is_extender(a) {
        w.base_class_before(p).unwrap_or(Class::Word)
    } else {
        class(a)
    };
    match (left, class(b)) {
        // Between letters of unspaced scripts the dictionary decides.
        (Class::Unspaced(x), Class::Unspaced(y)) => match w.dictionary_inside(p) {
            Some(inside) => inside,
            None => x == y && matches!(x, Unspaced::Katakana | Unspaced::SouthEastAsian),
        },
        (Class::Unspaced(_), Class::Word) | (Class::Word, Class::Unspaced(_)) => {
            w.dictionary_inside(p).unwrap_or(false)
        }
        (Class::Word, Class::Word) => true,
        // "Trump’s", "face-to-face": a joiner between word chars is inside the word.
        (Class::Word, Class::Joiner) => w.at(p + 1).is_some_and(|c| joinable(class(c))),
        (Class::Joiner, Class::Word) => p
            .checked_sub(2)
            .and_then(|q| w.at(q))
            .is_some_and(|c| joinable(class(c))),
        (_, _) => false,
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
        if is_extender(b) || a == '\u{200d}' || joins_conjunct(a, b) {
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
    word_after_with(article, pos, None)
}

/// [`word_after`] with a dictionary for scripts written without spaces.
pub fn word_after_with(article: &Article, pos: u32, dict: Option<&dyn Dictionary>) -> Option<Span> {
    let len = article.len_chars();
    let mut from = pos.min(len);
    // Scan window by window so a long gap of punctuation still finds a word.
    while from < len {
        let w = Chars::around(article, Span::new(from, from), WINDOW, dict);
        let stop = if w.end() == len { len } else { w.end() - EDGE };
        let mut p = from;
        while p < stop {
            let c = w.at(p)?;
            if class(c).is_wordy() && !inside_word(&w, p) {
                let e = word_end(&w, p + 1);
                return Some(Span::new(p, cluster_bounds(&w, p, e).1));
            }
            p += 1;
        }
        from = stop;
    }
    None
}

/// The last word that ends at or before `pos`.
pub fn word_before(article: &Article, pos: u32) -> Option<Span> {
    word_before_with(article, pos, None)
}

/// [`word_before`] with a dictionary for scripts written without spaces.
pub fn word_before_with(
    article: &Article,
    pos: u32,
    dict: Option<&dyn Dictionary>,
) -> Option<Span> {
    let mut to = pos.min(article.len_chars());
    while to > 0 {
        let w = Chars::around(article, Span::new(to, to), WINDOW, dict);
        let stop = if w.base == 0 { 0 } else { w.base + EDGE };
        let mut p = to;
        while p > stop {
            let c = w.at(p - 1)?;
            if class(c).is_wordy() && !inside_word(&w, p) {
                let s = word_start(&w, p - 1);
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
        to = stop;
    }
    None
}

/// A move of the keyboard word cursor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Motion {
    /// The next word (→, or ← in right-to-left text).
    NextWord,
    /// The previous word (←, or → in right-to-left text).
    PreviousWord,
    /// The first word of the next block (↓).
    NextBlock,
    /// The first word of the previous block (↑).
    PreviousBlock,
    /// Add the next word to the selection (Shift+→; Shift+← right to left).
    Extend,
    /// Take the last word off the selection (Shift+←; Shift+→ right to
    /// left); never below one word.
    Shrink,
}

impl Motion {
    /// The motion an arrow key makes (`shift` held or not) in left-to-right
    /// text, if any.
    pub fn of_key(key: &str, shift: bool) -> Option<Motion> {
        Motion::of_key_in(key, shift, Dir::Ltr)
    }

    /// The motion an arrow key makes in text running `dir`: → and ← go the
    /// way they point, so in right-to-left text → is back and ← on.
    pub fn of_key_in(key: &str, shift: bool, dir: Dir) -> Option<Motion> {
        let key = match (dir, key) {
            (Dir::Rtl, "ArrowRight") => "ArrowLeft",
            (Dir::Rtl, "ArrowLeft") => "ArrowRight",
            (_, k) => k,
        };
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
    motion_with(article, cur, m, None)
}

/// [`motion`] with a dictionary for scripts written without spaces.
pub fn motion_with(
    article: &Article,
    cur: Option<Span>,
    m: Motion,
    dict: Option<&dyn Dictionary>,
) -> Option<Span> {
    let after = |pos: u32| word_after_with(article, pos, dict);
    let before = |pos: u32| word_before_with(article, pos, dict);
    let first_word_of = |block: usize| {
        article
            .blocks
            .get(block)
            .and_then(|b| after(b.span.start()))
    };
    let Some(c) = cur else {
        return after(0);
    };
    match m {
        Motion::NextWord => after(c.end()),
        Motion::PreviousWord => before(c.start()),
        Motion::Extend => after(c.end()).map(|w| Span::new(c.start(), w.end())),
        Motion::Shrink => {
            let last = before(c.end())?;
            let prev = before(last.start()).filter(|w| w.start() >= c.start())?;
            Some(Span::new(c.start(), prev.end()))
        }
        Motion::NextBlock => first_word_of(article.block_at(c.end().saturating_sub(1))? + 1),
        Motion::PreviousBlock => {
            let b = article.block_at(c.start())?;
            first_word_of(b.checked_sub(1)?)
        }
    }
}
