//! Articles in every script: which way they run, which language they are
//! in, their headline and byline (`core::script`, `parse::plain`).
#![cfg(not(target_arch = "wasm32"))]

mod common;

use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::script::{clean_lang, guess_lang, lang_dir, text_dir, Dir};
use claimmark::core::{Article, BlockKind, Details};
use common::fixture;

/// An article of `tests/fixtures/scripts/`.
fn script(name: &str) -> Article {
    parse_plain_text(&fixture(&format!("scripts/{name}")), Some(name.into()))
}

#[test]
fn a_text_runs_the_way_most_of_its_letters_do() {
    assert_eq!(text_dir("مرحبا بالعالم"), Some(Dir::Rtl));
    assert_eq!(text_dir("Hello"), Some(Dir::Ltr));
    // An Arabic sentence that opens with a Latin name is still Arabic.
    assert_eq!(
        text_dir("BBC Arabic نقلت عن مسؤول في وزارة المالية"),
        Some(Dir::Rtl)
    );
    assert_eq!(
        text_dir("Greenpeace Israel מתחה ביקורת על צריכת החשמל"),
        Some(Dir::Rtl)
    );
    assert_eq!(text_dir("3,200 — 2027"), None);
    assert_eq!(text_dir("地铁"), Some(Dir::Ltr));
}

#[test]
fn languages_say_their_direction_and_tags_are_checked() {
    for rtl in ["ar", "he", "fa-IR", "ur", "az-Arab", "ckb"] {
        assert_eq!(lang_dir(rtl), Some(Dir::Rtl), "{rtl}");
    }
    for ltr in ["en", "zh-Hans", "ja", "th", "ku-Latn", "hi"] {
        assert_eq!(lang_dir(ltr), Some(Dir::Ltr), "{ltr}");
    }
    assert_eq!(clean_lang(" zh_Hant "), Some("zh-Hant".into()));
    assert_eq!(clean_lang("ar-EG"), Some("ar-EG".into()));
    for bad in ["", "arabic", "a", "en US", "<script>", "e1"] {
        assert_eq!(clean_lang(bad), None, "{bad}");
    }
}

#[test]
fn the_language_is_guessed_only_where_the_script_tells() {
    for (name, lang) in [
        ("ar-news.txt", Some("ar")),
        ("he-news.txt", Some("he")),
        ("zh-news.txt", Some("zh")),
        ("ja-news.txt", Some("ja")),
        ("th-news.txt", Some("th")),
    ] {
        assert_eq!(guess_lang(script(name).text()), lang, "{name}");
    }
    assert_eq!(
        guess_lang("یہ ایک مختصر جملہ ہے جو اردو میں لکھا گیا ہے"),
        Some("ur")
    );
    assert_eq!(
        guess_lang("این یک جمله کوتاه به زبان فارسی است که نوشته شد"),
        Some("fa")
    );
    assert_eq!(
        guess_lang("Plain English with one name, 北京, inside."),
        None
    );
    assert_eq!(guess_lang("Русский текст"), None);
}

#[test]
fn every_fixture_has_its_headline_byline_direction_and_no_stray_heading() {
    for (name, dir, headline, author, outlet, published) in [
        (
            "ar-news.txt",
            Dir::Rtl,
            "القاهرة تطلق أول خط",
            "ليلى حداد",
            "صحيفة النهر",
            "2026-03-03",
        ),
        (
            "he-news.txt",
            Dir::Rtl,
            "מתקן ההתפלה החדש",
            "נועה לוי",
            "יומן העמק",
            "2026-02-18",
        ),
        (
            "zh-news.txt",
            Dir::Ltr,
            "成都地铁十九号线",
            "王明",
            "城市日报",
            "2026-03-03",
        ),
        (
            "ja-news.txt",
            Dir::Ltr,
            "気象庁、今年の夏",
            "佐藤花子",
            "港町新聞",
            "2026-03-03",
        ),
        (
            "th-news.txt",
            Dir::Ltr,
            "รถไฟฟ้าสายสีชมพู",
            "สมชาย ใจดี",
            "ข่าวเมืองหลวง",
            "2026-03-03",
        ),
    ] {
        let a = script(name);
        assert!(a.title.starts_with(headline), "{name}: title {:?}", a.title);
        assert_eq!(a.blocks[0].kind, BlockKind::Title, "{name}");
        assert_eq!(a.dir(), dir, "{name}");
        assert_eq!(a.details.author.as_deref(), Some(author), "{name}");
        assert_eq!(a.details.outlet.as_deref(), Some(outlet), "{name}");
        assert_eq!(a.details.published.as_deref(), Some(published), "{name}");
        // The byline is not article text.
        assert!(
            !a.text().contains(author),
            "{name}: byline left in the text"
        );
        // Paragraphs stay paragraphs: only the short section titles are headings.
        let headings = a
            .blocks
            .iter()
            .filter(|b| matches!(b.kind, BlockKind::Heading(_)))
            .count();
        assert!(headings <= 1, "{name}: {headings} headings");
        assert!(a.blocks.len() >= 6, "{name}: {} blocks", a.blocks.len());
    }
}

