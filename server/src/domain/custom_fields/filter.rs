//! Filters on custom fields, as conditions on a record's id: one correlated sub-select by field
//! key and value, so a list with custom filters costs the same statements as without.

use async_graphql::InputObject;
use entity::custom_fields::{custom_field_values as values, custom_fields};
use sea_orm::sea_query::{Expr, ExprTrait, Query, SelectStatement, SimpleExpr};
use sea_orm::Condition;

use super::rules::{self, CustomObject};
use crate::auth::RequestCtx;
use crate::error::{AppError, AppResult};
use crate::kit::filters::{check_len, icontains, MAX_IN_VALUES};

/// Most custom-field conditions in one filter.
pub const MAX_CONDITIONS: usize = 10;

/// Conditions on one custom field; all given must hold. Values are compared in their stored
/// form: dates `2026-12-31`, booleans `true`/`false`, choices as named.
#[derive(InputObject, Debug, Clone, Default)]
pub struct CustomFieldFilter {
    /// The field's key.
    pub key: String,
    /// Exactly this value.
    pub eq: Option<String>,
    /// Contains this text (case-insensitive); for a multi-pick, holds this choice.
    pub contains: Option<String>,
    /// One of these values.
    #[graphql(name = "in")]
    pub in_: Option<Vec<String>>,
    /// At least this number (numbers, decimals, money amounts).
    pub min: Option<f64>,
    /// At most this number.
    pub max: Option<f64>,
    /// On or after this value, compared as text (dates, date-times).
    pub from: Option<String>,
    /// On or before this value, compared as text.
    pub to: Option<String>,
    /// `true`: has a value; `false`: has none.
    pub is_set: Option<bool>,
}

fn field_of(object: CustomObject, key: &str) -> SelectStatement {
    Query::select()
        .column(custom_fields::Column::Id)
        .from(custom_fields::Entity)
        .and_where(Expr::col(custom_fields::Column::Object).eq(object.as_str()))
        .and_where(Expr::col(custom_fields::Column::Key).eq(key))
        .and_where(Expr::col(custom_fields::Column::ArchivedAt).is_null())
        .to_owned()
}

impl CustomFieldFilter {
    /// The condition on `id` (the record's id column), checking the caller may read the field;
    /// `path` names the filter in errors (`filter.custom.0`).
    pub fn condition(
        &self,
        ctx: &RequestCtx,
        object: CustomObject,
        id: SimpleExpr,
        path: &str,
    ) -> AppResult<Condition> {
        let readable = rules::key(&format!("{path}.key"), &self.key).is_ok()
            && ctx
                .actor()?
                .grants
                .can_read_field(object.as_str(), &rules::grant_name(&self.key));
        if !readable {
            return Err(AppError::BadInput(vec![super::service::unknown(&format!(
                "{path}.key"
            ))]));
        }
        let col = |c: values::Column| Expr::col((values::Entity, c));
        let mut c = Condition::all();
        if let Some(v) = &self.eq {
            check_len(&format!("{path}.eq"), v)?;
            c = c.add(col(values::Column::TextValue).eq(v.as_str()));
        }
        if let Some(v) = &self.contains {
            check_len(&format!("{path}.contains"), v)?;
            c = c.add(icontains(col(values::Column::TextValue), v));
        }
        if let Some(vs) = &self.in_ {
            if vs.len() > MAX_IN_VALUES {
                return Err(AppError::bad_input(
                    format!("{path}.in"),
                    format!("must list at most {MAX_IN_VALUES} values"),
                ));
            }
            for v in vs {
                check_len(&format!("{path}.in"), v)?;
            }
            c = c.add(col(values::Column::TextValue).is_in(vs.iter().map(String::as_str)));
        }
        for (bound, v, ge) in [("min", self.min, true), ("max", self.max, false)] {
            if let Some(n) = v {
                if !n.is_finite() {
                    return Err(AppError::bad_input(
                        format!("{path}.{bound}"),
                        "must be a number",
                    ));
                }
                let e = col(values::Column::NumValue);
                c = c.add(if ge { e.gte(n) } else { e.lte(n) });
            }
        }
        for (bound, v, ge) in [("from", &self.from, true), ("to", &self.to, false)] {
            if let Some(s) = v {
                check_len(&format!("{path}.{bound}"), s)?;
                let e = col(values::Column::TextValue);
                c = c.add(if ge {
                    e.gte(s.as_str())
                } else {
                    e.lte(s.as_str())
                });
            }
        }
        // A correlated probe of the (field, record) key: the list walks its own order and stops
        // at a page, instead of collecting every matching record first and sorting them.
        let held = Query::select()
            .expr(Expr::val(1))
            .from(values::Entity)
            .and_where(col(values::Column::FieldId).in_subquery(field_of(object, &self.key)))
            .and_where(col(values::Column::RecordId).eq(id))
            .cond_where(c)
            .to_owned();
        Ok(match self.is_set {
            Some(false) => Condition::all().add(Expr::exists(held).not()),
            _ => Condition::all().add(Expr::exists(held)),
        })
    }
}

/// The conditions of a list of custom-field filters on `id`; errors name `{path}.{i}.…`.
pub fn conditions(
    filters: &[CustomFieldFilter],
    ctx: &RequestCtx,
    object: CustomObject,
    id: SimpleExpr,
    path: &str,
) -> AppResult<Condition> {
    if filters.len() > MAX_CONDITIONS {
        return Err(AppError::bad_input(
            path,
            format!("must hold at most {MAX_CONDITIONS} conditions"),
        ));
    }
    let mut c = Condition::all();
    for (i, f) in filters.iter().enumerate() {
        c = c.add(f.condition(ctx, object, id.clone(), &format!("{path}.{i}"))?);
    }
    Ok(c)
}
