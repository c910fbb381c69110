//! The profile's contact details: list, add, remove.

use crate::api::parties::{
    self, ContactMechanism, ContactMechanismInput, ContactPurpose, MechanismKind,
    PostalAddressInput,
};
use crate::api::FieldErrors;
use crate::components::field::FieldError;
use crate::components::status::Status;
use crate::format;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Input fields of the add form that have a place for their message, named
/// without the `mechanism.` prefix the server puts on them.
const ADD_FIELDS: &[&str] = &["kind", "value", "address", "purposes", "validFrom"];

/// The field of `mechanism.value`-style paths, as named on the add form.
fn add_field(path: &str) -> Option<&'static str> {
    let field = path.strip_prefix("mechanism.").unwrap_or(path);
    let field = if field.starts_with("address.") {
        "address"
    } else {
        field
    };
    ADD_FIELDS.iter().copied().find(|f| *f == field)
}

/// `"Primary, Work"`.
pub fn purposes_text(purposes: &[ContactPurpose]) -> String {
    let labels: Vec<&str> = purposes.iter().map(|p| p.label()).collect();
    format::or_empty(Some(&labels.join(", ")))
}

/// `"from 2024-01-01"`, `"2024-01-01 – 2024-12-31"`, `"until 2024-12-31"`, or nothing.
pub fn validity_text(from: Option<&str>, to: Option<&str>) -> String {
    match (from, to) {
        (Some(from), Some(to)) => format!("{from} – {to}"),
        (Some(from), None) => format!("from {from}"),
        (None, Some(to)) => format!("until {to}"),
        (None, None) => String::new(),
    }
}

/// The link a value opens, when it has one.
fn value_href(kind: MechanismKind, value: &str) -> Option<String> {
    match kind {
        MechanismKind::Email => Some(format!("mailto:{value}")),
        MechanismKind::Phone => Some(format!("tel:{}", value.replace(' ', ""))),
        MechanismKind::Web if value.starts_with("http://") || value.starts_with("https://") => {
            Some(value.to_owned())
        }
        _ => None,
    }
}

/// What the user may see of the contact details.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Visibility {
    /// Shown, read-only.
    Read,
    /// Shown, with the add form and remove buttons.
    Edit,
}

