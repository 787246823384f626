//! Export and import codecs against fixtures in `tests/fixtures/import`.
#![cfg(not(target_arch = "wasm32"))]

mod common;

use std::collections::BTreeMap;
use std::rc::Rc;

use claimmark::core::formats::{self, Context, Format};
use claimmark::core::formats::{ImportError, IncomingTag, Source};
use claimmark::core::import::{self, Plan};
use claimmark::core::links::{Backlink, End, EndState, Ends};
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::{
    Annotation, AnnotationId, Article, ArticleId, Details, Link, LinkKind, LinkTo, Span, Tag,
    TextQuote, Timestamp, Verdict,
};
use common::{find, fixture, id};
use proptest::prelude::*;
use serde_json::Value;

const NOW: Timestamp = Timestamp(1_764_300_000_000);
/// An article stored elsewhere, which links point into.
const OTHER: &str = "0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f0f";

fn unicode_article() -> Article {
    parse_plain_text(&fixture("unicode-crlf.txt"), None)
}

/// The same article as published: its details known and one link in it
/// (over words an annotation also covers).
fn published_article() -> Article {
    let art = unicode_article();
    let link = Link {
        span: find(&art, "in Caracas"),
        href: "https://example.org/caracas?x=1&y=<2>".into(),
    };
    let details = Details::checked(
        "https://example.org/cafe",
        "2025-11-27",
        "Le Monde \"Café\"",
        "Nicolás M.",
    )
    .unwrap();
    art.with_links(vec![link]).with_details(details)
}

