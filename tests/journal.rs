//! The journal (`core::storage::journal`): every write kept where a crash
//! cannot lose it, and put back on load. A crash is modelled as local
//! storage going back to what it held at some earlier moment (Chromium
//! writes it to disk lazily) while the journal keeps every write; loading
//! must then find everything, whatever the moment, also with two tabs
//! writing one chunk, a full store and values that cannot be read.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::storage::journal::{
    candidates, combine, droppable, fold, kind, replay, Journaled, Journaling, Kind, Slot,
    REMOVAL_KEPT_MS,
};
use claimmark::core::storage::layout::{encode_chunk, parse_chunk};
use claimmark::core::storage::{
    article_key, bucket_of, chunk_key, details_key, index_key, load, open, read_boot, read_index,
    remove_article, rename, Boot, Clock, Entry, MemoryStore, Store, StoreError, Writer,
};
use claimmark::core::{
    seed_article, Action, Annotation, Article, BlockKind, Details, State, Tag, Timestamp, Verdict,
};
use common::{ann, find, id};
use proptest::prelude::*;

fn t(ms: i64) -> Timestamp {
    Timestamp(1_800_000_000_000 + ms)
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

fn versions(s: &State) -> Vec<Entry> {
    let mut v: Vec<Entry> = s.entries().collect();
    v.sort_by(|a, b| a.id.cmp(&b.id));
    v
}

/// The browser after a crash: local storage as it was on disk (`disk`), the
/// journal as the store kept it.
fn crashed(store: &Journaling<MemoryStore>, disk: MemoryStore) -> Journaling<MemoryStore> {
    Journaling {
        local: disk,
        journal: store.journal.clone(),
        now: store.now.clone(),
        tab: store.tab.clone(),
    }
}

/// One tab: its state and its writer, saving after each action as the app does.
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
        let _ = self.writer.after(store, &self.state, now, &[]);
    }
}

/// An annotation of the seed numbered `n`, over `needle`.
fn on(article: &Article, n: u32, tag: Tag, needle: &str) -> Annotation {
    let span = find(article, needle);
    ann(article, n, tag, span.start(), span.end())
}

#[test]
fn what_is_journaled_is_everything_a_persons_work_lives_in() {
    let id = seed_article().id;
    assert_eq!(kind(&article_key(&id)), Some(Kind::Record));
    assert_eq!(kind(&chunk_key(&id, 7)), Some(Kind::Chunk));
    assert_eq!(kind(&details_key(&id)), Some(Kind::Details));
    assert_eq!(kind(&index_key()), Some(Kind::Index));
    assert_eq!(
        kind(&claimmark::core::storage::backup_key("index", t(1))),
        Some(Kind::Backup)
    );
    assert_eq!(kind("claimmark:v1:author"), Some(Kind::Plain));
    // The team's queue and checkpoints live on the team's server too.
    assert_eq!(kind("claimmark:v1:team:queue"), None);
    assert_eq!(kind("claimmark:probe"), None);
    assert_eq!(kind("someone-else"), None);
}

#[test]
fn a_crash_right_after_a_change_loses_nothing() {
    // Without the journal: local storage back to its last write to disk,
    // before the change — the change is gone.
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Fact, "oil leverage")),
        t(1),
    );
    let disk = store.local.clone();
    tab.act(
        &store,
        Action::SetTag {
            id: id(1),
            tag: Tag::Analysis,
            now: t(2),
        },
        t(2),
    );
    tab.act(
        &store,
        Action::SetNote {
            id: id(1),
            note: "typed a second before the crash".into(),
            now: t(3),
        },
        t(3),
    );
    let lost = restore(&load(&disk, seed_article, t(9)));
    assert_eq!(
        lost.get(&id(1)).unwrap().note,
        "",
        "local storage alone loses it"
    );

    let after = crashed(&store, disk);
    let done = after.replay(t(10));
    assert!(!done.restored.is_empty() && done.failed.is_empty());
    let back = restore(&load(&after, seed_article, t(11)));
    assert_eq!(versions(&back), versions(&tab.state));
    let a = back.get(&id(1)).unwrap();
    assert_eq!(
        (a.tag, a.note.as_str()),
        (Tag::Analysis, "typed a second before the crash")
    );
}

