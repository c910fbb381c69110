//! Leads: a party with the LEAD role (names, area, owner, contact mechanisms, archiving) plus the
//! lead fields in `leads`. Reads apply the `lead` row scope on the party's owner; writes are
//! versioned on the lead and logged in their transaction.

use entity::leads::{contact_list_members as clm, leads};
use entity::parties::{contact_mechanisms as cm, parties, party_roles};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, SelectTwo, Set,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::fields::LeadValues;
use super::kinds::{LeadFormField, LeadSource, LeadStatus};
use super::policy::LeadObject;
use super::{assignment, lists};
use crate::auth::RequestCtx;
use crate::changelog;
use crate::db;
use crate::domain::parties::kinds::{ContactMechanismKind as Kind, PartyKind, PartyRole};
use crate::domain::parties::mechanisms;
use crate::domain::parties::policy::CONTACT_FIELD;
use crate::domain::parties::service as parties_svc;
use crate::domain::validation::{self as v, Validator};
use crate::error::{AppError, AppResult, FieldError};
use crate::events::ChangeEvent;
use crate::kit::filters::icontains;
use crate::kit::paging::{Cursor, Page, SortValue};
use crate::policy::{self, Action};
use crate::state::AppState;

/// The object name of leads in grants and in the change log.
pub const OBJECT: &str = LeadObject::OBJECT_NAME;

/// A lead: its lead fields and its party.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadRow {
    pub lead: leads::Model,
    pub party: parties::Model,
}

impl LeadRow {
    /// The lead's status.
    pub fn status(&self) -> LeadStatus {
        LeadStatus::parse(&self.lead.status).unwrap_or(LeadStatus::New)
    }

    /// The lead's values, e-mail and phone given (they live in contact mechanisms).
    pub fn values(&self, email: Option<String>, phone: Option<String>) -> LeadValues {
        LeadValues {
            organization_name: self.lead.organization_name.clone(),
            fore_name: self.party.fore_name.clone(),
            surname: self.party.surname.clone(),
            job_title: self.lead.job_title.clone(),
            email,
            phone,
            website: self.party.website.clone(),
            industry: self.party.industry.clone(),
            area: self.party.area.clone(),
            description: self.lead.description.clone(),
        }
    }
}

/// "Fore Surname", else the organisation name.
pub fn display_name(v: &LeadValues) -> String {
    if v.surname.is_some() {
        [v.fore_name.as_deref(), v.surname.as_deref()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    } else {
        v.organization_name.clone().unwrap_or_default()
    }
}

fn rows(v: Vec<(leads::Model, Option<parties::Model>)>) -> Vec<LeadRow> {
    v.into_iter()
        .filter_map(|(lead, party)| party.map(|party| LeadRow { lead, party }))
        .collect()
}

/// Leads (with their parties) within the caller's row scope for `action`.
pub fn scoped(
    ctx: &RequestCtx,
    action: Action,
) -> AppResult<SelectTwo<leads::Entity, parties::Entity>> {
    let scope = policy::row_scope::<LeadObject>(ctx, action)?;
    Ok(leads::Entity::find()
        .find_also_related(parties::Entity)
        .filter(scope))
}

/// One lead the caller may read.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<LeadRow>> {
    let found = scoped(ctx, Action::Read)?
        .filter(leads::Column::PartyId.eq(id))
        .all(db)
        .await?;
    Ok(rows(found).into_iter().next())
}

/// Leads by party id the caller may read (for loaders).
pub async fn get_many(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    ids: &[Uuid],
) -> AppResult<Vec<LeadRow>> {
    let found = scoped(ctx, Action::Read)?
        .filter(leads::Column::PartyId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows(found))
}

/// Criteria narrowing the leads list.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub statuses: Vec<LeadStatus>,
    pub sources: Vec<LeadSource>,
    pub owner_ids: Vec<Uuid>,
    pub list_id: Option<Uuid>,
    pub search: Option<String>,
    pub include_archived: bool,
}