/// A file to import, from `tests/fixtures/import/`.
fn import_file(name: &str) -> Vec<u8> {
    let path = format!(
        "{}/tests/fixtures/import/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn counter() -> impl FnMut() -> AnnotationId {
    let mut n = 10_000;
    move || {
        n += 1;
        id(n)
    }
}

fn plan_onto(
    bytes: &[u8],
    article: &Article,
    existing: &[Rc<Annotation>],
    mapping: &[(&str, Option<Tag>)],
) -> Plan {
    let parsed = formats::read(bytes).expect("readable");
    let mapping: BTreeMap<String, Option<Tag>> =
        mapping.iter().map(|(k, v)| (k.to_string(), *v)).collect();
    import::plan(&parsed, article, existing, &mapping, NOW, &mut counter())
}

fn annotated(article: &Article) -> Vec<Annotation> {
    let mut a = Annotation::new(id(1), Tag::Fact, article, find(article, "Caracas"), NOW);
    a.note = "Capital; \"quoted\", with a comma\nand a second line".into();
    a.check.verdict = Some(Verdict::MostlyTrue);
    a.check.explanation = "=HYPERLINK(\"http://evil\")".into();
    a.check.sources = vec![
        "https://example.org/a?b=c".into(),
        "http://example.net/".into(),
    ];
    a.check.claim = "Caracas is the capital of Venezuela.".into();
    a.check.claimant = "Nicolás <M.>".into();
    let mut b = Annotation::new(id(2), Tag::Quote, article, find(article, "中文测试"), NOW);
    b.note = "<script>alert(1)</script> *bold*".into();
    // Evidence for the fact here, and the same claim as one in another article.
    b.links = vec![
        LinkTo {
            article: article.id.clone(),
            id: id(1),
            kind: LinkKind::Supports,
        },
        LinkTo {
            article: ArticleId(OTHER.into()),
            id: id(99),
            kind: LinkKind::SameClaim,
        },
    ];
    let c = Annotation::new(
        id(3),
        Tag::Analysis,
        article,
        find(article, "𝒜 and مرحبا"),
        NOW,
    );
    let mut orphan = Annotation::new(id(4), Tag::Fact, article, Span::new(0, 4), NOW);
    orphan.orphan = true;
    orphan.span = Span::new(0, 0);
    orphan.quote.exact = "a sentence from an older version".into();
    vec![a, b, c, orphan]
}

#[test]
fn claimmark_json_round_trips_everything_into_an_empty_browser() {
    let art = published_article();
    let anns = annotated(&art);
    let file = formats::claimmark::write(&art, &anns, NOW);
    let v: Value = serde_json::from_str(&file).unwrap();
    assert_eq!(v["format"], "claimmark");
    assert_eq!(v["version"], 2);
    assert_eq!(v["offsetUnit"], "codepoint");
    assert_eq!(v["article"]["id"], art.id.0.as_str());
    assert_eq!(
        v["annotations"][3]["start"],
        Value::Null,
        "orphans have no position"
    );
    let parsed = formats::read(file.as_bytes()).unwrap();
    assert_eq!(parsed.source, Source::Claimmark(2));
    let rebuilt = parsed
        .article
        .as_ref()
        .unwrap()
        .build()
        .expect("article rebuilt");
    assert_eq!(rebuilt, art);
    let plan = import::plan(
        &parsed,
        &rebuilt,
        &[],
        &BTreeMap::new(),
        NOW,
        &mut counter(),
    );
    assert_eq!(plan.add, anns);
    assert_eq!((plan.kept, plan.orphans, plan.duplicates), (3, 1, 0));
}

#[test]
fn importing_the_same_file_twice_finds_only_duplicates() {
    let art = unicode_article();
    let anns: Vec<Rc<Annotation>> = annotated(&art).into_iter().map(Rc::new).collect();
    let file = formats::claimmark::write(&art, &anns, NOW);
    let plan = plan_onto(file.as_bytes(), &art, &anns, &[]);
    assert!(plan.add.is_empty());
    assert_eq!(plan.duplicates, 4);
    assert_eq!(plan.summary(), "0 to import, 4 duplicates");
}

#[test]
fn w3c_export_has_the_required_fields_and_code_point_positions() {
    let art = unicode_article();
    let anns = annotated(&art);
    let v: Value = serde_json::from_str(&formats::w3c::write(&art, &anns)).unwrap();
    assert_eq!(v["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(v["type"], "AnnotationCollection");
    assert!(v["id"].as_str().unwrap().starts_with("urn:"));
    assert!(v["label"].as_str().unwrap().contains("Café Notes"));
    // Four annotations and the quote's two links, each a `linking` annotation.
    assert_eq!(v["total"], 6);
    assert_eq!(v["first"]["type"], "AnnotationPage");
    let all = v["first"]["items"].as_array().unwrap();
    assert_eq!(all.len(), 6);
    let (items, links) = all.split_at(4);
    let link = &links[0];
    assert_eq!(link["motivation"], "linking");
    assert_eq!(link["body"]["purpose"], "tagging");
    assert_eq!(link["body"]["value"], "supports");
    assert_eq!(
        link["target"][0]["source"],
        format!("urn:uuid:{}", id(2).as_str())
    );
    assert_eq!(
        link["target"][1]["source"],
        format!("urn:uuid:{}", id(1).as_str())
    );
    assert_eq!(
        link["target"][1]["scope"],
        format!("urn:sha256:{}", art.id.0)
    );
    assert_eq!(
        links[1]["target"][1]["scope"],
        format!("urn:sha256:{OTHER}")
    );
    assert_eq!(links[1]["body"]["value"], "same-claim");
    for it in items {
        assert!(it["id"].as_str().unwrap().starts_with("urn:uuid:"));
        assert_eq!(it["type"], "Annotation");
        assert!(it["motivation"].is_string());
        assert!(it["created"].as_str().unwrap().ends_with('Z'));
        assert!(it["modified"].as_str().unwrap().ends_with('Z'));
        assert_eq!(it["body"][0]["type"], "TextualBody");
        assert_eq!(it["body"][0]["purpose"], "tagging");
        assert!(it["target"]["source"].is_string());
        assert_eq!(it["target"]["selector"][0]["type"], "TextQuoteSelector");
    }
    let caracas = &items[0];
    assert_eq!(caracas["body"][0]["value"], "fact");
    assert_eq!(caracas["body"][1]["purpose"], "commenting");
    assert_eq!(caracas["body"][1]["format"], "text/plain");
    let pos = &caracas["target"]["selector"][1];
    assert_eq!(pos["type"], "TextPositionSelector");
    let span = find(&art, "Caracas");
    // Code points: the ZWJ family before "Caracas" is 7 of them (11 UTF-16 units).
    assert_eq!(pos["start"], span.start());
    assert_eq!(pos["end"], span.end());
    assert_eq!(
        items[3]["target"]["selector"].as_array().unwrap().len(),
        1,
        "orphan: quote only"
    );
    let empty: Vec<Annotation> = vec![];
    let e: Value = serde_json::from_str(&formats::w3c::write(&art, &empty)).unwrap();
    assert_eq!(e["total"], 0);
    assert!(e.get("first").is_none());
}

#[test]
fn w3c_export_imports_back_with_every_field() {
    let art = unicode_article();
    let anns = annotated(&art);
    let plan = plan_onto(formats::w3c::write(&art, &anns).as_bytes(), &art, &[], &[]);
    assert_eq!(plan.add.len(), 4);
    for (a, b) in anns.iter().zip(&plan.add) {
        assert_eq!(
            (&a.id, a.tag, a.span, &a.note),
            (&b.id, b.tag, b.span, &b.note)
        );
        assert_eq!(
            (a.check.verdict, &a.check.explanation, &a.check.sources),
            (b.check.verdict, &b.check.explanation, &b.check.sources)
        );
        assert_eq!(
            (a.created, a.modified, a.orphan),
            (b.created, b.modified, b.orphan)
        );
    }
}

#[test]
fn collection_from_another_annotator_counts_utf16_and_asks_about_unknown_tags() {
    let art = unicode_article();
    let bytes = import_file("w3c-collection-utf16.jsonld");
    let skip = plan_onto(&bytes, &art, &[], &[]);
    assert_eq!(skip.unknown_tags, vec![("claim".to_string(), 1)]);
    assert_eq!((skip.add.len(), skip.skipped), (2, 1));
    let mapped = plan_onto(&bytes, &art, &[], &[("claim", Some(Tag::Analysis))]);
    assert_eq!(mapped.add.len(), 3);
    assert_eq!(mapped.kept, 3, "UTF-16 positions are recognised and kept");
    let got: Vec<(&str, Tag)> = mapped
        .add
        .iter()
        .map(|a| (art.slice(a.span), a.tag))
        .collect();
    assert_eq!(
        got,
        vec![
            ("Caracas", Tag::Fact),
            ("مرحبا", Tag::Analysis),
            ("follows, then 𝒜", Tag::Quote)
        ]
    );
    assert_eq!(mapped.add[0].note, "Capital of Venezuela.");
    assert_eq!(
        mapped.add[0].created,
        Timestamp::parse_iso8601("2025-03-01T09:00:00Z").unwrap()
    );
}

#[test]
fn single_annotation_page_and_array_are_read() {
    let art = unicode_article();
    let single = plan_onto(&import_file("w3c-single.jsonld"), &art, &[], &[]);
    assert_eq!(single.add.len(), 1);
    assert_eq!(
        single.add[0].id.as_str(),
        "0b7c1b9e-3c52-4c1f-9a57-5f6e2a3d4b10"
    );
    assert_eq!(art.slice(single.add[0].span), "中文测试");

    let page = plan_onto(&import_file("w3c-page.jsonld"), &art, &[], &[]);
    assert_eq!((page.add.len(), page.moved, page.orphans), (2, 1, 1));
    let orphan = page.add.iter().find(|a| a.orphan).unwrap();
    assert_eq!(orphan.quote.exact, "a sentence that appears nowhere in it");
    assert_eq!(orphan.note, "This sentence is not in the article.");
    assert!(page.summary().contains("1 orphan"), "{}", page.summary());

    let array = plan_onto(&import_file("w3c-array.jsonld"), &art, &[], &[]);
    assert_eq!(array.add.len(), 1);
    assert_eq!(array.invalid.len(), 1);
    assert!(
        array.invalid[0].starts_with("annotation 2: "),
        "{:?}",
        array.invalid
    );
    assert!(
        array.summary().contains("1 invalid: annotation 2"),
        "{}",
        array.summary()
    );
}

#[test]
fn hypothesis_export_is_read_with_its_first_known_tag_and_plain_note() {
    let art = unicode_article();
    let parsed = formats::read(&import_file("hypothesis.json")).unwrap();
    assert_eq!(parsed.source, Source::Hypothesis);
    assert_eq!(parsed.items[0].tag, IncomingTag::Known(Tag::Analysis));
    let plan = plan_onto(&import_file("hypothesis.json"), &art, &[], &[]);
    assert_eq!(plan.add.len(), 1);
    let a = &plan.add[0];
    assert_eq!(art.slice(a.span), "Caracas 🇻🇪");
    assert_eq!(
        a.note,
        "Flag **emoji** after the city <script>alert(1)</script>"
    );
    assert_eq!(a.id.as_str(), "Hx9aB3cDEeWq");
    assert!(plan.invalid[0].contains("page note"), "{:?}", plan.invalid);
}

fn error_of(name: &str) -> ImportError {
    formats::read(&import_file(&format!("bad/{name}"))).expect_err(name)
}

#[test]
fn bad_files_are_refused_with_a_message_naming_the_problem() {
    assert!(error_of("empty.json").to_string().contains("empty"));
    let trunc = error_of("truncated.json");
    assert!(
        matches!(trunc, ImportError::Syntax { line: 1, column, .. } if column > 60),
        "{trunc:?}"
    );
    assert!(trunc.to_string().contains("line 1, column"));
    assert!(error_of("binary.json").to_string().contains("not text"));
    assert_eq!(error_of("deep.json"), ImportError::TooDeep);
    assert!(error_of("future-version.json")
        .to_string()
        .contains("version 99"));
    assert!(error_of("not-annotations.json")
        .to_string()
        .contains("not annotations"));
    let huge = vec![b' '; formats::MAX_IMPORT_BYTES + 1];
    assert!(formats::read(&huge)
        .unwrap_err()
        .to_string()
        .contains("too large"));
}

#[test]
fn bad_annotations_are_listed_one_by_one() {
    let wrong = formats::read(&import_file("bad/wrong-types.json")).unwrap();
    assert!(wrong.items.is_empty());
    assert_eq!(
        wrong.invalid,
        vec![
            "annotation 1: \"tag\" should be text but is a number",
            "annotation 2: \"start\" should be a number but is text",
            "annotation 3: \"quote\" should be text but is a list",
        ]
    );
    let offsets = formats::read(&import_file("bad/offsets.json")).unwrap();
    assert!(offsets.items.is_empty());
    let msgs = offsets.invalid.join("\n");
    for want in [
        "is negative (-3)",
        "end (2) is before start (9)",
        "past the end",
        "not a whole number (1.5)",
    ] {
        assert!(msgs.contains(want), "{want:?} missing from {msgs}");
    }
}

#[test]
fn csv_quotes_per_rfc_4180_and_neutralises_formulas() {
    let art = unicode_article();
    let out = formats::csv::write(&art, &annotated(&art));
    assert!(out.starts_with("\u{feff}id,tag,start,end,quote,"));
    assert!(out
        .lines()
        .next()
        .unwrap()
        .ends_with(",claim,claimant,article_title,article_url,article_id"));
    // Every row names its article, so CSVs of several articles can merge.
    let published = formats::csv::write(&published_article(), &annotated(&art));
    let row_end = format!(",Café Notes,https://example.org/cafe,{}\r\n", art.id.0);
    assert_eq!(
        published.matches(row_end.as_str()).count(),
        4,
        "{published}"
    );
    assert!(out.ends_with("\r\n"));
    assert!(out.contains(",\"Capital; \"\"quoted\"\", with a comma\nand a second line\","));
    assert!(
        out.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\","),
        "{out}"
    );
    for risky in ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
        assert!(
            formats::csv::csv_cell(risky)
                .trim_start_matches('"')
                .starts_with('\''),
            "{risky:?}"
        );
    }
    assert_eq!(formats::csv::csv_cell("plain"), "plain");
    assert_eq!(out.matches("\r\n").count(), 5, "a header and four rows");
}

#[test]
fn markdown_report_groups_by_tag_and_escapes_markup() {
    let art = unicode_article();
    let md = formats::report::write(&art, &annotated(&art), NOW);
    assert!(md.starts_with("# Café Notes\n"));
    let facts = md.find("## Facts (1)").unwrap();
    let quotes = md.find("## Quotes (1)").unwrap();
    let analysis = md.find("## Analysis (1)").unwrap();
    let orphans = md.find("## Not found in the text (1)").unwrap();
    assert!(facts < quotes && quotes < analysis && analysis < orphans);
    assert!(md.contains("Verdict: **Mostly true**"));
    assert!(md.contains("\\<script\\>alert(1)\\</script\\> \\*bold\\*"));
    assert!(!md.contains("<script>"));
    assert!(md.contains("[https://example.org/a?b=c](<https://example.org/a?b=c>)"));
}

#[test]
fn claim_review_covers_fact_verdicts_only() {
    let mut art = unicode_article();
    let mut anns = annotated(&art);
    // Without a claim as checked, the quote is the claim reviewed.
    anns[0].check.claim.clear();
    anns[0].check.claimant.clear();
    let none: Value = serde_json::from_str(&formats::claimreview::write(
        &art,
        &anns,
        &Context::default(),
    ))
    .unwrap();
    let r = &none[0];
    assert_eq!(none.as_array().unwrap().len(), 1);
    assert_eq!(r["@type"], "ClaimReview");
    assert_eq!(r["claimReviewed"], "Caracas");
    assert_eq!(r["reviewRating"]["alternateName"], "Mostly true");
    assert_eq!(r["reviewRating"]["ratingValue"], 4);
    assert_eq!(
        (
            r["reviewRating"]["bestRating"].as_i64(),
            r["reviewRating"]["worstRating"].as_i64()
        ),
        (Some(5), Some(1))
    );
    assert_eq!(r["itemReviewed"]["@type"], "Claim");
    assert!(
        r["itemReviewed"].get("appearance").is_none(),
        "no URL, no appearance"
    );
    assert!(r.get("author").is_none());
    assert!(r["itemReviewed"].get("author").is_none(), "no claimant");
    assert_eq!(r["datePublished"].as_str().unwrap().len(), 10);
    let anns = annotated(&art);
    art = published_article();
    let cx = Context {
        now: NOW,
        author: Some("Ana Reyes".into()),
        ..Context::default()
    };
    let with: Value = serde_json::from_str(&formats::claimreview::write(&art, &anns, &cx)).unwrap();
    let item = &with[0]["itemReviewed"];
    assert_eq!(item["appearance"]["url"], "https://example.org/cafe");
    assert_eq!(item["appearance"]["headline"], "Café Notes");
    assert_eq!(item["appearance"]["datePublished"], "2025-11-27");
    assert_eq!(item["appearance"]["publisher"]["name"], "Le Monde \"Café\"");
    assert_eq!(item["appearance"]["author"]["name"], "Nicolás M.");
    // The claim as checked and who made it, not the quote.
    assert_eq!(
        with[0]["claimReviewed"],
        "Caracas is the capital of Venezuela."
    );
    assert_eq!(item["author"]["@type"], "Person");
    assert_eq!(item["author"]["name"], "Nicolás <M.>");
    assert_eq!(with[0]["author"]["name"], "Ana Reyes");
}

#[test]
fn every_format_names_its_file_after_the_article() {
    let art = unicode_article();
    let names: Vec<String> = Format::ALL.iter().map(|f| f.file_name(&art)).collect();
    assert_eq!(names[0], "café-notes.claimmark.json");
    assert!(names.iter().all(|n| n.starts_with("café-notes.")));
}

/// Any set of annotations on `art`: every tag, notes, verdicts,
/// explanations and sources, claims and claimants, authors, orphans (with
/// a quote the text does not hold), and `modified` later than `created`.
fn any_annotations(art: &Article) -> impl Strategy<Value = Vec<Annotation>> + '_ {
    let len = art.len_chars();
    let fields = (
        "\\PC{0,20}",
        "\\PC{0,20}",
        prop::option::of("[a-zA-Z][a-zA-Z0-9._-]{0,11}"),
        any::<bool>(),
        prop::option::of(1i64..1_000_000_000),
    );
    prop::collection::vec(
        (
            (
                0..len,
                1u32..20,
                0usize..3,
                "\\PC{0,30}",
                prop::option::of(0usize..6),
                "\\PC{0,20}",
                any::<bool>(),
                0i64..4_000_000_000_000,
            ),
            fields,
        ),
        0..12,
    )
    .prop_map(move |rows| {
        rows.into_iter()
            .enumerate()
            .map(
                |(
                    i,
                    ((s, l, t, note, v, expl, src, ms), (claim, claimant, author, orphan, later)),
                )| {
                    let span = Span::new(s, (s + l).min(len).max(s + 1).min(len));
                    let span = if span.is_empty() {
                        Span::new(0, 1)
                    } else {
                        span
                    };
                    let mut a =
                        Annotation::new(id(i as u32), Tag::ALL[t], art, span, Timestamp(ms));
                    a.note = note;
                    a.check.verdict = v.map(|k| Verdict::ALL[k]);
                    a.check.explanation = expl;
                    if src {
                        a.check.sources = vec![format!("https://example.org/{i}")];
                    }
                    a.check.claim = claim;
                    a.check.claimant = claimant;
                    a.author = author;
                    if let Some(later) = later {
                        a.modified = Timestamp(ms + later);
                    }
                    if orphan {
                        a.orphan = true;
                        a.span = Span::new(0, 0);
                        a.quote = TextQuote {
                            exact: format!("words of an earlier version, number {i}"),
                            prefix: String::new(),
                            suffix: String::new(),
                        };
                    }
                    a
                },
            )
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn claimmark_export_then_import_reproduces_any_annotation_set(anns in any_annotations(Box::leak(Box::new(unicode_article())))) {
        let art = unicode_article();
        let file = formats::claimmark::write(&art, &anns, NOW);
        let parsed = formats::read(file.as_bytes()).unwrap();
        let plan = import::plan(&parsed, &art, &[], &BTreeMap::new(), NOW, &mut counter());
        // Same span + tag + note twice is one placed annotation: import
        // skips the copy (orphans have no place to share).
        let mut want = anns.clone();
        let mut seen = std::collections::HashSet::new();
        want.retain(|a| a.orphan || seen.insert((a.span, a.tag, a.note.clone())));
        prop_assert_eq!(plan.add, want);
    }

    #[test]
    fn reading_arbitrary_bytes_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let _ = formats::read(&bytes);
    }

    #[test]
    fn reading_mangled_exports_never_panics(cut in 0usize..2000, junk in "\\PC{0,8}", at in 0usize..2000) {
        let art = unicode_article();
        let file = formats::claimmark::write(&art, &annotated(&art), NOW);
        let w3c = formats::w3c::write(&art, &annotated(&art));
        for f in [file, w3c] {
            let mut s: String = f.chars().take(cut.max(1)).collect();
            let at = s.char_indices().nth(at % s.chars().count().max(1)).map_or(0, |(b, _)| b);
            s.insert_str(at, &junk);
            if let Ok(p) = formats::read(s.as_bytes()) {
                let _ = import::plan(&p, &art, &[], &BTreeMap::new(), NOW, &mut counter());
            }
        }
    }
}

/// Each export format, byte for byte, against `tests/fixtures/export/`: the
/// formats are contracts with other tools, so any change must be deliberate.
/// `UPDATE_FIXTURES=1 cargo test --test formats` rewrites them (then review
/// the diff).
/// What the library knows of the other article: the annotation `b` calls
/// the same claim, and one there that contradicts the fact `a`.
fn other_ends() -> Ends {
    let other = |n: u32, quote: &str| End {
        article: ArticleId(OTHER.into()),
        id: id(n),
        state: EndState::Live,
        title: "Café <Notes>, the sequel".into(),
        url: Some("https://example.org/sequel".into()),
        quote: quote.into(),
    };
    let mut ends = Ends::default();
    ends.targets.insert(
        (ArticleId(OTHER.into()), id(99)),
        other(99, "中文测试, quoted again"),
    );
    ends.incoming.insert(
        id(1),
        vec![Backlink {
            from: other(98, "Caracas is not the capital"),
            kind: LinkKind::Contradicts,
        }],
    );
    ends
}

#[test]
fn exports_match_their_fixtures() {
    let art = published_article();
    let anns = annotated(&art);
    let cx = Context {
        now: NOW,
        author: Some("Ana Reyes".into()),
        ends: Rc::new(other_ends()),
    };
    let dir = format!("{}/tests/fixtures/export", env!("CARGO_MANIFEST_DIR"));
    for format in Format::ALL {
        let name = format.file_name(&art);
        let got = formats::export(format, &art, &anns, &cx);
        let path = format!("{dir}/{name}");
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(&path, &got).unwrap();
        }
        let want = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(got, want, "{name} changed");
    }
}

