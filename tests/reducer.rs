//! The reducer: every change to annotations, and undo/redo of all of them.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::{seed_article, Action, Annotation, State, Tag, Timestamp};
use common::{ann, find, id};
use proptest::prelude::*;

fn state() -> State {
    State::new(Rc::new(seed_article()), vec![])
}

#[test]
fn create_retag_note_delete_undo_redo() {
    let mut s = state();
    let span = find(&s.article, "Nicolás Maduro");
    let a = ann(&s.article, 1, Tag::Fact, span.start(), span.end());
    s.reduce(Action::Create(a.clone()));
    assert_eq!(s.annotations().len(), 1);
    assert_eq!(s.annotations()[0].quote.exact, "Nicolás Maduro");
    assert_eq!(s.selected, Some(a.id.clone()));
    assert_eq!(s.announcement, "Fact annotation created: “Nicolás Maduro”");

    s.reduce(Action::SetTag {
        id: a.id.clone(),
        tag: Tag::Quote,
        now: Timestamp(5),
    });
    s.reduce(Action::SetNote {
        id: a.id.clone(),
        note: "<b>not html</b>".into(),
        now: Timestamp(6),
    });
    let cur = s.get(&a.id).unwrap();
    assert_eq!(
        (cur.tag, cur.note.as_str(), cur.modified),
        (Tag::Quote, "<b>not html</b>", Timestamp(6))
    );
    assert_eq!(cur.created, a.created);

    s.reduce(Action::Delete {
        id: a.id.clone(),
        now: Timestamp(7),
    });
    assert!(s.annotations().is_empty());
    assert_eq!(s.announcement, "Quote annotation deleted: “Nicolás Maduro”");
    s.reduce(Action::Undo {
        now: Timestamp(100),
    });
    assert_eq!(s.get(&a.id).unwrap().note, "<b>not html</b>");
    assert_eq!(
        s.announcement,
        "Undone: Quote annotation deleted: “Nicolás Maduro”"
    );
    s.reduce(Action::Undo {
        now: Timestamp(100),
    });
    s.reduce(Action::Undo {
        now: Timestamp(100),
    });
    assert_eq!(**s.get(&a.id).unwrap(), a);
    s.reduce(Action::Redo {
        now: Timestamp(101),
    });
    assert_eq!(s.get(&a.id).unwrap().tag, Tag::Quote);
    // A new change clears the redo stack.
    s.reduce(Action::SetTag {
        id: a.id.clone(),
        tag: Tag::Analysis,
        now: Timestamp(7),
    });
    assert!(!s.can_redo());
}

#[test]
fn invalid_actions_change_nothing() {
    let mut s = state();
    let len = s.article.len_chars();
    let before = s.clone();
    s.reduce(Action::Create(ann(&s.article, 1, Tag::Fact, 10, 10)));
    let mut past_end = ann(&s.article, 2, Tag::Fact, 0, 5);
    past_end.span = claimmark::core::Span::new(len, len + 3);
    s.reduce(Action::Create(past_end));
    s.reduce(Action::Delete {
        id: id(99),
        now: Timestamp(1),
    });
    s.reduce(Action::SetTag {
        id: id(99),
        tag: Tag::Quote,
        now: Timestamp(1),
    });
    assert_eq!(s.annotations(), before.annotations());
    assert!(!s.can_undo());
    // A duplicate id is refused.
    s.reduce(Action::Create(ann(&s.article, 3, Tag::Fact, 0, 4)));
    s.reduce(Action::Create(ann(&s.article, 3, Tag::Quote, 5, 9)));
    assert_eq!(s.annotations().len(), 1);
}

#[test]
fn annotations_stay_in_document_order() {
    let mut s = state();
    for (n, (st, en)) in [(300, 310), (10, 20), (10, 40), (150, 160)]
        .into_iter()
        .enumerate()
    {
        s.reduce(Action::Create(ann(&s.article, n as u32, Tag::Fact, st, en)));
    }
    let starts: Vec<(u32, u32)> = s
        .annotations()
        .iter()
        .map(|a| (a.span.start(), a.span.end()))
        .collect();
    assert_eq!(starts, [(10, 40), (10, 20), (150, 160), (300, 310)]);
}

