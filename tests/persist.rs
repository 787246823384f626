//! Persistence: records, migration, corrupt data, full storage, merging tabs.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::storage::{
    backup_key, decode_record, encode_record, index_key, load, read_index, record_key, record_of,
    save, LoadError, Problem, SCHEMA,
};
use claimmark::core::storage::{MemoryStore, Store, StoreError};
use claimmark::core::{seed_article, Action, Article, BlockKind, State, Tag, Timestamp};
use common::{ann, find, id, seed_file};
use proptest::prelude::*;

/// A time after every annotation's creation in these tests.
fn t(ms: i64) -> Timestamp {
    Timestamp(1_800_000_000_000 + ms)
}

fn state_with(n: u32) -> State {
    let article = Rc::new(seed_article());
    let mut s = State::new(article.clone(), vec![]);
    for i in 0..n {
        let st = i * 40;
        s.reduce(Action::Create(ann(
            &article,
            i,
            Tag::ALL[i as usize % 3],
            st,
            st + 12,
        )));
    }
    s
}

fn restore(boot: &claimmark::core::storage::Boot) -> State {
    let mut s = State::new(boot.article.clone(), vec![]);
    s.reduce(Action::Restore {
        article: boot.article.clone(),
        annotations: boot.annotations.clone(),
        tombstones: boot.tombstones.clone(),
    });
    s
}

#[test]
fn save_then_load_restores_everything_exactly() {
    let store = MemoryStore::new();
    let mut s = state_with(5);
    let second = s.annotations()[1].id.clone();
    s.reduce(Action::SetNote {
        id: second.clone(),
        note: "👩‍👩‍👧‍👦 «note»".into(),
        now: t(9),
    });
    let gone = s.annotations()[0].id.clone();
    s.reduce(Action::Delete {
        id: gone.clone(),
        now: t(10),
    });
    save(&store, &s, Timestamp(11), &[]).unwrap();

    let boot = load(&store, seed_article, Timestamp(12));
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    let r = restore(&boot);
    assert_eq!(
        r.annotations(),
        s.annotations(),
        "ids, tags, notes, timestamps, order"
    );
    assert_eq!(r.tombstones(), vec![(gone, t(10))]);
    assert_eq!(r.article.id, s.article.id);
    let index = read_index(&store);
    assert_eq!(index.last_open, Some(s.article.id.clone()));
    assert_eq!(index.articles[0].counts, [1, 2, 1]);
}

#[test]
fn an_empty_store_opens_the_default_article() {
    let boot = load(&MemoryStore::new(), seed_article, Timestamp(1));
    assert_eq!(boot.article.title, seed_article().title);
    assert!(boot.annotations.is_empty() && boot.problems.is_empty());
}

#[test]
fn schema_1_records_are_migrated() {
    let raw = seed_file("fixtures/record-v1.json");
    let (record, article) = decode_record(&raw).unwrap();
    assert_eq!(record.schema, SCHEMA);
    assert_eq!(record.annotations.len(), 2);
    let a = &record.annotations[0].annotation;
    assert_eq!(a.tag, Tag::Fact);
    assert_eq!(a.quote.exact, "river rose two metres overnight");
    assert_eq!(a.quote.prefix, "Old Record\nThe ");
    assert_eq!(a.quote.suffix, ", officials said.");
    assert_eq!(a.note, "Check the gauge data");
    assert_eq!(record.annotations[0].changed, a.modified);
    assert_eq!(
        article.slice(record.annotations[1].annotation.span),
        "officials said"
    );
}

#[test]
fn unreadable_records_are_named_and_kept() {
    let good = encode_record(&record_of(&state_with(2), Timestamp(1)));
    let cases: Vec<(String, &str)> = vec![
        (
            "{\"schema\": 2, \"saved\": 1,".into(),
            "not valid JSON (line 1",
        ),
        ("[1, 2, 3]".into(), "no schema number"),
        (
            good.replace(&format!("\"schema\":{SCHEMA}"), "\"schema\":99"),
            "newer version of claimmark (schema 99",
        ),
        (
            good.replace("\"text\":\"U.S.", "\"text\":\"X.S."),
            "inconsistent",
        ),
        (
            good.replace("\"tag\":\"fact\"", "\"tag\":\"rumour\""),
            "not shaped like a claimmark record",
        ),
    ];
    for (raw, words) in cases {
        let e = decode_record(&raw).unwrap_err();
        assert!(e.to_string().contains(words), "{e} ~ {words}");

        // Loading keeps the raw text under a backup key and reports it.
        let store = MemoryStore::new();
        let key = record_key(&seed_article().id);
        store.set(&key, &raw).unwrap();
        let boot = load(&store, seed_article, Timestamp(77));
        let Problem::Corrupt {
            backup_key: Some(b),
            raw: kept,
            ..
        } = &boot.problems[0]
        else {
            panic!("{:?}", boot.problems)
        };
        assert_eq!(b, &backup_key(&seed_article().id.0, Timestamp(77)));
        assert_eq!(store.get(b).unwrap().as_deref(), Some(raw.as_str()));
        assert_eq!(kept, &raw);
        // Loading again does not make a second copy.
        let again = load(&store, seed_article, Timestamp(78));
        assert!(
            matches!(&again.problems[0], Problem::Corrupt { backup_key: Some(x), .. } if x == b)
        );
        assert_eq!(store.keys().unwrap().len(), 2);
    }
    assert!(matches!(
        decode_record("\u{0}\u{1}binary"),
        Err(LoadError::Syntax { .. })
    ));
}