impl LeadFilter {
    /// The SQL condition of the filter (on `leads` joined with `parties`).
    pub fn condition(&self) -> Condition {
        let mut c = Condition::all();
        if !self.include_archived {
            c = c.add(parties::Column::ArchivedAt.is_null());
        }
        if !self.statuses.is_empty() {
            c = c.add(leads::Column::Status.is_in(self.statuses.iter().map(|s| s.as_str())));
        }
        if !self.sources.is_empty() {
            c = c.add(leads::Column::Source.is_in(self.sources.iter().map(|s| s.as_str())));
        }
        if !self.owner_ids.is_empty() {
            c = c.add(parties::Column::OwnerId.is_in(self.owner_ids.iter().copied()));
        }
        if let Some(list) = self.list_id {
            c = c.add(
                leads::Column::PartyId.in_subquery(
                    Query::select()
                        .column(clm::Column::PartyId)
                        .from(clm::Entity)
                        .and_where(Expr::col(clm::Column::ListId).eq(list))
                        .to_owned(),
                ),
            );
        }
        if let Some(term) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            c = c.add(
                Condition::any()
                    .add(icontains(
                        Expr::col((parties::Entity, parties::Column::SortName)),
                        term,
                    ))
                    .add(icontains(
                        Expr::col((parties::Entity, parties::Column::Code)),
                        term,
                    ))
                    .add(icontains(
                        Expr::col((leads::Entity, leads::Column::OrganizationName)),
                        term,
                    )),
            );
        }
        c
    }
}

/// The orderings of the leads list.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub enum LeadSort {
    CreatedDesc,
    NameAsc,
}

impl LeadSort {
    fn name(self) -> &'static str {
        match self {
            LeadSort::CreatedDesc => "LEAD_CREATED_DESC",
            LeadSort::NameAsc => "LEAD_NAME_ASC",
        }
    }

    /// The cursor of a row in this order.
    pub fn cursor(self, r: &LeadRow) -> String {
        Cursor {
            o: self.name().into(),
            k: match self {
                LeadSort::CreatedDesc => SortValue::Time(r.lead.created_at),
                LeadSort::NameAsc => SortValue::Text(r.party.sort_name.clone()),
            },
            id: r.lead.party_id,
        }
        .encode()
    }
}

/// A keyset page of visible leads matching the filter.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &LeadFilter,
    sort: LeadSort,
    page: &Page,
) -> AppResult<(Vec<LeadRow>, bool)> {
    let mut q = scoped(ctx, Action::Read)?.filter(filter.condition());
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, sort.name())?;
        let bad = || AppError::bad_input("after", "is not a cursor of this list");
        q = match (sort, c.k) {
            (LeadSort::CreatedDesc, SortValue::Time(t)) => q.filter(
                Condition::any().add(leads::Column::CreatedAt.lt(t)).add(
                    Condition::all()
                        .add(leads::Column::CreatedAt.eq(t))
                        .add(leads::Column::PartyId.lt(c.id)),
                ),
            ),
            (LeadSort::NameAsc, SortValue::Text(s)) => q.filter(
                Condition::any()
                    .add(parties::Column::SortName.gt(s.clone()))
                    .add(
                        Condition::all()
                            .add(parties::Column::SortName.eq(s))
                            .add(leads::Column::PartyId.gt(c.id)),
                    ),
            ),
            _ => return Err(bad()),
        };
    }
    q = match sort {
        LeadSort::CreatedDesc => q
            .order_by_desc(leads::Column::CreatedAt)
            .order_by_desc(leads::Column::PartyId),
        LeadSort::NameAsc => q
            .order_by_asc(parties::Column::SortName)
            .order_by_asc(leads::Column::PartyId),
    };
    let mut found = rows(q.limit(page.first + 1).all(db).await?);
    let more = found.len() as u64 > page.first;
    found.truncate(page.first as usize);
    Ok((found, more))
}

/// How many visible leads match the filter.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &LeadFilter,
) -> AppResult<u64> {
    let scope = policy::row_scope::<LeadObject>(ctx, Action::Read)?;
    Ok(leads::Entity::find()
        .inner_join(parties::Entity)
        .filter(scope)
        .filter(filter.condition())
        .count(db)
        .await?)
}

/// Lead fields as given: `None` unchanged (unset on create); an empty string clears.
#[derive(Debug, Clone, Default)]
pub struct LeadInput {
    pub values: Vec<(LeadFormField, String)>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<Uuid>,
    pub status: Option<LeadStatus>,
    pub status_reason: Option<String>,
}

