//! Searching every annotation in the library, finding claims checked
//! before, and the other ends of links.
//!
//! [`Library`] is an inverted index over every stored article's
//! annotations (and so the team's, for the articles synced here): the
//! words of each annotation's quote, note, explanation, claim as checked,
//! claimant and sources, folded and tokenised by [`text`], each word's
//! annotations in a delta-encoded list ([`postings`]). A query is
//! tokenised the same way; every word must match, the last one as a
//! prefix while it is being typed. Filters (tag, verdict, author, article,
//! date) are checked on the few bytes each annotation keeps ([`Doc`]), not
//! on the annotation. Nothing is parsed per key press: the index is built
//! once ([`Library::build`], reading storage) and then kept current a
//! version at a time ([`Library::put`], compared by merge clock so an
//! unchanged version costs a lookup).
//!
//! It also keeps, per fact, a MinHash signature of its claim and its quote
//! ([`similar`]), and every link's source by its target, so an
//! annotation's backlinks — and whether a link's other end is live,
//! deleted or in an article not stored here — are found without reading
//! anything.

pub mod postings;
pub mod similar;
pub mod text;

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use self::postings::{Bits, Postings};
use self::similar::Signatures;
use super::annotation::{Annotation, TextQuote};
use super::article::Article;
use super::factcheck::Verdict;
use super::filter::{TagFilter, VerdictFilter};
use super::id::AnnotationId;
use super::id::ArticleId;
use super::links::{Backlink, End, EndState, LinkTo};
use super::merge::{Clock, Entry};
use super::offset::Span;
use super::storage::{self, Store};
use super::tag::Tag;
use super::time::Timestamp;

/// An article as the index knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ArticleInfo {
    pub id: ArticleId,
    /// What the library calls it (its name there, else its headline).
    pub title: String,
    pub url: Option<String>,
    pub last_opened: Timestamp,
}

/// An annotation id, small: a canonical UUID as its 16 bytes; any other
/// id by its number among the library's other ids (`Library::others`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Key {
    bits: [u32; 4],
    other: bool,
}

/// A canonical UUID's 128 bits.
fn uuid_bits(s: &str) -> Option<[u32; 4]> {
    let b = s.as_bytes();
    if b.len() != 36 || [8, 13, 18, 23].iter().any(|&i| b[i] != b'-') {
        return None;
    }
    let mut bits = [0u32; 4];
    let mut n = 0;
    for &c in b.iter().filter(|c| **c != b'-') {
        let v = match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => return None,
        } as u32;
        bits[n / 8] = (bits[n / 8] << 4) | v;
        n += 1;
    }
    (n == 32).then_some(bits)
}

/// What the index keeps of one version of one annotation: 56 bytes, so a
/// library of 100,000 annotations costs a few megabytes here. Its links
/// and an orphan's quote, which few have, are kept apart (`Library::extras`).
#[derive(Clone, Debug)]
pub struct Doc {
    key: Key,
    article: u32,
    changed: Timestamp,
    life: u32,
    pub span: Span,
    author: u32,
    /// How many terms it put in the index (to count stale postings).
    terms: u16,
    pub tag: Tag,
    pub verdict: Option<Verdict>,
    pub orphan: bool,
    /// Live (searchable); else a deletion, kept for its links and to say
    /// that a link's other end was deleted.
    pub live: bool,
    /// Replaced by a later version, or its article removed.
    dead: bool,
}

impl Doc {
    pub fn clock(&self) -> Clock {
        Clock {
            life: self.life,
            changed: self.changed,
        }
    }
}

/// What few documents have: links, an orphan's quote.
#[derive(Clone, Debug, Default)]
struct Extra {
    links: Box<[LinkTo]>,
    orphan_quote: Option<Box<str>>,
}

/// A query: words, and filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Query {
    pub text: String,
    pub tag: TagFilter,
    pub verdict: VerdictFilter,
    /// Only this author's (`Some("")`: only those without one).
    pub author: Option<String>,
    pub article: Option<ArticleId>,
    /// Only those changed at or after this time.
    pub since: Option<Timestamp>,
}

