//! The opportunity form's text as typed, and how it becomes a create or
//! update input. Pure: no signals, no requests.

use crate::api::opportunities::{ContactRole, Opportunity};
use crate::api::FieldErrors;
use serde_json::{json, Map, Value};

/// A contact of the deal as the form holds it.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ContactDraft {
    /// The person's id.
    pub id: String,
    /// Name shown.
    pub name: String,
    /// Role in the deal.
    pub role: ContactRole,
}

/// What the opportunity form holds, one string per input.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpportunityDraft {
    /// Name.
    pub name: String,
    /// Account id.
    pub account_id: String,
    /// Owner's user id; empty for the default (the creator).
    pub owner_id: String,
    /// Pipeline id; empty for the default pipeline.
    pub pipeline_id: String,
    /// Stage id; empty for the pipeline's first stage.
    pub stage_id: String,
    /// Probability as typed; blank for the stage's default.
    pub probability: String,
    /// Amount as typed; blank for none.
    pub amount: String,
    /// Currency code.
    pub currency: String,
    /// Close date, `YYYY-MM-DD`.
    pub close_date: String,
    /// Next step.
    pub next_step: String,
    /// Date of the next step.
    pub next_step_date: String,
    /// Lead source (schema name); empty for none.
    pub lead_source: String,
    /// What the deal is about, several lines.
    pub description: String,
    /// Key of its type (pick-list); empty for none.
    pub opportunity_type: String,
    /// Why it was lost.
    pub lost_reason: String,
    /// Contacts with roles.
    pub contacts: Vec<ContactDraft>,
    /// Note kept with the changes in the history.
    pub note: String,
}

fn text(value: Option<&String>) -> String {
    value.cloned().unwrap_or_default()
}

/// The trimmed text unless blank.
fn non_blank(value: &str) -> Option<&str> {
    let value = value.trim();
    (!value.is_empty()).then_some(value)
}

impl OpportunityDraft {
    /// The form filled with a saved opportunity.
    pub fn from_opportunity(o: &Opportunity) -> Self {
        let amount = o.amount.as_ref();
        Self {
            name: o.name.clone(),
            account_id: o.account.as_ref().map(|a| a.id.clone()).unwrap_or_default(),
            owner_id: o.owner.as_ref().map(|u| u.id.clone()).unwrap_or_default(),
            pipeline_id: o.pipeline_id.clone(),
            stage_id: o.stage.id.clone(),
            probability: o.probability.to_string(),
            amount: amount.map(|m| m.amount.clone()).unwrap_or_default(),
            currency: amount.map(|m| m.currency.clone()).unwrap_or_default(),
            close_date: text(o.close_date.as_ref()),
            next_step: text(o.next_step.as_ref()),
            next_step_date: text(o.next_step_date.as_ref()),
            lead_source: o
                .lead_source
                .as_ref()
                .map(|(k, _)| k.clone())
                .unwrap_or_default(),
            description: text(o.description.as_ref()),
            opportunity_type: o
                .opportunity_type
                .as_ref()
                .map(|(k, _)| k.clone())
                .unwrap_or_default(),
            lost_reason: text(o.lost_reason.as_ref()),
            contacts: o
                .contacts
                .iter()
                .filter_map(|c| {
                    c.contact.as_ref().map(|p| ContactDraft {
                        id: p.id.clone(),
                        name: p.display_name.clone(),
                        role: c.role,
                    })
                })
                .collect(),
            note: String::new(),
        }
    }

    /// The probability typed: `Ok(None)` when blank, an error message unless
    /// a whole number from 0 to 100.
    fn probability(&self) -> Result<Option<i64>, FieldErrors> {
        let Some(typed) = non_blank(&self.probability) else {
            return Ok(None);
        };
        match typed.parse::<i64>() {
            Ok(p) if (0..=100).contains(&p) => Ok(Some(p)),
            _ => {
                let mut errors = FieldErrors::default();
                errors.push("probability", "must be a whole number from 0 to 100");
                Err(errors)
            }
        }
    }

