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
    let latest = use_mut_ref(|| None::<(ArticleRef, AnnList)>);
    *latest.borrow_mut() = Some((p.article.clone(), p.annotations.clone()));
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

fn prepare(latest: &Rc<RefCell<Option<(ArticleRef, AnnList)>>>, say: &Messenger) {
    let Some((article, list)) = latest.borrow().clone() else {
        return;
    };
    let cx = Context {
        now: web::now(),
        author: None,
    };
    let anns = list.get();
    let result = web::print::prepare(&article.0, &anns, &cx);
    drop(anns);
    if let Err(e) = result {
        web_sys::console::error_1(&e);
        say.error("The printed report could not be prepared; the page prints as it is on screen.");
    }
}
