//! The profile's identifiers: tax ids (shown only to users who may read
//! them) and ids in other systems, each with adding and a confirmed removal.

use crate::api::parties::identifiers::{self as ids, tax_kind_label, ExternalId, TaxId, TAX_KINDS};
use crate::api::ApiError;
use crate::components::field::TextField;
use crate::components::select_field::SelectField;
use crate::components::status::Status;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The tax form's inputs, named as the form shows them (`value` is `taxValue`).
const TAX_FIELDS: &[&str] = &["kind", "country", "taxValue"];
/// The external-id form's inputs (`value` is `externalValue`).
const EXTERNAL_FIELDS: &[&str] = &["system", "externalValue"];

/// "VAT number · DE · DE 123 456 789".
pub fn tax_text(t: &TaxId) -> String {
    format!("{} · {} · {}", tax_kind_label(&t.kind), t.country, t.value)
}

/// "erp: 10010".
pub fn external_text(e: &ExternalId) -> String {
    format!("{}: {}", e.system, e.value)
}

/// A "Remove" button asking "Remove?" before it calls `on_remove`.
#[component]
fn ConfirmRemove(
    /// What is removed, for the button's accessible name.
    what: String,
    busy: RwSignal<bool>,
    on_remove: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    move || {
        if asking.get() {
            view! {
                <span class="cm-confirm" role="group" aria-label="Confirm removal">
                    "Remove?"
                    <button
                        type="button"
                        class="btn btn-small btn-danger id-remove-confirm"
                        disabled=move || busy.get()
                        on:click=move |_| {
                            asking.set(false);
                            on_remove.run(());
                        }
                    >
                        "Yes, remove"
                    </button>
                    <button type="button" class="btn btn-small" on:click=move |_| asking.set(false)>
                        "Keep"
                    </button>
                </span>
            }
            .into_any()
        } else {
            view! {
                <button
                    type="button"
                    class="btn btn-small btn-danger id-remove"
                    aria-label=format!("Remove {what}")
                    disabled=move || busy.get()
                    on:click=move |_| asking.set(true)
                >
                    "Remove"
                </button>
            }
            .into_any()
        }
    }
}

/// Runs a change and puts the list it answers with in `rows`; field errors
/// are shown under the form's names (`value` → `value_as`).
fn apply<T: Send + Sync + 'static>(
    status: Status,
    rows: RwSignal<Vec<T>>,
    shown: &'static [&'static str],
    value_as: &'static str,
    on_change: Callback<()>,
    done: impl FnOnce() + 'static,
    change: impl std::future::Future<Output = Result<Vec<T>, ApiError>> + 'static,
) {
    if !status.start() {
        return;
    }
    spawn_local(async move {
        match change.await {
            Ok(list) => {
                rows.set(list);
                status.busy.set(false);
                done();
                on_change.run(());
            }
            Err(e) => status.fail_renamed(e, shown, |f| (f == "value").then_some(value_as)),
        }
    });
}

