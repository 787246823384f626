//! Write a benchmark workload as the app would have stored it:
//! `cargo run --release --example workload -- BYTES ANNOTATIONS OUT.json`
//! (BYTES = 0 for the seed article).
//!
//! OUT holds `{ "entries": { key: value, … }, "chars": N, "annotations": N }`:
//! the local-storage entries a returning user's browser would have (the
//! paint description of the article open last included).
//!
//! With `--export FILE`, also the annotations as claimmark JSON (for the
//! import benchmark); with `--revised FILE`, the article as plain text with
//! ~5 % of its words replaced (for re-anchoring onto a new version); with
//! `--web FILE`, as many annotations again as a web annotator would have
//! made them on a page showing the article (paragraphs joined with no
//! newline here, a blank line there; positions counting the page's
//! navigation), as
//! W3C Web Annotation — and OUT then also says how many of them anchor
//! exactly (`webQuotes`); with `--team FILE`, the documents a team's
//! CouchDB database would hold for the article and its annotations (made by
//! `ana`), as a `_bulk_docs` body (for the team benchmark).
//!
//! With `--library K`, OUT holds a whole library instead: K articles of
//! BYTES each (different texts), each with ANNOTATIONS annotations that
//! carry notes, and facts with a claim and a verdict (for the search
//! benchmark); OUT also lists a few `queries`.

#[path = "../bench/workload.rs"]
mod workload;

use std::rc::Rc;

use claimmark::core::storage;
use claimmark::core::storage::{MemoryStore, Store};
use claimmark::core::{State, Timestamp};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(bytes), Some(n), Some(out)) = (args.get(1), args.get(2), args.get(3)) else {
        eprintln!("usage: workload BYTES ANNOTATIONS OUT.json");
        std::process::exit(2);
    };
    let bytes: usize = bytes.parse().expect("BYTES is a number");
    let n: usize = n.parse().expect("ANNOTATIONS is a number");
    if let Some(k) = args
        .iter()
        .position(|a| a == "--library")
        .and_then(|i| args.get(i + 1))
    {
        library(bytes, n, k.parse().expect("--library K"), out);
        return;
    }
    // BYTES = 0: the seed article itself.
    let article = Rc::new(if bytes == 0 {
        claimmark::core::seed_article()
    } else {
        workload::article(bytes, 42)
    });
    assert!(
        article.text().chars().all(|c| (c as u32) < 0x10000),
        "the baseline page counts UTF-16 units: keep generated text in the BMP"
    );
    let list = workload::annotations(&article, n, 7);
    let count = list.len();
    let state = State::new(article.clone(), list);
    let store = MemoryStore::new();
    storage::save(&store, &state, Timestamp(1_770_000_000_000), &[]).expect("in-memory save");
    // As the app keeps it for the article open last (the first paint's).
    storage::save_paint(&store, &article).expect("in-memory save");
    let entries: serde_json::Map<String, serde_json::Value> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| {
            let v = store.get(&k).unwrap().unwrap();
            (k, serde_json::Value::String(v))
        })
        .collect();
    let flag = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
    };
    let web = flag("--web").map(|path| web_quotes(&article, n, path));
    let doc = serde_json::json!({
        "webQuotes": web,
        "entries": entries,
        "articleId": article.id.0,
        "recordKey": storage::article_key(&article.id),
        "chars": article.len_chars(),
        "bytes": article.text().len(),
        "annotations": count,
    });
    std::fs::write(out, serde_json::to_string(&doc).unwrap()).expect("write OUT");
    if let Some(path) = flag("--export") {
        let text = claimmark::core::formats::claimmark::write(
            &article,
            state.annotations(),
            Timestamp(1_770_000_000_000),
        );
        std::fs::write(path, text).expect("write --export");
    }
    if let Some(path) = flag("--team") {
        use claimmark::core::sync::doc;
        let mut docs = vec![
            doc::encode_article(&article),
            doc::encode_list_entry(&article, Some("ana")),
        ];
        for e in state.entries() {
            let mut e = e;
            if let Some(a) = &mut e.annotation {
                a.author = Some("ana".into());
            }
            docs.push(doc::encode_annotation(&article.id, &e, None, Some("ana")));
        }
        std::fs::write(path, format!("{{\"docs\":[{}]}}", docs.join(","))).expect("write --team");
    }
    if let Some(path) = flag("--revised") {
        let (revised, map) = workload::revise(&article, 50, 11);
        let carried = claimmark::core::import::carry_over(
            state
                .annotations()
                .iter()
                .map(|a| (**a).clone())
                .collect::<Vec<_>>()
                .as_slice(),
            &revised,
            Timestamp(1),
        );
        let right = workload::right_words(state.annotations(), &carried.annotations, &map);
        println!(
            "re-anchoring onto ~5 % changed words: {right} of {} on the right words ({:.2} %), {} not found",
            count,
            100.0 * right as f64 / count.max(1) as f64,
            carried.orphans.len()
        );
        // Blank lines between blocks: the plain-text parser reads each as one.
        let text: Vec<&str> = (0..revised.blocks.len())
            .map(|i| revised.block_text(i))
            .collect();
        std::fs::write(path, text.join("\n\n")).expect("write --revised");
    }
}

