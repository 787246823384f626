//! The merge rule (`core::merge`): a total order on the versions of
//! one annotation, so merging is commutative, associative, idempotent, and
//! every tab converges whatever order versions arrive in; and what it means
//! in the reducer: a deletion wins over an edit made without seeing it, a
//! deliberate revival wins over the deletion, the later edit wins.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::merge::{compare, merge, wins, Clock, Entry};
use claimmark::core::{
    seed_article, Action, Annotation, AnnotationId, State, Tag, Timestamp, Verdict,
};
use common::{ann, id};
use proptest::prelude::*;

thread_local! {
    static ARTICLE: Rc<claimmark::core::Article> = Rc::new(seed_article());
}

/// A version of annotation `n`: live with one of a few notes, tags,
/// verdicts, sources and authors, placed or an orphan; or deleted; in one of
/// a few lives, at one of a few times (ties are likely, and then every
/// field takes part in picking the winner).
fn arb_version(n: u32) -> impl Strategy<Value = Entry> {
    (
        (0u32..3, 0i64..4, prop::option::of(0usize..3), 0usize..3),
        (
            prop::option::of(0usize..6),
            0usize..3,
            prop::option::of(0usize..2),
            any::<bool>(),
        ),
    )
        .prop_map(
            move |((life, at, note, tag), (verdict, sources, author, orphan))| {
                let clock = Clock {
                    life,
                    changed: Timestamp(at),
                };
                match note {
                    Some(k) => {
                        let mut a = ARTICLE.with(|article| ann(article, n, Tag::ALL[tag], 10, 20));
                        a.note = ["", "a", "b"][k].into();
                        a.check.verdict = verdict.map(|v| Verdict::ALL[v]);
                        a.check.sources = (0..sources)
                            .map(|i| format!("https://example.org/{i}"))
                            .collect();
                        a.author = author.map(|i| ["ana", "ben"][i].to_string());
                        if orphan {
                            a.orphan = true;
                            a.span = claimmark::core::Span::new(0, 0);
                            a.quote.exact = "words of an earlier version".into();
                        }
                        Entry::live(a, clock)
                    }
                    None => Entry::deleted(id(n), clock),
                }
            },
        )
}

/// A version of one of a few annotations.
fn arb_entry() -> impl Strategy<Value = Entry> {
    (0u32..3).prop_flat_map(arb_version)
}

/// Three versions of one annotation.
fn arb_three() -> impl Strategy<Value = (Entry, Entry, Entry)> {
    (0u32..3).prop_flat_map(|n| (arb_version(n), arb_version(n), arb_version(n)))
}

/// What a tab ends with after receiving `versions` in this order.
fn deliver(versions: &[Entry]) -> Vec<Entry> {
    let mut s = State::new(ARTICLE.with(|a| a.clone()), vec![]);
    for v in versions {
        s.reduce(Action::Merge {
            entries: vec![v.clone()],
        });
    }
    let mut out: Vec<Entry> = s.entries().collect();
    out.sort_by(|a, b| a.id.cmp(&b.id));
    out
}

