//! Team sync's pure part (`core::sync`): the document format read back
//! exactly; remote documents checked like an import (hostile ones skipped
//! with a message naming them, arbitrary JSON never panics and never yields
//! an annotation outside the text); the protocol — push over a known
//! revision, on conflict read the server's version and decide again by the
//! merge rule — converging on every client whatever the interleaving; the
//! queue, the checkpoint keys, backoff, the status words; the author field
//! in the reducer, storage, exports and the panel's filter.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::HashMap;
use std::rc::Rc;

use claimmark::core::filter::{AuthorFilter, Filter};
use claimmark::core::formats;
use claimmark::core::merge::{merge, Clock, Entry};
use claimmark::core::storage::layout::StoredAnnotation;
use claimmark::core::sync::doc::{
    ann_doc_id, encode_annotation, encode_annotation_over, encode_article, encode_list_entry,
    encode_removal, parse_ann_doc_id, read_annotation, read_article, read_list_entry,
    ArticleProblem, LIMITS,
};
use claimmark::core::sync::plan::{
    loses_edit, lost_after_sending, overwrites_unseen, pick, reconcile, step, Lost, Step,
};
use claimmark::core::sync::queue::{check_db_url, checkpoint_key, Config, Queue};
use claimmark::core::sync::view::ServerView;
use claimmark::core::sync::wire::{self, Written};
use claimmark::core::sync::Remote;
use claimmark::core::sync::{backoff, status, Facts, Status, Trouble};
use claimmark::core::{
    seed_article, Action, Annotation, AnnotationId, Article, State, Tag, Timestamp, Verdict,
};
use common::{ann, find, id};
use proptest::prelude::*;
use serde_json::{json, Value};

thread_local! {
    static ARTICLE: Rc<Article> = Rc::new(seed_article());
}

fn article() -> Rc<Article> {
    ARTICLE.with(|a| a.clone())
}

fn doc_of(e: &Entry, rev: &str) -> Value {
    let a = article();
    serde_json::from_str(&encode_annotation(&a.id, e, Some(rev), None)).unwrap()
}

fn full(a: &Article) -> Annotation {
    let m = find(a, "Maduro and flew him");
    let mut x = ann(a, 1, Tag::Fact, m.start(), m.end());
    x.note = "<img src=x onerror=alert(1)> **bold**".into();
    x.check.verdict = Some(Verdict::MostlyFalse);
    x.check.explanation = "Flight logs".into();
    x.check.sources = vec!["https://example.org/a".into()];
    x.check.claim = "The U.S. flew him.".into();
    x.check.claimant = "Newslooks".into();
    x.author = Some("ana".into());
    x.modified = Timestamp(x.created.0 + 5);
    x
}

#[test]
fn an_annotation_document_reads_back_as_the_same_version() {
    let a = article();
    let live = Entry::live(
        full(&a),
        Clock {
            life: 2,
            changed: Timestamp(1_800_000_000_123),
        },
    );
    let mut orphan = ann(&a, 2, Tag::Quote, 0, 0);
    orphan.orphan = true;
    orphan.quote.exact = "a quote no longer in the text".into();
    orphan.quote.prefix = "before ".into();
    let orphan = Entry::live(orphan, Clock::new(Timestamp(7)));
    let gone = Entry::deleted(
        id(3),
        Clock {
            life: 1,
            changed: Timestamp(9),
        },
    );
    for e in [live, orphan, gone] {
        let doc = doc_of(&e, "3-abc");
        let r = read_annotation(&doc, &a).unwrap().unwrap();
        assert_eq!(r.rev, "3-abc");
        assert_eq!(r.entry, e);
        assert_eq!(step(Some(&e), Some(&r.entry)), Step::InSync);
    }
}

#[test]
fn the_document_format_is_as_documented() {
    let a = article();
    let e = Entry::live(
        full(&a),
        Clock {
            life: 0,
            changed: Timestamp(1_800_000_000_000),
        },
    );
    let doc = doc_of(&e, "1-x");
    let m = find(&a, "Maduro and flew him");
    assert_eq!(doc["_id"], format!("ann:{}:{}", a.id.0, id(1).as_str()));
    assert_eq!(doc["type"], "annotation");
    assert_eq!(doc["article"], a.id.0.as_str());
    assert_eq!(doc["tag"], "fact");
    assert_eq!(doc["start"], m.start());
    assert_eq!(doc["end"], m.end());
    assert_eq!(doc["author"], "ana");
    assert_eq!(doc["verdict"], "mostly-false");
    assert_eq!(
        doc["clock"],
        json!({"life": 0, "changed": 1_800_000_000_000i64})
    );
    assert_eq!(doc["created"], "2023-11-14T22:13:20.001Z");
    assert!(
        doc.get("quote").is_none(),
        "a placed annotation's quote is the text"
    );
    // A deletion is a version of its own that keeps what later clients and
    // the validation need (a CouchDB deletion would hide it from the
    // validation function on some servers), and reads back as a deletion.
    let gone = Entry::deleted(
        id(1),
        Clock {
            life: 0,
            changed: Timestamp(5),
        },
    );
    let d: Value =
        serde_json::from_str(&encode_annotation(&a.id, &gone, Some("2-y"), Some("ana"))).unwrap();
    assert_eq!(d["deleted"], true);
    assert!(d.get("_deleted").is_none());
    assert_eq!(d["author"], "ana");
    assert_eq!(d["clock"]["changed"], 5);
    assert!(d.get("tag").is_none());
    let back = read_annotation(&d, &a).unwrap().unwrap();
    assert_eq!(
        (back.entry, back.author.as_deref()),
        (gone.clone(), Some("ana"))
    );
    // Only a revision in conflict is removed with CouchDB's deletion; one
    // written by earlier versions still reads as a deletion.
    let removal: Value = serde_json::from_str(&encode_removal(
        &a.id,
        &id(1),
        "3-z",
        Some("ana"),
        gone.clock,
    ))
    .unwrap();
    assert_eq!(
        (&removal["_deleted"], &removal["_rev"]),
        (&json!(true), &json!("3-z"))
    );
    assert_eq!(read_annotation(&removal, &a).unwrap().unwrap().entry, gone);
    assert_eq!(
        parse_ann_doc_id(&ann_doc_id(&a.id, &id(4))),
        Some((a.id.clone(), id(4)))
    );
    assert_eq!(parse_ann_doc_id("ann:short:x"), None);
    assert_eq!(parse_ann_doc_id(&format!("ann:{}:", a.id.0)), None);
}

