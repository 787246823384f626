//! Files in and out: reading a chosen or dropped file, copying to the clipboard.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};

use crate::core::parse::decode::{human_size, DecodeError};

/// Read `file`'s bytes, refusing (without reading) one over `limit` bytes.
/// `done` gets the bytes, or a sentence saying what went wrong.
pub fn read_file(
    file: web_sys::File,
    limit: usize,
    done: impl FnOnce(Result<Vec<u8>, String>) + 'static,
) {
    let size = file.size() as usize;
    if size > limit {
        done(Err(DecodeError::TooLarge { bytes: size, limit }.to_string()));
        return;
    }
    spawn_local(async move {
        let result = match JsFuture::from(file.array_buffer()).await {
            Ok(buf) => Ok(js_sys::Uint8Array::new(&buf).to_vec()),
            Err(e) => Err(format!(
                "the file could not be read ({})",
                e.dyn_ref::<js_sys::Error>()
                    .map(|e| String::from(e.message()))
                    .unwrap_or_else(|| "the browser refused".into())
            )),
        };
        done(result);
    });
}

/// The first file of a file input's change event, or of a drop.
pub fn first_file(list: Option<web_sys::FileList>) -> Option<web_sys::File> {
    list.and_then(|l| l.get(0))
}

/// Copy `text` to the clipboard; `done` gets whether it worked.
pub fn copy_text(text: String, done: impl FnOnce(Result<(), String>) + 'static) {
    let Some(clipboard) = web_sys::window().map(|w| w.navigator().clipboard()) else {
        done(Err("this browser has no clipboard access".into()));
        return;
    };
    spawn_local(async move {
        let r = JsFuture::from(clipboard.write_text(&text)).await;
        done(r.map(|_| ()).map_err(|_| {
            "the browser did not allow copying (try the download instead)".to_string()
        }));
    });
}

/// "report.json (12 KB)".
pub fn describe(file: &web_sys::File) -> String {
    format!("{} ({})", file.name(), human_size(file.size() as usize))
}

/// `dragover` anywhere on the page: allow dropping files (and nothing else).
pub fn allow_file_drop(e: web_sys::DragEvent) {
    if e.data_transfer()
        .is_some_and(|d| d.types().includes(&"Files".into(), 0))
    {
        e.prevent_default();
    }
}
