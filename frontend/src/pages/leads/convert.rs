//! The conversion dialog of a qualified lead: what will be made, which
//! existing account or contact to link instead, an optional opportunity.

use super::can;
use super::form::converted_links;
use crate::api::leads::convert::{self, OpportunityDraft, Plan};
use crate::api::leads::{Lead, Named};
use crate::api::opportunities;
use crate::components::dialog;
use crate::components::field::TextField;
use crate::components::load::load_once;
use crate::components::money_field::MoneyField;
use crate::components::select_field::SelectField;
use crate::components::status::{Status, StatusMessages};
use crate::components::table::{table, Cell, Row};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;

/// Validation names the dialog shows next to its inputs.
const SHOWN: &[&str] = &[
    "opportunity.name",
    "opportunity.pipelineId",
    "opportunity.stageId",
    "opportunity.amount",
    "opportunity.amount.amount",
    "opportunity.amount.currency",
    "opportunity.closeDate",
];

/// What a new record gets, and (for `choice`) the matches to link instead.
fn plan_view(
    kind: &'static str,
    table_id: &'static str,
    title: &'static str,
    plan: &Plan,
    choice: Option<RwSignal<String>>,
) -> impl IntoView {
    let values: Vec<Row> = plan
        .values
        .iter()
        .map(|v| Row {
            href: None,
            class: "mapped-value",
            id: String::new(),
            cells: vec![
                Cell::text(v.field.clone()),
                Cell::text(v.source_field.clone()),
                Cell::text(v.value.clone().unwrap_or_default()),
            ],
        })
        .collect();
    let radios = choice.map(|choice| {
        let radio = move |id: String, value: String, label: String| {
            let checked = value.clone();
            view! {
                <label class="checkbox">
                    <input type="radio" name=kind id=id prop:checked=move || choice.with(|c| *c == checked)
                        on:change=move |_| choice.set(value.clone()) />
                    {label}
                </label>
            }
        };
        let matches = plan
            .matches
            .iter()
            .enumerate()
            .map(|(i, m)| {
                let label = format!("Link to {} ({}, {})", m.display_name, m.code, m.reason);
                radio(format!("convert-{kind}-{i}"), m.id.clone(), label)
            })
            .collect_view();
        view! {
            <div class="choices" role="radiogroup">
                {radio(format!("convert-{kind}-new"), String::new(), format!("Create a new {kind}"))}
                {matches}
            </div>
        }
    });
    view! {
        <section class="profile-section" id=format!("convert-{kind}")>
            <h3>{title}</h3>
            {radios}
            {table(table_id, &["Field", "From lead field", "Value"], Signal::stored(Some(values)), "Nothing mapped.", None)}
        </section>
    }
}

/// What the conversion dialog is given.
pub struct ConvertProps {
    /// The lead to convert.
    pub lead: Lead,
    /// Gets the converted lead.
    pub on_converted: Callback<Lead>,
    /// Closes the dialog.
    pub on_close: Callback<()>,
}

fn dialog(props: ConvertProps) -> AnyView {
    let ConvertProps {
        lead,
        on_converted,
        on_close,
    } = props;
    view! { <ConvertDialog lead on_converted on_close /> }.into_any()
}

lazy_part!(
    /// `#convert-dialog`, fetched when first opened.
    pub fn convert_dialog(props: ConvertProps), chunk = lead_convert, load = load_lead_convert, view = dialog
);

