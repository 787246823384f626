//! Browser tests for articles in every script: Arabic and Hebrew laid out
//! right to left, words of Chinese, Japanese and Thai from the browser's
//! dictionary (`Intl.Segmenter`), the word cursor's arrows, input-method
//! composition, saved pages' clutter, and Markdown tables.

use crate::common::{
    highlight_texts, js, mount, mount_painted, press, selected_text, sleep, wait_for, Mounted,
};
use claimmark::core::parse::parse_markdown;
use claimmark::core::parse::plain::parse_plain_text;
use claimmark::core::Article;
use claimmark::web::html::html_article;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

/// The five script fixtures: name, text file, saved page.
const SCRIPTS: [(&str, &str, &str); 5] = [
    (
        "ar",
        include_str!("../fixtures/scripts/ar-news.txt"),
        include_str!("../fixtures/scripts/ar-news.html"),
    ),
    (
        "he",
        include_str!("../fixtures/scripts/he-news.txt"),
        include_str!("../fixtures/scripts/he-news.html"),
    ),
    (
        "zh",
        include_str!("../fixtures/scripts/zh-news.txt"),
        include_str!("../fixtures/scripts/zh-news.html"),
    ),
    (
        "ja",
        include_str!("../fixtures/scripts/ja-news.txt"),
        include_str!("../fixtures/scripts/ja-news.html"),
    ),
    (
        "th",
        include_str!("../fixtures/scripts/th-news.txt"),
        include_str!("../fixtures/scripts/th-news.html"),
    ),
];

/// Saved news pages full of clutter, and the article a reader sees in each.
const PAGES: [(&str, &str, &str); 3] = [
    (
        "riverside-ledger",
        include_str!("../fixtures/pages/riverside-ledger.html"),
        include_str!("../fixtures/pages/riverside-ledger.expected.txt"),
    ),
    (
        "metro-daily",
        include_str!("../fixtures/pages/metro-daily.html"),
        include_str!("../fixtures/pages/metro-daily.expected.txt"),
    ),
    (
        "factcheck-desk",
        include_str!("../fixtures/pages/factcheck-desk.html"),
        include_str!("../fixtures/pages/factcheck-desk.expected.txt"),
    ),
];

fn script(lang: &str) -> Article {
    let (_, txt, _) = SCRIPTS.iter().find(|(l, _, _)| *l == lang).unwrap();
    parse_plain_text(txt, Some(format!("{lang}-news.txt")))
}

fn block_texts(a: &Article) -> Vec<String> {
    (0..a.blocks.len())
        .map(|i| a.block_text(i).to_string())
        .collect()
}

/// Non-space characters.
fn weight(s: &str) -> usize {
    s.chars().filter(|c| !c.is_whitespace()).count()
}

#[wasm_bindgen_test]
fn a_saved_page_in_every_script_reads_as_its_text_file_with_its_language() {
    for (lang, txt, html) in SCRIPTS {
        let from_text = parse_plain_text(txt, None);
        let from_page = html_article(html, "fallback", None).unwrap();
        // The same article: every paragraph, no ad, no related links, no
        // share bar, no newsletter promo; the byline is details, not text.
        assert_eq!(
            block_texts(&from_page),
            block_texts(&from_text),
            "{lang}: the page's article differs from the text file's"
        );
        assert_eq!(from_page.details.author, from_text.details.author, "{lang}");
        assert!(from_page.details.published.is_some(), "{lang}: no date");
        // The page's own language is kept, and with it the direction.
        let declared = from_page.details.language.clone().unwrap();
        assert!(declared.starts_with(lang), "{lang}: {declared}");
        assert_eq!(from_page.dir(), from_text.dir(), "{lang}");
    }
}