#[test]
fn the_article_and_its_list_entry_read_back_and_a_wrong_text_is_refused() {
    let a = article();
    let doc = encode_article(&a);
    let back = read_article(&doc, &a.id).unwrap();
    assert_eq!(back.text(), a.text());
    assert_eq!(back.title, a.title);
    // Another text under this article's id: refused (the id is its SHA-256).
    let mut v: Value = serde_json::from_str(&doc).unwrap();
    v["text"] = json!(format!("{} (changed)", a.text()));
    let forged = read_article(&v.to_string(), &a.id).unwrap_err();
    assert_eq!(forged, ArticleProblem::Forged);
    assert_eq!(
        forged.to_string(),
        "the team's copy holds a different text from the one its id names, so it is not the article it claims to be"
    );
    // Another article's document under this id is not this article either.
    let other = encode_article(&claimmark::core::parse::plain::parse_plain_text(
        "Other\n\nSomething else entirely.",
        None,
    ));
    assert!(matches!(
        read_article(&other, &a.id),
        Err(ArticleProblem::Unreadable(_))
    ));
    let entry =
        read_list_entry(&serde_json::from_str(&encode_list_entry(&a, Some("ana"))).unwrap())
            .unwrap();
    assert_eq!(entry.id, a.id);
    assert_eq!(entry.title, a.title);
    assert_eq!(entry.author.as_deref(), Some("ana"));
    assert_eq!(
        read_list_entry(&json!({"_id": "list:nothex", "type": "list", "title": "x"})),
        None
    );
}

/// A document of this article with `field` set to `value`.
fn with(field: &str, value: Value) -> Value {
    let a = article();
    let e = Entry::live(full(&a), Clock::new(Timestamp(1)));
    let mut doc = doc_of(&e, "1-a");
    doc[field] = value;
    doc
}

#[test]
fn hostile_documents_are_skipped_with_a_message_naming_them() {
    let a = article();
    let len = a.len_chars();
    let cases: Vec<(Value, &str)> = vec![
        (
            {
                let mut d = with("start", json!(len + 10));
                d["end"] = json!(len + 20);
                d
            },
            "past the end of the text",
        ),
        (with("end", json!(len + 10)), "past the end of the text"),
        (with("start", json!(-1)), "is not a position"),
        (with("end", json!(3)), "before it starts"),
        (
            with("note", json!("x".repeat(LIMITS.text + 1))),
            "at most 20000",
        ),
        (
            with("note", json!(42)),
            "its note should be text but is a number",
        ),
        (
            with("tag", json!("<script>")),
            "is not fact, quote or analysis",
        ),
        (
            with("tag", json!(["fact"])),
            "its tag should be text but is a list",
        ),
        (
            with("sources", json!(["javascript:alert(1)"])),
            "not a web link",
        ),
        (
            with("sources", json!("https://a.org")),
            "sources should be a list",
        ),
        (with("verdict", json!("pants on fire")), "verdict"),
        (with("clock", json!("soon")), "clock should be an object"),
        (with("clock", json!({"life": -1, "changed": 3})), "life"),
        (with("created", json!("yesterday")), "created is not a date"),
        (with("article", json!("0000")), "names another article"),
        (with("id", json!("someone-else")), "does not match"),
        (
            with("type", json!("article")),
            "not marked as an annotation",
        ),
        (
            with("author", json!({"name": "ana"})),
            "author should be text",
        ),
    ];
    for (doc, why) in cases {
        let skipped = read_annotation(&doc, &a).expect_err(why);
        assert!(
            skipped.reason.contains(why),
            "{why:?} not in {:?}",
            skipped.reason
        );
        assert!(
            skipped.to_string().starts_with("ann:"),
            "names the document: {skipped}"
        );
    }
    // Markup in a note is kept as the text it is (drawn as text, never HTML).
    let ok = read_annotation(&with("note", json!("<b onmouseover=x>hi</b>")), &a)
        .unwrap()
        .unwrap();
    assert_eq!(ok.entry.annotation.unwrap().note, "<b onmouseover=x>hi</b>");
    // Not an annotation of this article: not a problem, just not ours.
    assert_eq!(
        read_annotation(&json!({"_id": "_design/claimmark"}), &a),
        Ok(None)
    );
    assert_eq!(read_annotation(&json!([1, 2]), &a), Ok(None));
    let other = format!("ann:{}:x", "0".repeat(64));
    assert_eq!(read_annotation(&json!({"_id": other}), &a), Ok(None));
}

