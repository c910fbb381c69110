//! Logging an activity on a record: "Log call", "Schedule meeting", "Add
//! task", "Add note", "Log e-mail", and the dialog they open.

use super::tasks::Agenda;
use crate::api::activities::{self, ActivityDraft, ActivityKind};
use crate::components::dialog;
use crate::components::field::{FieldError, TextField};
use crate::components::session::use_session;
use crate::components::status::{Status, StatusMessages};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The input fields the dialog shows messages next to.
const SHOWN: &[&str] = &[
    "subject",
    "description",
    "startsAt",
    "endsAt",
    "dueAt",
    "remindAt",
    "outcome",
    "location",
    "meetingUrl",
    "recurrence",
    "timeZone",
    "privateNote",
];

/// The browser's IANA time zone (`Europe/Berlin`), whose time of day a repeating activity keeps;
/// empty when the browser does not say.
fn browser_time_zone() -> String {
    let format = js_sys::Intl::DateTimeFormat::new(&js_sys::Array::new(), &js_sys::Object::new());
    js_sys::Reflect::get(&format.resolved_options(), &"timeZone".into())
        .ok()
        .and_then(|z| z.as_string())
        .unwrap_or_default()
}

/// `#log-activity`: one button per kind; each opens [`LogDialog`] for `record_id`. Nothing for a
/// caller who may not create activities.
#[component]
pub fn LogButtons(record_id: String, on_logged: Callback<()>) -> impl IntoView {
    let me = use_session().me.get_untracked().unwrap_or_default();
    if !me.can("activity", "create") {
        return ().into_any();
    }
    let open = RwSignal::new(None::<ActivityKind>);
    let record_id = StoredValue::new(record_id);
    let button = move |kind: ActivityKind, label: &'static str| {
        view! {
            <button type="button" class="btn btn-small" id=format!("log-{}", kind.as_str().to_ascii_lowercase()) on:click=move |_| open.set(Some(kind))>
                {label}
            </button>
        }
    };
    view! {
        <div class="toolbar" id="log-activity">
            {button(ActivityKind::Call, "Log call")}
            {button(ActivityKind::Meeting, "Schedule meeting")}
            {button(ActivityKind::Task, "Add task")}
            {button(ActivityKind::Note, "Add note")}
            {button(ActivityKind::Email, "Log e-mail")}
        </div>
        {move || open.get().map(|kind| log_dialog(DialogProps {
            record_id: record_id.get_value(),
            kind,
            on_logged,
            on_close: Callback::new(move |()| open.set(None)),
        }))}
    }
    .into_any()
}

