//! Placing incoming annotations: [`plan`] anchors annotations read from a
//! file ([`crate::core::formats::read`]) onto the open article
//! ([`crate::core::anchor`]), drops duplicates, applies the person's choice
//! for unknown tags, and produces the annotations to add with a summary to
//! confirm. Nothing changes until the plan is applied, as one undoable step.
//! [`carry_over`] does the same for a new version of an article.

use std::collections::{BTreeMap, HashSet};
use std::rc::Rc;

use crate::core::anchor::{Anchorer, Placement, Target};
use crate::core::annotation::{Annotation, TextQuote};
use crate::core::article::Article;
use crate::core::formats::{Incoming, IncomingTag, Parsed};
use crate::core::id::AnnotationId;
use crate::core::offset::Span;
use crate::core::tag::Tag;
use crate::core::time::Timestamp;

/// What an import will do, before it does it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// The annotations to add (orphans among them).
    pub add: Vec<Annotation>,
    /// Placed where the file said.
    pub kept: usize,
    /// Placed by finding the quote elsewhere, or approximately.
    pub moved: usize,
    pub orphans: usize,
    pub duplicates: usize,
    /// Skipped because of an unknown tag the person chose to skip.
    pub skipped: usize,
    pub invalid: Vec<String>,
    /// Tag names that are not fact / quote / analysis, with how many use each.
    pub unknown_tags: Vec<(String, usize)>,
}

impl Plan {
    /// "12 to import, 2 duplicates, 1 orphan, 1 invalid: annotation 4: …".
    pub fn summary(&self) -> String {
        let n =
            |k: usize, one: &str, many: &str| format!("{k} {}", if k == 1 { one } else { many });
        let mut parts = vec![format!("{} to import", self.add.len())];
        if self.moved > 0 {
            parts.push(format!("{} placed by their quote", self.moved));
        }
        if self.duplicates > 0 {
            parts.push(n(self.duplicates, "duplicate", "duplicates"));
        }
        if self.orphans > 0 {
            parts.push(n(
                self.orphans,
                "orphan (not found in this text)",
                "orphans (not found in this text)",
            ));
        }
        if self.skipped > 0 {
            parts.push(format!("{} skipped (tag)", self.skipped));
        }
        let mut s = parts.join(", ");
        if !self.invalid.is_empty() {
            s.push_str(&format!(
                ", {} invalid: {}",
                self.invalid.len(),
                self.invalid[0]
            ));
            if self.invalid.len() > 1 {
                s.push_str(&format!(" (and {} more)", self.invalid.len() - 1));
            }
        }
        s
    }
}

/// Plan importing `parsed` onto `article` next to `existing`. `mapping` says,
/// for each unknown tag name, which tag to give it (`None`, or absent: skip).
pub fn plan(
    parsed: &Parsed,
    article: &Article,
    existing: &[Rc<Annotation>],
    mapping: &BTreeMap<String, Option<Tag>>,
    now: Timestamp,
    new_id: &mut dyn FnMut() -> AnnotationId,
) -> Plan {
    let mut p = Plan {
        invalid: parsed.invalid.clone(),
        ..Plan::default()
    };
    let mut unknown: BTreeMap<String, usize> = BTreeMap::new();
    for it in &parsed.items {
        if let IncomingTag::Unknown(name) = &it.tag {
            *unknown.entry(name.clone()).or_default() += 1;
        }
    }
    p.unknown_tags = unknown.into_iter().collect();
    let chosen: Vec<(&Incoming, Tag)> = parsed
        .items
        .iter()
        .filter_map(|it| match &it.tag {
            IncomingTag::Known(t) => Some((it, *t)),
            IncomingTag::Unknown(name) => match mapping.get(name).copied().flatten() {
                Some(t) => Some((it, t)),
                None => {
                    p.skipped += 1;
                    None
                }
            },
        })
        .collect();
    let targets: Vec<Target> = chosen.iter().map(|(it, _)| it.target.clone()).collect();
    let placed = Anchorer::new(article).anchor_all(&targets);
    let ids: HashSet<&str> = existing.iter().map(|a| a.id.as_str()).collect();
    let mut fresh_ids: HashSet<String> = HashSet::new();
    let mut contents: HashSet<(u32, u32, Tag, &str)> = existing
        .iter()
        .filter(|a| a.is_anchored())
        .map(|a| (a.span.start(), a.span.end(), a.tag, a.note.as_str()))
        .collect();
    for ((it, tag), (span, how)) in chosen.iter().zip(placed) {
        let file_id = it
            .id
            .as_deref()
            .filter(|s| !s.is_empty() && s.len() <= 200 && !s.chars().any(char::is_control));
        if file_id.is_some_and(|id| ids.contains(id) || fresh_ids.contains(id)) {
            p.duplicates += 1;
            continue;
        }
        if let Some(span) = span {
            if !contents.insert((span.start(), span.end(), *tag, it.note.as_str())) {
                p.duplicates += 1;
                continue;
            }
        }
        let id = match file_id {
            Some(id) => AnnotationId::from_string(id),
            None => new_id(),
        };
        fresh_ids.insert(id.as_str().to_string());
        let created = it.created.unwrap_or(now);
        let modified = it.modified.unwrap_or(created);
        match how {
            Placement::Position => p.kept += 1,
            Placement::Orphan => p.orphans += 1,
            _ => p.moved += 1,
        }
        p.add.push(annotation_of(
            it, id, *tag, span, article, created, modified,
        ));
    }
    p
}

