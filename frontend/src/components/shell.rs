//! The signed-in frame around every page: header, navigation, user and sign-out.

use crate::api::auth::Me;
use crate::api::{auth, session, ApiError};
use crate::components::lazy::page_or_error;
use crate::components::nav::{self, NotAllowed, NAV};
use crate::components::palette::{CommandPalette, PaletteOpen};
use crate::components::party_search::PartySearch;
use crate::components::session::use_session;
use crate::pages::activities::tasks::{Agenda, OverdueBadge, Reminders};
use leptos::ev::{KeyboardEvent, MouseEvent};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos::wasm_bindgen::JsCast;
use leptos::wasm_split::SplitLoaderError;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::{use_location, use_navigate};

/// Parent route of every signed-in page. Sends visitors without a token to
/// `/login`, loads `me` when it is not known yet, and renders the child page
/// only once it is (pages rely on it for permissions).
#[component]
pub fn Shell() -> impl IntoView {
    if session::token().is_none() {
        let location = window().location();
        let here = format!(
            "{}{}",
            location.pathname().unwrap_or_default(),
            location.search().unwrap_or_default()
        );
        return view! { <Redirect path=session::login_address(&here) /> }.into_any();
    }
    let session = use_session();
    let load_error = RwSignal::new(None::<String>);
    let load_me = move || {
        load_error.set(None);
        spawn_local(async move {
            match auth::me().await {
                Ok(me) => session.me.set(Some(me)),
                // The client is already on its way to the sign-in page.
                Err(ApiError::Unauthenticated) => {}
                Err(e) => load_error.set(Some(e.to_string())),
            }
        });
    };
    if session.me.with_untracked(Option::is_none) {
        load_me();
    }
    let ready = Memo::new(move |_| session.me.with(Option::is_some));
    let agenda = Agenda::new();
    provide_context(agenda);

    let navigate = use_navigate();
    let signing_out = RwSignal::new(false);
    let sign_out = move |_| {
        signing_out.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            auth::logout().await;
            session.me.set(None);
            session.sign_in_notice.set(None);
            navigate("/login", Default::default());
        });
    };

    // The page asked for, shown only when the caller's grants open it (checked before the page
    // loads its code or any data).
    let location = use_location();
    let refused = Memo::new(move |_| {
        let need = nav::need_of(&location.pathname.get());
        session
            .me
            .with(|me| me.as_ref().is_some_and(|me| !need.met_by(me)))
    });
    let drawer_open = RwSignal::new(false);
    let palette_open = RwSignal::new(false);
    provide_context(PaletteOpen(palette_open));
    shortcuts(drawer_open, palette_open);
    guard_unsaved(session.unsaved);

    view! {
        <a class="skip-link" href="#main" on:click=skip_to_main>
            "Skip to content"
        </a>
        <header class="topbar" class:nav-open=move || drawer_open.get()>
            <div class="topbar-inner">
                <a class="brand" href="/home">
                    "CRM"
                </a>
                <button
                    type="button"
                    class="btn btn-ghost nav-toggle"
                    id="nav-toggle"
                    aria-controls="main-nav"
                    aria-expanded=move || drawer_open.get().to_string()
                    on:click=move |_| drawer_open.update(|open| *open = !*open)
                >
                    "Menu"
                </button>
                <nav
                    class="main-nav"
                    id="main-nav"
                    aria-label="Main"
                    on:click=move |ev| {
                        if clicked_link(&ev) {
                            close_menus();
                            drawer_open.set(false);
                        }
                    }
                >
                    {move || session.me.with(|me| me.as_ref().map(|me| nav_groups(me, agenda)))}
                </nav>
                <PartySearch
                    input_id="global-search"
                    label="Search people and organisations"
                    class="global-search"
                />
                <div class="user-menu">
                    {move || {
                        session
                            .me
                            .with(|me| {
                                me.as_ref()
                                    .map(|me| {
                                        view! {
                                            <span class="user-ident">
                                                <a
                                                    class="user-name"
                                                    id="current-user"
                                                    href="/account"
                                                    title="Your account: password and sessions"
                                                >
                                                    {me.user.display_name.clone()}
                                                </a>
                                                <span class="user-role" id="current-role">
                                                    {me.role.name.clone()}
                                                </span>
                                            </span>
                                        }
                                    })
                            })
                    }}
                    <button
                        type="button"
                        id="sign-out"
                        class="btn btn-ghost"
                        on:click=sign_out
                        disabled=move || signing_out.get()
                    >
                        "Sign out"
                    </button>
                </div>
            </div>
        </header>
        {move || {
            palette_open
                .get()
                .then(|| {
                    // Shown once its code is there (at once after the first time).
                    Suspend::new(async { page_or_error(load_palette().await) })
                })
        }}
        <main id="main" class="page" tabindex="-1">
            <Reminders agenda />
            {move || {
                session
                    .sign_in_notice
                    .get()
                    .map(|text| {
                        view! {
                            <div class="alert alert-warning" role="alert" id="sign-in-notice">
                                <p>{text}</p>
                                <button
                                    type="button"
                                    class="btn"
                                    id="sign-in-notice-dismiss"
                                    on:click=move |_| session.sign_in_notice.set(None)
                                >
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
            <Show
                when=move || ready.get()
                fallback=move || {
                    view! {
                        {move || match load_error.get() {
                            Some(message) => {
                                view! {
                                    <div class="alert alert-error" role="alert">
                                        <p>{message}</p>
                                        <button
                                            type="button"
                                            class="btn"
                                            on:click=move |_| load_me()
                                        >
                                            "Try again"
                                        </button>
                                    </div>
                                }
                                    .into_any()
                            }
                            None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                        }}
                    }
                }
            >
                <Show when=move || !refused.get() fallback=NotAllowed>
                    <Outlet />
                </Show>
            </Show>
        </main>
    }
    .into_any()
}

/// The navigation for `me`: the daily pages on their own, then each group that has a page `me`
/// may open, as a menu that opens on click (one at a time).
fn nav_groups(me: &Me, agenda: Agenda) -> impl IntoView {
    NAV.iter()
        .filter_map(|group| {
            let pages = nav::visible(group, me);
            if pages.is_empty() {
                return None;
            }
            let links = pages
                .into_iter()
                .map(|page| {
                    let badge = (page.href == "/tasks").then(|| view! { <OverdueBadge agenda /> });
                    view! { <A href=page.href>{page.label} {badge}</A> }
                })
                .collect_view();
            Some(match group.label {
                None => view! { <div class="nav-daily">{links}</div> }.into_any(),
                Some(label) => view! {
                    <details class="nav-group" id=format!("nav-{}", group.id)>
                        <summary on:click=move |_| close_menus_but(group.id)>{label}</summary>
                        <div class="nav-menu">{links}</div>
                    </details>
                }
                .into_any(),
            })
        })
        .collect_view()
}

/// Did this click land on a link?
fn clicked_link(ev: &MouseEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|el| el.closest("a").ok().flatten())
        .is_some()
}

/// Closes every open menu of the navigation.
fn close_menus() {
    close_menus_but("");
}

/// One menu open at a time: a click on a group's name closes the other groups.
fn close_menus_but(group: &str) {
    let keep = format!("nav-{group}");
    if let Ok(open) = document().query_selector_all(".nav-group[open]") {
        for i in 0..open.length() {
            if let Some(el) = open
                .item(i)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                if el.id() != keep {
                    let _ = el.remove_attribute("open");
                }
            }
        }
    }
}

/// The skip link moves the focus to the page itself (the router would only change the address).
fn skip_to_main(ev: MouseEvent) {
    ev.prevent_default();
    if let Some(main) = document()
        .get_element_by_id("main")
        .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = main.focus();
    }
}

/// Is the focus in a place that takes typing?
fn typing(ev: &KeyboardEvent) -> bool {
    ev.target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.has_attribute("contenteditable")
        })
}

