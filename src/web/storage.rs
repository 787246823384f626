//! `localStorage` behind the core's [`Store`] trait, reached without any API
//! that panics when storage is blocked (gloo's `LocalStorage::raw()` does).

use wasm_bindgen::{JsCast, JsValue};

use crate::core::store::{MemoryStore, Store, StoreError};

/// The browser's local storage.
pub struct LocalStore(web_sys::Storage);

/// Local storage when the browser allows it, or why not.
pub fn local() -> Result<LocalStore, StoreError> {
    let window = web_sys::window().ok_or_else(|| StoreError::Blocked("no window".into()))?;
    match window.local_storage() {
        Ok(Some(s)) => {
            // Some private modes hand out a store that refuses every write.
            let probe = "claimmark:probe";
            s.set_item(probe, "1").map_err(error_of)?;
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

impl Store for LocalStore {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.0.get_item(key).map_err(error_of)
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
