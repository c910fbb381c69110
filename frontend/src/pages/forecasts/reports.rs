//! `/reports`: the sales reports under one filter — pipeline by stage,
//! performance grouped by owner, team, month or quarter (with the win-rate
//! trend), the funnel (with its chart) and slippage — each downloadable as CSV.

use super::{amounts_hidden, days, money, not_allowed, percent, Grants};
use crate::api::forecasts;
use crate::api::forecasts::reports::{
    self, FunnelRow, PerformanceRow, Report, ReportFilter, ReportGroup, SalesReport, SlippageRow,
    StageRow,
};
use crate::api::{opportunities, users};
use crate::components::charts::{Funnel, FunnelChart, FunnelStep, LineChart, Lines};
use crate::components::download::download;
use crate::components::load::{load_once, reload};
use crate::components::session::set_title;
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `/reports`.
#[component]
pub fn ReportsPage() -> impl IntoView {
    let grants = Grants::get();
    if !grants.can("opportunity", "read") {
        return not_allowed("Reports");
    }
    set_title("Reports");
    let amounts = grants.amounts;
    let [pipeline, owner, team, from, to] = [(); 5].map(|()| RwSignal::new(String::new()));
    let group = RwSignal::new(ReportGroup::Month);
    let filter = Memo::new(move |_| ReportFilter {
        pipeline_id: pipeline.get(),
        owner_id: owner.get(),
        team_id: team.get(),
        from: from.get(),
        to: to.get(),
    });
    let pipelines = load_once(opportunities::pipelines());
    let people = load_once(users::assignable());
    let teams = load_once(forecasts::teams());
    let report = reload(move || {
        let (filter, group) = (filter.get(), group.get());
        async move { reports::sales_report(&filter, group, amounts).await }
    });
    let csv_error = RwSignal::new(None::<String>);
    let export = move |which: Report| {
        let (filter, group) = (filter.get_untracked(), group.get_untracked());
        csv_error.set(None);
        spawn_local(async move {
            match reports::csv(which, &filter, group).await {
                Ok(text) => {
                    download(&format!("{}.csv", which.name()), &text);
                }
                Err(e) => csv_error.set(Some(e.to_string())),
            }
        });
    };
    let select = |id: &'static str,
                  label: &'static str,
                  all: &'static str,
                  value: RwSignal<String>,
                  options: Signal<Vec<(String, String)>>,
                  other: Option<RwSignal<String>>| {
        view! {
            <label>
                {label} " "
                <select id=id on:change=move |ev| {
                    value.set(event_target_value(&ev));
                    // A report is of an owner or of a team, not both.
                    if let Some(other) = other {
                        other.set(String::new());
                    }
                }>
                    <option value="" prop:selected=move || value.with(String::is_empty)>{all}</option>
                    {move || options.get().into_iter().map(|(v, text)| {
                        let chosen = v.clone();
                        view! { <option value=v prop:selected=move || value.with(|c| *c == chosen)>{text}</option> }
                    }).collect_view()}
                </select>
            </label>
        }
    };
    let pipeline_options = Signal::derive(move || {
        pipelines.with(|p| match p {
            Some(Ok(all)) => all.iter().map(|p| (p.id.clone(), p.name.clone())).collect(),
            _ => Vec::new(),
        })
    });
    let owner_options = Signal::derive(move || {
        people.with(|p| match p {
            Some(Ok(all)) => all
                .iter()
                .map(|u| (u.id.clone(), u.display_name.clone()))
                .collect(),
            _ => Vec::new(),
        })
    });
    let team_options = Signal::derive(move || {
        teams.with(|t| match t {
            Some(Ok(all)) => forecasts::tree(all)
                .into_iter()
                .map(|(depth, t)| {
                    (
                        t.id.clone(),
                        format!("{}{}", "\u{2003}".repeat(depth), t.name),
                    )
                })
                .collect(),
            _ => Vec::new(),
        })
    });
    let groups = ReportGroup::ALL.iter().map(|&g| {
        view! { <option value=g.as_str() prop:selected=move || group.get() == g>{g.label()}</option> }
    });
    let body = move || {
        report.with(|r| match r {
            None => view! { <p class="loading">"Loading the reports…"</p> }.into_any(),
            Some(Err(e)) => load_error(e),
            Some(Ok(r)) => sections(r, amounts, group.get_untracked(), export).into_any(),
        })
    };
    view! {
        <div class="page-header"><h1>"Reports"</h1>
            {grants.can("invoice", "read").then(|| view! { <a class="btn" id="revenue-report-link" href="/revenue">"Revenue"</a> })}
        </div>
        <form class="toolbar" id="report-filter" on:submit=|ev| ev.prevent_default()>
            {select("report-pipeline", "Pipeline", "Default", pipeline, pipeline_options, None)}
            {select("report-owner", "Owner", "Anyone", owner, owner_options, Some(team))}
            {select("report-team", "Team", "Any team", team, team_options, Some(owner))}
            <label>"Closing from " <input type="date" id="report-from" bind:value=from /></label>
            <label>"to " <input type="date" id="report-to" bind:value=to /></label>
            <label>
                "Group by "
                <select id="report-group" on:change=move |ev| {
                    if let Some(g) = ReportGroup::parse(&event_target_value(&ev)) {
                        group.set(g);
                    }
                }>{groups.collect_view()}</select>
            </label>
        </form>
        {(!amounts).then(|| amounts_hidden("report-amounts-hidden"))}
        {move || csv_error.get().map(|m| view! { <p class="alert alert-error" role="alert" id="csv-error">{m}</p> })}
        <div id="reports" aria-live="polite">{body}</div>
    }
    .into_any()
}

