//! `/orders/:id`: an order with its lines, deliveries (all outstanding, or per line), its status
//! actions, invoicing what was delivered or everything outstanding, and its invoices.

use crate::api::billing::{
    self, invoice_status_label, order_status_label, InvoiceWrite, Order, OrderWrite,
};
use crate::components::session::set_title;
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_navigate;
use serde_json::{json, Value};

lazy_part!(
    /// The order page, fetched on first visit.
    pub fn order_part(props: OrderPart), chunk = order_page, load = load_order_page, view = order_view
);

/// No props: the page reads the address.
pub struct OrderPart;

fn order_view(_: OrderPart) -> AnyView {
    record_page(
        |id| async move { billing::order(&id).await },
        Missing::new(
            "Order not found",
            ("/orders", "Back to orders"),
            "Loading order…",
        ),
        |o| view! { <OrderView order=o /> }.into_any(),
    )
    .into_any()
}

#[component]
fn OrderView(order: Order) -> impl IntoView {
    set_title(&format!("Order {}", order.number));
    let order = RwSignal::new(order);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let run = move |mutation: OrderWrite, input: Value, done: &'static str| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match billing::save_order(mutation, input).await {
                Ok(o) => {
                    order.set(o);
                    notice.set(Some(done.into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let version = move || order.with_untracked(|o| json!({ "id": o.id, "version": o.version }));
    let invoice = Callback::new(move |basis: &'static str| {
        busy.set(true);
        error.set(None);
        let id = order.with_untracked(|o| o.id.clone());
        let navigate = navigate.clone();
        spawn_local(async move {
            match billing::save_invoice(
                InvoiceWrite::Create,
                json!({ "orderId": id, "basis": basis }),
            )
            .await
            {
                Ok(i) => navigate(&format!("/invoices/{}", i.id), Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    });
    // Per line: the quantity typed to deliver.
    let typed = RwSignal::new(Vec::<(String, String)>::new());
    let deliver_typed = move || {
        let lines: Vec<Value> = typed
            .get_untracked()
            .into_iter()
            .filter(|(_, q)| !q.trim().is_empty())
            .map(|(id, q)| json!({ "lineId": id, "quantity": q.trim() }))
            .collect();
        if lines.is_empty() {
            error.set(Some("Type a quantity on at least one line".into()));
            return;
        }
        let mut input = version();
        input["lines"] = json!(lines);
        typed.set(Vec::new());
        run(OrderWrite::Deliver, input, "Delivery recorded");
    };
    let header = move || {
        order.with(|o| {
        let status = o.status.clone();
        view! {
            <div class="record-header">
                <h1>{if o.kind == "DEALER" { "Dealer order " } else { "Order " }}<span id="order-number">{o.number.clone()}</span></h1>
                <span class="badge" id="order-status" data-status=status.clone()>{order_status_label(&status)}</span>
            </div>
            <p class="muted">
                {o.order_date.clone()}
                {o.customer.clone().map(|c| view! { " · for " <a href=format!("/parties/{}", c.id)>{c.name}</a> })}
                {o.dealer.clone().map(|d| view! { " · ordered by " <a href=format!("/parties/{}", d.id)>{d.name}</a> })}
                {o.dealer_reference.clone().map(|r| view! { " · their reference " <strong id="dealer-reference">{r}</strong> })}
                {o.quote.clone().map(|q| view! { " · from quote " <a href=format!("/quotes/{}", q.id)>{q.name}</a> })}
            </p>
        }
    })
    };
    let actions = move || {
        let can = order.with(|o| o.can);
        view! {
            <div class="actions" role="toolbar" aria-label="Order actions">
                {can.confirm.then(|| view! { <button id="confirm-order" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| run(OrderWrite::Confirm, version(), "Confirmed")>"Confirm"</button> })}
                {can.ship.then(|| view! { <button id="ship-order" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(OrderWrite::Ship, version(), "Shipped")>"Mark shipped"</button> })}
                {can.deliver.then(|| view! { <button id="deliver-all" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(OrderWrite::Deliver, version(), "Everything delivered")>"Deliver everything outstanding"</button> })}
                {can.invoice.then(|| view! {
                    <button id="invoice-delivered" class="btn btn-primary" disabled=move || busy.get()
                        on:click=move |_| invoice.run("DELIVERED")>"Invoice what was delivered"</button>
                    <button id="invoice-all" class="btn" disabled=move || busy.get()
                        on:click=move |_| invoice.run("OUTSTANDING")>"Invoice everything"</button>
                })}
                {can.cancel.then(|| view! { <button id="cancel-order" class="btn btn-danger" disabled=move || busy.get()
                    on:click=move |_| run(OrderWrite::Cancel, version(), "Cancelled")>"Cancel order"</button> })}
            </div>
        }
    };
    let lines = move || {
        order.with(|o| {
        let deliver = o.can.deliver;
        let rows: Vec<_> = o.lines.iter().map(|l| {
            let id = l.id.clone();
            let item = match &l.code { Some(c) => format!("{c} {}", l.name), None => l.name.clone() };
            let outstanding = l.outstanding != "0";
            view! {
                <tr class="order-line">
                    <td>{item}</td>
                    <td class="num">{l.quantity.clone()} " " {l.unit.clone()}</td>
                    <td class="num line-delivered">{l.delivered.clone()}</td>
                    <td class="num">{l.invoiced.clone()}</td>
                    <td class="num">{l.unit_price.as_ref().map(format::money).unwrap_or_default()}</td>
                    <td class="num">{l.total.as_ref().map(format::money).unwrap_or_default()}</td>
                    {(deliver && outstanding).then(|| {
                        let id2 = id.clone();
                        view! { <td><input class="deliver-qty" inputmode="decimal" aria-label="Quantity to deliver"
                            placeholder=l.outstanding.clone()
                            on:input=move |ev| {
                                let v = event_target_value(&ev);
                                typed.update(|t| { t.retain(|(i, _)| *i != id2); t.push((id2.clone(), v)); });
                            }
                            on:keydown=move |ev| if ev.key() == "Enter" { deliver_typed() } /></td> }
                    })}
                </tr>
            }
        }).collect();
        view! {
            <section class="card">
                <h2>"Lines"</h2>
                <div class="table-wrap"><table class="table" id="order-lines">
                    <thead><tr><th>"Item"</th><th class="num">"Ordered"</th><th class="num">"Delivered"</th>
                        <th class="num">"Invoiced"</th><th class="num">"Unit price"</th><th class="num">"Total"</th>
                        {deliver.then(|| view! { <th>"Deliver now"</th> })}</tr></thead>
                    <tbody>{rows}</tbody>
                </table></div>
                {deliver.then(|| view! { <button id="deliver-lines" class="btn" disabled=move || busy.get()
                    on:click=move |_| deliver_typed()>"Record delivery"</button> })}
                <dl class="totals"><dt>"Net"</dt><dd>{o.net.as_ref().map(format::money).unwrap_or_default()}</dd>
                    <dt>"Total"</dt><dd id="order-total">{o.total.as_ref().map(format::money).unwrap_or_default()}</dd></dl>
            </section>
        }
    })
    };
    let invoices = move || {
        order.with(|o| {
        (!o.invoices.is_empty()).then(|| {
            let rows: Vec<_> = o.invoices.iter().map(|i| view! {
                <li class="order-invoice"><a href=format!("/invoices/{}", i.id)>{i.number.clone().unwrap_or_else(|| "Draft invoice".into())}</a>
                    " · " {invoice_status_label(&i.status, &i.payment_status)} " · "
                    {i.total.as_ref().map(format::money).unwrap_or_default()}</li>
            }).collect();
            view! { <section class="card"><h2>"Invoices"</h2><ul id="order-invoices">{rows}</ul></section> }
        })
    })
    };
    view! {
        <div class="page order-page">
            {header}
            {actions}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="order-notice">{n}</p> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="order-error">{e}</p> })}
            {lines}
            {invoices}
        </div>
    }
}
