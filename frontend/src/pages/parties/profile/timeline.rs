//! The profile's timeline: who did what and when, newest first.

use crate::api::paging::Connection;
use crate::api::parties::{self, FieldChange, TimelineEntry};
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

/// The timeline as loaded so far; shared so other sections can refresh it
/// after a change.
#[derive(Clone, Copy)]
pub struct Feed {
    party_id: StoredValue<String>,
    entries: RwSignal<Vec<TimelineEntry>>,
    total: RwSignal<i64>,
    next: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    error: RwSignal<Option<String>>,
    /// Bumped by every load; answers to older loads are dropped.
    generation: StoredValue<u32>,
}

impl Feed {
    /// A feed of party `party_id` starting with `first_page`.
    pub fn new(party_id: String, first_page: Connection<TimelineEntry>) -> Self {
        let feed = Self {
            party_id: StoredValue::new(party_id),
            entries: RwSignal::new(Vec::new()),
            total: RwSignal::new(0),
            next: RwSignal::new(None),
            busy: RwSignal::new(false),
            error: RwSignal::new(None),
            generation: StoredValue::new(0),
        };
        feed.show(first_page, false);
        feed
    }

    fn show(&self, page: Connection<TimelineEntry>, append: bool) {
        self.total.set(page.total_count);
        self.next
            .set(page.page_info.next_cursor().map(str::to_owned));
        let rows = page.nodes;
        if append {
            self.entries.update(|e| e.extend(rows));
        } else {
            self.entries.set(rows);
        }
    }

    fn load(self, after: Option<String>) {
        self.generation.update_value(|g| *g += 1);
        let asked = self.generation.get_value();
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let id = self.party_id.get_value();
            let answer = parties::timeline(&id, after.as_deref()).await;
            if self.generation.try_get_value() != Some(asked) {
                return;
            }
            match answer {
                Ok(page) => self.show(page, after.is_some()),
                Err(ApiError::Unauthenticated) => {}
                Err(e) => self.error.set(Some(e.to_string())),
            }
            self.busy.set(false);
        });
    }

    /// Loads the next page below the entries shown.
    pub fn load_more(self) {
        if self.busy.get_untracked() {
            return;
        }
        if let Some(after) = self.next.get_untracked() {
            self.load(Some(after));
        }
    }

    /// Reloads the first page (after a change made on the profile).
    pub fn refresh(self) {
        self.load(None);
    }
}

/// `#timeline`: one `.timeline-entry` each, and "Load more".
#[component]
pub fn Timeline(feed: Feed) -> impl IntoView {
    let entries = move || {
        feed.entries.with(|list| {
            if list.is_empty() {
                return view! { <p class="empty">"Nothing has happened yet."</p> }.into_any();
            }
            let items = list
                .iter()
                .map(|entry| {
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
                })
                .collect_view();
            view! { <ol class="timeline">{items}</ol> }.into_any()
        })
    };
    view! {
        <section class="card profile-section" id="timeline" aria-labelledby="timeline-heading">
            <h2 id="timeline-heading">
                "Timeline" <span class="count">{move || feed.total.get()}</span>
            </h2>
            {move || feed.error.get().map(|m| view! { <p class="alert alert-error" role="alert">{m}</p> })}
            {entries}
            <Show when=move || feed.next.with(Option::is_some)>
                <button
                    type="button"
                    class="btn"
                    id="timeline-more"
                    disabled=move || feed.busy.get()
                    on:click=move |_| feed.load_more()
                >
                    {move || if feed.busy.get() { "Loading…" } else { "Load more" }}
                </button>
            </Show>
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
