//! `/settings/teams`: the teams with their manager, parent team and members; create, change and
//! archive them. Forecasts and managers' reach roll up along the parent teams.

use crate::api::admin::{self, AdminTeam, AdminUser, TeamDraft, TeamWrite};
use crate::api::ApiError;
use crate::components::dialog;
use crate::components::field::{FieldError, TextField};
use crate::components::load::{load_once, reload};
use crate::components::select_field::SelectField;
use crate::components::session::{can, set_title};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

fn team_row(t: &AdminTeam, update: bool, archive: bool) -> Row {
    let mut actions = Vec::new();
    if update && !t.archived {
        actions.push(("Edit", "edit-team", format!("edit:{}", t.id)));
    }
    if archive && !t.archived {
        actions.push(("Archive", "archive-team", format!("archive:{}", t.id)));
    }
    let members = t
        .members
        .iter()
        .map(|m| m.display_name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    Row {
        href: None,
        class: "team-row",
        id: t.id.clone(),
        cells: vec![
            Cell::text(t.name.clone()),
            Cell::text(
                t.manager
                    .as_ref()
                    .map(|m| m.display_name.clone())
                    .unwrap_or_default(),
            ),
            Cell::text(t.parent.as_ref().map(|p| p.1.clone()).unwrap_or_default()),
            Cell::text(members),
            if t.archived {
                Cell::Badge("archived", "Archived")
            } else {
                Cell::Badge("active", "Active")
            },
            Cell::Actions(actions),
        ],
    }
}

/// `/settings/teams`.
#[component]
pub fn TeamsPage() -> impl IntoView {
    set_title("Teams");
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        admin::teams()
    });
    let (create, update, archive) = (
        can("team", "create"),
        can("team", "update"),
        can("team", "archive"),
    );
    let teams = Memo::new(move |_| all.get().and_then(Result::ok));
    let rows = Signal::derive(move || {
        teams.with(|t| {
            t.as_ref()
                .map(|list| list.iter().map(|t| team_row(t, update, archive)).collect())
        })
    });
    let editing = RwSignal::new(None::<Option<AdminTeam>>);
    let page_status = Status::new(None);
    let people = load_once(admin::active_users());
    let act = Callback::new(move |value: String| {
        let Some((what, id)) = value.split_once(':') else {
            return;
        };
        let Some(team) = teams.with_untracked(|t| t.iter().flatten().find(|t| t.id == id).cloned())
        else {
            return;
        };
        match what {
            "edit" => editing.set(Some(Some(team))),
            "archive" => {
                let question = format!(
                    "Archive the team {}? It no longer counts for anyone's reach or forecasts.",
                    team.name
                );
                if !window().confirm_with_message(&question).unwrap_or(false)
                    || !page_status.start()
                {
                    return;
                }
                spawn_local(async move {
                    match admin::write_team(TeamWrite::Archive, json!({ "id": team.id })).await {
                        Ok(_) => {
                            page_status.succeed(&format!("{} is archived.", team.name));
                            generation.update(|g| *g += 1);
                        }
                        Err(e) => page_status.fail(e, &[]),
                    }
                });
            }
            _ => {}
        }
    });
    view! {
        <div class="page-header">
            <h1>"Teams"</h1>
            {create.then(|| view! {
                <button type="button" class="btn btn-primary" id="new-team" on:click=move |_| editing.set(Some(None))>"New team"</button>
            })}
        </div>
        <StatusMessages status=page_status />
        <Notice status=page_status />
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("teams-table", &["Team", "Manager", "Part of", "Members", "State", ""], rows, "No teams yet.", Some(act))}
        {move || editing.get().map(|team| {
            let others = teams
                .get_untracked()
                .unwrap_or_default()
                .into_iter()
                .filter(|t| !t.archived && team.as_ref().is_none_or(|e| e.id != t.id))
                .map(|t| (t.id, t.name))
                .collect::<Vec<_>>();
            view! {
                <TeamDialog team others people on_done=Callback::new(move |notice: Option<String>| {
                    editing.set(None);
                    if let Some(n) = notice {
                        page_status.succeed(&n);
                        generation.update(|g| *g += 1);
                    }
                }) />
            }
        })}
    }
}

/// Creates a team (`team` `None`) or changes one.
#[component]
fn TeamDialog(
    team: Option<AdminTeam>,
    /// The teams it may be part of: `(id, name)`.
    others: Vec<(String, String)>,
    people: ReadSignal<Option<Result<Vec<AdminUser>, ApiError>>>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let (close, keys) = dialog::modal("team-dialog", Callback::new(move |()| on_done.run(None)));
    let draft = team.as_ref().map(TeamDraft::of).unwrap_or_default();
    let is_new = team.is_none();
    let id = StoredValue::new(team.map(|t| t.id));
    let name = RwSignal::new(draft.name);
    let manager = RwSignal::new(draft.manager_id);
    let parent = RwSignal::new(draft.parent_id);
    let members = RwSignal::new(draft.member_ids);
    let status = Status::new(None);
    let errors = status.fields;
    let user_options = Signal::derive(move || {
        people
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let draft = TeamDraft {
            name: name.get_untracked(),
            manager_id: manager.get_untracked(),
            parent_id: parent.get_untracked(),
            member_ids: members.get_untracked(),
        };
        let id = id.get_value();
        spawn_local(async move {
            match admin::save_team(&draft, id.as_deref()).await {
                Ok(t) => on_done.run(Some(format!("{} is saved.", t.name))),
                Err(e) => status.fail(e, &["name", "managerId", "parentId", "memberIds"]),
            }
        });
    };
    let member_boxes = move || {
        user_options
            .get()
            .into_iter()
            .map(|(uid, label)| {
                let checked = {
                    let uid = uid.clone();
                    move || members.with(|m| m.contains(&uid))
                };
                let toggle = {
                    let uid = uid.clone();
                    move |ev| {
                        let on = event_target_checked(&ev);
                        members.update(|m| {
                            m.retain(|x| *x != uid);
                            if on {
                                m.push(uid.clone());
                            }
                        });
                    }
                };
                view! {
                    <label class="checkbox member-choice">
                        <input type="checkbox" value=uid prop:checked=checked on:change=toggle />
                        {label}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="team-dialog" role="dialog" aria-modal="true" aria-labelledby="team-dialog-title" on:submit=submit on:keydown=keys novalidate>
                <h2 id="team-dialog-title">{if is_new { "New team" } else { "Edit team" }}</h2>
                <StatusMessages status />
                <TextField name="name" label="Name" value=name errors required=true />
                <SelectField name="managerId" label="Manager" options=user_options value=manager errors empty="Nobody" />
                <SelectField name="parentId" label="Part of" options=others value=parent errors empty="No team (at the top)" />
                <fieldset class="member-choices" id="team-members">
                    <legend>"Members"</legend>
                    {member_boxes}
                </fieldset>
                <FieldError name="memberIds" errors />
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="save-team" disabled=move || status.busy.get()>"Save"</button>
                    <button type="button" class="btn" on:click=move |_| close.run(())>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
