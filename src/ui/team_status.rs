//! The team in the top bar — the "Team" button and the status in words,
//! shown whenever a team is set up — and the notices for changes made here
//! that lost to a version from the team, each with "Bring mine back".

use yew::prelude::*;

use super::context::use_ctx;
use super::dialog::Dialog;
use super::hooks::team::Team;
use crate::core::sync::Status;

/// "Team" and, with a team, where sync stands ("Synced", "Offline — 3
/// changes waiting", "Wrong password"…). Changes of state are also said
/// through the live region (by the sync hook).
#[function_component(TeamButton)]
pub fn team_button() -> Html {
    let ctx = use_ctx();
    let team = use_context::<Team>();
    let open = ctx.dialog.reform(|_: MouseEvent| Some(Dialog::Team));
    let status = team
        .as_ref()
        .map(|t| t.status.clone())
        .unwrap_or(Status::Off);
    let words = status.words();
    let class = classes!(
        "team-status",
        status.is_problem().then_some("team-problem"),
        matches!(status, Status::Unreachable { .. } | Status::Offline { .. })
            .then_some("team-waiting"),
    );
    // The status is its own line of the header (on phones, under the buttons).
    html! {
        <>
            <div class="actions team" role="group" aria-label="Team">
                <button type="button" onclick={open} aria-haspopup="dialog"
                        aria-describedby={(!words.is_empty()).then_some("team-status")}>{ "Team" }</button>
            </div>
            if !words.is_empty() {
                <p id="team-status" {class}>{ words }</p>
            }
        </>
    }
}

/// Changes made here that lost to the team's versions: what and why, with
/// "Bring mine back" (a new edit: undoable, and sent to the team) and
/// "Dismiss".
#[function_component(TeamNotices)]
pub fn team_notices() -> Html {
    let Some(team) = use_context::<Team>() else {
        return Html::default();
    };
    if team.lost.is_empty() {
        return html! { <div class="team-notices" /> };
    }
    html! {
        <div class="team-notices">
            { for team.lost.iter().enumerate().map(|(i, l)| {
                let quote: String = l.annotation.quote.exact.chars().take(80).collect();
                let back = team.bring_back.reform(move |_: MouseEvent| i);
                let dismiss = team.dismiss.reform(move |_: MouseEvent| i);
                html! {
                    <div class="notice team-lost">
                        <p>{ format!("Your change to “{quote}” was replaced by {}.", l.by) }</p>
                        <button type="button" onclick={back} aria-label={format!("Bring mine back: {quote}")}>{ "Bring mine back" }</button>
                        <button type="button" onclick={dismiss} aria-label={format!("Dismiss: {quote}")}>{ "Dismiss" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
