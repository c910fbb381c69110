//! Lead conversion: a qualified lead becomes (or is linked to) an account, a contact related to it
//! and optionally an opportunity, in one transaction, following the admin-edited mapping.

use entity::custom_fields::custom_fields;
use entity::leads::conversion_mappings as cmap;
use entity::parties::{contact_mechanisms as cm, parties, party_relationships as rel, party_roles};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect,
};
use serde_json::{json, Value};
use uuid::Uuid;

use super::fields::{self, CustomFields, CustomSpec, LeadValues, MappingLine};
use super::kinds::{LeadStatus, MappingTarget};
use super::policy::LEAD_MAPPING;
use super::service::{self, LeadRow};
use crate::auth::RequestCtx;
use crate::db;
use crate::domain::accounts::service::{self as accounts_svc, AccountChanges, MoneyInput};
use crate::domain::custom_fields::rules::{self as custom_rules, CustomObject};
use crate::domain::custom_fields::service as custom;
use crate::domain::opportunities::kinds::ContactRole;
use crate::domain::opportunities::service::{self as opps_svc, OpportunityChanges};
use crate::domain::parties::kinds::{
    relationship_type, ContactMechanismKind as Kind, ContactPurpose, PartyKind, PartyRole,
};
use crate::domain::parties::mechanisms::MechanismInput;
use crate::domain::parties::relationships::{self, NewRelationship};
use crate::domain::parties::service::{self as parties_svc, PartyChanges};
use crate::error::{AppError, AppResult, FieldError};
use crate::kit::write::Write;
use crate::policy::{self, Action};
use crate::state::AppState;

/// The stored mapping, target by target.
pub async fn mapping(db: &impl ConnectionTrait) -> AppResult<Vec<MappingLine>> {
    let rows = cmap::Entity::find()
        .order_by_asc(cmap::Column::Target)
        .order_by_asc(cmap::Column::TargetField)
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(MappingLine {
                target: MappingTarget::parse(&r.target)?,
                target_field: r.target_field,
                source_field: r.source_field,
            })
        })
        .collect())
}

/// The live custom fields of leads and of the records a conversion creates.
pub async fn custom_fields(db: &impl ConnectionTrait) -> AppResult<CustomFields> {
    Ok(custom_specs(&custom::definitions(db, None, false).await?))
}

fn custom_specs(defs: &[custom_fields::Model]) -> CustomFields {
    let of = |object: CustomObject| -> Vec<CustomSpec> {
        defs.iter()
            .filter(|d| d.object == object.as_str())
            .map(|d| CustomSpec {
                key: d.key.clone(),
                label: d.label.clone(),
                field_type: custom::field_type(d),
                options: custom::options_of(d),
            })
            .collect()
    };
    CustomFields {
        lead: of(CustomObject::Lead),
        account: of(fields::custom_object(MappingTarget::Account)),
        contact: of(fields::custom_object(MappingTarget::Contact)),
        opportunity: of(fields::custom_object(MappingTarget::Opportunity)),
    }
}

/// The mapping, for readers of it.
pub async fn read_mapping(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
) -> AppResult<Vec<MappingLine>> {
    policy::authorize(ctx, LEAD_MAPPING, Action::Read)?;
    mapping(db).await
}

fn lines_json(lines: &[MappingLine]) -> serde_json::Value {
    json!(lines
        .iter()
        .map(|l| format!(
            "{}.{} <- {}",
            l.target.as_str(),
            l.target_field,
            l.source_field
        ))
        .collect::<Vec<_>>())
}

