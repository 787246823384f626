//! Annotations: a tagged span of the article with its quote and a note.

use std::rc::Rc;

use serde::{Deserialize, Serialize};

use super::article::Article;
use super::factcheck::Verdict;
use super::links::LinkTo;
use super::offset::Span;
use super::tag::Tag;

/// Code points of context kept before and after each quote.
pub const CONTEXT_CHARS: u32 = 32;

/// A UUID v4 in its canonical lowercase hyphenated form.
///
/// Made from 16 random bytes supplied by the caller (the browser's
/// `crypto.getRandomValues`, or a seeded source in tests), so the core needs
/// no source of randomness of its own.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct AnnotationId(Rc<str>);

impl AnnotationId {
    pub fn from_random_bytes(mut b: [u8; 16]) -> AnnotationId {
        b[6] = (b[6] & 0x0f) | 0x40; // version 4
        b[8] = (b[8] & 0x3f) | 0x80; // RFC 4122 variant
        let mut s = String::with_capacity(36);
        for (i, byte) in b.iter().enumerate() {
            if matches!(i, 4 | 6 | 8 | 10) {
                s.push('-');
            }
            s.push(char::from_digit((byte >> 4) as u32, 16).unwrap_or('0'));
            s.push(char::from_digit((byte & 15) as u32, 16).unwrap_or('0'));
        }
        AnnotationId(s.into())
    }

    /// An id read from a file or storage, kept as it is.
    pub fn from_string(s: &str) -> AnnotationId {
        AnnotationId(s.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Milliseconds since the Unix epoch, UTC.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(transparent)]
pub struct Timestamp(pub i64);

impl Timestamp {
    /// ISO 8601 in UTC with millisecond precision: `2026-11-28T03:27:15.000Z`.
    pub fn to_iso8601(self) -> String {
        let ms = self.0.rem_euclid(1000);
        let secs = self.0.div_euclid(1000);
        let days = secs.div_euclid(86_400);
        let sod = secs.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}.{ms:03}Z",
            sod / 3600,
            sod / 60 % 60,
            sod % 60
        )
    }
}

