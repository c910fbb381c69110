//! The party forms' choice inputs: roles, customer type, payment preference.

use crate::api::parties::{CustomerType, PartyRole, PaymentPreference};
use crate::api::FieldErrors;
use crate::components::field::FieldError;
use leptos::prelude::*;

/// One checkbox per role (`#role-CONTACT`, …).
#[component]
pub fn RolesField(
    /// Roles ticked.
    roles: Signal<Vec<PartyRole>>,
    /// The known roles' pick-list labels (a role without one reads its built-in label).
    labels: Signal<Vec<(PartyRole, String)>>,
    /// Tick or untick a role.
    on_toggle: Callback<(PartyRole, bool)>,
    /// The roles administrators added that may be ticked, `(key, label)`.
    others: Signal<Vec<(String, String)>>,
    /// Keys of those ticked.
    others_ticked: Signal<Vec<String>>,
    /// Tick or untick one of those.
    on_toggle_other: Callback<(String, bool)>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let boxes = PartyRole::ALL
        .iter()
        .map(|&role| {
            view! {
                <label class="checkbox">
                    <input
                        type="checkbox"
                        id=format!("role-{}", role.as_str())
                        name="roles"
                        value=role.as_str()
                        disabled=move || disabled.get()
                        prop:checked=move || roles.with(|r| r.contains(&role))
                        on:change=move |ev| on_toggle.run((role, event_target_checked(&ev)))
                    />
                    {move || labels.with(|l| {
                        l.iter()
                            .find(|(r, _)| *r == role)
                            .map_or_else(|| role.label().to_owned(), |(_, label)| label.clone())
                    })}
                </label>
            }
        })
        .collect_view();
    let other_boxes = move || {
        others
            .get()
            .into_iter()
            .map(|(key, label)| {
                let ticked = key.clone();
                let toggled = key.clone();
                view! {
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            id=format!("role-{key}")
                            name="roleKeys"
                            value=key
                            disabled=move || disabled.get()
                            prop:checked=move || others_ticked.with(|t| t.contains(&ticked))
                            on:change=move |ev| on_toggle_other.run((toggled.clone(), event_target_checked(&ev)))
                        />
                        {label}
                    </label>
                }
            })
            .collect_view()
    };
    view! {
        <fieldset class="field field-group span-2" class:has-error=move || errors.with(|e| e.get("roles").is_some() || e.get("roleKeys").is_some())>
            <legend>"Roles"</legend>
            <div class="choices">{boxes}{other_boxes}</div>
            <FieldError name="roles" errors />
            <FieldError name="roleKeys" errors />
        </fieldset>
    }
}

/// B2B / B2C radio buttons (`#field-customerType-B2B`, `#field-customerType-B2C`).
#[component]
pub fn CustomerTypeField(
    /// The type chosen.
    value: RwSignal<Option<CustomerType>>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let radios = CustomerType::ALL
        .iter()
        .map(|&t| {
            view! {
                <label class="checkbox">
                    <input
                        type="radio"
                        id=format!("field-customerType-{}", t.as_str())
                        name="customerType"
                        value=t.as_str()
                        disabled=move || disabled.get()
                        prop:checked=move || value.get() == Some(t)
                        on:change=move |_| value.set(Some(t))
                    />
                    {t.label()}
                </label>
            }
        })
        .collect_view();
    view! {
        <fieldset class="field field-group" class:has-error=move || errors.with(|e| e.get("customerType").is_some())>
            <legend>"Customer type"</legend>
            <div class="choices">{radios}</div>
            <FieldError name="customerType" errors />
        </fieldset>
    }
}

/// Payment preference of a B2C customer (`#field-paymentPreference`).
#[component]
pub fn PaymentPreferenceField(
    /// The preference chosen; `None` for not set.
    value: RwSignal<Option<PaymentPreference>>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let options = PaymentPreference::ALL
        .iter()
        .map(|&p| {
            view! {
                <option value=p.as_str() prop:selected=move || value.get() == Some(p)>
                    {p.label()}
                </option>
            }
        })
        .collect_view();
    let invalid = move || errors.with(|e| e.get("paymentPreference").is_some());
    view! {
        <div class="field" class:has-error=invalid>
            <label for="field-paymentPreference">"Payment preference"</label>
            <select
                id="field-paymentPreference"
                name="paymentPreference"
                disabled=move || disabled.get()
                aria-invalid=move || invalid().then_some("true")
                on:change=move |ev| value.set(PaymentPreference::parse(&event_target_value(&ev)))
            >
                <option value="" prop:selected=move || value.get().is_none()>
                    "Not set"
                </option>
                {options}
            </select>
            <FieldError name="paymentPreference" errors />
        </div>
    }
}