/// One annotation found.
#[derive(Clone, Debug, PartialEq)]
pub struct Hit {
    pub article: ArticleId,
    pub title: String,
    pub id: AnnotationId,
    pub tag: Tag,
    pub verdict: Option<Verdict>,
    pub author: Option<String>,
    pub span: Span,
    pub orphan: bool,
    /// When it last changed.
    pub changed: Timestamp,
    pub live: bool,
}

/// What a search found: the annotations, in library order (articles most
/// recently opened first, then document order), and how many articles.
/// Only numbers: the few shown are made [`Hit`]s (`Library::hits`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Found {
    docs: Vec<u32>,
    pub articles: usize,
}

impl Found {
    /// How many annotations.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Leave out the annotation `id` of `article` (in `lib`).
    pub fn without(mut self, lib: &Library, article: &ArticleId, id: &AnnotationId) -> Found {
        if let Some(d) = lib.doc_of(article, id) {
            self.docs.retain(|x| *x != d);
        }
        self
    }

    /// "12 annotations in 4 articles", "1 annotation in 1 article", "No annotations".
    pub fn words(&self) -> String {
        match self.docs.len() {
            0 => "No annotations found".into(),
            n => format!(
                "{} in {}",
                super::words::annotations(n),
                super::words::count(self.articles, "article", "articles")
            ),
        }
    }
}

/// Sizes, for the benchmark and the docs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stats {
    pub articles: usize,
    pub annotations: usize,
    pub terms: usize,
    pub postings: usize,
    pub signatures: usize,
    /// Roughly what the index takes in memory.
    pub bytes: usize,
}

/// The library's annotations, indexed (see the module docs).
#[derive(Default)]
pub struct Library {
    articles: Vec<Option<ArticleInfo>>,
    slots: HashMap<ArticleId, u32>,
    docs: Vec<Doc>,
    current: HashMap<(u32, Key), u32>,
    postings: Postings,
    signatures: Signatures,
    /// Every link's source documents, by its target.
    backlinks: HashMap<(ArticleId, AnnotationId), Vec<u32>>,
    authors: Vec<String>,
    author_ids: HashMap<String, u32>,
    /// Ids that are not canonical UUIDs, numbered.
    others: Vec<Rc<str>>,
    other_ids: HashMap<Rc<str>, u32>,
    /// Links and orphans' quotes, by document.
    extras: HashMap<u32, Extra>,
    live: usize,
    links_changed: bool,
    /// Reused while indexing an annotation's words.
    scratch: String,
    /// Article texts, for quotes (the last few used).
    texts: RefCell<Vec<Rc<Article>>>,
}

/// How many article texts [`Library`] keeps at hand for quotes.
const TEXTS_KEPT: usize = 16;

impl Library {
    pub fn new() -> Library {
        Library::default()
    }

    /// Every stored article of `store` and its annotations, read at once
    /// (see [`Builder`] for a build in small steps).
    pub fn build(store: &dyn Store) -> Library {
        let mut lib = Library::new();
        let mut b = Builder::new(store, None);
        while !b.step(&mut lib, store, &mut || true) {}
        lib
    }

    /// Whether `put` or `sync_article` changed anything links show since
    /// the last call (a link made or removed, a linked annotation deleted
    /// or brought back), and forget it.
    pub fn take_links_changed(&mut self) -> bool {
        std::mem::take(&mut self.links_changed)
    }

    /// Add an article, or update what is known of it.
    pub fn set_article(&mut self, info: ArticleInfo) -> u32 {
        match self.slots.get(&info.id) {
            Some(&slot) => {
                self.articles[slot as usize] = Some(info);
                slot
            }
            None => {
                let slot = self.articles.len() as u32;
                self.slots.insert(info.id.clone(), slot);
                self.articles.push(Some(info));
                slot
            }
        }
    }

    /// The articles indexed.
    pub fn articles(&self) -> impl Iterator<Item = &ArticleInfo> {
        self.articles.iter().flatten()
    }

    pub fn has_article(&self, id: &ArticleId) -> bool {
        self.slots.contains_key(id)
    }

