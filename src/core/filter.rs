//! What the side panel shows: filters by tag, by verdict and by words, as
//! typed choices (the panel's selects map to these, never to strings).

use super::annotation::Annotation;
use super::factcheck::Verdict;
use super::tag::Tag;

/// Which annotations by tag.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum TagFilter {
    #[default]
    All,
    Only(Tag),
    /// Not found in the text (orphans).
    Orphans,
}

impl TagFilter {
    /// Every choice, in the order the panel lists them.
    pub fn choices() -> Vec<TagFilter> {
        let mut v = vec![TagFilter::All];
        v.extend(Tag::ALL.iter().map(|t| TagFilter::Only(*t)));
        v.push(TagFilter::Orphans);
        v
    }

    /// A stable key for a `<select>` option.
    pub fn key(self) -> &'static str {
        match self {
            TagFilter::All => "all",
            TagFilter::Only(t) => t.key(),
            TagFilter::Orphans => "orphans",
        }
    }

    pub fn from_key(key: &str) -> TagFilter {
        match key {
            "orphans" => TagFilter::Orphans,
            k => Tag::parse(k).map_or(TagFilter::All, TagFilter::Only),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TagFilter::All => "All tags",
            TagFilter::Only(t) => t.label(),
            TagFilter::Orphans => "Not found in the text",
        }
    }

    pub fn fits(self, a: &Annotation) -> bool {
        match self {
            TagFilter::All => true,
            TagFilter::Only(t) => a.tag == t,
            TagFilter::Orphans => a.orphan,
        }
    }
}

/// Which annotations by verdict.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum VerdictFilter {
    #[default]
    Any,
    WithVerdict,
    WithoutVerdict,
    Is(Verdict),
}

impl VerdictFilter {
    pub fn choices() -> Vec<VerdictFilter> {
        let mut v = vec![
            VerdictFilter::Any,
            VerdictFilter::WithVerdict,
            VerdictFilter::WithoutVerdict,
        ];
        v.extend(Verdict::ALL.iter().map(|v| VerdictFilter::Is(*v)));
        v
    }

    pub fn key(self) -> &'static str {
        match self {
            VerdictFilter::Any => "any",
            VerdictFilter::WithVerdict => "some",
            VerdictFilter::WithoutVerdict => "none",
            VerdictFilter::Is(v) => v.key(),
        }
    }

    pub fn from_key(key: &str) -> VerdictFilter {
        match key {
            "some" => VerdictFilter::WithVerdict,
            "none" => VerdictFilter::WithoutVerdict,
            k => Verdict::parse(k).map_or(VerdictFilter::Any, VerdictFilter::Is),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            VerdictFilter::Any => "Any or none",
            VerdictFilter::WithVerdict => "With a verdict",
            VerdictFilter::WithoutVerdict => "Without a verdict",
            VerdictFilter::Is(v) => v.label(),
        }
    }

    pub fn fits(self, a: &Annotation) -> bool {
        match self {
            VerdictFilter::Any => true,
            VerdictFilter::WithVerdict => a.verdict.is_some(),
            VerdictFilter::WithoutVerdict => a.verdict.is_none(),
            VerdictFilter::Is(v) => a.verdict == Some(v),
        }
    }
}

/// The panel's whole filter: tag, verdict, and words to find in the quote,
/// note or explanation (case-insensitive).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub tag: TagFilter,
    pub verdict: VerdictFilter,
    /// Lowercased words to find.
    query: String,
}

impl Filter {
    pub fn with_tag(mut self, tag: TagFilter) -> Filter {
        self.tag = tag;
        self
    }

    pub fn with_verdict(mut self, verdict: VerdictFilter) -> Filter {
        self.verdict = verdict;
        self
    }

    pub fn with_query(mut self, query: &str) -> Filter {
        self.query = query.trim().to_lowercase();
        self
    }

    pub fn query(&self) -> &str {
        &self.query
    }

    /// Whether nothing is filtered out.
    pub fn is_open(&self) -> bool {
        self.tag == TagFilter::All && self.verdict == VerdictFilter::Any && self.query.is_empty()
    }

    pub fn fits(&self, a: &Annotation) -> bool {
        self.tag.fits(a)
            && self.verdict.fits(a)
            && (self.query.is_empty()
                || [&a.quote.exact, &a.note, &a.explanation]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&self.query)))
    }
}