#[derive(Clone, Debug)]
enum Op {
    Create(u32, u32, u8),
    Delete(usize),
    Retag(usize, u8),
    Note(usize, String),
    /// Import `n` annotations at once (over 16: the batch path), some orphans.
    Import(u32, u32),
    DeleteAll,
    Reattach(usize, u32, u32),
    Verdict(usize, Option<u8>),
    Explanation(usize, String),
    Sources(usize, u8),
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        (0u32..6000, 1u32..80, 0u8..3).prop_map(|(s, l, t)| Op::Create(s, l, t)),
        (0usize..20).prop_map(Op::Delete),
        (0usize..20, 0u8..3).prop_map(|(i, t)| Op::Retag(i, t)),
        (0usize..20, "[a-z😀 ]{0,8}").prop_map(|(i, n)| Op::Note(i, n)),
        (1u32..40, 0u32..6000).prop_map(|(n, at)| Op::Import(n, at)),
        Just(Op::DeleteAll),
        (0usize..20, 0u32..6000, 1u32..60).prop_map(|(i, s, l)| Op::Reattach(i, s, l)),
        (0usize..20, prop::option::of(0u8..6)).prop_map(|(i, v)| Op::Verdict(i, v)),
        (0usize..20, "[a-z ]{0,8}").prop_map(|(i, e)| Op::Explanation(i, e)),
        (0usize..20, 0u8..3).prop_map(|(i, n)| Op::Sources(i, n)),
    ]
}

proptest! {
    #[test]
    fn undo_all_returns_to_start_and_redo_replays(ops in prop::collection::vec(arb_op(), 0..40)) {
        let mut s = state();
        let initial: Vec<Annotation> = s.annotations().iter().map(|a| (**a).clone()).collect();
        let mut after_each = Vec::new();
        for (n, op) in ops.iter().enumerate() {
            let pick = |s: &State, i: usize| s.annotations().get(i % s.annotations().len().max(1)).map(|a| a.id.clone());
            let action = match op {
                Op::Create(st, l, t) => {
                    let st = (*st).min(s.article.len_chars() - 1);
                    let en = (st + l).min(s.article.len_chars());
                    Some(Action::Create(ann(&s.article, n as u32, Tag::ALL[*t as usize], st, en)))
                }
                Op::Delete(i) => pick(&s, *i).map(|id| Action::Delete { id, now: Timestamp(n as i64) }),
                Op::Retag(i, t) => pick(&s, *i).map(|id| Action::SetTag { id, tag: Tag::ALL[*t as usize], now: Timestamp(n as i64) }),
                Op::Note(i, note) => pick(&s, *i).map(|id| Action::SetNote { id, note: note.clone(), now: Timestamp(n as i64) }),
                Op::Import(k, at) => {
                    let len = s.article.len_chars();
                    let annotations = (0..*k)
                        .map(|j| {
                            let st = (at + j * 37) % (len - 10);
                            let mut a = ann(&s.article, 10_000 + n as u32 * 100 + j, Tag::ALL[j as usize % 3], st, st + 9);
                            if j % 5 == 4 {
                                a.orphan = true;
                                a.span = claimmark::core::Span::new(0, 0);
                            }
                            a
                        })
                        .collect();
                    Some(Action::Import { annotations, label: "import".into(), now: Timestamp(n as i64) })
                }
                Op::DeleteAll => Some(Action::DeleteAll { now: Timestamp(n as i64) }),
                Op::Reattach(i, st, l) => pick(&s, *i).map(|id| {
                    let len = s.article.len_chars();
                    let st = (*st).min(len - 1);
                    Action::Reattach { id, span: claimmark::core::Span::new(st, (st + l).min(len)), now: Timestamp(n as i64) }
                }),
                Op::Verdict(i, v) => pick(&s, *i).map(|id| Action::SetVerdict {
                    id,
                    verdict: v.map(|k| claimmark::core::Verdict::ALL[k as usize]),
                    now: Timestamp(n as i64),
                }),
                Op::Explanation(i, e) => pick(&s, *i).map(|id| Action::SetExplanation { id, explanation: e.clone(), now: Timestamp(n as i64) }),
                Op::Sources(i, k) => pick(&s, *i).map(|id| Action::SetSources {
                    id,
                    sources: (0..*k).map(|j| format!("https://example.org/{j}")).collect(),
                    now: Timestamp(n as i64),
                }),
            };
            if let Some(action) = action {
                let before = s.annotations().to_vec();
                s.reduce(action);
                if s.annotations() != before.as_slice() {
                    after_each.push(s.annotations().to_vec());
                }
            }
        }
        let end = s.annotations().to_vec();
        let steps = after_each.len();
        for _ in 0..steps {
            prop_assert!(s.can_undo());
            s.reduce(Action::Undo { now: Timestamp(100) });
        }
        prop_assert!(!s.can_undo());
        let now: Vec<Annotation> = s.annotations().iter().map(|a| (**a).clone()).collect();
        prop_assert_eq!(now, initial);
        for expected in &after_each {
            s.reduce(Action::Redo { now: Timestamp(101) });
            prop_assert_eq!(s.annotations(), expected.as_slice());
        }
        prop_assert_eq!(s.annotations(), end.as_slice());
        prop_assert!(!s.can_redo());
    }
}

