//! The customer master's addresses.

use super::deletion_requests::DeletionRequests;
use super::form::{EditOrganization, EditPerson, NewOrganization, NewPerson};
use super::list::{ContactList, CustomerList};
use super::profile::PartyProfile;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::path;

/// `/contacts`, `/customers`, the person and organisation forms, `/parties/:id` (the
/// profile) and `/deletion-requests`.
#[component(transparent)]
pub fn PartyRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("contacts") view=ContactList />
        <Route path=path!("customers") view=CustomerList />
        <Route path=path!("people/new") view=NewPerson />
        <Route path=path!("people/:id/edit") view=EditPerson />
        <Route path=path!("organizations/new") view=NewOrganization />
        <Route path=path!("organizations/:id/edit") view=EditOrganization />
        <Route path=path!("parties/:id") view=PartyProfile />
        <Route path=path!("deletion-requests") view=DeletionRequests />
    }
    .into_inner()
    .into_any_nested_route()
}