#[test]
fn a_corrupt_record_that_cannot_be_backed_up_is_never_written_over() {
    let key = record_key(&seed_article().id);
    let raw = "{ corrupt";
    // Room for the corrupt record, not for a copy.
    let store = MemoryStore::with_quota(key.len() + raw.len() + 10);
    store.set(&key, raw).unwrap();
    let boot = load(&store, seed_article, Timestamp(5));
    assert!(boot.protected.contains(&key));
    let s = state_with(1);
    assert!(save(&store, &s, Timestamp(6), &boot.protected).is_err());
    assert_eq!(store.get(&key).unwrap().as_deref(), Some(raw));
}

#[test]
fn a_full_store_keeps_the_previous_save_and_resumes_when_space_returns() {
    let s1 = state_with(2);
    let first = encode_record(&record_of(&s1, Timestamp(1)));
    let store = MemoryStore::with_quota(first.len() + 2_000);
    save(&store, &s1, Timestamp(1), &[]).unwrap();
    let before = store.get(&record_key(&s1.article.id)).unwrap();

    let s2 = state_with(40);
    assert_eq!(save(&store, &s2, Timestamp(2), &[]), Err(StoreError::Full));
    assert_eq!(
        store.get(&record_key(&s1.article.id)).unwrap(),
        before,
        "previous save intact"
    );

    let roomy = MemoryStore::new();
    for k in store.keys().unwrap() {
        roomy.set(&k, &store.get(&k).unwrap().unwrap()).unwrap();
    }
    save(&roomy, &s2, Timestamp(3), &[]).unwrap();
    assert_eq!(
        restore(&load(&roomy, seed_article, Timestamp(4)))
            .annotations()
            .len(),
        40
    );
    assert!(roomy.get(&index_key()).unwrap().is_some());
}

#[test]
fn merging_two_tabs_keeps_both_sides_and_respects_deletions() {
    let article = Rc::new(seed_article());
    let base = state_with(3);
    let (a0, a1, a2) = (
        base.annotations()[0].id.clone(),
        base.annotations()[1].id.clone(),
        base.annotations()[2].id.clone(),
    );
    let mut left = base.clone();
    let mut right = base.clone();
    // Left edits a0 late, deletes a1; right edits a0 early, edits a1 before the deletion, adds one.
    left.reduce(Action::SetNote {
        id: a0.clone(),
        note: "left".into(),
        now: t(500),
    });
    left.reduce(Action::Delete {
        id: a1.clone(),
        now: t(400),
    });
    right.reduce(Action::SetNote {
        id: a0.clone(),
        note: "right".into(),
        now: t(300),
    });
    right.reduce(Action::SetNote {
        id: a1.clone(),
        note: "edited".into(),
        now: t(350),
    });
    let span = find(&article, "Deep Look");
    right.reduce(Action::Create(ann(
        &article,
        99,
        Tag::Quote,
        span.start(),
        span.end(),
    )));
    right.reduce(Action::SetTag {
        id: a2.clone(),
        tag: Tag::Analysis,
        now: t(600),
    });

    let merge = |into: &mut State, from: &State| {
        let rec = record_of(from, Timestamp(0));
        into.reduce(Action::Merge {
            annotations: rec
                .annotations
                .into_iter()
                .map(|s| (s.annotation, s.changed))
                .collect(),
            tombstones: rec
                .tombstones
                .into_iter()
                .map(|t| (t.id, t.deleted))
                .collect(),
        });
    };
    merge(&mut left, &right);
    merge(&mut right, &left);
    assert_eq!(
        left.annotations(),
        right.annotations(),
        "both tabs converge"
    );
    assert_eq!(left.get(&a0).unwrap().note, "left", "the later edit wins");
    assert!(
        left.get(&a1).is_none(),
        "the later deletion wins; it does not come back"
    );
    assert_eq!(left.get(&a2).unwrap().tag, Tag::Analysis);
    assert!(
        left.get(&id(99)).is_some(),
        "nothing created in either tab is lost"
    );
    // Merging again changes nothing (no ping-pong between tabs).
    let rev = left.revision;
    merge(&mut left, &right);
    assert_eq!(left.revision, rev);
}

