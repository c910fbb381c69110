//! Opportunities and the pipeline: pipelines and their stages, opportunities
//! with contacts and history, the board. Types here; the requests are in the
//! submodules.

pub(crate) mod board;
pub mod live;
pub(crate) mod write;

pub use board::{
    board, column, first_card, get, list, pipelines, totals, Board, BoardColumn, BoardFilter,
};
pub use write::{create, move_card, update, MoveInput, MoveOutcome};

use super::accounts::{Account, Money};
use super::auth::User;
use super::json::{self, FromJson};
use super::parties::Party;
use super::schema_enum::schema_enum;
use serde_json::Value;

schema_enum! {
    /// `OpportunityStatus`.
    OpportunityStatus {
        Open = "OPEN", "Open";
        Won = "WON", "Won";
        Lost = "LOST", "Lost";
    }
}

schema_enum! {
    /// `ContactRole`: what a contact is to the deal.
    ContactRole {
        DecisionMaker = "DECISION_MAKER", "Decision maker";
        EconomicBuyer = "ECONOMIC_BUYER", "Economic buyer";
        TechnicalBuyer = "TECHNICAL_BUYER", "Technical buyer";
        Influencer = "INFLUENCER", "Influencer";
        Champion = "CHAMPION", "Champion";
        User = "USER", "User";
        Other = "OTHER", "Other";
    }
}

schema_enum! {
    /// `HistoryField`: what an entry of the history changed.
    HistoryField {
        Stage = "STAGE", "Stage";
        Amount = "AMOUNT", "Amount";
        Probability = "PROBABILITY", "Probability";
        CloseDate = "CLOSE_DATE", "Close date";
    }
}

/// Selection of a stage.
const STAGE_FIELDS: &str = "id name position probability outcome retired";

/// Selection of an opportunity on the board (a card).
pub(crate) const CARD_FIELDS: &str = "id code name position probability status version \
     closeDate account { id name } owner { id email displayName } pipeline { id } stage { id name } \
     amount { amount currency } customFields { key label display showInList }";

/// Selection of every opportunity field the detail page shows.
pub(crate) const OPPORTUNITY_FIELDS: &str = "id code name position probability status version \
     closeDate nextStep nextStepDate leadSource { key label } description opportunityType { key label } \
     lostReason closedAt createdAt updatedAt \
     account { id name } owner { id email displayName } pipeline { id } \
     stage { id name position probability outcome retired } \
     amount { amount currency } weightedAmount { amount currency } \
     contacts { role contact { id code kind displayName area } } \
     customFields { key label type value display showInList canWrite options }";

/// `PipelineStage`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stage {
    /// Opaque global id.
    pub id: String,
    /// Name, e.g. "Proposal".
    pub name: String,
    /// Order within the pipeline.
    pub position: i64,
    /// Default probability of the stage, 0–100.
    pub probability: i64,
    /// Open, won or lost (`StageOutcome`, same values as the status).
    pub outcome: OpportunityStatus,
    /// No longer offered for new moves.
    pub retired: bool,
}

impl FromJson for Stage {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            position: json::int(v, "position"),
            probability: json::int(v, "probability"),
            outcome: json::enumerated(v, "outcome", OpportunityStatus::parse).unwrap_or_default(),
            retired: json::flag(v, "retired"),
        }
    }
}

/// `Pipeline` with its active stages in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pipeline {
    /// Opaque global id.
    pub id: String,
    /// Name.
    pub name: String,
    /// The pipeline shown when none is chosen.
    pub is_default: bool,
    /// The stages, in order.
    pub stages: Vec<Stage>,
}

impl FromJson for Pipeline {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            is_default: json::flag(v, "isDefault"),
            stages: json::list(v, "stages"),
        }
    }
}

/// `OpportunityContact`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OpportunityContact {
    /// The person; `None` when not visible to the user.
    pub contact: Option<Party>,
    /// Their role in the deal.
    pub role: ContactRole,
}

impl FromJson for OpportunityContact {
    fn from_json(v: &Value) -> Self {
        Self {
            contact: json::object(v, "contact"),
            role: json::enumerated(v, "role", ContactRole::parse).unwrap_or_default(),
        }
    }
}

