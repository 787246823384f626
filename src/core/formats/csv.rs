//! CSV: RFC 4180, one row per annotation, formula-safe. Write only.
//!
//! Every row names its article (title, URL, id), so the CSVs of several
//! articles can be put together into one table.

use super::article_url;
use crate::core::annotation::Annotation;
use crate::core::article::Article;

/// The CSV header row.
pub const CSV_COLUMNS: [&str; 19] = [
    "id",
    "tag",
    "start",
    "end",
    "quote",
    "prefix",
    "suffix",
    "note",
    "verdict",
    "explanation",
    "sources",
    "created",
    "modified",
    "placed",
    "claim",
    "claimant",
    "article_title",
    "article_url",
    "article_id",
];

/// One CSV cell, RFC 4180-quoted when needed, and neutralised against
/// spreadsheet formula injection: a cell starting with `=`, `+`, `-`, `@`,
/// tab or CR gets a leading apostrophe, which spreadsheets show as text.
pub fn csv_cell(value: &str) -> String {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let v = if risky {
        format!("'{value}")
    } else {
        value.to_string()
    };
    if v.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", v.replace('"', "\"\""))
    } else {
        v
    }
}

/// RFC 4180 CSV in UTF-8 with CRLF line ends, one row per annotation in
/// document order. Starts with a byte-order mark so spreadsheet programs
/// read it as UTF-8. Sources are separated by spaces (URLs hold none).
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>]) -> String {
    let (title, url) = (
        csv_cell(&article.title),
        csv_cell(article_url(article).unwrap_or_default()),
    );
    let mut out = String::from("\u{feff}");
    out.push_str(&CSV_COLUMNS.join(","));
    out.push_str("\r\n");
    for a in annotations {
        let a = a.as_ref();
        let placed = a.is_anchored();
        let cells = [
            a.id.as_str().to_string(),
            a.tag.key().to_string(),
            if placed {
                a.span.start().to_string()
            } else {
                String::new()
            },
            if placed {
                a.span.end().to_string()
            } else {
                String::new()
            },
            a.quote.exact.clone(),
            a.quote.prefix.clone(),
            a.quote.suffix.clone(),
            a.note.clone(),
            a.check
                .verdict
                .map(|v| v.label().to_string())
                .unwrap_or_default(),
            a.check.explanation.clone(),
            a.check.sources.join(" "),
            a.created.to_iso8601(),
            a.modified.to_iso8601(),
            if placed { "yes" } else { "no" }.to_string(),
            a.check.claim.clone(),
            a.check.claimant.clone(),
        ];
        let row: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&row.join(","));
        for cell in [&title, &url, &article.id.0] {
            out.push(',');
            out.push_str(cell);
        }
        out.push_str("\r\n");
    }
    out
}
