//! `/opportunities/new` (optionally `?accountId=…`) and `/opportunities/:id`:
//! create, view and edit an opportunity, with its history.

use super::draft::{ContactDraft, OpportunityDraft};
use super::history::History;
use crate::api::opportunities::{
    self, ContactRole, HistoryEntry, MoveInput, MoveOutcome, Opportunity, OpportunityStatus,
};
use crate::api::parties::{self, Party, PartyKind};
use crate::api::{ApiError, FieldErrors};
use crate::components::custom_values::{custom_values, CustomValuesProps};
use crate::components::field::FieldError;
use crate::components::load::load_once;
use crate::components::party_search::PartySearch;
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::format;
use crate::page::form::{
    draft_signals, read_only, record_form, run, Failed, Field, FormSpec, Saved,
};
use crate::page::record::{loaded_view, record_page, Missing};
use crate::pages::activities::panel::{activity_panel, ActivityPanel};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

const CONFLICT_MESSAGE: &str = "Someone else changed this opportunity; reload to see their changes";

/// `/opportunities/new`: for the account of `?accountId=`, when given.
#[component]
pub fn NewOpportunity() -> impl IntoView {
    set_title("New opportunity");
    let query = use_query_map();
    let account_id = query.with_untracked(|q| q.get("accountId").unwrap_or_default());
    if account_id.is_empty() {
        return opportunity_editor(None, Vec::new(), None);
    }
    let account = load_once(async move { parties::get(&account_id).await });
    let missing = Missing::new(
        "Account not found",
        ("/pipeline", "Back to the pipeline"),
        "Loading…",
    );
    (move || {
        loaded_view(account.get(), missing, |account| {
            opportunity_editor(None, Vec::new(), Some(account))
        })
    })
    .into_any()
}

/// `/opportunities/:id`.
#[component]
pub fn EditOpportunity() -> impl IntoView {
    record_page(
        |id| async move { opportunities::get(&id).await },
        Missing::new(
            "Opportunity not found",
            ("/pipeline", "Back to the pipeline"),
            "Loading opportunity…",
        ),
        |(saved, history)| opportunity_editor(Some(saved), history, None),
    )
}

draft_signals! {
    /// One signal per input of the form.
    struct DraftSignals for OpportunityDraft {
        name: String,
        account_id: String,
        owner_id: String,
        pipeline_id: String,
        stage_id: String,
        probability: String,
        amount: String,
        currency: String,
        close_date: String,
        next_step: String,
        next_step_date: String,
        lead_source: String,
        description: String,
        opportunity_type: String,
        lost_reason: String,
        contacts: Vec<ContactDraft>,
        note: String,
    }
}

/// The signals of the form and the record they were filled from.
#[derive(Clone, Copy)]
struct Editor {
    draft: DraftSignals,
    account_name: RwSignal<String>,
    saved: RwSignal<Option<Opportunity>>,
    history: RwSignal<Vec<HistoryEntry>>,
}

impl Editor {
    /// Shows `fresh` and its history, dropping unsaved edits.
    fn show(&self, fresh: Opportunity, entries: Vec<HistoryEntry>) {
        self.draft.fill(OpportunityDraft::from_opportunity(&fresh));
        self.account_name.set(
            fresh
                .account
                .as_ref()
                .map(|a| a.name.clone())
                .unwrap_or_default(),
        );
        self.saved.set(Some(fresh));
        self.history.set(entries);
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

/// The form, for a new opportunity (`saved` is `None`) or a saved one; for a
/// new one, `account` is its account when chosen beforehand.
fn opportunity_editor(
    saved: Option<Opportunity>,
    history: Vec<HistoryEntry>,
    account: Option<Party>,
) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let is_new = saved.is_none();
    let ed = Editor {
        draft: DraftSignals::new(&OpportunityDraft::default()),
        account_name: RwSignal::new(String::new()),
        saved: RwSignal::new(None),
        history: RwSignal::new(Vec::new()),
    };
    let (draft, saved_signal) = (ed.draft, ed.saved);
    if let Some(saved) = saved {
        set_title(&saved.name);
        recent::visited(
            "Opportunity",
            &saved.name,
            &format!("/opportunities/{}", saved.id),
        );
        ed.show(saved, history);
    }
    if let Some(account) = account {
        draft.account_id.set(account.id);
        ed.account_name.set(account.display_name);
    }
    let saved = saved_signal;
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let show_amount = me.can_read_field("opportunity", "amount");
    let write_amount = show_amount && me.can_write_field("opportunity", "amount");
    let can_save = me.can("opportunity", if is_new { "create" } else { "update" });
    let read_only = read_only(status, can_save);
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

    let save = run(move || {
        let typed = draft.get();
        let current = saved.get_untracked();
        async move {
            let Some(current) = current else {
                let input = typed.create_input(write_amount).map_err(Failed::Invalid)?;
                let created = opportunities::create(input)
                    .await
                    .map_err(contact_failure)?;
                return Ok(Saved::Go(created.href()));
            };
            typed
                .update_input(&current, write_amount)
                .map_err(Failed::Invalid)?;
            match save_existing(current, typed, write_amount).await {
                Ok(Some((fresh, entries))) => {
                    ed.show(fresh, entries);
                    Ok(Saved::Stay("Saved"))
                }
                Ok(None) => {
                    Err(ApiError::Decode("the opportunity is no longer visible".into()).into())
                }
                Err(e) => Err(contact_failure(e)),
            }
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|o| o.id.clone()));
        async move {
            if let Some((fresh, entries)) = opportunities::get(&id.unwrap_or_default()).await? {
                ed.show(fresh, entries);
            }
            Ok(())
        }
    });

