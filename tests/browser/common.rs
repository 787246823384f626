//! Helpers for the browser tests: mount the app into a fresh root, find
//! elements by accessible names, select text, press keys.
#![allow(dead_code)]

use std::rc::Rc;

use claimmark::core::Article;
use claimmark::ui::{App, AppProps, Session, SessionRef};
use wasm_bindgen::JsCast;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};
use yew::AppHandle;

pub struct Mounted {
    pub root: Element,
    handle: Option<AppHandle<App>>,
}

impl Drop for Mounted {
    fn drop(&mut self) {
        if let Some(h) = self.handle.take() {
            h.destroy();
        }
        self.root.remove();
        if let Some(Ok(Some(sel))) = web_sys::window().map(|w| w.get_selection()) {
            let _ = sel.remove_all_ranges();
        }
    }
}

/// Mount the app (on `article`, or the seed) into a new element of `<body>`,
/// keeping its work in memory.
pub async fn mount(article: Option<Article>) -> Mounted {
    mount_with(AppProps {
        article: article.map(Rc::new),
        session: None,
        force_spans: true,
    })
    .await
}

/// Mount the app in memory as it runs in Chromium: highlights painted with
/// the CSS Custom Highlight API.
pub async fn mount_painted(article: Option<Article>) -> Mounted {
    mount_with(AppProps {
        article: article.map(Rc::new),
        session: None,
        force_spans: false,
    })
    .await
}

/// The texts of the ranges registered under a highlight name, in document order.
pub fn highlight_texts(name: &str) -> Vec<String> {
    let f = js_sys::Function::new_with_args(
        "name",
        "const h = CSS.highlights.get(name); if (!h) return []; \
         return [...h].sort((a, b) => a.compareBoundaryPoints(Range.START_TO_START, b)).map((r) => r.toString());",
    );
    let arr: js_sys::Array = f
        .call1(&wasm_bindgen::JsValue::NULL, &name.into())
        .unwrap()
        .into();
    arr.iter().map(|v| v.as_string().unwrap()).collect()
}

/// Mount the app as a page load does: on the browser's local storage.
pub async fn mount_stored() -> Mounted {
    let session = Session::from_browser();
    mount_with(AppProps {
        article: None,
        session: Some(SessionRef(Rc::new(session))),
        force_spans: false,
    })
    .await
}

/// Mount the app as the page does on start-up: local storage with its
/// journal (IndexedDB), what a crash lost put back first.
pub async fn mount_durable() -> Mounted {
    let session = Session::from_browser_durable().await;
    mount_with(AppProps {
        article: None,
        session: Some(SessionRef(Rc::new(session))),
        force_spans: false,
    })
    .await
}

/// Empty local storage and the journal: a browser that never ran claimmark.
pub async fn clear_all() {
    local_storage().clear().unwrap();
    claimmark::web::journal::Journal::open()
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
}

async fn mount_with(props: AppProps) -> Mounted {
    let doc = gloo::utils::document();
    let root = doc.create_element("div").unwrap();
    doc.body().unwrap().append_child(&root).unwrap();
    let handle = yew::Renderer::<App>::with_root_and_props(root.clone(), props).render();
    yew::scheduler::flush().await;
    Mounted {
        root,
        handle: Some(handle),
    }
}

impl Mounted {
    pub fn q(&self, sel: &str) -> Option<Element> {
        self.root.query_selector(sel).unwrap()
    }

    pub fn all(&self, sel: &str) -> Vec<Element> {
        let list = self.root.query_selector_all(sel).unwrap();
        (0..list.length())
            .filter_map(|i| list.item(i)?.dyn_into().ok())
            .collect()
    }

    pub fn text(&self, sel: &str) -> String {
        self.q(sel)
            .and_then(|e| e.text_content())
            .unwrap_or_default()
    }

    /// The button whose text (or aria-label) starts with `name`.
    pub fn button(&self, name: &str) -> HtmlElement {
        self.all("button")
            .into_iter()
            .find(|b| {
                b.get_attribute("aria-label")
                    .unwrap_or_else(|| b.text_content().unwrap_or_default())
                    .trim()
                    .starts_with(name)
            })
            .unwrap_or_else(|| panic!("no button named {name:?}"))
            .dyn_into()
            .unwrap()
    }

    /// Set a form field's value as a person would and fire `event`
    /// ("change" for selects and notes, "input" for the search box).
    pub async fn set_field(&self, sel: &str, value: &str, event: &str) {
        let el = self.q(sel).unwrap_or_else(|| panic!("no field {sel:?}"));
        js_sys::Reflect::set(&el, &"value".into(), &value.into()).unwrap();
        el.dispatch_event(&web_sys::Event::new(event).unwrap())
            .unwrap();
        yew::scheduler::flush().await;
    }

    pub fn article(&self) -> Element {
        self.q("article").expect("an <article>")
    }

    /// Panel items (one per annotation).
    pub fn items(&self) -> Vec<Element> {
        self.all("section.panel .items > li")
    }

