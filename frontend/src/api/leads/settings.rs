//! Lead settings: the conversion mapping and the assignment rules.

use super::{mutate, Named};
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::schema_enum::schema_enum;
use crate::api::{fetch, request, ApiError, FieldErrors};
use serde_json::{json, Value};

schema_enum! {
    /// `MappingTarget`: the record a mapping row fills.
    MappingTarget {
        Account = "ACCOUNT", "Account";
        Contact = "CONTACT", "Contact";
        Opportunity = "OPPORTUNITY", "Opportunity";
    }
}

schema_enum! {
    /// `AssignmentKind`.
    AssignmentKind {
        RoundRobin = "ROUND_ROBIN", "Round robin in a team";
        ByArea = "BY_AREA", "By area";
    }
}

/// One row of the conversion mapping: `target.target_field ← source_field`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct MappingRow {
    /// Record filled.
    pub target: MappingTarget,
    /// Its field.
    pub target_field: String,
    /// Lead field it takes.
    pub source_field: String,
}

impl FromJson for MappingRow {
    fn from_json(v: &Value) -> Self {
        Self {
            target: json::enumerated(v, "target", MappingTarget::parse).unwrap_or_default(),
            target_field: json::text(v, "targetField"),
            source_field: json::text(v, "sourceField"),
        }
    }
}

/// The fields of `leadMappingFields` as `(name, what people read)`: sources, then account,
/// contact and opportunity fields. A custom field reads as its label, marked custom.
pub type MappingFields = [Vec<(String, String)>; 4];

/// The document of [`mapping`].
pub(crate) const MAPPING_QUERY: &str =
    "query ConversionMapping { leadConversionMapping { target targetField sourceField } \
     leadMappingFields { source { ...F } account { ...F } contact { ...F } opportunity { ...F } } } \
     fragment F on MappingField { name label customType }";

/// A mapping field's name and how a picker shows it.
fn mapping_field(f: &Value) -> (String, String) {
    let name = json::text(f, "name");
    let shown = if f["customType"].is_string() {
        format!("{} (custom)", json::text(f, "label"))
    } else {
        name.clone()
    };
    (name, shown)
}

/// The mapping and the fields it may use.
pub async fn mapping() -> Result<(Vec<MappingRow>, MappingFields), ApiError> {
    let data = request(MAPPING_QUERY, json!({})).await?;
    let fields = ["source", "account", "contact", "opportunity"].map(|k| {
        json::items(&data["leadMappingFields"][k])
            .iter()
            .map(mapping_field)
            .collect()
    });
    Ok((json::list(&data, "leadConversionMapping"), fields))
}

input_mutations! {
    /// The mutations of the lead settings.
    pub(crate) SettingsWrite {
        SetMapping = "setLeadConversionMapping", "SetLeadConversionMappingInput";
        CreateRule = "createAssignmentRule", "CreateAssignmentRuleInput";
        UpdateRule = "updateAssignmentRule", "UpdateAssignmentRuleInput";
    }
}

impl SettingsWrite {
    /// The document: the mapping answers with its entries, a rule with the rule.
    pub(crate) fn document(self) -> String {
        let selection = match self {
            SettingsWrite::SetMapping => "target targetField sourceField".to_owned(),
            SettingsWrite::CreateRule | SettingsWrite::UpdateRule => {
                format!("assignmentRule {{ {RULE_FIELDS} }}")
            }
        };
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

/// Replaces the mapping.
pub async fn set_mapping(rows: &[MappingRow]) -> Result<Vec<MappingRow>, ApiError> {
    let entries: Vec<Value> = rows
        .iter()
        .map(|r| json!({ "target": r.target, "targetField": r.target_field, "sourceField": r.source_field }))
        .collect();
    let mutation = SettingsWrite::SetMapping;
    let input = json!({ "entries": entries });
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(FromJson::from_json(&answer))
}

/// Splits the messages of a mapping refusal by row (`entries.N.field` → row
/// N); the messages about no one row (e.g. a required field missing) come last.
pub fn row_errors(errors: &FieldErrors, rows: usize) -> (Vec<Vec<String>>, Vec<String>) {
    let mut by_row = vec![Vec::new(); rows];
    let mut others = Vec::new();
    for (field, message) in errors.iter() {
        let mut parts = field.split('.');
        let row = match (parts.next(), parts.next()) {
            (Some("entries"), Some(n)) => n.parse::<usize>().ok().filter(|n| *n < rows),
            _ => None,
        };
        let text = match parts.next() {
            Some(f) => format!("{f}: {message}"),
            None => message.to_owned(),
        };
        match row {
            Some(n) => by_row[n].push(text),
            None => others.push(text),
        }
    }
    (by_row, others)
}

/// `AssignmentRule`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Rule {
    /// Opaque global id.
    pub id: String,
    /// Name.
    pub name: String,
    /// How it picks.
    pub kind: AssignmentKind,
    /// Round robin: the team whose members take turns.
    pub team: Option<Named>,
    /// By area: area → user id and name.
    pub areas: Vec<(String, Named)>,
    /// By area: the owner when no area matches.
    pub fallback: Option<Named>,
    /// In use.
    pub active: bool,
    /// Optimistic-lock version.
    pub version: i64,
}

impl FromJson for Rule {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            name: json::text(v, "name"),
            kind: json::enumerated(v, "kind", AssignmentKind::parse).unwrap_or_default(),
            team: json::object(v, "team"),
            areas: json::items(&v["areas"])
                .iter()
                .map(|a| (json::text(a, "area"), Named::from_json(&a["user"])))
                .collect(),
            fallback: json::object(v, "fallbackOwner"),
            active: json::flag(v, "active"),
            version: json::int(v, "version"),
        }
    }
}

