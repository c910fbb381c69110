//! Ordering a list by a custom field: the record's value of the field as a correlated sub-select
//! on the (field, record) key, so the page stays one statement; records without a value sort as
//! empty text or as [`NO_NUMBER`], before every value. A page's cursors read the page's values
//! of the field in one statement more.

use std::collections::HashMap;

use entity::custom_fields::{custom_field_values as values, custom_fields};
use sea_orm::sea_query::{Expr, ExprTrait, Func, Query};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::rules::CustomObject;
use super::service;
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::kit::paging::SortValue;

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
