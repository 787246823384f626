//! Reading a Markdown file as an article: the text of its blocks, nothing more.
//!
//! claimmark shows an article as blocks of plain text (headings, paragraphs,
//! list items, block quotes), so a Markdown reader here only has to find
//! blocks and take inline markup off their text: emphasis, strikethrough,
//! links and code stay as their words; images, raw HTML, reference
//! definitions and rules are not article text. A full CommonMark parser
//! (pulldown-cmark) did this before at 66 KB of the 356 KB gzip bundle, for
//! HTML rendering, tables of 2,000 entity names and case folding we never
//! used. This follows CommonMark's block and emphasis rules where they decide
//! which words are text, and simplifies the rest (see the tests, which check
//! it against pulldown-cmark on the same documents):
//! - containers are block quotes (`>`) and list items (`-`, `+`, `*`, `1.`,
//!   `1)`); an item's paragraphs are one block, a nested item its own;
//! - ATX (`#`) and setext (`===`, `---`) headings, fenced code (kept as
//!   text), GFM tables (each cell a block) and `~~strikethrough~~`;
//! - HTML entities: numeric ones and the common named ones (others stay).

use crate::core::article::BlockKind;

/// The blocks of a Markdown document, in order: `(kind, text)`, whitespace
/// collapsed. A first-level heading that comes first is the `Title`.
pub fn blocks(text: &str) -> Vec<(BlockKind, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut r = Reader {
        out: Vec::new(),
        para: String::new(),
        para_ctx: Ctx::default(),
        refs: Vec::new(),
        item: None,
        blank_in_item: false,
    };
    // Reference definitions are found first: a link may come before its target.
    for line in &lines {
        if let Some(label) = reference_label(strip_quotes(line).1) {
            r.refs.push(label);
        }
    }
    let mut i = 0;
    while i < lines.len() {
        // Every line is read once; at least one per step, whatever the input.
        i = r.line(&lines, i).max(i + 1);
    }
    r.flush();
    r.out
}

/// Where a paragraph sits: inside how many quotes, inside a list item.
#[derive(Clone, Copy, Default, PartialEq)]
struct Ctx {
    quotes: usize,
    list: bool,
}

impl Ctx {
    fn kind(self) -> BlockKind {
        if self.list {
            BlockKind::ListItem
        } else if self.quotes > 0 {
            BlockKind::BlockQuote
        } else {
            BlockKind::Paragraph
        }
    }
}

struct Reader {
    out: Vec<(BlockKind, String)>,
    /// The open paragraph's raw lines, joined by newlines.
    para: String,
    para_ctx: Ctx,
    /// Reference labels defined in the document (normalised).
    refs: Vec<String>,
    /// The open list item: the column its content starts at, and its quotes.
    item: Option<(usize, usize)>,
    /// A blank line was seen inside the open item.
    blank_in_item: bool,
}

impl Reader {
    /// Read the line at `i` (and any it owns); the index of the next one.
    fn line(&mut self, lines: &[&str], i: usize) -> usize {
        let (quotes, rest) = strip_quotes(lines[i]);
        if rest.trim().is_empty() {
            if self.item.is_some() {
                self.blank_in_item = true;
                self.end_paragraph_in_item();
            } else {
                self.flush();
            }
            return i + 1;
        }
        // A line of an open item: indented to its content (or, with no blank
        // line before it, any paragraph text: a lazy continuation).
        if let Some((indent, item_quotes)) = self.item {
            let col = indent_of(rest);
            let is_block_start = starts_block(rest) || list_marker(rest).is_some();
            if quotes == item_quotes && col >= indent {
                let inner = &rest[byte_at_col(rest, indent)..];
                if let Some(m) = list_marker(inner) {
                    // A nested item: its own block.
                    self.flush();
                    return self.start_item(
                        lines,
                        i,
                        quotes,
                        indent + m.content_col,
                        &inner[m.content_byte..],
                    );
                }
                self.blank_in_item = false;
                return self.leaf(lines, i, inner, Ctx { quotes, list: true });
            }
            if !self.blank_in_item && !is_block_start && !self.para.is_empty() {
                self.push_line(rest.trim());
                return i + 1;
            }
            self.flush();
            self.item = None;
        }
        if quotes != self.para_ctx.quotes && !self.para.is_empty() {
            // Lazy continuation of a quoted paragraph, or a new block.
            let lazy =
                quotes < self.para_ctx.quotes && !starts_block(rest) && list_marker(rest).is_none();
            if lazy {
                self.push_line(rest.trim());
                return i + 1;
            }
            self.flush();
        }
        if let Some(m) = list_marker(rest) {
            if !is_thematic_break(rest) {
                self.flush();
                return self.start_item(lines, i, quotes, m.content_col, &rest[m.content_byte..]);
            }
        }
        self.leaf(
            lines,
            i,
            rest,
            Ctx {
                quotes,
                list: false,
            },
        )
    }

