//! `/parties/:id`: the 360° profile of a person or organisation — header,
//! contact details, related parties, timeline, and the B2C part of customers.
//! One `partyProfile` request fills the page; a section the user may not see
//! is replaced by a notice, never a failed page.

mod b2c;
mod contact_mechanisms;
mod documents;
mod identifiers;
mod lifecycle;
mod opportunities;
mod parts;
mod relationships;

use crate::api::parties::{self, Party, PartyKind, Profile};
use crate::api::ApiError;
use crate::components::custom_values::{custom_values, CustomValuesProps};
use crate::components::load::reload;
use crate::components::recent;
use crate::components::session::{set_title, use_session};
use crate::format;
use crate::pages::activities::panel::{activity_panel, ActivityPanel};
use b2c::B2cProfile;
use contact_mechanisms::Visibility;
use documents::SalesDocuments;
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use opportunities::Opportunities;
use parts::{
    duplicates_panel, identifiers_panel, lifecycle_panel, mechanisms_panel, relationships_panel,
    IdentifiersProps, LifecycleProps, MechanismsProps, RelationshipsProps,
};

/// `/parties/:id` (a person's, an organisation's or an account's id).
#[component]
pub fn PartyProfile() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.with(|p| p.get("id").unwrap_or_default()));
    // A new id is a new page, with nothing carried over from the last one.
    move || {
        let id = id.get();
        view! { <LoadProfile id /> }
    }
}

