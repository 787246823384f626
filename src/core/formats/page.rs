//! "Annotated page (HTML)": one self-contained `.html` file — the article
//! with its highlights and a number at the end of each, then the numbered
//! notes — with inline CSS and no script. The printed report in the app is
//! the same [`report`] tree, built as DOM nodes instead of text (see
//! `web::print`), so the two read and print alike.
//!
//! Scripts: the article's part carries its language and direction (`lang`,
//! `dir`), each block that runs the other way its own `dir`, each note's
//! quote the direction of its words, and what a person typed `dir="auto"`;
//! the report's own words (labels, legend) stay English, left to right. So
//! an Arabic article prints right to left with its numbers in reading
//! order, and its English notes still read left to right.
//!
//! Hand-in: under the headline and details, "Annotated by NAME on DATE"
//! (the name the person gave for printing and ClaimReview, `Context::author`).
//!
//! Safety: the report is a tree of [`Node`]s whose element and attribute
//! names are constants of this module; every piece of text (the article,
//! notes, titles, addresses) is a [`Node::Text`] or an attribute value,
//! escaped on writing ([`escape`]); link addresses are `http`/`https` only
//! (checked when they were stored). The page also carries a Content
//! Security Policy that allows no script, no request and no frame, so even
//! a mistake here could not run anything.

use std::collections::HashMap;

use super::{article_url, Context};
use crate::core::annotation::Annotation;
use crate::core::article::{Article, BlockKind, Piece, RowPart};
use crate::core::id::AnnotationId;
use crate::core::links::{self, End, EndState};
use crate::core::markup;
use crate::core::offset::Span;
use crate::core::segments::segments;
use crate::core::tag::Tag;

/// One node of the report: an element with constant names, or text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    El {
        tag: &'static str,
        attrs: Vec<(&'static str, String)>,
        children: Vec<Node>,
    },
    Text(String),
}

fn el(tag: &'static str, attrs: Vec<(&'static str, String)>, children: Vec<Node>) -> Node {
    Node::El {
        tag,
        attrs,
        children,
    }
}

fn class(c: &str) -> Vec<(&'static str, String)> {
    vec![("class", c.to_string())]
}

fn text(s: impl Into<String>) -> Node {
    Node::Text(s.into())
}

/// A link out of the page: never told where it came from, never given the
/// page as its opener.
fn link(href: &str, children: Vec<Node>) -> Node {
    el(
        "a",
        vec![
            ("href", href.to_string()),
            ("rel", "noopener noreferrer".into()),
        ],
        children,
    )
}

/// The class of a tag's highlight in the report.
pub fn tag_class(tag: Tag) -> &'static str {
    match tag {
        Tag::Fact => "hl hl-fact",
        Tag::Quote => "hl hl-quote",
        Tag::Analysis => "hl hl-analysis",
    }
}

/// The report's styles. Light colours only (the page declares
/// `color-scheme: light`, and nothing here follows a dark preference);
/// each tag's highlight is a line style as well as a pale fill, so it reads
/// in grayscale; notes keep their line breaks; page breaks avoid splitting
/// a heading from what follows or a note in two. One file,
/// `styles/report.css`: inlined in the annotated page, and the app's own
/// stylesheet for the printed report (an inline `<style>` would be refused
/// by the app's Content-Security-Policy).
pub const CSS: &str = include_str!("../../../styles/report.css");

/// Numbers of annotations: placed ones in document order, then orphans
/// (which have no place in the text to mark). Returns the annotations in
/// that order.
pub fn numbered(annotations: &[impl AsRef<Annotation>]) -> Vec<&Annotation> {
    let mut list: Vec<&Annotation> = annotations.iter().map(|a| a.as_ref()).collect();
    list.sort_by(|a, b| a.orphan.cmp(&b.orphan).then(a.doc_order(b)));
    list
}