fn arb_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        (0u64..20_000).prop_map(|n| json!(n)),
        any::<f64>().prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![
            Just("fact"),
            Just("quote"),
            Just("orphan"),
            Just("annotation"),
            Just("true")
        ]
        .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(3, 24, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("start".to_string()),
                    Just("end".to_string()),
                    Just("tag".to_string()),
                    Just("clock".to_string()),
                    Just("life".to_string()),
                    Just("changed".to_string()),
                    Just("orphan".to_string()),
                    Just("quote".to_string()),
                    Just("_deleted".to_string()),
                    Just("sources".to_string()),
                    ".{0,6}"
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// A document that passes the first checks (its id, revision, article and
/// type), with every other field arbitrary.
fn arb_doc() -> impl Strategy<Value = Value> {
    (
        arb_json(),
        prop::collection::btree_map(
            prop_oneof![
                Just("start"),
                Just("end"),
                Just("tag"),
                Just("clock"),
                Just("orphan"),
                Just("quote"),
                Just("note"),
                Just("sources"),
                Just("verdict"),
                Just("created"),
                Just("_deleted"),
                Just("author"),
            ],
            arb_json(),
            0..8,
        ),
    )
        .prop_map(|(noise, fields)| {
            let a = article();
            let mut doc = json!({
                "_id": ann_doc_id(&a.id, &id(1)), "_rev": "1-a", "type": "annotation",
                "article": a.id.0, "id": id(1).as_str(), "tag": "fact", "start": 0, "end": 5,
                "created": "2026-01-01T00:00:00Z", "clock": {"life": 0, "changed": 1},
            });
            for (k, v) in fields {
                doc[k] = v;
            }
            doc["noise"] = noise;
            doc
        })
}

proptest! {
    #[test]
    fn arbitrary_json_never_panics_nor_yields_an_annotation_outside_the_text(doc in prop_oneof![arb_json(), arb_doc()]) {
        let a = article();
        if let Ok(Some(r)) = read_annotation(&doc, &a) {
            if let Some(x) = &r.entry.annotation {
                if x.orphan {
                    prop_assert!(!x.quote.exact.is_empty());
                } else {
                    prop_assert!(!x.span.is_empty());
                    prop_assert!(x.span.end() <= a.len_chars());
                    prop_assert_eq!(&x.quote, &claimmark::core::TextQuote::of(&a, x.span));
                }
                prop_assert!(x.note.chars().count() <= LIMITS.text);
            }
        }
    }
}

// ------------------------------------------------------------ the protocol

/// A server as CouchDB behaves for one database: a revision per document,
/// a write over a stale revision refused with a conflict. It speaks in the
/// documents and answers the app reads and writes.
#[derive(Default)]
struct Server {
    docs: HashMap<String, (u32, String)>,
    /// Writes that replaced a version by a lesser one (by the merge rule):
    /// the protocol must never make one.
    went_back: Vec<String>,
}

impl Server {
    /// `_bulk_docs`: each document written over the revision it names, or
    /// answered `conflict`.
    fn bulk_docs(&mut self, docs: &[String]) -> Vec<Written> {
        docs.iter()
            .map(|raw| {
                let v: Value = serde_json::from_str(raw).unwrap();
                let doc_id = v["_id"].as_str().unwrap().to_string();
                let rev = v["_rev"]
                    .as_str()
                    .map(|r| r.split('-').next().unwrap().parse::<u32>().unwrap());
                let current = self.docs.get(&doc_id).map(|(r, _)| *r);
                if current != rev {
                    return Written {
                        id: doc_id,
                        error: Some("conflict".into()),
                        reason: Some("Document update conflict".into()),
                        ..Written::default()
                    };
                }
                if let (Some(old), Ok(Some(new))) =
                    (self.read(&doc_id), read_annotation(&v, &article()))
                {
                    if step(Some(&new.entry), Some(&old.entry)) == Step::Take {
                        self.went_back.push(doc_id.clone());
                    }
                }
                let next = current.unwrap_or(0) + 1;
                self.docs.insert(doc_id.clone(), (next, raw.clone()));
                Written {
                    id: doc_id,
                    rev: Some(format!("{next}-x")),
                    ..Written::default()
                }
            })
            .collect()
    }

    /// The current version of a document, as a client reads it.
    fn read(&self, doc_id: &str) -> Option<Remote> {
        let (rev, raw) = self.docs.get(doc_id)?;
        let mut v: Value = serde_json::from_str(raw).unwrap();
        v["_rev"] = json!(format!("{rev}-x"));
        read_annotation(&v, &article()).unwrap()
    }
}

/// A client driven by the app's own decisions: its versions (as its state
/// holds them), its view of the server (`ServerView`: revisions known,
/// what to push over which, what the answers mean) and its queue.
#[derive(Default)]
struct Client {
    versions: HashMap<AnnotationId, Entry>,
    view: ServerView,
    queue: Queue,
}

impl Client {
    fn new() -> Client {
        let mut c = Client::default();
        c.view.follow(Some(article().id.clone()));
        c
    }

    fn edit(&mut self, n: u32, note: &str, delete: bool, now: i64) {
        let key = id(n);
        let a = article();
        let clock = match self.versions.get(&key) {
            None => Clock::new(Timestamp(now)),
            Some(e) if e.annotation.is_none() && !delete => e.clock.revived(Timestamp(now)),
            Some(e) => e.clock.after(Timestamp(now)),
        };
        let e = if delete {
            Entry::deleted(key.clone(), clock)
        } else {
            let mut x = ann(&a, n, Tag::Fact, 10, 20);
            x.note = note.into();
            // Made while signed in: the app names the author.
            x.author = Some("ana".into());
            Entry::live(x, clock)
        };
        self.versions.insert(key.clone(), e);
        self.queue.add(&a.id, [&key]);
    }

    /// Versions from the server, decided as the app decides them.
    fn receive(&mut self, remotes: Vec<Remote>) {
        let a = article();
        let out = self
            .view
            .receive(&a.id, remotes, &self.versions, &mut self.queue);
        for e in out.take {
            self.versions.insert(e.id.clone(), e);
        }
    }

    /// Push every queued version as the app's pusher does: look up what is
    /// not known, plan, send, read the answers; a conflict goes round again.
    fn push(&mut self, server: &mut Server) {
        let a = article();
        let queued = self.queue.of(&a.id);
        for _round in 0..20 {
            let ids = self.queue.of(&a.id);
            if ids.is_empty() {
                // Nothing leaves the queue before the server holds it (or
                // a greater version).
                for id in &queued {
                    let on_server = server.read(&ann_doc_id(&a.id, id)).map(|r| r.entry);
                    let here = self.versions.get(id);
                    assert_ne!(
                        step(here, on_server.as_ref()),
                        Step::Push,
                        "{id:?} left the queue while the server holds less"
                    );
                }
                return;
            }
            let found: HashMap<AnnotationId, Remote> = self
                .view
                .to_look_up(&a.id, &ids)
                .into_iter()
                .filter_map(|id| server.read(&ann_doc_id(&a.id, &id)).map(|r| (id, r)))
                .collect();
            let mine: Vec<Entry> = ids
                .iter()
                .filter_map(|id| self.versions.get(id))
                .cloned()
                .collect();
            let plan = self.view.plan_push(&a.id, &ids, &mine, &found, "ana");
            for id in &plan.drop {
                self.queue.remove(&a.id, id);
            }
            self.receive(plan.take);
            if plan.docs.is_empty() {
                continue;
            }
            let answers = server.bulk_docs(&plan.docs);
            let versions = &self.versions;
            let out = self.view.pushed(
                &a.id,
                &plan.sent,
                answers,
                "ana",
                |id| versions.get(id).cloned(),
                &mut self.queue,
            );
            assert!(out.refused.is_empty() && out.failed.is_none());
        }
        panic!("the pusher went round 20 times without emptying its queue");
    }

    /// Read every document (as the changes feed brings them).
    fn pull(&mut self, server: &Server) {
        let a = article();
        let remotes: Vec<Remote> = (0..3)
            .filter_map(|n| server.read(&ann_doc_id(&a.id, &id(n))))
            .collect();
        self.receive(remotes);
    }
}

#[derive(Clone, Debug)]
enum Op {
    Edit {
        client: usize,
        n: u32,
        note: usize,
        delete: bool,
    },
    Push(usize),
    Pull(usize),
    Tick,
}

fn arb_op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3, 0u32..3, 0usize..3, prop::bool::weighted(0.25))
            .prop_map(|(client, n, note, delete)| Op::Edit { client, n, note, delete }),
        2 => (0usize..3).prop_map(Op::Push),
        2 => (0usize..3).prop_map(Op::Pull),
        1 => Just(Op::Tick),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Three clients edit, delete and revive annotations offline and sync
    /// in any interleaving; once everyone has pushed and pulled, every
    /// client holds exactly what the server holds, and that is the greatest
    /// version ever made of each annotation (nothing created is lost).
    #[test]
    fn every_client_converges_on_the_greatest_version(ops in prop::collection::vec(arb_op(), 0..40)) {
        let mut server = Server::default();
        let mut clients: Vec<Client> = (0..3).map(|_| Client::new()).collect();
        let mut made: HashMap<AnnotationId, Entry> = HashMap::new();
        let mut now = 1_000i64;
        for op in ops {
            match op {
                Op::Edit { client, n, note, delete } => {
                    clients[client].edit(n, ["", "a", "b"][note], delete, now);
                    let e = clients[client].versions[&id(n)].clone();
                    let best = match made.remove(&id(n)) {
                        Some(old) => merge(old, e),
                        None => e,
                    };
                    made.insert(id(n), best);
                }
                Op::Push(c) => clients[c].push(&mut server),
                Op::Pull(c) => clients[c].pull(&server),
                Op::Tick => now += 1,
            }
        }
        for _ in 0..2 {
            for c in &mut clients {
                c.pull(&server);
                c.push(&mut server);
            }
        }
        for c in &mut clients {
            c.pull(&server);
        }
        prop_assert_eq!(&server.went_back, &Vec::<String>::new(), "a write replaced a version by a lesser one");
        let a = article();
        for (key, best) in &made {
            let on_server = server.read(&ann_doc_id(&a.id, key)).unwrap().entry;
            prop_assert_eq!(&on_server, best);
            for c in &clients {
                prop_assert_eq!(c.versions.get(key), Some(best));
                prop_assert!(c.queue.is_empty());
            }
        }
    }
}