    /// Forget an article and its annotations (deleted from the library).
    pub fn remove_article(&mut self, id: &ArticleId) {
        let Some(slot) = self.slots.remove(id) else {
            return;
        };
        self.articles[slot as usize] = None;
        let docs: Vec<u32> = self
            .current
            .iter()
            .filter(|((s, _), _)| *s == slot)
            .map(|(_, d)| *d)
            .collect();
        self.current.retain(|(s, _), _| *s != slot);
        for d in docs {
            self.kill(d);
        }
        self.texts.borrow_mut().retain(|a| a.id != *id);
        self.tidy();
    }

    /// Make `entries` the versions of article `info`: each is put (see
    /// [`Library::put`]), and annotations indexed before and not among
    /// them are forgotten.
    pub fn sync_article(&mut self, info: ArticleInfo, entries: impl IntoIterator<Item = Entry>) {
        let slot = self.set_article(info);
        let mut seen: std::collections::HashSet<Key> = std::collections::HashSet::new();
        for e in entries {
            seen.insert(self.key_of(&e.id));
            self.put_in(slot, &e);
        }
        self.forget_unseen(slot, &seen);
    }

    /// Forget what is indexed for the article in `slot` that the sync just
    /// made did not see (deleted or gone since), then tidy the lists.
    fn forget_unseen(&mut self, slot: u32, seen: &std::collections::HashSet<Key>) {
        let gone: Vec<(Key, u32)> = self
            .current
            .iter()
            .filter(|((s, k), _)| *s == slot && !seen.contains(k))
            .map(|((_, k), d)| (*k, *d))
            .collect();
        for (k, d) in gone {
            self.current.remove(&(slot, k));
            self.kill(d);
        }
        self.tidy();
    }

    /// Make the open article's versions in `state` what is indexed for it,
    /// building only the versions whose clock differs from the one indexed
    /// (after a merge from another tab, a few of 10,000).
    pub fn sync_state(&mut self, info: ArticleInfo, state: &super::state::State) {
        let slot = self.set_article(info);
        let mut seen: std::collections::HashSet<Key> = std::collections::HashSet::new();
        for (id, clock, live) in state.clocks() {
            let key = self.key_of(id);
            let same = self.current.get(&(slot, key)).is_some_and(|&d| {
                self.docs[d as usize].clock() == clock && self.docs[d as usize].live == live
            });
            seen.insert(key);
            if !same {
                if let Some(e) = state.entry(id) {
                    self.put_in(slot, &e);
                }
            }
        }
        self.forget_unseen(slot, &seen);
    }

    /// Index version `e` of an annotation of `article` (added to the
    /// library first if unknown, titled by its id until told). A placed
    /// annotation's quote must be filled in. Does nothing when the version
    /// indexed has the same clock.
    pub fn put(&mut self, article: &ArticleId, e: &Entry) {
        let slot = match self.slots.get(article) {
            Some(&s) => s,
            None => self.set_article(ArticleInfo {
                id: article.clone(),
                title: String::new(),
                url: None,
                last_opened: Timestamp(0),
            }),
        };
        self.put_in(slot, e);
        self.tidy();
    }

    /// The key of `id`, numbering it when it is not a UUID (`make`).
    fn key_of(&mut self, id: &AnnotationId) -> Key {
        match uuid_bits(id.as_str()) {
            Some(bits) => Key { bits, other: false },
            None => {
                let n = match self.other_ids.get(id.as_str()) {
                    Some(&n) => n,
                    None => {
                        let s: Rc<str> = id.as_str().into();
                        self.others.push(s.clone());
                        self.other_ids.insert(s, self.others.len() as u32 - 1);
                        self.others.len() as u32 - 1
                    }
                };
                Key {
                    bits: [n, 0, 0, 0],
                    other: true,
                }
            }
        }
    }

    /// The key of `id` if it has one (nothing is numbered).
    fn find_key(&self, id: &AnnotationId) -> Option<Key> {
        match uuid_bits(id.as_str()) {
            Some(bits) => Some(Key { bits, other: false }),
            None => self.other_ids.get(id.as_str()).map(|&n| Key {
                bits: [n, 0, 0, 0],
                other: true,
            }),
        }
    }

