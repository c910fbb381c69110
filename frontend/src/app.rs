//! The router, and the state shared by the shell and the pages.

use crate::api::auth::Me;
use crate::components::shell::Shell;
use crate::pages::accounts::form::{EditAccount, NewAccount};
use crate::pages::accounts::list::AccountList;
use crate::pages::activities::audit::AuditPage;
use crate::pages::activities::calendar::CalendarPage;
use crate::pages::activities::tasks::TasksPage;
use crate::pages::leads::form::LeadPage;
use crate::pages::leads::forms::{WebFormPage, WebFormsPage};
use crate::pages::leads::list::LeadList;
use crate::pages::leads::lists::{ListPage, ListsPage};
use crate::pages::leads::settings::{MappingPage, RulesPage};
use crate::pages::login::LoginPage;
use crate::pages::opportunities::board::PipelineBoard;
use crate::pages::opportunities::form::{EditOpportunity, NewOpportunity};
use crate::pages::parties::deletion_requests::DeletionRequests;
use crate::pages::parties::form::{EditOrganization, EditPerson, NewOrganization, NewPerson};
use crate::pages::parties::list::{ContactList, CustomerList};
use crate::pages::parties::profile::PartyProfile;
use leptos::prelude::*;
use leptos_router::components::{ParentRoute, Redirect, Route, Router, Routes};
use leptos_router::path;

/// App-wide state, provided once by [`App`].
#[derive(Clone, Copy, Debug)]
pub struct Session {
    /// The signed-in user, once loaded (by `login` or by the shell's `me` query).
    pub me: RwSignal<Option<Me>>,
    /// A one-shot notice for the next page, e.g. "Saved" after creating an account.
    pub flash: RwSignal<Option<String>>,
}

impl Session {
    fn new() -> Self {
        Self {
            me: RwSignal::new(None),
            flash: RwSignal::new(None),
        }
    }

    /// Takes the pending notice, if any.
    pub fn take_flash(&self) -> Option<String> {
        self.flash.try_update(Option::take).flatten()
    }
}

/// The session provided by [`App`].
pub fn use_session() -> Session {
    // Outside `App` (never in practice) a detached session is harmless: nobody is signed in.
    use_context::<Session>().unwrap_or_else(Session::new)
}

/// Sets the browser tab title.
pub fn set_title(page: &str) {
    document().set_title(&format!("{page} · CRM"));
}

/// Root component: routes and shared state.
#[component]
pub fn App() -> impl IntoView {
    provide_context(Session::new());
    view! {
        <Router>
            <Routes fallback=NotFound>
                <Route path=path!("/login") view=LoginPage />
                <ParentRoute path=path!("") view=Shell>
                    <Route path=path!("") view=|| view! { <Redirect path="/accounts" /> } />
                    <Route path=path!("accounts") view=AccountList />
                    <Route path=path!("accounts/new") view=NewAccount />
                    <Route path=path!("accounts/:id") view=EditAccount />
                    <Route path=path!("contacts") view=ContactList />
                    <Route path=path!("customers") view=CustomerList />
                    <Route path=path!("people/new") view=NewPerson />
                    <Route path=path!("people/:id/edit") view=EditPerson />
                    <Route path=path!("organizations/new") view=NewOrganization />
                    <Route path=path!("organizations/:id/edit") view=EditOrganization />
                    <Route path=path!("parties/:id") view=PartyProfile />
                    <Route path=path!("deletion-requests") view=DeletionRequests />
                    <Route path=path!("pipeline") view=PipelineBoard />
                    <Route path=path!("opportunities/new") view=NewOpportunity />
                    <Route path=path!("opportunities/:id") view=EditOpportunity />
                    <Route path=path!("calendar") view=CalendarPage />
                    <Route path=path!("tasks") view=TasksPage />
                    <Route path=path!("audit") view=AuditPage />
                    <Route path=path!("leads") view=LeadList />
                    <Route path=path!("leads/:id") view=LeadPage />
                    <Route path=path!("lists") view=ListsPage />
                    <Route path=path!("lists/:id") view=ListPage />
                    <Route path=path!("web-forms") view=WebFormsPage />
                    <Route path=path!("web-forms/:id") view=WebFormPage />
                    <Route path=path!("settings/lead-mapping") view=MappingPage />
                    <Route path=path!("settings/assignment-rules") view=RulesPage />
                </ParentRoute>
            </Routes>
        </Router>
    }
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
                <a class="btn btn-primary" href="/accounts">"Go to accounts"</a>
            </div>
        </main>
    }
}
