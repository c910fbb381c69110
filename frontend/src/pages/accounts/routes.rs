//! The accounts' addresses, one page group fetched on first visit (the list and the form).

use super::form::{EditAccount, NewAccount};
use super::list::AccountList;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/accounts`
    AccountListRoute, chunk = accounts, load = load_account_list, page = AccountList
);
lazy_route!(
    /// `/accounts/new`
    NewAccountRoute, chunk = accounts, load = load_new_account, page = NewAccount
);
lazy_route!(
    /// `/accounts/:id`
    EditAccountRoute, chunk = accounts, load = load_edit_account, page = EditAccount
);

/// `/accounts`, `/accounts/new`, `/accounts/:id`.
#[component(transparent)]
pub fn AccountRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("accounts") view={Lazy::<AccountListRoute>::new()} />
        <Route path=path!("accounts/new") view={Lazy::<NewAccountRoute>::new()} />
        <Route path=path!("accounts/:id") view={Lazy::<EditAccountRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
