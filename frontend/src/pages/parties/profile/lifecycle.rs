//! A party's life on its profile: the status banner with a manager's
//! decisions, the deletion request, erasing personal data, and merging
//! likely duplicates into this record.

use crate::api::parties::{self, Decision, Party, PartyKind, PartyStatus};
use crate::components::field::FieldError;
use crate::components::session::{use_session, Session};
use crate::components::status::{Status, StatusMessages};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The text of the status banner; `None` for an active party.
pub fn status_text(party: &Party) -> Option<String> {
    match party.status {
        PartyStatus::Active => None,
        PartyStatus::DeletionRequested => Some(format!(
            "Deletion requested: {}",
            party.deletion_reason.as_deref().unwrap_or_default()
        )),
        other => Some(other.label().to_owned()),
    }
}

/// Asks the browser to confirm `question`.
fn confirm(question: &str) -> bool {
    window().confirm_with_message(question).unwrap_or(false)
}

/// What an action on the profile reports to and does afterwards.
#[derive(Clone, Copy)]
struct Done {
    status: Status,
    session: Session,
    reload: Callback<()>,
}

impl Done {
    fn new(reload: Callback<()>) -> Self {
        Self {
            status: Status::new(None),
            session: use_session(),
            reload,
        }
    }

    /// Reloads the profile, which then shows `notice`.
    fn succeed(self, notice: &str) {
        self.status.busy.set(false);
        self.session.flash.set(Some(notice.to_owned()));
        self.reload.run(());
    }
}

/// Runs `decision` on party `id`; on success the profile is reloaded with a notice.
fn run(decision: Decision, id: String, version: i32, done: Done) {
    let status = done.status;
    if !status.start() {
        return;
    }
    spawn_local(async move {
        match parties::decide(decision, &id, version).await {
            Ok(_) => done.succeed(decision.notice()),
            Err(e) => status.fail(e, &[]),
        }
    });
}

/// `#party-status`: shown unless the party is active; a manager decides a
/// pending deletion request or restores an archived party here.
#[component]
pub fn StatusBanner(
    /// The party.
    party: Party,
    /// The user may approve deletions (and restore).
    can_decide: bool,
    /// Reloads the profile.
    reload: Callback<()>,
) -> impl IntoView {
    let Some(text) = status_text(&party) else {
        return ().into_any();
    };
    let done = Done::new(reload);
    let status = done.status;
    let id = StoredValue::new(party.id.clone());
    let version = party.version;
    let button = move |decision: Decision, dom_id: &'static str, label: &'static str| {
        view! {
            <button
                type="button"
                class="btn btn-small"
                id=dom_id
                disabled=status.busy
                on:click=move |_| run(decision, id.get_value(), version, done)
            >
                {label}
            </button>
        }
    };
    let actions = match party.status {
        PartyStatus::DeletionRequested if can_decide => Some(
            view! {
                {button(Decision::Approve, "approve-deletion", "Approve")}
                {button(Decision::Reject, "reject-deletion", "Reject")}
            }
            .into_any(),
        ),
        PartyStatus::Archived if can_decide => {
            Some(button(Decision::Restore, "restore-party", "Restore").into_any())
        }
        _ => None,
    };
    view! {
        <div class="alert alert-warning" role="status" id="party-status" data-status=party.status.as_str()>
            <p>{text}</p>
            {actions}
        </div>
        <StatusMessages status />
    }
    .into_any()
}