    fn id_of(&self, key: &Key) -> AnnotationId {
        if key.other {
            return AnnotationId::from_string(&self.others[key.bits[0] as usize]);
        }
        let h = format!(
            "{:08x}{:08x}{:08x}{:08x}",
            key.bits[0], key.bits[1], key.bits[2], key.bits[3]
        );
        AnnotationId::from_string(&format!(
            "{}-{}-{}-{}-{}",
            &h[..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..]
        ))
    }

    fn links_of(&self, d: u32) -> &[LinkTo] {
        self.extras.get(&d).map_or(&[], |e| &e.links)
    }

    /// Room for `n` more annotations (sized once, not by doubling).
    pub fn reserve(&mut self, n: usize) {
        self.docs.reserve_exact(n);
        self.current.reserve(n);
    }

    /// Keep an article's text at hand for quotes (the open one, say).
    pub fn keep_text(&self, article: Rc<Article>) {
        let mut texts = self.texts.borrow_mut();
        texts.retain(|a| a.id != article.id);
        texts.insert(0, article);
        texts.truncate(TEXTS_KEPT);
    }

    fn put_in(&mut self, slot: u32, e: &Entry) {
        let key = self.key_of(&e.id);
        let new_links = match &e.annotation {
            Some(a) => &a.links,
            None => &e.links,
        };
        let mut was_live = false;
        if let Some(&d) = self.current.get(&(slot, key)) {
            let old = &self.docs[d as usize];
            if old.clock() == e.clock && old.live == e.annotation.is_some() {
                return;
            }
            was_live = old.live;
            self.links_changed |= *self.links_of(d) != **new_links;
            self.kill(d);
        } else {
            self.links_changed |= !new_links.is_empty();
        }
        // An annotation with links, or one links point to, deleted or
        // brought back: the other ends say so.
        if was_live != e.annotation.is_some() {
            let article = self.articles[slot as usize].as_ref().map(|a| &a.id);
            self.links_changed |= !new_links.is_empty()
                || article.is_some_and(|a| self.backlinks.contains_key(&(a.clone(), e.id.clone())));
        }
        let doc = self.docs.len() as u32;
        let links = new_links.clone();
        let mut d = Doc {
            key,
            article: slot,
            changed: e.clock.changed,
            life: e.clock.life,
            span: Span::new(0, 0),
            author: 0,
            terms: 0,
            tag: Tag::Fact,
            verdict: None,
            orphan: false,
            live: e.annotation.is_some(),
            dead: false,
        };
        let mut extra = Extra::default();
        if let Some(a) = &e.annotation {
            d.tag = a.tag;
            d.verdict = a.check.verdict;
            d.orphan = a.orphan;
            d.span = a.span;
            d.author = self.author_id(a.author.as_deref());
            extra.orphan_quote = a.orphan.then(|| a.quote.exact.clone().into_boxed_str());
            d.terms = self.index_words(doc, a).min(u16::MAX as usize) as u16;
            self.live += 1;
            if a.tag == Tag::Fact {
                for t in claim_texts(a) {
                    if let Some(sig) = similar::signature(t) {
                        self.signatures.add(doc, sig);
                    }
                }
            }
        }
        for l in &links {
            self.backlinks
                .entry((l.article.clone(), l.id.clone()))
                .or_default()
                .push(doc);
        }
        if !links.is_empty() || extra.orphan_quote.is_some() {
            extra.links = links.into_boxed_slice();
            self.extras.insert(doc, extra);
        }
        self.docs.push(d);
        self.current.insert((slot, key), doc);
    }

