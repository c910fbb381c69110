//! `/products`: the catalogue by code, with the list price per currency, each product linking to
//! its page.

use crate::api::documents::{self, Product};
use crate::components::table::{Cell, Column, Row};
use crate::format;
use crate::page::lazy::lazy_part;
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec};
use leptos::prelude::*;

const COLUMNS: &[Column] = &[
    Column::new("Code"),
    Column::new("Name"),
    Column::new("Unit"),
    Column::new("Tax"),
    Column::new("Prices"),
];

fn row(p: &Product) -> Row {
    let mut name = p.name.clone();
    if !p.active {
        name.push_str(" (inactive)");
    }
    let prices: Vec<String> = p.prices.iter().map(format::money).collect();
    Row {
        class: "product-row",
        id: p.id.clone(),
        cells: vec![
            Cell::Link(format!("/products/{}", p.id), p.code.clone()),
            Cell::text(name),
            Cell::text(p.unit.clone()),
            Cell::text(p.tax_category.to_ascii_lowercase()),
            Cell::text(prices.join(" · ")),
        ],
        href: None,
    }
}

lazy_part!(
    /// The catalogue page, fetched on first visit.
    pub fn products_part(props: ProductsPart), chunk = products, load = load_products, view = products_view
);

/// No props.
pub struct ProductsPart;

fn products_view(_: ProductsPart) -> AnyView {
    view! { <ProductsPage /> }.into_any()
}

/// A link to the price lists, for roles that may read them.
fn price_lists_link() -> AnyView {
    let may = crate::components::session::use_session()
        .me
        .with_untracked(|m| m.as_ref().is_some_and(|m| m.can("price_list", "read")));
    may.then(
        || view! { <a id="price-lists-link" class="btn" href="/price-lists">"Price lists"</a> },
    )
    .into_any()
}

/// `/products`.
#[component]
fn ProductsPage() -> impl IntoView {
    let load = rows_from(|q| {
        let (search, inactive, after) = (q.search.clone(), q.checked("inactive"), q.after());
        async move {
            Ok(Found::new(
                &documents::products(&search, inactive, after).await?,
                row,
            ))
        }
    });
    list_page(
        ListSpec::new(
            "Products",
            "products",
            ("product", "products"),
            COLUMNS,
            load,
        )
        .create(&[Create {
            id: "new-product",
            href: "/products/new",
            label: "New product",
            grant: ("product", "create"),
        }])
        .search("product-search")
        .filter(Filter::Check("inactive", "show-inactive", "Show inactive"))
        .tools(price_lists_link())
        .views(),
    )
}
