//! `/people/new`, `/people/:id/edit`, `/organizations/new` and
//! `/organizations/:id/edit`: create and edit people and organisations.

use super::draft::{default_customer_type, mechanism_field, toggle_role, PartyDraft};
use super::fields::{CustomerTypeField, PaymentPreferenceField, RolesField};
use crate::api::parties::{self, Party, PartyKind, PartyRole};
use crate::api::{ApiError, GqlError};
use crate::components::field::TextField;
use crate::components::load::reload;
use crate::components::owner_field::OwnerField;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use leptos::ev::SubmitEvent;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::components::Redirect;
use leptos_router::hooks::{use_navigate, use_params_map};

/// Input fields of a person that have a place on the form for their message.
const PERSON_FIELDS: &[&str] = &[
    "foreName",
    "middleInitial",
    "surname",
    "code",
    "area",
    "ownerId",
    "roles",
    "customerType",
    "paymentPreference",
    "email",
    "phone",
];

/// Input fields of an organisation that have a place on the form for their message.
const ORGANIZATION_FIELDS: &[&str] = &[
    "name",
    "code",
    "area",
    "industry",
    "website",
    "ownerId",
    "roles",
    "customerType",
    "email",
    "phone",
];

const CONFLICT_MESSAGE: &str = "Someone else changed this record; reload to see their changes";

/// `/people/new`.
#[component]
pub fn NewPerson() -> impl IntoView {
    set_title("New person");
    view! { <PartyEditor kind=PartyKind::Person saved=None /> }
}

/// `/organizations/new`.
#[component]
pub fn NewOrganization() -> impl IntoView {
    set_title("New organisation");
    view! { <PartyEditor kind=PartyKind::Organization saved=None /> }
}

/// `/people/:id/edit`.
#[component]
pub fn EditPerson() -> impl IntoView {
    view! { <EditParty kind=PartyKind::Person /> }
}

/// `/organizations/:id/edit`.
#[component]
pub fn EditOrganization() -> impl IntoView {
    view! { <EditParty kind=PartyKind::Organization /> }
}

#[component]
fn EditParty(kind: PartyKind) -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // A new id is a new form, with nothing carried over from the last one.
    move || {
        let id = id.get();
        view! { <LoadParty kind id /> }
    }
}

#[component]
fn LoadParty(kind: PartyKind, id: String) -> impl IntoView {
    let loaded = reload(move || {
        let id = id.clone();
        async move { parties::get(&id).await }
    });
    move || match loaded.get() {
        Some(Ok(Some(party))) if party.kind == kind => {
            view! { <PartyEditor kind saved=Some(party) /> }.into_any()
        }
        // The other kind's form edits it.
        Some(Ok(Some(party))) => view! { <Redirect path=party.edit_href() /> }.into_any(),
        Some(Ok(None)) => {
            set_title("Not found");
            view! {
                <div class="card narrow">
                    <h1>"Not found"</h1>
                    <p>"It does not exist, or you may not see it."</p>
                    <a class="btn" href="/contacts">
                        "Back to contacts"
                    </a>
                </div>
            }
            .into_any()
        }
        Some(Err(e)) if e != ApiError::Unauthenticated => {
            view! { <div class="alert alert-error" role="alert">{e.to_string()}</div> }.into_any()
        }
        _ => view! { <p class="loading">"Loading…"</p> }.into_any(),
    }
}

/// One signal per input of the form.
#[derive(Clone, Copy)]
struct DraftSignals {
    kind: PartyKind,
    fore_name: RwSignal<String>,
    middle_initial: RwSignal<String>,
    surname: RwSignal<String>,
    name: RwSignal<String>,
    code: RwSignal<String>,
    area: RwSignal<String>,
    industry: RwSignal<String>,
    website: RwSignal<String>,
    owner_id: RwSignal<String>,
    roles: RwSignal<Vec<PartyRole>>,
    customer_type: RwSignal<Option<parties::CustomerType>>,
    payment_preference: RwSignal<Option<parties::PaymentPreference>>,
    email: RwSignal<String>,
    phone: RwSignal<String>,
}

