//! Anchoring: finding where an annotation belongs in a text that may not be
//! the one it was made on.
//!
//! In order, and stopping at the first that works:
//! 1. **Position** — trusted only when the text there equals the quote. A
//!    position may count code points (ours, the W3C's) or UTF-16 units (most
//!    other annotators); both are tried when the unit is not known.
//! 2. **Quote** — every occurrence of the exact quote, the best chosen by how
//!    much of the prefix and suffix match around it, then by closeness to
//!    where it was expected. The search starts near the expected place and
//!    widens, so re-anchoring a long article costs little per annotation.
//!    Then the same for the quote **up to whitespace at block breaks**: web
//!    pages join paragraphs with no newline or with two where claimmark's
//!    text has one, so a quote matches where it differs from the text only
//!    there (a space of the quote must meet whitespace in the text; the text
//!    may have a line break the quote lacks). Context is compared the same
//!    way, ignoring whitespace, so a near copy whose context differs only in
//!    whitespace fits as well as any other.
//! 3. **Approximate** — the place with the fewest edits (Sellers' dynamic
//!    programming, at most a quarter of the quote's length), scored with the
//!    context; accepted only at [`MIN_SCORE`] or better. Searched near the
//!    expected place, then around exact occurrences of pieces of the quote.
//!
//! Anything else is an orphan: kept, never dropped, re-attachable by hand.
//!
//! Annotations are placed in order of their positions; each one's expected
//! place is its position shifted by how far the last surely placed one moved
//! (a placement is sure when it kept its position, was found within 64
//! characters of where it was expected, or carries all of its context), so
//! a page that counted its navigation or its blank lines does not send every
//! later quote astray.

use super::article::Article;
use super::offset::Span;
use super::selection::refine;

/// How a position in a file counts characters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    CodePoint,
    Utf16,
    /// Not stated: try code points, then UTF-16 units.
    Unknown,
}

/// What is known about where an annotation was.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Target {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// `(start, end)` in `unit`s, if the file had a position.
    pub position: Option<(u64, u64)>,
    pub unit: Option<Unit>,
}

impl Target {
    /// Where `a` was: its quote with context, and its position in code points
    /// (none for an orphan).
    pub fn of(a: &super::annotation::Annotation) -> Target {
        Target {
            exact: a.quote.exact.clone(),
            prefix: a.quote.prefix.clone(),
            suffix: a.quote.suffix.clone(),
            position: a
                .is_anchored()
                .then(|| (a.span.start() as u64, a.span.end() as u64)),
            unit: Some(Unit::CodePoint),
        }
    }
}

/// How an annotation was placed.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Placement {
    /// Its position held the quote.
    Position,
    /// Its exact quote was found elsewhere.
    Quote,
    /// An approximate match, with its score (0–1).
    Approximate(f32),
    /// Not placed.
    Orphan,
}

/// The lowest score an approximate match needs.
pub const MIN_SCORE: f32 = 0.75;
/// Quotes longer than this are matched approximately on their first and last
/// [`MAX_FUZZY`] / 2 characters (the cost is quote length × window).
const MAX_FUZZY: usize = 512;
/// How close to the expected place (bytes) an exact quote is taken at once.
const NEAR: usize = 1024;
/// The wider window (bytes) tried near the expected place before the whole text.
const WIDE: usize = 16 << 10;
/// Windows searched for the quote around the expected place, in bytes.
const RADII: [usize; 2] = [4 << 10, 64 << 10];

/// Anchors targets onto one article.
pub struct Anchorer<'a> {
    article: &'a Article,
}

