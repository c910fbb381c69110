//! User reads (row-scoped) and user creation for the CLI and seeds.

use entity::access::{roles, users};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use uuid::Uuid;

use crate::auth::{password, RequestCtx};
use crate::db;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult};
use crate::kit::aggregate::{self, Aggregate};
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::Action;

/// The `user` object of grants; a user "owns" their own row.
pub struct UserObject;

impl Aggregate for UserObject {
    type Entity = users::Entity;
    type Owner = users::Column;
    const OBJECT: &'static str = "user";
    fn owner_column() -> users::Column {
        users::Column::Id
    }
}

/// One user the caller may see.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<users::Model>> {
    Ok(aggregate::visible::<UserObject>(ctx, Action::Read)?
        .filter(users::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// Users the caller may see, by display name: the active ones (the owner picker), or every one
/// with `include_inactive` (the administration of users).
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    page: &Page,
    include_inactive: bool,
) -> AppResult<(Vec<users::Model>, bool, u64)> {
    let mut base = aggregate::visible::<UserObject>(ctx, Action::Read)?;
    if !include_inactive {
        base = base.filter(users::Column::Active.eq(true));
    }
    let total = base.clone().count(db).await?;
    let mut q = base;
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, "DISPLAY_NAME_ASC")?;
        let SortValue::Text(k) = c.k else {
            return Err(AppError::bad_input("after", "is not a cursor of this list"));
        };
        q = q.filter(
            sea_orm::Condition::any()
                .add(users::Column::DisplayName.gt(k.clone()))
                .add(
                    sea_orm::Condition::all()
                        .add(users::Column::DisplayName.eq(k))
                        .add(users::Column::Id.gt(c.id)),
                ),
        );
    }
    let mut rows = q
        .order_by_asc(users::Column::DisplayName)
        .order_by_asc(users::Column::Id)
        .limit(page.first + 1)
        .all(db)
        .await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more, total))
}

/// Creates a user with a role given by key (`crm create-user`, seeds). Validates e-mail, name and
/// password length; an e-mail in use is a `BAD_USER_INPUT` on `email`.
pub async fn create_user(
    db: &impl ConnectionTrait,
    email: &str,
    display_name: &str,
    role_key: &str,
    password_hash: String,
) -> AppResult<users::Model> {
    let mut val = Validator::default();
    let email = val.check(v::lowered_email("email", email)).flatten();
    if email.is_none() {
        val.push("email", "is required");
    }
    let name = val.check(v::required_text("displayName", display_name, 200));
    val.finish()?;
    let (Some(email), Some(name)) = (email, name) else {
        return Err(AppError::bad_input("email", "is required"));
    };
    let role = roles::Entity::find()
        .filter(roles::Column::Key.eq(role_key))
        .one(db)
        .await?
        .ok_or_else(|| AppError::bad_input("role", format!("no role with key {role_key}")))?;
    if aggregate::unscoped::<UserObject>("e-mail addresses are unique across all users")
        .filter(users::Column::Email.eq(email.as_str()))
        .count(db)
        .await?
        > 0
    {
        return Err(AppError::bad_input("email", "is already in use"));
    }
    let now = db::now();
    let m = users::Model {
        id: Uuid::new_v4(),
        email,
        display_name: name,
        password_hash,
        role_id: role.id,
        active: true,
        failed_logins: 0,
        locked_until: None,
        last_login_at: None,
        organization_id: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    Ok(users::ActiveModel::from(m).insert(db).await?)
}

/// Makes a user one of a partner (dealer) organisation's users, or of none (`None`): their `own`
/// orders become the organisation's purchase orders. Needs the `user` update grant over the user;
/// the organisation must be an organisation the caller can see. Logged as a change of the user.
pub async fn set_organization(
    state: &crate::state::AppState,
    ctx: &RequestCtx,
    user_id: Uuid,
    organization_id: Option<Uuid>,
) -> AppResult<users::Model> {
    let user = aggregate::visible::<UserObject>(ctx, Action::Update)?
        .filter(users::Column::Id.eq(user_id))
        .one(&state.db)
        .await?
        .ok_or_else(|| AppError::bad_input("userId", "is not a user you may change"))?;
    if let Some(org) = organization_id {
        let party = crate::domain::parties::service::get(&state.db, ctx, org).await?;
        if party.is_none_or(|p| p.kind != "ORGANIZATION") {
            return Err(AppError::bad_input(
                "organizationId",
                "is not an organisation you can see",
            ));
        }
    }
    let mut w = crate::kit::write::Write::begin(state, Some(ctx)).await?;
    let now = db::now();
    users::Entity::update_many()
        .col_expr(
            users::Column::OrganizationId,
            sea_orm::sea_query::Expr::value(organization_id),
        )
        .col_expr(
            users::Column::Version,
            sea_orm::sea_query::Expr::value(user.version + 1),
        )
        .col_expr(
            users::Column::UpdatedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(users::Column::Id.eq(user.id))
        .exec(w.txn())
        .await?;
    let changes = crate::changelog::diff_snapshots(
        Some(vec![(
            "organizationId",
            serde_json::json!(user.organization_id),
        )]),
        vec![("organizationId", serde_json::json!(organization_id))],
    );
    w.log("user", user.id, "update", changes).await?;
    w.commit().await?;
    Ok(users::Model {
        organization_id,
        version: user.version + 1,
        updated_at: now,
        ..user
    })
}

/// Checks a new password's strength rules.
pub fn check_password(p: &str) -> AppResult<()> {
    password_rule("password", p).map_err(|e| AppError::BadInput(vec![e]))
}

/// The password rule for the input field `field` (`password`, `newPassword`, …).
pub fn password_rule(field: &str, p: &str) -> Result<(), crate::error::FieldError> {
    if p.chars().count() < 8 {
        Err(crate::error::FieldError::new(
            field,
            "must be at least 8 characters",
        ))
    } else if p.len() > 1024 {
        Err(crate::error::FieldError::new(
            field,
            "must be at most 1024 bytes",
        ))
    } else {
        Ok(())
    }
}

/// Hashes a password after checking it.
pub async fn hash_new_password(p: &str) -> AppResult<String> {
    check_password(p)?;
    password::hash_blocking(p.to_string())
        .await
        .map_err(AppError::internal)
}

/// Whether `id` is an active user (owners, assignees and rule members must be).
pub async fn is_active(db: &impl ConnectionTrait, id: Uuid) -> AppResult<bool> {
    Ok(
        aggregate::unscoped::<UserObject>("any active user may own or be assigned a record")
            .filter(users::Column::Id.eq(id))
            .filter(users::Column::Active.eq(true))
            .count(db)
            .await?
            > 0,
    )
}

/// Those of `ids` that are not active users (unknown ids too), in one statement.
pub async fn not_active(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<std::collections::HashSet<Uuid>> {
    let active: std::collections::HashSet<Uuid> =
        aggregate::unscoped::<UserObject>("any active user may be made a team member")
            .select_only()
            .column(users::Column::Id)
            .filter(users::Column::Id.is_in(ids.iter().copied()))
            .filter(users::Column::Active.eq(true))
            .into_tuple::<Uuid>()
            .all(db)
            .await?
            .into_iter()
            .collect();
    Ok(ids
        .iter()
        .filter(|i| !active.contains(i))
        .copied()
        .collect())
}
