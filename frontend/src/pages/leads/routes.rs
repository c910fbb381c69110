//! The leads' addresses.

use super::form::LeadPage;
use super::forms::{WebFormPage, WebFormsPage};
use super::list::LeadList;
use super::lists::{ListPage, ListsPage};
use super::settings::{MappingPage, RulesPage};
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::path;

/// `/leads`, `/leads/:id`, `/lists`, `/lists/:id`, `/web-forms`, `/web-forms/:id` and the
/// lead settings.
#[component(transparent)]
pub fn LeadRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("leads") view=LeadList />
        <Route path=path!("leads/:id") view=LeadPage />
        <Route path=path!("lists") view=ListsPage />
        <Route path=path!("lists/:id") view=ListPage />
        <Route path=path!("web-forms") view=WebFormsPage />
        <Route path=path!("web-forms/:id") view=WebFormPage />
        <Route path=path!("settings/lead-mapping") view=MappingPage />
        <Route path=path!("settings/assignment-rules") view=RulesPage />
    }
    .into_inner()
    .into_any_nested_route()
}
