//! A record's timeline: its changes and the activities linked to it, newest
//! first, with a filter by kind, "Load more", and "Done" for planned activities.

use super::complete::CompleteForm;
use crate::api::activities::{self, Activity, TimelineFilter, TimelineItem};
use crate::api::parties::{FieldChange, TimelineEntry};
use crate::api::ApiError;
use crate::format;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `"Created"`, `"Contact detail added"`; unknown actions are spelled out.
pub fn action_label(action: &str) -> String {
    let known = match action {
        "create" => "Created",
        "update" => "Updated",
        "archive" => "Archived",
        "restore" => "Restored",
        "roles" => "Roles changed",
        "contact_mechanism_added" => "Contact detail added",
        "contact_mechanism_removed" => "Contact detail removed",
        "relationship_added" => "Relationship added",
        "relationship_ended" => "Relationship ended",
        "merge" => "Merged",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    let spaced = action.replace('_', " ");
    let mut chars = spaced.chars();
    match chars.next() {
        Some(first) => std::iter::once(first.to_ascii_uppercase())
            .chain(chars)
            .collect(),
        None => String::new(),
    }
}

/// `"name: Acme → Acme Ltd"`; a missing side is shown as empty.
pub fn change_text(change: &FieldChange) -> String {
    format!(
        "{}: {} → {}",
        change.field,
        format::or_empty(change.before.as_deref()),
        format::or_empty(change.after.as_deref())
    )
}

/// The timeline as loaded so far; shared so the page can refresh it after a change.
#[derive(Clone, Copy)]
pub struct Feed {
    record_id: StoredValue<String>,
    items: RwSignal<Vec<TimelineItem>>,
    total: RwSignal<i64>,
    next: RwSignal<Option<String>>,
    filter: RwSignal<TimelineFilter>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// Bumped by every load; answers to older loads are dropped.
    generation: StoredValue<u32>,
}

impl Feed {
    /// The timeline of record `record_id` (a party or an opportunity), loading.
    pub fn new(record_id: String) -> Self {
        let feed = Self {
            record_id: StoredValue::new(record_id),
            items: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            next: RwSignal::new(None),
            filter: RwSignal::new(TimelineFilter::All),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        };
        feed.refresh();
        feed
    }

    fn load(self, after: Option<String>) {
        self.generation.update_value(|g| *g += 1);
        let asked = self.generation.get_value();
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let id = self.record_id.get_value();
            let filter = self.filter.get_untracked();
            let answer = activities::timeline(&id, filter, after.as_deref()).await;
            if self.generation.try_get_value() != Some(asked) {
                return;
            }
            match answer {
                Ok(page) => {
                    self.total.set(page.total_count);
                    self.next
                        .set(page.page_info.next_cursor().map(str::to_owned));
                    if after.is_some() {
                        self.items.update(|e| e.extend(page.nodes));
                    } else {
                        self.items.set(page.nodes);
                    }
                }
                Err(ApiError::Unauthenticated) => {}
                Err(e) => self.error.set(Some(e.to_string())),
            }
            self.busy.set(false);
        });
    }

    /// Reloads the first page (after a change made on the page).
    pub fn refresh(self) {
        self.load(None);
    }
}

fn change_view(entry: &TimelineEntry) -> AnyView {
    let who = entry
        .actor
        .as_ref()
        .map_or_else(|| "System".to_owned(), |a| a.display_name.clone());
    let changes = (!entry.changes.is_empty()).then(|| {
        let items = entry
            .changes
            .iter()
            .map(|c| view! { <li class="timeline-change">{change_text(c)}</li> })
            .collect_view();
        view! { <ul class="timeline-changes">{items}</ul> }
    });
    view! {
        <li class="timeline-entry" data-action=entry.action.clone()>
            <div class="timeline-head">
                <span class="timeline-action">{action_label(&entry.action)}</span>
                <span class="timeline-actor">{who}</span>
                <time datetime=entry.at.clone()>{format::date_time(&entry.at)}</time>
            </div>
            {changes}
        </li>
    }
    .into_any()
}

