//! The team's articles in the Library: those shared in the team's database
//! and not stored in this browser, each with "Open" (which reads the
//! article from the server and opens it; its annotations then sync). Only
//! the small `list:` documents are read, never the whole database.

use serde_json::Value;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use super::context::use_ctx;
use super::hooks::team_sync::Team;
use crate::core::storage as persist;
use crate::core::sync::doc::{read_list_entry, ListEntry};

#[function_component(TeamArticles)]
pub fn team_articles() -> Html {
    let ctx = use_ctx();
    let team = use_context::<Team>();
    let list = use_state(|| None::<Result<Vec<ListEntry>, String>>);
    let couch = team.as_ref().and_then(|t| t.couch.clone());
    {
        let list = list.clone();
        use_effect_with(couch.clone(), move |couch| {
            list.set(None);
            if let Some(couch) = couch.clone() {
                spawn_local(async move {
                    let got = couch.list().await.map_err(|e| e.to_string()).map(|text| {
                        let v: Value = serde_json::from_str(&text).unwrap_or(Value::Null);
                        v.get("rows")
                            .and_then(Value::as_array)
                            .map(|rows| {
                                rows.iter()
                                    .filter_map(|r| r.get("doc"))
                                    .filter_map(read_list_entry)
                                    .collect()
                            })
                            .unwrap_or_default()
                    });
                    list.set(Some(got));
                });
            }
        });
    }
    let (Some(team), Some(_)) = (team, couch) else {
        return Html::default();
    };
    let stored = persist::read_index(&*ctx.session.store);
    let body = match &*list {
        None => html! { <p class="hint">{ "Reading the team's list…" }</p> },
        Some(Err(why)) => {
            html! { <p class="hint">{ format!("The team's list could not be read: {why}.") }</p> }
        }
        Some(Ok(entries)) => {
            let missing: Vec<&ListEntry> = entries
                .iter()
                .filter(|e| !stored.articles.iter().any(|s| s.id == e.id))
                .collect();
            if missing.is_empty() {
                html! { <p class="hint">{ "Every article the team shares is in this browser." }</p> }
            } else {
                html! {
                    <ul class="lib-list" aria-label="The team's articles">
                        { for missing.into_iter().map(|e| {
                            let open = {
                                let (cb, id) = (team.open.clone(), e.id.clone());
                                Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
                            };
                            html! {
                                <li class="lib-entry" key={e.id.0.clone()}>
                                    <p class="lib-title">{ e.title.clone() }</p>
                                    <p class="lib-meta">{ format!("{} characters{}", e.chars, e.author.as_ref().map(|a| format!(" · shared by {a}")).unwrap_or_default()) }</p>
                                    <div class="row-actions">
                                        <button type="button" onclick={open} aria-label={format!("Open {} from the team", e.title)}>{ "Open" }</button>
                                    </div>
                                </li>
                            }
                        }) }
                    </ul>
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