/// The report of an article and its annotations: a header (title, details,
/// legend), the article's blocks with highlights and numbers, the numbered
/// notes, and a line saying when and with what it was made.
pub fn report(article: &Article, annotations: &[impl AsRef<Annotation>], cx: &Context) -> Node {
    let notes = numbered(annotations);
    let number: HashMap<&AnnotationId, usize> = notes
        .iter()
        .enumerate()
        .map(|(i, a)| (&a.id, i + 1))
        .collect();
    let placed: Vec<&Annotation> = notes.iter().copied().filter(|a| !a.orphan).collect();
    let runs = segments(article, &placed);
    // Where each annotation's number goes: after the last run it covers.
    let mut last_run: HashMap<&AnnotationId, (usize, usize)> = HashMap::new();
    for (b, block) in runs.iter().enumerate() {
        for (r, run) in block.iter().enumerate() {
            for c in &run.covers {
                last_run.insert(&c.id, (b, r));
            }
        }
    }
    let mut markers: HashMap<(usize, usize), Vec<usize>> = HashMap::new();
    for (id, at) in &last_run {
        markers.entry(*at).or_default().push(number[*id]);
    }
    for v in markers.values_mut() {
        v.sort_unstable();
    }

    // The nodes of block `b`'s runs within `within` (the block, or one
    // cell of a table row); a run's numbers go where it ends, in the last
    // part it reaches (`next`: where the part after this one starts).
    let children = |b: usize, within: Span, next: u32| -> Vec<Node> {
        let mut out: Vec<Node> = Vec::new();
        // Children of the link being written, and its address.
        let mut open: Option<(String, Vec<Node>)> = None;
        for (r, run) in runs[b].iter().enumerate() {
            let Some(here) = run.span.intersect(within).filter(|s| !s.is_empty()) else {
                continue;
            };
            for piece in split_at_links(article, here) {
                let mut node = text(article.slice(piece.span));
                let mut tags: Vec<Tag> = Tag::ALL
                    .into_iter()
                    .filter(|t| run.covers.iter().any(|c| c.tag == *t))
                    .collect();
                tags.reverse();
                for t in tags {
                    node = el("span", class(tag_class(t)), vec![node]);
                }
                match (&mut open, piece.href) {
                    (Some((h, kids)), Some(href)) if *h == href => kids.push(node),
                    (_, href) => {
                        if let Some((h, kids)) = open.take() {
                            out.push(link(&h, kids));
                        }
                        match href {
                            Some(href) => open = Some((href, vec![node])),
                            None => out.push(node),
                        }
                    }
                }
            }
            let numbers = markers.get(&(b, r)).filter(|_| run.span.end() <= next);
            if let Some(ns) = numbers {
                for &n in ns {
                    // Inside a link the number is plain (links do not nest).
                    let label = text(format!("[{n}]"));
                    let content = match &open {
                        Some(_) => vec![label],
                        None => vec![el("a", vec![("href", format!("#note-{n}"))], vec![label])],
                    };
                    let sup = el("sup", class("n"), content);
                    match &mut open {
                        Some((_, kids)) => kids.push(sup),
                        None => out.push(sup),
                    }
                }
            }
        }
        if let Some((h, kids)) = open.take() {
            out.push(link(&h, kids));
        }
        out
    };
    let block_children = |b: usize| children(b, article.blocks[b].span, u32::MAX);
    let article_dir = article.dir();
    let dir_attr = |b: usize, attrs: &mut Vec<(&'static str, String)>| {
        let dir = article.block_dir(b);
        if dir != article_dir {
            attrs.push(("dir", dir.attr().into()));
        }
    };
    // A table row: its cells (a header row's as column headers); the
    // " | " between them is not shown.
    let row = |b: usize| -> Node {
        let header = article.blocks[b].kind == BlockKind::TableHeader;
        let parts = article.row_parts(b).unwrap_or_default();
        let cells: Vec<Span> = parts
            .iter()
            .filter_map(|p| match p {
                RowPart::Cell(_, s) => Some(*s),
                RowPart::Between(_) => None,
            })
            .collect();
        let nodes = cells
            .iter()
            .enumerate()
            .map(|(k, cell)| {
                let next = cells.get(k + 1).map_or(u32::MAX, |c| c.start());
                let (tag, attrs) = if header {
                    ("th", vec![("scope", "col".to_string())])
                } else {
                    ("td", vec![])
                };
                el(tag, attrs, children(b, *cell, next))
            })
            .collect();
        let mut attrs = vec![];
        dir_attr(b, &mut attrs);
        el("tr", attrs, nodes)
    };
    let table = |r: std::ops::Range<usize>| -> Node {
        let (head, body): (Vec<usize>, Vec<usize>) =
            r.partition(|&b| article.blocks[b].kind == BlockKind::TableHeader);
        let mut parts = vec![];
        if !head.is_empty() {
            parts.push(el("thead", vec![], head.into_iter().map(row).collect()));
        }
        parts.push(el("tbody", vec![], body.into_iter().map(row).collect()));
        el("table", class("report-table"), parts)
    };
    let block = |b: usize| -> Node {
        let kind = article.blocks[b].kind;
        if matches!(kind, BlockKind::TableHeader | BlockKind::TableRow) {
            // Drawn by `table` (a row met alone is its own table).
            return table(b..b + 1);
        }
        // The element the app draws the block as; the report's stylesheet
        // names its standfirst apart from the app's.
        let (tag, cls) = markup::element_of(kind);
        let cls = cls.map(|c| {
            if c == "standfirst" {
                "report-standfirst"
            } else {
                c
            }
        });
        let mut attrs = cls.map(class).unwrap_or_default();
        if let BlockKind::OrderedItem(n) = article.blocks[b].kind {
            attrs.push(("value", n.to_string()));
        }
        dir_attr(b, &mut attrs);
        el(tag, attrs, block_children(b))
    };

    let mut body: Vec<Node> = Vec::new();
    for piece in article.pieces() {
        // What is known of the article goes under its headline.
        let headline = matches!(piece, Piece::FallbackTitle)
            || matches!(piece, Piece::Block(0) if article.blocks[0].kind == BlockKind::Title);
        match piece {
            Piece::FallbackTitle => body.push(el("h1", class("title"), vec![text(&article.title)])),
            Piece::Byline => {}
            Piece::Block(i) => body.push(block(i)),
            Piece::List(r) => body.push(el("ul", vec![], r.map(block).collect())),
            Piece::NumberedList(r) => body.push(el("ol", vec![], r.map(block).collect())),
            Piece::Table(r) => body.push(table(r)),
        }
        if headline {
            if let Some(d) = details_line(article) {
                body.push(d);
            }
            body.push(handed_in_by(cx));
            body.push(legend());
        }
    }

    let note_items: Vec<Node> = notes
        .iter()
        .enumerate()
        .map(|(i, a)| {
            note(
                i + 1,
                a,
                article,
                &cross_references(a, &notes, &number, article, cx),
            )
        })
        .collect();
    let mut text_attrs = class("report-text");
    if let Some(lang) = article.lang() {
        text_attrs.push(("lang", lang));
    }
    text_attrs.push(("dir", article_dir.attr().into()));
    let mut sections = vec![el("div", text_attrs, body)];
    if !note_items.is_empty() {
        sections.push(el(
            "section",
            vec![
                ("class", "notes".into()),
                ("aria-labelledby", "notes-heading".into()),
            ],
            vec![
                el(
                    "h2",
                    vec![("id", "notes-heading".into())],
                    vec![text("Notes")],
                ),
                el("ol", vec![], note_items),
            ],
        ));
    }
    let n = annotations.len();
    sections.push(el(
        "p",
        class("colophon"),
        vec![text(format!(
            "Annotated with claimmark; {}. {n} annotation{}.",
            &cx.now.to_iso8601()[..10],
            if n == 1 { "" } else { "s" }
        ))],
    ));
    el("article", class("cm-report"), sections)
}