/// `#convert-dialog` for `lead`; `on_converted` gets the converted lead.
#[component]
fn ConvertDialog(
    lead: Lead,
    on_converted: Callback<Lead>,
    on_close: Callback<()>,
) -> impl IntoView {
    let (on_close, keys) = dialog::modal("convert-dialog", on_close);
    let id = lead.id.clone();
    let preview = load_once(async move { convert::preview(&id).await });
    let may_opportunity = can("opportunity", "create");
    let pipelines = load_once(async move {
        if may_opportunity {
            opportunities::pipelines().await.unwrap_or_default()
        } else {
            Vec::new()
        }
    });
    let status = Status::new(None);
    let errors = status.fields;
    let account = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let with_opportunity = RwSignal::new(may_opportunity);
    let s = || RwSignal::new(String::new());
    let (name, pipeline_id, stage_id, amount, currency, close_date) =
        (s(), s(), s(), s(), s(), s());
    let made = RwSignal::new(None::<[Option<Named>; 3]>);
    let lead = StoredValue::new(lead);

    let pipeline_options = Signal::derive(move || {
        let list = pipelines.get().unwrap_or_default();
        list.into_iter().map(|p| (p.id, p.name)).collect::<Vec<_>>()
    });
    let stage_options = Signal::derive(move || {
        let list = pipelines.get().unwrap_or_default();
        let id = pipeline_id.get();
        let pipeline = list
            .iter()
            .find(|p| p.id == id)
            .or_else(|| list.iter().find(|p| p.is_default));
        pipeline
            .map(|p| {
                p.stages
                    .iter()
                    .map(|s| (s.id.clone(), s.name.clone()))
                    .collect()
            })
            .unwrap_or_default()
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if !status.start() {
            return;
        }
        let opportunity = with_opportunity.get_untracked().then(|| OpportunityDraft {
            name: name.get_untracked(),
            pipeline_id: pipeline_id.get_untracked(),
            stage_id: stage_id.get_untracked(),
            amount: amount.get_untracked(),
            currency: currency.get_untracked(),
            close_date: close_date.get_untracked(),
        });
        let pick = |c: RwSignal<String>| Some(c.get_untracked()).filter(|c| !c.is_empty());
        let (a, c) = (pick(account), pick(contact));
        let input = lead.with_value(|l| {
            convert::convert_input(l, a.as_deref(), c.as_deref(), opportunity.as_ref())
        });
        spawn_local(async move {
            match convert::convert(input).await {
                Ok((converted, records)) => {
                    status.busy.set(false);
                    made.set(Some(records));
                    on_converted.run(converted);
                }
                Err(e) => status.fail(e, SHOWN),
            }
        });
    };

    let body = move || {
        match preview.get() {
        None => view! { <p class="loading">"Loading…"</p> }.into_any(),
        Some(Err(e)) => super::load_error(&e),
        Some(Ok(p)) if !p.convertible => {
            view! { <p class="alert alert-warning" role="alert">{p.reason.unwrap_or_else(|| "This lead cannot be converted.".into())}</p> }.into_any()
        }
        Some(Ok(p)) => {
            view! {
                {plan_view("account", "convert-account-values", "Account", &p.plans[0], Some(account))}
                {plan_view("contact", "convert-contact-values", "Contact", &p.plans[1], Some(contact))}
                {may_opportunity.then(|| view! {
                    <label class="checkbox">
                        <input type="checkbox" id="convert-create-opportunity" prop:checked=move || with_opportunity.get()
                            on:change=move |ev| with_opportunity.set(event_target_checked(&ev)) />
                        "Create an opportunity"
                    </label>
                })}
                <Show when=move || with_opportunity.get()>
                    {plan_view("opportunity", "convert-opportunity-values", "Opportunity", &p.plans[2], None)}
                    <div class="form-grid">
                        <TextField name="opportunity.name" label="Name" value=name errors hint=Some("Leave empty for the mapped name.") />
                        <SelectField name="opportunity.pipelineId" label="Pipeline" options=pipeline_options value=pipeline_id errors empty="Default pipeline" />
                        <SelectField name="opportunity.stageId" label="Stage" options=stage_options value=stage_id errors empty="First stage" />
                        <MoneyField fields=&["opportunity.amount", "opportunity.amount.amount", "opportunity.amount.currency"]
                            legend="Amount" id="convert-amount" amount currency errors disabled=Signal::derive(|| false) />
                        <TextField name="opportunity.closeDate" label="Close date" value=close_date errors input_type="date" />
                    </div>
                </Show>
            }
            .into_any()
        }
    }
    };

    view! {
        <div class="dialog-backdrop">
            <form class="card dialog" id="convert-dialog" role="dialog" aria-modal="true" aria-labelledby="convert-title" on:submit=submit on:keydown=keys>
                <h2 id="convert-title">"Convert " {lead.with_value(|l| l.display_name.clone())}</h2>
                <StatusMessages status />
                {move || match made.get() {
                    Some(records) => view! {
                        <div class="alert alert-success" role="status" id="convert-result">
                            <p>"Converted."</p>
                            {converted_links(&records)}
                        </div>
                        <div class="form-actions">
                            <button type="button" class="btn btn-primary" id="convert-close" on:click=move |_| on_close.run(())>"Close"</button>
                        </div>
                    }.into_any(),
                    None => view! {
                        {body}
                        <div class="form-actions">
                            <button type="submit" class="btn btn-primary" id="convert-submit" disabled=move || status.busy.get() || preview.with(|p| !matches!(p, Some(Ok(p)) if p.convertible))>"Convert"</button>
                            <button type="button" class="btn" id="convert-cancel" on:click=move |_| on_close.run(())>"Cancel"</button>
                        </div>
                    }.into_any(),
                }}
            </form>
        </div>
    }
}
