//! Writing systems: which way a text runs, which language it is likely in,
//! and which characters are written without spaces between words.
//!
//! An article's base direction is right to left when its language says so
//! (`ar`, `he`, `fa`, `ur`, …: a page's `lang`, kept as the article's
//! [`Details::language`](crate::core::Details)) or when most of its letters
//! are right-to-left ones. Each block then runs the way most of its own
//! letters do, and the article's way when it has none (a line of digits):
//! "the first strong character" alone would make an Arabic paragraph that
//! opens with "BBC" run left to right. Inside a block the browser's bidi
//! algorithm orders mixed runs (Latin names and numbers in Arabic text).
//!
//! The language is what a page declares; without one it is guessed from
//! the script for the scripts that say it (Arabic letters only Urdu or
//! Persian use, Hebrew, kana for Japanese, Hangul, Han, Thai, Lao, Khmer,
//! Myanmar, Devanagari) — what screen readers need to pick a voice and
//! fonts to pick Japanese or Chinese glyphs. Latin or Cyrillic text says
//! too little: no guess.

/// A direction of text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dir {
    Ltr,
    Rtl,
}

impl Dir {
    /// The value of an HTML `dir` attribute.
    pub fn attr(self) -> &'static str {
        match self {
            Dir::Ltr => "ltr",
            Dir::Rtl => "rtl",
        }
    }
}

/// Whether `c` belongs to a right-to-left script (Hebrew, Arabic, Syriac,
/// Thaana, N'Ko, Samaritan, Mandaic and their presentation forms, and the
/// right-to-left blocks of the astral planes).
pub fn is_rtl_char(c: char) -> bool {
    let u = c as u32;
    (0x0590..=0x08ff).contains(&u)
        || (0xfb1d..=0xfdff).contains(&u)
        || (0xfe70..=0xfeff).contains(&u)
        || (0x10800..=0x10fff).contains(&u)
        || (0x1e800..=0x1efff).contains(&u)
}

/// The strong direction of a character: letters only (digits, punctuation,
/// spaces and marks have none of their own).
pub fn strong(c: char) -> Option<Dir> {
    if !c.is_alphabetic() {
        return None;
    }
    Some(if is_rtl_char(c) { Dir::Rtl } else { Dir::Ltr })
}

/// How a text runs by its letters: the way most of them run (a tie goes to
/// the first one). `None` when it has no letters.
pub fn text_dir(s: &str) -> Option<Dir> {
    let (mut rtl, mut ltr) = (0usize, 0usize);
    let mut first = None;
    for c in s.chars() {
        match strong(c) {
            Some(Dir::Rtl) => rtl += 1,
            Some(Dir::Ltr) => ltr += 1,
            None => continue,
        }
        first = first.or(strong(c));
    }
    match rtl.cmp(&ltr) {
        std::cmp::Ordering::Greater => Some(Dir::Rtl),
        std::cmp::Ordering::Less => Some(Dir::Ltr),
        std::cmp::Ordering::Equal => first,
    }
}

/// Whether `text` has any right-to-left character: a quick look at UTF-8
/// lead bytes (U+0580 to U+07FF start with 0xD6 to 0xDF), then the rest.
pub fn has_rtl(text: &str) -> bool {
    text.bytes().any(|b| (0xd6..=0xdf).contains(&b))
        || (text.bytes().any(|b| b >= 0xe0) && text.chars().any(is_rtl_char))
}

/// The direction a language is written in, from its tag's language or
/// script subtag (`ar`, `he`, `fa`, `ur`, `ps`, `sd`, `ug`, `yi`, `dv`,
/// `ckb`, `syr`; `-Arab`, `-Hebr`, `-Thaa`, `-Syrc`, `-Nkoo`). `None` for
/// an empty tag.
pub fn lang_dir(tag: &str) -> Option<Dir> {
    let mut parts = tag.split(['-', '_']).filter(|p| !p.is_empty());
    let primary = parts.next()?.to_ascii_lowercase();
    const RTL: [&str; 12] = [
        "ar", "he", "iw", "fa", "ur", "ps", "sd", "ug", "yi", "dv", "ckb", "syr",
    ];
    const RTL_SCRIPTS: [&str; 5] = ["arab", "hebr", "thaa", "syrc", "nkoo"];
    for p in parts {
        if p.len() == 4 && p.chars().all(|c| c.is_ascii_alphabetic()) {
            return Some(if RTL_SCRIPTS.contains(&p.to_ascii_lowercase().as_str()) {
                Dir::Rtl
            } else {
                Dir::Ltr
            });
        }
    }
    Some(if RTL.contains(&primary.as_str()) {
        Dir::Rtl
    } else {
        Dir::Ltr
    })
}

/// A language tag as a page or a person gives it, checked: letters, digits
/// and hyphens (an underscore becomes one), a first part of two or three
/// letters (or `x`/`i` for private and grandfathered tags), at most 35
/// characters. `None` when it is not one.
pub fn clean_lang(tag: &str) -> Option<String> {
    let t = tag.trim().replace('_', "-");
    let first = t.split('-').next().unwrap_or("");
    let ok = !t.is_empty()
        && t.len() <= 35
        && t.split('-')
            .all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
        && (((2..=3).contains(&first.len()) && first.chars().all(|c| c.is_ascii_alphabetic()))
            || first.eq_ignore_ascii_case("x")
            || first.eq_ignore_ascii_case("i"));
    ok.then_some(t)
}