/// A share (0–1) as a percentage.
fn share(value: Option<f64>) -> String {
    percent(value.map(|v| v * 100.0))
}

/// A report's heading with its "Download CSV" button.
fn head(title: String, which: Report, export: impl Fn(Report) + Copy + 'static) -> impl IntoView {
    view! {
        <div class="section-head">
            <h2 class="section-title">{title}</h2>
            <button type="button" class="btn btn-small" id=format!("csv-{}", which.name())
                on:click=move |_| export(which)>"Download CSV"</button>
        </div>
    }
}

/// The money of a row, one currency per line.
fn amounts_cell<T>(
    label: &'static str,
    all: &Option<Vec<T>>,
    each: impl Fn(&T) -> String,
) -> impl IntoView {
    let lines: Vec<String> = all.iter().flatten().map(each).collect();
    view! { <td class="num" data-label=label>{lines.join("\n")}</td> }
}

/// The four reports.
fn sections(
    r: &SalesReport,
    amounts: bool,
    group: ReportGroup,
    export: impl Fn(Report) + Copy + 'static,
) -> impl IntoView {
    view! {
        <section class="report" id="report-pipeline-by-stage">
            {head("Pipeline by stage".into(), Report::PipelineByStage, export)}
            {stage_table(&r.pipeline_by_stage, amounts)}
        </section>
        <section class="report" id="report-performance">
            {head(format!("Performance by {}", group.label().to_ascii_lowercase()), Report::Performance, export)}
            {win_rates(&r.performance, group)}
            {performance_table(&r.performance, amounts)}
        </section>
        <section class="report" id="report-funnel">
            {head("Funnel".into(), Report::Funnel, export)}
            {funnel(&r.funnel)}
        </section>
        <section class="report" id="report-slippage">
            {head(format!("Slippage by {}", group.label().to_ascii_lowercase()), Report::Slippage, export)}
            {slippage_table(&r.slippage)}
        </section>
    }
}