impl LeadInput {
    /// Sets one field's text.
    pub fn with(mut self, f: LeadFormField, v: Option<String>) -> Self {
        if let Some(v) = v {
            self.values.push((f, v));
        }
        self
    }
}

/// Checks one field's text, as its kind requires.
pub fn check_field(prefix: &str, f: LeadFormField, s: &str) -> Result<Option<String>, FieldError> {
    let name = format!("{prefix}{}", f.name());
    match f {
        LeadFormField::Email => v::email(&name, s),
        LeadFormField::Phone => v::phone(&name, s),
        LeadFormField::Website => v::website(&name, s),
        LeadFormField::OrganizationName => v::optional_text(&name, s, 200),
        LeadFormField::Description => v::optional_text(&name, s, 2000),
        _ => v::optional_text(&name, s, 100),
    }
}

/// Applies given fields over `current`, recording errors under `prefix`; a lead needs a surname or
/// an organisation name.
pub fn merge_values(
    val: &mut Validator,
    prefix: &str,
    current: &LeadValues,
    given: &[(LeadFormField, String)],
) -> LeadValues {
    let mut out = current.clone();
    let mut name_refused = false;
    for (f, s) in given {
        match check_field(prefix, *f, s) {
            Ok(clean) => out.set(*f, clean),
            Err(e) => {
                name_refused |=
                    matches!(f, LeadFormField::Surname | LeadFormField::OrganizationName);
                val.check::<()>(Err(e));
            }
        }
    }
    if !name_refused && out.surname.is_none() && out.organization_name.is_none() {
        val.push(
            &format!("{prefix}surname"),
            "a lead needs a surname or an organisation name",
        );
    }
    out
}

/// Checks a status change: CONVERTED only by conversion, nothing after it, a reason to disqualify.
pub fn check_transition(
    from: LeadStatus,
    to: LeadStatus,
    reason: Option<&str>,
) -> Result<(), FieldError> {
    if from == LeadStatus::Converted && to != LeadStatus::Converted {
        return Err(FieldError::new(
            "status",
            "a converted lead keeps its status",
        ));
    }
    if to == LeadStatus::Converted && from != LeadStatus::Converted {
        return Err(FieldError::new(
            "status",
            "a lead becomes CONVERTED only by converting it (convertLead)",
        ));
    }
    if to == LeadStatus::Disqualified && reason.map(str::trim).unwrap_or_default().is_empty() {
        return Err(FieldError::new(
            "statusReason",
            "is required to disqualify a lead",
        ));
    }
    Ok(())
}

/// Copies a lead's values onto its party: a person when it has a surname, else an organisation.
fn apply_party(p: &mut parties::Model, v: &LeadValues) {
    let person = v.surname.is_some();
    p.kind = if person {
        PartyKind::Person
    } else {
        PartyKind::Organization
    }
    .as_str()
    .to_string();
    p.fore_name = v.fore_name.clone();
    p.surname = v.surname.clone();
    p.group_name = if person {
        None
    } else {
        v.organization_name.clone()
    };
    p.area = v.area.clone();
    p.industry = v.industry.clone();
    p.website = v.website.clone();
    p.sort_name = display_name(v).to_lowercase();
}

fn apply_lead(l: &mut leads::Model, v: &LeadValues) {
    l.organization_name = v.organization_name.clone();
    l.job_title = v.job_title.clone();
    l.description = v.description.clone();
}

/// The lead as the change log records it (API names).
fn snapshot(r: &LeadRow, v: &LeadValues) -> Vec<(&'static str, Value)> {
    vec![
        ("organizationName", json!(v.organization_name)),
        ("foreName", json!(v.fore_name)),
        ("surname", json!(v.surname)),
        ("jobTitle", json!(v.job_title)),
        ("email", json!(v.email)),
        ("phone", json!(v.phone)),
        ("website", json!(v.website)),
        ("industry", json!(v.industry)),
        ("area", json!(v.area)),
        ("description", json!(v.description)),
        ("source", json!(r.lead.source)),
        ("status", json!(r.lead.status)),
        ("statusReason", json!(r.lead.status_reason)),
        ("ownerId", json!(r.party.owner_id)),
        ("convertedAccountId", json!(r.lead.converted_account_id)),
        ("convertedContactId", json!(r.lead.converted_contact_id)),
        (
            "convertedOpportunityId",
            json!(r.lead.converted_opportunity_id),
        ),
        ("archived", json!(r.party.archived_at.is_some())),
    ]
}

