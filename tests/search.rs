//! Searching the library: folding and tokens, the inverted index against
//! a plain scan (property), filters, keeping it current, building it from
//! storage, links' other ends, and near-duplicate claims.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::rc::Rc;

use claimmark::core::filter::{TagFilter, VerdictFilter};
use claimmark::core::links::EndState;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::search::text::{normalise, tokens};
use claimmark::core::search::{ArticleInfo, Library, Query};
use claimmark::core::storage::{self, Clock, Entry, MemoryStore};
use claimmark::core::{
    Action, Annotation, AnnotationId, Article, LinkKind, LinkTo, Span, State, Tag, Timestamp,
    Verdict,
};
use common::{find, id};
use proptest::prelude::*;

const NOW: Timestamp = Timestamp(1_764_300_000_000);

fn article(text: &str) -> Rc<Article> {
    Rc::new(parse_plain_text(text, None))
}

fn info(a: &Article, title: &str, opened: i64) -> ArticleInfo {
    ArticleInfo {
        id: a.id.clone(),
        title: title.into(),
        url: None,
        last_opened: Timestamp(opened),
    }
}

fn live(a: Annotation) -> Entry {
    let c = Clock::new(a.modified);
    Entry::live(a, c)
}

fn words(q: &str) -> Query {
    Query {
        text: q.into(),
        ..Query::default()
    }
}

#[test]
fn words_are_folded_for_case_diacritics_and_apostrophes() {
    assert_eq!(
        tokens("Café CAFÉ cafe\u{301} Straße Øre ÀÉÎÕÜ").list,
        ["cafe", "cafe", "cafe", "strasse", "ore", "aeiou"]
    );
    assert_eq!(tokens("Don't l’état").list, ["dont", "letat"]);
    assert_eq!(tokens("Ελλάδα Ёлка").list, ["ελλαδα", "елка"]);
    assert_eq!(
        normalise("  The U.S. flew — Maduro!  "),
        "the u s flew maduro"
    );
    let t = tokens("中文测试 and 日本語");
    assert_eq!(
        t.list,
        ["中文", "文测", "测试", "试", "and", "日本", "本語", "語"]
    );
    assert!(t.open_end);
    assert!(!tokens("cafe ").open_end);
}

/// Three articles: the seed-like one about Caracas, one in French, one in
/// Chinese, annotated by two people.
fn library() -> (Library, Vec<Rc<Article>>) {
    let a1 = article("Caracas talks\nThe U.S. military flew Maduro to New York on Monday.\nOfficials in Caracas denied it.");
    let a2 = article("Le café\nLe président a visité le café de Montréal.\nIl n'a rien dit.");
    let a3 = article("新闻\n中文测试的新闻报道。\n另一个段落。");
    let mut lib = Library::new();
    let mut x = Annotation::new(
        id(1),
        Tag::Fact,
        &a1,
        find(&a1, "flew Maduro to New York"),
        Timestamp(1000),
    );
    x.check.verdict = Some(Verdict::False);
    x.check.claim = "The U.S. military flew Maduro to New York.".into();
    x.check.claimant = "Newslooks".into();
    x.check.sources = vec!["https://example.org/flight-records".into()];
    x.author = Some("ana".into());
    let mut y = Annotation::new(
        id(2),
        Tag::Quote,
        &a1,
        find(&a1, "Officials in Caracas denied it"),
        Timestamp(2000),
    );
    y.note = "Denial by the Venezuelan government".into();
    y.author = Some("ben".into());
    let mut z = Annotation::new(
        id(3),
        Tag::Analysis,
        &a2,
        find(&a2, "visité le café"),
        Timestamp(3000),
    );
    z.check.explanation = "Une visite très médiatisée".into();
    let w = Annotation::new(
        id(4),
        Tag::Fact,
        &a3,
        find(&a3, "中文测试"),
        Timestamp(4000),
    );
    lib.sync_article(info(&a1, "Caracas talks", 30), [live(x), live(y)]);
    lib.sync_article(info(&a2, "Le café", 20), [live(z)]);
    lib.sync_article(info(&a3, "新闻", 10), [live(w)]);
    for a in [&a1, &a2, &a3] {
        lib.keep_text(a.clone());
    }
    (lib, vec![a1, a2, a3])
}

fn ids(lib: &Library, q: &Query) -> Vec<AnnotationId> {
    let found = lib.search(q);
    lib.hits(&found, 0..found.len())
        .into_iter()
        .map(|h| h.id)
        .collect()
}