impl<'a> Anchorer<'a> {
    pub fn new(article: &'a Article) -> Anchorer<'a> {
        Anchorer { article }
    }

    /// Place every target; results in the targets' order. Targets are
    /// visited in order of position, and each one's expected place is its
    /// position shifted by how far the previous placed one moved, so text
    /// inserted early in an article does not send the rest far afield.
    pub fn anchor_all(&self, targets: &[Target]) -> Vec<(Option<Span>, Placement)> {
        let mut order: Vec<usize> = (0..targets.len()).collect();
        order.sort_by_key(|&i| targets[i].position.map_or(u64::MAX, |p| p.0));
        let mut out = vec![(None, Placement::Orphan); targets.len()];
        let mut drift: i64 = 0;
        for i in order {
            let t = &targets[i];
            let hint = t
                .position
                .map(|(s, _)| (s as i64 + drift).clamp(0, self.article.len_chars() as i64) as u32);
            let r = self.anchor(t, hint);
            // Learn the drift only from placements that are surely right:
            // one wrong guess must not send every later hint astray.
            let near =
                r.0.zip(hint)
                    .is_some_and(|(sp, h)| sp.start().abs_diff(h) <= 64);
            let full = solid_len(&t.prefix) + solid_len(&t.suffix);
            let all_context = r.0.is_some_and(|sp| {
                full >= 16 && {
                    let (text, ix) = (self.article.text(), self.article.index());
                    self.context(t, ix.byte_of(text, sp.start()), ix.byte_of(text, sp.end()))
                        == full
                }
            });
            let sure = match r.1 {
                Placement::Position => true,
                Placement::Quote => near || all_context,
                Placement::Approximate(score) => near && score >= 0.9,
                Placement::Orphan => false,
            };
            if let (true, Some(span), Some((s, _))) = (sure, r.0, t.position) {
                drift = span.start() as i64 - s as i64;
            }
            out[i] = r;
        }
        out
    }

    /// Place one target; `hint` is where it is expected to start (code points).
    pub fn anchor(&self, t: &Target, hint: Option<u32>) -> (Option<Span>, Placement) {
        if t.exact.is_empty() {
            return (None, Placement::Orphan);
        }
        if let Some(span) = self.at_position(t) {
            return (Some(span), Placement::Position);
        }
        let raw = self.position_start(t);
        let hint = hint.or(raw);
        // Near where it was expected (the drift-corrected hint, then the
        // file's own position): the exact quote, then the text between its
        // context, then an edited quote. These beat an exact copy far away:
        // articles repeat phrases.
        let mut nears: Vec<u32> = hint.into_iter().collect();
        if let Some(r) = raw.filter(|&r| hint.is_some_and(|h| h.abs_diff(r) > NEAR as u32)) {
            nears.push(r);
        }
        for &h in &nears {
            if let Some(span) = self
                .near_quote(t, h, NEAR)
                .or_else(|| self.near_spaced(t, h, NEAR))
            {
                return (Some(span), Placement::Quote);
            }
            if let Some((span, score)) = self
                .bracket(t, h, NEAR)
                .or_else(|| self.approximate(t, Some(h), false))
            {
                return (Some(span), Placement::Approximate(score));
            }
        }
        // A little further (the text shifted more than expected since the
        // last sure placement): the quote with its context, or the text
        // between its context.
        if let Some(h) = hint {
            if let Some(span) = self
                .near_quote(t, h, WIDE)
                .or_else(|| self.near_spaced(t, h, WIDE))
            {
                return (Some(span), Placement::Quote);
            }
            if let Some((span, score)) = self.bracket(t, h, WIDE) {
                return (Some(span), Placement::Approximate(score));
            }
        }
        // Far away. With a position to go by, a distant match must also
        // carry at least half of its context: an orphan the person can
        // re-attach is better than a highlight on the wrong copy.
        let full = solid_len(&t.prefix) + solid_len(&t.suffix);
        let credible = |span: Span| {
            hint.is_none() || {
                let text = self.article.text();
                let ix = self.article.index();
                let ctx = self.context(
                    t,
                    ix.byte_of(text, span.start()),
                    ix.byte_of(text, span.end()),
                );
                ctx * 2 >= full
            }
        };
        if let Some(span) = self
            .search_quote(t, hint, false)
            .filter(|&s| credible(s))
            .or_else(|| self.search_quote(t, hint, true).filter(|&s| credible(s)))
        {
            return (Some(span), Placement::Quote);
        }
        match self
            .approximate(t, hint, true)
            .filter(|&(s, _)| credible(s))
        {
            Some((span, score)) => (Some(span), Placement::Approximate(score)),
            None => (None, Placement::Orphan),
        }
    }

    fn len(&self) -> u32 {
        self.article.len_chars()
    }

    /// The target's position as code points, for each unit it may be in.
    fn spans(&self, t: &Target) -> impl Iterator<Item = Span> + '_ {
        let pos = t.position;
        let units: &[Unit] = match t.unit.unwrap_or(Unit::Unknown) {
            Unit::CodePoint => &[Unit::CodePoint],
            Unit::Utf16 => &[Unit::Utf16],
            Unit::Unknown => &[Unit::CodePoint, Unit::Utf16],
        };
        units.iter().filter_map(move |u| {
            let (s, e) = pos?;
            let (s, e) = (u32::try_from(s).ok()?, u32::try_from(e).ok()?);
            let (s, e) = match u {
                Unit::Utf16 => {
                    let ix = self.article.index();
                    if e > ix.len_utf16() {
                        return None;
                    }
                    let text = self.article.text();
                    (ix.char_of_utf16(text, s), ix.char_of_utf16(text, e))
                }
                _ => (s, e),
            };
            Span::try_new(s, e).filter(|sp| sp.end() <= self.len() && !sp.is_empty())
        })
    }

