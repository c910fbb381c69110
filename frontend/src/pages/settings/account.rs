//! `/account`: the signed-in user's own password and sessions (every user has it).

use crate::api::admin::{self, OwnSession};
use crate::components::field::TextField;
use crate::components::load::reload;
use crate::components::session::{set_title, use_session};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn session_row(s: &OwnSession) -> Row {
    Row {
        href: None,
        class: "session-row",
        id: s.id.clone(),
        cells: vec![
            Cell::DateTime(s.created_at.clone()),
            Cell::DateTime(s.expires_at.clone()),
            if s.current {
                Cell::Badge("current", "This browser")
            } else {
                Cell::Actions(vec![("Sign out", "revoke-session", s.id.clone())])
            },
        ],
    }
}

/// `/account`.
#[component]
pub fn AccountPage() -> impl IntoView {
    set_title("Your account");
    let session = use_session();
    let who = session.me.with_untracked(|m| {
        m.as_ref()
            .map(|m| {
                (
                    m.user.display_name.clone(),
                    m.user.email.clone(),
                    m.role.name.clone(),
                )
            })
            .unwrap_or_default()
    });
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let repeat = RwSignal::new(String::new());
    let status = Status::new(None);
    let errors = status.fields;
    let generation = RwSignal::new(0_u32);
    let sessions = reload(move || {
        generation.track();
        admin::sessions()
    });
    let rows = Signal::derive(move || {
        sessions.with(|s| {
            s.as_ref()
                .and_then(|s| s.as_ref().ok())
                .map(|list| list.iter().map(session_row).collect())
        })
    });
    let list_status = Status::new(None);
    let revoke = Callback::new(move |id: String| {
        if !list_status.start() {
            return;
        }
        spawn_local(async move {
            match admin::revoke_session(&id).await {
                Ok(()) => {
                    list_status.succeed("That session is signed out.");
                    generation.update(|g| *g += 1);
                }
                Err(e) => list_status.fail(e, &[]),
            }
        });
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let (c, n, r) = (
            current.get_untracked(),
            new.get_untracked(),
            repeat.get_untracked(),
        );
        if n != r {
            status.busy.set(false);
            errors.update(|e| e.push("repeat", "is not the same password"));
            return;
        }
        spawn_local(async move {
            match admin::change_password(&c, &n).await {
                Ok(()) => {
                    current.set(String::new());
                    new.set(String::new());
                    repeat.set(String::new());
                    status.succeed("Your password is changed; your other sessions are signed out.");
                    generation.update(|g| *g += 1);
                }
                Err(e) => status.fail(e, &["currentPassword", "newPassword"]),
            }
        });
    };
    view! {
        <div class="page-header">
            <h1>"Your account"</h1>
        </div>
        <p id="account-ident">{who.0} " · " {who.1} " · " {who.2}</p>
        <form class="card record-form narrow" id="password-form" on:submit=submit novalidate>
            <h2>"Change your password"</h2>
            <StatusMessages status />
            <Notice status />
            <TextField name="currentPassword" label="Current password" value=current errors required=true input_type="password" autocomplete="current-password" />
            <TextField name="newPassword" label="New password" value=new errors required=true input_type="password" autocomplete="new-password" hint=Some("At least 8 characters.") />
            <TextField name="repeat" label="The new password again" value=repeat errors required=true input_type="password" autocomplete="new-password" />
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="change-password" disabled=move || status.busy.get()>"Change password"</button>
            </div>
        </form>
        <h2>"Where you are signed in"</h2>
        <StatusMessages status=list_status />
        <Notice status=list_status />
        {move || sessions.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("sessions-table", &["Signed in", "Expires", ""], rows, "No sessions.", Some(revoke))}
    }
}
