//! The article model: blocks over one canonical plain text, the links in
//! it, and what is known about the article (its [`Details`]).
//!
//! Invariants (checked by every constructor): blocks are in order, do not
//! overlap and are separated by exactly [`BLOCK_SEPARATOR`]; no block text
//! contains a newline; links are sorted, do not overlap, each lies inside
//! one block and points at an `http`/`https` address; `id` is the SHA-256 of
//! the text (details and links are not part of it: editing them never makes
//! another article).

use serde::{Deserialize, Serialize};

use super::factcheck::check_source;
use super::id::ArticleId;
use super::offset::{Span, TextIndex};
use super::script::{self, Dir};
use super::time::Timestamp;

/// What a block is; decides its element (`h1`, `h2`, `p`, `li`, `blockquote`).
///
/// Stored and exported as `{"kind": "heading", "level": 2}`,
/// `{"kind": "ordereditem", "number": 3}` or just `{"kind": "paragraph"}`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "KindRepr", into = "KindRepr")]
pub enum BlockKind {
    /// The article's headline (at most one, always first).
    Title,
    /// A section heading, level 2 to 6.
    Heading(u8),
    /// The lead paragraph under the headline.
    Standfirst,
    #[default]
    Paragraph,
    ListItem,
    BlockQuote,
    /// An item of a numbered list, with its number (the list's own
    /// numbering, which need not start at 1). The number is not part of the
    /// text, as a bullet is not.
    OrderedItem(u32),
    /// A table's header row: its cells' text separated by " | " (see
    /// [`row_parts`]); it starts a new table.
    TableHeader,
    /// A row of a table's body, cells as in [`BlockKind::TableHeader`].
    TableRow,
}

impl BlockKind {
    /// An item of a list, numbered or not.
    pub fn is_item(self) -> bool {
        matches!(self, BlockKind::ListItem | BlockKind::OrderedItem(_))
    }

    /// A row of a table, header or body.
    pub fn is_row(self) -> bool {
        matches!(self, BlockKind::TableHeader | BlockKind::TableRow)
    }
}

/// One stretch of a table row's text: a cell (its index), or the " | "
/// between two cells, which stays in the text (offsets count it, a copy
/// holds it) but is not shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowPart {
    Cell(usize, Span),
    Between(Span),
}

/// A table row's text, `span` of `text` (which `index` counts), cut into
/// its cells and what separates them: every code point in exactly one
/// part, in order. A separator is a "|" with a space (or the row's edge)
/// on each side, and the spaces around it; a cell may be empty. A "|"
/// inside a cell's own words with spaces around it reads as a separator
/// too: the row shows one cell more, and its text and offsets stay
/// exactly as they are.
pub fn row_parts(text: &str, index: &TextIndex, span: Span) -> Vec<RowPart> {
    let chars: Vec<char> = index.slice(text, span).chars().collect();
    let n = chars.len();
    let pipe = |i: usize| {
        chars[i] == '|' && (i == 0 || chars[i - 1] == ' ') && (i + 1 == n || chars[i + 1] == ' ')
    };
    let at = |i: usize| span.start() + i as u32;
    let mut parts = Vec::new();
    let (mut start, mut cell) = (0usize, 0usize);
    let mut i = 0;
    while i < n {
        if !pipe(i) {
            i += 1;
            continue;
        }
        // The separator: the spaces before the "|", it, the spaces after.
        let mut s = i;
        while s > start && chars[s - 1] == ' ' {
            s -= 1;
        }
        let mut e = i + 1;
        // …but a space before the next "|" (an empty cell) is that one's.
        while e < n && chars[e] == ' ' && !(e + 1 < n && pipe(e + 1)) {
            e += 1;
        }
        parts.push(RowPart::Cell(cell, Span::new(at(start), at(s))));
        parts.push(RowPart::Between(Span::new(at(s), at(e))));
        cell += 1;
        start = e;
        i = e;
    }
    parts.push(RowPart::Cell(cell, Span::new(at(start), at(n))));
    parts
}

/// The stored form of a [`BlockKind`].
#[derive(Serialize, Deserialize)]
struct KindRepr {
    kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    level: Option<u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    number: Option<u32>,
}