/// An opportunity: a card on the board, or the record of the detail page.
/// Fields a query did not select keep their default.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Opportunity {
    /// Opaque global id.
    pub id: String,
    /// Short unique code.
    pub code: String,
    /// Name, "Company – what is sold".
    pub name: String,
    /// The account; `None` when not visible to the user.
    pub account: Option<Account>,
    /// Owning user.
    pub owner: Option<User>,
    /// Id of its pipeline.
    pub pipeline_id: String,
    /// Its stage (only the id on the board).
    pub stage: Stage,
    /// Order key within the column; sorts as plain text.
    pub position: String,
    /// Probability, 0–100.
    pub probability: i64,
    /// Estimated amount; `None` when unknown or hidden from the user's role.
    pub amount: Option<Money>,
    /// Amount × probability; `None` when unknown or hidden.
    pub weighted_amount: Option<Money>,
    /// Expected close date, `YYYY-MM-DD`.
    pub close_date: Option<String>,
    /// Next step.
    pub next_step: Option<String>,
    /// Date of the next step, `YYYY-MM-DD`.
    pub next_step_date: Option<String>,
    /// Where the lead came from: key and label of a value of the lead sources pick-list.
    pub lead_source: Option<(String, String)>,
    /// What the deal is about, several lines.
    pub description: Option<String>,
    /// Its type: key and label of a value of the opportunity types pick-list.
    pub opportunity_type: Option<(String, String)>,
    /// Open, won or lost.
    pub status: OpportunityStatus,
    /// Why it was lost.
    pub lost_reason: Option<String>,
    /// RFC 3339 time it was won or lost.
    pub closed_at: Option<String>,
    /// Contacts with their roles.
    pub contacts: Vec<OpportunityContact>,
    /// Optimistic-lock version, sent back with every write.
    pub version: i64,
    /// RFC 3339 creation time.
    pub created_at: String,
    /// RFC 3339 time of the last change.
    pub updated_at: String,
    /// The custom fields the user may read, as the API gave them (read with
    /// [`crate::api::custom_fields::values_of`] where they are shown).
    pub custom: Value,
}

impl FromJson for Opportunity {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            code: json::text(v, "code"),
            name: json::text(v, "name"),
            account: json::object(v, "account"),
            owner: json::object(v, "owner"),
            pipeline_id: json::text(&v["pipeline"], "id"),
            stage: Stage::from_json(&v["stage"]),
            position: json::text(v, "position"),
            probability: json::int(v, "probability"),
            amount: json::object(v, "amount"),
            weighted_amount: json::object(v, "weightedAmount"),
            close_date: json::opt_text(v, "closeDate"),
            next_step: json::opt_text(v, "nextStep"),
            next_step_date: json::opt_text(v, "nextStepDate"),
            lead_source: crate::api::picklists::chosen(v, "leadSource"),
            description: json::opt_text(v, "description"),
            opportunity_type: crate::api::picklists::chosen(v, "opportunityType"),
            status: json::enumerated(v, "status", OpportunityStatus::parse).unwrap_or_default(),
            lost_reason: json::opt_text(v, "lostReason"),
            closed_at: json::opt_text(v, "closedAt"),
            contacts: json::list(v, "contacts"),
            version: json::int(v, "version"),
            created_at: json::text(v, "createdAt"),
            updated_at: json::text(v, "updatedAt"),
            custom: v["customFields"].clone(),
        }
    }
}

impl Opportunity {
    /// Address of the detail page.
    pub fn href(&self) -> String {
        href(&self.id)
    }

    /// Takes the fields of a `CONFLICT`'s `extensions.current` (`stageId`,
    /// `position`, `version`, `status`, `probability`) over this copy.
    pub fn merge_current(&mut self, current: &Value) {
        if let Some(stage) = current["stageId"].as_str() {
            if stage != self.stage.id {
                self.stage = Stage {
                    id: stage.to_owned(),
                    ..Stage::default()
                };
            }
        }
        if let Some(position) = current["position"].as_str() {
            self.position = position.to_owned();
        }
        if let Some(version) = current["version"].as_i64() {
            self.version = version;
        }
        if let Some(status) = json::enumerated(current, "status", OpportunityStatus::parse) {
            self.status = status;
        }
        if let Some(probability) = current["probability"].as_i64() {
            self.probability = probability;
        }
    }
}

/// Address of the detail page of opportunity `id`.
pub fn href(id: &str) -> String {
    format!("/opportunities/{id}")
}

/// `OpportunityHistoryEntry`: one change of stage, amount, probability or close date.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct HistoryEntry {
    /// Opaque id.
    pub id: String,
    /// What changed.
    pub field: HistoryField,
    /// Value before (amounts as "12345.00 EUR"); `None` when empty or hidden.
    pub from: Option<String>,
    /// Value after.
    pub to: Option<String>,
    /// Name of the stage before, for a stage change.
    pub from_stage: Option<String>,
    /// Name of the stage after, for a stage change.
    pub to_stage: Option<String>,
    /// Note given with the change.
    pub note: Option<String>,
    /// Who changed it; `None` for the system.
    pub actor: Option<User>,
    /// RFC 3339 time.
    pub occurred_at: String,
}

