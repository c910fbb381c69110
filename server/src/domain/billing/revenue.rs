//! Revenue: what was invoiced, net of tax and less credit notes, by fiscal period, by
//! customer (the top customers and their share), the customers whose purchases grow or shrink the
//! most against the period before, and the products bought most — all over the issued invoices the
//! caller may read (row scope on the invoice's owner), per currency, in exact minor units. Each
//! figure is one grouped statement on the stored invoice totals (lines only for products).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use entity::billing::{invoice_lines, invoices};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SelectStatement, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, Order};
use uuid::Uuid;

use super::invoices::{InvoiceKind, InvoiceStatus};
use super::ledger::sum_bigint;
use super::policy::InvoiceObject;
use crate::auth::RequestCtx;
use crate::domain::forecasts::periods::{Period, PeriodKind};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::policy::Action;

/// The most periods one report covers (25 years of months).
pub const MAX_PERIODS: usize = 300;
/// The most rows a top list returns.
pub const MAX_TOP: u64 = 100;

/// What a revenue report covers: issue dates `from..=to`, grouped into periods of `group` of the
/// fiscal year starting in month `fy`, optionally one customer and one currency.
#[derive(Debug, Clone)]
pub struct RevenueScope {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub group: PeriodKind,
    pub fy: u32,
    pub customer: Option<Uuid>,
    pub currency: Option<String>,
}

impl RevenueScope {
    /// A scope, checked: `to` not before `from` and at most [`MAX_PERIODS`] periods.
    pub fn new(
        from: NaiveDate,
        to: NaiveDate,
        group: PeriodKind,
        fy: u32,
        customer: Option<Uuid>,
        currency: Option<String>,
    ) -> AppResult<Self> {
        if to < from {
            return Err(AppError::bad_input("to", "must not be before from"));
        }
        let s = Self {
            from,
            to,
            group,
            fy,
            customer,
            currency,
        };
        if s.periods().len() > MAX_PERIODS {
            return Err(AppError::bad_input(
                "from",
                format!("the range holds more than {MAX_PERIODS} periods: choose a longer period or a shorter range"),
            ));
        }
        Ok(s)
    }

    /// Every period the range touches, in order (empty ones included, so a chart has no holes).
    pub fn periods(&self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut p = Period::containing(self.group, self.from, self.fy);
        while p.start <= self.to && out.len() <= MAX_PERIODS {
            out.push(p);
            p = p.shifted(1, self.fy);
        }
        out
    }

    /// The range just before this one, of the same number of days.
    pub fn previous(&self) -> (NaiveDate, NaiveDate) {
        let days = (self.to - self.from).num_days() + 1;
        let to = self.from.pred_opt().unwrap_or(self.from);
        let from = to
            .checked_sub_signed(chrono::Duration::days(days - 1))
            .unwrap_or(to);
        (from, to)
    }

    /// Issued invoices and credit notes the caller may read, issued in `from..=to`.
    fn condition(&self, ctx: &RequestCtx, from: NaiveDate, to: NaiveDate) -> AppResult<Condition> {
        let mut c = Condition::all()
            .add(aggregate::scope::<InvoiceObject>(ctx, Action::Read)?)
            .add(invoices::Column::Status.eq(InvoiceStatus::Issued.as_str()))
            .add(invoices::Column::IssueDate.between(from, to));
        if let Some(customer) = self.customer {
            c = c.add(invoices::Column::CustomerId.eq(customer));
        }
        if let Some(currency) = &self.currency {
            c = c.add(invoices::Column::Currency.eq(currency.as_str()));
        }
        Ok(c)
    }
}

fn col(c: invoices::Column) -> Expr {
    Expr::col((invoices::Entity, c))
}

/// `e` on an invoice, `-e` on a credit note.
fn signed(e: SimpleExpr) -> SimpleExpr {
    Expr::case(
        col(invoices::Column::Kind).eq(InvoiceKind::CreditNote.as_str()),
        Expr::val(0_i64).sub(e.clone()),
    )
    .finally(e)
    .into()
}

