//! The team's articles: sharing the open one, listing the others, opening
//! one, and (editors) removing one.
//!
//! An article's id is the SHA-256 of its text, so any member can tell
//! whether a document `article:<id>` holds the text it claims: its text
//! must hash to its id. A member may put another text under a real
//! article's id before anyone shares the real one; so every article read
//! from the server is checked before it is listed as openable or opened,
//! and the check is remembered per revision (`queue::Checked`), so a
//! document is downloaded once, not on every sign-in.
//!
//! When the open article's id holds another text on the server, the
//! person sharing it is told, and an editor's client puts the real text
//! back at once (editors may change shared articles). The annotations
//! still sync either way: they are keyed by the real text's id, and no
//! one can open the false text under it.

use std::collections::HashSet;
use std::rc::Rc;

use super::inner::Shared;
use super::report::{Check, Report, TeamArticle, TeamArticles};
use crate::core::sync::doc::{self, ArticleProblem};
use crate::core::sync::queue::{self, Checked};
use crate::core::{words, Article, ArticleId};
use crate::web::couch::{Couch, CouchError};

/// The current revision of each live document of `ids` (in order; `None`
/// for one missing or deleted).
async fn revisions(
    team: &Shared,
    couch: &Couch,
    ids: &[String],
) -> Result<Vec<Option<String>>, CouchError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let p = team.ask(couch.all_docs_keys(ids, false)).await?;
    Ok(ids
        .iter()
        .map(|id| {
            p.rows
                .iter()
                .filter_map(|r| r.as_ref().ok())
                .find(|r| r.id.as_deref() == Some(id.as_str()) && !r.deleted)
                .and_then(|r| r.rev.clone())
        })
        .collect())
}

fn checked(team: &Shared, couch: &Couch) -> Checked {
    Checked::read(
        team.store()
            .get(&queue::checked_key(&couch.db))
            .ok()
            .flatten()
            .as_deref(),
    )
}

fn mark_checked(team: &Shared, couch: &Couch, article: &ArticleId, rev: &str) {
    let mut c = checked(team, couch);
    c.insert(article, rev);
    let _ = team
        .store()
        .set(&queue::checked_key(&couch.db), &c.encode());
}

/// Read `article:<id>` and check it: the article, or what is wrong.
async fn read_checked(
    team: &Shared,
    couch: &Couch,
    id: &ArticleId,
) -> Result<Result<Article, ArticleProblem>, CouchError> {
    let text = team.ask(couch.get(&doc::article_doc_id(id), None)).await?;
    Ok(match text {
        Some(t) => doc::read_article(&t, id),
        None => Err(ArticleProblem::Unreadable(
            "the team's database no longer has it".into(),
        )),
    })
}

/// Make sure the open article is on the server as it is here: shared once
/// (its document and its list entry), or checked once per revision when
/// someone shared it first.
pub(super) async fn share(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
) -> Result<(), CouchError> {
    if team.is_shared(&article.id) {
        return Ok(());
    }
    let ids = [
        doc::article_doc_id(&article.id),
        doc::list_doc_id(&article.id),
    ];
    let revs = revisions(team, couch, &ids).await?;
    match &revs[0] {
        None => match team
            .ask(couch.create(&ids[0], doc::encode_article(article)))
            .await
        {
            Ok(true) => {}
            // Made meanwhile by another member (409): checked next round.
            Ok(false) => return Ok(()),
            Err(CouchError::Forbidden(why)) => return not_shared(team, article, &why),
            Err(e) => return Err(e),
        },
        Some(rev) if checked(team, couch).holds(&article.id, rev) => {}
        Some(rev) => match read_checked(team, couch, &article.id).await? {
            Ok(_) => mark_checked(team, couch, &article.id, rev),
            Err(problem) => {
                let list_rev = revs[1].clone();
                return not_this_text(team, couch, article, rev, list_rev, problem).await;
            }
        },
    }
    if revs[1].is_none() {
        let entry = doc::encode_list_entry(article, Some(&couch.user));
        match team.ask(couch.create(&ids[1], entry)).await {
            Ok(_) => {}
            Err(CouchError::Forbidden(why)) => return not_shared(team, article, &why),
            Err(e) => return Err(e),
        }
    }
    team.mark_shared(&article.id);
    Ok(())
}

/// The server refused to share the article (its rules: too long a text,
/// say): said once; its annotations still sync.
fn not_shared(team: &Shared, article: &Article, why: &str) -> Result<(), CouchError> {
    let title = words::clip(&article.title, 60);
    team.report(Report::Alert(format!(
        "“{title}” could not be shared with the team ({why}). Your annotations of it still reach the team, but the others cannot open it from their Library."
    )));
    team.mark_shared(&article.id);
    Ok(())
}