#[wasm_bindgen_test]
fn saved_pages_lose_their_clutter_and_keep_every_paragraph() {
    let (mut report, mut failures) = (Vec::new(), Vec::new());
    let (mut clutter_all, mut kept_all) = (0, 0);
    // The English pages, and each script's page read against its text file.
    let mut pages: Vec<(String, &str, Vec<String>)> = PAGES
        .iter()
        .map(|(name, html, expected)| {
            let lines = expected.lines().filter(|l| !l.trim().is_empty());
            (name.to_string(), *html, lines.map(str::to_string).collect())
        })
        .collect();
    for (lang, txt, html) in SCRIPTS {
        let want = block_texts(&parse_plain_text(txt, None));
        pages.push((format!("{lang}-news"), html, want));
    }
    for (name, html, want) in &pages {
        let (name, html) = (name.as_str(), *html);
        let article = html_article(html, name, None).unwrap();
        let got = block_texts(&article);
        let want: Vec<&str> = want.iter().map(String::as_str).collect();
        // What the page holds where the article is read from, by the same
        // rule the reader uses to choose it (its <article>, else <main>).
        let doc = web_sys::DomParser::new()
            .unwrap()
            .parse_from_string(html, web_sys::SupportedType::TextHtml)
            .unwrap();
        let root = doc
            .query_selector("article")
            .unwrap()
            .or_else(|| doc.query_selector("main").unwrap())
            .unwrap();
        let scripts = root.query_selector_all("script, style").unwrap();
        for i in 0..scripts.length() {
            scripts
                .item(i)
                .unwrap()
                .unchecked_into::<web_sys::Element>()
                .remove();
        }
        let root_text = weight(&root.text_content().unwrap_or_default());
        let clutter = root_text.saturating_sub(want.iter().map(|l| weight(l)).sum());
        let extra: usize = got
            .iter()
            .filter(|g| !want.contains(&g.as_str()))
            .map(|g| weight(g))
            .sum();
        let lost: Vec<&&str> = want
            .iter()
            .filter(|w| !got.contains(&w.to_string()))
            .collect();
        clutter_all += clutter;
        kept_all += extra;
        report.push(format!(
            "{name}: {clutter} characters of clutter inside the article, {extra} kept ({}% dropped); {} of {} paragraphs lost",
            clutter.saturating_sub(extra) * 100 / clutter.max(1),
            lost.len(),
            want.len()
        ));
        if !lost.is_empty() {
            failures.push(format!("{name}: paragraphs lost: {lost:?}"));
        } else if got != want {
            failures.push(format!("{name}: read as {got:#?}"));
        }
    }
    web_sys::console::log_1(
        &format!(
            "all pages: {kept_all} of {clutter_all} clutter characters kept\n{}",
            report.join("\n")
        )
        .into(),
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// The rectangle of the first occurrence of `needle` in the article's text.
fn rect_of(app: &Mounted, needle: &str) -> web_sys::DomRect {
    let f = js_sys::Function::new_with_args(
        "root, needle",
        "const w = document.createTreeWalker(root, NodeFilter.SHOW_TEXT); \
         for (let n = w.nextNode(); n; n = w.nextNode()) { \
           const at = n.data.indexOf(needle); \
           if (at >= 0) { const r = document.createRange(); r.setStart(n, at); r.setEnd(n, at + needle.length); return r.getBoundingClientRect(); } \
         } return null;",
    );
    f.call2(&wasm_bindgen::JsValue::NULL, &app.article(), &needle.into())
        .unwrap()
        .dyn_into()
        .unwrap_or_else(|_| panic!("{needle:?} is not in the article"))
}

#[wasm_bindgen_test]
async fn an_arabic_article_runs_right_to_left_with_latin_names_and_numbers_in_order() {
    let app = mount_painted(Some(parse_plain_text(
        "خط جديد للحافلات\n\nقالت شركة Siemens Mobility إن 3,200 حافلة ستعمل.",
        None,
    )))
    .await;
    let article = app.article();
    assert_eq!(article.get_attribute("dir").as_deref(), Some("rtl"));
    assert_eq!(article.get_attribute("lang").as_deref(), Some("ar"));
    let p = app.q("article p").unwrap();
    let style = web_sys::window()
        .unwrap()
        .get_computed_style(&p)
        .unwrap()
        .unwrap();
    assert_eq!(style.get_property_value("direction").unwrap(), "rtl");
    // Read right to left: the first word is rightmost, the Latin name after
    // it to its left, itself left to right; the number keeps its digits in
    // order; the full stop ends the line on the left.
    let first = rect_of(&app, "قالت");
    let siemens = rect_of(&app, "Siemens");
    let mobility = rect_of(&app, "Mobility");
    let three = rect_of(&app, "3,");
    let two_hundred = rect_of(&app, "200");
    let last = rect_of(&app, "ستعمل");
    let stop = rect_of(&app, ".");
    assert!(
        first.left() > siemens.right(),
        "the first word is not at the right"
    );
    assert!(
        siemens.left() < mobility.left(),
        "the Latin name is not left to right"
    );
    assert!(
        three.left() < two_hundred.left(),
        "the number's digits are out of order"
    );
    assert!(
        siemens.left() > last.right(),
        "the words are not right to left"
    );
    assert!(
        stop.right() <= last.left() + 1.0,
        "the full stop is not at the end (left)"
    );
    let p_rect = p.get_bounding_client_rect();
    assert!(
        (p_rect.right() - first.right()).abs() < 2.0,
        "the line does not start at the right edge"
    );
}

#[wasm_bindgen_test]
async fn an_arabic_byline_keeps_its_date_in_order_and_no_english_by() {
    for painted in [false, true] {
        let article = script("ar");
        let app = if painted {
            mount_painted(Some(article)).await
        } else {
            mount(Some(article)).await
        };
        let byline = app.text("article .byline");
        assert!(!byline.contains("By "), "{byline}");
        assert!(byline.contains("ليلى حداد"), "{byline}");
        // The date reads 2026-03-03, year first, also inside Arabic text.
        let year = rect_of(&app, "2026");
        let day = rect_of(&app, "03-03");
        assert!(
            year.right() <= day.left() + 1.0,
            "the date's digits are reordered"
        );
        // The fields read right to left: author, outlet, date.
        let author = rect_of(&app, "ليلى حداد");
        let outlet = rect_of(&app, "صحيفة النهر");
        assert!(
            author.left() > outlet.right(),
            "the outlet is not after the author: {} {} / {} {} (painted: {painted}) {:?}",
            author.left(),
            author.right(),
            outlet.left(),
            outlet.right(),
            app.q("article .byline").map(|b| b.outer_html())
        );
        assert!(
            outlet.left() > year.right(),
            "the date is not after the outlet"
        );
    }
    // A Latin name keeps its "By".
    let app = mount(Some(parse_plain_text(
        "Bridge repair approved\n\nBy Laura Benning · The Riverside Ledger · March 3, 2026\n\nThe council voted.",
        None,
    )))
    .await;
    assert!(app.text("article .byline").contains("By Laura Benning"));
}

#[wasm_bindgen_test]
async fn a_left_to_right_article_gives_its_arabic_quotation_its_own_direction() {
    let app = mount(Some(parse_plain_text(
        "Cairo opens a bus line\n\nThe line has 14 stops.\n\nيربط الخط مدينة نصر بميدان التحرير.",
        None,
    )))
    .await;
    assert_eq!(app.article().get_attribute("dir").as_deref(), Some("ltr"));
    let blocks = app.all("article [data-b]");
    assert_eq!(blocks[1].get_attribute("dir"), None);
    assert_eq!(blocks[2].get_attribute("dir").as_deref(), Some("rtl"));
}

#[wasm_bindgen_test]
async fn a_drag_inside_a_chinese_japanese_or_thai_word_selects_the_word() {
    for (lang, inside, word) in [
        ("zh", "铁", "地铁"),
        ("ja", "測", "予測"),
        ("th", "ชมพ", "สีชมพู"),
    ] {
        let app = mount_painted(Some(script(lang))).await;
        app.select_text(inside).await;
        press(None, "f", false, false).await;
        wait_for(&format!("the new annotation ({lang})"), || {
            app.items().len() == 1
        })
        .await;
        assert_eq!(highlight_texts("cm-fact"), [word], "{lang}");
    }
}

#[wasm_bindgen_test]
async fn the_word_cursor_moves_by_dictionary_words() {
    let app = mount(Some(script("zh"))).await;
    let article = app.article();
    let mut seen = vec![];
    for _ in 0..4 {
        press(Some(&article), "ArrowRight", false, false).await;
        seen.push(selected_text());
    }
    assert_eq!(seen, ["成都", "地铁", "十九", "号"]);
    press(Some(&article), "ArrowLeft", false, false).await;
    assert_eq!(selected_text(), "十九");
    press(Some(&article), "ArrowRight", false, true).await;
    assert_eq!(selected_text(), "十九号");
}

#[wasm_bindgen_test]
async fn in_right_to_left_text_the_arrows_go_the_way_they_point() {
    let app = mount(Some(script("ar"))).await;
    let article = app.article();
    press(Some(&article), "ArrowLeft", false, false).await;
    assert_eq!(selected_text(), "القاهرة");
    // ← goes on (leftwards, the way Arabic reads), → goes back.
    press(Some(&article), "ArrowLeft", false, false).await;
    assert_eq!(selected_text(), "تطلق");
    press(Some(&article), "ArrowLeft", false, false).await;
    assert_eq!(selected_text(), "أول");
    press(Some(&article), "ArrowRight", false, false).await;
    assert_eq!(selected_text(), "تطلق");
    // Shift+← takes the next word in too.
    press(Some(&article), "ArrowLeft", false, true).await;
    assert_eq!(selected_text(), "تطلق أول");
    // A left-to-right article keeps → as next.
    drop(app);
    let app = mount(Some(script("zh"))).await;
    press(Some(&app.article()), "ArrowRight", false, false).await;
    press(Some(&app.article()), "ArrowRight", false, false).await;
    assert_eq!(selected_text(), "地铁");
}

#[wasm_bindgen_test]
async fn highlights_on_right_to_left_text_paint_the_words_and_number_them_in_reading_order() {
    let app = mount_painted(Some(script("ar"))).await;
    app.select_text("Siemens Mobility").await;
    press(None, "f", false, false).await;
    app.select_text("3,200 حافلة").await;
    press(None, "q", false, false).await;
    wait_for("two annotations", || app.items().len() == 2).await;
    assert_eq!(highlight_texts("cm-fact"), ["Siemens Mobility"]);
    assert_eq!(highlight_texts("cm-quote"), ["3,200 حافلة"]);
    // The panel shows each quote in its own direction and the article's language.
    let quotes = app.all(".items q.item-quote");
    let dirs: Vec<Option<String>> = quotes.iter().map(|q| q.get_attribute("dir")).collect();
    assert_eq!(dirs, [Some("ltr".into()), Some("rtl".into())]);
    assert!(quotes
        .iter()
        .all(|q| q.get_attribute("lang").as_deref() == Some("ar")));
}

/// Dispatch `compositionstart`, then a key as an input method sends it
/// while composing (`isComposing`, key code 229), on `target`.
fn composing_key(target: &web_sys::Element, key: &str, ctrl: bool) {
    let f = js_sys::Function::new_with_args(
        "target, key, ctrl",
        "target.dispatchEvent(new CompositionEvent('compositionstart', { bubbles: true, data: '' })); \
         target.dispatchEvent(new CompositionEvent('compositionupdate', { bubbles: true, data: 'に' })); \
         target.dispatchEvent(new KeyboardEvent('keydown', { key, ctrlKey: ctrl, isComposing: true, keyCode: 229, bubbles: true, cancelable: true }));",
    );
    f.call3(
        &wasm_bindgen::JsValue::NULL,
        target,
        &key.into(),
        &ctrl.into(),
    )
    .unwrap();
}

#[wasm_bindgen_test]
async fn no_shortcut_acts_while_an_input_method_is_composing() {
    let app = mount(Some(script("ja"))).await;
    let article = app.article();
    app.select_text("予測").await;
    // "f" while composing: no annotation.
    composing_key(&article, "f", false);
    // A key code 229 alone (Safari's way) counts too.
    js("document.querySelector('article').dispatchEvent(new KeyboardEvent('keydown', { key: 'q', keyCode: 229, bubbles: true, cancelable: true }));");
    yew::scheduler::flush().await;
    // Nothing to wait for: make sure nothing follows (it would at once).
    sleep(100).await;
    assert_eq!(app.items().len(), 0, "a shortcut acted during composition");
    // The arrows' word cursor does not move either.
    let before = selected_text();
    composing_key(&article, "ArrowRight", false);
    yew::scheduler::flush().await;
    assert_eq!(selected_text(), before);
    js("document.querySelector('article').dispatchEvent(new CompositionEvent('compositionend', { bubbles: true, data: '' }));");
    // Once composition ends the same key tags.
    press(None, "f", false, false).await;
    wait_for("the annotation after composing", || app.items().len() == 1).await;
    // Ctrl+Z while composing undoes nothing.
    composing_key(&article, "z", true);
    yew::scheduler::flush().await;
    sleep(100).await;
    assert_eq!(app.items().len(), 1, "undo acted during composition");
}

#[wasm_bindgen_test]
async fn a_markdown_table_is_drawn_as_a_table_and_selections_in_it_stay_exact() {
    let md = "# Fares\n\nThe new line's fares:\n\n| Line | Stations | Fare |\n|---|---|---|\n| Pink | 30 | 45 baht |\n| Yellow | 23 | 45 baht |\n";
    for painted in [false, true] {
        let article = parse_markdown(md, "Fares", None);
        let app = if painted {
            mount_painted(Some(article)).await
        } else {
            mount(Some(article)).await
        };
        let heads: Vec<String> = app
            .all("article table.md-table thead th")
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect();
        // A header cell holds its words and, hidden, the " | " after them.
        assert_eq!(
            heads,
            ["Line | ", "Stations | ", "Fare"],
            "painted: {painted}"
        );
        let cells: Vec<String> = app
            .all("article table.md-table tbody tr:first-child td")
            .iter()
            .map(|c| c.text_content().unwrap_or_default())
            .collect();
        // The " | " between cells stays in the DOM (hidden), at a cell's end.
        assert_eq!(cells, ["Pink | ", "30 | ", "45 baht"], "painted: {painted}");
        let sep = app.q("article .cell-sep").unwrap();
        assert_eq!(sep.get_attribute("aria-hidden").as_deref(), Some("true"));
        // (Hidden by `styles/main.css`'s `.cell-sep`, which the end-to-end
        // test's screenshots and copy check; this page loads no styles.)
        assert!(sep.class_list().contains("cell-sep"));
        // A selection across two cells is the text's own, separator included.
        app.select_text("Pink | 30").await;
        press(None, "q", false, false).await;
        wait_for("the annotation on the row", || app.items().len() == 1).await;
        assert_eq!(
            app.text(".items q.item-quote"),
            "Pink | 30",
            "painted: {painted}"
        );
        if painted {
            assert_eq!(highlight_texts("cm-quote"), ["Pink | 30"]);
        } else {
            let marked: Vec<String> = app
                .all("article mark.hl-quote")
                .iter()
                .map(|m| m.text_content().unwrap_or_default())
                .collect();
            assert_eq!(marked.concat(), "Pink30");
        }
    }
}
