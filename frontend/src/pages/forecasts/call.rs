//! Calls on a forecast: the owner's submission, a manager's adjustment (with a
//! note), a new quota version, and the history of submissions and quotas.

use super::forecast::Page;
use super::{money, Grants};
use crate::api::forecasts::{self, Call, Forecast, Quota, Submission, SubmissionKind};
use crate::components::field::TextField;
use crate::components::load::reload;
use crate::components::status::{Notice, Status, StatusMessages};
use crate::format;
use crate::page::record::load_error;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The form open below the figures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Form {
    Submit,
    Adjust,
    Quota,
}

/// The inputs the forms show (messages about others go to the top).
const FIELDS: &[&str] = &["currency", "commit", "bestCase", "amount", "note"];

/// The actions the user's grants allow on the subject shown, their form, and
/// the histories.
pub fn calls(page: Page, grants: &Grants, forecast: Signal<Option<Forecast>>) -> impl IntoView {
    let amounts = page.amounts;
    // A call and a quota are money: without the amount grant there is nothing to send.
    let may_submit = grants.can("forecast", "create") && amounts;
    let may_adjust = grants.can("forecast", "update") && amounts;
    let may_quota = grants.can("quota", "create") && amounts;
    let reads_quotas = grants.can("quota", "read");
    let open = RwSignal::new(None::<Form>);
    let status = Status::new(None);
    let [currency, commit, best_case, amount, note] =
        [(); 5].map(|()| RwSignal::new(String::new()));
    Effect::new(move |_| {
        page.trail.track();
        page.period.track();
        open.set(None);
    });
    let start = move |form: Form| {
        let chosen = page.currency.get_untracked();
        let figures = forecast.with_untracked(|f| {
            let all = f.as_ref()?.figures.as_ref()?;
            all.iter().find(|x| x.currency == chosen).cloned()
        });
        let figures = figures.unwrap_or_default();
        currency.set(chosen);
        commit.set(figures.commit);
        best_case.set(figures.best_case);
        amount.set(figures.quota.unwrap_or_default());
        note.set(String::new());
        status.fields.set(Default::default());
        status.general.set(None);
        status.notice.set(None);
        open.set(Some(form));
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let subject = page.trail.with_untracked(|t| t.last().map(|s| s.subject()));
        let (Some(form), Some(subject), Some(period)) =
            (open.get_untracked(), subject, page.period.get_untracked())
        else {
            return;
        };
        if !status.start() {
            return;
        }
        let call = Call {
            currency: currency.get_untracked(),
            commit: commit.get_untracked(),
            best_case: best_case.get_untracked(),
            note: note.get_untracked(),
        };
        let quota = amount.get_untracked();
        spawn_local(async move {
            let note = Some(call.note.trim()).filter(|n| !n.is_empty());
            let (answer, done) = match form {
                Form::Submit => (
                    forecasts::submit(&subject, period, &call).await,
                    "Forecast submitted",
                ),
                Form::Adjust => (
                    forecasts::adjust(&subject, period, &call).await,
                    "Adjustment saved",
                ),
                Form::Quota => (
                    forecasts::set_quota(&subject, period, &call.currency, &quota, note).await,
                    "Quota saved",
                ),
            };
            match answer {
                Ok(()) => {
                    status.succeed(done);
                    open.set(None);
                    page.refresh.update(|n| *n += 1);
                }
                Err(e) => status.fail_renamed(e, FIELDS, |path| {
                    let field = path.strip_prefix("input.")?;
                    FIELDS.iter().find(|f| **f == field).copied()
                }),
            }
        });
    };
    let buttons = move || {
        let subject = page.subject()?;
        let me = page.is_me(&subject);
        let button = |form: Form, id: &'static str, text: &'static str| {
            view! { <button type="button" class="btn" id=id on:click=move |_| start(form)>{text}</button> }
        };
        Some(view! {
            <div class="actions" id="forecast-actions">
                {(may_submit && me).then(|| button(Form::Submit, "forecast-submit", "Submit"))}
                {(may_adjust && !me).then(|| button(Form::Adjust, "forecast-adjust", "Adjust"))}
                {may_quota.then(|| button(Form::Quota, "quota-set", "Set quota"))}
            </div>
        })
    };
    let form = move || {
        open.get().map(|form| {
            let (title, save_text) = match form {
                Form::Submit => ("Submit your forecast", "Submit"),
                Form::Adjust => ("Adjust this forecast", "Save adjustment"),
                Form::Quota => ("Set the quota", "Save quota"),
            };
            let errors = status.fields;
            let call_fields = (form != Form::Quota).then(|| {
                view! {
                    <TextField name="commit" label="Commit" value=commit errors required=true input_type="number" />
                    <TextField name="bestCase" label="Best case" value=best_case errors required=true input_type="number" />
                }
            });
            let quota_field = (form == Form::Quota).then(|| {
                view! { <TextField name="amount" label="Quota" value=amount errors required=true input_type="number" /> }
            });
            view! {
                <form class="card call-form" id="forecast-call" on:submit=save>
                    <h2>{title}</h2>
                    <StatusMessages status />
                    <div class="form-grid">
                        <TextField name="currency" label="Currency" value=currency errors required=true />
                        {call_fields}
                        {quota_field}
                        <TextField name="note" label="Note" value=note errors required=form == Form::Adjust />
                    </div>
                    <div class="form-actions">
                        <button type="submit" class="btn btn-primary" id="call-save" disabled=move || status.busy.get()>
                            {save_text}
                        </button>
                        <button type="button" class="btn" on:click=move |_| open.set(None)>"Cancel"</button>
                    </div>
                </form>
            }
        })
    };
    let history = reload(move || {
        let asked = page.asked();
        async move {
            let (subject, period) = asked?;
            Some(forecasts::submissions(&subject, period, None, amounts).await)
        }
    });
    let quotas = reload(move || {
        let asked = reads_quotas.then(|| page.asked()).flatten();
        async move {
            let (subject, period) = asked?;
            Some(forecasts::quota_history(&subject, period, amounts).await)
        }
    });
    view! {
        {buttons}
        <Notice status />
        {form}
        <section class="forecast-section" id="forecast-history">
            <h2 class="section-title">"Submissions and adjustments"</h2>
            {move || history.with(|h| match h.as_ref().and_then(Option::as_ref) {
                None => view! { <p class="loading">"Loading…"</p> }.into_any(),
                Some(Err(e)) => load_error(e),
                Some(Ok(list)) if list.is_empty() => {
                    view! { <p class="muted" id="forecast-submissions-empty">"Nothing submitted for this period yet."</p> }.into_any()
                }
                Some(Ok(list)) => view! {
                    <ol class="rows" id="forecast-submissions">{list.iter().map(submission).collect_view()}</ol>
                }
                .into_any(),
            })}
        </section>
        {reads_quotas.then(|| view! {
            <section class="forecast-section" id="forecast-quotas">
                <h2 class="section-title">"Quota history"</h2>
                {move || quotas.with(|q| match q.as_ref().and_then(Option::as_ref) {
                    None => ().into_any(),
                    Some(Err(e)) => load_error(e),
                    Some(Ok(list)) if list.is_empty() => {
                        view! { <p class="muted" id="quota-history-empty">"No quota set for this period."</p> }.into_any()
                    }
                    Some(Ok(list)) => view! {
                        <ol class="rows" id="quota-history">{list.iter().map(quota).collect_view()}</ol>
                    }
                    .into_any(),
                })}
            </section>
        })}
    }
}

