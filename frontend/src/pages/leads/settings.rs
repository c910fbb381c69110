//! `/settings/lead-mapping` (which lead field fills which field of the
//! account, contact and opportunity a conversion makes) and
//! `/settings/assignment-rules` (who gets new leads).

use super::{can, choices, load_error, reload};
use crate::api::leads::settings::{
    self, AssignmentKind, MappingFields, MappingRow, MappingTarget, Rule, RuleDraft,
};
use crate::api::users;
use crate::components::field::TextField;
use crate::components::load::load_once;
use crate::components::select_field::SelectField;
use crate::components::session::set_title;
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// A plain `<select>` of `options` with `current` chosen; `on` gets the new value.
fn pick(
    label: &'static str,
    class: &'static str,
    options: &[(String, String)],
    current: &str,
    disabled: bool,
    on: Callback<String>,
) -> impl IntoView {
    let options = options
        .iter()
        .map(|(v, l)| view! { <option value=v.clone() selected=v == current>{l.clone()}</option> })
        .collect_view();
    view! {
        <select aria-label=label class=class disabled=disabled on:change=move |ev| on.run(event_target_value(&ev))>
            <option value="">"—"</option>
            {options}
        </select>
    }
}

/// `/settings/lead-mapping`.
#[component]
pub fn MappingPage() -> impl IntoView {
    set_title("Lead conversion mapping");
    let may_edit = can("lead_mapping", "update");
    let rows = RwSignal::new(Vec::<MappingRow>::new());
    let fields = RwSignal::new(MappingFields::default());
    let row_errors = RwSignal::new(Vec::<Vec<String>>::new());
    let status = Status::new(None);
    let loaded = load_once(settings::mapping());
    Effect::new(move |_| {
        if let Some(Ok((r, f))) = loaded.get() {
            rows.set(r);
            fields.set(f);
        }
    });
    let save = move |_| {
        if !status.start() {
            return;
        }
        row_errors.set(Vec::new());
        let list = rows.get_untracked();
        spawn_local(async move {
            match settings::set_mapping(&list).await {
                Ok(saved) => {
                    rows.set(saved);
                    status.succeed("Saved");
                }
                Err(e) => {
                    let errors = e.with_code("BAD_USER_INPUT").map(|b| b.field_errors());
                    match errors.filter(|f| !f.is_empty()) {
                        Some(f) => {
                            let (by_row, others) = settings::row_errors(&f, list.len());
                            row_errors.set(by_row);
                            status.busy.set(false);
                            status
                                .general
                                .set((!others.is_empty()).then(|| others.join(" ")));
                        }
                        None => status.fail(e, &[]),
                    }
                }
            }
        });
    };
    let update = move |i: usize, change: &dyn Fn(&mut MappingRow)| {
        rows.update(|r| {
            if let Some(r) = r.get_mut(i) {
                change(r);
            }
        })
    };
    let table = move || {
        let f = fields.get();
        let sources = f[0].clone();
        let targets = choices(
            MappingTarget::ALL,
            MappingTarget::as_str,
            MappingTarget::label,
        );
        rows.get()
            .into_iter()
            .enumerate()
            .map(|(i, r)| {
                let target_fields = f[1 + r.target as usize].clone();
                let messages = row_errors.with(|e| e.get(i).cloned().unwrap_or_default());
                view! {
                    <tr class="mapping-row" class:has-error=!messages.is_empty()>
                        <td>{pick("Target", "mapping-target", &targets, r.target.as_str(), !may_edit, Callback::new(move |v: String| {
                            update(i, &|r| r.target = MappingTarget::parse(&v).unwrap_or_default())
                        }))}</td>
                        <td>{pick("Target field", "mapping-target-field", &target_fields, &r.target_field, !may_edit, Callback::new(move |v: String| {
                            update(i, &|r| r.target_field = v.clone())
                        }))}</td>
                        <td>"←"</td>
                        <td>{pick("Lead field", "mapping-source-field", &sources, &r.source_field, !may_edit, Callback::new(move |v: String| {
                            update(i, &|r| r.source_field = v.clone())
                        }))}</td>
                        <td>
                            {may_edit.then(|| view! {
                                <button type="button" class="btn btn-small" aria-label="Remove" on:click=move |_| rows.update(|r| { r.remove(i); })>"✕"</button>
                            })}
                            {(!messages.is_empty()).then(|| view! { <p class="field-error row-error">{messages.join("; ")}</p> })}
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="page-header"><h1>"Lead conversion mapping"</h1></div>
        <p class="muted">"Which lead field fills each field of the account, contact and opportunity a conversion creates. Custom fields read as their label, marked (custom)."</p>
        {move || loaded.get().and_then(Result::err).map(|e| load_error(&e))}
        <Notice status />
        <StatusMessages status />
        <table class="data-table" id="mapping-table">
            <thead><tr><th>"Record"</th><th>"Field"</th><th></th><th>"From lead field"</th><th></th></tr></thead>
            <tbody>{table}</tbody>
        </table>
        {may_edit.then(|| view! {
            <div class="form-actions">
                <button type="button" class="btn" id="add-mapping" on:click=move |_| rows.update(|r| r.push(MappingRow::default()))>"Add row"</button>
                <button type="button" class="btn btn-primary" id="save" disabled=move || status.busy.get() on:click=save>"Save"</button>
            </div>
        })}
    }
}

fn rule_row(r: &Rule, editable: bool) -> Row {
    let how = match r.kind {
        AssignmentKind::RoundRobin => {
            format!(
                "Team {}",
                format::or_empty(r.team.as_ref().map(|t| t.name.as_str()))
            )
        }
        AssignmentKind::ByArea => {
            let mut parts: Vec<String> = r
                .areas
                .iter()
                .map(|(a, u)| format!("{a} → {}", u.name))
                .collect();
            parts.extend(r.fallback.as_ref().map(|f| format!("otherwise {}", f.name)));
            parts.join(", ")
        }
    };
    Row {
        href: None,
        class: "rule-row",
        id: r.id.clone(),
        cells: vec![
            Cell::text(r.name.clone()),
            Cell::text(r.kind.label()),
            Cell::text(how),
            Cell::text(if r.active { "Active" } else { "Inactive" }),
            if editable {
                Cell::Action("Edit", r.id.clone())
            } else {
                Cell::text("")
            },
        ],
    }
}

/// `/settings/assignment-rules`.
#[component]
pub fn RulesPage() -> impl IntoView {
    set_title("Assignment rules");
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        settings::rules()
    });
    // The rule being edited: `Some(None)` for a new one.
    let editing = RwSignal::new(None::<Option<Rule>>);
    let may_create = can("assignment_rule", "create");
    let may_update = can("assignment_rule", "update");
    let rules = Memo::new(move |_| all.get().and_then(Result::ok));
    let rows = Signal::derive(move || {
        rules.with(|r| {
            r.as_ref()
                .map(|list| list.iter().map(|r| rule_row(r, may_update)).collect())
        })
    });
    let edit = Callback::new(move |id: String| {
        let rule = rules.with_untracked(|r| r.iter().flatten().find(|r| r.id == id).cloned());
        editing.set(rule.map(Some));
    });
    view! {
        <div class="page-header">
            <h1>"Assignment rules"</h1>
            {may_create.then(|| view! { <button type="button" class="btn btn-primary" id="new-rule" on:click=move |_| editing.set(Some(None))>"New rule"</button> })}
        </div>
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("rules-table", &["Name", "Kind", "Assigns", "State", ""], rows, "No rules yet.", Some(edit))}
        {move || editing.get().map(|saved| view! {
            <RuleEditor saved on_done=Callback::new(move |()| {
                editing.set(None);
                generation.update(|g| *g += 1);
            }) />
        })}
    }
}

