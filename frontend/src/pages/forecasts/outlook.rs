//! What lies ahead: forecast vs quota vs actual across the short- or
//! long-term horizon, and the statistical forecast with its backtest.

use super::forecast::Page;
use super::{amounts_hidden, money};
use crate::api::forecasts::{self, value_of, Backtest, Forecast, Horizon, Statistical};
use crate::api::ApiError;
use crate::components::charts::{Band, BandChart, BandPoint, BarChart, Bars};
use crate::components::load::reload;
use crate::page::record::load_error;
use leptos::prelude::*;

/// Periods the backtest replays.
const BACKTEST_PERIODS: i64 = 8;

/// The horizon chart and the statistical forecast.
pub fn outlook(page: Page, forecast: Signal<Option<Forecast>>) -> impl IntoView {
    let amounts = page.amounts;
    let horizon = RwSignal::new(Horizon::ShortTerm);
    // Each answer keeps what it was asked for: while the next subject's or
    // horizon's loads, the last one is not shown as if it were the new one's.
    let horizon_asked = move || page.subject().map(|s| (s.subject(), horizon.get()));
    let periods = reload(move || {
        page.refresh.track();
        let asked = horizon_asked();
        async move {
            let (subject, horizon) = asked.clone()?;
            Some((asked, forecasts::horizon(&subject, horizon, amounts).await))
        }
    });
    // Not read again after a call: a call does not change the model.
    let statistical_asked = move || page.subject().map(|s| s.subject()).zip(page.period.get());
    let statistical = reload(move || {
        let asked = statistical_asked();
        async move {
            let (subject, period) = asked.clone()?;
            Some((
                asked,
                forecasts::statistical(&subject, period, None, amounts).await,
            ))
        }
    });
    let backtest = reload(move || {
        let currency = page.currency.get();
        let kind = page.period.with(|p| p.map(|p| p.kind));
        let asked = page.subject().filter(|_| amounts && !currency.is_empty());
        async move {
            let (subject, kind) = (asked?.subject(), kind?);
            Some(forecasts::backtest(&subject, None, &currency, kind, BACKTEST_PERIODS).await)
        }
    });
    let horizons = Horizon::ALL.iter().map(|&h| {
        view! { <option value=h.as_str() prop:selected=move || horizon.get() == h>{h.label()}</option> }
    });
    let chart = move || {
        let currency = page.currency.get();
        let asked = horizon_asked();
        periods.with(|p| match current(p, &asked) {
            None => view! { <p class="loading">"Loading…"</p> }.into_any(),
            Some(Err(e)) => load_error(e),
            Some(Ok(list)) => {
                let chart = if amounts && !currency.is_empty() {
                    money_bars(list, &currency)
                } else {
                    count_bars(list)
                };
                view! { <BarChart chart /> }.into_any()
            }
        })
    };
    view! {
        <section class="forecast-section" id="forecast-outlook">
            <div class="section-head">
                <h2 class="section-title">"Forecast, quota and actual"</h2>
                <label>
                    "Horizon "
                    <select id="forecast-horizon" on:change=move |ev| {
                        if let Some(h) = Horizon::parse(&event_target_value(&ev)) {
                            horizon.set(h);
                        }
                    }>{horizons.collect_view()}</select>
                </label>
            </div>
            {move || currency_picker(page, forecast)}
            {chart}
        </section>
        <section class="forecast-section" id="forecast-statistical">
            <h2 class="section-title">"Statistical forecast"</h2>
            {move || {
                let asked = statistical_asked();
                statistical.with(|s| match current(s, &asked) {
                    None => view! { <p class="loading">"Calculating…"</p> }.into_any(),
                    Some(Err(e)) => load_error(e),
                    Some(Ok(s)) => statistical_view(s, amounts).into_any(),
                })
            }}
            {move || backtest.with(|b| match b.as_ref().and_then(Option::as_ref) {
                None => ().into_any(),
                Some(Err(e)) => backtest_error(e),
                Some(Ok(b)) => backtest_view(b, &page.currency.get_untracked()).into_any(),
            })}
        </section>
    }
}

