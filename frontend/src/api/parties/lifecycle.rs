//! A party's life after creation: deletion requests and their decision,
//! restoring, erasing personal data, and merging duplicates.

use super::write::{mutate, party_selection};
use super::{DuplicateReason, Party, PARTY_REF_FIELDS};
use crate::api::input_mutation::{self, input_mutations};
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
    fn mutation(self) -> LifecycleWrite {
        match self {
            Decision::Approve => LifecycleWrite::ApproveDeletion,
            Decision::Reject => LifecycleWrite::RejectDeletion,
            Decision::Restore => LifecycleWrite::Restore,
            Decision::Erase => LifecycleWrite::Erase,
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

input_mutations! {
    /// The mutations of a party's life; each answers with the party.
    pub(crate) LifecycleWrite {
        RequestDeletion = "requestPartyDeletion", "RequestPartyDeletionInput";
        ApproveDeletion = "approvePartyDeletion", "PartyRefInput";
        RejectDeletion = "rejectPartyDeletion", "PartyRefInput";
        Restore = "restoreParty", "PartyRefInput";
        Erase = "erasePersonalData", "PartyRefInput";
        Merge = "mergeParties", "MergePartiesInput";
    }
}

impl LifecycleWrite {
    /// The document, reading the party back.
    pub(crate) fn document(self) -> String {
        input_mutation::document(self.field(), self.input_type(), &party_selection())
    }
}

async fn party_mutation(mutation: LifecycleWrite, input: Value) -> Result<Party, ApiError> {
    let payload = mutate(mutation.field(), &mutation.document(), input).await?;
    Ok(Party::from_json(&payload["party"]))
}

/// Asks for party `id` (read at `version`) to be deleted, for `reason`.
pub async fn request_deletion(id: &str, version: i32, reason: &str) -> Result<Party, ApiError> {
    let input = json!({ "id": id, "version": version, "reason": reason });
    party_mutation(LifecycleWrite::RequestDeletion, input).await
}

/// Runs `decision` on party `id` read at `version`.
pub async fn decide(decision: Decision, id: &str, version: i32) -> Result<Party, ApiError> {
    let input = json!({ "id": id, "version": version });
    party_mutation(decision.mutation(), input).await
}

/// Merges party `merged` into `survivor`, each named at the version read.
pub async fn merge(survivor: (&str, i32), merged: (&str, i32)) -> Result<Party, ApiError> {
    let input = json!({
        "survivorId": survivor.0, "survivorVersion": survivor.1,
        "mergedId": merged.0, "mergedVersion": merged.1,
    });
    party_mutation(LifecycleWrite::Merge, input).await
}

/// The document of [`duplicates`].
pub(crate) fn duplicates_query() -> String {
    format!(
        "query Duplicates($id: ID!) {{ duplicates(id: $id) {{ reason \
         party {{ {PARTY_REF_FIELDS} version }} }} }}"
    )
}

/// The likely duplicates of party `id`.
pub async fn duplicates(id: &str) -> Result<Vec<Duplicate>, ApiError> {
    let data = request(&duplicates_query(), json!({ "id": id })).await?;
    Ok(json::list(&data, "duplicates"))
}

/// The document of [`deletion_requests`].
pub(crate) const DELETION_REQUESTS_QUERY: &str =
    "query DeletionRequests($first: Int, $after: String) { \
     page: deletionRequests(first: $first, after: $after) { \
     totalCount pageInfo { hasNextPage endCursor } \
     edges { node { id code kind displayName version deletionReason updatedAt } } } }";

/// One page of the parties awaiting a deletion decision, oldest request first.
pub async fn deletion_requests(after: Option<&str>) -> Result<Connection<Party>, ApiError> {
    let variables = json!({ "first": REQUESTS_PAGE, "after": after });
    fetch(DELETION_REQUESTS_QUERY, variables, "page").await
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
        assert_eq!(Decision::Restore.mutation().field(), "restoreParty");
    }
}
