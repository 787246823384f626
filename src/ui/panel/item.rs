//! One annotation's editor: its tag, quote, note and fact-check fields, and
//! Delete. The panel lists one per annotation; on phones the current one is
//! also shown in a sheet at the bottom of the screen (see `ui::sheet`).

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::factcheck::parse_sources;
use crate::core::{AnnotationId, Tag, Verdict};
use crate::ui::field_edit::FieldEdit;
use crate::ui::refs::AnnRef;
use crate::ui::select::Select;

/// Quotes longer than this (in chars) are shortened until asked for in full.
const SHORT_QUOTE: usize = 140;

#[derive(Properties, PartialEq)]
pub struct ItemProps {
    pub annotation: AnnRef,
    pub selected: bool,
    pub hovered: bool,
    /// Makes the ids of its fields unique where it is shown twice.
    #[prop_or_default]
    pub id_prefix: &'static str,
    /// In the panel's list: scroll the panel (never the page) to it when it
    /// becomes the current one.
    #[prop_or_default]
    pub in_panel: bool,
    pub on_select: Callback<AnnotationId>,
    pub on_hover: Callback<Option<AnnotationId>>,
    pub on_edit: Callback<(AnnotationId, FieldEdit)>,
    pub on_delete: Callback<AnnotationId>,
    /// Place an orphan on the current selection.
    pub on_reattach: Callback<AnnotationId>,
}

/// The value of the form control an event came from.
fn value_of(e: &Event) -> String {
    use wasm_bindgen::JsCast;
    let Some(t) = e.target() else {
        return String::new();
    };
    if let Some(s) = t.dyn_ref::<HtmlSelectElement>() {
        s.value()
    } else if let Some(i) = t.dyn_ref::<HtmlInputElement>() {
        i.value()
    } else if let Some(t) = t.dyn_ref::<HtmlTextAreaElement>() {
        t.value()
    } else {
        String::new()
    }
}