fn count_kind(kind: InvoiceKind) -> SimpleExpr {
    sum_bigint(
        Expr::case(
            col(invoices::Column::Kind).eq(kind.as_str()),
            Expr::val(1_i64),
        )
        .finally(Expr::val(0_i64))
        .into(),
    )
}

/// `YYYY-MM` of the issue date, per engine.
fn issue_month(backend: DatabaseBackend) -> SimpleExpr {
    match backend {
        DatabaseBackend::Postgres => Expr::cust("to_char(\"invoices\".\"issue_date\", 'YYYY-MM')"),
        _ => Expr::cust("strftime('%Y-%m', \"invoices\".\"issue_date\")"),
    }
}

/// Revenue of one period in one currency, minor units.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeriodRevenue {
    pub period: Option<Period>,
    pub currency: String,
    /// Net of tax, less credit notes.
    pub net: i64,
    /// With tax, less credit notes.
    pub gross: i64,
    pub invoices: i64,
    pub credit_notes: i64,
}

/// Revenue per period and currency, every period of the range present for each currency seen
/// (zero when nothing was invoiced).
pub async fn by_period(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    scope: &RevenueScope,
) -> AppResult<Vec<PeriodRevenue>> {
    let backend = db.get_database_backend();
    let q = Query::select()
        .column(invoices::Column::Currency)
        .expr_as(issue_month(backend), Alias::new("month"))
        .expr_as(
            sum_bigint(signed(col(invoices::Column::NetMinor))),
            Alias::new("net"),
        )
        .expr_as(
            sum_bigint(signed(col(invoices::Column::TotalMinor))),
            Alias::new("gross"),
        )
        .expr_as(count_kind(InvoiceKind::Invoice), Alias::new("invoices"))
        .expr_as(count_kind(InvoiceKind::CreditNote), Alias::new("notes"))
        .from(invoices::Entity)
        .cond_where(scope.condition(ctx, scope.from, scope.to)?)
        .group_by_col(invoices::Column::Currency)
        .add_group_by([issue_month(backend)])
        .to_owned();
    let periods = scope.periods();
    let mut by: BTreeMap<(String, usize), PeriodRevenue> = BTreeMap::new();
    for r in db.query_all(&q).await? {
        let currency: String = r.try_get("", "currency")?;
        let month: Option<String> = r.try_get("", "month")?;
        let Some(day) =
            month.and_then(|m| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
        else {
            continue;
        };
        let p = Period::containing(scope.group, day, scope.fy);
        let Some(at) = periods.iter().position(|x| *x == p) else {
            continue;
        };
        for (i, q) in periods.iter().enumerate() {
            by.entry((currency.clone(), i))
                .or_insert_with(|| PeriodRevenue {
                    period: Some(*q),
                    currency: currency.clone(),
                    ..Default::default()
                });
        }
        if let Some(e) = by.get_mut(&(currency, at)) {
            e.net += r.try_get::<i64>("", "net")?;
            e.gross += r.try_get::<i64>("", "gross")?;
            e.invoices += r.try_get::<i64>("", "invoices")?;
            e.credit_notes += r.try_get::<i64>("", "notes")?;
        }
    }
    Ok(by.into_values().collect())
}

/// A customer's revenue in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerRevenue {
    pub customer: Uuid,
    pub currency: String,
    pub net: i64,
    pub invoices: i64,
    /// The currency's net revenue over everyone in scope (for the share).
    pub of_total: i64,
}

fn totals_statement(scope: &RevenueScope, ctx: &RequestCtx) -> AppResult<SelectStatement> {
    Ok(Query::select()
        .column(invoices::Column::Currency)
        .expr_as(
            sum_bigint(signed(col(invoices::Column::NetMinor))),
            Alias::new("net"),
        )
        .from(invoices::Entity)
        .cond_where(scope.condition(ctx, scope.from, scope.to)?)
        .group_by_col(invoices::Column::Currency)
        .to_owned())
}

