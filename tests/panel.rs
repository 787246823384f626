//! What the panel shows and what a click hits: typed filters, hit-testing
//! over overlapping annotations, and when a text counts as a new version.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::filter::{Filter, TagFilter, VerdictFilter};
use claimmark::core::import::{likeness, NEW_VERSION_LIKENESS};
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{hit, seed_article, Annotation, Tag, Verdict};
use common::{ann, find, fixture};

fn sample() -> (claimmark::core::Article, Vec<Rc<Annotation>>) {
    let a = seed_article();
    let m = find(&a, "Maduro and flew him");
    let c = find(&a, "Caracas to assess");
    let mut fact = ann(&a, 1, Tag::Fact, m.start(), m.end());
    fact.check.verdict = Some(Verdict::False);
    fact.note = "Checked against FLIGHT logs".into();
    // A quote overlapping the fact's last word.
    let quote = ann(&a, 2, Tag::Quote, m.end() - 3, m.end() + 3);
    let analysis = ann(&a, 3, Tag::Analysis, c.start(), c.end());
    let mut orphan = ann(&a, 4, Tag::Quote, 0, 0);
    orphan.orphan = true;
    let mut list: Vec<Rc<Annotation>> = vec![fact, quote, analysis, orphan]
        .into_iter()
        .map(Rc::new)
        .collect();
    list.sort_by(|x, y| x.doc_order(y));
    (a, list)
}

fn ids(list: &[Rc<Annotation>], f: &Filter) -> Vec<String> {
    list.iter()
        .filter(|a| f.fits(a))
        .map(|a| a.quote.exact.clone())
        .collect()
}

#[test]
fn filters_are_typed_and_combine() {
    let (_, list) = sample();
    assert_eq!(ids(&list, &Filter::default()).len(), 4);
    let facts = Filter::default().with_tag(TagFilter::Only(Tag::Fact));
    assert_eq!(ids(&list, &facts), ["Maduro and flew him"]);
    let orphans = Filter::default().with_tag(TagFilter::Orphans);
    assert_eq!(list.iter().filter(|a| orphans.fits(a)).count(), 1);
    let no_verdict = Filter::default().with_verdict(VerdictFilter::WithoutVerdict);
    assert_eq!(ids(&list, &no_verdict).len(), 3);
    // Words are found in notes too, whatever their case.
    let words = Filter::default().with_query("  flight ");
    assert_eq!(ids(&list, &words), ["Maduro and flew him"]);
    assert!(!words.is_open() && Filter::default().is_open());
    // Every choice survives its select's key.
    for f in TagFilter::choices() {
        assert_eq!(TagFilter::from_key(f.key()), f);
    }
    for f in VerdictFilter::choices() {
        assert_eq!(VerdictFilter::from_key(f.key()), f);
    }
}

#[test]
fn a_click_hits_every_placed_annotation_covering_it_and_no_orphan() {
    let (a, list) = sample();
    let m = find(&a, "Maduro and flew him");
    assert_eq!(hit::covering(&list, m.start()).len(), 1);
    // The fact's last letters are under the quote too.
    let both = hit::covering(&list, m.end() - 1);
    assert_eq!(both.len(), 2);
    // Past both: the quote alone; far away: nothing. The orphan (span 0..0) never.
    assert_eq!(hit::covering(&list, m.end() + 1).len(), 1);
    assert!(hit::covering(&list, 0).is_empty());
}

#[test]
fn only_a_text_that_keeps_the_wording_counts_as_a_new_version() {
    let old = seed_article();
    let v2 = parse_plain_text(&fixture("articles/seed-v2.txt"), None);
    let unrelated = parse_plain_text(
        "U.S. and Venezuela Begin Restoring Diplomatic Ties\n\nA recipe for bread: flour, water, salt and time, kneaded and left to rise overnight.",
        None,
    );
    assert!(likeness(&old, &old) > 0.99);
    assert!(likeness(&old, &v2) > 0.5, "{}", likeness(&old, &v2));
    assert!(
        likeness(&old, &unrelated) < NEW_VERSION_LIKENESS,
        "{}",
        likeness(&old, &unrelated)
    );
}
