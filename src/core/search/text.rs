//! Text as the search index and the near-duplicate finder see it: words
//! case-folded (Unicode lowercase) with their diacritics taken off (é → e,
//! ß → ss, ø → o, Greek tonos, Vietnamese tones; a combining mark typed
//! apart is dropped), apostrophes inside a word ignored ("don't" → "dont"),
//! and scripts written without spaces (Chinese, Japanese kana, Thai, Lao,
//! Khmer, Myanmar) cut into overlapping pairs of characters plus each
//! run's last character, so any character of such a run starts a token
//! and a prefix search finds it.
//!
//! The folding table covers Latin (Latin-1 to Latin Extended Additional),
//! Greek and Cyrillic ё; it is generated from Unicode's decompositions
//! (NFKD, marks removed) and is a few kilobytes, where a normalisation
//! crate would bring every script's tables.

/// A lowercase letter and what it folds to (sorted by letter).
const FOLD: &[(char, &str)] = &[
    ('\u{df}', "ss"),
    ('\u{e0}', "a"),
    ('\u{e1}', "a"),
    ('\u{e2}', "a"),
    ('\u{e3}', "a"),
    ('\u{e4}', "a"),
    ('\u{e5}', "a"),
    ('\u{e6}', "ae"),
    ('\u{e7}', "c"),
    ('\u{e8}', "e"),
    ('\u{e9}', "e"),
    ('\u{ea}', "e"),
    ('\u{eb}', "e"),
    ('\u{ec}', "i"),
    ('\u{ed}', "i"),
    ('\u{ee}', "i"),
    ('\u{ef}', "i"),
    ('\u{f0}', "d"),
    ('\u{f1}', "n"),
    ('\u{f2}', "o"),
    ('\u{f3}', "o"),
    ('\u{f4}', "o"),
    ('\u{f5}', "o"),
    ('\u{f6}', "o"),
    ('\u{f8}', "o"),
    ('\u{f9}', "u"),
    ('\u{fa}', "u"),
    ('\u{fb}', "u"),
    ('\u{fc}', "u"),
    ('\u{fd}', "y"),
    ('\u{fe}', "th"),
    ('\u{ff}', "y"),
    ('\u{101}', "a"),
    ('\u{103}', "a"),
    ('\u{105}', "a"),
    ('\u{107}', "c"),
    ('\u{109}', "c"),
    ('\u{10b}', "c"),
    ('\u{10d}', "c"),
    ('\u{10f}', "d"),
    ('\u{111}', "d"),
    ('\u{113}', "e"),
    ('\u{115}', "e"),
    ('\u{117}', "e"),
    ('\u{119}', "e"),
    ('\u{11b}', "e"),
    ('\u{11d}', "g"),
    ('\u{11f}', "g"),
    ('\u{121}', "g"),
    ('\u{123}', "g"),
    ('\u{125}', "h"),
    ('\u{127}', "h"),
    ('\u{129}', "i"),
    ('\u{12b}', "i"),
    ('\u{12d}', "i"),
    ('\u{12f}', "i"),
    ('\u{131}', "i"),
    ('\u{133}', "ij"),
    ('\u{135}', "j"),
    ('\u{137}', "k"),
    ('\u{13a}', "l"),
    ('\u{13c}', "l"),
    ('\u{13e}', "l"),
    ('\u{140}', "l·"),
    ('\u{142}', "l"),
    ('\u{144}', "n"),
    ('\u{146}', "n"),
    ('\u{148}', "n"),
    ('\u{149}', "ʼn"),
    ('\u{14d}', "o"),
    ('\u{14f}', "o"),
    ('\u{151}', "o"),
    ('\u{153}', "oe"),
    ('\u{155}', "r"),
    ('\u{157}', "r"),
    ('\u{159}', "r"),
    ('\u{15b}', "s"),
    ('\u{15d}', "s"),
    ('\u{15f}', "s"),
    ('\u{161}', "s"),
    ('\u{163}', "t"),
    ('\u{165}', "t"),
    ('\u{167}', "t"),
    ('\u{169}', "u"),
    ('\u{16b}', "u"),
    ('\u{16d}', "u"),
    ('\u{16f}', "u"),
    ('\u{171}', "u"),
    ('\u{173}', "u"),
    ('\u{175}', "w"),
    ('\u{177}', "y"),
    ('\u{17a}', "z"),
    ('\u{17c}', "z"),
    ('\u{17e}', "z"),
    ('\u{17f}', "s"),
    ('\u{180}', "b"),
    ('\u{188}', "c"),
    ('\u{192}', "f"),
    ('\u{199}', "k"),
    ('\u{19a}', "l"),
    ('\u{1a1}', "o"),
    ('\u{1a5}', "p"),
    ('\u{1ad}', "t"),
    ('\u{1b0}', "u"),
    ('\u{1b4}', "y"),
    ('\u{1b6}', "z"),
    ('\u{1c6}', "dz"),
    ('\u{1c9}', "lj"),
    ('\u{1cc}', "nj"),
    ('\u{1ce}', "a"),
    ('\u{1d0}', "i"),
    ('\u{1d2}', "o"),
    ('\u{1d4}', "u"),
    ('\u{1d6}', "u"),
    ('\u{1d8}', "u"),
    ('\u{1da}', "u"),
    ('\u{1dc}', "u"),
    ('\u{1df}', "a"),
    ('\u{1e1}', "a"),
    ('\u{1e3}', "æ"),
    ('\u{1e7}', "g"),
    ('\u{1e9}', "k"),
    ('\u{1eb}', "o"),
    ('\u{1ed}', "o"),
    ('\u{1ef}', "ʒ"),
    ('\u{1f0}', "j"),
    ('\u{1f3}', "dz"),
    ('\u{1f5}', "g"),
    ('\u{1f9}', "n"),
    ('\u{1fb}', "a"),
    ('\u{1fd}', "æ"),
    ('\u{1ff}', "ø"),
    ('\u{201}', "a"),
    ('\u{203}', "a"),
    ('\u{205}', "e"),
    ('\u{207}', "e"),
    ('\u{209}', "i"),
    ('\u{20b}', "i"),
    ('\u{20d}', "o"),
    ('\u{20f}', "o"),
    ('\u{211}', "r"),
    ('\u{213}', "r"),
    ('\u{215}', "u"),
    ('\u{217}', "u"),
    ('\u{219}', "s"),
    ('\u{21b}', "t"),
    ('\u{21f}', "h"),
    ('\u{227}', "a"),
    ('\u{229}', "e"),
    ('\u{22b}', "o"),
    ('\u{22d}', "o"),
    ('\u{22f}', "o"),
    ('\u{231}', "o"),
    ('\u{233}', "y"),
    ('\u{257}', "d"),
    ('\u{260}', "g"),
    ('\u{272}', "n"),
    ('\u{28b}', "v"),
    ('\u{2a0}', "q"),
    ('\u{374}', "ʹ"),
    ('\u{37a}', " "),
    ('\u{390}', "ι"),
    ('\u{3ac}', "α"),
    ('\u{3ad}', "ε"),
    ('\u{3ae}', "η"),
    ('\u{3af}', "ι"),
    ('\u{3b0}', "υ"),
    ('\u{3c2}', "σ"),
    ('\u{3ca}', "ι"),
    ('\u{3cb}', "υ"),
    ('\u{3cc}', "ο"),
    ('\u{3cd}', "υ"),
    ('\u{3ce}', "ω"),
    ('\u{3d0}', "β"),
    ('\u{3d1}', "θ"),
    ('\u{3d2}', "υ"),
    ('\u{3d3}', "υ"),
    ('\u{3d4}', "υ"),
    ('\u{3d5}', "φ"),
    ('\u{3d6}', "π"),
    ('\u{3f0}', "κ"),
    ('\u{3f1}', "ρ"),
    ('\u{3f2}', "ς"),
    ('\u{3f5}', "ε"),
    ('\u{451}', "е"),
    ('\u{1e01}', "a"),
    ('\u{1e03}', "b"),
    ('\u{1e05}', "b"),
    ('\u{1e07}', "b"),
    ('\u{1e09}', "c"),
    ('\u{1e0b}', "d"),
    ('\u{1e0d}', "d"),
    ('\u{1e0f}', "d"),
    ('\u{1e11}', "d"),
    ('\u{1e13}', "d"),
    ('\u{1e15}', "e"),
    ('\u{1e17}', "e"),
    ('\u{1e19}', "e"),
    ('\u{1e1b}', "e"),
    ('\u{1e1d}', "e"),
    ('\u{1e1f}', "f"),
    ('\u{1e21}', "g"),
    ('\u{1e23}', "h"),
    ('\u{1e25}', "h"),
    ('\u{1e27}', "h"),
    ('\u{1e29}', "h"),
    ('\u{1e2b}', "h"),
    ('\u{1e2d}', "i"),
    ('\u{1e2f}', "i"),
    ('\u{1e31}', "k"),
    ('\u{1e33}', "k"),
    ('\u{1e35}', "k"),
    ('\u{1e37}', "l"),
    ('\u{1e39}', "l"),
    ('\u{1e3b}', "l"),
    ('\u{1e3d}', "l"),
    ('\u{1e3f}', "m"),
    ('\u{1e41}', "m"),
    ('\u{1e43}', "m"),
    ('\u{1e45}', "n"),
    ('\u{1e47}', "n"),
    ('\u{1e49}', "n"),
    ('\u{1e4b}', "n"),
    ('\u{1e4d}', "o"),
    ('\u{1e4f}', "o"),
    ('\u{1e51}', "o"),
    ('\u{1e53}', "o"),
    ('\u{1e55}', "p"),
    ('\u{1e57}', "p"),
    ('\u{1e59}', "r"),
    ('\u{1e5b}', "r"),
    ('\u{1e5d}', "r"),
    ('\u{1e5f}', "r"),
    ('\u{1e61}', "s"),
    ('\u{1e63}', "s"),
    ('\u{1e65}', "s"),
    ('\u{1e67}', "s"),
    ('\u{1e69}', "s"),
    ('\u{1e6b}', "t"),
    ('\u{1e6d}', "t"),
    ('\u{1e6f}', "t"),
    ('\u{1e71}', "t"),
    ('\u{1e73}', "u"),
    ('\u{1e75}', "u"),
    ('\u{1e77}', "u"),
    ('\u{1e79}', "u"),
    ('\u{1e7b}', "u"),
    ('\u{1e7d}', "v"),
    ('\u{1e7f}', "v"),
    ('\u{1e81}', "w"),
    ('\u{1e83}', "w"),
    ('\u{1e85}', "w"),
    ('\u{1e87}', "w"),
    ('\u{1e89}', "w"),
    ('\u{1e8b}', "x"),
    ('\u{1e8d}', "x"),
    ('\u{1e8f}', "y"),
    ('\u{1e91}', "z"),
    ('\u{1e93}', "z"),
    ('\u{1e95}', "z"),
    ('\u{1e96}', "h"),
    ('\u{1e97}', "t"),
    ('\u{1e98}', "w"),
    ('\u{1e99}', "y"),
    ('\u{1e9a}', "aʾ"),
    ('\u{1e9b}', "s"),
    ('\u{1ea1}', "a"),
    ('\u{1ea3}', "a"),
    ('\u{1ea5}', "a"),
    ('\u{1ea7}', "a"),
    ('\u{1ea9}', "a"),
    ('\u{1eab}', "a"),
    ('\u{1ead}', "a"),
    ('\u{1eaf}', "a"),
    ('\u{1eb1}', "a"),
    ('\u{1eb3}', "a"),
    ('\u{1eb5}', "a"),
    ('\u{1eb7}', "a"),
    ('\u{1eb9}', "e"),
    ('\u{1ebb}', "e"),
    ('\u{1ebd}', "e"),
    ('\u{1ebf}', "e"),
    ('\u{1ec1}', "e"),
    ('\u{1ec3}', "e"),
    ('\u{1ec5}', "e"),
    ('\u{1ec7}', "e"),
    ('\u{1ec9}', "i"),
    ('\u{1ecb}', "i"),
    ('\u{1ecd}', "o"),
    ('\u{1ecf}', "o"),
    ('\u{1ed1}', "o"),
    ('\u{1ed3}', "o"),
    ('\u{1ed5}', "o"),
    ('\u{1ed7}', "o"),
    ('\u{1ed9}', "o"),
    ('\u{1edb}', "o"),
    ('\u{1edd}', "o"),
    ('\u{1edf}', "o"),
    ('\u{1ee1}', "o"),
    ('\u{1ee3}', "o"),
    ('\u{1ee5}', "u"),
    ('\u{1ee7}', "u"),
    ('\u{1ee9}', "u"),
    ('\u{1eeb}', "u"),
    ('\u{1eed}', "u"),
    ('\u{1eef}', "u"),
    ('\u{1ef1}', "u"),
    ('\u{1ef3}', "y"),
    ('\u{1ef5}', "y"),
    ('\u{1ef7}', "y"),
    ('\u{1ef9}', "y"),
];