/// A stretch of a run with the link it is in, if any.
struct Stretch {
    span: Span,
    href: Option<String>,
}

/// `span` cut where links start and end.
fn split_at_links(article: &Article, span: Span) -> Vec<Stretch> {
    let mut out = Vec::new();
    let mut pos = span.start();
    for l in article.links_in(span) {
        let s = l.span.start().max(span.start());
        let e = l.span.end().min(span.end());
        if s > pos {
            out.push(Stretch {
                span: Span::new(pos, s),
                href: None,
            });
        }
        out.push(Stretch {
            span: Span::new(s, e),
            href: Some(l.href.clone()),
        });
        pos = e;
    }
    if pos < span.end() {
        out.push(Stretch {
            span: Span::new(pos, span.end()),
            href: None,
        });
    }
    out
}

/// "URL · Published 2026-11-28 · Newslooks · By J. Mansour · …": the
/// details, and the text's own metadata they do not already say.
fn details_line(article: &Article) -> Option<Node> {
    let d = &article.details;
    let mut parts: Vec<Node> = Vec::new();
    // Values isolated (`<bdi>`): an Arabic outlet's name keeps its own
    // order inside the English line.
    let labelled = |label: &str, value: Node| -> Node {
        el(
            "span",
            vec![],
            vec![
                el("span", class("label"), vec![text(format!("{label}: "))]),
                el("bdi", vec![], vec![value]),
            ],
        )
    };
    if let Some(u) = article_url(article) {
        parts.push(labelled("URL", link(u, vec![text(u)])));
    }
    if let Some(p) = &d.published {
        parts.push(labelled("Published", text(p)));
    }
    if let Some(o) = &d.outlet {
        parts.push(labelled("Outlet", text(o)));
    }
    if let Some(a) = &d.author {
        parts.push(labelled("Author", text(a)));
    }
    for m in article.metadata_beyond_details() {
        parts.push(labelled(m.kind.label(), text(&m.value)));
    }
    (!parts.is_empty()).then(|| el("p", chrome("details"), parts))
}

