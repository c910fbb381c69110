//! `/payments/:id`: a payment and the invoices it settles; what it has left is allocated to the
//! customer's open invoices in its currency (oldest due first to begin with).

use crate::api::accounts::Money;
use crate::api::payments::{self, OpenInvoice, Payment};
use crate::api::FieldErrors;
use crate::components::session::set_title;
use crate::components::status::{Status, StatusMessages};
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::record::{load_error, record_page, Missing};
use crate::pages::documents::{exponent, fixed, money_of};
use leptos::prelude::*;
use leptos::task::spawn_local;
use serde_json::json;

lazy_part!(
    /// The payment page, fetched on first visit.
    pub fn payment_part(props: PaymentPart), chunk = payment_page, load = load_payment_page, view = payment_view
);

/// No props: the page reads the address.
pub struct PaymentPart;

fn payment_view(_: PaymentPart) -> AnyView {
    record_page(
        |id| async move { payments::payment(&id).await },
        Missing::new(
            "Payment not found",
            ("/payments", "Back to payments"),
            "Loading…",
        ),
        |p| view! { <PaymentView payment=p /> }.into_any(),
    )
    .into_any()
}

fn money(m: &Option<Money>) -> String {
    m.as_ref().map(format::money).unwrap_or_default()
}

/// Minor units of an amount, 0 when not a plain decimal.
fn minor(amount: &str, currency: &str) -> i128 {
    fixed(amount, exponent(currency)).unwrap_or(0)
}

#[component]
fn PaymentView(payment: Payment) -> impl IntoView {
    set_title(&format!("Payment {}", payment.number));
    let payment = RwSignal::new(payment);
    let notice = RwSignal::new(None::<String>);
    let reload = Callback::new(move |()| {
        let id = payment.with_untracked(|p| p.id.clone());
        spawn_local(async move {
            if let Ok(Some(p)) = payments::payment(&id).await {
                payment.set(p);
                notice.set(Some("Allocated".into()));
            }
        });
    });
    let body = move || {
        payment.with(|p| {
            let parts: Vec<_> = p.parts.iter().map(|a| {
                let inv = a.invoice.clone().map(|i| view! { <a href=format!("/invoices/{}", i.id)>{i.name}</a> });
                view! { <tr class="allocation-row"><td>{inv}</td><td class="num">{money(&a.amount)}</td></tr> }
            }).collect();
            let left = p.unallocated.as_ref().map_or(0, |m| minor(&m.amount, &m.currency));
            let editor = (p.can_allocate && left > 0).then(|| view! { <Allocator payment=p.clone() left reload /> });
            view! {
                <div class="record-header"><h1>"Payment " <span id="payment-number">{p.number.clone()}</span></h1>
                    <a class="btn" href="/payments">"Payments"</a></div>
                <p class="muted">
                    {p.customer.clone().map(|c| view! { <a href=format!("/parties/{}", c.id)>{c.name}</a> " · " })}
                    {p.received_on.clone()} " · " {payments::method_label(&p.method)}
                    {p.reference.clone().map(|r| view! { " · " {r} })}
                </p>
                <dl class="totals">
                    <dt>"Amount"</dt><dd id="payment-amount">{money(&p.amount)}</dd>
                    <dt>"Allocated"</dt><dd id="payment-allocated">{money(&p.allocated)}</dd>
                    <dt>"Unallocated"</dt><dd id="payment-unallocated">{money(&p.unallocated)}</dd>
                </dl>
                {(!parts.is_empty()).then(|| view! {
                    <section class="card"><h2>"Allocations"</h2>
                    <table class="table" id="payment-allocations"><tbody>{parts}</tbody></table></section> })}
                {editor}
            }
        })
    };
    view! {
        <div class="page payment-page">
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="payment-notice">{n}</p> })}
            {body}
        </div>
    }
}