    fn start_item(
        &mut self,
        lines: &[&str],
        i: usize,
        quotes: usize,
        indent: usize,
        content: &str,
    ) -> usize {
        self.item = Some((indent, quotes));
        self.blank_in_item = false;
        let ctx = Ctx { quotes, list: true };
        if content.trim().is_empty() {
            self.para_ctx = ctx;
            return i + 1;
        }
        self.leaf(lines, i, content, ctx)
    }

    /// A leaf block starting at this line's `rest`, in `ctx`.
    fn leaf(&mut self, lines: &[&str], i: usize, rest: &str, ctx: Ctx) -> usize {
        let t = rest.trim_start();
        let indented = indent_of(rest) >= 4;
        if !self.para.is_empty() && !indented {
            if let Some(level) = setext_level(rest) {
                let text = std::mem::take(&mut self.para);
                self.push_block(
                    heading_kind(level, self.out.is_empty()),
                    inline(&text, &self.refs),
                );
                return i + 1;
            }
        }
        if indented && self.para.is_empty() {
            // Indented code: its text, as one block.
            return self.code(lines, i + 1, t, None, ctx);
        }
        if indented {
            self.push_line(t);
            return i + 1;
        }
        if is_thematic_break(t) {
            self.flush();
            return i + 1;
        }
        if let Some((level, text)) = atx_heading(t) {
            self.flush();
            self.push_block(
                heading_kind(level, self.out.is_empty()),
                inline(text, &self.refs),
            );
            return i + 1;
        }
        if let Some(fence) = fence_open(t) {
            self.flush();
            self.para_ctx = ctx;
            return self.code(lines, i + 1, "", Some(fence), ctx);
        }
        if let Some(end) = html_block_end(t) {
            self.flush();
            return skip_html(lines, i, end);
        }
        if self.para.is_empty() && reference_label(t).is_some() {
            return i + 1;
        }
        if self.para.is_empty() && t.contains('|') {
            if let Some(next) = lines.get(i + 1) {
                if is_table_delimiter(strip_quotes(next).1) {
                    return self.table(lines, i, ctx);
                }
            }
        }
        if self.para.is_empty() {
            self.para_ctx = ctx;
        }
        // A hard line break (two spaces or a backslash at the end) ends the
        // block (in a list item too: the rest is a block of the item).
        let continues = lines
            .get(i + 1)
            .is_some_and(|l| !strip_quotes(l).1.trim().is_empty());
        let backslash = continues && t.ends_with('\\') && !t.ends_with("\\\\");
        let line = if backslash {
            &t[..t.len() - 1]
        } else {
            t.trim_end()
        };
        self.push_line(line);
        if backslash || rest.ends_with("  ") {
            self.flush();
        }
        i + 1
    }

    /// Code from line `i` on (fenced when `fence` is given; `first` is the
    /// text of an indented block's first line): its lines as text, one block.
    fn code(
        &mut self,
        lines: &[&str],
        mut i: usize,
        first: &str,
        fence: Option<(u8, usize)>,
        ctx: Ctx,
    ) -> usize {
        let mut text = format!("{first}\n");
        while i < lines.len() {
            let (_, rest) = strip_quotes(lines[i]);
            match fence {
                Some((ch, n)) => {
                    let t = rest.trim();
                    if t.len() >= n && t.bytes().all(|b| b == ch) {
                        i += 1;
                        break;
                    }
                }
                None if indent_of(rest) < 4 && !rest.trim().is_empty() => break,
                None => {}
            }
            text.push_str(rest);
            text.push('\n');
            i += 1;
        }
        self.push_block(ctx.kind(), text);
        i
    }