/// The answer in `loaded` when it is for `asked`, the request of now; `None`
/// while that one loads.
fn current<'a, K: PartialEq, T>(loaded: &'a Option<Option<(K, T)>>, asked: &K) -> Option<&'a T> {
    match loaded {
        Some(Some((key, answer))) if key == asked => Some(answer),
        _ => None,
    }
}

/// The currency of the chart and the backtest, when the figures have more than one.
fn currency_picker(page: Page, forecast: Signal<Option<Forecast>>) -> Option<impl IntoView> {
    let currencies: Vec<String> = forecast.with(|f| {
        let all = f.as_ref()?.figures.as_ref()?;
        Some(all.iter().map(|x| x.currency.clone()).collect())
    })?;
    (currencies.len() > 1).then(|| {
        let options = currencies.into_iter().map(|c| {
            let (chosen, value) = (c.clone(), c.clone());
            view! { <option value=value prop:selected=move || page.currency.with(|p| *p == chosen)>{c}</option> }
        });
        view! {
            <label>
                "Currency "
                <select id="forecast-currency" on:change=move |ev| page.currency.set(event_target_value(&ev))>
                    {options.collect_view()}
                </select>
            </label>
        }
    })
}

/// Forecast (won + commit), quota and actual (won) per period, in `currency`.
fn money_bars(list: &[Forecast], currency: &str) -> Bars {
    let groups = list
        .iter()
        .map(|f| {
            let x = f
                .figures
                .as_ref()
                .and_then(|all| all.iter().find(|x| x.currency == currency));
            let values = match x {
                Some(x) => {
                    let won = value_of(&x.closed_won);
                    let commit = value_of(&x.commit);
                    let forecast = won.zip(commit).map(|(w, c)| w + c);
                    vec![forecast, x.quota.as_deref().and_then(value_of), won]
                }
                None => vec![Some(0.0), None, Some(0.0)],
            };
            (f.period.label.clone(), values)
        })
        .collect();
    Bars {
        id: "forecast-chart",
        title: format!("Forecast vs quota vs actual ({currency})"),
        x_label: "Period".into(),
        y_label: currency.to_owned(),
        series: vec![
            "Forecast (won + commit)".into(),
            "Quota".into(),
            "Actual (won)".into(),
        ],
        groups,
    }
}

/// Opportunities per category and period, for users who may not read money.
fn count_bars(list: &[Forecast]) -> Bars {
    let groups = list
        .iter()
        .map(|f| {
            let c = f.counts;
            let values = [c.closed_won, c.commit, c.best_case].map(|n| Some(n as f64));
            (f.period.label.clone(), values.to_vec())
        })
        .collect();
    Bars {
        id: "forecast-chart",
        title: "Opportunities per period".into(),
        x_label: "Period".into(),
        y_label: "Opportunities".into(),
        series: vec!["Closed won".into(), "Commit".into(), "Best case".into()],
        groups,
    }
}

