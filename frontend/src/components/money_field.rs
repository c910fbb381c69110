//! An amount of money: value and currency, with their validation messages.

use crate::api::FieldErrors;
use crate::components::field::FieldError;
use leptos::prelude::*;

/// A fieldset with the amount and the currency code of a `MoneyInput`.
#[component]
pub fn MoneyField(
    /// Validation names of the group, its amount and its currency, e.g.
    /// `["amount", "amount.amount", "amount.currency"]`.
    fields: &'static [&'static str; 3],
    /// Visible legend.
    legend: &'static str,
    /// DOM id prefix: the inputs are `{id}Amount` and `{id}Currency`.
    #[prop(into)]
    id: String,
    /// Amount as typed.
    amount: RwSignal<String>,
    /// Currency code as typed.
    currency: RwSignal<String>,
    /// Current validation messages.
    errors: RwSignal<FieldErrors>,
    /// Read-only when the user may not change it.
    disabled: Signal<bool>,
) -> impl IntoView {
    let [group, amount_field, currency_field] = *fields;
    let invalid =
        move |field: &str| errors.with(|e| e.get(field).is_some() || e.get(group).is_some());
    let amount_id = format!("{id}Amount");
    let currency_id = format!("{id}Currency");
    view! {
        <fieldset class="field field-group span-2">
            <legend>{legend}</legend>
            <div class="money">
                <label for=amount_id.clone() class="visually-hidden">"Amount"</label>
                <input
                    id=amount_id
                    name=amount_field
                    type="text"
                    inputmode="decimal"
                    placeholder="Amount, e.g. 1250000.00"
                    autocomplete="off"
                    disabled=disabled
                    aria-invalid=move || invalid(amount_field).then_some("true")
                    bind:value=amount
                />
                <label for=currency_id.clone() class="visually-hidden">"Currency"</label>
                <input
                    id=currency_id
                    name=currency_field
                    class="currency"
                    type="text"
                    placeholder="EUR"
                    maxlength="3"
                    autocomplete="off"
                    disabled=disabled
                    aria-invalid=move || invalid(currency_field).then_some("true")
                    bind:value=currency
                />
            </div>
            {fields.iter().map(|&name| view! { <FieldError name errors /> }).collect_view()}
        </fieldset>
    }
}
