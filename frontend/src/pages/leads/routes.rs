//! The leads' addresses. Web forms and the lead settings are rarely opened: their pages
//! are fetched on first visit.

use super::form::LeadPage;
use super::forms::{WebFormPage, WebFormsPage};
use super::list::LeadList;
use super::lists::{ListPage, ListsPage};
use super::settings::{MappingPage, RulesPage};
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/web-forms`
    WebFormsRoute, chunk = web_forms, load = load_web_forms, page = WebFormsPage
);
lazy_route!(
    /// `/web-forms/:id`
    WebFormRoute, chunk = web_forms, load = load_web_form, page = WebFormPage
);
lazy_route!(
    /// `/settings/lead-mapping`
    MappingRoute, chunk = lead_settings, load = load_mapping, page = MappingPage
);
lazy_route!(
    /// `/settings/assignment-rules`
    RulesRoute, chunk = lead_settings, load = load_rules, page = RulesPage
);

/// `/leads`, `/leads/:id`, `/lists`, `/lists/:id`, `/web-forms`, `/web-forms/:id` and the
/// lead settings.
#[component(transparent)]
pub fn LeadRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("leads") view=LeadList />
        <Route path=path!("leads/:id") view=LeadPage />
        <Route path=path!("lists") view=ListsPage />
        <Route path=path!("lists/:id") view=ListPage />
        <Route path=path!("web-forms") view={Lazy::<WebFormsRoute>::new()} />
        <Route path=path!("web-forms/:id") view={Lazy::<WebFormRoute>::new()} />
        <Route path=path!("settings/lead-mapping") view={Lazy::<MappingRoute>::new()} />
        <Route path=path!("settings/assignment-rules") view={Lazy::<RulesRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
