//! Backing up the library and restoring it: into an empty browser, into
//! one that has moved on, and twice.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::backup::{backup_library, restore_library};
use claimmark::core::formats::library;
use claimmark::core::storage::{self, read_boot, read_index};
use claimmark::core::storage::{MemoryStore, Store};
use claimmark::core::{
    seed_article, Action, Article, Details, Link, State, Tag, Timestamp, Verdict,
};
use common::{ann, find, fixture, id};

fn t(s: i64) -> Timestamp {
    Timestamp(1_770_000_000_000 + s * 1000)
}

fn second_article() -> Article {
    let art = claimmark::core::parse::plain::parse_plain_text(
        &fixture("unicode-crlf.txt"),
        Some("cafe.txt".into()),
    );
    let link = Link {
        span: find(&art, "Caracas"),
        href: "https://example.org/caracas".into(),
    };
    art.with_links(vec![link])
}

/// A browser with two stored articles: the seed (four annotations, one
/// deleted since, details edited) and a second one, renamed in the library.
fn browser() -> (MemoryStore, State, State) {
    let store = MemoryStore::new();
    let seed = Rc::new(seed_article());
    let mut a = State::new(seed.clone(), vec![]);
    for n in 1..=4 {
        let mut x = ann(&seed, n, Tag::ALL[n as usize % 3], 100 * n, 100 * n + 12);
        x.created = t(n as i64);
        x.modified = t(n as i64);
        a.reduce(Action::Create(x));
    }
    a.reduce(Action::SetVerdict {
        id: id(1),
        verdict: Some(Verdict::False),
        now: t(10),
    });
    a.reduce(Action::SetClaim {
        id: id(1),
        claim: "They flew him out.".into(),
        now: t(11),
    });
    a.reduce(Action::Delete {
        id: id(4),
        now: t(12),
    });
    a.reduce(Action::SetDetails {
        details: Details::checked(
            "https://newslooks.example/venezuela",
            "2026-01-05",
            "Newslooks",
            "J. Mansour",
        )
        .unwrap(),
        now: t(13),
    });
    storage::save(&store, &a, t(14), &[]).unwrap();
    let cafe = Rc::new(second_article());
    let mut b = State::new(cafe.clone(), vec![]);
    b.reduce(Action::Create(ann(&cafe, 7, Tag::Quote, 11, 18)));
    storage::save(&store, &b, t(15), &[]).unwrap();
    storage::rename(&store, &cafe.id, "Notes on cafés").unwrap();
    (store, a, b)
}

fn record_state(store: &MemoryStore, art: &Article) -> State {
    let boot = read_boot(store, &art.id).expect("stored and readable");
    let mut s = State::new(boot.article.clone(), vec![]);
    s.reduce(Action::Restore {
        article: boot.article,
        annotations: boot.annotations,
        tombstones: boot.tombstones,
    });
    s
}

#[test]
fn a_backup_restored_into_an_empty_browser_brings_everything_back() {
    let (store, a, b) = browser();
    let backup = backup_library(&store, None, t(20));
    assert_eq!((backup.articles, backup.annotations), (2, 4));
    let lib = library::read(backup.text.into_bytes()).unwrap();
    assert!(lib.invalid.is_empty());

    let empty = MemoryStore::new();
    let report = restore_library(&empty, &lib, t(30));
    assert_eq!((report.added, report.updated, report.unchanged), (2, 0, 0));
    assert_eq!(report.annotations_added, 4);
    for original in [&a, &b] {
        let back = record_state(&empty, &original.article);
        // Every annotation, ids, fields and times included, with its stamp.
        assert_eq!(back.annotations(), original.annotations());
        for x in original.annotations() {
            assert_eq!(back.clock(&x.id), original.clock(&x.id));
        }
        // Deletions, the article's details, its links.
        assert_eq!(back.tombstones(), original.tombstones());
        assert_eq!(back.article.details, original.article.details);
        assert_eq!(
            back.article.details_changed,
            original.article.details_changed
        );
        assert_eq!(back.article.links(), original.article.links());
        assert_eq!(back.article.text(), original.article.text());
    }
    assert_eq!(back_claim(&empty, &a.article), "They flew him out.");
    let index = read_index(&empty);
    assert_eq!(index.articles.len(), 2);
    let cafe = index
        .articles
        .iter()
        .find(|e| e.id == b.article.id)
        .unwrap();
    assert_eq!(cafe.display_name(), "Notes on cafés");
}