    /// A GFM table: the header and body rows' cells, each a block.
    fn table(&mut self, lines: &[&str], start: usize, ctx: Ctx) -> usize {
        let mut i = start;
        while let Some(line) = lines.get(i) {
            let row = strip_quotes(line).1.trim();
            if row.is_empty() || (i > start && !row.contains('|')) {
                break;
            }
            // The second row is the delimiter row.
            if i != start + 1 {
                for cell in cells(row) {
                    self.push_block(ctx.kind(), inline(cell, &self.refs));
                }
            }
            i += 1;
        }
        i
    }

    fn push_line(&mut self, line: &str) {
        if !self.para.is_empty() {
            self.para.push('\n');
        }
        self.para.push_str(line);
    }

    /// In a list item, a paragraph ends but the item goes on (its paragraphs
    /// are one block): keep the text, separated by a space.
    fn end_paragraph_in_item(&mut self) {
        if self.item.is_some() && !self.para.is_empty() && !self.para.ends_with('\n') {
            self.para.push('\n');
        }
    }

    fn flush(&mut self) {
        if !self.para.trim().is_empty() {
            let text = std::mem::take(&mut self.para);
            self.push_block(self.para_ctx.kind(), inline(&text, &self.refs));
        }
        self.para.clear();
    }

    fn push_block(&mut self, kind: BlockKind, text: String) {
        let t = text.split_ascii_whitespace().collect::<Vec<_>>().join(" ");
        if !t.is_empty() {
            self.out.push((kind, t));
        }
    }
}

fn heading_kind(level: usize, first: bool) -> BlockKind {
    if level == 1 && first {
        BlockKind::Title
    } else {
        BlockKind::Heading((level as u8).clamp(2, 6))
    }
}

/// How many `>` markers start the line, and the rest of it.
fn strip_quotes(line: &str) -> (usize, &str) {
    let mut rest = line;
    let mut n = 0;
    loop {
        let t = rest.trim_start_matches(' ');
        if rest.len() - t.len() > 3 || !t.starts_with('>') {
            return (n, rest);
        }
        rest = t[1..].strip_prefix(' ').unwrap_or(&t[1..]);
        n += 1;
    }
}

/// The column of the first non-space character (a tab counts to the next 4).
fn indent_of(s: &str) -> usize {
    let mut col = 0;
    for b in s.bytes() {
        match b {
            b' ' => col += 1,
            b'\t' => col += 4 - col % 4,
            _ => break,
        }
    }
    col
}

/// The byte index where column `col` of the leading whitespace ends.
fn byte_at_col(s: &str, col: usize) -> usize {
    let mut c = 0;
    for (i, b) in s.bytes().enumerate() {
        if c >= col || !matches!(b, b' ' | b'\t') {
            return i;
        }
        c += if b == b'\t' { 4 - c % 4 } else { 1 };
    }
    s.len()
}

struct Marker {
    /// Column and byte where the item's content starts.
    content_col: usize,
    content_byte: usize,
}

/// A list item's marker at the start of `s` (up to 3 spaces in).
fn list_marker(s: &str) -> Option<Marker> {
    let lead = indent_of(s);
    if lead > 3 {
        return None;
    }
    let start = byte_at_col(s, lead);
    let b = s.as_bytes();
    let mut end = start;
    if matches!(b.get(start), Some(b'-' | b'+' | b'*')) {
        end += 1;
    } else {
        while end < b.len() && b[end].is_ascii_digit() && end - start < 9 {
            end += 1;
        }
        if end == start || !matches!(b.get(end), Some(b'.' | b')')) {
            return None;
        }
        end += 1;
    }
    let after = &s[end..];
    if !after.is_empty() && !after.starts_with([' ', '\t']) {
        return None;
    }
    let spaces = indent_of(after).min(4);
    let spaces = if spaces == 4 || after.trim().is_empty() {
        1
    } else {
        spaces
    };
    Some(Marker {
        content_col: lead + (end - start) + spaces,
        content_byte: (end + byte_at_col(after, spaces)).min(s.len()),
    })
}

fn is_thematic_break(s: &str) -> bool {
    let t = s.trim();
    let Some(c) = t.chars().next().filter(|c| matches!(c, '-' | '*' | '_')) else {
        return false;
    };
    indent_of(s) <= 3
        && t.chars().all(|x| x == c || x == ' ' || x == '\t')
        && t.chars().filter(|&x| x == c).count() >= 3
}

