//! The list of keys.

use yew::prelude::*;

use crate::ui::dialog::DialogShell;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
}

#[function_component(HelpDialog)]
pub fn help_dialog(p: &HelpProps) -> Html {
    let keys = [
        (
            "Arrow Right / Left",
            "Select the next / previous word (article focused)",
        ),
        (
            "Arrow Down / Up",
            "Select the first word of the next / previous block",
        ),
        (
            "Shift + Arrow Right / Left",
            "Extend / shrink the selection by a word",
        ),
        ("F or 1", "Tag the selection as Fact"),
        ("Q or 2", "Tag the selection as Quote"),
        ("A or 3", "Tag the selection as Analysis"),
        (
            "Alt + drag",
            "Keep the exact characters (no snapping to words)",
        ),
        (
            "Ctrl/Cmd + Z",
            "Undo (in a text field, first what you typed there)",
        ),
        ("Ctrl/Cmd + Shift + Z, Ctrl + Y", "Redo"),
        ("Tab", "Move to the panel and between annotations"),
        ("Delete", "Delete the focused annotation (undoable)"),
        ("/", "Search all annotations, in every article"),
        ("L", "Link the current annotation to another"),
        ("Enter on a link", "Go to the annotation at its other end"),
        ("Escape", "Close a dialog or menu, or clear the selection"),
        ("?", "Show this list"),
    ];
    html! {
        <DialogShell labelled_by="help-title" on_close={p.on_close.clone()}>
            <h2 id="help-title" tabindex="-1" data-autofocus="">{ "Keyboard shortcuts" }</h2>
            <dl class="keys">
                { for keys.iter().map(|(k, v)| html! { <><dt><kbd>{ *k }</kbd></dt><dd>{ *v }</dd></> }) }
            </dl>
            <div class="dialog-actions">
                <button type="button" onclick={p.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
        </DialogShell>
    }
}
