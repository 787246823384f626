//! Taking the server's versions: decided against the versions here by the
//! merge rule (`ServerView::receive`), the winners stored and shown when
//! their article is open, the queue kept true, and this person's changes
//! that lost kept so they can be brought back — said once, in the live
//! region, with what arrived.

use std::collections::HashMap;

use super::inner::Shared;
use super::report::Report;
use crate::core::merge::Entry;
use crate::core::storage::Writer;
use crate::core::sync::doc::{Remote, Skipped};
use crate::core::sync::{status, Lost};
use crate::core::{words, AnnotationId, ArticleId};
use crate::web;

/// A quote in a message: its first 60 characters.
pub(super) fn short(s: &str) -> String {
    words::clip(s, 60)
}

/// What the live region says of changes that lost.
fn lost_words(lost: &[Lost]) -> String {
    match lost {
        [] => String::new(),
        [one] => format!(
            "Your change to “{}” was replaced by {}; “Bring mine back” under the header restores it.",
            short(&one.annotation.quote.exact),
            one.by
        ),
        many => format!(
            "{} of yours were replaced by the team's; “Bring mine back” under the header restores each.",
            status::count(many.len(), "change", "changes")
        ),
    }
}

/// Store versions from the team (merged by the rule, as any write is).
fn store(team: &Shared, article: &ArticleId, entries: &[Entry]) {
    if entries.is_empty() {
        return;
    }
    let mut w = Writer::default();
    for x in entries {
        w.queue(article, x.clone());
    }
    if let Err(err) = w.flush(&*team.store(), web::now(), &[]) {
        team.report(Report::Alert(format!("Changes from the team could not be saved in this browser: {err}. They are on screen; claimmark tries again with the next change.")));
    }
}

/// Versions from the server for `article`: decide each, take the winners,
/// queue what is newer here, note this person's changes that lost.
/// `announce`: say what arrived (not during a first sync, which says its
/// count once at the end).
pub(super) fn receive(team: &Shared, article: &ArticleId, remotes: Vec<Remote>, announce: bool) {
    if remotes.is_empty() {
        return;
    }
    let ids: Vec<AnnotationId> = remotes.iter().map(|r| r.entry.id.clone()).collect();
    let mine: HashMap<AnnotationId, Entry> = team
        .versions(article, &ids)
        .into_iter()
        .map(|x| (x.id.clone(), x))
        .collect();
    let mut q = team.queue();
    let out = team.view(|v| v.receive(article, remotes, &mine, &mut q));
    if out.queue_changed {
        team.write_queue(&q);
    }
    store(team, article, &out.take);
    let arrived = if announce && !out.take.is_empty() {
        status::team_changes(&out.take, &mine)
    } else {
        String::new()
    };
    let lost = lost_words(&out.lost);
    let said = match (arrived.is_empty(), lost.is_empty()) {
        (_, true) => arrived,
        (true, false) => lost.clone(),
        (false, false) => format!("{arrived}. {lost}"),
    };
    if team.open_article().id == *article && !out.take.is_empty() {
        team.report(Report::Take {
            entries: out.take,
            announce: said,
        });
    } else if !lost.is_empty() {
        team.report(Report::Say(lost));
    }
    team.add_lost(out.lost);
}

/// Say which documents were skipped (nothing of them is shown).
pub(super) fn skipped(team: &Shared, skipped: &[Skipped]) {
    if skipped.is_empty() {
        return;
    }
    let names: Vec<String> = skipped.iter().map(ToString::to_string).collect();
    team.report(Report::Alert(format!(
        "Skipped {} from the team that could not be used (nothing of it was shown; the rest arrived): {}.",
        words::count(skipped.len(), "annotation", "annotations"),
        names.join("; ")
    )));
}