/// `#contact-mechanisms`: one `.contact-mechanism` row each, with the add form
/// for users who may change them.
#[component]
pub fn ContactMechanisms(
    /// The party's id.
    party_id: String,
    /// The party's contact details, replaced after every change.
    mechanisms: RwSignal<Vec<ContactMechanism>>,
    /// Read-only or editable.
    visibility: Visibility,
    /// Called after a change (the timeline has grown).
    on_change: Callback<()>,
) -> impl IntoView {
    let editable = visibility == Visibility::Edit;
    let status = Status::new(None);
    let party_id = StoredValue::new(party_id);
    // The detail whose removal waits for a second click.
    let confirming = RwSignal::new(None::<String>);

    let remove = move |id: String| {
        if !status.start() {
            return;
        }
        confirming.set(None);
        spawn_local(async move {
            match parties::remove_contact_mechanism(&id).await {
                Ok(list) => {
                    mechanisms.set(list);
                    status.busy.set(false);
                    on_change.run(());
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let rows = move || {
        mechanisms.with(|list| {
            if list.is_empty() {
                return view! { <p class="empty">"No contact details yet."</p> }.into_any();
            }
            list.iter()
                .map(|m| {
                    let id = StoredValue::new(m.id.clone());
                    let value_text = m.value.clone();
                    let remove_button = editable.then_some({
                        move || {
                            let asking = confirming.with(|c| c.as_deref() == Some(id.get_value().as_str()));
                            if asking {
                                view! {
                                    <span class="cm-confirm" role="group" aria-label="Confirm removal">
                                        "Remove?"
                                        <button
                                            type="button"
                                            class="btn btn-small btn-danger cm-remove-confirm"
                                            disabled=move || status.busy.get()
                                            on:click=move |_| remove(id.get_value())
                                        >
                                            "Yes, remove"
                                        </button>
                                        <button
                                            type="button"
                                            class="btn btn-small cm-remove-cancel"
                                            on:click=move |_| confirming.set(None)
                                        >
                                            "Keep"
                                        </button>
                                    </span>
                                }
                                .into_any()
                            } else {
                                view! {
                                    <button
                                        type="button"
                                        class="btn btn-small btn-danger cm-remove"
                                        aria-label=format!("Remove {}", value_text)
                                        disabled=move || status.busy.get()
                                        on:click=move |_| confirming.set(Some(id.get_value()))
                                    >
                                        "Remove"
                                    </button>
                                }
                                .into_any()
                            }
                        }
                    });
                    // A phone in the parts it was entered with, else the value.
                    let shown = m
                        .phone
                        .as_ref()
                        .map_or_else(|| m.value.clone(), |p| p.display(&m.value));
                    let value = match value_href(m.kind, &m.value) {
                        Some(href) => view! { <a href=href>{shown}</a> }.into_any(),
                        None => shown.into_any(),
                    };
                    view! {
                        <li class="contact-mechanism" data-id=m.id.clone() data-kind=m.kind.as_str()>
                            <span class="cm-kind">{m.kind.label()}</span>
                            <span class="cm-value">{value}</span>
                            <span class="cm-purposes">{purposes_text(&m.purposes)}</span>
                            <span class="cm-dates">
                                {validity_text(m.valid_from.as_deref(), m.valid_to.as_deref())}
                            </span>
                            {remove_button}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };

    view! {
        <section class="card profile-section" id="contact-mechanisms" aria-labelledby="cm-heading">
            <h2 id="cm-heading">"Contact details"</h2>
            {move || status.general.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            <ul class="rows">{rows}</ul>
            {editable
                .then(|| {
                    let on_added = Callback::new(move |list: Vec<ContactMechanism>| {
                        mechanisms.set(list);
                        on_change.run(());
                    });
                    view! { <AddMechanism party_id=party_id.get_value() status on_added /> }
                })}
        </section>
    }
}

/// The "Add" form of the contact details.
#[component]
fn AddMechanism(
    party_id: String,
    status: Status,
    on_added: Callback<Vec<ContactMechanism>>,
) -> impl IntoView {
    let kind = RwSignal::new(MechanismKind::Email);
    let value = RwSignal::new(String::new());
    let attention = RwSignal::new(String::new());
    let street = RwSignal::new(String::new());
    let city = RwSignal::new(String::new());
    let postal_code = RwSignal::new(String::new());
    let region = RwSignal::new(String::new());
    let country = RwSignal::new(String::new());
    let valid_from = RwSignal::new(String::new());
    let purposes = RwSignal::new(vec![ContactPurpose::Primary]);
    let errors: RwSignal<FieldErrors> = status.fields;
    let postal = Memo::new(move |_| kind.get() == MechanismKind::PostalAddress);

    let input = move || {
        let text = |s: RwSignal<String>| {
            let v = s.get_untracked().trim().to_owned();
            (!v.is_empty()).then_some(v)
        };
        let kind = kind.get_untracked();
        let address = (kind == MechanismKind::PostalAddress).then(|| PostalAddressInput {
            attention: text(attention),
            street: text(street),
            city: text(city),
            postal_code: text(postal_code),
            region: text(region),
            country: text(country),
        });
        ContactMechanismInput {
            kind,
            // Sent even when blank, for the server to report.
            value: (kind != MechanismKind::PostalAddress)
                .then(|| value.get_untracked().trim().to_owned()),
            address,
            purposes: purposes.get_untracked(),
            valid_from: text(valid_from),
        }
    };
    let clear = move || {
        for s in [
            value,
            attention,
            street,
            city,
            postal_code,
            region,
            country,
            valid_from,
        ] {
            s.set(String::new());
        }
        purposes.set(vec![ContactPurpose::Primary]);
    };

    let party_id = StoredValue::new(party_id);
    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let mechanism = input();
        let party_id = party_id.get_value();
        spawn_local(async move {
            match parties::add_contact_mechanism(&party_id, &mechanism).await {
                Ok(list) => {
                    clear();
                    status.busy.set(false);
                    on_added.run(list);
                }
                Err(e) => status.fail_renamed(e, ADD_FIELDS, add_field),
            }
        });
    };

    let kind_options = MechanismKind::ALL
        .iter()
        .map(|&k| view! { <option value=k.as_str() prop:selected=move || kind.get() == k>{k.label()}</option> })
        .collect_view();
    let purpose_boxes = ContactPurpose::ALL
        .iter()
        .map(|&p| {
            view! {
                <label class="checkbox">
                    <input
                        type="checkbox"
                        id=format!("cm-purpose-{}", p.as_str())
                        prop:checked=move || purposes.with(|list| list.contains(&p))
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            purposes.update(|list| {
                                list.retain(|x| *x != p);
                                if on {
                                    list.push(p);
                                }
                                list.sort_by_key(|x| ContactPurpose::ALL.iter().position(|y| y == x));
                            });
                        }
                    />
                    {p.label()}
                </label>
            }
        })
        .collect_view();
    let value_type = move || match kind.get() {
        MechanismKind::Email => "email",
        MechanismKind::Phone => "tel",
        MechanismKind::Web => "url",
        MechanismKind::PostalAddress => "text",
    };
    let invalid = move |field: &'static str| {
        move || errors.with(|e| e.get(field).is_some()).then_some("true")
    };
    let address_input = move |id: &'static str, label: &'static str, signal: RwSignal<String>| {
        view! {
            <label class="stacked">
                {label}
                <input id=id type="text" autocomplete="off" bind:value=signal aria-invalid=invalid("address") />
            </label>
        }
    };

    view! {
        <form class="inline-form" id="cm-form" on:submit=on_submit novalidate>
            <h3>"Add contact detail"</h3>
            <div class="inline-fields">
                <label class="stacked">
                    "Kind"
                    <select
                        id="cm-kind"
                        on:change=move |ev| {
                            if let Some(k) = MechanismKind::parse(&event_target_value(&ev)) {
                                kind.set(k);
                            }
                        }
                    >
                        {kind_options}
                    </select>
                </label>
                <Show
                    when=move || postal.get()
                    fallback=move || {
                        view! {
                            <label class="stacked grow">
                                "Value"
                                <input id="cm-value" type=value_type autocomplete="off" bind:value=value aria-invalid=invalid("value") />
                            </label>
                        }
                    }
                >
                    {address_input("cm-attention", "Attention (to)", attention)}
                    {address_input("cm-street", "Street", street)}
                    {address_input("cm-city", "City", city)}
                    {address_input("cm-postalCode", "Postal code", postal_code)}
                    {address_input("cm-region", "Region", region)}
                    {address_input("cm-country", "Country", country)}
                </Show>
                <label class="stacked">
                    "Valid from"
                    <input id="cm-validFrom" type="date" bind:value=valid_from aria-invalid=invalid("validFrom") />
                </label>
            </div>
            <fieldset class="choices-line">
                <legend>"Purposes"</legend>
                {purpose_boxes}
            </fieldset>
            {ADD_FIELDS.iter().map(|&name| view! { <FieldError name errors /> }).collect_view()}
            <button type="submit" id="cm-add" class="btn btn-primary" disabled=move || status.busy.get()>
                "Add"
            </button>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts() {
        assert_eq!(
            purposes_text(&[ContactPurpose::Primary, ContactPurpose::Work]),
            "Primary, Work"
        );
        assert_eq!(purposes_text(&[]), format::EMPTY);
        assert_eq!(validity_text(Some("2024-01-01"), None), "from 2024-01-01");
        assert_eq!(
            validity_text(Some("2024-01-01"), Some("2024-12-31")),
            "2024-01-01 – 2024-12-31"
        );
        assert_eq!(validity_text(None, None), "");
    }

    #[test]
    fn add_form_fields_lose_the_prefix() {
        assert_eq!(add_field("mechanism.value"), Some("value"));
        assert_eq!(add_field("value"), Some("value"));
        assert_eq!(add_field("mechanism.address.city"), Some("address"));
        assert_eq!(add_field("partyId"), None);
    }

    #[test]
    fn values_link_where_they_can() {
        assert_eq!(
            value_href(MechanismKind::Phone, "+44 20 7946 0000").as_deref(),
            Some("tel:+442079460000")
        );
        assert_eq!(value_href(MechanismKind::Web, "acme.example"), None);
        assert_eq!(value_href(MechanismKind::PostalAddress, "1 Main St"), None);
    }
}
