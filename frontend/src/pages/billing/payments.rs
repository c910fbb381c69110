//! `/payments`: payments received, all or those with something left to allocate, and the form
//! recording one (for those who may).

use crate::api::parties::Party;
use crate::api::payments::{self, Payment, METHODS};
use crate::components::field::FieldError;
use crate::components::party_search::PartySearch;
use crate::components::status::{Status, StatusMessages};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::list::{list_page, rows_from, Filter, Found, ListSpec};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::json;

const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Received"),
    Column::new("Customer"),
    Column::new("Method"),
    Column::new("Amount"),
    Column::new("Allocated"),
    Column::new("Unallocated"),
];

fn m(v: &Option<crate::api::accounts::Money>) -> Cell {
    Cell::text(v.as_ref().map(format::money).unwrap_or_default())
}

fn row(p: &Payment) -> Row {
    Row {
        class: "payment-row",
        id: p.id.clone(),
        cells: vec![
            Cell::Link(format!("/payments/{}", p.id), p.number.clone()),
            Cell::text(p.received_on.clone()),
            Cell::or_empty(p.customer.as_ref().map(|c| c.name.as_str())),
            Cell::text(payments::method_label(&p.method)),
            m(&p.amount),
            m(&p.allocated),
            m(&p.unallocated),
        ],
        href: None,
    }
}

/// The form recording a payment; opens the payment to allocate it.
#[component]
fn RecordForm() -> impl IntoView {
    let open = RwSignal::new(false);
    let customer = RwSignal::new(None::<(String, String)>);
    let amount = RwSignal::new(String::new());
    let currency = RwSignal::new("EUR".to_owned());
    let date = RwSignal::new(String::new());
    let method = RwSignal::new("BANK_TRANSFER".to_owned());
    let reference = RwSignal::new(String::new());
    let status = Status::new(None);
    let errors = status.fields;
    let navigate = use_navigate();
    let pick = Callback::new(move |p: Party| customer.set(Some((p.id, p.display_name))));
    let submit = move || {
        if !status.start() {
            return;
        }
        let mut input = json!({
            "customerId": customer.get_untracked().map(|c| c.0).unwrap_or_default(),
            "amount": format::amount_typed(&amount.get_untracked()),
            "currency": currency.get_untracked().trim().to_ascii_uppercase(),
            "method": method.get_untracked(), "allocations": [] });
        for (k, v) in [("receivedOn", date), ("reference", reference)] {
            let v = v.get_untracked();
            if !v.trim().is_empty() {
                input[k] = json!(v.trim());
            }
        }
        let navigate = navigate.clone();
        spawn_local(async move {
            match payments::record(input).await {
                Ok(id) => navigate(&format!("/payments/{id}"), Default::default()),
                Err(e) => status.fail(
                    e,
                    &[
                        "customerId",
                        "amount",
                        "currency",
                        "receivedOn",
                        "reference",
                    ],
                ),
            }
        });
    };
    let input = |id: &'static str, label: &'static str, v: RwSignal<String>, ty: &'static str| {
        view! {
            <label class="field" for=id><span>{label}</span>
                <input id=id type=ty prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) /></label>
        }
    };
    let form = move || {
        let methods = METHODS
            .iter()
            .map(|(k, l)| view! { <option value=*k>{*l}</option> })
            .collect_view();
        let submit = submit.clone();
        open.get().then(|| view! {
            <form class="card" id="payment-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
                <StatusMessages status />
                <div class="field"><span>"Customer"</span>
                    <p id="payment-customer">{move || customer.get().map(|c| c.1).unwrap_or_default()}</p>
                    <PartySearch input_id="field-customerId" label="Find a customer" on_pick=pick />
                    <FieldError name="customerId" errors /></div>
                {input("field-amount", "Amount", amount, "text")}<FieldError name="amount" errors />
                {input("field-currency", "Currency", currency, "text")}<FieldError name="currency" errors />
                {input("field-receivedOn", "Received on", date, "date")}<FieldError name="receivedOn" errors />
                <label class="field" for="field-method"><span>"Method"</span>
                    <select id="field-method" on:change=move |ev| method.set(event_target_value(&ev))>{methods}</select></label>
                {input("field-reference", "Reference", reference, "text")}<FieldError name="reference" errors />
                <div class="actions">
                    <button id="save-payment" class="btn btn-primary" type="submit" disabled=move || status.busy.get()>"Save"</button>
                    <button class="btn" type="button" on:click=move |_| open.set(false)>"Cancel"</button>
                </div>
            </form>
        })
    };
    view! {
        <button id="record-payment" class="btn btn-primary" on:click=move |_| open.set(true)>"Record payment"</button>
        {form}
    }
}

lazy_part!(
    /// The payments list, fetched on first visit with the payment page's code.
    pub fn payments_part(props: PaymentsPart), chunk = payment_page, load = load_payments_list, view = payments_view
);

/// No props: the list reads the address.
pub struct PaymentsPart;

/// `/payments`.
fn payments_view(_: PaymentsPart) -> AnyView {
    let load = rows_from(move |q| {
        let (open, after) = (q.filter("open") == "true", q.after());
        async move { Ok(Found::new(&payments::payments(open, after).await?, row)) }
    });
    let form = super::may("payment", "create").then(|| view! { <RecordForm /> });
    list_page(
        ListSpec::new(
            "Payments",
            "payments",
            ("payment", "payments"),
            COLUMNS,
            load,
        )
        .filter(Filter::Check("open", "field-open", "With unallocated"))
        .empty("No payments.")
        .above(form.into_any())
        .tools(view! { <a class="btn" href="/invoices">"Invoices"</a> }.into_any())
        .views(),
    )
}
