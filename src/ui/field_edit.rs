//! A change a person makes to one field of an annotation, in the panel's
//! item or its fact-check fields; `hooks::actions` turns it into an
//! [`Action`](crate::core::Action).

use crate::core::{Tag, Verdict};

/// A change to one field of an annotation, made in an item.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldEdit {
    Tag(Tag),
    Note(String),
    Verdict(Option<Verdict>),
    Explanation(String),
    /// Already checked: http and https links only.
    Sources(Vec<String>),
    Claim(String),
    Claimant(String),
    /// A link from the article, added to the sources.
    AddSource(String),
}
