//! Creating, updating and archiving opportunities, their contacts, and the next step set from an activity.

use super::*;

/// Checks the account: an organisation or person holding the ACCOUNT or CUSTOMER role, visible to
/// the caller.
pub(super) async fn check_account(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<()> {
    let bad = || AppError::bad_input("accountId", "is not an account or customer you can see");
    let party = parties_svc::get(db, ctx, id).await?.ok_or_else(bad)?;
    if party.merged_into.is_some() {
        return Err(bad());
    }
    let roles = parties_svc::roles_of(db, &[id]).await?;
    let ok = roles.get(&id).is_some_and(|r| {
        r.iter()
            .any(|x| x == PartyRole::Account.as_str() || x == PartyRole::Customer.as_str())
    });
    if ok {
        Ok(())
    } else {
        Err(bad())
    }
}

/// Checks the contacts: people visible to the caller.
pub(super) async fn check_contacts(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    contacts: &[(Uuid, ContactRole)],
) -> AppResult<()> {
    let mut val = Validator::default();
    for (i, (id, _)) in contacts.iter().enumerate() {
        let ok = parties_svc::get(db, ctx, *id)
            .await?
            .is_some_and(|p| p.kind == PartyKind::Person.as_str());
        if !ok {
            val.push(
                &format!("contacts.{i}.contactId"),
                "is not a person you can see",
            );
        }
    }
    val.finish()
}

pub(super) async fn write_contacts(
    txn: &impl ConnectionTrait,
    id: Uuid,
    contacts: &[(Uuid, ContactRole)],
) -> AppResult<()> {
    opportunity_contacts::Entity::delete_many()
        .filter(opportunity_contacts::Column::OpportunityId.eq(id))
        .exec(txn)
        .await?;
    for (party, role) in contacts {
        opportunity_contacts::ActiveModel {
            opportunity_id: Set(id),
            party_id: Set(*party),
            role: Set(role.as_str().to_string()),
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The contacts of each opportunity, in the order they were given.
pub async fn contacts_of(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> AppResult<Vec<opportunity_contacts::Model>> {
    Ok(opportunity_contacts::Entity::find()
        .filter(opportunity_contacts::Column::OpportunityId.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

/// Creates an opportunity in its own transaction and publishes the change.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    changes: OpportunityChanges,
) -> AppResult<opportunities::Model> {
    let mut w = Write::begin(state, Some(ctx)).await?;
    let (m, event) = create_in(w.txn(), ctx, changes).await?;
    w.adopt(event);
    w.commit().await?;
    Ok(m)
}

/// Creates an opportunity inside the caller's transaction. Returns it with its change event.
pub async fn create_in(
    txn: &impl ConnectionTrait,
    ctx: &RequestCtx,
    changes: OpportunityChanges,
) -> AppResult<(opportunities::Model, ChangeEvent)> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let clean = validate(&changes, true)?;
    if matches!(clean.amount, Some(Some(_))) {
        policy::check_field_write(actor, AMOUNT_FIELD)?;
    }
    let account = changes
        .account_id
        .ok_or_else(|| AppError::bad_input("accountId", "is required"))?;
    let catalog = Catalog::load(txn).await?;
    let (pipeline, stage) = place(&catalog, changes.pipeline_id, changes.stage_id)?;
    let entry = rules::enter_stage(
        outcome(&stage),
        stage.probability,
        clean.lost_reason.clone().flatten(),
    );
    let probability = match (clean.probability, rules::fixed_probability(outcome(&stage))) {
        (Some(p), Some(fixed)) if p != fixed => {
            return Err(AppError::bad_input(
                "probability",
                format!("must be {fixed} in a closed stage"),
            ))
        }
        (Some(p), _) => p,
        (None, _) => entry.probability,
    };
    let owner = changes.owner_id.unwrap_or(actor.user_id);
    parties_svc::check_owner(txn, actor, scope, owner, OBJECT).await?;
    check_account(txn, ctx, account).await?;
    // A converted lead's source comes along even when archived since.
    let converted_source = changes.lead_id.and(changes.lead_source.clone().flatten());
    check_choices(txn, &clean, (None, converted_source.as_deref())).await?;
    if let Some(list) = &clean.contacts {
        check_contacts(txn, ctx, list).await?;
    }
    let n = parties_svc::next_number(txn, OBJECT).await?;
    let after = last_position(txn, pipeline, stage.id, None).await?;
    let now = db::now();
    let mut m = opportunities::Model {
        id: Uuid::new_v4(),
        code: format!("O-{n:06}"),
        name: String::new(),
        account_id: account,
        owner_id: owner,
        pipeline_id: pipeline,
        stage_id: stage.id,
        position: rules::key_between(after.as_deref(), None),
        probability,
        amount_minor: None,
        currency: None,
        close_date: None,
        next_step: None,
        next_step_date: None,
        lead_id: changes.lead_id,
        lead_source: None,
        campaign_id: changes.campaign_id,
        status: entry.status.as_str().to_string(),
        lost_reason: entry.lost_reason,
        forecast_category: None,
        description: None,
        opportunity_type: None,
        closed_at: entry.closed.then_some(now),
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: Some(actor.user_id),
        updated_by: Some(actor.user_id),
    };
    apply(&mut m, &clean);
    opportunities::ActiveModel::from(m.clone())
        .insert(txn)
        .await?;
    if let Some(list) = &clean.contacts {
        write_contacts(txn, m.id, list).await?;
    }
    write_history(txn, actor, None, &m, clean.note.as_deref()).await?;
    let cursor = changelog::record(
        txn,
        Some(actor.user_id),
        OBJECT,
        m.id,
        "create",
        diff(None, &m),
    )
    .await?;
    Ok((m.clone(), ChangeEvent::new(cursor, OBJECT, m.id, "create")))
}

/// Updates an opportunity if `version` is current. An update that changes nothing writes nothing.
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    changes: OpportunityChanges,
) -> AppResult<opportunities::Model> {
    let (current, scope) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let clean = validate(&changes, false)?;
    if clean.amount.is_some() {
        policy::check_field_write(actor, AMOUNT_FIELD)?;
    }
    if let Some(owner) = changes.owner_id.filter(|o| *o != current.owner_id) {
        parties_svc::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
    }
    if let Some(account) = changes.account_id.filter(|a| *a != current.account_id) {
        check_account(&state.db, ctx, account).await?;
    }
    if let Some(list) = &clean.contacts {
        check_contacts(&state.db, ctx, list).await?;
    }
    check_choices(
        &state.db,
        &clean,
        (
            current.opportunity_type.as_deref(),
            current.lead_source.as_deref(),
        ),
    )
    .await?;
    let status = OpportunityStatus::parse(&current.status).unwrap_or(OpportunityStatus::Open);
    if let Some(p) = clean.probability {
        let fixed = match status {
            OpportunityStatus::Open => None,
            OpportunityStatus::Won => Some(100),
            OpportunityStatus::Lost => Some(0),
        };
        if fixed.is_some_and(|f| f != p) {
            return Err(AppError::bad_input(
                "probability",
                "is fixed while the opportunity is closed; move it to an open stage first",
            ));
        }
    }
    if clean.lost_reason.as_ref().is_some_and(Option::is_some) && status != OpportunityStatus::Lost
    {
        return Err(AppError::bad_input(
            "lostReason",
            "can only be given for a lost opportunity",
        ));
    }
    if version != current.version {
        return Err(conflict(current.version));
    }
    let mut next = current.clone();
    apply(&mut next, &clean);
    if let Some(p) = clean.probability {
        next.probability = p;
    }
    if let Some(o) = changes.owner_id {
        next.owner_id = o;
    }
    if let Some(a) = changes.account_id {
        next.account_id = a;
    }
    if let Some(r) = &clean.lost_reason {
        next.lost_reason = r.clone();
    }
    let contacts_changed = match &clean.contacts {
        Some(list) => {
            let mut now: Vec<(Uuid, String)> = contacts_of(&state.db, &[id])
                .await?
                .into_iter()
                .map(|c| (c.party_id, c.role))
                .collect();
            let mut want: Vec<(Uuid, String)> = list
                .iter()
                .map(|(p, r)| (*p, r.as_str().to_string()))
                .collect();
            now.sort();
            want.sort();
            (now != want).then_some((now, want))
        }
        None => None,
    };
    if diff(Some(&current), &next) == json!({}) && contacts_changed.is_none() {
        return Ok(current);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut extra = json!({});
    if let (Some(list), Some((before, after))) = (&clean.contacts, &contacts_changed) {
        write_contacts(w.txn(), id, list).await?;
        let show = |v: &Vec<(Uuid, String)>| -> Value {
            v.iter()
                .map(|(p, r)| json!({"contactId": p, "role": r}))
                .collect()
        };
        extra = json!({"contacts": {"before": show(before), "after": show(after)}});
    }
    let m = save(
        &mut w,
        actor,
        &current,
        next,
        version,
        "update",
        clean.note.as_deref(),
        extra,
    )
    .await?;
    w.commit().await?;
    Ok(m)
}

/// Archives (hides from the board) or restores an opportunity if `version` is current.
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    archived: bool,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Archive).await?;
    let actor = ctx.actor()?;
    if version != current.version {
        return Err(conflict(current.version));
    }
    if current.archived_at.is_some() == archived {
        return Ok(current);
    }
    let mut next = current.clone();
    next.archived_at = archived.then(db::now);
    let action = if archived { "archive" } else { "restore" };
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = save(
        &mut w,
        actor,
        &current,
        next,
        version,
        action,
        None,
        json!({}),
    )
    .await?;
    w.commit().await?;
    Ok(m)
}

/// Sets an opportunity's next step and its date inside the caller's transaction (completing an
/// activity does this), if the caller may update it. Returns the change to publish after commit.
pub async fn set_next_step_in(
    w: &mut Write<'_>,
    ctx: &RequestCtx,
    id: Uuid,
    next_step: Option<String>,
    next_step_date: Option<NaiveDate>,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(w.txn(), ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let mut next = current.clone();
    next.next_step = next_step;
    next.next_step_date = next_step_date;
    let version = current.version;
    save(w, actor, &current, next, version, "update", None, json!({})).await
}

/// Overrides an open opportunity's forecast category (`None` restores its stage's).
pub async fn set_forecast_category(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    category: Option<ForecastCategory>,
) -> AppResult<opportunities::Model> {
    let (current, _) = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    if version != current.version {
        return Err(conflict(current.version));
    }
    if matches!(
        category,
        Some(ForecastCategory::Closed | ForecastCategory::Omitted)
    ) {
        return Err(AppError::bad_input(
            "input.category",
            "CLOSED and OMITTED follow from winning or losing; choose PIPELINE, BEST_CASE or COMMIT",
        ));
    }
    if current.status != OpportunityStatus::Open.as_str() {
        return Err(AppError::bad_input(
            "input.id",
            "is closed: its forecast category follows from its outcome",
        ));
    }
    let mut next = current.clone();
    next.forecast_category = category.map(|c| c.as_str().to_string());
    if next.forecast_category == current.forecast_category {
        return Ok(current);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let m = save(
        &mut w,
        actor,
        &current,
        next,
        version,
        "set_forecast_category",
        None,
        json!({}),
    )
    .await?;
    w.commit().await?;
    Ok(m)
}