/// `.activity-entry`: kind, subject, time, owner, outcome, and "Done" while planned.
pub fn activity_view(a: &Activity, on_done: Callback<()>) -> AnyView {
    let when = a.when().map(format::date_time).unwrap_or_default();
    let owner = a
        .owner
        .as_ref()
        .map(|o| o.display_name.clone())
        .unwrap_or_default();
    let done = a.planned.then(|| {
        let open = RwSignal::new(false);
        let activity = StoredValue::new(a.clone());
        view! {
            <button type="button" class="btn btn-small activity-done" on:click=move |_| open.set(true)>
                "Done"
            </button>
            {move || open.get().then(|| view! {
                <CompleteForm activity=activity.get_value() on_done on_close=Callback::new(move |()| open.set(false)) />
            })}
        }
    });
    // Its custom fields, behind "More fields" (their part of the app is fetched when opened).
    let more = (!crate::api::json::items(&a.custom).is_empty()).then(|| {
        let open = RwSignal::new(false);
        let props = StoredValue::new((a.id.clone(), a.custom.clone()));
        view! {
            <details class="activity-more" on:toggle=move |_| open.set(true)>
                <summary>"More fields"</summary>
                {move || open.get().then(|| {
                    let (record_id, values) = props.get_value();
                    crate::components::custom_values::custom_values(
                        crate::components::custom_values::CustomValuesProps { record_id, values },
                    )
                })}
            </details>
        }
    });
    view! {
        <li
            class="timeline-entry activity-entry"
            class:overdue=a.overdue
            data-kind=a.kind.as_str()
            data-id=a.id.clone()
            data-planned=a.planned.to_string()
        >
            <div class="timeline-head">
                <span class="timeline-action" title=a.kind.label()>
                    {a.kind.icon()} " " {a.kind.label()}
                </span>
                <span class="activity-subject">{a.subject.clone()}</span>
                <time>{when}</time>
                {a.overdue.then(|| view! { <span class="badge badge-alert">"Overdue"</span> })}
            </div>
            <p class="muted">
                {owner}
                {a.outcome.clone().map(|o| view! { " · " <span class="activity-outcome">{o}</span> })}
            </p>
            {more}
            {done}
        </li>
    }
    .into_any()
}

/// `#timeline`: filter, one `.timeline-entry` per item, and "Load more".
#[component]
pub fn Timeline(feed: Feed) -> impl IntoView {
    let on_done = Callback::new(move |()| feed.refresh());
    let entries = move || {
        feed.items.with(|list| {
            if list.is_empty() {
                return view! { <p class="empty">"Nothing has happened yet."</p> }.into_any();
            }
            let items = list
                .iter()
                .map(|item| match item {
                    TimelineItem::Change(e) => change_view(e),
                    TimelineItem::Activity(a) => activity_view(a, on_done),
                })
                .collect_view();
            view! { <ol class="timeline">{items}</ol> }.into_any()
        })
    };
    let choose = move |f: TimelineFilter| {
        feed.filter.set(f);
        feed.refresh();
    };
    let tab = move |f: TimelineFilter, label: &'static str, id: &'static str| {
        view! {
            <button
                type="button"
                class="btn btn-small"
                id=id
                aria-pressed=move || (feed.filter.get() == f).to_string()
                on:click=move |_| choose(f)
            >
                {label}
            </button>
        }
    };
    view! {
        <section class="card profile-section" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">
                "Timeline" <span class="count">{move || feed.total.get()}</span>
            </h2>
            <div class="toolbar" role="group" aria-label="Show">
                {tab(TimelineFilter::All, "All", "timeline-all")}
                {tab(TimelineFilter::Changes, "Changes", "timeline-changes")}
                {tab(TimelineFilter::Activities, "Activities", "timeline-activities")}
            </div>
            {move || feed.error.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            {entries}
            {move || feed.next.with(Option::is_some).then(|| view! {
                <button
                    type="button"
                    class="btn"
                    id="timeline-more"
                    disabled=move || feed.busy.get()
                    on:click=move |_| {
                        if let Some(after) = feed.next.get_untracked() {
                            feed.load(Some(after));
                        }
                    }
                >
                    "Load more"
                </button>
            })}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn actions_read_as_words() {
        assert_eq!(action_label("create"), "Created");
        assert_eq!(
            action_label("contact_mechanism_added"),
            "Contact detail added"
        );
        assert_eq!(action_label("deletion_requested"), "Deletion requested");
        assert_eq!(action_label(""), "");
    }

    #[test]
    fn changes_show_before_and_after() {
        let change = FieldChange {
            field: "name".into(),
            before: Some("Acme".into()),
            after: Some("Acme Ltd".into()),
        };
        assert_eq!(change_text(&change), "name: Acme → Acme Ltd");
        let added = FieldChange {
            field: "area".into(),
            before: None,
            after: Some("North".into()),
        };
        assert_eq!(
            change_text(&added),
            format!("area: {} → North", format::EMPTY)
        );
    }
}