/// Things that end a paragraph when they start a line.
fn starts_block(s: &str) -> bool {
    let t = s.trim_start();
    indent_of(s) <= 3
        && (is_thematic_break(t)
            || atx_heading(t).is_some()
            || fence_open(t).is_some()
            || html_block_end(t).is_some())
}

/// `# Heading #` → (1, "Heading").
fn atx_heading(t: &str) -> Option<(usize, &str)> {
    let level = t.bytes().take_while(|&b| b == b'#').count();
    if !(1..=6).contains(&level) {
        return None;
    }
    let rest = &t[level..];
    if !rest.is_empty() && !rest.starts_with([' ', '\t']) {
        return None;
    }
    let rest = rest.trim();
    // A closing run of `#` after a space is not part of the heading.
    let body = rest.trim_end_matches('#');
    let body = if body.is_empty() || body.ends_with([' ', '\t']) {
        body
    } else {
        rest
    };
    Some((level, body.trim()))
}

/// `===` under a paragraph makes it a level-1 heading, `---` level 2.
fn setext_level(s: &str) -> Option<usize> {
    let t = s.trim();
    let c = t.bytes().next()?;
    (matches!(c, b'=' | b'-') && indent_of(s) <= 3 && t.bytes().all(|b| b == c))
        .then_some(if c == b'=' { 1 } else { 2 })
}

/// An opening code fence: its character and length.
fn fence_open(t: &str) -> Option<(u8, usize)> {
    let c = *t.as_bytes().first()?;
    if c != b'`' && c != b'~' {
        return None;
    }
    let n = t.bytes().take_while(|&b| b == c).count();
    (n >= 3 && !(c == b'`' && t[n..].contains('`'))).then_some((c, n))
}

/// When a line starts raw HTML: what ends the block (a closing tag's text,
/// or `""` for the next blank line).
fn html_block_end(t: &str) -> Option<&'static str> {
    let rest = t.strip_prefix('<')?;
    if rest.starts_with("!--") {
        return Some("-->");
    }
    let name_start = rest.strip_prefix('/').unwrap_or(rest);
    let name: String = name_start
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    if name.is_empty() || !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        return None;
    }
    let after = &name_start[name.len()..];
    if !(after.is_empty() || after.starts_with([' ', '\t', '>', '/'])) {
        return None;
    }
    Some(match name.as_str() {
        "script" => "</script>",
        "style" => "</style>",
        "pre" => "</pre>",
        "textarea" => "</textarea>",
        _ => "",
    })
}

/// Skip raw HTML from line `i` to `end` (or a blank line); the next index.
fn skip_html(lines: &[&str], mut i: usize, end: &str) -> usize {
    while i < lines.len() {
        let line = lines[i];
        i += 1;
        if end.is_empty() {
            if lines.get(i).is_none_or(|l| l.trim().is_empty()) {
                break;
            }
        } else if line.to_ascii_lowercase().contains(end) {
            break;
        }
    }
    i
}

/// `[label]: destination` → the label, normalised.
fn reference_label(t: &str) -> Option<String> {
    let t = t.trim_start();
    if indent_of(t) > 3 {
        return None;
    }
    let rest = t.strip_prefix('[')?;
    let close = rest.find("]:")?;
    let label = &rest[..close];
    let dest = rest[close + 2..].trim();
    // `[^1]: …` is a footnote, which is not a link target.
    let valid = !label.trim().is_empty() && !label.contains(['[', ']']) && !label.starts_with('^');
    (valid && !dest.is_empty()).then(|| normal_label(label))
}

