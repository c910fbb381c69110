//! `/settings/users`: everyone who signs in, with their role and state; invite a colleague (a
//! link by mail), change a name or role, deactivate or reactivate, send a password reset.

use crate::api::admin::{self, AdminUser, UserWrite};
use crate::api::auth::Role;
use crate::components::dialog;
use crate::components::field::TextField;
use crate::components::load::{load_once, reload};
use crate::components::select_field::SelectField;
use crate::components::session::{can, set_title, use_session};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

/// What the caller may do to users.
#[derive(Clone, Copy)]
struct Grants {
    create: bool,
    update: bool,
    archive: bool,
}

fn user_row(u: &AdminUser, me: &str, may: Grants) -> Row {
    let (status, label) = u.status();
    let mut actions = Vec::new();
    if may.update {
        actions.push(("Edit", "edit-user", format!("edit:{}", u.id)));
    }
    if may.update && u.active {
        actions.push((
            "Send password reset",
            "reset-user",
            format!("reset:{}", u.id),
        ));
    }
    if may.archive && u.active && u.id != me {
        actions.push((
            "Deactivate",
            "deactivate-user",
            format!("deactivate:{}", u.id),
        ));
    }
    if may.archive && !u.active {
        actions.push((
            "Reactivate",
            "reactivate-user",
            format!("reactivate:{}", u.id),
        ));
    }
    Row {
        href: None,
        class: "user-row",
        id: u.id.clone(),
        cells: vec![
            Cell::text(u.display_name.clone()),
            Cell::text(u.email.clone()),
            Cell::text(u.role.name.clone()),
            Cell::Badge(status, label),
            match &u.last_login_at {
                Some(at) => Cell::DateTime(at.clone()),
                None => Cell::text(""),
            },
            Cell::Actions(actions),
        ],
    }
}

/// `/settings/users`.
#[component]
pub fn UsersPage() -> impl IntoView {
    set_title("Users");
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        admin::users()
    });
    let may = Grants {
        create: can("user", "create"),
        update: can("user", "update"),
        archive: can("user", "archive"),
    };
    let me = use_session()
        .me
        .with_untracked(|m| m.as_ref().map(|m| m.user.id.clone()).unwrap_or_default());
    let me = StoredValue::new(me);
    let users = Memo::new(move |_| all.get().and_then(Result::ok));
    let rows = Signal::derive(move || {
        users.with(|u| {
            u.as_ref()
                .map(|list| me.with_value(|me| list.iter().map(|u| user_row(u, me, may)).collect()))
        })
    });
    // The dialog open: `Some(None)` invites, `Some(Some(user))` edits.
    let editing = RwSignal::new(None::<Option<AdminUser>>);
    let page_status = Status::new(None);
    let roles = load_once(admin::roles());
    let act = Callback::new(move |value: String| {
        let Some((what, id)) = value.split_once(':') else {
            return;
        };
        let user = users.with_untracked(|u| u.iter().flatten().find(|u| u.id == id).cloned());
        let Some(user) = user else {
            return;
        };
        let (mutation, confirm, notice) = match what {
            "edit" => {
                editing.set(Some(Some(user)));
                return;
            }
            "reset" => (
                UserWrite::SendReset,
                None,
                format!("A link to choose a new password was sent to {}.", user.email),
            ),
            "deactivate" => (
                UserWrite::Deactivate,
                Some(format!(
                    "Deactivate {}? They are signed out at once and cannot sign in until reactivated.",
                    user.display_name
                )),
                format!("{} is deactivated.", user.display_name),
            ),
            "reactivate" => (
                UserWrite::Reactivate,
                None,
                format!("{} may sign in again.", user.display_name),
            ),
            _ => return,
        };
        if let Some(question) = confirm {
            if !window().confirm_with_message(&question).unwrap_or(false) {
                return;
            }
        }
        if !page_status.start() {
            return;
        }
        spawn_local(async move {
            match admin::write_user(mutation, json!({ "id": user.id })).await {
                Ok(_) => {
                    page_status.succeed(&notice);
                    generation.update(|g| *g += 1);
                }
                Err(e) => page_status.fail(e, &[]),
            }
        });
    });
    view! {
        <div class="page-header">
            <h1>"Users"</h1>
            {may.create.then(|| view! {
                <button type="button" class="btn btn-primary" id="invite-user" on:click=move |_| editing.set(Some(None))>"Invite user"</button>
            })}
        </div>
        <StatusMessages status=page_status />
        <Notice status=page_status />
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("users-table", &["Name", "E-mail", "Role", "State", "Last sign-in", ""], rows, "No users yet.", Some(act))}
        {move || editing.get().map(|user| view! {
            <UserDialog user roles on_done=Callback::new(move |notice: Option<String>| {
                editing.set(None);
                if let Some(n) = notice {
                    page_status.succeed(&n);
                    generation.update(|g| *g += 1);
                }
            }) />
        })}
    }
}

/// Invites a user (`user` `None`) or edits one's name and role.
#[component]
fn UserDialog(
    user: Option<AdminUser>,
    roles: ReadSignal<Option<Result<Vec<Role>, crate::api::ApiError>>>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let (close, keys) = dialog::modal("user-dialog", Callback::new(move |()| on_done.run(None)));
    let is_new = user.is_none();
    let email = RwSignal::new(user.as_ref().map(|u| u.email.clone()).unwrap_or_default());
    let name = RwSignal::new(
        user.as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default(),
    );
    let role = RwSignal::new(
        user.as_ref()
            .map(|u| u.role.key.clone())
            .unwrap_or_else(|| "sales_rep".to_owned()),
    );
    let user = StoredValue::new(user);
    let status = Status::new(None);
    let errors = status.fields;
    let role_options = Signal::derive(move || {
        roles
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.key, r.name))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let (email, name, role) = (
            email.get_untracked(),
            name.get_untracked(),
            role.get_untracked(),
        );
        let current = user.get_value();
        spawn_local(async move {
            let (mutation, input, notice) = match &current {
                None => (
                    UserWrite::Invite,
                    json!({ "email": email, "displayName": name, "roleKey": role }),
                    format!("An invitation was sent to {}.", email.trim()),
                ),
                Some(u) => (
                    UserWrite::Update,
                    json!({ "id": u.id, "version": u.version, "email": email, "displayName": name, "roleKey": role }),
                    format!("{} is saved.", name.trim()),
                ),
            };
            match admin::write_user(mutation, input).await {
                Ok(_) => on_done.run(Some(notice)),
                Err(e) => status.fail(e, &["email", "displayName", "roleKey"]),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="user-dialog" role="dialog" aria-modal="true" aria-labelledby="user-dialog-title" on:submit=submit on:keydown=keys novalidate>
                <h2 id="user-dialog-title">{if is_new { "Invite a user" } else { "Edit user" }}</h2>
                {is_new.then(|| view! { <p class="hint">"They get an e-mail with a link to choose their password (valid for 72 hours)."</p> })}
                <StatusMessages status />
                <TextField name="email" label="E-mail" value=email errors required=true input_type="email" />
                <TextField name="displayName" label="Name" value=name errors required=true />
                <SelectField name="roleKey" label="Role" options=role_options value=role errors />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="save-user" disabled=move || status.busy.get()>
                        {if is_new { "Send invitation" } else { "Save" }}
                    </button>
                    <button type="button" class="btn" on:click=move |_| close.run(())>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