/// `#identifiers`.
#[component]
pub fn Identifiers(
    party_id: String,
    /// `None`: the user may not read tax ids (the part is left out).
    tax_ids: Option<Vec<TaxId>>,
    external_ids: Vec<ExternalId>,
    /// The user may add and remove tax ids.
    tax_editable: bool,
    /// The user may add and remove external ids.
    editable: bool,
    /// Called after a change (the timeline has grown).
    on_change: Callback<()>,
) -> impl IntoView {
    let party_id = StoredValue::new(party_id);
    let tax_status = Status::new(None);
    let ext_status = Status::new(None);
    let externals = RwSignal::new(external_ids);
    let kind = RwSignal::new("VAT".to_owned());
    let country = RwSignal::new(String::new());
    let tax_value = RwSignal::new(String::new());
    let system = RwSignal::new(String::new());
    let ext_value = RwSignal::new(String::new());

    let tax_part = tax_ids.map(|list| {
        let taxes = RwSignal::new(list);
        let remove = move |id: String| {
            apply(tax_status, taxes, TAX_FIELDS, "taxValue", on_change, || {}, async move {
                ids::remove_tax_id(&id).await
            });
        };
        let rows = move || {
            taxes.with(|list| {
                if list.is_empty() {
                    return view! { <li class="empty">"No tax ids yet."</li> }.into_any();
                }
                list.iter()
                    .map(|t| {
                        let id = t.id.clone();
                        let text = tax_text(t);
                        let button = tax_editable.then(|| {
                            let on_remove = Callback::new(move |()| remove(id.clone()));
                            view! { <ConfirmRemove what=text.clone() busy=tax_status.busy on_remove /> }
                        });
                        view! { <li class="tax-id" data-kind=t.kind.clone()><span>{text.clone()}</span>{button}</li> }
                    })
                    .collect_view()
                    .into_any()
            })
        };
        let on_submit = move |ev: SubmitEvent| {
            ev.prevent_default();
            let (k, c, v) = (kind.get_untracked(), country.get_untracked(), tax_value.get_untracked());
            let party = party_id.get_value();
            let done = move || {
                country.set(String::new());
                tax_value.set(String::new());
            };
            apply(tax_status, taxes, TAX_FIELDS, "taxValue", on_change, done, async move {
                ids::add_tax_id(&party, &k, &c, &v).await
            });
        };
        let kinds: Vec<(String, String)> =
            TAX_KINDS.iter().map(|(k, l)| ((*k).to_owned(), (*l).to_owned())).collect();
        let form = tax_editable.then(|| {
            view! {
                <form class="inline-form" id="tax-form" on:submit=on_submit novalidate>
                    <h4>"Add a tax id"</h4>
                    <div class="inline-fields">
                        <SelectField name="kind" label="Kind" options=kinds value=kind errors=tax_status.fields />
                        <TextField name="country" label="Country" value=country errors=tax_status.fields hint=Some("Two letters, such as DE") />
                        <TextField name="taxValue" label="Number" value=tax_value errors=tax_status.fields />
                    </div>
                    <button type="submit" id="tax-add" class="btn btn-primary" disabled=move || tax_status.busy.get()>
                        "Add tax id"
                    </button>
                </form>
            }
        });
        view! {
            <h3>"Tax ids"</h3>
            {move || tax_status.general.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <ul class="rows" id="tax-ids">{rows}</ul>
            {form}
        }
    });

    let remove_external = move |id: String| {
        apply(
            ext_status,
            externals,
            EXTERNAL_FIELDS,
            "externalValue",
            on_change,
            || {},
            async move { ids::remove_external_id(&id).await },
        );
    };
    let external_rows = move || {
        externals.with(|list| {
            if list.is_empty() {
                return view! { <li class="empty">"No ids in other systems."</li> }.into_any();
            }
            list.iter()
                .map(|e| {
                    let id = e.id.clone();
                    let text = external_text(e);
                    let button = editable.then(|| {
                        let on_remove = Callback::new(move |()| remove_external(id.clone()));
                        view! { <ConfirmRemove what=text.clone() busy=ext_status.busy on_remove /> }
                    });
                    view! { <li class="external-id"><span>{text.clone()}</span>{button}</li> }
                })
                .collect_view()
                .into_any()
        })
    };
    let on_add_external = move |ev: SubmitEvent| {
        ev.prevent_default();
        let (s, v) = (system.get_untracked(), ext_value.get_untracked());
        let party = party_id.get_value();
        let done = move || ext_value.set(String::new());
        apply(
            ext_status,
            externals,
            EXTERNAL_FIELDS,
            "externalValue",
            on_change,
            done,
            async move { ids::add_external_id(&party, &s, &v).await },
        );
    };
    let external_form = editable.then(|| {
        view! {
            <form class="inline-form" id="external-form" on:submit=on_add_external novalidate>
                <h4>"Add an id in another system"</h4>
                <div class="inline-fields">
                    <TextField name="system" label="System" value=system errors=ext_status.fields hint=Some("Such as erp or ofbiz") />
                    <TextField name="externalValue" label="Id there" value=ext_value errors=ext_status.fields />
                </div>
                <button type="submit" id="external-add" class="btn btn-primary" disabled=move || ext_status.busy.get()>
                    "Add id"
                </button>
            </form>
        }
    });

    view! {
        <section class="card profile-section" id="identifiers" aria-labelledby="ids-heading">
            <h2 id="ids-heading">"Identifiers"</h2>
            {tax_part}
            <h3>"Ids in other systems"</h3>
            {move || ext_status.general.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <ul class="rows" id="external-ids">{external_rows}</ul>
            {external_form}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_read_as_text() {
        let t = TaxId {
            id: "T".into(),
            kind: "VAT".into(),
            country: "DE".into(),
            value: "DE 123".into(),
        };
        assert_eq!(tax_text(&t), "VAT number · DE · DE 123");
        let e = ExternalId {
            id: "E".into(),
            system: "erp".into(),
            value: "10010".into(),
        };
        assert_eq!(external_text(&e), "erp: 10010");
    }
}
