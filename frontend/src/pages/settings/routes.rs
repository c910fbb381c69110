//! The administration's addresses and `/account`: one page group fetched on first visit (the
//! users, teams and custom fields pages and the own account page, chosen by the address), and
//! the roles and pick-lists pages in a second group (the roles page's parts in their own).

use super::account::AccountPage;
use super::custom_fields::CustomFieldsPage;
use super::picklists::PicklistsPage;
use super::roles::RolesPage;
use super::teams::TeamsPage;
use super::users::UsersPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

/// The page of the administration address shown: one loader for the whole page group, so each
/// page costs the first load no loader of its own.
#[component]
fn AdministrationPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    match path.trim_end_matches('/') {
        "/settings/teams" => view! { <TeamsPage /> }.into_any(),
        "/settings/custom-fields" => view! { <CustomFieldsPage /> }.into_any(),
        "/account" => view! { <AccountPage /> }.into_any(),
        _ => view! { <UsersPage /> }.into_any(),
    }
}

lazy_route!(
    /// `/settings/users`, `/settings/teams`, `/settings/custom-fields`, `/account`
    AdministrationRoute, chunk = administration, load = load_administration, page = AdministrationPage
);
/// The roles page, or the pick-lists page: the second administration group (the first is full).
#[component]
fn RolesOrPicklistsPage() -> impl IntoView {
    let path = leptos_router::hooks::use_location()
        .pathname
        .get_untracked();
    match path.trim_end_matches('/') {
        "/settings/picklists" => view! { <PicklistsPage /> }.into_any(),
        _ => view! { <RolesPage /> }.into_any(),
    }
}

lazy_route!(
    /// `/settings/roles`, `/settings/picklists`
    RolesRoute, chunk = roles, load = load_roles, page = RolesOrPicklistsPage
);

/// `/settings/users`, `/settings/teams`, `/settings/roles`, `/settings/custom-fields`,
/// `/settings/picklists`, `/account`.
#[component(transparent)]
pub fn SettingsRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("settings/users") view={Lazy::<AdministrationRoute>::new()} />
        <Route path=path!("settings/teams") view={Lazy::<AdministrationRoute>::new()} />
        <Route path=path!("settings/roles") view={Lazy::<RolesRoute>::new()} />
        <Route path=path!("settings/custom-fields") view={Lazy::<AdministrationRoute>::new()} />
        <Route path=path!("settings/picklists") view={Lazy::<RolesRoute>::new()} />
        <Route path=path!("account") view={Lazy::<AdministrationRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