#[test]
fn steps_follow_the_merge_rule() {
    let a = article();
    let v1 = Entry::live(ann(&a, 1, Tag::Fact, 10, 20), Clock::new(Timestamp(5)));
    let mut edited = v1.clone();
    edited.clock = v1.clock.after(Timestamp(9));
    if let Some(x) = &mut edited.annotation {
        x.note = "mine".into();
    }
    let deleted = Entry::deleted(id(1), v1.clock.after(Timestamp(6)));
    assert_eq!(step(None, None), Step::InSync);
    assert_eq!(step(Some(&v1), None), Step::Push);
    assert_eq!(step(None, Some(&v1)), Step::Take);
    assert_eq!(step(Some(&v1), Some(&v1)), Step::InSync);
    assert_eq!(step(Some(&edited), Some(&v1)), Step::Push);
    // A deletion in the same life wins over a later edit.
    assert_eq!(step(Some(&edited), Some(&deleted)), Step::Take);
    assert!(loses_edit(&edited, &deleted));
    assert!(loses_edit(&edited, &v1));
    assert!(!loses_edit(&deleted, &v1));
    assert_eq!(
        pick([v1.clone(), deleted.clone(), edited.clone()]),
        Some(deleted)
    );
}

#[test]
fn reconciling_keeps_the_queue_true_and_reports_edits_that_lost() {
    let a = article();
    let base = Entry::live(ann(&a, 1, Tag::Fact, 10, 20), Clock::new(Timestamp(5)));
    let later = |e: &Entry, n: &str, at: i64| {
        let mut x = e.clone();
        x.clock = e.clock.after(Timestamp(at));
        if let Some(y) = &mut x.annotation {
            y.note = n.into();
        }
        x
    };
    // 1: same on both sides, queued; 2: mine queued, the server's later;
    // 3: mine later than the server's; 4: new from the server; 5: mine,
    // queued, deleted on the server; 6: the server's later, mine not queued.
    let v = |n: u32| Entry::live(ann(&a, n, Tag::Quote, 30, 40), Clock::new(Timestamp(5)));
    let (v1, v2, v3, v4, v5, v6) = (v(1), v(2), v(3), v(4), v(5), v(6));
    let mine: HashMap<_, _> = [
        v1.clone(),
        later(&v2, "mine", 6),
        later(&v3, "mine", 9),
        later(&v5, "mine", 6),
        v6.clone(),
    ]
    .into_iter()
    .map(|e| (e.id.clone(), e))
    .collect();
    let mut q = Queue::default();
    q.add(&a.id, [&id(1), &id(2), &id(5)]);
    let deleted5 = Entry::deleted(id(5), v5.clock.after(Timestamp(7)));
    let server = vec![
        v1.clone(),
        later(&v2, "theirs", 8),
        v3.clone(),
        v4.clone(),
        deleted5.clone(),
        later(&v6, "theirs", 8),
    ];
    let r = reconcile(&a.id, server, &mine, &mut q);
    assert!(r.queue_changed);
    assert_eq!(
        r.take,
        vec![
            later(&v2, "theirs", 8),
            v4,
            deleted5,
            later(&v6, "theirs", 8)
        ]
    );
    // In sync and taken-over ids left the queue; the one that wins here joined it.
    assert_eq!(q.of(&a.id), vec![id(3)]);
    // It replaces a different version it never saw: named for the push.
    assert_eq!(r.overwrites, vec![(id(3), v3.clock)]);
    let lost: Vec<(AnnotationId, &str)> = r
        .lost
        .iter()
        .map(|Lost { annotation, by, .. }| (annotation.id.clone(), by.as_str()))
        .collect();
    assert_eq!(
        lost,
        vec![
            (id(2), "a later change from the team"),
            (id(5), "a deletion from the team")
        ]
    );
    assert_eq!(r.lost[0].annotation.note, "mine");
    // Nothing to say when everything already agrees.
    let mut q = Queue::default();
    let same = reconcile(
        &a.id,
        vec![base.clone()],
        &HashMap::from([(base.id.clone(), base)]),
        &mut q,
    );
    assert!(!same.queue_changed && same.take.is_empty() && same.lost.is_empty());
}