    fn at_position(&self, t: &Target) -> Option<Span> {
        self.spans(t).find(|&sp| self.article.slice(sp) == t.exact)
    }

    fn position_start(&self, t: &Target) -> Option<u32> {
        let (s, _) = t.position?;
        Some(u32::try_from(s).unwrap_or(u32::MAX).min(self.len()))
    }

    /// Characters of context matching around `[start_byte, end_byte)`: the
    /// prefix backwards from its start, the suffix forwards from its end,
    /// whitespace left out on both sides (see the module documentation).
    fn context(&self, t: &Target, start_byte: usize, end_byte: usize) -> usize {
        let text = self.article.text();
        let solid = |c: &char| !c.is_whitespace();
        let before = text[..start_byte].chars().rev().filter(solid);
        let pre = t
            .prefix
            .chars()
            .rev()
            .filter(solid)
            .zip(before)
            .take_while(|(a, b)| a == b)
            .count();
        let after = text[end_byte..].chars().filter(solid);
        let suf = t
            .suffix
            .chars()
            .filter(solid)
            .zip(after)
            .take_while(|(a, b)| a == b)
            .count();
        pre + suf
    }

    /// The span of byte range `[start, end)`.
    fn span_of_bytes(&self, start: usize, end: usize) -> Span {
        let (text, ix) = (self.article.text(), self.article.index());
        let s = ix.char_of_byte(text, start);
        Span::new(s, s + text[start..end].chars().count() as u32)
    }

