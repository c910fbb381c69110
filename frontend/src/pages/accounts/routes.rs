//! The accounts' addresses. `/accounts` is the landing page and stays in the main module;
//! the account form is fetched on first visit.

use super::form::{EditAccount, NewAccount};
use super::list::AccountList;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/accounts/new`
    NewAccountRoute, chunk = account_form, load = load_new_account, page = NewAccount
);
lazy_route!(
    /// `/accounts/:id`
    EditAccountRoute, chunk = account_form, load = load_edit_account, page = EditAccount
);

/// `/accounts`, `/accounts/new`, `/accounts/:id`.
#[component(transparent)]
pub fn AccountRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("accounts") view=AccountList />
        <Route path=path!("accounts/new") view={Lazy::<NewAccountRoute>::new()} />
        <Route path=path!("accounts/:id") view={Lazy::<EditAccountRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
