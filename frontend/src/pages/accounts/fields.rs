//! The account form's composite input: annual revenue.

use crate::api::FieldErrors;
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