/// Ana's edit reached the server; Ben, offline, edited the same annotation
/// later without seeing hers, and his write (after a conflict) wins. His
/// document says which version it overwrote, so Ana — whose sent version
/// it was — is told; nobody else is, and a version that had seen hers
/// tells nobody.
#[test]
fn an_edit_that_lost_after_reaching_the_server_is_reported_to_its_maker() {
    let a = article();
    let base = Entry::live(ann(&a, 1, Tag::Fact, 10, 20), Clock::new(Timestamp(5)));
    let edit = |n: &str, at: i64| {
        let mut x = base.clone();
        x.clock = base.clock.after(Timestamp(at));
        x.annotation.as_mut().unwrap().note = n.into();
        x
    };
    let (anas, bens) = (edit("ana", 6), edit("ben", 8));
    // Ben's client, writing over what it looked up: it overwrote Ana's.
    let over = overwrites_unseen(&anas, &bens);
    assert_eq!(over, Some(anas.clock));
    assert_eq!(overwrites_unseen(&bens, &bens), None, "the same version");
    // The mark travels in the document and is read back.
    let d: Value = serde_json::from_str(&encode_annotation_over(
        &a.id,
        &bens,
        Some("2-b"),
        None,
        over,
    ))
    .unwrap();
    assert_eq!(d["overwrote"], json!({ "life": 0, "changed": 6 }));
    let r = read_annotation(&d, &a).unwrap().unwrap();
    assert_eq!(r.overwrote, Some(anas.clock));
    // A malformed mark is ignored (it only decides a message).
    let mut odd = d.clone();
    odd["overwrote"] = json!("yesterday");
    assert_eq!(read_annotation(&odd, &a).unwrap().unwrap().overwrote, None);

    // Ana sent that version and still holds it: told, with her note.
    let lost = lost_after_sending(&a.id, Some(&anas), &bens, r.overwrote, Some(anas.clock))
        .expect("ana is told");
    assert_eq!(lost.annotation.note, "ana");
    assert_eq!(lost.by, "a later change from the team");
    // Someone who only received Ana's version (sent nothing) is not told;
    // nor is Ana when Ben's version had seen hers (no mark), nor when she
    // has edited again since (her newer version is not the one overwritten).
    assert!(lost_after_sending(&a.id, Some(&anas), &bens, r.overwrote, None).is_none());
    assert!(lost_after_sending(&a.id, Some(&anas), &bens, None, Some(anas.clock)).is_none());
    let again = edit("ana again", 7);
    assert!(
        lost_after_sending(&a.id, Some(&again), &bens, r.overwrote, Some(again.clock)).is_none()
    );
}

/// What the live region says when changes arrive from the team: one is
/// named (new, by whom; changed; deleted), with its quote; more are counted.
#[test]
fn changes_from_the_team_are_said_in_words() {
    let a = article();
    let mut made = ann(&a, 1, Tag::Quote, 10, 20);
    made.author = Some("ana".into());
    let new = Entry::live(made.clone(), Clock::new(Timestamp(5)));
    let quote = made.quote.exact.clone();
    let none = HashMap::new();
    assert_eq!(
        status::team_changes(std::slice::from_ref(&new), &none),
        format!("From the team: a new Quote by ana, “{quote}”")
    );
    let had = HashMap::from([(new.id.clone(), new.clone())]);
    let mut edited = new.clone();
    edited.annotation.as_mut().unwrap().note = "checked".into();
    assert_eq!(
        status::team_changes(std::slice::from_ref(&edited), &had),
        format!("From the team: Quote changed, “{quote}”")
    );
    let gone = Entry::deleted(new.id.clone(), new.clock.after(Timestamp(9)));
    assert_eq!(
        status::team_changes(std::slice::from_ref(&gone), &had),
        format!("From the team: Quote deleted, “{quote}”")
    );
    assert_eq!(
        status::team_changes(&[new.clone(), gone], &none),
        "2 changes from the team"
    );
}

