//! `/login`: e-mail and password.

use crate::api::{auth, session};
use crate::components::lazy::lazy_route;
use crate::components::session::{set_title, use_session};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_query_map};

lazy_route!(
    /// `/login`, in a group of its own: a signed-in user's first load does not carry it.
    LoginRoute, chunk = login, load = load_login, page = LoginPage
);

/// The sign-in form. On success the token is stored and the user goes to the page
/// that sent them here (`?next=`), or home; on failure the API's message is shown.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || session::after_sign_in(query.with_untracked(|q| q.get("next")).as_deref());
    if session::token().is_some() {
        return view! { <Redirect path=next() /> }.into_any();
    }
    set_title("Sign in");
    let session = use_session();
    let navigate = use_navigate();
    let email = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let pending = RwSignal::new(false);

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if pending.get_untracked() {
            return;
        }
        pending.set(true);
        error.set(None);
        let (email, password) = (email.get_untracked(), password.get_untracked());
        let navigate = navigate.clone();
        spawn_local(async move {
            match auth::login(email.trim(), &password).await {
                Ok(signed_in) => {
                    session.sign_in_notice.set(signed_in.notice);
                    session.me.set(Some(signed_in.me));
                    navigate(&next(), Default::default());
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    pending.set(false);
                }
            }
        });
    };

    view! {
        <main class="centered-page">
            // The API judges the input, so its message is the one shown.
            <form class="card narrow login-card" on:submit=on_submit novalidate>
                <p class="brand brand-large">"CRM"</p>
                <h1>"Sign in"</h1>
                {move || {
                    error
                        .get()
                        .map(|message| {
                            view! {
                                <p class="alert alert-error" role="alert" id="login-error">
                                    {message}
                                </p>
                            }
                        })
                }}
                <div class="field">
                    <label for="email">"E-mail"</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        bind:value=email
                    />
                </div>
                <div class="field">
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                        bind:value=password
                    />
                </div>
                <button
                    type="submit"
                    id="login-submit"
                    class="btn btn-primary btn-block"
                    disabled=move || pending.get()
                >
                    {move || if pending.get() { "Signing in…" } else { "Sign in" }}
                </button>
            </form>
        </main>
    }
    .into_any()
}
