//! The home page's address, its page fetched on first visit.

use super::HomePage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/home`, the landing page, in a group of its own that `index.html` preloads.
    HomeRoute, chunk = home, load = load_home, page = HomePage
);

/// `/home`.
#[component(transparent)]
pub fn HomeRoutes() -> AnyNestedRoute {
    view! { <Route path=path!("home") view={Lazy::<HomeRoute>::new()} /> }
        .into_inner()
        .into_any_nested_route()
}