/// `{field: {before, after}}` between two states of a lead.
pub fn diff(before: Option<(&LeadRow, &LeadValues)>, after: (&LeadRow, &LeadValues)) -> Value {
    changelog::diff_snapshots(
        before.map(|(r, v)| snapshot(r, v)),
        snapshot(after.0, after.1),
    )
}

/// A new lead, decided and validated.
#[derive(Debug, Clone)]
pub struct NewLead {
    pub values: LeadValues,
    pub source: LeadSource,
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
        source: n.source.as_str().to_string(),
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
    if let Some(r) = rule {
        assignment::get(&state.db, ctx, r)
            .await?
            .ok_or_else(|| AppError::bad_input("assignmentRuleId", "is not an assignment rule"))?;
    }
    let txn = db::begin_write(&state.db).await?;
    let owner = match (input.owner_id, rule) {
        (Some(o), _) => o,
        (None, Some(r)) => assignment::pick_owner(&txn, r, values.area.as_deref())
            .await?
            .unwrap_or(actor.user_id),
        (None, None) => actor.user_id,
    };
    parties_svc::check_owner(&txn, actor, scope, owner, OBJECT).await?;
    let (row, event) = insert_in(
        &txn,
        Some(actor.user_id),
        NewLead {
            values,
            source: input.source.unwrap_or(LeadSource::Other),
            owner,
            web_form_id: None,
            list_ids,
        },
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
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
/// party, e-mail and phone and the change-log row, inside `txn`.
#[allow(clippy::too_many_arguments)]
pub async fn save_in(
    txn: &impl ConnectionTrait,
    by: Option<Uuid>,
    current: (&LeadRow, &LeadValues),
    mut next: LeadRow,
    values: &LeadValues,
    expected: i32,
    action: &str,
) -> AppResult<(LeadRow, ChangeEvent)> {
    let now = db::now();
    apply_party(&mut next.party, values);
    apply_lead(&mut next.lead, values);
    next.lead.version = expected + 1;
    next.lead.updated_at = now;
    next.party.updated_at = now;
    next.party.updated_by = by;
    next.party.version = current.0.party.version + 1;
    let res = leads::Entity::update_many()
        .set(leads::ActiveModel {
            organization_name: Set(next.lead.organization_name.clone()),
            job_title: Set(next.lead.job_title.clone()),
            description: Set(next.lead.description.clone()),
            source: Set(next.lead.source.clone()),
            status: Set(next.lead.status.clone()),
            status_reason: Set(next.lead.status_reason.clone()),
            converted_account_id: Set(next.lead.converted_account_id),
            converted_contact_id: Set(next.lead.converted_contact_id),
            converted_opportunity_id: Set(next.lead.converted_opportunity_id),
            converted_at: Set(next.lead.converted_at),
            converted_by: Set(next.lead.converted_by),
            version: Set(next.lead.version),
            updated_at: Set(now),
            ..Default::default()
        })
        .filter(leads::Column::PartyId.eq(next.lead.party_id))
        .filter(leads::Column::Version.eq(expected))
        .exec(txn)
        .await?;
    if res.rows_affected == 0 {
        let stored = leads::Entity::find_by_id(next.lead.party_id)
            .one(txn)
            .await?
            .map(|l| l.version)
            .unwrap_or(expected);
        return Err(parties_svc::conflict(stored));
    }
    parties::ActiveModel::from(next.party.clone())
        .reset_all()
        .update(txn)
        .await?;
    for (kind, before, after) in [
        (Kind::Email, &current.1.email, &values.email),
        (Kind::Phone, &current.1.phone, &values.phone),
    ] {
        if before != after {
            mechanisms::set_primary_by(txn, by, next.party.id, kind, after.clone()).await?;
        }
    }
    let cursor = changelog::record(
        txn,
        by,
        OBJECT,
        next.party.id,
        action,
        diff(Some(current), (&next, values)),
    )
    .await?;
    Ok((
        next.clone(),
        ChangeEvent::new(cursor, OBJECT, next.party.id, action),
    ))
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
            .and_then(|r| val.check(v::optional_text("statusReason", r, 500)))
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
    if let Some(s) = input.source {
        next.lead.source = s.as_str().to_string();
    }
    val.finish()?;
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
    let txn = db::begin_write(&state.db).await?;
    let (row, event) = save_in(
        &txn,
        Some(actor.user_id),
        (&current, &before),
        next,
        &values,
        version,
        "update",
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
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
    let actor = ctx.actor()?;
    let (email, phone) = contact_values(&state.db, id).await?;
    let values = current.values(email, phone);
    let mut next = current.clone();
    next.party.archived_at = archived.then(db::now);
    next.party.status = if archived { "ARCHIVED" } else { "ACTIVE" }.to_string();
    let txn = db::begin_write(&state.db).await?;
    let (row, event) = save_in(
        &txn,
        Some(actor.user_id),
        (&current, &values),
        next,
        &values,
        version,
        if archived { "archive" } else { "restore" },
    )
    .await?;
    txn.commit().await?;
    state.events.publish(event);
    Ok(row)
}

/// The open lead (not converted, not archived) holding this e-mail, if any.
pub async fn open_lead_with_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> AppResult<Option<LeadRow>> {
    let holders = Query::select()
        .column(cm::Column::PartyId)
        .from(cm::Entity)
        .and_where(Expr::col(cm::Column::Kind).eq(Kind::Email.as_str()))
        .and_where(Expr::col(cm::Column::Value).eq(email.to_lowercase()))
        .to_owned();
    let found = leads::Entity::find()
        .find_also_related(parties::Entity)
        .filter(leads::Column::PartyId.in_subquery(holders))
        .filter(leads::Column::Status.ne(LeadStatus::Converted.as_str()))
        .filter(parties::Column::ArchivedAt.is_null())
        .order_by_asc(leads::Column::CreatedAt)
        .limit(1)
        .all(db)
        .await?;
    Ok(rows(found).into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use LeadStatus::*;
        assert!(check_transition(New, Qualified, None).is_ok());
        assert!(check_transition(Disqualified, Contacted, None).is_ok());
        assert_eq!(
            check_transition(New, Disqualified, Some(" "))
                .err()
                .map(|e| e.field),
            Some("statusReason".to_string())
        );
        assert!(check_transition(New, Disqualified, Some("no budget")).is_ok());
        assert!(check_transition(Qualified, Converted, None).is_err());
        assert!(check_transition(Converted, New, None).is_err());
    }

    #[test]
    fn a_refused_name_is_reported_once() {
        let mut val = Validator::default();
        merge_values(
            &mut val,
            "",
            &LeadValues::default(),
            &[(LeadFormField::Surname, "x".repeat(101))],
        );
        match val.finish() {
            Err(AppError::BadInput(e)) => {
                assert_eq!(e.len(), 1, "{e:?}");
                assert!(e[0].message.contains("100"), "{e:?}");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_lead_needs_a_name_or_an_email() {
        let mut val = Validator::default();
        merge_values(&mut val, "", &LeadValues::default(), &[]);
        assert!(val.finish().is_err());
        let mut val = Validator::default();
        let v = merge_values(
            &mut val,
            "rows.2.",
            &LeadValues::default(),
            &[
                (LeadFormField::Email, " Ann@Example.COM ".into()),
                (LeadFormField::OrganizationName, "Acme".into()),
            ],
        );
        assert!(val.finish().is_ok());
        assert_eq!(v.email.as_deref(), Some("ann@example.com"));
        assert_eq!(display_name(&v), "Acme");
        let mut val = Validator::default();
        merge_values(
            &mut val,
            "",
            &LeadValues::default(),
            &[(LeadFormField::Email, "ann@example.com".into())],
        );
        assert!(val.finish().is_err(), "an e-mail alone is not a lead");
        let mut val = Validator::default();
        merge_values(
            &mut val,
            "rows.2.",
            &LeadValues::default(),
            &[(LeadFormField::Email, "nope".into())],
        );
        match val.finish() {
            Err(AppError::BadInput(e)) => {
                let f: Vec<_> = e.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(f, vec!["rows.2.email", "rows.2.surname"]);
            }
            other => panic!("{other:?}"),
        }
    }
}
