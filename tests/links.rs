//! Links between annotations: made and removed through the reducer (and
//! undone), kept by a deletion, stored, and carried by claimmark JSON
//! (version 2, with version 1 still read), W3C, library backups and team
//! documents.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::rc::Rc;

use claimmark::core::backup::{backup_library, restore_library};
use claimmark::core::formats::{self, library, Source};
use claimmark::core::import;
use claimmark::core::storage::{self, MemoryStore};
use claimmark::core::sync::doc;
use claimmark::core::{seed_article, Action, ArticleId, LinkKind, LinkTo, State, Tag, Timestamp};
use common::{ann, id};
use serde_json::Value;

const NOW: Timestamp = Timestamp(1_764_300_000_000);
const ELSEWHERE: &str = "ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12ab12";

fn to(article: &str, n: u32, kind: LinkKind) -> LinkTo {
    LinkTo {
        article: ArticleId(article.into()),
        id: id(n),
        kind,
    }
}

/// The seed with a fact (1) and a quote (2) on it.
fn state() -> State {
    let art = Rc::new(seed_article());
    State::new(
        art.clone(),
        vec![
            ann(&art, 1, Tag::Fact, 0, 10),
            ann(&art, 2, Tag::Quote, 20, 30),
        ],
    )
}

fn link(s: &mut State, from: u32, to: LinkTo) {
    s.reduce(Action::Link {
        id: id(from),
        to,
        about: "“…”".into(),
        now: NOW,
    });
}

#[test]
fn a_link_is_one_undoable_step_and_said() {
    let mut s = state();
    let here = s.article.id.0.clone();
    link(&mut s, 2, to(&here, 1, LinkKind::Supports));
    assert_eq!(
        s.get(&id(2)).unwrap().links,
        [to(&here, 1, LinkKind::Supports)]
    );
    assert_eq!(s.announcement, "Linked: supports “…”");
    assert_eq!(s.touched(), [id(2)], "saved as a change of the quote");
    // The same target again changes its kind, not a second link.
    link(&mut s, 2, to(&here, 1, LinkKind::Contradicts));
    assert_eq!(s.get(&id(2)).unwrap().links.len(), 1);
    assert_eq!(s.get(&id(2)).unwrap().links[0].kind, LinkKind::Contradicts);
    s.reduce(Action::Undo { now: NOW });
    assert_eq!(s.get(&id(2)).unwrap().links[0].kind, LinkKind::Supports);
    s.reduce(Action::Undo { now: NOW });
    assert!(s.get(&id(2)).unwrap().links.is_empty());
    assert_eq!(s.announcement, "Undone: Linked: supports “…”");
    s.reduce(Action::Redo { now: NOW });
    assert_eq!(s.get(&id(2)).unwrap().links.len(), 1);
    s.reduce(Action::Unlink {
        id: id(2),
        article: ArticleId(here.clone()),
        target: id(1),
        about: "“…”".into(),
        now: NOW,
    });
    assert!(s.get(&id(2)).unwrap().links.is_empty());
    assert_eq!(s.announcement, "Link removed: “…”");
}

#[test]
fn an_annotation_is_never_linked_to_itself() {
    let mut s = state();
    let here = s.article.id.0.clone();
    link(&mut s, 1, to(&here, 1, LinkKind::SameClaim));
    assert!(s.get(&id(1)).unwrap().links.is_empty());
    assert!(!s.can_undo());
}

#[test]
fn a_deletion_keeps_its_links_through_storage_and_undo_brings_them_back() {
    let store = MemoryStore::new();
    let mut s = state();
    link(&mut s, 2, to(ELSEWHERE, 7, LinkKind::Contradicts));
    s.reduce(Action::Delete {
        id: id(2),
        now: NOW,
    });
    let gone = s.entry(&id(2)).unwrap();
    assert!(gone.annotation.is_none());
    assert_eq!(
        gone.links,
        [to(ELSEWHERE, 7, LinkKind::Contradicts)],
        "kept by the deletion"
    );
    storage::save(&store, &s, NOW, &[]).unwrap();
    // Read back as a new session would: the tombstone still names the link.
    let boot = storage::open(&store, s.article.clone(), NOW);
    let t = boot
        .tombstones
        .iter()
        .find(|t| t.id == id(2))
        .expect("tombstone");
    assert_eq!(t.links, [to(ELSEWHERE, 7, LinkKind::Contradicts)]);
    let mut r = State::new(boot.article.clone(), vec![]);
    r.reduce(Action::Restore {
        article: boot.article,
        annotations: boot.annotations,
        tombstones: boot.tombstones,
    });
    assert_eq!(r.entry(&id(2)).unwrap().links.len(), 1);
    // Undo of the deletion brings the annotation back with its link.
    s.reduce(Action::Undo { now: NOW });
    assert_eq!(s.get(&id(2)).unwrap().links.len(), 1);
    assert!(
        s.entry(&id(2)).unwrap().links.is_empty(),
        "a live version holds its own"
    );
}

