//! Creating and updating parties: roles, codes, the versioned save and its change log.

use super::*;
use crate::kit::write::Write;

/// Creates a person or an organisation (with roles and contact mechanisms) in one transaction.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    c: PartyChanges,
) -> AppResult<parties::Model> {
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (m, event) = create_in(w.txn(), ctx, c).await?;
    w.adopt(event);
    w.commit().await?;
    Ok(m)
}

/// Creates a person or an organisation inside the caller's transaction.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    c: PartyChanges,
) -> AppResult<(parties::Model, ChangeEvent)> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let kind = c.kind.unwrap_or(PartyKind::Person);
    let now = db::now();
    let mut m = parties::Model {
        id: Uuid::new_v4(),
        kind: kind.as_str().to_string(),
        code: String::new(),
        group_name: None,
        fore_name: None,
        middle_initial: None,
        surname: None,
        sort_name: String::new(),
        area: None,
        industry: None,
        website: None,
        annual_revenue_minor: None,
        annual_revenue_currency: None,
        owner_id: Some(c.owner_id.unwrap_or(actor.user_id)),
        customer_type: None,
        payment_preference: None,
        preferred_currency: None,
        status: "ACTIVE".to_string(),
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
        deletion_requested_at: None,
        deletion_requested_by: None,
        deletion_reason: None,
        merged_into: None,
    };
    let mut val = Validator::default();
    apply(&mut val, &mut m, &c, true);
    let default_role = match kind {
        PartyKind::Person => PartyRole::Contact,
        PartyKind::Organization => PartyRole::Account,
    };
    let mut roles: Vec<String> = match &c.role_keys {
        Some(keys) => checked_role_keys(txn, &mut val, keys, &[]).await?,
        None => c
            .roles
            .clone()
            .unwrap_or_else(|| vec![default_role])
            .iter()
            .map(|r| r.as_str().to_string())
            .collect(),
    };
    let known = settle_roles(&mut val, kind, &mut roles, m.customer_type.as_deref(), &c);
    let mechs: Vec<_> = c
        .mechanisms
        .iter()
        .enumerate()
        .filter_map(|(i, mi)| {
            val.check(mechanisms::validate(&format!("contactMechanisms.{i}"), mi))
        })
        .collect();
    val.finish()?;
    if !mechs.is_empty() {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    if known.contains(&PartyRole::Account) {
        policy::authorize(ctx, "account", Action::Create)?;
    }
    let owner = m.owner_id.unwrap_or(actor.user_id);
    check_owner(txn, actor, scope, owner, "party").await?;

    if c.code
        .as_deref()
        .map(str::trim)
        .unwrap_or_default()
        .is_empty()
    {
        let (seq, prefix) = match kind {
            PartyKind::Person => ("person", "P"),
            PartyKind::Organization => ("organization", "O"),
        };
        m.code = next_code(txn, seq, prefix).await?;
    } else if code_taken(txn, &m.code, None).await? {
        return Err(AppError::bad_input("code", "is already in use"));
    }
    parties::ActiveModel::from(m.clone())
        .insert(txn)
        .await
        .map_err(map_unique)?;
    write_roles(txn, m.id, &roles).await?;
    let mut changes = diff(None, &m);
    if let Value::Object(map) = &mut changes {
        map.insert(
            "roles".into(),
            json!({"before": null, "after": roles_json(&roles)}),
        );
    }
    let cursor =
        changelog::record(txn, Some(actor.user_id), OBJECT, m.id, "create", changes).await?;
    for mech in mechs {
        mechanisms::insert(txn, actor, m.id, mech).await?;
    }
    Ok((m.clone(), ChangeEvent::new(cursor, OBJECT, m.id, "create")))
}

/// Updates a person or an organisation at `version`; roles are replaced when given.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    kind: PartyKind,
    c: PartyChanges,
) -> AppResult<parties::Model> {
    let current = get(&state.db, ctx, id)
        .await?
        .filter(|m| m.kind == kind.as_str())
        .ok_or_else(|| AppError::NotFound(format!("no such {}", kind.as_str().to_lowercase())))?;
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Update)?;
    if !policy::owner_in_scope(actor, scope, current.owner_id) {
        return Err(AppError::Forbidden(
            "your role may not update this party".into(),
        ));
    }
    let mut next = current.clone();
    let mut val = Validator::default();
    apply(&mut val, &mut next, &c, false);
    let current_roles = roles_of(&state.db, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let mut roles: Vec<String> = match (&c.role_keys, &c.roles) {
        (Some(keys), _) => checked_role_keys(&state.db, &mut val, keys, &current_roles).await?,
        // The roles the code acts upon, given by name; the others the party holds stay.
        (None, Some(r)) => r
            .iter()
            .map(|x| x.as_str().to_string())
            .chain(
                current_roles
                    .iter()
                    .filter(|x| PartyRole::parse(x).is_none())
                    .cloned(),
            )
            .collect(),
        (None, None) => current_roles.clone(),
    };
    let known = settle_roles(
        &mut val,
        kind,
        &mut roles,
        next.customer_type.as_deref(),
        &c,
    );
    val.finish()?;
    let gains_account = known.contains(&PartyRole::Account)
        && !known_roles(&current_roles).contains(&PartyRole::Account);
    if gains_account {
        policy::authorize(ctx, "account", Action::Create)?;
    }
    if let Some(owner) = c.owner_id {
        if Some(owner) != current.owner_id {
            check_owner(&state.db, actor, scope, owner, "party").await?;
            next.owner_id = Some(owner);
        }
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut changes = diff(Some(&current), &next);
    if roles != current_roles {
        if let Value::Object(map) = &mut changes {
            map.insert(
                "roles".into(),
                json!({"before": roles_json(&current_roles), "after": roles_json(&roles)}),
            );
        }
    }
    if changes == json!({}) {
        return Ok(current);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    if next.code != current.code && code_taken(w.txn(), &next.code, Some(id)).await? {
        return Err(AppError::bad_input("code", "is already in use"));
    }
    let next = save(&mut w, OBJECT, &current, next, version, "update", changes).await?;
    if roles != current_roles {
        write_roles(w.txn(), id, &roles).await?;
    }
    w.commit().await?;
    Ok(next)
}

/// Writes `next` over `current` if the stored version is still `expected` (else `CONFLICT`; a
/// code another party holds is `BAD_USER_INPUT` on `code`), and appends the change-log row
/// `changes` under `object` (`party`, or `account` for the account views of a party).
pub async fn save(
    w: &mut Write<'_>,
    object: &str,
    current: &parties::Model,
    next: parties::Model,
    expected: i32,
    action: &str,
    changes: Value,
) -> AppResult<parties::Model> {
    let next = w.update(current, next, expected).await?;
    w.log(object, current.id, action, changes).await?;
    Ok(next)
}

/// `CONFLICT` carrying the stored version.
pub fn conflict(current_version: i32) -> AppError {
    crate::kit::write::conflict(current_version)
}

/// Loads a party the caller may read and checks that `action` reaches it (by its owner).
pub async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<parties::Model> {
    let m = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such party".into()))?;
    policy::check_reach(ctx, OBJECT, action, m.owner_id, "party")?;
    Ok(m)
}