/// Replaces the whole mapping, after checking it (admins).
pub async fn set_mapping(
    state: &AppState,
    ctx: &RequestCtx,
    lines: Vec<MappingLine>,
) -> AppResult<Vec<MappingLine>> {
    policy::authorize(ctx, LEAD_MAPPING, Action::Update)?;
    let errors = fields::check_mapping(&lines, &custom_fields(&state.db).await?);
    if !errors.is_empty() {
        return Err(AppError::BadInput(
            errors
                .into_iter()
                .map(|(f, m)| FieldError::new(f, m))
                .collect(),
        ));
    }
    let mut w = Write::begin(state, Some(ctx)).await?;
    let before = mapping(w.txn()).await?;
    cmap::Entity::delete_many().exec(w.txn()).await?;
    for l in &lines {
        cmap::ActiveModel::from(cmap::Model {
            target: l.target.as_str().to_string(),
            target_field: l.target_field.clone(),
            source_field: l.source_field.clone(),
        })
        .insert(w.txn())
        .await?;
    }
    w.log(
        LEAD_MAPPING,
        Uuid::nil(),
        "update",
        json!({"mapping": {"before": lines_json(&before), "after": lines_json(&lines)}}),
    )
    .await?;
    w.commit().await?;
    mapping(&state.db).await
}

/// An existing party that looks like the one a conversion would create.
#[derive(Clone, Debug)]
pub struct Match {
    pub party: parties::Model,
    pub reason: &'static str,
}

/// What a conversion would give one target.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub values: Vec<(String, String, Option<String>)>,
    pub matches: Vec<Match>,
}

/// What converting a lead would create, and what it could link to instead.
#[derive(Clone, Debug)]
pub struct Preview {
    pub convertible: Option<&'static str>,
    pub account: Plan,
    pub contact: Plan,
    pub opportunity: Plan,
}

/// Why a lead can't be converted, if it can't.
fn blocker(lead: &LeadRow) -> Option<&'static str> {
    match lead.status() {
        LeadStatus::Qualified if lead.party.archived_at.is_none() => None,
        LeadStatus::Qualified => Some("the lead is archived; restore it first"),
        LeadStatus::Converted => Some("the lead has been converted already"),
        _ => Some("only a qualified lead can be converted; qualify it first"),
    }
}

fn plan(lines: &[MappingLine], target: MappingTarget, v: &LeadValues) -> Plan {
    Plan {
        values: fields::mapped(lines, target, v)
            .into_iter()
            .map(|(f, s, x)| (f.to_string(), s.to_string(), x))
            .collect(),
        matches: Vec::new(),
    }
}

/// A custom value a conversion writes on a new record: `(target field, source field, value)`.
type CustomValue = (String, String, Value);

/// What the lead holds for the custom lines of one target: each line whose target field the
/// caller may write and whose source the caller may read (a custom field needs its read grant),
/// and that holds a value. Other lines are left out: a conversion neither reveals nor writes
/// what the caller's grants keep from them.
struct CustomSource {
    defs: Vec<custom_fields::Model>,
    held: Vec<entity::custom_fields::custom_field_values::Model>,
}

impl CustomSource {
    /// The definitions and the lead's values, read only when a line names a custom field.
    async fn load(db: &impl ConnectionTrait, lead: Uuid, lines: &[MappingLine]) -> AppResult<Self> {
        let named = lines.iter().any(|l| {
            fields::custom_key(&l.target_field).is_some()
                || fields::custom_key(&l.source_field).is_some()
        });
        if !named {
            return Ok(CustomSource {
                defs: Vec::new(),
                held: Vec::new(),
            });
        }
        Ok(CustomSource {
            defs: custom::definitions(db, None, false).await?,
            held: custom::values_of(db, &[lead])
                .await?
                .remove(&lead)
                .unwrap_or_default(),
        })
    }

    fn def(&self, object: CustomObject, name: &str) -> Option<&custom_fields::Model> {
        let key = fields::custom_key(name)?;
        self.defs
            .iter()
            .find(|d| d.object == object.as_str() && d.key == key)
    }

