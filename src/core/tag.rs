//! The three kinds of annotation.

use serde::{Deserialize, Serialize};

/// What a passage is: a checkable fact, a quotation, or the writer's analysis.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Tag {
    Fact,
    Quote,
    Analysis,
}

impl Tag {
    pub const ALL: [Tag; 3] = [Tag::Fact, Tag::Quote, Tag::Analysis];

    /// The name shown to people ("Fact").
    pub fn label(self) -> &'static str {
        match self {
            Tag::Fact => "Fact",
            Tag::Quote => "Quote",
            Tag::Analysis => "Analysis",
        }
    }

    /// The machine name used in files and CSS classes ("fact").
    pub fn key(self) -> &'static str {
        match self {
            Tag::Fact => "fact",
            Tag::Quote => "quote",
            Tag::Analysis => "analysis",
        }
    }

    /// The letter that tags a selection (also `1`/`2`/`3`, see [`Tag::from_key`]).
    pub fn shortcut(self) -> char {
        match self {
            Tag::Fact => 'f',
            Tag::Quote => 'q',
            Tag::Analysis => 'a',
        }
    }

    /// The tag a key press stands for: `f`/`q`/`a` (any case) or `1`/`2`/`3`.
    pub fn from_key(key: &str) -> Option<Tag> {
        match key {
            "f" | "F" | "1" => Some(Tag::Fact),
            "q" | "Q" | "2" => Some(Tag::Quote),
            "a" | "A" | "3" => Some(Tag::Analysis),
            _ => None,
        }
    }

    /// Parse a tag name in any case ("FACT", "Fact", "fact").
    pub fn parse(name: &str) -> Option<Tag> {
        Tag::ALL
            .into_iter()
            .find(|t| t.key().eq_ignore_ascii_case(name.trim()))
    }

    /// The cue that does not rely on colour: each tag draws a different
    /// underline (the `<mark>` fallback also marks each start with the letter).
    pub fn cue(self) -> &'static str {
        match self {
            Tag::Fact => "solid underline",
            Tag::Quote => "double underline",
            Tag::Analysis => "dashed underline",
        }
    }

    /// The single letter drawn at the start of each highlight.
    pub fn marker(self) -> char {
        self.label().chars().next().unwrap_or('?')
    }
}