fn normal_label(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// A table's delimiter row: `| --- | :-: |`.
fn is_table_delimiter(s: &str) -> bool {
    let t = s.trim();
    t.contains('-')
        && t.contains(['|', ':'])
        && cells(t).all(|c| {
            let c = c.trim();
            let c = c.strip_prefix(':').unwrap_or(c);
            let c = c.strip_suffix(':').unwrap_or(c);
            !c.is_empty() && c.bytes().all(|b| b == b'-')
        })
}

/// The cells of a table row (a `\|` is not a separator).
fn cells(row: &str) -> impl Iterator<Item = &str> {
    let row = row.trim();
    let row = row.strip_prefix('|').unwrap_or(row);
    let row = if row.ends_with('|') && !row.ends_with("\\|") {
        &row[..row.len() - 1]
    } else {
        row
    };
    let mut pieces = Vec::new();
    let (mut start, mut escaped) = (0, false);
    for (i, b) in row.bytes().enumerate() {
        match b {
            b'\\' if !escaped => escaped = true,
            b'|' if !escaped => {
                pieces.push(&row[start..i]);
                start = i + 1;
            }
            _ => escaped = false,
        }
    }
    pieces.push(&row[start..]);
    pieces.into_iter()
}

/// A piece of inline text: words, or a run of `*`, `_` or `~` that may be
/// emphasis (decided once the whole paragraph is read).
enum Piece {
    Text(String),
    /// `n` delimiters left of the `len` the run had.
    Run {
        ch: char,
        n: usize,
        len: usize,
        open: bool,
        close: bool,
    },
}

/// The words of a paragraph's inline Markdown.
fn inline(text: &str, refs: &[String]) -> String {
    let mut pieces = Vec::new();
    read_inline(text, refs, &mut pieces);
    emphasis(&mut pieces);
    let mut out = String::with_capacity(text.len());
    for p in pieces {
        match p {
            Piece::Text(t) => out.push_str(&t),
            Piece::Run { ch, n, .. } => out.extend(std::iter::repeat_n(ch, n)),
        }
    }
    out
}

fn push_text(pieces: &mut Vec<Piece>, s: &str) {
    if let Some(Piece::Text(t)) = pieces.last_mut() {
        t.push_str(s);
    } else {
        pieces.push(Piece::Text(s.to_string()));
    }
}

fn read_inline(text: &str, refs: &[String], pieces: &mut Vec<Piece>) {
    let mut i = 0;
    let b = text.as_bytes();
    while i < b.len() {
        let rest = &text[i..];
        let c = rest.chars().next().unwrap_or(' ');
        match c {
            '\\' => {
                let next = rest[1..].chars().next();
                match next {
                    Some(n) if n.is_ascii_punctuation() => {
                        push_text(pieces, &rest[1..2]);
                        i += 2;
                    }
                    _ => {
                        push_text(pieces, "\\");
                        i += 1;
                    }
                }
            }
            '`' => {
                let n = rest.bytes().take_while(|&x| x == b'`').count();
                match code_span(&rest[n..], n) {
                    Some((code, used)) => {
                        push_text(pieces, &code);
                        i += n + used;
                    }
                    None => {
                        push_text(pieces, &rest[..n]);
                        i += n;
                    }
                }
            }
            '*' | '_' | '~' => {
                let n = rest.chars().take_while(|&x| x == c).count();
                let before = text[..i].chars().next_back();
                let after = rest[n..].chars().next();
                let (left, right) = flanking(before, after);
                let (open, close) = match c {
                    '_' => (
                        left && (!right || before.is_some_and(|p| p.is_ascii_punctuation())),
                        right && (!left || after.is_some_and(|p| p.is_ascii_punctuation())),
                    ),
                    '~' if n > 2 => (false, false),
                    _ => (left, right),
                };
                pieces.push(Piece::Run {
                    ch: c,
                    n,
                    len: n,
                    open,
                    close,
                });
                i += n;
            }
            '!' if rest.starts_with("![") => match link(&rest[1..], refs) {
                Some((_, used)) => i += 1 + used, // an image: not article text
                None => {
                    push_text(pieces, "!");
                    i += 1;
                }
            },
            '[' => match link(rest, refs) {
                Some((label, used)) => {
                    read_inline(label, refs, pieces);
                    i += used;
                }
                None => {
                    push_text(pieces, "[");
                    i += 1;
                }
            },
            '<' => match angle(rest) {
                Some((shown, used)) => {
                    push_text(pieces, shown);
                    i += used;
                }
                None => {
                    push_text(pieces, "<");
                    i += 1;
                }
            },
            '&' => match entity(rest) {
                Some((ch, used)) => {
                    let mut buf = [0; 4];
                    push_text(pieces, ch.encode_utf8(&mut buf));
                    i += used;
                }
                None => {
                    push_text(pieces, "&");
                    i += 1;
                }
            },
            '\n' => {
                push_text(pieces, " ");
                i += 1;
            }
            _ => {
                // Up to the next character that may mean something.
                let first = c.len_utf8();
                let n = rest[first..]
                    .find(['\\', '`', '*', '_', '~', '!', '[', '<', '&', '\n'])
                    .map_or(rest.len(), |k| k + first);
                push_text(pieces, &rest[..n]);
                i += n;
            }
        }
    }
}

/// CommonMark's left- and right-flanking tests for a delimiter run between
/// `before` and `after` (`None`: the start or end of the text).
fn flanking(before: Option<char>, after: Option<char>) -> (bool, bool) {
    let space = |c: Option<char>| c.is_none_or(char::is_whitespace);
    let punct = |c: Option<char>| {
        c.is_some_and(|c| c.is_ascii_punctuation() || (!c.is_alphanumeric() && !c.is_whitespace()))
    };
    let left = !space(after) && (!punct(after) || space(before) || punct(before));
    let right = !space(before) && (!punct(before) || space(after) || punct(after));
    (left, right)
}

/// Match emphasis runs: a closer takes the nearest opener of its character
/// before it, and both are dropped (what was inside stays as text).
/// CommonMark's "rule of 3" applies: when either run could both open and
/// close, their lengths may not add up to a multiple of 3 (`**a*b**`).
fn emphasis(pieces: &mut [Piece]) {
    let mut openers: Vec<usize> = Vec::new();
    for i in 0..pieces.len() {
        let Piece::Run {
            ch,
            n,
            len,
            open,
            close,
        } = pieces[i]
        else {
            continue;
        };
        if close {
            let fits = |p: &Piece| match *p {
                Piece::Run {
                    ch: c,
                    n: m,
                    len: olen,
                    close: oclose,
                    ..
                } => {
                    let both = open || oclose;
                    let rule_of_3 =
                        both && (olen + len) % 3 == 0 && (olen % 3 != 0 || len % 3 != 0);
                    c == ch && (ch != '~' || m == n) && !rule_of_3
                }
                Piece::Text(_) => false,
            };
            let found = openers.iter().rposition(|&o| fits(&pieces[o]));
            if let Some(at) = found {
                let o = openers[at];
                openers.truncate(at);
                let Piece::Run { n: m, .. } = pieces[o] else {
                    continue;
                };
                let used = m.min(n);
                if let Piece::Run { n: on, .. } = &mut pieces[o] {
                    *on -= used;
                }
                if let Piece::Run {
                    n: cn, open: co, ..
                } = &mut pieces[i]
                {
                    *cn -= used;
                    if *cn > 0 && *co {
                        openers.push(i);
                    }
                }
                if m > used {
                    openers.push(o);
                }
                continue;
            }
        }
        if open {
            openers.push(i);
        }
    }
}

/// A code span's text after an opening run of `n` backticks: up to a run of
/// exactly `n`, newlines as spaces, one space stripped from each end when
/// both have one. Also the bytes used (content and closing run).
fn code_span(rest: &str, n: usize) -> Option<(String, usize)> {
    let b = rest.as_bytes();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'`' {
            let m = b[i..].iter().take_while(|&&x| x == b'`').count();
            if m == n {
                let code = rest[..i].replace('\n', " ");
                let code = if code.len() > 1
                    && code.starts_with(' ')
                    && code.ends_with(' ')
                    && !code.trim().is_empty()
                {
                    code[1..code.len() - 1].to_string()
                } else {
                    code
                };
                return Some((code, i + m));
            }
            i += m;
        } else {
            i += 1;
        }
    }
    None
}

