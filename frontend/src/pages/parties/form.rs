//! `/people/new`, `/people/:id/edit`, `/organizations/new` and
//! `/organizations/:id/edit`: create and edit people and organisations.

use super::draft::{default_customer_type, mechanism_fields, toggle_key, toggle_role, PartyDraft};
use super::fields::{CustomerTypeField, PaymentPreferenceField, RolesField};
use crate::api::parties::{self, CustomerType, Party, PartyKind, PartyRole, PaymentPreference};
use crate::api::{ApiError, GqlError};
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::page::form::{
    code_hint, draft_signals, read_only, record_form, run, Failed, Field, FormSpec, Saved,
};
use crate::page::record::{record_page, Missing};
use leptos::prelude::*;
use leptos_router::components::Redirect;

const MISSING: Missing = Missing::new("Not found", ("/contacts", "Back to contacts"), "Loading…");

/// `/people/new`.
#[component]
pub fn NewPerson() -> impl IntoView {
    set_title("New person");
    party_editor(PartyKind::Person, None)
}

/// `/organizations/new`.
#[component]
pub fn NewOrganization() -> impl IntoView {
    set_title("New organisation");
    party_editor(PartyKind::Organization, None)
}

/// `/people/:id/edit`.
#[component]
pub fn EditPerson() -> impl IntoView {
    edit_party(PartyKind::Person)
}

/// `/organizations/:id/edit`.
#[component]
pub fn EditOrganization() -> impl IntoView {
    edit_party(PartyKind::Organization)
}

fn edit_party(kind: PartyKind) -> impl IntoView {
    record_page(
        |id| async move { parties::get(&id).await },
        MISSING,
        move |party| {
            if party.kind == kind {
                party_editor(kind, Some(party))
            } else {
                // The other kind's form edits it.
                view! { <Redirect path=party.edit_href() /> }.into_any()
            }
        },
    )
}

draft_signals! {
    /// One signal per input of the form.
    struct DraftSignals for PartyDraft {
        kind: PartyKind,
        fore_name: String,
        middle_initial: String,
        surname: String,
        name: String,
        code: String,
        area: String,
        industry: String,
        website: String,
        owner_id: String,
        roles: Vec<PartyRole>,
        other_roles: Vec<String>,
        customer_type: Option<CustomerType>,
        payment_preference: Option<PaymentPreference>,
        preferred_currency: String,
        email: String,
        phone: String,
    }
}

impl DraftSignals {
    fn is_customer(&self) -> bool {
        self.roles.with(|r| r.contains(&PartyRole::Customer))
    }
}

