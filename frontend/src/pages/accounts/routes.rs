//! The accounts' addresses. `/accounts` is the landing page and stays in the main module.

use super::form::{EditAccount, NewAccount};
use super::list::AccountList;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::path;

/// `/accounts`, `/accounts/new`, `/accounts/:id`.
#[component(transparent)]
pub fn AccountRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("accounts") view=AccountList />
        <Route path=path!("accounts/new") view=NewAccount />
        <Route path=path!("accounts/:id") view=EditAccount />
    }
    .into_inner()
    .into_any_nested_route()
}
