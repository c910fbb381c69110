//! `/home`: where the day starts. Everyone sees what their grants allow: their
//! open tasks (overdue ones first, each with the records it belongs to) and
//! today's calendar; those who sell see their quarter (closed won against
//! quota, commit, best case, pipeline); managers see each team they manage
//! against its quota; and deals whose stage has not moved for a month.

pub mod routes;

use crate::api::accounts::Money;
use crate::api::forecasts::{Figures, Forecast, Period};
use crate::api::home::{self, Deal, Entry, Home, Parts, STUCK_DAYS};
use crate::components::load::load_once;
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;
use wasm_bindgen::JsValue;
use web_sys::js_sys::Date;

/// Milliseconds in a day.
const DAY_MS: f64 = 86_400_000.0;

/// Today (UTC, as the rest of the app shows dates): its start and the next day's, RFC 3339.
fn today() -> (String, String) {
    let start = (Date::now() / DAY_MS).floor() * DAY_MS;
    let at = |ms: f64| String::from(Date::new(&JsValue::from_f64(ms)).to_iso_string());
    (at(start), at(start + DAY_MS))
}

/// `/home`.
#[component]
pub fn HomePage() -> impl IntoView {
    set_title("Home");
    let me = use_session().me.get_untracked().unwrap_or_default();
    let parts = Parts {
        activities: me.can("activity", "read"),
        deals: me.can("opportunity", "read"),
        forecast: me.can("forecast", "read"),
        teams: me.can("team", "read"),
        amounts: me.can_read_field("opportunity", "amount"),
    };
    // Those who may create deals sell: their own quarter is worth a card.
    let own = parts.deals && me.can("opportunity", "create");
    let (from, to) = today();
    let id = me.user.id.clone();
    let loaded = load_once(async move { home::load(parts, &id, own, &from, &to).await });
    let first_name = me
        .user
        .display_name
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_owned();
    let content = move || {
        loaded.with(|l| match l {
            None => view! { <p class="loading">"Loading your day…"</p> }.into_any(),
            Some(Err(e)) => load_error(e),
            Some(Ok(h)) => cards(h, parts).into_any(),
        })
    };
    view! {
        <div class="page-header">
            <h1>"Welcome, " {first_name}</h1>
        </div>
        <div class="home-grid" id="home" aria-live="polite">{content}</div>
    }
}

/// The cards of the page, in the order of the day's work.
fn cards(h: &Home, parts: Parts) -> impl IntoView {
    let nothing = h.tasks.is_none() && h.stuck.is_none() && h.mine.is_none() && h.teams.is_empty();
    view! {
        {h.tasks.as_ref().map(|t| tasks_card(t))}
        {h.today.as_ref().map(|t| today_card(t))}
        {h.mine.as_ref().map(|f| quarter_card(f, h.period.as_ref(), parts.amounts))}
        {(!h.teams.is_empty()).then(|| teams_card(&h.teams, parts.amounts))}
        {h.stuck.as_ref().map(|d| stuck_card(d, parts.amounts))}
        {recent_card()}
        {nothing.then(|| view! {
            <section class="card" id="home-empty">
                <p>"Use the search above to find people and organisations."</p>
            </section>
        })}
    }
}

/// Links to the records an activity belongs to.
fn records(entry: &Entry) -> impl IntoView {
    let links = entry
        .records
        .iter()
        .map(|r| view! { <a href=r.href.clone()>{r.name.clone()}</a> })
        .collect_view();
    (!entry.records.is_empty()).then(|| view! { <span class="home-records">" · " {links}</span> })
}

/// One task or calendar entry: icon, subject, time, records.
fn entry_view(entry: &Entry, today: &str) -> impl IntoView {
    let when = entry.when.as_deref().map(|w| {
        if w.starts_with(today) {
            format!("today {}", w.get(11..16).unwrap_or_default())
        } else {
            format::date_time(w)
        }
    });
    let class = if entry.overdue {
        "home-entry overdue"
    } else {
        "home-entry"
    };
    view! {
        <li class=class>
            <span aria-hidden="true">{entry.kind.icon()} " "</span>
            <span class="home-subject">{entry.subject.clone()}</span>
            {entry.overdue.then(|| view! { <span class="badge badge-alert">"overdue"</span> })}
            {when.map(|w| view! { <span class="muted">" " {w}</span> })}
            {records(entry)}
        </li>
    }
}

