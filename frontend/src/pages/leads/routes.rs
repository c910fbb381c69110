//! The leads' addresses; each page group is fetched on first visit.

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
    /// `/leads`
    LeadsRoute, chunk = leads, load = load_leads, page = LeadList
);
lazy_route!(
    /// `/leads/:id`
    LeadRoute, chunk = lead_page, load = load_lead, page = LeadPage
);
lazy_route!(
    /// `/lists`
    ListsRoute, chunk = contact_lists, load = load_lists, page = ListsPage
);
lazy_route!(
    /// `/lists/:id`
    ListRoute, chunk = contact_list, load = load_list, page = ListPage
);
lazy_route!(
    /// `/web-forms`
    WebFormsRoute, chunk = web_forms, load = load_web_forms, page = WebFormsPage
);
lazy_route!(
    /// `/web-forms/:id`
    WebFormRoute, chunk = web_form, load = load_web_form, page = WebFormPage
);
lazy_route!(
    /// `/settings/lead-mapping`
    MappingRoute, chunk = lead_mapping, load = load_mapping, page = MappingPage
);
lazy_route!(
    /// `/settings/assignment-rules`
    RulesRoute, chunk = assignment_rules, load = load_rules, page = RulesPage
);

/// `/leads`, `/leads/:id`, `/lists`, `/lists/:id`, `/web-forms`, `/web-forms/:id` and the
/// lead settings.
#[component(transparent)]
pub fn LeadRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("leads") view={Lazy::<LeadsRoute>::new()} />
        <Route path=path!("leads/:id") view={Lazy::<LeadRoute>::new()} />
        <Route path=path!("lists") view={Lazy::<ListsRoute>::new()} />
        <Route path=path!("lists/:id") view={Lazy::<ListRoute>::new()} />
        <Route path=path!("web-forms") view={Lazy::<WebFormsRoute>::new()} />
        <Route path=path!("web-forms/:id") view={Lazy::<WebFormRoute>::new()} />
        <Route path=path!("settings/lead-mapping") view={Lazy::<MappingRoute>::new()} />
        <Route path=path!("settings/assignment-rules") view={Lazy::<RulesRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
