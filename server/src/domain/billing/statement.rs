//! A customer's statement of account per currency: the balance at the start of a date range
//! (issued invoices less credit notes less payments before it), the documents of the range in date
//! order with a running balance, the closing balance and what is overdue at the end of the range.
//! Under the caller's row scope on invoices and on payments (a role without the payment grant sees
//! invoices and credit notes only); money in exact minor units. Four statements, whatever the
//! number of documents before the range.

use chrono::NaiveDate;
use entity::billing::{invoices, payments};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Query, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter, QueryOrder};
use uuid::Uuid;

use super::invoices::{InvoiceKind, InvoiceStatus};
use super::policy::{InvoiceObject, PaymentObject};
use crate::auth::RequestCtx;
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::policy::Action;

/// What a statement entry is.
#[derive(async_graphql::Enum, Debug, Clone, Copy, PartialEq, Eq)]
#[graphql(name = "StatementEntryKind")]
pub enum EntryKind {
    Invoice,
    CreditNote,
    Payment,
}

/// One document of the range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub date: NaiveDate,
    pub kind: EntryKind,
    pub number: String,
    /// The invoice's or the payment's id.
    pub id: Uuid,
    /// What it adds to the balance (invoices), in minor units.
    pub debit: i64,
    /// What it takes off (credit notes, payments).
    pub credit: i64,
    /// The balance after it.
    pub balance: i64,
    /// Invoices only.
    pub due_date: Option<NaiveDate>,
}

/// The statement of one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Statement {
    pub currency: String,
    pub opening: i64,
    pub entries: Vec<Entry>,
    pub closing: i64,
    /// Open on invoices issued by `to` and due before it.
    pub overdue: i64,
}

fn sum_if(cond: SimpleExpr, value: SimpleExpr) -> SimpleExpr {
    Expr::expr(Func::coalesce([
        Expr::from(Func::sum(Expr::case(cond, value).finally(Expr::val(0_i64)))),
        Expr::val(0_i64),
    ]))
    .cast_as(Alias::new("BIGINT"))
}

fn of<'a>(out: &'a mut Vec<Statement>, currency: &str) -> &'a mut Statement {
    match out.iter().position(|s| s.currency == currency) {
        Some(i) => &mut out[i],
        None => {
            out.push(Statement {
                currency: currency.to_string(),
                ..Default::default()
            });
            out.last_mut().unwrap_or_else(|| unreachable!())
        }
    }
}

/// The customer's statement from `from` to `to` (both included), per currency.
pub async fn statement(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    customer: Uuid,
    from: NaiveDate,
    to: NaiveDate,
) -> AppResult<Vec<Statement>> {
    let inv_scope = aggregate::scope::<InvoiceObject>(ctx, Action::Read)?;
    let pay_scope = aggregate::scope::<PaymentObject>(ctx, Action::Read).ok();
    let issued = || {
        Condition::all()
            .add(invoices::Column::CustomerId.eq(customer))
            .add(invoices::Column::Status.eq(InvoiceStatus::Issued.as_str()))
            .add(invoices::Column::IssueDate.lte(to))
    };
    let mut out: Vec<Statement> = Vec::new();

    // Before the range, and what is overdue at its end.
    let is_invoice = || Expr::col(invoices::Column::Kind).eq(InvoiceKind::Invoice.as_str());
    let before = || Expr::col(invoices::Column::IssueDate).lt(from);
    let total = || Expr::col(invoices::Column::TotalMinor);
    let q = Query::select()
        .column(invoices::Column::Currency)
        .expr_as(
            sum_if(is_invoice().and(before()), total()),
            Alias::new("debit"),
        )
        .expr_as(
            sum_if(is_invoice().not().and(before()), total()),
            Alias::new("credit"),
        )
        .expr_as(
            sum_if(
                is_invoice().and(Expr::col(invoices::Column::DueDate).lt(to)),
                Expr::col(invoices::Column::OpenMinor),
            ),
            Alias::new("overdue"),
        )
        .from(invoices::Entity)
        .cond_where(issued().add(inv_scope.clone()))
        .group_by_col(invoices::Column::Currency)
        .to_owned();
    for r in db.query_all(&q).await? {
        let currency: String = r.try_get("", "currency")?;
        let debit: i64 = r.try_get("", "debit")?;
        let credit: i64 = r.try_get("", "credit")?;
        let s = of(&mut out, &currency);
        s.opening += debit - credit;
        s.overdue = r.try_get("", "overdue")?;
    }
    if let Some(scope) = &pay_scope {
        let q = Query::select()
            .column(payments::Column::Currency)
            .expr_as(
                Expr::expr(Func::coalesce([
                    Expr::from(Func::sum(Expr::col(payments::Column::AmountMinor))),
                    Expr::val(0_i64),
                ]))
                .cast_as(Alias::new("BIGINT")),
                Alias::new("paid"),
            )
            .from(payments::Entity)
            .cond_where(
                Condition::all()
                    .add(scope.clone())
                    .add(payments::Column::CustomerId.eq(customer))
                    .add(payments::Column::ReceivedOn.lt(from)),
            )
            .group_by_col(payments::Column::Currency)
            .to_owned();
        for r in db.query_all(&q).await? {
            let currency: String = r.try_get("", "currency")?;
            let paid: i64 = r.try_get("", "paid")?;
            of(&mut out, &currency).opening -= paid;
        }
    }

    // The range.
    let mut entries: Vec<(String, Entry)> = Vec::new();
    let docs = aggregate::visible::<InvoiceObject>(ctx, Action::Read)?
        .filter(issued().add(invoices::Column::IssueDate.gte(from)))
        .order_by_asc(invoices::Column::IssueDate)
        .order_by_asc(invoices::Column::Sequence)
        .all(db)
        .await?;
    for m in docs {
        let invoice = m.kind == InvoiceKind::Invoice.as_str();
        entries.push((
            m.currency.clone(),
            Entry {
                date: m.issue_date.unwrap_or(from),
                kind: if invoice {
                    EntryKind::Invoice
                } else {
                    EntryKind::CreditNote
                },
                number: m.number.unwrap_or_default(),
                id: m.id,
                debit: if invoice { m.total_minor } else { 0 },
                credit: if invoice { 0 } else { m.total_minor },
                balance: 0,
                due_date: if invoice { m.due_date } else { None },
            },
        ));
    }
    if pay_scope.is_some() {
        let rows = aggregate::visible::<PaymentObject>(ctx, Action::Read)?
            .filter(payments::Column::CustomerId.eq(customer))
            .filter(payments::Column::ReceivedOn.gte(from))
            .filter(payments::Column::ReceivedOn.lte(to))
            .order_by_asc(payments::Column::ReceivedOn)
            .order_by_asc(payments::Column::Number)
            .all(db)
            .await?;
        for m in rows {
            entries.push((
                m.currency,
                Entry {
                    date: m.received_on,
                    kind: EntryKind::Payment,
                    number: m.number,
                    id: m.id,
                    debit: 0,
                    credit: m.amount_minor,
                    balance: 0,
                    due_date: None,
                },
            ));
        }
    }
    // Stable: documents of one day keep their numbering order, invoices before payments.
    entries.sort_by_key(|(_, e)| (e.date, e.kind == EntryKind::Payment));
    for s in &mut out {
        s.closing = s.opening;
    }
    for (currency, mut e) in entries {
        let s = of(&mut out, &currency);
        s.closing += e.debit - e.credit;
        e.balance = s.closing;
        s.entries.push(e);
    }
    out.sort_by(|a, b| a.currency.cmp(&b.currency));
    Ok(out)
}
