//! The signed-in frame around every page: header, navigation, user and sign-out.

use crate::api::{auth, session, ApiError};
use crate::components::party_search::PartySearch;
use crate::components::session::use_session;
use crate::pages::activities::tasks::{Agenda, OverdueBadge, Reminders};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::{Outlet, Redirect, A};
use leptos_router::hooks::use_navigate;

/// Parent route of every signed-in page. Sends visitors without a token to
/// `/login`, loads `me` when it is not known yet, and renders the child page
/// only once it is (pages rely on it for permissions).
#[component]
pub fn Shell() -> impl IntoView {
    if session::token().is_none() {
        return view! { <Redirect path="/login" /> }.into_any();
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

    // Navigation entries show only with their grant.
    let granted = move |object: &str, action: &str| {
        session
            .me
            .with(|me| me.as_ref().is_some_and(|me| me.can(object, action)))
    };

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

    view! {
        <header class="topbar">
            <div class="topbar-inner">
                <a class="brand" href="/home">
                    "CRM"
                </a>
                <nav class="main-nav" aria-label="Main">
                    <A href="/home">"Home"</A>
                    <A href="/contacts">"Contacts"</A>
                    <A href="/accounts">"Accounts"</A>
                    <A href="/customers">"Customers"</A>
                    {move || granted("lead", "read").then(|| view! { <A href="/leads">"Leads"</A> })}
                    {move || granted("contact_list", "read").then(|| view! { <A href="/lists">"Lists"</A> })}
                    <A href="/pipeline">"Pipeline"</A>
                    <A href="/calendar">"Calendar"</A>
                    <A href="/tasks">"Tasks" <OverdueBadge agenda /></A>
                    {move || granted("quote", "read").then(|| view! { <A href="/quotes">"Quotes"</A> })}
                    {move || granted("order", "read").then(|| view! { <A href="/orders">"Orders"</A> })}
                    {move || granted("invoice", "read").then(|| view! { <A href="/invoices">"Invoices"</A> })}
                    {move || granted("forecast", "read").then(|| view! { <A href="/forecast">"Forecast"</A> })}
                    {move || granted("opportunity", "read").then(|| view! { <A href="/reports">"Reports"</A> })}
                    {move || granted("web_form", "read").then(|| view! { <A href="/web-forms">"Web forms"</A> })}
                    {move || granted("lead_mapping", "read").then(|| view! { <A href="/settings/lead-mapping">"Lead mapping"</A> })}
                    {move || granted("assignment_rule", "read").then(|| view! { <A href="/settings/assignment-rules">"Assignment rules"</A> })}
                    {move || granted("party", "approve_deletion").then(|| view! { <A href="/deletion-requests">"Deletion requests"</A> })}
                    {move || {
                        session
                            .me
                            .with(|me| me.as_ref().is_some_and(|me| me.role.key == "admin"))
                            .then(|| view! { <A href="/audit">"Audit"</A> })
                    }}
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
                                                <span class="user-name" id="current-user">
                                                    {me.user.display_name.clone()}
                                                </span>
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
        <main id="main" class="page">
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
                <Outlet />
            </Show>
        </main>
    }
    .into_any()
}