impl FromJson for HistoryEntry {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            field: json::enumerated(v, "field", HistoryField::parse).unwrap_or_default(),
            from: json::opt_text(v, "from"),
            to: json::opt_text(v, "to"),
            from_stage: json::opt_text(&v["fromStage"], "name"),
            to_stage: json::opt_text(&v["toStage"], "name"),
            note: json::opt_text(v, "note"),
            actor: json::object(v, "actor"),
            occurred_at: json::text(v, "occurredAt"),
        }
    }
}

impl HistoryEntry {
    /// The value before, as shown: the stage name for a stage change.
    pub fn before(&self) -> Option<&str> {
        self.from_stage.as_deref().or(self.from.as_deref())
    }

    /// The value after, as shown.
    pub fn after(&self) -> Option<&str> {
        self.to_stage.as_deref().or(self.to.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_card_reads_with_its_amount_hidden() {
        let card = Opportunity::from_json(&json!({
            "id": "O1", "code": "OP-1", "name": "Acme – licences", "position": "a0",
            "probability": 40, "status": "OPEN", "version": 3, "closeDate": "2025-03-31",
            "account": { "id": "A1", "name": "Acme" }, "owner": { "id": "U1", "displayName": "Rita Rep" },
            "pipeline": { "id": "P1" }, "stage": { "id": "S2" }, "amount": null
        }));
        assert_eq!(card.stage.id, "S2");
        assert_eq!(card.pipeline_id, "P1");
        assert_eq!(card.amount, None);
        assert_eq!(card.version, 3);
        assert_eq!(card.account.map(|a| a.name).as_deref(), Some("Acme"));
        assert_eq!(
            card.owner.map(|o| o.display_name).as_deref(),
            Some("Rita Rep")
        );
        assert_eq!(card.close_date.as_deref(), Some("2025-03-31"));
        assert_eq!(card.status, OpportunityStatus::Open);
        assert_eq!(card.lead_source, None);
    }

    #[test]
    fn a_full_record_reads_contacts_and_enums() {
        let o = Opportunity::from_json(&json!({
            "id": "O1", "status": "LOST", "lostReason": "Price", "leadSource": { "key": "trade_show", "label": "Trade show" },
            "stage": { "id": "S9", "name": "Lost", "probability": 0, "outcome": "LOST" },
            "amount": { "amount": "1200.00", "currency": "EUR" },
            "contacts": [
                { "role": "CHAMPION", "contact": { "id": "P1", "displayName": "Ada" } },
                { "role": "NEW_ROLE", "contact": null }
            ]
        }));
        assert_eq!(o.status, OpportunityStatus::Lost);
        assert_eq!(o.stage.outcome, OpportunityStatus::Lost);
        assert_eq!(
            o.lead_source,
            Some(("trade_show".into(), "Trade show".into()))
        );
        assert_eq!(
            o.amount.as_ref().map(|m| m.amount.as_str()),
            Some("1200.00")
        );
        assert_eq!(o.contacts.len(), 2);
        assert_eq!(o.contacts[0].role, ContactRole::Champion);
        assert_eq!(
            o.contacts[0]
                .contact
                .as_ref()
                .map(|c| c.display_name.as_str()),
            Some("Ada")
        );
        assert!(o.contacts[1].contact.is_none());
        assert_eq!(o.href(), "/opportunities/O1");
    }

    #[test]
    fn conflict_current_overrides_the_card() {
        let mut card = Opportunity {
            id: "O1".into(),
            stage: Stage {
                id: "S1".into(),
                name: "Qualify".into(),
                ..Stage::default()
            },
            position: "a0".into(),
            version: 2,
            ..Opportunity::default()
        };
        card.merge_current(&json!({
            "id": "O1", "stageId": "S3", "position": "b5", "version": 4,
            "status": "WON", "probability": 100
        }));
        assert_eq!(card.stage.id, "S3");
        assert_eq!(card.position, "b5");
        assert_eq!(card.version, 4);
        assert_eq!(card.status, OpportunityStatus::Won);
        assert_eq!(card.probability, 100);
    }

    #[test]
    fn history_shows_stage_names_for_stage_changes() {
        let entry = HistoryEntry::from_json(&json!({
            "id": "H1", "field": "STAGE", "from": "S1", "to": "S2",
            "fromStage": { "name": "Qualify" }, "toStage": { "name": "Proposal" },
            "note": "Budget confirmed", "actor": { "id": "U1", "displayName": "Mia Manager" },
            "occurredAt": "2025-01-02T10:00:00Z"
        }));
        assert_eq!(entry.field, HistoryField::Stage);
        assert_eq!(entry.before(), Some("Qualify"));
        assert_eq!(entry.after(), Some("Proposal"));
        let amount =
            HistoryEntry::from_json(&json!({ "field": "AMOUNT", "from": null, "to": null }));
        assert_eq!(amount.before(), None);
        assert_eq!(amount.field, HistoryField::Amount);
    }
}
