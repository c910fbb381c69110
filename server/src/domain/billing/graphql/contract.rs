//! Contracts: the type, the list (with the reviewer's queue) and the review workflow.

use super::*;
use crate::domain::billing::contracts::{self as svc, ContractStatus, Renewal, CONTRACT_REVIEW};
use entity::billing::contracts as contract_rows;

/// A contract with a customer.
#[derive(Clone)]
pub struct Contract(pub contract_rows::Model);

impl GlobalType for Contract {
    const TYPE_NAME: &'static str = "Contract";
}

#[Object]
impl Contract {
    /// Global id (type `Contract`).
    pub async fn id(&self) -> ID {
        Contract::global_id(self.0.id)
    }
    /// `CT-000123`.
    async fn number(&self) -> &str {
        &self.0.number
    }
    async fn title(&self) -> &str {
        &self.0.title
    }
    async fn status(&self) -> ContractStatus {
        ContractStatus::parse(&self.0.status).unwrap_or(ContractStatus::Draft)
    }
    async fn customer(&self, ctx: &Context<'_>) -> AppResult<Option<Party>> {
        party(ctx, Some(self.0.customer_id)).await
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        user(ctx, self.0.owner_id).await
    }
    async fn terms(&self) -> Option<&str> {
        self.0.terms.as_deref()
    }
    async fn start_date(&self) -> NaiveDate {
        self.0.start_date
    }
    async fn end_date(&self) -> NaiveDate {
        self.0.end_date
    }
    async fn value(&self) -> Money {
        money(self.0.value_minor, &self.0.currency)
    }
    async fn renewal(&self) -> Renewal {
        Renewal::parse(&self.0.renewal).unwrap_or(Renewal::None)
    }
    async fn notice_days(&self) -> i32 {
        self.0.notice_days
    }
    /// The last day notice can be given (`null` when it does not renew).
    async fn notice_date(&self) -> Option<NaiveDate> {
        (self.0.renewal != Renewal::None.as_str()).then(|| svc::notice_date(&self.0))
    }
    /// Who sent it for review.
    async fn submitted_by(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        match self.0.submitted_by {
            Some(id) => user(ctx, id).await,
            None => Ok(None),
        }
    }
    async fn submitted_at(&self) -> Option<DateTime<Utc>> {
        self.0.submitted_at
    }
    async fn reviewer(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        match self.0.reviewer_id {
            Some(id) => user(ctx, id).await,
            None => Ok(None),
        }
    }
    async fn reviewed_at(&self) -> Option<DateTime<Utc>> {
        self.0.reviewed_at
    }
    /// The reviewer's notes.
    async fn review_notes(&self) -> Option<&str> {
        self.0.review_notes.as_deref()
    }
    /// What the caller may do with it now.
    async fn can(&self, ctx: &Context<'_>) -> AppResult<ContractActions> {
        let req = crate::kit::resolve::caller(ctx)?;
        let update = may(req, ContractObject::OBJECT, Action::Update, self.0.owner_id);
        let status = ContractStatus::parse(&self.0.status);
        let open = matches!(
            status,
            Some(ContractStatus::Draft | ContractStatus::Rejected)
        );
        let me = req.actor().ok().map(|a| a.user_id);
        let reviewer = req
            .actor()
            .is_ok_and(|a| policy::check_field_write(a, CONTRACT_REVIEW).is_ok());
        let four_eyes = me.is_some() && me != self.0.submitted_by && me != self.0.created_by;
        Ok(ContractActions {
            edit: update && open,
            submit: update && open,
            review: update && reviewer && four_eyes && status == Some(ContractStatus::InReview),
        })
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
}

/// What the caller may do with a contract now.
#[derive(SimpleObject)]
pub struct ContractActions {
    pub edit: bool,
    /// Send it for review.
    pub submit: bool,
    /// Approve or reject it (a reviewer who neither wrote nor sent it).
    pub review: bool,
}

/// Filter of the contract list.
#[derive(InputObject, Default)]
pub struct ContractFilterInput {
    pub statuses: Option<Vec<ContractStatus>>,
    pub customer_id: Option<ID>,
    /// Only contracts in review that you may review (sent by someone else); needs
    /// `contract.review`.
    pub to_review: Option<bool>,
}

/// A new contract (a draft).
#[derive(InputObject)]
pub struct CreateContractInput {
    pub customer_id: ID,
    pub title: String,
    pub owner_id: Option<ID>,
    pub terms: Option<String>,
    pub start_date: String,
    pub end_date: String,
    pub currency: Option<String>,
    pub value: Option<Decimal>,
    /// Default `NONE`.
    pub renewal: Option<Renewal>,
    pub notice_days: Option<i32>,
}

/// Changes to a draft or rejected contract.
#[derive(InputObject)]
pub struct UpdateContractInput {
    pub id: ID,
    pub version: i32,
    pub title: Option<String>,
    pub owner_id: Option<ID>,
    /// An empty string clears them.
    pub terms: Option<String>,
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub currency: Option<String>,
    pub value: Option<Decimal>,
    pub renewal: Option<Renewal>,
    pub notice_days: Option<i32>,
}

/// A contract and its version.
#[derive(InputObject)]
pub struct ContractVersionInput {
    pub id: ID,
    pub version: i32,
}

/// A reviewer's decision.
#[derive(InputObject)]
pub struct ReviewContractInput {
    pub id: ID,
    pub version: i32,
    pub approve: bool,
    /// Required to reject.
    pub notes: Option<String>,
}

/// The contract after a mutation.
#[derive(SimpleObject)]
pub struct ContractPayload {
    pub contract: Contract,
}

/// Contract queries.
#[derive(Default)]
pub struct ContractQuery;

#[Object]
impl ContractQuery {
    /// Contracts you may see, newest first.
    async fn contracts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<ContractFilterInput>,
    ) -> AppResult<Connection<String, Contract, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let f = filter.unwrap_or_default();
        let filter = svc::ContractFilter {
            statuses: f.statuses.unwrap_or_default(),
            customer_id: f
                .customer_id
                .map(|id| party_id(&id, "filter.customerId"))
                .transpose()?,
            to_review: f.to_review.unwrap_or(false),
        };
        let (rows, more) = svc::list(&state.db, req, &filter, &page).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, f) = (db.clone(), req2.clone(), filter.clone());
            Box::pin(async move { svc::count(&db, &req, &f).await })
        });
        Ok(connection(
            rows,
            page.after.is_some(),
            more,
            total,
            svc::cursor,
            Contract,
        ))
    }

    /// One contract.
    async fn contract(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Contract>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = Contract::decode(&id, "id")?;
        Ok(svc::get(&state.db, req, uuid).await?.map(Contract))
    }
}

