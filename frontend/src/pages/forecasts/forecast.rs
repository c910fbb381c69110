//! `/forecast`: the figures of a person or a team for one fiscal period. The
//! period picker starts at the current quarter; the subject is the user or a
//! team, and a team's children (sub-teams, then members) open on a click, with
//! a breadcrumb back.

use super::{amounts_hidden, call, money, not_allowed, outlook, percent, Grants};
use crate::api::forecasts::{
    self, Counts, Forecast, Named, PeriodInput, PeriodKind, Subject, SubjectKind, Team,
};
use crate::api::ApiError;
use crate::components::load::{load_once, reload};
use crate::components::session::set_title;
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The page's state, shared by its parts.
#[derive(Clone, Copy)]
pub struct Page {
    /// From the chosen subject down to the one shown (the last).
    pub trail: RwSignal<Vec<Named>>,
    /// `None` until the current quarter is known.
    pub period: RwSignal<Option<PeriodInput>>,
    /// Bumped after a write, to read everything again.
    pub refresh: RwSignal<u32>,
    /// The currency of the chart and the backtest.
    pub currency: RwSignal<String>,
    /// May the user read money?
    pub amounts: bool,
    /// The signed-in user's id.
    pub me: StoredValue<String>,
}

impl Page {
    /// The subject shown (tracked).
    pub fn subject(&self) -> Option<Named> {
        self.trail.with(|t| t.last().cloned())
    }

    /// The subject and period to load (tracked, with the refresh count), once both are known.
    pub fn asked(&self) -> Option<(Subject, PeriodInput)> {
        self.refresh.track();
        Some((self.subject()?.subject(), self.period.get()?))
    }

    /// Is the subject shown the signed-in user?
    pub fn is_me(&self, subject: &Named) -> bool {
        subject.kind == SubjectKind::User && self.me.with_value(|me| *me == subject.id)
    }
}

/// `/forecast`.
#[component]
pub fn ForecastPage() -> impl IntoView {
    let grants = Grants::get();
    if !grants.can("forecast", "read") {
        return not_allowed("Forecast");
    }
    set_title("Forecast");
    let (id, name) = grants.user.clone();
    let me = Named {
        kind: SubjectKind::User,
        id: id.clone(),
        name,
    };
    let page = Page {
        trail: RwSignal::new(vec![me.clone()]),
        period: RwSignal::new(None),
        refresh: RwSignal::new(0),
        currency: RwSignal::new(String::new()),
        amounts: grants.amounts,
        me: StoredValue::new(id),
    };
    let failed = RwSignal::new(None::<ApiError>);
    spawn_local(async move {
        match forecasts::period_of(PeriodKind::Quarter, None).await {
            Ok(p) => _ = page.period.try_set(Some(p.input)),
            Err(e) => _ = failed.try_set(Some(e)),
        }
    });
    let fiscal = load_once(forecasts::settings());
    let teams = load_once(forecasts::teams());
    let amounts = grants.amounts;
    let loaded = reload(move || {
        let asked = page.asked();
        async move {
            let (subject, period) = asked?;
            Some(forecasts::forecast(&subject, period, amounts).await)
        }
    });
    let forecast = Signal::derive(move || loaded.with(|l| l.clone().flatten()?.ok()));
    // The chart's currency: the first one there is, unless one is chosen.
    Effect::new(move |_| {
        let currencies: Vec<String> = forecast.with(|f| {
            let figures = f.as_ref().and_then(|f| f.figures.as_ref());
            figures
                .map(|all| all.iter().map(|x| x.currency.clone()).collect())
                .unwrap_or_default()
        });
        let chosen = page.currency.get_untracked();
        if !currencies.is_empty() && !currencies.contains(&chosen) {
            page.currency.set(currencies[0].clone());
        }
    });

    let content = move || {
        page.currency.track();
        loaded.with(|l| match l.as_ref().and_then(Option::as_ref) {
            None => view! { <p class="loading">"Loading the forecast…"</p> }.into_any(),
            Some(Err(e)) => load_error(e),
            Some(Ok(f)) => view! {
                {figures_table(f, amounts)}
                {children_table(page, f, amounts)}
            }
            .into_any(),
        })
    };
    view! {
        <div class="page-header">
            <h1>"Forecast"</h1>
        </div>
        {period_picker(page, forecast, fiscal)}
        {subject_picker(page, teams, me)}
        {trail(page)}
        {move || failed.with(|e| e.as_ref().map(load_error))}
        <section class="forecast-main" id="forecast" aria-live="polite">{content}</section>
        {call::calls(page, &grants, forecast)}
        {outlook::outlook(page, forecast)}
    }
    .into_any()
}