    fn values(
        &self,
        ctx: &RequestCtx,
        lines: &[MappingLine],
        target: MappingTarget,
        lead: &LeadValues,
    ) -> Vec<CustomValue> {
        let object = fields::custom_object(target);
        let mut out = Vec::new();
        for l in lines.iter().filter(|l| l.target == target) {
            let Some(def) = self.def(object, &l.target_field) else {
                continue;
            };
            if !custom::can_write(ctx, def) {
                continue;
            }
            let value = if fields::custom_key(&l.source_field).is_some() {
                let Some(source) = self.def(CustomObject::Lead, &l.source_field) else {
                    continue;
                };
                if !custom::can_read(ctx, source) {
                    continue;
                }
                self.held
                    .iter()
                    .find(|v| v.field_id == source.id)
                    .map(|v| custom_rules::to_json(custom::field_type(source), &v.text_value))
            } else {
                lead.get(&l.source_field)
                    .map(str::trim)
                    .filter(|v| !v.is_empty())
                    .map(|v| Value::String(v.to_string()))
            };
            if let Some(v) = value {
                out.push((l.target_field.clone(), l.source_field.clone(), v));
            }
        }
        out
    }

    /// The custom values as the preview shows them, in the target field's own form.
    fn shown(
        &self,
        target: MappingTarget,
        values: &[CustomValue],
    ) -> Vec<(String, String, Option<String>)> {
        let object = fields::custom_object(target);
        values
            .iter()
            .filter_map(|(field, source, v)| {
                let def = self.def(object, field)?;
                let ty = custom::field_type(def);
                let shown = custom_rules::to_stored(field, ty, &custom::options_of(def), v)
                    .ok()
                    .flatten()
                    .map(|s| custom_rules::display(ty, &s.text));
                Some((field.clone(), source.clone(), shown))
            })
            .collect()
    }
}

/// Writes a new record's mapped custom values in the conversion's transaction, checked as any
/// write of them (errors under `{prefix}.customFields`), logged on the record.
async fn write_custom(
    w: &mut Write<'_>,
    ctx: &RequestCtx,
    target: MappingTarget,
    record: Uuid,
    values: Vec<CustomValue>,
    prefix: &str,
) -> AppResult<()> {
    if values.is_empty() {
        return Ok(());
    }
    let object = fields::custom_object(target);
    let input: custom::ValueInput = values
        .into_iter()
        .filter_map(|(field, _, v)| Some((fields::custom_key(&field)?.to_string(), v)))
        .collect();
    let checked = custom::check_values(
        w.txn(),
        ctx,
        object,
        Some(record),
        &input,
        false,
        &format!("{prefix}.customFields"),
    )
    .await?;
    let diff = custom::write_values(w.txn(), record, &checked).await?;
    if !diff.is_empty() {
        w.log(
            custom::log_object(object),
            record,
            "update",
            Value::Object(diff),
        )
        .await?;
    }
    Ok(())
}

fn value(p: &Plan, field: &str) -> Option<String> {
    p.values
        .iter()
        .find(|(f, _, _)| f == field)
        .and_then(|(_, _, v)| v.clone())
}

/// Visible, active parties holding `role` that match by name or e-mail.
async fn matches(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    role: PartyRole,
    kind: PartyKind,
    name: Option<&str>,
    email: Option<&str>,
) -> AppResult<Vec<Match>> {
    let mut out: Vec<Match> = Vec::new();
    let base = || -> AppResult<_> {
        Ok(parties_svc::base(ctx, Some(kind), Some(role))?
            .filter(parties::Column::ArchivedAt.is_null())
            .filter(parties::Column::MergedInto.is_null()))
    };
    if let Some(e) = email {
        let holders = Query::select()
            .column(cm::Column::PartyId)
            .from(cm::Entity)
            .and_where(Expr::col(cm::Column::Kind).eq(Kind::Email.as_str()))
            .and_where(Expr::col(cm::Column::MatchKey).eq(crate::domain::validation::email_key(e)))
            .to_owned();
        for p in base()?
            .filter(parties::Column::Id.in_subquery(holders))
            .limit(5)
            .all(db)
            .await?
        {
            out.push(Match {
                party: p,
                reason: "same e-mail",
            });
        }
    }
    if let Some(n) = name
        .map(|n| n.trim().to_lowercase())
        .filter(|n| !n.is_empty())
    {
        for p in base()?
            .filter(parties::Column::SortName.eq(n))
            .limit(5)
            .all(db)
            .await?
        {
            if !out.iter().any(|m| m.party.id == p.id) {
                out.push(Match {
                    party: p,
                    reason: "same name",
                });
            }
        }
    }
    Ok(out)
}