/// Combining marks that a decomposed text carries apart from their letter.
fn is_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F)
}

/// Characters of scripts written without spaces between words.
pub fn is_unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F  // CJK Extensions B–F, Compatibility Supplement
        | 0x31F0..=0x31FF    // Katakana Phonetic Extensions
        | 0xFF66..=0xFF9D    // Halfwidth Katakana
        | 0x0E00..=0x0E7F    // Thai
        | 0x0E80..=0x0EFF    // Lao
        | 0x1780..=0x17FF    // Khmer
        | 0x1000..=0x109F) // Myanmar
}

/// Push the folded form of `c` (lowercase, no diacritics) onto `out`.
pub fn fold_into(c: char, out: &mut String) {
    if is_mark(c) {
        return;
    }
    for l in c.to_lowercase() {
        if l.is_ascii() {
            out.push(l);
            continue;
        }
        match FOLD.binary_search_by(|(k, _)| k.cmp(&l)) {
            Ok(i) => out.push_str(FOLD[i].1),
            Err(_) => out.push(l),
        }
    }
}

/// A piece of text, folded and cut into tokens.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tokens {
    pub list: Vec<String>,
    /// The text ends inside a token (no space or punctuation after it): a
    /// query treats that last token as a prefix of a word.
    pub open_end: bool,
}

