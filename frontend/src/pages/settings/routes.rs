//! The administration's addresses and `/account`, one page group fetched on first visit.

use super::account::AccountPage;
use super::custom_fields::CustomFieldsPage;
use super::roles::RolesPage;
use super::teams::TeamsPage;
use super::users::UsersPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/settings/users`
    UsersRoute, chunk = administration, load = load_users, page = UsersPage
);
lazy_route!(
    /// `/settings/teams`
    TeamsRoute, chunk = administration, load = load_teams, page = TeamsPage
);
lazy_route!(
    /// `/settings/roles`
    RolesRoute, chunk = roles, load = load_roles, page = RolesPage
);
lazy_route!(
    /// `/settings/custom-fields`
    CustomFieldsRoute, chunk = administration, load = load_custom_fields, page = CustomFieldsPage
);
lazy_route!(
    /// `/account`
    AccountRoute, chunk = administration, load = load_account, page = AccountPage
);

/// `/settings/users`, `/settings/teams`, `/settings/roles`, `/settings/custom-fields`, `/account`.
#[component(transparent)]
pub fn SettingsRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("settings/users") view={Lazy::<UsersRoute>::new()} />
        <Route path=path!("settings/teams") view={Lazy::<TeamsRoute>::new()} />
        <Route path=path!("settings/roles") view={Lazy::<RolesRoute>::new()} />
        <Route path=path!("settings/custom-fields") view={Lazy::<CustomFieldsRoute>::new()} />
        <Route path=path!("account") view={Lazy::<AccountRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
