//! `/opportunities/new` (optionally `?accountId=…`) and `/opportunities/:id`:
//! create, view and edit an opportunity, with its history.

use super::draft::{ContactDraft, OpportunityDraft};
use super::history::History;
use crate::api::opportunities::{
    self, ContactRole, HistoryEntry, LeadSource, MoveInput, MoveOutcome, Opportunity,
    OpportunityStatus,
};
use crate::api::parties::{self, Party, PartyKind};
use crate::api::{ApiError, FieldErrors};
use crate::components::field::{FieldError, TextField};
use crate::components::load::load_once;
use crate::components::money_field::MoneyField;
use crate::components::owner_field::OwnerField;
use crate::components::party_search::PartySearch;
use crate::components::select_field::SelectField;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::format;
use crate::pages::activities::log::LogButtons;
use crate::pages::activities::timeline::{Feed, Timeline};
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_params_map, use_query_map};

/// Input fields that have a place on the form for their message.
const FORM_FIELDS: &[&str] = &[
    "name",
    "accountId",
    "ownerId",
    "stageId",
    "probability",
    "amount",
    "amount.amount",
    "amount.currency",
    "closeDate",
    "nextStep",
    "nextStepDate",
    "leadSource",
    "lostReason",
    "contacts",
    "note",
];

const CONFLICT_MESSAGE: &str = "Someone else changed this opportunity; reload to see their changes";

/// `/opportunities/new`: for the account of `?accountId=`, when given.
#[component]
pub fn NewOpportunity() -> impl IntoView {
    set_title("New opportunity");
    let query = use_query_map();
    let account_id = query.with_untracked(|q| q.get("accountId").unwrap_or_default());
    if account_id.is_empty() {
        return view! { <OpportunityEditor saved=None history=Vec::new() account=None /> }
            .into_any();
    }
    let account = load_once(async move { parties::get(&account_id).await });
    (move || match account.get() {
        Some(Ok(account)) => {
            view! { <OpportunityEditor saved=None history=Vec::new() account /> }.into_any()
        }
        Some(Err(e)) if e != ApiError::Unauthenticated => {
            view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }.into_any()
        }
        _ => view! { <p class="loading">"Loading…"</p> }.into_any(),
    })
    .into_any()
}

/// `/opportunities/:id`.
#[component]
pub fn EditOpportunity() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // A new id is a new form, with nothing carried over from the last one.
    move || {
        let id = id.get();
        let loaded = load_once(async move { opportunities::get(&id).await });
        move || match loaded.get() {
            Some(Ok(Some((saved, history)))) => {
                view! { <OpportunityEditor saved=Some(saved) history account=None /> }.into_any()
            }
            Some(Ok(None)) => {
                set_title("Opportunity not found");
                view! {
                    <div class="card narrow">
                        <h1>"Opportunity not found"</h1>
                        <p>"It does not exist, or you may not see it."</p>
                        <a class="btn" href="/pipeline">"Back to the pipeline"</a>
                    </div>
                }
                .into_any()
            }
            Some(Err(e)) if e != ApiError::Unauthenticated => {
                view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }
                    .into_any()
            }
            _ => view! { <p class="loading">"Loading opportunity…"</p> }.into_any(),
        }
    }
}

/// One signal per input of the form.
#[derive(Clone, Copy)]
struct DraftSignals {
    name: RwSignal<String>,
    account_id: RwSignal<String>,
    account_name: RwSignal<String>,
    owner_id: RwSignal<String>,
    pipeline_id: RwSignal<String>,
    stage_id: RwSignal<String>,
    probability: RwSignal<String>,
    amount: RwSignal<String>,
    currency: RwSignal<String>,
    close_date: RwSignal<String>,
    next_step: RwSignal<String>,
    next_step_date: RwSignal<String>,
    lead_source: RwSignal<String>,
    lost_reason: RwSignal<String>,
    contacts: RwSignal<Vec<ContactDraft>>,
    note: RwSignal<String>,
}