/// The form itself, for a new party (`saved` is `None`) or a saved one.
fn party_editor(kind: PartyKind, saved: Option<Party>) -> AnyView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let is_new = saved.is_none();
    let person = kind == PartyKind::Person;
    let draft = DraftSignals::new(
        &saved
            .as_ref()
            .map_or_else(|| PartyDraft::new(kind), PartyDraft::from_party),
    );
    let saved = RwSignal::new(saved);
    let status = Status::new(session.take_flash());
    let can_save = me.can("party", if is_new { "create" } else { "update" });
    // The first contact details are part of the create input.
    let with_contact_details = is_new && me.can_write_field("party", "contactMechanisms");
    let read_only = read_only(status, can_save);

    let noun = if person { "person" } else { "organisation" };
    let heading = Signal::derive(move || {
        saved.with(|s| {
            s.as_ref()
                .map_or_else(|| format!("New {noun}"), |p| p.display_name.clone())
        })
    });
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
    let on_toggle_other = Callback::new(move |(key, on): (String, bool)| {
        draft.other_roles.update(|r| *r = toggle_key(r, &key, on));
    });
    // The roles administrators added (Settings → Pick-lists): the live ones, and those the
    // party holds when archived since.
    let held: Vec<String> = saved.with_untracked(|s| {
        s.as_ref()
            .map(|p| p.other_roles.iter().map(|(k, _)| k.clone()).collect())
            .unwrap_or_default()
    });
    let role_values =
        crate::components::load::load_once(crate::api::picklists::values("PARTY_ROLE", true));
    let other_roles = Signal::derive(move || {
        role_values
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter(|v| PartyRole::parse(&v.key.to_ascii_uppercase()).is_none())
            .filter(|v| !v.archived || held.contains(&v.key))
            .map(|v| (v.key, v.label))
            .collect::<Vec<_>>()
    });
    // The known roles read as their pick-list values do (an administrator may rename them).
    let role_labels = Signal::derive(move || {
        role_values
            .get()
            .and_then(Result::ok)
            .unwrap_or_default()
            .into_iter()
            .filter_map(|v| Some((PartyRole::parse(&v.key.to_ascii_uppercase())?, v.label)))
            .collect::<Vec<_>>()
    });
    let show_customer_type = Signal::derive(move || draft.is_customer());
    let show_payment = Signal::derive(move || {
        person && draft.is_customer() && draft.customer_type.get() == Some(CustomerType::B2c)
    });

    let save = run(move || {
        let mut typed = draft.get();
        if !with_contact_details {
            typed.email.clear();
            typed.phone.clear();
        }
        let current = saved.get_untracked();
        async move {
            let party = match &current {
                None => {
                    let (input, fields) = typed.create_input();
                    parties::create(kind, &input)
                        .await
                        .map_err(|e| Failed::Api(e, mechanism_fields(&fields)))?
                }
                Some(party) => {
                    let input = typed.update_input(party);
                    if input.is_noop() {
                        party.clone()
                    } else {
                        parties::update(kind, &input).await?
                    }
                }
            };
            Ok(Saved::Go(party.profile_href()))
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|p| p.id.clone()));
        async move {
            match parties::get(&id.unwrap_or_default()).await? {
                Some(party) => {
                    draft.fill(PartyDraft::from_party(&party));
                    saved.set(Some(party));
                    Ok(())
                }
                None => Err(ApiError::Graphql(vec![GqlError {
                    message: "This record no longer exists or is no longer visible to you.".into(),
                    ..GqlError::default()
                }])),
            }
        }
    });

    let cancel = Signal::derive(move || {
        saved.with(|s| match s {
            Some(p) => p.profile_href(),
            None if person => "/contacts".to_owned(),
            None => "/customers".to_owned(),
        })
    });
    let errors = status.fields;
    let d = draft;
    let mut fields = if person {
        vec![
            Field::text("foreName", "Fore name", d.fore_name).required(),
            Field::text("middleInitial", "Middle initial", d.middle_initial),
            Field::text("surname", "Surname", d.surname).required(),
        ]
    } else {
        vec![Field::text("name", "Name", d.name).required()]
    };
    fields.extend([
        Field::text("code", "Code", d.code).hint(code_hint(is_new)),
        Field::text("area", "Area", d.area),
        Field::text(
            "preferredCurrency",
            "Preferred currency",
            d.preferred_currency,
        )
        .hint("Its ISO code, e.g. EUR: new quotes for it start in this currency."),
    ]);
    if !person {
        fields.extend([
            Field::text("industry", "Industry", d.industry),
            Field::input("website", "Website", "url", d.website),
        ]);
    }
    fields.push(Field::owner(
        d.owner_id,
        Signal::derive(move || saved.with(|s| s.as_ref().and_then(|p| p.owner.clone()))),
    ));
    if with_contact_details {
        fields.extend([
            Field::input("email", "E-mail", "email", d.email),
            Field::input("phone", "Phone", "tel", d.phone),
        ]);
    }
    fields.extend([
        Field::custom(
            &["roles", "roleKeys"],
            view! {
                <RolesField
                    roles=d.roles.into()
                    labels=role_labels
                    on_toggle=on_toggle_role
                    others=other_roles
                    others_ticked=d.other_roles.into()
                    on_toggle_other
                    errors
                    disabled=read_only
                />
            }
            .into_any(),
        ),
        Field::custom(
            &["customerType"],
            view! { <CustomerTypeField value=d.customer_type errors disabled=read_only /> }
                .into_any(),
        )
        .when(show_customer_type),
    ]);
    if person {
        fields.push(
            Field::custom(
                &["paymentPreference"],
                view! { <PaymentPreferenceField value=d.payment_preference errors disabled=read_only /> }
                    .into_any(),
            )
            .when(show_payment),
        );
    }
    let code = move || {
        saved.with(|s| {
            s.as_ref()
                .map(|p| view! { <span class="record-code">{p.code.clone()}</span> })
        })
    };
    record_form(FormSpec {
        crumb: if person {
            ("/contacts", "Contacts")
        } else {
            ("/customers", "Customers")
        },
        heading,
        badges: Some(code.into_any()),
        actions: None,
        noun: "record",
        status,
        fields,
        can_save,
        cancel,
        more: None,
        before: None,
        side: None,
        save,
        reload: Some(reload),
    })
}
