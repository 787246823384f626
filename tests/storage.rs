//! Storage: the layout (article record + annotation chunks), what one change
//! writes, migration from every older schema, unreadable and newer values,
//! a full store, the library index rebuilt, two tabs writing one chunk.
#![cfg(not(target_arch = "wasm32"))]

#[path = "../bench/workload.rs"]
mod workload;

mod common;

use std::rc::Rc;

use claimmark::core::storage::layout::{decode_chunk, parse_chunk};
use claimmark::core::storage::{
    article_key, bucket_of, chunk_key, index_key, load, open, read_index, remove_article, rename,
    repairs, restore_article, save, set_aside::list as list_backups, Boot, Clock, Entry, Key,
    MemoryStore, Problem, Store, StoreError, Writer, BUCKETS,
};
use claimmark::core::{
    seed_article, Action, Annotation, AnnotationId, Article, BlockKind, Span, State, Tag,
    Timestamp, Verdict,
};
use common::{ann, find, fixture, id, CountingStore};
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

fn restore(boot: &Boot) -> State {
    let mut s = State::new(boot.article.clone(), vec![]);
    s.reduce(Action::Restore {
        article: boot.article.clone(),
        annotations: boot.annotations.clone(),
        tombstones: boot.tombstones.clone(),
    });
    s
}

/// Every version a state knows, sorted by id: what must survive a round trip.
fn versions(s: &State) -> Vec<Entry> {
    let mut v: Vec<Entry> = s.entries().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

fn keys_with(store: &dyn Store, part: &str) -> Vec<String> {
    let mut k: Vec<String> = store
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(part))
        .collect();
    k.sort();
    k
}

/// An orphan (as carried over from an earlier version), with fact-check fields.
fn orphan(article: &Article, n: u32) -> Annotation {
    let mut o = ann(article, n, Tag::Fact, 0, 4);
    o.orphan = true;
    o.span = Span::new(0, 0);
    o.quote.exact = "words from an earlier version".into();
    o.check.verdict = Some(Verdict::Mixed);
    o.check.sources = vec!["https://example.org/a".into()];
    o
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
    let o = orphan(&s.article.clone(), 50);
    s.reduce(Action::Import {
        annotations: vec![o.clone()],
        label: "import".into(),
        now: t(11),
    });
    save(&store, &s, t(12), &[]).unwrap();

    let boot = load(&store, seed_article, t(13));
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    let r = restore(&boot);
    assert_eq!(
        r.annotations(),
        s.annotations(),
        "ids, tags, notes, quotes, timestamps, orphans, order"
    );
    assert_eq!(versions(&r), versions(&s), "clocks and tombstones");
    assert_eq!(r.tombstones().len(), 1);
    assert_eq!(r.tombstones()[0].id, gone);
    assert_eq!(**r.get(&o.id).unwrap(), o);
    let index = read_index(&store);
    assert_eq!(index.last_open, Some(s.article.id.clone()));
    assert_eq!(index.articles[0].counts, [2, 2, 1]);
}

#[test]
fn an_empty_store_opens_the_default_article() {
    let boot = load(&MemoryStore::new(), seed_article, Timestamp(1));
    assert_eq!(boot.article.title, seed_article().title);
    assert!(boot.annotations.is_empty() && boot.problems.is_empty());
}

#[test]
fn the_layout_is_an_article_record_and_chunks_by_id() {
    let store = MemoryStore::new();
    let s = state_with(30);
    save(&store, &s, t(1), &[]).unwrap();
    let record = store.get(&article_key(&s.article.id)).unwrap().unwrap();
    assert!(
        record.starts_with("{\"schema\":4,\"saved\":"),
        "{}",
        &record[..40]
    );
    assert!(
        !record.contains("\"annotations\""),
        "the record holds no annotations"
    );
    for a in s.annotations() {
        let key = chunk_key(&s.article.id, bucket_of(&a.id));
        let chunk = store.get(&key).unwrap().expect("its chunk");
        assert!(chunk.contains(a.id.as_str()));
    }
    let chunks = keys_with(&store, ":ann:");
    assert!(chunks.len() <= 30 && chunks.len() > 10, "{}", chunks.len());
    assert!(chunks
        .iter()
        .all(|k| matches!(claimmark::core::storage::parse_key(k), Key::Chunk(..))));
}

#[test]
fn one_change_writes_one_small_chunk_and_the_library_entry() {
    // 10,000 annotations on a 1 MB article, as the benchmark's largest workload.
    let article = Rc::new(workload::article(1 << 20, 42));
    let list = workload::annotations(&article, 10_000, 7);
    let state = State::new(article.clone(), list);
    let store = CountingStore::new(MemoryStore::new());
    save(&store, &state, t(1), &[]).unwrap();
    let total: usize = store.take().iter().map(|w| w.1).sum();
    assert!(total > 2_000_000, "{total}");

    let mut s = state.clone();
    let mut writer = Writer::new(article.clone());
    let target = s.annotations()[5000].id.clone();
    s.reduce(Action::SetNote {
        id: target.clone(),
        note: "checked".into(),
        now: t(2),
    });
    writer.after(&store, &s, t(2), &[]).unwrap();
    let writes = store.take();
    let keys: Vec<&str> = writes.iter().map(|w| w.0.as_str()).collect();
    assert_eq!(
        keys,
        [
            chunk_key(&article.id, bucket_of(&target)).as_str(),
            index_key().as_str()
        ],
        "one chunk, then the library entry; the article record is not rewritten"
    );
    let bytes: usize = writes.iter().map(|w| w.1).sum();
    assert!(bytes < 12_000, "one change wrote {bytes} bytes");
    assert!(!writer.pending());
    // And it is there.
    let r = restore(&load(&store.inner, seed_article, t(3)));
    assert_eq!(r.get(&target).unwrap().note, "checked");
}