impl DraftSignals {
    fn new() -> Self {
        let s = || RwSignal::new(String::new());
        Self {
            name: s(),
            account_id: s(),
            account_name: s(),
            owner_id: s(),
            pipeline_id: s(),
            stage_id: s(),
            probability: s(),
            amount: s(),
            currency: s(),
            close_date: s(),
            next_step: s(),
            next_step_date: s(),
            lead_source: s(),
            lost_reason: s(),
            contacts: RwSignal::new(Vec::new()),
            note: s(),
        }
    }

    fn get(&self) -> OpportunityDraft {
        OpportunityDraft {
            name: self.name.get_untracked(),
            account_id: self.account_id.get_untracked(),
            owner_id: self.owner_id.get_untracked(),
            pipeline_id: self.pipeline_id.get_untracked(),
            stage_id: self.stage_id.get_untracked(),
            probability: self.probability.get_untracked(),
            amount: self.amount.get_untracked(),
            currency: self.currency.get_untracked(),
            close_date: self.close_date.get_untracked(),
            next_step: self.next_step.get_untracked(),
            next_step_date: self.next_step_date.get_untracked(),
            lead_source: self.lead_source.get_untracked(),
            lost_reason: self.lost_reason.get_untracked(),
            contacts: self.contacts.get_untracked(),
            note: self.note.get_untracked(),
        }
    }

    fn fill(&self, saved: &Opportunity) {
        let d = OpportunityDraft::from_opportunity(saved);
        self.name.set(d.name);
        self.account_id.set(d.account_id);
        self.account_name.set(
            saved
                .account
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        );
        self.owner_id.set(d.owner_id);
        self.pipeline_id.set(d.pipeline_id);
        self.stage_id.set(d.stage_id);
        self.probability.set(d.probability);
        self.amount.set(d.amount);
        self.currency.set(d.currency);
        self.close_date.set(d.close_date);
        self.next_step.set(d.next_step);
        self.next_step_date.set(d.next_step_date);
        self.lead_source.set(d.lead_source);
        self.lost_reason.set(d.lost_reason);
        self.contacts.set(d.contacts);
        self.note.set(String::new());
    }
}

/// Saves an existing opportunity: the field changes, then a stage change as
/// a move to the top of the new column. Returns the record reloaded.
async fn save_existing(
    saved: Opportunity,
    draft: OpportunityDraft,
    with_amount: bool,
) -> Result<Option<(Opportunity, Vec<HistoryEntry>)>, ApiError> {
    let input = draft
        .update_input(&saved, with_amount)
        .map_err(|_| ApiError::Decode("invalid input".into()))?;
    let mut current = saved;
    if let Some(input) = input {
        current = opportunities::update(input).await?;
    }
    let stage = draft.stage_id.trim();
    if !stage.is_empty() && stage != current.stage.id {
        let before_id = opportunities::first_card(&current.pipeline_id, stage).await?;
        let reason = draft.lost_reason.trim();
        let note = draft.note.trim();
        let input = MoveInput {
            id: current.id.clone(),
            version: current.version,
            stage_id: stage.to_owned(),
            after_id: None,
            before_id,
            lost_reason: (!reason.is_empty()).then(|| reason.to_owned()),
            note: (!note.is_empty()).then(|| note.to_owned()),
        };
        match opportunities::move_card(&input).await {
            MoveOutcome::Moved(_) => {}
            MoveOutcome::Conflict(_) => {
                return Err(ApiError::Graphql(vec![crate::api::GqlError {
                    message: CONFLICT_MESSAGE.into(),
                    extensions: Some(serde_json::json!({ "code": "CONFLICT" })),
                    ..Default::default()
                }]))
            }
            MoveOutcome::Failed(e) => return Err(e),
        }
    }
    opportunities::get(&current.id).await
}

