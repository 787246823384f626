//! "Team": the team's CouchDB database, signing in and out. The password
//! goes to the sync hook's memory and nowhere else (the form is never
//! submitted anywhere, and the field is cleared on closing); the address
//! and name are kept to fill the form in next time.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::ui::dialog::DialogShell;
use crate::ui::hooks::team::{SignIn, Team};

#[derive(Properties, PartialEq)]
pub struct TeamProps {
    pub on_close: Callback<()>,
}

#[function_component(TeamDialog)]
pub fn team_dialog(p: &TeamProps) -> Html {
    let team = use_context::<Team>().expect("inside the workspace");
    let refs: [NodeRef; 3] = [use_node_ref(), use_node_ref(), use_node_ref()];
    let problem = use_state(|| None::<String>);
    let busy = use_state(|| false);
    // What is typed in the address and name, kept across re-renders (a
    // failed sign-in must not empty them): first the saved settings.
    let typed = {
        let config = team.config.clone();
        use_state(move || {
            config
                .map(|c| (c.url.clone(), c.user.clone()))
                .unwrap_or_default()
        })
    };
    let value = |r: &NodeRef| {
        r.cast::<HtmlInputElement>()
            .map(|i| i.value())
            .unwrap_or_default()
    };
    let submit = {
        let (refs, problem, busy, team, close) = (
            refs.clone(),
            problem.clone(),
            busy.clone(),
            team.clone(),
            p.on_close.clone(),
        );
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *busy {
                return;
            }
            busy.set(true);
            problem.set(None);
            let (problem, busy, close) = (problem.clone(), busy.clone(), close.clone());
            let password_field = refs[2].clone();
            let done = Callback::from(move |r: Result<(), String>| {
                busy.set(false);
                match r {
                    Ok(()) => close.emit(()),
                    Err(why) => {
                        problem.set(Some(why));
                        // The password was cleared: it is what is typed next
                        // (focus never drops to the page).
                        if let Some(i) = password_field.cast::<HtmlInputElement>() {
                            let _ = i.focus();
                        }
                    }
                }
            });
            let password = value(&refs[2]);
            if let Some(i) = refs[2].cast::<HtmlInputElement>() {
                i.set_value("");
            }
            team.sign_in.emit(SignIn {
                url: value(&refs[0]),
                user: value(&refs[1]),
                password,
                done,
            });
        })
    };
    let close = p.on_close.reform(|_: MouseEvent| ());
    let body = match &team.member {
        Some(member) => {
            let sign_out = {
                let (out, close) = (team.sign_out.clone(), p.on_close.clone());
                Callback::from(move |_: MouseEvent| {
                    out.emit(());
                    close.emit(());
                })
            };
            html! {
                <>
                    <p>{ format!("Signed in as {}{} to {}.", member.user, if member.editor { " (an editor)" } else { "" }, member.db) }</p>
                    <p>{ format!("Status: {}.", team.status.words()) }</p>
                    <p class="hint">{ "The open article's annotations sync with every member who opens it. Signing out forgets the password; what is not yet sent is sent the next time someone signs in here." }</p>
                    <div class="dialog-actions">
                        <button type="button" onclick={sign_out}>{ "Sign out" }</button>
                        // Focus opens on Close: one Enter must not sign out.
                        <button type="button" onclick={close} data-autofocus="true">{ "Close" }</button>
                    </div>
                </>
            }
        }
        None => {
            let invalid = problem.is_some();
            let field = |id: &'static str,
                         label: &'static str,
                         kind: &'static str,
                         value: String,
                         r: &NodeRef,
                         auto: &'static str,
                         hint: &'static str,
                         oninput: Option<Callback<InputEvent>>| {
                let hint_id = format!("{id}-hint");
                // The alert names what is wrong; each field points at it.
                let described = if invalid {
                    format!("{hint_id} team-problem")
                } else {
                    hint_id.clone()
                };
                html! {
                    <>
                        <label for={id}>{ label }</label>
                        <input {id} type={kind} ref={r.clone()} {value} autocomplete={auto} {oninput}
                               aria-describedby={described} aria-invalid={invalid.to_string()} required=true />
                        <p id={hint_id} class="hint">{ hint }</p>
                    </>
                }
            };
            let keep = |which: usize| {
                let typed = typed.clone();
                Some(Callback::from(move |e: InputEvent| {
                    let v = e.target_unchecked_into::<HtmlInputElement>().value();
                    let mut t = (*typed).clone();
                    if which == 0 {
                        t.0 = v;
                    } else {
                        t.1 = v;
                    }
                    typed.set(t);
                }))
            };
            html! {
                <form onsubmit={submit} novalidate=true>
                    { field("team-url", "Database address", "url", typed.0.clone(), &refs[0], "url",
                            "The team's CouchDB database, e.g. https://couch.example.org/newsdesk", keep(0)) }
                    { field("team-user", "User name", "text", typed.1.clone(), &refs[1], "username",
                            "Your CouchDB user name.", keep(1)) }
                    { field("team-password", "Password", "password", String::new(), &refs[2], "current-password",
                            "Kept only while this page is open: never saved.", None) }
                    if let Some(why) = &*problem {
                        <p id="team-problem" class="field-error" role="alert">{ why.clone() }</p>
                    }
                    <div class="dialog-actions">
                        // Not `disabled` while busy: the button keeps focus.
                        <button type="submit" aria-disabled={busy.to_string()}>{ if *busy { "Signing in…" } else { "Sign in" } }</button>
                        <button type="button" onclick={close}>{ "Cancel" }</button>
                    </div>
                </form>
            }
        }
    };
    html! {
        <DialogShell labelled_by="team-title" class="team-dialog" on_close={p.on_close.clone()}>
            <h2 id="team-title">{ "Team" }</h2>
            <p class="hint">{ "Share annotations with your team through a CouchDB database: everyone who opens the same article sees the others' annotations live, each marked with its author." }</p>
            { body }
        </DialogShell>
    }
}
