//! What inside an article is not the story: ads, promos, related links,
//! share bars, comments (see the module notes of `web::html`).
//!
//! Each rule was checked against the saved pages in `tests/fixtures/pages/`
//! and `tests/fixtures/scripts/` (`tests/browser/open.rs` measures how much
//! of their clutter goes and that no paragraph of the story does).

use wasm_bindgen::JsCast;
use web_sys::Element;

use crate::core::article::Part;

/// Words of a class, id, role, label or `data-component` that mark clutter
/// (compared whole, after splitting on anything but letters and digits).
const TOKENS: &[&str] = &[
    "ad",
    "ads",
    "adv",
    "advert",
    "adverts",
    "advertisement",
    "advertisements",
    "advertising",
    "adslot",
    "adunit",
    "dfp",
    "sponsor",
    "sponsored",
    "sponsors",
    "promo",
    "promos",
    "promotion",
    "newsletter",
    "newsletters",
    "signup",
    "subscribe",
    "subscription",
    "related",
    "recommended",
    "recommend",
    "recommendations",
    "recirc",
    "recirculation",
    "outbrain",
    "taboola",
    "share",
    "sharing",
    "sharebar",
    "social",
    "comments",
    "comment",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "popular",
    "trending",
    "mostread",
    "cookie",
    "cookies",
    "consent",
    "paywall",
    "pr",
    "gg",
    // Labels in the languages of the script fixtures.
    "إعلان",
    "اعلان",
    "مشاركة",
    "广告",
    "廣告",
    "広告",
    "פרסומת",
    "โฆษณา",
];
/// Roles that are never the story.
const ROLES: &[&str] = &["complementary", "navigation", "contentinfo", "banner"];

/// A block that is only an ad's or a promo's label.
const LABELS: &[&str] = &[
    "advertisement",
    "advertisements",
    "advert",
    "ad",
    "ads",
    "sponsored",
    "sponsored content",
    "paid content",
    "promoted",
    "story continues below advertisement",
    "article continues below advertisement",
    "continue reading below",
    "continue reading below advertisement",
    "scroll to continue with content",
    "publicité",
    "publicidad",
    "anuncio",
    "werbung",
    "pubblicità",
    "إعلان",
    "اعلان",
    "إعلانات",
    "广告",
    "廣告",
    "広告",
    "פרסומת",
    "โฆษณา",
];
/// How a short promo block starts ("Advertisement — …", "Read more: …").
const LABEL_STARTS: &[&str] = &[
    "advertisement —",
    "advertisement –",
    "advertisement -",
    "advertisement:",
    "sponsored:",
    "sponsored —",
    "read more:",
    "related:",
    "see also:",
    "also read:",
    "read also:",
    "إعلان:",
    "إعلان —",
    "اقرأ أيضا",
    "اقرأ أيضاً",
    "广告：",
    "广告:",
    "広告：",
    "相关阅读",
    "関連記事",
    "קראו גם",
];

/// Whether a block read from the page is only an ad's label or a short
/// "Read more:" line.
pub fn is_label(part: &Part) -> bool {
    let t = part.text.trim().to_lowercase();
    let bare = t.trim_matches(|c: char| !c.is_alphanumeric());
    LABELS.contains(&bare)
        || (t.chars().count() <= 200 && LABEL_STARTS.iter().any(|s| t.starts_with(s)))
}

/// Decides, element by element, what inside the article's root is clutter.
pub struct Judge {
    /// The root's text, in non-space characters: an element holding half
    /// of it is the story, whatever its class says.
    root_len: usize,
    /// The page's own host: links there are links back into the site.
    host: Option<String>,
}

/// Non-space characters of an element's text.
fn text_len(el: &Element) -> usize {
    el.text_content()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_whitespace())
        .count()
}

fn host_of(url: &str) -> Option<String> {
    let rest = url.split_once("://")?.1;
    let host = rest.split(['/', '?', '#']).next()?;
    Some(host.rsplit('@').next()?.to_ascii_lowercase())
}

impl Judge {
    pub fn new(root: &Element, page_url: Option<&str>) -> Judge {
        Judge {
            root_len: text_len(root),
            host: page_url.and_then(host_of),
        }
    }

    /// Whether `href` leads back into the same site: relative, or to the
    /// page's own host.
    fn internal(&self, href: &str) -> bool {
        let h = href.trim();
        if h.starts_with("//") {
            return host_of(&format!("https:{h}")) == self.host && self.host.is_some();
        }
        if !h.contains("://") {
            return !h.starts_with("mailto:") && !h.starts_with("javascript:");
        }
        self.host.is_some() && host_of(h) == self.host
    }

    /// Whether the element `el` (tag `tag`, upper case) is clutter.
    pub fn drops(&self, el: &Element, tag: &str) -> bool {
        // Containers only: an inline element (a link, a span) is words of
        // a sentence, whatever its class.
        if !matches!(
            tag,
            "DIV"
                | "SECTION"
                | "ASIDE"
                | "NAV"
                | "FOOTER"
                | "HEADER"
                | "UL"
                | "OL"
                | "DL"
                | "P"
                | "FIGURE"
                | "TABLE"
        ) || el.query_selector("h1").ok().flatten().is_some()
        {
            return false;
        }
        let len = text_len(el);
        // Never most of the story.
        if len * 2 >= self.root_len && self.root_len > 0 {
            return false;
        }
        self.hinted(el) || self.link_list(el, tag, len)
    }

    /// A class, id, role, label or component name that says clutter.
    fn hinted(&self, el: &Element) -> bool {
        if el
            .get_attribute("role")
            .is_some_and(|r| ROLES.contains(&r.trim().to_ascii_lowercase().as_str()))
        {
            return true;
        }
        [
            "class",
            "id",
            "aria-label",
            "data-component",
            "data-module",
            "data-ad-slot",
        ]
        .iter()
        .filter_map(|a| el.get_attribute(a).map(|v| (*a, v)))
        .any(|(a, v)| {
            // Any `data-ad-slot` marks an ad, whatever its value.
            a == "data-ad-slot"
                || v.to_lowercase()
                    .split(|c: char| !c.is_alphanumeric())
                    .any(|w| TOKENS.contains(&w))
        })
    }

    /// A short list of links back into the same site ("More from …",
    /// "Related", tags): two or more links, most of its text in links,
    /// and most of them internal.
    fn link_list(&self, el: &Element, tag: &str, len: usize) -> bool {
        if !matches!(tag, "DIV" | "SECTION" | "UL" | "OL" | "FOOTER") || len > 600 {
            return false;
        }
        let Ok(links) = el.query_selector_all("a[href]") else {
            return false;
        };
        let (mut n, mut inside, mut link_len) = (0, 0, 0);
        for i in 0..links.length() {
            let Some(a) = links.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else {
                continue;
            };
            let l = text_len(&a);
            if l == 0 {
                continue;
            }
            n += 1;
            link_len += l;
            if self.internal(&a.get_attribute("href").unwrap_or_default()) {
                inside += 1;
            }
        }
        let dense = if matches!(tag, "UL" | "OL") { 8 } else { 6 };
        n >= 2 && link_len * 10 >= len * dense && inside * 2 > n
    }
}