/// Everything pulldown-cmark (CommonMark with GFM tables and strikethrough)
/// shows of a Markdown document as text, whitespace collapsed, and whether
/// it found any HTML in it.
fn rendered_text(md: &str) -> (String, bool, Vec<(String, String)>) {
    use pulldown_cmark::{Event, Options, Parser, Tag as MdTag, TagEnd};
    let mut text = String::new();
    let mut html = false;
    let mut links = Vec::new();
    let mut link: Option<(String, String)> = None;
    for ev in Parser::new_ext(md, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH) {
        match ev {
            Event::Text(t) | Event::Code(t) => {
                text.push_str(&t);
                if let Some((_, l)) = link.as_mut() {
                    l.push_str(&t);
                }
            }
            Event::SoftBreak | Event::HardBreak => text.push(' '),
            Event::End(TagEnd::Paragraph | TagEnd::Item | TagEnd::BlockQuote(_)) => text.push(' '),
            Event::Html(_) | Event::InlineHtml(_) => html = true,
            Event::Start(MdTag::Link { dest_url, .. }) => {
                link = Some((dest_url.to_string(), String::new()))
            }
            Event::End(TagEnd::Link) => links.extend(link.take()),
            _ => {}
        }
    }
    (collapse(&text), html, links)
}

fn collapse(s: &str) -> String {
    s.split(|c: char| c.is_whitespace())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// Whatever a person types in a note, claim or explanation, and
    /// whatever a source link holds, a Markdown viewer shows it as typed:
    /// no HTML, no markup, every character there.
    #[test]
    fn the_markdown_report_shows_every_note_and_source_as_typed(
        note in "([-+=*_#>|<&!`~\\\\\\[\\]()0-9. \t\r\n:$a-z]|\\PC){1,60}",
        claim in "([-+=#>0-9.)  a-z]){1,30}",
        path in "[a-z0-9<>()\\[\\]_*`~|&!#=.-]{0,20}",
    ) {
        let art = unicode_article();
        let mut a = Annotation::new(id(1), Tag::Fact, &art, find(&art, "Caracas"), NOW);
        a.note = note.clone();
        a.check.claim = claim.clone();
        a.check.explanation = note.clone();
        let source = format!("https://example.org/{path}");
        a.check.sources = vec![source.clone()];
        let md = formats::report::write(&art, &[a], NOW);
        let (text, html, links) = rendered_text(&md);
        prop_assert!(!html, "HTML in:\n{}", md);
        for typed in [&note, &claim] {
            let want = collapse(typed);
            prop_assert!(text.contains(&want), "{:?} not shown as typed in {:?}\n{}", want, text, md);
        }
        prop_assert!(links.iter().any(|(dest, shown)| shown == &source
            && dest.replace("%3C", "<").replace("%3E", ">").replace("%5C", "\\") == source),
            "{:?} not a link in {:?}\n{}", source, links, md);
    }
}

