//! `/calendar`: a week of activities, Monday first; managers may look at a
//! team member's week.

use super::week::{buckets, day_text, monday_of, parse_day};
use crate::api::activities::{self, Activity};
use crate::api::users;
use crate::components::load::load_once;
use crate::components::session::{set_title, use_session};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Today, as a day number (see [`super::week`]).
pub fn today() -> i64 {
    let now = String::from(web_sys::js_sys::Date::new_0().to_iso_string());
    parse_day(&now).unwrap_or_default()
}

/// May the signed-in user look at other people's weeks?
fn is_manager() -> bool {
    use_session().me.with_untracked(|me| {
        me.as_ref()
            .is_some_and(|me| matches!(me.role.key.as_str(), "sales_manager" | "admin"))
    })
}

/// `/calendar`.
#[component]
pub fn CalendarPage() -> impl IntoView {
    set_title("Calendar");
    let monday = RwSignal::new(monday_of(today()));
    let owner = RwSignal::new(String::new());
    let week = RwSignal::new(None);
    let notice = RwSignal::new(None::<String>);
    let may_skip = use_session().me.with_untracked(|me| {
        me.as_ref()
            .is_some_and(|me| me.can("activity", "update") && me.can("activity", "create"))
    });
    let load = move || {
        let (from, owner) = (monday.get_untracked(), owner.get_untracked());
        let at = |d: i64| format!("{}T00:00:00Z", day_text(d));
        spawn_local(async move {
            let owner = Some(owner.as_str()).filter(|o| !o.is_empty());
            let answer = activities::calendar(&at(from), &at(from + 7), owner).await;
            if monday.try_get_untracked() == Some(from) {
                week.try_set(Some(answer));
            }
        });
    };
    load();
    let go = move |to: i64| {
        monday.set(to);
        load();
    };
    let picker = is_manager().then(|| {
        let people = load_once(users::assignable());
        view! {
            <label>
                "Owner "
                <select id="calendar-owner" on:change=move |ev| {
                    owner.set(event_target_value(&ev));
                    load();
                }>
                    <option value="">"Me"</option>
                    {move || people.get().and_then(Result::ok).unwrap_or_default().into_iter()
                        .map(|u| view! { <option value=u.id>{u.display_name}</option> })
                        .collect_view()}
                </select>
            </label>
        }
    });
    let days = move || {
        let first = monday.get();
        let list: Vec<Activity> = match week.get() {
            Some(Ok(list)) => list,
            Some(Err(e)) => {
                return view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }
                    .into_any()
            }
            None => Vec::new(),
        };
        let now = today();
        buckets(first, &list)
            .into_iter()
            .enumerate()
            .map(|(i, day)| {
                let date = first + i as i64;
                let items = day
                    .into_iter()
                    .map(|a| {
                        let time = a.when().and_then(|t| t.get(11..16)).unwrap_or_default().to_owned();
                        let repeats = (a.recurrence.is_some() || a.occurrence_at.is_some())
                            .then(|| view! { <span class="repeats" title="Repeats">" ↻"</span> });
                        // "This occurrence only": call off one start of a series.
                        let skip = (may_skip && a.is_occurrence() && a.planned).then(|| {
                            let label = format!("Skip “{}” at {}", a.subject, a.when().unwrap_or_default());
                            let occurrence = a.clone();
                            view! {
                                <button type="button" class="btn btn-small skip-occurrence" aria-label=label on:click=move |_| {
                                    let occurrence = occurrence.clone();
                                    spawn_local(async move {
                                        match activities::skip_occurrence(&occurrence).await {
                                            Ok(()) => {
                                                notice.set(Some("Skipped this occurrence; the rest of the series stays.".into()));
                                                load();
                                            }
                                            Err(e) => notice.set(Some(e.to_string())),
                                        }
                                    });
                                }>"Skip"</button>
                            }
                        });
                        view! {
                            <li class="calendar-item" class:overdue=a.overdue class:cancelled=a.cancelled data-kind=a.kind.as_str() data-occurrence=a.occurrence_at.clone()>
                                <time>{time}</time> " " {a.kind.icon()} " " {a.subject}
                                {repeats}
                                {a.cancelled.then(|| view! { <span class="muted">" (cancelled)"</span> })}
                                {a.location.map(|l| view! { <span class="muted">" · " {l}</span> })}
                                {skip}
                            </li>
                        }
                    })
                    .collect_view();
                view! {
                    <section class="calendar-day" class:today=date == now data-day=day_text(date)>
                        <h2>{["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][i]} " " {day_text(date)}</h2>
                        <ol>{items}</ol>
                    </section>
                }
            })
            .collect_view()
            .into_any()
    };
    view! {
        <div class="page-header">
            <h1>"Calendar"</h1>
            <div class="toolbar">
                <button type="button" class="btn" id="week-prev" on:click=move |_| go(monday.get_untracked() - 7)>"‹ Previous"</button>
                <button type="button" class="btn" id="week-today" on:click=move |_| go(monday_of(today()))>"Today"</button>
                <button type="button" class="btn" id="week-next" on:click=move |_| go(monday.get_untracked() + 7)>"Next ›"</button>
                {picker}
            </div>
        </div>
        {move || notice.get().map(|n| view! { <p class="alert" role="status" id="calendar-notice">{n}</p> })}
        <p class="muted" id="week-range">{move || format!("{} – {}", day_text(monday.get()), day_text(monday.get() + 6))}</p>
        <div class="calendar-week" id="calendar">{days}</div>
    }
}
