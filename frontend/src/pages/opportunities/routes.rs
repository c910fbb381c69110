//! The pipeline's addresses; the board and the opportunity form are fetched on first visit.

use super::board::PipelineBoard;
use super::form::{EditOpportunity, NewOpportunity};
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/pipeline`
    BoardRoute, chunk = pipeline_board, load = load_board, page = PipelineBoard
);
lazy_route!(
    /// `/opportunities/new`
    NewOpportunityRoute, chunk = opportunity_form, load = load_new_opportunity, page = NewOpportunity
);
lazy_route!(
    /// `/opportunities/:id`
    EditOpportunityRoute, chunk = opportunity_form, load = load_edit_opportunity, page = EditOpportunity
);

/// `/pipeline` (the board), `/opportunities/new`, `/opportunities/:id`.
#[component(transparent)]
pub fn OpportunityRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("pipeline") view={Lazy::<BoardRoute>::new()} />
        <Route path=path!("opportunities/new") view={Lazy::<NewOpportunityRoute>::new()} />
        <Route path=path!("opportunities/:id") view={Lazy::<EditOpportunityRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