proptest! {
    #[test]
    fn encode_decode_round_trips(notes in prop::collection::vec("\\PC{0,12}", 0..8)) {
        let mut s = state_with(notes.len() as u32);
        for (i, n) in notes.iter().enumerate() {
            let id = s.annotations()[i].id.clone();
            s.reduce(Action::SetNote { id, note: n.clone(), now: Timestamp(i as i64) });
        }
        let raw = encode_record(&record_of(&s, Timestamp(1)));
        let (rec, article) = decode_record(&raw).unwrap();
        prop_assert_eq!(article.id.clone(), s.article.id.clone());
        let back: Vec<_> = rec.annotations.iter().map(|x| x.annotation.clone()).collect();
        let orig: Vec<_> = s.annotations().iter().map(|a| (**a).clone()).collect();
        prop_assert_eq!(back, orig);
    }
}

proptest! {
    /// The stored text is unescaped by hand (to allocate it once): any text,
    /// quotes, backslashes, control characters and astral characters included,
    /// comes back exactly.
    #[test]
    fn any_article_text_round_trips(paras in prop::collection::vec("[\\PC\"\\\\\u{1}-\u{1f}\u{1F600}]{1,24}", 1..5)) {
        let parts = paras.iter().map(|p| (BlockKind::Paragraph, p.clone())).collect();
        let article = Rc::new(Article::from_blocks("t", vec![], None, parts));
        prop_assume!(!article.blocks.is_empty());
        let raw = encode_record(&record_of(&State::new(article.clone(), vec![]), Timestamp(1)));
        let (_, back) = decode_record(&raw).unwrap();
        prop_assert_eq!(back.text(), article.text());
    }
}

#[test]
fn a_note_that_looks_like_an_annotation_does_not_confuse_reading() {
    // Reading counts `{"id":` to size the list; inside a note it is escaped.
    let mut s = state_with(2);
    let id = s.annotations()[0].id.clone();
    let note = "{\"id\":\"x\"} {\"id\":".to_string();
    s.reduce(Action::SetNote {
        id,
        note: note.clone(),
        now: t(1),
    });
    let (rec, _) = decode_record(&encode_record(&record_of(&s, t(2)))).unwrap();
    assert_eq!(rec.annotations.len(), 2);
    assert!(rec.annotations.iter().any(|a| a.annotation.note == note));
}

#[test]
fn a_text_with_a_lone_surrogate_escape_is_refused_in_words() {
    let raw = encode_record(&record_of(&state_with(0), t(1)));
    let bad = raw.replacen("\"text\":\"", "\"text\":\"\\ud800", 1);
    assert_ne!(bad, raw);
    match decode_record(&bad) {
        Err(LoadError::Shape(m)) => assert!(m.contains("text"), "{m}"),
        other => panic!("expected a shape error, got {other:?}"),
    }
}

#[test]
fn an_unreadable_index_is_backed_up_before_a_save_replaces_it() {
    let store = MemoryStore::new();
    store.set(&index_key(), "{ not an index").unwrap();
    save(&store, &state_with(1), t(1), &[]).unwrap();
    let backup = backup_key("index", t(1));
    assert_eq!(
        store.get(&backup).unwrap().as_deref(),
        Some("{ not an index")
    );
    assert_eq!(read_index(&store).articles.len(), 1);
}

#[test]
fn placed_annotations_store_no_quote_orphans_do_and_schema_2_still_reads() {
    let mut state = state_with(3);
    let article = state.article.clone();
    // An orphan (e.g. carried over from an earlier version) keeps its quote.
    let mut orphan = ann(&article, 9, Tag::Fact, 0, 4);
    orphan.orphan = true;
    orphan.span = claimmark::core::Span::new(0, 0);
    orphan.quote.exact = "words from an earlier version".into();
    state.reduce(Action::Import {
        annotations: vec![orphan.clone()],
        label: "import".into(),
        now: Timestamp(5),
    });
    let raw = encode_record(&record_of(&state, Timestamp(6)));
    let placed = state.annotations().iter().find(|a| !a.orphan).unwrap();
    assert!(
        !raw.contains(&format!("\"exact\":\"{}\"", placed.quote.exact)),
        "placed quotes are the text at their span"
    );
    assert!(raw.contains("\"exact\":\"words from an earlier version\""));
    let (back, _) = decode_record(&raw).unwrap();
    let got: Vec<_> = back
        .annotations
        .iter()
        .map(|s| s.annotation.clone())
        .collect();
    let want: Vec<_> = state.annotations().iter().map(|a| (**a).clone()).collect();
    assert_eq!(got, want, "quotes are rebuilt exactly, context included");

    // A schema 2 record (every quote stored) reads the same.
    let mut v: serde_json::Value = serde_json::from_str(&raw).unwrap();
    v["schema"] = 2.into();
    for (stored, a) in v["annotations"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .zip(&want)
    {
        stored["quote"] = serde_json::to_value(&a.quote).unwrap();
    }
    let (old, _) = decode_record(&v.to_string()).unwrap();
    assert_eq!(old.schema, SCHEMA);
    let got: Vec<_> = old
        .annotations
        .iter()
        .map(|s| s.annotation.clone())
        .collect();
    assert_eq!(got, want);
}
