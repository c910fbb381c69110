//! `/contacts` and `/customers`: search, filter, sort and page through parties.

use crate::api::paging::Direction;
use crate::api::parties::{self, CustomerType, ListKind, ListQuery, OrderField, Party, PartyOrder};
use crate::components::table::{Cell, Column, Row};
use crate::page::list::{list_page, rows_from, Create, Filter, Found, ListSpec, Query};
use leptos::prelude::*;

/// Rows per page.
const PAGE_SIZE: u32 = 25;

const NEW_PERSON: Create = Create {
    id: "new-person",
    href: "/people/new",
    label: "New person",
    grant: ("party", "create"),
};

const CONTACT_COLUMNS: &[Column] = &[
    Column::sorted("Code", "CODE").class("code"),
    Column::sorted("Name", "NAME").class("name"),
    Column::new("E-mail"),
    Column::new("Phone"),
    Column::sorted("Area", "AREA"),
    Column::new("Owner"),
    Column::sorted("Updated", "UPDATED_AT"),
];

const CUSTOMER_COLUMNS: &[Column] = &[
    Column::sorted("Code", "CODE").class("code"),
    Column::sorted("Name", "NAME").class("name"),
    Column::new("Kind"),
    Column::new("Type").class("customer-type"),
    Column::sorted("Area", "AREA"),
    Column::new("Owner"),
];

/// The API's query for the list's query.
fn list_query(q: &Query) -> ListQuery {
    let field = match q.sort_key("NAME") {
        "CODE" => OrderField::Code,
        "AREA" => OrderField::Area,
        "UPDATED_AT" => OrderField::UpdatedAt,
        _ => OrderField::Name,
    };
    ListQuery {
        search: q.search.clone(),
        customer_type: CustomerType::parse(q.filter("type")),
        order: PartyOrder {
            field,
            direction: q.direction(),
        },
        after: q.after(),
        first: PAGE_SIZE,
    }
}

/// One party; a click anywhere on the row opens its profile, the name is the link.
fn row(kind: ListKind, p: &Party) -> Row {
    let href = p.profile_href();
    let owner = Cell::or_empty(p.owner.as_ref().map(|o| o.display_name.as_str()));
    let mut cells = vec![
        Cell::Text(p.code.clone()),
        Cell::Link(href.clone(), p.display_name.clone()),
    ];
    match kind {
        ListKind::Contacts => cells.extend([
            Cell::or_empty(p.email.as_deref()),
            Cell::or_empty(p.phone.as_deref()),
            Cell::or_empty(p.area.as_deref()),
            owner,
            Cell::Date(p.updated_at.clone()),
        ]),
        ListKind::Customers => cells.extend([
            Cell::Text(p.kind.label().to_owned()),
            Cell::or_empty(p.customer_type.map(CustomerType::label)),
            Cell::or_empty(p.area.as_deref()),
            owner,
        ]),
    }
    Row {
        class: "party-row",
        id: p.id.clone(),
        cells,
        href: Some(href),
    }
}

fn party_list(kind: ListKind) -> AnyView {
    let load = rows_from(move |q| {
        let query = list_query(q);
        async move {
            let page = parties::list(kind, &query).await?;
            Ok(Found::new(&page, |p| row(kind, p)))
        }
    });
    let spec = match kind {
        ListKind::Contacts => ListSpec::new(
            "Contacts",
            "contacts",
            ("contact", "contacts"),
            CONTACT_COLUMNS,
            load,
        )
        .create(&[NEW_PERSON])
        .search("contact-search"),
        ListKind::Customers => {
            let types = Signal::stored(
                CustomerType::ALL
                    .iter()
                    .map(|t| (t.as_str().to_owned(), t.label().to_owned()))
                    .collect::<Vec<_>>(),
            );
            ListSpec::new(
                "Customers",
                "customers",
                ("customer", "customers"),
                CUSTOMER_COLUMNS,
                load,
            )
            .create(&[
                NEW_PERSON,
                Create {
                    id: "new-organization",
                    href: "/organizations/new",
                    label: "New organisation",
                    grant: ("party", "create"),
                },
            ])
            .search("customer-search")
            .filter(Filter::Select(
                "type",
                "customer-type-filter",
                "Type",
                "All",
                types,
            ))
        }
    };
    list_page(spec.sort("NAME", Direction::Asc).views())
}

/// `/contacts`: people with the CONTACT role.
#[component]
pub fn ContactList() -> impl IntoView {
    party_list(ListKind::Contacts)
}

/// `/customers`: parties with the CUSTOMER role, B2B and B2C.
#[component]
pub fn CustomerList() -> impl IntoView {
    party_list(ListKind::Customers)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_filter_and_the_order_go_into_the_query() {
        let mut q = Query::new(Some(("NAME", Direction::Asc)), &["type"]);
        q.set_filter("type", "B2C".into());
        q.sort_by("UPDATED_AT");
        let query = list_query(&q);
        assert_eq!(query.customer_type, Some(CustomerType::B2c));
        assert_eq!(
            query.order,
            PartyOrder {
                field: OrderField::UpdatedAt,
                direction: Direction::Asc
            }
        );
        assert_eq!(query.first, PAGE_SIZE);
    }
}
