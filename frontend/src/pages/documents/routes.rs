//! The sales documents' addresses: one route for all of them (one route's code in the main
//! module), whose page shows the quote list, or fetches the quote page or the catalogue as parts.

use super::products::{products_part, ProductsPart};
use super::quote::{quote_part, QuotePart};
use super::quotes::QuotesPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::hooks::{use_location, use_params_map};
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/quotes`, `/quotes/:id`, `/products`
    DocumentsRoute, chunk = quotes, load = load_documents, page = DocumentsPage
);

/// Which page of the documents an address shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Quotes,
    Quote,
    Products,
}

/// The page of the address: the quote list here, the others fetched on first visit.
#[component]
fn DocumentsPage() -> impl IntoView {
    let location = use_location();
    let params = use_params_map();
    let shown = Memo::new(move |_| {
        if location.pathname.with(|p| p.starts_with("/products")) {
            Shown::Products
        } else if params.with(|p| p.get("id").is_some()) {
            Shown::Quote
        } else {
            Shown::Quotes
        }
    });
    move || match shown.get() {
        Shown::Quotes => view! { <QuotesPage /> }.into_any(),
        Shown::Quote => quote_part(QuotePart),
        Shown::Products => products_part(ProductsPart),
    }
}

/// `/quotes`, `/quotes/:id` (`new` for a new quote), `/products`.
#[component(transparent)]
pub fn DocumentRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("quotes") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("quotes/:id") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("products") view={Lazy::<DocumentsRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
