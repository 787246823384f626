//! Deterministic generated workloads for benchmarks (and the tests that
//! need large inputs), kept out of the shipped core: each user includes
//! this file as a module of its own (`#[path = "…/bench/workload.rs"]`).
//! Long articles built from the seed article's paragraphs (words varied
//! so quotes differ) and many annotations, about a fifth of them
//! overlapping another.
#![allow(dead_code)]

use claimmark::core::annotation::Annotation;
use claimmark::core::article::{Article, BlockKind};
use claimmark::core::id::AnnotationId;
use claimmark::core::offset::Span;
use claimmark::core::selection::refine;
use claimmark::core::tag::Tag;
use claimmark::core::time::Timestamp;

/// xorshift64*: small, fast, reproducible.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// Uniform in `0..n` (n > 0).
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }

    pub fn bytes16(&mut self) -> [u8; 16] {
        let mut b = [0u8; 16];
        b[..8].copy_from_slice(&self.next_u64().to_le_bytes());
        b[8..].copy_from_slice(&self.next_u64().to_le_bytes());
        b
    }
}

/// An article of about `target_bytes` of UTF-8 text from the seed's paragraphs.
pub fn article(target_bytes: usize, seed: u64) -> Article {
    let base = claimmark::core::seed_article();
    let paragraphs: Vec<&str> = base
        .blocks
        .iter()
        .enumerate()
        .filter(|(_, b)| matches!(b.kind, BlockKind::Paragraph | BlockKind::Standfirst))
        .map(|(i, _)| base.block_text(i))
        .collect();
    let vocabulary: Vec<&str> = paragraphs
        .iter()
        .flat_map(|p| p.split_whitespace())
        .filter(|w| w.chars().all(char::is_alphabetic) && w.len() > 3)
        .collect();
    let mut rng = Rng::new(seed);
    let mut parts = vec![(
        BlockKind::Title,
        format!("{} (generated, {} KB)", base.title, target_bytes / 1024),
    )];
    let mut size = 0;
    let mut copy = 0;
    while size < target_bytes {
        copy += 1;
        parts.push((BlockKind::Heading(2), format!("Part {copy}")));
        for p in &paragraphs {
            // Vary about one word in six so repeated copies differ.
            let varied: Vec<&str> = p
                .split(' ')
                .map(|w| {
                    if copy > 1 && rng.below(6) == 0 && w.chars().all(char::is_alphabetic) {
                        vocabulary[rng.below(vocabulary.len() as u64) as usize]
                    } else {
                        w
                    }
                })
                .collect();
            let text = varied.join(" ");
            size += text.len() + 1;
            parts.push((BlockKind::Paragraph, text));
            if size >= target_bytes {
                break;
            }
        }
    }
    Article::from_blocks(
        "Generated",
        vec![],
        Some(format!("generated:{target_bytes}:{seed}")),
        parts,
    )
}

/// `n` annotations spread over `article`, each a few words long, about 20 %
/// starting inside the previous one; tags vary. In document order.
pub fn annotations(article: &Article, n: usize, seed: u64) -> Vec<Annotation> {
    let mut rng = Rng::new(seed ^ 0x9e37_79b9);
    let len = article.len_chars().max(1) as u64;
    let mut out: Vec<Annotation> = Vec::with_capacity(n);
    for i in 0..n {
        let overlap = i > 0 && rng.below(5) == 0;
        let start = match out.last() {
            Some(prev) if overlap => prev.span.start() + prev.span.len() / 2,
            _ => (i as u64 * len / n as u64) as u32,
        };
        let end = (start + 8 + rng.below(40) as u32).min(len as u32);
        let Some(span) = refine(article, Span::new(start.min(end), end), false) else {
            continue;
        };
        let tag = Tag::ALL[rng.below(3) as usize];
        let t = Timestamp(1_760_000_000_000 + i as i64 * 1000);
        out.push(Annotation::new(
            AnnotationId::from_random_bytes(rng.bytes16()),
            tag,
            article,
            span,
            t,
        ));
    }
    out.sort_by(|a, b| a.doc_order(b));
    out
}

/// A revised copy of `article` (same headline): about `per_mille` ‰ of its words replaced by
/// other words of the article (of other lengths, so later text shifts), and
/// where each old offset went: `map[old] = new` for every old code point
/// offset `0..=len`. A position inside a replaced word maps to the new word's
/// start; the word's end maps to the new word's end.
pub fn revise(article: &Article, per_mille: u64, seed: u64) -> (Article, Vec<u32>) {
    let mut rng = Rng::new(seed ^ 0x5eed);
    let words: Vec<&str> = article
        .text()
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| w.len() > 2)
        .take(5000)
        .collect();
    let mut map = Vec::with_capacity(article.len_chars() as usize + 1);
    let mut parts = Vec::with_capacity(article.blocks.len());
    let mut new_pos = 0u32;
    for (i, b) in article.blocks.iter().enumerate() {
        if i > 0 {
            map.push(new_pos); // the separator
            new_pos += 1;
        }
        let mut out = String::new();
        for (j, w) in article.block_text(i).split(' ').enumerate() {
            if j > 0 {
                map.push(new_pos);
                out.push(' ');
                new_pos += 1;
            }
            let n = w.chars().count() as u32;
            let replace =
                w.len() > 3 && w.chars().all(char::is_alphabetic) && rng.below(1000) < per_mille;
            let new_word = if replace {
                let mut r = words[rng.below(words.len() as u64) as usize];
                if r == w {
                    r = "replacement";
                }
                r
            } else {
                w
            };
            let m = new_word.chars().count() as u32;
            for k in 0..n {
                map.push(if replace { new_pos } else { new_pos + k });
            }
            out.push_str(new_word);
            new_pos += m;
        }
        parts.push((b.kind, out));
    }
    map.push(new_pos);
    let revised = Article::from_blocks(
        &article.title,
        article.metadata.clone(),
        article.source.clone(),
        parts,
    );
    (revised, map)
}