#[test]
fn the_article_record_is_written_once_when_the_first_change_is_saved() {
    let store = CountingStore::new(MemoryStore::new());
    let article = Rc::new(seed_article());
    let mut s = State::new(article.clone(), vec![]);
    let mut w = Writer::new(article.clone());
    s.reduce(Action::Select(None));
    w.after(&store, &s, t(1), &[]).unwrap();
    assert!(store.take().is_empty(), "nothing changed, nothing written");
    let span = find(&article, "Nicolás Maduro");
    s.reduce(Action::Create(ann(
        &article,
        1,
        Tag::Fact,
        span.start(),
        span.end(),
    )));
    w.after(&store, &s, t(2), &[]).unwrap();
    let keys: Vec<String> = store.take().into_iter().map(|w| w.0).collect();
    assert_eq!(keys[0], article_key(&article.id), "the record first");
    assert_eq!(keys.len(), 3, "{keys:?}");
    s.reduce(Action::SetTag {
        id: id(1),
        tag: Tag::Quote,
        now: t(3),
    });
    w.after(&store, &s, t(3), &[]).unwrap();
    let keys: Vec<String> = store.take().into_iter().map(|w| w.0).collect();
    assert!(!keys.contains(&article_key(&article.id)), "{keys:?}");
}

/// Store `raw` as the record of its article, the last one open.
fn legacy_store(raw: &str) -> (MemoryStore, Rc<Article>) {
    let v: serde_json::Value = serde_json::from_str(raw).unwrap();
    let id = v["article"]["id"].as_str().unwrap().to_string();
    let store = MemoryStore::new();
    let key = article_key(&claimmark::core::ArticleId(id.clone()));
    store.set(&key, raw).unwrap();
    store
        .set(
            &index_key(),
            &format!("{{\"layout\":1,\"last_open\":\"{id}\",\"articles\":[]}}"),
        )
        .unwrap();
    let boot = load(&store, seed_article, t(0));
    (store, boot.article)
}

/// Load a legacy record, check it migrated (record rewritten without
/// annotations, chunks written) and that loading again reads the same.
fn migrate(raw: &str) -> Boot {
    let (store, _) = legacy_store(raw);
    let v: serde_json::Value = serde_json::from_str(raw).unwrap();
    let id = claimmark::core::ArticleId(v["article"]["id"].as_str().unwrap().to_string());
    // `legacy_store` loaded once: that migrated it.
    let record = store.get(&article_key(&id)).unwrap().unwrap();
    assert!(record.starts_with("{\"schema\":4,"), "{record}");
    assert!(!record.contains("annotations"));
    assert!(!keys_with(&store, ":ann:").is_empty());
    let first = load(&store, seed_article, t(1));
    assert!(first.problems.is_empty(), "{:?}", first.problems);
    // The same as reading the old record without migrating it.
    let untouched = MemoryStore::new();
    untouched.set(&article_key(&id), raw).unwrap();
    let direct = claimmark::core::storage::read_boot(&untouched, &id).unwrap();
    assert_eq!(versions(&restore(&first)), versions(&restore(&direct)));
    first
}

#[test]
fn schema_1_records_are_migrated_losslessly() {
    let boot = migrate(&fixture("record-v1.json"));
    let s = restore(&boot);
    assert_eq!(s.annotations().len(), 2);
    let a = &s.annotations()[0];
    assert_eq!(a.tag, Tag::Fact);
    assert_eq!(a.quote.exact, "river rose two metres overnight");
    assert_eq!(a.quote.prefix, "Old Record\nThe ");
    assert_eq!(a.quote.suffix, ", officials said.");
    assert_eq!(a.note, "Check the gauge data");
    assert_eq!(s.clock(&a.id), Some(Clock::new(a.modified)));
    assert_eq!(
        boot.article.slice(s.annotations()[1].span),
        "officials said"
    );
}

#[test]
fn schema_2_records_are_migrated_losslessly() {
    let boot = migrate(&fixture("record-v2.json"));
    let s = restore(&boot);
    assert_eq!(s.annotations().len(), 2);
    let a = &s.annotations()[0];
    assert_eq!(
        (a.tag, a.quote.exact.as_str(), a.note.as_str()),
        (
            Tag::Fact,
            "river rose two metres overnight",
            "Check the gauge data"
        )
    );
    assert_eq!(a.check.verdict, Some(Verdict::MostlyTrue));
    assert_eq!(a.check.explanation, "The gauge rose 1.9 m.");
    assert_eq!(a.check.sources, ["https://example.org/gauge"]);
    assert_eq!(a.modified, Timestamp(1_699_995_000_000));
    assert_eq!(
        s.clock(&a.id),
        Some(Clock {
            life: 0,
            changed: Timestamp(1_699_996_000_000)
        }),
        "the sync stamp kept"
    );
    assert_eq!(
        s.tombstones(),
        [Entry::deleted(
            AnnotationId::from_string("9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a"),
            Clock::new(Timestamp(1_699_997_000_000))
        )]
    );
}

#[test]
fn schema_3_records_are_migrated_losslessly() {
    let boot = migrate(&fixture("record-v3.json"));
    let s = restore(&boot);
    let placed = s
        .get(&AnnotationId::from_string(
            "2f1c7a52-8d4e-4b6a-9c1e-0a3b5d7f9e21",
        ))
        .unwrap();
    assert_eq!(placed.tag, Tag::Analysis);
    assert_eq!(placed.quote.exact, "The river rose two metres overnight");
    assert_eq!(placed.quote.prefix, "Old Record\n");
    assert_eq!(placed.note, "«Two metres» — per the gauge 👩‍🔬");
    let orphan = s
        .get(&AnnotationId::from_string(
            "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
        ))
        .unwrap();
    assert!(orphan.orphan);
    assert_eq!(orphan.quote.exact, "the bridge closed at noon");
    assert_eq!(orphan.quote.prefix, "Meanwhile ");
    assert_eq!(orphan.check.verdict, Some(Verdict::Unverifiable));
    assert_eq!(s.tombstones().len(), 1);
}