#[test]
fn the_markdown_report_escapes_block_markers_at_line_starts() {
    let art = unicode_article();
    let mut a = Annotation::new(id(1), Tag::Fact, &art, find(&art, "Caracas"), NOW);
    a.note =
        "- not a list\n1. not numbered\n2) nor this\n===\n---\n+ plus\n    not code\n<div>x</div>"
            .into();
    a.check.sources = vec!["https://example.org/a>b<c".into()];
    let md = formats::report::write(&art, &[a.clone()], NOW);
    let (text, html, links) = rendered_text(&md);
    assert!(!html);
    assert!(text.contains(&collapse(&a.note)), "{text}\n{md}");
    assert!(
        md.contains("\\- not a list") && md.contains("1\\. not numbered") && md.contains("\\===")
    );
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].1, "https://example.org/a>b<c");
}

/// Every element name in an HTML text, and every attribute name.
fn markup_names(html: &str) -> (Vec<String>, Vec<String>) {
    let mut tags = Vec::new();
    let mut attrs = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').expect("every < in markup is closed");
        let inside = &rest[..end];
        rest = &rest[end + 1..];
        if inside.starts_with('!') || inside.starts_with('/') {
            continue;
        }
        let mut parts = inside.split_whitespace();
        tags.push(parts.next().unwrap_or_default().to_string());
        // Attribute values are quoted and escaped: names are before each `="`.
        for (j, _) in inside.match_indices("=\"") {
            let name = inside[..j].rsplit(' ').next().unwrap_or_default();
            attrs.push(name.to_string());
        }
    }
    (tags, attrs)
}

