//! What customers owe: the open amounts of issued invoices by age (current, 1–30, 31–60, 61–90
//! and over 90 days past due) and a customer's balance (open less unallocated payments), per
//! currency, under the caller's row scope. One aggregate statement each, on the invoices' stored
//! open amounts (kept by every payment and credit note), so the cost does not grow with lines.

use chrono::{Days, NaiveDate};
use entity::billing::{invoices, payments};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait};
use uuid::Uuid;

use super::invoices::{InvoiceKind, InvoiceStatus};
use super::policy::{InvoiceObject, PaymentObject};
use crate::auth::RequestCtx;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::policy::Action;

/// Open amounts of one currency by age, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Ageing {
    pub currency: String,
    /// Not yet due.
    pub current: i64,
    pub days_1_30: i64,
    pub days_31_60: i64,
    pub days_61_90: i64,
    pub over_90: i64,
    pub total: i64,
    /// Invoices with an amount open.
    pub invoices: i64,
}

impl Ageing {
    /// Everything past due.
    pub fn overdue(&self) -> i64 {
        self.total - self.current
    }
}

fn back(on: NaiveDate, days: u64) -> NaiveDate {
    on.checked_sub_days(Days::new(days)).unwrap_or(on)
}

/// `COALESCE(SUM(e), 0)` as a BIGINT on every engine (PostgreSQL sums BIGINTs as NUMERIC).
pub(super) fn sum_bigint(e: SimpleExpr) -> SimpleExpr {
    Expr::expr(Func::coalesce([Expr::from(Func::sum(e)), Expr::val(0_i64)]))
        .cast_as(Alias::new("BIGINT"))
}

fn bucket(cond: SimpleExpr) -> SimpleExpr {
    sum_bigint(
        Expr::case(cond, Expr::col(invoices::Column::OpenMinor))
            .finally(Expr::val(0_i64))
            .into(),
    )
}

/// The ageing of open invoices on `on`, per currency; one customer's when `customer` is given.
pub async fn ageing(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    customer: Option<Uuid>,
    on: NaiveDate,
) -> AppResult<Vec<Ageing>> {
    let scope = aggregate::scope::<InvoiceObject>(ctx, Action::Read)?;
    let due = || Expr::col(invoices::Column::DueDate);
    let mut where_ = Condition::all()
        .add(scope)
        .add(invoices::Column::Status.eq(InvoiceStatus::Issued.as_str()))
        .add(invoices::Column::Kind.eq(InvoiceKind::Invoice.as_str()))
        .add(invoices::Column::OpenMinor.gt(0));
    if let Some(c) = customer {
        where_ = where_.add(invoices::Column::CustomerId.eq(c));
    }
    let q = Query::select()
        .column(invoices::Column::Currency)
        .expr_as(bucket(due().gte(on)), Alias::new("current"))
        .expr_as(
            bucket(due().lt(on).and(due().gte(back(on, 30)))),
            Alias::new("d30"),
        )
        .expr_as(
            bucket(due().lt(back(on, 30)).and(due().gte(back(on, 60)))),
            Alias::new("d60"),
        )
        .expr_as(
            bucket(due().lt(back(on, 60)).and(due().gte(back(on, 90)))),
            Alias::new("d90"),
        )
        .expr_as(bucket(due().lt(back(on, 90))), Alias::new("over"))
        .expr_as(
            sum_bigint(Expr::col(invoices::Column::OpenMinor)),
            Alias::new("total"),
        )
        .expr_as(
            Func::cast_as(
                Func::count(Expr::col(invoices::Column::Id)),
                Alias::new("bigint"),
            ),
            Alias::new("n"),
        )
        .from(invoices::Entity)
        .cond_where(where_)
        .group_by_col(invoices::Column::Currency)
        .order_by(invoices::Column::Currency, sea_orm::Order::Asc)
        .to_owned();
    let rows = db.query_all(&q).await?;
    let mut out = Vec::new();
    for r in rows {
        out.push(Ageing {
            currency: r.try_get("", "currency")?,
            current: r.try_get("", "current")?,
            days_1_30: r.try_get("", "d30")?,
            days_31_60: r.try_get("", "d60")?,
            days_61_90: r.try_get("", "d90")?,
            over_90: r.try_get("", "over")?,
            total: r.try_get("", "total")?,
            invoices: r.try_get("", "n")?,
        });
    }
    Ok(out)
}

/// A customer's position in one currency, in minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Balance {
    pub currency: String,
    /// Open on issued invoices.
    pub open: i64,
    /// Of which past due.
    pub overdue: i64,
    /// Payments received and not yet allocated.
    pub credit: i64,
}

impl Balance {
    /// What the customer owes, less their credit.
    pub fn balance(&self) -> i64 {
        self.open - self.credit
    }
}

/// A customer's balance per currency on `on`: open and overdue amounts of the invoices the caller
/// may read, less the unallocated part of the payments the caller may read.
pub async fn balance(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    customer: Uuid,
    on: NaiveDate,
) -> AppResult<Vec<Balance>> {
    let mut out: Vec<Balance> = ageing(db, ctx, Some(customer), on)
        .await?
        .into_iter()
        .map(|a| Balance {
            overdue: a.overdue(),
            open: a.total,
            currency: a.currency,
            credit: 0,
        })
        .collect();
    // Payments under their own grant: a role without it sees invoices only.
    if let Ok(scope) = aggregate::scope::<PaymentObject>(ctx, Action::Read) {
        let q = Query::select()
            .column(payments::Column::Currency)
            .expr_as(
                sum_bigint(
                    Expr::col(payments::Column::AmountMinor)
                        .sub(Expr::col(payments::Column::AllocatedMinor)),
                ),
                Alias::new("credit"),
            )
            .from(payments::Entity)
            .cond_where(
                Condition::all()
                    .add(scope)
                    .add(payments::Column::CustomerId.eq(customer))
                    .add(
                        Expr::col(payments::Column::AllocatedMinor)
                            .lt(Expr::col(payments::Column::AmountMinor)),
                    ),
            )
            .group_by_col(payments::Column::Currency)
            .to_owned();
        for r in db.query_all(&q).await? {
            let currency: String = r.try_get("", "currency")?;
            let credit: i64 = r.try_get("", "credit")?;
            match out.iter_mut().find(|b| b.currency == currency) {
                Some(b) => b.credit = credit,
                None => out.push(Balance {
                    currency,
                    credit,
                    ..Default::default()
                }),
            }
        }
    }
    out.sort_by(|a, b| a.currency.cmp(&b.currency));
    Ok(out)
}
