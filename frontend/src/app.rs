//! The router: the shell, the sign-in page, and each domain's routes. Pages live with
//! their domain under `pages/`; the state they share with the shell is in
//! `components::session`.

use crate::components::session::{set_title, Session};
use crate::components::shell::Shell;
use crate::page::form::{record_form, FormSpec};
use crate::page::list::{list_page, ListSpec};
use crate::pages::accounts::routes::AccountRoutes;
use crate::pages::activities::routes::ActivityRoutes;
use crate::pages::billing::routes::BillingRoutes;
use crate::pages::documents::routes::DocumentRoutes;
use crate::pages::forecasts::routes::ForecastRoutes;
use crate::pages::home::routes::HomeRoutes;
use crate::pages::leads::routes::LeadRoutes;
use crate::pages::login::LoginRoute;
use crate::pages::opportunities::routes::OpportunityRoutes;
use crate::pages::parties::routes::PartyRoutes;
use crate::pages::settings::routes::SettingsRoutes;
use crate::pages::welcome::WelcomeRoute;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::{path, Lazy};

/// Root component: routes and shared state.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::new());
    keep_page_layer();
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view={Lazy::<LoginRoute>::new()} />
                <Route path=path!("/welcome") view={Lazy::<WelcomeRoute>::new()} />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=|| view! { <Redirect path="/home" /> } />
                    <HomeRoutes />
                    <AccountRoutes />
                    <PartyRoutes />
                    <OpportunityRoutes />
                    <ActivityRoutes />
                    <LeadRoutes />
                    <ForecastRoutes />
                    <DocumentRoutes />
                    <BillingRoutes />
                    <SettingsRoutes />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// Keeps the page layer (the list page, the record form and what they draw with) in the main
/// module: the splitter leaves there what the main module reaches, so the page groups share
/// this one copy instead of each carrying its own in its bundle.
fn keep_page_layer() {
    std::hint::black_box((
        list_page as fn(ListSpec) -> AnyView,
        record_form as fn(FormSpec) -> AnyView,
    ));
}

/// Shown for an address that matches no page.
#[component]
fn NotFound() -> impl IntoView {
    set_title("Not found");
    view! {
        <main class="centered-page">
            <div class="card narrow">
                <h1>"Page not found"</h1>
                <p>"There is nothing at this address."</p>
                <a class="btn btn-primary" href="/home">"Go home"</a>
            </div>
        </main>
    }
}
