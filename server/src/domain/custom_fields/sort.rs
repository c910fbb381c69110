//! Ordering a list by a custom field: the record's value of the field as a correlated sub-select
//! on the (field, record) key, so the page stays one statement; records without a value sort as
//! empty text or as [`NO_NUMBER`], before every value. A page's cursors read the page's values
//! of the field in one statement more.

use std::collections::HashMap;

use async_graphql::InputObject;
use entity::custom_fields::{custom_field_values as values, custom_fields};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::rules::CustomObject;
use super::service;
use crate::auth::RequestCtx;
use crate::domain::accounts::filter::SortDirection;
use crate::error::{AppError, AppResult};
use crate::kit::paging::SortValue;

/// An order by a custom field, for lists whose own order is a choice of fixed orderings.
#[derive(InputObject, Debug, Clone)]
pub struct CustomFieldOrder {
    /// The field's key; you must be able to read it.
    pub key: String,
    #[graphql(default)]
    pub direction: SortDirection,
}

impl CustomFieldOrder {
    /// The field of `object` it names (among the request's live definitions, one the caller may
    /// read: else refused on `customOrder.key`), and whether it sorts from the largest.
    pub async fn resolve(
        &self,
        ctx: &async_graphql::Context<'_>,
        object: CustomObject,
    ) -> AppResult<(CustomSort, bool)> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let defs = ctx
            .data::<super::graphql::DefinitionsCell>()?
            .get(&state.db)
            .await?;
        let sort = CustomSort::resolve(&defs, req, object, &self.key, "customOrder.key")?;
        Ok((sort, self.direction == SortDirection::Desc))
    }
}

/// What a record without a value of a numeric field sorts as: below every value.
pub const NO_NUMBER: f64 = -1.0e300;

/// An ordering by one custom field.
#[derive(Copy, Clone, Debug, PartialEq)]
pub struct CustomSort {
    /// The field's definition.
    pub field_id: Uuid,
    /// Numbers, decimals and money sort by their number; other types by their stored text.
    pub numeric: bool,
}

impl CustomSort {
    /// The live field `key` of `object` among `defs`, if the caller may read it; errors name
    /// `path`.
    pub fn resolve(
        defs: &[custom_fields::Model],
        ctx: &RequestCtx,
        object: CustomObject,
        key: &str,
        path: &str,
    ) -> AppResult<Self> {
        let key = key.trim();
        let key = key.strip_prefix("custom.").unwrap_or(key);
        defs.iter()
            .find(|d| {
                d.object == object.as_str()
                    && d.key == key
                    && d.archived_at.is_none()
                    && service::can_read(ctx, d)
            })
            .map(|d| CustomSort {
                field_id: d.id,
                numeric: service::field_type(d).is_numeric(),
            })
            .ok_or_else(|| AppError::BadInput(vec![service::unknown(path)]))
    }

    /// A stable name of the ordering, for cursors.
    pub fn key(&self) -> String {
        format!("CUSTOM_{}", self.field_id.simple())
    }

    /// The value sorted on for the record whose id is `id`.
    pub fn expr(&self, id: Expr) -> Expr {
        let column = if self.numeric {
            values::Column::NumValue
        } else {
            values::Column::TextValue
        };
        let value = Query::select()
            .column(column)
            .from(values::Entity)
            .and_where(Expr::col((values::Entity, values::Column::FieldId)).eq(self.field_id))
            .and_where(Expr::col((values::Entity, values::Column::RecordId)).eq(id))
            .limit(1)
            .to_owned();
        let none: Expr = if self.numeric {
            Expr::val(NO_NUMBER)
        } else {
            Expr::val("")
        };
        let value = Expr::SubQuery(None, Box::new(value.into()));
        Func::coalesce([value, none]).into()
    }

    /// Records strictly after `(key, id)` in this order (`desc`: from the largest), the record's
    /// id being `id_col`; `None` when `key` is not a value of this field's kind.
    pub fn after(&self, id_col: Expr, key: &SortValue, id: Uuid, desc: bool) -> Option<Condition> {
        let k: Expr = match (key, self.numeric) {
            (SortValue::Number(n), true) => Expr::val(*n),
            (SortValue::Text(t), false) => Expr::val(t.clone()),
            _ => return None,
        };
        let sort = self.expr(id_col.clone());
        let (beyond, next) = if desc {
            (sort.clone().lt(k.clone()), id_col.lt(id))
        } else {
            (sort.clone().gt(k.clone()), id_col.gt(id))
        };
        Some(
            Condition::any()
                .add(beyond)
                .add(Condition::all().add(sort.eq(k)).add(next)),
        )
    }

    /// What a record without a value sorts as.
    pub fn missing(&self) -> SortValue {
        if self.numeric {
            SortValue::Number(NO_NUMBER)
        } else {
            SortValue::Text(String::new())
        }
    }

    /// Each of `records`' sort values (those without a value left out: [`Self::missing`]), one
    /// statement.
    pub async fn values(
        &self,
        db: &impl ConnectionTrait,
        records: &[Uuid],
    ) -> AppResult<HashMap<Uuid, SortValue>> {
        if records.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = values::Entity::find()
            .filter(values::Column::FieldId.eq(self.field_id))
            .filter(values::Column::RecordId.is_in(records.iter().copied()))
            .all(db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|v| {
                let k = if self.numeric {
                    SortValue::Number(v.num_value.unwrap_or(NO_NUMBER))
                } else {
                    SortValue::Text(v.text_value)
                };
                (v.record_id, k)
            })
            .collect())
    }
}
