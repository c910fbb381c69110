//! The B2C part of a customer's profile: how they pay, where goods go, and
//! (once sales documents exist) their orders and feedback.

use crate::api::parties::{ContactMechanism, ContactPurpose, PaymentPreference};
use crate::format;
use leptos::prelude::*;

/// The first contact mechanism used for shipping.
pub fn shipping_address(mechanisms: &[ContactMechanism]) -> Option<&ContactMechanism> {
    mechanisms
        .iter()
        .find(|m| m.purposes.contains(&ContactPurpose::Shipping))
}

/// `#b2c-profile`.
#[component]
pub fn B2cProfile(
    /// Payment preference.
    payment_preference: Option<PaymentPreference>,
    /// The party's contact details (the shipping address is among them).
    mechanisms: RwSignal<Vec<ContactMechanism>>,
    /// The user may not see contact details.
    mechanisms_hidden: bool,
) -> impl IntoView {
    let shipping = move || {
        if mechanisms_hidden {
            return "Hidden".to_owned();
        }
        mechanisms.with(|list| match shipping_address(list) {
            Some(m) => m.value.clone(),
            None => "No shipping address".to_owned(),
        })
    };
    view! {
        <section class="card profile-section" id="b2c-profile" aria-labelledby="b2c-heading">
            <h2 id="b2c-heading">"Customer profile"</h2>
            <dl class="facts">
                <div>
                    <dt>"Payment preference"</dt>
                    <dd id="b2c-payment">{format::or_empty(payment_preference.map(PaymentPreference::label))}</dd>
                </div>
                <div>
                    <dt>"Shipping address"</dt>
                    <dd id="b2c-shipping">{shipping}</dd>
                </div>
            </dl>
            <h3>"Orders"</h3>
            <p class="empty" id="b2c-orders">"No orders yet"</p>
            <h3>"Feedback"</h3>
            <p class="empty" id="b2c-feedback">"No feedback yet"</p>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::parties::MechanismKind;

    #[test]
    fn the_first_shipping_address_wins() {
        let m = |id: &str, purposes: Vec<ContactPurpose>| ContactMechanism {
            id: id.into(),
            kind: MechanismKind::PostalAddress,
            value: format!("{id} Main St"),
            purposes,
            ..ContactMechanism::default()
        };
        let list = vec![
            m("1", vec![ContactPurpose::Billing]),
            m("2", vec![ContactPurpose::Primary, ContactPurpose::Shipping]),
            m("3", vec![ContactPurpose::Shipping]),
        ];
        assert_eq!(shipping_address(&list).map(|m| m.id.as_str()), Some("2"));
        assert_eq!(shipping_address(&list[..1]), None);
    }
}
