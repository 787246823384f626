//! HTML → article blocks, parsed inertly.
//!
//! `DOMParser` builds a document with no browsing context: scripts never
//! run, event handlers never fire, nothing is fetched and `javascript:` URLs
//! are never followed. The walk below only reads text from it, and skips
//! every element whose content is not article text (scripts, styles,
//! templates, `<noscript>`, embedded objects, forms, hidden elements).

use wasm_bindgen::JsCast;
use web_sys::{Document, Element, Node};

use crate::core::parse::assemble;
use crate::core::{Article, BlockKind};

/// Elements whose content is never article text.
const SKIP: &[&str] = &[
    "SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "IFRAME", "OBJECT", "EMBED", "FORM", "INPUT",
    "BUTTON", "SELECT", "TEXTAREA", "SVG", "MATH", "CANVAS", "VIDEO", "AUDIO", "PICTURE", "IMG",
    "HEAD", "LINK", "META", "BASE", "FRAME", "FRAMESET", "APPLET", "DIALOG",
];
/// Site chrome, skipped when the page has no `<article>` or `<main>`.
const CHROME: &[&str] = &["NAV", "HEADER", "FOOTER", "ASIDE"];

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
    let mut w = Walker {
        blocks: Vec::new(),
        buf: String::new(),
        skip_chrome: !focused,
    };
    w.walk(&root, BlockKind::Paragraph);
    w.flush(BlockKind::Paragraph);
    let mut blocks = w.blocks;
    // The headline: the first <h1> when it comes first, else <title>.
    if let Some(first) = blocks.first_mut() {
        if first.0 == BlockKind::Heading(1) {
            first.0 = BlockKind::Title;
        }
    }
    for b in blocks.iter_mut() {
        if b.0 == BlockKind::Heading(1) {
            b.0 = BlockKind::Heading(2);
        }
    }
    let title = Some(doc.title()).filter(|t| !t.trim().is_empty());
    let article = assemble(title, blocks, fallback, source);
    if article.blocks.len() <= 1 {
        return Err("the HTML has no readable text (only markup, scripts or styles)".into());
    }
    Ok(article)
}

struct Walker {
    blocks: Vec<(BlockKind, String)>,
    buf: String,
    skip_chrome: bool,
}

impl Walker {
    fn flush(&mut self, kind: BlockKind) {
        // HTML collapses ASCII whitespace only: a no-break space stays.
        let t = self
            .buf
            .split_ascii_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        self.buf.clear();
        if !t.is_empty() {
            self.blocks.push((kind, t));
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
            "LI" | "DT" | "DD" => Some(BlockKind::ListItem),
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
            ("PRE", Some(k)) => {
                self.flush(kind);
                for line in el.text_content().unwrap_or_default().lines() {
                    self.buf.push_str(line);
                    self.flush(k);
                }
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
