//! A library backup (`.claimmark-library.json`): every stored article with
//! its annotations, in one file, to move to another browser or keep.
//!
//! ```json
//! { "format": "claimmark-library", "version": 1,
//!   "exported": "2026-11-28T09:00:00.000Z", "generator": "claimmark 0.1.0",
//!   "articles": [ <claimmark file> + { "name"?, "detailsChanged"?, "tombstones": [...] }, … ] }
//! ```
//!
//! Each entry of `articles` is a complete claimmark JSON file (see
//! [`super::claimmark`]) — it can be cut out and imported on its own — with
//! what merging needs besides: each annotation's merge clock (`changed` and,
//! past its first life, `life`), the article's `tombstones` (`{"id",
//! "deleted", "life"?}`: deletions, so a deleted
//! annotation stays deleted when the backup meets an older copy), when its
//! details were last changed (`detailsChanged`), and the name the library
//! gives it (`name`). Reading: [`read`]; restoring into storage:
//! `core::backup::restore_library`.

use serde::Serialize;
use serde_json::value::RawValue;

use super::claimmark::{self, GENERATOR};
use super::incoming::{ImportError, Parsed};
use crate::core::annotation::Annotation;
use crate::core::article::Article;
use crate::core::id::AnnotationId;
use crate::core::id::ArticleId;
use crate::core::merge::Clock;
use crate::core::parse::decode::decode_owned;
use crate::core::time::Timestamp;

/// The `format` of a library backup.
pub const FORMAT: &str = "claimmark-library";
/// The library format version this build writes (and the newest it reads).
pub const VERSION: u32 = 1;
/// The largest backup read: local storage holds ~5 MB of UTF-16, which is
/// at most ~15 MB as UTF-8 JSON.
pub const MAX_LIBRARY_BYTES: usize = 64 << 20;