/// The `top` customers by net revenue (largest first), each with its currency's total.
pub async fn top_customers(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    scope: &RevenueScope,
    top: u64,
) -> AppResult<Vec<CustomerRevenue>> {
    let net = sum_bigint(signed(col(invoices::Column::NetMinor)));
    let q = Query::select()
        .column(invoices::Column::CustomerId)
        .column(invoices::Column::Currency)
        .expr_as(net.clone(), Alias::new("net"))
        .expr_as(count_kind(InvoiceKind::Invoice), Alias::new("invoices"))
        .from(invoices::Entity)
        .cond_where(scope.condition(ctx, scope.from, scope.to)?)
        .group_by_col(invoices::Column::CustomerId)
        .group_by_col(invoices::Column::Currency)
        .order_by_expr(net, Order::Desc)
        .order_by(invoices::Column::CustomerId, Order::Asc)
        .limit(Ord::min(top, MAX_TOP))
        .to_owned();
    let rows = db.query_all(&q).await?;
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let mut totals = BTreeMap::new();
    for r in db.query_all(&totals_statement(scope, ctx)?).await? {
        totals.insert(
            r.try_get::<String>("", "currency")?,
            r.try_get::<i64>("", "net")?,
        );
    }
    let mut out = Vec::new();
    for r in rows {
        let currency: String = r.try_get("", "currency")?;
        out.push(CustomerRevenue {
            customer: r.try_get("", "customer_id")?,
            of_total: totals.get(&currency).copied().unwrap_or(0),
            net: r.try_get("", "net")?,
            invoices: r.try_get("", "invoices")?,
            currency,
        });
    }
    Ok(out)
}

/// A customer's purchases in the range against the range before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CustomerTrend {
    pub customer: Uuid,
    pub currency: String,
    pub current: i64,
    pub previous: i64,
}

impl CustomerTrend {
    pub fn change(&self) -> i64 {
        self.current - self.previous
    }

    /// The change as a percentage of the previous range (none when it had nothing).
    pub fn change_percent(&self) -> Option<f64> {
        (self.previous != 0).then(|| self.change() as f64 * 100.0 / self.previous.abs() as f64)
    }
}

/// The `top` customers whose purchases moved the most against the range before, growing first.
pub async fn trends(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    scope: &RevenueScope,
    top: u64,
) -> AppResult<Vec<CustomerTrend>> {
    let (prev_from, _) = scope.previous();
    let net: SimpleExpr = signed(col(invoices::Column::NetMinor));
    let in_range = |now: bool| {
        let c = col(invoices::Column::IssueDate);
        let cond = if now {
            c.gte(scope.from)
        } else {
            c.lt(scope.from)
        };
        sum_bigint(
            Expr::case(cond, net.clone())
                .finally(Expr::val(0_i64))
                .into(),
        )
    };
    let change = in_range(true).sub(in_range(false));
    let q = Query::select()
        .column(invoices::Column::CustomerId)
        .column(invoices::Column::Currency)
        .expr_as(in_range(true), Alias::new("cur"))
        .expr_as(in_range(false), Alias::new("prev"))
        .from(invoices::Entity)
        .cond_where(scope.condition(ctx, prev_from, scope.to)?)
        .group_by_col(invoices::Column::CustomerId)
        .group_by_col(invoices::Column::Currency)
        .and_having(change.clone().ne(0_i64))
        .order_by_expr(Func::abs(change).into(), Order::Desc)
        .order_by(invoices::Column::CustomerId, Order::Asc)
        .limit(Ord::min(top, MAX_TOP))
        .to_owned();
    let mut out = Vec::new();
    for r in db.query_all(&q).await? {
        out.push(CustomerTrend {
            customer: r.try_get("", "customer_id")?,
            currency: r.try_get("", "currency")?,
            current: r.try_get("", "cur")?,
            previous: r.try_get("", "prev")?,
        });
    }
    out.sort_by_key(|t| std::cmp::Reverse(t.change()));
    Ok(out)
}