/// `[text](destination "title")`, `[text][label]`, `[text][]` or `[label]`
/// (a defined label) at the start of `rest`: the text and the bytes used.
fn link<'a>(rest: &'a str, refs: &[String]) -> Option<(&'a str, usize)> {
    let close = matching_bracket(rest)?;
    let label = &rest[1..close];
    let after = &rest[close + 1..];
    if let Some(dest) = after.strip_prefix('(') {
        let end = destination_end(dest)?;
        return Some((label, close + 2 + end + 1));
    }
    if let Some(r) = after.strip_prefix('[') {
        let end = r.find(']')?;
        let name = if end == 0 { label } else { &r[..end] };
        return refs
            .contains(&normal_label(name))
            .then_some((label, close + 2 + end + 1));
    }
    refs.contains(&normal_label(label))
        .then_some((label, close + 1))
}

/// The index of the `]` closing the `[` that starts `s` (brackets nest;
/// escaped ones and those in code spans do not count).
fn matching_bracket(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut i) = (0usize, 0);
    while i < b.len() {
        match b[i] {
            b'\\' => i += 1,
            b'`' => {
                let n = b[i..].iter().take_while(|&&x| x == b'`').count();
                if let Some((_, used)) = code_span(&s[i + n..], n) {
                    i += n + used;
                    continue;
                }
                i += n - 1;
            }
            b'[' => depth += 1,
            b']' => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The index of the `)` ending an inline link's destination and title.
fn destination_end(s: &str) -> Option<usize> {
    let b = s.as_bytes();
    let (mut depth, mut i, mut quote) = (0usize, 0, None::<u8>);
    while i < b.len() {
        let c = b[i];
        match (quote, c) {
            (_, b'\\') => i += 1,
            (Some(q), _) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"' | b'\'') if i > 0 && b[i - 1] == b' ' => quote = Some(c),
            (None, b'(') => depth += 1,
            (None, b')') if depth == 0 => return Some(i),
            (None, b')') => depth -= 1,
            (None, b'\n') if s[..i].trim().is_empty() => {}
            _ => {}
        }
        i += 1;
    }
    None
}

/// An autolink (`<https://…>`, `<a@b.c>`: its address is the text) or inline
/// HTML (a tag or comment: not text) at the start of `rest`.
fn angle(rest: &str) -> Option<(&str, usize)> {
    if let Some(body) = rest.strip_prefix("<!--") {
        return Some(("", 4 + body.find("-->")? + 3));
    }
    let end = rest.find('>')?;
    let inner = &rest[1..end];
    if inner.is_empty() || inner.contains('<') {
        return None;
    }
    if !inner.contains([' ', '\t', '\n']) {
        let scheme = inner.split_once(':').map(|(s, _)| s);
        let uri = scheme.is_some_and(|s| {
            s.len() >= 2
                && s.starts_with(|c: char| c.is_ascii_alphabetic())
                && s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+.-".contains(&b))
        });
        if uri || (inner.contains('@') && !inner.contains('/')) {
            return Some((inner, end + 1));
        }
    }
    is_tag(inner).then_some(("", end + 1))
}

fn is_tag(inner: &str) -> bool {
    let name = inner.strip_prefix('/').unwrap_or(inner);
    name.starts_with(|c: char| c.is_ascii_alphabetic())
        && name
            .split([' ', '\n', '/'])
            .next()
            .is_some_and(|n| n.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
}

/// A character reference at the start of `rest`: `&#233;`, `&#xE9;`, or a
/// common named one (`&amp;`, `&eacute;`, …). Others are left as typed.
fn entity(rest: &str) -> Option<(char, usize)> {
    let end = rest.char_indices().take(34).find(|&(_, c)| c == ';')?.0;
    let body = &rest[1..end];
    let ch = if let Some(num) = body.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) if (1..=6).contains(&hex.len()) => u32::from_str_radix(hex, 16).ok()?,
            None if (1..=7).contains(&num.len()) && num.bytes().all(|b| b.is_ascii_digit()) => {
                num.parse().ok()?
            }
            _ => return None,
        };
        char::from_u32(code)
            .filter(|&c| c != '\0')
            .unwrap_or('\u{FFFD}')
    } else {
        NAMED.iter().find(|(n, _)| *n == body)?.1
    };
    Some((ch, end + 1))
}

const NAMED: &[(&str, char)] = &[
    ("amp", '&'),
    ("lt", '<'),
    ("gt", '>'),
    ("quot", '"'),
    ("apos", '\''),
    ("nbsp", '\u{a0}'),
    ("ndash", '–'),
    ("mdash", '—'),
    ("hellip", '…'),
    ("lsquo", '‘'),
    ("rsquo", '’'),
    ("ldquo", '“'),
    ("rdquo", '”'),
    ("laquo", '«'),
    ("raquo", '»'),
    ("bull", '•'),
    ("middot", '·'),
    ("copy", '©'),
    ("reg", '®'),
    ("trade", '™'),
    ("deg", '°'),
    ("euro", '€'),
    ("pound", '£'),
    ("times", '×'),
    ("aacute", 'á'),
    ("eacute", 'é'),
    ("iacute", 'í'),
    ("oacute", 'ó'),
    ("uacute", 'ú'),
    ("ntilde", 'ñ'),
    ("ccedil", 'ç'),
    ("auml", 'ä'),
    ("ouml", 'ö'),
    ("uuml", 'ü'),
    ("szlig", 'ß'),
];
