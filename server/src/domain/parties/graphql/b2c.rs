//! The consumer (B2C) profile.

use super::*;

/// What a consumer (B2C customer) profile shows. Orders and feedback are filled by the sales
/// documents and support domains; until then their connections are empty.
pub struct B2cProfile(pub parties::Model);

/// An order in a customer's history.
#[derive(SimpleObject)]
pub struct OrderSummary {
    pub id: ID,
    pub number: String,
    pub ordered_at: DateTime<Utc>,
    pub total: crate::domain::accounts::graphql::Money,
}

/// A rating or comment a customer gave.
#[derive(SimpleObject)]
pub struct Feedback {
    pub id: ID,
    /// 1 to 5.
    pub rating: i32,
    pub comment: Option<String>,
    pub given_at: DateTime<Utc>,
}

pub(super) fn empty<T: async_graphql::OutputType>(
    first: Option<i32>,
    after: Option<String>,
) -> AppResult<Connection<String, T, TotalCount>> {
    let page = Page::new(first, after)?;
    Ok(Connection::with_additional_fields(
        page.after.is_some(),
        false,
        TotalCount::known(0),
    ))
}

#[Object(name = "B2cProfile")]
impl B2cProfile {
    /// How the consumer prefers to pay.
    pub async fn payment_preference(&self) -> Option<PaymentPreference> {
        self.0
            .payment_preference
            .as_deref()
            .and_then(PaymentPreference::parse)
    }
    /// The first contact mechanism with the SHIPPING purpose. Contact data, guarded.
    pub async fn shipping_address(&self, ctx: &Context<'_>) -> AppResult<Option<ContactMechanism>> {
        if !common::contacts_allowed(ctx)? {
            return Ok(None);
        }
        let loader = ctx.data::<Loaded<MechanismsLoader>>()?;
        let rows = loader
            .load_one(self.0.id)
            .await
            .map_err(load_err)?
            .unwrap_or_default();
        Ok(rows
            .into_iter()
            .find(|m| mechanisms::purposes(m).contains(&ContactPurpose::Shipping))
            .map(ContactMechanism))
    }
    /// Order history, newest first.
    pub async fn orders(
        &self,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, OrderSummary, TotalCount>> {
        empty(first, after)
    }
    /// Product reviews and feedback, newest first.
    pub async fn feedback(
        &self,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Feedback, TotalCount>> {
        empty(first, after)
    }
    /// The customer journey: everything that happened with the customer, newest first.
    pub async fn journey(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, TimelineEntry, TotalCount>> {
        common::timeline(ctx, &self.0, first, after).await
    }
}
