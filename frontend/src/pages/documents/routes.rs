//! The sales documents' addresses; quotes and products each load on first visit.

use super::products::ProductsPage;
use super::quote::{NewQuotePage, QuotePage};
use super::quotes::QuotesPage;
use crate::components::lazy::lazy_route;
use leptos::prelude::*;
use leptos_router::any_nested_route::{AnyNestedRoute, IntoAnyNestedRoute};
use leptos_router::components::Route;
use leptos_router::{path, Lazy};

lazy_route!(
    /// `/quotes`
    QuotesRoute, chunk = quotes, load = load_quotes, page = QuotesPage
);
lazy_route!(
    /// `/quotes/new`
    NewQuoteRoute, chunk = quote_page, load = load_new_quote, page = NewQuotePage
);
lazy_route!(
    /// `/quotes/:id`
    QuoteRoute, chunk = quote_page, load = load_quote, page = QuotePage
);
lazy_route!(
    /// `/products`
    ProductsRoute, chunk = products, load = load_products, page = ProductsPage
);

/// `/quotes`, `/quotes/new`, `/quotes/:id`, `/products`.
#[component(transparent)]
pub fn DocumentRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("quotes") view={Lazy::<QuotesRoute>::new()} />
        <Route path=path!("quotes/new") view={Lazy::<NewQuoteRoute>::new()} />
        <Route path=path!("quotes/:id") view={Lazy::<QuoteRoute>::new()} />
        <Route path=path!("products") view={Lazy::<ProductsRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
