//! GraphQL of accounts: thin resolvers over [`super::service`].

use async_graphql::connection::Connection;
use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::parties::parties;

use super::filter::{AccountFilter, AccountOrder, AccountOrderField};
use super::service::{self, AccountChanges, MoneyInput as ServiceMoney};
use crate::domain::money;
use crate::domain::parties::kinds::ContactMechanismKind;
use crate::domain::parties::loaders::MechanismsLoader;
use crate::domain::parties::mechanisms;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::Aggregate;
use crate::kit::ids::optional_user_id;
use crate::kit::ids::to_global_id;
use crate::kit::paging::Page;
use crate::kit::paging::{prime, Loaded, TotalCount};
use crate::kit::scalars::Decimal;
use crate::policy::FieldGuard;

/// An organisation the company sells to: a party with the ACCOUNT role.
#[derive(Clone)]
pub struct Account(pub parties::Model);

/// An amount of money.
#[derive(SimpleObject, Clone)]
pub struct Money {
    pub amount: Decimal,
    /// ISO 4217 code.
    pub currency: String,
}

impl Account {
    async fn primary(
        &self,
        ctx: &Context<'_>,
        kind: ContactMechanismKind,
    ) -> AppResult<Option<String>> {
        let loader = ctx.data::<Loaded<MechanismsLoader>>()?;
        let rows = loader
            .load_one(self.0.id)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading contact mechanisms: {e}")))?
            .unwrap_or_default();
        Ok(mechanisms::pick_primary(&rows, kind).map(|m| m.value.clone()))
    }
}

#[Object]
impl Account {
    /// Global id.
    pub async fn id(&self) -> ID {
        to_global_id("Account", self.0.id)
    }
    /// Custom fields you may read, in their order (`value` is `null` where unset).
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<crate::domain::custom_fields::graphql::CustomFieldValue>> {
        crate::domain::custom_fields::graphql::values_on(
            ctx,
            crate::domain::custom_fields::rules::CustomObject::Account,
            self.0.id,
        )
        .await
    }
    /// Unique human code, e.g. `A-000123`.
    async fn code(&self) -> &str {
        &self.0.code
    }
    /// The organisation's name.
    async fn name(&self) -> String {
        crate::domain::parties::service::display_name(&self.0)
    }
    /// Sales area or territory.
    async fn area(&self) -> Option<&str> {
        self.0.area.as_deref()
    }
    async fn industry(&self) -> Option<&str> {
        self.0.industry.as_deref()
    }
    async fn website(&self) -> Option<&str> {
        self.0.website.as_deref()
    }
    /// The primary e-mail. Contact data: `null` with a `FORBIDDEN` error without the field grant.
    #[graphql(guard = "FieldGuard::of(crate::domain::parties::policy::CONTACT_FIELD)")]
    async fn email(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.primary(ctx, ContactMechanismKind::Email).await
    }
    /// The primary phone. Contact data, guarded like `email`.
    #[graphql(guard = "FieldGuard::of(crate::domain::parties::policy::CONTACT_FIELD)")]
    async fn phone(&self, ctx: &Context<'_>) -> AppResult<Option<String>> {
        self.primary(ctx, ContactMechanismKind::Phone).await
    }
    /// Yearly revenue. Sensitive: `null` with a `FORBIDDEN` error for roles without the field grant.
    #[graphql(guard = "FieldGuard::of(crate::domain::accounts::policy::ANNUAL_REVENUE)")]
    async fn annual_revenue(&self) -> Option<Money> {
        match (self.0.annual_revenue_minor, &self.0.annual_revenue_currency) {
            (Some(minor), Some(currency)) => Some(Money {
                amount: Decimal(money::format_amount(minor, currency)),
                currency: currency.clone(),
            }),
            _ => None,
        }
    }
    /// The user responsible for the account.
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        let Some(owner) = self.0.owner_id else {
            return Ok(None);
        };
        let loader = ctx.data::<Loaded<UserLoader>>()?;
        let user = loader
            .load_one(owner)
            .await
            .map_err(|e| AppError::internal(anyhow::anyhow!("loading owner: {e}")))?;
        Ok(user.map(User))
    }
    /// Archived accounts are hidden from default lists and can be restored.
    async fn archived(&self) -> bool {
        self.0.archived_at.is_some()
    }
    /// Optimistic-concurrency version; send it back with updates.
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// Money as input.
#[derive(InputObject, Clone)]
pub struct MoneyInput {
    pub amount: Decimal,
    pub currency: String,
}

impl From<MoneyInput> for ServiceMoney {
    fn from(m: MoneyInput) -> Self {
        ServiceMoney {
            amount: m.amount.0,
            currency: m.currency,
        }
    }
}

