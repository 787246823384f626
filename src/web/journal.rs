//! The journal in IndexedDB: a copy of every write to local storage that a
//! crash cannot lose (see `core::storage::journal` for what is kept, how
//! writes combine and what is put back).
//!
//! Database `claimmark` (version 1), object store `journal`: the key is
//! `<local-storage key>#<tab>` — each page load writes its own slot of a
//! key, with a random tab id — and the value `{v, at, r, t}`: the value
//! last written there (`null`: removed), when, whether it must stand
//! whatever the merge rule says, and the tab. Every write of one task goes into one
//! `readwrite` transaction with `durability: "strict"` (Chromium writes it
//! and flushes it to disk before it completes), opened in a microtask of
//! the task that made the change: before the next event is handled, before
//! Yew renders it. Writes are plain puts, never read first, so nothing but
//! the write itself stands between a change and the disk. On start-up the
//! slots of a key are folded into one (`<key>#`), which is what two tabs
//! writing one chunk at once both end up in (two seconds after start-up,
//! when the page is idle: that transaction must not hold up a change).
//!
//! [`Durable`] is the store the app uses: local storage, with each write
//! journaled. [`replay`] puts the journal back into local storage when the
//! app starts, before anything is loaded.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{IdbDatabase, IdbOpenDbRequest, IdbRequest, IdbTransaction};

use super::local_store::LocalStore;
use crate::core::storage::journal::{
    self as rules, parse_slot_key, slot_key, Candidate, Journaled, Replayed, Slot,
};
use crate::core::storage::{Store, StoreError};
use crate::core::time::Timestamp;

const DB: &str = "claimmark";
const STORE: &str = "journal";
/// How long start-up waits for IndexedDB before going on without it.
const OPEN_TIMEOUT_MS: i32 = 4_000;
/// How long after start-up the slots read are folded (see [`replay`]).
const COMPACT_AFTER_MS: u32 = 2_000;

/// `db.transaction(store, "readwrite", {durability: "strict"})`: web-sys
/// has the options only behind `web_sys_unstable_apis`.
fn strict_transaction(db: &IdbDatabase, store: &str) -> Result<IdbTransaction, JsValue> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"durability".into(), &"strict".into())?;
    let open: js_sys::Function = js_sys::Reflect::get(db, &"transaction".into())?.dyn_into()?;
    open.call3(db, &store.into(), &"readwrite".into(), &options)?
        .dyn_into()
}

/// One write waiting for the next transaction.
struct Write {
    key: String,
    value: Option<String>,
    replace: bool,
    at: Timestamp,
}

/// What is told when a journal write fails.
type Trouble = Rc<dyn Fn(String)>;

/// A key whose slots start-up folded, and the slots it read (tab, when
/// written): folded into `<key>#` and deleted if still as read.
struct Fold {
    key: String,
    read: Vec<(String, Timestamp)>,
}

/// The open journal.
pub struct Journal {
    db: IdbDatabase,
    /// This page's slot (see the module docs).
    tab: String,
    pending: RefCell<Vec<Write>>,
    scheduled: Cell<bool>,
    /// Why the last transaction failed, once (the notices say it).
    trouble: RefCell<Option<String>>,
    on_trouble: RefCell<Option<Trouble>>,
}

/// Await an IndexedDB request: its result, or its error.
async fn done(req: &IdbRequest) -> Result<JsValue, JsValue> {
    wasm_bindgen_futures::JsFuture::from(promise_of(req)).await
}

/// An IndexedDB request as a promise of its result.
fn promise_of(req: &IdbRequest) -> js_sys::Promise {
    js_sys::Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let e = req.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let why = e
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::UNDEFINED);
            let _ = reject.call1(&JsValue::NULL, &why);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    })
}

/// `promise`, or an error after `ms`.
async fn within(promise: js_sys::Promise, ms: i32) -> Result<JsValue, JsValue> {
    let timeout = js_sys::Promise::new(&mut |_, reject| {
        if let Some(w) = web_sys::window() {
            let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(&reject, ms);
        }
    });
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::race(&js_sys::Array::of2(
        &promise, &timeout,
    )))
    .await
}