#[test]
fn a_migration_cut_short_by_a_full_store_reads_the_same_at_every_point() {
    let raw = fixture("record-v3.json");
    let (roomy, _) = legacy_store(&raw);
    let want = versions(&restore(&load(&roomy, seed_article, t(1))));
    // Every quota from "no room for a single chunk" to "room for all".
    let base = raw.len() + 200;
    let mut outcomes = std::collections::BTreeSet::new();
    for extra in (0..1_500).step_by(50) {
        let store = MemoryStore::with_quota(base + extra);
        let (_, _) = {
            let v: serde_json::Value = serde_json::from_str(&raw).unwrap();
            let id = v["article"]["id"].as_str().unwrap().to_string();
            store
                .set(&article_key(&claimmark::core::ArticleId(id.clone())), &raw)
                .unwrap();
            store
                .set(
                    &index_key(),
                    &format!("{{\"layout\":1,\"last_open\":\"{id}\",\"articles\":[]}}"),
                )
                .unwrap();
            ((), ())
        };
        for round in 0..2 {
            let boot = load(&store, seed_article, t(2 + round));
            assert!(boot.problems.is_empty(), "{extra}: {:?}", boot.problems);
            assert_eq!(
                versions(&restore(&boot)),
                want,
                "quota +{extra}, load {round}"
            );
        }
        outcomes.insert(keys_with(&store, ":ann:").len());
    }
    assert!(
        outcomes.len() > 1,
        "some runs stopped part way: {outcomes:?}"
    );
}

#[test]
fn unreadable_article_records_are_named_and_kept() {
    let store = MemoryStore::new();
    save(&store, &state_with(2), t(1), &[]).unwrap();
    let good = store
        .get(&article_key(&seed_article().id))
        .unwrap()
        .unwrap();
    let cases: Vec<(String, &str)> = vec![
        (
            "{\"schema\": 4, \"saved\": 1,".into(),
            "not valid JSON (line 1",
        ),
        ("[1, 2, 3]".into(), "no schema number"),
        (
            good.replace("\"text\":\"U.S.", "\"text\":\"X.S."),
            "inconsistent",
        ),
        (
            good.replace("\"kind\":\"title\"", "\"kind\":\"rumour\""),
            "not shaped like a claimmark record",
        ),
    ];
    for (raw, words) in cases {
        let store = MemoryStore::new();
        let key = article_key(&seed_article().id);
        store.set(&key, &raw).unwrap();
        let boot = load(&store, seed_article, Timestamp(77));
        let Problem::Corrupt {
            backup_key: Some(b),
            raw: kept,
            reason,
            ..
        } = &boot.problems[0]
        else {
            panic!("{:?}", boot.problems)
        };
        assert!(reason.contains(words), "{reason} ~ {words}");
        assert_eq!(
            b,
            &claimmark::core::storage::backup_key(&seed_article().id.0, Timestamp(77))
        );
        assert_eq!(store.get(b).unwrap().as_deref(), Some(raw.as_str()));
        assert_eq!(kept, &raw);
        // The article (the default here, the same text) was written again in good order.
        assert!(store
            .get(&key)
            .unwrap()
            .unwrap()
            .starts_with("{\"schema\":4,"));
        // Loading again does not make a second copy, and finds nothing wrong.
        let again = load(&store, seed_article, Timestamp(78));
        assert!(again.problems.is_empty(), "{:?}", again.problems);
        assert_eq!(keys_with(&store, ":backup:").len(), 1);
        assert_eq!(list_backups(&store).len(), 1);
    }
}

#[test]
fn a_truncated_chunk_is_named_backed_up_and_only_then_written_over() {
    let store = MemoryStore::new();
    let s = state_with(3);
    save(&store, &s, t(1), &[]).unwrap();
    let victim = s.annotations()[1].id.clone();
    let key = chunk_key(&s.article.id, bucket_of(&victim));
    let good = store.get(&key).unwrap().unwrap();
    let truncated = &good[..good.len() / 2];
    store.set(&key, truncated).unwrap();

    let boot = load(&store, seed_article, t(2));
    assert!(
        matches!(&boot.problems[..], [Problem::Corrupt { key: k, backup_key: Some(_), .. }] if *k == key),
        "{:?}",
        boot.problems
    );
    let r = restore(&boot);
    assert!(
        r.get(&victim).is_none(),
        "what the chunk held is in the backup"
    );
    assert_eq!(r.annotations().len(), 2);
    // Restoring from the backup brings it back (see the Backups list).
    let kept = list_backups(&store);
    assert_eq!(kept.len(), 1);
    assert_eq!(kept[0].annotations, 0, "a truncated chunk does not read");
    // The next change in that chunk writes over it: the copy stays.
    let mut r = r;
    let mut w = Writer::new(r.article.clone());
    let a = ann(&r.article.clone(), 70, Tag::Quote, 100, 110);
    let mut probe = a.clone();
    // An id landing in the same chunk.
    let mut n = 70;
    while bucket_of(&probe.id) != bucket_of(&victim) {
        n += 1;
        probe = ann(&r.article.clone(), n, Tag::Quote, 100, 110);
    }
    r.reduce(Action::Create(probe.clone()));
    w.after(&store, &r, t(3), &[]).unwrap();
    assert!(store
        .get(&key)
        .unwrap()
        .unwrap()
        .contains(probe.id.as_str()));
    assert_eq!(
        store.get(&kept[0].key).unwrap().as_deref(),
        Some(truncated),
        "the copy is untouched"
    );
}

