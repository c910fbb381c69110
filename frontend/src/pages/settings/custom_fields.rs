//! `/settings/custom-fields`: the administrator's fields of each object — define, change, archive
//! and restore them, and choose which roles read and change each.

use crate::api::admin;
use crate::api::auth::Role;
use crate::api::custom_fields::{self, Definition, OBJECTS, TYPES};
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

fn field_row(f: &Definition, update: bool, archive: bool) -> Row {
    let mut actions = Vec::new();
    if update && !f.archived {
        actions.push(("Edit", "edit-field", format!("edit:{}", f.id)));
    }
    if archive {
        if f.archived {
            actions.push(("Restore", "restore-field", format!("restore:{}", f.id)));
        } else {
            actions.push(("Archive", "archive-field", format!("archive:{}", f.id)));
        }
    }
    let readers = f
        .access
        .iter()
        .filter(|a| a.read)
        .map(|a| a.role_name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let mut flags = Vec::new();
    if f.required {
        flags.push("required");
    }
    if f.unique {
        flags.push("unique");
    }
    if f.show_in_list {
        flags.push("in lists");
    }
    Row {
        href: None,
        class: "custom-field-row",
        id: f.id.clone(),
        cells: vec![
            Cell::text(f.label.clone()),
            Cell::text(f.key.clone()),
            Cell::text(custom_fields::type_label(&f.ty).to_owned()),
            Cell::text(flags.join(", ")),
            Cell::text(readers),
            if f.archived {
                Cell::Badge("archived", "Archived")
            } else {
                Cell::Badge("active", "Active")
            },
            Cell::Actions(actions),
        ],
    }
}

/// `/settings/custom-fields`.
#[component]
pub fn CustomFieldsPage() -> impl IntoView {
    set_title("Custom fields");
    let object = RwSignal::new(OBJECTS[0].0.to_owned());
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        let o = object.get();
        async move { custom_fields::definitions(&o).await }
    });
    let (create, update, archive) = (
        can("custom_field", "create"),
        can("custom_field", "update"),
        can("custom_field", "archive"),
    );
    let fields = Memo::new(move |_| all.get().and_then(Result::ok));
    let rows = Signal::derive(move || {
        fields.with(|f| {
            f.as_ref()
                .map(|list| list.iter().map(|f| field_row(f, update, archive)).collect())
        })
    });
    let editing = RwSignal::new(None::<Option<Definition>>);
    let page_status = Status::new(None);
    let roles = load_once(admin::roles());
    let act = Callback::new(move |value: String| {
        let Some((what, id)) = value.split_once(':') else {
            return;
        };
        let Some(field) =
            fields.with_untracked(|f| f.iter().flatten().find(|f| f.id == id).cloned())
        else {
            return;
        };
        match what {
            "edit" => editing.set(Some(Some(field))),
            "archive" | "restore" => {
                let archiving = what == "archive";
                if archiving {
                    let question = format!(
                        "Archive the field {}? It leaves records, lists and filters; its values are kept.",
                        field.label
                    );
                    if !window().confirm_with_message(&question).unwrap_or(false) {
                        return;
                    }
                }
                if !page_status.start() {
                    return;
                }
                spawn_local(async move {
                    match custom_fields::set_archived(&field.id, archiving).await {
                        Ok(f) => {
                            let done = if archiving { "archived" } else { "restored" };
                            page_status.succeed(&format!("{} is {done}.", f.label));
                            generation.update(|g| *g += 1);
                        }
                        Err(e) => page_status.fail(e, &[]),
                    }
                });
            }
            _ => {}
        }
    });
    let object_options = Signal::stored(
        OBJECTS
            .iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect::<Vec<_>>(),
    );
    let no_errors = RwSignal::new(Default::default());
    view! {
        <div class="page-header">
            <h1>"Custom fields"</h1>
            {create.then(|| view! {
                <button type="button" class="btn btn-primary" id="new-custom-field" on:click=move |_| editing.set(Some(None))>"New field"</button>
            })}
        </div>
        <SelectField name="object" label="Fields of" options=object_options value=object errors=no_errors />
        <StatusMessages status=page_status />
        <Notice status=page_status />
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("custom-fields-table", &["Field", "Key", "Type", "Rules", "Read by", "State", ""], rows, "No custom fields of these records yet.", Some(act))}
        {move || editing.get().map(|field| {
            view! {
                <FieldDialog field object=object.get_untracked() roles on_done=Callback::new(move |notice: Option<String>| {
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

/// One role's row in the dialog: key, name, read, write.
#[derive(Clone, PartialEq)]
struct AccessRow {
    key: String,
    name: String,
    read: RwSignal<bool>,
    write: RwSignal<bool>,
}

/// Defines a field of `object` (`field` `None`) or changes one.
#[component]
fn FieldDialog(
    field: Option<Definition>,
    object: String,
    roles: ReadSignal<Option<Result<Vec<Role>, crate::api::ApiError>>>,
    on_done: Callback<Option<String>>,
) -> impl IntoView {
    let (close, keys) = dialog::modal(
        "custom-field-dialog",
        Callback::new(move |()| on_done.run(None)),
    );
    let is_new = field.is_none();
    let saved = StoredValue::new(field.clone());
    let f = field.unwrap_or_default();
    let label = RwSignal::new(f.label.clone());
    let key = RwSignal::new(f.key.clone());
    let ty = RwSignal::new(if is_new {
        "TEXT".to_owned()
    } else {
        f.ty.clone()
    });
    let options = RwSignal::new(f.options.join("\n"));
    let required = RwSignal::new(f.required);
    let unique = RwSignal::new(f.unique);
    let in_lists = RwSignal::new(f.show_in_list);
    // New fields default to everyone who reads the records; a chosen list replaces that.
    let everyone = RwSignal::new(is_new);
    let access = Memo::new(move |_| {
        let known = saved.with_value(|s| s.as_ref().map(|d| d.access.clone()).unwrap_or_default());
        roles
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .map(|r| {
                let had = known.iter().find(|a| a.role_key == r.key);
                let admin = r.key == "admin";
                AccessRow {
                    read: RwSignal::new(admin || had.is_some_and(|a| a.read)),
                    write: RwSignal::new(admin || had.is_some_and(|a| a.write)),
                    key: r.key,
                    name: r.name,
                }
            })
            .collect::<Vec<_>>()
    });
    let status = Status::new(None);
    let errors = status.fields;
    let type_options = Signal::stored(
        TYPES
            .iter()
            .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
            .collect::<Vec<_>>(),
    );
    let has_options = move || ty.with(|t| t == "PICK" || t == "MULTI_PICK");
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let choices: Vec<String> = options
            .get_untracked()
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect();
        let rows = access.get_untracked();
        let access_value = (!everyone.get_untracked()).then(|| {
            json!(rows
                .iter()
                .map(|r| json!({ "roleKey": r.key, "read": r.read.get_untracked(), "write": r.write.get_untracked() && r.read.get_untracked() }))
                .collect::<Vec<_>>())
        });
        let mut input = json!({
            "label": label.get_untracked(),
            "required": required.get_untracked(),
            "unique": unique.get_untracked(),
            "showInList": in_lists.get_untracked(),
        });
        if has_options() {
            input["options"] = json!(choices);
        }
        if let Some(a) = access_value {
            input["access"] = a;
        }
        let object = object.clone();
        spawn_local(async move {
            let result = match saved.get_value() {
                Some(d) => custom_fields::update(&d.id, d.version, input).await,
                None => {
                    input["object"] = json!(object);
                    input["type"] = json!(ty.get_untracked());
                    let k = key.get_untracked();
                    if !k.trim().is_empty() {
                        input["key"] = json!(k.trim());
                    }
                    custom_fields::create(input).await
                }
            };
            match result {
                Ok(d) => on_done.run(Some(format!("{} is saved.", d.label))),
                Err(e) => status.fail(
                    e,
                    &[
                        "label",
                        "key",
                        "type",
                        "options",
                        "required",
                        "unique",
                        "defaultValue",
                    ],
                ),
            }
        });
    };
    let access_rows = move || {
        access
            .get()
            .into_iter()
            .map(|r| {
                let admin = r.key == "admin";
                let (read, write) = (r.read, r.write);
                view! {
                    <tr data-role=r.key.clone()>
                        <th scope="row">{r.name.clone()}</th>
                        <td><input type="checkbox" class="access-read" aria-label=format!("{} reads", r.name) disabled=admin prop:checked=move || read.get() on:change=move |ev| read.set(event_target_checked(&ev)) /></td>
                        <td><input type="checkbox" class="access-write" aria-label=format!("{} changes", r.name) disabled=admin prop:checked=move || write.get() on:change=move |ev| write.set(event_target_checked(&ev)) /></td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="custom-field-dialog" role="dialog" aria-modal="true" aria-labelledby="custom-field-dialog-title" on:submit=submit on:keydown=keys novalidate>
                <h2 id="custom-field-dialog-title">{if is_new { "New field" } else { "Edit field" }}</h2>
                <StatusMessages status />
                <TextField name="label" label="Label" value=label errors required=true />
                {is_new.then(|| view! {
                    <TextField name="key" label="Key" value=key errors hint=Some("Made from the label when left empty, e.g. renewalDate.") />
                    <SelectField name="type" label="Type" options=type_options value=ty errors />
                })}
                {move || has_options().then(|| view! {
                    <div class="field">
                        <label for="field-options">"Choices (one a line)"</label>
                        <textarea id="field-options" name="options" rows="4" bind:value=options></textarea>
                        <FieldError name="options" errors />
                    </div>
                })}
                <label class="checkbox"><input type="checkbox" id="field-required" bind:checked=required />"Required"</label>
                <label class="checkbox"><input type="checkbox" id="field-unique" bind:checked=unique />"Unique: no two records share a value"</label>
                <FieldError name="unique" errors />
                <label class="checkbox"><input type="checkbox" id="field-showInList" bind:checked=in_lists />"Show in lists and on board cards"</label>
                <fieldset class="field-access" id="field-access">
                    <legend>"Who reads and changes it"</legend>
                    <label class="checkbox"><input type="checkbox" id="field-everyone" bind:checked=everyone />"Every role that can see these records (those that may change them change it)"</label>
                    {move || (!everyone.get()).then(|| view! {
                        <div class="table-wrap" tabindex="0" role="region" aria-label="Access by role">
                            <table class="access-table">
                                <thead><tr><th scope="col">"Role"</th><th scope="col">"Reads"</th><th scope="col">"Changes"</th></tr></thead>
                                <tbody>{access_rows}</tbody>
                            </table>
                        </div>
                    })}
                </fieldset>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="save-custom-field" disabled=move || status.busy.get()>"Save"</button>
                    <button type="button" class="btn" on:click=move |_| close.run(())>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