fn back_claim(store: &MemoryStore, art: &Article) -> String {
    record_state(store, art)
        .get(&id(1))
        .unwrap()
        .check
        .claim
        .clone()
}

#[test]
fn restoring_into_a_browser_that_moved_on_merges_like_two_tabs() {
    let (store, a, _) = browser();
    let backup = library::read(backup_library(&store, None, t(20)).text.into_bytes()).unwrap();
    // This browser, after the backup: annotation 1 edited (later than the
    // backup), 2 deleted, a new 9; annotation 3 is as in the backup.
    let mut here = record_state(&store, &a.article);
    here.reduce(Action::SetNote {
        id: id(1),
        note: "edited later".into(),
        now: t(40),
    });
    here.reduce(Action::Delete {
        id: id(2),
        now: t(41),
    });
    let art = here.article.clone();
    here.reduce(Action::Create(ann(&art, 9, Tag::Fact, 900, 912)));
    storage::save(&store, &here, t(42), &[]).unwrap();
    // And elsewhere, in the backup's own browser, before the backup:
    // annotation 3 had been edited at t(3) — older than nothing here.
    let report = restore_library(&store, &backup, t(50));
    let merged = record_state(&store, &a.article);
    assert_eq!(
        merged.get(&id(1)).unwrap().note,
        "edited later",
        "the later change wins"
    );
    assert!(
        merged.get(&id(2)).is_none(),
        "a deletion here stays deleted"
    );
    assert!(
        merged.get(&id(4)).is_none(),
        "a deletion in the backup stays deleted"
    );
    assert!(merged.get(&id(9)).is_some(), "nothing made here is lost");
    assert!(merged.get(&id(3)).is_some());
    let ids: Vec<_> = merged.annotations().iter().map(|x| x.id.clone()).collect();
    let mut unique = ids.clone();
    unique.dedup();
    assert_eq!(ids, unique, "nothing duplicated");
    assert_eq!(report.annotations_added, 0);
    assert_eq!(report.unchanged, 2, "{report:?}");
}

#[test]
fn restoring_the_same_file_twice_changes_nothing_the_second_time() {
    let (store, _, _) = browser();
    let text = backup_library(&store, None, t(20)).text;
    let empty = MemoryStore::new();
    let lib = library::read(text.clone().into_bytes()).unwrap();
    restore_library(&empty, &lib, t(30));
    let records: Vec<(String, Option<String>)> = empty
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| (k.clone(), empty.get(&k).unwrap()))
        .collect();
    let again = restore_library(&empty, &lib, t(31));
    assert_eq!((again.added, again.updated, again.unchanged), (0, 0, 2));
    assert_eq!(
        again.annotations_added + again.annotations_changed + again.annotations_deleted,
        0
    );
    for (k, v) in records {
        assert_eq!(empty.get(&k).unwrap(), v, "{k} was written again");
    }
    // And restoring into the browser the backup came from changes nothing either.
    let report = restore_library(&store, &lib, t(32));
    assert_eq!(report.unchanged, 2);
}