/// Write `n` web-page quotes of `article` (from a page that joins its
/// paragraphs with no newline in some places and a blank line in others) as
/// a W3C annotation list to `path`; how many anchor exactly, and how many
/// land more than 1,000 characters from their place.
fn web_quotes(article: &claimmark::core::Article, n: usize, path: &str) -> serde_json::Value {
    use claimmark::core::anchor::Anchorer;
    use workload::Join;
    let quotes = workload::web_quotes(article, n, Join::Mixed, 3);
    let targets: Vec<_> = quotes.iter().map(|(t, _)| t.clone()).collect();
    let t0 = std::time::Instant::now();
    let placed = Anchorer::new(article).anchor_all(&targets);
    let ms = t0.elapsed().as_secs_f64() * 1000.0;
    let exact = quotes
        .iter()
        .zip(&placed)
        .filter(|((_, want), (got, _))| *got == Some(*want))
        .count();
    let far = quotes
        .iter()
        .zip(&placed)
        .filter(|((_, want), (got, _))| {
            got.is_some_and(|g| g.start().abs_diff(want.start()) > 1000)
        })
        .count();
    println!(
        "web-page quotes: {exact} of {} anchored exactly ({:.2} %), {far} on a copy over 1,000 characters away, {ms:.0} ms natively",
        quotes.len(),
        100.0 * exact as f64 / quotes.len().max(1) as f64
    );
    let items: Vec<serde_json::Value> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| {
            let (s, e) = t.position.unwrap_or_default();
            serde_json::json!({
                "id": format!("urn:uuid:00000000-0000-4000-8000-{i:012}"),
                "type": "Annotation",
                "body": [{ "type": "TextualBody", "purpose": "tagging", "value": "fact" }],
                "target": { "source": "https://news.example/article", "selector": [
                    { "type": "TextQuoteSelector", "exact": t.exact, "prefix": t.prefix, "suffix": t.suffix },
                    { "type": "TextPositionSelector", "start": s, "end": e },
                ] },
            })
        })
        .collect();
    std::fs::write(path, serde_json::to_string(&items).unwrap()).expect("write --web");
    serde_json::json!({ "total": quotes.len(), "exact": exact, "far": far, "nativeMs": ms })
}

/// A library of `k` articles of `bytes` with `n` annotations each, written
/// to `out` as local-storage entries (see the module docs).
fn library(bytes: usize, n: usize, k: usize, out: &str) {
    use claimmark::core::{Tag, Verdict};
    let store = MemoryStore::new();
    let mut rng = workload::Rng::new(99);
    let mut total = 0;
    for i in 0..k {
        let article = Rc::new(workload::article(bytes, 1000 + i as u64));
        let mut list = workload::annotations(&article, n, 7 + i as u64);
        let words: Vec<&str> = article.text().split_whitespace().collect();
        for a in &mut list {
            // A note of a few of the article's words, as a person would write.
            let at = rng.below(words.len().saturating_sub(8).max(1) as u64) as usize;
            let len = 3 + rng.below(6) as usize;
            a.note = words[at..(at + len).min(words.len())].join(" ");
            if a.tag == Tag::Fact {
                a.check.claim = format!("It is claimed that {}", a.quote.exact);
                a.check.verdict = Some(Verdict::ALL[rng.below(6) as usize]);
            }
        }
        total += list.len();
        let state = State::new(article.clone(), list);
        storage::save(&store, &state, Timestamp(1_770_000_000_000 + i as i64), &[])
            .expect("in-memory save");
    }
    let entries: serde_json::Map<String, serde_json::Value> = store
        .keys()
        .unwrap()
        .into_iter()
        .map(|k| {
            let v = store.get(&k).unwrap().unwrap();
            (k, serde_json::Value::String(v))
        })
        .collect();
    let units: usize = entries
        .iter()
        .map(|(k, v)| k.encode_utf16().count() + v.as_str().unwrap().encode_utf16().count())
        .sum();
    let doc = serde_json::json!({
        "entries": entries,
        "articles": k,
        "annotations": total,
        "units": units,
        "queries": ["diplomatic relations", "embassy reopen", "venezuela oil", "claimed that sanctions"],
    });
    std::fs::write(out, serde_json::to_string(&doc).unwrap()).expect("write OUT");
}