impl From<BlockKind> for KindRepr {
    fn from(k: BlockKind) -> KindRepr {
        let (kind, level, number) = match k {
            BlockKind::Title => ("title", None, None),
            BlockKind::Heading(l) => ("heading", Some(l), None),
            BlockKind::Standfirst => ("standfirst", None, None),
            BlockKind::Paragraph => ("paragraph", None, None),
            BlockKind::ListItem => ("listitem", None, None),
            BlockKind::BlockQuote => ("blockquote", None, None),
            BlockKind::OrderedItem(n) => ("ordereditem", None, Some(n)),
            BlockKind::TableHeader => ("tableheader", None, None),
            BlockKind::TableRow => ("tablerow", None, None),
        };
        KindRepr {
            kind: kind.into(),
            level,
            number,
        }
    }
}

impl TryFrom<KindRepr> for BlockKind {
    type Error = String;
    fn try_from(r: KindRepr) -> Result<BlockKind, String> {
        Ok(match (r.kind.as_str(), r.level, r.number) {
            ("title", _, _) => BlockKind::Title,
            ("heading", Some(l), _) => BlockKind::Heading(l),
            ("standfirst", _, _) => BlockKind::Standfirst,
            ("paragraph", _, _) => BlockKind::Paragraph,
            ("listitem", _, _) => BlockKind::ListItem,
            ("blockquote", _, _) => BlockKind::BlockQuote,
            ("ordereditem", _, Some(n)) => BlockKind::OrderedItem(n),
            ("tableheader", _, _) => BlockKind::TableHeader,
            ("tablerow", _, _) => BlockKind::TableRow,
            (k, _, _) => {
                return Err(format!(
                    "unknown block kind {k:?} (or its level or number missing)"
                ))
            }
        })
    }
}

/// A link in the article: a stretch of its text and the web address it
/// points at (`http` or `https` only; opened HTML and Markdown keep theirs).
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Link {
    pub span: Span,
    pub href: String,
}

/// What is known about an article beyond its text: where it was published,
/// when, by which outlet and author. Prefilled from what the reader found
/// (a metadata line, HTML `<meta>` tags, the file's address), editable.
/// Every field is trimmed and non-empty when present.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Details {
    /// The article's web address (`http` or `https`).
    #[serde(default)]
    pub url: Option<String>,
    /// The day it was published, `YYYY-MM-DD`.
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub outlet: Option<String>,
    #[serde(default)]
    pub author: Option<String>,
    /// The language it is written in, as a tag (`ar`, `zh-Hans`, `ja`):
    /// what the page declared (`<html lang>`) or a person set. `None` when
    /// neither said; the text's script may still tell
    /// ([`Article::lang`]). Left out of stored and exported details when
    /// unknown, so older files and builds read as before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
}

/// The longest outlet or author name kept.
pub const MAX_DETAIL_CHARS: usize = 300;

impl Details {
    /// Whether nothing is known.
    pub fn is_empty(&self) -> bool {
        *self == Details::default()
    }

