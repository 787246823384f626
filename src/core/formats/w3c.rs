//! W3C Web Annotation: writing an `AnnotationCollection` with the items in
//! an embedded first page ([`write`]); reading one annotation, a list, a
//! collection or a page ([`read_items`]). Other annotators count
//! `TextPositionSelector` in UTF-16 units; the specification (and claimmark)
//! count code points, so a position read here has an unknown unit and both
//! are tried when anchoring.

use serde::Serialize;
use serde_json::{Map, Value};

use super::article_iri;
use super::incoming::{ImportError, Incoming, Parsed, Source};
use super::json::{check_position, kind_of, opt_offset, opt_str, opt_time, pick_tag, sources_of};
use crate::core::anchor::{Target, Unit};
use crate::core::annotation::Annotation;
use crate::core::article::Article;
use crate::core::factcheck::{FactCheck, Verdict};
use crate::core::id::AnnotationId;
use crate::core::id::ArticleId;
use crate::core::links::{is_article_id, is_link_id, LinkKind, LinkTo};

// ------------------------------------------------------------------- write

/// The Web Annotation JSON-LD context.
pub const W3C_CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    total: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    first: Option<Page<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    start_index: usize,
    items: Vec<Item<'a>>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Item<'a> {
    Annotation(W3cAnnotation<'a>),
    Link(LinkAnnotation),
}

/// A link between two annotations, as Recogito writes a relation: an
/// annotation with `motivation: "linking"`, its kind as a tagging body
/// and two targets, the annotation it was made from first; each target
/// names the annotation (`source`) and the article it is in (`scope`).
#[derive(Serialize)]
struct LinkAnnotation {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: String,
    body: LinkBody,
    target: [LinkEnd; 2],
}

#[derive(Serialize)]
struct LinkBody {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'static str,
}

#[derive(Serialize)]
struct LinkEnd {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    scope: String,
}

fn link_end(article: &str, id: &str) -> LinkEnd {
    LinkEnd {
        kind: "SpecificResource",
        source: format!("urn:uuid:{id}"),
        scope: format!("urn:sha256:{article}"),
    }
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    /// The team member who made it (`{"type": "Person", "name": …}`).
    #[serde(skip_serializing_if = "Option::is_none")]
    creator: Option<Creator<'a>>,
    created: String,
    modified: String,
    body: Vec<Body<'a>>,
    target: W3cTarget<'a>,
}

#[derive(Serialize)]
struct Creator<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    name: &'a str,
}

#[derive(Serialize)]
#[serde(untagged)]
enum Body<'a> {
    Text {
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
        value: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        format: Option<&'static str>,
    },
    Link {
        id: &'a str,
        #[serde(rename = "type")]
        kind: &'static str,
        purpose: &'static str,
    },
    /// An agent (`foaf:Person` in the Web Annotation context): the claimant.
    Agent {
        #[serde(rename = "type")]
        kind: &'static str,
        name: &'a str,
        purpose: &'static str,
    },
}

#[derive(Serialize)]
struct W3cTarget<'a> {
    source: &'a str,
    selector: Vec<Selector<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
    TextPositionSelector {
        start: u32,
        end: u32,
    },
}

fn text_body<'a>(purpose: &'static str, value: &'a str, plain: bool) -> Body<'a> {
    Body::Text {
        kind: "TextualBody",
        purpose,
        value,
        format: plain.then_some("text/plain"),
    }
}

