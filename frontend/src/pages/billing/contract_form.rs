//! `/contracts/new` (optionally `?customer=…`) and `/contracts/:id/edit`: a draft contract's
//! customer, title, terms, dates, value and renewal, fetched on its own (the party search is big).

use crate::api::billing::{self, Contract, ContractWrite};
use crate::api::parties::{self, Party};
use crate::api::FieldErrors;
use crate::components::field::FieldError;
use crate::components::load::load_once;
use crate::components::party_search::PartySearch;
use crate::components::session::{set_title, use_session};
use crate::components::status::Status;
use crate::page::form::{draft_signals, record_form, run, Failed, Field, FormSpec, Saved};
use crate::page::lazy::lazy_part;
use crate::page::record::{loaded_view, record_page, Missing};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use serde_json::{json, Value};

lazy_part!(
    /// The contract form.
    pub fn contract_form_part(props: ContractFormPart), chunk = contract_form, load = load_contract_form, view = form_view
);

/// No props: the form reads the address.
pub struct ContractFormPart;

fn form_view(_: ContractFormPart) -> AnyView {
    let new = use_params_map().with_untracked(|p| p.get("id").as_deref() == Some("new"));
    if !new {
        return record_page(
            |id| async move { billing::contract(&id).await },
            Missing::new(
                "Contract not found",
                ("/contracts", "Back to contracts"),
                "Loading…",
            ),
            |c| editor(Some(c), None),
        )
        .into_any();
    }
    set_title("New contract");
    let customer = use_query_map().with_untracked(|q| q.get("customer").unwrap_or_default());
    if customer.is_empty() {
        return editor(None, None);
    }
    let party = load_once(async move { parties::get(&customer).await });
    let missing = Missing::new(
        "Customer not found",
        ("/contracts", "Back to contracts"),
        "Loading…",
    );
    (move || loaded_view(party.get(), missing, |p| editor(None, Some(p)))).into_any()
}

/// The contract as typed.
#[derive(Clone, Debug, Default, PartialEq)]
struct ContractDraft {
    customer_id: String,
    title: String,
    terms: String,
    start_date: String,
    end_date: String,
    value: String,
    currency: String,
    renewal: String,
    notice_days: String,
}

draft_signals! {
    /// One signal per input.
    struct DraftSignals for ContractDraft {
        customer_id: String, title: String, terms: String, start_date: String, end_date: String,
        value: String, currency: String, renewal: String, notice_days: String,
    }
}

impl ContractDraft {
    fn of(c: &Contract) -> Self {
        let (value, currency) = c
            .value
            .as_ref()
            .map(|m| (m.amount.clone(), m.currency.clone()))
            .unwrap_or_default();
        Self {
            customer_id: c
                .customer
                .as_ref()
                .map(|p| p.id.clone())
                .unwrap_or_default(),
            title: c.title.clone(),
            terms: c.terms.clone().unwrap_or_default(),
            start_date: c.start_date.clone(),
            end_date: c.end_date.clone(),
            value,
            currency,
            renewal: c.renewal.clone(),
            notice_days: c.notice_days.to_string(),
        }
    }