    /// Check and tidy details as a person typed them: whitespace collapsed,
    /// empty fields absent, the URL an `http`/`https` address, the date a
    /// real day as `YYYY-MM-DD` (a full date-time is cut to its day). Every
    /// problem, in words, when something is wrong.
    pub fn checked(
        url: &str,
        published: &str,
        outlet: &str,
        author: &str,
    ) -> Result<Details, Vec<String>> {
        let mut problems = Vec::new();
        let url = match url.trim() {
            "" => None,
            u => match check_source(u) {
                Ok(u) => Some(u),
                Err(e) => {
                    problems.push(format!("the URL: {e}"));
                    None
                }
            },
        };
        let published = match published.trim() {
            "" => None,
            d => match iso_day(d) {
                Some(d) => Some(d),
                None => {
                    problems.push(format!(
                        "the publication date {d:?} is not a date like 2026-11-28"
                    ));
                    None
                }
            },
        };
        let name = |s: &str, what: &str, problems: &mut Vec<String>| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.chars().count() > MAX_DETAIL_CHARS {
                problems.push(format!(
                    "the {what} is longer than {MAX_DETAIL_CHARS} characters"
                ));
            }
            (!s.is_empty()).then_some(s)
        };
        let outlet = name(outlet, "outlet", &mut problems);
        let author = name(author, "author", &mut problems);
        if problems.is_empty() {
            Ok(Details {
                url,
                published,
                outlet,
                author,
                language: None,
            })
        } else {
            Err(problems)
        }
    }

    /// These details with `language` as a person typed it: empty is
    /// unknown; anything but a language tag ("ar", "zh-Hans") is a
    /// problem, in words.
    pub fn with_language(mut self, language: &str) -> Result<Details, String> {
        if language.trim().is_empty() {
            self.language = None;
            return Ok(self);
        }
        match super::script::clean_lang(language) {
            Some(l) => {
                self.language = Some(l);
                Ok(self)
            }
            None => Err(format!(
                "the language {:?} is not a language tag like ar, he, zh or ja",
                language.trim()
            )),
        }
    }

    /// Details read from a file or storage, kept only where they hold
    /// (a wrong URL, date or language is dropped; names are tidied).
    pub fn tidy(self) -> Details {
        let language = self.language.as_deref().and_then(super::script::clean_lang);
        let field = |s: Option<String>| s.unwrap_or_default();
        let url = field(self.url);
        let published = field(self.published);
        let (outlet, author) = (field(self.outlet), field(self.author));
        let url = Details::checked(&url, "", "", "")
            .map(|d| d.url)
            .unwrap_or_default();
        let published = Details::checked("", &published, "", "")
            .map(|d| d.published)
            .unwrap_or_default();
        let short = |s: &str| {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            let s: String = s.chars().take(MAX_DETAIL_CHARS).collect();
            (!s.is_empty()).then_some(s)
        };
        Details {
            url,
            published,
            outlet: short(&outlet),
            author: short(&author),
            language,
        }
    }

    /// What the text's own metadata and its source say: the outlet, the
    /// author ("By " dropped), a date that reads as one, and the source when
    /// it is a web address.
    pub fn guess(metadata: &[MetaField], source: Option<&str>) -> Details {
        let first = |k: MetaKind| {
            metadata
                .iter()
                .find(|m| m.kind == k)
                .map(|m| m.value.as_str())
        };
        let author = first(MetaKind::Author).map(|a| {
            let a = a.trim();
            a.strip_prefix("By ")
                .or_else(|| a.strip_prefix("by "))
                .unwrap_or(a)
                .to_string()
        });
        Details {
            url: source.map(str::to_string),
            published: first(MetaKind::Date).and_then(iso_day).or_else(|| {
                metadata.iter().find_map(|m| {
                    (m.kind == MetaKind::Dateline)
                        .then(|| iso_day(&m.value))
                        .flatten()
                })
            }),
            outlet: first(MetaKind::Outlet).map(str::to_string),
            author,
            language: None,
        }
        .tidy()
    }
}