/// A random id for this page's slots: 6 bytes from `crypto.getRandomValues`
/// (the time where Web Crypto is missing).
fn tab_id() -> String {
    let mut b = [0u8; 6];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .and_then(|c| c.get_random_values_with_u8_array(&mut b).ok())
        .is_some();
    if !filled {
        return format!("{:x}", js_sys::Date::now() as u64);
    }
    b.iter().map(|x| format!("{x:02x}")).collect()
}

/// Words for a JavaScript error (a `DOMException`'s name and message).
fn words(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>()
        .map(|d| format!("{}: {}", d.name(), d.message()))
        .or_else(|| e.as_string())
        .unwrap_or_else(|| "IndexedDB refused".into())
}

/// The journal entry `{v, at, r, t}` of tab `tab`'s slot.
fn entry(value: &JsValue, at: Timestamp, replace: bool, tab: &str) -> JsValue {
    let o = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&o, &"v".into(), value);
    let _ = js_sys::Reflect::set(&o, &"at".into(), &(at.0 as f64).into());
    let _ = js_sys::Reflect::set(&o, &"t".into(), &tab.into());
    if replace {
        let _ = js_sys::Reflect::set(&o, &"r".into(), &true.into());
    }
    o.into()
}

/// One slot as read: its value (a JS string, or null), time, and whether
/// it stands whatever the merge rule says.
struct Read {
    tab: String,
    value: JsValue,
    at: Timestamp,
    replace: bool,
}

/// A slot as stored (its tab is in its value too).
fn read_slot(entry: &JsValue) -> Option<Read> {
    let (value, at, replace) = parts(entry)?;
    let tab = js_sys::Reflect::get(entry, &"t".into()).ok()?.as_string()?;
    Some(Read {
        tab,
        value,
        at,
        replace,
    })
}

fn parts(entry: &JsValue) -> Option<(JsValue, Timestamp, bool)> {
    let v = js_sys::Reflect::get(entry, &"v".into()).ok()?;
    let at = js_sys::Reflect::get(entry, &"at".into()).ok()?.as_f64()?;
    let replace = js_sys::Reflect::get(entry, &"r".into())
        .ok()
        .and_then(|r| r.as_bool())
        .unwrap_or(false);
    (v.is_null() || v.is_string()).then_some((v, Timestamp(at as i64), replace))
}

impl Read {
    fn slot(&self) -> Slot {
        Slot {
            tab: self.tab.clone(),
            journaled: Journaled {
                value: self.value.as_string(),
                at: self.at,
            },
            replace: self.replace,
        }
    }
}