#[test]
fn a_newer_schema_is_never_written_over_not_even_after_a_change() {
    // The article record from a newer claimmark.
    let store = MemoryStore::new();
    let s = state_with(2);
    save(&store, &s, t(1), &[]).unwrap();
    let key = article_key(&s.article.id);
    let newer = store
        .get(&key)
        .unwrap()
        .unwrap()
        .replacen("{\"schema\":4,", "{\"schema\":99,", 1);
    store.set(&key, &newer).unwrap();
    let before: Vec<(String, String)> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| (k.clone(), store.get(&k).unwrap().unwrap()))
        .collect();
    let boot = open(&store, s.article.clone(), t(2));
    assert!(boot.protected.contains(&key));
    assert!(
        matches!(&boot.problems[0], Problem::Corrupt { backup_key: None, reason, .. } if reason.contains("newer version"))
    );
    let mut r = restore(&boot);
    let mut w = Writer::new(r.article.clone());
    r.reduce(Action::DeleteAll { now: t(3) });
    let e = w.after(&store, &r, t(3), &boot.protected).unwrap_err();
    assert!(matches!(e, StoreError::Protected(_)), "{e:?}");
    assert!(e.to_string().contains("newer version"), "{e}");
    let after: Vec<(String, String)> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| (k.clone(), store.get(&k).unwrap().unwrap()))
        .collect();
    assert_eq!(before, after, "nothing written, nothing copied");
    let kept = list_backups(&store);
    assert_eq!(kept.len(), 1);
    assert_eq!((kept[0].key.as_str(), kept[0].at), (key.as_str(), None));

    // A chunk from a newer claimmark protects the article too.
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    let ck = chunk_key(&s.article.id, bucket_of(&s.annotations()[0].id));
    let newer = store
        .get(&ck)
        .unwrap()
        .unwrap()
        .replacen("{\"schema\":4,", "{\"schema\":5,", 1);
    store.set(&ck, &newer).unwrap();
    let boot = load(&store, seed_article, t(2));
    assert!(boot.protected.contains(&key));
    let mut r = restore(&boot);
    let mut w = Writer::new(r.article.clone());
    r.reduce(Action::DeleteAll { now: t(3) });
    assert!(w.after(&store, &r, t(3), &boot.protected).is_err());
    assert_eq!(store.get(&ck).unwrap().unwrap(), newer);
}

#[test]
fn a_full_store_keeps_the_saved_copy_and_the_changes_queued_until_there_is_room() {
    let store = MemoryStore::new();
    let s1 = state_with(2);
    save(&store, &s1, t(1), &[]).unwrap();
    store.set_quota(Some(store.used() + 300));
    let saved: Vec<(String, String)> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| (k.clone(), store.get(&k).unwrap().unwrap()))
        .collect();

    let mut s = restore(&load(&store, seed_article, t(2)));
    let mut w = Writer::new(s.article.clone());
    for i in 0..40 {
        let st = 600 + i * 40;
        s.reduce(Action::Create(ann(
            &s.article.clone(),
            100 + i,
            Tag::Quote,
            st,
            st + 10,
        )));
        let r = w.after(&store, &s, t(3 + i as i64), &[]);
        if i > 5 {
            assert_eq!(r, Err(StoreError::Full), "change {i}");
        }
    }
    assert!(w.pending());
    for (k, v) in &saved {
        if k.contains(":ann:") {
            // A chunk is either as saved or holds more: never less.
            let now = parse_chunk(&store.get(k).unwrap().unwrap()).unwrap();
            let was = parse_chunk(v).unwrap();
            assert!(was.iter().all(|e| now.contains(e)), "{k}");
        }
    }
    // Room again: the next flush (a retry, or the next change) writes it all.
    store.set_quota(None);
    w.flush(&store, t(100), &[]).unwrap();
    assert!(!w.pending());
    let r = restore(&load(&store, seed_article, t(101)));
    assert_eq!(r.annotations().len(), 42);
    assert_eq!(versions(&r), versions(&s));
}

#[test]
fn an_unreadable_index_is_set_aside_and_rebuilt_from_the_records() {
    let store = MemoryStore::new();
    let seed = state_with(4);
    save(&store, &seed, t(1), &[]).unwrap();
    let other = Rc::new(Article::from_blocks(
        "Second",
        vec![],
        None,
        vec![(
            BlockKind::Paragraph,
            "Another article about bridges.".into(),
        )],
    ));
    let mut s2 = State::new(other.clone(), vec![]);
    s2.reduce(Action::Create(ann(&other, 9, Tag::Analysis, 0, 7)));
    save(&store, &s2, t(2), &[]).unwrap();
    let good = read_index(&store);
    store.set(&index_key(), "{ not an index").unwrap();

    let boot = load(&store, seed_article, t(3));
    assert!(
        matches!(&boot.problems[0], Problem::Corrupt { key, backup_key: Some(_), .. } if *key == index_key())
    );
    let rebuilt = read_index(&store);
    let mut got: Vec<_> = rebuilt
        .articles
        .iter()
        .map(|e| (e.id.clone(), e.title.clone(), e.chars, e.counts))
        .collect();
    got.sort();
    let mut want: Vec<_> = good
        .articles
        .iter()
        .map(|e| (e.id.clone(), e.title.clone(), e.chars, e.counts))
        .collect();
    want.sort();
    assert_eq!(got, want, "every article stored is listed again");
    assert!(rebuilt.articles.iter().all(|e| e.units > 0));
    assert_eq!(
        store
            .get(&keys_with(&store, ":backup:index:")[0])
            .unwrap()
            .as_deref(),
        Some("{ not an index")
    );

    // A missing index is rebuilt too.
    store.remove(&index_key()).unwrap();
    load(&store, seed_article, t(4));
    assert_eq!(read_index(&store).articles.len(), 2);
}