    /// Put every word of `a`'s searchable fields in the index as document
    /// `doc`; how many distinct terms.
    fn index_words(&mut self, doc: u32, a: &Annotation) -> usize {
        // Every token into one buffer, as ranges; sorted and deduplicated
        // there, so a word costs no allocation of its own.
        let mut buf = std::mem::take(&mut self.scratch);
        let mut word = String::new();
        let mut ranges: Vec<(u32, u32)> = Vec::with_capacity(48);
        buf.clear();
        let fields = [
            a.quote.exact.as_str(),
            &a.note,
            &a.check.explanation,
            &a.check.claim,
            &a.check.claimant,
        ];
        for field in fields
            .into_iter()
            .chain(a.check.sources.iter().map(String::as_str))
        {
            text::each_token(field, &mut word, |t| {
                let start = buf.len() as u32;
                buf.push_str(t);
                ranges.push((start, buf.len() as u32));
            });
        }
        let at = |r: &(u32, u32)| &buf[r.0 as usize..r.1 as usize];
        ranges.sort_unstable_by(|x, y| at(x).cmp(at(y)));
        ranges.dedup_by(|x, y| at(x) == at(y));
        for r in &ranges {
            self.postings.add(at(r), doc);
        }
        self.scratch = buf;
        ranges.len()
    }

    fn author_id(&mut self, author: Option<&str>) -> u32 {
        let Some(name) = author.filter(|a| !a.is_empty()) else {
            return 0;
        };
        if let Some(&id) = self.author_ids.get(name) {
            return id;
        }
        self.authors.push(name.to_string());
        let id = self.authors.len() as u32;
        self.author_ids.insert(name.to_string(), id);
        id
    }

    fn kill(&mut self, d: u32) {
        let doc = &mut self.docs[d as usize];
        if doc.dead {
            return;
        }
        doc.dead = true;
        if doc.live {
            self.live -= 1;
        }
        let terms = doc.terms as usize;
        self.postings.died(terms);
        self.extras.remove(&d);
    }

    /// Drop dead documents from the lists once there are many.
    pub fn tidy(&mut self) {
        if self.postings.worth_compacting() {
            let docs = &self.docs;
            self.postings.compact(|d| !docs[d as usize].dead);
            self.signatures.compact(|d| !docs[d as usize].dead);
            self.backlinks.retain(|_, v| {
                v.retain(|d| !docs[*d as usize].dead);
                !v.is_empty()
            });
        }
    }

    /// How many live annotations are indexed.
    pub fn len(&self) -> usize {
        self.live
    }

    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// The authors named in the library, sorted.
    pub fn authors(&self) -> Vec<String> {
        let mut a = self.authors.clone();
        a.sort();
        a
    }

    /// The annotations that fit `q` (see the module docs).
    pub fn search(&self, q: &Query) -> Found {
        let tokens = text::tokens(&q.text);
        let n = self.docs.len();
        let mut set: Option<Bits> = None;
        let last = tokens.list.len().saturating_sub(1);
        for (i, t) in tokens.list.iter().enumerate() {
            let mut bits = Bits::new(n);
            if i == last && tokens.open_end {
                for list in self.postings.prefixed(t) {
                    for d in list.iter() {
                        bits.set(d);
                    }
                }
            } else if let Some(list) = self.postings.exact(t) {
                for d in list.iter() {
                    bits.set(d);
                }
            }
            match &mut set {
                Some(s) => s.and(&bits),
                None => set = Some(bits),
            }
            if set.as_ref().is_some_and(Bits::is_empty) {
                break;
            }
        }
        let set = set.unwrap_or_else(|| Bits::all(n));
        let author = q.author.as_deref().map(|a| match a {
            "" => Some(0),
            a => self.author_ids.get(a).copied(),
        });
        let article = q.article.as_ref().map(|a| self.slots.get(a).copied());
        let mut docs: Vec<u32> = set
            .iter()
            .filter(|&d| {
                let doc = &self.docs[d as usize];
                doc.live
                    && !doc.dead
                    && q.tag.fits_tag(doc.tag, doc.orphan)
                    && q.verdict.fits_verdict(doc.verdict)
                    && author.is_none_or(|a| a == Some(doc.author))
                    && article.is_none_or(|a| a == Some(doc.article))
                    && q.since.is_none_or(|t| doc.changed >= t)
            })
            .collect();
        // Library order, by one sortable number per annotation: its
        // article's rank (most recently opened first), orphans after the
        // placed, then where it starts.
        let mut rank: Vec<u32> = vec![0; self.articles.len()];
        let mut by_opened: Vec<(std::cmp::Reverse<Timestamp>, u32)> = self
            .articles
            .iter()
            .enumerate()
            .map(|(i, a)| {
                (
                    std::cmp::Reverse(a.as_ref().map_or(Timestamp(0), |a| a.last_opened)),
                    i as u32,
                )
            })
            .collect();
        by_opened.sort_unstable();
        for (r, (_, slot)) in by_opened.into_iter().enumerate() {
            rank[slot as usize] = r as u32;
        }
        let mut keyed: Vec<(u64, u32)> = docs
            .iter()
            .map(|&d| {
                let doc = &self.docs[d as usize];
                let k = ((rank[doc.article as usize] as u64) << 33)
                    | ((doc.orphan as u64) << 32)
                    | doc.span.start() as u64;
                (k, d)
            })
            .collect();
        keyed.sort_unstable();
        let mut seen = vec![false; self.articles.len()];
        let mut articles = 0;
        docs.clear();
        for (_, d) in keyed {
            let a = self.docs[d as usize].article as usize;
            if !std::mem::replace(&mut seen[a], true) {
                articles += 1;
            }
            docs.push(d);
        }
        Found { docs, articles }
    }

