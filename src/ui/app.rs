//! The app: it only composes. State and behaviour live in hooks
//! (`ui::hooks`), regions in components: the top bar, the article with its
//! selection toolbar, the panel and the library, the phone sheet, the one
//! dialog slot, the banners and the live region.

use std::rc::Rc;

use yew::prelude::*;

use super::app_state::{AppState, Observers};
use super::article_view::ArticleView;
use super::backup::Backup;
use super::context::Ctx;
use super::dialog::Dialog;
use super::dialogs::DialogSlot;
use super::hooks::actions::{use_article_click, use_item_actions};
use super::hooks::announcer::use_announcer;
use super::hooks::highlighter::{ann_list, use_highlighter};
use super::hooks::importer::use_importer;
use super::hooks::media::use_media;
use super::hooks::opener::use_opener;
use super::hooks::selection::use_selection;
use super::hooks::shortcuts::{use_shortcuts, Shortcuts};
use super::library::Library;
use super::messages::{use_messenger, Banners, LiveRegion, MessagesProvider};
use super::panel::Panel;
use super::persistence;
use super::refs::{AnnRef, ArticleRef};
use super::selection_toolbar::{Choice, Chooser, SelectionToolbar};
use super::session::{Session, SessionRef};
use super::set_aside::SetAside;
use super::sheet::CurrentSheet;
use super::topbar::TopBar;
use super::update_notice::UpdateNotice;
use crate::core::{seed_article, Action, Article, State};
use crate::web::{self, files};

#[derive(Properties, PartialEq, Default)]
pub struct AppProps {
    /// An article to open in memory (no storage); used by tests.
    #[prop_or_default]
    pub article: Option<Rc<Article>>,
    /// Storage and what was loaded from it; an in-memory seed session when `None`.
    #[prop_or_default]
    pub session: Option<SessionRef>,
    /// Draw highlights as `<mark>` runs even where the CSS Custom Highlight
    /// API exists (the fallback path, kept under test).
    #[prop_or_default]
    pub force_spans: bool,
}

#[function_component(App)]
pub fn app(props: &AppProps) -> Html {
    let session = use_memo(
        (props.session.clone(), props.article.clone().map(ArticleRef)),
        |(session, article)| match (session, article) {
            (Some(s), _) => s.clone(),
            (None, Some(a)) => SessionRef(Rc::new(Session::in_memory(a.0.clone()))),
            (None, None) => SessionRef(Rc::new(Session::in_memory(Rc::new(seed_article())))),
        },
    );
    html! {
        <MessagesProvider>
            <Workspace session={(*session).clone()} force_spans={props.force_spans} />
        </MessagesProvider>
    }
}

#[derive(Properties, PartialEq)]
struct WorkspaceProps {
    session: SessionRef,
    force_spans: bool,
}

/// The state, opened from what the session loaded, with what runs after
/// every action (`observers`).
#[hook]
fn use_app_state(session: &Rc<Session>, observers: &Observers) -> UseReducerHandle<AppState> {
    let (session, observers) = (session.clone(), observers.clone());
    use_reducer(move || {
        let (annotations, tombstones) = session.take_initial();
        let mut s = State::new(session.article.clone(), vec![]);
        s.reduce(Action::Restore {
            article: session.article.clone(),
            annotations,
            tombstones,
        });
        AppState::new(s, observers)
    })
}

/// The layout's breakpoint: the panel moves under the article, and the
/// current annotation opens in a sheet (styles/main.css says the same).
const NARROW: &str = "(max-width: 820px)";

/// The workspace's own actions, made once (stable props for the top bar,
/// the library and the overlays).
struct Callbacks {
    undo: Callback<()>,
    redo: Callback<()>,
    delete_all: Callback<()>,
    deselect: Callback<()>,
    help: Callback<()>,
    paste: Callback<()>,
    details: Callback<()>,
    close_dialog: Callback<()>,
    close_choice: Callback<()>,
    search: Callback<()>,
}