/// An index that becomes unreadable after loading (another tab, a hand
/// edit) is never replaced by a smaller one: renaming, deleting and
/// bringing back refuse in words and leave it as it is; saving leaves it
/// too; the next load backs it up and rebuilds it.
#[test]
fn changes_to_the_library_never_write_over_an_unreadable_index() {
    let store = MemoryStore::new();
    let s = state_with(2);
    save(&store, &s, t(1), &[]).unwrap();
    let id = s.article.id.clone();
    let removed = remove_article(&store, &id).unwrap();
    store.set(&index_key(), "{ not an index").unwrap();
    let kept = || store.get(&index_key()).unwrap();

    assert!(
        matches!(rename(&store, &id, "Mine"), Err(StoreError::Other(why)) if why.contains("cannot be read"))
    );
    assert!(remove_article(&store, &id).is_err());
    assert!(restore_article(&store, &removed).is_err());
    save(&store, &s, t(2), &[]).unwrap();
    assert_eq!(kept().as_deref(), Some("{ not an index"));
    // Its keys came back all the same, and loading lists it again.
    load(&store, seed_article, t(3));
    assert_eq!(read_index(&store).articles.len(), 1);
}

/// One browser tab: its state and its writer on a shared store.
struct Tab {
    state: State,
    writer: Writer,
}

impl Tab {
    fn open(store: &dyn Store) -> Tab {
        let state = restore(&load(store, seed_article, t(0)));
        Tab {
            writer: Writer::new(state.article.clone()),
            state,
        }
    }

    fn act(&mut self, store: &dyn Store, a: Action, now: Timestamp) {
        self.state.reduce(a);
        self.writer.after(store, &self.state, now, &[]).unwrap();
    }

    /// What the app does on another tab's `storage` event for a chunk.
    fn event(&mut self, store: &dyn Store, key: &str, old: Option<&str>, new: &str) {
        let article = self.state.article.clone();
        let new = decode_chunk(new, &article).unwrap();
        let old = old
            .map(|o| decode_chunk(o, &article).unwrap())
            .unwrap_or_default();
        let mut all = old.clone();
        all.extend(new.clone());
        self.state.reduce(Action::Merge { entries: all });
        for e in repairs(&self.state, &old, &new) {
            self.writer.queue(&self.state.article.id, e);
        }
        self.writer.flush(store, t(0), &[]).unwrap();
        let _ = key;
    }
}

/// Chunk values before and after `f`, for every chunk `f` wrote.
fn written(store: &MemoryStore, f: impl FnOnce()) -> Vec<(String, Option<String>, String)> {
    let before: std::collections::HashMap<String, String> = store
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(":ann:"))
        .map(|k| (k.clone(), store.get(&k).unwrap().unwrap()))
        .collect();
    f();
    let mut out: Vec<_> = store
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(":ann:"))
        .filter_map(|k| {
            let now = store.get(&k).unwrap().unwrap();
            let was = before.get(&k).cloned();
            (was.as_deref() != Some(now.as_str())).then_some((k, was, now))
        })
        .collect();
    out.sort();
    out
}

#[test]
fn two_tabs_changing_at_once_converge_in_both_and_in_storage() {
    let store = MemoryStore::new();
    save(&store, &state_with(3), t(0), &[]).unwrap();
    let mut a = Tab::open(&store);
    let mut b = Tab::open(&store);
    let [x, y, z] = [0, 1, 2].map(|i| a.state.annotations()[i].id.clone());
    let article = a.state.article.clone();

    // Neither has seen the other's changes when it makes its own.
    let wa = written(&store, || {
        a.act(
            &store,
            Action::SetNote {
                id: x.clone(),
                note: "A's note".into(),
                now: t(10),
            },
            t(10),
        );
        a.act(
            &store,
            Action::Delete {
                id: y.clone(),
                now: t(11),
            },
            t(11),
        );
        a.act(
            &store,
            Action::SetNote {
                id: z.clone(),
                note: "A on z".into(),
                now: t(12),
            },
            t(12),
        );
    });
    let wb = written(&store, || {
        b.act(
            &store,
            Action::SetNote {
                id: x.clone(),
                note: "B's note, later".into(),
                now: t(20),
            },
            t(20),
        );
        // B edits y without having seen A delete it.
        b.act(
            &store,
            Action::SetNote {
                id: y.clone(),
                note: "B edits y".into(),
                now: t(30),
            },
            t(30),
        );
        b.act(
            &store,
            Action::Create(ann(&article, 50, Tag::Quote, 700, 720)),
            t(31),
        );
        b.act(
            &store,
            Action::SetNote {
                id: z.clone(),
                note: "B on z".into(),
                now: t(12),
            },
            t(12),
        );
    });
    // Then each receives the other's storage events.
    for (k, old, new) in &wb {
        a.event(&store, k, old.as_deref(), new);
    }
    for (k, old, new) in &wa {
        b.event(&store, k, old.as_deref(), new);
    }
    assert_eq!(versions(&a.state), versions(&b.state), "both tabs agree");
    let stored = versions(&restore(&load(&store, seed_article, t(99))));
    assert_eq!(stored, versions(&a.state), "and storage agrees");
    let s = &a.state;
    assert_eq!(
        s.get(&x).unwrap().note,
        "B's note, later",
        "the later edit wins"
    );
    assert!(
        s.get(&y).is_none(),
        "a deletion wins over an edit made without seeing it"
    );
    // The same millisecond in both tabs: one rule picks the same winner everywhere.
    let za = a.state.get(&z).unwrap().note.clone();
    assert!(za == "A on z" || za == "B on z", "{za}");
    assert_eq!(b.state.get(&z).unwrap().note, za);
    assert!(
        s.get(&id(50)).is_some(),
        "nothing created in either tab is lost"
    );
}