/// A day as `YYYY-MM-DD`, from an ISO 8601 date or date-time ("2026-11-28",
/// "2026-11-28T09:00:00Z") or a date as news sites write it ("November 28,
/// 2026", "28 Nov 2026", "Nov. 28, 2026"). `None` if it is none of those or
/// no such day exists.
pub fn iso_day(s: &str) -> Option<String> {
    let s = s.trim();
    let valid = |y: i64, m: u32, d: u32| -> Option<String> {
        let days = [
            31,
            if y % 4 == 0 && (y % 100 != 0 || y % 400 == 0) {
                29
            } else {
                28
            },
            31,
            30,
            31,
            30,
            31,
            31,
            30,
            31,
            30,
            31,
        ];
        ((1000..=9999).contains(&y) && (1..=12).contains(&m) && d >= 1 && d <= days[m as usize - 1])
            .then(|| format!("{y:04}-{m:02}-{d:02}"))
    };
    if s.len() >= 10 && s.is_char_boundary(10) && s.as_bytes()[4] == b'-' && s.as_bytes()[7] == b'-'
    {
        let num = |a: usize, b: usize| {
            s[a..b]
                .parse::<i64>()
                .ok()
                .filter(|_| s[a..b].bytes().all(|c| c.is_ascii_digit()))
        };
        let rest = &s[10..];
        if rest.is_empty() || Timestamp::parse_iso8601(s).is_some() {
            return valid(num(0, 4)?, num(5, 7)? as u32, num(8, 10)? as u32);
        }
        return None;
    }
    // "2026年3月3日" (Chinese and Japanese), "2026년 3월 3일" (Korean).
    if let Some((y, rest)) = s.split_once(['年', '년']) {
        let (m, d) = rest.split_once(['月', '월'])?;
        let d = d.trim().strip_suffix(['日', '일'])?;
        let n = |t: &str| {
            let t = t.trim();
            (!t.is_empty() && t.len() <= 4 && t.bytes().all(|c| c.is_ascii_digit()))
                .then(|| t.parse::<i64>().ok())
                .flatten()
        };
        return valid(
            n(y)?,
            u32::try_from(n(m)?).ok()?,
            u32::try_from(n(d)?).ok()?,
        );
    }
    // "November 28, 2026", "28 November 2026", "Nov. 28 2026".
    const MONTHS: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let words: Vec<String> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .map(|w| w.trim_end_matches('.').to_lowercase())
        .collect();
    if words.len() != 3 {
        return None;
    }
    let month = |w: &str| {
        MONTHS
            .iter()
            .position(|m| w.len() >= 3 && w.starts_with(m) && w.chars().all(char::is_alphabetic))
            .map(|i| i as u32 + 1)
    };
    let number = |w: &str| -> Option<i64> {
        let w = w.trim_end_matches(|c: char| c.is_alphabetic()); // "28th"
        (!w.is_empty() && w.bytes().all(|c| c.is_ascii_digit()) && w.len() <= 4)
            .then(|| w.parse().ok())?
    };
    let (m, d, y) = if let Some(m) = month(&words[0]) {
        (m, number(&words[1])?, number(&words[2])?)
    } else {
        (month(&words[1])?, number(&words[0])?, number(&words[2])?)
    };
    valid(y, m, u32::try_from(d).ok()?)
}

/// One block of the article and where its text sits in the canonical text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Span,
}

/// One piece of an article's page (see [`Article::pieces`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// The headline, when the text has no title block: `article.title`.
    FallbackTitle,
    /// The metadata, under the headline (only when there is some).
    Byline,
    /// Block `i` on its own.
    Block(usize),
    /// Consecutive list items, as one list.
    List(std::ops::Range<usize>),
    /// Consecutive numbered list items, as one numbered list.
    NumberedList(std::ops::Range<usize>),
    /// A table: its rows, the first a header row when it is one.
    Table(std::ops::Range<usize>),
}

/// What a piece of metadata says about the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MetaKind {
    Outlet,
    Dateline,
    Author,
    Programme,
    Date,
    Other,
}

impl MetaKind {
    /// The label read out by assistive technology.
    pub fn label(self) -> &'static str {
        match self {
            MetaKind::Outlet => "Outlet",
            MetaKind::Dateline => "Dateline",
            MetaKind::Author => "Author",
            MetaKind::Programme => "Programme",
            MetaKind::Date => "Date",
            MetaKind::Other => "Note",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MetaField {
    pub kind: MetaKind,
    pub value: String,
}

/// The separator between blocks in the canonical text.
pub const BLOCK_SEPARATOR: &str = "\n";

/// One block as a reader found it, before it joins the article: its kind,
/// its text, and the links in it as `(start, end, href)` in code points of
/// that text.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Part {
    pub kind: BlockKind,
    pub text: String,
    pub links: Vec<(u32, u32, String)>,
}

impl Part {
    pub fn new(kind: BlockKind, text: impl Into<String>) -> Part {
        Part {
            kind,
            text: text.into(),
            links: Vec::new(),
        }
    }
}

/// An article: its headline, metadata, details, links, and blocks over one
/// canonical text (see the module's invariants).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Article {
    pub id: ArticleId,
    pub title: String,
    pub metadata: Vec<MetaField>,
    /// Where the article came from (a URL or file name), when known.
    pub source: Option<String>,
    pub blocks: Vec<Block>,
    /// What is known about it (URL, date, outlet, author); not in its id.
    pub details: Details,
    /// When the details were last changed by a person (`0`: as the reader
    /// found them); what merging another tab's or a backup's details compares.
    pub details_changed: Timestamp,
    links: Vec<Link>,
    text: String,
    index: TextIndex,
    /// Which way most of the text's letters run, and the language they
    /// tell, worked out once.
    script: ScriptCache,
}

