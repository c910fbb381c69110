//! A customer's statement of account.

use super::*;
use crate::domain::billing::statement::{self, EntryKind};
use crate::domain::validation as v;

/// One document of a statement.
pub struct StatementEntry(pub statement::Entry, pub String);

#[Object]
impl StatementEntry {
    async fn date(&self) -> NaiveDate {
        self.0.date
    }
    async fn kind(&self) -> EntryKind {
        self.0.kind
    }
    async fn number(&self) -> &str {
        &self.0.number
    }
    /// Global id of the invoice (credit note) or the payment.
    async fn id(&self) -> ID {
        match self.0.kind {
            EntryKind::Payment => Payment::global_id(self.0.id),
            _ => Invoice::global_id(self.0.id),
        }
    }
    async fn debit(&self) -> Money {
        money(self.0.debit, &self.1)
    }
    async fn credit(&self) -> Money {
        money(self.0.credit, &self.1)
    }
    /// The balance after this entry.
    async fn balance(&self) -> Money {
        money(self.0.balance, &self.1)
    }
    /// Invoices only.
    async fn due_date(&self) -> Option<NaiveDate> {
        self.0.due_date
    }
}

/// The statement of one currency.
pub struct StatementCurrency(pub statement::Statement);

#[Object]
impl StatementCurrency {
    async fn currency(&self) -> &str {
        &self.0.currency
    }
    /// Invoices less credit notes less payments before `from`.
    async fn opening(&self) -> Money {
        money(self.0.opening, &self.0.currency)
    }
    /// The documents from `from` to `to`, in date order.
    async fn entries(&self) -> Vec<StatementEntry> {
        self.0
            .entries
            .iter()
            .map(|e| StatementEntry(e.clone(), self.0.currency.clone()))
            .collect()
    }
    async fn closing(&self) -> Money {
        money(self.0.closing, &self.0.currency)
    }
    /// Open on invoices due before `to`.
    async fn overdue(&self) -> Money {
        money(self.0.overdue, &self.0.currency)
    }
}

/// A customer's statement of account from `from` to `to`.
#[derive(SimpleObject)]
pub struct CustomerStatement {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub currencies: Vec<StatementCurrency>,
}

/// Resolves `customerStatement`.
pub(super) async fn customer_statement(
    ctx: &Context<'_>,
    customer_id: ID,
    from: Option<String>,
    to: Option<String>,
) -> AppResult<CustomerStatement> {
    let (state, req) = crate::kit::resolve::request(ctx)?;
    policy::authorize(req, InvoiceObject::OBJECT, Action::Read)?;
    let mut errors = Vec::new();
    let customer = match party_id(&customer_id, "customerId") {
        Ok(id) => Some(id),
        Err(AppError::BadInput(e)) => {
            errors.extend(e);
            None
        }
        Err(e) => return Err(e),
    };
    let mut date =
        |field: &str, s: &Option<String>| match v::date(field, s.as_deref().unwrap_or("")) {
            Ok(d) => d,
            Err(e) => {
                errors.push(e);
                None
            }
        };
    let from = date("from", &from);
    let to = date("to", &to);
    let to = to.unwrap_or_else(today);
    let from = from.unwrap_or_else(|| to - chrono::Days::new(90));
    if errors.is_empty() && from > to {
        errors.push(crate::error::FieldError::new("from", "is after to"));
    }
    let Some(customer) = customer.filter(|_| errors.is_empty()) else {
        return Err(AppError::BadInput(errors));
    };
    if crate::domain::parties::service::get(&state.db, req, customer)
        .await?
        .is_none()
    {
        return Err(AppError::NotFound("no such customer".into()));
    }
    let currencies = statement::statement(&state.db, req, customer, from, to)
        .await?
        .into_iter()
        .map(StatementCurrency)
        .collect();
    Ok(CustomerStatement {
        from,
        to,
        currencies,
    })
}