/// "Request deletion" with its inline form, and "Erase personal data".
#[component]
pub fn LifecycleActions(
    /// The party.
    party: Party,
    /// The user may update parties (and so ask for deletion).
    can_request: bool,
    /// The user may erase personal data.
    can_erase: bool,
    /// Reloads the profile.
    reload: Callback<()>,
) -> impl IntoView {
    let can_request = can_request && party.status == PartyStatus::Active;
    let can_erase = can_erase
        && party.kind == PartyKind::Person
        && !matches!(party.status, PartyStatus::Erased | PartyStatus::Merged);
    if !can_request && !can_erase {
        return ().into_any();
    }
    let done = Done::new(reload);
    let status = done.status;
    let open = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let id = StoredValue::new(party.id.clone());
    let version = party.version;

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        let text = reason.get_untracked().trim().to_owned();
        if text.is_empty() {
            let mut missing = crate::api::FieldErrors::default();
            missing.push("reason", "Give a reason.");
            status.fields.set(missing);
            return;
        }
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::request_deletion(&id.get_value(), version, &text).await {
                Ok(_) => done.succeed("Deletion requested"),
                Err(e) => status.fail(e, &["reason"]),
            }
        });
    };
    let on_erase = move |_| {
        if confirm("Erase this person's personal data? This cannot be undone.") {
            run(Decision::Erase, id.get_value(), version, done);
        }
    };
    let errors = status.fields;
    let invalid = move || errors.with(|e| e.get("reason").is_some());

    view! {
        <div class="lifecycle-actions">
            {can_request
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="btn"
                            id="request-deletion"
                            aria-expanded=move || open.get().to_string()
                            on:click=move |_| open.update(|o| *o = !*o)
                        >
                            "Request deletion"
                        </button>
                    }
                })}
            {can_erase
                .then(|| {
                    view! {
                        <button
                            type="button"
                            class="btn"
                            id="erase-party"
                            disabled=status.busy
                            on:click=on_erase
                        >
                            "Erase personal data"
                        </button>
                    }
                })}
        </div>
        <Show when=move || open.get()>
            <form class="inline-form card" id="deletion-form" on:submit=on_submit novalidate>
                <div class="field" class:has-error=invalid>
                    <label for="deletion-reason">
                        "Reason" <span class="required" aria-hidden="true">" *"</span>
                    </label>
                    <input
                        id="deletion-reason"
                        name="reason"
                        type="text"
                        required
                        autocomplete="off"
                        aria-invalid=move || invalid().then_some("true")
                        bind:value=reason
                    />
                    <FieldError name="reason" errors />
                </div>
                <button type="submit" class="btn btn-primary" id="deletion-submit" disabled=status.busy>
                    "Request deletion"
                </button>
                <button type="button" class="btn btn-ghost" on:click=move |_| open.set(false)>
                    "Cancel"
                </button>
            </form>
        </Show>
        <StatusMessages status />
    }
    .into_any()
}

/// `#duplicates`: likely duplicates of this party, each with "Merge into this
/// record". Hidden while loading, when there are none, or on failure.
#[component]
pub fn Duplicates(
    /// This party (the one that stays).
    party: Party,
    /// Reloads the profile.
    reload: Callback<()>,
) -> impl IntoView {
    let survivor = StoredValue::new((party.id.clone(), party.version));
    let found = RwSignal::new(Vec::new());
    spawn_local(async move {
        // No list (or no answer) simply shows no section.
        if let Ok(list) = parties::duplicates(&survivor.get_value().0).await {
            found.try_set(list);
        }
    });
    let done = Done::new(reload);
    let status = done.status;
    let merge = move |other: Party| {
        let question = format!(
            "Merge {} ({}) into this record? It will no longer exist on its own.",
            other.display_name, other.code
        );
        if !confirm(&question) || !status.start() {
            return;
        }
        spawn_local(async move {
            let (id, version) = survivor.get_value();
            match parties::merge((&id, version), (&other.id, other.version)).await {
                Ok(_) => done.succeed("Merged"),
                Err(e) => status.fail(e, &[]),
            }
        });
    };
    move || {
        let list = found.get();
        (!list.is_empty()).then(|| {
            let rows = list
                .into_iter()
                .map(|d| {
                    let reason = d.reason.map_or("Similar record", |r| r.label());
                    let other = d.party;
                    let href = other.profile_href();
                    let name = other.display_name.clone();
                    let code = other.code.clone();
                    let dup_id = other.id.clone();
                    view! {
                        <li class="duplicate" data-id=dup_id>
                            <a href=href>{name}</a>
                            " "
                            <span class="muted">{code}</span>
                            " "
                            <span class="duplicate-reason">{reason}</span>
                            <button
                                type="button"
                                class="btn btn-small merge-duplicate"
                                disabled=status.busy
                                on:click=move |_| merge(other.clone())
                            >
                                "Merge into this record"
                            </button>
                        </li>
                    }
                })
                .collect_view();
            view! {
                <section class="card profile-section" id="duplicates" aria-labelledby="dup-heading">
                    <h2 id="dup-heading">"Possible duplicates"</h2>
                    <StatusMessages status />
                    <ul class="rows">{rows}</ul>
                </section>
            }
            .into_any()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_banner_says_where_the_party_is() {
        let mut party = Party::default();
        assert_eq!(status_text(&party), None);
        party.status = PartyStatus::DeletionRequested;
        party.deletion_reason = Some("left the company".into());
        assert_eq!(
            status_text(&party).as_deref(),
            Some("Deletion requested: left the company")
        );
        party.status = PartyStatus::Erased;
        assert_eq!(status_text(&party).as_deref(), Some("Personal data erased"));
        party.status = PartyStatus::Archived;
        assert_eq!(status_text(&party).as_deref(), Some("Archived"));
        party.status = PartyStatus::Merged;
        assert_eq!(status_text(&party).as_deref(), Some("Merged"));
    }
}
