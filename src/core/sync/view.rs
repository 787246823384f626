//! What one client knows of the server's versions of the article it
//! follows, and every decision that knowledge drives: what to take from a
//! pull, what to send in a push and over which revision, and what the
//! server's answers to a push mean. No I/O: the team client (`team::`)
//! reads and writes the server and storage and asks this what to do, so
//! the protocol is tested natively exactly as the app runs it.
//!
//! The revisions are remembered for the followed article only (it may
//! hold 10,000 annotations; others are pushed rarely and looked up).

use std::collections::HashMap;

use super::doc::{self, Remote};
use super::plan::{self, Lost, Reconciled, Step};
use super::queue::Queue;
use super::wire::Written;
use crate::core::merge::{Clock, Entry};
use crate::core::{AnnotationId, ArticleId};

/// What the server last showed of one annotation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Known {
    pub rev: String,
    /// Its author as the server keeps it (a deletion keeps it too).
    pub author: Option<String>,
}

/// The client's view of the server for the article it follows.
#[derive(Clone, Debug, Default)]
pub struct ServerView {
    article: Option<ArticleId>,
    known: HashMap<AnnotationId, Known>,
    /// The clock of the version of each annotation this client last sent:
    /// a version from the team that says it overwrote that one unseen
    /// means this person's edit lost.
    sent: HashMap<AnnotationId, Clock>,
    /// Versions from the team that the next push of each id replaces
    /// unseen (their clocks), to be named in the pushed document.
    overwriting: HashMap<AnnotationId, Clock>,
}

/// What to send in one push.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PushPlan {
    /// The documents, as JSON.
    pub docs: Vec<String>,
    /// The version each sent document holds, by id.
    pub sent: HashMap<AnnotationId, Entry>,
    /// Looked-up versions of the server's that win: to take here.
    pub take: Vec<Remote>,
    /// Queued ids known neither here nor there: off the queue.
    pub drop: Vec<AnnotationId>,
}

/// What the answers to a push come to.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pushed {
    /// Refused by the server's rules (`forbidden`, `unauthorized`): the
    /// id, the version refused, and the server's reason. Off the queue.
    pub refused: Vec<(AnnotationId, Entry, String)>,
    /// Another error for some document: it stays queued, tried again later.
    pub failed: Option<String>,
    pub queue_changed: bool,
}

fn author_of(r: &Remote) -> Option<String> {
    r.author
        .clone()
        .or_else(|| r.entry.annotation.as_ref().and_then(|a| a.author.clone()))
}

impl ServerView {
    /// Follow `article` from now on (forgetting what was known).
    pub fn follow(&mut self, article: Option<ArticleId>) {
        *self = ServerView {
            article,
            ..ServerView::default()
        };
    }

    pub fn follows(&self, article: &ArticleId) -> bool {
        self.article.as_ref() == Some(article)
    }

    /// What the server last showed of `id` (followed article only).
    pub fn known(&self, id: &AnnotationId) -> Option<&Known> {
        self.known.get(id)
    }

    /// Versions from the server for `article` (a pull, a lookup, a
    /// resolved conflict): remember their revisions, decide each against
    /// the version here (`mine`, by id) by the merge rule, keep the queue
    /// `q` true to the result, and collect this person's edits that lost
    /// (in the queue, or already sent and overwritten unseen).
    pub fn receive(
        &mut self,
        article: &ArticleId,
        remotes: Vec<Remote>,
        mine: &HashMap<AnnotationId, Entry>,
        q: &mut Queue,
    ) -> Reconciled {
        let followed = self.follows(article);
        let mut lost_sent: Vec<Lost> = Vec::new();
        for r in &remotes {
            let id = &r.entry.id;
            if followed {
                self.known.insert(
                    id.clone(),
                    Known {
                        rev: r.rev.clone(),
                        author: author_of(r),
                    },
                );
            }
            if let Some(l) = plan::lost_after_sending(
                article,
                mine.get(id),
                &r.entry,
                r.overwrote,
                self.sent.get(id).copied(),
            ) {
                self.sent.remove(id);
                lost_sent.push(l);
            }
        }
        let mut out = plan::reconcile(article, remotes.into_iter().map(|r| r.entry), mine, q);
        if followed {
            self.overwriting.extend(out.overwrites.iter().cloned());
        }
        for l in lost_sent {
            if !out.lost.iter().any(|x| x.annotation.id == l.annotation.id) {
                out.lost.push(l);
            }
        }
        out
    }