/// The editor of one rule (new when `saved` is `None`).
#[component]
fn RuleEditor(saved: Option<Rule>, on_done: Callback<()>) -> impl IntoView {
    let d = saved
        .as_ref()
        .map(RuleDraft::from_rule)
        .unwrap_or(RuleDraft {
            active: true,
            ..RuleDraft::default()
        });
    let is_new = saved.is_none();
    let name = RwSignal::new(d.name);
    let kind = RwSignal::new(d.kind.as_str().to_owned());
    let team = RwSignal::new(d.team_id);
    let areas = RwSignal::new(d.areas);
    let fallback = RwSignal::new(d.fallback_id);
    let active = RwSignal::new(d.active);
    let saved = StoredValue::new(saved);
    let status = Status::new(None);
    let errors = status.fields;
    let teams = load_once(settings::teams());
    let people = load_once(users::assignable());
    let user_options = move || {
        let list = people.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter()
            .map(|u| (u.id, u.display_name))
            .collect::<Vec<_>>()
    };
    let by_area = move || kind.get() == AssignmentKind::ByArea.as_str();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let draft = RuleDraft {
            name: name.get_untracked(),
            kind: AssignmentKind::parse(&kind.get_untracked()).unwrap_or_default(),
            team_id: team.get_untracked(),
            areas: areas.get_untracked(),
            fallback_id: fallback.get_untracked(),
            active: active.get_untracked(),
        };
        let current = saved.get_value();
        spawn_local(async move {
            match settings::save_rule(&draft, current.as_ref()).await {
                Ok(_) => on_done.run(()),
                Err(e) => status.fail(e, &["name", "kind", "teamId", "areas", "fallbackOwnerId"]),
            }
        });
    };
    let area_rows = move || {
        let users = user_options();
        areas
            .get()
            .into_iter()
            .enumerate()
            .map(|(i, (area, user))| {
                view! {
                    <li class="area-row">
                        <input aria-label="Area" class="area-name" prop:value=area on:change=move |ev| {
                            let v = event_target_value(&ev);
                            areas.update(|a| a[i].0 = v);
                        } />
                        " → "
                        {pick("User", "area-user", &users, &user, false, Callback::new(move |v| areas.update(|a| a[i].1 = v)))}
                        <button type="button" class="btn btn-small" aria-label="Remove" on:click=move |_| areas.update(|a| { a.remove(i); })>"✕"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <form class="card record-form" id="rule-editor" on:submit=submit novalidate>
            <h2>{if is_new { "New rule" } else { "Edit rule" }}</h2>
            <StatusMessages status />
            <div class="form-grid">
                <TextField name="name" label="Name" value=name errors required=true />
                <SelectField name="kind" label="Kind" options=choices(AssignmentKind::ALL, AssignmentKind::as_str, AssignmentKind::label) value=kind errors disabled=!is_new />
                <Show when=move || !by_area()>
                    <SelectField name="teamId" label="Team" options=Signal::derive(move || {
                        let list = teams.get().and_then(Result::ok).unwrap_or_default();
                        list.into_iter().map(|t| (t.id, t.name)).collect::<Vec<_>>()
                    }) value=team errors empty="Choose a team" />
                </Show>
                <Show when=by_area>
                    <SelectField name="fallbackOwnerId" label="Otherwise" options=Signal::derive(user_options) value=fallback errors empty="Nobody" />
                </Show>
                {(!is_new).then(|| view! {
                    <label class="checkbox">
                        <input type="checkbox" id="rule-active" prop:checked=move || active.get() on:change=move |ev| active.set(event_target_checked(&ev)) />
                        "Active"
                    </label>
                })}
            </div>
            <Show when=by_area>
                <h3>"Areas"</h3>
                <ul class="rows" id="rule-areas">{area_rows}</ul>
                <crate::components::field::FieldError name="areas" errors />
                <button type="button" class="btn" id="add-area" on:click=move |_| areas.update(|a| a.push(Default::default()))>"Add area"</button>
            </Show>
            <div class="form-actions">
                <button type="submit" class="btn btn-primary" id="save-rule" disabled=move || status.busy.get()>"Save"</button>
                <button type="button" class="btn" on:click=move |_| on_done.run(())>"Cancel"</button>
            </div>
        </form>
    }
}