    /// The create input, or the update input of `saved`.
    fn input(&self, saved: Option<&Contract>) -> Result<Value, FieldErrors> {
        let mut errors = FieldErrors::default();
        let mut input = json!({
            "title": self.title.trim(),
            "startDate": self.start_date.trim(),
            "endDate": self.end_date.trim(),
            "renewal": if self.renewal.is_empty() { "NONE" } else { &self.renewal },
        });
        match saved {
            Some(c) => {
                input["id"] = json!(c.id);
                input["version"] = json!(c.version);
                input["terms"] = json!(self.terms.trim());
            }
            None => {
                if self.customer_id.is_empty() {
                    errors.push("customerId", "is required");
                }
                input["customerId"] = json!(self.customer_id);
                if !self.terms.trim().is_empty() {
                    input["terms"] = json!(self.terms.trim());
                }
            }
        }
        if !self.value.trim().is_empty() {
            input["value"] = json!(crate::format::amount_typed(&self.value));
        }
        if !self.currency.trim().is_empty() {
            input["currency"] = json!(self.currency.trim().to_ascii_uppercase());
        }
        let days = self.notice_days.trim();
        if !days.is_empty() && self.renewal != "NONE" {
            match days.parse::<i32>() {
                Ok(d) => input["noticeDays"] = json!(d),
                Err(_) => errors.push("noticeDays", "must be a whole number of days"),
            }
        }
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

const VALUE: &[&str; 3] = &["value", "value.amount", "currency"];

fn editor(saved: Option<Contract>, customer: Option<Party>) -> AnyView {
    let session = use_session();
    let status = Status::new(session.take_flash());
    let errors = status.fields;
    let can_save = match &saved {
        Some(c) => c.can.edit,
        None => super::may("contract", "create"),
    };
    let mut start = ContractDraft {
        currency: "EUR".into(),
        renewal: "NONE".into(),
        notice_days: "30".into(),
        ..Default::default()
    };
    let customer_name = RwSignal::new(String::new());
    if let Some(c) = &saved {
        set_title(&format!("Edit {}", c.number));
        start = ContractDraft::of(c);
        customer_name.set(
            c.customer
                .as_ref()
                .map(|p| p.name.clone())
                .unwrap_or_default(),
        );
    }
    if let Some(p) = customer {
        start.customer_id = p.id;
        customer_name.set(p.display_name);
    }
    let d = DraftSignals::new(&start);
    let is_new = saved.is_none();
    let heading = saved
        .as_ref()
        .map_or_else(|| "New contract".to_owned(), |c| c.number.clone());
    let back = saved.as_ref().map_or_else(
        || "/contracts".to_owned(),
        |c| format!("/contracts/{}", c.id),
    );
    let saved = RwSignal::new(saved);
    let save = run(move || {
        let typed = d.get();
        let current = saved.get_untracked();
        async move {
            let input = typed.input(current.as_ref()).map_err(Failed::Invalid)?;
            let w = if current.is_some() {
                ContractWrite::Update
            } else {
                ContractWrite::Create
            };
            let c = billing::save_contract(w, input).await?;
            Ok(Saved::Go(format!("/contracts/{}", c.id)))
        }
    });
    let reload = run(move || {
        let id = saved.with_untracked(|s| s.as_ref().map(|c| c.id.clone()).unwrap_or_default());
        async move {
            if let Some(c) = billing::contract(&id).await? {
                d.fill(ContractDraft::of(&c));
                saved.set(Some(c));
            }
            Ok(())
        }
    });
    let on_pick = Callback::new(move |p: Party| {
        d.customer_id.set(p.id);
        customer_name.set(p.display_name);
    });
    let customer_field = view! {
        <div class="field" class:has-error=move || errors.with(|e| e.get("customerId").is_some())>
            <span class="label">"Customer" <span class="required" aria-hidden="true">" *"</span></span>
            <p class="chosen" id="contract-customer">{move || customer_name.get()}</p>
            {(is_new && can_save).then(|| view! { <PartySearch input_id="field-customerId" label="Find the customer" on_pick /> })}
            <FieldError name="customerId" errors />
        </div>
    };
    let renewals = [
        ("NONE", "Ends"),
        ("AUTOMATIC", "Automatic"),
        ("NOTICE", "On notice"),
    ]
    .map(|(v, l)| (v.to_owned(), l.to_owned()))
    .to_vec();
    let renews = Signal::derive(move || d.renewal.with(|r| r != "NONE"));
    let fields = vec![
        Field::custom(&["customerId"], customer_field.into_any()),
        Field::text("title", "Title", d.title).required(),
        Field::input("startDate", "Start", "date", d.start_date).required(),
        Field::input("endDate", "End", "date", d.end_date).required(),
        Field::money(VALUE, "Value", (d.value, d.currency), true),
        Field::select(
            "renewal",
            "Renewal",
            Signal::stored(renewals),
            d.renewal,
            "",
        ),
        Field::input("noticeDays", "Notice (days)", "number", d.notice_days).when(renews),
        Field::area("terms", "Terms", d.terms),
    ];
    record_form(FormSpec {
        crumb: ("/contracts", "Contracts"),
        heading: Signal::stored(heading),
        badges: None,
        actions: None,
        noun: "contract",
        status,
        fields,
        can_save,
        cancel: Signal::stored(back),
        more: None,
        before: None,
        side: None,
        save,
        reload: (!is_new).then_some(reload),
    })
}