#[test]
fn every_field_is_searched_across_articles_with_prefixes_while_typing() {
    let (lib, _) = library();
    assert_eq!(ids(&lib, &words("maduro")), [id(1)], "quote and claim");
    assert_eq!(ids(&lib, &words("venezuelan government")), [id(2)], "note");
    assert_eq!(
        ids(&lib, &words("mediatisee")),
        [id(3)],
        "explanation, without its accents"
    );
    assert_eq!(ids(&lib, &words("NEWSLOOKS")), [id(1)], "claimant");
    assert_eq!(ids(&lib, &words("flight records")), [id(1)], "sources");
    assert_eq!(ids(&lib, &words("文测")), [id(4)], "Chinese by pairs");
    assert_eq!(
        ids(&lib, &words("试")),
        [id(4)],
        "and by a run's last character"
    );
    assert_eq!(
        ids(&lib, &words("Caf")),
        [id(3)],
        "the word being typed is a prefix"
    );
    assert!(
        ids(&lib, &words("Caf ")).is_empty(),
        "a finished word is whole"
    );
    assert_eq!(ids(&lib, &words("cara")), [id(2)]);
    let all = lib.search(&words(""));
    assert_eq!(all.len(), 4);
    assert_eq!(all.words(), "4 annotations in 3 articles");
    assert_eq!(lib.search(&words("zzz")).words(), "No annotations found");
    // Library order: the article opened last first, then document order.
    assert_eq!(ids(&lib, &words("")), [id(1), id(2), id(3), id(4)]);
}

#[test]
fn filters_by_tag_verdict_author_article_and_date() {
    let (lib, arts) = library();
    let q = |f: fn(&mut Query)| {
        let mut q = Query::default();
        f(&mut q);
        q
    };
    assert_eq!(
        ids(&lib, &q(|q| q.tag = TagFilter::Only(Tag::Fact))),
        [id(1), id(4)]
    );
    assert_eq!(
        ids(&lib, &q(|q| q.verdict = VerdictFilter::Is(Verdict::False))),
        [id(1)]
    );
    assert_eq!(ids(&lib, &q(|q| q.author = Some("ben".into()))), [id(2)]);
    assert_eq!(
        ids(&lib, &q(|q| q.author = Some(String::new()))),
        [id(3), id(4)]
    );
    assert_eq!(lib.authors(), ["ana", "ben"]);
    let by_article = Query {
        article: Some(arts[1].id.clone()),
        ..Query::default()
    };
    assert_eq!(ids(&lib, &by_article), [id(3)]);
    assert_eq!(
        ids(&lib, &q(|q| q.since = Some(Timestamp(2500)))),
        [id(3), id(4)]
    );
    let mut both = words("caracas");
    both.tag = TagFilter::Only(Tag::Fact);
    assert!(ids(&lib, &both).is_empty());
}

#[test]
fn the_index_follows_edits_deletions_and_removed_articles() {
    let (mut lib, arts) = library();
    let a1 = &arts[0];
    let mut x = Annotation::new(
        id(1),
        Tag::Fact,
        a1,
        find(a1, "flew Maduro"),
        Timestamp(1000),
    );
    x.note = "now about aircraft".into();
    lib.put(
        &a1.id,
        &Entry::live(
            x.clone(),
            Clock {
                life: 0,
                changed: Timestamp(5000),
            },
        ),
    );
    assert_eq!(ids(&lib, &words("aircraft")), [id(1)]);
    assert!(
        ids(&lib, &words("newslooks")).is_empty(),
        "the old version's words are gone"
    );
    // The same version again changes nothing.
    lib.put(
        &a1.id,
        &Entry::live(
            x,
            Clock {
                life: 0,
                changed: Timestamp(5000),
            },
        ),
    );
    assert_eq!(lib.len(), 4);
    lib.put(
        &a1.id,
        &Entry::deleted(
            id(1),
            Clock {
                life: 0,
                changed: Timestamp(6000),
            },
        ),
    );
    assert!(ids(&lib, &words("aircraft")).is_empty());
    assert_eq!(lib.len(), 3);
    lib.remove_article(&arts[2].id);
    assert!(ids(&lib, &words("文测")).is_empty());
    assert_eq!(
        lib.search(&words("")).words(),
        "2 annotations in 2 articles"
    );
}