/// Attributes of a line in the report's own words: English, left to
/// right, whatever the article's script.
fn chrome(c: &str) -> Vec<(&'static str, String)> {
    vec![
        ("class", c.to_string()),
        ("lang", "en".into()),
        ("dir", "ltr".into()),
    ]
}

/// "Annotated by Ana Reyes on 2026-03-05": who hands the work in, and
/// when (just the date when no name was given).
fn handed_in_by(cx: &Context) -> Node {
    let day = cx.now.to_iso8601()[..10].to_string();
    let name = cx
        .author
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty());
    let children = match name {
        Some(n) => vec![
            text("Annotated by "),
            el("bdi", class("report-name"), vec![text(n)]),
            text(format!(" on {day}")),
        ],
        None => vec![text(format!("Annotated on {day}"))],
    };
    el("p", chrome("report-by"), children)
}

/// How each tag is marked, in words (so grayscale and screen readers get it).
fn legend() -> Node {
    let entries: Vec<Node> = Tag::ALL
        .iter()
        .enumerate()
        .flat_map(|(i, t)| {
            let mut v = Vec::new();
            if i > 0 {
                v.push(text(" · "));
            }
            v.push(el("span", class(tag_class(*t)), vec![text(t.label())]));
            v.push(text(format!(": {}", t.cue())));
            v
        })
        .collect();
    let mut children = entries;
    children.push(text(". Numbers in brackets lead to the notes below."));
    el("p", chrome("report-legend"), children)
}

/// A note's links as cross-references: "Supports [3]" to a note of this
/// article (a link to it), "Contradicted by “…” in “Other article”" to
/// one elsewhere, and a broken one said as such. Links out first, then in.
fn cross_references(
    a: &Annotation,
    notes: &[&Annotation],
    number: &HashMap<&AnnotationId, usize>,
    article: &Article,
    cx: &Context,
) -> Vec<Node> {
    let here = |id: &AnnotationId| number.get(id).copied();
    let mut out: Vec<Node> = Vec::new();
    let mut item = |words: String, target: Option<usize>, rest: String| {
        let mut kids = vec![text(words)];
        if let Some(m) = target {
            kids.push(text(" "));
            kids.push(el(
                "a",
                vec![("href", format!("#note-{m}"))],
                vec![text(format!("[{m}]"))],
            ));
        }
        if !rest.is_empty() {
            kids.push(text(rest));
        }
        out.push(el("li", vec![], kids));
    };
    let elsewhere = |end: &End| -> String {
        match end.state {
            EndState::Live => format!(" “{}” in “{}”", links::short(&end.quote, 80), end.title),
            state if end.title.is_empty() => format!(" an annotation {}", state.why()),
            state => format!(" an annotation in “{}” ({})", end.title, state.why()),
        }
    };
    for l in &a.links {
        let words = l.kind.outgoing().to_string();
        match (l.article == article.id, here(&l.id)) {
            (true, Some(m)) => item(words, Some(m), String::new()),
            (true, None) => item(
                words,
                None,
                format!(
                    " an annotation of this article ({})",
                    EndState::Deleted.why()
                ),
            ),
            (false, _) => item(words, None, elsewhere(&cx.ends.end(l))),
        }
    }
    for other in notes {
        if let Some(l) = other.links.iter().find(|l| l.points_at(&article.id, &a.id)) {
            if let Some(m) = here(&other.id) {
                item(l.kind.incoming().to_string(), Some(m), String::new());
            }
        }
    }
    for b in cx.ends.incoming.get(&a.id).into_iter().flatten() {
        item(b.kind.incoming().to_string(), None, elsewhere(&b.from));
    }
    out
}