/// The allocation editor: an amount per open invoice, and what is left.
#[component]
fn Allocator(payment: Payment, left: i128, reload: Callback<()>) -> impl IntoView {
    let cur = payment.unallocated.clone().unwrap_or_default().currency;
    let customer = payment.customer.clone().map(|c| c.id).unwrap_or_default();
    let (c2, cur2) = (customer.clone(), cur.clone());
    let loaded =
        crate::components::load::load_once(
            async move { payments::open_invoices(&c2, &cur2).await },
        );
    let rows = RwSignal::new(Vec::<(OpenInvoice, RwSignal<String>)>::new());
    let status = Status::new(None);
    let cur3 = cur.clone();
    Effect::new(move |_| {
        if let Some(Ok(list)) = loaded.get() {
            let mut rest = left;
            rows.set(
                list.into_iter()
                    .map(|i| {
                        let open = i.open.as_ref().map_or(0, |m| minor(&m.amount, &cur3));
                        let take = rest.min(open).max(0);
                        rest -= take;
                        let text = if take > 0 {
                            money_of(take, &cur3).amount
                        } else {
                            String::new()
                        };
                        (i, RwSignal::new(text))
                    })
                    .collect(),
            );
        }
    });
    let cur4 = cur.clone();
    let remaining = move || {
        let used: i128 = rows.with(|r| r.iter().map(|(_, a)| a.with(|t| minor(t, &cur4))).sum());
        format::money(&money_of(left - used, &cur4))
    };
    let submit = move || {
        if !status.start() {
            return;
        }
        let mut sent = Vec::new();
        let list: Vec<_> = rows.with_untracked(|r| {
            r.iter()
                .enumerate()
                .filter_map(|(k, (i, a))| {
                    let t = format::amount_typed(&a.get_untracked());
                    (!t.is_empty()).then(|| {
                        sent.push(k);
                        json!({ "invoiceId": i.id, "amount": t })
                    })
                })
                .collect()
        });
        let input = json!({ "id": payment.id, "version": payment.version, "allocations": list });
        spawn_local(async move {
            match payments::allocate(input).await {
                Ok(()) => {
                    status.busy.set(false);
                    reload.run(());
                }
                Err(e) => match e.with_code("BAD_USER_INPUT").map(|b| b.field_errors()) {
                    Some(fields) => {
                        status.busy.set(false);
                        let (mut by_row, mut other) = (FieldErrors::default(), Vec::new());
                        for (f, m) in fields.iter() {
                            let row = f
                                .strip_prefix("allocations.")
                                .and_then(|r| r.split('.').next()?.parse::<usize>().ok())
                                .and_then(|n| sent.get(n));
                            match row {
                                Some(k) => by_row.push(&k.to_string(), m),
                                None => other.push(m.to_owned()),
                            }
                        }
                        status.fields.set(by_row);
                        status
                            .general
                            .set((!other.is_empty()).then(|| other.join(" ")));
                    }
                    None => status.fail(e, &[]),
                },
            }
        });
    };
    let table = move || match loaded.get() {
        Some(Err(e)) => load_error(&e),
        None => ().into_any(),
        Some(Ok(_)) => {
            let body: Vec<_> = rows.get().into_iter().enumerate().map(|(k, (i, a))| {
                let id = format!("alloc-{k}");
                view! {
                    <tr class="open-invoice" data-number=i.number.clone()>
                        <td><a href=format!("/invoices/{}", i.id)>{i.number.clone()}</a></td>
                        <td>{i.due.clone()}</td>
                        <td class="num">{money(&i.open)}</td>
                        <td><input id=id class="alloc-amount" aria-label=i.number.clone() inputmode="decimal"
                            prop:value=move || a.get() on:input=move |ev| a.set(event_target_value(&ev)) />
                            {move || status.fields.with(|f| f.get(&k.to_string())).map(|m| view! { <p class="field-error">{m}</p> })}</td>
                    </tr>
                }
            }).collect();
            view! {
                <table class="table" id="open-invoices">
                    <thead><tr><th>"Invoice"</th><th>"Due"</th><th class="num">"Open"</th><th>"Allocate"</th></tr></thead>
                    <tbody>{body}</tbody>
                </table>
            }.into_any()
        }
    };
    view! {
        <form class="card" id="allocate-form" on:submit=move |ev| { ev.prevent_default(); submit(); }>
            <h2>"Allocate"</h2>
            <StatusMessages status />
            {table}
            <p>"Left to allocate: " <strong id="left-to-allocate">{remaining}</strong></p>
            <button id="allocate" class="btn btn-primary" type="submit" disabled=move || status.busy.get()>"Allocate"</button>
        </form>
    }
}