/// Whether `c` joins the word it is in without being part of it.
fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '\u{2019}' | '\u{02BC}')
}

/// The tokens of `text` (see the module docs), in order, repeats kept.
pub fn tokens(text: &str) -> Tokens {
    let mut list = Vec::new();
    let open_end = each_token(text, &mut String::new(), |t| list.push(t.to_string()));
    Tokens { list, open_end }
}

/// Call `f` with each token of `text` in order (built in `scratch`, so
/// indexing allocates nothing per word); whether the text ends inside a
/// token (see [`Tokens::open_end`]).
pub fn each_token(text: &str, scratch: &mut String, mut f: impl FnMut(&str)) -> bool {
    let mut run: Vec<char> = Vec::new();
    let word = scratch;
    word.clear();
    let mut pair = String::new();
    let mut flush_run = |run: &mut Vec<char>, f: &mut dyn FnMut(&str)| {
        match run.len() {
            0 => {}
            1 => f(run[0].encode_utf8(&mut [0; 4])),
            n => {
                for w in run.windows(2) {
                    pair.clear();
                    pair.push(w[0]);
                    pair.push(w[1]);
                    f(&pair);
                }
                f(run[n - 1].encode_utf8(&mut [0; 4]));
            }
        }
        run.clear();
    };
    let mut open_end = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if is_unspaced(c) {
            if !word.is_empty() {
                f(word);
                word.clear();
            }
            let mut folded = String::new();
            fold_into(c, &mut folded);
            run.extend(folded.chars());
            open_end = true;
        } else if c.is_alphanumeric() || is_mark(c) {
            flush_run(&mut run, &mut f);
            fold_into(c, word);
            open_end = true;
        } else if is_apostrophe(c)
            && !word.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            // Inside a word: "don't", "l’état".
        } else {
            flush_run(&mut run, &mut f);
            if !word.is_empty() {
                f(word);
                word.clear();
            }
            open_end = false;
        }
    }
    flush_run(&mut run, &mut f);
    if !word.is_empty() {
        f(word);
        word.clear();
    }
    open_end
}

/// `text` folded, its words separated by single spaces (punctuation and
/// spacing dropped): what near-duplicates are compared on.
pub fn normalise(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut gap = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() || is_mark(c) {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            fold_into(c, &mut out);
        } else if is_apostrophe(c) && chars.peek().is_some_and(|n| n.is_alphanumeric()) {
        } else {
            gap = true;
        }
    }
    out
}