proptest! {
    #[test]
    fn merge_is_commutative((a, b, _) in arb_three()) {
        prop_assert_eq!(merge(a.clone(), b.clone()), merge(b, a));
    }

    #[test]
    fn merge_is_associative((a, b, c) in arb_three()) {
        prop_assert_eq!(
            merge(merge(a.clone(), b.clone()), c.clone()),
            merge(a, merge(b, c))
        );
    }

    #[test]
    fn merge_is_idempotent((a, b, _) in arb_three()) {
        prop_assert_eq!(merge(a.clone(), a.clone()), a.clone());
        let m = merge(a.clone(), b.clone());
        prop_assert_eq!(merge(m.clone(), b), m);
    }

    /// Only the same version compares equal; otherwise exactly one wins.
    #[test]
    fn exactly_one_of_two_different_versions_wins((a, b, _) in arb_three()) {
        let ab = compare(a.clock, a.annotation.as_ref(), b.clock, b.annotation.as_ref());
        let ba = compare(b.clock, b.annotation.as_ref(), a.clock, a.annotation.as_ref());
        prop_assert_eq!(ab, ba.reverse());
        prop_assert_eq!(ab == std::cmp::Ordering::Equal, a == b);
    }

    /// Two versions changed in the same millisecond that differ in any one
    /// field — tag, note, verdict, explanation, sources, claim, claimant,
    /// author, an orphan's quote, placed or orphan — are never a tie: one
    /// wins, the same one in every tab.
    #[test]
    fn versions_of_the_same_moment_that_differ_in_any_field_are_ordered(
        (a, _, _) in arb_three(),
        field in 0usize..10,
    ) {
        let Some(base) = a.annotation.clone() else { return Ok(()) };
        let mut other = base.clone();
        match field {
            0 => other.tag = Tag::ALL[(Tag::ALL.iter().position(|t| *t == base.tag).unwrap() + 1) % 3],
            1 => other.note.push('!'),
            2 => other.check.verdict = Some(if base.check.verdict == Some(Verdict::True) { Verdict::False } else { Verdict::True }),
            3 => other.check.explanation.push_str(" because"),
            4 => other.check.sources.push("https://example.org/more".into()),
            5 => other.check.claim.push_str(" (as checked)"),
            6 => other.check.claimant.push_str("someone"),
            7 => other.author = Some(format!("{}-other", base.author.clone().unwrap_or_default())),
            // A placed annotation's quote is the text at its span (not
            // stored, so not compared); an orphan's is its own.
            8 => {
                prop_assume!(base.orphan);
                other.quote.exact.push_str(" more");
            }
            _ => {
                other.orphan = !base.orphan;
                other.span = if other.orphan { claimmark::core::Span::new(0, 0) } else { claimmark::core::Span::new(10, 20) };
            }
        }
        prop_assume!(other != base);
        let (x, y) = (Entry::live(base, a.clock), Entry::live(other, a.clock));
        let xy = compare(x.clock, x.annotation.as_ref(), y.clock, y.annotation.as_ref());
        prop_assert_ne!(xy, std::cmp::Ordering::Equal);
        prop_assert_eq!(xy.reverse(), compare(y.clock, y.annotation.as_ref(), x.clock, x.annotation.as_ref()));
    }

    /// Tabs that receive the same versions in any order, some twice, end
    /// with the same annotations and tombstones.
    #[test]
    fn every_order_of_delivery_converges(
        versions in prop::collection::vec(arb_entry(), 1..12),
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut idx: Vec<usize> = (0..24).collect();
            for i in (1..idx.len()).rev() {
                idx.swap(i, rng.random_range(0..=i));
            }
            idx
        }),
    ) {
        let forward = deliver(&versions);
        let shuffled: Vec<Entry> = order
            .iter()
            .filter_map(|&i| versions.get(i % versions.len()).cloned())
            .chain(versions.iter().cloned())
            .collect();
        prop_assert_eq!(deliver(&shuffled), forward.clone());
        let mut backward = versions.clone();
        backward.reverse();
        prop_assert_eq!(deliver(&backward), forward);
    }
}

fn state() -> (State, Rc<claimmark::core::Article>) {
    let article = Rc::new(seed_article());
    (State::new(article.clone(), vec![]), article)
}

fn only(s: &State, id: &AnnotationId) -> Entry {
    s.entry(id).unwrap()
}

#[test]
fn a_deletion_wins_over_an_edit_made_without_seeing_it_even_a_later_one() {
    let (mut a, article) = state();
    a.reduce(Action::Create(ann(&article, 1, Tag::Fact, 0, 10)));
    let mut b = a.clone();
    a.reduce(Action::Delete {
        id: id(1),
        now: Timestamp(2_000_000_000_000),
    });
    b.reduce(Action::SetNote {
        id: id(1),
        note: "edited later, without seeing the deletion".into(),
        now: Timestamp(2_000_000_009_000),
    });
    let (da, eb) = (only(&a, &id(1)), only(&b, &id(1)));
    assert!(wins(&da, &eb));
    a.reduce(Action::Merge { entries: vec![eb] });
    b.reduce(Action::Merge { entries: vec![da] });
    assert!(a.get(&id(1)).is_none() && b.get(&id(1)).is_none());
    assert_eq!(b.announcement, "Updated from another tab");
}

