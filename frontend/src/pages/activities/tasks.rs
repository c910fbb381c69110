//! `/tasks`: my planned tasks by due time, overdue ones marked; and the
//! shell's overdue badge and reminder notices.

use super::timeline::activity_view;
use crate::api::activities::{self, Activity};
use crate::components::session::set_title;
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Shared by the shell and the tasks page: how many tasks are overdue and
/// which reminders have come; reloaded after a task is done.
#[derive(Clone, Copy)]
pub struct Agenda {
    overdue: RwSignal<usize>,
    reminders: RwSignal<String>,
    /// The reminders the user dismissed: hidden until others come.
    dismissed: RwSignal<String>,
}

impl Agenda {
    /// Loads both now.
    pub fn new() -> Self {
        let agenda = Self {
            overdue: RwSignal::new(0),
            reminders: RwSignal::new(String::new()),
            dismissed: RwSignal::new(String::new()),
        };
        agenda.refresh();
        agenda
    }

    /// Loads both again.
    pub fn refresh(self) {
        spawn_local(async move {
            if let Ok(list) = activities::my_tasks(true).await {
                self.overdue.try_set(list.len());
            }
            if let Ok(list) = activities::my_reminders().await {
                self.reminders.try_set(reminder_text(&list));
            }
        });
    }
}

/// `"☎ Call Acme 2024-05-02 10:00 · ☐ Send offer"`.
pub fn reminder_text(list: &[Activity]) -> String {
    list.iter()
        .map(|a| {
            format!(
                "{} {} {}",
                a.kind.icon(),
                a.subject,
                a.when().map(format::date_time).unwrap_or_default()
            )
            .trim_end()
            .to_owned()
        })
        .collect::<Vec<_>>()
        .join(" · ")
}

/// `#overdue-badge` in the navigation: the number of overdue tasks, when any.
#[component]
pub fn OverdueBadge(agenda: Agenda) -> impl IntoView {
    move || {
        let n = agenda.overdue.get();
        (n > 0).then(|| view! { <span class="badge badge-alert" id="overdue-badge" title="Overdue tasks">{n}</span> })
    }
}

/// `#reminders`: the reminders that have come, until dismissed (new ones show again).
#[component]
pub fn Reminders(agenda: Agenda) -> impl IntoView {
    move || {
        let text = agenda.reminders.get();
        let shown = !text.is_empty() && agenda.dismissed.with(|d| *d != text);
        shown.then(|| {
            let dismiss = move |_| agenda.dismissed.set(agenda.reminders.get_untracked());
            view! {
                <div class="alert alert-warning alert-row" id="reminders" role="status">
                    <p>"Reminders: " {text}</p>
                    <button type="button" class="btn" id="reminders-dismiss" on:click=dismiss>
                        "Dismiss"
                    </button>
                </div>
            }
        })
    }
}

/// `/tasks`.
#[component]
pub fn TasksPage() -> impl IntoView {
    set_title("My tasks");
    let agenda = use_context::<Agenda>();
    let tasks = RwSignal::new(None);
    let load = move || {
        spawn_local(async move {
            tasks.try_set(Some(activities::my_tasks(false).await));
        });
    };
    load();
    let on_done = Callback::new(move |()| {
        load();
        if let Some(a) = agenda {
            a.refresh();
        }
    });
    let list = move || match tasks.get() {
        Some(Ok(list)) if list.is_empty() => {
            view! { <p class="empty">"No open tasks."</p> }.into_any()
        }
        Some(Ok(list)) => {
            let items = list
                .iter()
                .map(|a| activity_view(a, on_done))
                .collect_view();
            view! { <ol class="timeline" id="tasks">{items}</ol> }.into_any()
        }
        Some(Err(e)) => {
            view! { <p class="alert alert-error" role="alert">{e.to_string()}</p> }.into_any()
        }
        None => ().into_any(),
    };
    view! {
        <div class="page-header"><h1>"My tasks"</h1></div>
        <section class="card">{list}</section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::activities::ActivityKind;

    #[test]
    fn reminders_read_as_one_line() {
        let call = Activity {
            kind: ActivityKind::Call,
            subject: "Call Acme".into(),
            starts_at: Some("2024-05-02T10:00:00Z".into()),
            ..Activity::default()
        };
        let task = Activity {
            kind: ActivityKind::Task,
            subject: "Offer".into(),
            ..Activity::default()
        };
        assert_eq!(
            reminder_text(&[call, task]),
            "☎ Call Acme 2024-05-02 10:00 · ☐ Offer"
        );
    }
}
