//! The activities' addresses, each page fetched on first visit. (Logging an activity and
//! the record timeline are parts of other pages; the overdue badge and reminders are part
//! of the shell.)

use super::audit::AuditPage;
use super::calendar::CalendarPage;
use super::tasks::TasksPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/calendar`
    CalendarRoute, chunk = calendar, load = load_calendar, page = CalendarPage
);
lazy_route!(
    /// `/tasks`
    TasksRoute, chunk = tasks, load = load_tasks, page = TasksPage
);
lazy_route!(
    /// `/audit`
    AuditRoute, chunk = audit, load = load_audit, page = AuditPage
);

/// `/calendar`, `/tasks`, `/audit`.
#[component(transparent)]
pub fn ActivityRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("calendar") view={Lazy::<CalendarRoute>::new()} />
        <Route path=path!("tasks") view={Lazy::<TasksRoute>::new()} />
        <Route path=path!("audit") view={Lazy::<AuditRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
