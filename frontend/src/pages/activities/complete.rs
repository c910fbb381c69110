//! Marking a planned activity done: its outcome and, for an activity on an
//! opportunity, the opportunity's next step.

use crate::api::activities::{self, Activity};
use crate::components::status::{Status, StatusMessages};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// `.complete-form`: outcome, next step and date when linked to an opportunity.
#[component]
pub fn CompleteForm(
    activity: Activity,
    on_done: Callback<()>,
    on_close: Callback<()>,
) -> impl IntoView {
    let status = Status::new(None);
    let outcome = RwSignal::new(String::new());
    let next_step = RwSignal::new(String::new());
    let date = RwSignal::new(String::new());
    let on_opportunity = !activity.opportunities.is_empty();
    let activity = StoredValue::new(activity);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let input = activity.with_value(|a| {
            activities::complete_input(
                a,
                &outcome.get_untracked(),
                &next_step.get_untracked(),
                &date.get_untracked(),
            )
        });
        spawn_local(async move {
            match activities::complete(input).await {
                Ok(()) => {
                    status.succeed("Done");
                    on_close.run(());
                    on_done.run(());
                }
                Err(e) => status.fail(e, &[]),
            }
        });
    };
    let next = on_opportunity.then(|| {
        view! {
            <label>"Next step" <input class="complete-next-step" bind:value=next_step /></label>
            <label>"Next step date" <input type="date" class="complete-next-date" bind:value=date /></label>
        }
    });
    view! {
        <form class="complete-form" on:submit=submit>
            <label>"Outcome" <input class="complete-outcome" bind:value=outcome /></label>
            {next}
            <StatusMessages status />
            <button type="submit" class="btn btn-primary btn-small complete-save" disabled=move || status.busy.get()>
                "Mark done"
            </button>
            <button type="button" class="btn btn-small" on:click=move |_| on_close.run(())>"Cancel"</button>
        </form>
    }
}
