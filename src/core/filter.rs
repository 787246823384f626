//! What the side panel shows: filters by tag, by verdict, by author and by
//! words, as typed choices (the panel's selects map to these, never to
//! strings).

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
        self.fits_tag(a.tag, a.orphan)
    }

    /// [`TagFilter::fits`] on an annotation's tag and whether it is an orphan.
    pub fn fits_tag(self, tag: Tag, orphan: bool) -> bool {
        match self {
            TagFilter::All => true,
            TagFilter::Only(t) => tag == t,
            TagFilter::Orphans => orphan,
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
        self.fits_verdict(a.check.verdict)
    }

    /// [`VerdictFilter::fits`] on a verdict.
    pub fn fits_verdict(self, verdict: Option<Verdict>) -> bool {
        match self {
            VerdictFilter::Any => true,
            VerdictFilter::WithVerdict => verdict.is_some(),
            VerdictFilter::WithoutVerdict => verdict.is_none(),
            VerdictFilter::Is(v) => verdict == Some(v),
        }
    }
}

/// Which annotations by who made them (a team member's name).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum AuthorFilter {
    #[default]
    Anyone,
    Only(String),
    /// Made without a team (no author).
    Nobody,
}

impl AuthorFilter {
    /// The choices for these annotations: anyone, each author by name
    /// (sorted), and "no author" when some have none. Empty when there is
    /// at most one author, or none (the panel then shows no such filter).
    pub fn choices(annotations: &[impl AsRef<Annotation>]) -> Vec<AuthorFilter> {
        let mut names: Vec<&str> = annotations
            .iter()
            .filter_map(|a| a.as_ref().author.as_deref())
            .collect();
        names.sort_unstable();
        names.dedup();
        let nobody = annotations.iter().any(|a| a.as_ref().author.is_none());
        if names.len() + usize::from(nobody) < 2 || names.is_empty() {
            return vec![];
        }
        let mut v = vec![AuthorFilter::Anyone];
        v.extend(names.into_iter().map(|n| AuthorFilter::Only(n.to_string())));
        if nobody {
            v.push(AuthorFilter::Nobody);
        }
        v
    }

    /// A stable key for a `<select>` option (`=name` for a name, so no name
    /// can be mistaken for another choice).
    pub fn key(&self) -> String {
        match self {
            AuthorFilter::Anyone => "anyone".into(),
            AuthorFilter::Only(n) => format!("={n}"),
            AuthorFilter::Nobody => "nobody".into(),
        }
    }

    pub fn from_key(key: &str) -> AuthorFilter {
        match key {
            "nobody" => AuthorFilter::Nobody,
            k => k
                .strip_prefix('=')
                .map_or(AuthorFilter::Anyone, |n| AuthorFilter::Only(n.to_string())),
        }
    }

    pub fn label(&self) -> String {
        match self {
            AuthorFilter::Anyone => "Anyone".into(),
            AuthorFilter::Only(n) => n.clone(),
            AuthorFilter::Nobody => "No author (made here)".into(),
        }
    }

    pub fn fits(&self, a: &Annotation) -> bool {
        match self {
            AuthorFilter::Anyone => true,
            AuthorFilter::Only(n) => a.author.as_deref() == Some(n.as_str()),
            AuthorFilter::Nobody => a.author.is_none(),
        }
    }
}

/// The panel's whole filter: tag, verdict, author, and words to find in the
/// quote, note or explanation (case-insensitive).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub tag: TagFilter,
    pub verdict: VerdictFilter,
    pub author: AuthorFilter,
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

    pub fn with_author(mut self, author: AuthorFilter) -> Filter {
        self.author = author;
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
        self.tag == TagFilter::All
            && self.verdict == VerdictFilter::Any
            && self.author == AuthorFilter::Anyone
            && self.query.is_empty()
    }

    pub fn fits(&self, a: &Annotation) -> bool {
        self.tag.fits(a)
            && self.verdict.fits(a)
            && self.author.fits(a)
            && (self.query.is_empty()
                || [&a.quote.exact, &a.note, &a.check.explanation]
                    .iter()
                    .any(|t| t.to_lowercase().contains(&self.query)))
    }
}
