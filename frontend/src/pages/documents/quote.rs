//! `/quotes/new` (from an opportunity or for a customer) and `/quotes/:id`: the quote with its
//! actions (send, revise, accept — optionally winning the deal — reject, PDF), the line editor
//! of a draft with live totals, and every revision.

use super::editor::{line_editor, EditorProps};
use super::new::{new_quote, NewQuotePart};
use crate::api::documents::{self, status_label, Quote, QuoteWrite};
use crate::components::download::download_bytes;
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::use_params_map;
use serde_json::{json, Value};

fn amounts() -> bool {
    use_session().me.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| m.can_read_field("quote", "amount"))
    })
}

lazy_part!(
    /// The quote page, fetched on first visit.
    pub fn quote_part(props: QuotePart), chunk = quote_page, load = load_quote_page, view = quote_view
);

/// No props: the page reads the address.
pub struct QuotePart;

fn quote_view(_: QuotePart) -> AnyView {
    view! { <QuotePage /> }.into_any()
}

/// `/quotes/:id`, and `/quotes/new` (the new-quote form).
#[component]
fn QuotePage() -> impl IntoView {
    let params = use_params_map();
    move || {
        if params.with(|p| p.get("id").as_deref() == Some("new")) {
            set_title("New quote");
            new_quote(NewQuotePart)
        } else {
            view! { <ExistingQuote /> }.into_any()
        }
    }
}

/// The quote of the address's `:id`.
#[component]
fn ExistingQuote() -> impl IntoView {
    let amounts = amounts();
    record_page(
        move |id| async move { documents::get(&id, amounts).await },
        Missing::new(
            "Quote not found",
            ("/quotes", "Back to quotes"),
            "Loading quote…",
        ),
        |q| view! { <QuoteView quote=q /> }.into_any(),
    )
}

