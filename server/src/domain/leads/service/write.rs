//! Creating leads on their parties (lists, owner, e-mail and phone), versioned saves, updates and archiving.

use super::*;
use crate::domain::leads::kinds::lead_source;
use crate::kit::write::Write;

/// A new lead, decided and validated.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub values: LeadValues,
    /// A key of the `lead_source` pick-list, checked by the caller.
    pub source: String,
    pub owner: Uuid,
    pub web_form_id: Option<Uuid>,
    pub list_ids: Vec<Uuid>,
}

/// Writes a new lead inside the caller's transaction, without any policy check (callers decide):
/// party with the LEAD role, lead row, e-mail and phone, list memberships and the change-log row.
pub async fn insert_in(
    txn: &impl ConnectionTrait,
    by: Option<Uuid>,
    n: NewLead,
) -> AppResult<(LeadRow, ChangeEvent)> {
    let now = db::now();
    let mut party = parties::Model {
        id: Uuid::new_v4(),
        kind: String::new(),
        code: parties_svc::next_code(txn, OBJECT, "L").await?,
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
        owner_id: Some(n.owner),
        customer_type: None,
        payment_preference: None,
        preferred_currency: None,
        status: "ACTIVE".to_string(),
        archived_at: None,
        version: 1,
        created_at: now,
        updated_at: now,
        created_by: by,
        updated_by: by,
        deletion_requested_at: None,
        deletion_requested_by: None,
        deletion_reason: None,
        merged_into: None,
    };
    apply_party(&mut party, &n.values);
    let mut lead = leads::Model {
        party_id: party.id,
        organization_name: None,
        job_title: None,
        description: None,
        source: n.source,
        status: LeadStatus::New.as_str().to_string(),
        status_reason: None,
        campaign_id: None,
        web_form_id: n.web_form_id,
        converted_account_id: None,
        converted_contact_id: None,
        converted_opportunity_id: None,
        converted_at: None,
        converted_by: None,
        version: 1,
        created_at: now,
        updated_at: now,
    };
    apply_lead(&mut lead, &n.values);
    parties::ActiveModel::from(party.clone())
        .insert(txn)
        .await
        .map_err(parties_svc::map_unique)?;
    party_roles::ActiveModel {
        party_id: Set(party.id),
        role: Set(PartyRole::Lead.as_str().to_string()),
        created_at: Set(now),
    }
    .insert(txn)
    .await?;
    leads::ActiveModel::from(lead.clone()).insert(txn).await?;
    for (kind, value) in [
        (Kind::Email, &n.values.email),
        (Kind::Phone, &n.values.phone),
    ] {
        if value.is_some() {
            mechanisms::set_primary_by(txn, by, party.id, kind, value.clone()).await?;
        }
    }
    for list in &n.list_ids {
        lists::add_member_in(txn, by, *list, party.id).await?;
    }
    let row = LeadRow { lead, party };
    let cursor = changelog::record(
        txn,
        by,
        OBJECT,
        row.party.id,
        "create",
        diff(None, (&row, &n.values)),
    )
    .await?;
    Ok((
        row.clone(),
        ChangeEvent::new(cursor, OBJECT, row.party.id, "create"),
    ))
}

/// Checks that the caller may add to each list (visible and within the update scope).
pub async fn check_lists(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    field: &str,
    ids: &[Uuid],
) -> AppResult<()> {
    for (i, id) in ids.iter().enumerate() {
        let Some(list) = lists::get(db, ctx, *id).await? else {
            return Err(AppError::bad_input(
                format!("{field}.{i}"),
                "is not a contact list you can see",
            ));
        };
        policy::check_reach(
            ctx,
            lists::OBJECT,
            Action::Update,
            Some(list.owner_id),
            "contact list",
        )?;
    }
    Ok(())
}

