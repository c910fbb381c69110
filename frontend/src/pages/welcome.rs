//! `/welcome?token=…`: the page a mailed link opens (an invitation, a password reset), where the
//! user chooses their password and is signed in.

use crate::api::auth;
use crate::components::field::TextField;
use crate::components::lazy::lazy_route;
use crate::components::session::{set_title, use_session};
use crate::components::status::{Status, StatusMessages};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};

lazy_route!(
    /// `/welcome`, in a group of its own: only a mailed link opens it.
    WelcomeRoute, chunk = welcome, load = load_welcome, page = WelcomePage
);

/// Choose a password (twice, so a typo does not lock the user out), then go home signed in.
#[component]
pub fn WelcomePage() -> impl IntoView {
    set_title("Choose your password");
    let query = use_query_map();
    let token = query.with_untracked(|q| q.get("token")).unwrap_or_default();
    let session = use_session();
    let navigate = use_navigate();
    let password = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let status = Status::new(None);
    let errors = status.fields;
    let token = StoredValue::new(token);
    let submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let (p, r) = (password.get_untracked(), repeat.get_untracked());
        if p != r {
            status.busy.set(false);
            errors.update(|e| e.push("repeat", "is not the same password"));
            return;
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match auth::set_password_with_link(&token.get_value(), &p).await {
                Ok(me) => {
                    session.me.set(Some(me));
                    navigate("/home", Default::default());
                }
                Err(e) => status.fail(e, &["password"]),
            }
        });
    };
    let missing = token.with_value(String::is_empty);
    view! {
        <main class="centered-page">
            <form class="card narrow login-card" id="welcome-form" on:submit=submit novalidate>
                <p class="brand brand-large">"CRM"</p>
                <h1>"Choose your password"</h1>
                {missing.then(|| view! {
                    <p class="alert alert-error" role="alert">"This address has no link token: open the link from your e-mail."</p>
                })}
                <StatusMessages status />
                <TextField name="password" label="New password" value=password errors required=true input_type="password" autocomplete="new-password" hint=Some("At least 8 characters.") />
                <TextField name="repeat" label="The same password again" value=repeat errors required=true input_type="password" autocomplete="new-password" />
                <button type="submit" id="welcome-submit" class="btn btn-primary btn-block" disabled=move || status.busy.get() || missing>
                    {move || if status.busy.get() { "Saving…" } else { "Save and sign in" }}
                </button>
                <p><a href="/login">"Sign in with your password instead"</a></p>
            </form>
        </main>
    }
}