/// A table with `heads` over `rows`, or `empty` when there are none.
fn table(id: &'static str, heads: Vec<&'static str>, rows: AnyView, empty: bool) -> AnyView {
    if empty {
        return view! { <p class="muted">"Nothing matches the filter."</p> }.into_any();
    }
    let heads = heads
        .into_iter()
        .map(|h| view! { <th>{h}</th> })
        .collect_view();
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

fn stage_table(rows: &[StageRow], amounts: bool) -> AnyView {
    let mut heads = vec!["Stage", "Opportunities"];
    if amounts {
        heads.extend(["Amount", "Weighted"]);
    }
    let body = rows
        .iter()
        .map(|r| {
            let money_cells = amounts.then(|| {
                view! {
                    {amounts_cell("Amount", &r.amounts, |a| money(a.sum.as_deref(), &a.currency))}
                    {amounts_cell("Weighted", &r.amounts, |a| money(a.weighted.as_deref(), &a.currency))}
                }
            });
            view! {
                <tr class="stage-row">
                    <td data-label="Stage">{r.stage.clone()}</td>
                    <td class="num" data-label="Opportunities">{r.count}</td>
                    {money_cells}
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table("pipeline-by-stage-table", heads, body, rows.is_empty())
}

fn performance_table(rows: &[PerformanceRow], amounts: bool) -> AnyView {
    let mut heads = vec!["", "Won", "Lost", "Win rate", "Average cycle"];
    if amounts {
        heads.extend(["Won amount", "Average deal"]);
    }
    let body = rows
        .iter()
        .map(|r| {
            let money_cells = amounts.then(|| {
                view! {
                    {amounts_cell("Won amount", &r.amounts, |a| money(a.won.as_deref(), &a.currency))}
                    {amounts_cell("Average deal", &r.amounts, |a| money(a.average_deal_size.as_deref(), &a.currency))}
                }
            });
            view! {
                <tr class="performance-row" data-key=r.key.clone()>
                    <td data-label="Group">{r.label.clone()}</td>
                    <td class="num" data-label="Won">{r.won}</td>
                    <td class="num" data-label="Lost">{r.lost}</td>
                    <td class="num" data-label="Win rate">{share(r.win_rate)}</td>
                    <td class="num" data-label="Average cycle">{days(r.average_cycle_days)}</td>
                    {money_cells}
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table("performance-table", heads, body, rows.is_empty())
}

/// The win rate per group as a line.
fn win_rates(rows: &[PerformanceRow], group: ReportGroup) -> Option<impl IntoView> {
    if rows.is_empty() {
        return None;
    }
    let chart = Lines {
        id: "chart-win-rate",
        title: format!("Win rate by {}", group.label().to_ascii_lowercase()),
        x_label: group.label().into(),
        y_label: "Win rate (%)".into(),
        labels: rows.iter().map(|r| r.label.clone()).collect(),
        series: vec![(
            "Win rate".into(),
            rows.iter().map(|r| r.win_rate.map(|w| w * 100.0)).collect(),
        )],
        top: Some(100.0),
        unit: " %",
    };
    Some(view! { <LineChart chart /> })
}

fn funnel(rows: &[FunnelRow]) -> AnyView {
    if rows.is_empty() {
        return view! { <p class="muted">"Nothing matches the filter."</p> }.into_any();
    }
    let chart = Funnel {
        id: "chart-funnel",
        title: "Funnel: opportunities entering and advancing from each stage".into(),
        steps: rows
            .iter()
            .map(|r| FunnelStep {
                label: r.stage.clone(),
                entered: r.entered,
                advanced: r.advanced,
                conversion: r.conversion.map(|c| c * 100.0),
            })
            .collect(),
    };
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr class="funnel-row">
                    <td data-label="Stage">{r.stage.clone()}</td>
                    <td class="num" data-label="Entered">{r.entered}</td>
                    <td class="num" data-label="Advanced">{r.advanced.map_or_else(|| format::EMPTY.to_owned(), |n| n.to_string())}</td>
                    <td class="num" data-label="Won">{r.won}</td>
                    <td class="num" data-label="Lost">{r.lost}</td>
                    <td class="num" data-label="Conversion">{share(r.conversion)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    view! {
        <FunnelChart chart />
        {table("funnel-table", vec!["Stage", "Entered", "Advanced", "Won", "Lost", "Conversion"], body, false)}
    }
    .into_any()
}

fn slippage_table(rows: &[SlippageRow]) -> AnyView {
    let body = rows
        .iter()
        .map(|r| {
            view! {
                <tr class="slippage-row">
                    <td data-label="Group">{r.label.clone()}</td>
                    <td class="num" data-label="Opportunities">{r.opportunities}</td>
                    <td class="num" data-label="Slipped">{r.slipped}</td>
                    <td class="num" data-label="Pushes">{r.pushes}</td>
                    <td class="num" data-label="Average slip">{days(r.average_slip_days)}</td>
                </tr>
            }
        })
        .collect_view()
        .into_any();
    table(
        "slippage-table",
        vec!["", "Opportunities", "Slipped", "Pushes", "Average slip"],
        body,
        rows.is_empty(),
    )
}