/// [`Article::dir`]'s and [`Article::lang`]'s looks at the whole text,
/// kept once made. Derived from the text, so they take no part in
/// comparing articles.
#[derive(Clone, Debug, Default)]
struct ScriptCache {
    dir: std::sync::OnceLock<Option<Dir>>,
    lang: std::sync::OnceLock<Option<&'static str>>,
}

impl PartialEq for ScriptCache {
    fn eq(&self, _: &ScriptCache) -> bool {
        true
    }
}

impl Eq for ScriptCache {}

impl Article {
    /// The language of the article: what its details say (a page's
    /// `lang`, or a person's choice), else what its letters tell
    /// ([`script::guess_lang`]); `None` for text that does not say.
    pub fn lang(&self) -> Option<String> {
        self.details.language.clone().or_else(|| {
            self.script
                .lang
                .get_or_init(|| script::guess_lang(&self.text))
                .map(str::to_string)
        })
    }

    /// The article's base direction: right to left when its declared
    /// language is written so, or when most of its letters are
    /// right-to-left ones; else left to right.
    pub fn dir(&self) -> Dir {
        let declared = self.details.language.as_deref().and_then(script::lang_dir);
        if declared == Some(Dir::Rtl) {
            return Dir::Rtl;
        }
        let text = *self.script.dir.get_or_init(|| {
            if script::has_rtl(&self.text) {
                script::text_dir(&self.text)
            } else {
                Some(Dir::Ltr)
            }
        });
        text.unwrap_or(Dir::Ltr)
    }

    /// The direction of a piece of this article's text (a block, a quote):
    /// the way most of its letters run, the article's when it has none.
    pub fn dir_of(&self, text: &str) -> Dir {
        if !script::has_rtl(text) && self.dir() == Dir::Ltr {
            return Dir::Ltr;
        }
        script::text_dir(text).unwrap_or_else(|| self.dir())
    }

    /// The direction of block `i` (see [`Article::dir_of`]).
    pub fn block_dir(&self, i: usize) -> Dir {
        self.dir_of(self.block_text(i))
    }

    /// The text's own metadata that its details do not already say (a
    /// report shows the details, then these).
    pub fn metadata_beyond_details(&self) -> impl Iterator<Item = &MetaField> {
        let d = &self.details;
        self.metadata.iter().filter(move |m| match m.kind {
            MetaKind::Outlet => d.outlet.is_none(),
            MetaKind::Author => d.author.is_none(),
            MetaKind::Date => d.published.is_none(),
            _ => true,
        })
    }

    /// Build an article from its blocks' texts. Newlines inside a block become
    /// spaces and each block is trimmed; empty blocks are dropped. When there
    /// is no `Title` block, `fallback_title` names the article. Its details
    /// are guessed from the metadata and source ([`Details::guess`]).
    pub fn from_blocks(
        fallback_title: &str,
        metadata: Vec<MetaField>,
        source: Option<String>,
        parts: Vec<(BlockKind, String)>,
    ) -> Article {
        let parts = parts.into_iter().map(|(k, t)| Part::new(k, t)).collect();
        Article::from_parts(fallback_title, metadata, source, parts)
    }

