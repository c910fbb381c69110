//! `/invoices/:id`: an invoice or credit note with its lines and what settled it; a draft is
//! issued (numbered) or deleted; an open invoice takes a payment or a credit note.

use crate::api::billing::{self, invoice_status_label, Invoice, InvoiceWrite};
use crate::components::session::set_title;
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::json;

lazy_part!(
    /// The invoice page, fetched on first visit.
    pub fn invoice_part(props: InvoicePart), chunk = invoice_page, load = load_invoice_page, view = invoice_view
);

/// No props: the page reads the address.
pub struct InvoicePart;

fn invoice_view(_: InvoicePart) -> AnyView {
    record_page(
        |id| async move { billing::invoice(&id).await },
        Missing::new(
            "Invoice not found",
            ("/invoices", "Back to invoices"),
            "Loading invoice…",
        ),
        |i| view! { <InvoiceView invoice=i /> }.into_any(),
    )
    .into_any()
}

fn money(m: &Option<crate::api::accounts::Money>) -> String {
    m.as_ref()
        .map(format::money)
        .unwrap_or_else(|| format::EMPTY.into())
}

#[component]
fn InvoiceView(invoice: Invoice) -> impl IntoView {
    let title = match (&invoice.number, invoice.kind.as_str()) {
        (Some(n), "CREDIT_NOTE") => format!("Credit note {n}"),
        (Some(n), _) => format!("Invoice {n}"),
        (None, _) => "Draft invoice".to_owned(),
    };
    set_title(&title);
    let invoice = RwSignal::new(invoice);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let reload = move |done: String| {
        let id = invoice.with_untracked(|i| i.id.clone());
        spawn_local(async move {
            match billing::invoice(&id).await {
                Ok(Some(i)) => invoice.set(i),
                Ok(None) => {}
                Err(e) => error.set(Some(e.to_string())),
            }
            notice.set(Some(done));
            busy.set(false);
        });
    };
    let version = move || invoice.with_untracked(|i| json!({ "id": i.id, "version": i.version }));
    let issue = move |_| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match billing::save_invoice(InvoiceWrite::Issue, version()).await {
                Ok(i) => {
                    let n = i.number.clone().unwrap_or_default();
                    set_title(&format!("Invoice {n}"));
                    invoice.set(i);
                    notice.set(Some(format!("Issued as {n}")));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let delete = move |_| {
        busy.set(true);
        let (id, v) = invoice.with_untracked(|i| (i.id.clone(), i.version));
        let navigate = navigate.clone();
        spawn_local(async move {
            match billing::delete_invoice(&id, v).await {
                Ok(()) => navigate("/invoices", Default::default()),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    // The payment form: amount (the open amount to begin with) and reference.
    let paying = RwSignal::new(false);
    let amount = RwSignal::new(String::new());
    let reference = RwSignal::new(String::new());
    let pay = move || {
        busy.set(true);
        error.set(None);
        let (id, customer, currency) = invoice.with_untracked(|i| {
            (
                i.id.clone(),
                i.customer.as_ref().map(|c| c.id.clone()),
                i.open.as_ref().map(|m| m.currency.clone()),
            )
        });
        let a = amount.get_untracked().trim().replace(',', "");
        let mut input = json!({ "customerId": customer, "amount": a, "currency": currency,
            "allocations": [{ "invoiceId": id, "amount": a }] });
        let r = reference.get_untracked();
        if !r.trim().is_empty() {
            input["reference"] = json!(r.trim());
        }
        spawn_local(async move {
            match billing::record_payment(input).await {
                Ok(number) => {
                    paying.set(false);
                    reload(format!("Payment {number} recorded"));
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let crediting = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let credit = move || {
        busy.set(true);
        error.set(None);
        let mut input =
            invoice.with_untracked(|i| json!({ "invoiceId": i.id, "version": i.version }));
        input["reason"] = json!(reason.get_untracked());
        spawn_local(async move {
            match billing::save_invoice(InvoiceWrite::Credit, input).await {
                Ok(cn) => {
                    crediting.set(false);
                    reload(format!(
                        "Credit note {} issued",
                        cn.number.unwrap_or_default()
                    ));
                }
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let header = move || {
        invoice.with(|i| {
        let label = invoice_status_label(&i.status, &i.payment_status);
        let status = if i.status == "DRAFT" { "DRAFT".to_owned() } else { i.payment_status.clone() };
        let title = match (&i.number, i.kind.as_str()) {
            (Some(n), "CREDIT_NOTE") => view! { "Credit note " <span id="invoice-number">{n.clone()}</span> }.into_any(),
            (Some(n), _) => view! { "Invoice " <span id="invoice-number">{n.clone()}</span> }.into_any(),
            (None, _) => view! { "Draft invoice" }.into_any(),
        };
        view! {
            <div class="record-header">
                <h1>{title}</h1>
                <span class="badge" id="invoice-status" data-status=status>{label}</span>
            </div>
            <p class="muted">
                {i.customer.clone().map(|c| view! { <a href=format!("/parties/{}", c.id)>{c.name}</a> })}
                {i.order.clone().map(|o| view! { " · order " <a id="invoice-order" href=format!("/orders/{}", o.id)>{o.name}</a> })}
                {i.issue_date.clone().map(|d| view! { " · issued " {d} })}
                {i.due_date.clone().map(|d| view! { " · due " <span id="invoice-due">{d}</span> })}
                {(i.days_overdue > 0).then(|| view! { " · " <strong class="overdue">{i.days_overdue} " days overdue"</strong> })}
                {(i.dunning_level > 0).then(|| view! { " · reminders sent: " {i.dunning_level} })}
            </p>
        }
    })
    };
    let actions = move || {
        let can = invoice.with(|i| i.can);
        view! {
            <div class="actions" role="toolbar" aria-label="Invoice actions">
                {can.issue.then(|| view! { <button id="issue-invoice" class="btn btn-primary" disabled=move || busy.get() on:click=issue>"Issue"</button> })}
                {can.record_payment.then(|| view! { <button id="record-payment" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| {
                        amount.set(invoice.with_untracked(|i| i.open.as_ref().map(|m| m.amount.clone()).unwrap_or_default()));
                        paying.set(true);
                    }>"Record payment…"</button> })}
                {can.credit.then(|| view! { <button id="credit-invoice" class="btn" disabled=move || busy.get()
                    on:click=move |_| crediting.set(true)>"Credit note…"</button> })}
                {can.delete.then(|| view! { <button id="delete-invoice" class="btn btn-danger" disabled=move || busy.get() on:click=delete.clone()>"Delete draft"</button> })}
            </div>
            {move || paying.get().then(|| view! {
                <form class="card" id="payment-form" on:submit=move |ev| { ev.prevent_default(); pay(); }>
                    <h2>"Payment received"</h2>
                    <label class="field" for="payment-amount"><span>"Amount"</span>
                        <input id="payment-amount" inputmode="decimal" prop:value=move || amount.get()
                            on:input=move |ev| amount.set(event_target_value(&ev)) /></label>
                    <label class="field" for="payment-reference"><span>"Reference (optional)"</span>
                        <input id="payment-reference" prop:value=move || reference.get()
                            on:input=move |ev| reference.set(event_target_value(&ev)) /></label>
                    <div class="actions">
                        <button id="confirm-payment" class="btn btn-primary" type="submit" disabled=move || busy.get()>"Record payment"</button>
                        <button class="btn" type="button" on:click=move |_| paying.set(false)>"Cancel"</button>
                    </div>
                </form>
            })}
            {move || crediting.get().then(|| view! {
                <form class="card" id="credit-form" on:submit=move |ev| { ev.prevent_default(); credit(); }>
                    <h2>"Credit what is open on this invoice"</h2>
                    <label class="field" for="credit-reason"><span>"Reason"</span>
                        <input id="credit-reason" prop:value=move || reason.get()
                            on:input=move |ev| reason.set(event_target_value(&ev)) /></label>
                    <div class="actions">
                        <button id="confirm-credit" class="btn btn-primary" type="submit" disabled=move || busy.get()>"Issue credit note"</button>
                        <button class="btn" type="button" on:click=move |_| crediting.set(false)>"Cancel"</button>
                    </div>
                </form>
            })}
        }
    };
    let body = move || {
        invoice.with(|i| {
        let rows: Vec<_> = i.lines.iter().map(|l| {
            let item = match &l.code { Some(c) => format!("{c} {}", l.name), None => l.name.clone() };
            view! {
                <tr class="invoice-line">
                    <td>{item}</td>
                    <td class="num">{l.quantity.clone()} " " {l.unit.clone()}</td>
                    <td class="num">{money(&l.unit_price)}</td>
                    <td class="num">{l.tax_rate_percent.clone()} " %"</td>
                    <td class="num">{money(&l.total)}</td>
                </tr>
            }
        }).collect();
        let payments: Vec<_> = i.allocations.iter().map(|a| view! {
            <li class="allocation">{a.payment.clone().unwrap_or_else(|| "Payment".into())} " · "
                {money(&a.amount)} " · " {format::date(&a.created_at)}</li>
        }).collect();
        let notes: Vec<_> = i.credit_notes.iter().map(|c| view! {
            <li><a href=format!("/invoices/{}", c.id)>{c.number.clone().unwrap_or_default()}</a> " · " {money(&c.total)}</li>
        }).collect();
        view! {
            <section class="card">
                <h2>"Lines"</h2>
                <div class="table-wrap"><table class="table" id="invoice-lines">
                    <thead><tr><th>"Item"</th><th class="num">"Quantity"</th><th class="num">"Unit price"</th>
                        <th class="num">"Tax"</th><th class="num">"Total"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                <dl class="totals" id="invoice-totals">
                    <dt>"Net"</dt><dd>{money(&i.net)}</dd>
                    <dt>"Tax"</dt><dd>{money(&i.tax)}</dd>
                    <dt>"Total"</dt><dd id="invoice-total">{money(&i.total)}</dd>
                    <dt>"Paid"</dt><dd id="invoice-paid">{money(&i.paid)}</dd>
                    <dt>"Credited"</dt><dd>{money(&i.credited)}</dd>
                    <dt>"Open"</dt><dd id="invoice-open">{money(&i.open)}</dd>
                </dl>
            </section>
            {(!payments.is_empty()).then(|| view! { <section class="card"><h2>"Payments"</h2><ul id="invoice-payments">{payments}</ul></section> })}
            {(!notes.is_empty()).then(|| view! { <section class="card"><h2>"Credit notes"</h2><ul id="invoice-credit-notes">{notes}</ul></section> })}
        }
    })
    };
    view! {
        <div class="page invoice-page">
            {header}
            {actions}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="invoice-notice">{n}</p> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="invoice-error">{e}</p> })}
            {body}
        </div>
    }
}