#[test]
fn an_unreadable_stored_record_is_left_alone() {
    let (store, a, _) = browser();
    let lib = library::read(backup_library(&store, None, t(20)).text.into_bytes()).unwrap();
    let key = storage::record_key(&a.article.id);
    store
        .set(&key, "{\"schema\":3,\"saved\":1,\"article\":{trunc")
        .unwrap();
    let report = restore_library(&store, &lib, t(30));
    assert_eq!(
        store.get(&key).unwrap().as_deref(),
        Some("{\"schema\":3,\"saved\":1,\"article\":{trunc")
    );
    assert_eq!(report.skipped.len(), 1, "{report:?}");
    assert!(report.summary().contains("cannot be read"));
}

#[test]
fn the_open_article_is_backed_up_as_it_is_on_screen() {
    let (store, mut a, _) = browser();
    // A change not saved yet.
    a.reduce(Action::SetNote {
        id: id(3),
        note: "unsaved".into(),
        now: t(60),
    });
    let lib = library::read(backup_library(&store, Some(&a), t(61)).text.into_bytes()).unwrap();
    let empty = MemoryStore::new();
    restore_library(&empty, &lib, t(62));
    assert_eq!(
        record_state(&empty, &a.article).get(&id(3)).unwrap().note,
        "unsaved"
    );
    // The article the person had open stays the one that opens.
    let before = read_index(&store).last_open;
    restore_library(&store, &lib, t(63));
    assert_eq!(read_index(&store).last_open, before);
}

#[test]
fn files_that_are_not_backups_are_refused_in_words() {
    let msg = |s: &str| {
        library::read(s.as_bytes().to_vec())
            .unwrap_err()
            .to_string()
    };
    assert!(
        msg("{\"format\":\"claimmark\",\"version\":1}").contains("not a claimmark library backup")
    );
    assert!(msg("[1,2]").contains("not a claimmark library backup"));
    assert!(
        msg("{\"format\":\"claimmark-library\",\"version\":7,\"articles\":[]}")
            .contains("version 7")
    );
    assert!(
        msg("{\"format\":\"claimmark-library\",\"version\":1,\"articles\":[").contains("line 1")
    );
    assert!(msg("").contains("empty"));
    // One bad entry among good ones is listed; the rest are read.
    let (store, _, _) = browser();
    let text = backup_library(&store, None, t(20)).text;
    let broken = text.replacen(
        "\"articles\":[",
        "\"articles\":[{\"format\":\"claimmark\"},",
        1,
    );
    let lib = library::read(broken.into_bytes()).unwrap();
    assert_eq!(lib.articles.len(), 2);
    assert_eq!(lib.invalid.len(), 1);
    assert!(
        lib.invalid[0].starts_with("article 1:"),
        "{:?}",
        lib.invalid
    );
    // Each entry is a claimmark file of its own: importable as one.
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let one = serde_json::to_string(&v["articles"][0]).unwrap();
    let parsed = claimmark::core::formats::read(one.as_bytes()).unwrap();
    assert!(parsed.article.is_some() && !parsed.items.is_empty());
    // A whole backup chosen as "Import annotations" says where it belongs.
    let as_import = claimmark::core::formats::read(text.as_bytes()).unwrap_err();
    assert!(
        as_import.to_string().contains("Library → Restore"),
        "{as_import}"
    );
}

#[test]
fn a_full_storage_stops_restoring_and_says_so_keeping_what_was_restored() {
    let (store, _, _) = browser();
    let lib = library::read(backup_library(&store, None, t(20)).text.into_bytes()).unwrap();
    // Room for the smaller article only.
    let small = store
        .keys()
        .unwrap()
        .iter()
        .map(|k| store.get(k).unwrap().unwrap().encode_utf16().count() + k.len())
        .min()
        .unwrap();
    let tight = MemoryStore::with_quota(small * 2);
    let report = restore_library(&tight, &lib, t(30));
    assert!(report.stopped.is_some(), "{report:?}");
    assert!(
        report.summary().contains("Restoring stopped"),
        "{}",
        report.summary()
    );
    // Whatever was saved before is complete and readable.
    for id in &report.restored {
        assert!(read_boot(&tight, id).is_some());
    }
}
