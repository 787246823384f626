//! A `<select>` that always shows its value.
//!
//! Marking an option `selected` sets only its default: once a person has
//! chosen in a select, the browser keeps showing that choice whatever the
//! options say. So after undo or redo the tag and verdict selects showed
//! the undone choice while the badge, the highlight and storage had the
//! other. [`Select`] sets the element's `value` after every render where it
//! differs.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct SelectProps {
    #[prop_or_default]
    pub id: Option<AttrValue>,
    /// The accessible name, where no `<label for>` names it.
    #[prop_or_default]
    pub label: Option<AttrValue>,
    /// The value of the option to show.
    pub value: AttrValue,
    /// Each option's value and words.
    pub options: Vec<(AttrValue, AttrValue)>,
    pub onchange: Callback<Event>,
}

#[function_component(Select)]
pub fn select(p: &SelectProps) -> Html {
    let node = use_node_ref();
    {
        let (node, value) = (node.clone(), p.value.clone());
        use_effect(move || {
            if let Some(s) = node.cast::<HtmlSelectElement>() {
                if s.value() != value.as_str() {
                    s.set_value(&value);
                }
            }
        });
    }
    html! {
        <select ref={node} id={p.id.clone()} aria-label={p.label.clone()} onchange={p.onchange.clone()}>
            { for p.options.iter().map(|(value, words)| html! {
                <option value={value.clone()} selected={*value == p.value}>{ words.clone() }</option>
            }) }
        </select>
    }
}