#[test]
fn undoing_a_deletion_brings_it_back_in_every_tab() {
    let store = MemoryStore::new();
    save(&store, &state_with(2), t(0), &[]).unwrap();
    let mut a = Tab::open(&store);
    let mut b = Tab::open(&store);
    let x = a.state.annotations()[0].id.clone();
    let w1 = written(&store, || {
        a.act(
            &store,
            Action::Delete {
                id: x.clone(),
                now: t(10),
            },
            t(10),
        )
    });
    // B edits x concurrently: the deletion wins.
    let w2 = written(&store, || {
        b.act(
            &store,
            Action::SetNote {
                id: x.clone(),
                note: "B".into(),
                now: t(20),
            },
            t(20),
        )
    });
    for (k, o, n) in &w2 {
        a.event(&store, k, o.as_deref(), n);
    }
    for (k, o, n) in &w1 {
        b.event(&store, k, o.as_deref(), n);
    }
    assert!(a.state.get(&x).is_none() && b.state.get(&x).is_none());
    // A undoes its deletion after seeing everything: a deliberate act.
    let w3 = written(&store, || a.act(&store, Action::Undo { now: t(5) }, t(5)));
    for (k, o, n) in &w3 {
        b.event(&store, k, o.as_deref(), n);
    }
    assert!(b.state.get(&x).is_some(), "back in the other tab");
    assert_eq!(versions(&a.state), versions(&b.state));
    assert_eq!(a.state.clock(&x).unwrap().life, 1, "a new life");
    let stored = restore(&load(&store, seed_article, t(99)));
    assert!(stored.get(&x).is_some(), "and in storage");
}

#[test]
fn a_write_that_crossed_another_tab_is_repaired_by_the_tab_that_sees_it() {
    // Chromium keeps a copy of local storage in each renderer process: a
    // tab may read a chunk before another tab's write to it arrives and
    // write it back without that write. The tab whose change was left out
    // sees it in the storage event (old value: its write) and writes back.
    let store = MemoryStore::new();
    save(&store, &state_with(1), t(0), &[]).unwrap();
    let mut a = Tab::open(&store);
    let mut b = Tab::open(&store);
    let article = a.state.article.clone();
    let x = ann(&article, 60, Tag::Fact, 300, 310);
    let mut n = 61;
    let mut y = ann(&article, n, Tag::Quote, 400, 410);
    while bucket_of(&y.id) != bucket_of(&x.id) {
        n += 1;
        y = ann(&article, n, Tag::Quote, 400, 410);
    }
    let key = chunk_key(&article.id, bucket_of(&x.id));
    let stale = store.get(&key).unwrap();
    let wa = written(&store, || a.act(&store, Action::Create(x.clone()), t(10)));
    assert_eq!(wa.len(), 1);
    let with_x = wa[0].2.clone();
    // B's write, made from the stale copy: without x.
    let view = CountingStore::new(MemoryStore::new());
    if let Some(v) = &stale {
        view.set(&key, v).unwrap();
    }
    view.set(&article_key(&article.id), "{\"schema\":4,")
        .unwrap();
    b.act(&view, Action::Create(y.clone()), t(11));
    let without_x = view.get(&key).unwrap().unwrap();
    store.set(&key, &without_x).unwrap();
    assert!(!without_x.contains(x.id.as_str()));
    // A sees B's write (old: its own), merges y and writes x back.
    a.event(&store, &key, Some(&with_x), &without_x);
    let now = store.get(&key).unwrap().unwrap();
    assert!(
        now.contains(x.id.as_str()) && now.contains(y.id.as_str()),
        "{now}"
    );
    // B sees A's repair and agrees.
    b.event(&store, &key, Some(&without_x), &now);
    assert_eq!(versions(&a.state), versions(&b.state));
    assert_eq!(
        store.get(&key).unwrap().unwrap(),
        now,
        "no ping-pong: B wrote nothing"
    );
}

#[test]
fn backups_read_back_every_annotation_that_still_parses() {
    use claimmark::core::storage::set_aside::annotations_of;
    let article = Rc::new(seed_article());
    let s = state_with(3);
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    // A schema 3 record whose one annotation has a tag this build does not know.
    let v1 = fixture("record-v3.json");
    let bad = v1.replace("\"tag\": \"analysis\"", "\"tag\": \"rumour\"");
    let key = claimmark::core::storage::backup_key("x", t(5));
    store.set(&key, &bad).unwrap();
    let kept = list_backups(&store);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].annotations, 1,
        "the orphan reads; the unknown tag does not"
    );
    // A chunk backup on the seed: every annotation, quotes from the text.
    let ck = chunk_key(&article.id, bucket_of(&s.annotations()[0].id));
    let chunk = store.get(&ck).unwrap().unwrap();
    let back = annotations_of(&chunk, &article).unwrap();
    let want: Vec<_> = decode_chunk(&chunk, &article)
        .unwrap()
        .into_iter()
        .filter_map(|e| e.annotation)
        .collect();
    assert_eq!(back, want);
    assert!(annotations_of("{\"schema\":4,\"annotations\":[", &article).is_err());
}

