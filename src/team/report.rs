//! What the team client tells the app. It reaches the interface only
//! through these: the hook that owns the client turns each into a state
//! update, a reducer action or a message.

use std::rc::Rc;

use crate::core::merge::Entry;
use crate::core::sync::doc::ListEntry;
use crate::core::sync::{Lost, Status};
use crate::core::Article;

/// Who is signed in, where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub user: String,
    /// A member with the role `editor` (may change anyone's annotations
    /// and the shared articles).
    pub editor: bool,
    /// The database's address.
    pub db: String,
}

/// Whether an article listed by the team is what it claims to be.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Not read yet.
    Pending,
    /// Its text is the text its id names: it can be opened.
    Genuine,
    /// Another text under its id: it is not opened, and an editor may
    /// remove it.
    Forged,
    /// It could not be read or checked, in words.
    Unreadable(String),
}

/// One of the team's shared articles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TeamArticle {
    pub entry: ListEntry,
    pub check: Check,
}

/// The team's articles as last read: the list, or why it could not be
/// read; entries that could not be read are counted, not listed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TeamArticles {
    pub articles: Vec<TeamArticle>,
    pub unreadable: usize,
    pub error: Option<String>,
}

/// Something the client tells the app.
#[derive(Clone, Debug)]
pub enum Report {
    /// Where sync stands (whenever it changes).
    Status(Status),
    /// Signed in (who, where) or out (`None`).
    SignedIn(Option<Member>),
    /// The name to put on what is made here from now on (see
    /// `Action::SetAuthor`); `None` once signed out.
    Author(Option<String>),
    /// Words for the live region.
    Say(String),
    /// A problem to show in the alert until it is over or replaced.
    Alert(String),
    /// The team's last problem is over: its alert leaves the page.
    ClearAlert,
    /// Versions from the team that win, for the open article (already
    /// stored); `announce` is what the live region says.
    Take {
        entries: Vec<Entry>,
        announce: String,
    },
    /// Versions the server stands by over a change it refused here (already
    /// stored); `announce` says why.
    Revert {
        entries: Vec<Entry>,
        announce: String,
    },
    /// This person's changes that lost to the team's, all of them so far.
    Lost(Vec<Lost>),
    /// The team's articles, as asked for.
    Articles(TeamArticles),
    /// One of the team's articles, read and checked: to open.
    Open(Rc<Article>),
}