    /// The amount typed, or `None` when blank. A blank currency is sent as
    /// is, for the server to report.
    fn amount(&self) -> Option<Value> {
        non_blank(&self.amount).map(
            |amount| json!({ "amount": crate::format::amount_typed(amount), "currency": self.currency.trim().to_ascii_uppercase() }),
        )
    }

    fn contacts_json(&self) -> Value {
        self.contacts
            .iter()
            .map(|c| json!({ "contactId": c.id, "role": c.role.as_str() }))
            .collect()
    }

    /// Input for `createOpportunity`: blank optional fields are left out; the
    /// amount only `with_amount` (the user may write it).
    pub fn create_input(&self, with_amount: bool) -> Result<Value, FieldErrors> {
        let probability = self.probability()?;
        let mut input = Map::new();
        input.insert("name".into(), json!(self.name.trim()));
        input.insert("accountId".into(), json!(self.account_id));
        let optional = [
            ("pipelineId", &self.pipeline_id),
            ("stageId", &self.stage_id),
            ("ownerId", &self.owner_id),
            ("closeDate", &self.close_date),
            ("nextStep", &self.next_step),
            ("nextStepDate", &self.next_step_date),
            ("leadSource", &self.lead_source),
            ("description", &self.description),
            ("opportunityType", &self.opportunity_type),
        ];
        for (key, value) in optional {
            if let Some(value) = non_blank(value) {
                input.insert(key.into(), json!(value));
            }
        }
        if let Some(p) = probability {
            input.insert("probability".into(), json!(p));
        }
        if let Some(amount) = self.amount().filter(|_| with_amount) {
            input.insert("amount".into(), amount);
        }
        if !self.contacts.is_empty() {
            input.insert("contacts".into(), self.contacts_json());
        }
        Ok(Value::Object(input))
    }

