//! The profile's sales documents: the customer's open balance and overdue amount, and their latest
//! enquiries, quotes, orders, contracts and invoices — each part only when the user may see it.

use crate::api::billing::{self, CustomerParts, DocRow};
use crate::api::ApiError;
use crate::components::load::load_once;
use crate::format;
use leptos::prelude::*;

/// One kind's rows, each linking to its page under `base` (no link when `base` is empty).
fn rows(title: &'static str, class: &'static str, base: &'static str, list: &[DocRow]) -> AnyView {
    if list.is_empty() {
        return ().into_any();
    }
    let items = list
        .iter()
        .map(|d| {
            let number = d.number.clone().unwrap_or_else(|| "Draft".to_owned());
            let name = if base.is_empty() {
                view! { <span class="rel-other">{number}</span> }.into_any()
            } else {
                view! { <a class="rel-other" href=format!("{base}/{}", d.id)>{number}</a> }.into_any()
            };
            view! {
                <li class=class>
                    {name}
                    <span class="rel-kind">{d.status.to_ascii_lowercase().replace('_', " ")}</span>
                    <span class="rel-role">{d.amount.as_ref().map(format::money).unwrap_or_default()}</span>
                    <span class="rel-dates">{d.date.clone()}</span>
                </li>
            }
        })
        .collect_view();
    view! { <h3>{title}</h3><ul class="rows">{items}</ul> }.into_any()
}

/// `#sales-documents`.
#[component]
pub fn SalesDocuments(party_id: String, parts: CustomerParts) -> impl IntoView {
    let may_contract = crate::components::session::use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can("contract", "create")));
    let new_contract = may_contract.then(|| {
        let href = format!("/contracts/new?customer={party_id}");
        view! { <a id="new-contract" class="btn" href=href>"New contract"</a> }
    });
    let party = party_id.clone();
    let loaded = load_once(async move { billing::customer_docs(&party_id, parts).await });
    let body = move || match loaded.get() {
        None => view! { <p class="loading">"Loading documents…"</p> }.into_any(),
        Some(Err(ApiError::Unauthenticated)) => ().into_any(),
        Some(Err(e)) => {
            view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        Some(Ok(d)) => {
            let balance = d
                .balance
                .iter()
                .map(|b| {
                    view! {
                        <dt>"Open"</dt><dd class="balance-open">{b.open.as_ref().map(format::money).unwrap_or_default()}</dd>
                        <dt>"Overdue"</dt><dd class="balance-overdue">{b.overdue.as_ref().map(format::money).unwrap_or_default()}</dd>
                        <dt>"Balance"</dt><dd>{b.balance.as_ref().map(format::money).unwrap_or_default()}</dd>
                    }
                })
                .collect_view();
            let nothing = d.enquiries.is_empty()
                && d.quotes.is_empty()
                && d.orders.is_empty()
                && d.contracts.is_empty()
                && d.invoices.is_empty();
            view! {
                {(!d.balance.is_empty()).then(|| view! { <dl class="totals" id="customer-balance">{balance}</dl> })}
                {parts.invoices.then(|| view! { <a id="statement-link" href=format!("/statement/{party}")>"Statement"</a> })}
                {(d.balance.is_empty() && !d.invoices.is_empty()).then(|| view! {
                    <dl class="totals" id="customer-balance"><dt>"Balance"</dt><dd class="balance-open">"Nothing owed"</dd></dl>
                })}
                {rows("Invoices", "doc-invoice", "/invoices", &d.invoices)}
                {rows("Orders", "doc-order", "/orders", &d.orders)}
                {rows("Quotes", "doc-quote", "/quotes", &d.quotes)}
                {rows("Contracts", "doc-contract", "/contracts", &d.contracts)}
                {rows("Enquiries", "doc-enquiry", "/enquiries", &d.enquiries)}
                {nothing.then(|| view! { <p class="empty">"No sales documents yet."</p> })}
            }
            .into_any()
        }
    };
    view! {
        <section class="card profile-section" id="sales-documents" aria-labelledby="docs-heading">
            <h2 id="docs-heading">"Sales documents"</h2>
            {new_contract}
            {body}
        </section>
    }
}