#[test]
fn each_block_runs_its_own_way_and_neutral_ones_follow_the_article() {
    let ar = script("ar-news.txt");
    for i in 0..ar.blocks.len() {
        assert_eq!(ar.block_dir(i), Dir::Rtl, "{}", ar.block_text(i));
    }
    assert_eq!(ar.dir_of("2027"), Dir::Rtl);
    assert_eq!(ar.dir_of("Siemens Mobility"), Dir::Ltr);
    let mixed = parse_plain_text(
        "Cairo opens its first electric bus line\n\nThe line runs 14 stops.\n\nيربط الخط مدينة نصر بميدان التحرير.\n\n2027",
        None,
    );
    assert_eq!(mixed.dir(), Dir::Ltr);
    let dirs: Vec<Dir> = (0..mixed.blocks.len())
        .map(|i| mixed.block_dir(i))
        .collect();
    assert_eq!(dirs, [Dir::Ltr, Dir::Ltr, Dir::Rtl, Dir::Ltr]);
}

#[test]
fn a_declared_language_sets_the_direction_and_is_kept_as_a_detail() {
    let a = parse_plain_text("Untitled\n\n12345", None);
    assert_eq!(a.dir(), Dir::Ltr);
    let d = Details::default().with_language("ar").unwrap();
    let a = a.with_details(d.clone());
    assert_eq!(a.dir(), Dir::Rtl);
    assert_eq!(a.lang().as_deref(), Some("ar"));
    assert!(Details::default().with_language("Arabic please").is_err());
    assert_eq!(
        Details::default().with_language("  ").unwrap().language,
        None
    );
    // Unknown stays out of the stored form; a known one round-trips.
    let none = serde_json::to_string(&Details::default()).unwrap();
    assert!(!none.contains("language"), "{none}");
    let back: Details = serde_json::from_str(&serde_json::to_string(&d).unwrap()).unwrap();
    assert_eq!(back, d);
    let tidy = Details {
        language: Some("not a tag!".into()),
        ..Details::default()
    }
    .tidy();
    assert_eq!(tidy.language, None);
}

#[test]
fn headlines_need_no_latin_capitals_and_chinese_lines_join_without_spaces() {
    let a = parse_plain_text("عنوان قصير للخبر\n\nنص الفقرة الأولى من الخبر.", None);
    assert_eq!(a.title, "عنوان قصير للخبر");
    // A lower-case English line is still no headline.
    let b = parse_plain_text("just some words\n\nA paragraph follows here.", None);
    assert_eq!(b.title, "Untitled article");
    // A hard-wrapped Chinese paragraph joins with no space between lines.
    let c = parse_plain_text("标题\n\n第一行文字没有结束\n第二行文字在这里结束。", None);
    assert_eq!(c.block_text(1), "第一行文字没有结束第二行文字在这里结束。");
    // A sentence in Arabic ending with its question mark is no heading.
    let d = parse_plain_text("عنوان\n\nهل ستنجح الخطة؟\n\nفقرة.", None);
    assert_eq!(d.blocks[1].kind, BlockKind::Paragraph);
}

#[test]
fn an_english_byline_fills_the_details_and_leaves_the_text() {
    let a = parse_plain_text(
        "Council approves bridge repair\n\nBy Laura Benning · The Riverside Ledger · March 3, 2026\n\nThe council voted 6-1 on Monday.",
        None,
    );
    assert_eq!(a.details.author.as_deref(), Some("Laura Benning"));
    assert_eq!(a.details.outlet.as_deref(), Some("The Riverside Ledger"));
    assert_eq!(a.details.published.as_deref(), Some("2026-03-03"));
    assert_eq!(a.blocks.len(), 2);
    assert!(!a.text().contains("Benning"));
    // Under a standfirst, with "|" between fields.
    let b = parse_plain_text(
        "Night buses return\n\nSix routes come back as the driver shortage eases, the authority said on Monday in a statement.\n\nBy Sam Okafor | Metro Daily | 2 March 2026\n\nBody text.",
        None,
    );
    assert_eq!(b.details.author.as_deref(), Some("Sam Okafor"));
    assert_eq!(b.details.published.as_deref(), Some("2026-03-02"));
    // A heading that merely has a year in it is no byline.
    let c = parse_plain_text("Budget\n\nThe 2026 budget — what changes\n\nText.", None);
    assert!(c.details.author.is_none());
    assert!(c.text().contains("The 2026 budget"));
}

