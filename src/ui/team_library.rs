//! The team's articles in the Library: those shared in the team's database
//! and not stored in this browser. Each is checked before it can be
//! opened (its text must be the one its id names); one that is not what it
//! claims is shown as such, never opened, and an editor may remove it.
//! Only the small `list:` documents are listed; an article's text is read
//! to check it once per revision (see `team::articles`).

use yew::prelude::*;

use super::hooks::team::Team;
use super::refs::ArticleRef;
use crate::core::sync::status;
use crate::team::{Check, TeamArticle};

fn entry(team: &Team, a: &TeamArticle) -> Html {
    let e = &a.entry;
    let shared_by = e
        .author
        .as_ref()
        .map(|a| format!(" · shared by {a}"))
        .unwrap_or_default();
    let meta = format!(
        "{}{shared_by}",
        status::count(e.chars as usize, "character", "characters")
    );
    let editor = team.member.as_ref().is_some_and(|m| m.editor);
    let (state, actions) = match &a.check {
        Check::Pending => (
            Some("Checking that its text is the article's…".to_string()),
            html! {},
        ),
        Check::Genuine => {
            let open = {
                let (cb, id) = (team.open.clone(), e.id.clone());
                Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
            };
            (
                None,
                html! {
                    <button type="button" onclick={open} aria-label={format!("Open {} from the team", e.title)}>{ "Open" }</button>
                },
            )
        }
        Check::Forged | Check::Unreadable(_) => {
            let why = match &a.check {
                Check::Forged => "Not opened: the text on the server is not the one its id names, so it is not the article it claims to be.".to_string(),
                Check::Unreadable(why) => format!("Not opened: {why}."),
                _ => String::new(),
            };
            let hint = if editor {
                " As an editor you may remove it; whoever opens the real article while signed in shares it again."
            } else {
                " An editor of the team can remove it."
            };
            let remove = {
                let (cb, id) = (team.remove.clone(), e.id.clone());
                Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
            };
            (
                Some(format!("{why}{hint}")),
                html! {
                    if editor {
                        <button type="button" onclick={remove} aria-label={format!("Remove {} from the team's articles", e.title)}>{ "Remove" }</button>
                    }
                },
            )
        }
    };
    html! {
        <li class="lib-entry" key={e.id.0.clone()}>
            <p class="lib-title">{ e.title.clone() }</p>
            <p class="lib-meta">{ meta }</p>
            if let Some(s) = state {
                <p class="hint team-check">{ s }</p>
            }
            <div class="row-actions">{ actions }</div>
        </li>
    }
}

#[function_component(TeamArticles)]
pub fn team_articles() -> Html {
    let team = use_context::<Team>();
    let signed_in = team.as_ref().and_then(|t| t.member.clone());
    // Read again when another article opens (one of these may now be here).
    let open = use_context::<ArticleRef>().map(|a| a.0.id.clone());
    {
        let list = team.as_ref().map(|t| t.list.clone());
        use_effect_with((signed_in.clone(), open), move |(m, _)| {
            if let (Some(_), Some(list)) = (m, list) {
                list.emit(());
            }
        });
    }
    let (Some(team), Some(_)) = (team, signed_in) else {
        return Html::default();
    };
    let body = match team.articles.as_deref() {
        None => html! { <p class="hint">{ "Reading the team's list…" }</p> },
        Some(t) if t.error.is_some() => html! {
            <p class="hint">{ format!("The team's list could not be read: {}.", t.error.clone().unwrap_or_default()) }</p>
        },
        Some(t) => {
            let unreadable = (t.unreadable > 0).then(|| {
                html! { <p class="hint">{ format!("{} of the team's list could not be read and {} left out.", crate::core::words::count(t.unreadable, "entry", "entries"), if t.unreadable == 1 { "is" } else { "are" }) }</p> }
            });
            if t.articles.is_empty() {
                html! {
                    <>
                        <p class="hint">{ "Every article the team shares is in this browser." }</p>
                        { for unreadable }
                    </>
                }
            } else {
                html! {
                    <>
                        <ul class="lib-list" aria-label="The team's articles">
                            { for t.articles.iter().map(|a| entry(&team, a)) }
                        </ul>
                        { for unreadable }
                    </>
                }
            }
        }
    };
    html! {
        <section class="team-articles" aria-labelledby="team-articles-title">
            <h3 id="team-articles-title">{ "The team's articles" }</h3>
            { body }
        </section>
    }
}
