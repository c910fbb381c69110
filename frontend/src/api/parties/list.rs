//! The `contacts` and `customers` lists.

use super::{CustomerType, Party, PARTY_FIELDS};
use crate::api::paging::{Connection, Direction};
use crate::api::{fetch, ApiError};
use serde::Serialize;
use serde_json::json;

/// Which list of parties.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ListKind {
    /// People with the CONTACT role (`contacts`).
    Contacts,
    /// Parties with the CUSTOMER role (`customers`).
    Customers,
}

impl ListKind {
    /// Both lists.
    #[cfg(test)]
    pub const ALL: [ListKind; 2] = [ListKind::Contacts, ListKind::Customers];

    /// The query field.
    fn field(self) -> &'static str {
        match self {
            ListKind::Contacts => "contacts",
            ListKind::Customers => "customers",
        }
    }
}

/// Sortable columns (`PartyOrderField`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum OrderField {
    /// By code.
    Code,
    /// By name.
    Name,
    /// By area.
    Area,
    /// By time of the last change.
    UpdatedAt,
}

/// `PartyOrder`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct PartyOrder {
    /// Column.
    pub field: OrderField,
    /// Direction.
    pub direction: Direction,
}

/// One page of a filtered, sorted list.
#[derive(Clone, Debug, PartialEq)]
pub struct ListQuery {
    /// Free-text search; empty means none.
    pub search: String,
    /// Only customers of this type.
    pub customer_type: Option<CustomerType>,
    /// Sort order.
    pub order: PartyOrder,
    /// Keyset cursor of the last row of the previous page.
    pub after: Option<String>,
    /// Page size.
    pub first: u32,
}

/// The document of [`list`] for the list `kind`.
pub(crate) fn list_query(kind: ListKind) -> String {
    format!(
        "query Parties($first: Int, $after: String, $filter: PartyFilter, $orderBy: PartyOrder) {{ \
         page: {}(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {PARTY_FIELDS} email phone }} }} }} }}",
        kind.field()
    )
}

/// Loads one page of contacts or customers (never archived ones).
pub async fn list(kind: ListKind, q: &ListQuery) -> Result<Connection<Party>, ApiError> {
    let mut filter = json!({ "archived": false });
    let search = q.search.trim();
    if !search.is_empty() {
        filter["search"] = json!(search);
    }
    if let Some(customer_type) = q.customer_type {
        filter["customerType"] = json!(customer_type);
    }
    let variables = json!({
        "first": q.first,
        "after": q.after,
        "filter": filter,
        "orderBy": q.order,
    });
    fetch(&list_query(kind), variables, "page").await
}
