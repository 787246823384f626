//! The inverted index: each term's documents, in increasing order, as
//! variable-length deltas (a byte per posting for most), and prefix
//! lookups through the sorted term dictionary.
//!
//! Documents are numbered in the order they are added and a number is
//! never reused, so a posting list only ever grows at its end. A document
//! that is replaced or removed is marked dead and skipped; [`Postings::compact`]
//! drops dead ones from the lists once there are many.

use std::collections::BTreeMap;

/// Increasing document numbers, delta-encoded (LEB128).
#[derive(Clone, Debug, Default)]
pub struct List {
    bytes: Vec<u8>,
    last: u32,
    len: u32,
}

impl List {
    /// Add `doc`, which must be greater than every number in the list
    /// (a repeat of the last is ignored: a term twice in one document).
    fn push(&mut self, doc: u32) {
        if self.len > 0 && doc <= self.last {
            return;
        }
        let mut d = if self.len == 0 { doc } else { doc - self.last };
        loop {
            let b = (d & 0x7f) as u8;
            d >>= 7;
            if d == 0 {
                self.bytes.push(b);
                break;
            }
            self.bytes.push(b | 0x80);
        }
        self.last = doc;
        self.len += 1;
    }

    /// The documents, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        let mut at = 0;
        let mut prev = 0u32;
        let mut first = true;
        std::iter::from_fn(move || {
            if at >= self.bytes.len() {
                return None;
            }
            let mut d = 0u32;
            let mut shift = 0;
            loop {
                let b = self.bytes[at];
                at += 1;
                d |= ((b & 0x7f) as u32) << shift;
                shift += 7;
                if b & 0x80 == 0 {
                    break;
                }
            }
            prev = if first { d } else { prev + d };
            first = false;
            Some(prev)
        })
    }

    pub fn len(&self) -> usize {
        self.len as usize
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn heap_bytes(&self) -> usize {
        self.bytes.capacity()
    }
}

/// Terms and their documents.
#[derive(Clone, Debug, Default)]
pub struct Postings {
    terms: BTreeMap<Box<str>, List>,
    /// Postings of dead documents still in the lists.
    stale: usize,
    total: usize,
}

impl Postings {
    /// Record that document `doc` (greater than any added before) holds `term`.
    pub fn add(&mut self, term: &str, doc: u32) {
        let list = match self.terms.get_mut(term) {
            Some(l) => l,
            None => self.terms.entry(term.into()).or_default(),
        };
        let before = list.len;
        list.push(doc);
        self.total += (list.len - before) as usize;
    }

    /// A document died: its postings are now stale (removed by `compact`).
    pub fn died(&mut self, terms: usize) {
        self.stale += terms;
    }

    /// Whether enough of the postings are stale to be worth compacting.
    pub fn worth_compacting(&self) -> bool {
        self.stale > 4096 && self.stale * 4 > self.total
    }

    /// Drop dead documents from every list (and lists left empty).
    pub fn compact(&mut self, live: impl Fn(u32) -> bool) {
        let mut total = 0;
        self.terms.retain(|_, list| {
            let mut fresh = List::default();
            for d in list.iter().filter(|d| live(*d)) {
                fresh.push(d);
            }
            fresh.bytes.shrink_to_fit();
            total += fresh.len();
            *list = fresh;
            !list.is_empty()
        });
        self.total = total;
        self.stale = 0;
    }

    /// Give back the room lists grew into (after a build).
    pub fn shrink(&mut self) {
        for l in self.terms.values_mut() {
            l.bytes.shrink_to_fit();
        }
    }

    /// The list of `term` exactly.
    pub fn exact(&self, term: &str) -> Option<&List> {
        self.terms.get(term)
    }

    /// The lists of every term that starts with `prefix`.
    pub fn prefixed<'a>(&'a self, prefix: &'a str) -> impl Iterator<Item = &'a List> + 'a {
        self.terms
            .range::<str, _>((
                std::ops::Bound::Included(prefix),
                std::ops::Bound::Unbounded,
            ))
            .take_while(move |(t, _)| t.starts_with(prefix))
            .map(|(_, l)| l)
    }

    pub fn term_count(&self) -> usize {
        self.terms.len()
    }

    pub fn posting_count(&self) -> usize {
        self.total
    }

    /// Roughly what the dictionary and lists take on the heap.
    pub fn heap_bytes(&self) -> usize {
        // A B-tree node holds up to 11 keys and values; count each entry's
        // share of one, its key's text and its list.
        let per_entry = std::mem::size_of::<Box<str>>() + std::mem::size_of::<List>() + 8;
        self.terms
            .iter()
            .map(|(t, l)| per_entry + t.len() + l.heap_bytes())
            .sum()
    }
}

/// A set of document numbers as bits.
#[derive(Clone, Debug)]
pub struct Bits(Vec<u64>);

impl Bits {
    pub fn new(n: usize) -> Bits {
        Bits(vec![0; n.div_ceil(64)])
    }

    pub fn all(n: usize) -> Bits {
        let mut b = Bits(vec![u64::MAX; n.div_ceil(64)]);
        if n % 64 != 0 {
            if let Some(last) = b.0.last_mut() {
                *last = (1u64 << (n % 64)) - 1;
            }
        }
        b
    }

    pub fn set(&mut self, i: u32) {
        if let Some(w) = self.0.get_mut(i as usize / 64) {
            *w |= 1 << (i % 64);
        }
    }

    pub fn and(&mut self, other: &Bits) {
        for (a, b) in self.0.iter_mut().zip(&other.0) {
            *a &= b;
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.iter().all(|w| *w == 0)
    }

    /// The numbers in the set, in order.
    pub fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut w = w;
            std::iter::from_fn(move || {
                if w == 0 {
                    return None;
                }
                let b = w.trailing_zeros();
                w &= w - 1;
                Some(i as u32 * 64 + b)
            })
        })
    }
}
