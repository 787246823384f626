//! CouchDB's HTTP API, as team sync uses it, through `gloo-net`.
//!
//! Every request carries `Authorization: Basic …` built from the name and
//! password held in memory for the session (never stored): it works when
//! the app is served from another site than the database, where browsers
//! block the third-party cookie `POST /_session` would set, and it needs no
//! `credentials: include` (so CORS may answer any origin). Responses are
//! read as text and parsed by the caller (`core::sync`), whatever their
//! `Content-Type` (pouchdb-server says `text/plain`).
//!
//! Failures are sorted into what the person is told ([`CouchError`]): the
//! server did not answer, the password is wrong, the user is not a member,
//! a refusal with CouchDB's reason, or another status.

use gloo_net::http::{Method, Request, RequestBuilder};
use serde::Deserialize;
use serde_json::Value;
use web_sys::{AbortSignal, RequestCache};

use crate::core::sync::wire::{self, Page, Written};

/// An answer read a row at a time (see `core::sync::wire`).
fn page(text: &str) -> Result<Page, CouchError> {
    wire::read_page(text).map_err(CouchError::Unreadable)
}

/// What went wrong with a request.
#[derive(Clone, Debug, PartialEq)]
pub enum CouchError {
    /// No answer: offline, the server down, DNS, CORS refused.
    Unreachable(String),
    WrongPassword,
    NotMember,
    /// `403 forbidden` (or a document refused in a batch): CouchDB's reason.
    Forbidden(String),
    /// The request was cancelled (signed out, another article opened).
    Aborted,
    /// Another status, with CouchDB's `error` and `reason` when it gave them.
    Status(u16, String),
    /// An answer that is not what CouchDB sends.
    Unreadable(String),
}

impl std::fmt::Display for CouchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CouchError::Unreachable(why) => write!(f, "the server did not answer ({why})"),
            CouchError::WrongPassword => write!(f, "wrong name or password"),
            CouchError::NotMember => write!(f, "you are not a member of this database"),
            CouchError::Forbidden(why) => write!(f, "the server refused: {why}"),
            CouchError::Aborted => write!(f, "cancelled"),
            CouchError::Status(code, why) => write!(f, "the server answered {code} ({why})"),
            CouchError::Unreadable(why) => {
                write!(f, "the server's answer could not be read ({why})")
            }
        }
    }
}

/// A signed-in connection to one database.
#[derive(Clone, Debug, PartialEq)]
pub struct Couch {
    /// The database's URL, without a trailing slash.
    pub db: String,
    pub user: String,
    auth: String,
}

/// `encodeURIComponent`.
fn enc(s: &str) -> String {
    String::from(js_sys::encode_uri_component(s))
}

/// `user:password` as HTTP Basic credentials (UTF-8, base64 by `btoa`).
fn basic(user: &str, password: &str) -> String {
    let bytes: String = format!("{user}:{password}")
        .bytes()
        .map(char::from)
        .collect();
    let b64 = web_sys::window()
        .and_then(|w| w.btoa(&bytes).ok())
        .unwrap_or_default();
    format!("Basic {b64}")
}

/// CouchDB's `{"error": …, "reason": …}`, in one line.
fn reason_of(body: &str) -> String {
    #[derive(Deserialize)]
    struct E {
        #[serde(default)]
        error: String,
        #[serde(default)]
        reason: String,
    }
    match serde_json::from_str::<E>(body) {
        Ok(e) if !e.reason.is_empty() => e.reason,
        Ok(e) if !e.error.is_empty() => e.error,
        _ => body.chars().take(120).collect(),
    }
}

impl Couch {
    /// A connection to database `db` (checked by `core::sync::queue::check_db_url`).
    pub fn new(db: &str, user: &str, password: &str) -> Couch {
        Couch {
            db: db.trim_end_matches('/').to_string(),
            user: user.to_string(),
            auth: basic(user, password),
        }
    }