/// One submission or adjustment.
fn submission(s: &Submission) -> impl IntoView {
    let by = s
        .submitted_by
        .as_ref()
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let call = s.commit.as_ref().map(|commit| {
        format!(
            ": commit {}, best case {}",
            money(Some(commit), &s.currency),
            money(s.best_case.as_deref(), &s.currency)
        )
    });
    let won = s.actual_closed_won.as_ref().map(|won| {
        format!(
            " Won in the period since: {}.",
            money(Some(won), &s.currency)
        )
    });
    let kind = match s.kind {
        SubmissionKind::Submission => "Submitted",
        SubmissionKind::Adjustment => "Adjusted",
    };
    view! {
        <li class="submission" data-kind=s.kind.as_str()>
            <strong>{kind}</strong> " by " {by} " on " {format::date_time(&s.submitted_at)} {call}
            {s.note.clone().map(|n| view! { <span class="note">" — " {n}</span> })}
            <span class="muted">{won}</span>
        </li>
    }
}

/// One version of a quota.
fn quota(q: &Quota) -> impl IntoView {
    let by = q
        .set_by
        .as_ref()
        .map(|u| u.display_name.clone())
        .unwrap_or_default();
    let amount = q.amount.as_deref().map_or_else(
        || format!("{} (amount hidden)", q.currency),
        |a| money(Some(a), &q.currency),
    );
    view! {
        <li class="quota-version">
            <strong>"v" {q.version}</strong> " " {amount} " · " {by} " · " {format::date_time(&q.set_at)}
            {q.note.clone().map(|n| view! { <span class="note">" — " {n}</span> })}
        </li>
    }
}