/// Contract mutations.
#[derive(Default)]
pub struct ContractMutation;

#[Object]
impl ContractMutation {
    /// Writes a draft contract.
    async fn create_contract(
        &self,
        ctx: &Context<'_>,
        input: CreateContractInput,
    ) -> AppResult<ContractPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let m = svc::create(
            state,
            req,
            svc::ContractChanges {
                customer_id: Some(party_id(&input.customer_id, "customerId")?),
                owner_id: optional_user_id(input.owner_id, "ownerId")?,
                title: Some(input.title),
                terms: input.terms,
                start_date: Some(input.start_date),
                end_date: Some(input.end_date),
                currency: input.currency,
                value: input.value.map(|d| d.0),
                renewal: input.renewal,
                notice_days: input.notice_days,
            },
        )
        .await?;
        Ok(ContractPayload {
            contract: Contract(m),
        })
    }

    /// Changes a draft or rejected contract.
    async fn update_contract(
        &self,
        ctx: &Context<'_>,
        input: UpdateContractInput,
    ) -> AppResult<ContractPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Contract::decode(&input.id, "id")?;
        let m = svc::update(
            state,
            req,
            id,
            input.version,
            svc::ContractChanges {
                customer_id: None,
                owner_id: optional_user_id(input.owner_id, "ownerId")?,
                title: input.title,
                terms: input.terms,
                start_date: input.start_date,
                end_date: input.end_date,
                currency: input.currency,
                value: input.value.map(|d| d.0),
                renewal: input.renewal,
                notice_days: input.notice_days,
            },
        )
        .await?;
        Ok(ContractPayload {
            contract: Contract(m),
        })
    }

    /// Sends a draft or rejected contract for review.
    async fn submit_contract(
        &self,
        ctx: &Context<'_>,
        input: ContractVersionInput,
    ) -> AppResult<ContractPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Contract::decode(&input.id, "id")?;
        let m = svc::submit(state, req, id, input.version).await?;
        Ok(ContractPayload {
            contract: Contract(m),
        })
    }

    /// Approves or rejects a contract in review (four eyes: not who wrote or sent it).
    async fn review_contract(
        &self,
        ctx: &Context<'_>,
        input: ReviewContractInput,
    ) -> AppResult<ContractPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = Contract::decode(&input.id, "id")?;
        let m = svc::review(
            state,
            req,
            id,
            input.version,
            svc::Review {
                approve: input.approve,
                notes: input.notes,
            },
        )
        .await?;
        Ok(ContractPayload {
            contract: Contract(m),
        })
    }
}