/// App-wide keys: Ctrl+K (⌘K) opens the command palette, `/` searches, Esc closes the open
/// menus and the phone's drawer; a click outside the navigation closes its menus.
fn shortcuts(drawer_open: RwSignal<bool>, palette_open: RwSignal<bool>) {
    let keys = window_event_listener(leptos::ev::keydown, move |ev: KeyboardEvent| {
        if (ev.ctrl_key() || ev.meta_key()) && ev.key().eq_ignore_ascii_case("k") {
            ev.prevent_default();
            close_menus();
            drawer_open.set(false);
            palette_open.update(|open| *open = !*open);
            return;
        }
        if ev.default_prevented() || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        match ev.key().as_str() {
            "/" if !typing(&ev) => {
                if let Some(search) = document()
                    .get_element_by_id("global-search")
                    .and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    ev.prevent_default();
                    let _ = search.focus();
                }
            }
            "Escape" => {
                close_menus();
                drawer_open.set(false);
            }
            _ => {}
        }
    });
    let clicks = window_event_listener(leptos::ev::click, move |ev: MouseEvent| {
        let inside_nav = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest(".main-nav").ok().flatten())
            .is_some();
        if !inside_nav {
            close_menus();
        }
    });
    on_cleanup(move || {
        keys.remove();
        clicks.remove();
    });
}

/// The command palette, its code fetched the first time it opens.
#[leptos::wasm_split::wasm_split(palette, wasm_split_path = ::leptos::wasm_split, fallible)]
fn load_palette() -> Result<AnyView, SplitLoaderError> {
    Ok(view! { <CommandPalette /> }.into_any())
}

/// What leaving a page with unsaved edits asks.
const LEAVE: &str = "Leave this page? Your changes are not saved.";

/// While `unsaved`, a click on a link asks before leaving (and stays when the answer is no), and
/// so does closing or reloading the tab.
fn guard_unsaved(unsaved: RwSignal<bool>) {
    use std::sync::atomic::{AtomicBool, Ordering};
    use wasm_bindgen::closure::Closure;
    // On the document, so it runs before the router's own listener on the window; once for the
    // life of the app (the shell mounts again after signing out and in; the signal is the app's).
    static INSTALLED: AtomicBool = AtomicBool::new(false);
    if INSTALLED.swap(true, Ordering::Relaxed) {
        return;
    }
    let on_click = Closure::<dyn Fn(MouseEvent)>::new(move |ev: MouseEvent| {
        if !unsaved.try_get_untracked().unwrap_or(false) || ev.default_prevented() {
            return;
        }
        let on_link = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.closest("a[href]").ok().flatten())
            .is_some();
        if !on_link {
            return;
        }
        if window().confirm_with_message(LEAVE).unwrap_or(true) {
            unsaved.set(false);
        } else {
            ev.prevent_default();
            ev.stop_propagation();
        }
    });
    let _ = document().add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    on_click.forget();
    let on_unload = Closure::<dyn Fn(web_sys::BeforeUnloadEvent)>::new(
        move |ev: web_sys::BeforeUnloadEvent| {
            if unsaved.try_get_untracked().unwrap_or(false) {
                ev.prevent_default();
                ev.set_return_value(LEAVE);
            }
        },
    );
    let _ = window()
        .add_event_listener_with_callback("beforeunload", on_unload.as_ref().unchecked_ref());
    on_unload.forget();
}
