//! `localStorage` behind the core's [`Store`] trait, reached without any API
//! that panics when storage is blocked (gloo's `LocalStorage::raw()` does).

use wasm_bindgen::{JsCast, JsValue};

use crate::core::storage::{MemoryStore, Store, StoreError};

/// The browser's local storage.
pub struct LocalStore(web_sys::Storage);

/// Local storage when the browser allows it, or why not.
pub fn local() -> Result<LocalStore, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Blocked("no window".into()))?;
    match window.local_storage() {
        Ok(Some(s)) => {
            // Some private modes hand out a store that refuses every write.
            // A full one is still local storage: what is saved is read from
            // it, and saving resumes when there is room.
            let probe = "claimmark:probe";
            match s.set_item(probe, "1").map_err(error_of) {
                Ok(()) | Err(StoreError::Full) => {}
                Err(e) => return Err(e),
            }
            let _ = s.remove_item(probe);
            Ok(LocalStore(s))
        }
        Ok(None) => Err(StoreError::Blocked("localStorage is not available".into())),
        Err(e) => Err(match error_of(e) {
            StoreError::Other(m) => StoreError::Blocked(m),
            other => other,
        }),
    }
}

/// Local storage, or an in-memory store and the reason it had to be used.
pub fn open() -> (Box<dyn Store>, Option<StoreError>) {
    match local() {
        Ok(s) => (Box::new(s), None),
        Err(e) => (Box::new(MemoryStore::new()), Some(e)),
    }
}

fn error_of(e: JsValue) -> StoreError {
    let name = e
        .dyn_ref::<web_sys::DomException>()
        .map(|d| d.name())
        .unwrap_or_default();
    let message = e
        .dyn_ref::<js_sys::Error>()
        .map(|x| String::from(x.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| name.clone());
    match name.as_str() {
        "QuotaExceededError" | "NS_ERROR_DOM_QUOTA_REACHED" => StoreError::Full,
        "SecurityError" => StoreError::Blocked(message),
        _ => StoreError::Other(message),
    }
}

/// A JavaScript string as UTF-8 bytes in wasm memory, copied once.
///
/// wasm-bindgen's own string conversion reserves three bytes per UTF-16
/// unit as soon as it meets a non-ASCII character, so reading a 4.4 MB
/// record that way briefly takes ~13 MB of wasm memory, which never shrinks
/// again; `TextEncoder` sizes the bytes exactly on the JavaScript side.
fn utf8_of(s: &JsValue) -> Result<String, JsValue> {
    let encoder = web_sys::TextEncoder::new()?;
    let encode: js_sys::Function = js_sys::Reflect::get(&encoder, &"encode".into())?.dyn_into()?;
    let bytes: js_sys::Uint8Array = encode.call1(&encoder, s)?.dyn_into()?;
    String::from_utf8(bytes.to_vec()).map_err(|_| JsValue::from_str("stored text is not UTF-8"))
}

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        // `getItem` through `Function.call`, so the value stays a JS string
        // until `utf8_of` copies it in exactly sized.
        match self.value(key)? {
            Some(value) => utf8_of(&value).map(Some).map_err(error_of),
            None => Ok(None),
        }
    }

    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.0.set_item(key, value).map_err(error_of)
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        self.0.remove_item(key).map_err(error_of)
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        let n = self.0.length().map_err(error_of)?;
        Ok((0..n)
            .filter_map(|i| self.0.key(i).ok().flatten())
            .collect())
    }

    fn head(&self, key: &str, units: usize) -> Result<Option<String>, StoreError> {
        // Sliced on the JavaScript side: a 1 MB record is not copied in.
        Ok(self.value(key)?.map(|v| {
            let s: js_sys::JsString = v.unchecked_into();
            String::from(s.slice(0, units.min(s.length() as usize) as u32))
        }))
    }

    fn size(&self, key: &str) -> Result<Option<usize>, StoreError> {
        self.value(key)
            .map(|v| v.map(|s| s.unchecked_into::<js_sys::JsString>().length() as usize))
    }
}

impl LocalStore {
    /// The value as a JavaScript string (not copied into wasm memory).
    pub(crate) fn value(&self, key: &str) -> Result<Option<JsValue>, StoreError> {
        let get: js_sys::Function = js_sys::Reflect::get(&self.0, &"getItem".into())
            .and_then(|f| f.dyn_into())
            .map_err(error_of)?;
        let value = get.call1(&self.0, &key.into()).map_err(error_of)?;
        Ok((!value.is_null() && !value.is_undefined()).then_some(value))
    }
}

/// Offer `text` as a file download.
pub fn download(filename: &str, mime: &str, text: &str) -> Result<(), JsValue> {
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob)?;
    let doc = gloo::utils::document();
    let a: web_sys::HtmlAnchorElement = doc.create_element("a")?.dyn_into()?;
    a.set_href(&url);
    a.set_download(filename);
    a.style().set_property("display", "none")?;
    doc.body().ok_or("no body")?.append_child(&a)?;
    a.click();
    a.remove();
    // Revoke after the click has been handled.
    let url2 = url.clone();
    gloo::timers::callback::Timeout::new(0, move || {
        let _ = web_sys::Url::revoke_object_url(&url2);
    })
    .forget();
    Ok(())
}