    /// [`Article::from_blocks`] with the links each block holds: a link's
    /// offsets follow its block's trimming; links that leave their block,
    /// overlap an earlier one or are not `http`/`https` are dropped.
    pub fn from_parts(
        fallback_title: &str,
        metadata: Vec<MetaField>,
        source: Option<String>,
        parts: Vec<Part>,
    ) -> Article {
        let mut text = String::new();
        let mut blocks = Vec::with_capacity(parts.len());
        let mut links = Vec::new();
        let mut pos = 0u32;
        let mut title = None;
        for Part {
            mut kind,
            text: raw,
            links: part_links,
        } in parts
        {
            let lead = raw.chars().take_while(|c| c.is_whitespace()).count() as u32;
            let clean: String = raw
                .trim()
                .chars()
                .map(|c| if c == '\n' || c == '\r' { ' ' } else { c })
                .collect();
            if clean.is_empty() {
                continue;
            }
            if kind == BlockKind::Title {
                if title.is_some() || !blocks.is_empty() {
                    // Only a leading headline is the title; a later one is a heading.
                    kind = BlockKind::Heading(2);
                } else {
                    title = Some(clean.clone());
                }
            }
            let len = clean.chars().count() as u32;
            push_block(&mut text, &mut blocks, &mut pos, kind, &clean, len);
            let start = pos - len;
            for (s, e, href) in part_links {
                let (s, e) = (
                    s.saturating_sub(lead).min(len),
                    e.saturating_sub(lead).min(len),
                );
                if s < e {
                    links.push(Link {
                        span: Span::new(start + s, start + e),
                        href,
                    });
                }
            }
        }
        let index = TextIndex::new(&text);
        let details = Details::guess(&metadata, source.as_deref());
        let mut article = Article {
            id: ArticleId::of_text(&text),
            title: title.unwrap_or_else(|| fallback_title.to_string()),
            metadata,
            source,
            blocks,
            details,
            details_changed: Timestamp(0),
            links: Vec::new(),
            text,
            index,
            script: ScriptCache::default(),
        };
        article.set_links(links);
        article
    }

    /// An article as stored: its text and block spans, checked against the
    /// invariants above (without copying the text block by block). `None`
    /// when they do not hold or the id is not the text's SHA-256.
    #[allow(clippy::too_many_arguments)]
    pub fn from_stored(
        id: ArticleId,
        title: String,
        metadata: Vec<MetaField>,
        source: Option<String>,
        blocks: Vec<Block>,
        text: String,
    ) -> Option<Article> {
        if ArticleId::of_text(&text) != id {
            return None;
        }
        let index = TextIndex::new(&text);
        let mut expected_start = 0;
        for (i, b) in blocks.iter().enumerate() {
            let sep = if i == 0 {
                0
            } else {
                BLOCK_SEPARATOR.len() as u32
            };
            if b.span.start() != expected_start + sep
                || b.span.end() > index.len_chars()
                || b.span.is_empty()
            {
                return None;
            }
            let body = index.slice(&text, b.span);
            if body.contains('\n') || body.trim() != body {
                return None;
            }
            if i > 0
                && index.slice(&text, Span::new(expected_start, b.span.start())) != BLOCK_SEPARATOR
            {
                return None;
            }
            if b.kind == BlockKind::Title && i != 0 {
                return None;
            }
            expected_start = b.span.end();
        }
        if expected_start != index.len_chars() {
            return None;
        }
        let title = match blocks.first() {
            Some(b) if b.kind == BlockKind::Title => index.slice(&text, b.span).to_string(),
            _ => title,
        };
        Some(Article {
            id,
            title,
            metadata,
            source,
            blocks,
            details: Details::default(),
            details_changed: Timestamp(0),
            links: Vec::new(),
            text,
            index,
            script: ScriptCache::default(),
        })
    }

    /// The article with these links: checked and cleaned as in
    /// [`Article::set_links`].
    pub fn with_links(mut self, links: Vec<Link>) -> Article {
        self.set_links(links);
        self
    }

    /// The article with these details.
    pub fn with_details(mut self, details: Details) -> Article {
        self.details = details;
        self
    }

    /// Replace the links, keeping only those that hold: sorted, each inside
    /// one block, not overlapping an earlier one, `http`/`https` (trimmed).
    pub fn set_links(&mut self, mut links: Vec<Link>) {
        links.sort_by_key(|l| (l.span.start(), l.span.end()));
        let mut kept: Vec<Link> = Vec::with_capacity(links.len());
        for mut l in links {
            let Ok(href) = check_source(&l.href) else {
                continue;
            };
            l.href = href;
            let inside = self
                .block_at(l.span.start())
                .is_some_and(|b| self.blocks[b].span.contains_span(l.span));
            let clear = kept.last().is_none_or(|p| p.span.end() <= l.span.start());
            if !l.span.is_empty() && inside && clear {
                kept.push(l);
            }
        }
        self.links = kept;
    }

    /// The links in the text, in order, not overlapping.
    pub fn links(&self) -> &[Link] {
        &self.links
    }