impl DraftSignals {
    fn new(draft: PartyDraft) -> Self {
        Self {
            kind: draft.kind,
            fore_name: RwSignal::new(draft.fore_name),
            middle_initial: RwSignal::new(draft.middle_initial),
            surname: RwSignal::new(draft.surname),
            name: RwSignal::new(draft.name),
            code: RwSignal::new(draft.code),
            area: RwSignal::new(draft.area),
            industry: RwSignal::new(draft.industry),
            website: RwSignal::new(draft.website),
            owner_id: RwSignal::new(draft.owner_id),
            roles: RwSignal::new(draft.roles),
            customer_type: RwSignal::new(draft.customer_type),
            payment_preference: RwSignal::new(draft.payment_preference),
            email: RwSignal::new(draft.email),
            phone: RwSignal::new(draft.phone),
        }
    }

    fn get(&self) -> PartyDraft {
        PartyDraft {
            kind: self.kind,
            fore_name: self.fore_name.get_untracked(),
            middle_initial: self.middle_initial.get_untracked(),
            surname: self.surname.get_untracked(),
            name: self.name.get_untracked(),
            code: self.code.get_untracked(),
            area: self.area.get_untracked(),
            industry: self.industry.get_untracked(),
            website: self.website.get_untracked(),
            owner_id: self.owner_id.get_untracked(),
            roles: self.roles.get_untracked(),
            customer_type: self.customer_type.get_untracked(),
            payment_preference: self.payment_preference.get_untracked(),
            email: self.email.get_untracked(),
            phone: self.phone.get_untracked(),
        }
    }

    fn fill(&self, draft: PartyDraft) {
        self.fore_name.set(draft.fore_name);
        self.middle_initial.set(draft.middle_initial);
        self.surname.set(draft.surname);
        self.name.set(draft.name);
        self.code.set(draft.code);
        self.area.set(draft.area);
        self.industry.set(draft.industry);
        self.website.set(draft.website);
        self.owner_id.set(draft.owner_id);
        self.roles.set(draft.roles);
        self.customer_type.set(draft.customer_type);
        self.payment_preference.set(draft.payment_preference);
    }

    fn is_customer(&self) -> bool {
        self.roles.with(|r| r.contains(&PartyRole::Customer))
    }
}

