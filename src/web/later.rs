//! The parts of the app a first visit never needs — the export writers and
//! the Markdown reader with pulldown-cmark — called the same way whether
//! they are in this module or in the second one.
//!
//! The release app is built with the `split` feature: these calls then go
//! through `assets/later.js` to the `later/` crate's wasm, loaded the first
//! time (and started once the app is ready, see [`prefetch`]), with a
//! request and a reply written by `core::later`. Without the feature (the
//! browser tests, `cargo test`) the same core functions run in place. Either
//! way `done` gets the result, possibly later: callers never assume it has
//! run when the call returns.

use crate::core::annotation::Annotation;
use crate::core::formats::{Context, Format};
use crate::core::parse::FileText;
use crate::core::Article;

/// Write `format`'s file of `article` and `annotations`; `done` gets its
/// text, or a sentence saying why there is none.
///
/// claimmark JSON is always written here, in the first module: it is the
/// way out when saving fails ("Download a copy"), and must not wait for, or
/// fail with, the network.
pub fn export(
    format: Format,
    article: &Article,
    annotations: &[impl AsRef<Annotation>],
    cx: &Context,
    done: impl FnOnce(Result<String, String>) + 'static,
) {
    if format == Format::Claimmark {
        return done(Ok(crate::core::formats::claimmark::write(
            article,
            annotations,
            cx.now,
        )));
    }
    #[cfg(feature = "split")]
    module::run(
        "write_export",
        crate::core::later::export_request(format, article, annotations, cx),
        done,
    );
    #[cfg(not(feature = "split"))]
    done(Ok(crate::core::formats::export(
        format,
        article,
        annotations,
        cx,
    )));
}

/// Read a Markdown file into an article; `done` gets it, or why not.
pub fn markdown(file: FileText, done: impl FnOnce(Result<crate::core::Article, String>) + 'static) {
    #[cfg(feature = "split")]
    module::run(
        "read_markdown",
        crate::core::later::markdown_request(&file),
        move |r| done(r.and_then(|reply| crate::core::later::article_of(&reply))),
    );
    #[cfg(not(feature = "split"))]
    done(Ok(crate::core::parse::parse_markdown(
        &file.text,
        &file.fallback,
        file.source,
    )));
}

/// Start loading the second module, if there is one, so that its first use
/// does not wait for the network (called once the app is ready and idle).
pub fn prefetch() {
    #[cfg(feature = "split")]
    module::later_prefetch();
}

/// Start loading the second module now, if there is one and it is not
/// loaded (a menu that needs it was opened: the click that follows should
/// not wait for the network).
pub fn warm() {
    #[cfg(feature = "split")]
    module::later_warm();
}

/// Whether `format` can be written without waiting for the second module.
pub fn ready_for(format: Format) -> bool {
    #[cfg(feature = "split")]
    return format == Format::Claimmark || module::later_ready();
    #[cfg(not(feature = "split"))]
    {
        let _ = format;
        true
    }
}

#[cfg(feature = "split")]
mod module {
    use wasm_bindgen::prelude::*;

    #[wasm_bindgen(module = "/assets/later.js")]
    extern "C" {
        #[wasm_bindgen(catch)]
        async fn later_call(name: &str, request: String) -> Result<JsValue, JsValue>;
        pub fn later_prefetch();
        pub fn later_warm();
        pub fn later_ready() -> bool;
    }

    /// Call `name` with `request` in the second module.
    pub fn run(
        name: &'static str,
        request: String,
        done: impl FnOnce(Result<String, String>) + 'static,
    ) {
        wasm_bindgen_futures::spawn_local(async move {
            let reply = later_call(name, request).await;
            done(match reply {
                Ok(v) => v.as_string().ok_or_else(|| "an empty reply".to_string()),
                Err(e) => Err(e
                    .dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| format!("{e:?}"))),
            })
        });
    }
}
