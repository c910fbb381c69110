//! `/contracts`: contracts newest first, or only those waiting for the user's review; and
//! `/contracts/:id`: a contract with its terms, sent for review by its author and approved or
//! rejected (with notes) by a second user.

use crate::api::billing::{self, contract_status_label, Contract, ContractWrite};
use crate::components::session::set_title;
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Title"),
    Column::new("Customer"),
    Column::new("Status"),
    Column::new("Value"),
    Column::new("Ends"),
];

fn status(s: &str) -> &'static str {
    ["DRAFT", "IN_REVIEW", "APPROVED", "REJECTED"]
        .into_iter()
        .find(|x| *x == s)
        .unwrap_or("DRAFT")
}

fn row(c: &Contract) -> Row {
    Row {
        class: "contract-row",
        id: c.id.clone(),
        cells: vec![
            Cell::Link(format!("/contracts/{}", c.id), c.number.clone()),
            Cell::text(c.title.clone()),
            Cell::or_empty(c.customer.as_ref().map(|p| p.name.as_str())),
            Cell::Badge(status(&c.status), contract_status_label(&c.status)),
            Cell::text(c.value.as_ref().map(format::money).unwrap_or_default()),
            Cell::text(c.end_date.clone()),
        ],
        href: None,
    }
}

/// `/contracts`.
#[component]
pub fn ContractsPage() -> impl IntoView {
    let load = rows_from(move |q| {
        let (review, after) = (q.filter("review") == "true", q.after());
        async move { Ok(Found::new(&billing::contracts(review, after).await?, row)) }
    });
    let mut spec = ListSpec::new(
        "Contracts",
        "contracts",
        ("contract", "contracts"),
        COLUMNS,
        load,
    )
    .create(&[Create {
        id: "new-contract",
        href: "/contracts/new",
        label: "New contract",
        grant: ("contract", "create"),
    }])
    .empty("No contracts here.");
    if super::may_field("contract", "review") {
        spec = spec.filter(Filter::Check(
            "review",
            "field-to-review",
            "Waiting for my review",
        ));
    }
    list_page(spec)
}

/// `/contracts/:id`.
pub fn contract_view() -> AnyView {
    record_page(
        |id| async move { billing::contract(&id).await },
        Missing::new(
            "Contract not found",
            ("/contracts", "Back to contracts"),
            "Loading contract…",
        ),
        |c| view! { <ContractView contract=c /> }.into_any(),
    )
    .into_any()
}

#[component]
fn ContractView(contract: Contract) -> impl IntoView {
    set_title(&format!("Contract {}", contract.number));
    let contract = RwSignal::new(contract);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let notes = RwSignal::new(String::new());
    let run = move |mutation: ContractWrite, approve: Option<bool>| {
        busy.set(true);
        error.set(None);
        let mut input = contract.with_untracked(|c| json!({ "id": c.id, "version": c.version }));
        if let Some(a) = approve {
            input["approve"] = json!(a);
            let n = notes.get_untracked();
            if !n.trim().is_empty() {
                input["notes"] = json!(n.trim());
            }
        }
        spawn_local(async move {
            match billing::save_contract(mutation, input).await {
                Ok(c) => {
                    notice.set(Some(contract_status_label(&c.status).to_owned()));
                    contract.set(c);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let body = move || {
        contract.with(|c| {
        let can = c.can;
        view! {
            <div class="record-header">
                <h1>"Contract " <span id="contract-number">{c.number.clone()}</span></h1>
                <span class="badge" id="contract-status" data-status=c.status.clone()>{contract_status_label(&c.status)}</span>
                {can.edit.then(|| view! { <a id="edit-contract" class="btn" href=format!("/contracts/{}/edit", c.id)>"Edit"</a> })}
            </div>
            <p class="muted">
                {c.title.clone()}
                {c.customer.clone().map(|p| view! { " · " <a href=format!("/parties/{}", p.id)>{p.name}</a> })}
                " · " {c.start_date.clone()} " to " {c.end_date.clone()}
                " · " {c.value.as_ref().map(format::money).unwrap_or_default()}
                {c.notice_date.clone().map(|d| view! { " · notice by " <span id="contract-notice-date">{d}</span> })}
            </p>
            {c.terms.clone().map(|t| view! { <section class="card"><h2>"Terms"</h2><p class="pre">{t}</p></section> })}
            <section class="card" id="contract-review">
                <h2>"Review"</h2>
                {c.submitted_by.clone().map(|s| view! { <p>"Sent for review by " <span id="contract-submitted-by">{s}</span></p> })}
                {c.reviewer.clone().map(|r| view! { <p>"Reviewed by " <span id="contract-reviewer">{r}</span></p> })}
                {c.review_notes.clone().map(|n| view! { <p class="note" id="contract-review-notes">{n}</p> })}
                {can.submit.then(|| view! { <button id="submit-contract" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| run(ContractWrite::Submit, None)>"Send for review"</button> })}
                {can.review.then(|| view! {
                    <label class="field" for="review-notes"><span>"Notes (required to reject)"</span>
                        <textarea id="review-notes" prop:value=move || notes.get() on:input=move |ev| notes.set(event_target_value(&ev))></textarea></label>
                    <div class="actions">
                        <button id="approve-contract" class="btn btn-primary" disabled=move || busy.get()
                            on:click=move |_| run(ContractWrite::Review, Some(true))>"Approve"</button>
                        <button id="reject-contract" class="btn btn-danger" disabled=move || busy.get()
                            on:click=move |_| run(ContractWrite::Review, Some(false))>"Reject"</button>
                    </div>
                })}
            </section>
        }
    })
    };
    view! {
        <div class="page contract-page">
            {body}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="contract-notice">{n}</p> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="contract-error">{e}</p> })}
        </div>
    }
}