#[test]
fn the_queue_survives_a_round_trip_and_an_unreadable_one_reads_empty() {
    let a = article();
    let mut q = Queue::default();
    assert!(q.add(&a.id, [&id(1), &id(2)]));
    assert!(!q.add(&a.id, [&id(1)]));
    assert_eq!(q.len(), 2);
    let back = Queue::read(Some(&q.encode()));
    assert_eq!(back, q);
    assert_eq!(back.of(&a.id), vec![id(1), id(2)]);
    let mut q = back;
    assert!(q.remove(&a.id, &id(1)));
    assert!(!q.contains(&a.id, &id(1)));
    assert!(q.remove(&a.id, &id(2)));
    assert!(q.is_empty() && q.articles().is_empty());
    assert_eq!(Queue::read(Some("{not json")), Queue::default());
    assert_eq!(Queue::read(None), Queue::default());
    let k1 = checkpoint_key("https://couch.example.org/desk", &a.id);
    let k2 = checkpoint_key("https://couch.example.org/other", &a.id);
    assert_ne!(k1, k2);
    assert!(k1.starts_with("claimmark:v1:team:since:") && k1.ends_with(&a.id.0));
    let c = Config {
        url: "https://x.org/db".into(),
        user: "ana".into(),
    };
    assert_eq!(Config::read(Some(&c.encode())), Some(c.clone()));
    assert!(!c.encode().contains("password"));
}

#[test]
fn database_addresses_are_checked_in_words() {
    assert_eq!(
        check_db_url(" https://couch.example.org/newsdesk/ ").unwrap(),
        "https://couch.example.org/newsdesk"
    );
    assert_eq!(
        check_db_url("http://127.0.0.1:5984/team-1").unwrap(),
        "http://127.0.0.1:5984/team-1"
    );
    assert!(check_db_url("couch.example.org/newsdesk")
        .unwrap_err()
        .contains("https://"));
    assert!(check_db_url("https://couch.example.org")
        .unwrap_err()
        .contains("database"));
    assert!(check_db_url("https://couch.example.org/News")
        .unwrap_err()
        .contains("not a database name"));
}

proptest! {
    #[test]
    fn backoff_grows_stays_within_its_bounds_and_is_capped(attempt in 0u32..40, r in 0.0f64..1.0) {
        let d = backoff::delay_ms(attempt, r) as u64;
        let full = (backoff::BASE_MS << attempt.min(16)).min(backoff::CAP_MS);
        prop_assert!(d >= full / 2 && d <= full);
        prop_assert!(d <= backoff::CAP_MS);
    }
}

#[test]
fn backoff_spreads_clients_and_survives_odd_input() {
    assert_eq!(backoff::delay_ms(0, 0.0), 500);
    assert_eq!(backoff::delay_ms(0, 1.0), 1000);
    assert_eq!(backoff::delay_ms(3, 0.5), 6000);
    assert_eq!(backoff::delay_ms(30, 0.0), 30_000);
    assert_eq!(backoff::delay_ms(2, f64::NAN), 3000);
}

#[test]
fn the_status_says_where_sync_stands() {
    let cases = [
        (Status::Synced, "Synced"),
        (
            Status::Syncing {
                done: 1200,
                total: Some(10_000),
            },
            "Syncing 1,200 of 10,000",
        ),
        (
            Status::Syncing {
                done: 1000,
                total: None,
            },
            "Syncing 1,000…",
        ),
        (
            Status::Offline { waiting: 3 },
            "Offline — 3 changes waiting",
        ),
        (Status::Offline { waiting: 1 }, "Offline — 1 change waiting"),
        (Status::WrongPassword, "Wrong password"),
        (Status::NotMember, "You are not a member of this database"),
        (
            Status::Unreachable {
                retry_s: 8,
                waiting: 0,
            },
            "Server unreachable — retrying in 8 s",
        ),
        (
            Status::Unreachable {
                retry_s: 8,
                waiting: 2,
            },
            "Server unreachable — retrying in 8 s; 2 changes waiting",
        ),
        (
            Status::SignedOut { waiting: 1234 },
            "Signed out — 1,234 changes waiting; sign in to sync",
        ),
        (Status::Off, ""),
    ];
    for (s, words) in cases {
        assert_eq!(s.words(), words);
    }
    assert!(Status::WrongPassword.is_problem() && !Status::Synced.is_problem());
}

#[test]
fn the_status_is_said_when_its_kind_changes_and_settles_by_the_queue() {
    let syncing = |done| Status::Syncing { done, total: None };
    // Counts moving are not news; arriving at synced, offline or a problem is.
    assert!(!syncing(2000).worth_saying(&syncing(1000)));
    assert!(!syncing(0).worth_saying(&Status::Connecting));
    assert!(Status::Synced.worth_saying(&syncing(1000)));
    assert!(!Status::Synced.worth_saying(&Status::Synced));
    assert!(Status::WrongPassword.worth_saying(&Status::Connecting));
    assert!(!Status::Offline { waiting: 2 }.worth_saying(&Status::Offline { waiting: 1 }));
    assert!(!Status::Sending { waiting: 1 }.worth_saying(&Status::Synced));

    let facts = Facts {
        configured: true,
        signed_in: true,
        answered: true,
        waiting: 3,
        ..Facts::default()
    };
    let of = |f: Facts| Status::of(&f);
    assert_eq!(
        of(Facts {
            configured: false,
            ..facts.clone()
        }),
        Status::Off
    );
    assert_eq!(
        of(Facts {
            signed_in: false,
            ..facts.clone()
        }),
        Status::SignedOut { waiting: 3 }
    );
    assert_eq!(
        of(Facts {
            signed_in: false,
            connecting: true,
            ..facts.clone()
        }),
        Status::Connecting
    );
    assert_eq!(
        of(Facts {
            syncing: Some((500, None)),
            ..facts.clone()
        }),
        syncing(500)
    );
    assert_eq!(
        of(Facts {
            waiting: 0,
            ..facts.clone()
        }),
        Status::Synced
    );
    assert_eq!(of(facts.clone()), Status::Sending { waiting: 3 });
    // "Synced" only after an answer: trouble is cleared by nothing else,
    // and it outranks everything the loops do meanwhile.
    assert_eq!(
        of(Facts {
            waiting: 0,
            answered: false,
            ..facts.clone()
        }),
        Status::Connecting
    );
    let cut = Facts {
        waiting: 0,
        trouble: Some(Trouble::Unreachable { retry_s: 4 }),
        ..facts.clone()
    };
    assert_eq!(
        of(cut.clone()),
        Status::Unreachable {
            retry_s: 4,
            waiting: 0
        }
    );
    assert_eq!(
        of(Facts {
            syncing: Some((0, None)),
            ..cut.clone()
        }),
        Status::Unreachable {
            retry_s: 4,
            waiting: 0
        }
    );
    assert_eq!(
        of(Facts {
            trouble: Some(Trouble::Offline),
            ..facts.clone()
        }),
        Status::Offline { waiting: 3 }
    );
    // A failed sign-in shows why, signed out.
    assert_eq!(
        of(Facts {
            signed_in: false,
            trouble: Some(Trouble::WrongPassword),
            ..facts.clone()
        }),
        Status::WrongPassword
    );
    // Waiting longer is not news; getting through is.
    let later = Status::Unreachable {
        retry_s: 16,
        waiting: 0,
    };
    assert!(!later.worth_saying(&of(cut)));
    assert!(Status::Synced.worth_saying(&later));
    assert_eq!(status::count(12_345, "change", "changes"), "12,345 changes");
    assert_eq!(status::count(1, "change", "changes"), "1 change");
}