/// Scripts whose words are not separated by spaces: a word ends where a
/// dictionary says (the browser's `Intl.Segmenter`), not at a space.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unspaced {
    /// Chinese characters (Han), also used in Japanese.
    Han,
    Hiragana,
    /// Katakana and the prolonged sound mark.
    Katakana,
    /// Thai, Lao, Khmer and Myanmar: words run on until a space ends a
    /// phrase.
    SouthEastAsian,
}

/// The unspaced script of `c`, if it has one.
pub fn unspaced(c: char) -> Option<Unspaced> {
    let u = c as u32;
    Some(match u {
        0x3040..=0x309f => Unspaced::Hiragana,
        0x30a0..=0x30ff | 0x31f0..=0x31ff | 0xff66..=0xff9f => Unspaced::Katakana,
        0x3005 | 0x3007 | 0x3021..=0x3029 => Unspaced::Han,
        0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => Unspaced::Han,
        0x0e00..=0x0eff | 0x1000..=0x109f | 0x1780..=0x17ff | 0x19e0..=0x19ff | 0xaa60..=0xaa7f
            if c.is_alphabetic() || c.is_numeric() =>
        {
            Unspaced::SouthEastAsian
        }
        _ => return None,
    })
}

/// Whether `text` holds any character of an unspaced script.
pub fn has_unspaced(text: &str) -> bool {
    text.bytes().any(|b| b >= 0xe0) && text.chars().any(|c| unspaced(c).is_some())
}

/// The language a text is likely written in, from its letters: only for
/// scripts that say it (see the module's notes). `None` for Latin,
/// Cyrillic and other scripts shared by many languages, and for a text
/// with too few letters to tell.
pub fn guess_lang(text: &str) -> Option<&'static str> {
    #[derive(Default)]
    struct Counts {
        letters: usize,
        arabic: usize,
        urdu: usize,
        persian: usize,
        hebrew: usize,
        kana: usize,
        han: usize,
        hangul: usize,
        thai: usize,
        lao: usize,
        khmer: usize,
        myanmar: usize,
        devanagari: usize,
    }
    let mut n = Counts::default();
    // The first 20,000 letters say it as well as a whole long article.
    for c in text.chars().filter(|c| c.is_alphabetic()).take(20_000) {
        n.letters += 1;
        let u = c as u32;
        match u {
            0x0600..=0x06ff
            | 0x0750..=0x077f
            | 0x08a0..=0x08ff
            | 0xfb50..=0xfdff
            | 0xfe70..=0xfeff => {
                n.arabic += 1;
                // ٹ ڈ ڑ ں ھ ہ ے: Urdu; پ چ ژ گ ک ی (without those): Persian.
                if matches!(
                    u,
                    0x0679 | 0x0688 | 0x0691 | 0x06ba | 0x06be | 0x06c1 | 0x06d2
                ) {
                    n.urdu += 1;
                } else if matches!(u, 0x067e | 0x0686 | 0x0698 | 0x06af | 0x06a9 | 0x06cc) {
                    n.persian += 1;
                }
            }
            0x0590..=0x05ff | 0xfb1d..=0xfb4f => n.hebrew += 1,
            0x3040..=0x30ff | 0x31f0..=0x31ff | 0xff66..=0xff9f => n.kana += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff | 0x20000..=0x3134f => n.han += 1,
            0xac00..=0xd7af | 0x1100..=0x11ff | 0x3130..=0x318f => n.hangul += 1,
            0x0e00..=0x0e7f => n.thai += 1,
            0x0e80..=0x0eff => n.lao += 1,
            0x1780..=0x17ff | 0x19e0..=0x19ff => n.khmer += 1,
            0x1000..=0x109f | 0xaa60..=0xaa7f => n.myanmar += 1,
            0x0900..=0x097f => n.devanagari += 1,
            _ => {}
        }
    }
    let cjk = n.kana + n.han;
    let candidates = [
        (n.arabic, "ar"),
        (n.hebrew, "he"),
        (cjk, "zh"),
        (n.hangul, "ko"),
        (n.thai, "th"),
        (n.lao, "lo"),
        (n.khmer, "km"),
        (n.myanmar, "my"),
        (n.devanagari, "hi"),
    ];
    let (count, lang) = candidates.into_iter().max_by_key(|(c, _)| *c)?;
    // The script must be most of the letters (an English article quoting
    // a Chinese name is not Chinese).
    if count == 0 || count * 2 < n.letters {
        return None;
    }
    Some(match lang {
        // Japanese writes kana in every sentence; Chinese has none.
        "zh" if n.kana * 20 >= cjk => "ja",
        "ar" if n.urdu * 100 >= n.arabic => "ur",
        "ar" if n.persian * 100 >= n.arabic => "fa",
        l => l,
    })
}