/// A new account. Only `name` is required; a code is generated when none is given and the owner
/// defaults to you.
#[derive(InputObject)]
pub struct CreateAccountInput {
    pub name: String,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub annual_revenue: Option<MoneyInput>,
    pub owner_id: Option<ID>,
}

/// Changes to an account. Omitted fields stay as they are; an empty string clears an optional text
/// field; `annualRevenue: null` clears the revenue.
#[derive(InputObject)]
pub struct UpdateAccountInput {
    pub id: ID,
    /// The version you read; a newer stored version gives `CONFLICT`.
    pub version: i32,
    pub name: Option<String>,
    pub code: Option<String>,
    pub area: Option<String>,
    pub industry: Option<String>,
    pub website: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub annual_revenue: MaybeUndefined<MoneyInput>,
    pub owner_id: Option<ID>,
}

/// Names an account at a version (archive, restore).
#[derive(InputObject)]
pub struct AccountRefInput {
    pub id: ID,
    pub version: i32,
}

/// Gives accounts to another owner, all or none.
#[derive(InputObject)]
pub struct ReassignAccountsInput {
    /// The accounts (at most 200); each must be one you may update.
    pub ids: Vec<ID>,
    /// The new owner: an active user you may assign accounts to.
    pub owner_id: ID,
}

/// Archives accounts, all or none.
#[derive(InputObject)]
pub struct ArchiveAccountsInput {
    /// The accounts (at most 200); each must be one you may archive.
    pub ids: Vec<ID>,
}

/// The accounts after a bulk change, in the order named.
#[derive(SimpleObject)]
pub struct AccountsPayload {
    pub accounts: Vec<Account>,
}

fn account_ids(ids: &[ID]) -> AppResult<Vec<uuid::Uuid>> {
    ids.iter()
        .enumerate()
        .map(|(i, id)| party_id(id, &format!("ids.{i}")))
        .collect()
}

/// The account after a mutation.
#[derive(SimpleObject)]
pub struct AccountPayload {
    pub account: Account,
}

/// Account queries.
#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// One account; `null` when it does not exist or is not visible to you.
    async fn account(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Account>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let uuid = party_id(&id, "id")?;
        Ok(service::get(&state.db, req, uuid).await?.map(Account))
    }

    /// Accounts you may see. Archived accounts are left out unless `filter.archived` is given.
    async fn accounts(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "Page size, 1 to 100 (default 25).")] first: Option<i32>,
        after: Option<String>,
        filter: Option<AccountFilter>,
        order_by: Option<AccountOrder>,
    ) -> AppResult<Connection<String, Account, TotalCount>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let page = Page::new(first, after)?;
        let order_by = order_by.unwrap_or_default();
        let defs = match order_by.field {
            AccountOrderField::Custom => ctx
                .data::<crate::domain::custom_fields::graphql::DefinitionsCell>()?
                .get(&state.db)
                .await?
                .to_vec(),
            _ => Vec::new(),
        };
        let order = order_by.sort(&defs, req, "orderBy")?;
        let cond = AccountFilter::condition(filter.as_ref(), req)?;
        let (rows, more) = service::list(&state.db, req, cond.clone(), order, &page).await?;
        let keys = order.keys(&state.db, &rows).await?;
        let node = ctx.look_ahead().field("edges").field("node");
        prime::<crate::domain::custom_fields::graphql::CustomValueLoader>(
            ctx,
            node.field("customFields").exists(),
            rows.iter().map(|m| m.id),
        )
        .await?;
        prime::<UserLoader>(
            ctx,
            node.field("owner").exists(),
            rows.iter().filter_map(|m| m.owner_id),
        )
        .await?;
        let contacts = node.field("email").exists() || node.field("phone").exists();
        prime::<MechanismsLoader>(ctx, contacts, rows.iter().map(|m| m.id)).await?;
        let (db, req2) = (state.db.clone(), req.clone());
        let total = TotalCount::lazy(move || {
            let (db, req, cond) = (db.clone(), req2.clone(), cond.clone());
            Box::pin(async move { service::count(&db, &req, cond).await })
        });
        Ok(crate::domain::parties::sort::connection(
            rows,
            page.after.is_some(),
            more,
            (order, &keys),
            total,
            Account,
        ))
    }
}

/// Account mutations.
#[derive(Default)]
pub struct AccountMutation;