impl Journal {
    /// Open (or create) the journal; why not where IndexedDB is missing,
    /// refused or does not answer in time — the app then runs as before,
    /// on local storage alone, and says so.
    pub async fn open() -> Result<Rc<Journal>, String> {
        let factory = web_sys::window()
            .ok_or("no window")?
            .indexed_db()
            .map_err(|e| words(&e))?
            .ok_or("IndexedDB is not available")?;
        let req: IdbOpenDbRequest = factory.open_with_u32(DB, 1).map_err(|e| words(&e))?;
        let upgrade = Closure::once_into_js(move |e: web_sys::Event| {
            let Some(req) = e
                .target()
                .and_then(|t| t.dyn_into::<IdbOpenDbRequest>().ok())
            else {
                return;
            };
            if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                if !db.object_store_names().contains(STORE) {
                    let _ = db.create_object_store(STORE);
                }
            }
        });
        req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let request: IdbRequest = req.unchecked_into();
        let db: IdbDatabase = within(promise_of(&request), OPEN_TIMEOUT_MS)
            .await
            .map_err(|e| words(&e))?
            .dyn_into()
            .map_err(|_| "IndexedDB opened something else".to_string())?;
        // Another page deleting or upgrading it (clearing site data) is not
        // kept waiting: this one lets go.
        let closing = db.clone();
        let on_change = Closure::<dyn Fn()>::new(move || closing.close());
        db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
        on_change.forget();
        Ok(Rc::new(Journal {
            db,
            tab: tab_id(),
            pending: RefCell::default(),
            scheduled: Cell::new(false),
            trouble: RefCell::default(),
            on_trouble: RefCell::default(),
        }))
    }

    /// This page's slot id.
    pub fn tab(&self) -> &str {
        &self.tab
    }

    /// Call `f` with the words when a journal write fails.
    pub fn on_trouble(&self, f: impl Fn(String) + 'static) {
        *self.on_trouble.borrow_mut() = Some(Rc::new(f));
        if let Some(why) = self.trouble.borrow().clone() {
            if let Some(f) = self.on_trouble.borrow().clone() {
                f(why);
            }
        }
    }

    fn fail(&self, why: String) {
        web_sys::console::warn_1(&format!("claimmark: the crash-proof copy failed: {why}").into());
        let first = self.trouble.borrow().is_none();
        *self.trouble.borrow_mut() = Some(why.clone());
        if first {
            if let Some(f) = self.on_trouble.borrow().clone() {
                f(why);
            }
        }
    }

    /// Journal a write of `key` (`None`: removed), in the transaction of
    /// this task (started in a microtask, so every write of one change goes
    /// in one transaction, flushed to disk once).
    pub fn record(self: &Rc<Self>, key: &str, value: Option<&str>, replace: bool) {
        if rules::kind(key).is_none() {
            return;
        }
        let at = super::now();
        {
            let mut pending = self.pending.borrow_mut();
            // The later write of a key in one task holds the earlier one
            // (local storage's own rule).
            pending.retain(|w| w.key != key);
            pending.push(Write {
                key: key.to_string(),
                value: value.map(str::to_string),
                replace,
                at,
            });
        }
        if !self.scheduled.replace(true) {
            let me = self.clone();
            wasm_bindgen_futures::spawn_local(async move { me.flush() });
        }
    }

    /// Write what is pending in one strict transaction.
    fn flush(self: &Rc<Self>) {
        self.scheduled.set(false);
        let writes = std::mem::take(&mut *self.pending.borrow_mut());
        if writes.is_empty() {
            return;
        }
        super::mark("claimmark:journal-start");
        let tx = match strict_transaction(&self.db, STORE) {
            Ok(tx) => tx,
            Err(e) => return self.fail(words(&e)),
        };
        let store = match tx.object_store(STORE) {
            Ok(s) => s,
            Err(e) => return self.fail(words(&e)),
        };
        for w in writes {
            let value = w.value.as_deref().map_or(JsValue::NULL, JsValue::from_str);
            let key = slot_key(&w.key, &self.tab);
            if let Err(e) =
                store.put_with_key(&entry(&value, w.at, w.replace, &self.tab), &key.into())
            {
                let _ = tx.abort();
                return self.fail(words(&e));
            }
        }
        // Committed now rather than when the task ends: the sooner it
        // reaches the disk, the smaller the window a crash can hit.
        #[allow(deprecated)]
        let _ = tx.commit();
        let complete = Closure::once_into_js(|| {
            super::mark("claimmark:journaled");
        });
        tx.set_oncomplete(Some(complete.unchecked_ref()));
        let journal_failed = {
            let (t, me) = (tx.clone(), Rc::downgrade(self));
            Closure::once_into_js(move || {
                let why = t
                    .error()
                    .map(|e| format!("{}: {}", e.name(), e.message()))
                    .unwrap_or_else(|| "the transaction was aborted".into());
                if let Some(me) = me.upgrade() {
                    me.fail(why);
                }
            })
        };
        tx.set_onabort(Some(journal_failed.unchecked_ref()));
    }

    /// Every slot, by local-storage key.
    async fn slots(&self) -> Result<std::collections::BTreeMap<String, Vec<Read>>, JsValue> {
        let tx = self.db.transaction_with_str(STORE)?;
        let store = tx.object_store(STORE)?;
        let keys = done(&store.get_all_keys()?).await?;
        let values = done(&store.get_all()?).await?;
        let keys: js_sys::Array = keys.dyn_into()?;
        let values: js_sys::Array = values.dyn_into()?;
        let mut out: std::collections::BTreeMap<String, Vec<Read>> = Default::default();
        for (k, v) in keys.iter().zip(values.iter()) {
            let (Some(k), Some((value, at, replace))) = (k.as_string(), parts(&v)) else {
                continue;
            };
            let Some((key, tab)) = parse_slot_key(&k) else {
                continue;
            };
            out.entry(key.to_string()).or_default().push(Read {
                tab: tab.to_string(),
                value,
                at,
                replace,
            });
        }
        Ok(out)
    }

    /// Fold each key's slots into its `<key>#` slot, and forget the keys
    /// `dropped`. One transaction reads each key's slots as they are now
    /// (by key range) and folds only the slots start-up read, unchanged
    /// since: a slot another tab wrote since stays, and nothing is written
    /// for a key whose slots are gone (another tab folded them, or the
    /// journal was cleared).
    fn compact(&self, folds: Vec<Fold>, dropped: &[String]) {
        if folds.is_empty() && dropped.is_empty() {
            return;
        }
        let Ok(tx) = self
            .db
            .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)
        else {
            return;
        };
        let Ok(store) = tx.object_store(STORE) else {
            return;
        };
        // A removal long past, folded already: forgotten.
        for key in dropped
            .iter()
            .filter(|k| !folds.iter().any(|f| &f.key == *k))
        {
            let _ = store.delete(&slot_key(key, "").into());
        }
        for Fold { key, read } in folds {
            let drop = dropped.contains(&key);
            let range =
                web_sys::IdbKeyRange::bound(&slot_key(&key, "").into(), &format!("{key}#~").into());
            let Ok(req) = range.and_then(|r| store.get_all_with_key(&r)) else {
                continue;
            };
            let (store2, r) = (store.clone(), req.clone());
            let on_read = Closure::once_into_js(move |_: web_sys::Event| {
                let now: Vec<Slot> = r
                    .result()
                    .ok()
                    .and_then(|v| v.dyn_into::<js_sys::Array>().ok())
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| read_slot(&v))
                            .map(|r| r.slot())
                            .collect()
                    })
                    .unwrap_or_default();
                let (ours, base): (Vec<Slot>, Vec<Slot>) = now
                    .into_iter()
                    .filter(|s| s.tab.is_empty() || read.contains(&(s.tab.clone(), s.journaled.at)))
                    .partition(|s| !s.tab.is_empty());
                if ours.is_empty() {
                    return;
                }
                for s in &ours {
                    let _ = store2.delete(&slot_key(&key, &s.tab).into());
                }
                let Some(kept) = rules::fold(&key, base.into_iter().chain(ours).collect()) else {
                    return;
                };
                let base = slot_key(&key, "");
                if drop && kept.value.is_none() {
                    let _ = store2.delete(&base.into());
                    return;
                }
                let value = kept
                    .value
                    .as_deref()
                    .map_or(JsValue::NULL, JsValue::from_str);
                let _ = store2.put_with_key(&entry(&value, kept.at, false, ""), &base.into());
            });
            req.set_onsuccess(Some(on_read.unchecked_ref()));
        }
    }

    /// Empty the journal (tests; a person clearing site data empties it too).
    pub async fn clear(&self) -> Result<(), JsValue> {
        let tx = self
            .db
            .transaction_with_str_and_mode(STORE, web_sys::IdbTransactionMode::Readwrite)?;
        done(&tx.object_store(STORE)?.clear()?).await.map(|_| ())
    }

    /// What the journal holds for `key`, its slots folded (tests).
    pub async fn get(&self, key: &str) -> Result<Option<Journaled>, JsValue> {
        let mut all = self.slots().await?;
        Ok(all
            .remove(key)
            .and_then(|reads| rules::fold(key, reads.iter().map(Read::slot).collect())))
    }

    /// Wait until every write made so far is in the journal (tests).
    pub async fn settled(&self) -> Result<(), JsValue> {
        let tick =
            || wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&JsValue::UNDEFINED));
        while self.scheduled.get() || !self.pending.borrow().is_empty() {
            tick().await?;
        }
        // A transaction over the same store starts only once the readwrite
        // ones opened before it have completed.
        let tx = self.db.transaction_with_str(STORE)?;
        done(&tx.object_store(STORE)?.count()?).await.map(|_| ())
    }

    /// The tabs whose slots of `key` the journal holds (`""`: folded), (tests).
    pub async fn slot_tabs(&self, key: &str) -> Result<Vec<String>, JsValue> {
        Ok(self
            .slots()
            .await?
            .get(key)
            .map_or(vec![], |r| r.iter().map(|r| r.tab.clone()).collect()))
    }
}