#[function_component(Item)]
pub fn item(p: &ItemProps) -> Html {
    let a = &p.annotation.0;
    // The quote is the article's words: its language, and the direction
    // its letters run (an Arabic quote reads right to left in the
    // English panel).
    let article = use_context::<crate::ui::refs::ArticleRef>();
    let (quote_lang, quote_dir) = match &article {
        Some(r) => (r.0.lang(), r.0.dir_of(&a.quote.exact).attr()),
        None => (None, "auto"),
    };
    let expanded = use_state(|| false);
    // The fact-check fields beyond the verdict, asked for.
    let more = use_state(|| false);
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((p.selected, p.in_panel), move |&(sel, in_panel)| {
            if sel && in_panel {
                // Measured at the next frame, when layout is due anyway.
                crate::web::next_frame(move || {
                    if let Some(el) = node.cast::<web_sys::Element>() {
                        super::reveal_in_panel(&el);
                    }
                });
            }
        });
    }
    let id = a.id.clone();
    let long = a.quote.exact.chars().count() > SHORT_QUOTE;
    let quote = if long && !*expanded {
        let short: String = a.quote.exact.chars().take(SHORT_QUOTE).collect();
        format!("{}…", short.trim_end())
    } else {
        a.quote.exact.clone()
    };
    let emit = |cb: &Callback<AnnotationId>| {
        let (cb, id) = (cb.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(id.clone()))
    };
    let enter = {
        let (cb, id) = (p.on_hover.clone(), id.clone());
        Callback::from(move |_: MouseEvent| cb.emit(Some(id.clone())))
    };
    let leave = p.on_hover.reform(|_: MouseEvent| None);
    let edit = |f: fn(String) -> Option<FieldEdit>| {
        let (cb, id) = (p.on_edit.clone(), id.clone());
        Callback::from(move |e: Event| {
            if let Some(edit) = f(value_of(&e)) {
                cb.emit((id.clone(), edit));
            }
        })
    };
    let retag = edit(|v| Tag::parse(&v).map(FieldEdit::Tag));
    let note = edit(|v| Some(FieldEdit::Note(v)));
    let verdict = edit(|v| Some(FieldEdit::Verdict(Verdict::parse(&v))));
    let explanation = edit(|v| Some(FieldEdit::Explanation(v.trim().to_string())));
    let key_delete = {
        let (cb, id) = (p.on_delete.clone(), id.clone());
        Callback::from(move |e: KeyboardEvent| {
            // Delete on the item itself (not while typing in a field).
            let typing = e
                .target()
                .and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "TEXTAREA" | "INPUT" | "SELECT")
                });
            if e.key() == "Delete" && !typing {
                e.prevent_default();
                cb.emit(id.clone());
            }
        })
    };
    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    // Keep the article's selection when the button is pressed with a mouse.
    let keep_selection = Callback::from(|e: MouseEvent| e.prevent_default());
    let filled = !a.check.explanation.is_empty()
        || !a.check.sources.is_empty()
        || !a.check.claim.is_empty()
        || !a.check.claimant.is_empty();
    // Once shown, they stay: clearing the last filled one must not take
    // the fields (and the focus in them) away mid-edit.
    let shown = use_mut_ref(|| false);
    let details = filled || *more || *shown.borrow();
    *shown.borrow_mut() = details;
    let open_details = {
        let more = more.clone();
        Callback::from(move |_: MouseEvent| more.set(true))
    };
    // The disclosure button goes once pressed: focus moves to the first new
    // field rather than falling to the page.
    {
        let expl_id = format!("{}expl-{}", p.id_prefix, a.id.as_str());
        use_effect_with(*more, move |&opened| {
            if opened {
                if let Some(el) = gloo::utils::document()
                    .get_element_by_id(&expl_id)
                    .and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
                {
                    let _ = el.focus();
                }
            }
        });
    }
    let show_factcheck = a.tag == Tag::Fact
        || !a.check.claim.is_empty()
        || a.check.verdict.is_some()
        || !a.check.explanation.is_empty()
        || !a.check.sources.is_empty();
    let fid = |name: &str| format!("{}{name}-{}", p.id_prefix, a.id.as_str());
    let tag_id = fid("tag");
    let note_id = fid("note");
    let verdict_id = fid("verdict");
    html! {
        <li ref={node} class={classes!("item", format!("item-tag-{}", a.tag.key()), p.selected.then_some("is-selected"),
                            p.hovered.then_some("is-hovered"), a.orphan.then_some("is-orphan"))}
            data-id={a.id.as_str().to_string()}
            onmouseenter={enter} onmouseleave={leave} onkeydown={key_delete}>
            <div class="item-head">
                <span class={classes!("tag-badge", format!("badge-{}", a.tag.key()))}>{ a.tag.label() }</span>
                if let Some(v) = a.check.verdict {
                    <span class={classes!("verdict-badge", format!("verdict-{}", v.key()))}>{ v.label() }</span>
                }
                if a.orphan {
                    <span class="orphan-badge">{ "Not found in the text" }</span>
                }
                if let Some(author) = &a.author {
                    <span class="author-badge">{ format!("by {author}") }</span>
                }
                <button type="button" class="item-select" onclick={emit(&p.on_select)}
                        aria-pressed={p.selected.to_string()}
                        aria-label={format!("{}: {}", a.tag.label(), quote)}>
                    <q class="item-quote" lang={quote_lang} dir={quote_dir}>{ quote.clone() }</q>
                </button>
            </div>
            if a.orphan {
                <button type="button" class="reattach" data-keep-selection="" onmousedown={keep_selection} onclick={emit(&p.on_reattach)}>
                    { "Re-attach to selection" }
                </button>
            }
            if long {
                <button type="button" class="link" onclick={toggle} aria-expanded={expanded.to_string()}>
                    { if *expanded { "Show less" } else { "Show full quote" } }
                </button>
            }
            <div class="item-controls">
                <label for={tag_id.clone()}>{ "Tag" }</label>
                <Select id={tag_id} value={a.tag.key()} onchange={retag}
                        options={Tag::ALL.iter().map(|t| (t.key().into(), t.label().into())).collect::<Vec<_>>()} />
                <button type="button" class="danger" onclick={emit(&p.on_delete)}
                        aria-label={format!("Delete {}: {}", a.tag.label().to_lowercase(), quote)}>{ "Delete" }</button>
            </div>
            <label class="field-label" for={note_id.clone()}>{ "Note" }</label>
            <TextField id={note_id} class="note" rows="2" value={a.note.clone()} on_change={note}
                       placeholder="Add a note (plain text)" />
            if show_factcheck {
                <div class="factcheck">
                    <label class="field-label" for={verdict_id.clone()}>{ "Verdict" }</label>
                    <Select id={verdict_id} value={a.check.verdict.map_or("", |v| v.key())} onchange={verdict}
                            options={std::iter::once(("".into(), "No verdict".into()))
                                .chain(Verdict::ALL.iter().map(|v| (v.key().into(), v.label().into())))
                                .collect::<Vec<_>>()} />
                    // The longer fields where filled in, or once asked for: a
                    // new fact is not forty controls (every element costs on
                    // each key press that makes one, and layout after).
                    if details {
                        <label class="field-label" for={fid("expl")}>{ "Explanation" }</label>
                        <TextField id={fid("expl")} class="explanation" rows="1" value={a.check.explanation.clone()}
                                   on_change={explanation} placeholder="Why this verdict, in a sentence" />
                        <Sources id={fid("src")} annotation={p.annotation.clone()} on_edit={p.on_edit.clone()} />
                        <crate::ui::fact_fields::FactFields annotation={a.clone()} selected={p.selected}
                                                           id_prefix={p.id_prefix} on_edit={p.on_edit.clone()} />
                    } else {
                        <button type="button" class="link more-fields" onclick={open_details} aria-expanded="false">
                            { "Add explanation, sources, claim…" }
                        </button>
                    }
                </div>
            }
            <crate::ui::links::ItemLinks annotation={p.annotation.clone()} selected={p.selected} />
            if p.selected && a.tag == Tag::Fact {
                <crate::ui::links::CheckedBefore annotation={p.annotation.clone()} />
            }
        </li>
    }
}