    /// The annotations found, from `range` (say, the page shown).
    pub fn hits(&self, found: &Found, range: std::ops::Range<usize>) -> Vec<Hit> {
        let end = range.end.min(found.docs.len());
        found.docs[range.start.min(end)..end]
            .iter()
            .map(|d| self.hit(*d))
            .collect()
    }

    fn hit(&self, d: u32) -> Hit {
        let doc = &self.docs[d as usize];
        let info = self.articles[doc.article as usize].as_ref();
        Hit {
            article: info
                .map(|a| a.id.clone())
                .unwrap_or(ArticleId(String::new())),
            title: info.map(|a| a.title.clone()).unwrap_or_default(),
            id: self.id_of(&doc.key),
            tag: doc.tag,
            verdict: doc.verdict,
            author: (doc.author > 0).then(|| self.authors[doc.author as usize - 1].clone()),
            span: doc.span,
            orphan: doc.orphan,
            changed: doc.changed,
            live: doc.live,
        }
    }

    fn doc_of(&self, article: &ArticleId, id: &AnnotationId) -> Option<u32> {
        let slot = *self.slots.get(article)?;
        self.current.get(&(slot, self.find_key(id)?)).copied()
    }

    /// The annotation `id` of `article`, if indexed (live or deleted).
    pub fn find(&self, article: &ArticleId, id: &AnnotationId) -> Option<Hit> {
        self.doc_of(article, id).map(|d| self.hit(d))
    }

    /// What has become of a link's other end, with its article's title
    /// and, when live and its text can be read, its quote.
    pub fn end(&self, store: &dyn Store, article: &ArticleId, id: &AnnotationId) -> End {
        let info = self
            .slots
            .get(article)
            .and_then(|s| self.articles[*s as usize].as_ref());
        let doc = self.doc_of(article, id).map(|d| &self.docs[d as usize]);
        let state = match (info, doc) {
            (None, _) => EndState::Elsewhere,
            (Some(_), None) => EndState::Missing,
            (Some(_), Some(d)) if d.live => EndState::Live,
            (Some(_), Some(_)) => EndState::Deleted,
        };
        let quote = match (state, doc) {
            (EndState::Live, Some(d)) => self
                .quote_of(store, article, d)
                .map(|q| q.exact)
                .unwrap_or_default(),
            _ => String::new(),
        };
        End {
            article: article.clone(),
            id: id.clone(),
            state,
            title: info.map(|a| a.title.clone()).unwrap_or_default(),
            url: info.and_then(|a| a.url.clone()),
            quote,
        }
    }