/// Local storage with every write journaled: the store the app uses.
pub struct Durable {
    local: LocalStore,
    journal: Rc<Journal>,
}

impl Durable {
    pub fn new(local: LocalStore, journal: Rc<Journal>) -> Durable {
        Durable { local, journal }
    }
}

impl Store for Durable {
    fn get(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.local.get(key)
    }

    /// Written to local storage, and journaled whether or not that worked:
    /// a full store keeps the change queued in memory, the journal keeps it
    /// across a crash.
    fn set(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let r = self.local.set(key, value);
        self.journal.record(key, Some(value), false);
        r
    }

    fn replace(&self, key: &str, value: &str) -> Result<(), StoreError> {
        let r = self.local.set(key, value);
        self.journal.record(key, Some(value), true);
        r
    }

    fn remove(&self, key: &str) -> Result<(), StoreError> {
        let r = self.local.remove(key);
        self.journal.record(key, None, false);
        r
    }

    fn keys(&self) -> Result<Vec<String>, StoreError> {
        self.local.keys()
    }

    fn head(&self, key: &str, units: usize) -> Result<Option<String>, StoreError> {
        self.local.head(key, units)
    }

    fn size(&self, key: &str) -> Result<Option<usize>, StoreError> {
        self.local.size(key)
    }
}

