//! GraphQL of the party lifecycle: deletion requests and decisions, restore, hard delete,
//! erasure, duplicates and merge.

use async_graphql::connection::Connection;
use async_graphql::{Context, Enum, InputObject, Object, SimpleObject, ID};
use entity::parties::parties;
use sea_orm::{ColumnTrait, PaginatorTrait, QueryFilter};

use super::graphql::Party;
use super::lifecycle::{self, status};
use super::merge::{self, Reason};
use super::operations::{party_id, PartyPayload};
use super::policy::PartyObject;
use super::service;
use super::sort::{SortField, SortKey};
use crate::error::AppResult;
use crate::kit::aggregate;
use crate::kit::paging::Page;
use crate::kit::paging::TotalCount;
use crate::policy::Action;

/// Names a party at the version you read.
#[derive(InputObject)]
pub struct PartyRefInput {
    pub id: ID,
    pub version: i32,
}

/// Asks for a party to be deleted.
#[derive(InputObject)]
pub struct RequestPartyDeletionInput {
    pub id: ID,
    pub version: i32,
    /// Why it should go (shown to the approving manager).
    pub reason: String,
}

/// Deletes an archived, unreferenced party for good.
#[derive(InputObject)]
pub struct DeletePartyInput {
    pub id: ID,
}

/// Merges `mergedId` into `survivorId`.
#[derive(InputObject)]
pub struct MergePartiesInput {
    pub survivor_id: ID,
    pub survivor_version: i32,
    pub merged_id: ID,
    pub merged_version: i32,
}

/// Why a party looks like a duplicate.
#[derive(Enum, Copy, Clone, PartialEq, Eq)]
pub enum DuplicateReason {
    SameEmail,
    SameNameAndOrganization,
    SameName,
}

/// A likely duplicate.
#[derive(SimpleObject)]
pub struct DuplicateCandidate {
    pub party: Party,
    pub reason: DuplicateReason,
}

/// The result of a hard delete.
#[derive(SimpleObject)]
pub struct DeletePartyPayload {
    pub deleted_id: ID,
}

/// Lifecycle queries.
#[derive(Default)]
pub struct PartyLifecycleQuery;

#[Object]
impl PartyLifecycleQuery {
    /// Parties awaiting a deletion decision that you may decide on, oldest request first.
    async fn deletion_requests(
        &self,
        ctx: &Context<'_>,
        first: Option<i32>,
        after: Option<String>,
    ) -> AppResult<Connection<String, Party, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let sort = SortKey {
            field: SortField::UpdatedAt,
            desc: false,
        };
        let q = aggregate::visible::<PartyObject>(req, Action::ApproveDeletion)?
            .filter(parties::Column::Status.eq(status::DELETION_REQUESTED));
        let (rows, more) = service::page(&state.db, q.clone(), sort, &page).await?;
        let db = state.db.clone();
        let total = TotalCount::lazy(move || {
            let (db, q) = (db.clone(), q.clone());
            Box::pin(async move { Ok(q.count(&db).await?) })
        });
        Ok(crate::domain::parties::sort::connection(
            rows,
            page.after.is_some(),
            more,
            (sort, &Default::default()),
            total,
            Party::from_model,
        ))
    }

    /// Likely duplicates of a party among those you may see.
    async fn duplicates(&self, ctx: &Context<'_>, id: ID) -> AppResult<Vec<DuplicateCandidate>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = party_id(&id, "id")?;
        Ok(merge::duplicates(&state.db, req, uuid)
            .await?
            .into_iter()
            .map(|(m, r)| DuplicateCandidate {
                party: Party::from_model(m),
                reason: match r {
                    Reason::SameEmail => DuplicateReason::SameEmail,
                    Reason::SameNameAndOrganization => DuplicateReason::SameNameAndOrganization,
                    Reason::SameName => DuplicateReason::SameName,
                },
            })
            .collect())
    }
}

/// Lifecycle mutations.
#[derive(Default)]
pub struct PartyLifecycleMutation;

#[Object]
impl PartyLifecycleMutation {
    /// Asks a manager to delete a party; it stays visible until a decision.
    async fn request_party_deletion(
        &self,
        ctx: &Context<'_>,
        input: RequestPartyDeletionInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        Ok(PartyPayload::from(
            lifecycle::request_deletion(state, req, id, input.version, &input.reason).await?,
        ))
    }

    /// Approves a deletion request: the party is archived (hidden, never silently deleted).
    async fn approve_party_deletion(
        &self,
        ctx: &Context<'_>,
        input: PartyRefInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        Ok(PartyPayload::from(
            lifecycle::decide_deletion(state, req, id, input.version, true).await?,
        ))
    }

    /// Rejects a deletion request: the party is active again.
    async fn reject_party_deletion(
        &self,
        ctx: &Context<'_>,
        input: PartyRefInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        Ok(PartyPayload::from(
            lifecycle::decide_deletion(state, req, id, input.version, false).await?,
        ))
    }

    /// Restores an archived party.
    async fn restore_party(
        &self,
        ctx: &Context<'_>,
        input: PartyRefInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        Ok(PartyPayload::from(
            lifecycle::restore(state, req, id, input.version).await?,
        ))
    }

    /// Deletes an archived party that nothing refers to; referenced parties are refused.
    async fn delete_party(
        &self,
        ctx: &Context<'_>,
        input: DeletePartyInput,
    ) -> AppResult<DeletePartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        lifecycle::hard_delete(state, req, id).await?;
        Ok(DeletePartyPayload {
            deleted_id: input.id,
        })
    }

    /// Erases a person's personal data (names, contact details, logged values); business records
    /// and totals stay. Admins only.
    async fn erase_personal_data(
        &self,
        ctx: &Context<'_>,
        input: PartyRefInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        Ok(PartyPayload::from(
            lifecycle::erase(state, req, id, input.version).await?,
        ))
    }

    /// Merges a duplicate into the party that stays; every reference moves over.
    async fn merge_parties(
        &self,
        ctx: &Context<'_>,
        input: MergePartiesInput,
    ) -> AppResult<PartyPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let survivor = party_id(&input.survivor_id, "survivorId")?;
        let merged = party_id(&input.merged_id, "mergedId")?;
        Ok(PartyPayload::from(
            merge::merge(
                state,
                req,
                survivor,
                input.survivor_version,
                merged,
                input.merged_version,
            )
            .await?,
        ))
    }
}
