//! Printing: a visible "Print" button, and a report instead of the app
//! whenever the page is printed (the button, Ctrl+P or the browser's menu).
//!
//! The report (`web::print`) is built on `beforeprint` from the article and
//! annotations as they are at that moment, and removed on `afterprint`: the
//! article with each highlight drawn in its tag's line style and numbered,
//! then every annotation in full as numbered notes. The CSS Custom Highlight
//! API cannot put numbers in the text, so the printed article is its own
//! copy, built only while printing.
//!
//! A student hands the printout in: it says whose work it is and when
//! ("Annotated by NAME on DATE", under the article's details). The name is
//! asked once — the first Print (button or Ctrl+P) with no name kept opens
//! [`NameDialog`] — and kept in local storage under the key the Export
//! menu's "Your name (for ClaimReview)" already used, so one name serves
//! both and no new stored value is added.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::context::{use_ctx, Ctx};
use super::dialog::{Dialog, DialogShell};
use super::export_menu::author_key;
use super::hooks::library_index::LibraryIndex;
use super::messages::{use_messenger, Messenger};
use super::refs::{AnnList, ArticleRef};
use crate::core::formats::Context;
use crate::core::storage::Store;
use crate::web;

/// The name kept for printing (and ClaimReview), if any.
pub fn kept_name(store: &dyn Store) -> Option<String> {
    store
        .get(&author_key())
        .ok()
        .flatten()
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty())
}

/// What "Print" does: print at once when a name is kept (or was asked for
/// already this visit), else ask for it first.
#[hook]
pub fn use_print(ctx: &Ctx) -> Callback<()> {
    let asked = use_mut_ref(|| false);
    let ctx = ctx.clone();
    (*use_memo((), move |_| {
        Callback::from(move |_: ()| {
            if kept_name(&*ctx.session.store).is_some() || *asked.borrow() {
                // `beforeprint` builds the report, `afterprint` removes it.
                let _ = gloo::utils::window().print();
            } else {
                *asked.borrow_mut() = true;
                ctx.dialog.emit(Some(Dialog::PrintName));
            }
        })
    }))
    .clone()
}

#[derive(Properties, PartialEq)]
pub struct PrintProps {
    pub article: ArticleRef,
    pub annotations: AnnList,
    pub on_print: Callback<()>,
}

/// The "Print" button, and the report behind every print of the page.
#[function_component(Print)]
pub fn print(p: &PrintProps) -> Html {
    // What the next print shows: kept current without re-adding listeners.
    let say = use_messenger();
    let ctx = use_ctx();
    let index = use_context::<LibraryIndex>();
    let latest = use_mut_ref(|| None::<Latest>);
    *latest.borrow_mut() = Some((p.article.clone(), p.annotations.clone(), index));
    {
        let latest = latest.clone();
        let store = ctx.session.store.clone();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let before = EventListener::new(&win, "beforeprint", move |_| {
                prepare(&latest, &say, kept_name(&*store))
            });
            let after = EventListener::new(&win, "afterprint", |_| web::print::clear());
            move || {
                web::print::clear();
                drop((before, after));
            }
        });
    }
    let onclick = p.on_print.reform(|_: MouseEvent| ());
    html! {
        <button type="button" class="print-button" {onclick} aria-keyshortcuts="Control+P">{ "Print" }</button>
    }
}

/// What the next print shows: the article, its annotations, and the index
/// that knows the other ends of their links.
type Latest = (ArticleRef, AnnList, Option<LibraryIndex>);

fn prepare(latest: &Rc<RefCell<Option<Latest>>>, say: &Messenger, name: Option<String>) {
    let Some((article, list, index)) = latest.borrow().clone() else {
        return;
    };
    let anns = list.get();
    let cx = Context {
        now: web::now(),
        author: name,
        ends: Rc::new(
            index
                .map(|i| super::links::ends_of(&i, &article.0, &anns))
                .unwrap_or_default(),
        ),
    };
    let result = web::print::prepare(&article.0, &anns, &cx);
    drop(anns);
    if let Err(e) = result {
        web_sys::console::error_1(&e);
        say.error("The printed report could not be prepared; the page prints as it is on screen.");
    }
}

#[derive(Properties, PartialEq)]
pub struct NameProps {
    pub on_close: Callback<()>,
}

/// "Your name on the report": asked once, before the first print with no
/// name kept. Print keeps the name typed (and prints); Print without a
/// name prints as before. An input method's composition is never taken
/// for the Enter that submits.
#[function_component(NameDialog)]
pub fn name_dialog(p: &NameProps) -> Html {
    let ctx = use_ctx();
    let input = use_node_ref();
    let composing = use_mut_ref(|| false);
    let print_now = {
        let ctx = ctx.clone();
        move |name: Option<String>| {
            let store = ctx.session.store.clone();
            match name {
                Some(n) => match store.set(&author_key(), &n) {
                    Ok(()) => ctx
                        .say
                        .status(format!("Your name, {n}, is kept for printed reports")),
                    Err(_) => ctx.say.error(
                        "Your name could not be kept: this browser's storage for claimmark is full. The report prints without it.",
                    ),
                },
                None => ctx.say.status("Printing without a name"),
            }
            ctx.dialog.emit(None);
            // `beforeprint` reads the kept name into the report.
            let _ = gloo::utils::window().print();
        }
    };
    let onsubmit = {
        let (input, composing, print_now) = (input.clone(), composing.clone(), print_now.clone());
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            if *composing.borrow() {
                return;
            }
            let name = input
                .cast::<HtmlInputElement>()
                .map(|i| i.value().split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|n| !n.is_empty());
            print_now(name);
        })
    };
    let without = {
        let print_now = print_now.clone();
        Callback::from(move |_: MouseEvent| print_now(None))
    };
    // Whether an input method is composing in the field (Yew has no
    // composition listeners: the DOM's own).
    {
        let (input, composing) = (input.clone(), composing.clone());
        use_effect_with((), move |_| {
            let listeners = input.cast::<web_sys::Element>().map(|el| {
                let (a, b) = (composing.clone(), composing);
                (
                    EventListener::new(&el, "compositionstart", move |_| *a.borrow_mut() = true),
                    EventListener::new(&el, "compositionend", move |_| *b.borrow_mut() = false),
                )
            });
            move || drop(listeners)
        });
    }
    html! {
        <DialogShell labelled_by="print-name-title" described_by="print-name-hint"
                     class="print-name-dialog" on_close={p.on_close.clone()}>
            <h2 id="print-name-title">{ "Your name on the report" }</h2>
            <p id="print-name-hint" class="hint">
                { "Printed under the headline with today’s date, so the report says whose work it is. Kept in this browser for the next print (and ClaimReview exports); change it in the Export menu." }
            </p>
            <form {onsubmit}>
                <label for="print-name">{ "Your name" }</label>
                <input id="print-name" type="text" ref={input} autocomplete="name" dir="auto"
                       data-autofocus="" />
                <div class="dialog-actions">
                    <button type="submit">{ "Print" }</button>
                    <button type="button" onclick={without}>{ "Print without a name" }</button>
                    <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Cancel" }</button>
                </div>
            </form>
        </DialogShell>
    }
}