/// Put back into local storage what the journal holds and local storage
/// lost (see `core::storage::journal::replay`). Local storage is read
/// first, then the journal; values are compared as JavaScript strings, so
/// only those that differ are copied into wasm memory.
pub async fn replay(durable: &Durable) -> Result<Replayed, String> {
    let local = &durable.local;
    let mut seen: std::collections::HashMap<String, JsValue> = Default::default();
    for key in local.keys().map_err(|e| e.to_string())? {
        if rules::kind(&key).is_some() {
            if let Ok(Some(v)) = local.value(&key) {
                seen.insert(key, v);
            }
        }
    }
    let slots = durable.journal.slots().await.map_err(|e| words(&e))?;
    let mut found = Vec::new();
    let mut folds = Vec::new();
    for (key, reads) in slots {
        let stored = seen.get(&key);
        let journaled = match &reads[..] {
            // One slot, folded already: compared as JavaScript strings.
            [only] if only.tab.is_empty() => {
                if !only.value.is_null() && stored.is_some_and(|s| *s == only.value) {
                    continue;
                }
                Journaled {
                    value: only.value.as_string(),
                    at: only.at,
                }
            }
            _ => {
                let Some(j) = rules::fold(&key, reads.iter().map(Read::slot).collect()) else {
                    continue;
                };
                let read = reads
                    .iter()
                    .filter(|r| !r.tab.is_empty())
                    .map(|r| (r.tab.clone(), r.at))
                    .collect();
                folds.push(Fold {
                    key: key.clone(),
                    read,
                });
                j
            }
        };
        let seen_value = stored.and_then(|s| s.as_string());
        if journaled.value.is_some() && journaled.value == seen_value {
            continue;
        }
        found.push(Candidate {
            key,
            journaled,
            seen: seen_value,
        });
    }
    let done = rules::replay(durable, found, super::now());
    // Folded a little later, once the page has been drawn: the folding
    // transaction reads and writes the store the person's first changes
    // go to, and must not keep them waiting while the page is busy.
    let (journal, dropped) = (durable.journal.clone(), done.dropped.clone());
    gloo::timers::callback::Timeout::new(COMPACT_AFTER_MS, move || {
        journal.compact(folds, &dropped)
    })
    .forget();
    Ok(done)
}
