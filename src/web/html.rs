//! HTML → article blocks, parsed inertly.
//!
//! `DOMParser` builds a document with no browsing context: scripts never
//! run, event handlers never fire, nothing is fetched and `javascript:` URLs
//! are never followed. The walk below only reads text from it, and skips
//! every element whose content is not article text (scripts, styles,
//! templates, `<noscript>`, embedded objects, forms, hidden elements).
//!
//! Inside the article too, what is not the story is left out ([`clutter`]):
//! asides and navigation, containers whose class, id, role, label or
//! `data-component` says ad, promo, newsletter, related, share, social,
//! comments and the like (unless they hold most of the article's text or
//! its headline), short lists of links back into the same site ("More from
//! …", tags), blocks that are only an ad label ("Advertisement",
//! "Story continues below advertisement", "إعلان", "广告") or a "Read more:"
//! link, and short labels (a kicker, a section name) before the headline.
//! A list of links to other sites — a fact-check's sources — stays.
//!
//! The page's language (`lang` on the article or an ancestor, or
//! `Content-Language`) is kept as the article's details' language: it
//! sets the article's `lang` and, for Arabic, Hebrew, Persian or Urdu, its
//! direction.
//!
//! Links (`<a href>`) are kept when they lead to an `http`/`https` address
//! (a relative one is resolved against the page's canonical URL, when it
//! has one); what the page says about itself — `<link rel=canonical>`,
//! `og:url`, `article:published_time` or a `<time datetime>`, `og:site_name`,
//! `author` — prefills the article's details. Only attribute values and
//! text are read; nothing in the document is ever followed or run.

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::core::article::{iso_day, Part};
use crate::core::factcheck::check_source;
use crate::core::parse::{assemble, BlockBuf};
use crate::core::{Article, BlockKind, Details};

mod clutter;

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "FORM", "INPUT",
    "BUTTON", "SELECT", "TEXTAREA", "SVG", "MATH", "CANVAS", "VIDEO", "AUDIO", "PICTURE", "IMG",
    "HEAD", "LINK", "META", "BASE", "FRAME", "FRAMESET", "APPLET", "DIALOG",
];
/// Site chrome, skipped when the page has no `<article>` or `<main>`.
const CHROME: &[&str] = &["NAV", "HEADER", "FOOTER", "ASIDE"];
/// Never the story, even inside `<article>`.
const NOT_STORY: &[&str] = &["NAV", "ASIDE"];

/// Build an article from an HTML document's text.
pub fn html_article(html: &str, fallback: &str, source: Option<String>) -> Result<Article, String> {
    let parser =
        web_sys::DomParser::new().map_err(|_| "this browser cannot parse HTML".to_string())?;
    let doc: Document = parser
        .parse_from_string(html, web_sys::SupportedType::TextHtml)
        .map_err(|_| "the HTML could not be parsed".to_string())?;
    let root = doc
        .query_selector("article")
        .ok()
        .flatten()
        .or_else(|| doc.query_selector("main").ok().flatten())
        .or_else(|| doc.query_selector("[role=main]").ok().flatten());
    let focused = root.is_some();
    let Some(root) = root.or_else(|| doc.body().map(Element::from)) else {
        return Err("the HTML has no body".into());
    };
    let found = page_details(&doc, &root);
    let mut w = Walker {
        blocks: Vec::new(),
        buf: BlockBuf::default(),
        skip_chrome: !focused,
        base: found.url.clone(),
        lists: Vec::new(),
        clutter: clutter::Judge::new(&root, found.url.as_deref()),
    };
    w.walk(&root, BlockKind::Paragraph);
    w.flush(BlockKind::Paragraph);
    let mut blocks = w.blocks;
    // Short labels before the headline (a kicker, a section's name) are
    // not the story.
    if let Some(h) = blocks.iter().position(|b| b.kind == BlockKind::Heading(1)) {
        if (1..=3).contains(&h)
            && blocks[..h]
                .iter()
                .all(|b| b.text.split_whitespace().count() <= 8)
        {
            blocks.drain(..h);
        }
    }
    // The headline: the first <h1> when it comes first, else <title>.
    if let Some(first) = blocks.first_mut() {
        if first.kind == BlockKind::Heading(1) {
            first.kind = BlockKind::Title;
        }
    }
    for b in blocks.iter_mut() {
        if b.kind == BlockKind::Heading(1) {
            b.kind = BlockKind::Heading(2);
        }
    }
    let title = Some(doc.title()).filter(|t| !t.trim().is_empty());
    let mut article = assemble(title, blocks, fallback, source);
    if article.blocks.len() <= 1 {
        return Err("the HTML has no readable text (only markup, scripts or styles)".into());
    }
    // What the page says of itself wins over what its file name says.
    let guessed = std::mem::take(&mut article.details);
    article.details = Details {
        url: found.url.or(guessed.url),
        published: found.published.or(guessed.published),
        outlet: found.outlet.or(guessed.outlet),
        author: found.author.or(guessed.author),
        language: found.language,
    }
    .tidy();
    Ok(article)
}

