//! A party's life after creation: deletion requests and their decision,
//! restoring, erasing personal data, and merging duplicates.

use super::write::mutate;
use super::{DuplicateReason, Party, PARTY_FIELDS, PARTY_REF_FIELDS};
use crate::api::json::{self, FromJson};
use crate::api::paging::Connection;
use crate::api::{fetch, request, ApiError};
use serde_json::{json, Value};

/// Rows per page of the deletion requests.
pub const REQUESTS_PAGE: u32 = 20;

/// A mutation that takes the party at the version read (`PartyRefInput`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// `approvePartyDeletion`: the party is archived.
    Approve,
    /// `rejectPartyDeletion`: the party is active again.
    Reject,
    /// `restoreParty`: an archived party is active again.
    Restore,
    /// `erasePersonalData`: a person's personal data is erased.
    Erase,
}

impl Decision {
    fn mutation(self) -> &'static str {
        match self {
            Decision::Approve => "approvePartyDeletion",
            Decision::Reject => "rejectPartyDeletion",
            Decision::Restore => "restoreParty",
            Decision::Erase => "erasePersonalData",
        }
    }

    /// What the user is told once it is done.
    pub fn notice(self) -> &'static str {
        match self {
            Decision::Approve => "Deletion approved",
            Decision::Reject => "Deletion request rejected",
            Decision::Restore => "Restored",
            Decision::Erase => "Personal data erased",
        }
    }
}

/// A likely duplicate (`DuplicateCandidate`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Duplicate {
    /// Why it looks like one; `None` for a reason this app does not know.
    pub reason: Option<DuplicateReason>,
    /// The other party (id, code, name and version).
    pub party: Party,
}

impl FromJson for Duplicate {
    fn from_json(v: &Value) -> Self {
        Self {
            reason: json::enumerated(v, "reason", DuplicateReason::parse),
            party: Party::from_json(&v["party"]),
        }
    }
}

async fn party_mutation(name: &str, input_type: &str, input: Value) -> Result<Party, ApiError> {
    let selection = format!("party {{ {PARTY_FIELDS} }}");
    let payload = mutate(name, input_type, &selection, input).await?;
    Ok(Party::from_json(&payload["party"]))
}

/// Asks for party `id` (read at `version`) to be deleted, for `reason`.
pub async fn request_deletion(id: &str, version: i32, reason: &str) -> Result<Party, ApiError> {
    let input = json!({ "id": id, "version": version, "reason": reason });
    party_mutation("requestPartyDeletion", "RequestPartyDeletionInput", input).await
}

/// Runs `decision` on party `id` read at `version`.
pub async fn decide(decision: Decision, id: &str, version: i32) -> Result<Party, ApiError> {
    let input = json!({ "id": id, "version": version });
    party_mutation(decision.mutation(), "PartyRefInput", input).await
}

/// Merges party `merged` into `survivor`, each named at the version read.
pub async fn merge(survivor: (&str, i32), merged: (&str, i32)) -> Result<Party, ApiError> {
    let input = json!({
        "survivorId": survivor.0, "survivorVersion": survivor.1,
        "mergedId": merged.0, "mergedVersion": merged.1,
    });
    party_mutation("mergeParties", "MergePartiesInput", input).await
}

/// The likely duplicates of party `id`.
pub async fn duplicates(id: &str) -> Result<Vec<Duplicate>, ApiError> {
    let query = format!(
        "query Duplicates($id: ID!) {{ duplicates(id: $id) {{ reason \
         party {{ {PARTY_REF_FIELDS} version }} }} }}"
    );
    let data = request(&query, json!({ "id": id })).await?;
    Ok(json::list(&data, "duplicates"))
}

/// One page of the parties awaiting a deletion decision, oldest request first.
pub async fn deletion_requests(after: Option<&str>) -> Result<Connection<Party>, ApiError> {
    let query = "query DeletionRequests($first: Int, $after: String) { \
         page: deletionRequests(first: $first, after: $after) { \
         totalCount pageInfo { hasNextPage endCursor } \
         edges { node { id code kind displayName version deletionReason updatedAt } } } }";
    let variables = json!({ "first": REQUESTS_PAGE, "after": after });
    fetch(query, variables, "page").await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_duplicate_reads_its_reason_and_party() {
        let d = Duplicate::from_json(&json!({
            "reason": "SAME_NAME_AND_ORGANIZATION",
            "party": { "id": "P2", "code": "C-2", "displayName": "Ada", "version": 3 }
        }));
        assert_eq!(d.reason, Some(DuplicateReason::NameAndOrganization));
        assert_eq!((d.party.id.as_str(), d.party.version), ("P2", 3));
        assert_eq!(DuplicateReason::Email.label(), "Same e-mail address");
        assert_eq!(Decision::Restore.mutation(), "restoreParty");
    }
}
