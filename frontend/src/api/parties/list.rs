//! The `contacts` and `customers` lists.

use super::{CustomerType, Party, PARTY_FIELDS};
use crate::api::json::FromJson;
use crate::api::paging::{Connection, Direction};
use crate::api::{custom_fields, fetch, ApiError};
use serde::Serialize;
use serde_json::{json, Value};

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
    /// By the custom field `customKey`.
    Custom,
}

/// `PartyOrder`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PartyOrder {
    /// Column.
    pub field: OrderField,
    /// Direction.
    pub direction: Direction,
    /// The custom field's key, with [`OrderField::Custom`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_key: Option<String>,
}

/// A party as the lists show it: the party and the shown values of its custom fields.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Listed {
    pub party: Party,
    /// (key, shown value) of each custom field the caller reads.
    pub custom: Vec<(String, String)>,
}

impl FromJson for Listed {
    fn from_json(v: &Value) -> Self {
        Self {
            party: Party::from_json(v),
            custom: custom_fields::shown_values(&v["customFields"]),
        }
    }
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
    /// The custom fields shown as columns: their values come along.
    pub custom_columns: bool,
}

/// The document of [`list`] for the list `kind`; with `custom`, the shown values of the custom
/// fields too.
pub(crate) fn list_query(kind: ListKind, custom: bool) -> String {
    // `customFields` is a field of each kind of party, not of the interface.
    let custom = if custom {
        "... on Person { customFields { key display } } \
         ... on Organization { customFields { key display } }"
    } else {
        ""
    };
    format!(
        "query Parties($first: Int, $after: String, $filter: PartyFilter, $orderBy: PartyOrder) {{ \
         page: {}(first: $first, after: $after, filter: $filter, orderBy: $orderBy) {{ \
         totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {PARTY_FIELDS} email phone {custom} }} }} }} }}",
        kind.field()
    )
}

/// Loads one page of contacts or customers (never archived ones).
pub async fn list(kind: ListKind, q: &ListQuery) -> Result<Connection<Listed>, ApiError> {
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
    fetch(&list_query(kind, q.custom_columns), variables, "page").await
}
