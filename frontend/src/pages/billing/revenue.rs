//! `/revenue`: net invoiced revenue by period with its chart, the top customers and their
//! share, the customers buying more or less than in the range before, and the top products; each
//! downloadable as CSV by those with the invoice export grant.

use crate::api::accounts::Money;
use crate::api::forecasts::value_of;
use crate::api::revenue::{
    self, CustomerRow, Grouping, PeriodRow, ProductRow, Revenue, RevenueCsv, RevenueFilter,
    TrendRow,
};
use crate::components::charts::{BarChart, Bars};
use crate::components::download::download;
use crate::components::load::reload;
use crate::components::session::{set_title, use_session};
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

fn cash(m: &Option<Money>) -> String {
    m.as_ref().map(format::money).unwrap_or_default()
}

fn percent(p: Option<f64>) -> String {
    p.map_or_else(|| format::EMPTY.to_owned(), |v| format!("{v:.1} %"))
}

/// `/revenue`.
#[component]
pub fn RevenuePage() -> impl IntoView {
    let me = use_session().me.get_untracked().unwrap_or_default();
    if !me.can("invoice", "read") {
        set_title("Revenue");
        return view! {
            <div class="page"><h1>"Revenue"</h1>
                <p class="alert" id="revenue-not-allowed">"Your role does not include revenue."</p></div>
        }
        .into_any();
    }
    set_title("Revenue");
    let export = me.can("invoice", "export");
    let [from, to, currency] = [(); 3].map(|()| RwSignal::new(String::new()));
    let group = RwSignal::new(Grouping::Month);
    let filter = Memo::new(move |_| RevenueFilter {
        from: from.get(),
        to: to.get(),
        group: group.get(),
        currency: currency.get(),
    });
    let report = reload(move || {
        let f = filter.get();
        async move { revenue::revenue(&f).await }
    });
    let csv_error = RwSignal::new(None::<String>);
    let download_csv = move |which: RevenueCsv| {
        let f = filter.get_untracked();
        csv_error.set(None);
        spawn_local(async move {
            match revenue::csv(which, &f).await {
                Ok(text) => {
                    download(&format!("{}.csv", which.name()), &text);
                }
                Err(e) => csv_error.set(Some(e.to_string())),
            }
        });
    };
    let groups = Grouping::ALL.iter().map(|&g| {
        view! { <option value=g.as_str() prop:selected=move || group.get() == g>{g.label()}</option> }
    });
    let body = move || {
        report.with(|r| match r {
            None => view! { <p class="loading">"Loading revenue…"</p> }.into_any(),
            Some(Err(e)) => load_error(e),
            Some(Ok(r)) => sections(r, export.then_some(download_csv)).into_any(),
        })
    };
    view! {
        <div class="page">
            <div class="record-header"><h1>"Revenue"</h1>
                <a class="btn" href="/invoices">"Invoices"</a>
                <a class="btn" href="/ageing">"Ageing"</a></div>
            <p class="muted">"Issued invoices net of tax, less credit notes, by issue date."</p>
            <form class="toolbar" id="revenue-filter" on:submit=|ev| ev.prevent_default()>
                <label>"From " <input type="date" id="revenue-from" bind:value=from /></label>
                <label>"to " <input type="date" id="revenue-to" bind:value=to /></label>
                <label>"Currency " <input id="revenue-currency" size="4" maxlength="3"
                    placeholder="All" bind:value=currency /></label>
                <label>
                    "By "
                    <select id="revenue-group" on:change=move |ev| {
                        if let Some(g) = Grouping::parse(&event_target_value(&ev)) {
                            group.set(g);
                        }
                    }>{groups.collect_view()}</select>
                </label>
            </form>
            {move || csv_error.get().map(|m| view! { <p class="alert alert-error" role="alert" id="csv-error">{m}</p> })}
            <div id="revenue" aria-live="polite">{body}</div>
        </div>
    }
    .into_any()
}

/// A section's heading, with its CSV button for those who may export.
fn head<F: Fn(RevenueCsv) + Copy + 'static>(
    title: String,
    which: RevenueCsv,
    export: Option<F>,
) -> impl IntoView {
    view! {
        <div class="section-head">
            <h2 class="section-title">{title}</h2>
            {export.map(|f| view! {
                <button type="button" class="btn btn-small" id=format!("csv-{}", which.name())
                    on:click=move |_| f(which)>"Download CSV"</button>
            })}
        </div>
    }
}