#[test]
fn claimmark_json_carries_links_and_version_1_still_reads() {
    let mut s = state();
    let here = s.article.id.0.clone();
    link(&mut s, 2, to(&here, 1, LinkKind::Supports));
    link(&mut s, 1, to(ELSEWHERE, 5, LinkKind::SameClaim));
    let file = formats::claimmark::write(&s.article, s.annotations(), NOW);
    let parsed = formats::read(file.as_bytes()).unwrap();
    assert_eq!(parsed.source, Source::Claimmark(2));
    let plan = import::plan(&parsed, &s.article, &[], &BTreeMap::new(), NOW, &mut || {
        id(900)
    });
    let by = |n: u32| plan.add.iter().find(|a| a.id == id(n)).unwrap();
    assert_eq!(by(2).links, [to(&here, 1, LinkKind::Supports)]);
    assert_eq!(by(1).links, [to(ELSEWHERE, 5, LinkKind::SameClaim)]);
    // A version 1 file (no links) reads as before: no migration.
    let mut v: Value = serde_json::from_str(&file).unwrap();
    v["version"] = 1.into();
    for a in v["annotations"].as_array_mut().unwrap() {
        a.as_object_mut().unwrap().remove("links");
    }
    let old = formats::read(v.to_string().as_bytes()).unwrap();
    assert_eq!(old.source, Source::Claimmark(1));
    assert_eq!(old.items.len(), 2);
    assert!(old.items.iter().all(|i| i.links.is_empty()));
    // A bad link is left out and named; the annotation still imports.
    v["version"] = 2.into();
    v["annotations"][0]["links"] =
        serde_json::json!([{"article": here, "id": "x", "kind": "refutes"}]);
    let bad = formats::read(v.to_string().as_bytes()).unwrap();
    assert_eq!(bad.items.len(), 2);
    assert!(bad.invalid[0].contains("link 1"), "{:?}", bad.invalid);
}

#[test]
fn w3c_links_are_linking_annotations_that_read_back() {
    let mut s = state();
    let here = s.article.id.0.clone();
    link(&mut s, 2, to(&here, 1, LinkKind::Contradicts));
    link(&mut s, 2, to(ELSEWHERE, 5, LinkKind::Supports));
    let file = formats::w3c::write(&s.article, s.annotations());
    let parsed = formats::read(file.as_bytes()).unwrap();
    assert_eq!(
        parsed.items.len(),
        2,
        "links are not annotations of their own"
    );
    assert!(parsed.invalid.is_empty(), "{:?}", parsed.invalid);
    let plan = import::plan(&parsed, &s.article, &[], &BTreeMap::new(), NOW, &mut || {
        id(900)
    });
    let quote = plan.add.iter().find(|a| a.id == id(2)).unwrap();
    assert_eq!(
        quote.links,
        [
            to(&here, 1, LinkKind::Contradicts),
            to(ELSEWHERE, 5, LinkKind::Supports)
        ]
    );
    // Another annotator's relation, without scopes: to the same article.
    let other = serde_json::json!([
        { "id": "urn:uuid:a", "type": "Annotation", "body": [{"purpose": "tagging", "value": "fact"}],
          "target": { "source": "x", "selector": { "type": "TextQuoteSelector", "exact": "U.S." } } },
        { "id": "urn:uuid:b", "type": "Annotation", "body": [{"purpose": "tagging", "value": "quote"}],
          "target": { "source": "x", "selector": { "type": "TextQuoteSelector", "exact": "Venezuela" } } },
        { "type": "Annotation", "motivation": "linking", "body": { "type": "TextualBody", "value": "same-claim" },
          "target": ["urn:uuid:b", "urn:uuid:a"] }
    ]);
    let parsed = formats::read(other.to_string().as_bytes()).unwrap();
    let plan = import::plan(&parsed, &s.article, &[], &BTreeMap::new(), NOW, &mut || {
        id(900)
    });
    let b = plan.add.iter().find(|a| a.id.as_str() == "b").unwrap();
    assert_eq!(b.links.len(), 1);
    assert_eq!(b.links[0].article, s.article.id);
    assert_eq!(b.links[0].kind, LinkKind::SameClaim);
}