/// Creates a lead for a signed-in user: the given owner, else the assignment rule's pick, else the
/// caller.
pub async fn create(
    state: &AppState,
    ctx: &RequestCtx,
    input: LeadInput,
    rule: Option<Uuid>,
    list_ids: Vec<Uuid>,
) -> AppResult<LeadRow> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Create)?;
    let mut val = Validator::default();
    let values = merge_values(&mut val, "", &LeadValues::default(), &input.values);
    if let Some(s) = input.status {
        if s != LeadStatus::New {
            val.push("status", "a new lead starts as NEW");
        }
    }
    val.finish()?;
    if values.email.is_some() || values.phone.is_some() {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    check_lists(&state.db, ctx, "listIds", &list_ids).await?;
    let source = check_source(
        &state.db,
        "source",
        input.source.as_deref().unwrap_or(lead_source::OTHER),
        None,
    )
    .await?;
    if let Some(r) = rule {
        assignment::get(&state.db, ctx, r)
            .await?
            .ok_or_else(|| AppError::bad_input("assignmentRuleId", "is not an assignment rule"))?;
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let owner = match (input.owner_id, rule) {
        (Some(o), _) => o,
        (None, Some(r)) => assignment::pick_owner(w.txn(), r, values.area.as_deref())
            .await?
            .unwrap_or(actor.user_id),
        (None, None) => actor.user_id,
    };
    parties_svc::check_owner(w.txn(), actor, scope, owner, OBJECT).await?;
    let (row, event) = insert_in(
        w.txn(),
        Some(actor.user_id),
        NewLead {
            values,
            source,
            owner,
            web_form_id: None,
            list_ids,
        },
    )
    .await?;
    w.adopt(event);
    w.commit().await?;
    Ok(row)
}

/// The primary e-mail and phone of a lead's party.
pub async fn contact_values(
    db: &impl ConnectionTrait,
    party: Uuid,
) -> AppResult<(Option<String>, Option<String>)> {
    let rows = cm::Entity::find()
        .filter(cm::Column::PartyId.eq(party))
        .all(db)
        .await?;
    let pick = |k| mechanisms::pick_primary(&rows, k).map(|m| m.value.clone());
    Ok((pick(Kind::Email), pick(Kind::Phone)))
}

/// Loads a lead the caller may read and checks that `action` reaches it.
pub async fn load_for(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    action: Action,
) -> AppResult<LeadRow> {
    let row = get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such lead".into()))?;
    policy::check_reach(ctx, OBJECT, action, row.party.owner_id, "lead")?;
    Ok(row)
}

/// Writes `next` over `current` when the lead is still at `expected` (else `CONFLICT`), with its
/// party, e-mail and phone, and logs `action` with the fields that changed.
pub async fn save_in(
    w: &mut Write<'_>,
    current: (&LeadRow, &LeadValues),
    mut next: LeadRow,
    values: &LeadValues,
    expected: i32,
    action: &str,
) -> AppResult<LeadRow> {
    apply_party(&mut next.party, values);
    apply_lead(&mut next.lead, values);
    next.lead = w.update(&current.0.lead, next.lead, expected).await?;
    next.party.updated_at = next.lead.updated_at;
    next.party.updated_by = w.by();
    next.party.version = current.0.party.version + 1;
    parties::ActiveModel::from(next.party.clone())
        .reset_all()
        .update(w.txn())
        .await?;
    for (kind, before, after) in [
        (Kind::Email, &current.1.email, &values.email),
        (Kind::Phone, &current.1.phone, &values.phone),
    ] {
        if before != after {
            mechanisms::set_primary_by(w.txn(), w.by(), next.party.id, kind, after.clone()).await?;
        }
    }
    let changes = diff(Some(current), (&next, values));
    w.log(OBJECT, next.party.id, action, changes).await?;
    Ok(next)
}

/// Changes a lead at `version`: fields, source, owner and status (not to CONVERTED).
pub async fn update(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    input: LeadInput,
) -> AppResult<LeadRow> {
    let current = load_for(&state.db, ctx, id, Action::Update).await?;
    let actor = ctx.actor()?;
    let (email, phone) = contact_values(&state.db, id).await?;
    let before = current.values(email, phone);
    if current.status() == LeadStatus::Converted {
        return Err(AppError::bad_input(
            "status",
            "a converted lead can no longer be changed",
        ));
    }
    let mut val = Validator::default();
    let values = merge_values(&mut val, "", &before, &input.values);
    let mut next = current.clone();
    if let Some(to) = input.status {
        let reason = input
            .status_reason
            .as_deref()
            .and_then(|r| val.check(v::long_text("statusReason", r, 500)))
            .flatten();
        if val
            .check(check_transition(current.status(), to, reason.as_deref()))
            .is_some()
        {
            next.lead.status = to.as_str().to_string();
            next.lead.status_reason = (to == LeadStatus::Disqualified).then_some(reason).flatten();
        }
    } else if input.status_reason.is_some() {
        val.push("statusReason", "goes with a status");
    }
    val.finish()?;
    if let Some(s) = &input.source {
        next.lead.source =
            check_source(&state.db, "source", s, Some(current.lead.source.as_str())).await?;
    }
    if values.email != before.email || values.phone != before.phone {
        policy::check_field_write(actor, CONTACT_FIELD)?;
    }
    if let Some(owner) = input
        .owner_id
        .filter(|o| Some(*o) != current.party.owner_id)
    {
        let scope =
            policy::check_reach(ctx, OBJECT, Action::Update, current.party.owner_id, "lead")?;
        parties_svc::check_owner(&state.db, actor, scope, owner, OBJECT).await?;
        next.party.owner_id = Some(owner);
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let row = save_in(
        &mut w,
        (&current, &before),
        next,
        &values,
        version,
        "update",
    )
    .await?;
    w.commit().await?;
    Ok(row)
}

/// Archives or restores a lead at `version`.
pub async fn set_archived(
    state: &AppState,
    ctx: &RequestCtx,
    id: Uuid,
    version: i32,
    archived: bool,
) -> AppResult<LeadRow> {
    let current = load_for(&state.db, ctx, id, Action::Archive).await?;
    let (email, phone) = contact_values(&state.db, id).await?;
    let values = current.values(email, phone);
    let mut next = current.clone();
    next.party.archived_at = archived.then(db::now);
    next.party.status = if archived { "ARCHIVED" } else { "ACTIVE" }.to_string();
    let mut w = Write::begin(state, Some(ctx)).await?;
    let row = save_in(
        &mut w,
        (&current, &values),
        next,
        &values,
        version,
        if archived { "archive" } else { "restore" },
    )
    .await?;
    w.commit().await?;
    Ok(row)
}