#[test]
fn a_new_article_its_details_and_the_library_survive_a_crash_too() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let seed = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&seed, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let disk = store.local.clone();
    // A pasted article, opened, annotated, its details edited, renamed.
    let other = Rc::new(Article::from_blocks(
        "Bridges",
        vec![],
        None,
        vec![(BlockKind::Paragraph, "About bridges and rivers.".into())],
    ));
    let boot = open(&store, other.clone(), t(2));
    tab.act(
        &store,
        Action::Restore {
            article: boot.article,
            annotations: boot.annotations,
            tombstones: boot.tombstones,
        },
        t(2),
    );
    tab.act(
        &store,
        Action::Create(ann(&other, 2, Tag::Fact, 6, 13)),
        t(3),
    );
    let details = Details {
        outlet: Some("The River Post".into()),
        ..Details::default()
    };
    tab.act(
        &store,
        Action::SetDetails {
            details: details.clone(),
            now: t(4),
        },
        t(4),
    );
    rename(&store, &other.id, "Week 3 reading").unwrap();

    let after = crashed(&store, disk);
    assert!(
        read_boot(&after, &other.id).is_none(),
        "not on disk before replay"
    );
    after.replay(t(10));
    let boot = load(&after, seed_article, t(11));
    assert_eq!(boot.article.id, other.id, "the article open at the crash");
    assert_eq!(boot.article.details, details);
    let back = restore(&boot);
    assert_eq!(versions(&back), versions(&tab.state));
    let index = read_index(&after);
    let names: Vec<&str> = index.articles.iter().map(|e| e.display_name()).collect();
    assert_eq!(names, [seed.title.as_str(), "Week 3 reading"]);
    assert_eq!(read_boot(&after, &seed.id).unwrap().annotations.len(), 1);
}

#[test]
fn a_deletion_from_the_library_survives_a_crash() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let seed = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&seed, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let other = Rc::new(Article::from_blocks(
        "Bridges",
        vec![],
        None,
        vec![(BlockKind::Paragraph, "About bridges and rivers.".into())],
    ));
    let mut s = State::new(other.clone(), vec![]);
    s.reduce(Action::Create(ann(&other, 2, Tag::Fact, 6, 13)));
    claimmark::core::storage::save(&store, &s, t(2), &[]).unwrap();
    let disk = store.local.clone();
    store.now.set(t(3));
    remove_article(&store, &other.id).unwrap();
    let after = crashed(&store, disk);
    after.replay(t(10));
    assert!(read_boot(&after, &other.id).is_none(), "still deleted");
    assert_eq!(read_index(&after).articles.len(), 1);
    // A removal is remembered for a day, then forgotten once local storage
    // no longer holds the key.
    let key = article_key(&other.id);
    assert!(after.folded()[&key].value.is_none());
    after.replay(t(2 + REMOVAL_KEPT_MS));
    assert!(after.folded().contains_key(&key));
    after.replay(t(3 + REMOVAL_KEPT_MS));
    assert!(!after.folded().contains_key(&key));
}

#[test]
fn two_tabs_writing_one_chunk_from_copies_without_each_other_lose_nothing_in_a_crash() {
    // The window local storage cannot close: tab B reads a chunk before tab
    // A's write reaches it, and writes it back without A's change. A would
    // repair it on B's storage event — but the browser dies first.
    let store = Journaling::new(MemoryStore::new());
    let mut a = Tab::open(&store);
    let article = a.state.article.clone();
    let x = on(&article, 60, Tag::Fact, "oil leverage");
    let mut n = 61;
    let mut y = on(&article, n, Tag::Quote, "regional influence");
    while bucket_of(&y.id) != bucket_of(&x.id) {
        n += 1;
        y = on(&article, n, Tag::Quote, "regional influence");
    }
    let key = chunk_key(&article.id, bucket_of(&x.id));
    let disk = store.local.clone();
    let stale = store.local.clone();
    store.now.set(t(10));
    a.act(&store, Action::Create(x.clone()), t(10));
    // B's write, made from the stale copy, lands in local storage last.
    let mut b = Tab::open(&stale);
    b.act(&stale, Action::Create(y.clone()), t(11));
    let without_x = stale.get(&key).unwrap().unwrap();
    assert!(!without_x.contains(x.id.as_str()));
    *store.tab.borrow_mut() = "b".into();
    store.now.set(t(11));
    store.set(&key, &without_x).unwrap();
    assert!(!store
        .local
        .get(&key)
        .unwrap()
        .unwrap()
        .contains(x.id.as_str()));

    let after = crashed(&store, disk);
    after.replay(t(20));
    let back = restore(&load(&after, seed_article, t(21)));
    assert!(back.get(&x.id).is_some(), "A's annotation kept");
    assert!(back.get(&y.id).is_some(), "B's annotation kept");
}

