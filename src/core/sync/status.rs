//! The connection's state, in the words the status line shows (and the
//! live region says when it changes).

use crate::core::merge::Entry;
use crate::core::words;
use crate::core::{Annotation, AnnotationId};

/// Where team sync stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Status {
    /// No team: nothing is shown.
    Off,
    /// A team is set up but nobody is signed in (after a reload: the
    /// password is never stored).
    SignedOut {
        waiting: usize,
    },
    Connecting,
    /// Reading the server's annotations of this article: `done` so far,
    /// of `total` when the server says.
    Syncing {
        done: usize,
        total: Option<usize>,
    },
    Synced,
    /// Signed in and connected, sending changes made here.
    Sending {
        waiting: usize,
    },
    /// The browser says it has no network.
    Offline {
        waiting: usize,
    },
    /// The server did not answer; trying again in `retry_s` seconds.
    Unreachable {
        retry_s: u32,
        waiting: usize,
    },
    WrongPassword,
    NotMember,
    /// Something else the server said, in words, and when it is tried again.
    Failed {
        why: String,
        retry_s: Option<u32>,
    },
}

/// 1234567 → "1,234,567".
pub fn thousands(n: usize) -> String {
    let s = n.to_string();
    let mut out = String::with_capacity(s.len() + s.len() / 3);
    for (i, c) in s.chars().enumerate() {
        if i > 0 && (s.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `words::count` with the number in thousands: "1,234 changes".
pub fn count(n: usize, singular: &str, plural: &str) -> String {
    words::count(n, singular, plural).replacen(&n.to_string(), &thousands(n), 1)
}

/// What versions taken from the team did here, for the live region: one
/// named — "From the team: a new Quote by ana, “…”", "… Quote changed,
/// “…”", "… Quote deleted, “…”" — more counted ("12 changes from the
/// team"). `before` holds the versions they replaced, by id.
pub fn team_changes(
    taken: &[Entry],
    before: &std::collections::HashMap<AnnotationId, Entry>,
) -> String {
    let quote = |a: &Annotation| words::clip(&a.quote.exact, 60);
    if let [one] = taken {
        let was = before.get(&one.id).and_then(|e| e.annotation.as_ref());
        match (&one.annotation, was) {
            (Some(a), None) => {
                let by = a
                    .author
                    .as_deref()
                    .map(|n| format!(" by {n}"))
                    .unwrap_or_default();
                return format!("From the team: a new {}{by}, “{}”", a.tag.label(), quote(a));
            }
            (Some(a), Some(_)) => {
                return format!("From the team: {} changed, “{}”", a.tag.label(), quote(a))
            }
            (None, Some(w)) => {
                return format!("From the team: {} deleted, “{}”", w.tag.label(), quote(w))
            }
            (None, None) => {}
        }
    }
    format!("{} from the team", count(taken.len(), "change", "changes"))
}

fn waiting(n: usize) -> String {
    count(n, "change", "changes") + " waiting"
}

impl Status {
    /// The status line's words ("" when there is no team).
    pub fn words(&self) -> String {
        match self {
            Status::Off => String::new(),
            Status::SignedOut { waiting: 0 } => "Signed out — sign in to sync".into(),
            Status::SignedOut { waiting: n } => {
                format!("Signed out — {}; sign in to sync", waiting(*n))
            }
            Status::Connecting => "Connecting…".into(),
            Status::Syncing {
                done,
                total: Some(t),
            } => {
                format!("Syncing {} of {}", thousands(*done), thousands(*t))
            }
            Status::Syncing { done, total: None } => format!("Syncing {}…", thousands(*done)),
            Status::Synced => "Synced".into(),
            Status::Sending { waiting: n } => {
                format!("Sending {}…", count(*n, "change", "changes"))
            }
            Status::Offline { waiting: 0 } => "Offline".into(),
            Status::Offline { waiting: n } => format!("Offline — {}", waiting(*n)),
            Status::Unreachable {
                retry_s,
                waiting: 0,
            } => {
                format!("Server unreachable — retrying in {retry_s} s")
            }
            Status::Unreachable {
                retry_s,
                waiting: n,
            } => {
                format!(
                    "Server unreachable — retrying in {retry_s} s; {}",
                    waiting(*n)
                )
            }
            Status::WrongPassword => "Wrong password".into(),
            Status::NotMember => "You are not a member of this database".into(),
            Status::Failed {
                why,
                retry_s: Some(s),
            } => format!("{why} — retrying in {s} s"),
            Status::Failed { why, retry_s: None } => why.clone(),
        }
    }

    /// Whether it is a problem the person must act on (shown as an error).
    pub fn is_problem(&self) -> bool {
        matches!(
            self,
            Status::WrongPassword | Status::NotMember | Status::Failed { retry_s: None, .. }
        )
    }

    /// Whether moving from `before` to this status is news the live region
    /// should say: a change of kind (not every new count while syncing or
    /// sending) to one a person acts on or waits for.
    pub fn worth_saying(&self, before: &Status) -> bool {
        let kind = std::mem::discriminant::<Status>;
        kind(before) != kind(self)
            && matches!(
                self,
                Status::Synced
                    | Status::Offline { .. }
                    | Status::Unreachable { .. }
                    | Status::WrongPassword
                    | Status::NotMember
                    | Status::Failed { .. }
            )
    }

    /// The status from what the team client knows (see [`Facts`]).
    ///
    /// "Synced" is said only when the last request to the server came back
    /// (`trouble` is cleared by an answer and by nothing else), the
    /// article's first sync is done and nothing waits: a client that cannot
    /// reach its server says so until it can, however its loops turn.
    pub fn of(f: &Facts) -> Status {
        // A sign-in refused shows why, even before any team is set up here.
        match &f.trouble {
            Some(Trouble::WrongPassword) => return Status::WrongPassword,
            Some(Trouble::NotMember) => return Status::NotMember,
            _ if f.connecting => return Status::Connecting,
            _ => {}
        }
        if !f.configured {
            return Status::Off;
        }
        let waiting = f.waiting;
        match (&f.trouble, f.signed_in) {
            (_, false) => return Status::SignedOut { waiting },
            (Some(Trouble::Offline), true) => return Status::Offline { waiting },
            (Some(Trouble::Unreachable { retry_s }), true) => {
                return Status::Unreachable {
                    retry_s: *retry_s,
                    waiting,
                }
            }
            (Some(Trouble::Failed { why, retry_s }), true) => {
                return Status::Failed {
                    why: why.clone(),
                    retry_s: *retry_s,
                }
            }
            // (A refused sign-in was said above.)
            (None | Some(Trouble::WrongPassword | Trouble::NotMember), true) => {}
        }
        if !f.answered {
            return Status::Connecting;
        }
        if let Some((done, total)) = f.syncing {
            return Status::Syncing { done, total };
        }
        match waiting {
            0 => Status::Synced,
            waiting => Status::Sending { waiting },
        }
    }
}

/// What went wrong with the last request, until one comes back.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Trouble {
    /// The browser says it has no network.
    Offline,
    /// No answer; tried again in `retry_s` seconds.
    Unreachable {
        retry_s: u32,
    },
    WrongPassword,
    NotMember,
    /// Another answer that is not what was asked, in words; tried again in
    /// `retry_s` seconds, or not by itself (`None`).
    Failed {
        why: String,
        retry_s: Option<u32>,
    },
}

/// What the status is made of.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Facts {
    /// A team is set up in this browser.
    pub configured: bool,
    pub signed_in: bool,
    /// Signing in, the answer not in yet.
    pub connecting: bool,
    /// Since signing in, a request has come back from the server.
    pub answered: bool,
    /// The last request failed (cleared by the next answer).
    pub trouble: Option<Trouble>,
    /// The open article's first sync or catch-up, under way: rows read so
    /// far, of how many when the server says.
    pub syncing: Option<(usize, Option<usize>)>,
    /// Changes waiting to be sent.
    pub waiting: usize,
}
