//! The accounts' addresses. Accounts are the landing domain: the list (`/accounts`) and the
//! account form are in the main module, and with the form the page layer every record form
//! uses, so the other forms' chunks carry only their own code.

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