/// `Q1`…`Q4`, `M1`…`M12`.
fn number_label(kind: PeriodKind, n: i64) -> String {
    match kind {
        PeriodKind::Quarter => format!("Q{n}"),
        _ => format!("M{n}"),
    }
}

/// `"April"` for 4.
fn month_name(month: i64) -> &'static str {
    const NAMES: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    NAMES
        .get((month - 1).clamp(0, 11) as usize)
        .copied()
        .unwrap_or("January")
}

/// Kind, fiscal year and number of the period, with steps back and forward.
fn period_picker(
    page: Page,
    forecast: Signal<Option<Forecast>>,
    fiscal: ReadSignal<Option<Result<i64, ApiError>>>,
) -> impl IntoView {
    let change = move |f: Box<dyn Fn(PeriodInput) -> PeriodInput>| {
        page.period.update(|p| {
            if let Some(p) = p {
                *p = f(*p);
            }
        });
    };
    let kind = move || page.period.with(|p| p.map(|p| p.kind).unwrap_or_default());
    let kinds = PeriodKind::ALL.iter().map(|&k| {
        view! { <option value=k.as_str() prop:selected=move || kind() == k>{k.label()}</option> }
    });
    let numbers = move || {
        let kind = kind();
        let chosen = page.period.with(|p| p.and_then(|p| p.number));
        (kind != PeriodKind::Year).then(|| {
            let options = (1..=PeriodInput::per_year(kind)).map(|n| {
                view! { <option value=n.to_string() prop:selected=chosen == Some(n)>{number_label(kind, n)}</option> }
            });
            view! {
                <label>
                    "Number "
                    <select id="period-number" on:change=move |ev| {
                        let n = event_target_value(&ev).parse().ok();
                        change(Box::new(move |p| PeriodInput { number: n, ..p }));
                    }>{options.collect_view()}</select>
                </label>
            }
        })
    };
    let label = move || {
        forecast.with(|f| {
            f.as_ref().map(|f| {
                let p = &f.period;
                format!("{} · {} – {}", p.label, p.start, p.end)
            })
        })
    };
    let hint = move || {
        fiscal.with(|f| match f {
            Some(Ok(month)) if *month != 1 => {
                Some(format!("The fiscal year starts in {}.", month_name(*month)))
            }
            _ => None,
        })
    };
    view! {
        <div class="toolbar" id="period-picker">
            <button type="button" class="btn" id="period-prev" aria-label="Previous period"
                on:click=move |_| change(Box::new(|p| p.step(-1)))>"‹"</button>
            <label>
                "Period "
                <select id="period-kind" on:change=move |ev| {
                    if let Some(k) = PeriodKind::parse(&event_target_value(&ev)) {
                        change(Box::new(move |p| p.as_kind(k)));
                    }
                }>{kinds.collect_view()}</select>
            </label>
            <label>
                "Fiscal year "
                <input type="number" id="period-year" class="year" min="1970" max="2999"
                    prop:value=move || page.period.with(|p| p.map(|p| p.year.to_string()).unwrap_or_default())
                    on:change=move |ev| {
                        if let Ok(year) = event_target_value(&ev).parse::<i64>() {
                            change(Box::new(move |p| PeriodInput { year, ..p }));
                        }
                    } />
            </label>
            {numbers}
            <button type="button" class="btn" id="period-next" aria-label="Next period"
                on:click=move |_| change(Box::new(|p| p.step(1)))>"›"</button>
            <p class="total" id="period-label">{label}</p>
        </div>
        {move || hint().map(|h| view! { <p class="muted" id="fiscal-hint">{h}</p> })}
    }
}

