//! `/settings/picklists`: the vocabularies an administrator keeps — add a value, rename it, move
//! it up or down, archive it (records keep it, forms no longer offer it) or bring it back.

use crate::api::picklists::{self, PicklistValue, LISTS};
use crate::components::dialog;
use crate::components::field::TextField;
use crate::components::load::reload;
use crate::components::select_field::SelectField;
use crate::components::session::{can, set_title};
use crate::components::status::{Notice, Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn value_row(v: &PicklistValue, last: i64, update: bool, archive: bool) -> Row {
    let mut actions = Vec::new();
    if update && !v.archived {
        actions.push(("Rename", "rename-value", format!("rename:{}", v.id)));
        if v.position > 1 {
            actions.push(("Move up", "move-up", format!("up:{}", v.id)));
        }
        if v.position < last {
            actions.push(("Move down", "move-down", format!("down:{}", v.id)));
        }
    }
    if archive {
        if v.archived {
            actions.push(("Restore", "restore-value", format!("restore:{}", v.id)));
        } else {
            actions.push(("Archive", "archive-value", format!("archive:{}", v.id)));
        }
    }
    Row {
        href: None,
        class: "picklist-row",
        id: v.id.clone(),
        cells: vec![
            Cell::text(v.label.clone()),
            Cell::text(v.key.clone()),
            if v.archived {
                Cell::Badge("archived", "Archived")
            } else {
                Cell::Badge("active", "Active")
            },
            Cell::Actions(actions),
        ],
    }
}

/// `/settings/picklists`.
#[component]
pub fn PicklistsPage() -> impl IntoView {
    set_title("Pick-lists");
    let list = RwSignal::new(LISTS[0].0.to_owned());
    let generation = RwSignal::new(0_u32);
    let all = reload(move || {
        generation.track();
        let l = list.get();
        async move { picklists::values(&l, true).await }
    });
    let (create, update, archive) = (
        can("picklist", "create"),
        can("picklist", "update"),
        can("picklist", "archive"),
    );
    let values = Memo::new(move |_| all.get().and_then(Result::ok));
    let rows = Signal::derive(move || {
        values.with(|vs| {
            vs.as_ref().map(|list| {
                let last = list.iter().map(|v| v.position).max().unwrap_or(0);
                list.iter()
                    .map(|v| value_row(v, last, update, archive))
                    .collect()
            })
        })
    });
    let renaming = RwSignal::new(None::<PicklistValue>);
    let page_status = Status::new(None);
    let label = RwSignal::new(String::new());
    let run = move |what: &'static str, v: PicklistValue| {
        if !page_status.start() {
            return;
        }
        spawn_local(async move {
            let result = match what {
                "up" => picklists::update(&v, None, Some(v.position - 1)).await,
                "down" => picklists::update(&v, None, Some(v.position + 1)).await,
                "archive" => picklists::set_archived(&v.id, true).await,
                _ => picklists::set_archived(&v.id, false).await,
            };
            match result {
                Ok(saved) => {
                    let done = match what {
                        "archive" => "is archived: records keep it, forms no longer offer it",
                        "restore" => "is offered again",
                        _ => "is moved",
                    };
                    page_status.succeed(&format!("{} {done}.", saved.label));
                    generation.update(|g| *g += 1);
                }
                Err(e) => page_status.fail(e, &[]),
            }
        });
    };
    let act = Callback::new(move |value: String| {
        let Some((what, id)) = value.split_once(':') else {
            return;
        };
        let Some(v) = values.with_untracked(|vs| vs.iter().flatten().find(|v| v.id == id).cloned())
        else {
            return;
        };
        match what {
            "rename" => renaming.set(Some(v)),
            "up" => run("up", v),
            "down" => run("down", v),
            "archive" => run("archive", v),
            "restore" => run("restore", v),
            _ => {}
        }
    });
    let add = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !page_status.start() {
            return;
        }
        let l = list.get_untracked();
        let text = label.get_untracked();
        spawn_local(async move {
            match picklists::add(&l, &text, None).await {
                Ok(v) => {
                    label.set(String::new());
                    page_status.succeed(&format!("{} is added.", v.label));
                    generation.update(|g| *g += 1);
                }
                Err(e) => page_status.fail(e, &["label"]),
            }
        });
    };
    let list_options = Signal::stored(
        LISTS
            .iter()
            .map(|(v, l, _)| ((*v).to_owned(), (*l).to_owned()))
            .collect::<Vec<_>>(),
    );
    let about = move || {
        let l = list.get();
        LISTS
            .iter()
            .find(|(v, _, _)| *v == l)
            .map_or("", |(_, _, about)| *about)
    };
    let no_errors = RwSignal::new(Default::default());
    let add_errors = page_status.fields;
    view! {
        <div class="page-header">
            <h1>"Pick-lists"</h1>
        </div>
        <SelectField name="list" label="List" options=list_options value=list errors=no_errors />
        <p class="muted">{about}</p>
        <StatusMessages status=page_status />
        <Notice status=page_status />
        // Hidden while a value is renamed: the dialog has a label field of its own.
        {move || (create && renaming.with(Option::is_none)).then(|| view! {
            <form class="card" id="add-picklist-value" on:submit=add novalidate>
                <TextField name="label" label="New value" value=label errors=add_errors required=true />
                <button type="submit" class="btn btn-primary" id="add-value" disabled=move || page_status.busy.get()>"Add"</button>
            </form>
        })}
        {move || all.with(|a| a.as_ref().and_then(|a| a.as_ref().err()).map(load_error))}
        {table("picklist-table", &["Value", "Key", "State", ""], rows, "This list has no values yet.", Some(act))}
        {move || renaming.get().map(|v| view! {
            <RenameDialog value=v on_done=Callback::new(move |notice: Option<String>| {
                renaming.set(None);
                if let Some(n) = notice {
                    page_status.succeed(&n);
                    generation.update(|g| *g += 1);
                }
            }) />
        })}
    }
}

/// Renames a value; its key (stored on records) stays.
#[component]
fn RenameDialog(value: PicklistValue, on_done: Callback<Option<String>>) -> impl IntoView {
    let (close, keys) = dialog::modal(
        "rename-value-dialog",
        Callback::new(move |()| on_done.run(None)),
    );
    let label = RwSignal::new(value.label.clone());
    let status = Status::new(None);
    let errors = status.fields;
    let saved = StoredValue::new(value);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let v = saved.get_value();
        let text = label.get_untracked();
        spawn_local(async move {
            match picklists::update(&v, Some(&text), None).await {
                Ok(s) => on_done.run(Some(format!("{} is renamed to {}.", v.label, s.label))),
                Err(e) => status.fail(e, &["label"]),
            }
        });
    };
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="rename-value-dialog" role="dialog" aria-modal="true" aria-labelledby="rename-value-title" on:submit=submit on:keydown=keys novalidate>
                <h2 id="rename-value-title">"Rename value"</h2>
                <StatusMessages status />
                <TextField name="label" label="Label" value=label errors required=true />
                <p class="muted">"Records keep pointing at it: its key stays " <code>{saved.get_value().key}</code> "."</p>
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="save-value" disabled=move || status.busy.get()>"Save"</button>
                    <button type="button" class="btn" on:click=move |_| close.run(())>"Cancel"</button>
                </div>
            </form>
        </div>
    }
}
