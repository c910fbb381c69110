//! The history of an opportunity: every change of stage, amount, probability
//! and close date, newest first.

use crate::api::opportunities::{HistoryEntry, HistoryField};
use crate::format;
use leptos::prelude::*;

/// `"Qualify → Proposal"`; a missing side is shown as empty, a probability
/// with its per cent sign.
pub fn change_text(entry: &HistoryEntry) -> String {
    let side = |value: Option<&str>| match value {
        Some(v) if !v.is_empty() && entry.field == HistoryField::Probability => format!("{v} %"),
        other => format::or_empty(other),
    };
    format!("{} → {}", side(entry.before()), side(entry.after()))
}

/// `#history`: one `.history-entry` per change.
#[component]
pub fn History(entries: RwSignal<Vec<HistoryEntry>>) -> impl IntoView {
    let rows = move || {
        entries.with(|list| {
            if list.is_empty() {
                return view! { <li class="empty">"No changes yet."</li> }.into_any();
            }
            list.iter()
                .map(|entry| {
                    let actor = entry
                        .actor
                        .as_ref()
                        .map_or("System", |a| a.display_name.as_str())
                        .to_owned();
                    view! {
                        <li class="timeline-entry history-entry" data-field=entry.field.as_str()>
                            <div class="timeline-head">
                                <span class="timeline-action">{entry.field.label()}</span>
                                <span class="timeline-actor">{actor}</span>
                                <time datetime=entry.occurred_at.clone()>
                                    {format::date_time(&entry.occurred_at)}
                                </time>
                            </div>
                            <p class="history-change">{change_text(entry)}</p>
                            {entry.note.clone().map(|n| view! { <p class="history-note">{n}</p> })}
                        </li>
                    }
                })
                .collect_view()
                .into_any()
        })
    };
    view! {
        <section class="card profile-section" id="history" aria-labelledby="history-heading">
            <h2 id="history-heading">"History"</h2>
            <ol class="timeline">{rows}</ol>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_read_from_before_to_after() {
        let entry = HistoryEntry {
            field: HistoryField::Probability,
            from: Some("20".into()),
            to: Some("60".into()),
            ..HistoryEntry::default()
        };
        assert_eq!(change_text(&entry), "20 % → 60 %");
        let amount = HistoryEntry {
            field: HistoryField::Amount,
            from: None,
            to: Some("12345.00 EUR".into()),
            ..HistoryEntry::default()
        };
        assert_eq!(change_text(&amount), "— → 12345.00 EUR");
        let stage = HistoryEntry {
            field: HistoryField::Stage,
            from_stage: Some("Qualify".into()),
            to_stage: Some("Proposal".into()),
            ..HistoryEntry::default()
        };
        assert_eq!(change_text(&stage), "Qualify → Proposal");
    }
}
