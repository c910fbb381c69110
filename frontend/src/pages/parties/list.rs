//! `/contacts` and `/customers`: search, filter, sort and page through parties, with a column
//! for each party custom field shown in lists that the caller may read (sortable like the
//! others).

use crate::api::custom_fields::{self, ListColumn};
use crate::api::paging::Direction;
use crate::api::parties::{
    self, CustomerType, ListKind, ListQuery, Listed, OrderField, PartyOrder,
};
use crate::components::table::{Cell, Column, Row};
use crate::page::columns::{custom_cells, custom_key, with_custom};
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

/// Where the custom fields' columns go: before "Updated" on contacts, last on customers.
const CUSTOM_AT: usize = 6;

/// The API's query for the list's query; `custom`: custom fields are shown as columns.
fn list_query(q: &Query, custom: bool) -> ListQuery {
    let key = q.sort_key("NAME");
    let field = match key {
        "CODE" => OrderField::Code,
        "AREA" => OrderField::Area,
        "UPDATED_AT" => OrderField::UpdatedAt,
        k if custom_key(k).is_some() => OrderField::Custom,
        _ => OrderField::Name,
    };
    ListQuery {
        search: q.search.clone(),
        customer_type: CustomerType::parse(q.filter("type")),
        order: PartyOrder {
            field,
            direction: q.direction(),
            custom_key: custom_key(key).map(str::to_owned),
        },
        after: q.after(),
        first: PAGE_SIZE,
        custom_columns: custom,
    }
}

/// One party with the values of `custom` columns; a click anywhere on the row opens its
/// profile, the name is the link.
fn row(kind: ListKind, listed: &Listed, custom: &[ListColumn]) -> Row {
    let p = &listed.party;
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
        ]),
        ListKind::Customers => cells.extend([
            Cell::Text(p.kind.label().to_owned()),
            Cell::or_empty(p.customer_type.map(CustomerType::label)),
            Cell::or_empty(p.area.as_deref()),
            owner,
        ]),
    }
    cells.extend(custom_cells(&listed.custom, custom));
    if kind == ListKind::Contacts {
        cells.push(Cell::Date(p.updated_at.clone()));
    }
    Row {
        class: "party-row",
        id: p.id.clone(),
        cells,
        href: Some(href),
    }
}

/// The list `kind`: its columns first (the party custom fields shown in lists), then the list.
fn party_list(kind: ListKind) -> impl IntoView {
    let custom = LocalResource::new(|| custom_fields::list_columns("PARTY"));
    move || {
        // Without the custom fields (not loaded), the list still works with its own columns.
        let custom: Vec<ListColumn> = custom.get()?.unwrap_or_default();
        Some(party_list_with(kind, custom))
    }
}

fn party_list_with(kind: ListKind, custom: Vec<ListColumn>) -> AnyView {
    let custom = StoredValue::new(custom);
    let load = rows_from(move |q| {
        let shown = custom.get_value();
        let query = list_query(q, !shown.is_empty());
        async move {
            let page = parties::list(kind, &query).await?;
            Ok(Found::new(&page, |p| row(kind, p, &shown)))
        }
    });
    let columns = |base: &'static [Column]| custom.with_value(|c| with_custom(base, CUSTOM_AT, c));
    let spec = match kind {
        ListKind::Contacts => ListSpec::new(
            "Contacts",
            "contacts",
            ("contact", "contacts"),
            columns(CONTACT_COLUMNS),
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
                columns(CUSTOMER_COLUMNS),
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
        let query = list_query(&q, false);
        assert_eq!(query.customer_type, Some(CustomerType::B2c));
        assert_eq!(
            query.order,
            PartyOrder {
                field: OrderField::UpdatedAt,
                direction: Direction::Asc,
                custom_key: None,
            }
        );
        assert_eq!(query.first, PAGE_SIZE);
        q.sort_by("custom.birthday");
        let query = list_query(&q, true);
        assert_eq!(
            query.order,
            PartyOrder {
                field: OrderField::Custom,
                direction: Direction::Asc,
                custom_key: Some("birthday".into()),
            }
        );
        assert!(query.custom_columns);
    }

    #[test]
    fn custom_cells_come_before_a_contact_s_updated_date_and_last_on_a_customer() {
        let custom = [ListColumn {
            key: "birthday".into(),
            label: "Birthday".into(),
            numeric: false,
        }];
        let listed = Listed {
            custom: vec![("birthday".into(), "1990-05-01".into())],
            ..Listed::default()
        };
        let contact = row(ListKind::Contacts, &listed, &custom).cells;
        assert_eq!(contact.len(), CONTACT_COLUMNS.len() + 1);
        assert_eq!(contact[CUSTOM_AT], Cell::Text("1990-05-01".into()));
        assert!(matches!(contact[CUSTOM_AT + 1], Cell::Date(_)));
        let customer = row(ListKind::Customers, &listed, &custom).cells;
        assert_eq!(customer.len(), CUSTOMER_COLUMNS.len() + 1);
        assert_eq!(customer[CUSTOM_AT], Cell::Text("1990-05-01".into()));
    }
}