    /// The links into annotation `id` of `article` from others (live ones
    /// and the deletions that keep theirs), each with its source.
    pub fn backlinks(
        &self,
        store: &dyn Store,
        article: &ArticleId,
        id: &AnnotationId,
    ) -> Vec<Backlink> {
        let Some(sources) = self.backlinks.get(&(article.clone(), id.clone())) else {
            return vec![];
        };
        let mut out: Vec<Backlink> = Vec::new();
        for &d in sources {
            let doc = &self.docs[d as usize];
            if doc.dead {
                continue;
            }
            let Some(kind) = self
                .links_of(d)
                .iter()
                .find(|l| l.points_at(article, id))
                .map(|l| l.kind)
            else {
                continue;
            };
            let Some(info) = self.articles[doc.article as usize].as_ref() else {
                continue;
            };
            out.push(Backlink {
                from: self.end(store, &info.id, &self.id_of(&doc.key)),
                kind,
            });
        }
        out
    }

    /// Facts elsewhere in the library whose claim or quote is nearly the
    /// same as one of `texts` (see [`similar`]), best first, with their
    /// similarity; `except` (the fact asked about) left out.
    pub fn checked_before(
        &self,
        texts: &[&str],
        except: (&ArticleId, &AnnotationId),
    ) -> Vec<(Hit, f32)> {
        let sigs: Vec<similar::Signature> =
            texts.iter().filter_map(|t| similar::signature(t)).collect();
        if sigs.is_empty() {
            return vec![];
        }
        let skip = self.doc_of(except.0, except.1);
        self.signatures
            .near(&sigs, similar::THRESHOLD, |d| {
                let doc = &self.docs[d as usize];
                doc.live && !doc.dead && Some(d) != skip
            })
            .into_iter()
            .map(|(d, s)| (self.hit(d), s))
            .collect()
    }

    /// The quote of a hit, with its context: from the article's text (read
    /// once, then kept among the last few used), or an orphan's own.
    pub fn quote(&self, store: &dyn Store, hit: &Hit) -> Option<TextQuote> {
        let d = self.doc_of(&hit.article, &hit.id)?;
        self.quote_of(store, &hit.article, &self.docs[d as usize])
    }

    fn quote_of(&self, store: &dyn Store, article: &ArticleId, doc: &Doc) -> Option<TextQuote> {
        let d = self.doc_of(article, &self.id_of(&doc.key));
        if let Some(q) = d
            .and_then(|d| self.extras.get(&d))
            .and_then(|e| e.orphan_quote.as_ref())
        {
            return Some(TextQuote {
                exact: q.to_string(),
                ..TextQuote::default()
            });
        }
        let text = self.text(store, article)?;
        (doc.span.end() <= text.len_chars()).then(|| TextQuote::of(&text, doc.span))
    }

    fn text(&self, store: &dyn Store, article: &ArticleId) -> Option<Rc<Article>> {
        let kept = self
            .texts
            .borrow()
            .iter()
            .find(|a| a.id == *article)
            .cloned();
        if let Some(a) = kept {
            return Some(a);
        }
        let raw = store.get(&storage::article_key(article)).ok()??;
        let a = Rc::new(storage::read::decode_article(raw).ok()?.article);
        self.keep_text(a.clone());
        Some(a)
    }

    /// Sizes and roughly the memory taken.
    pub fn stats(&self) -> Stats {
        let extra_bytes: usize = self
            .extras
            .values()
            .map(|e| {
                48 + e.links.len() * (std::mem::size_of::<LinkTo>() + 100)
                    + e.orphan_quote.as_ref().map_or(0, |q| q.len())
            })
            .sum();
        let map_bytes = self.current.capacity()
            * (std::mem::size_of::<(u32, Key)>() + std::mem::size_of::<u32>() + 1);
        Stats {
            articles: self.slots.len(),
            annotations: self.live,
            terms: self.postings.term_count(),
            postings: self.postings.posting_count(),
            signatures: self.signatures.len(),
            bytes: self.docs.capacity() * std::mem::size_of::<Doc>()
                + map_bytes
                + extra_bytes
                + self.others.iter().map(|s| s.len() + 40).sum::<usize>()
                + self.postings.heap_bytes()
                + self.signatures.heap_bytes(),
        }
    }
}