/// "Me" or a team, in hierarchy order.
fn subject_picker(
    page: Page,
    teams: ReadSignal<Option<Result<Vec<Team>, ApiError>>>,
    me: Named,
) -> impl IntoView {
    let root = move || {
        page.trail
            .with(|t| t.first().map(|s| s.id.clone()).unwrap_or_default())
    };
    let options = move || {
        teams.with(|t| {
            let teams = t.as_ref().and_then(|t| t.as_ref().ok());
            forecasts::tree(teams.map_or(&[], Vec::as_slice))
                .into_iter()
                .map(|(depth, team)| {
                    let id = team.id.clone();
                    let label = format!("{}{}", "\u{2003}".repeat(depth), team.name);
                    view! { <option value=team.id.clone() prop:selected=move || root() == id>{label}</option> }
                })
                .collect_view()
        })
    };
    let choose = move |ev: leptos::ev::Event| {
        let id = event_target_value(&ev);
        let chosen = teams.with_untracked(|t| {
            let teams = t.as_ref().and_then(|t| t.as_ref().ok())?;
            let team = teams.iter().find(|team| team.id == id)?;
            Some(Named {
                kind: SubjectKind::Team,
                id: team.id.clone(),
                name: team.name.clone(),
            })
        });
        page.trail.set(vec![chosen.unwrap_or_else(|| me.clone())]);
    };
    view! {
        <div class="toolbar">
            <label>
                "Forecast of "
                <select id="forecast-subject" on:change=choose>
                    <option value="">"Me"</option>
                    {options}
                </select>
            </label>
        </div>
    }
}

/// The breadcrumb from the chosen subject down to the one shown.
fn trail(page: Page) -> impl IntoView {
    move || {
        let trail = page.trail.get();
        let last = trail.len().saturating_sub(1);
        let items = trail
            .into_iter()
            .enumerate()
            .map(|(i, s)| {
                if i == last {
                    view! { <li aria-current="page"><strong id="forecast-subject-name">{s.name}</strong></li> }.into_any()
                } else {
                    view! {
                        <li>
                            <button type="button" class="link-button crumb"
                                on:click=move |_| page.trail.update(|t| t.truncate(i + 1))>{s.name}</button>
                            " › "
                        </li>
                    }
                    .into_any()
                }
            })
            .collect_view();
        view! { <nav class="breadcrumb" aria-label="Forecast of"><ol class="crumbs" id="forecast-trail">{items}</ol></nav> }
    }
}

/// The count cells of a row: closed won, commit, best case, pipeline.
fn count_cells(c: &Counts) -> impl IntoView {
    [
        ("Closed won", c.closed_won),
        ("Commit", c.commit),
        ("Best case", c.best_case),
        ("Pipeline", c.pipeline),
    ]
    .into_iter()
    .map(|(label, n)| view! { <td class="num" data-label=label>{n}</td> })
    .collect_view()
}