    /// The same connection under the name the server knows the user by.
    pub fn named(mut self, user: &str) -> Couch {
        self.user = user.to_string();
        self
    }

    /// The server's root (the database URL without its last part).
    fn root(&self) -> &str {
        self.db.rsplit_once('/').map_or(&self.db, |(root, _)| root)
    }

    fn builder(&self, method: Method, url: &str, signal: Option<&AbortSignal>) -> RequestBuilder {
        Request::get(url)
            .method(method)
            .header("Authorization", &self.auth)
            .header("Accept", "application/json")
            .cache(RequestCache::NoStore)
            .abort_signal(signal)
    }

    /// Send a request; the status and body of any answer, or why none came.
    async fn send(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
        signal: Option<&AbortSignal>,
    ) -> Result<(u16, String), CouchError> {
        let b = self.builder(method, url, signal);
        let req = match body {
            Some(body) => b.header("Content-Type", "application/json").body(body),
            None => b.build(),
        }
        .map_err(|e| CouchError::Unreachable(e.to_string()))?;
        let res = req.send().await.map_err(|e| match e {
            gloo_net::Error::JsError(j) if j.name == "AbortError" => CouchError::Aborted,
            e => CouchError::Unreachable(e.to_string()),
        })?;
        let status = res.status();
        let text = res.text().await.map_err(|e| match e {
            gloo_net::Error::JsError(j) if j.name == "AbortError" => CouchError::Aborted,
            e => CouchError::Unreachable(e.to_string()),
        })?;
        Ok((status, text))
    }

    /// Send, and sort any status but 2xx into a [`CouchError`]; `Ok` holds
    /// the body (and `None` for 404 when `missing_ok`).
    async fn call(
        &self,
        method: Method,
        url: &str,
        body: Option<String>,
        signal: Option<&AbortSignal>,
    ) -> Result<String, CouchError> {
        let (status, text) = self.send(method, url, body, signal).await?;
        match status {
            200..=299 => Ok(text),
            401 if reason_of(&text).to_lowercase().contains("password") => {
                Err(CouchError::WrongPassword)
            }
            // CouchDB answers 403 to a signed-in non-member, pouchdb-server 401.
            401 => Err(CouchError::NotMember),
            403 => {
                let why = reason_of(&text);
                if why.to_lowercase().contains("not allowed to access") {
                    Err(CouchError::NotMember)
                } else {
                    Err(CouchError::Forbidden(why))
                }
            }
            code => Err(CouchError::Status(code, reason_of(&text))),
        }
    }

    /// Check the name and password (`GET /_session`) and then that the
    /// user may read the database; the user's name and roles.
    pub async fn sign_in(&self) -> Result<(String, Vec<String>), CouchError> {
        #[derive(Deserialize)]
        struct UserCtx {
            name: Option<String>,
            #[serde(default)]
            roles: Vec<String>,
        }
        #[derive(Deserialize)]
        struct Session {
            #[serde(rename = "userCtx")]
            user_ctx: UserCtx,
        }
        let text = self
            .call(
                Method::GET,
                &format!("{}/_session", self.root()),
                None,
                None,
            )
            .await
            .map_err(|e| match e {
                CouchError::NotMember => CouchError::WrongPassword,
                e => e,
            })?;
        let s: Session =
            serde_json::from_str(&text).map_err(|e| CouchError::Unreadable(e.to_string()))?;
        let Some(name) = s.user_ctx.name else {
            return Err(CouchError::WrongPassword);
        };
        self.info().await?;
        Ok((name, s.user_ctx.roles))
    }

    /// The database's information (`GET /db`): its `update_seq`, as JSON.
    pub async fn info(&self) -> Result<Value, CouchError> {
        let text = self.call(Method::GET, &self.db, None, None).await?;
        serde_json::from_str(&text).map_err(|e| CouchError::Unreadable(e.to_string()))
    }