#[test]
fn built_from_storage_with_links_ends_and_backlinks() {
    let store = MemoryStore::new();
    let a1 = article("One\nThe first article says the bridge collapsed in 1998.\nMore text here.");
    let a2 = article("Two\nRecords show the bridge was closed, not collapsed, in 1998.\nEnd.");
    let mut s1 = State::new(a1.clone(), vec![]);
    s1.reduce(Action::Create(Annotation::new(
        id(1),
        Tag::Fact,
        &a1,
        find(&a1, "the bridge collapsed in 1998"),
        NOW,
    )));
    s1.reduce(Action::Create(Annotation::new(
        id(5),
        Tag::Quote,
        &a1,
        find(&a1, "More text"),
        NOW,
    )));
    storage::save(&store, &s1, NOW, &[]).unwrap();
    let mut s2 = State::new(a2.clone(), vec![]);
    s2.reduce(Action::Create(Annotation::new(
        id(2),
        Tag::Quote,
        &a2,
        find(&a2, "closed, not collapsed"),
        NOW,
    )));
    s2.reduce(Action::Create(Annotation::new(
        id(3),
        Tag::Quote,
        &a2,
        find(&a2, "Records show"),
        NOW,
    )));
    for (from, to, kind) in [(2, 1, LinkKind::Contradicts), (3, 5, LinkKind::Supports)] {
        s2.reduce(Action::Link {
            id: id(from),
            to: LinkTo {
                article: a1.id.clone(),
                id: id(to),
                kind,
            },
            about: String::new(),
            now: NOW,
        });
    }
    s2.reduce(Action::Link {
        id: id(2),
        to: LinkTo {
            article: claimmark::core::ArticleId("e".repeat(64)),
            id: id(9),
            kind: LinkKind::SameClaim,
        },
        about: String::new(),
        now: NOW,
    });
    storage::save(&store, &s2, NOW, &[]).unwrap();
    // The source of one link deleted: it keeps its link.
    s2.reduce(Action::Delete {
        id: id(3),
        now: NOW,
    });
    storage::save(&store, &s2, NOW, &[]).unwrap();
    let lib = Library::build(&store);
    assert_eq!(
        lib.search(&words("bridge")).words(),
        "1 annotation in 1 article"
    );
    assert_eq!(
        lib.search(&words("records")).len(),
        0,
        "the deleted one is not found"
    );
    // The fact in article one shows the link from article two.
    let back = lib.backlinks(&store, &a1.id, &id(1));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].kind, LinkKind::Contradicts);
    assert_eq!(back[0].from.state, EndState::Live);
    assert_eq!(back[0].from.quote, "closed, not collapsed");
    // The quote whose linking source was deleted says the link is broken.
    let back = lib.backlinks(&store, &a1.id, &id(5));
    assert_eq!(back.len(), 1);
    assert_eq!(back[0].from.state, EndState::Deleted);
    // Other ends, as the source sees them.
    assert_eq!(lib.end(&store, &a1.id, &id(1)).state, EndState::Live);
    assert_eq!(lib.end(&store, &a1.id, &id(77)).state, EndState::Missing);
    assert_eq!(
        lib.end(&store, &claimmark::core::ArticleId("e".repeat(64)), &id(9))
            .state,
        EndState::Elsewhere
    );
    assert_eq!(lib.end(&store, &a2.id, &id(3)).state, EndState::Deleted);
    let stats = lib.stats();
    assert_eq!((stats.articles, stats.annotations), (2, 3));
}

#[test]
fn a_nearly_identical_claim_is_found_as_checked_before() {
    let (lib, arts) = library();
    let near = lib.checked_before(
        &["US military flew Maduro to New York"],
        (&arts[0].id, &id(99)),
    );
    assert_eq!(near.len(), 1, "{near:?}");
    assert_eq!(near[0].0.id, id(1));
    assert_eq!(near[0].0.verdict, Some(Verdict::False));
    assert!(near[0].1 >= 0.5);
    // Itself is not "before"; unrelated claims are not near.
    assert!(lib
        .checked_before(
            &["The U.S. military flew Maduro to New York."],
            (&arts[0].id, &id(1))
        )
        .is_empty());
    assert!(lib
        .checked_before(
            &["Inflation in Argentina fell to 3 percent"],
            (&arts[0].id, &id(99))
        )
        .is_empty());
}

/// A small vocabulary, so random notes share words and queries find some.
const VOCAB: &[&str] = &[
    "café", "cafe", "maduro", "madrid", "flight", "flew", "中文", "测试", "Ёлка", "don't", "new",
    "newer", "York",
];

fn note() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..5).prop_map(|w| w.join(" "))
}

