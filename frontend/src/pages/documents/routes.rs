//! The sales documents' addresses: one route for all of them (one route's code in the main
//! module), whose page shows the quote list, or fetches the quote page or the catalogue as parts.

use super::enquiries::{enquiry_part, EnquiriesPage, EnquiryPart};
use super::price_lists::{price_lists_part, PriceListsPart};
use super::product::{product_part, ProductPart};
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
    /// `/quotes`, `/quotes/:id`, `/products`, `/price-lists` and their pages
    DocumentsRoute, chunk = quotes, load = load_documents, page = DocumentsPage
);

/// Which page of the documents an address shows.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Shown {
    Quotes,
    Quote,
    Products,
    /// A product, or (`true`) the new-product form.
    Product(bool),
    PriceLists,
    /// A price list, or (`true`) the new one.
    PriceList(bool),
    Enquiries,
    Enquiry,
}

/// The page of the address: the quote list here, the others fetched on first visit.
#[component]
fn DocumentsPage() -> impl IntoView {
    let location = use_location();
    let params = use_params_map();
    let shown = Memo::new(move |_| {
        let id = params.with(|p| p.get("id"));
        let new = id.as_deref() == Some("new");
        if location.pathname.with(|p| p.starts_with("/products")) {
            if id.is_some() {
                Shown::Product(new)
            } else {
                Shown::Products
            }
        } else if location.pathname.with(|p| p.starts_with("/price-lists")) {
            if id.is_some() {
                Shown::PriceList(new)
            } else {
                Shown::PriceLists
            }
        } else if location.pathname.with(|p| p.starts_with("/enquiries")) {
            if id.is_some() {
                Shown::Enquiry
            } else {
                Shown::Enquiries
            }
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
        Shown::Enquiries => view! { <EnquiriesPage /> }.into_any(),
        Shown::Enquiry => enquiry_part(EnquiryPart),
        Shown::Product(_) => product_part(ProductPart),
        Shown::PriceLists | Shown::PriceList(_) => price_lists_part(PriceListsPart),
    }
}

/// `/quotes`, `/quotes/:id` (`new` for a new quote), `/products`, `/products/:id`, `/price-lists`,
/// `/price-lists/:id` (`new` for new ones), `/enquiries`, `/enquiries/:id`.
#[component(transparent)]
pub fn DocumentRoutes() -> AnyNestedRoute {
    view! {
        <Route path=path!("quotes") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("quotes/:id") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("products") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("enquiries") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("enquiries/:id") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("products/:id") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("price-lists") view={Lazy::<DocumentsRoute>::new()} />
        <Route path=path!("price-lists/:id") view={Lazy::<DocumentsRoute>::new()} />
    }
    .into_inner()
    .into_any_nested_route()
}