#[Object]
impl AccountMutation {
    /// Creates an account.
    async fn create_account(
        &self,
        ctx: &Context<'_>,
        input: CreateAccountInput,
    ) -> AppResult<AccountPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = AccountChanges {
            name: Some(input.name),
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            email: input.email,
            phone: input.phone,
            annual_revenue: input.annual_revenue.map(|m| Some(m.into())),
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
        };
        let m = service::create(state, req, changes).await?;
        Ok(AccountPayload {
            account: Account(m),
        })
    }

    /// Updates an account at the version you read.
    async fn update_account(
        &self,
        ctx: &Context<'_>,
        input: UpdateAccountInput,
    ) -> AppResult<AccountPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        let changes = AccountChanges {
            name: input.name,
            code: input.code,
            area: input.area,
            industry: input.industry,
            website: input.website,
            email: input.email,
            phone: input.phone,
            annual_revenue: match input.annual_revenue {
                MaybeUndefined::Undefined => None,
                MaybeUndefined::Null => Some(None),
                MaybeUndefined::Value(m) => Some(Some(m.into())),
            },
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
        };
        let m = service::update(state, req, id, input.version, changes).await?;
        Ok(AccountPayload {
            account: Account(m),
        })
    }

    /// Gives accounts to another owner in one transaction: every account must be one you may
    /// update and the owner one you may assign to, or nothing changes (the error names the
    /// account, e.g. `ids.3`). Each changed account gets a new version and a change-log entry.
    async fn reassign_accounts(
        &self,
        ctx: &Context<'_>,
        input: ReassignAccountsInput,
    ) -> AppResult<AccountsPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let ids = account_ids(&input.ids)?;
        let owner = crate::kit::ids::expect_global_id(&input.owner_id, "User", "ownerId")?;
        let accounts =
            service::bulk(state, req, &ids, service::BulkChange::Reassign(owner)).await?;
        Ok(AccountsPayload {
            accounts: accounts.into_iter().map(Account).collect(),
        })
    }

    /// Archives accounts in one transaction, all or none (already archived ones stay as they are).
    async fn archive_accounts(
        &self,
        ctx: &Context<'_>,
        input: ArchiveAccountsInput,
    ) -> AppResult<AccountsPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let ids = account_ids(&input.ids)?;
        let accounts = service::bulk(state, req, &ids, service::BulkChange::Archive).await?;
        Ok(AccountsPayload {
            accounts: accounts.into_iter().map(Account).collect(),
        })
    }

    /// Archives an account: hidden from default lists, never deleted.
    async fn archive_account(
        &self,
        ctx: &Context<'_>,
        input: AccountRefInput,
    ) -> AppResult<AccountPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        let m = service::set_archived(state, req, id, input.version, true).await?;
        Ok(AccountPayload {
            account: Account(m),
        })
    }

    /// Restores an archived account.
    async fn restore_account(
        &self,
        ctx: &Context<'_>,
        input: AccountRefInput,
    ) -> AppResult<AccountPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = party_id(&input.id, "id")?;
        let m = service::set_archived(state, req, id, input.version, false).await?;
        Ok(AccountPayload {
            account: Account(m),
        })
    }
}

/// What happened to an account, as a subscriber sees it.
#[derive(async_graphql::Enum, Copy, Clone, PartialEq, Eq, Debug)]
pub enum ChangeKind {
    /// Created or changed, and visible to you.
    Upsert,
    /// No longer visible to you (reassigned out of your scope).
    Remove,
}

/// One live change.
#[derive(SimpleObject)]
pub struct AccountChange {
    /// The change-log cursor of the change.
    pub cursor: String,
    pub kind: ChangeKind,
    pub account_id: ID,
    /// The account as you may see it; `null` for removals.
    pub account: Option<Account>,
}

/// Account subscriptions.
#[derive(Default)]
pub struct AccountSubscription;

#[async_graphql::Subscription]
impl AccountSubscription {
    /// Changes to accounts you may see, as they commit. Each account is re-read under your row scope
    /// and field grants; an account moved out of your scope arrives once as a removal.
    async fn account_changes(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = AccountChange>> {
        use futures_util::StreamExt;
        let state = crate::kit::resolve::state(ctx)?.clone();
        let req = crate::kit::resolve::caller(ctx)?.clone();
        crate::kit::aggregate::scope::<super::policy::AccountObject>(
            &req,
            crate::policy::Action::Read,
        )?;
        let rx = state.events.subscribe();
        let stream = tokio_stream::wrappers::BroadcastStream::new(rx).filter_map(move |ev| {
            let (state, req) = (state.clone(), req.clone());
            async move {
                let ev = ev.ok()?;
                if ev.object_type != super::policy::AccountObject::OBJECT {
                    return None;
                }
                service::change_for_subscriber(&state.db, &req, &ev)
                    .await
                    .ok()
                    .flatten()
                    .map(|(visible, m)| AccountChange {
                        cursor: ev.cursor.to_string(),
                        kind: if visible {
                            ChangeKind::Upsert
                        } else {
                            ChangeKind::Remove
                        },
                        account_id: to_global_id("Account", ev.object_id),
                        account: if visible { m.map(Account) } else { None },
                    })
            }
        });
        Ok(stream)
    }
}
