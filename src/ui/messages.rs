//! The one message channel: every part of the app tells the person things
//! through a [`Messenger`] (a context), and the live region, the notice and
//! the alert read what it holds.
//!
//! - [`Message::Status`]: said by the live region (`role="status"`) only;
//! - [`Message::Notice`]: shown (dismissible) and said;
//! - [`Message::Error`]: shown in `role="alert"` until dismissed or replaced.
//!
//! Each message gets a sequence number, and the live region renders its text
//! in an element keyed by it: the same words twice ("Note changed", then
//! "Note changed") replace the node, so screen readers say both.

use std::rc::Rc;

use yew::prelude::*;

/// Something to tell the person.
#[derive(Clone, Debug, PartialEq)]
pub enum Message {
    Status(String),
    Notice(String),
    Error(String),
}

/// What the channel holds now.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Messages {
    /// Bumped on every message.
    pub seq: u64,
    /// The last thing said (statuses, notices and errors alike).
    pub said: String,
    pub notice: Option<String>,
    pub error: Option<String>,
    /// When the last message came (`Date.now()`, ms).
    pub at: f64,
}

/// A change to the channel.
pub enum Change {
    Say(Message),
    DismissNotice,
    DismissError,
    /// Dismiss the error only when it starts with these words (one part's
    /// own error, once what it said is no longer true).
    DismissErrorStarting(&'static str),
    /// Say a status only if nothing was said since `since`
    /// (`Date.now()`, ms): a report made late (after a pause) must not
    /// cover what a person did meanwhile.
    StatusIfQuietSince(String, f64),
}

impl Reducible for Messages {
    type Action = Change;
    fn reduce(self: Rc<Self>, change: Change) -> Rc<Self> {
        let mut next = (*self).clone();
        match change {
            Change::StatusIfQuietSince(s, since) => {
                if self.at > since {
                    return self;
                }
                next.seq += 1;
                next.at = js_sys::Date::now();
                next.said = s;
            }
            Change::Say(m) => {
                next.seq += 1;
                next.at = js_sys::Date::now();
                match m {
                    Message::Status(s) => next.said = s,
                    Message::Notice(s) => {
                        next.said = s.clone();
                        next.notice = Some(s);
                    }
                    Message::Error(s) => {
                        // The alert says it (assertively); the live region
                        // keeps quiet rather than repeat it.
                        next.said = String::new();
                        next.error = Some(s);
                    }
                }
            }
            Change::DismissNotice => next.notice = None,
            Change::DismissError => next.error = None,
            Change::DismissErrorStarting(prefix) => {
                if next.error.as_deref().is_some_and(|e| e.starts_with(prefix)) {
                    next.error = None;
                }
            }
        }
        Rc::new(next)
    }
}

/// How parts of the app send messages (a context; stable across renders).
#[derive(Clone, PartialEq)]
pub struct Messenger(UseReducerDispatcher<Messages>);

impl Messenger {
    pub fn say(&self, m: Message) {
        self.0.dispatch(Change::Say(m));
    }
    /// Tell the person, through the live region.
    pub fn status(&self, s: impl Into<String>) {
        self.say(Message::Status(s.into()));
    }
    /// Say a status unless something was said since `since` (a
    /// `Date.now()` reading taken when the reason for it began).
    pub fn status_if_quiet_since(&self, s: impl Into<String>, since: f64) {
        self.0.dispatch(Change::StatusIfQuietSince(s.into(), since));
    }
    /// Show and tell (a dismissible notice).
    pub fn notice(&self, s: impl Into<String>) {
        self.say(Message::Notice(s.into()));
    }
    /// Show an error in `role="alert"`.
    pub fn error(&self, s: impl Into<String>) {
        self.say(Message::Error(s.into()));
    }
    pub fn dismiss_error(&self) {
        self.0.dispatch(Change::DismissError);
    }
    /// Dismiss the error shown if it starts with `prefix`.
    pub fn dismiss_error_starting(&self, prefix: &'static str) {
        self.0.dispatch(Change::DismissErrorStarting(prefix));
    }
    pub fn dismiss_notice(&self) {
        self.0.dispatch(Change::DismissNotice);
    }
}

/// The messenger of the app around this component.
#[hook]
pub fn use_messenger() -> Messenger {
    use_context::<Messenger>().expect("inside MessagesProvider")
}

#[derive(Properties, PartialEq)]
pub struct ProviderProps {
    #[prop_or_default]
    pub children: Html,
}

/// Holds the channel and provides it. Messages re-render only this, the
/// live region and the banners, never the article or the panel.
#[function_component(MessagesProvider)]
pub fn messages_provider(p: &ProviderProps) -> Html {
    let messages = use_reducer(Messages::default);
    let messenger = Messenger(messages.dispatcher());
    let log: Rc<Messages> = Rc::new((*messages).clone());
    html! {
        <ContextProvider<Messenger> context={messenger}>
            <ContextProvider<Rc<Messages>> context={log}>
                { p.children.clone() }
            </ContextProvider<Rc<Messages>>>
        </ContextProvider<Messenger>>
    }
}

/// The polite live region: says every status, notice and reducer
/// announcement as it comes.
#[function_component(LiveRegion)]
pub fn live_region() -> Html {
    let log = use_context::<Rc<Messages>>().unwrap_or_default();
    html! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            <p key={log.seq.to_string()}>{ log.said.clone() }</p>
        </div>
    }
}

/// The visible notice (dismissible) and the alert (`role="alert"`).
#[function_component(Banners)]
pub fn banners() -> Html {
    let log = use_context::<Rc<Messages>>().unwrap_or_default();
    let say = use_messenger();
    let banner = |msg: &Option<String>, class: &'static str, dismiss: fn(&Messenger)| {
        msg.clone().map(|msg| {
            let say = say.clone();
            html! {
                <div {class}>
                    <p>{ msg }</p>
                    <button type="button" onclick={Callback::from(move |_: MouseEvent| dismiss(&say))}>{ "Dismiss" }</button>
                </div>
            }
        })
    };
    html! {
        <>
            // Not a live region: the live region says the same words.
            <div class="notices-info">{ for banner(&log.notice, "notice", Messenger::dismiss_notice) }</div>
            <div class="alerts" role="alert">{ for banner(&log.error, "notice notice-error", Messenger::dismiss_error) }</div>
        </>
    }
}