/// A product's sales in the range, in one currency.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProductRevenue {
    pub product: Option<Uuid>,
    pub code: Option<String>,
    pub name: String,
    pub currency: String,
    /// Thousandths of the unit, less credited quantities.
    pub quantity_milli: i64,
    pub net: i64,
}

/// The `top` products (or free-text lines) by net revenue, largest first.
pub async fn top_products(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    scope: &RevenueScope,
    top: u64,
) -> AppResult<Vec<ProductRevenue>> {
    let line = |c: invoice_lines::Column| Expr::col((invoice_lines::Entity, c));
    let net = sum_bigint(signed(line(invoice_lines::Column::NetMinor)));
    let q = Query::select()
        .column((invoice_lines::Entity, invoice_lines::Column::ProductId))
        .column((invoice_lines::Entity, invoice_lines::Column::Code))
        .column((invoice_lines::Entity, invoice_lines::Column::Name))
        .column((invoices::Entity, invoices::Column::Currency))
        .expr_as(
            sum_bigint(signed(line(invoice_lines::Column::QuantityMilli))),
            Alias::new("qty"),
        )
        .expr_as(net.clone(), Alias::new("net"))
        .from(invoice_lines::Entity)
        .inner_join(
            invoices::Entity,
            Expr::col((invoices::Entity, invoices::Column::Id))
                .equals((invoice_lines::Entity, invoice_lines::Column::InvoiceId)),
        )
        .cond_where(scope.condition(ctx, scope.from, scope.to)?)
        .group_by_col((invoice_lines::Entity, invoice_lines::Column::ProductId))
        .group_by_col((invoice_lines::Entity, invoice_lines::Column::Code))
        .group_by_col((invoice_lines::Entity, invoice_lines::Column::Name))
        .group_by_col((invoices::Entity, invoices::Column::Currency))
        .order_by_expr(net, Order::Desc)
        .order_by(
            (invoice_lines::Entity, invoice_lines::Column::Name),
            Order::Asc,
        )
        .limit(Ord::min(top, MAX_TOP))
        .to_owned();
    let mut out = Vec::new();
    for r in db.query_all(&q).await? {
        out.push(ProductRevenue {
            product: r.try_get("", "product_id")?,
            code: r.try_get("", "code")?,
            name: r.try_get("", "name")?,
            currency: r.try_get("", "currency")?,
            quantity_milli: r.try_get("", "qty")?,
            net: r.try_get("", "net")?,
        });
    }
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn periods_cover_the_range_and_previous_is_as_long() {
        let s = RevenueScope::new(
            d("2026-02-15"),
            d("2026-07-01"),
            PeriodKind::Quarter,
            1,
            None,
            None,
        )
        .unwrap();
        let labels: Vec<_> = s.periods().iter().map(|p| p.label()).collect();
        assert_eq!(labels, ["FY2026 Q1", "FY2026 Q2", "FY2026 Q3"]);
        assert_eq!(s.previous(), (d("2025-10-01"), d("2026-02-14")));
        assert!(RevenueScope::new(
            d("2026-02-01"),
            d("2026-01-01"),
            PeriodKind::Month,
            1,
            None,
            None
        )
        .is_err());
        assert!(RevenueScope::new(
            d("1990-01-01"),
            d("2026-01-01"),
            PeriodKind::Month,
            1,
            None,
            None
        )
        .is_err());
        assert!(RevenueScope::new(
            d("1990-01-01"),
            d("2026-01-01"),
            PeriodKind::Year,
            1,
            None,
            None
        )
        .is_ok());
    }

    #[test]
    fn a_trend_without_a_previous_figure_has_no_percentage() {
        let t = CustomerTrend {
            customer: Uuid::nil(),
            currency: "EUR".into(),
            current: 150,
            previous: 100,
        };
        assert_eq!(t.change(), 50);
        assert_eq!(t.change_percent(), Some(50.0));
        let new = CustomerTrend { previous: 0, ..t };
        assert_eq!(new.change_percent(), None);
    }
}