/// The value of the first element matching `selector` that has `attr`.
fn attr_of(doc: &Document, selector: &str, attr: &str) -> Option<String> {
    let list = doc.query_selector_all(selector).ok()?;
    (0..list.length())
        .filter_map(|i| list.item(i)?.dyn_into::<Element>().ok())
        .find_map(|el| el.get_attribute(attr).filter(|v| !v.trim().is_empty()))
}

/// The language `el` is in: its own `lang` or its nearest ancestor's, else
/// the page's `Content-Language`.
fn language_of(doc: &Document, el: &Element) -> Option<String> {
    el.closest("[lang]")
        .ok()
        .flatten()
        .and_then(|e| e.get_attribute("lang"))
        .or_else(|| attr_of(doc, "meta[http-equiv='content-language' i]", "content"))
        .and_then(|l| crate::core::script::clean_lang(l.split(',').next().unwrap_or("")))
}

/// What a page's head (and its `<time>` elements) says about it, and the
/// language of `root`, the part read as the article.
fn page_details(doc: &Document, root: &Element) -> Details {
    let url = attr_of(doc, "link[rel~=canonical]", "href")
        .or_else(|| attr_of(doc, "meta[property='og:url']", "content"))
        .and_then(|u| check_source(&u).ok());
    let published = [
        ("meta[property='article:published_time']", "content"),
        ("meta[itemprop=datePublished]", "content"),
        ("meta[name=date]", "content"),
        ("meta[name=pubdate]", "content"),
        ("meta[name='DC.date.issued']", "content"),
        ("time[pubdate]", "datetime"),
        ("article time[datetime]", "datetime"),
        ("time[datetime]", "datetime"),
    ]
    .iter()
    .find_map(|(sel, attr)| attr_of(doc, sel, attr).and_then(|d| iso_day(&d)));
    let outlet = attr_of(doc, "meta[property='og:site_name']", "content")
        .or_else(|| attr_of(doc, "meta[name=publisher]", "content"));
    // An author that is a link (as `article:author` often is) is no name.
    let name = |s: String| (!s.contains("://")).then_some(s);
    let author = attr_of(doc, "meta[name=author]", "content")
        .and_then(name)
        .or_else(|| {
            doc.query_selector("[rel~=author]")
                .ok()
                .flatten()
                .and_then(|a| a.text_content())
                .filter(|t| !t.trim().is_empty())
        })
        .or_else(|| attr_of(doc, "meta[property='article:author']", "content").and_then(name));
    Details {
        url,
        published,
        outlet,
        author,
        language: language_of(doc, root),
    }
}

struct Walker {
    blocks: Vec<Part>,
    buf: BlockBuf,
    skip_chrome: bool,
    /// The page's own address: relative links are resolved against it.
    base: Option<String>,
    /// Open lists: the next number of each `<ol>`, `None` for others.
    lists: Vec<Option<u32>>,
    clutter: clutter::Judge,
}

impl Walker {
    fn flush(&mut self, kind: BlockKind) {
        if let Some(part) = self.buf.take(kind) {
            if !clutter::is_label(&part) {
                self.blocks.push(part);
            }
        }
    }

    /// A link's address as an absolute URL, if it can be one.
    fn resolve(&self, href: &str) -> String {
        match &self.base {
            Some(base) => web_sys::Url::new_with_base(href.trim(), base)
                .map(|u| u.href())
                .unwrap_or_default(),
            None => href.trim().to_string(),
        }
    }