impl Timestamp {
    /// Read an ISO 8601 / RFC 3339 date-time: `2026-11-28T03:27:15Z`, with
    /// optional fractional seconds (any precision) and a `Z` or `±hh:mm`
    /// offset; a bare date is midnight UTC. `None` for anything else.
    pub fn parse_iso8601(s: &str) -> Option<Timestamp> {
        let s = s.trim();
        let num = |a: usize, b: usize| -> Option<i64> {
            let part = s.get(a..b)?;
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (y, mo, d) = (num(0, 4)?, num(5, 7)?, num(8, 10)?);
        if s.get(4..5)? != "-"
            || s.get(7..8)? != "-"
            || !(1..=12).contains(&mo)
            || !(1..=31).contains(&d)
        {
            return None;
        }
        let days = days_from_civil(y, mo as u32, d as u32);
        if s.len() == 10 {
            return Some(Timestamp(days * 86_400_000));
        }
        if !matches!(s.get(10..11)?, "T" | "t" | " ")
            || s.get(13..14)? != ":"
            || s.get(16..17)? != ":"
        {
            return None;
        }
        let (h, mi, sec) = (num(11, 13)?, num(14, 16)?, num(17, 19)?);
        if h > 23 || mi > 59 || sec > 60 {
            return None;
        }
        let mut rest = &s[19..];
        let mut ms = 0;
        if let Some(frac) = rest.strip_prefix('.') {
            let digits = frac.bytes().take_while(u8::is_ascii_digit).count();
            if digits == 0 {
                return None;
            }
            let padded = format!("{:0<3}", &frac[..digits.min(3)]);
            ms = padded.parse::<i64>().ok()?;
            rest = &frac[digits..];
        }
        let offset_min = match rest {
            "Z" | "z" | "" => 0,
            _ => {
                let sign = match rest.get(..1)? {
                    "+" => 1,
                    "-" => -1,
                    _ => return None,
                };
                let hh: i64 = rest.get(1..3)?.parse().ok()?;
                let mm: i64 = match rest.get(3..)? {
                    "" => 0,
                    m => m.trim_start_matches(':').parse().ok()?,
                };
                sign * (hh * 60 + mm)
            }
        };
        let secs = days * 86_400 + h * 3600 + mi * 60 + sec - offset_min * 60;
        Some(Timestamp(secs * 1000 + ms))
    }
}

/// (year, month, day) → days since 1970-01-01 (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y.rem_euclid(400);
    let mp = (m as i64 + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d as i64 - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// Days since 1970-01-01 → (year, month, day), after Howard Hinnant's algorithm.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// The quoted text with some context either side (a W3C TextQuoteSelector).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextQuote {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

impl TextQuote {
    /// The quote of `span` in `article`, with up to [`CONTEXT_CHARS`] either side.
    pub fn of(article: &Article, span: Span) -> TextQuote {
        let len = article.len_chars();
        let pre_start = span.start().saturating_sub(CONTEXT_CHARS);
        let suf_end = (span.end() + CONTEXT_CHARS).min(len);
        // One indexed lookup, then a walk of at most 64 + quote characters
        // (this runs for every annotation when a record is read).
        let text = article.text();
        let from = article.index().byte_of(text, pre_start);
        let mut bounds = [text.len(); 3];
        let targets = [span.start(), span.end(), suf_end];
        let mut k = 0;
        for (cp, (b, _)) in (pre_start..).zip(text[from..].char_indices()) {
            while k < 3 && cp == targets[k] {
                bounds[k] = from + b;
                k += 1;
            }
            if k == 3 {
                break;
            }
        }
        TextQuote {
            exact: text[bounds[0]..bounds[1]].to_string(),
            prefix: text[from..bounds[0]].to_string(),
            suffix: text[bounds[1]..bounds[2]].to_string(),
        }
    }
}

/// One annotation on the open article.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub tag: Tag,
    pub span: Span,
    pub quote: TextQuote,
    #[serde(default)]
    pub note: String,
    pub created: Timestamp,
    pub modified: Timestamp,
    /// A fact-checker's verdict (meant for fact annotations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Why the verdict, in a sentence or two.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// Links behind the verdict: http and https only (see [`super::factcheck::check_source`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The claim as checked: a person's one-sentence wording of it (meant
    /// for facts; the quote stays the quote).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claim: String,
    /// Who made the claim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
    /// Who made it: the team member (a CouchDB user name) signed in when it
    /// was created; `None` for work done without a team.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub author: Option<String>,
    /// Not placed on the text: imported or carried over from another version
    /// of the article and not found. Its span is empty and meaningless; its
    /// quote says what it was. Shown in the panel, never painted.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub orphan: bool,
    /// Links from this annotation to others, here or in other articles
    /// (see [`super::links`]): supports, contradicts, same claim.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<LinkTo>,
}

impl Annotation {
    /// A new annotation of `span`, its quote taken from the article.
    pub fn new(
        id: AnnotationId,
        tag: Tag,
        article: &Article,
        span: Span,
        now: Timestamp,
    ) -> Annotation {
        Annotation {
            id,
            tag,
            span,
            quote: TextQuote::of(article, span),
            note: String::new(),
            created: now,
            modified: now,
            verdict: None,
            explanation: String::new(),
            sources: Vec::new(),
            claim: String::new(),
            claimant: String::new(),
            author: None,
            orphan: false,
            links: Vec::new(),
        }
    }

    /// Placed on the text (not an orphan).
    pub fn is_anchored(&self) -> bool {
        !self.orphan
    }

    /// The same content: tag, place (or quote, for orphans), note and
    /// fact-check fields. What import calls a duplicate.
    pub fn same_content(&self, other: &Annotation) -> bool {
        self.tag == other.tag
            && self.orphan == other.orphan
            && (if self.orphan {
                self.quote.exact == other.quote.exact
            } else {
                self.span == other.span
            })
            && self.note == other.note
    }

    /// The order of the side panel: document order, then longer first, then id.
    pub fn doc_order(&self, other: &Annotation) -> std::cmp::Ordering {
        self.span
            .start()
            .cmp(&other.span.start())
            .then(other.span.end().cmp(&self.span.end()))
            .then(self.id.cmp(&other.id))
    }
}

impl AsRef<Annotation> for Annotation {
    fn as_ref(&self) -> &Annotation {
        self
    }
}