#[test]
fn the_journal_keeps_the_winner_even_when_the_losing_version_is_written_last() {
    // Two tabs edit one annotation; B's clock runs behind, so B's edit loses
    // though B writes last: an overwrite would keep B's.
    let article = Rc::new(seed_article());
    let base = on(&article, 1, Tag::Fact, "oil leverage");
    let key = chunk_key(&article.id, bucket_of(&base.id));
    let version = |note: &str, at: i64| {
        let mut a = base.clone();
        a.note = note.into();
        Entry::live(
            a,
            Clock {
                life: 0,
                changed: t(at),
            },
        )
    };
    let slot = |tab: &str, chunk: String, at: i64, replace: bool| Slot {
        tab: tab.into(),
        journaled: Journaled {
            value: Some(chunk),
            at: t(at),
        },
        replace,
    };
    let winner = encode_chunk(&[version("from A", 20)]);
    let loser = encode_chunk(&[version("from B, clock behind", 10)]);
    for slots in [
        vec![
            slot("a", winner.clone(), 20, false),
            slot("b", loser.clone(), 30, false),
        ],
        vec![
            slot("b", loser.clone(), 30, false),
            slot("a", winner.clone(), 20, false),
        ],
    ] {
        let kept = fold(&key, slots).unwrap();
        let list = parse_chunk(kept.value.as_deref().unwrap()).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].annotation.as_ref().unwrap().note, "from A");
    }
    // What the team's server refused is replaced, whatever the merge rule
    // says; what is written after it merges on top again.
    let server = encode_chunk(&[version("the server's", 5)]);
    let kept = fold(
        &key,
        vec![
            slot("a", winner.clone(), 20, false),
            slot("b", server.clone(), 30, true),
        ],
    )
    .unwrap();
    assert_eq!(kept.value.as_deref(), Some(server.as_str()));
    // Writes of one chunk that hold each other's versions fold to the
    // latest, byte for byte.
    let both = encode_chunk(&[version("from A", 20)]);
    assert_eq!(
        combine(
            &key,
            Some(&Journaled {
                value: Some(loser),
                at: t(1)
            }),
            Journaled {
                value: Some(both.clone()),
                at: t(2)
            },
            false
        )
        .value,
        Some(both)
    );
}

#[test]
fn in_step_with_local_storage_the_journal_holds_the_same_bytes_and_replay_does_nothing() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    for (n, needle) in ["oil leverage", "regional influence", "shifting strategy"]
        .iter()
        .enumerate()
    {
        tab.act(
            &store,
            Action::Create(on(&article, n as u32, Tag::Quote, needle)),
            t(n as i64),
        );
    }
    tab.act(
        &store,
        Action::Delete {
            id: id(1),
            now: t(5),
        },
        t(5),
    );
    for (k, j) in store.folded().iter() {
        assert_eq!(
            store.local.get(k).unwrap(),
            j.value,
            "{k}: the same value, byte for byte"
        );
    }
    let before = store.local.clone();
    let done = store.replay(t(9));
    assert_eq!(done, Default::default());
    for k in before.keys().unwrap() {
        assert_eq!(before.get(&k).unwrap(), store.local.get(&k).unwrap(), "{k}");
    }
}

#[test]
fn an_unreadable_value_is_copied_to_a_backup_before_the_journal_writes_over_it() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let chunk = chunk_key(&article.id, bucket_of(&id(1)));
    let record = article_key(&article.id);
    // What the disk held: a torn chunk and a torn record, the index too.
    let disk = MemoryStore::new();
    disk.set(&chunk, "{\"schema\":4,\"annotations\":[{\"id\":")
        .unwrap();
    disk.set(&record, "{\"schema\":4,\"saved\":1,\"article\":{")
        .unwrap();
    disk.set(&index_key(), "{\"layout\":1,\"articles\":[")
        .unwrap();
    let after = crashed(&store, disk);
    after.replay(t(10));
    let backups: Vec<String> = after
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(":backup:"))
        .collect();
    assert_eq!(backups.len(), 3, "{backups:?}");
    let boot = load(&after, seed_article, t(11));
    assert!(boot.problems.is_empty(), "{:?}", boot.problems);
    assert_eq!(versions(&restore(&boot)), versions(&tab.state));
}