#[derive(Properties, PartialEq)]
struct SourcesProps {
    id: String,
    annotation: AnnRef,
    on_edit: Callback<(AnnotationId, FieldEdit)>,
}

/// The sources field: one link per line. A line that is not an http or
/// https link keeps everything typed on screen (nothing is erased), is
/// named in the message, and nothing is saved until it is fixed.
#[function_component(Sources)]
fn sources(p: &SourcesProps) -> Html {
    let a = &p.annotation.0;
    // What the person typed while it has a problem; `None` shows the saved links.
    let draft = use_state(|| None::<(String, String)>);
    let onchange = {
        let (cb, id, draft) = (p.on_edit.clone(), a.id.clone(), draft.clone());
        Callback::from(move |e: Event| {
            let typed = e.target_unchecked_into::<HtmlTextAreaElement>().value();
            match parse_sources(&typed) {
                Ok(list) => {
                    draft.set(None);
                    cb.emit((id.clone(), FieldEdit::Sources(list)));
                }
                Err(problems) => {
                    let lines: Vec<String> = problems.iter().map(|p| p.to_string()).collect();
                    draft.set(Some((
                        typed,
                        format!(
                            "Sources not saved yet — fix {}: {}.",
                            if problems.len() == 1 {
                                "this line"
                            } else {
                                "these lines"
                            },
                            lines.join("; ")
                        ),
                    )));
                }
            }
        })
    };
    let (value, error) = match &*draft {
        Some((typed, why)) => (typed.clone(), Some(why.clone())),
        None => (a.check.sources.join("\n"), None),
    };
    let err_id = format!("{}-error", p.id);
    html! {
        <>
            <label class="field-label" for={p.id.clone()}>{ "Sources (one http or https link per line)" }</label>
            <TextField id={p.id.clone()} class="sources" rows="2" {value} on_change={onchange}
                       invalid={error.is_some()} described_by={error.is_some().then(|| AttrValue::from(err_id.clone()))} />
            if let Some(err) = error {
                <p id={err_id} class="field-error" role="alert">{ err }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct TextFieldProps {
    id: String,
    class: &'static str,
    rows: &'static str,
    /// The saved value: shown, except while the person is typing here.
    value: String,
    on_change: Callback<Event>,
    #[prop_or_default]
    placeholder: Option<&'static str>,
    #[prop_or_default]
    invalid: bool,
    #[prop_or_default]
    described_by: Option<AttrValue>,
}

/// A text area that grows with its text and never loses what is being
/// typed: the saved value is put in when it changes, unless the person has
/// typed in it since it took focus (another change — a verdict chosen,
/// another tab's edit — re-renders the item while a note is half typed).
/// With focus but nothing typed (Ctrl+Z pressed there), it shows what undo
/// put back. What is typed is committed on `change` (leaving the field), as
/// one undoable step.
#[function_component(TextField)]
fn text_field(p: &TextFieldProps) -> Html {
    let node = use_node_ref();
    let saved = use_mut_ref(String::new);
    let show_saved = {
        let (node, saved) = (node.clone(), saved.clone());
        move || {
            if let Some(el) = node.cast::<HtmlTextAreaElement>() {
                let focused = gloo::utils::document()
                    .active_element()
                    .is_some_and(|a| a == **el);
                let typing = focused && crate::web::typing::undoable(&el);
                if !typing && el.value() != *saved.borrow() {
                    el.set_value(&saved.borrow());
                    crate::web::typing::settle(&el);
                }
            }
        }
    };
    {
        let show_saved = show_saved.clone();
        use_effect_with(p.value.clone(), move |value| {
            *saved.borrow_mut() = value.clone();
            show_saved();
        });
    }
    // Leaving the field commits it (`change`), and the saved form may differ
    // (trimmed): show it once the commit has rendered.
    let onblur = Callback::from(move |_: FocusEvent| {
        let show_saved = show_saved.clone();
        gloo::timers::callback::Timeout::new(0, show_saved).forget();
    });
    html! {
        // `dir="auto"`: a note typed in Arabic or Hebrew runs right to left.
        <textarea ref={node} id={p.id.clone()} class={classes!(p.class, "grow")} rows={p.rows} dir="auto"
                  onchange={p.on_change.clone()} {onblur} placeholder={p.placeholder}
                  aria-invalid={p.invalid.then_some("true")} aria-describedby={p.described_by.clone()} />
    }
}
