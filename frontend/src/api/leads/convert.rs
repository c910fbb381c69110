//! Converting a qualified lead: the preview of what it would make, and `convertLead`.

use super::{mutate, Lead, Named, LEAD_FIELDS};
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::{fetch, ApiError};
use serde_json::{json, Value};

/// `MappedValue`: what one field of a new record would get.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MappedValue {
    /// Field of the new record.
    pub field: String,
    /// Lead field it comes from.
    pub source_field: String,
    /// The value; `None` when the lead has none.
    pub value: Option<String>,
}

impl FromJson for MappedValue {
    fn from_json(v: &Value) -> Self {
        Self {
            field: json::text(v, "field"),
            source_field: json::text(v, "sourceField"),
            value: json::opt_text(v, "value"),
        }
    }
}

/// `ConversionMatch`: an existing party that looks like the one to be made.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Match {
    /// Account or person id.
    pub id: String,
    /// Its code.
    pub code: String,
    /// Its name.
    pub display_name: String,
    /// Why it matches, e.g. "same e-mail".
    pub reason: String,
}

impl FromJson for Match {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            display_name: json::text(v, "displayName"),
            reason: json::text(v, "reason"),
        }
    }
}

/// `ConversionPlan`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    /// What a new record would get.
    pub values: Vec<MappedValue>,
    /// Existing records to link instead.
    pub matches: Vec<Match>,
}

impl FromJson for Plan {
    fn from_json(v: &Value) -> Self {
        Self {
            values: json::list(v, "values"),
            matches: json::list(v, "matches"),
        }
    }
}

/// `LeadConversionPreview`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Preview {
    /// The lead may be converted now.
    pub convertible: bool,
    /// Why not, when not.
    pub reason: Option<String>,
    /// Account, contact and opportunity, in this order.
    pub plans: [Plan; 3],
}

impl FromJson for Preview {
    fn from_json(v: &Value) -> Self {
        Self {
            convertible: json::flag(v, "convertible"),
            reason: json::opt_text(v, "reason"),
            plans: ["account", "contact", "opportunity"].map(|k| Plan::from_json(&v[k])),
        }
    }
}

/// The document of [`preview`].
pub(crate) fn preview_query() -> String {
    let plan = "{ values { field sourceField value } matches { id code displayName reason } }";
    format!(
        "query ConversionPreview($id: ID!) {{ leadConversionPreview(leadId: $id) {{ convertible reason \
         account {plan} contact {plan} opportunity {plan} }} }}"
    )
}

/// Loads the preview of converting lead `id`.
pub async fn preview(id: &str) -> Result<Preview, ApiError> {
    fetch(
        &preview_query(),
        json!({ "id": id }),
        "leadConversionPreview",
    )
    .await
}

/// The opportunity part of a conversion, as typed.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpportunityDraft {
    /// Name; blank for the mapped one.
    pub name: String,
    /// Pipeline id; blank for the default.
    pub pipeline_id: String,
    /// Stage id; blank for the first.
    pub stage_id: String,
    /// Amount; blank for none.
    pub amount: String,
    /// Currency of the amount.
    pub currency: String,
    /// `YYYY-MM-DD`; blank for none.
    pub close_date: String,
}

/// `ConvertLeadInput`: `account`/`contact` name the existing records to link
/// (`None` creates new ones); `opportunity` is `None` for no opportunity.
pub fn convert_input(
    lead: &Lead,
    account: Option<&str>,
    contact: Option<&str>,
    opportunity: Option<&OpportunityDraft>,
) -> Value {
    let mut input = json!({ "leadId": lead.id, "version": lead.version });
    if let Some(id) = account {
        input["accountId"] = json!(id);
    }
    if let Some(id) = contact {
        input["contactId"] = json!(id);
    }
    if let Some(o) = opportunity {
        let mut opp = json!({});
        for (key, value) in [
            ("name", &o.name),
            ("pipelineId", &o.pipeline_id),
            ("stageId", &o.stage_id),
            ("closeDate", &o.close_date),
        ] {
            if !value.trim().is_empty() {
                opp[key] = json!(value.trim());
            }
        }
        if !o.amount.trim().is_empty() {
            opp["amount"] = json!({ "amount": crate::format::amount_typed(&o.amount), "currency": o.currency.trim().to_ascii_uppercase() });
        }
        input["createOpportunity"] = json!(true);
        input["opportunity"] = opp;
    }
    input
}

/// What conversion made: the lead as converted, then the account, contact and opportunity.
pub type Converted = (Lead, [Option<Named>; 3]);

input_mutations! {
    /// Conversion; it answers with the lead and what it became.
    pub(crate) ConvertWrite {
        Convert = "convertLead", "ConvertLeadInput";
    }
}

impl ConvertWrite {
    /// The document, reading the converted lead and the new records back.
    pub(crate) fn document(self) -> String {
        let selection = format!(
            "lead {{ {LEAD_FIELDS} }} account {{ id name }} contact {{ id displayName }} opportunity {{ id name }}"
        );
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Converts a lead.
pub async fn convert(input: Value) -> Result<Converted, ApiError> {
    let mutation = ConvertWrite::Convert;
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    let made = ["account", "contact", "opportunity"].map(|k| json::object(&answer, k));
    Ok((Lead::from_json(&answer["lead"]), made))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_input_links_or_creates() {
        let lead = Lead {
            id: "L1".into(),
            version: 4,
            ..Lead::default()
        };
        assert_eq!(
            convert_input(&lead, Some("A1"), None, None),
            json!({ "leadId": "L1", "version": 4, "accountId": "A1" })
        );
        let opp = OpportunityDraft {
            name: " Deal ".into(),
            amount: "100".into(),
            currency: "eur".into(),
            ..OpportunityDraft::default()
        };
        assert_eq!(
            convert_input(&lead, None, Some("P1"), Some(&opp)),
            json!({ "leadId": "L1", "version": 4, "contactId": "P1", "createOpportunity": true,
                    "opportunity": { "name": "Deal", "amount": { "amount": "100", "currency": "EUR" } } })
        );
    }

    #[test]
    fn the_preview_reads_three_plans() {
        let p = Preview::from_json(&json!({
            "convertible": true,
            "account": { "values": [{ "field": "name", "sourceField": "organizationName", "value": "Acme" }],
                         "matches": [{ "id": "A1", "code": "A-1", "displayName": "Acme", "reason": "same name" }] },
            "contact": { "values": [], "matches": [] }
        }));
        assert!(p.convertible);
        assert_eq!(p.plans[0].values[0].value.as_deref(), Some("Acme"));
        assert_eq!(p.plans[0].matches[0].reason, "same name");
        assert!(p.plans[2].values.is_empty());
    }
}