/// The form, for a new opportunity (`saved` is `None`) or a saved one.
#[component]
fn OpportunityEditor(
    saved: Option<Opportunity>,
    history: Vec<HistoryEntry>,
    /// For a new opportunity: its account, when chosen beforehand.
    account: Option<Party>,
) -> impl IntoView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let navigate = use_navigate();
    let is_new = saved.is_none();
    let draft = DraftSignals::new();
    if let Some(saved) = &saved {
        draft.fill(saved);
        set_title(&saved.name);
    }
    if let Some(account) = &account {
        draft.account_id.set(account.id.clone());
        draft.account_name.set(account.display_name.clone());
    }
    let saved = RwSignal::new(saved);
    let history = RwSignal::new(history);
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let show_amount = me.can_read_field("opportunity", "amount");
    let write_amount = show_amount && me.can_write_field("opportunity", "amount");
    let can_save = me.can("opportunity", if is_new { "create" } else { "update" });
    let read_only = Signal::derive(move || !can_save || status.busy.get());
    let pipelines = load_once(opportunities::pipelines());

    // The stages of the chosen pipeline (the default one when none is chosen).
    let pipeline = Memo::new(move |_| {
        let list = pipelines.get().and_then(Result::ok).unwrap_or_default();
        let id = draft.pipeline_id.get();
        list.iter()
            .find(|p| p.id == id)
            .or_else(|| list.iter().find(|p| p.is_default))
            .or(list.first())
            .cloned()
            .unwrap_or_default()
    });
    let stage_outcome = Memo::new(move |_| {
        let id = draft.stage_id.get();
        pipeline.with(|p| p.stages.iter().find(|s| s.id == id).map(|s| s.outcome))
    });

    let on_submit = {
        let navigate = navigate.clone();
        move |ev: SubmitEvent| {
            ev.prevent_default();
            if !can_save || !status.start() {
                return;
            }
            let typed = draft.get();
            let current = saved.get_untracked();
            let navigate = navigate.clone();
            match &current {
                None => {
                    let input = match typed.create_input(write_amount) {
                        Ok(input) => input,
                        Err(fields) => return invalid(status, fields),
                    };
                    spawn_local(async move {
                        match opportunities::create(input).await {
                            Ok(created) => {
                                session.flash.set(Some("Saved".to_owned()));
                                navigate(&created.href(), Default::default());
                            }
                            Err(e) => fail(status, e),
                        }
                    });
                }
                Some(current) => {
                    if let Err(fields) = typed.update_input(current, write_amount) {
                        return invalid(status, fields);
                    }
                    let current = current.clone();
                    spawn_local(async move {
                        match save_existing(current, typed, write_amount).await {
                            Ok(Some((fresh, entries))) => {
                                draft.fill(&fresh);
                                saved.set(Some(fresh));
                                history.set(entries);
                                status.succeed("Saved");
                            }
                            Ok(None) => status.fail(
                                ApiError::Decode("the opportunity is no longer visible".into()),
                                &[],
                            ),
                            Err(e) => fail(status, e),
                        }
                    });
                }
            }
        }
    };

    let on_reload = move |_| {
        let Some(id) = saved.with_untracked(|s| s.as_ref().map(|o| o.id.clone())) else {
            return;
        };
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match opportunities::get(&id).await {
                Ok(Some((fresh, entries))) => {
                    draft.fill(&fresh);
                    saved.set(Some(fresh));
                    history.set(entries);
                    status.busy.set(false);
                }
                Ok(None) => status.busy.set(false),
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let heading = move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New opportunity".to_owned(), |o| o.name.clone())
        })
    };
    let code = move || saved.with(|s| s.as_ref().map(|o| o.code.clone()));
    let status_badge = move || {
        saved.with(|s| {
            s.as_ref().map(|o| {
                view! { <span class="badge" id="opportunity-status" data-status=o.status.as_str()>{o.status.label()}</span> }
            })
        })
    };
    let on_pick_account = Callback::new(move |party: Party| {
        draft.account_id.set(party.id.clone());
        draft.account_name.set(party.display_name);
    });
    let pipeline_options = Signal::derive(move || {
        let list = pipelines.get().and_then(Result::ok).unwrap_or_default();
        list.into_iter().map(|p| (p.id, p.name)).collect::<Vec<_>>()
    });
    let stage_options = Signal::derive(move || {
        pipeline.with(|p| {
            p.stages
                .iter()
                .map(|s| (s.id.clone(), format!("{} ({} %)", s.name, s.probability)))
                .collect::<Vec<_>>()
        })
    });
    let lead_sources = Signal::derive(|| {
        LeadSource::ALL
            .iter()
            .map(|s| (s.as_str().to_owned(), s.label().to_owned()))
            .collect::<Vec<_>>()
    });
    let lost = move || {
        stage_outcome.get() == Some(OpportunityStatus::Lost)
            || saved.with(|s| {
                s.as_ref()
                    .is_some_and(|o| o.status == OpportunityStatus::Lost)
            })
    };

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href="/pipeline">"Pipeline"</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{heading}</span>
        </nav>
        <div class="page-header">
            <h1>
                {heading}
                {move || code().map(|c| view! { <span class="record-code">{c}</span> })}
                {status_badge}
            </h1>
        </div>
        {move || status.notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
        {move || status.general.get().map(|m| view! { <p class="alert alert-error" role="alert" id="form-error">{m}</p> })}
        <Show when=move || status.conflict.get()>
            <div class="alert alert-warning" role="alert" id="form-conflict">
                <p>{CONFLICT_MESSAGE}</p>
                <button type="button" id="reload" class="btn" on:click=on_reload>"Reload"</button>
            </div>
        </Show>
        <div class="profile-grid">
            <form class="card record-form profile-main" on:submit=on_submit novalidate>
                <div class="form-grid">
                    <TextField name="name" label="Name" value=draft.name errors required=true disabled=read_only />
                    <div class="field" class:has-error=move || errors.with(|e| e.get("accountId").is_some())>
                        <span class="label">"Account" <span class="required" aria-hidden="true">" *"</span></span>
                        <p class="chosen" id="chosen-account">
                            {move || {
                                let id = draft.account_id.get();
                                let name = format::or_empty(Some(&draft.account_name.get()));
                                if id.is_empty() {
                                    name.into_any()
                                } else {
                                    view! { <a href=format!("/parties/{id}")>{name}</a> }.into_any()
                                }
                            }}
                        </p>
                        {can_save
                            .then(|| {
                                view! { <PartySearch input_id="field-accountId" label="Find an account" on_pick=on_pick_account /> }
                            })}
                        <FieldError name="accountId" errors />
                    </div>
                    <OwnerField
                        value=draft.owner_id
                        current=Signal::derive(move || saved.with(|s| s.as_ref().and_then(|o| o.owner.clone())))
                        errors
                        disabled=read_only
                    />
                    {is_new
                        .then(|| {
                            view! {
                                <SelectField
                                    name="pipelineId"
                                    label="Pipeline"
                                    options=pipeline_options
                                    value=draft.pipeline_id
                                    errors
                                    empty="Default pipeline"
                                    disabled=read_only
                                />
                            }
                        })}
                    <SelectField
                        name="stageId"
                        label="Stage"
                        options=stage_options
                        value=draft.stage_id
                        errors
                        empty=if is_new { "First stage" } else { "" }
                        disabled=read_only
                    />
                    <TextField
                        name="probability"
                        label="Probability (%)"
                        value=draft.probability
                        errors
                        hint="Leave empty for the stage's default."
                        disabled=read_only
                    />
                    {show_amount
                        .then(|| {
                            let disabled = Signal::derive(move || !write_amount || read_only.get());
                            view! {
                                <MoneyField
                                    fields=&["amount", "amount.amount", "amount.currency"]
                                    legend="Amount"
                                    id="field-amount"
                                    amount=draft.amount
                                    currency=draft.currency
                                    errors
                                    disabled
                                />
                            }
                        })}
                    <TextField name="closeDate" label="Close date" value=draft.close_date errors input_type="date" disabled=read_only />
                    <TextField name="nextStep" label="Next step" value=draft.next_step errors disabled=read_only />
                    <TextField
                        name="nextStepDate"
                        label="Next step date"
                        value=draft.next_step_date
                        errors
                        input_type="date"
                        disabled=read_only
                    />
                    <SelectField
                        name="leadSource"
                        label="Lead source"
                        options=lead_sources
                        value=draft.lead_source
                        errors
                        empty=format::EMPTY
                        disabled=read_only
                    />
                    {move || {
                        lost()
                            .then(|| {
                                view! {
                                    <TextField
                                        name="lostReason"
                                        label="Lost reason"
                                        value=draft.lost_reason
                                        errors
                                        disabled=read_only
                                    />
                                }
                            })
                    }}
                    <ContactsField contacts=draft.contacts errors disabled=read_only editable=can_save />
                    {(!is_new)
                        .then(|| {
                            view! {
                                <TextField
                                    name="note"
                                    label="Note for the history"
                                    value=draft.note
                                    errors
                                    hint="Kept with the changes you save."
                                    disabled=read_only
                                />
                            }
                        })}
                </div>
                <div class="form-actions">
                    {can_save
                        .then(|| {
                            view! {
                                <button type="submit" id="save" class="btn btn-primary" disabled=move || status.busy.get()>
                                    {move || if status.busy.get() { "Saving…" } else { "Save" }}
                                </button>
                            }
                        })}
                    <a class="btn" href="/pipeline">{if can_save { "Cancel" } else { "Back" }}</a>
                </div>
            </form>
            {saved.get_untracked().map(|o| {
                let feed = Feed::new(o.id.clone());
                view! {
                    <div class="profile-side">
                        <LogButtons record_id=o.id on_logged=Callback::new(move |()| feed.refresh()) />
                        <History entries=history />
                        <Timeline feed />
                    </div>
                }
            })}
        </div>
    }
}