    /// Select the first occurrence of `needle` in the article's DOM text, the
    /// way a person's drag would: a DOM Range over text nodes, in UTF-16
    /// offsets as the browser counts them. Resolves once the browser has
    /// fired `selectionchange` and the app has re-rendered.
    pub async fn select_text(&self, needle: &str) {
        let runs = self.all("article [data-s]");
        let doc = gloo::utils::document();
        let range = doc.create_range().unwrap();
        // Concatenate run texts with their nodes to find the needle across runs.
        let mut joined = js_sys::JsString::from("");
        let mut starts = Vec::new();
        for r in &runs {
            starts.push(joined.length());
            joined = joined.concat(&r.text_content().unwrap().into());
        }
        let at = joined.index_of(needle, 0);
        assert!(at >= 0, "{needle:?} not in the article");
        let at = at as u32;
        let end = at + js_sys::JsString::from(needle).length();
        let locate = |pos: u32, is_end: bool| {
            let i = starts
                .iter()
                .rposition(|&s| if is_end { s < pos } else { s <= pos })
                .unwrap();
            (runs[i].first_child().unwrap(), pos - starts[i])
        };
        let (sn, so) = locate(at, false);
        let (en, eo) = locate(end, true);
        range.set_start(&sn, so).unwrap();
        range.set_end(&en, eo).unwrap();
        let changed = next_event(&doc, "selectionchange");
        let sel = web_sys::window().unwrap().get_selection().unwrap().unwrap();
        sel.remove_all_ranges().unwrap();
        sel.add_range(&range).unwrap();
        changed.await.unwrap();
        yew::scheduler::flush().await;
    }
}

/// Resolves when `target` next fires `name` (no timers: the event itself).
pub fn next_event(target: &web_sys::EventTarget, name: &str) -> wasm_bindgen_futures::JsFuture {
    let target = target.clone();
    let name = name.to_string();
    let promise = js_sys::Promise::new(&mut |resolve, _reject| {
        let opts = web_sys::AddEventListenerOptions::new();
        opts.set_once(true);
        target
            .add_event_listener_with_callback_and_add_event_listener_options(&name, &resolve, &opts)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise)
}

/// Press a key on `target` (the document when `None`) and let the app render.
pub async fn press(target: Option<&Element>, key: &str, ctrl: bool, shift: bool) {
    let init = KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_shift_key(shift);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let ev = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    match target {
        Some(t) => t.dispatch_event(&ev).unwrap(),
        None => gloo::utils::document().dispatch_event(&ev).unwrap(),
    };
    yew::scheduler::flush().await;
}

/// The text of the current DOM selection.
pub fn selected_text() -> String {
    web_sys::window()
        .unwrap()
        .get_selection()
        .unwrap()
        .and_then(|s| s.to_string().as_string())
        .unwrap_or_default()
}

/// The page's local storage.
pub fn local_storage() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Run a piece of JavaScript in the page (to break storage the way browsers do).
pub fn js(code: &str) {
    js_sys::Function::new_no_args(code)
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap();
}

/// Fill local storage until the browser refuses more (QuotaExceededError).
/// Returns the junk keys written.
pub fn fill_storage() -> Vec<String> {
    let store = local_storage();
    let mut keys = Vec::new();
    let mut size = 1 << 20;
    while size >= 16 {
        let chunk = "x".repeat(size);
        let key = format!("junk:{}", keys.len());
        match store.set_item(&key, &chunk) {
            Ok(()) => keys.push(key),
            Err(_) => size /= 2,
        }
    }
    keys
}

/// Let `ms` milliseconds pass (timers, promises and handlers run). Only for
/// checking that something does *not* happen; otherwise [`wait_for`].
pub async fn sleep(ms: i32) {
    let p = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

/// How long [`wait_for`] waits: generous, for a loaded 2-core machine.
pub const WAIT_MS: f64 = 20_000.0;

/// Wait until `ready` holds, checking every 10 ms and letting timers,
/// promises and renders run in between; panics naming `what` after
/// [`WAIT_MS`].
pub async fn wait_for(what: &str, ready: impl Fn() -> bool) {
    let clock = web_sys::window().unwrap().performance().unwrap();
    let start = clock.now();
    loop {
        yew::scheduler::flush().await;
        if ready() {
            return;
        }
        let waited = clock.now() - start;
        if waited > WAIT_MS {
            panic!("gave up after {:.0} s waiting for {what}", waited / 1000.0);
        }
        sleep(10).await;
    }
}

impl Mounted {
    /// Choose a file in the file input named `label`, as a person would:
    /// a real `File` in the input's `files`, then a `change` event.
    pub async fn choose_file(&self, label: &str, name: &str, bytes: &[u8]) {
        let input = self
            .q(&format!("input[type=file][aria-label=\"{label}\"]"))
            .unwrap_or_else(|| panic!("no file input named {label:?}"));
        let f = js_sys::Function::new_with_args(
            "input, name, bytes",
            "const dt = new DataTransfer(); dt.items.add(new File([bytes], name)); \
             input.files = dt.files; input.dispatchEvent(new Event('change', { bubbles: true }));",
        );
        let arr = js_sys::Uint8Array::from(bytes);
        f.call3(&wasm_bindgen::JsValue::NULL, &input, &name.into(), &arr)
            .unwrap();
        yew::scheduler::flush().await;
    }

    /// The text of every `role="alert"` element, joined.
    pub fn alerts(&self) -> String {
        self.all("[role=alert]")
            .iter()
            .map(|e| e.text_content().unwrap_or_default())
            .collect::<Vec<_>>()
            .join(" | ")
    }
}