/// Overdue and today's tasks, then how many more there are.
fn tasks_card(tasks: &[Entry]) -> impl IntoView {
    let (day, _) = today();
    let day = day.get(..10).unwrap_or_default().to_owned();
    let (urgent, later): (Vec<&Entry>, Vec<&Entry>) = tasks
        .iter()
        .partition(|t| t.overdue || t.when.as_deref().is_some_and(|w| w.starts_with(&day)));
    let overdue = urgent.iter().filter(|t| t.overdue).count();
    let summary = match (overdue, urgent.len() - overdue) {
        (0, 0) => "Nothing overdue or due today.".to_owned(),
        (o, d) => format!("{o} overdue, {d} due today"),
    };
    let list = (!urgent.is_empty()).then(|| {
        let items = urgent.iter().map(|t| entry_view(t, &day)).collect_view();
        view! { <ol class="home-list" id="home-task-list">{items}</ol> }
    });
    let more = (!later.is_empty())
        .then(|| format::count(later.len() as i64, "more open task", "more open tasks"));
    view! {
        <section class="card" id="home-tasks">
            <h2 class="section-title">"My tasks"</h2>
            <p id="home-tasks-summary">{summary}</p>
            {list}
            <p><a href="/tasks">{more.map_or_else(|| "All tasks".to_owned(), |m| format!("{m} · all tasks"))}</a></p>
        </section>
    }
}

/// Today's calendar.
fn today_card(entries: &[Entry]) -> impl IntoView {
    let (day, _) = today();
    let day = day.get(..10).unwrap_or_default().to_owned();
    let body = if entries.is_empty() {
        view! { <p class="empty">"Nothing on the calendar today."</p> }.into_any()
    } else {
        let items = entries.iter().map(|e| entry_view(e, &day)).collect_view();
        view! { <ol class="home-list">{items}</ol> }.into_any()
    };
    view! {
        <section class="card" id="home-today">
            <h2 class="section-title">"Today"</h2>
            {body}
            <p><a href="/calendar">"Calendar"</a></p>
        </section>
    }
}

/// The records opened last in this browser, when there are any.
fn recent_card() -> impl IntoView {
    let list = recent::list();
    (!list.is_empty()).then(|| {
        let items = list
            .into_iter()
            .map(|r| {
                view! {
                    <li>
                        <a href=r.href>{r.label}</a>
                        <span class="muted">" · " {r.kind}</span>
                    </li>
                }
            })
            .collect_view();
        view! {
            <section class="card" id="home-recent">
                <h2 class="section-title">"Recent"</h2>
                <ol class="home-list">{items}</ol>
            </section>
        }
    })
}

/// An amount of a figure row's currency.
fn amount(figures: &Figures, value: &str) -> String {
    format::money(&Money {
        amount: value.to_owned(),
        currency: figures.currency.clone(),
    })
}

/// Closed won against quota, as words and a meter.
fn attainment(f: &Figures) -> impl IntoView {
    let quota = f.quota.as_deref().map(|q| amount(f, q));
    let text = match (&quota, f.attainment) {
        (Some(q), Some(a)) => format!("{} of {q} won · {a:.1} %", amount(f, &f.closed_won)),
        (Some(q), None) => format!("{} of {q} won", amount(f, &f.closed_won)),
        _ => format!("{} won · no quota set", amount(f, &f.closed_won)),
    };
    let meter = f.attainment.map(|a| {
        let label = format!("Quota attainment in {}", f.currency);
        view! { <meter min="0" max="100" value=a.clamp(0.0, 100.0).to_string() aria-label=label></meter> }
    });
    view! {
        <p class="home-attainment">{text}</p>
        {meter}
    }
}