mod report {
    use super::*;
    use claimmark::core::formats::{page, Context};
    use claimmark::core::{Annotation, Tag, Timestamp};
    use common::{find, id};

    fn ann(a: &Article, n: u32, tag: Tag, needle: &str) -> Annotation {
        Annotation::new(id(n), tag, a, find(a, needle), Timestamp(1_772_500_000_000))
    }

    fn html(a: &Article, anns: &[Annotation], author: Option<&str>) -> String {
        page::write(
            a,
            anns,
            &Context {
                now: Timestamp(1_772_500_000_000),
                author: author.map(str::to_string),
                ..Default::default()
            },
        )
    }

    #[test]
    fn an_arabic_report_runs_right_to_left_with_its_numbers_in_reading_order() {
        let a = script("ar-news.txt");
        let anns = [
            ann(&a, 1, Tag::Fact, "3,200 حافلة"),
            ann(&a, 2, Tag::Quote, "Siemens Mobility"),
            ann(&a, 3, Tag::Analysis, "BBC Arabic"),
        ];
        let out = html(&a, &anns, Some("Ana Reyes"));
        // The article's part is Arabic, right to left; its blocks inherit it.
        assert!(
            out.contains(r#"<div class="report-text" lang="ar" dir="rtl">"#),
            "{}",
            &out[..3000.min(out.len())]
        );
        assert!(!out.contains(r#"<p dir="ltr">"#));
        // The report's own words stay English, left to right.
        assert!(out.contains(r#"<p class="report-legend" lang="en" dir="ltr">"#));
        // Numbers follow the text's order: Siemens (2nd paragraph) is [1].
        let first = out.find("Siemens Mobility</span><sup").unwrap();
        let second = out.find("3,200 حافلة</span><sup").unwrap();
        let third = out.find("BBC Arabic</span><sup").unwrap();
        assert!(first < second && second < third);
        assert!(out[first..]
            .starts_with("Siemens Mobility</span><sup class=\"n\"><a href=\"#note-1\">[1]"));
        // A Latin quote in the notes runs left to right; an Arabic one right to left.
        assert!(out.contains(
            r#"<blockquote class="note-quote-text" lang="ar" dir="ltr">“Siemens Mobility”"#
        ));
        assert!(out
            .contains(r#"<blockquote class="note-quote-text" lang="ar" dir="rtl">“3,200 حافلة”"#));
        // Whose work, and when.
        assert!(
            out.contains(r#"Annotated by <bdi class="report-name">Ana Reyes</bdi> on 2026-03-03"#)
        );
        // The byline's details are printed.
        assert!(out.contains("ليلى حداد"));
    }

    #[test]
    fn without_a_name_the_report_still_says_when() {
        let a = script("zh-news.txt");
        let out = html(&a, &[ann(&a, 1, Tag::Fact, "地铁")], None);
        assert!(
            out.contains(r#"<p class="report-by" lang="en" dir="ltr">Annotated on 2026-03-03</p>"#)
        );
        assert!(out.contains(r#"<div class="report-text" lang="zh" dir="ltr">"#));
    }

    #[test]
    fn a_markdown_table_prints_as_a_table_and_a_highlight_across_cells_keeps_its_number_once() {
        let a = claimmark::core::parse::parse_markdown(
            "# Fares\n\n| Line | Fare |\n|---|---|\n| Pink | 45 baht |\n| Blue | 42 baht |\n",
            "Fares",
            None,
        );
        let anns = [
            ann(&a, 1, Tag::Fact, "Pink | 45 baht"),
            ann(&a, 2, Tag::Quote, "42"),
        ];
        let out = html(&a, &anns, None);
        assert!(out.contains(r#"<table class="report-table"><thead><tr><th scope="col">Line</th><th scope="col">Fare</th></tr>"#), "{out}");
        assert!(out.contains(r##"<td><span class="hl hl-fact">Pink</span></td><td><span class="hl hl-fact">45 baht</span><sup class="n"><a href="#note-1">[1]</a></sup></td>"##), "{out}");
        assert_eq!(out.matches("[1]</a></sup>").count(), 1);
        // The separator is in no cell.
        assert!(!out.contains("<td> | "));
        // The note quotes the text as it is, separator and all.
        assert!(out.contains("“Pink | 45 baht”"));
    }
}
