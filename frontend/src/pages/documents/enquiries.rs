//! `/enquiries`: enquiries by status and number, newest first; `/enquiries/:id`: an enquiry with
//! every field, its lines and net, its quote, and — while it is open and the user may change it —
//! edit, close and "Create quote"; `/enquiries/new` and `?edit=1`: the form.

use super::enquiry_form::{enquiry_form, EnquiryFormPart};
use crate::api::documents::{self, QuoteWrite};
use crate::api::enquiries::{self, label, Enquiry, EnquiryWrite, CHANNELS, STATUSES};
use crate::components::session::{set_title, use_session};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};
use serde_json::json;

/// The user may read quotes' (and so enquiries') money.
pub fn amounts() -> bool {
    use_session().me.with_untracked(|m| {
        m.as_ref()
            .is_some_and(|m| m.can_read_field("quote", "amount"))
    })
}

fn may(object: &str, action: &str) -> bool {
    use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can(object, action)))
}

/// Net last: dropped without the amount grant.
const COLUMNS: &[Column] = &[
    Column::new("Number"),
    Column::new("Date"),
    Column::new("Channel"),
    Column::new("Customer"),
    Column::new("Status"),
    Column::new("Net"),
];

fn status(s: &str) -> &'static str {
    STATUSES
        .iter()
        .find(|(v, _)| *v == s)
        .map_or("OPEN", |(v, _)| v)
}

fn row(e: &Enquiry) -> Row {
    let mut cells = vec![
        Cell::Link(format!("/enquiries/{}", e.id), e.number.clone()),
        Cell::text(e.date.clone()),
        Cell::text(label(CHANNELS, &e.channel)),
        Cell::or_empty(e.customer.as_ref().map(|c| c.name.as_str())),
        Cell::Badge(status(&e.status), label(STATUSES, status(&e.status))),
    ];
    if let Some(net) = &e.net {
        cells.push(Cell::text(format::money(net)));
    }
    Row {
        class: "enquiry-row",
        id: e.id.clone(),
        cells,
        href: None,
    }
}

/// `/enquiries`.
#[component]
pub fn EnquiriesPage() -> impl IntoView {
    let amounts = amounts();
    // `?product=ID`: the enquiries naming one product (linked from the product's page).
    let product = use_query_map().with_untracked(|m| m.get("product"));
    let load = rows_from(move |q| {
        let (search, status, after) = (q.search.clone(), q.filter("status").to_owned(), q.after());
        let product = product.clone();
        async move {
            Ok(Found::new(
                &enquiries::list(&search, &status, product.as_deref(), amounts, after).await?,
                row,
            ))
        }
    });
    let statuses: Vec<(String, String)> = STATUSES
        .iter()
        .map(|(v, l)| ((*v).to_owned(), (*l).to_owned()))
        .collect();
    let columns = if amounts {
        COLUMNS
    } else {
        COLUMNS.split_at(5).0
    };
    list_page(
        ListSpec::new(
            "Enquiries",
            "enquiries",
            ("enquiry", "enquiries"),
            columns,
            load,
        )
        .create(&[Create {
            id: "new-enquiry",
            href: "/enquiries/new",
            label: "New enquiry",
            grant: ("enquiry", "create"),
        }])
        .search("enquiry-search")
        .filter(Filter::Select(
            "status",
            "field-status",
            "Status",
            "Any status",
            Signal::stored(statuses),
        ))
        .empty("No enquiries.")
        .views(),
    )
}

lazy_part!(
    /// The enquiry page, fetched on first visit.
    pub fn enquiry_part(props: EnquiryPart), chunk = enquiry_page, load = load_enquiry_page, view = enquiry_view
);

/// No props: the page reads the address.
pub struct EnquiryPart;

fn enquiry_view(_: EnquiryPart) -> AnyView {
    view! { <EnquiryPage /> }.into_any()
}

const MISSING: Missing = Missing::new(
    "Enquiry not found",
    ("/enquiries", "Back to enquiries"),
    "Loading enquiry…",
);

/// `/enquiries/new`, `/enquiries/:id` and `/enquiries/:id?edit=1`.
#[component]
fn EnquiryPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    // 0: new, 1: the enquiry, 2: its form.
    let mode = Memo::new(move |_| {
        if params.with(|p| p.get("id").as_deref() == Some("new")) {
            0
        } else if query.with(|q| q.get("edit").is_some()) {
            2
        } else {
            1
        }
    });
    let amounts = amounts();
    let load = move |id: String| async move { enquiries::get(&id, amounts).await };
    move || match mode.get() {
        0 => {
            set_title("New enquiry");
            enquiry_form(EnquiryFormPart(None))
        }
        2 => record_page(load, MISSING, |e| enquiry_form(EnquiryFormPart(Some(e)))).into_any(),
        _ => record_page(load, MISSING, |e| {
            view! { <EnquiryView enquiry=e /> }.into_any()
        })
        .into_any(),
    }
}

