//! The accounts list's filter and ordering inputs, and their SQL.

use async_graphql::{Enum, InputObject, ID};
use entity::parties::parties;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition};

use crate::auth::RequestCtx;
use crate::domain::custom_fields::filter::{self as custom_filter, CustomFieldFilter};
use crate::domain::custom_fields::rules::CustomObject;
use crate::domain::parties::sort::{self, SortField, SortKey};
use crate::error::{AppError, AppResult};
use crate::kit::filters::{check_len, icontains, StringFilter};
use crate::kit::ids::expect_global_id;

/// Deepest nesting of `and` / `or` / `not` accepted.
const MAX_FILTER_DEPTH: usize = 5;

/// Filters on accounts; all given conditions must hold.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AccountFilter {
    /// Words that must each appear in the name, code or area (case-insensitive).
    pub search: Option<String>,
    pub code: Option<StringFilter>,
    pub name: Option<StringFilter>,
    pub area: Option<StringFilter>,
    pub industry: Option<StringFilter>,
    /// Accounts owned by this user.
    pub owner_id: Option<ID>,
    /// `false` (the default at the top level): active accounts only; `true`: archived accounts only.
    pub archived: Option<bool>,
    /// Conditions on account custom fields you may read.
    pub custom: Option<Vec<CustomFieldFilter>>,
    /// Every one of these filters must hold.
    pub and: Option<Vec<AccountFilter>>,
    /// At least one of these filters must hold.
    pub or: Option<Vec<AccountFilter>>,
    /// This filter must not hold.
    pub not: Option<Box<AccountFilter>>,
}

fn col(c: parties::Column) -> Expr {
    Expr::col((parties::Entity, c))
}

impl AccountFilter {
    /// The SQL condition of the filter. At the top level, archived accounts are excluded unless
    /// `archived` says otherwise.
    pub fn condition(filter: Option<&AccountFilter>, ctx: &RequestCtx) -> AppResult<Condition> {
        let mut c = match filter {
            Some(f) => f.build(ctx, "filter", 0)?,
            None => Condition::all(),
        };
        if filter.and_then(|f| f.archived).is_none() {
            c = c.add(parties::Column::ArchivedAt.is_null());
        }
        Ok(c)
    }

    fn build(&self, ctx: &RequestCtx, path: &str, depth: usize) -> AppResult<Condition> {
        if depth > MAX_FILTER_DEPTH {
            return Err(AppError::bad_input(
                path,
                format!("nests and/or/not more than {MAX_FILTER_DEPTH} deep"),
            ));
        }
        let mut c = Condition::all();
        if let Some(s) = &self.search {
            check_len(&format!("{path}.search"), s)?;
            for word in s.split_whitespace().take(8) {
                c = c.add(
                    Condition::any()
                        .add(icontains(col(parties::Column::SortName), word))
                        .add(icontains(col(parties::Column::Code), word))
                        .add(icontains(col(parties::Column::Area), word)),
                );
            }
        }
        if let Some(f) = &self.code {
            c = c.add(f.condition(col(parties::Column::Code), &format!("{path}.code"))?);
        }
        if let Some(f) = &self.name {
            c = c.add(f.condition(col(parties::Column::GroupName), &format!("{path}.name"))?);
        }
        if let Some(f) = &self.area {
            c = c.add(f.condition(col(parties::Column::Area), &format!("{path}.area"))?);
        }
        if let Some(f) = &self.industry {
            c = c.add(f.condition(col(parties::Column::Industry), &format!("{path}.industry"))?);
        }
        if let Some(id) = &self.owner_id {
            let uuid = expect_global_id(id, "User", &format!("{path}.ownerId"))?;
            c = c.add(parties::Column::OwnerId.eq(uuid));
        }
        if let Some(custom) = &self.custom {
            c = c.add(custom_filter::conditions(
                custom,
                ctx,
                CustomObject::Account,
                col(parties::Column::Id),
                &format!("{path}.custom"),
            )?);
        }
        match self.archived {
            Some(true) => c = c.add(parties::Column::ArchivedAt.is_not_null()),
            Some(false) => c = c.add(parties::Column::ArchivedAt.is_null()),
            None => {}
        }
        if let Some(list) = &self.and {
            for (i, f) in list.iter().enumerate() {
                c = c.add(f.build(ctx, &format!("{path}.and.{i}"), depth + 1)?);
            }
        }
        if let Some(list) = &self.or {
            let mut any = Condition::any();
            for (i, f) in list.iter().enumerate() {
                any = any.add(f.build(ctx, &format!("{path}.or.{i}"), depth + 1)?);
            }
            c = c.add(any);
        }
        if let Some(f) = &self.not {
            c = c.add(f.build(ctx, &format!("{path}.not"), depth + 1)?.not());
        }
        Ok(c)
    }
}

/// Fields accounts can be sorted by.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum AccountOrderField {
    Code,
    #[default]
    Name,
    Area,
    Industry,
    CreatedAt,
    UpdatedAt,
    /// The custom field named by `customKey`.
    Custom,
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

/// How to sort accounts; ties are broken by id, so pages never skip or repeat a row. Accounts
/// without a value of a custom field sort before those with one.
#[derive(InputObject, Debug, Clone, Default)]
pub struct AccountOrder {
    pub field: AccountOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
    /// The key of the account custom field to sort by (with `field: CUSTOM`); you must be able
    /// to read it.
    pub custom_key: Option<String>,
}

impl AccountOrder {
    /// The ordering as the shared party sort key; a custom field is looked up among `defs` (the
    /// live definitions) and must be one the caller may read. Errors name `path`'s fields.
    pub fn sort(
        &self,
        defs: &[entity::custom_fields::custom_fields::Model],
        ctx: &RequestCtx,
        path: &str,
    ) -> AppResult<SortKey> {
        let custom = (
            self.field == AccountOrderField::Custom,
            self.custom_key.as_deref(),
        );
        let field = match sort::custom_field(defs, ctx, CustomObject::Account, custom, path)? {
            Some(custom) => custom,
            None => match self.field {
                AccountOrderField::Code => SortField::Code,
                AccountOrderField::Name => SortField::Name,
                AccountOrderField::Area => SortField::Area,
                AccountOrderField::Industry => SortField::Industry,
                AccountOrderField::CreatedAt => SortField::CreatedAt,
                AccountOrderField::UpdatedAt | AccountOrderField::Custom => SortField::UpdatedAt,
            },
        };
        Ok(SortKey {
            field,
            desc: self.direction == SortDirection::Desc,
        })
    }
}
