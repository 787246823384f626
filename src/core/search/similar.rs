//! Near-duplicate claims: "has this been checked before?"
//!
//! A claim (or a quote) is normalised (`text::normalise`: case and
//! diacritics folded, punctuation and spacing dropped), cut into shingles
//! of [`K`] characters, and summed up in a MinHash signature of
//! [`SLOTS`] one-byte values (b-bit MinHash: each slot keeps the low 8 bits
//! of its minimum) made by one-permutation hashing: each shingle is
//! hashed once and lands in one slot, which keeps the smallest hash seen;
//! an empty slot borrows from the next filled one (densification), so
//! short texts still compare. The share of slots two signatures agree on
//! estimates the Jaccard similarity of their shingle sets (± ~0.09 at 0.5
//! with 32 slots; two different minima share their low byte 1 time in 256,
//! which the estimate corrects). Signatures are 32 bytes each and compared by scanning
//! them all — a few milliseconds for 100,000 — which is done once when a
//! fact is tagged, not per key press, so no banding (LSH) tables are kept.

use super::text::normalise;

/// Characters per shingle.
pub const K: usize = 4;
/// Values per signature.
pub const SLOTS: usize = 32;
/// The estimated similarity from which two claims are "nearly the same".
pub const THRESHOLD: f32 = 0.5;

/// A text's MinHash signature.
pub type Signature = [u8; SLOTS];

/// 64-bit FNV-1a, then a finaliser (splitmix64) so slots and values are
/// independent.
fn hash(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= *b as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^ (h >> 31)
}

/// The signature of `text`, or `None` when it is too short to compare
/// (fewer than [`K`] characters once normalised).
pub fn signature(text: &str) -> Option<Signature> {
    let norm = normalise(text);
    let chars: Vec<(usize, char)> = norm.char_indices().collect();
    if chars.len() < K {
        return None;
    }
    let mut min = [u64::MAX; SLOTS];
    for i in 0..=chars.len() - K {
        let start = chars[i].0;
        let end = chars.get(i + K).map_or(norm.len(), |c| c.0);
        let h = hash(&norm.as_bytes()[start..end]);
        let slot = (h % SLOTS as u64) as usize;
        let v = h >> 16;
        if v < min[slot] {
            min[slot] = v;
        }
    }
    // Densify: an empty slot takes the next filled one's value, marked by
    // how far it reached so that two empty slots agree only by chance.
    let mut sig = [0u8; SLOTS];
    for (s, out) in sig.iter_mut().enumerate() {
        let mut step = 0;
        while min[(s + step) % SLOTS] == u64::MAX {
            step += 1;
        }
        let v = min[(s + step) % SLOTS];
        *out = (v ^ (step as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as u8;
    }
    Some(sig)
}

/// The estimated similarity of two signatures: the share of slots equal,
/// less the share one-byte values agree by chance.
pub fn similarity(a: &Signature, b: &Signature) -> f32 {
    let equal = a.iter().zip(b).filter(|(x, y)| x == y).count() as f32 / SLOTS as f32;
    ((equal - 1.0 / 256.0) / (1.0 - 1.0 / 256.0)).max(0.0)
}

/// Signatures of many texts, each with the document it belongs to.
#[derive(Clone, Debug, Default)]
pub struct Signatures {
    sigs: Vec<Signature>,
    docs: Vec<u32>,
}

impl Signatures {
    pub fn add(&mut self, doc: u32, sig: Signature) {
        self.sigs.push(sig);
        self.docs.push(doc);
    }

    /// Keep only the signatures whose document `live` says is live.
    pub fn compact(&mut self, live: impl Fn(u32) -> bool) {
        let mut i = 0;
        while i < self.docs.len() {
            if live(self.docs[i]) {
                i += 1;
            } else {
                self.docs.swap_remove(i);
                self.sigs.swap_remove(i);
            }
        }
    }

    /// Documents with a text at least `threshold` similar to one of
    /// `query`, each once with its best similarity, best first.
    pub fn near(
        &self,
        query: &[Signature],
        threshold: f32,
        live: impl Fn(u32) -> bool,
    ) -> Vec<(u32, f32)> {
        let mut out: Vec<(u32, f32)> = Vec::new();
        for (sig, &doc) in self.sigs.iter().zip(&self.docs) {
            let best = query
                .iter()
                .map(|q| similarity(q, sig))
                .fold(0.0f32, f32::max);
            if best >= threshold && live(doc) {
                match out.iter_mut().find(|(d, _)| *d == doc) {
                    Some(x) => x.1 = x.1.max(best),
                    None => out.push((doc, best)),
                }
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    pub fn len(&self) -> usize {
        self.sigs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.sigs.is_empty()
    }

    pub fn heap_bytes(&self) -> usize {
        self.sigs.capacity() * std::mem::size_of::<Signature>() + self.docs.capacity() * 4
    }
}