fn table(id: &'static str, heads: &[&'static str], rows: AnyView, empty: bool) -> AnyView {
    if empty {
        return view! { <p class="muted">"Nothing was invoiced in this range."</p> }.into_any();
    }
    let heads = heads.iter().map(|h| view! { <th>{*h}</th> }).collect_view();
    view! {
        <div class="table-wrap">
            <table class="data-table" id=id>
                <thead><tr>{heads}</tr></thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

fn sections<F: Fn(RevenueCsv) + Copy + 'static>(r: &Revenue, export: Option<F>) -> impl IntoView {
    view! {
        <section class="report" id="revenue-by-period">
            {head(format!("By period, {} to {}", r.from, r.to), RevenueCsv::ByPeriod, export)}
            {chart(&r.periods)}
            {periods(&r.periods)}
        </section>
        <section class="report" id="revenue-by-customer">
            {head("Top customers".into(), RevenueCsv::ByCustomer, export)}
            {customers(&r.customers)}
        </section>
        <section class="report" id="revenue-trends">
            {head(format!("Purchase trends against {} to {}", r.previous_from, r.previous_to), RevenueCsv::Trends, export)}
            {trends(&r.trends)}
        </section>
        <section class="report" id="revenue-by-product">
            {head("Top products".into(), RevenueCsv::ByProduct, export)}
            {products(&r.products)}
        </section>
    }
}

/// Net revenue per period, one bar per currency (up to three).
fn chart(rows: &[PeriodRow]) -> Option<impl IntoView> {
    let mut currencies: Vec<String> = Vec::new();
    let mut labels: Vec<String> = Vec::new();
    for r in rows {
        if !currencies.contains(&r.currency) {
            currencies.push(r.currency.clone());
        }
        if !labels.contains(&r.label) {
            labels.push(r.label.clone());
        }
    }
    if rows.is_empty() {
        return None;
    }
    currencies.truncate(3);
    let groups = labels
        .iter()
        .map(|l| {
            let values = currencies
                .iter()
                .map(|c| {
                    rows.iter()
                        .find(|r| &r.label == l && &r.currency == c)
                        .and_then(|r| r.net.as_ref())
                        .and_then(|m| value_of(&m.amount))
                })
                .collect();
            (l.clone(), values)
        })
        .collect();
    let chart = Bars {
        id: "chart-revenue",
        title: "Net revenue by period".into(),
        x_label: "Period".into(),
        y_label: currencies.join(", "),
        series: currencies,
        groups,
    };
    Some(view! { <BarChart chart /> })
}

fn periods(rows: &[PeriodRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr class="revenue-period" data-currency=r.currency.clone()>
                    <td data-label="Period">{r.label.clone()}</td>
                    <td class="num" data-label="Net">{cash(&r.net)}</td>
                    <td class="num" data-label="With tax">{cash(&r.gross)}</td>
                    <td class="num" data-label="Invoices">{r.invoices}</td>
                    <td class="num" data-label="Credit notes">{r.credit_notes}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        "revenue-periods",
        &["Period", "Net", "With tax", "Invoices", "Credit notes"],
        body,
        rows.is_empty(),
    )
}

fn name(c: &revenue::Customer) -> AnyView {
    if c.id.is_empty() {
        view! { <span class="muted">"Not visible to you"</span> }.into_any()
    } else {
        view! { <a href=format!("/parties/{}", c.id)>{c.name.clone()}</a> }.into_any()
    }
}

fn customers(rows: &[CustomerRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr class="revenue-customer">
                    <td data-label="Customer">{name(&r.customer)}</td>
                    <td class="num" data-label="Net">{cash(&r.net)}</td>
                    <td class="num" data-label="Invoices">{r.invoices}</td>
                    <td class="num" data-label="Share">{percent(r.share)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        "revenue-customers",
        &["Customer", "Net", "Invoices", "Share"],
        body,
        rows.is_empty(),
    )
}

fn trends(rows: &[TrendRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            let growing = r.change.as_ref().is_some_and(|c| !c.amount.starts_with('-'));
            view! {
                <tr class="revenue-trend" class:trend-up=growing class:trend-down=!growing>
                    <td data-label="Customer">{name(&r.customer)}</td>
                    <td class="num" data-label="Now">{cash(&r.current)}</td>
                    <td class="num" data-label="Before">{cash(&r.previous)}</td>
                    <td class="num" data-label="Change">{if growing { "▲ " } else { "▼ " }}{cash(&r.change)}</td>
                    <td class="num" data-label="Change %">{percent(r.change_percent)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        "revenue-trends-table",
        &["Customer", "Now", "Before", "Change", "Change %"],
        body,
        rows.is_empty(),
    )
}

fn products(rows: &[ProductRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr class="revenue-product">
                    <td data-label="Code">{r.code.clone().unwrap_or_default()}</td>
                    <td data-label="Product">{r.name.clone()}</td>
                    <td class="num" data-label="Quantity">{r.quantity.clone()}</td>
                    <td class="num" data-label="Net">{cash(&r.net)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        "revenue-products",
        &["Code", "Product", "Quantity", "Net"],
        body,
        rows.is_empty(),
    )
}
