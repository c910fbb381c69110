//! The account form's composite inputs: annual revenue and owner.

use crate::api::accounts::Account;
use crate::api::auth::User;
use crate::api::{users, FieldErrors};
use crate::components::field::FieldError;
use leptos::prelude::*;

/// Validation fields of the annual revenue group (shown only with read access).
pub const REVENUE_FIELDS: &[&str] = &[
    "annualRevenue",
    "annualRevenue.amount",
    "annualRevenue.currency",
];

/// Annual revenue: amount and currency, with their validation messages.
#[component]
pub fn RevenueField(
    /// Amount as typed.
    amount: RwSignal<String>,
    /// Currency code as typed.
    currency: RwSignal<String>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let invalid = move |field: &str| {
        errors.with(|e| e.get(field).is_some() || e.get("annualRevenue").is_some())
    };
    view! {
        <fieldset class="field field-group span-2">
            <legend>"Annual revenue"</legend>
            <div class="money">
                <label for="field-annualRevenueAmount" class="visually-hidden">"Amount"</label>
                <input
                    id="field-annualRevenueAmount"
                    name="annualRevenue.amount"
                    type="text"
                    inputmode="decimal"
                    placeholder="Amount, e.g. 1250000.00"
                    autocomplete="off"
                    disabled=move || disabled.get()
                    aria-invalid=move || invalid("annualRevenue.amount").then_some("true")
                    bind:value=amount
                />
                <label for="field-annualRevenueCurrency" class="visually-hidden">"Currency"</label>
                <input
                    id="field-annualRevenueCurrency"
                    name="annualRevenue.currency"
                    class="currency"
                    type="text"
                    placeholder="EUR"
                    maxlength="3"
                    autocomplete="off"
                    disabled=move || disabled.get()
                    aria-invalid=move || invalid("annualRevenue.currency").then_some("true")
                    bind:value=currency
                />
            </div>
            {REVENUE_FIELDS.iter().map(|&name| view! { <FieldError name errors /> }).collect_view()}
        </fieldset>
    }
}

/// Owner picker fed by the `users` query. The current owner stays selectable
/// even when the list does not include them.
#[component]
pub fn OwnerField(
    /// Selected user id; empty for no owner.
    value: RwSignal<String>,
    /// The saved account, whose owner is always offered.
    current: RwSignal<Option<Account>>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let picker = LocalResource::new(users::assignable);
    let options = move || {
        // Without the list (e.g. not allowed) only the current owner is offered.
        let mut list: Vec<User> = picker.get().and_then(Result::ok).unwrap_or_default();
        let owner = current.with(|c| c.as_ref().and_then(|a| a.owner.clone()));
        if let Some(owner) = owner {
            if !list.iter().any(|u| u.id == owner.id) {
                list.insert(0, owner);
            }
        }
        list.into_iter()
            .map(|user| {
                let id = user.id.clone();
                view! {
                    <option value=user.id prop:selected=move || value.with(|v| *v == id)>
                        {user.display_name}
                    </option>
                }
            })
            .collect_view()
    };
    let invalid = move || errors.with(|e| e.get("ownerId").is_some());
    view! {
        <div class="field" class:has-error=invalid>
            <label for="field-ownerId">"Owner"</label>
            <select
                id="field-ownerId"
                name="ownerId"
                disabled=move || disabled.get()
                aria-invalid=move || invalid().then_some("true")
                on:change=move |ev| value.set(event_target_value(&ev))
            >
                <option value="" prop:selected=move || value.with(String::is_empty)>
                    "No owner"
                </option>
                {options}
            </select>
            <FieldError name="ownerId" errors />
        </div>
    }
}
