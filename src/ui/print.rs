//! Printing: a visible "Print" button, and a report instead of the app
//! whenever the page is printed (the button, Ctrl+P or the browser's menu).
//!
//! The report (`web::print`) is built on `beforeprint` from the article and
//! annotations as they are at that moment, and removed on `afterprint`: the
//! article with each highlight drawn in its tag's line style and numbered,
//! then every annotation in full as numbered notes. The CSS Custom Highlight
//! API cannot put numbers in the text, so the printed article is its own
//! copy, built only while printing.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::hooks::library_index::LibraryIndex;
use super::messages::{use_messenger, Messenger};
use super::refs::{AnnList, ArticleRef};
use crate::core::formats::Context;
use crate::web;

#[derive(Properties, PartialEq)]
pub struct PrintProps {
    pub article: ArticleRef,
    pub annotations: AnnList,
}

/// The "Print" button, and the report behind every print of the page.
#[function_component(Print)]
pub fn print(p: &PrintProps) -> Html {
    // What the next print shows: kept current without re-adding listeners.
    let say = use_messenger();
    let index = use_context::<LibraryIndex>();
    let latest = use_mut_ref(|| None::<Latest>);
    *latest.borrow_mut() = Some((p.article.clone(), p.annotations.clone(), index));
    {
        let latest = latest.clone();
        use_effect_with((), move |_| {
            let win = gloo::utils::window();
            let before = EventListener::new(&win, "beforeprint", move |_| prepare(&latest, &say));
            let after = EventListener::new(&win, "afterprint", |_| web::print::clear());
            move || {
                web::print::clear();
                drop((before, after));
            }
        });
    }
    let onclick = Callback::from(|_: MouseEvent| {
        // `beforeprint` builds the report, `afterprint` removes it.
        let _ = gloo::utils::window().print();
    });
    html! {
        <button type="button" class="print-button" {onclick} aria-keyshortcuts="Control+P">{ "Print" }</button>
    }
}

/// What the next print shows: the article, its annotations, and the index
/// that knows the other ends of their links.
type Latest = (ArticleRef, AnnList, Option<LibraryIndex>);

fn prepare(latest: &Rc<RefCell<Option<Latest>>>, say: &Messenger) {
    let Some((article, list, index)) = latest.borrow().clone() else {
        return;
    };
    let anns = list.get();
    let cx = Context {
        now: web::now(),
        author: None,
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