    /// Where the quote occurs in `[lo, hi)` (bytes): exactly, or (`spaced`)
    /// up to whitespace at block breaks. Each as its byte range.
    fn occurrences<'t>(
        &'t self,
        t: &'t Target,
        lo: usize,
        hi: usize,
        spaced: bool,
    ) -> Box<dyn Iterator<Item = (usize, usize)> + 't> {
        let text = self.article.text();
        if !spaced {
            let n = t.exact.len();
            return Box::new(
                text[lo..hi]
                    .match_indices(t.exact.as_str())
                    .map(move |(b, _)| (lo + b, lo + b + n)),
            );
        }
        let Some(first) = t.exact.chars().find(|c| !c.is_whitespace()) else {
            return Box::new(std::iter::empty());
        };
        Box::new(
            text[lo..hi].match_indices(first).filter_map(move |(b, _)| {
                spaced_match(text, lo + b, &t.exact).map(|e| (lo + b, e))
            }),
        )
    }

    /// The nearest occurrence within `radius` bytes of the hint that is
    /// either right there or has at least half its context around it.
    fn near_occurrence(&self, t: &Target, hint: u32, radius: usize, spaced: bool) -> Option<Span> {
        let text = self.article.text();
        let ix = self.article.index();
        let full = solid_len(&t.prefix) + solid_len(&t.suffix);
        let h = ix.byte_of(text, hint);
        let lo = floor_boundary(text, h.saturating_sub(radius));
        let hi = ceil_boundary(text, (h + radius + t.exact.len()).min(text.len()));
        let (start, end) = self
            .occurrences(t, lo, hi, spaced)
            .filter(|&(b, e)| b.abs_diff(h) <= 64 || self.context(t, b, e) * 2 >= full)
            .min_by_key(|&(b, _)| b.abs_diff(h))?;
        Some(self.span_of_bytes(start, end))
    }

    /// The nearest exact occurrence near the hint (see [`Self::near_occurrence`]).
    fn near_quote(&self, t: &Target, hint: u32, radius: usize) -> Option<Span> {
        self.near_occurrence(t, hint, radius, false)
    }

    /// The nearest occurrence near the hint up to whitespace at block breaks.
    fn near_spaced(&self, t: &Target, hint: u32, radius: usize) -> Option<Span> {
        if !t.exact.contains(char::is_whitespace) && t.exact.chars().count() < 4 {
            return None;
        }
        self.near_occurrence(t, hint, radius, true)
    }

    /// The text between the quote's own prefix and suffix, near the hint:
    /// where the words inside a quote were edited but those around it were
    /// not, the context says exactly where it is. Needs at least 8 characters
    /// of context on each side; the text between may be up to twice as long.
    fn bracket(&self, t: &Target, hint: u32, radius: usize) -> Option<(Span, f32)> {
        // 16 characters of context either side, else the 8 nearest the quote
        // (an edit a little further out spoils the longer ones).
        self.bracket_with(t, hint, 16, radius)
            .or_else(|| self.bracket_with(t, hint, 8, radius))
    }

    fn bracket_with(
        &self,
        t: &Target,
        hint: u32,
        side: usize,
        radius: usize,
    ) -> Option<(Span, f32)> {
        let pre: Vec<char> = t.prefix.chars().collect();
        let suf: Vec<char> = t.suffix.chars().collect();
        if pre.len() < 8 || suf.len() < 8 {
            return None;
        }
        let pre_tail: String = pre[pre.len().saturating_sub(side)..].iter().collect();
        let suf_head: String = suf[..suf.len().min(side)].iter().collect();
        let text = self.article.text();
        let ix = self.article.index();
        let h = ix.byte_of(text, hint);
        let lo = floor_boundary(text, h.saturating_sub(radius + pre_tail.len()));
        let hi = ceil_boundary(text, (h + radius).min(text.len()));
        let max_len = t.exact.len() * 2 + 32;
        let mut best: Option<(usize, usize)> = None;
        for (b, _) in text[lo..hi].match_indices(pre_tail.as_str()) {
            let p = lo + b + pre_tail.len();
            let end = ceil_boundary(text, (p + max_len + suf_head.len()).min(text.len()));
            if let Some(q) = text[p..end].find(suf_head.as_str()) {
                let q = p + q;
                if q > p && best.is_none_or(|(bp, _)| p.abs_diff(h) < bp.abs_diff(h)) {
                    best = Some((p, q));
                }
            }
        }
        let (p, q) = best?;
        let found: Vec<char> = text[p..q].chars().collect();
        let exact: Vec<char> = t.exact.chars().collect();
        let dist = levenshtein(&exact, &found);
        let quote_sim = 1.0 - dist as f32 / exact.len().max(found.len()) as f32;
        // Context on both sides matched: the place is certain; the score says
        // how much the quote itself changed, and never falls below the minimum.
        let score = (0.5 + 0.5 * quote_sim).max(MIN_SCORE);
        let s = ix.char_of_byte(text, p);
        Some((Span::new(s, s + found.len() as u32), score))
    }

    /// The best occurrence of the quote (exact, or `spaced`: up to
    /// whitespace at block breaks): most context, then nearest.
    fn search_quote(&self, t: &Target, hint: Option<u32>, spaced: bool) -> Option<Span> {
        let text = self.article.text();
        let ix = self.article.index();
        let full_context = solid_len(&t.prefix) + solid_len(&t.suffix);
        let hint_byte = hint.map(|h| ix.byte_of(text, h));
        // (context, -distance, start byte, end byte)
        let mut best: Option<(usize, i64, usize, usize)> = None;
        let windows = hint_byte
            .map(|h| {
                RADII
                    .iter()
                    .map(move |&r| (h.saturating_sub(r), h + r + t.exact.len()))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
            .into_iter()
            .chain(std::iter::once((0, text.len())));
        for (lo, hi) in windows {
            let lo = floor_boundary(text, lo);
            let hi = ceil_boundary(text, hi.min(text.len()));
            for (start, end) in self.occurrences(t, lo, hi, spaced) {
                let ctx = self.context(t, start, end);
                let dist = hint_byte.map_or(0, |h| (start as i64 - h as i64).abs());
                let cand = (ctx, -dist, start, end);
                if best.is_none_or(|b| (cand.0, cand.1) > (b.0, b.1)) {
                    best = Some(cand);
                }
            }
            // Good enough to stop widening: all the context matches (a
            // farther copy could not do better), or most of it does close to
            // where the quote was expected (edits nearby spoil some context;
            // scanning a whole long article for each such quote would not).
            if best
                .is_some_and(|b| b.0 >= full_context || (b.0 * 2 >= full_context && -b.1 <= 1024))
            {
                break;
            }
        }
        let (_, _, start, end) = best?;
        Some(self.span_of_bytes(start, end))
    }

    /// The best approximate match near the hint, or (`seeds`) around exact
    /// hits of pieces of the quote when there is none near the hint.
    fn approximate(&self, t: &Target, hint: Option<u32>, seeds: bool) -> Option<(Span, f32)> {
        let pattern: Vec<char> = t.exact.chars().collect();
        let m = pattern.len();
        if m < 4 {
            return None;
        }
        let (pattern, tail) = if m > MAX_FUZZY {
            // Long quotes: match the head; the end follows from the length.
            (pattern[..MAX_FUZZY].to_vec(), m - MAX_FUZZY)
        } else {
            (pattern, 0)
        };
        let k = pattern.len() / 4;
        let slack = (k as u32 + 64).max(pattern.len() as u32 / 2);
        let mut windows: Vec<u32> = hint.into_iter().collect();
        if windows.is_empty() && seeds {
            windows = self.seed_starts(&pattern, k);
        }
        let mut best: Option<(Span, f32)> = None;
        let mut tried_seeds = hint.is_none() || !seeds;
        loop {
            for &w in &windows {
                let lo = w.saturating_sub(slack);
                let hi = (w + pattern.len() as u32 + slack).min(self.len());
                if let Some(found) = self.best_in_window(t, &pattern, k, tail, lo, hi, hint) {
                    if best.is_none_or(|b| found.1 > b.1) {
                        best = Some(found);
                    }
                }
            }
            if best.is_some() || tried_seeds {
                break;
            }
            windows = self.seed_starts(&pattern, k);
            tried_seeds = true;
        }
        best.filter(|b| b.1 >= MIN_SCORE)
    }

    /// Where the quote may start: exact hits of pieces of it. With at most
    /// `k` errors, one of `k + 1` pieces survives intact (pigeonhole); pieces
    /// are at least 8 characters, and only the first 64 hits of each count.
    fn seed_starts(&self, pattern: &[char], k: usize) -> Vec<u32> {
        let text = self.article.text();
        let ix = self.article.index();
        let pieces = (k + 1).min(pattern.len() / 8).max(1);
        let size = pattern.len() / pieces;
        let mut starts = Vec::new();
        for p in 0..pieces {
            let offset = p * size;
            let piece: String = pattern[offset..(offset + size).min(pattern.len())]
                .iter()
                .collect();
            for (b, _) in text.match_indices(piece.as_str()).take(64) {
                let at = ix.char_of_byte(text, b);
                starts.push(at.saturating_sub(offset as u32));
            }
        }
        starts.sort_unstable();
        starts.dedup_by(|a, b| a.abs_diff(*b) < 16);
        starts.truncate(256);
        starts
    }

    /// The best approximate match of `pattern` in `[lo, hi)`, with its score.
    #[allow(clippy::too_many_arguments)]
    fn best_in_window(
        &self,
        t: &Target,
        pattern: &[char],
        k: usize,
        tail: usize,
        lo: u32,
        hi: u32,
        hint: Option<u32>,
    ) -> Option<(Span, f32)> {
        let window: Vec<char> = self.article.slice(Span::new(lo, hi)).chars().collect();
        let (cost, s, e) = sellers(
            pattern,
            &window,
            hint.map(|h| h.saturating_sub(lo) as usize),
        )?;
        if cost > k {
            return None;
        }
        let span = Span::new(lo + s as u32, (lo + e as u32 + tail as u32).min(self.len()));
        if span.is_empty() {
            return None;
        }
        let span = self.snap(t, span);
        let text = self.article.text();
        let ix = self.article.index();
        let ctx = self.context(
            t,
            ix.byte_of(text, span.start()),
            ix.byte_of(text, span.end()),
        );
        let full = solid_len(&t.prefix) + solid_len(&t.suffix);
        let quote_sim = 1.0 - cost as f32 / pattern.len() as f32;
        let ctx_sim = if full == 0 {
            1.0
        } else {
            ctx as f32 / full as f32
        };
        let score = 0.85 * quote_sim + 0.15 * ctx_sim;
        Some((span, score))
    }

    /// Snap an approximate match to whole words at each end where the quote
    /// itself began or ended at a word boundary.
    fn snap(&self, t: &Target, span: Span) -> Span {
        let word = |c: Option<char>| c.is_some_and(char::is_alphanumeric);
        let snap_start = word(t.exact.chars().next()) && !word(t.prefix.chars().last());
        let snap_end = word(t.exact.chars().last()) && !word(t.suffix.chars().next());
        match refine(self.article, span, false) {
            Some(r) => Span::new(
                if snap_start { r.start() } else { span.start() },
                if snap_end { r.end() } else { span.end() },
            ),
            None => span,
        }
    }
}

/// Characters that are not whitespace.
fn solid_len(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

/// Whether `text` from byte `start` reads as `quote` up to whitespace at
/// block breaks, and where that match ends (after its last character):
/// whitespace in the quote must meet whitespace in the text (of any kind
/// and length); the text may have whitespace the quote lacks only where it
/// holds a line break (between blocks); everything else is equal.
fn spaced_match(text: &str, start: usize, quote: &str) -> Option<usize> {
    let mut t = text[start..].char_indices().peekable();
    let mut q = quote.trim().chars().peekable();
    let mut end = None;
    loop {
        let mut q_space = false;
        while q.next_if(|c| c.is_whitespace()).is_some() {
            q_space = true;
        }
        let Some(qc) = q.next() else {
            return end;
        };
        let (mut t_space, mut t_break) = (false, false);
        while let Some((_, c)) = t.next_if(|(_, c)| c.is_whitespace()) {
            t_space = true;
            t_break |= c == '\n';
        }
        if end.is_some() && (q_space != t_space) && !(t_space && t_break) {
            return None;
        }
        let (b, tc) = t.next()?;
        if tc != qc {
            return None;
        }
        end = Some(start + b + tc.len_utf8());
    }
}

/// Approximate matching (Sellers): the substring of `text` with the fewest
/// edits from `pattern`, as (cost, start, end) in `text`'s chars. Ties go to
/// the match starting nearest `near`.
fn sellers(pattern: &[char], text: &[char], near: Option<usize>) -> Option<(usize, usize, usize)> {
    let m = pattern.len();
    if m == 0 || text.is_empty() {
        return None;
    }
    // One column of the table: cost and start of the best alignment of
    // pattern[..i] ending at the current text position.
    let mut cost: Vec<usize> = (0..=m).collect();
    let mut start: Vec<usize> = vec![0; m + 1];
    let mut best: Option<(usize, usize, usize)> = None;
    for (j, &c) in text.iter().enumerate() {
        let (mut diag_cost, mut diag_start) = (cost[0], start[0]);
        cost[0] = 0;
        start[0] = j + 1;
        for i in 1..=m {
            let sub = (diag_cost + usize::from(pattern[i - 1] != c), diag_start);
            let del = (cost[i] + 1, start[i]); // skip a text char
            let ins = (cost[i - 1] + 1, start[i - 1]); // skip a pattern char
            diag_cost = cost[i];
            diag_start = start[i];
            let pick = if sub.0 <= del.0 && sub.0 <= ins.0 {
                sub
            } else if del.0 <= ins.0 {
                del
            } else {
                ins
            };
            cost[i] = pick.0;
            start[i] = pick.1;
        }
        let cand = (cost[m], start[m], j + 1);
        let closer = |a: &(usize, usize, usize), b: &(usize, usize, usize)| match near {
            Some(n) => a.1.abs_diff(n) < b.1.abs_diff(n),
            None => false,
        };
        if best.is_none_or(|b| cand.0 < b.0 || (cand.0 == b.0 && closer(&cand, &b))) {
            best = Some(cand);
        }
    }
    best
}

/// Edit distance between two strings of chars.
fn levenshtein(a: &[char], b: &[char]) -> usize {
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut diag = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diag + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            diag = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

fn floor_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn ceil_boundary(s: &str, mut i: usize) -> usize {
    while i < s.len() && !s.is_char_boundary(i) {
        i += 1;
    }
    i
}