/// Commit, best case and pipeline of one currency.
fn outlook(f: &Figures) -> impl IntoView {
    view! {
        <dl class="home-figures">
            <dt>"Commit"</dt><dd class="num">{amount(f, &f.commit)}</dd>
            <dt>"Best case"</dt><dd class="num">{amount(f, &f.best_case)}</dd>
            <dt>"Pipeline"</dt><dd class="num">{amount(f, &f.pipeline)}</dd>
        </dl>
    }
}

/// A forecast's body: per currency with money, else the counts.
fn forecast_body(f: &Forecast, amounts: bool) -> AnyView {
    match f.figures.as_ref().filter(|_| amounts) {
        Some(figures) if !figures.is_empty() => figures
            .iter()
            .map(|x| {
                view! {
                    <div class="home-currency">
                        {attainment(x)}
                        {outlook(x)}
                    </div>
                }
            })
            .collect_view()
            .into_any(),
        _ => {
            let c = f.counts;
            let text = format!(
                "{} won, {} commit, {} best case, {} pipeline",
                c.closed_won, c.commit, c.best_case, c.pipeline
            );
            view! {
                <p class="home-counts">{text}</p>
                {(!amounts).then(|| view! { <p class="muted">"Amounts are hidden for your role."</p> })}
            }
            .into_any()
        }
    }
}

/// The user's own quarter.
fn quarter_card(f: &Forecast, period: Option<&Period>, amounts: bool) -> impl IntoView {
    let label = period.map(|p| p.label.clone()).unwrap_or_default();
    view! {
        <section class="card" id="home-quarter">
            <h2 class="section-title">"My quarter · " {label}</h2>
            {forecast_body(f, amounts)}
            <p><a href="/forecast">"Forecast"</a></p>
        </section>
    }
}

/// Each team the user manages against its quota.
fn teams_card(teams: &[Forecast], amounts: bool) -> impl IntoView {
    let items = teams
        .iter()
        .map(|f| {
            view! {
                <div class="home-team">
                    <h3>{f.subject.name.clone()} " · " {f.period.label.clone()}</h3>
                    {forecast_body(f, amounts)}
                </div>
            }
        })
        .collect_view();
    view! {
        <section class="card" id="home-teams">
            <h2 class="section-title">"My teams"</h2>
            {items}
            <p><a href="/forecast">"Team forecast"</a></p>
        </section>
    }
}

/// Deals whose stage has not moved for [`STUCK_DAYS`] days.
fn stuck_card(deals: &[Deal], amounts: bool) -> impl IntoView {
    let body = if deals.is_empty() {
        view! { <p class="empty">"No open deal has been stuck in its stage for a month."</p> }
            .into_any()
    } else {
        let rows = deals
            .iter()
            .map(|d| {
                let money = d
                    .amount
                    .as_ref()
                    .map_or_else(|| format::EMPTY.to_owned(), format::money);
                view! {
                    <tr class="stuck-row">
                        <td>
                            <a href=format!("/opportunities/{}", d.id)>{d.name.clone()}</a>
                            {d.account.clone().map(|a| view! { <span class="muted">" · " {a}</span> })}
                        </td>
                        <td>{d.stage.clone()}</td>
                        <td>{d.owner.clone()}</td>
                        {amounts.then(|| view! { <td class="num">{money}</td> })}
                        <td>{format::or_empty(d.close_date.as_deref())}</td>
                    </tr>
                }
            })
            .collect_view();
        view! {
            <div class="table-wrap">
                <table class="data-table" id="home-stuck-table">
                    <thead><tr>
                        <th scope="col">"Deal"</th>
                        <th scope="col">"Stage"</th>
                        <th scope="col">"Owner"</th>
                        {amounts.then(|| view! { <th scope="col" class="num">"Amount"</th> })}
                        <th scope="col">"Close date"</th>
                    </tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <section class="card" id="home-stuck">
            <h2 class="section-title">"Stuck deals"</h2>
            <p class="muted">{format!("Open, no stage change for {STUCK_DAYS} days, stalest first.")}</p>
            {body}
        </section>
    }
}
