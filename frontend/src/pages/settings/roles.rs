//! `/settings/roles`: the roles and their permission matrix. Builtin roles are shown as they are
//! (fixed); a new role starts as a copy of another, and its object × action scopes and its field
//! grants are changed here and saved in one go. A preview shows what a role may do with a record
//! the admin opened lately, as a chosen user or as a newcomer who owns nothing.

use crate::api::roles::{
    self, action_label, field_label, object_label, CatalogueObject, Matrix, Preview, RoleDetail,
    RoleSummary, RoleWrite,
};
use crate::api::users;
use crate::components::dialog;
use crate::components::field::TextField;
use crate::components::load::{load_once, reload};
use crate::components::recent;
use crate::components::select_field::SelectField;
use crate::components::session::{can, set_title};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::page::lazy::lazy_part;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

/// The actions, in the matrix's column order.
const ACTIONS: [&str; 7] = [
    "read",
    "create",
    "update",
    "archive",
    "approve_deletion",
    "export",
    "erase",
];

/// `/settings/roles`.
#[component]
pub fn RolesPage() -> impl IntoView {
    set_title("Roles & permissions");
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        roles::roles()
    });
    let list = Memo::new(move |_| all.get().and_then(Result::ok).unwrap_or_default());
    let chosen = RwSignal::new(None::<String>);
    // The first role is shown until one is chosen.
    Effect::new(move |_| {
        if chosen.with_untracked(Option::is_none) {
            if let Some(first) = list.with(|l| l.first().map(|r| r.id.clone())) {
                chosen.set(Some(first));
            }
        }
    });
    let catalogue = load_once(roles::catalogue());
    let creating = RwSignal::new(false);
    let page_status = Status::new(None);
    let refresh = Callback::new(move |(notice, select): (String, Option<String>)| {
        if !notice.is_empty() {
            page_status.succeed(&notice);
        }
        // An empty id: the role shown is gone, show the first.
        if let Some(id) = select {
            chosen.set(if id.is_empty() {
                list.with_untracked(|l| l.first().map(|r| r.id.clone()))
            } else {
                Some(id)
            });
        }
        generation.update(|g| *g += 1);
    });
    let role_links = move || {
        list.get()
            .into_iter()
            .map(|r| {
                let id = r.id.clone();
                let current = {
                    let id = id.clone();
                    move || chosen.with(|c| c.as_deref() == Some(id.as_str()))
                };
                let users = match r.user_count {
                    1 => "1 user".to_owned(),
                    n => format!("{n} users"),
                };
                view! {
                    <li>
                        <button type="button" class="role-choice" data-key=r.key.clone()
                            aria-current=move || current().then_some("true")
                            on:click=move |_| chosen.set(Some(id.clone()))>
                            <span class="role-name">{r.name.clone()}</span>
                            {r.builtin.then(|| view! { <span class="badge" data-status="builtin">"Builtin"</span> })}
                            <small class="muted">{users}</small>
                        </button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <div class="page-header">
            <h1>"Roles & permissions"</h1>
            {can("role", "create").then(|| view! {
                <button type="button" class="btn btn-primary" id="new-role" on:click=move |_| creating.set(true)>"New role"</button>
            })}
        </div>
        <StatusMessages status=page_status />
        <Notice status=page_status />
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        <div class="roles-layout">
            <nav class="role-list" aria-label="Roles">
                <ul>{role_links}</ul>
            </nav>
            {move || {
                let id = chosen.get()?;
                let objects = catalogue.get().and_then(Result::ok)?;
                Some(view! { <RoleEditor id objects on_changed=refresh /> })
            }}
        </div>
        {move || creating.get().then(|| {
            new_role_dialog(DialogProps {
                roles: list.get_untracked(),
                from: chosen.get_untracked().unwrap_or_default(),
                on_done: Callback::new(move |made: Option<RoleDetail>| {
                    creating.set(false);
                    if let Some(r) = made {
                        refresh.run((
                            format!("{} is created: change its grants and save.", r.role.name),
                            Some(r.role.id),
                        ));
                    }
                }),
            })
        })}
    }
}

/// One role: its matrix (loaded afresh) and the preview.
#[component]
fn RoleEditor(
    id: String,
    objects: Vec<CatalogueObject>,
    /// A notice and the role to show next, after a save or a removal.
    on_changed: Callback<(String, Option<String>)>,
) -> impl IntoView {
    let detail = reload({
        let id = id.clone();
        move || {
            let id = id.clone();
            async move { roles::role(&id).await }
        }
    });
    view! {
        <section class="role-editor card" aria-labelledby="role-title">
            {move || match detail.get() {
                None => None,
                Some(Err(e)) => Some(load_error(&e)),
                Some(Ok(None)) => Some(view! { <p class="hint">"This role is gone."</p> }.into_any()),
                Some(Ok(Some(d))) => {
                    Some(role_matrix(MatrixProps { detail: d, objects: objects.clone(), on_changed }))
                }
            }}
            {role_preview(PreviewProps { role: id })}
        </section>
    }
}

/// What the matrix of one role needs.
pub struct MatrixProps {
    detail: RoleDetail,
    /// The objects, actions and fields a grant may name.
    objects: Vec<CatalogueObject>,
    /// A notice and the role to show next, after a save or a removal.
    on_changed: Callback<(String, Option<String>)>,
}

lazy_part!(
    /// The matrix of one role, fetched when the first role is shown.
    fn role_matrix(props: MatrixProps), chunk = role_matrix, load = load_role_matrix, view = matrix_form
);

/// The matrix of one role: editable for a custom role and a caller with the `role` update grant.
fn matrix_form(props: MatrixProps) -> AnyView {
    let MatrixProps {
        detail,
        objects,
        on_changed,
    } = props;
    let summary = detail.role.clone();
    let id = summary.id.clone();
    let matrix = RwSignal::new(Matrix::of(&detail));
    let name = RwSignal::new(summary.name.clone());
    let version = RwSignal::new(summary.version);
    let editable = !summary.builtin && can("role", "update");
    let removable = !summary.builtin && summary.user_count == 0 && can("role", "archive");
    let status = Status::new(None);
    let errors = status.fields;
    let save = {
        let id = id.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            if !status.start() {
                return;
            }
            let (grants, field_grants) = matrix.with_untracked(Matrix::input);
            let input = json!({
                "id": id,
                "version": version.get_untracked(),
                "name": name.get_untracked(),
                "grants": grants,
                "fieldGrants": field_grants,
            });
            spawn_local(async move {
                match roles::write_role(RoleWrite::Update, input).await {
                    Ok(saved) => {
                        version.set(saved.role.version);
                        matrix.set(Matrix::of(&saved));
                        // The page shows the notice (one `#form-notice` at a time).
                        status.succeed("");
                        on_changed.run((
                            format!(
                                "{} is saved: its users have the new permissions from their next step.",
                                saved.role.name
                            ),
                            None,
                        ));
                    }
                    Err(e) => status
                        .fail_renamed(e, &["roleName"], |f| (f == "name").then_some("roleName")),
                }
            });
        }
    };
    let remove = {
        let (id, role_name) = (id.clone(), summary.name.clone());
        move |_| {
            let question = format!("Remove the role {role_name}? Nobody holds it.");
            if !window().confirm_with_message(&question).unwrap_or(false) || !status.start() {
                return;
            }
            let (id, role_name) = (id.clone(), role_name.clone());
            spawn_local(async move {
                match roles::delete_role(&id).await {
                    Ok(()) => {
                        on_changed.run((format!("{role_name} is removed."), Some(String::new())))
                    }
                    Err(e) => status.fail(e, &[]),
                }
            });
        }
    };
    let header_cells = ACTIONS
        .iter()
        .map(|a| view! { <th scope="col">{action_label(a)}</th> })
        .collect_view();
    let object_rows = objects
        .iter()
        .filter(|o| !o.actions.is_empty())
        .map(|o| {
            let label = object_label(&o.object);
            let cells = ACTIONS
                .iter()
                .map(|action| {
                    if !o.actions.iter().any(|a| a == action) {
                        return view! { <td class="not-applicable"></td> }.into_any();
                    }
                    let (object, action) = (o.object.clone(), (*action).to_owned());
                    let aria = format!("{label}: {}", action_label(&action));
                    let current = {
                        let (object, action) = (object.clone(), action.clone());
                        move || matrix.with(|m| m.scope(&object, &action))
                    };
                    view! {
                        <td>
                            <select class="scope-choice" aria-label=aria data-object=object.clone() data-action=action.clone()
                                data-scope=current.clone() prop:value=current disabled=!editable
                                on:change=move |ev| {
                                    let scope = event_target_value(&ev);
                                    matrix.update(|m| m.set_scope(&object, &action, &scope));
                                }>
                                <option value="">"—"</option>
                                <option value="own">"Own"</option>
                                <option value="team">"Team"</option>
                                <option value="all">"All"</option>
                            </select>
                        </td>
                    }
                    .into_any()
                })
                .collect_view();
            view! {
                <tr><th scope="row">{label}</th>{cells}</tr>
            }
        })
        .collect_view();
    let field_rows = objects
        .iter()
        .flat_map(|o| o.fields.iter().map(move |f| (o.object.clone(), f.clone())))
        .map(|(object, field)| {
            let label = format!("{} · {}", object_label(&object), field_label(&field));
            let state = {
                let (object, field) = (object.clone(), field.clone());
                move || matrix.with(|m| m.field(&object, &field))
            };
            let toggle = move |write_box: bool| {
                let (object, field) = (object.clone(), field.clone());
                move |ev| {
                    let on = event_target_checked(&ev);
                    matrix.update(|m| {
                        let (r, w) = m.field(&object, &field);
                        if write_box {
                            m.set_field(&object, &field, r || on, on);
                        } else {
                            m.set_field(&object, &field, on, w && on);
                        }
                    });
                }
            };
            let (read_state, write_state) = (state.clone(), state);
            view! {
                <tr>
                    <th scope="row">{label.clone()}</th>
                    <td><input type="checkbox" class="field-read" aria-label=format!("{label}: read") disabled=!editable
                        prop:checked=move || read_state().0 on:change=toggle(false) /></td>
                    <td><input type="checkbox" class="field-write" aria-label=format!("{label}: write") disabled=!editable
                        prop:checked=move || write_state().1 on:change=toggle(true) /></td>
                </tr>
            }
        })
        .collect_view();
    view! {
            <form id="role-form" on:submit=save novalidate>
                <div class="role-editor-header">
                    <h2 id="role-title">{move || name.get()}</h2>
                    <code class="muted">{summary.key.clone()}</code>
                </div>
                <StatusMessages status />
                {if editable {
                    view! { <TextField name="roleName" label="Name" value=name errors required=true /> }.into_any()
                } else if summary.builtin {
                    view! { <p class="hint" id="builtin-hint">"A builtin role is fixed. To change what its people may do, make a new role from it and give them that."</p> }.into_any()
                } else {
                    ().into_any()
                }}
                <h3>"Records"</h3>
                <p class="hint">"Own: records the person owns. Team: records of their teams (and the teams they manage). All: every record. —: none."</p>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Record grants">
                    <table class="permission-matrix" id="permission-matrix">
                        <thead><tr><th scope="col">"Object"</th>{header_cells}</tr></thead>
                        <tbody>{object_rows}</tbody>
                    </table>
                </div>
                <h3>"Sensitive fields"</h3>
                <div class="table-wrap" tabindex="0" role="region" aria-label="Field grants">
                    <table class="permission-matrix" id="field-grants">
                        <thead><tr><th scope="col">"Field"</th><th scope="col">"Read"</th><th scope="col">"Write"</th></tr></thead>
                        <tbody>{field_rows}</tbody>
                    </table>
                </div>
                <div class="form-actions">
                    {editable.then(|| view! {
                        <button type="submit" class="btn btn-primary" id="save-role" disabled=move || status.busy.get()>"Save permissions"</button>
                    })}
                    {removable.then(|| view! {
                        <button type="button" class="btn btn-danger" id="remove-role" on:click=remove>"Remove role"</button>
                    })}
                </div>
            </form>
    }
    .into_any()
}

/// The record id of a page address (`/accounts/<id>` → `<id>`).
fn record_of(href: &str) -> String {
    href.trim_end_matches('/')
        .rsplit('/')
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// What the preview needs: the role previewed.
pub struct PreviewProps {
    role: String,
}

lazy_part!(
    /// The preview under a role's matrix, fetched when first shown.
    fn role_preview(props: PreviewProps), chunk = role_preview, load = load_role_preview, view = preview_panel
);

/// "What can this role see of this record": a record opened lately, as a user or a newcomer.
fn preview_panel(props: PreviewProps) -> AnyView {
    let role = props.role;
    let records: Vec<(String, String)> = recent::list()
        .into_iter()
        .map(|r| (record_of(&r.href), format!("{}: {}", r.kind, r.label)))
        .collect();
    let none_yet = records.is_empty();
    let record = RwSignal::new(records.first().map(|r| r.0.clone()).unwrap_or_default());
    let as_user = RwSignal::new(String::new());
    let people = load_once(users::assignable());
    let user_options = Signal::derive(move || {
        people
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let answer = RwSignal::new(None::<Preview>);
    let status = Status::new(None);
    let errors = status.fields;
    let run = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if record.get_untracked().is_empty() || !status.start() {
            return;
        }
        let (role, record, user) = (
            role.clone(),
            record.get_untracked(),
            as_user.get_untracked(),
        );
        spawn_local(async move {
            let user = (!user.is_empty()).then_some(user);
            match roles::preview(&role, &record, user.as_deref()).await {
                Ok(p) => {
                    answer.set(Some(p));
                    status.succeed("");
                }
                Err(e) => {
                    answer.set(None);
                    status.fail(e, &["recordId", "asUserId"]);
                }
            }
        });
    };
    let result = move || {
        answer.get().map(|p| {
            let actions = p
                .actions
                .iter()
                .map(|(action, scope)| {
                    let reach = match scope.as_deref() {
                        Some("all") => "every record",
                        Some("team") => "their teams' records",
                        Some("own") => "their own records",
                        _ => "no",
                    };
                    view! { <li data-action=action.clone()>{format!("{}: {reach}", action_label(action))}</li> }
                })
                .collect_view();
            let fields = p
                .fields
                .iter()
                .map(|f| {
                    let what = match (f.read, f.write) {
                        (true, true) => "read and change",
                        (true, false) => "read only",
                        _ => "hidden",
                    };
                    view! { <li data-field=f.field.clone()>{format!("{}: {what}", field_label(&f.field))}</li> }
                })
                .collect_view();
            view! {
                <div class="preview-result" id="preview-result" data-visible=p.visible.to_string()>
                    <p><strong>{if p.visible { "Sees this record." } else { "Does not see this record." }}</strong></p>
                    <ul class="preview-actions">{actions}</ul>
                    {(!p.fields.is_empty()).then(|| view! { <ul class="preview-fields">{fields}</ul> })}
                </div>
            }
        })
    };
    view! {
        <form class="role-preview" id="role-preview" on:submit=run novalidate>
            <h3>"Preview"</h3>
            {if none_yet {
                view! { <p class="hint">"Open a record (a person, an account, a deal, a lead, a quote) and it is offered here."</p> }.into_any()
            } else {
                view! {
                    <SelectField name="recordId" label="Record (opened lately)" options=Signal::stored(records) value=record errors />
                    <SelectField name="asUserId" label="As" options=user_options value=as_user errors empty="A new user of this role (owns nothing, in no team)" />
                    <button type="submit" class="btn" id="run-preview" disabled=move || status.busy.get()>"Preview"</button>
                }.into_any()
            }}
            <StatusMessages status />
            {result}
        </form>
    }
    .into_any()
}

/// What the new-role dialog needs.
pub struct DialogProps {
    roles: Vec<RoleSummary>,
    /// The role copied unless another is chosen.
    from: String,
    on_done: Callback<Option<RoleDetail>>,
}

lazy_part!(
    /// The new-role dialog, fetched when first opened.
    fn new_role_dialog(props: DialogProps), chunk = role_dialog, load = load_role_dialog, view = dialog_view
);

/// Makes a role as a copy of another.
fn dialog_view(props: DialogProps) -> AnyView {
    let DialogProps {
        roles,
        from,
        on_done,
    } = props;
    let (close, keys) = dialog::modal("role-dialog", Callback::new(move |()| on_done.run(None)));
    let name = RwSignal::new(String::new());
    let copy_from = RwSignal::new(from);
    let status = Status::new(None);
    let errors = status.fields;
    let options: Vec<(String, String)> = roles.into_iter().map(|r| (r.id, r.name)).collect();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let input =
            json!({ "name": name.get_untracked(), "copyFromId": copy_from.get_untracked() });
        spawn_local(async move {
            match roles::write_role(RoleWrite::Create, input).await {
                Ok(r) => on_done.run(Some(r)),
                Err(e) => status.fail(e, &["name", "key", "copyFromId"]),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="role-dialog" role="dialog" aria-modal="true" aria-labelledby="role-dialog-title" on:submit=submit on:keydown=keys novalidate>
                <h2 id="role-dialog-title">"New role"</h2>
                <StatusMessages status />
                <TextField name="name" label="Name" value=name errors required=true />
                <SelectField name="copyFromId" label="Starts as a copy of" options=Signal::stored(options) value=copy_from errors />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="create-role" disabled=move || status.busy.get()>"Create"</button>
                    <button type="button" class="btn" on:click=move |_| close.run(())>"Cancel"</button>
                </div>
            </form>
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_page_address_names_its_record() {
        assert_eq!(record_of("/accounts/QWNjb3VudDox"), "QWNjb3VudDox");
        assert_eq!(record_of("/parties/abc/"), "abc");
    }
}