proptest! {
    /// Save → load keeps every annotation and every tombstone, with their
    /// clocks, orphans and fact-check fields included, whatever was done —
    /// saved at once at the end, and saved as the app does, by
    /// `Writer::after` after each action.
    #[test]
    fn save_then_load_keeps_every_version(ops in prop::collection::vec((0u8..7, 0u32..12, "\\PC{0,10}"), 1..40)) {
        let article = Rc::new(seed_article());
        let mut s = State::new(article.clone(), vec![]);
        let live = MemoryStore::new();
        let mut writer = Writer::new(article.clone());
        for (i, (op, n, text)) in ops.iter().enumerate() {
            let now = t(i as i64 * 3);
            let target = s.annotations().get(*n as usize % s.annotations().len().max(1)).map(|a| a.id.clone());
            match (op, target) {
                (0, _) => {
                    let st = n * 50;
                    s.reduce(Action::Create(ann(&article, 1000 + i as u32, Tag::ALL[*n as usize % 3], st, st + 9)));
                }
                (1, Some(id)) => s.reduce(Action::SetNote { id, note: text.clone(), now }),
                (2, Some(id)) => s.reduce(Action::Delete { id, now }),
                (3, _) => s.reduce(Action::Undo { now }),
                (4, _) => s.reduce(Action::Import { annotations: vec![orphan(&article, 2000 + i as u32)], label: "i".into(), now }),
                (5, Some(id)) => s.reduce(Action::SetVerdict { id, verdict: Some(Verdict::False), now }),
                (6, _) => s.reduce(Action::Redo { now }),
                _ => {}
            }
            writer.after(&live, &s, now, &[]).unwrap();
            prop_assert!(!writer.pending());
        }
        let store = MemoryStore::new();
        save(&store, &s, t(1000), &[]).unwrap();
        for store in [&store, &live] {
            let boot = load(store, seed_article, t(1001));
            prop_assert!(boot.problems.is_empty());
            let r = restore(&boot);
            prop_assert_eq!(r.annotations(), s.annotations());
            prop_assert_eq!(versions(&r), versions(&s));
        }
    }

    /// The stored text is unescaped by hand (to allocate it once): any text,
    /// quotes, backslashes, control characters and astral characters included,
    /// comes back exactly.
    #[test]
    fn any_article_text_round_trips(paras in prop::collection::vec("[\\PC\"\\\\\u{1}-\u{1f}\u{1F600}]{1,24}", 1..5)) {
        let parts = paras.iter().map(|p| (BlockKind::Paragraph, p.clone())).collect();
        let article = Rc::new(Article::from_blocks("t", vec![], None, parts));
        prop_assume!(!article.blocks.is_empty());
        let store = MemoryStore::new();
        let back = open(&store, article.clone(), t(0));
        prop_assert!(back.problems.is_empty());
        let mut s = State::new(article.clone(), vec![]);
        s.reduce(Action::Create(ann(&article, 1, Tag::Fact, 0, 1)));
        save(&store, &s, t(1), &[]).unwrap();
        let boot = claimmark::core::storage::read_boot(&store, &article.id).unwrap();
        prop_assert_eq!(boot.article.text(), article.text());
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
    let store = MemoryStore::new();
    save(&store, &s, t(2), &[]).unwrap();
    let r = restore(&load(&store, seed_article, t(3)));
    assert_eq!(r.annotations().len(), 2);
    assert!(r.annotations().iter().any(|a| a.note == note));
}

#[test]
fn a_text_with_a_lone_surrogate_escape_is_refused_in_words() {
    let store = MemoryStore::new();
    save(&store, &state_with(1), t(1), &[]).unwrap();
    let key = article_key(&seed_article().id);
    let raw = store.get(&key).unwrap().unwrap();
    let bad = raw.replacen("\"text\":\"", "\"text\":\"\\ud800", 1);
    assert_ne!(bad, raw);
    store.set(&key, &bad).unwrap();
    let boot = load(&store, seed_article, t(2));
    match &boot.problems[0] {
        Problem::Corrupt { reason, .. } => assert!(reason.contains("text"), "{reason}"),
        other => panic!("expected a shape error, got {other:?}"),
    }
}

#[test]
fn placed_annotations_store_no_quote_and_stamps_only_when_they_differ() {
    let mut s = state_with(1);
    let a = s.annotations()[0].clone();
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    let chunk = store
        .get(&chunk_key(&s.article.id, bucket_of(&a.id)))
        .unwrap()
        .unwrap();
    assert!(!chunk.contains(&a.quote.exact), "{chunk}");
    assert!(
        !chunk.contains("\"modified\"")
            && !chunk.contains("\"changed\"")
            && !chunk.contains("\"life\"")
    );
    assert!(!chunk.contains("\"note\""));
    s.reduce(Action::Delete {
        id: a.id.clone(),
        now: t(2),
    });
    s.reduce(Action::Undo { now: t(3) });
    save(&store, &s, t(4), &[]).unwrap();
    let chunk = store
        .get(&chunk_key(&s.article.id, bucket_of(&a.id)))
        .unwrap()
        .unwrap();
    assert!(
        chunk.contains("\"changed\"") && chunk.contains("\"life\":1"),
        "{chunk}"
    );
    let _ = Clock::default();
    let _ = BUCKETS;
}

#[test]
fn details_links_numbered_items_claims_and_claimants_survive_storage() {
    use claimmark::core::{Details, Link};
    let parsed = claimmark::core::parse::parse_markdown(
        "# Stored\n\nSee [the minutes](https://port.example/m) today.\n\n3. third\n4. fourth\n",
        "stored",
        Some("https://port.example/article".into()),
    );
    assert_eq!(
        parsed.details.url.as_deref(),
        Some("https://port.example/article"),
        "a web source is the URL"
    );
    let article = Rc::new(parsed.with_details(
        Details::checked("https://port.example/a", "2026-03-14", "Port News", "Ana").unwrap(),
    ));
    let mut s = State::new(article.clone(), vec![]);
    s.reduce(Action::SetDetails {
        details: Details::checked("https://port.example/b", "2026-03-15", "Port News", "Ana")
            .unwrap(),
        now: t(3),
    });
    let span = find(&article, "the minutes");
    let mut a = ann(&article, 1, Tag::Fact, span.start(), span.end());
    a.check.claim = "The minutes say so.".into();
    a.check.claimant = "The port".into();
    s.reduce(Action::Create(a));
    let store = MemoryStore::new();
    save(&store, &s, t(4), &[]).unwrap();
    let boot = load(&store, seed_article, t(5));
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    let back = &boot.article;
    assert_eq!(back.details, s.article.details);
    assert_eq!(back.details_changed, t(3));
    assert_eq!(
        back.links(),
        &[Link {
            span,
            href: "https://port.example/m".into()
        }]
    );
    assert_eq!(
        back.blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::OrderedItem(_)))
            .count(),
        2
    );
    assert_eq!(back.blocks[2].kind, BlockKind::OrderedItem(3));
    let got = &boot.annotations[0].0;
    assert_eq!(
        (got.check.claim.as_str(), got.check.claimant.as_str()),
        ("The minutes say so.", "The port")
    );
}

