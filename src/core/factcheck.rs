//! A fact-checker's fields: a verdict on a claim and the links behind it.

use serde::{Deserialize, Serialize};

/// What a fact-checker adds to an annotation (meant for facts; any
/// annotation may carry them). One struct, written out once: every format
/// that keeps these fields flat beside the annotation's own flattens it
/// (`#[serde(flatten)]`), and the formats that name them differently
/// (CSV, W3C, ClaimReview) read them from here.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FactCheck {
    /// The verdict on the claim.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verdict: Option<Verdict>,
    /// Why the verdict, in a sentence or two.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub explanation: String,
    /// Links behind the verdict: http and https only (see [`check_source`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sources: Vec<String>,
    /// The claim as checked: a person's one-sentence wording of it (the
    /// quote stays the quote).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claim: String,
    /// Who made the claim.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub claimant: String,
}

impl FactCheck {
    /// Nothing filled in.
    pub fn is_empty(&self) -> bool {
        *self == FactCheck::default()
    }
}

/// A fact-checker's rating of a claim, from true to false, or unverifiable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    True,
    MostlyTrue,
    Mixed,
    MostlyFalse,
    False,
    Unverifiable,
}

impl Verdict {
    pub const ALL: [Verdict; 6] = [
        Verdict::True,
        Verdict::MostlyTrue,
        Verdict::Mixed,
        Verdict::MostlyFalse,
        Verdict::False,
        Verdict::Unverifiable,
    ];

    /// The name shown to people and written in reports ("Mostly true").
    pub fn label(self) -> &'static str {
        match self {
            Verdict::True => "True",
            Verdict::MostlyTrue => "Mostly true",
            Verdict::Mixed => "Mixed",
            Verdict::MostlyFalse => "Mostly false",
            Verdict::False => "False",
            Verdict::Unverifiable => "Unverifiable",
        }
    }

    /// The machine name used in claimmark JSON ("mostly-true").
    pub fn key(self) -> &'static str {
        match self {
            Verdict::True => "true",
            Verdict::MostlyTrue => "mostly-true",
            Verdict::Mixed => "mixed",
            Verdict::MostlyFalse => "mostly-false",
            Verdict::False => "false",
            Verdict::Unverifiable => "unverifiable",
        }
    }

    /// A verdict from its key or label, in any case, with spaces, hyphens or
    /// underscores between words ("Mostly true", "mostly_true", "MOSTLY-TRUE").
    pub fn parse(name: &str) -> Option<Verdict> {
        let norm: String = name
            .trim()
            .chars()
            .map(|c| match c {
                ' ' | '_' => '-',
                c => c.to_ascii_lowercase(),
            })
            .collect();
        Verdict::ALL.into_iter().find(|v| v.key() == norm)
    }

    /// The ClaimReview rating on a 1 (false) to 5 (true) scale; -1 for
    /// unverifiable (the convention for "not rateable").
    pub fn rating(self) -> i32 {
        match self {
            Verdict::True => 5,
            Verdict::MostlyTrue => 4,
            Verdict::Mixed => 3,
            Verdict::MostlyFalse => 2,
            Verdict::False => 1,
            Verdict::Unverifiable => -1,
        }
    }
}

/// The longest source link accepted.
pub const MAX_SOURCE_LEN: usize = 2048;

/// Check a source link: an absolute `http` or `https` URL with a host and no
/// spaces or control characters. Returns it trimmed, or says what is wrong.
pub fn check_source(raw: &str) -> Result<String, String> {
    let s = raw.trim();
    let lower = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &s[8..]
    } else if lower.starts_with("http://") {
        &s[7..]
    } else {
        return Err(format!(
            "{s:?} is not a web link (it must start with http:// or https://)"
        ));
    };
    if s.len() > MAX_SOURCE_LEN {
        return Err(format!("a link is longer than {MAX_SOURCE_LEN} characters"));
    }
    if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("{s:?} contains spaces or control characters"));
    }
    let host = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host.rsplit('@').next().unwrap_or_default();
    if host.is_empty() || host.starts_with(':') {
        return Err(format!("{s:?} has no host name"));
    }
    Ok(s.to_string())
}

/// A line of the sources field that is not a usable link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceProblem {
    /// 1-based, counting every line as typed (blank ones too).
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for SourceProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// Parse a list of links, one per line (blank lines ignored). All valid → the
/// links; otherwise every problem with its line number, so the person can
/// see which line to fix (nothing is dropped silently).
pub fn parse_sources(text: &str) -> Result<Vec<String>, Vec<SourceProblem>> {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match check_source(line) {
            Ok(s) => ok.push(s),
            Err(message) => bad.push(SourceProblem {
                line: i + 1,
                message,
            }),
        }
    }
    if bad.is_empty() {
        Ok(ok)
    } else {
        Err(bad)
    }
}