/// One article to write into a backup.
pub struct EntryRef<'a> {
    pub article: &'a Article,
    /// Annotations with their merge clocks.
    pub annotations: Vec<(&'a Annotation, Clock)>,
    /// Deletions, with the links they keep.
    pub tombstones: Vec<crate::core::merge::Entry>,
    /// The library's name for it, if renamed.
    pub name: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct LibraryFile<A: Serialize> {
    format: &'static str,
    version: u32,
    exported: String,
    generator: &'static str,
    articles: Vec<A>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Entry<'a, F: Serialize> {
    #[serde(flatten)]
    file: F,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    details_changed: Option<String>,
    tombstones: Vec<TombstoneOut>,
}

#[derive(Serialize, serde::Deserialize)]
struct TombstoneOut {
    id: String,
    deleted: String,
    /// The life the deletion ended (left out when 0).
    #[serde(default, skip_serializing_if = "is_zero")]
    life: u32,
    /// The links the deleted annotation had (see `core::links`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    links: Vec<crate::core::links::LinkTo>,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Write a backup of `entries`, compact (a backup is for claimmark to read
/// back; each entry reads as a claimmark file).
pub fn write(entries: &[EntryRef], now: Timestamp) -> String {
    let articles: Vec<_> = entries
        .iter()
        .map(|e| {
            let list: Vec<&Annotation> = e.annotations.iter().map(|(a, _)| *a).collect();
            let clocks: std::collections::HashMap<&str, Clock> = e
                .annotations
                .iter()
                .map(|(a, c)| (a.id.as_str(), *c))
                .collect();
            let file = claimmark::file(e.article, &list, now, move |a| {
                clocks.get(a.id.as_str()).copied()
            });
            // Serialised right here: `file` borrows the list made above.
            serde_json::to_value(Entry {
                file,
                name: e.name,
                details_changed: (e.article.details_changed.0 != 0)
                    .then(|| e.article.details_changed.to_iso8601()),
                tombstones: e
                    .tombstones
                    .iter()
                    .map(|t| TombstoneOut {
                        id: t.id.as_str().to_string(),
                        deleted: t.clock.changed.to_iso8601(),
                        life: t.clock.life,
                        links: t.links.clone(),
                    })
                    .collect(),
            })
            .unwrap_or_default()
        })
        .collect();
    serde_json::to_string(&LibraryFile {
        format: FORMAT,
        version: VERSION,
        exported: now.to_iso8601(),
        generator: GENERATOR,
        articles,
    })
    .unwrap_or_default()
}

/// One article read from a backup.
#[derive(Clone, Debug, PartialEq)]
pub struct LibraryArticle {
    /// The article (`parsed.article` is always there) and its annotations.
    pub parsed: Parsed,
    /// Deletions, with the links they keep.
    pub tombstones: Vec<crate::core::merge::Entry>,
    pub details_changed: Timestamp,
    pub name: Option<String>,
}

/// A backup, read.
#[derive(Clone, Debug, PartialEq)]
pub struct Library {
    pub articles: Vec<LibraryArticle>,
    /// Entries that could not be read, each with why ("article 3: …").
    pub invalid: Vec<String>,
}

#[derive(serde::Deserialize)]
struct FileIn<'a> {
    format: &'a str,
    version: u64,
    #[serde(borrow)]
    articles: Vec<&'a RawValue>,
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExtrasIn {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    details_changed: Option<String>,
    #[serde(default)]
    tombstones: Vec<TombstoneOut>,
}

/// Whether a file looks like a library backup (so the importer can say
/// to use Restore instead).
pub fn is_library(text: &str) -> bool {
    let head: String = text.chars().take(200).collect();
    head.contains("\"claimmark-library\"")
}

/// Read a backup. The file as a whole must be one (else an error in
/// words); each article in it is read on its own, and one that cannot be is
/// listed in `invalid` while the rest are read.
pub fn read(bytes: Vec<u8>) -> Result<Library, ImportError> {
    let text = decode_owned(bytes, MAX_LIBRARY_BYTES).map_err(ImportError::Decode)?;
    let file: FileIn = serde_json::from_str(&text).map_err(|e| {
        if e.is_data() || !is_library(&text) {
            ImportError::Unrecognised(
                "the file is not a claimmark library backup (\"format\": \"claimmark-library\" with a list of \"articles\")".into(),
            )
        } else {
            ImportError::Syntax {
                line: e.line(),
                column: e.column(),
                message: e.to_string().split(" at line").next().unwrap_or_default().to_string(),
            }
        }
    })?;
    if file.format != FORMAT {
        return Err(ImportError::Unrecognised(format!(
            "the file is not a claimmark library backup (its format is {:?})",
            file.format
        )));
    }
    if file.version > VERSION as u64 || file.version == 0 {
        return Err(ImportError::Unrecognised(format!(
            "the backup is library version {}, made by a newer claimmark; this one reads version {VERSION}",
            file.version
        )));
    }
    let mut out = Library {
        articles: Vec::with_capacity(file.articles.len()),
        invalid: Vec::new(),
    };
    for (i, raw) in file.articles.iter().enumerate() {
        match read_article(raw.get()) {
            Ok(a) => out.articles.push(a),
            Err(e) => out.invalid.push(format!("article {}: {e}", i + 1)),
        }
    }
    Ok(out)
}

fn read_article(raw: &str) -> Result<LibraryArticle, String> {
    let parsed = match claimmark::read_fast(raw) {
        Some(r) => r.map_err(|e| e.to_string())?,
        None => {
            let v: serde_json::Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
            let obj = v.as_object().ok_or("it is not an object")?;
            claimmark::read_value(obj).map_err(|e| e.to_string())?
        }
    };
    if parsed.article.is_none() {
        return Err("it has no article".into());
    }
    let extras: ExtrasIn = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    let time = |s: &str| Timestamp::parse_iso8601(s).ok_or(format!("{s:?} is not a date and time"));
    let tombstones = extras
        .tombstones
        .iter()
        .map(|t| {
            let id = AnnotationId::from_string(&t.id);
            let links = crate::core::links::tidy(t.links.clone(), (&ArticleId(String::new()), &id));
            Ok(crate::core::merge::Entry::deleted(
                id,
                Clock {
                    life: t.life,
                    changed: time(&t.deleted)?,
                },
            )
            .keeping(links))
        })
        .collect::<Result<Vec<_>, String>>()?;
    Ok(LibraryArticle {
        parsed,
        tombstones,
        details_changed: match extras.details_changed {
            Some(s) => time(&s)?,
            None => Timestamp(0),
        },
        name: extras.name.filter(|n| !n.trim().is_empty()),
    })
}