#[test]
fn a_library_backup_carries_links_and_the_links_deletions_keep() {
    let store = MemoryStore::new();
    let mut s = state();
    link(&mut s, 2, to(ELSEWHERE, 7, LinkKind::Supports));
    link(&mut s, 1, to(ELSEWHERE, 8, LinkKind::SameClaim));
    s.reduce(Action::Delete {
        id: id(1),
        now: NOW,
    });
    storage::save(&store, &s, NOW, &[]).unwrap();
    let backup = backup_library(&store, None, NOW);
    let fresh = MemoryStore::new();
    let lib = library::read(backup.text.into_bytes()).unwrap();
    let report = restore_library(&fresh, &lib, NOW);
    assert_eq!(report.added, 1, "{report:?}");
    let boot = storage::open(&fresh, s.article.clone(), NOW);
    let quote = boot
        .annotations
        .iter()
        .find(|(a, _)| a.id == id(2))
        .unwrap();
    assert_eq!(quote.0.links, [to(ELSEWHERE, 7, LinkKind::Supports)]);
    let fact = boot.tombstones.iter().find(|t| t.id == id(1)).unwrap();
    assert_eq!(fact.links, [to(ELSEWHERE, 8, LinkKind::SameClaim)]);
}

#[test]
fn team_documents_carry_links_and_hostile_ones_are_skipped() {
    let mut s = state();
    link(&mut s, 2, to(ELSEWHERE, 7, LinkKind::Supports));
    s.reduce(Action::Delete {
        id: id(1),
        now: NOW,
    });
    let article = s.article.clone();
    let read = |e: &claimmark::core::storage::Entry| {
        let mut v: Value =
            serde_json::from_str(&doc::encode_annotation(&article.id, e, None, Some("ana")))
                .unwrap();
        v["_rev"] = "1-a".into();
        doc::read_annotation(&v, &article)
    };
    let live = s.entry(&id(2)).unwrap();
    let back = read(&live).unwrap().unwrap();
    assert_eq!(
        back.entry.annotation.unwrap().links,
        [to(ELSEWHERE, 7, LinkKind::Supports)]
    );
    let mut gone = s.entry(&id(1)).unwrap();
    gone.links = vec![to(ELSEWHERE, 9, LinkKind::Contradicts)];
    let back = read(&gone).unwrap().unwrap();
    assert_eq!(back.entry.links, [to(ELSEWHERE, 9, LinkKind::Contradicts)]);
    // Hostile links: each document is skipped with a reason.
    let base: Value = serde_json::from_str(&doc::encode_annotation(
        &article.id,
        &live,
        None,
        Some("ana"),
    ))
    .unwrap();
    for (links, why) in [
        (serde_json::json!("x"), "should be a list"),
        (
            serde_json::json!([{"article": ELSEWHERE, "id": "a", "kind": "refutes"}]),
            "kind",
        ),
        (
            serde_json::json!([{"article": "nope", "id": "a", "kind": "supports"}]),
            "name an article",
        ),
        (
            serde_json::json!([{"article": ELSEWHERE, "id": "a", "kind": "supports", "x": {"y": 1}}]),
            "field",
        ),
        (
            serde_json::json!([[[[{"article": ELSEWHERE}]]]]),
            "should be an object",
        ),
        (
            serde_json::json!(vec![
                serde_json::json!({"article": ELSEWHERE, "id": "a", "kind": "supports"});
                101
            ]),
            "at most 100",
        ),
        (
            serde_json::json!([{"article": article.id.0, "id": id(2).as_str(), "kind": "supports"}]),
            "itself",
        ),
    ] {
        let mut v = base.clone();
        v["_rev"] = "1-a".into();
        v["links"] = links;
        let skipped = doc::read_annotation(&v, &article).unwrap_err();
        assert!(skipped.reason.contains(why), "{why}: {}", skipped.reason);
    }
}