/// An `AnnotationCollection` with the annotations in one embedded page.
///
/// Bodies: the tag (`purpose: "tagging"`), the note (`"commenting"`), the
/// verdict (`"assessing"`, its label), the explanation (`"describing"`),
/// each source link (a web resource with `purpose: "linking"`), the claim
/// as checked (`"identifying"`: what the target asserts, in the checker's
/// words) and the claimant (a `Person` with a `name`, `"identifying"`). An
/// orphan's target has only its `TextQuoteSelector`. `target.source` is the
/// article's URL when known, else `urn:sha256:<id>`.
pub fn write(article: &Article, annotations: &[impl AsRef<Annotation>]) -> String {
    let source = article_iri(article);
    let collection_id = format!("urn:sha256:{}#annotations", article.id.0);
    let mut items: Vec<Item> = annotations
        .iter()
        .map(|a| {
            let a = a.as_ref();
            let mut body = vec![text_body("tagging", a.tag.key(), false)];
            if !a.note.is_empty() {
                body.push(text_body("commenting", &a.note, true));
            }
            if let Some(v) = a.check.verdict {
                body.push(text_body("assessing", v.label(), false));
            }
            if !a.check.explanation.is_empty() {
                body.push(text_body("describing", &a.check.explanation, true));
            }
            for s in &a.check.sources {
                body.push(Body::Link {
                    id: s,
                    kind: "Text",
                    purpose: "linking",
                });
            }
            if !a.check.claim.is_empty() {
                body.push(text_body("identifying", &a.check.claim, true));
            }
            if !a.check.claimant.is_empty() {
                body.push(Body::Agent {
                    kind: "Person",
                    name: &a.check.claimant,
                    purpose: "identifying",
                });
            }
            let mut selector = vec![Selector::TextQuoteSelector {
                exact: &a.quote.exact,
                prefix: &a.quote.prefix,
                suffix: &a.quote.suffix,
            }];
            if a.is_anchored() {
                selector.push(Selector::TextPositionSelector {
                    start: a.span.start(),
                    end: a.span.end(),
                });
            }
            Item::Annotation(W3cAnnotation {
                id: format!("urn:uuid:{}", a.id.as_str()),
                kind: "Annotation",
                motivation: if a.note.is_empty() {
                    "tagging"
                } else {
                    "commenting"
                },
                creator: a.author.as_deref().map(|name| Creator {
                    kind: "Person",
                    name,
                }),
                created: a.created.to_iso8601(),
                modified: a.modified.to_iso8601(),
                body,
                target: W3cTarget {
                    source: &source,
                    selector,
                },
            })
        })
        .collect();
    for a in annotations.iter().map(|a| a.as_ref()) {
        for l in &a.links {
            items.push(Item::Link(LinkAnnotation {
                id: format!("urn:uuid:{}#link-{}", a.id.as_str(), l.id.as_str()),
                kind: "Annotation",
                motivation: "linking",
                created: a.modified.to_iso8601(),
                body: LinkBody {
                    kind: "TextualBody",
                    purpose: "tagging",
                    value: l.kind.key(),
                },
                target: [
                    link_end(&article.id.0, a.id.as_str()),
                    link_end(&l.article.0, l.id.as_str()),
                ],
            }));
        }
    }
    let total = items.len();
    let collection = Collection {
        context: W3C_CONTEXT,
        first: (total > 0).then(|| Page {
            id: format!("{collection_id}-page-1"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        }),
        id: collection_id,
        kind: "AnnotationCollection",
        label: format!("Annotations on “{}”", article.title),
        total,
    };
    serde_json::to_string_pretty(&collection).unwrap_or_default()
}

// -------------------------------------------------------------------- read

/// Whether a JSON object's `type` is (or lists) `name`.
fn has_type(o: &Map<String, Value>, name: &str) -> bool {
    match o.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

pub(super) fn read_items(items: Vec<&Value>) -> Result<Parsed, ImportError> {
    let mut out: Vec<Incoming> = Vec::with_capacity(items.len());
    let mut invalid = Vec::new();
    let mut links: Vec<(usize, String, LinkTo)> = Vec::new();
    for (i, v) in items.iter().enumerate() {
        match link_annotation(v) {
            Some(Ok((from, to))) => {
                links.push((i, from, to));
                continue;
            }
            Some(Err(e)) => {
                invalid.push(format!("annotation {} (a link): {e}", i + 1));
                continue;
            }
            None => {}
        }
        match w3c_annotation(v, &mut invalid, i) {
            Ok(x) => out.push(x),
            Err(e) => invalid.push(format!("annotation {}: {e}", i + 1)),
        }
    }
    // Each link joins the annotation it was made from.
    for (i, from, to) in links {
        match out
            .iter_mut()
            .find(|x| x.id.as_deref() == Some(from.as_str()))
        {
            Some(x) => x.links.push(to),
            None => invalid.push(format!(
                "annotation {} (a link): the annotation it links from is not in the file",
                i + 1
            )),
        }
    }
    Ok(Parsed {
        source: Source::W3c,
        items: out,
        invalid,
        article: None,
    })
}

/// A `linking` annotation between two annotations (see [`LinkAnnotation`]):
/// `None` when `v` is not one; else the id of the annotation it was made
/// from and the link. A target with no `scope` is in the same article as
/// the annotation linked from (an empty article id, settled on import).
fn link_annotation(v: &Value) -> Option<Result<(String, LinkTo), String>> {
    let o = v.as_object()?;
    let linking = match o.get("motivation")? {
        Value::String(m) => m == "linking",
        Value::Array(l) => l.iter().any(|m| m.as_str() == Some("linking")),
        _ => false,
    };
    let targets = o.get("target")?.as_array()?;
    // An annotation that links a text passage (with selectors) is a
    // commenting one with a link body, not a relation.
    if !linking || targets.len() != 2 || targets.iter().any(|t| t.get("selector").is_some()) {
        return None;
    }
    let end = |t: &Value| -> Option<(String, String)> {
        let iri = match t {
            Value::String(s) => s.as_str(),
            Value::Object(t) => t.get("source").or_else(|| t.get("id"))?.as_str()?,
            _ => return None,
        };
        let id = iri.strip_prefix("urn:uuid:").unwrap_or(iri).to_string();
        let scope = t
            .get("scope")
            .and_then(Value::as_str)
            .map(|s| s.strip_prefix("urn:sha256:").unwrap_or(s).to_string())
            .unwrap_or_default();
        Some((scope, id))
    };
    let (Some((_, from)), Some((article, to))) = (end(&targets[0]), end(&targets[1])) else {
        return Some(Err("its targets do not name two annotations".into()));
    };
    let bodies: Vec<&Value> = match o.get("body") {
        Some(Value::Array(l)) => l.iter().collect(),
        Some(b) => vec![b],
        None => vec![],
    };
    let kind = bodies
        .iter()
        .filter_map(|b| b.get("value").and_then(Value::as_str))
        .find_map(LinkKind::parse);
    let Some(kind) = kind else {
        return Some(Err(
            "it does not say supports, contradicts or same-claim".into()
        ));
    };
    if !is_link_id(&from) || !is_link_id(&to) || !(article.is_empty() || is_article_id(&article)) {
        return Some(Err("its targets do not name two annotations".into()));
    }
    Some(Ok((
        from,
        LinkTo {
            article: ArticleId(article),
            id: AnnotationId::from_string(&to),
            kind,
        },
    )))
}

/// The selectors of a target (object or list of objects), and its source.
fn selectors(target: &Value) -> Vec<&Map<String, Value>> {
    fn one(t: &Value) -> Vec<&Map<String, Value>> {
        match t.get("selector") {
            Some(Value::Array(l)) => l.iter().filter_map(Value::as_object).collect(),
            Some(Value::Object(o)) => vec![o],
            _ => vec![],
        }
    }
    match target {
        Value::Array(ts) => ts
            .iter()
            .map(one)
            .find(|s| !s.is_empty())
            .unwrap_or_default(),
        t => one(t),
    }
}

fn selector_target(sels: &[&Map<String, Value>], unit: Option<Unit>) -> Result<Target, String> {
    let mut t = Target {
        unit,
        ..Target::default()
    };
    for s in sels {
        let ty = s.get("type").and_then(Value::as_str).unwrap_or_default();
        if ty.ends_with("TextQuoteSelector") {
            t.exact = opt_str(s, "exact")?.unwrap_or_default().to_string();
            t.prefix = opt_str(s, "prefix")?.unwrap_or_default().to_string();
            t.suffix = opt_str(s, "suffix")?.unwrap_or_default().to_string();
        } else if ty.ends_with("TextPositionSelector") {
            t.position = check_position(opt_offset(s, "start")?, opt_offset(s, "end")?)?;
        }
    }
    if t.exact.is_empty() && t.position.is_none() {
        return Err("its target has no TextQuoteSelector or TextPositionSelector".into());
    }
    Ok(t)
}

/// An annotation object and where it points; `no_selector` says what it
/// means when its target has no selector.
pub(super) fn object_and_target<'a>(
    v: &'a Value,
    no_selector: &str,
) -> Result<(&'a Map<String, Value>, Target), String> {
    let o = v
        .as_object()
        .ok_or_else(|| format!("should be an object but is {}", kind_of(v)))?;
    let target = o.get("target").ok_or("has no target")?;
    let sels = selectors(target);
    if sels.is_empty() {
        return Err(no_selector.to_string());
    }
    Ok((o, selector_target(&sels, Some(Unit::Unknown))?))
}

/// The annotation's `creator`: a name, as a string or a `Person`'s `name`
/// (or `nickname`); the first of a list. Anything else is no author.
fn creator_of(o: &serde_json::Map<String, Value>) -> Option<String> {
    let c = match o.get("creator")? {
        Value::Array(l) => l.first()?,
        c => c,
    };
    let name = match c {
        Value::String(s) => s.as_str(),
        Value::Object(p) => p
            .get("name")
            .or_else(|| p.get("nickname"))
            .and_then(Value::as_str)?,
        _ => return None,
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

fn w3c_annotation(v: &Value, notes: &mut Vec<String>, i: usize) -> Result<Incoming, String> {
    let (o, target) = object_and_target(
        v,
        "its target has no selector (only a link to a whole document)",
    )?;
    let bodies: Vec<&Value> = match o.get("body") {
        Some(Value::Array(l)) => l.iter().collect(),
        Some(b) => vec![b],
        None => vec![],
    };
    let mut tags: Vec<String> = Vec::new();
    let mut notes_text: Vec<String> = Vec::new();
    let mut verdict = None;
    let mut explanation = String::new();
    let mut claim = String::new();
    let mut claimant = String::new();
    let mut links = Vec::new();
    if let Some(s) = opt_str(o, "bodyValue")? {
        notes_text.push(s.to_string());
    }
    for b in bodies {
        let Some(b) = b.as_object() else {
            if let Some(iri) = b.as_str() {
                links.push(iri.to_string());
            }
            continue;
        };
        let purpose = opt_str(b, "purpose")?.unwrap_or_default();
        let value = opt_str(b, "value")?;
        match (purpose, value) {
            ("tagging", Some(v)) => tags.push(v.to_string()),
            ("assessing", Some(v)) => match Verdict::parse(v) {
                Some(x) => verdict = Some(x),
                None => notes_text.push(v.to_string()),
            },
            ("describing", Some(v)) => explanation = v.to_string(),
            ("identifying", Some(v)) => claim = v.to_string(),
            (_, Some(v)) => notes_text.push(v.to_string()),
            (_, None) if has_type(b, "Person") => {
                if let Some(name) = opt_str(b, "name")? {
                    claimant = name.to_string();
                }
            }
            (_, None) => {
                if let Some(id) = opt_str(b, "id")? {
                    links.push(id.to_string());
                }
            }
        }
    }
    let tag = pick_tag(&tags);
    let mut problems = Vec::new();
    let sources = sources_of(links.into_iter(), &mut problems);
    notes.extend(
        problems
            .into_iter()
            .map(|p| format!("annotation {}: {p}", i + 1)),
    );
    let id = opt_str(o, "id")?.map(|s| s.strip_prefix("urn:uuid:").unwrap_or(s).to_string());
    Ok(Incoming {
        id,
        tag,
        target,
        note: notes_text.join("\n\n"),
        check: FactCheck {
            verdict,
            explanation,
            sources,
            claim,
            claimant,
        },
        author: creator_of(o),
        created: opt_time(o, "created")?,
        modified: opt_time(o, "modified")?,
        changed: None,
        life: None,
        links: vec![],
    })
}
