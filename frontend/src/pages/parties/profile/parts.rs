//! The profile's panels, each fetched on its own when the profile opens:
//! the profile's chunk holds the header and the small sections, so a first
//! visit downloads the panels in parallel instead of one large chunk.

use super::contact_mechanisms::{ContactMechanisms, Visibility};
use super::identifiers::Identifiers;
use super::lifecycle::{Duplicates, LifecycleActions, StatusBanner};
use super::relationships::Relationships;
use crate::api::paging::Connection;
use crate::api::parties::identifiers::{ExternalId, TaxId};
use crate::api::parties::{ContactMechanism, Party, Relationship};
use crate::page::lazy::lazy_part;
use leptos::prelude::*;

/// What the contact details panel is given.
pub struct MechanismsProps {
    pub party_id: String,
    pub mechanisms: RwSignal<Vec<ContactMechanism>>,
    pub visibility: Visibility,
    pub on_change: Callback<()>,
}

fn mechanisms(p: MechanismsProps) -> AnyView {
    let MechanismsProps {
        party_id,
        mechanisms,
        visibility,
        on_change,
    } = p;
    view! { <ContactMechanisms party_id mechanisms visibility on_change /> }.into_any()
}

lazy_part!(
    /// The contact details, with adding and removing them.
    pub fn mechanisms_panel(props: MechanismsProps), chunk = party_mechanisms, load = load_party_mechanisms, view = mechanisms
);

/// What the related parties panel is given.
pub struct RelationshipsProps {
    pub party_id: String,
    pub first_page: Connection<Relationship>,
    pub editable: bool,
    pub on_change: Callback<()>,
}

fn relationships(p: RelationshipsProps) -> AnyView {
    let RelationshipsProps {
        party_id,
        first_page,
        editable,
        on_change,
    } = p;
    view! { <Relationships party_id first_page editable on_change /> }.into_any()
}

lazy_part!(
    /// The related parties, with adding and ending relationships.
    pub fn relationships_panel(props: RelationshipsProps), chunk = party_relationships, load = load_party_relationships, view = relationships
);

/// What the identifiers panel is given.
pub struct IdentifiersProps {
    pub party_id: String,
    pub tax_ids: Option<Vec<TaxId>>,
    pub external_ids: Vec<ExternalId>,
    pub tax_editable: bool,
    pub editable: bool,
    pub on_change: Callback<()>,
}

fn identifiers(p: IdentifiersProps) -> AnyView {
    let IdentifiersProps {
        party_id,
        tax_ids,
        external_ids,
        tax_editable,
        editable,
        on_change,
    } = p;
    view! { <Identifiers party_id tax_ids external_ids tax_editable editable on_change /> }
        .into_any()
}

lazy_part!(
    /// Tax ids and ids in other systems, with adding and removing them.
    pub fn identifiers_panel(props: IdentifiersProps), chunk = party_relationships, load = load_party_identifiers, view = identifiers
);

/// What the lifecycle parts are given.
pub struct LifecycleProps {
    pub party: Party,
    pub can_decide: bool,
    pub can_request: bool,
    pub can_erase: bool,
    pub reload: Callback<()>,
}

fn lifecycle(p: LifecycleProps) -> AnyView {
    let LifecycleProps {
        party,
        can_decide,
        can_request,
        can_erase,
        reload,
    } = p;
    view! {
        <StatusBanner party=party.clone() can_decide reload />
        <LifecycleActions party can_request can_erase reload />
    }
    .into_any()
}

lazy_part!(
    /// The status banner (deletion requested, erased…) and the lifecycle actions.
    pub fn lifecycle_panel(props: LifecycleProps), chunk = party_lifecycle, load = load_party_lifecycle, view = lifecycle
);

fn duplicates((party, reload): (Party, Callback<()>)) -> AnyView {
    view! { <Duplicates party reload /> }.into_any()
}

lazy_part!(
    /// Possible duplicates, with merging.
    pub fn duplicates_panel(props: (Party, Callback<()>)), chunk = party_lifecycle, load = load_party_duplicates, view = duplicates
);