/// Building a [`Library`] from storage a little at a time, so a large
/// library is indexed between other work (the app gives each step a few
/// milliseconds): the open article first, from what is in memory, then each
/// stored article — its record once, then its chunks a few at a time.
pub struct Builder {
    /// The open article and its versions, indexed first.
    open: Option<(ArticleInfo, Vec<Entry>)>,
    /// Stored articles still to read, and the one being read.
    queue: Vec<ArticleInfo>,
    reading: Option<Reading>,
    /// How many annotations the library lists (room made once).
    room: usize,
}

struct Reading {
    info: ArticleInfo,
    article: Rc<Article>,
    next_bucket: usize,
    seen: Vec<Entry>,
}

/// Chunks read per step before the budget is asked again.
const CHUNKS_PER_TURN: usize = 8;

impl Builder {
    /// A build of everything `store`'s library lists; `open` (the article
    /// open now, and its versions) is taken from memory instead.
    pub fn new(store: &dyn Store, open: Option<(ArticleInfo, Vec<Entry>)>) -> Builder {
        let index = storage::read_index(store);
        let total: usize = index
            .articles
            .iter()
            .map(|e| e.counts.iter().sum::<usize>())
            .sum();
        let open_id = open.as_ref().map(|(i, _)| i.id.clone());
        let mut queue: Vec<ArticleInfo> = index
            .articles
            .iter()
            .filter(|e| Some(&e.id) != open_id.as_ref())
            .map(|e| ArticleInfo {
                id: e.id.clone(),
                title: e.display_name().to_string(),
                url: None,
                last_opened: e.last_opened,
            })
            .collect();
        queue.reverse();
        Builder {
            open,
            queue,
            reading: None,
            room: total + 64,
        }
    }

    /// Do some of the work, while `more()` says there is time (at least
    /// one piece each call). True once everything is indexed.
    pub fn step(
        &mut self,
        lib: &mut Library,
        store: &dyn Store,
        more: &mut dyn FnMut() -> bool,
    ) -> bool {
        if self.room > 0 {
            lib.reserve(std::mem::take(&mut self.room));
        }
        loop {
            if let Some((info, entries)) = self.open.take() {
                lib.sync_article(info, entries);
            } else if let Some(r) = &mut self.reading {
                let end = (r.next_bucket + CHUNKS_PER_TURN).min(storage::BUCKETS);
                for b in r.next_bucket..end {
                    let key = storage::chunk_key(&r.info.id, b as u8);
                    let Some(raw) = store.get(&key).ok().flatten() else {
                        continue;
                    };
                    if let Ok(entries) = storage::layout::decode_chunk(&raw, &r.article) {
                        r.seen.extend(entries);
                    }
                }
                r.next_bucket = end;
                if end == storage::BUCKETS {
                    let r = self.reading.take().expect("reading");
                    lib.sync_article(r.info, r.seen);
                    lib.tidy();
                }
            } else if let Some(mut info) = self.queue.pop() {
                let raw = store.get(&storage::article_key(&info.id)).ok().flatten();
                let read = raw.and_then(|r| storage::read::decode_article(r).ok());
                if let Some(read) = read {
                    info.url = read.article.details.url.clone();
                    let article = Rc::new(read.article);
                    self.reading = Some(Reading {
                        info,
                        seen: read.legacy,
                        article,
                        next_bucket: 0,
                    });
                }
            } else {
                lib.postings.shrink();
                return true;
            }
            if !more() {
                return self.open.is_none() && self.reading.is_none() && self.queue.is_empty();
            }
        }
    }
}

/// The texts of a fact that "checked before" compares: its claim as
/// checked and its quote (once if the same).
pub fn claim_texts(a: &Annotation) -> Vec<&str> {
    let mut v = Vec::with_capacity(2);
    if !a.check.claim.trim().is_empty() {
        v.push(a.check.claim.as_str());
    }
    if !a.quote.exact.trim().is_empty()
        && text::normalise(&a.quote.exact) != text::normalise(&a.check.claim)
    {
        v.push(a.quote.exact.as_str());
    }
    v
}
