//! The opportunity mutations: create, update, and move on the board.

use super::{Opportunity, CARD_FIELDS, OPPORTUNITY_FIELDS};
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::FromJson;
use crate::api::{request, ApiError};
use serde_json::{json, Value};

input_mutations! {
    /// The opportunity mutations; each answers an `OpportunityPayload`.
    pub(crate) OpportunityWrite {
        Create = "createOpportunity", "CreateOpportunityInput";
        Update = "updateOpportunity", "UpdateOpportunityInput";
        Move = "moveOpportunity", "MoveOpportunityInput";
    }
}

impl OpportunityWrite {
    /// The document: a move reads the card back, the others the whole record.
    pub(crate) fn document(self) -> String {
        let fields = match self {
            OpportunityWrite::Create | OpportunityWrite::Update => OPPORTUNITY_FIELDS,
            OpportunityWrite::Move => CARD_FIELDS,
        };
        let selection = format!("opportunity {{ {fields} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Runs one of the opportunity mutations.
async fn mutate(mutation: OpportunityWrite, input: Value) -> Result<Opportunity, ApiError> {
    let data = request(&mutation.document(), json!({ "input": input })).await?;
    Ok(Opportunity::from_json(
        &data[mutation.field()]["opportunity"],
    ))
}

/// Creates an opportunity from a `CreateOpportunityInput`.
pub async fn create(input: Value) -> Result<Opportunity, ApiError> {
    mutate(OpportunityWrite::Create, input).await
}

/// Saves an `UpdateOpportunityInput`; fails with `CONFLICT` if its version is stale.
pub async fn update(input: Value) -> Result<Opportunity, ApiError> {
    mutate(OpportunityWrite::Update, input).await
}

/// `MoveOpportunityInput`: where a card was dropped.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MoveInput {
    /// The card.
    pub id: String,
    /// Version the move started from.
    pub version: i64,
    /// The column it goes to.
    pub stage_id: String,
    /// The card it now follows; `None` at the top.
    pub after_id: Option<String>,
    /// The card it now precedes; `None` at the bottom.
    pub before_id: Option<String>,
    /// Why it was lost, when moved to a lost stage.
    pub lost_reason: Option<String>,
    /// Note kept with the stage change in the history.
    pub note: Option<String>,
}

impl MoveInput {
    /// The input as sent.
    pub fn to_json(&self) -> Value {
        let mut input = json!({
            "id": self.id,
            "version": self.version,
            "stageId": self.stage_id,
            "afterId": self.after_id,
            "beforeId": self.before_id,
        });
        if let Some(reason) = &self.lost_reason {
            input["lostReason"] = json!(reason);
        }
        if let Some(note) = &self.note {
            input["note"] = json!(note);
        }
        input
    }
}

/// How a move ended.
#[derive(Clone, Debug, PartialEq)]
pub enum MoveOutcome {
    /// Saved; the card as it is now.
    Moved(Box<Opportunity>),
    /// Someone else changed the card first; `extensions.current` when given.
    Conflict(Option<Value>),
    /// Refused or not sent.
    Failed(ApiError),
}

/// Moves a card to a column, between two neighbours.
pub async fn move_card(input: &MoveInput) -> MoveOutcome {
    match mutate(OpportunityWrite::Move, input.to_json()).await {
        Ok(card) => MoveOutcome::Moved(Box::new(card)),
        Err(e) => match e.with_code("CONFLICT") {
            Some(conflict) => MoveOutcome::Conflict(
                conflict
                    .extensions
                    .as_ref()
                    .map(|ext| ext["current"].clone())
                    .filter(Value::is_object),
            ),
            None => MoveOutcome::Failed(e),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_input_names_both_neighbours() {
        let input = MoveInput {
            id: "O1".into(),
            version: 3,
            stage_id: "S2".into(),
            after_id: Some("O4".into()),
            before_id: None,
            ..MoveInput::default()
        };
        assert_eq!(
            input.to_json(),
            json!({ "id": "O1", "version": 3, "stageId": "S2", "afterId": "O4", "beforeId": null })
        );
        let lost = MoveInput {
            lost_reason: Some("Price".into()),
            ..input
        };
        assert_eq!(lost.to_json()["lostReason"], "Price");
    }
}