/// The categories per currency, and the counts.
fn figures_table(f: &Forecast, amounts: bool) -> impl IntoView {
    let money_heads = amounts.then(|| {
        view! { <th class="num">"Weighted"</th><th class="num">"Quota"</th><th class="num">"Attainment"</th> }
    });
    let blanks = amounts.then(|| {
        ["Weighted", "Quota", "Attainment"]
            .map(|label| view! { <td class="num" data-label=label>{format::EMPTY}</td> })
    });
    let rows = f.figures.clone().unwrap_or_default().into_iter().map(|x| {
        let c = x.currency.clone();
        let cell = move |label: &'static str, amount: Option<&str>| {
            view! { <td class="num" data-label=label>{money(amount, &c)}</td> }
        };
        view! {
            <tr class="figures-row" data-currency=x.currency.clone()>
                <th scope="row">{x.currency.clone()}</th>
                {cell("Closed won", Some(&x.closed_won))}
                {cell("Commit", Some(&x.commit))}
                {cell("Best case", Some(&x.best_case))}
                {cell("Pipeline", Some(&x.pipeline))}
                {cell("Weighted", Some(&x.weighted_pipeline))}
                {cell("Quota", x.quota.as_deref())}
                <td class="num attainment" data-label="Attainment">{percent(x.attainment)}</td>
            </tr>
        }
    });
    let hidden =
        (!amounts || f.figures.is_none()).then(|| amounts_hidden("forecast-amounts-hidden"));
    view! {
        <h2 class="section-title">{f.subject.name.clone()} " · " {f.period.label.clone()}</h2>
        <div class="table-wrap">
            <table class="data-table" id="forecast-figures">
                <thead>
                    <tr>
                        <th></th>
                        <th class="num">"Closed won"</th>
                        <th class="num">"Commit"</th>
                        <th class="num">"Best case"</th>
                        <th class="num">"Pipeline"</th>
                        {money_heads}
                    </tr>
                </thead>
                <tbody>
                    <tr id="forecast-counts">
                        <th scope="row">"Opportunities"</th>
                        {count_cells(&f.counts)}
                        {blanks}
                    </tr>
                    {amounts.then(|| rows.collect_view())}
                </tbody>
            </table>
        </div>
        <p class="muted" id="forecast-omitted">{format::count(f.counts.omitted, "opportunity", "opportunities")} " omitted (lost or left out)."</p>
        {hidden}
    }
}

/// A team's sub-teams and members; a click opens one.
fn children_table(page: Page, f: &Forecast, amounts: bool) -> Option<impl IntoView> {
    if f.children.is_empty() {
        return None;
    }
    let currency = page.currency.get_untracked();
    let money_head = amounts.then(|| {
        let (won, commit) = (format!("Won ({currency})"), format!("Commit ({currency})"));
        view! { <th class="num">{won}</th><th class="num">{commit}</th> }
    });
    let rows = f
        .children
        .iter()
        .map(|child| {
            let subject = child.subject.clone();
            let open = move |_| {
                let subject = subject.clone();
                page.trail.update(|t| t.push(subject));
            };
            let in_currency = child
                .figures
                .as_ref()
                .and_then(|all| all.iter().find(|x| x.currency == currency));
            let money_cells = amounts.then(|| {
                let won = money(in_currency.map(|x| x.closed_won.as_str()), &currency);
                let commit = money(in_currency.map(|x| x.commit.as_str()), &currency);
                view! { <td class="num" data-label="Won">{won}</td><td class="num" data-label="Commit">{commit}</td> }
            });
            view! {
                <tr class="child-row" data-id=child.subject.id.clone() data-kind=child.subject.kind.as_str() on:click=open>
                    <td data-label="Name">
                        // The row's click opens it; the button gives the keyboard a way there.
                        <button type="button" class="link-button child-open">{child.subject.name.clone()}</button>
                        " " <span class="badge">{child.subject.kind.label()}</span>
                    </td>
                    {count_cells(&child.counts)}
                    {money_cells}
                </tr>
            }
        })
        .collect_view();
    Some(view! {
        <h2 class="section-title">"Teams and people"</h2>
        <div class="table-wrap">
            <table class="data-table clickable" id="forecast-children">
                <thead>
                    <tr>
                        <th>"Name"</th>
                        <th class="num">"Closed won"</th>
                        <th class="num">"Commit"</th>
                        <th class="num">"Best case"</th>
                        <th class="num">"Pipeline"</th>
                        {money_head}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    })
}