// ------------------------------------------------------------- the author

#[test]
fn annotations_made_while_signed_in_carry_the_author_and_signing_in_claims_the_rest() {
    let a = article();
    let mut s = State::new(a.clone(), vec![]);
    s.reduce(Action::Create(ann(&a, 1, Tag::Fact, 10, 20)));
    assert_eq!(s.get(&id(1)).unwrap().author, None);
    let before = s.clock(&id(1)).unwrap();
    s.reduce(Action::SetAuthor {
        author: Some("ana".into()),
        now: Timestamp(1_900_000_000_000),
    });
    assert_eq!(s.get(&id(1)).unwrap().author.as_deref(), Some("ana"));
    assert_eq!(s.touched(), &[id(1)], "the claim is saved and shared");
    assert!(s.clock(&id(1)).unwrap() > before);
    s.reduce(Action::Create(ann(&a, 2, Tag::Quote, 30, 40)));
    assert_eq!(s.get(&id(2)).unwrap().author.as_deref(), Some("ana"));
    // Someone else's stays theirs when edited here.
    let mut bens = ann(&a, 3, Tag::Fact, 50, 60);
    bens.author = Some("ben".into());
    s.reduce(Action::Merge {
        entries: vec![Entry::live(bens, Clock::new(Timestamp(1)))],
    });
    s.reduce(Action::SetNote {
        id: id(3),
        note: "x".into(),
        now: Timestamp(1_900_000_000_100),
    });
    assert_eq!(s.get(&id(3)).unwrap().author.as_deref(), Some("ben"));
    // Opening another article keeps who is signed in.
    s.reduce(Action::Restore {
        article: a.clone(),
        annotations: vec![],
        tombstones: vec![],
    });
    assert_eq!(s.author(), Some("ana"));
    s.reduce(Action::SetAuthor {
        author: None,
        now: Timestamp(1_900_000_000_200),
    });
    s.reduce(Action::Create(ann(&a, 4, Tag::Quote, 70, 80)));
    assert_eq!(s.get(&id(4)).unwrap().author, None);
}

#[test]
fn a_refused_change_is_reverted_and_a_lost_edit_can_be_brought_back_undoably() {
    let a = article();
    let mut mine = ann(&a, 1, Tag::Fact, 10, 20);
    mine.note = "mine".into();
    let mut s = State::new(a.clone(), vec![mine.clone()]);
    let server = Entry::live(ann(&a, 1, Tag::Fact, 10, 20), Clock::new(Timestamp(1)));
    // Older by the rule, but the server's: it stands.
    s.reduce(Action::Revert {
        entries: vec![server.clone()],
        announce: "Refused".into(),
    });
    assert_eq!(s.entry(&id(1)), Some(server));
    assert_eq!(s.announcement, "Refused");
    assert!(s.touched().is_empty());
    s.reduce(Action::Reapply {
        annotation: mine.clone(),
        label: "Your version brought back".into(),
        now: Timestamp(1_900_000_000_000),
    });
    assert_eq!(s.get(&id(1)).unwrap().note, "mine");
    assert_eq!(s.touched(), &[id(1)]);
    s.reduce(Action::Undo {
        now: Timestamp(1_900_000_000_001),
    });
    assert_eq!(s.get(&id(1)).unwrap().note, "");
    // A deleted one comes back in a new life.
    s.reduce(Action::Delete {
        id: id(1),
        now: Timestamp(1_900_000_000_002),
    });
    let life = s.clock(&id(1)).unwrap().life;
    s.reduce(Action::Reapply {
        annotation: mine,
        label: "back".into(),
        now: Timestamp(1_900_000_000_003),
    });
    assert_eq!(s.clock(&id(1)).unwrap().life, life + 1);
}

