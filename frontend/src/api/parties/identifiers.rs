//! A party's identifiers: tax ids (the `party.taxIds` field grant) and ids
//! in other systems. Each mutation answers with the party's list it changed.

use super::write::mutate;
use crate::api::input_mutation::{self, input_mutations};
use crate::api::json::{self, FromJson};
use crate::api::ApiError;
use serde_json::{json, Value};

/// Selection of a tax id.
pub const TAX_ID_FIELDS: &str = "id kind country value";
/// Selection of an external id.
pub const EXTERNAL_ID_FIELDS: &str = "id system value";

/// The kinds of tax id (`TaxIdKind`) with their labels.
pub const TAX_KINDS: &[(&str, &str)] = &[
    ("VAT", "VAT number"),
    ("GST", "GST number"),
    ("EIN", "EIN (United States)"),
    ("ABN", "ABN (Australia)"),
    ("OTHER", "Other tax number"),
];

/// The label of a tax id kind (the name itself when unknown).
pub fn tax_kind_label(kind: &str) -> &str {
    TAX_KINDS
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, label)| label)
}

/// `TaxId`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TaxId {
    pub id: String,
    /// `VAT`, `GST`, `EIN`, `ABN` or `OTHER`.
    pub kind: String,
    /// Two-letter country code.
    pub country: String,
    /// As entered.
    pub value: String,
}

impl FromJson for TaxId {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            kind: json::text(v, "kind"),
            country: json::text(v, "country"),
            value: json::text(v, "value"),
        }
    }
}

/// `ExternalId`: the party's id in another system.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ExternalId {
    pub id: String,
    /// The system's key, lower-case.
    pub system: String,
    pub value: String,
}

impl FromJson for ExternalId {
    fn from_json(v: &Value) -> Self {
        Self {
            id: json::text(v, "id"),
            system: json::text(v, "system"),
            value: json::text(v, "value"),
        }
    }
}

input_mutations! {
    /// Adding and removing identifiers.
    pub(crate) IdentifierWrite {
        AddTax = "addTaxId", "AddTaxIdInput";
        RemoveTax = "removeTaxId", "RemoveIdentifierInput";
        AddExternal = "addExternalId", "AddExternalIdInput";
        RemoveExternal = "removeExternalId", "RemoveIdentifierInput";
    }
}

impl IdentifierWrite {
    fn list(self) -> (&'static str, &'static str) {
        match self {
            Self::AddTax | Self::RemoveTax => ("taxIds", TAX_ID_FIELDS),
            Self::AddExternal | Self::RemoveExternal => ("externalIds", EXTERNAL_ID_FIELDS),
        }
    }

    /// The document, reading back the party's list it changed (never the
    /// other, which the caller may not be allowed to read).
    pub(crate) fn document(self) -> String {
        let (list, fields) = self.list();
        let selection = format!("party {{ id {list} {{ {fields} }} }}");
        input_mutation::document(self.field(), self.input_type(), &selection)
    }
}

async fn run<T: FromJson>(mutation: IdentifierWrite, input: Value) -> Result<Vec<T>, ApiError> {
    let payload = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Vec::from_json(&payload["party"][mutation.list().0]))
}

/// Adds a tax id; returns the party's tax ids.
pub async fn add_tax_id(
    party_id: &str,
    kind: &str,
    country: &str,
    value: &str,
) -> Result<Vec<TaxId>, ApiError> {
    let input = json!({ "partyId": party_id, "kind": kind, "country": country, "value": value });
    run(IdentifierWrite::AddTax, input).await
}

/// Removes tax id `id`; returns the party's tax ids left.
pub async fn remove_tax_id(id: &str) -> Result<Vec<TaxId>, ApiError> {
    run(IdentifierWrite::RemoveTax, json!({ "id": id })).await
}

/// Records the party's id in another system; returns its external ids.
pub async fn add_external_id(
    party_id: &str,
    system: &str,
    value: &str,
) -> Result<Vec<ExternalId>, ApiError> {
    let input = json!({ "partyId": party_id, "system": system, "value": value });
    run(IdentifierWrite::AddExternal, input).await
}

/// Removes external id `id`; returns the party's external ids left.
pub async fn remove_external_id(id: &str) -> Result<Vec<ExternalId>, ApiError> {
    run(IdentifierWrite::RemoveExternal, json!({ "id": id })).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tax_kinds_have_labels_and_lists_read_back() {
        assert_eq!(tax_kind_label("EIN"), "EIN (United States)");
        assert_eq!(tax_kind_label("NEW"), "NEW");
        let v = json!([{ "id": "T1", "kind": "VAT", "country": "DE", "value": "DE 1" }]);
        let list = Vec::<TaxId>::from_json(&v);
        assert_eq!(list[0].country, "DE");
        assert!(IdentifierWrite::AddExternal
            .document()
            .contains("externalIds { id system value }"));
        assert!(!IdentifierWrite::AddExternal.document().contains("taxIds"));
    }
}
