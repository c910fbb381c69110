//! The home page's address, its page fetched on first visit.

use super::HomePage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/home`, in the tasks page's group: the two share most of their code, and one group
    /// instead of two keeps the shared chunks of every other page from splitting further.
    HomeRoute, chunk = tasks, load = load_home, page = HomePage
);

/// `/home`.
#[component(transparent)]
pub fn HomeRoutes() -> AnyNestedRoute {
    view! { <Route path=path!("home") view={Lazy::<HomeRoute>::new()} /> }
        .into_inner()
        .into_any_nested_route()
}