/// The server holds something else under the open article's id: an editor
/// puts the real text back (and the list entry, in their name); anyone
/// else is told, with what an editor can do.
async fn not_this_text(
    team: &Shared,
    couch: &Couch,
    article: &Rc<Article>,
    rev: &str,
    list_rev: Option<String>,
    problem: ArticleProblem,
) -> Result<(), CouchError> {
    let title = words::clip(&article.title, 60);
    if team.editor() {
        let docs = [
            doc::encode_article_over(article, Some(rev)),
            doc::encode_list_entry_over(article, Some(&couch.user), list_rev.as_deref()),
        ];
        let answers = team.ask(couch.bulk_docs(&docs)).await?;
        if let Some(w) = answers.iter().find(|w| w.error.is_some()) {
            team.report(Report::Alert(format!(
                "The team's copy of “{title}” is not this article ({problem}), and putting this one in its place failed: {}.",
                w.reason.clone().or_else(|| w.error.clone()).unwrap_or_default()
            )));
        } else {
            if let Some(rev) = answers
                .iter()
                .find(|w| w.id == doc::article_doc_id(&article.id))
                .and_then(|w| w.rev.clone())
            {
                mark_checked(team, couch, &article.id, &rev);
            }
            team.report(Report::Say(format!(
                "The team's copy of “{title}” was not this article ({problem}); as an editor you put this one in its place."
            )));
        }
    } else {
        team.report(Report::Alert(format!(
            "“{title}” is not shared with the team: {problem}. Your annotations of it still reach the team, but the others cannot open it from their Library. Ask an editor of the team to open this article while signed in (claimmark then puts it in place of the wrong copy), or to press Remove beside it in the team's articles."
        )));
    }
    // Not asked again until signing in again (or another article opens).
    team.mark_shared(&article.id);
    Ok(())
}

/// Read the team's list of articles and check those not in `except` (the
/// ones stored here), telling the app after the list and after each check.
pub(super) async fn list(team: &Shared, couch: &Couch, except: HashSet<ArticleId>) {
    let mut out = TeamArticles::default();
    let p = match team.ask(couch.list()).await {
        Ok(p) => p,
        Err(CouchError::Aborted) => return,
        Err(e) => {
            out.error = Some(e.to_string());
            team.report(Report::Articles(out));
            return;
        }
    };
    out.unreadable = p.skipped().count();
    for d in p.docs() {
        match doc::read_list_entry(d) {
            Some(e) if !except.contains(&e.id) => out.articles.push(TeamArticle {
                entry: e,
                check: Check::Pending,
            }),
            Some(_) => {}
            None => out.unreadable += 1,
        }
    }
    let ids: Vec<String> = out
        .articles
        .iter()
        .map(|a| doc::article_doc_id(&a.entry.id))
        .collect();
    let revs = match revisions(team, couch, &ids).await {
        Ok(r) => r,
        Err(e) => {
            out.error = Some(e.to_string());
            team.report(Report::Articles(out));
            return;
        }
    };
    let known = checked(team, couch);
    for (a, rev) in out.articles.iter_mut().zip(&revs) {
        a.check = match rev {
            None => Check::Unreadable("the team's database has no text for it".into()),
            Some(r) if known.holds(&a.entry.id, r) => Check::Genuine,
            Some(_) => Check::Pending,
        };
    }
    team.report(Report::Articles(out.clone()));
    for (i, rev) in revs.iter().enumerate() {
        if out.articles[i].check != Check::Pending {
            continue;
        }
        let id = out.articles[i].entry.id.clone();
        out.articles[i].check = match read_checked(team, couch, &id).await {
            Ok(Ok(_)) => {
                if let Some(rev) = rev {
                    mark_checked(team, couch, &id, rev);
                }
                Check::Genuine
            }
            Ok(Err(ArticleProblem::Forged)) => Check::Forged,
            Ok(Err(problem)) => Check::Unreadable(problem.to_string()),
            Err(CouchError::Aborted) => return,
            Err(e) => Check::Unreadable(e.to_string()),
        };
        team.report(Report::Articles(out.clone()));
    }
}

/// Open one of the team's articles: read from the server and checked.
pub(super) async fn open(team: &Shared, couch: &Couch, id: &ArticleId) {
    team.report(Report::Say("Opening the team's article…".into()));
    match read_checked(team, couch, id).await {
        Ok(Ok(a)) => team.report(Report::Open(Rc::new(a))),
        Ok(Err(problem)) => team.report(Report::Alert(format!(
            "The team's article was not opened: {problem}."
        ))),
        Err(e) => team.report(Report::Alert(format!(
            "The team's article was not opened: {e}."
        ))),
    }
}

/// Remove a shared article's document and list entry (editors only: the
/// server refuses anyone else), then list again.
pub(super) async fn remove(
    team: &Shared,
    couch: &Couch,
    id: &ArticleId,
    except: HashSet<ArticleId>,
) {
    let ids = [doc::article_doc_id(id), doc::list_doc_id(id)];
    let result = async {
        let revs = revisions(team, couch, &ids).await?;
        let docs: Vec<String> = ids
            .iter()
            .zip(&revs)
            .filter_map(|(d, r)| r.as_deref().map(|r| doc::encode_doc_removal(d, r)))
            .collect();
        if docs.is_empty() {
            return Ok(None);
        }
        let answers = team.ask(couch.bulk_docs(&docs)).await?;
        Ok::<_, CouchError>(
            answers
                .into_iter()
                .find_map(|w| w.error.map(|e| w.reason.unwrap_or(e))),
        )
    }
    .await;
    match result {
        Ok(None) => team.report(Report::Say(
            "Removed from the team's articles. Whoever opens the real article while signed in shares it again."
                .into(),
        )),
        Ok(Some(why)) => team.report(Report::Alert(format!(
            "The team's server did not remove it: {why}."
        ))),
        Err(e) => team.report(Report::Alert(format!(
            "The team's article was not removed: {e}."
        ))),
    }
    list(team, couch, except).await;
}