/// P10 / P50 / P90 per currency, or why there are none.
fn statistical_view(s: &Statistical, amounts: bool) -> impl IntoView {
    let history = format!("{} closed opportunities, {} won", s.closed, s.won);
    if !s.sufficient {
        let (closed, won) = s.minimum;
        return view! {
            <p class="alert alert-warning" id="statistical-insufficient">
                "Not enough history for a statistical forecast: " {history}
                ". It needs at least " {closed} " closed opportunities, " {won} " of them won."
            </p>
        }
        .into_any();
    }
    let basis = match s.basis.as_str() {
        "PIPELINE" => "the whole pipeline",
        _ => "this subject's own history",
    };
    let rows = s.currencies.iter().map(|q| {
        let c = &q.currency;
        let cells = amounts.then(|| {
            view! {
                <td class="num" data-label="P10">{money(q.p10.as_deref(), c)}</td>
                <td class="num" data-label="P50">{money(q.p50.as_deref(), c)}</td>
                <td class="num" data-label="P90">{money(q.p90.as_deref(), c)}</td>
            }
        });
        view! {
            <tr class="quantile-row" data-currency=c.clone()>
                <th scope="row">{c.clone()}</th>
                <td class="num" data-label="Open">{q.open_count}</td>
                {cells}
            </tr>
        }
    });
    let heads = amounts.then(
        || view! { <th class="num">"P10"</th><th class="num">"P50"</th><th class="num">"P90"</th> },
    );
    view! {
        <p class="muted" id="statistical-basis">"Fitted on " {basis} " (" {history} ")."</p>
        <div class="table-wrap">
            <table class="data-table" id="statistical-quantiles">
                <thead><tr><th>"Currency"</th><th class="num">"Open opportunities"</th>{heads}</tr></thead>
                <tbody>{rows.collect_view()}</tbody>
            </table>
        </div>
        {(!amounts).then(|| amounts_hidden("statistical-amounts-hidden"))}
    }
    .into_any()
}

/// The backtest's failure, in its place (the rest of the page stands).
fn backtest_error(e: &ApiError) -> AnyView {
    view! { <div id="backtest-error">{load_error(e)}</div> }.into_any()
}

/// How often the actual fell inside P10–P90: `(inside, periods with a model)`.
pub fn calibration(b: &Backtest) -> (usize, usize) {
    let checked: Vec<bool> = b
        .periods
        .iter()
        .filter_map(|p| {
            p.inside.or_else(|| {
                let (p10, p90) = (value_of(p.p10.as_deref()?)?, value_of(p.p90.as_deref()?)?);
                let actual = value_of(p.actual.as_deref()?)?;
                Some(p10 <= actual && actual <= p90)
            })
        })
        .collect();
    (
        checked.iter().filter(|inside| **inside).count(),
        checked.len(),
    )
}

/// The backtest's band chart and its calibration.
fn backtest_view(b: &Backtest, currency: &str) -> impl IntoView {
    let points = b
        .periods
        .iter()
        .map(|p| {
            let q = |v: &Option<String>| v.as_deref().and_then(value_of);
            let band = match (q(&p.p10), q(&p.p50), q(&p.p90)) {
                (Some(a), Some(b), Some(c)) if p.sufficient => Some((a, b, c)),
                _ => None,
            };
            BandPoint {
                label: p.period.label.clone(),
                band,
                actual: q(&p.actual),
            }
        })
        .collect();
    let chart = Band {
        id: "backtest-chart",
        title: format!("Backtest: P10–P90 against the actual ({currency})"),
        x_label: "Period".into(),
        y_label: currency.to_owned(),
        points,
    };
    let (inside, checked) = calibration(b);
    let share = b.calibration.map(|c| c * 100.0);
    let text = if checked == 0 {
        "No past period had enough history to check the model.".to_owned()
    } else {
        let share = share.unwrap_or(inside as f64 * 100.0 / checked as f64);
        format!(
            "Calibration: the actual fell inside P10–P90 in {inside} of {checked} periods ({share:.0} %); \
             a well-calibrated model scores about 80 %."
        )
    };
    view! {
        <BandChart chart />
        <p id="forecast-calibration">{text}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::forecasts::BacktestPeriod;

    fn period(p10: &str, p90: &str, actual: Option<&str>) -> BacktestPeriod {
        BacktestPeriod {
            sufficient: true,
            p10: Some(p10.into()),
            p50: Some(p10.into()),
            p90: Some(p90.into()),
            actual: actual.map(str::to_owned),
            ..BacktestPeriod::default()
        }
    }

    #[test]
    fn calibration_counts_the_periods_inside_the_band() {
        let b = Backtest {
            calibration: None,
            evaluated: 2,
            periods: vec![
                period("10", "20", Some("15")),
                period("10", "20", Some("25")),
                period("10", "20", None),
                BacktestPeriod::default(),
            ],
        };
        assert_eq!(calibration(&b), (1, 2));
    }
}