#[test]
fn a_record_from_before_details_reads_with_details_guessed_from_its_metadata() {
    let s = state_with(2);
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    // An article record as written before details and links existed.
    let key = claimmark::core::storage::article_key(&s.article.id);
    let mut raw: serde_json::Value =
        serde_json::from_str(&store.get(&key).unwrap().unwrap()).unwrap();
    let article = raw["article"].as_object_mut().unwrap();
    assert!(article.remove("details").is_some());
    article.remove("links");
    store.set(&key, &raw.to_string()).unwrap();
    let boot = load(&store, seed_article, t(2));
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    assert_eq!(boot.annotations.len(), 2);
    assert_eq!(boot.article.details.outlet.as_deref(), Some("Newslooks"));
    assert_eq!(boot.article.details.author.as_deref(), Some("J. Mansour"));
    assert!(boot.article.links().is_empty());
}

#[test]
fn edited_details_live_in_their_own_small_key_and_the_later_edit_wins() {
    use claimmark::core::Details;
    let mut s = state_with(1);
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    let article_record = store
        .get(&claimmark::core::storage::article_key(&s.article.id))
        .unwrap();
    let mut w = claimmark::core::storage::Writer::new(s.article.clone());
    let edited = Details::checked("https://example.org/a", "2026-01-02", "Outlet", "Ana").unwrap();
    s.reduce(Action::SetDetails {
        details: edited.clone(),
        now: t(10),
    });
    w.after(&store, &s, t(10), &[]).unwrap();
    // The article record (its 1 MB of text, at worst) is not written again.
    assert_eq!(
        store
            .get(&claimmark::core::storage::article_key(&s.article.id))
            .unwrap(),
        article_record
    );
    let key = claimmark::core::storage::details_key(&s.article.id);
    assert!(store.get(&key).unwrap().unwrap().len() < 300);
    let boot = load(&store, seed_article, t(11));
    assert_eq!(boot.article.details, edited);
    assert_eq!(boot.article.details_changed, t(10));
    // An older edit from another tab does not overwrite a newer one.
    let mut other = state_with(1);
    other.reduce(Action::SetDetails {
        details: Details::checked("https://old.example/", "", "", "").unwrap(),
        now: t(5),
    });
    let mut w2 = claimmark::core::storage::Writer::new(state_with(1).article);
    w2.after(&store, &other, t(12), &[]).unwrap();
    assert_eq!(load(&store, seed_article, t(13)).article.details, edited);
}

/// Two annotations of the seed that fall in one chunk, in id order.
fn two_in_one_chunk(article: &Article) -> (Annotation, Annotation) {
    let first = ann(article, 300, Tag::Quote, 100, 112);
    let mut n = 301;
    loop {
        let other = ann(article, n, Tag::Fact, 200, 212);
        if bucket_of(&other.id) == bucket_of(&first.id) {
            return if first.id < other.id {
                (first, other)
            } else {
                (other, first)
            };
        }
        n += 1;
    }
}

#[test]
fn a_truncated_chunk_lists_and_restores_the_annotations_before_the_cut() {
    use claimmark::core::storage::set_aside::annotations_of;
    let article = Rc::new(seed_article());
    let (a, b) = two_in_one_chunk(&article);
    let mut s = State::new(article.clone(), vec![]);
    s.reduce(Action::Create(a.clone()));
    s.reduce(Action::Create(b.clone()));
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    let key = chunk_key(&article.id, bucket_of(&a.id));
    let good = store.get(&key).unwrap().unwrap();
    // Cut inside the second annotation: the first is whole.
    let cut = good.find(b.id.as_str()).unwrap() + 5;
    store.set(&key, &good[..cut]).unwrap();
    let boot = load(&store, seed_article, t(2));
    assert_eq!(boot.problems.len(), 1);
    let kept = list_backups(&store);
    assert_eq!(kept.len(), 1);
    assert_eq!(
        kept[0].annotations, 1,
        "the annotation before the cut can be read"
    );
    let back = annotations_of(&store.get(&kept[0].key).unwrap().unwrap(), &article).unwrap();
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].id, a.id);
    assert_eq!(back[0].quote, a.quote);
}

#[test]
fn a_chunk_of_a_newer_schema_is_listed_as_kept_in_place() {
    let s = state_with(2);
    let store = MemoryStore::new();
    save(&store, &s, t(1), &[]).unwrap();
    let key = chunk_key(&s.article.id, bucket_of(&s.annotations()[0].id));
    let newer = store
        .get(&key)
        .unwrap()
        .unwrap()
        .replacen("{\"schema\":4,", "{\"schema\":5,", 1);
    store.set(&key, &newer).unwrap();
    let boot = load(&store, seed_article, t(2));
    assert!(!boot.protected.is_empty());
    let kept = list_backups(&store);
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(kept[0].key, key);
    assert_eq!(kept[0].at, None, "left in place, never written over");
    assert!(
        kept[0].reason.contains("newer version"),
        "{}",
        kept[0].reason
    );
}

#[test]
fn an_index_of_a_newer_layout_is_backed_up_before_anything_writes_over_it() {
    let store = MemoryStore::new();
    let s = state_with(1);
    save(&store, &s, t(1), &[]).unwrap();
    let newer =
        "{\"layout\":2,\"last_open\":null,\"articles\":[],\"shelves\":[{\"name\":\"Week 3\"}]}";
    store.set(&index_key(), newer).unwrap();
    // A change to the library does not write over it…
    assert!(rename(&store, &s.article.id, "x").is_err());
    assert_eq!(store.get(&index_key()).unwrap().as_deref(), Some(newer));
    // …and loading copies it aside before rebuilding it.
    let boot = load(&store, seed_article, t(2));
    assert!(
        matches!(&boot.problems[..], [Problem::Corrupt { key, backup_key: Some(_), reason, .. }]
            if *key == index_key() && reason.contains("newer version")),
        "{:?}",
        boot.problems
    );
    let kept = keys_with(&store, ":backup:index:");
    assert_eq!(store.get(&kept[0]).unwrap().as_deref(), Some(newer));
    assert_eq!(read_index(&store).articles.len(), 1);
    let listed = list_backups(&store);
    assert!(listed[0].reason.contains("newer version"), "{listed:?}");
}