#[test]
fn an_index_of_a_newer_layout_is_copied_to_a_backup_before_the_journal_writes_over_it() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let newer = "{\"layout\":2,\"last_open\":null,\"articles\":[],\"shelves\":[\"x\"]}";
    let disk = store.local.clone();
    disk.set(&index_key(), newer).unwrap();
    let after = crashed(&store, disk);
    // The journal's index is put back; the newer one is kept aside first.
    after.replay(t(10));
    let kept: Vec<String> = after
        .keys()
        .unwrap()
        .into_iter()
        .filter(|k| k.contains(":backup:index:"))
        .collect();
    assert_eq!(kept.len(), 1);
    assert_eq!(after.get(&kept[0]).unwrap().as_deref(), Some(newer));
}

#[test]
fn nothing_of_an_article_saved_by_a_newer_claimmark_is_written_by_replay() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let disk = MemoryStore::new();
    let newer = format!(
        "{{\"schema\":5,\"saved\":1,\"article\":{{\"id\":\"{}\"}}}}",
        article.id.0
    );
    disk.set(&article_key(&article.id), &newer).unwrap();
    let after = crashed(&store, disk);
    after.replay(t(10));
    assert_eq!(
        after.get(&article_key(&article.id)).unwrap().as_deref(),
        Some(newer.as_str())
    );
    assert!(after
        .keys()
        .unwrap()
        .iter()
        .all(|k| !k.contains(":ann:") && !k.contains(":backup:")));
}

#[test]
fn a_full_store_keeps_the_journal_and_a_later_load_puts_it_back() {
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let disk = store.local.clone();
    // Storage is full: the change stays queued in memory — and journaled.
    store.local.set_quota(Some(store.local.used()));
    tab.act(
        &store,
        Action::SetNote {
            id: id(1),
            note: "made while storage was full".into(),
            now: t(2),
        },
        t(2),
    );
    assert!(tab.writer.pending());
    disk.set_quota(Some(disk.used()));
    let after = crashed(&store, disk);
    let done = after.replay(t(10));
    assert!(
        matches!(done.failed[..], [(_, StoreError::Full)]),
        "{done:?}"
    );
    assert!(after.folded().values().any(|j| j
        .value
        .as_deref()
        .is_some_and(|v| v.contains("made while storage was full"))));
    // Room again: the next load puts it back.
    after.local.set_quota(None);
    after.replay(t(11));
    let back = restore(&load(&after, seed_article, t(12)));
    assert_eq!(
        back.get(&id(1)).unwrap().note,
        "made while storage was full"
    );
}

#[test]
fn a_value_another_tab_wrote_an_instant_before_the_journal_was_read_is_left_alone() {
    // Local storage is read first, then the journal: a value that changed in
    // between (a live tab's write, its journal write on the way) is newer.
    let store = Journaling::new(MemoryStore::new());
    let mut tab = Tab::open(&store);
    let article = tab.state.article.clone();
    tab.act(
        &store,
        Action::Create(on(&article, 1, Tag::Quote, "oil leverage")),
        t(1),
    );
    let journal = store.folded();
    // Local storage as read: the index without the entry (it changed since).
    let found = candidates(journal, |k| {
        (k != index_key())
            .then(|| store.local.get(k).unwrap())
            .flatten()
    });
    assert_eq!(found.len(), 1);
    let live = store.local.get(&index_key()).unwrap();
    rename(&store.local, &article.id, "renamed in the other tab").unwrap();
    let done = replay(&store.local, found, t(5));
    assert!(done.restored.is_empty());
    assert_ne!(store.local.get(&index_key()).unwrap(), live);
    assert_eq!(
        read_index(&store.local).articles[0].display_name(),
        "renamed in the other tab"
    );
}

#[test]
fn only_a_removal_is_ever_dropped_and_only_a_day_after() {
    let removed = Journaled {
        value: None,
        at: t(0),
    };
    let kept = Journaled {
        value: Some("x".into()),
        at: t(0),
    };
    assert!(!droppable(&removed, None, t(REMOVAL_KEPT_MS - 1)));
    assert!(droppable(&removed, None, t(REMOVAL_KEPT_MS)));
    assert!(!droppable(&removed, Some("x"), t(10 * REMOVAL_KEPT_MS)));
    assert!(!droppable(&kept, None, t(10 * REMOVAL_KEPT_MS)));
}

/// One step of a session: an action on an annotation, or opening another article.
#[derive(Clone, Debug)]
enum Step {
    Create(u32, usize),
    Note(usize, String),
    Tag(usize, usize),
    Verdict(usize),
    Delete(usize),
    Undo,
    Redo,
    Details(String),
    Switch,
}

