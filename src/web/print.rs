//! The printed report: the same tree as the annotated page
//! (`core::formats::page::report`), built as DOM nodes in a container at
//! the end of `<body>` just before printing, and removed after.
//!
//! Only `createElement` with the tree's constant names, `setAttribute` with
//! its constant attribute names, and text nodes are used: nothing from the
//! article or a note is ever parsed as HTML. While printing, the stylesheet
//! (`styles/main.css`, `@media print`) hides everything else in `<body>`.

use wasm_bindgen::JsValue;
use web_sys::{Document, Element, Node};

use crate::core::formats::page::{self, Node as PageNode};
use crate::core::formats::Context;
use crate::core::{Annotation, Article};

/// The class of the container; the print stylesheet shows only it.
pub const CONTAINER_CLASS: &str = "cm-print";

fn build_node(doc: &Document, node: &PageNode) -> Result<Node, JsValue> {
    Ok(match node {
        PageNode::Text(t) => doc.create_text_node(t).into(),
        PageNode::El {
            tag,
            attrs,
            children,
        } => {
            let el = doc.create_element(tag)?;
            for (k, v) in attrs {
                el.set_attribute(k, v)?;
            }
            for c in children {
                el.append_child(&build_node(doc, c)?)?;
            }
            el.into()
        }
    })
}

/// Put the report of `article` and `annotations` in place for printing
/// (replacing any left from before); its styles are `styles/report.css`,
/// which the page loads.
pub fn prepare(
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
) -> Result<(), JsValue> {
    clear();
    let doc = gloo::utils::document();
    let body = doc.body().ok_or("no body")?;
    let container: Element = doc.create_element("div")?;
    container.set_class_name(CONTAINER_CLASS);
    // Read from the printed page only; on screen it is not there at all.
    container.set_attribute("aria-hidden", "true")?;
    container.append_child(&build_node(&doc, &page::report(article, annotations, cx))?)?;
    body.append_child(&container)?;
    Ok(())
}

/// Remove the printed report.
pub fn clear() {
    let doc = gloo::utils::document();
    if let Ok(list) = doc.query_selector_all(&format!("body > .{CONTAINER_CLASS}")) {
        for i in 0..list.length() {
            if let Some(n) = list.item(i) {
                if let Some(p) = n.parent_node() {
                    let _ = p.remove_child(&n);
                }
            }
        }
    }
}