    fn walk(&mut self, node: &Node, kind: BlockKind) {
        let children = node.child_nodes();
        for i in 0..children.length() {
            let Some(child) = children.item(i) else {
                continue;
            };
            match child.node_type() {
                Node::TEXT_NODE | Node::CDATA_SECTION_NODE => {
                    if let Some(t) = child.text_content() {
                        self.buf.push_str(&t);
                    }
                }
                Node::ELEMENT_NODE => {
                    if let Ok(el) = child.dyn_into::<Element>() {
                        self.element(&el, kind);
                    }
                }
                _ => {} // comments, processing instructions
            }
        }
    }

    fn element(&mut self, el: &Element, kind: BlockKind) {
        let tag = el.tag_name().to_ascii_uppercase();
        if SKIP.contains(&tag.as_str())
            || (self.skip_chrome && CHROME.contains(&tag.as_str()))
            || NOT_STORY.contains(&tag.as_str())
            || self.clutter.drops(el, &tag)
            || el.has_attribute("hidden")
            || el.get_attribute("aria-hidden").as_deref() == Some("true")
            || el.get_attribute("style").is_some_and(|s| {
                s.replace(' ', "")
                    .to_ascii_lowercase()
                    .contains("display:none")
            })
        {
            return;
        }
        let block = match tag.as_str() {
            "H1" => Some(BlockKind::Heading(1)),
            "H2" => Some(BlockKind::Heading(2)),
            "H3" => Some(BlockKind::Heading(3)),
            "H4" => Some(BlockKind::Heading(4)),
            "H5" => Some(BlockKind::Heading(5)),
            "H6" => Some(BlockKind::Heading(6)),
            "LI" => Some(match self.lists.last_mut() {
                Some(Some(n)) => {
                    // `<li value>` renumbers from there on.
                    if let Some(v) = el
                        .get_attribute("value")
                        .and_then(|v| v.trim().parse().ok())
                    {
                        *n = v;
                    }
                    let k = BlockKind::OrderedItem(*n);
                    *n = n.saturating_add(1);
                    k
                }
                _ => BlockKind::ListItem,
            }),
            "DT" | "DD" => Some(BlockKind::ListItem),
            "BLOCKQUOTE" => Some(BlockKind::BlockQuote),
            "P" | "PRE" | "TD" | "TH" | "CAPTION" | "FIGCAPTION" | "ADDRESS" => Some(match kind {
                BlockKind::BlockQuote | BlockKind::ListItem => kind,
                _ => BlockKind::Paragraph,
            }),
            "DIV" | "SECTION" | "ARTICLE" | "MAIN" | "UL" | "OL" | "DL" | "TABLE" | "THEAD"
            | "TBODY" | "TFOOT" | "TR" | "FIGURE" | "HEADER" | "FOOTER" | "ASIDE" | "NAV"
            | "HR" | "BODY" | "DETAILS" | "SUMMARY" => Some(kind),
            _ => None,
        };
        match (tag.as_str(), block) {
            ("BR", _) => self.flush(kind),
            ("A", None) => {
                // Only text is read from it; the address is kept as data.
                let href = el.get_attribute("href").unwrap_or_default();
                self.buf.start_link(&self.resolve(&href));
                self.walk(el, kind);
                self.buf.end_link();
            }
            ("PRE", Some(k)) => {
                self.flush(kind);
                for line in el.text_content().unwrap_or_default().lines() {
                    self.buf.push_str(line);
                    self.flush(k);
                }
            }
            ("OL" | "UL" | "DL", Some(k)) => {
                let start = el
                    .get_attribute("start")
                    .and_then(|s| s.trim().parse().ok())
                    .unwrap_or(1);
                self.lists.push((tag == "OL").then_some(start));
                self.flush(kind);
                self.walk(el, k);
                self.flush(k);
                self.lists.pop();
            }
            (_, Some(k)) => {
                self.flush(kind);
                self.walk(el, k);
                self.flush(k);
            }
            (_, None) => {
                // Inline: its text joins the block being built.
                self.walk(el, kind);
            }
        }
    }
}
