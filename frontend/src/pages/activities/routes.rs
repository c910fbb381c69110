//! The activities' addresses. (Logging an activity and the record timeline are parts of
//! other pages; the overdue badge and reminders are part of the shell.)

use super::audit::AuditPage;
use super::calendar::CalendarPage;
use super::tasks::TasksPage;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::path;

/// `/calendar`, `/tasks`, `/audit`.
#[component(transparent)]
pub fn ActivityRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("calendar") view=CalendarPage />
        <Route path=path!("tasks") view=TasksPage />
        <Route path=path!("audit") view=AuditPage />
    }
    .into_inner()
    .into_any_nested_route()
}