/// What the activity dialog is given.
pub struct DialogProps {
    /// The record the activity is linked to.
    pub record_id: String,
    /// The kind of activity.
    pub kind: ActivityKind,
    /// Called once it is logged.
    pub on_logged: Callback<()>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

fn dialog(props: DialogProps) -> AnyView {
    let DialogProps {
        record_id,
        kind,
        on_logged,
        on_close,
    } = props;
    view! { <LogDialog record_id kind on_logged on_close /> }.into_any()
}

lazy_part!(
    /// `#activity-dialog`, fetched when first opened.
    pub fn log_dialog(props: DialogProps), chunk = activity_dialog, load = load_activity_dialog, view = dialog
);

/// `#activity-dialog`: the form for one activity linked to `record_id`.
#[component]
fn LogDialog(
    record_id: String,
    kind: ActivityKind,
    on_logged: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let may_note = use_session().me.with_untracked(|me| {
        me.as_ref()
            .is_some_and(|me| me.can_write_field("activity", "privateNote"))
    });
    let agenda = use_context::<Agenda>();
    let (on_close, keys) = dialog::modal("activity-dialog", on_close);
    let status = Status::new(None);
    let errors = status.fields;
    // A call is mostly logged once made: it starts now unless changed (and is then done).
    let starts_at = RwSignal::new(if kind == ActivityKind::Call {
        now_minute()
    } else {
        String::new()
    });
    let kind = RwSignal::new(kind);
    let subject = RwSignal::new(String::new());
    let description = RwSignal::new(String::new());
    let ends_at = RwSignal::new(String::new());
    let remind_at = RwSignal::new(String::new());
    let outcome = RwSignal::new(String::new());
    let location = RwSignal::new(String::new());
    let meeting_url = RwSignal::new(String::new());
    let note = RwSignal::new(String::new());
    let repeats = RwSignal::new(String::new());
    let times = RwSignal::new("10".to_owned());
    let zone = StoredValue::new(browser_time_zone());
    let record_id = StoredValue::new(record_id);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let input = ActivityDraft {
            kind: kind.get_untracked(),
            subject: subject.get_untracked(),
            description: description.get_untracked(),
            starts_at: starts_at.get_untracked(),
            ends_at: ends_at.get_untracked(),
            remind_at: remind_at.get_untracked(),
            outcome: outcome.get_untracked(),
            location: location.get_untracked(),
            meeting_url: meeting_url.get_untracked(),
            private_note: may_note.then(|| note.get_untracked()),
            links: vec![record_id.get_value()],
            recurrence: activities::recurrence_rule(
                &repeats.get_untracked(),
                &times.get_untracked(),
            ),
            time_zone: zone.get_value(),
        }
        .to_input();
        spawn_local(async move {
            match activities::create(input).await {
                Ok(_) => {
                    status.succeed("Saved");
                    on_close.run(());
                    on_logged.run(());
                    if let Some(a) = agenda {
                        a.refresh();
                    }
                }
                Err(e) => status.fail(e, SHOWN),
            }
        });
    };
    let repeat_fields = move || {
        let zone_hint = move || {
            let z = zone.get_value();
            (!repeats.get().is_empty() && !z.is_empty()).then(|| {
                view! { <p class="hint" id="recurrence-zone">{format!("Keeps its time of day in {z}.")}</p> }
            })
        };
        view! {
            <div class="field">
                <label for="field-recurrence">"Repeats"</label>
                <select id="field-recurrence" on:change=move |ev| repeats.set(event_target_value(&ev))>
                    <option value="" selected=move || repeats.get().is_empty()>"Does not repeat"</option>
                    <option value="DAILY">"Every day"</option>
                    <option value="WEEKLY">"Every week"</option>
                    <option value="MONTHLY">"Every month"</option>
                </select>
                <FieldError name="recurrence" errors />
                <FieldError name="timeZone" errors />
                {zone_hint}
            </div>
            {move || (!repeats.get().is_empty()).then(|| view! {
                <TextField name="repeatTimes" label="Times in all" value=times errors input_type="number" />
            })}
        }
    };
    let when = move || {
        let k = kind.get();
        let start = match k {
            ActivityKind::Task => view! {
                <TextField name="dueAt" label="Due" value=starts_at errors input_type="datetime-local" />
                {repeat_fields()}
            }
            .into_any(),
            k if k.timed() => view! {
                <TextField name="startsAt" label="Start" value=starts_at errors input_type="datetime-local" />
                <TextField name="endsAt" label="End" value=ends_at errors input_type="datetime-local" />
                <TextField name="location" label="Location" value=location errors />
                <TextField name="meetingUrl" label="Online meeting link" value=meeting_url errors input_type="url" />
                {repeat_fields()}
            }
            .into_any(),
            _ => ().into_any(),
        };
        let remind = matches!(k, ActivityKind::Task | ActivityKind::Meeting)
            .then(|| view! { <TextField name="remindAt" label="Reminder" value=remind_at errors input_type="datetime-local" /> });
        view! { {start} {remind} }
    };
    let kinds = ActivityKind::ALL
        .iter()
        .map(|k| view! { <option value=k.as_str() selected=*k == kind.get_untracked()>{k.label()}</option> })
        .collect_view();
    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="activity-dialog" role="dialog" aria-modal="true" aria-labelledby="activity-dialog-title" on:submit=submit on:keydown=keys>
                <h2 id="activity-dialog-title">{move || kind.get().label()}</h2>
                <StatusMessages status />
                <div class="field">
                    <label for="field-kind">"Kind"</label>
                    <select id="field-kind" on:change=move |ev| {
                        if let Some(k) = ActivityKind::parse(&event_target_value(&ev)) {
                            kind.set(k);
                        }
                    }>
                        {kinds}
                    </select>
                </div>
                <TextField name="subject" label="Subject" value=subject errors required=true />
                <div class="field">
                    <label for="field-description">"Description"</label>
                    <textarea id="field-description" rows="3" bind:value=description></textarea>
                    <FieldError name="description" errors />
                </div>
                {when}
                <TextField name="outcome" label="Outcome" value=outcome errors />
                {may_note.then(|| view! { <TextField name="privateNote" label="Private note" value=note errors /> })}
                <div class="form-actions">
                    <button type="submit" class="btn btn-primary" id="activity-save" disabled=move || status.busy.get()>
                        "Save"
                    </button>
                    <button type="button" class="btn" id="activity-cancel" on:click=move |_| on_close.run(())>
                        "Cancel"
                    </button>
                </div>
            </form>
        </div>
    }
}

/// This minute as a `datetime-local` value in UTC, as the app shows times: `2024-05-02T10:00`.
fn now_minute() -> String {
    String::from(web_sys::js_sys::Date::new_0().to_iso_string())
        .get(..16)
        .unwrap_or_default()
        .to_owned()
}