/// One numbered note: tag, quote, every field that is filled in, and its
/// links as cross-references. The quote is the article's words (its
/// language, its own direction); what the person typed takes the direction
/// its letters give (`dir="auto"`).
fn note(n: usize, a: &Annotation, article: &Article, links: &[Node]) -> Node {
    let mut head = vec![text(format!("[{n}] {}", a.tag.label()))];
    if a.orphan {
        head.push(text(" — not found in the text"));
    }
    let mut fields: Vec<Node> = Vec::new();
    let mut field = |label: &str, value: Vec<Node>, cls: Vec<(&'static str, String)>| {
        fields.push(el("dt", vec![], vec![text(label)]));
        fields.push(el("dd", cls, value));
    };
    // Typed text keeps its line breaks (`dd.text`).
    for (label, value) in [
        ("Note", &a.note),
        ("Claim as checked", &a.check.claim),
        ("Claimant", &a.check.claimant),
    ] {
        if !value.is_empty() {
            field(label, vec![text(value)], typed());
        }
    }
    if let Some(v) = a.check.verdict {
        field("Verdict", vec![text(v.label())], vec![]);
    }
    if !a.check.explanation.is_empty() {
        field("Explanation", vec![text(&a.check.explanation)], typed());
    }
    if !a.check.sources.is_empty() {
        let items = a
            .check
            .sources
            .iter()
            .map(|s| el("li", vec![], vec![link(s, vec![text(s)])]))
            .collect();
        field("Sources", vec![el("ul", vec![], items)], vec![]);
    }
    if !links.is_empty() {
        field(
            "Links",
            vec![el("ul", class("links"), links.to_vec())],
            vec![],
        );
    }
    let mut quote_attrs = class("note-quote-text");
    if let Some(lang) = article.lang() {
        quote_attrs.push(("lang", lang));
    }
    quote_attrs.push(("dir", article.dir_of(&a.quote.exact).attr().into()));
    let mut children = vec![
        el("p", class("note-head"), head),
        el(
            "blockquote",
            quote_attrs,
            vec![text(format!("“{}”", a.quote.exact))],
        ),
    ];
    if !fields.is_empty() {
        children.push(el("dl", vec![], fields));
    }
    el(
        "li",
        vec![
            ("id", format!("note-{n}")),
            ("class", format!("report-note note-{}", a.tag.key())),
        ],
        children,
    )
}

/// A field a person typed: its line breaks kept (`dd.text`), its
/// direction from its letters.
fn typed() -> Vec<(&'static str, String)> {
    vec![("class", "text".into()), ("dir", "auto".into())]
}

/// Text for HTML: `&`, `<`, `>`, and in attribute values both quotes, as
/// character references. Nothing else in the page is written unescaped.
pub fn escape(s: &str, out: &mut String) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

/// Write a node as HTML.
pub fn write_node(node: &Node, out: &mut String) {
    match node {
        Node::Text(t) => escape(t, out),
        Node::El {
            tag,
            attrs,
            children,
        } => {
            out.push('<');
            out.push_str(tag);
            for (k, v) in attrs {
                out.push(' ');
                out.push_str(k);
                out.push_str("=\"");
                escape(v, out);
                out.push('"');
            }
            out.push('>');
            for c in children {
                write_node(c, out);
            }
            out.push_str("</");
            out.push_str(tag);
            out.push('>');
            // One element per line at block level keeps the file readable.
            if matches!(
                *tag,
                "p" | "h1"
                    | "h2"
                    | "h3"
                    | "h4"
                    | "h5"
                    | "h6"
                    | "li"
                    | "ul"
                    | "ol"
                    | "blockquote"
                    | "section"
                    | "div"
                    | "dl"
                    | "table"
                    | "thead"
                    | "tbody"
                    | "tr"
                    | "article"
            ) {
                out.push('\n');
            }
        }
    }
}

/// The annotated page: a complete HTML document with inline CSS and no
/// script, that opens in any browser and prints like the app's report.
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>], cx: &Context) -> String {
    let mut out = String::from(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'none'; base-uri 'none'\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"color-scheme\" content=\"light\">\n\
         <meta name=\"generator\" content=\"",
    );
    out.push_str(super::claimmark::GENERATOR);
    out.push_str("\">\n<title>");
    escape(&article.title, &mut out);
    out.push_str(" — annotated</title>\n<style>\nbody { margin: 0; background: #fff; }\n");
    out.push_str(CSS);
    out.push_str("</style>\n</head>\n<body>\n");
    write_node(&report(article, annotations, cx), &mut out);
    out.push_str("</body>\n</html>\n");
    out
}
