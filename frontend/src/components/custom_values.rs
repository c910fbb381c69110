//! A record's custom fields: each value the user may read, and a form for those they may change.

use crate::api::custom_fields::{self, CustomValue};
use crate::components::status::{Status, StatusMessages};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The input path of the `i`th value sent (`values.2.value`), as validation names it.
fn path(i: usize) -> String {
    format!("values.{i}.value")
}

/// Placeholder text for a type.
fn placeholder(ty: &str) -> &'static str {
    match ty {
        "DATE" => "2026-12-31",
        "DATE_TIME" => "2026-12-31T09:30:00Z",
        "MONEY" => "1250.00 EUR",
        "MULTI_PICK" => "choices, separated by commas",
        "NUMBER" | "DECIMAL" => "a number",
        _ => "",
    }
}

/// The props of [`custom_values`].
pub struct CustomValuesProps {
    pub record_id: String,
    /// The record's `customFields`, as the API gave them.
    pub values: serde_json::Value,
}

lazy_part!(
    /// `<section class="custom-values">` with the values of a record, fetched when first shown;
    /// nothing when the record has none the user may read.
    pub fn custom_values(props: CustomValuesProps), chunk = custom_values, load = load_custom_values, view = panel
);

fn panel(props: CustomValuesProps) -> AnyView {
    let CustomValuesProps { record_id, values } = props;
    let values = custom_fields::values_of(&values);
    if values.is_empty() {
        return ().into_any();
    }
    let writable: Vec<CustomValue> = values.iter().filter(|v| v.can_write).cloned().collect();
    let shown = RwSignal::new(values);
    let texts: Vec<RwSignal<String>> = writable
        .iter()
        .map(|v| RwSignal::new(custom_fields::input_text(&v.ty, &v.value)))
        .collect();
    let status = Status::new(None);
    let errors = status.fields;
    let record = StoredValue::new(record_id);
    let sent = StoredValue::new(writable.clone());
    let inputs = StoredValue::new(texts.clone());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let values: Vec<(String, serde_json::Value)> = sent
            .get_value()
            .iter()
            .zip(inputs.get_value())
            .map(|(v, t)| {
                (
                    v.key.clone(),
                    custom_fields::value_of_input(&v.ty, &t.get_untracked()),
                )
            })
            .collect();
        spawn_local(async move {
            match custom_fields::set_values(&record.get_value(), values).await {
                Ok(fresh) => {
                    shown.set(fresh);
                    status.succeed("Custom fields saved.");
                }
                Err(e) => {
                    let names: Vec<String> = (0..inputs.get_value().len()).map(path).collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    status.fail(e, &names);
                }
            }
        });
    };
    let read_only = move || {
        shown
            .get()
            .into_iter()
            .filter(|v| !v.can_write)
            .map(|v| {
                let shown = if v.display.is_empty() {
                    "—".to_owned()
                } else {
                    v.display
                };
                view! {
                    <div class="custom-value" data-key=v.key>
                        <dt>{v.label}</dt>
                        <dd>{shown}</dd>
                    </div>
                }
            })
            .collect_view()
    };
    let editors = writable
        .into_iter()
        .zip(texts)
        .enumerate()
        .map(|(i, (v, text))| {
            let name = path(i);
            let id = format!("custom-{}", v.key);
            let error = {
                let name = name.clone();
                move || errors.with(|e| e.get(&name))
            };
            let invalid = {
                let error = error.clone();
                move || error().is_some().then_some("true")
            };
            let input = match v.ty.as_str() {
                "PICK" | "BOOLEAN" => {
                    let choices: Vec<(String, String)> = if v.ty == "BOOLEAN" {
                        vec![("true".into(), "Yes".into()), ("false".into(), "No".into())]
                    } else {
                        v.options.iter().map(|o| (o.clone(), o.clone())).collect()
                    };
                    let options = choices
                        .into_iter()
                        .map(|(value, label)| {
                            let selected = text.get_untracked() == value;
                            view! { <option value=value selected=selected>{label}</option> }
                        })
                        .collect_view();
                    view! {
                        <select id=id.clone() name=name.clone() aria-invalid=invalid on:change=move |ev| text.set(event_target_value(&ev))>
                            <option value="">"—"</option>
                            {options}
                        </select>
                    }
                    .into_any()
                }
                "LONG_TEXT" => view! {
                    <textarea id=id.clone() name=name.clone() rows="3" aria-invalid=invalid bind:value=text></textarea>
                }
                .into_any(),
                ty => view! {
                    <input id=id.clone() name=name.clone() type="text" placeholder=placeholder(ty) aria-invalid=invalid bind:value=text />
                }
                .into_any(),
            };
            view! {
                <div class="field" data-key=v.key.clone()>
                    <label for=id>{v.label.clone()}</label>
                    {input}
                    {move || error().map(|m| view! { <p class="field-error">{m}</p> })}
                </div>
            }
        })
        .collect_view();
    let can_save = !inputs.get_value().is_empty();
    view! {
        <section class="card custom-values" aria-labelledby="custom-values-title">
            <h2 id="custom-values-title">"More fields"</h2>
            <dl class="custom-read">{read_only}</dl>
            {can_save.then(|| view! {
                <form id="custom-values-form" on:submit=submit novalidate>
                    <StatusMessages status />
                    {move || status.notice.get().map(|n| view! {
                        <p class="alert alert-success" role="status" id="custom-values-notice">{n}</p>
                    })}
                    {editors}
                    <div class="form-actions">
                        <button type="submit" class="btn" id="save-custom-values" disabled=move || status.busy.get()>"Save fields"</button>
                    </div>
                </form>
            })}
        </section>
    }
    .into_any()
}
