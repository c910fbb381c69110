//! The pipeline's addresses.

use super::board::PipelineBoard;
use super::form::{EditOpportunity, NewOpportunity};
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::path;

/// `/pipeline` (the board), `/opportunities/new`, `/opportunities/:id`.
#[component(transparent)]
pub fn OpportunityRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("pipeline") view=PipelineBoard />
        <Route path=path!("opportunities/new") view=NewOpportunity />
        <Route path=path!("opportunities/:id") view=EditOpportunity />
    }
    .into_inner()
    .into_any_nested_route()
}