#[test]
fn the_annotated_page_writes_hostile_text_as_text() {
    let hostile_title = "<img src=x onerror=\"alert(1)\"> & <script>alert('t')</script>";
    let art = claimmark::core::parse::assemble(
        None,
        vec![
            claimmark::core::Part::new(claimmark::core::BlockKind::Title, hostile_title),
            claimmark::core::Part::new(
                claimmark::core::BlockKind::Paragraph,
                "Body with </p><script>window.x=1</script> and \"quotes\" 'too'.",
            ),
        ],
        "Doc",
        None,
    )
    .with_details(
        Details::checked("https://e.org/\"onmouseover=x", "", "<b>Outlet</b>", "").unwrap(),
    );
    let mut a = Annotation::new(id(1), Tag::Fact, &art, find(&art, "<script>window"), NOW);
    a.note = "<iframe src=javascript:alert(1)></iframe> ]]> --> <!--".into();
    a.check.sources = vec!["https://e.org/\"><script>alert(2)</script>".into()];
    let page = formats::page::write(
        &art,
        &[a],
        &Context {
            now: NOW,
            author: None,
            ..Context::default()
        },
    );
    let (tags, attrs) = markup_names(&page);
    let allowed_tags = [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "article",
        "div",
        "section",
        "h1",
        "h2",
        "p",
        "span",
        "a",
        "sup",
        "ol",
        "ul",
        "li",
        "blockquote",
        "dl",
        "dt",
        "dd",
        "bdi",
    ];
    for t in &tags {
        assert!(
            allowed_tags.contains(&t.as_str()),
            "element <{t}> in the page"
        );
    }
    for at in &attrs {
        assert!(
            !at.starts_with("on") && at != "src" && at != "style",
            "attribute {at}"
        );
    }
    assert!(!tags
        .iter()
        .any(|t| t == "script" || t == "img" || t == "iframe"));
    // The text reads as typed (escaped).
    assert!(page.contains("&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; &lt;script&gt;"));
    assert!(page
        .contains("&lt;iframe src=javascript:alert(1)&gt;&lt;/iframe&gt; ]]&gt; --&gt; &lt;!--"));
    assert!(page.contains("Content-Security-Policy"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// W3C Web Annotation export → import onto the same text reproduces
    /// every annotation: ids, tags, places, quotes, notes, fact-check fields, times.
    #[test]
    fn w3c_export_then_import_reproduces_any_annotation_set(anns in any_annotations(Box::leak(Box::new(unicode_article())))) {
        let art = unicode_article();
        let file = formats::w3c::write(&art, &anns);
        let parsed = formats::read(file.as_bytes()).unwrap();
        let plan = import::plan(&parsed, &art, &[], &BTreeMap::new(), NOW, &mut counter());
        let mut want = anns.clone();
        let mut seen = std::collections::HashSet::new();
        want.retain(|a| a.orphan || seen.insert((a.span, a.tag, a.note.clone())));
        prop_assert_eq!(plan.add, want);
    }

    /// A CSV export, read back by an RFC 4180 reader (the `csv` crate),
    /// gives the header and, per annotation, exactly the cells it wrote:
    /// quotes, commas, line breaks and formula-looking text included.
    #[test]
    fn csv_export_parses_back_to_the_same_cells(anns in any_annotations(Box::leak(Box::new(unicode_article())))) {
        let mut anns = anns;
        for (i, a) in anns.iter_mut().enumerate() {
            // Cells that need quoting or neutralising.
            a.note = match i % 4 {
                0 => format!("=SUM(A1) \"{}\", with\r\nlines", a.note),
                1 => format!("-{}", a.note),
                2 => format!("@{},\"", a.note),
                _ => a.note.clone(),
            };
        }
        let art = unicode_article();
        let text = formats::csv::write(&art, &anns);
        let body = text.strip_prefix('\u{feff}').expect("a byte-order mark");
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(body.as_bytes());
        let rows: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        prop_assert_eq!(&rows[0], &formats::csv::CSV_COLUMNS.map(String::from).to_vec());
        prop_assert_eq!(rows.len(), anns.len() + 1);
        let shown = |v: &str| if v.starts_with(['=', '+', '-', '@', '\t', '\r']) { format!("'{v}") } else { v.to_string() };
        for (row, a) in rows[1..].iter().zip(&anns) {
            let want = [
                a.id.as_str().to_string(),
                a.tag.key().to_string(),
                // An orphan has no place: empty cells, and "no" below.
                if a.orphan { String::new() } else { a.span.start().to_string() },
                if a.orphan { String::new() } else { a.span.end().to_string() },
                a.quote.exact.clone(),
                a.quote.prefix.clone(),
                a.quote.suffix.clone(),
                a.note.clone(),
                a.check.verdict.map(|v| v.label().to_string()).unwrap_or_default(),
                a.check.explanation.clone(),
                a.check.sources.join(" "),
                a.created.to_iso8601(),
                a.modified.to_iso8601(),
                if a.orphan { "no" } else { "yes" }.to_string(),
                a.check.claim.clone(),
                a.check.claimant.clone(),
                art.title.clone(),
                art.details.url.clone().unwrap_or_default(),
                art.id.0.clone(),
            ]
            .map(|c| shown(&c));
            prop_assert_eq!(row, &want.to_vec());
        }
    }
}