    /// The links that share a code point with `span` (binary search).
    pub fn links_in(&self, span: Span) -> &[Link] {
        let first = self.links.partition_point(|l| l.span.end() <= span.start());
        let last = self.links.partition_point(|l| l.span.start() < span.end());
        &self.links[first..last.max(first)]
    }

    /// The canonical plain text: every block's text, joined by [`BLOCK_SEPARATOR`].
    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn index(&self) -> &TextIndex {
        &self.index
    }

    /// Length of the canonical text in code points.
    pub fn len_chars(&self) -> u32 {
        self.index.len_chars()
    }

    /// The text covered by `span`.
    pub fn slice(&self, span: Span) -> &str {
        self.index.slice(&self.text, span)
    }

    /// The text of block `i`.
    pub fn block_text(&self, i: usize) -> &str {
        self.slice(self.blocks[i].span)
    }

    /// Block `i` cut into its cells and what separates them, when it is a
    /// table row (see [`row_parts`]); `None` for other blocks.
    pub fn row_parts(&self, i: usize) -> Option<Vec<RowPart>> {
        let b = self.blocks.get(i)?;
        b.kind
            .is_row()
            .then(|| row_parts(&self.text, &self.index, b.span))
    }

    /// The page's pieces in reading order: the headline (a fallback one when
    /// the text has no title block), the byline after it, and the blocks, with
    /// consecutive list items gathered into one list. Both ways of drawing the
    /// article (`web::render`, and Yew's when spans are drawn) follow this.
    pub fn pieces(&self) -> Vec<Piece> {
        let mut out = Vec::with_capacity(self.blocks.len() + 2);
        let byline = !self.metadata.is_empty();
        if self.blocks.first().map(|b| b.kind) != Some(BlockKind::Title) {
            out.push(Piece::FallbackTitle);
            if byline {
                out.push(Piece::Byline);
            }
        }
        let mut i = 0;
        while i < self.blocks.len() {
            let kind = self.blocks[i].kind;
            if kind.is_row() {
                // A header row starts the next table.
                let end = self.blocks[i + 1..]
                    .iter()
                    .position(|b| b.kind != BlockKind::TableRow)
                    .map_or(self.blocks.len(), |n| i + 1 + n);
                out.push(Piece::Table(i..end));
                i = end;
                continue;
            }
            if kind.is_item() {
                let numbered = matches!(kind, BlockKind::OrderedItem(_));
                let end = self.blocks[i..]
                    .iter()
                    .position(|b| {
                        matches!(b.kind, BlockKind::OrderedItem(_)) != numbered || !b.kind.is_item()
                    })
                    .map_or(self.blocks.len(), |n| i + n);
                out.push(if numbered {
                    Piece::NumberedList(i..end)
                } else {
                    Piece::List(i..end)
                });
                i = end;
                continue;
            }
            out.push(Piece::Block(i));
            if kind == BlockKind::Title && byline {
                out.push(Piece::Byline);
            }
            i += 1;
        }
        out
    }

    /// The index of the block holding `offset`, or of the block after it when
    /// `offset` is on a separator. `None` past the last block.
    pub fn block_at(&self, offset: u32) -> Option<usize> {
        let i = self.blocks.partition_point(|b| b.span.end() <= offset);
        // A block ending exactly at `offset` still holds it if it is the caret
        // position at its end and no later block starts there.
        (i < self.blocks.len()).then_some(i)
    }

    /// The blocks that share any code point with `span`.
    pub fn blocks_overlapping(&self, span: Span) -> std::ops::Range<usize> {
        let first = self
            .blocks
            .partition_point(|b| b.span.end() <= span.start());
        let last = self.blocks.partition_point(|b| b.span.start() < span.end());
        first..last.max(first)
    }
}

fn push_block(
    text: &mut String,
    blocks: &mut Vec<Block>,
    pos: &mut u32,
    kind: BlockKind,
    clean: &str,
    len: u32,
) {
    if !blocks.is_empty() {
        text.push_str(BLOCK_SEPARATOR);
        *pos += BLOCK_SEPARATOR.chars().count() as u32;
    }
    text.push_str(clean);
    blocks.push(Block {
        kind,
        span: Span::new(*pos, *pos + len),
    });
    *pos += len;
}