/// The form itself, for a new party (`saved` is `None`) or a saved one.
#[component]
fn PartyEditor(kind: PartyKind, saved: Option<Party>) -> impl IntoView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let navigate = use_navigate();
    let is_new = saved.is_none();
    let person = kind == PartyKind::Person;
    let draft = DraftSignals::new(
        saved
            .as_ref()
            .map_or_else(|| PartyDraft::new(kind), PartyDraft::from_party),
    );
    let saved = RwSignal::new(saved);
    let status = Status::new(session.take_flash());
    let can_save = me.can("party", if is_new { "create" } else { "update" });
    // The first contact details are part of the create input.
    let with_contact_details = is_new && me.can_write_field("party", "contactMechanisms");
    let read_only = Signal::derive(move || !can_save || status.busy.get());
    let shown = if person {
        PERSON_FIELDS
    } else {
        ORGANIZATION_FIELDS
    };

    let noun = if person { "person" } else { "organisation" };
    let heading = move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| format!("New {noun}"), |p| p.display_name.clone())
        })
    };
    Effect::new(move |_| {
        if let Some(party) = saved.read().as_ref() {
            set_title(&format!("Edit {}", party.display_name));
        }
    });

    let on_toggle_role = Callback::new(move |(role, on): (PartyRole, bool)| {
        draft.roles.update(|r| *r = toggle_role(r, role, on));
        if role == PartyRole::Customer && on && draft.customer_type.get_untracked().is_none() {
            draft.customer_type.set(Some(default_customer_type(kind)));
        }
    });
    let show_customer_type = Memo::new(move |_| draft.is_customer());
    let show_payment = Memo::new(move |_| {
        person
            && draft.is_customer()
            && draft.customer_type.get() == Some(parties::CustomerType::B2c)
    });

    let on_submit = move |ev: SubmitEvent| {
        ev.prevent_default();
        if !can_save || !status.start() {
            return;
        }
        let mut typed = draft.get();
        if !with_contact_details {
            typed.email.clear();
            typed.phone.clear();
        }
        let current = saved.get_untracked();
        let navigate = navigate.clone();
        spawn_local(async move {
            let (result, mechanism_fields) = match &current {
                None => {
                    let (input, fields) = typed.create_input();
                    (parties::create(kind, &input).await, fields)
                }
                Some(party) => {
                    let input = typed.update_input(party);
                    let result = if input.is_noop() {
                        Ok(party.clone())
                    } else {
                        parties::update(kind, &input).await
                    };
                    (result, Vec::new())
                }
            };
            match result {
                Ok(party) => {
                    session.flash.set(Some("Saved".to_owned()));
                    navigate(&party.profile_href(), Default::default());
                }
                Err(e) => {
                    status.fail_renamed(e, shown, |path| mechanism_field(path, &mechanism_fields))
                }
            }
        });
    };

    let on_reload = move |_| {
        let Some(id) = saved.with_untracked(|s| s.as_ref().map(|p| p.id.clone())) else {
            return;
        };
        if !status.start() {
            return;
        }
        spawn_local(async move {
            match parties::get(&id).await {
                Ok(Some(party)) => {
                    draft.fill(PartyDraft::from_party(&party));
                    saved.set(Some(party));
                    status.busy.set(false);
                }
                Ok(None) => status.fail(
                    ApiError::Graphql(vec![GqlError {
                        message: "This record no longer exists or is no longer visible to you."
                            .into(),
                        ..GqlError::default()
                    }]),
                    &[],
                ),
                Err(e) => status.fail(e, &[]),
            }
        });
    };

    let cancel_href = move || {
        saved.with(|s| match s {
            Some(p) => p.profile_href(),
            None if person => "/contacts".to_owned(),
            None => "/customers".to_owned(),
        })
    };
    let errors = status.fields;
    let current_owner =
        Signal::derive(move || saved.with(|s| s.as_ref().and_then(|p| p.owner.clone())));

    let name_fields = if person {
        view! {
            <TextField name="foreName" label="Fore name" value=draft.fore_name errors required=true disabled=read_only />
            <TextField name="middleInitial" label="Middle initial" value=draft.middle_initial errors disabled=read_only />
            <TextField name="surname" label="Surname" value=draft.surname errors required=true disabled=read_only />
        }
        .into_any()
    } else {
        view! {
            <TextField name="name" label="Name" value=draft.name errors required=true disabled=read_only />
        }
        .into_any()
    };
    let organization_fields = (!person).then(|| {
        view! {
            <TextField name="industry" label="Industry" value=draft.industry errors disabled=read_only />
            <TextField name="website" label="Website" value=draft.website errors input_type="url" disabled=read_only />
        }
    });
    let contact_fields = with_contact_details.then(|| {
        view! {
            <TextField name="email" label="E-mail" value=draft.email errors input_type="email" disabled=read_only />
            <TextField name="phone" label="Phone" value=draft.phone errors input_type="tel" disabled=read_only />
        }
    });

    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href=if person { "/contacts" } else { "/customers" }>
                {if person { "Contacts" } else { "Customers" }}
            </a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{heading}</span>
        </nav>
        <div class="page-header">
            <h1>
                {heading}
                {move || saved.with(|s| s.as_ref().map(|p| view! { <span class="record-code">{p.code.clone()}</span> }))}
            </h1>
        </div>
        {move || status.notice.get().map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
        {move || status.general.get().map(|m| view! { <p class="alert alert-error" role="alert" id="form-error">{m}</p> })}
        <Show when=move || status.conflict.get()>
            <div class="alert alert-warning" role="alert" id="form-conflict">
                <p>{CONFLICT_MESSAGE}</p>
                <button type="button" id="reload" class="btn" on:click=on_reload>
                    "Reload"
                </button>
            </div>
        </Show>
        <form class="card record-form" on:submit=on_submit novalidate>
            <div class="form-grid">
                {name_fields}
                <TextField
                    name="code"
                    label="Code"
                    value=draft.code
                    errors
                    hint=if is_new { "Leave empty to have one generated." } else { "Unique short code." }
                    disabled=read_only
                />
                <TextField name="area" label="Area" value=draft.area errors disabled=read_only />
                {organization_fields}
                <OwnerField value=draft.owner_id current=current_owner errors disabled=read_only />
                {contact_fields}
                <RolesField
                    roles=draft.roles.into()
                    on_toggle=on_toggle_role
                    errors
                    disabled=read_only
                />
                <Show when=move || show_customer_type.get()>
                    <CustomerTypeField value=draft.customer_type errors disabled=read_only />
                </Show>
                <Show when=move || show_payment.get()>
                    <PaymentPreferenceField value=draft.payment_preference errors disabled=read_only />
                </Show>
            </div>
            <div class="form-actions">
                <Show when=move || can_save>
                    <button type="submit" id="save" class="btn btn-primary" disabled=move || status.busy.get()>
                        {move || if status.busy.get() { "Saving…" } else { "Save" }}
                    </button>
                </Show>
                <a class="btn" href=cancel_href>
                    {if can_save { "Cancel" } else { "Back" }}
                </a>
            </div>
        </form>
    }
}