fn arb_step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0u32..40, 0usize..3).prop_map(|(n, t)| Step::Create(n, t)),
        2 => (0usize..8, "\\PC{0,8}").prop_map(|(i, s)| Step::Note(i, s)),
        1 => (0usize..8, 0usize..3).prop_map(|(i, t)| Step::Tag(i, t)),
        1 => (0usize..8).prop_map(Step::Verdict),
        1 => (0usize..8).prop_map(Step::Delete),
        1 => Just(Step::Undo),
        1 => Just(Step::Redo),
        1 => "[a-z]{1,6}".prop_map(Step::Details),
        1 => Just(Step::Switch),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]

    /// Whatever a person did and whenever the browser died, local storage
    /// as it was on disk plus the journal load as everything that was done:
    /// every version of every annotation of both articles, the details, and
    /// the article that was open. Saving is the app's own path
    /// (`Writer::after` after each action).
    #[test]
    fn a_crash_at_any_moment_loses_nothing(
        steps in prop::collection::vec(arb_step(), 1..30),
        crash in 0usize..30,
    ) {
        let seed = Rc::new(seed_article());
        let other = Rc::new(Article::from_blocks(
            "Bridges",
            vec![],
            None,
            vec![(BlockKind::Paragraph, "About bridges, rivers and the towns between them. ".repeat(8))],
        ));
        let store = Journaling::new(MemoryStore::new());
        let mut tab = Tab::open(&store);
        let mut disk = store.local.clone();
        // What each article held when it was left.
        let mut left: std::collections::HashMap<String, (Vec<Entry>, Details)> = Default::default();
        for (i, step) in steps.iter().enumerate() {
            let now = t(10 + i as i64 * 7);
            store.now.set(now);
            let s = &tab.state;
            let pick = |k: usize| s.annotations().get(k % s.annotations().len().max(1)).map(|a| a.id.clone());
            let action = match step {
                Step::Create(n, tag) => {
                    let len = s.article.len_chars();
                    let start = (n * 37) % (len - 20);
                    Some(Action::Create(ann(&s.article, 100 + i as u32, Tag::ALL[*tag], start, start + 1 + n % 15)))
                }
                Step::Note(k, note) => pick(*k).map(|id| Action::SetNote { id, note: note.clone(), now }),
                Step::Tag(k, tag) => pick(*k).map(|id| Action::SetTag { id, tag: Tag::ALL[*tag], now }),
                Step::Verdict(k) => pick(*k).map(|id| Action::SetVerdict { id, verdict: Some(Verdict::Mixed), now }),
                Step::Delete(k) => pick(*k).map(|id| Action::Delete { id, now }),
                Step::Undo => Some(Action::Undo { now }),
                Step::Redo => Some(Action::Redo { now }),
                Step::Details(outlet) => Some(Action::SetDetails {
                    details: Details { outlet: Some(outlet.clone()), ..Details::default() },
                    now,
                }),
                Step::Switch => {
                    left.insert(s.article.id.0.clone(), (versions(s), s.article.details.clone()));
                    let next = if s.article.id == seed.id { other.clone() } else { seed.clone() };
                    let boot = open(&store, next, now);
                    Some(Action::Restore { article: boot.article, annotations: boot.annotations, tombstones: boot.tombstones })
                }
            };
            if let Some(a) = action {
                tab.act(&store, a, now);
            }
            prop_assert!(!tab.writer.pending());
            if i == crash {
                disk = store.local.clone();
            }
        }
        left.insert(tab.state.article.id.0.clone(), (versions(&tab.state), tab.state.article.details.clone()));

        let after = crashed(&store, disk);
        let done = after.replay(t(100_000));
        prop_assert!(done.failed.is_empty(), "{:?}", done.failed);
        let boot = load(&after, seed_article, t(100_001));
        prop_assert!(boot.problems.is_empty(), "{:?}", boot.problems);
        prop_assert_eq!(&boot.article.id, &tab.state.article.id, "the article open at the crash");
        for (id, (want, details)) in &left {
            let id = claimmark::core::ArticleId(id.clone());
            // As opening it again finds it (its record is written with
            // its first annotation; edited details live in their own key).
            let article = if id == seed.id { seed.clone() } else { other.clone() };
            let got = open(&after, article, t(100_001));
            prop_assert!(got.problems.is_empty(), "{:?}", got.problems);
            prop_assert_eq!(&got.article.details, details);
            prop_assert_eq!(&versions(&restore(&got)), want);
        }
        // And replaying again changes nothing.
        let again = after.replay(t(100_002));
        prop_assert!(again.restored.is_empty(), "{:?}", again.restored);
    }
}
