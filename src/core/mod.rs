//! The pure core: no yew, web-sys or gloo. Everything here builds and is
//! tested natively with `cargo test`.

pub mod anchor;
pub mod annotation;
pub mod article;
pub mod backup;
pub mod factcheck;
pub mod filter;
pub mod formats;
pub mod hit;
pub mod id;
pub mod import;
pub mod later;
pub mod links;
pub mod markup;
pub mod merge;
pub mod offset;
pub mod parse;
pub mod script;
pub mod search;
pub mod segments;
pub mod selection;
pub mod state;
pub mod storage;
pub mod sync;
pub mod tag;
pub mod time;
pub mod words;

pub use annotation::{Annotation, TextQuote};
pub use article::{Article, Block, BlockKind, Details, Link, MetaField, MetaKind, Part, Piece};
pub use factcheck::{FactCheck, Verdict};
pub use id::{AnnotationId, ArticleId};
pub use links::{LinkKind, LinkTo};
pub use offset::{Span, TextIndex};
pub use segments::{segments, Cover, Run};
pub use state::{Action, Change, Edit, State};
pub use tag::Tag;
pub use time::Timestamp;

/// The seed article's raw text, embedded so the app opens with no request.
pub const SEED_TEXT: &str = include_str!("../../seeds/venezuela-diplomatic-ties.txt");

/// The seed article, parsed.
pub fn seed_article() -> Article {
    parse::plain::parse_plain_text(
        SEED_TEXT,
        Some("seeds/venezuela-diplomatic-ties.txt".into()),
    )
}