    /// `_all_docs` over the key range `[start, end]`, from `start` (`skip`
    /// past it for later pages), `limit` rows, with their documents.
    pub async fn all_docs_range(
        &self,
        start: &str,
        end: &str,
        skip: usize,
        limit: usize,
        docs: bool,
    ) -> Result<Page, CouchError> {
        let url = format!(
            "{}/_all_docs?include_docs={docs}&startkey={}&endkey={}&skip={skip}&limit={limit}",
            self.db,
            enc(&Value::from(start).to_string()),
            enc(&Value::from(end).to_string()),
        );
        page(&self.call(Method::GET, &url, None, None).await?)
    }

    /// `_all_docs` for these ids: their revisions, and with `docs` their
    /// documents and revisions in conflict (a deleted one comes as
    /// `value.deleted` without a body: see [`Couch::get`]).
    pub async fn all_docs_keys(&self, keys: &[String], docs: bool) -> Result<Page, CouchError> {
        let body = serde_json::json!({ "keys": keys }).to_string();
        let query = if docs {
            "?include_docs=true&conflicts=true"
        } else {
            ""
        };
        let text = self
            .call(
                Method::POST,
                &format!("{}/_all_docs{query}", self.db),
                Some(body),
                None,
            )
            .await?;
        page(&text)
    }

    /// One document (a given revision, which may be a deletion), or `None`.
    pub async fn get(&self, doc_id: &str, rev: Option<&str>) -> Result<Option<String>, CouchError> {
        let mut url = format!("{}/{}", self.db, enc(doc_id));
        if let Some(rev) = rev {
            url.push_str(&format!("?rev={}", enc(rev)));
        }
        match self.call(Method::GET, &url, None, None).await {
            Ok(text) => Ok(Some(text)),
            Err(CouchError::Status(404, _)) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Create a document; `Ok(false)` when it exists already (409).
    pub async fn create(&self, doc_id: &str, body: String) -> Result<bool, CouchError> {
        let url = format!("{}/{}", self.db, enc(doc_id));
        match self.call(Method::PUT, &url, Some(body), None).await {
            Ok(_) => Ok(true),
            Err(CouchError::Status(409, _)) => Ok(false),
            Err(e) => Err(e),
        }
    }

    /// Write documents (each a JSON object) in one `_bulk_docs`; each
    /// one's answer (matched by id: servers need not keep the order).
    pub async fn bulk_docs(&self, docs: &[String]) -> Result<Vec<Written>, CouchError> {
        let body = format!("{{\"docs\":[{}]}}", docs.join(","));
        let text = self
            .call(
                Method::POST,
                &format!("{}/_bulk_docs", self.db),
                Some(body),
                None,
            )
            .await?;
        wire::read_written(&text).map_err(CouchError::Unreadable)
    }

    /// The changes to `article`'s annotations since `since` (raw JSON of a
    /// sequence), with their documents: at once, or held open until there
    /// is one (`longpoll`; the server ends it after `timeout` ms with
    /// nothing, and `signal` cancels it).
    pub async fn changes(
        &self,
        article: &str,
        since: &str,
        longpoll: bool,
        limit: usize,
        signal: Option<&AbortSignal>,
    ) -> Result<Page, CouchError> {
        let since = match serde_json::from_str::<Value>(since) {
            Ok(Value::String(s)) => s,
            _ => since.to_string(),
        };
        let feed = if longpoll {
            "&feed=longpoll&timeout=25000"
        } else {
            ""
        };
        let url = format!(
            "{}/_changes?filter=claimmark/article&article={}&include_docs=true&conflicts=true&since={}&limit={limit}{feed}",
            self.db,
            enc(article),
            enc(&since),
        );
        page(&self.call(Method::GET, &url, None, signal).await?)
    }

    /// The team's list of articles (`list:` documents, small).
    pub async fn list(&self) -> Result<Page, CouchError> {
        self.all_docs_range("list:", "list:\u{fff0}", 0, 1000, true)
            .await
    }
}
