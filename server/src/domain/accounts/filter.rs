//! The accounts list's filter and ordering inputs, and their SQL.

use async_graphql::{Enum, InputObject, ID};
use entity::parties::parties;
use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{ColumnTrait, Condition};

use crate::error::{AppError, AppResult};
use crate::graphql::filters::{check_len, icontains, StringFilter};
use crate::graphql::pagination::SortValue;
use crate::graphql::relay::expect_global_id;

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
    pub fn condition(filter: Option<&AccountFilter>) -> AppResult<Condition> {
        let mut c = match filter {
            Some(f) => f.build("filter", 0)?,
            None => Condition::all(),
        };
        if filter.and_then(|f| f.archived).is_none() {
            c = c.add(parties::Column::ArchivedAt.is_null());
        }
        Ok(c)
    }

    fn build(&self, path: &str, depth: usize) -> AppResult<Condition> {
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
        match self.archived {
            Some(true) => c = c.add(parties::Column::ArchivedAt.is_not_null()),
            Some(false) => c = c.add(parties::Column::ArchivedAt.is_null()),
            None => {}
        }
        if let Some(list) = &self.and {
            for (i, f) in list.iter().enumerate() {
                c = c.add(f.build(&format!("{path}.and.{i}"), depth + 1)?);
            }
        }
        if let Some(list) = &self.or {
            let mut any = Condition::any();
            for (i, f) in list.iter().enumerate() {
                any = any.add(f.build(&format!("{path}.or.{i}"), depth + 1)?);
            }
            c = c.add(any);
        }
        if let Some(f) = &self.not {
            c = c.add(f.build(&format!("{path}.not"), depth + 1)?.not());
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
}

/// Sort direction.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Default)]
pub enum SortDirection {
    #[default]
    Asc,
    Desc,
}

/// How to sort accounts; ties are broken by id, so pages never skip or repeat a row.
#[derive(InputObject, Debug, Clone, Copy, Default)]
pub struct AccountOrder {
    pub field: AccountOrderField,
    #[graphql(default)]
    pub direction: SortDirection,
}

impl AccountOrder {
    /// A stable name of the ordering, stored in cursors.
    pub fn key(&self) -> String {
        format!("{:?}_{:?}", self.field, self.direction).to_uppercase()
    }

    /// Whether the order is descending.
    pub fn desc(&self) -> bool {
        self.direction == SortDirection::Desc
    }

    /// The SQL expression sorted on. Optional text sorts as empty text, so keyset comparisons
    /// never meet NULL.
    pub fn expr(&self) -> Expr {
        let coalesce = |c| Expr::from(Func::coalesce([col(c), Expr::val("")]));
        match self.field {
            AccountOrderField::Code => col(parties::Column::Code),
            AccountOrderField::Name => col(parties::Column::SortName),
            AccountOrderField::Area => coalesce(parties::Column::Area),
            AccountOrderField::Industry => coalesce(parties::Column::Industry),
            AccountOrderField::CreatedAt => col(parties::Column::CreatedAt),
            AccountOrderField::UpdatedAt => col(parties::Column::UpdatedAt),
        }
    }

    /// The sort key of a row, for its cursor.
    pub fn value(&self, m: &parties::Model) -> SortValue {
        match self.field {
            AccountOrderField::Code => SortValue::Text(m.code.clone()),
            AccountOrderField::Name => SortValue::Text(m.sort_name.clone()),
            AccountOrderField::Area => SortValue::Text(m.area.clone().unwrap_or_default()),
            AccountOrderField::Industry => SortValue::Text(m.industry.clone().unwrap_or_default()),
            AccountOrderField::CreatedAt => SortValue::Time(m.created_at),
            AccountOrderField::UpdatedAt => SortValue::Time(m.updated_at),
        }
    }

    /// Rows strictly after `(key, id)` in this order.
    pub fn after(&self, key: &SortValue, id: uuid::Uuid) -> Condition {
        let k: Expr = match key {
            SortValue::Text(s) => Expr::val(s.clone()),
            SortValue::Time(t) => Expr::val(*t),
        };
        let sort = self.expr();
        let idc = col(parties::Column::Id);
        if self.desc() {
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