#[test]
fn undo_of_a_deletion_is_a_new_life_that_wins_over_the_deletion_and_old_edits() {
    let (mut a, article) = state();
    a.reduce(Action::Create(ann(&article, 1, Tag::Fact, 0, 10)));
    let mut b = a.clone();
    a.reduce(Action::Delete {
        id: id(1),
        now: Timestamp(10),
    });
    let deleted = only(&a, &id(1));
    a.reduce(Action::Undo { now: Timestamp(11) });
    let revived = only(&a, &id(1));
    assert_eq!(revived.clock.life, deleted.clock.life + 1);
    // An edit from the old life, however late, loses to the revival.
    b.reduce(Action::SetNote {
        id: id(1),
        note: "old life".into(),
        now: Timestamp(99_999_999_999_999),
    });
    b.reduce(Action::Merge {
        entries: vec![deleted, revived.clone()],
    });
    assert_eq!(only(&b, &id(1)), revived);
    // Redo of a create after undoing it, and re-importing a deleted id, are revivals too.
    let (mut c, article) = state();
    c.reduce(Action::Create(ann(&article, 2, Tag::Quote, 0, 10)));
    c.reduce(Action::Undo { now: Timestamp(5) });
    c.reduce(Action::Redo { now: Timestamp(6) });
    assert_eq!(c.clock(&id(2)).unwrap().life, 1);
    c.reduce(Action::Delete {
        id: id(2),
        now: Timestamp(7),
    });
    c.reduce(Action::Import {
        annotations: vec![ann(&article, 2, Tag::Quote, 0, 10)],
        label: "import".into(),
        now: Timestamp(8),
    });
    assert_eq!(c.clock(&id(2)).unwrap().life, 2);
}

#[test]
fn a_local_change_beats_what_its_tab_has_seen_even_when_the_clock_steps_back() {
    let (mut a, article) = state();
    a.reduce(Action::Create(ann(&article, 1, Tag::Fact, 0, 10)));
    // A version from a tab whose clock runs far ahead.
    let mut ahead: Annotation = (**a.get(&id(1)).unwrap()).clone();
    ahead.note = "from a clock ahead".into();
    let far = Clock {
        life: 0,
        changed: Timestamp(5_000_000_000_000),
    };
    a.reduce(Action::Merge {
        entries: vec![Entry::live(ahead.clone(), far)],
    });
    a.reduce(Action::SetNote {
        id: id(1),
        note: "mine, after seeing it".into(),
        now: Timestamp(1_800_000_000_000),
    });
    let mine = only(&a, &id(1));
    assert!(wins(&mine, &Entry::live(ahead, far)));
    assert_eq!(mine.clock.changed, Timestamp(far.changed.0 + 1));
    assert_eq!(a.touched(), [id(1)]);
}

#[test]
fn concurrent_edits_of_one_annotation_pick_the_same_winner_in_every_tab() {
    let (mut a, article) = state();
    a.reduce(Action::Create(ann(&article, 1, Tag::Fact, 0, 10)));
    let mut b = a.clone();
    let now = Timestamp(1_900_000_000_000);
    a.reduce(Action::SetNote {
        id: id(1),
        note: "from A".into(),
        now,
    });
    b.reduce(Action::SetTag {
        id: id(1),
        tag: Tag::Analysis,
        now,
    });
    let (ea, eb) = (only(&a, &id(1)), only(&b, &id(1)));
    a.reduce(Action::Merge {
        entries: vec![eb.clone()],
    });
    b.reduce(Action::Merge {
        entries: vec![ea.clone()],
    });
    assert_eq!(
        only(&a, &id(1)),
        only(&b, &id(1)),
        "the same millisecond: one winner"
    );
    assert_eq!(only(&a, &id(1)), merge(ea, eb));
    // Merging what is already known changes nothing (no ping-pong).
    let rev = a.revision;
    let again = only(&b, &id(1));
    a.reduce(Action::Merge {
        entries: vec![again],
    });
    assert_eq!(a.revision, rev);
    assert!(a.touched().is_empty(), "a merge leaves nothing to save");
}