const RULE_FIELDS: &str = "id name kind team { id name } areas { area user { id displayName } } \
     fallbackOwner { id displayName } active version";

/// The document of [`rules`].
pub(crate) fn rules_query() -> String {
    format!("query AssignmentRules {{ assignmentRules {{ {RULE_FIELDS} }} }}")
}

/// Every rule.
pub async fn rules() -> Result<Vec<Rule>, ApiError> {
    fetch(&rules_query(), json!({}), "assignmentRules").await
}

/// The document of [`teams`].
pub(crate) const TEAMS_QUERY: &str = "query Teams { teams { id name } }";

/// Teams to choose from.
pub async fn teams() -> Result<Vec<Named>, ApiError> {
    fetch(TEAMS_QUERY, json!({}), "teams").await
}

/// The rule editor's state.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RuleDraft {
    /// Name.
    pub name: String,
    /// Kind (fixed once saved).
    pub kind: AssignmentKind,
    /// Team id, for round robin.
    pub team_id: String,
    /// Area → user id rows, for by area.
    pub areas: Vec<(String, String)>,
    /// Fallback owner id, for by area.
    pub fallback_id: String,
    /// In use.
    pub active: bool,
}

impl RuleDraft {
    /// The editor filled with a saved rule.
    pub fn from_rule(r: &Rule) -> Self {
        let id = |n: &Option<Named>| n.as_ref().map(|n| n.id.clone()).unwrap_or_default();
        Self {
            name: r.name.clone(),
            kind: r.kind,
            team_id: id(&r.team),
            areas: r
                .areas
                .iter()
                .map(|(a, u)| (a.clone(), u.id.clone()))
                .collect(),
            fallback_id: id(&r.fallback),
            active: r.active,
        }
    }

    /// The create input, or the update input for `saved`: only what the kind uses.
    pub fn to_input(&self, saved: Option<&Rule>) -> Value {
        let mut input = json!({ "name": self.name.trim() });
        match self.kind {
            AssignmentKind::RoundRobin if !self.team_id.is_empty() => {
                input["teamId"] = json!(self.team_id)
            }
            AssignmentKind::RoundRobin => {}
            AssignmentKind::ByArea => {
                let areas: Vec<Value> = self
                    .areas
                    .iter()
                    .filter(|(a, u)| !(a.trim().is_empty() && u.is_empty()))
                    .map(|(a, u)| json!({ "area": a.trim(), "userId": u }))
                    .collect();
                input["areas"] = json!(areas);
                if !self.fallback_id.is_empty() {
                    input["fallbackOwnerId"] = json!(self.fallback_id);
                }
            }
        }
        match saved {
            None => input["kind"] = json!(self.kind),
            Some(r) => {
                input["id"] = json!(r.id);
                input["version"] = json!(r.version);
                input["active"] = json!(self.active);
            }
        }
        input
    }
}

/// Creates (`saved` is `None`) or updates a rule.
pub async fn save_rule(draft: &RuleDraft, saved: Option<&Rule>) -> Result<Rule, ApiError> {
    let mutation = match saved {
        None => SettingsWrite::CreateRule,
        Some(_) => SettingsWrite::UpdateRule,
    };
    let input = draft.to_input(saved);
    let answer = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Rule::from_json(&answer["assignmentRule"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_mapping_fields_read_as_their_label() {
        assert_eq!(
            mapping_field(&json!({"name": "industry", "label": "industry", "customType": null})),
            ("industry".to_string(), "industry".to_string())
        );
        assert_eq!(
            mapping_field(
                &json!({"name": "custom.budget", "label": "Budget", "customType": "MONEY"})
            ),
            ("custom.budget".to_string(), "Budget (custom)".to_string())
        );
    }

    #[test]
    fn mapping_errors_go_to_their_rows() {
        let mut e = FieldErrors::default();
        e.push("entries.1.targetField", "appears twice");
        e.push("entries", "account.name is required");
        e.push("entries.9.sourceField", "unknown");
        let (rows, others) = row_errors(&e, 2);
        assert_eq!(rows[1], ["targetField: appears twice"]);
        assert!(rows[0].is_empty());
        assert_eq!(others, ["account.name is required", "sourceField: unknown"]);
    }

    #[test]
    fn rule_inputs_carry_what_the_kind_uses() {
        let mut d = RuleDraft {
            name: "North".into(),
            team_id: "T1".into(),
            areas: vec![
                ("North ".into(), "U1".into()),
                (String::new(), String::new()),
            ],
            ..RuleDraft::default()
        };
        assert_eq!(
            d.to_input(None),
            json!({ "name": "North", "kind": "ROUND_ROBIN", "teamId": "T1" })
        );
        d.kind = AssignmentKind::ByArea;
        let saved = Rule {
            id: "R1".into(),
            version: 3,
            ..Rule::default()
        };
        assert_eq!(
            d.to_input(Some(&saved)),
            json!({ "name": "North", "areas": [{ "area": "North", "userId": "U1" }],
                    "id": "R1", "version": 3, "active": false })
        );
    }
}