#[component]
fn LoadProfile(id: String) -> impl IntoView {
    // Bumped to read the profile again.
    let generation = RwSignal::new(0_u32);
    let tax_ids = use_session()
        .me
        .get_untracked()
        .is_some_and(|me| me.can_read_field("party", "taxIds"));
    let loaded = reload(move || {
        generation.track();
        let id = id.clone();
        async move { parties::profile(&id, tax_ids).await }
    });
    let reload = Callback::new(move |()| generation.update(|g| *g += 1));
    move || match loaded.get() {
        Some(Ok(Some(profile))) => view! { <ProfileView profile reload /> }.into_any(),
        Some(Ok(None)) => {
            set_title("Not found");
            view! {
                <div class="card narrow">
                    <h1>"Not found"</h1>
                    <p>"This person or organisation does not exist, or you may not see it."</p>
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
        _ => view! { <p class="loading">"Loading profile…"</p> }.into_any(),
    }
}

#[component]
fn ProfileView(profile: Profile, reload: Callback<()>) -> impl IntoView {
    let session = use_session();
    let me = session.me.get_untracked().unwrap_or_default();
    let notice = session.take_flash();
    let Profile {
        party,
        contact_mechanisms,
        relationships,
        timeline: _,
        mechanisms_forbidden,
        b2c,
        custom,
        tax_ids,
        external_ids,
    } = profile;
    set_title(&party.display_name);
    let kind = match party.kind {
        PartyKind::Person => "Person",
        PartyKind::Organization => "Organisation",
    };
    recent::visited(kind, &party.display_name, &format!("/parties/{}", party.id));

    let can_update = me.can("party", "update");
    let can_decide = me.can("party", "approve_deletion");
    let can_erase = me.can("party", "erase");
    let mechanisms_hidden =
        mechanisms_forbidden || !me.can_read_field("party", "contactMechanisms");
    let mechanisms_visibility = if can_update && me.can_write_field("party", "contactMechanisms") {
        Visibility::Edit
    } else {
        Visibility::Read
    };
    let mechanisms = RwSignal::new(contact_mechanisms.unwrap_or_default());
    // Bumped after a change on the page: the timeline is read again.
    let changed = RwSignal::new(0_u32);
    let on_change = Callback::new(move |()| changed.update(|c| *c += 1));

    let mechanisms_section = if mechanisms_hidden {
        view! {
            <section class="card profile-section" aria-labelledby="cm-heading">
                <h2 id="cm-heading">"Contact details"</h2>
                <p class="muted" id="contact-mechanisms-forbidden">
                    "You may not see contact details"
                </p>
            </section>
        }
        .into_any()
    } else {
        mechanisms_panel(MechanismsProps {
            party_id: party.id.clone(),
            mechanisms,
            visibility: mechanisms_visibility,
            on_change,
        })
    };
    let b2c = b2c.map(|b2c| view! { <B2cProfile b2c mechanisms_hidden /> });
    let duplicates = can_update.then(|| duplicates_panel((party.clone(), reload)));
    // Accounts and customers are who opportunities are sold to.
    let deals = (party.kind == PartyKind::Organization
        || party.has_role(parties::PartyRole::Customer))
        .then(|| view! { <Opportunities account_id=party.id.clone() can_create=me.can("opportunity", "create") /> });
    let doc_parts = crate::api::billing::CustomerParts {
        enquiries: me.can("enquiry", "read"),
        quotes: me.can("quote", "read"),
        quote_amounts: me.can_read_field("quote", "amount"),
        orders: me.can("order", "read"),
        contracts: me.can("contract", "read"),
        invoices: me.can("invoice", "read"),
    };
    let documents = (doc_parts.any()
        && (party.kind == PartyKind::Organization || party.has_role(parties::PartyRole::Customer)))
    .then(|| view! { <SalesDocuments party_id=party.id.clone() parts=doc_parts /> });

    view! {
        <ProfileHeader party=party.clone() can_update />
        {notice.map(|n| view! { <p class="alert alert-success" role="status" id="form-notice">{n}</p> })}
        {lifecycle_panel(LifecycleProps {
            party: party.clone(),
            can_decide,
            can_request: can_update,
            can_erase,
            reload,
        })}
        <div class="profile-grid">
            <div class="profile-main">
                {mechanisms_section}
                {relationships_panel(RelationshipsProps {
                    party_id: party.id.clone(),
                    first_page: relationships,
                    editable: can_update,
                    on_change,
                })}
                {identifiers_panel(IdentifiersProps {
                    party_id: party.id.clone(),
                    tax_ids,
                    external_ids,
                    tax_editable: can_update && me.can_write_field("party", "taxIds"),
                    editable: can_update,
                    on_change,
                })}
                {deals}
                {documents}
                {b2c}
                {duplicates}
            </div>
            <div class="profile-side">
                {custom_values(CustomValuesProps { record_id: party.id.clone(), values: custom })}
                {activity_panel(ActivityPanel { record_id: party.id.clone(), changed })}
            </div>
        </div>
    }
}

/// Name, code, kind, roles, owner and area, with the "Edit" link.
#[component]
fn ProfileHeader(party: Party, can_update: bool) -> impl IntoView {
    let roles = party
        .roles
        .iter()
        .map(|r| view! { <span class="badge role-badge" data-role=r.as_str()>{r.label()}</span> })
        .collect_view();
    let other_roles = party
        .other_roles
        .iter()
        .map(|(key, label)| view! { <span class="badge role-badge" data-role=key.to_ascii_uppercase()>{label.clone()}</span> })
        .collect_view();
    let customer_type = party
        .customer_type
        .filter(|_| party.has_role(parties::PartyRole::Customer))
        .map(|t| view! { <span class="badge badge-type" id="profile-customer-type">{t.label()}</span> });
    let edit = can_update.then(|| {
        view! {
            <a class="btn btn-primary" id="edit-party" href=party.edit_href()>
                "Edit"
            </a>
        }
    });
    let organization_facts = (party.kind == PartyKind::Organization).then(|| {
        let website = party.website.clone().filter(|w| !w.is_empty());
        view! {
            <div>
                <dt>"Industry"</dt>
                <dd>{format::or_empty(party.industry.as_deref())}</dd>
            </div>
            <div>
                <dt>"Website"</dt>
                <dd>
                    {match website {
                        Some(w) if w.starts_with("http://") || w.starts_with("https://") => {
                            let href = w.clone();
                            view! { <a href=href rel="noopener noreferrer" target="_blank">{w}</a> }.into_any()
                        }
                        other => format::or_empty(other.as_deref()).into_any(),
                    }}
                </dd>
            </div>
        }
    });
    let back = if party.kind == PartyKind::Person && !party.has_role(parties::PartyRole::Customer) {
        ("/contacts", "Contacts")
    } else if party.has_role(parties::PartyRole::Customer) {
        ("/customers", "Customers")
    } else {
        ("/accounts", "Accounts")
    };
    view! {
        <nav class="breadcrumb" aria-label="Breadcrumb">
            <a href=back.0>{back.1}</a>
            <span aria-hidden="true">" / "</span>
            <span aria-current="page">{party.display_name.clone()}</span>
        </nav>
        <div class="page-header profile-header">
            <div class="profile-title">
                <div class="title-line">
                    <h1 id="profile-name">{party.display_name.clone()}</h1>
                    <span class="record-code" id="profile-code">{party.code.clone()}</span>
                    {party.archived.then(|| view! { <span class="badge">"Archived"</span> })}
                </div>
                <p class="badges">
                    <span class="badge badge-kind" id="profile-kind">{party.kind.label()}</span>
                    {roles}
                    {other_roles}
                    {customer_type}
                </p>
            </div>
            {edit}
        </div>
        <dl class="facts profile-facts">
            <div>
                <dt>"Owner"</dt>
                <dd id="profile-owner">
                    {format::or_empty(party.owner.as_ref().map(|o| o.display_name.as_str()))}
                </dd>
            </div>
            <div>
                <dt>"Area"</dt>
                <dd id="profile-area">{format::or_empty(party.area.as_deref())}</dd>
            </div>
            {organization_facts}
            <div>
                <dt>"Updated"</dt>
                <dd>
                    <time datetime=party.updated_at.clone()>{format::date(&party.updated_at)}</time>
                </dd>
            </div>
        </dl>
    }
}