#[test]
fn the_author_is_stored_exported_and_imported() {
    let a = article();
    let x = full(&a);
    let stored = serde_json::to_string(&StoredAnnotation::of(&x, Clock::new(x.modified))).unwrap();
    assert!(stored.contains(r#""author":"ana""#));
    let (back, _) = serde_json::from_str::<StoredAnnotation>(&stored)
        .unwrap()
        .into_parts();
    assert_eq!(back.author.as_deref(), Some("ana"));
    // Older stored annotations have none.
    let (old, _) = serde_json::from_str::<StoredAnnotation>(
        r#"{"id":"x","tag":"fact","span":{"start":1,"end":2},"created":1}"#,
    )
    .unwrap()
    .into_parts();
    assert_eq!(old.author, None);
    let list = [Rc::new(x)];
    let cm = formats::export(
        formats::Format::Claimmark,
        &a,
        &list,
        &formats::Context::default(),
    );
    assert!(cm.contains(r#""author": "ana""#));
    let w3c = formats::export(
        formats::Format::W3c,
        &a,
        &list,
        &formats::Context::default(),
    );
    let v: Value = serde_json::from_str(&w3c).unwrap();
    assert_eq!(
        v["first"]["items"][0]["creator"],
        json!({"type": "Person", "name": "ana"})
    );
    for file in [cm, w3c] {
        let parsed = formats::read(file.as_bytes()).unwrap();
        assert_eq!(parsed.items[0].author.as_deref(), Some("ana"));
    }
}

#[test]
fn the_author_filter_appears_with_two_authors_and_filters_by_name() {
    let a = article();
    let mut x = ann(&a, 1, Tag::Fact, 10, 20);
    x.author = Some("ana".into());
    let mut y = ann(&a, 2, Tag::Fact, 30, 40);
    y.author = Some("ben".into());
    let z = ann(&a, 3, Tag::Fact, 50, 60);
    assert!(AuthorFilter::choices(&[x.clone(), z.clone()]).len() == 3);
    assert!(
        AuthorFilter::choices(std::slice::from_ref(&x)).is_empty(),
        "one author: no filter"
    );
    assert!(
        AuthorFilter::choices(std::slice::from_ref(&z)).is_empty(),
        "no author: no filter"
    );
    let choices = AuthorFilter::choices(&[y.clone(), x.clone(), z.clone()]);
    assert_eq!(
        choices,
        vec![
            AuthorFilter::Anyone,
            AuthorFilter::Only("ana".into()),
            AuthorFilter::Only("ben".into()),
            AuthorFilter::Nobody
        ]
    );
    for c in &choices {
        assert_eq!(&AuthorFilter::from_key(&c.key()), c);
    }
    let f = Filter::default().with_author(AuthorFilter::Only("ben".into()));
    assert!(!f.is_open());
    let kept: Vec<_> = [&x, &y, &z]
        .into_iter()
        .filter(|a| f.fits(a))
        .map(|a| a.id.clone())
        .collect();
    assert_eq!(kept, vec![id(2)]);
    assert!(Filter::default().with_author(AuthorFilter::Nobody).fits(&z));
}

// ------------------------------------------------- answers, a row at a time

/// `"deep"` inside `n` lists.
fn nested(n: usize) -> String {
    format!("{}\"deep\"{}", "[".repeat(n), "]".repeat(n))
}

#[test]
fn one_document_nested_past_any_readers_depth_stops_nothing_and_is_named() {
    let a = article();
    let good = |n: u32| {
        let e = Entry::live(ann(&a, n, Tag::Quote, 0, 4), Clock::new(Timestamp(9)));
        encode_annotation(&a.id, &e, Some("1-a"), Some("ana"))
    };
    let with_extra = |doc: String, field: &str, value: &str| {
        format!("{},\"{field}\":{value}}}", doc.trim_end_matches('}'))
    };
    // Row 2: a field claimmark does not read, nested 126 deep (the server's
    // old rules let a member write it); row 3: a field it reads, nested
    // 200 deep; row 4 is not a row at all.
    let rows = [
        format!(
            "{{\"seq\":1,\"id\":\"{}\",\"doc\":{}}}",
            ann_doc_id(&a.id, &id(1)),
            good(1)
        ),
        format!(
            "{{\"seq\":2,\"id\":\"{}\",\"doc\":{}}}",
            ann_doc_id(&a.id, &id(2)),
            with_extra(good(2), "extra", &nested(126))
        ),
        format!(
            "{{\"seq\":3,\"id\":\"{}\",\"doc\":{}}}",
            ann_doc_id(&a.id, &id(3)),
            with_extra(good(3), "sources", &nested(200))
        ),
        "{\"seq\":4,\"id\":7}".to_string(),
        format!(
            "{{\"seq\":5,\"id\":\"{}\",\"doc\":{}}}",
            ann_doc_id(&a.id, &id(5)),
            good(5)
        ),
    ];
    let text = format!(
        "{{\"results\":[{}],\"last_seq\":\"5-abc\"}}",
        rows.join(",")
    );
    // Read whole, as a tree, the answer fails: nobody would get anything.
    assert!(serde_json::from_str::<Value>(&text).is_err());
    let page = wire::read_page(&text).unwrap();
    assert_eq!(page.last_seq.as_deref(), Some("\"5-abc\""));
    let (remotes, skipped) = wire::annotations(&page, &a);
    let got: Vec<AnnotationId> = remotes.iter().map(|r| r.entry.id.clone()).collect();
    assert_eq!(got, vec![id(1), id(2), id(5)]);
    assert_eq!(skipped.len(), 2);
    assert_eq!(skipped[0].doc_id, ann_doc_id(&a.id, &id(3)));
    assert!(
        skipped[0].reason.starts_with("its sources cannot be read"),
        "{}",
        skipped[0].reason
    );
    assert_eq!(skipped[1].doc_id, "row 4");
    // The same in an `_all_docs` answer, and in the team's list.
    let list_rows = format!(
        "{{\"total_rows\":2,\"offset\":0,\"rows\":[{{\"id\":\"list:{id}\",\"key\":\"list:{id}\",\"value\":{{\"rev\":\"1-a\"}},\"doc\":{}}},{{\"id\":\"list:{other}\",\"key\":\"list:{other}\",\"value\":{{\"rev\":\"1-b\"}},\"doc\":{}}}]}}",
        with_extra(encode_list_entry(&a, Some("ana")), "extra", &nested(126)),
        with_extra(
            encode_list_entry(&a, Some("mallory")).replace(&a.id.0, &"f".repeat(64)),
            "title",
            &nested(300)
        ),
        id = a.id.0,
        other = "f".repeat(64),
    );
    let page = wire::read_page(&list_rows).unwrap();
    let entries: Vec<_> = page.docs().filter_map(read_list_entry).collect();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0].id, a.id);
    assert_eq!(page.skipped().count(), 1);
    // Not an answer at all: said so.
    assert!(wire::read_page("<html>proxy error</html>").is_err());
    assert!(wire::read_page("{\"ok\":true}").is_err());
}

#[test]
fn a_database_address_with_credentials_in_it_is_refused_with_why() {
    let why = check_db_url("https://ana:secret@couch.example.org/newsdesk").unwrap_err();
    assert!(why.contains("leave them out of the address"), "{why}");
}
