//! `/quotes/new?opportunity=…` or `?customer=…`: a new draft quote, fetched on its own (the party
//! search is big).

use crate::api::documents::{self, QuoteWrite};
use crate::api::parties::Party;
use crate::components::party_search::PartySearch;
use crate::page::lazy::lazy_part;
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use serde_json::json;

lazy_part!(
    /// The new-quote form.
    pub fn new_quote(props: NewQuotePart), chunk = new_quote, load = load_new_quote, view = new_quote_view
);

/// No props: the form reads the address.
pub struct NewQuotePart;

fn new_quote_view(_: NewQuotePart) -> AnyView {
    view! { <NewQuote /> }.into_any()
}

/// The form.
#[component]
fn NewQuote() -> impl IntoView {
    let query = use_query_map();
    let opportunity = query.with_untracked(|q| q.get("opportunity").unwrap_or_default());
    let customer = RwSignal::new(None::<Party>);
    let [title, currency, valid_until] = [(); 3].map(|()| RwSignal::new(String::new()));
    currency.set("EUR".into());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let navigate = use_navigate();
    let from_opportunity = !opportunity.is_empty();
    let create = move |_| {
        let mut input = json!({ "currency": currency.get_untracked().trim() });
        if from_opportunity {
            input["opportunityId"] = json!(opportunity.clone());
        } else if let Some(c) = customer.get_untracked() {
            input["customerId"] = json!(c.id);
        } else {
            error.set(Some("Choose the customer first.".into()));
            return;
        }
        for (key, value) in [("title", title), ("validUntil", valid_until)] {
            let v = value.get_untracked();
            if !v.trim().is_empty() {
                input[key] = json!(v.trim());
            }
        }
        busy.set(true);
        let navigate = navigate.clone();
        spawn_local(async move {
            match documents::save(QuoteWrite::Create, input).await {
                Ok(q) => navigate(&format!("/quotes/{}", q.id), Default::default()),
                Err(e) => {
                    error.set(Some(e.to_string()));
                    busy.set(false);
                }
            }
        });
    };
    let on_pick = Callback::new(move |p: Party| customer.set(Some(p)));
    let input =
        |id: &'static str, label: &'static str, kind: &'static str, value: RwSignal<String>| {
            view! {
                <label class="field" for=id>
                    <span>{label}</span>
                    <input id=id type=kind prop:value=move || value.get()
                        on:input=move |ev| value.set(event_target_value(&ev)) />
                </label>
            }
        };
    view! {
        <div class="card narrow">
            <h1>"New quote"</h1>
            {if from_opportunity {
                view! { <p>"For the opportunity you came from: its account, currency and name are used."</p> }.into_any()
            } else {
                view! {
                    <div class="field">
                        <span>"Customer"</span>
                        <p id="quote-customer">{move || customer.get().map(|c| c.display_name).unwrap_or_else(|| "None chosen".into())}</p>
                        <PartySearch input_id="field-customer" label="Find the customer" on_pick />
                    </div>
                }.into_any()
            }}
            {input("field-title", "Title (optional)", "text", title)}
            {input("field-currency", "Currency", "text", currency)}
            {input("field-validUntil", "Valid until (default: 30 days)", "date", valid_until)}
            {move || error.get().map(|e| view! { <p class="alert alert-error" role="alert" id="quote-error">{e}</p> })}
            <div class="actions">
                <button id="create-quote" class="btn btn-primary" disabled=move || busy.get() on:click=create>"Create quote"</button>
                <a class="btn" href="/quotes">"Cancel"</a>
            </div>
        </div>
    }
}