/// The conversion preview of a lead the caller may read.
pub async fn preview(db: &impl ConnectionTrait, ctx: &RequestCtx, id: Uuid) -> AppResult<Preview> {
    let lead = service::get(db, ctx, id)
        .await?
        .ok_or_else(|| AppError::NotFound("no such lead".into()))?;
    let (email, phone) = service::contact_values(db, id).await?;
    let v = lead.values(email, phone);
    let lines = mapping(db).await?;
    let custom = CustomSource::load(db, id, &lines).await?;
    let planned = |target| {
        let mut p = plan(&lines, target, &v);
        p.values
            .extend(custom.shown(target, &custom.values(ctx, &lines, target, &v)));
        p
    };
    let mut account = planned(MappingTarget::Account);
    let mut contact = planned(MappingTarget::Contact);
    let opportunity = planned(MappingTarget::Opportunity);
    let g = &ctx.actor()?.grants;
    if g.scope("party", Action::Read).is_some() {
        account.matches = matches(
            db,
            ctx,
            PartyRole::Account,
            PartyKind::Organization,
            value(&account, "name").as_deref(),
            value(&account, "email").as_deref(),
        )
        .await?;
        let person = [value(&contact, "foreName"), value(&contact, "surname")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        contact.matches = matches(
            db,
            ctx,
            PartyRole::Contact,
            PartyKind::Person,
            Some(&person),
            value(&contact, "email").as_deref(),
        )
        .await?;
    }
    Ok(Preview {
        convertible: blocker(&lead),
        account,
        contact,
        opportunity,
    })
}

/// The opportunity part of a conversion.
#[derive(Debug, Clone, Default)]
pub struct OpportunityPart {
    pub name: Option<String>,
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub amount: Option<MoneyInput>,
    pub close_date: Option<String>,
}

/// What to convert into.
#[derive(Debug, Clone, Default)]
pub struct ConvertInput {
    pub lead_id: Uuid,
    pub version: i32,
    pub account_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub opportunity: Option<OpportunityPart>,
}

/// What a conversion made or linked.
#[derive(Debug, Clone)]
pub struct Converted {
    pub lead: LeadRow,
    pub account: parties::Model,
    pub contact: parties::Model,
    pub opportunity: Option<entity::opportunities::opportunities::Model>,
}

fn prefixed(prefix: &str, e: AppError) -> AppError {
    match e {
        AppError::BadInput(list) => AppError::BadInput(
            list.into_iter()
                .map(|f| FieldError::new(format!("{prefix}.{}", f.field), f.message))
                .collect(),
        ),
        other => other,
    }
}

/// Refuses a new record whose required mapped field is empty on the lead.
fn require(prefix: &str, p: &Plan, field: &str, instead: &str) -> AppResult<()> {
    match p.values.iter().find(|(f, _, _)| f == field) {
        Some((_, _, Some(_))) => Ok(()),
        Some((_, source, None)) => Err(AppError::bad_input(
            format!("{prefix}.{field}"),
            format!("is mapped from the lead's {source}, which is empty; fill it in on the lead or {instead}"),
        )),
        None => Err(AppError::bad_input(
            format!("{prefix}.{field}"),
            "is not mapped; an administrator must map it",
        )),
    }
}

async fn check_existing(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
    field: &str,
    kind: PartyKind,
    roles: &[PartyRole],
    noun: &str,
) -> AppResult<parties::Model> {
    let bad = || AppError::bad_input(field, format!("is not {noun} you can see"));
    let p = parties_svc::get(db, ctx, id).await?.ok_or_else(bad)?;
    if p.kind != kind.as_str() || p.archived_at.is_some() || p.merged_into.is_some() {
        return Err(bad());
    }
    let held = party_roles::Entity::find()
        .filter(party_roles::Column::PartyId.eq(id))
        .all(db)
        .await?;
    if !held
        .iter()
        .any(|r| roles.iter().any(|x| x.as_str() == r.role))
    {
        return Err(bad());
    }
    Ok(p)
}

/// Converts a qualified lead in one transaction: the account (new or linked), the contact (new or
/// linked) related to it, optionally an opportunity inheriting lead, source and campaign; the lead
/// becomes CONVERTED with links to them. Any failure leaves everything as it was.
pub async fn convert(
    state: &AppState,
    ctx: &RequestCtx,
    input: ConvertInput,
) -> AppResult<Converted> {
    let lead = service::load_for(&state.db, ctx, input.lead_id, Action::Update).await?;
    let actor = ctx.actor()?;
    if let Some(why) = blocker(&lead) {
        return Err(AppError::bad_input("leadId", why));
    }
    let (email, phone) = service::contact_values(&state.db, lead.party.id).await?;
    let values = lead.values(email, phone);
    let lines = mapping(&state.db).await?;
    let account_plan = plan(&lines, MappingTarget::Account, &values);
    let contact_plan = plan(&lines, MappingTarget::Contact, &values);
    let opp_plan = plan(&lines, MappingTarget::Opportunity, &values);
    let custom = CustomSource::load(&state.db, lead.party.id, &lines).await?;
    let custom_of = |target| custom.values(ctx, &lines, target, &values);
    if input.account_id.is_none() {
        require(
            "account",
            &account_plan,
            "name",
            "choose an existing account",
        )?;
    }
    if input.contact_id.is_none() {
        for f in ["foreName", "surname"] {
            require("contact", &contact_plan, f, "choose an existing contact")?;
        }
    }
    if let Some(o) = &input.opportunity {
        if o.name
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .is_empty()
        {
            require(
                "opportunity",
                &opp_plan,
                "name",
                "give the opportunity a name",
            )?;
        }
    }
    let owner = lead.party.owner_id;
    let mut w = Write::begin(state, Some(ctx)).await?;
    let mut events = Vec::new();

    let account = match input.account_id {
        Some(id) => {
            check_existing(
                w.txn(),
                ctx,
                id,
                "accountId",
                PartyKind::Organization,
                &[PartyRole::Account, PartyRole::Customer],
                "an account",
            )
            .await?
        }
        None => {
            let changes = AccountChanges {
                name: value(&account_plan, "name"),
                industry: value(&account_plan, "industry"),
                area: value(&account_plan, "area"),
                website: value(&account_plan, "website"),
                email: value(&account_plan, "email"),
                phone: value(&account_plan, "phone"),
                owner_id: owner,
                ..Default::default()
            };
            let (m, e) = accounts_svc::create_in(w.txn(), ctx, changes)
                .await
                .map_err(|e| prefixed("account", e))?;
            events.push(e);
            let mapped = custom_of(MappingTarget::Account);
            write_custom(&mut w, ctx, MappingTarget::Account, m.id, mapped, "account").await?;
            m
        }
    };

    let contact = match input.contact_id {
        Some(id) => {
            check_existing(
                w.txn(),
                ctx,
                id,
                "contactId",
                PartyKind::Person,
                &[PartyRole::Contact, PartyRole::Customer],
                "a contact",
            )
            .await?
        }
        None => {
            let mut mechanisms = Vec::new();
            for (kind, field) in [(Kind::Email, "email"), (Kind::Phone, "phone")] {
                if let Some(v) = value(&contact_plan, field) {
                    mechanisms.push(MechanismInput {
                        kind,
                        value: Some(v),
                        address: None,
                        purposes: vec![ContactPurpose::Primary],
                        valid_from: None,
                        valid_to: None,
                    });
                }
            }
            let changes = PartyChanges {
                kind: Some(PartyKind::Person),
                fore_name: value(&contact_plan, "foreName"),
                surname: value(&contact_plan, "surname"),
                area: value(&contact_plan, "area"),
                owner_id: owner,
                roles: Some(vec![PartyRole::Contact]),
                mechanisms,
                ..Default::default()
            };
            let (m, e) = parties_svc::create_in(w.txn(), ctx, changes)
                .await
                .map_err(|e| prefixed("contact", e))?;
            events.push(e);
            let mapped = custom_of(MappingTarget::Contact);
            write_custom(&mut w, ctx, MappingTarget::Contact, m.id, mapped, "contact").await?;
            m
        }
    };

    let related = rel::Entity::find()
        .filter(rel::Column::FromPartyId.eq(contact.id))
        .filter(rel::Column::ToPartyId.eq(account.id))
        .filter(rel::Column::Kind.eq(relationship_type::CONTACT_OF))
        .filter(rel::Column::ValidTo.is_null())
        .count(w.txn())
        .await?
        > 0;
    if !related {
        let (_, e) = relationships::add_in(
            w.txn(),
            ctx,
            NewRelationship {
                from: contact.id,
                to: account.id,
                kind: relationship_type::CONTACT_OF.to_string(),
                role_label: value(&contact_plan, "roleLabel"),
                valid_from: None,
                comment: None,
            },
        )
        .await
        .map_err(|e| prefixed("contact", e))?;
        events.extend(e);
    }

    let opportunity = match &input.opportunity {
        None => None,
        Some(o) => {
            let name = o
                .name
                .clone()
                .filter(|n| !n.trim().is_empty())
                .or_else(|| value(&opp_plan, "name"));
            let changes = OpportunityChanges {
                name,
                account_id: Some(account.id),
                owner_id: owner,
                pipeline_id: o.pipeline_id,
                stage_id: o.stage_id,
                amount: o.amount.clone().map(Some),
                close_date: o.close_date.clone(),
                next_step: value(&opp_plan, "nextStep"),
                lead_source: Some(Some(lead.lead.source.clone())),
                contacts: Some(vec![(contact.id, ContactRole::Other)]),
                lead_id: Some(lead.party.id),
                campaign_id: lead.lead.campaign_id,
                ..Default::default()
            };
            let (m, e) = opps_svc::create_in(w.txn(), ctx, changes)
                .await
                .map_err(|e| prefixed("opportunity", e))?;
            events.push(e);
            let mapped = custom_of(MappingTarget::Opportunity);
            write_custom(
                &mut w,
                ctx,
                MappingTarget::Opportunity,
                m.id,
                mapped,
                "opportunity",
            )
            .await?;
            Some(m)
        }
    };

    let mut next = lead.clone();
    next.lead.status = LeadStatus::Converted.as_str().to_string();
    next.lead.status_reason = None;
    next.lead.converted_account_id = Some(account.id);
    next.lead.converted_contact_id = Some(contact.id);
    next.lead.converted_opportunity_id = opportunity.as_ref().map(|o| o.id);
    next.lead.converted_at = Some(db::now());
    next.lead.converted_by = Some(actor.user_id);
    for e in events {
        w.adopt(e);
    }
    let row = service::save_in(
        &mut w,
        (&lead, &values),
        next,
        &values,
        input.version,
        "convert",
    )
    .await?;
    w.commit().await?;
    Ok(Converted {
        lead: row,
        account,
        contact,
        opportunity,
    })
}
