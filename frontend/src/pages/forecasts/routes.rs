//! The forecast's and the reports' addresses, each page fetched on first visit.

use super::forecast::ForecastPage;
use super::reports::ReportsPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/forecast`
    ForecastRoute, chunk = forecast, load = load_forecast, page = ForecastPage
);
lazy_route!(
    /// `/reports`
    ReportsRoute, chunk = reports, load = load_reports, page = ReportsPage
);

/// `/forecast`, `/reports`.
#[component(transparent)]
pub fn ForecastRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("forecast") view={Lazy::<ForecastRoute>::new()} />
        <Route path=path!("reports") view={Lazy::<ReportsRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