    /// Which of `ids` of `article` must be looked up before pushing: those
    /// whose revision is not known.
    pub fn to_look_up(&self, article: &ArticleId, ids: &[AnnotationId]) -> Vec<AnnotationId> {
        let followed = self.follows(article);
        ids.iter()
            .filter(|id| !followed || !self.known.contains_key(id))
            .cloned()
            .collect()
    }

    /// What to send for the queued `ids` of `article`, whose versions here
    /// are `mine`, given the server's looked-up versions `found`; new
    /// documents name `user` as their author.
    pub fn plan_push(
        &self,
        article: &ArticleId,
        ids: &[AnnotationId],
        mine: &[Entry],
        found: &HashMap<AnnotationId, Remote>,
        user: &str,
    ) -> PushPlan {
        let followed = self.follows(article);
        let mut plan = PushPlan::default();
        for l in mine {
            let server = found.get(&l.id);
            let known = if followed {
                self.known.get(&l.id)
            } else {
                None
            };
            let (rev, author) = match (server, known) {
                (Some(r), _) => (Some(r.rev.clone()), author_of(r)),
                (None, Some(k)) => (Some(k.rev.clone()), k.author.clone()),
                (None, None) => (None, None),
            };
            // A known revision: ours is pushed over it (a conflict says if
            // the server moved on). A looked-up version: decided by the
            // rule now.
            let step = match server {
                Some(s) => plan::step(Some(l), Some(&s.entry)),
                None => Step::Push,
            };
            if step != Step::Push {
                if let Some(r) = server {
                    plan.take.push(r.clone());
                }
                continue;
            }
            let author = author.unwrap_or_else(|| user.to_string());
            // Looked up for the followed article (its revision went stale,
            // or it was never seen here): a different version there is one
            // this person never saw, and its maker is told.
            let overwrote = server
                .filter(|_| followed)
                .and_then(|s| plan::overwrites_unseen(&s.entry, l))
                .or_else(|| self.overwriting.get(&l.id).copied());
            plan.docs.push(doc::encode_annotation_over(
                article,
                l,
                rev.as_deref(),
                Some(&author),
                overwrote,
            ));
            plan.sent.insert(l.id.clone(), l.clone());
        }
        plan.drop = ids
            .iter()
            .filter(|id| !mine.iter().any(|m| &m.id == *id))
            .cloned()
            .collect();
        plan
    }

    /// The server's `answers` to a push of `sent` (see [`PushPlan`]):
    /// remember the new revisions, take an id off the queue once the
    /// server holds its current version here (`current`), forget a
    /// revision that met a conflict (looked up and decided again next
    /// round), and collect refusals.
    pub fn pushed(
        &mut self,
        article: &ArticleId,
        sent: &HashMap<AnnotationId, Entry>,
        answers: Vec<Written>,
        user: &str,
        current: impl Fn(&AnnotationId) -> Option<Entry>,
        q: &mut Queue,
    ) -> Pushed {
        let followed = self.follows(article);
        let mut out = Pushed::default();
        for w in answers {
            let Some((of, id)) = doc::parse_ann_doc_id(&w.id) else {
                continue;
            };
            let Some(pushed) = sent.get(&id).filter(|_| of == *article) else {
                continue;
            };
            match (w.rev, w.error.as_deref()) {
                (Some(rev), None) => {
                    if followed {
                        let author = pushed
                            .annotation
                            .as_ref()
                            .and_then(|a| a.author.clone())
                            .or_else(|| self.known.get(&id).and_then(|k| k.author.clone()))
                            .or_else(|| Some(user.to_string()));
                        self.known.insert(id.clone(), Known { rev, author });
                        self.sent.insert(id.clone(), pushed.clock);
                        self.overwriting.remove(&id);
                    }
                    // Still the current version here: the server has it.
                    if current(&id).as_ref() == Some(pushed) {
                        out.queue_changed |= q.remove(article, &id);
                    }
                }
                (_, Some("conflict")) => {
                    self.known.remove(&id);
                }
                (_, Some("forbidden")) | (_, Some("unauthorized")) => {
                    out.queue_changed |= q.remove(article, &id);
                    out.refused
                        .push((id, pushed.clone(), w.reason.unwrap_or_default()));
                }
                (_, Some(other)) => {
                    out.failed = Some(format!("{other}: {}", w.reason.unwrap_or_default()));
                }
                (None, None) => {}
            }
        }
        out
    }
}
