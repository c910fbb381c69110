//! Sorting of party lists (accounts, contacts, customers, parties) for keyset pagination.

use std::collections::HashMap;

use entity::parties::parties;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{Condition, ConnectionTrait};
use uuid::Uuid;

use crate::auth::RequestCtx;
use crate::domain::custom_fields::rules::CustomObject;
use crate::domain::custom_fields::sort::CustomSort;
use crate::error::{AppError, AppResult};
use crate::kit::paging::SortValue;

/// A column parties can be sorted by.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum SortField {
    Code,
    Name,
    Area,
    Industry,
    CreatedAt,
    UpdatedAt,
    /// A custom field's value.
    Custom(CustomSort),
}

/// The sort values of a page's rows where they are not on the row itself (a custom field's),
/// by row id; see [`SortKey::keys`].
pub type Keys = HashMap<Uuid, SortValue>;

/// A full ordering: field, direction, ties broken by id.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct SortKey {
    pub field: SortField,
    pub desc: bool,
}

fn col(c: parties::Column) -> Expr {
    Expr::col((parties::Entity, c))
}

/// The custom field a list's order names: with `custom` (its `field: CUSTOM`), the live field
/// `key` of `object` among `defs` that the caller may read; `None` without. A key without
/// `CUSTOM`, or `CUSTOM` without a key, is refused on `{path}.customKey`.
pub fn custom_field(
    defs: &[entity::custom_fields::custom_fields::Model],
    ctx: &RequestCtx,
    object: CustomObject,
    (custom, key): (bool, Option<&str>),
    path: &str,
) -> AppResult<Option<SortField>> {
    let key_path = format!("{path}.customKey");
    match (custom, key) {
        (false, None) => Ok(None),
        (false, Some(_)) => Err(AppError::bad_input(key_path, "is only for field CUSTOM")),
        (true, None) => Err(AppError::bad_input(
            key_path,
            "is required to sort by a custom field",
        )),
        (true, Some(key)) => Ok(Some(SortField::Custom(CustomSort::resolve(
            defs, ctx, object, key, &key_path,
        )?))),
    }
}

impl SortKey {
    /// A stable name of the ordering, stored in cursors.
    pub fn key(&self) -> String {
        let field = match self.field {
            SortField::Custom(c) => c.key(),
            f => format!("{f:?}"),
        };
        format!("{}_{}", field, if self.desc { "DESC" } else { "ASC" }).to_uppercase()
    }

    /// The SQL sorted on. Optional text sorts as empty text, so keyset comparisons never meet NULL.
    pub fn expr(&self) -> Expr {
        let coalesce = |c| Expr::from(Func::coalesce([col(c), Expr::val("")]));
        match self.field {
            SortField::Code => col(parties::Column::Code),
            SortField::Name => col(parties::Column::SortName),
            SortField::Area => coalesce(parties::Column::Area),
            SortField::Industry => coalesce(parties::Column::Industry),
            SortField::CreatedAt => col(parties::Column::CreatedAt),
            SortField::UpdatedAt => col(parties::Column::UpdatedAt),
            SortField::Custom(c) => c.expr(col(parties::Column::Id)),
        }
    }

    /// The sort values of `rows` that are not on the rows themselves: a custom field's, one
    /// statement; none (and no statement) for the other fields.
    pub async fn keys(
        &self,
        db: &impl ConnectionTrait,
        rows: &[parties::Model],
    ) -> AppResult<Keys> {
        match self.field {
            SortField::Custom(c) => {
                let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
                c.values(db, &ids).await
            }
            _ => Ok(Keys::new()),
        }
    }

    /// The sort key of a row, for its cursor (`keys` from [`Self::keys`] of its page).
    pub fn value(&self, m: &parties::Model, keys: &Keys) -> SortValue {
        match self.field {
            SortField::Code => SortValue::Text(m.code.clone()),
            SortField::Name => SortValue::Text(m.sort_name.clone()),
            SortField::Area => SortValue::Text(m.area.clone().unwrap_or_default()),
            SortField::Industry => SortValue::Text(m.industry.clone().unwrap_or_default()),
            SortField::CreatedAt => SortValue::Time(m.created_at),
            SortField::UpdatedAt => SortValue::Time(m.updated_at),
            SortField::Custom(c) => keys.get(&m.id).cloned().unwrap_or_else(|| c.missing()),
        }
    }

    /// The ORDER BY direction.
    pub fn order(&self) -> sea_orm::Order {
        if self.desc {
            sea_orm::Order::Desc
        } else {
            sea_orm::Order::Asc
        }
    }

    /// Rows strictly after `(key, id)` in this order.
    pub fn after(&self, key: &SortValue, id: uuid::Uuid) -> Condition {
        let k: Expr = match key {
            SortValue::Text(s) => Expr::val(s.clone()),
            SortValue::Time(t) => Expr::val(*t),
            SortValue::Number(n) => Expr::val(*n),
        };
        let sort = self.expr();
        let idc = col(parties::Column::Id);
        if self.desc {
            Condition::any()
                .add(sort.clone().lt(k.clone()))
                .add(Condition::all().add(sort.eq(k)).add(idc.lt(id)))
        } else {
            Condition::any()
                .add(sort.clone().gt(k.clone()))
                .add(Condition::all().add(sort.eq(k)).add(idc.gt(id)))
        }
    }
}

/// A connection over one keyset page of parties: each edge's cursor is its row's position in `sort`
/// (`keys` from [`SortKey::keys`] of the page).
pub fn connection<T: async_graphql::OutputType>(
    rows: Vec<parties::Model>,
    has_previous: bool,
    has_next: bool,
    (sort, keys): (SortKey, &Keys),
    total: crate::kit::paging::TotalCount,
    node: impl Fn(parties::Model) -> T,
) -> async_graphql::connection::Connection<String, T, crate::kit::paging::TotalCount> {
    crate::kit::paging::connection(
        rows,
        has_previous,
        has_next,
        total,
        |m| crate::kit::paging::Cursor {
            o: sort.key(),
            k: sort.value(m, keys),
            id: m.id,
        },
        node,
    )
}
