//! Forecasts and sales reports: `/forecast` (a person's or a team's figures
//! for a fiscal period, drilling down the team hierarchy, calls and
//! adjustments, quotas, the chart across the horizon and the statistical
//! forecast) and `/reports` (the R-1 reports with charts and CSV). Each page is
//! a chunk of its own; the charts are `components::charts`.
//!
//! Money follows the `opportunity.amount` grant: without it the pages ask for
//! counts only and say the amounts are hidden, never showing an error for it.

mod call;
pub mod forecast;
mod outlook;
pub mod reports;
pub mod routes;

use crate::api::accounts::Money;
use crate::components::session::{set_title, use_session};
use crate::format;
use leptos::prelude::*;

/// What a page may show, from the signed-in user's grants (pages render once
/// `me` is known).
#[derive(Clone, Debug, Default)]
pub struct Grants {
    /// The user's id and name.
    pub user: (String, String),
    /// May read `opportunity.amount`.
    pub amounts: bool,
    me: crate::api::auth::Me,
}

impl Grants {
    /// The signed-in user's grants.
    pub fn get() -> Self {
        let me = use_session().me.get_untracked().unwrap_or_default();
        Self {
            user: (me.user.id.clone(), me.user.display_name.clone()),
            amounts: me.can_read_field("opportunity", "amount"),
            me,
        }
    }

    /// May the user do `action` on `object`?
    pub fn can(&self, object: &str, action: &str) -> bool {
        self.me.can(object, action)
    }
}

/// Shown instead of a page the user's role may not open (nothing is requested).
pub fn not_allowed(title: &'static str) -> AnyView {
    set_title(title);
    view! {
        <div class="card narrow" id="not-allowed" role="alert">
            <h1>{title}</h1>
            <p>"Your role may not open this page."</p>
            <a class="btn" href="/accounts">"Go to accounts"</a>
        </div>
    }
    .into_any()
}

/// An amount of `currency`, or [`format::EMPTY`] when missing.
pub fn money(amount: Option<&str>, currency: &str) -> String {
    match amount {
        Some(amount) if !amount.is_empty() => format::money(&Money {
            amount: amount.to_owned(),
            currency: currency.to_owned(),
        }),
        _ => format::EMPTY.to_owned(),
    }
}

/// A percentage with one decimal, or [`format::EMPTY`].
pub fn percent(value: Option<f64>) -> String {
    value.map_or_else(|| format::EMPTY.to_owned(), |v| format!("{v:.1} %"))
}

/// Days with one decimal, or [`format::EMPTY`].
pub fn days(value: Option<f64>) -> String {
    value.map_or_else(|| format::EMPTY.to_owned(), |v| format!("{v:.1} d"))
}

/// The note shown in place of money to a user without the amount grant.
pub fn amounts_hidden(id: &'static str) -> impl IntoView {
    view! { <p class="muted" id=id>"Amounts are hidden for your role; counts are shown."</p> }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_written_for_people() {
        assert_eq!(money(Some("1250.5"), "EUR"), "1,250.5 EUR");
        assert_eq!(money(None, "EUR"), "—");
        assert_eq!(percent(Some(62.54)), "62.5 %");
        assert_eq!(percent(None), "—");
        assert_eq!(days(Some(3.0)), "3.0 d");
    }
}
