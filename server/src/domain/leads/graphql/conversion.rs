//! The conversion mapping, the conversion preview and `convertLead`'s inputs and payload.

use super::*;

/// One line of the conversion mapping.
#[derive(SimpleObject)]
pub struct LeadFieldMapping {
    pub target: MappingTarget,
    pub target_field: String,
    pub source_field: String,
}

pub(super) fn mapping_out(lines: Vec<MappingLine>) -> Vec<LeadFieldMapping> {
    lines
        .into_iter()
        .map(|l| LeadFieldMapping {
            target: l.target,
            target_field: l.target_field,
            source_field: l.source_field,
        })
        .collect()
}

/// A field a mapping can read or fill: built in, or a custom field as `custom.<key>`.
#[derive(SimpleObject)]
pub struct MappingField {
    pub name: String,
    /// The custom field's label; a built-in field's name.
    pub label: String,
    /// `TEXT`, `EMAIL`, `PHONE` or `WEB`, which built-in fields of the same kind take; a custom
    /// field of another type holds its type (`MONEY`, `PICK`, …) and maps to its type only.
    pub kind: String,
    /// The custom field's type; `null` for a built-in field.
    pub custom_type: Option<CustomFieldType>,
    pub max_length: Option<i32>,
    pub required: bool,
}

pub(super) fn specs(list: Vec<fields::Field>) -> Vec<MappingField> {
    list.into_iter()
        .map(|f| MappingField {
            kind: f.holds(),
            name: f.name,
            label: f.label,
            custom_type: f.custom.map(|c| c.field_type),
            max_length: f.max.map(|m| m as i32),
            required: f.required,
        })
        .collect()
}

/// The fields of a lead and of each conversion target.
#[derive(SimpleObject)]
pub struct LeadMappingFields {
    pub source: Vec<MappingField>,
    pub account: Vec<MappingField>,
    pub contact: Vec<MappingField>,
    pub opportunity: Vec<MappingField>,
}

/// A value a conversion would write.
#[derive(SimpleObject)]
pub struct MappedValue {
    pub field: String,
    pub source_field: String,
    pub value: Option<String>,
}

/// An existing party like the one a conversion would create.
#[derive(SimpleObject)]
pub struct ConversionMatch {
    /// An `Account` id for accounts, a `Person` id for contacts.
    pub id: ID,
    pub code: String,
    pub display_name: String,
    /// "same e-mail" or "same name".
    pub reason: String,
}

/// What a conversion would do for one target.
#[derive(SimpleObject)]
pub struct ConversionPlan {
    pub values: Vec<MappedValue>,
    pub matches: Vec<ConversionMatch>,
}

pub(super) fn plan_out(p: convert::Plan, type_name: &str, show_contacts: bool) -> ConversionPlan {
    ConversionPlan {
        values: p
            .values
            .into_iter()
            .map(|(field, source_field, value)| {
                let hidden = !show_contacts && matches!(source_field.as_str(), "email" | "phone");
                MappedValue {
                    field,
                    source_field,
                    value: if hidden { None } else { value },
                }
            })
            .collect(),
        matches: p
            .matches
            .into_iter()
            .map(|m| ConversionMatch {
                id: to_global_id(type_name, m.party.id),
                code: m.party.code.clone(),
                display_name: crate::domain::parties::service::display_name(&m.party),
                reason: m.reason.to_string(),
            })
            .collect(),
    }
}

/// What converting a lead would create, and the existing parties it could link instead.
#[derive(SimpleObject)]
pub struct LeadConversionPreview {
    /// Whether the lead can be converted now (qualified, not converted, not archived).
    pub convertible: bool,
    /// Why not, when not.
    pub reason: Option<String>,
    pub account: ConversionPlan,
    pub contact: ConversionPlan,
    pub opportunity: ConversionPlan,
}

/// The opportunity a conversion creates.
#[derive(InputObject, Default)]
pub struct ConvertOpportunityInput {
    /// Else the mapped value.
    pub name: Option<String>,
    pub pipeline_id: Option<ID>,
    pub stage_id: Option<ID>,
    pub amount: Option<MoneyInput>,
    /// `YYYY-MM-DD`.
    pub close_date: Option<String>,
}

/// Converts a qualified lead.
#[derive(InputObject)]
pub struct ConvertLeadInput {
    pub lead_id: ID,
    pub version: i32,
    /// Link this existing account instead of creating one.
    pub account_id: Option<ID>,
    /// Link this existing person instead of creating one.
    pub contact_id: Option<ID>,
    #[graphql(default = false)]
    pub create_opportunity: bool,
    pub opportunity: Option<ConvertOpportunityInput>,
}

/// What a conversion made or linked.
#[derive(SimpleObject)]
pub struct ConvertLeadPayload {
    pub lead: Lead,
    pub account: Account,
    pub contact: Person,
    pub opportunity: Option<Opportunity>,
}

/// One mapping line as given.
#[derive(InputObject)]
pub struct LeadFieldMappingInput {
    pub target: MappingTarget,
    pub target_field: String,
    pub source_field: String,
}

/// The whole new mapping.
#[derive(InputObject)]
pub struct SetLeadConversionMappingInput {
    pub entries: Vec<LeadFieldMappingInput>,
}