/// The enquiry with its actions and lines.
#[component]
fn EnquiryView(enquiry: Enquiry) -> impl IntoView {
    set_title(&format!("Enquiry {}", enquiry.number));
    let session = use_session();
    let notice = RwSignal::new(session.take_flash());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let e = RwSignal::new(enquiry);
    let navigate = use_navigate();
    let close = move |_| {
        busy.set(true);
        let input = e.with_untracked(|e| json!({ "id": e.id, "version": e.version }));
        spawn_local(async move {
            match enquiries::save(EnquiryWrite::Close, input).await {
                Ok(saved) => {
                    e.update(|e| {
                        e.status = saved.status;
                        e.version = saved.version;
                        e.can_edit = saved.can_edit;
                    });
                    notice.set(Some("Closed".into()));
                }
                Err(err) => error.set(Some(err.to_string())),
            }
            busy.set(false);
        });
    };
    let quote = move |_| {
        busy.set(true);
        let input = e.with_untracked(|e| json!({ "enquiryId": e.id }));
        let navigate = navigate.clone();
        spawn_local(async move {
            match documents::save(QuoteWrite::Create, input).await {
                Ok(q) => navigate(&format!("/quotes/{}", q.id), Default::default()),
                Err(err) => {
                    error.set(Some(err.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let quotes = may("quote", "create");
    let actions = move || {
        let (id, can) = e.with(|e| (e.id.clone(), e.can_edit));
        can.then(|| {
            view! {
                <div class="actions" role="toolbar" aria-label="Enquiry actions">
                    <a id="edit-enquiry" class="btn" href=format!("/enquiries/{id}?edit=1")>"Edit"</a>
                    {quotes.then(|| view! { <button id="quote-enquiry" class="btn btn-primary" disabled=move || busy.get()
                        on:click=quote.clone()>"Create quote"</button> })}
                    <button id="close-enquiry" class="btn" disabled=move || busy.get() on:click=close>"Close"</button>
                </div>
            }
        })
    };
    let body = move || e.with(details);
    let header = move || {
        e.with(|e| {
            let st = status(&e.status);
            view! {
                <div class="record-header">
                    <h1>"Enquiry " <span id="enquiry-number">{e.number.clone()}</span></h1>
                    <span class="badge" id="enquiry-status" data-status=st>{label(STATUSES, st)}</span>
                </div>
            }
        })
    };
    view! {
        <div class="page enquiry-page">
            <nav class="breadcrumb" aria-label="Breadcrumb"><a href="/enquiries">"Enquiries"</a></nav>
            {header}
            {actions}
            {move || notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="enquiry-notice">{n}</p> })}
            {move || error.get().map(|m| view! { <p class="alert alert-error" role="alert" id="enquiry-error">{m}</p> })}
            {body}
        </div>
    }
}

/// Every field of the enquiry, and its lines.
fn details(e: &Enquiry) -> impl IntoView {
    let fact = |term: &'static str, value: Option<String>| {
        value.map(|v| view! { <dt>{term}</dt><dd class="pre">{v}</dd> })
    };
    let wanted = match (e.lead_days, &e.wanted_by) {
        (Some(d), Some(by)) => Some(format!("{d} days, by {by}")),
        (Some(d), None) => Some(format!("{d} days")),
        _ => None,
    };
    view! {
        <section class="card">
            <dl class="facts" id="enquiry-facts">
                <dt>"Date"</dt><dd>{e.date.clone()}</dd>
                <dt>"Channel"</dt><dd>{label(CHANNELS, &e.channel).to_owned()}</dd>
                {e.customer.clone().map(|c| view! { <dt>"Customer"</dt><dd><a id="enquiry-customer" href=format!("/parties/{}", c.id)>{c.name}</a></dd> })}
                {fact("Address", e.address.clone())}
                <dt>"Currency"</dt><dd>{e.currency.clone()}</dd>
                {fact("Delivery period", e.delivery_period.clone())}
                {fact("Payment terms", e.payment_terms.clone())}
                {fact("Quotation wanted", wanted)}
                {fact("Delivery point", e.delivery_point.clone())}
                {fact("Owner", e.owner.as_ref().map(|o| o.display_name.clone()))}
                {e.quote.clone().map(|q| view! { <dt>"Quote"</dt><dd><a id="enquiry-quote" href=format!("/quotes/{}", q.id)>{q.name}</a></dd> })}
            </dl>
            {e.remarks.clone().map(|r| view! { <h3>"Remarks"</h3><p class="pre" id="enquiry-remarks">{r}</p> })}
        </section>
        {lines_table(e)}
    }
}

/// The lines, their totals and the net.
fn lines_table(e: &Enquiry) -> impl IntoView {
    let amounts = e.net.is_some();
    let money = |m: &Option<crate::api::accounts::Money>| {
        m.as_ref()
            .map(format::money)
            .unwrap_or_else(|| format::EMPTY.into())
    };
    let rows: Vec<_> = e
        .lines
        .iter()
        .map(|l| {
            view! {
                <tr class="enquiry-line">
                    <td>{l.code.clone().unwrap_or_default()}</td>
                    <td>{l.name.clone()}</td>
                    <td class="pre">{l.specification.clone().unwrap_or_default()}</td>
                    <td>{l.unit.clone()}</td>
                    <td class="num">{l.quantity.clone()}</td>
                    {amounts.then(|| view! {
                        <td class="num">{money(&l.unit_price)}</td>
                        <td class="num">{l.discount_percent.clone().unwrap_or_default()}</td>
                        <td class="num line-total">{money(&l.total)}</td>
                    })}
                </tr>
            }
        })
        .collect();
    view! {
        <section class="card">
            <h2>"Lines"</h2>
            <div class="table-wrap">
                <table class="table" id="enquiry-lines">
                    <thead><tr><th>"Code"</th><th>"Name"</th><th>"Specification"</th><th>"Unit"</th><th class="num">"Quantity"</th>
                        {amounts.then(|| view! { <th class="num">"Unit price"</th><th class="num">"Discount %"</th><th class="num">"Total"</th> })}
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
            {amounts.then(|| view! { <dl class="totals"><dt>"Net"</dt><dd id="enquiry-net">{money(&e.net)}</dd></dl> })}
        </section>
    }
}