    /// Input for `updateOpportunity` with what changed since `saved` (an
    /// empty string clears a text or date, `amount: null` clears the
    /// amount), or `None` when nothing did. The stage is not part of it: a
    /// new stage is a move.
    pub fn update_input(
        &self,
        saved: &Opportunity,
        with_amount: bool,
    ) -> Result<Option<Value>, FieldErrors> {
        let probability = self.probability()?;
        let old = OpportunityDraft::from_opportunity(saved);
        let mut input = Map::new();
        let texts = [
            ("name", &self.name, &old.name),
            ("accountId", &self.account_id, &old.account_id),
            ("closeDate", &self.close_date, &old.close_date),
            ("nextStep", &self.next_step, &old.next_step),
            ("nextStepDate", &self.next_step_date, &old.next_step_date),
            ("lostReason", &self.lost_reason, &old.lost_reason),
            ("description", &self.description, &old.description),
            (
                "opportunityType",
                &self.opportunity_type,
                &old.opportunity_type,
            ),
        ];
        for (key, new, old) in texts {
            if new.trim() != old.trim() {
                input.insert(key.into(), json!(new.trim()));
            }
        }
        if non_blank(&self.owner_id) != non_blank(&old.owner_id) {
            input.insert("ownerId".into(), json!(non_blank(&self.owner_id)));
        }
        if self.lead_source != old.lead_source {
            input.insert("leadSource".into(), json!(non_blank(&self.lead_source)));
        }
        if probability.is_some_and(|p| p != saved.probability) {
            input.insert("probability".into(), json!(probability));
        }
        let amount = self.amount();
        if with_amount && amount != old.amount() {
            input.insert("amount".into(), amount.unwrap_or(Value::Null));
        }
        if self.contacts != old.contacts {
            input.insert("contacts".into(), self.contacts_json());
        }
        if input.is_empty() {
            return Ok(None);
        }
        input.insert("id".into(), json!(saved.id));
        input.insert("version".into(), json!(saved.version));
        if let Some(note) = non_blank(&self.note) {
            input.insert("note".into(), json!(note));
        }
        Ok(Some(Value::Object(input)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::accounts::{Account, Money};
    use crate::api::auth::User;
    use crate::api::opportunities::{OpportunityContact, Stage};
    use crate::api::parties::Party;

    fn saved() -> Opportunity {
        Opportunity {
            id: "O1".into(),
            name: "Acme – licences".into(),
            account: Some(Account {
                id: "A1".into(),
                ..Account::default()
            }),
            owner: Some(User {
                id: "U1".into(),
                ..User::default()
            }),
            stage: Stage {
                id: "S1".into(),
                ..Stage::default()
            },
            probability: 20,
            amount: Some(Money {
                amount: "1000.00".into(),
                currency: "EUR".into(),
            }),
            close_date: Some("2025-06-30".into()),
            contacts: vec![OpportunityContact {
                contact: Some(Party {
                    id: "P1".into(),
                    display_name: "Ada".into(),
                    ..Party::default()
                }),
                role: ContactRole::Champion,
            }],
            version: 5,
            ..Opportunity::default()
        }
    }

    #[test]
    fn create_leaves_out_blank_fields() -> Result<(), FieldErrors> {
        let draft = OpportunityDraft {
            name: " Acme – support ".into(),
            account_id: "A1".into(),
            probability: "30".into(),
            amount: "2500".into(),
            currency: "eur".into(),
            lead_source: "referral".into(),
            contacts: vec![ContactDraft {
                id: "P1".into(),
                name: "Ada".into(),
                role: ContactRole::DecisionMaker,
            }],
            ..OpportunityDraft::default()
        };
        assert_eq!(
            draft.create_input(true)?,
            json!({
                "name": "Acme – support", "accountId": "A1", "probability": 30,
                "amount": { "amount": "2500", "currency": "EUR" }, "leadSource": "referral",
                "contacts": [{ "contactId": "P1", "role": "DECISION_MAKER" }]
            })
        );
        assert!(draft.create_input(false)?.get("amount").is_none());
        // An amount typed the way the app shows amounts is sent as a plain decimal.
        let grouped = OpportunityDraft {
            amount: "1,000,000".into(),
            ..draft
        };
        assert_eq!(
            grouped.create_input(true)?["amount"],
            json!({ "amount": "1000000", "currency": "EUR" })
        );
        Ok(())
    }

    #[test]
    fn probability_must_be_a_percentage() {
        let draft = OpportunityDraft {
            probability: "120".into(),
            ..OpportunityDraft::default()
        };
        let errors = draft.create_input(true).err().unwrap_or_default();
        assert!(errors.get("probability").is_some());
        let draft = OpportunityDraft {
            probability: "abc".into(),
            ..OpportunityDraft::default()
        };
        assert!(draft.create_input(true).is_err());
    }

    #[test]
    fn an_untouched_form_sends_nothing() -> Result<(), FieldErrors> {
        let o = saved();
        let mut draft = OpportunityDraft::from_opportunity(&o);
        assert_eq!(draft.update_input(&o, true)?, None);
        // A note alone changes nothing.
        draft.note = "called".into();
        assert_eq!(draft.update_input(&o, true)?, None);
        Ok(())
    }

    #[test]
    fn update_sends_changes_and_clears() -> Result<(), FieldErrors> {
        let o = saved();
        let mut draft = OpportunityDraft::from_opportunity(&o);
        draft.name = "Acme – licences 2".into();
        draft.close_date = String::new();
        draft.amount = String::new();
        draft.owner_id = String::new();
        draft.probability = "45".into();
        draft.contacts[0].role = ContactRole::EconomicBuyer;
        draft.note = " Budget approved ".into();
        assert_eq!(
            draft.update_input(&o, true)?,
            Some(json!({
                "id": "O1", "version": 5, "name": "Acme – licences 2", "closeDate": "",
                "ownerId": null, "probability": 45, "amount": null,
                "contacts": [{ "contactId": "P1", "role": "ECONOMIC_BUYER" }],
                "note": "Budget approved"
            }))
        );
        // Without write access the amount is never sent.
        let input = draft.update_input(&o, false)?.unwrap_or_default();
        assert!(input.get("amount").is_none());
        Ok(())
    }
}