#[test]
fn article_details_are_an_undoable_change_and_merge_by_time() {
    use claimmark::core::Details;
    let mut s = state();
    let found = s.article.details.clone();
    assert_eq!(
        found.outlet.as_deref(),
        Some("Newslooks"),
        "prefilled from the metadata line"
    );
    assert_eq!(found.author.as_deref(), Some("J. Mansour"));
    let id_before = s.article.id.clone();
    let edited = Details::checked(
        "https://newslooks.example/a",
        "2026-01-05",
        "Newslooks",
        "J. Mansour",
    )
    .unwrap();
    s.reduce(Action::SetDetails {
        details: edited.clone(),
        now: Timestamp(10),
    });
    assert_eq!(s.article.details, edited);
    assert_eq!(
        s.article.id, id_before,
        "details are not part of the article's id"
    );
    assert_eq!(s.announcement, "Article details saved");
    assert_eq!(s.article.details_changed, Timestamp(10));
    let rev = s.revision;
    // The same details again change nothing.
    s.reduce(Action::SetDetails {
        details: edited.clone(),
        now: Timestamp(11),
    });
    assert_eq!(s.revision, rev);
    s.reduce(Action::Undo { now: Timestamp(12) });
    assert_eq!(s.article.details, found);
    s.reduce(Action::Redo { now: Timestamp(13) });
    assert_eq!(s.article.details, edited);
    // Another tab's details win only when changed later.
    let older = Details::checked("https://old.example/", "", "", "").unwrap();
    s.reduce(Action::MergeDetails {
        details: older,
        changed: Timestamp(5),
    });
    assert_eq!(s.article.details, edited);
    let newer = Details::checked("https://new.example/", "", "Other", "").unwrap();
    s.reduce(Action::MergeDetails {
        details: newer.clone(),
        changed: Timestamp(99),
    });
    assert_eq!(s.article.details, newer);
    assert_eq!(s.article.details_changed, Timestamp(99));
    assert!(!s.can_redo());
}

#[test]
fn claim_claimant_and_a_source_from_the_article_are_undoable_edits() {
    let mut s = state();
    let span = find(&s.article, "Nicolás Maduro");
    let a = ann(&s.article, 1, Tag::Fact, span.start(), span.end());
    s.reduce(Action::Create(a.clone()));
    s.reduce(Action::SetClaim {
        id: a.id.clone(),
        claim: "Maduro was captured.".into(),
        now: Timestamp(5),
    });
    s.reduce(Action::SetClaimant {
        id: a.id.clone(),
        claimant: "The White House".into(),
        now: Timestamp(6),
    });
    let url = "https://example.org/source".to_string();
    s.reduce(Action::AddSource {
        id: a.id.clone(),
        url: url.clone(),
        now: Timestamp(7),
    });
    assert_eq!(s.announcement, format!("Source added: {url}"));
    let rev = s.revision;
    s.reduce(Action::AddSource {
        id: a.id.clone(),
        url: url.clone(),
        now: Timestamp(8),
    });
    assert_eq!(s.revision, rev, "a source already there is not added twice");
    assert_eq!(s.announcement, format!("{url} is already a source"));
    let cur = s.get(&a.id).unwrap();
    assert_eq!(
        (
            cur.check.claim.as_str(),
            cur.check.claimant.as_str(),
            cur.check.sources.len()
        ),
        ("Maduro was captured.", "The White House", 1)
    );
    for _ in 0..3 {
        s.reduce(Action::Undo { now: Timestamp(9) });
    }
    let cur = s.get(&a.id).unwrap();
    assert!(
        cur.check.claim.is_empty() && cur.check.claimant.is_empty() && cur.check.sources.is_empty()
    );
}

#[test]
fn undo_remembers_the_last_thousand_changes() {
    use claimmark::core::state::HISTORY_LIMIT;
    let mut s = state();
    s.reduce(Action::Create(ann(&s.article, 1, Tag::Fact, 0, 10)));
    let extra = 5;
    for k in 0..HISTORY_LIMIT + extra - 1 {
        s.reduce(Action::SetNote {
            id: id(1),
            note: format!("note {k}"),
            now: Timestamp(k as i64),
        });
    }
    let mut undone = 0;
    while s.can_undo() {
        s.reduce(Action::Undo {
            now: Timestamp(5_000),
        });
        undone += 1;
    }
    assert_eq!(undone, HISTORY_LIMIT);
    // The oldest changes are forgotten: the creation and four notes stay.
    assert_eq!(s.get(&id(1)).unwrap().note, format!("note {}", extra - 2));
    assert_eq!(s.announcement, "Undone: Note changed");
    s.reduce(Action::Undo {
        now: Timestamp(5_001),
    });
    assert_eq!(s.announcement, "Nothing to undo");
}