/// What carrying annotations over to a new version of an article did.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CarryOver {
    /// The annotations on the new text (ids kept; orphans among them).
    pub annotations: Vec<Annotation>,
    /// Still at the same offsets.
    pub stayed: usize,
    /// Found elsewhere, exactly or approximately.
    pub moved: usize,
    /// The quotes of those not found (kept as orphans).
    pub orphans: Vec<String>,
}

impl CarryOver {
    /// "12 stayed, 3 moved, 1 not found: “…”".
    pub fn report(&self) -> String {
        let mut s = format!(
            "{} stayed, {} moved, {} not found",
            self.stayed,
            self.moved,
            self.orphans.len()
        );
        if !self.orphans.is_empty() {
            let quotes: Vec<String> = self
                .orphans
                .iter()
                .take(5)
                .map(|q| format!("“{}”", q.chars().take(60).collect::<String>()))
                .collect();
            s.push_str(": ");
            s.push_str(&quotes.join(", "));
            if self.orphans.len() > 5 {
                s.push_str(&format!(" and {} more", self.orphans.len() - 5));
            }
        }
        s
    }
}

/// Re-anchor annotations made on an earlier version of an article onto
/// `article` (the import's algorithm): each keeps its id, tag, note and
/// fact-check fields; its place and quote follow the new text, or it becomes
/// an orphan with its old quote.
pub fn carry_over(old: &[Annotation], article: &Article, now: Timestamp) -> CarryOver {
    let targets: Vec<Target> = old.iter().map(Target::of).collect();
    let placed = Anchorer::new(article).anchor_all(&targets);
    let mut out = CarryOver::default();
    for (a, (span, how)) in old.iter().zip(placed) {
        let mut n = a.clone();
        match span {
            Some(span) => {
                if how == Placement::Position {
                    out.stayed += 1;
                } else {
                    out.moved += 1;
                    n.modified = now;
                }
                n.quote = TextQuote::of(article, span);
                n.span = span;
                n.orphan = false;
            }
            None => {
                out.orphans.push(a.quote.exact.clone());
                n.span = Span::new(0, 0);
                n.orphan = true;
            }
        }
        out.annotations.push(n);
    }
    out
}

/// How much of `old`'s wording `new` keeps, from 0 (nothing) to 1 (all):
/// the share of `old`'s three-word sequences that also occur in `new`.
/// A new version of an article keeps most of them (a heavily edited one
/// still keeps a third or more); an unrelated article that happens to share
/// a headline keeps almost none. For long texts only a fixed eighth of the
/// sequences (by hash) is compared, which estimates the same share.
pub fn likeness(old: &Article, new: &Article) -> f32 {
    use std::hash::{Hash, Hasher};
    fn shingles(text: &str) -> HashSet<u64> {
        let words: Vec<String> = text
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let sample = words.len() > 20_000;
        words
            .windows(3)
            .map(|w| {
                let mut h = std::collections::hash_map::DefaultHasher::new();
                w.hash(&mut h);
                h.finish()
            })
            .filter(|h| !sample || h % 8 == 0)
            .collect()
    }
    let (a, b) = (shingles(old.text()), shingles(new.text()));
    if a.is_empty() {
        return if old.text().trim() == new.text().trim() {
            1.0
        } else {
            0.0
        };
    }
    a.intersection(&b).count() as f32 / a.len() as f32
}

/// Below this [`likeness`], a text is not offered as a new version of
/// another just because their headlines match.
pub const NEW_VERSION_LIKENESS: f32 = 0.2;

/// An incoming annotation as one of ours: on `span` of `article` (its quote
/// taken from the text there), or, without a place, an orphan keeping the
/// file's quote.
pub(crate) fn annotation_of(
    it: &Incoming,
    id: AnnotationId,
    tag: Tag,
    span: Option<Span>,
    article: &Article,
    created: Timestamp,
    modified: Timestamp,
) -> Annotation {
    let (span, orphan, quote) = match span {
        Some(span) => (span, false, TextQuote::of(article, span)),
        None => (
            Span::new(0, 0),
            true,
            TextQuote {
                exact: it.target.exact.clone(),
                prefix: it.target.prefix.clone(),
                suffix: it.target.suffix.clone(),
            },
        ),
    };
    // A link with no article (from a W3C file) is to this one.
    let links = it
        .links
        .iter()
        .cloned()
        .map(|mut l| {
            if l.article.0.is_empty() {
                l.article = article.id.clone();
            }
            l
        })
        .collect();
    let links = crate::core::links::tidy(links, (&article.id, &id));
    Annotation {
        id,
        tag,
        span,
        quote,
        note: it.note.clone(),
        created,
        modified,
        check: it.check.clone(),
        author: it.author.clone(),
        orphan,
        links,
    }
}
