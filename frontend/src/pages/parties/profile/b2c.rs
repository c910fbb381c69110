//! The B2C part of a customer's profile: how they pay, where goods go, their
//! orders and feedback, and the latest steps of their journey.

use crate::api::parties::{B2c, PaymentPreference};
use crate::format;
use crate::pages::activities::timeline::action_label;
use leptos::prelude::*;

/// "No orders yet", "3 orders".
fn count_text(n: i64, singular: &str, plural: &str) -> String {
    if n == 0 {
        format!("No {plural} yet")
    } else {
        format::count(n, singular, plural)
    }
}

/// `#b2c-profile`.
#[component]
pub fn B2cProfile(
    /// The B2C part of the party.
    b2c: B2c,
    /// The user may not see contact details.
    mechanisms_hidden: bool,
) -> impl IntoView {
    let shipping = match &b2c.shipping_address {
        _ if mechanisms_hidden => "Hidden".to_owned(),
        Some(m) => m.value.clone(),
        None => "No shipping address".to_owned(),
    };
    let journey = if b2c.journey.nodes.is_empty() {
        view! { <p class="empty">"Nothing has happened yet."</p> }.into_any()
    } else {
        let items = b2c
            .journey
            .nodes
            .iter()
            .map(|entry| {
                view! {
                    <li class="journey-entry" data-action=entry.action.clone()>
                        <span class="timeline-action">{action_label(&entry.action)}</span>
                        " "
                        <time datetime=entry.at.clone()>{format::date_time(&entry.at)}</time>
                    </li>
                }
            })
            .collect_view();
        view! { <ol class="rows" id="b2c-journey">{items}</ol> }.into_any()
    };
    view! {
        <section class="card profile-section" id="b2c-profile" aria-labelledby="b2c-heading">
            <h2 id="b2c-heading">"Customer profile"</h2>
            <dl class="facts">
                <div>
                    <dt>"Payment preference"</dt>
                    <dd id="b2c-payment">
                        {format::or_empty(b2c.payment_preference.map(PaymentPreference::label))}
                    </dd>
                </div>
                <div>
                    <dt>"Shipping address"</dt>
                    <dd id="b2c-shipping">{shipping}</dd>
                </div>
            </dl>
            <h3>"Orders"</h3>
            <p class="empty" id="b2c-orders">
                {count_text(b2c.orders, "order", "orders")}
            </p>
            <h3>"Feedback"</h3>
            <p class="empty" id="b2c-feedback">
                {count_text(b2c.feedback, "feedback entry", "feedback")}
            </p>
            <h3>"Journey"</h3>
            {journey}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count_text(0, "order", "orders"), "No orders yet");
        assert_eq!(count_text(1, "order", "orders"), "1 order");
        assert_eq!(count_text(3, "order", "orders"), "3 orders");
    }
}