#[hook]
fn use_callbacks(ctx: &Ctx, choice: &UseStateHandle<Option<Choice>>) -> Rc<Callbacks> {
    let (ctx, set_choice) = (ctx.clone(), choice.setter());
    use_memo((), move |_| {
        let act = |action: fn() -> Action| {
            let d = ctx.dispatch.clone();
            Callback::from(move |_: ()| d.dispatch(action()))
        };
        let dialog = |d: Option<Dialog>| ctx.dialog.reform(move |_: ()| d.clone());
        Callbacks {
            undo: act(|| Action::Undo { now: web::now() }),
            redo: act(|| Action::Redo { now: web::now() }),
            delete_all: act(|| Action::DeleteAll { now: web::now() }),
            deselect: act(|| Action::Select(None)),
            help: dialog(Some(Dialog::Help)),
            paste: dialog(Some(Dialog::Paste)),
            details: dialog(Some(Dialog::Details)),
            close_dialog: dialog(None),
            search: dialog(Some(Dialog::Search)),
            close_choice: Callback::from(move |_: ()| set_choice.set(None)),
        }
    })
}

#[function_component(Workspace)]
fn workspace(p: &WorkspaceProps) -> Html {
    let session = p.session.0.clone();
    // Saving first, then the team's queue (registered by its hook).
    let observers = (*use_memo((), |_| Observers::default())).clone();
    let (saver, save_error) = persistence::use_autosave(session.clone(), &observers);
    let state = use_app_state(&session, &observers);
    persistence::use_other_tabs(state.clone(), saver);
    let say = use_messenger();
    let dialog = use_state(|| None::<Dialog>);
    let ctx = {
        let (session, dispatch, say, set) = (
            session.clone(),
            state.dispatcher(),
            say.clone(),
            dialog.setter(),
        );
        (*use_memo((), move |_| Ctx {
            session,
            dispatch,
            say,
            dialog: Callback::from(move |d| set.set(d)),
        }))
        .clone()
    };
    use_announcer(&state, &say);
    persistence::use_recovered(&session, &say);
    let team = super::hooks::team::use_team(&ctx, &state, &observers);
    let index = super::hooks::library_index::use_library_index(&ctx, &observers);

    let article = state.article();
    persistence::use_paint_record(&session, &article);
    let list = ann_list(&state);
    let article_ref = use_node_ref();
    let hl = use_highlighter(&state, &list, &article_ref, p.force_spans);
    let sel = use_selection(&ctx, &article, &article_ref);
    let choice = use_state(|| None::<Choice>);
    let actions = use_item_actions(&ctx, &hl, &sel, &choice);
    let on_article_click = use_article_click(&state, &hl, &choice);
    let opener = use_opener(&ctx, &article);
    let importer = use_importer(&ctx);
    let nav = super::hooks::navigate::use_navigator(&ctx, &state, &opener, &hl);

    let cb = use_callbacks(&ctx, &choice);
    let print = super::print::use_print(&ctx);
    let narrow = use_media(NARROW);
    use_shortcuts(Shortcuts {
        tag: sel.tag.clone(),
        undo: cb.undo.clone(),
        redo: cb.redo.clone(),
        help: cb.help.clone(),
        escape: if choice.is_some() {
            cb.close_choice.clone()
        } else {
            sel.clear.clone()
        },
        print: print.clone(),
        selecting: sel.pending.is_some(),
        blocked: dialog.is_some(),
        close_dialog: cb.close_dialog.clone(),
        search: cb.search.clone(),
        link: {
            let (link_from, state, say) = (nav.link_from.clone(), state.clone(), say.clone());
            Callback::from(move |_: ()| {
                let current = state.get().selected.clone();
                match current {
                    Some(id) => link_from.emit(id),
                    None => say.status("Choose an annotation first, then press L to link it"),
                }
            })
        },
    });
    // Any file dropped on the page: annotations (.json, .jsonld) are
    // imported; anything else is opened as an article.
    let on_drop = {
        let (import, open) = (importer.file.clone(), opener.file.clone());
        Callback::from(move |e: DragEvent| {
            if let Some(file) = files::first_file(e.data_transfer().and_then(|d| d.files())) {
                e.prevent_default();
                let name = file.name().to_ascii_lowercase();
                match name.ends_with(".json") || name.ends_with(".jsonld") {
                    true => import.emit(file),
                    false => open.emit(file),
                }
            }
        })
    };
    let (export_state, export_say) = (state.clone(), ctx.say.clone());
    let s = state.get();
    let selected = s.selected.as_ref().and_then(|id| s.get(id)).cloned();
    let spans = hl.spans;
    html! {
        <ContextProvider<Ctx> context={ctx.clone()}>
        <ContextProvider<super::hooks::team::Team> context={team}>
        <ContextProvider<super::hooks::library_index::LibraryIndex> context={index}>
        <ContextProvider<super::links::Navigator> context={nav}>
        // The article, for what items show of it (its links, on a fact).
        <ContextProvider<ArticleRef> context={ArticleRef(article.clone())}>
        <div class="app" ondragover={Callback::from(files::allow_file_drop)} ondrop={on_drop}>
            <TopBar can_undo={s.can_undo()} can_redo={s.can_redo()} on_undo={cb.undo.clone()} on_redo={cb.redo.clone()}
                    on_help={cb.help.clone()} on_paste={cb.paste.clone()} on_details={cb.details.clone()}
                    on_open_file={opener.file.clone()} on_import_file={importer.file.clone()}
                    article={ArticleRef(article.clone())} annotations={list.clone()}
                    on_print={print.clone()} />
            <Banners />
            <super::team_status::TeamNotices />
            <persistence::Notices session={p.session.clone()} save_error={save_error}
                                  on_export={Callback::from(move |_| persistence::export_json(&export_state, &export_say))} />
            <main class="layout">
                // In the main landmark, as everything on the page but the
                // header is: the article's description.
                <p id="article-help" class="visually-hidden">
                    { "Select text to annotate. With the keyboard: arrow keys select a word, Shift+arrows extend, then F, Q or A." }
                </p>
                <ArticleView article={ArticleRef(article.clone())} segments={hl.segments.clone()}
                             selected={s.selected.clone().filter(|_| spans)}
                             hovered={hl.hovered.clone().filter(|_| spans)}
                             selected_span={selected.as_ref().map(|a| a.span).filter(|_| spans)}
                             hovered_span={hl.hovered.as_ref().and_then(|id| s.get(id)).map(|a| a.span).filter(|_| spans)}
                             node_ref={article_ref.clone()} onkeydown={sel.on_article_key.clone()}
                             onclick={on_article_click} onmouseover={hl.on_article_hover.clone()} {spans} />
                <div class="side">
                    <Panel annotations={list.clone()} selected={s.selected.clone()}
                           hovered={hl.hovered.clone()} actions={actions.clone()} />
                    <div class="search-all">
                        <button type="button" class="search-all-button" onclick={cb.search.reform(|_: MouseEvent| ())}
                                aria-haspopup="dialog" aria-keyshortcuts="/">{ "Search all articles" }</button>
                    </div>
                    <Library current={article.id.clone()} revision={s.revision}
                             on_open={opener.stored.clone()}
                             on_clear_current={cb.delete_all.clone()}>
                        <Backup state={state.clone()} />
                        <SetAside article={ArticleRef(article.clone())} />
                        <super::team_library::TeamArticles />
                    </Library>
                </div>
            </main>
            // Optional parts sit in fixed wrappers: a changing number of
            // siblings would make Yew move <main>, which drops focus and the
            // DOM selection.
            <div class="overlay">
                <SelectionToolbar pending={sel.pending} on_tag={sel.tag.clone()} />
            </div>
            <div class="overlay">
                if let Some(c) = (*choice).clone() {
                    <Chooser choice={c} on_select={actions.select.clone()} on_close={cb.close_choice.clone()} />
                }
            </div>
            <div class="overlay">
                // Phones only: beside the article, the panel does this job.
                if let Some(a) = selected.filter(|_| narrow) {
                    <CurrentSheet annotation={AnnRef(a)} actions={actions.clone()}
                                  on_close={cb.deselect.clone()} />
                }
            </div>
            <div class="overlay">
                <DialogSlot dialog={(*dialog).clone()} article={ArticleRef(article.clone())}
                            annotations={list.clone()} on_paste={opener.paste.clone()}
                            on_version={opener.version.clone()} on_import={importer.confirm.clone()} />
            </div>
            <LiveRegion />
            <UpdateNotice />
        </div>
        </ContextProvider<ArticleRef>>
        </ContextProvider<super::links::Navigator>>
        </ContextProvider<super::hooks::library_index::LibraryIndex>>
        </ContextProvider<super::hooks::team::Team>>
        </ContextProvider<Ctx>>
    }
}
