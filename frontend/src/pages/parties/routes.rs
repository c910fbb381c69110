//! The customer master's addresses; each page group is fetched on first visit.

use super::deletion_requests::DeletionRequests;
use super::form::{EditOrganization, EditPerson, NewOrganization, NewPerson};
use super::list::{ContactList, CustomerList};
use super::profile::PartyProfile;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/contacts`
    ContactsRoute, chunk = party_lists, load = load_contacts, page = ContactList
);
lazy_route!(
    /// `/customers`
    CustomersRoute, chunk = party_lists, load = load_customers, page = CustomerList
);
lazy_route!(
    /// `/people/new`
    NewPersonRoute, chunk = party_forms, load = load_new_person, page = NewPerson
);
lazy_route!(
    /// `/people/:id/edit`
    EditPersonRoute, chunk = party_forms, load = load_edit_person, page = EditPerson
);
lazy_route!(
    /// `/organizations/new`
    NewOrganizationRoute, chunk = party_forms, load = load_new_organization, page = NewOrganization
);
lazy_route!(
    /// `/organizations/:id/edit`
    EditOrganizationRoute, chunk = party_forms, load = load_edit_organization, page = EditOrganization
);
lazy_route!(
    /// `/parties/:id`
    ProfileRoute, chunk = party_profile, load = load_profile, page = PartyProfile
);
lazy_route!(
    /// `/deletion-requests`
    DeletionRequestsRoute, chunk = deletion_requests, load = load_deletion_requests, page = DeletionRequests
);

/// `/contacts`, `/customers`, the person and organisation forms, `/parties/:id` (the
/// profile) and `/deletion-requests`.
#[component(transparent)]
pub fn PartyRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("contacts") view={Lazy::<ContactsRoute>::new()} />
        <Route path=path!("customers") view={Lazy::<CustomersRoute>::new()} />
        <Route path=path!("people/new") view={Lazy::<NewPersonRoute>::new()} />
        <Route path=path!("people/:id/edit") view={Lazy::<EditPersonRoute>::new()} />
        <Route path=path!("organizations/new") view={Lazy::<NewOrganizationRoute>::new()} />
        <Route path=path!("organizations/:id/edit") view={Lazy::<EditOrganizationRoute>::new()} />
        <Route path=path!("parties/:id") view={Lazy::<ProfileRoute>::new()} />
        <Route path=path!("deletion-requests") view={Lazy::<DeletionRequestsRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