/// How many of `carried` (annotations re-anchored onto a [`revise`]d copy)
/// landed on the right words: where `map` sends the original's ends.
pub fn right_words(
    original: &[impl AsRef<Annotation>],
    carried: &[Annotation],
    map: &[u32],
) -> usize {
    original
        .iter()
        .zip(carried)
        .filter(|(a, b)| {
            let a = a.as_ref();
            !b.orphan
                && b.span.start() == map[a.span.start() as usize]
                && b.span.end() == map[a.span.end() as usize]
        })
        .count()
}

/// Characters of site chrome (navigation, headers) before the article on
/// the page [`web_quotes`] are taken from: page positions are that far off.
pub const PAGE_CHROME: u32 = 3000;

/// How a web page joined two paragraphs in a quote taken from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Join {
    /// No whitespace at all (adjacent `<p>` elements, `Range.toString()`).
    None,
    /// A blank line (`innerText`).
    Blank,
    /// Either, changing from one break to the next (a page whose markup
    /// differs from section to section).
    Mixed,
}

impl Join {
    /// What the page has at the break before block `i`.
    pub fn separator(self, i: usize) -> &'static str {
        match self {
            Join::None => "",
            Join::Blank => "\n\n",
            Join::Mixed if (i / 3) % 2 == 0 => "",
            Join::Mixed => "\n\n",
        }
    }
}

/// Annotations as a web annotator (Hypothesis, a W3C export) would have made
/// them on a web page showing `article`: the page joins its paragraphs with
/// `join` where claimmark's text has one newline, so its quotes and context
/// differ from claimmark's only in whitespace at block breaks; its UTF-16
/// positions also count [`PAGE_CHROME`] characters of site navigation before
/// the article. About half of the `n` quotes cross a block break. Returns
/// each target with the span it belongs at in `article`.
pub fn web_quotes(
    article: &Article,
    n: usize,
    join: Join,
    seed: u64,
) -> Vec<(claimmark::core::anchor::Target, Span)> {
    use claimmark::core::anchor::{Target, Unit};
    let mut rng = Rng::new(seed ^ 0x0b5e_55ed);
    // The page's text, and where each of claimmark's offsets lands in it.
    let mut page = String::with_capacity(article.text().len() + article.blocks.len());
    let mut at = Vec::with_capacity(article.len_chars() as usize + 1);
    for (i, _) in article.blocks.iter().enumerate() {
        if i > 0 {
            at.push(page.chars().count() as u32);
            page.push_str(join.separator(i));
        }
        let start = page.chars().count() as u32;
        let text = article.block_text(i);
        for k in 0..text.chars().count() as u32 {
            at.push(start + k);
        }
        page.push_str(text);
    }
    at.push(page.chars().count() as u32);
    let page_chars: Vec<char> = page.chars().collect();
    let utf16: Vec<u32> = std::iter::once(0)
        .chain(page_chars.iter().scan(0u32, |u, c| {
            *u += c.len_utf16() as u32;
            Some(*u)
        }))
        .collect();
    let blocks = article.blocks.len();
    let mut out = Vec::with_capacity(n);
    for i in 0..n {
        let span = if i % 2 == 0 && blocks > 2 {
            // Across a break: the last words of one paragraph and the first of the next.
            let b = 1 + (i * (blocks - 2) / n.max(1)).min(blocks - 2);
            let (prev, next) = (article.blocks[b - 1].span, article.blocks[b].span);
            let back = (8 + rng.below(40) as u32).min(prev.len());
            let fwd = (8 + rng.below(40) as u32).min(next.len());
            refine(
                article,
                Span::new(prev.end() - back, next.start() + fwd),
                false,
            )
        } else {
            let len = article.len_chars();
            let start = (i as u64 * len as u64 / n.max(1) as u64) as u32;
            refine(
                article,
                Span::new(start, (start + 10 + rng.below(40) as u32).min(len)),
                false,
            )
        };
        let Some(span) = span else { continue };
        let (s, e) = (
            at[span.start() as usize] as usize,
            at[span.end() as usize] as usize,
        );
        let slice = |a: usize, b: usize| page_chars[a..b].iter().collect::<String>();
        out.push((
            Target {
                exact: slice(s, e),
                prefix: slice(s.saturating_sub(32), s),
                suffix: slice(e, (e + 32).min(page_chars.len())),
                position: Some((
                    (utf16[s] + PAGE_CHROME) as u64,
                    (utf16[e] + PAGE_CHROME) as u64,
                )),
                unit: Some(Unit::Unknown),
            },
            span,
        ));
    }
    out
}