    let heading = Signal::derive(move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| "New opportunity".to_owned(), |o| o.name.clone())
        })
    });
    let badges = move || {
        saved.with(|s| {
            s.as_ref().map(|o| {
                view! {
                    <span class="record-code">{o.code.clone()}</span>
                    <span class="badge" id="opportunity-status" data-status=o.status.as_str()>{o.status.label()}</span>
                }
            })
        })
    };
    let on_pick_account = Callback::new(move |party: Party| {
        draft.account_id.set(party.id.clone());
        ed.account_name.set(party.display_name);
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
    // The live types, and the saved one when it has been archived since.
    let types =
        crate::components::load::load_once(crate::api::picklists::values("OPPORTUNITY_TYPE", true));
    let type_options = Signal::derive(move || {
        let all = types.get().and_then(Result::ok).unwrap_or_default();
        let current = draft.opportunity_type.get();
        crate::api::picklists::options(&all, &current)
            .into_iter()
            .skip(1)
            .collect::<Vec<_>>()
    });
    let sources =
        crate::components::load::load_once(crate::api::picklists::values("LEAD_SOURCE", true));
    let lead_sources = Signal::derive(move || {
        let all = sources.get().and_then(Result::ok).unwrap_or_default();
        let current = draft.lead_source.get();
        crate::api::picklists::options(&all, &current)
            .into_iter()
            .skip(1)
            .collect::<Vec<_>>()
    });
    let lost = Signal::derive(move || {
        stage_outcome.get() == Some(OpportunityStatus::Lost)
            || saved.with(|s| {
                s.as_ref()
                    .is_some_and(|o| o.status == OpportunityStatus::Lost)
            })
    });
    let account_field = view! {
        <div class="field" class:has-error=move || errors.with(|e| e.get("accountId").is_some())>
            <span class="label">"Account" <span class="required" aria-hidden="true">" *"</span></span>
            <p class="chosen" id="chosen-account">
                {move || {
                    let id = draft.account_id.get();
                    let name = format::or_empty(Some(&ed.account_name.get()));
                    if id.is_empty() {
                        name.into_any()
                    } else {
                        view! { <a href=format!("/parties/{id}")>{name}</a> }.into_any()
                    }
                }}
            </p>
            {can_save.then(|| view! { <PartySearch input_id="field-accountId" label="Find an account" on_pick=on_pick_account /> })}
            <FieldError name="accountId" errors />
        </div>
    };

    let d = draft;
    let mut fields = vec![
        Field::text("name", "Name", d.name).required(),
        Field::custom(&["accountId"], account_field.into_any()),
        Field::owner(
            d.owner_id,
            Signal::derive(move || saved.with(|s| s.as_ref().and_then(|o| o.owner.clone()))),
        ),
    ];
    if is_new {
        fields.push(Field::select(
            "pipelineId",
            "Pipeline",
            pipeline_options,
            d.pipeline_id,
            "Default pipeline",
        ));
    }
    fields.extend([
        Field::select(
            "stageId",
            "Stage",
            stage_options,
            d.stage_id,
            if is_new { "First stage" } else { "" },
        ),
        Field::text("probability", "Probability (%)", d.probability)
            .hint("Leave empty for the stage's default."),
    ]);
    if show_amount {
        fields.push(Field::money(
            AMOUNT_FIELDS,
            "Amount",
            (d.amount, d.currency),
            write_amount,
        ));
    }
    fields.extend([
        Field::input("closeDate", "Close date", "date", d.close_date),
        Field::text("nextStep", "Next step", d.next_step),
        Field::input("nextStepDate", "Next step date", "date", d.next_step_date),
        Field::select("leadSource", "Lead source", lead_sources, d.lead_source, format::EMPTY),
        Field::select("opportunityType", "Type", type_options, d.opportunity_type, format::EMPTY),
        Field::area("description", "Description", d.description),
        Field::text("lostReason", "Lost reason", d.lost_reason).when(lost),
        Field::custom(
            &["contacts"],
            view! { <ContactsField contacts=d.contacts errors disabled=read_only editable=can_save /> }.into_any(),
        ),
    ]);
    if !is_new {
        fields.push(
            Field::text("note", "Note for the history", d.note)
                .hint("Kept with the changes you save."),
        );
    }
    // The history, and the activities fetched on their own.
    let side = saved.get_untracked().map(|o| {
        let history = ed.history;
        let custom = custom_values(CustomValuesProps {
            record_id: o.id.clone(),
            values: o.custom.clone(),
        });
        view! {
            <div class="profile-side">
                {custom}
                <History entries=history />
                {activity_panel(ActivityPanel { record_id: o.id, changed: RwSignal::new(0) })}
            </div>
        }
        .into_any()
    });
    // Quotes start from the deal: its account, currency and name.
    let may_quote = crate::components::session::use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can("quote", "create")));
    let actions = saved.get_untracked().filter(|_| may_quote).map(|o| {
        view! {
            <a id="new-quote" class="btn" href=format!("/quotes/new?opportunity={}", o.id)>"New quote"</a>
        }
        .into_any()
    });
    record_form(FormSpec {
        crumb: ("/pipeline", "Pipeline"),
        heading,
        badges: Some(badges.into_any()),
        actions,
        noun: "opportunity",
        status,
        fields,
        can_save,
        cancel: Signal::stored("/pipeline".to_owned()),
        more: None,
        before: None,
        side: Some(side.into_any()),
        save,
        reload: Some(reload),
    })
}

/// Validation names of the amount group.
const AMOUNT_FIELDS: &[&str; 3] = &["amount", "amount.amount", "amount.currency"];

/// A failed save; a message about one contact goes next to the contacts.
fn contact_failure(e: ApiError) -> Failed {
    Failed::Api(e, vec![("contacts".to_owned(), "contacts")])
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