/// Shows what went wrong; a message about one contact goes next to the contacts.
fn fail(status: Status, error: ApiError) {
    status.fail_renamed(error, FORM_FIELDS, |field| {
        field.starts_with("contacts.").then_some("contacts")
    });
}

/// Shows the form's own validation messages.
fn invalid(status: Status, fields: FieldErrors) {
    status.busy.set(false);
    status.fields.set(fields);
}

/// The contacts of the deal with their roles: change a role, remove one, add
/// a person found by name.
#[component]
fn ContactsField(
    contacts: RwSignal<Vec<ContactDraft>>,
    errors: RwSignal<FieldErrors>,
    disabled: Signal<bool>,
    /// Contacts may be added.
    editable: bool,
) -> impl IntoView {
    let on_pick = Callback::new(move |party: Party| {
        if party.kind != PartyKind::Person {
            return;
        }
        contacts.update(|list| {
            if !list.iter().any(|c| c.id == party.id) {
                list.push(ContactDraft {
                    id: party.id,
                    name: party.display_name,
                    role: ContactRole::default(),
                });
            }
        });
    });
    let rows = move || {
        contacts.with(|list| {
            list.iter()
                .enumerate()
                .map(|(i, contact)| {
                    let current = contact.role;
                    let roles = ContactRole::ALL
                        .iter()
                        .map(|r| view! { <option value=r.as_str() selected=*r == current>{r.label()}</option> })
                        .collect_view();
                    view! {
                        <li class="contact-row" data-id=contact.id.clone()>
                            <span class="contact-name">{contact.name.clone()}</span>
                            <select
                                class="contact-role"
                                aria-label="Role"
                                disabled=disabled
                                on:change=move |ev| {
                                    let role = ContactRole::parse(&event_target_value(&ev)).unwrap_or_default();
                                    contacts.update(|l| if let Some(c) = l.get_mut(i) { c.role = role });
                                }
                            >
                                {roles}
                            </select>
                            <button
                                type="button"
                                class="btn btn-small contact-remove"
                                disabled=disabled
                                on:click=move |_| contacts.update(|l| {
                                    if i < l.len() {
                                        l.remove(i);
                                    }
                                })
                            >
                                "Remove"
                            </button>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    view! {
        <fieldset class="field field-group span-2" id="contacts">
            <legend>"Contacts"</legend>
            <ul class="rows">{rows}</ul>
            {editable.then(|| view! { <PartySearch input_id="add-contact" label="Add a contact person" on_pick /> })}
            <FieldError name="contacts" errors />
        </fieldset>
    }
}