/// The quote with its actions, lines and revisions.
#[component]
fn QuoteView(quote: Quote) -> impl IntoView {
    set_title(&format!("Quote {}", quote.number));
    recent::visited(
        "Quote",
        &format!("Quote {}", quote.number),
        &format!("/quotes/{}", quote.id),
    );
    let quote = RwSignal::new(quote);
    let error = RwSignal::new(None::<String>);
    let notice = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |mutation: QuoteWrite, input: Value, done: &'static str| {
        busy.set(true);
        error.set(None);
        spawn_local(async move {
            match documents::save(mutation, input).await {
                Ok(q) => {
                    quote.set(q);
                    notice.set(Some(done.into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let version_input =
        move || quote.with_untracked(|q| json!({ "id": q.id, "version": q.version }));
    let accepting = RwSignal::new(false);
    let win = RwSignal::new(true);
    let note = RwSignal::new(String::new());
    let pdf = move |revision: Option<i64>| {
        let (id, number) = quote.with_untracked(|q| (q.id.clone(), q.number.clone()));
        spawn_local(async move {
            match documents::pdf(&id, revision).await {
                Ok(bytes) => {
                    let name = match revision {
                        Some(r) => format!("Quote-{number}-rev{r}.pdf"),
                        None => format!("Quote-{number}.pdf"),
                    };
                    download_bytes(&name, &bytes);
                    notice.set(Some("PDF downloaded".into()));
                }
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    let header = move || {
        quote.with(|q| {
            let status = q.status.clone();
            view! {
                <div class="record-header">
                    <h1>"Quote " <span id="quote-number">{q.number.clone()}</span></h1>
                    <span class="badge" id="quote-status" data-status=status.clone()>{status_label(&status)}</span>
                </div>
                <p class="muted">
                    {q.title.clone()} " · revision " <span id="quote-revision">{q.revision}</span>
                    " · valid until " {q.valid_until.clone()}
                    {q.customer.clone().map(|c| view! { " · " <a href=format!("/parties/{}", c.id)>{c.name}</a> })}
                    {q.opportunity.clone().map(|o| view! { " · " <a id="quote-opportunity" href=format!("/opportunities/{}", o.id)>{o.name}</a> })}
                </p>
                {q.decision_note.clone().map(|n| view! { <p class="note">{n}</p> })}
            }
        })
    };
    let actions = move || {
        let can = quote.with(|q| q.can);
        let has_opportunity = quote.with(|q| q.opportunity.is_some());
        view! {
            <div class="actions" role="toolbar" aria-label="Quote actions">
                {can.send.then(|| view! { <button id="send-quote" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Send, version_input(), "Sent: this revision is now frozen")>"Send"</button> })}
                {can.accept.then(|| view! { <button id="accept-quote" class="btn btn-primary" disabled=move || busy.get()
                    on:click=move |_| accepting.set(true)>"Accept…"</button> })}
                {can.reject.then(|| view! { <button id="reject-quote" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Reject, version_input(), "Rejected")>"Reject"</button> })}
                {can.revise.then(|| view! { <button id="revise-quote" class="btn" disabled=move || busy.get()
                    on:click=move |_| run(QuoteWrite::Revise, version_input(), "A new draft revision")>"Revise"</button> })}
                {amounts().then(|| view! { <button id="quote-pdf" class="btn" on:click=move |_| pdf(None)>"Download PDF"</button> })}
            </div>
            {move || accepting.get().then(|| view! {
                <div class="card" id="accept-panel">
                    <h2>"The customer accepted"</h2>
                    {has_opportunity.then(|| view! {
                        <label class="check"><input id="win-opportunity" type="checkbox" prop:checked=move || win.get()
                            on:change=move |ev| win.set(event_target_checked(&ev)) />
                            " Mark the opportunity won with this quote's net amount"</label>
                    })}
                    <label class="field" for="accept-note"><span>"Note (optional)"</span>
                        <textarea id="accept-note" prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev))></textarea></label>
                    <div class="actions">
                        <button id="confirm-accept" class="btn btn-primary" disabled=move || busy.get() on:click=move |_| {
                            let mut input = version_input();
                            input["winOpportunity"] = json!(has_opportunity && win.get_untracked());
                            let n = note.get_untracked();
                            if !n.trim().is_empty() { input["note"] = json!(n); }
                            accepting.set(false);
                            run(QuoteWrite::Accept, input, "Accepted");
                        }>"Confirm acceptance"</button>
                        <button class="btn" on:click=move |_| accepting.set(false)>"Cancel"</button>
                    </div>
                </div>
            })}
        }
    };
    let body = move || {
        if quote.with(|q| q.can.edit) {
            line_editor(EditorProps {
                quote,
                busy,
                run: Callback::new(move |(m, v, d)| run(m, v, d)),
            })
        } else {
            quote.with(lines_table).into_any()
        }
    };
    let revisions = move || {
        quote.with(|q| {
            let rows: Vec<_> = q.revisions.iter().rev().map(|r| {
                let n = r.revision;
                let sent = r.sent_at.clone().map(|s| format!("sent {}", &s[..s.len().min(10)])).unwrap_or_else(|| "draft".into());
                let total = r.total.as_ref().map(format::money).unwrap_or_default();
                view! {
                    <li class="revision" data-revision=n>
                        "Revision " {n} " · " {sent} " · " {total} " "
                        {amounts().then(|| view! { <button class="btn btn-small" on:click=move |_| pdf(Some(n))>"PDF"</button> })}
                    </li>
                }
            }).collect();
            view! { <section class="card"><h2>"Revisions"</h2><ul id="quote-revisions">{rows}</ul></section> }
        })
    };
    view! {
        <div class="page quote-page">
            {header}
            {actions}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="quote-notice">{n}</p> })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="quote-error">{e}</p> })}
            {move || (quote.with(|q| q.status == "ACCEPTED")).then(|| view! { <QuoteOrder quote=quote.with_untracked(|q| q.id.clone()) /> })}
            {body}
            {revisions}
        </div>
    }
}

/// The order of an accepted quote: a link to it, or the button that makes it.
#[component]
fn QuoteOrder(quote: String) -> impl IntoView {
    let may = |action: &str| {
        use_session()
            .me
            .with_untracked(|m| m.as_ref().is_some_and(|m| m.can("order", action)))
    };
    if !may("read") {
        return ().into_any();
    }
    let create = may("create");
    let q = quote.clone();
    let order = LocalResource::new(move || {
        let q = q.clone();
        async move { crate::api::billing::order_of_quote(&q).await }
    });
    let error = RwSignal::new(None::<String>);
    let navigate = leptos_router::hooks::use_navigate();
    let make = move |_| {
        let (q, navigate) = (quote.clone(), navigate.clone());
        spawn_local(async move {
            match crate::api::billing::order_quote(&q).await {
                Ok(o) => navigate(&format!("/orders/{}", o.id), Default::default()),
                Err(e) => error.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <section class="card" id="quote-order">
            <h2>"Order"</h2>
            {move || order.get().map(|r| match r {
                Ok(Some(o)) => view! { <p>"Ordered as " <a id="quote-order-link" href=format!("/orders/{}", o.id)>{o.name}</a></p> }.into_any(),
                Ok(None) if create => view! { <button id="create-order" class="btn btn-primary" on:click=make.clone()>"Create order"</button> }.into_any(),
                Ok(None) => view! { <p class="muted">"Not ordered yet."</p> }.into_any(),
                Err(e) => view! { <p class="alert alert-error">{e.to_string()}</p> }.into_any(),
            })}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert">{e}</p> })}
        </section>
    }
    .into_any()
}

/// The lines and totals of a revision that no longer changes.
fn lines_table(q: &Quote) -> impl IntoView {
    let r = &q.current;
    let money = |m: &Option<crate::api::accounts::Money>| {
        m.as_ref()
            .map(format::money)
            .unwrap_or_else(|| format::EMPTY.into())
    };
    let rows: Vec<_> = r.lines.iter().map(|l| {
        let item = match &l.code { Some(c) => format!("{c} {}", l.name), None => l.name.clone() };
        view! {
            <tr class="quote-line">
                <td>{item}{l.specification.clone().map(|s| view! { <div class="muted pre">{s}</div> })}</td>
                <td class="num">{l.quantity.clone()} " " {l.unit.clone()}</td>
                <td class="num">{money(&l.unit_price)}</td>
                <td class="num">{l.discount_percent.clone().unwrap_or_default()}</td>
                <td class="num">{l.tax_rate_percent.clone()} " %"</td>
                <td class="num">{money(&l.total)}</td>
            </tr>
        }
    }).collect();
    view! {
        <section class="card">
            <h2>"Lines"</h2>
            <div class="table-wrap">
                <table class="table" id="quote-lines">
                    <thead><tr><th>"Item"</th><th class="num">"Quantity"</th><th class="num">"Unit price"</th>
                        <th class="num">"Discount %"</th><th class="num">"Tax"</th><th class="num">"Total"</th></tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            <dl class="totals" id="quote-totals">
                <dt>"Net"</dt><dd id="quote-net">{money(&r.net)}</dd>
                <dt>"Tax"</dt><dd>{money(&r.tax)}</dd>
                <dt>"Total"</dt><dd id="quote-total">{money(&r.total)}</dd>
            </dl>
            {r.terms.clone().map(|t| view! { <h3>"Terms"</h3><p class="pre">{t}</p> })}
        </section>
    }
}
