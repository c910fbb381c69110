//! `/statement/:id`: a customer's statement of account per currency — opening balance, the
//! invoices, credit notes and payments of the range with the running balance, closing balance and
//! overdue — for a range the user picks; printable.

use crate::api::payments::{self, Account};
use crate::components::session::set_title;
use crate::page::lazy::lazy_part;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;

lazy_part!(
    /// The statement page, fetched on first visit.
    pub fn statement_part(props: StatementPart), chunk = statement_page, load = load_statement_page, view = statement_view
);

/// No props: the page reads the address.
pub struct StatementPart;

fn statement_view(_: StatementPart) -> AnyView {
    view! { <StatementPage /> }.into_any()
}

fn account(a: Account) -> impl IntoView {
    let c = a.currency.clone();
    let rows: Vec<_> = a.entries.into_iter().map(|e| {
        let base = if e.kind == "PAYMENT" { "/payments" } else { "/invoices" };
        let kind = match e.kind.as_str() { "PAYMENT" => "Payment", "CREDIT_NOTE" => "Credit note", _ => "Invoice" };
        let [d, cr, b] = e.figures;
        let blank = |v: String| if v.bytes().all(|x| x == b'0' || x == b'.') { String::new() } else { v };
        view! {
            <tr class="statement-entry" data-kind=e.kind.clone()>
                <td>{e.date}</td><td>{kind}</td>
                <td><a href=format!("{base}/{}", e.id)>{e.number}</a></td>
                <td>{e.due}</td>
                <td class="num">{blank(d)}</td><td class="num">{blank(cr)}</td><td class="num">{b}</td>
            </tr>
        }
    }).collect();
    let [open, close, due] = a.figures;
    view! {
        <section class="card statement" data-currency=c.clone()>
            <h2>{c.clone()}</h2>
            <table class="table">
                <thead><tr><th>"Date"</th><th>"Kind"</th><th>"Number"</th><th>"Due"</th>
                    <th class="num">"Debit"</th><th class="num">"Credit"</th><th class="num">"Balance"</th></tr></thead>
                <tbody>
                    <tr><td colspan="6">"Opening balance"</td><td class="num statement-opening">{open}</td></tr>
                    {rows}
                    <tr><th colspan="6">"Closing balance"</th><th class="num statement-closing">{close}</th></tr>
                </tbody>
            </table>
            <p>"Overdue: " <strong class="statement-overdue">{due}</strong></p>
        </section>
    }
}

#[component]
fn StatementPage() -> impl IntoView {
    set_title("Statement");
    let params = use_params_map();
    let id = move || params.with_untracked(|p| p.get("id").unwrap_or_default());
    let from = RwSignal::new(String::new());
    let to = RwSignal::new(String::new());
    let shown = RwSignal::new(None);
    let load = move || {
        let (f, t) = (from.get_untracked(), to.get_untracked());
        spawn_local(async move {
            let r = payments::statement(&id(), &f, &t).await;
            if let Ok(s) = &r {
                from.set(s.from.clone());
                to.set(s.to.clone());
            }
            shown.set(Some(r));
        });
    };
    load();
    let body = move || match shown.get() {
        None => ().into_any(),
        Some(Err(e)) => load_error(&e),
        Some(Ok(s)) => {
            let empty = s.accounts.is_empty();
            view! {
                <p><a id="statement-customer" href=format!("/parties/{}", id())>{s.name}</a></p>
                {empty.then(|| view! { <p class="muted" id="statement-empty">"Nothing in this range."</p> })}
                {s.accounts.into_iter().map(account).collect_view()}
            }
            .into_any()
        }
    };
    let date = |i: &'static str, l: &'static str, v: RwSignal<String>| {
        view! {
            <label class="field" for=i><span>{l}</span>
                <input id=i type="date" prop:value=move || v.get() on:input=move |ev| v.set(event_target_value(&ev)) /></label>
        }
    };
    view! {
        <div class="page statement-page">
            <div class="record-header"><h1>"Statement"</h1>
                <button class="btn" id="print" on:click=move |_| { let _ = window().print(); }>"Print"</button></div>
            <form class="toolbar" on:submit=move |ev| { ev.prevent_default(); load(); }>
                {date("field-from", "From", from)}{date("field-to", "To", to)}
                <button class="btn" type="submit">"Show"</button>
            </form>
            {body}
        </div>
    }
}