fn query() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(VOCAB), 1..3),
        0usize..4,
        any::<bool>(),
    )
        .prop_map(|(w, cut, open)| {
            let mut q = w.join(" ");
            // Cut the last word short, as while typing.
            for _ in 0..cut.min(q.chars().count().saturating_sub(1)) {
                q.pop();
            }
            if !open {
                q.push(' ');
            }
            q
        })
}

/// What a plain scan finds: every query token among the note's tokens (the
/// last one, while typed, as a prefix of one).
fn scan(notes: &[(u32, String)], q: &str) -> Vec<AnnotationId> {
    let qt = tokens(q);
    let mut out: Vec<AnnotationId> = notes
        .iter()
        .filter(|(_, n)| {
            let nt = tokens(n).list;
            qt.list.iter().enumerate().all(|(i, t)| {
                if i + 1 == qt.list.len() && qt.open_end {
                    nt.iter().any(|x| x.starts_with(t.as_str()))
                } else {
                    nt.contains(t)
                }
            })
        })
        .map(|(n, _)| id(*n))
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The index finds exactly what a scan of every note finds, also after
    /// notes were changed one by one (so dead versions never show).
    #[test]
    fn the_index_finds_what_a_scan_finds(
        first in prop::collection::vec(note(), 1..12),
        edits in prop::collection::vec((0usize..12, note()), 0..12),
        q in query(),
    ) {
        let a = article("Title\nSome text to annotate here, long enough for spans.");
        let mut lib = Library::new();
        let mut notes: Vec<(u32, String)> = Vec::new();
        let mut tick = 0i64;
        let mut put = |lib: &mut Library, n: u32, text: &str| {
            tick += 1;
            let mut x = Annotation::new(id(n), Tag::Quote, &a, Span::new(0, 5), Timestamp(tick));
            x.note = text.to_string();
            x.quote.exact.clear();
            lib.put(&a.id, &live(x));
        };
        for (i, n) in first.iter().enumerate() {
            put(&mut lib, i as u32, n);
            notes.push((i as u32, n.clone()));
        }
        for (i, n) in edits {
            let i = i % notes.len();
            put(&mut lib, notes[i].0, &n);
            notes[i].1 = n;
        }
        let mut got = ids(&lib, &words(&q));
        got.sort();
        prop_assert_eq!(got, scan(&notes, &q));
    }
}

#[test]
fn many_edits_compact_the_lists_and_find_only_the_latest() {
    let a = article("Title\nSome text to annotate here.");
    let mut lib = Library::new();
    for i in 0..3000 {
        let mut x = Annotation::new(id(1), Tag::Quote, &a, Span::new(0, 5), Timestamp(i));
        x.note = format!("word{i} common thing here");
        lib.put(&a.id, &live(x));
    }
    assert_eq!(ids(&lib, &words("word2999")), [id(1)]);
    assert!(ids(&lib, &words("word17 ")).is_empty());
    assert_eq!(ids(&lib, &words("common")), [id(1)]);
    let stats = lib.stats();
    assert!(stats.postings < 3000, "compacted: {stats:?}");
}

#[test]
fn links_changed_says_when_an_end_of_a_link_goes_or_comes_back() {
    let a = article("T\nOne two three four five six seven.");
    let mut lib = Library::new();
    let mut x = Annotation::new(id(1), Tag::Quote, &a, Span::new(2, 5), Timestamp(1));
    let y = Annotation::new(id(2), Tag::Fact, &a, Span::new(6, 9), Timestamp(1));
    x.links = vec![LinkTo {
        article: a.id.clone(),
        id: id(2),
        kind: LinkKind::Supports,
    }];
    lib.put(&a.id, &live(y));
    assert!(!lib.take_links_changed());
    lib.put(&a.id, &live(x.clone()));
    assert!(lib.take_links_changed(), "a link made");
    // The source deleted, keeping its link: its target must say so.
    let gone = Entry::deleted(
        id(1),
        Clock {
            life: 0,
            changed: Timestamp(2),
        },
    )
    .keeping(x.links.clone());
    lib.put(&a.id, &gone);
    assert!(lib.take_links_changed(), "the source deleted");
    // The target deleted.
    lib.put(
        &a.id,
        &Entry::deleted(
            id(2),
            Clock {
                life: 0,
                changed: Timestamp(3),
            },
        ),
    );
    assert!(lib.take_links_changed(), "the target deleted");
    // Something unrelated changes nothing links show.
    lib.put(
        &a.id,
        &live(Annotation::new(
            id(3),
            Tag::Fact,
            &a,
            Span::new(10, 13),
            Timestamp(4),
        )),
    );
    assert!(!lib.take_links_changed());
}
