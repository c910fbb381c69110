//! Reading opportunities under row scope: lists with their filter and keyset pages, history, and the subscriber's view of a change.

use super::*;

/// Opportunities the caller may read, archived ones included.
pub fn visible(ctx: &RequestCtx) -> AppResult<Select<opportunities::Entity>> {
    aggregate::visible::<OpportunityObject>(ctx, Action::Read)
}

/// One opportunity, if the caller may read it.
pub async fn get(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    id: Uuid,
) -> AppResult<Option<opportunities::Model>> {
    Ok(visible(ctx)?
        .filter(opportunities::Column::Id.eq(id))
        .one(db)
        .await?)
}

/// Criteria narrowing opportunities (board, columns, lists). Amount bounds need the amount grant:
/// filtering by a value one may not read would reveal it.
#[derive(Debug, Clone, Default)]
pub struct OpportunityFilter {
    pub pipeline_id: Option<Uuid>,
    pub account_id: Option<Uuid>,
    pub owner_ids: Vec<Uuid>,
    pub team_id: Option<Uuid>,
    pub close_date_from: Option<NaiveDate>,
    pub close_date_to: Option<NaiveDate>,
    /// Bounds on the amount in its own currency, in thousandths of a whole unit
    /// (`money::parse_bound`): 1000 is 1,000 yen, euros or dinars alike.
    pub amount_min: Option<i64>,
    pub amount_max: Option<i64>,
    pub status: Option<OpportunityStatus>,
    pub search: Option<String>,
    pub include_archived: bool,
    /// Conditions on custom fields (each needs the field's read grant).
    pub custom: Vec<crate::domain::custom_fields::filter::CustomFieldFilter>,
    /// Keys of opportunity types (any of them).
    pub opportunity_types: Vec<String>,
}

impl OpportunityFilter {
    /// The SQL condition of the filter, checking the amount grant when amounts are filtered.
    pub fn condition(&self, ctx: &RequestCtx) -> AppResult<Condition> {
        use opportunities::Column as C;
        let mut c = Condition::all();
        if !self.include_archived {
            c = c.add(C::ArchivedAt.is_null());
        }
        if let Some(p) = self.pipeline_id {
            c = c.add(C::PipelineId.eq(p));
        }
        if let Some(a) = self.account_id {
            c = c.add(C::AccountId.eq(a));
        }
        if !self.owner_ids.is_empty() {
            c = c.add(C::OwnerId.is_in(self.owner_ids.iter().copied()));
        }
        if let Some(team) = self.team_id {
            use entity::access::team_members as tm;
            let members = sea_orm::sea_query::Query::select()
                .column(tm::Column::UserId)
                .from(tm::Entity)
                .and_where(Expr::col(tm::Column::TeamId).eq(team))
                .to_owned();
            c = c.add(C::OwnerId.in_subquery(members));
        }
        if let Some(d) = self.close_date_from {
            c = c.add(C::CloseDate.gte(d));
        }
        if let Some(d) = self.close_date_to {
            c = c.add(C::CloseDate.lte(d));
        }
        if self.amount_min.is_some() || self.amount_max.is_some() {
            if !ctx.actor()?.grants.can_read(AMOUNT_FIELD) {
                return Err(AppError::Forbidden(
                    "your role may not read opportunity amounts, so it may not filter by them"
                        .into(),
                ));
            }
            c = c.add(amount_between(self.amount_min, self.amount_max));
        }
        if let Some(s) = self.status {
            c = c.add(C::Status.eq(s.as_str()));
        }
        if !self.opportunity_types.is_empty() {
            if self.opportunity_types.len() > crate::kit::filters::MAX_IN_VALUES {
                return Err(AppError::bad_input(
                    "filter.opportunityTypes",
                    format!(
                        "must list at most {} values",
                        crate::kit::filters::MAX_IN_VALUES
                    ),
                ));
            }
            c = c.add(C::OpportunityType.is_in(self.opportunity_types.iter().cloned()));
        }
        if !self.custom.is_empty() {
            c = c.add(crate::domain::custom_fields::filter::conditions(
                &self.custom,
                ctx,
                crate::domain::custom_fields::rules::CustomObject::Opportunity,
                Expr::col((opportunities::Entity, C::Id)),
                "filter.custom",
            )?);
        }
        if let Some(term) = self
            .search
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            let escaped = term
                .to_lowercase()
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            c = c.add(
                Expr::expr(Func::lower(Expr::col((opportunities::Entity, C::Name))))
                    .like(sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')),
            );
        }
        Ok(c)
    }
}

/// The order of the opportunities list: most recently changed first, or by a custom field's
/// value (`desc`: the largest first).
#[derive(Copy, Clone, Debug, Default, PartialEq)]
pub enum ListOrder {
    #[default]
    UpdatedDesc,
    Custom {
        sort: crate::domain::custom_fields::sort::CustomSort,
        desc: bool,
    },
}

impl ListOrder {
    fn name(self) -> String {
        match self {
            ListOrder::UpdatedDesc => "UPDATED_DESC".into(),
            ListOrder::Custom { sort, desc } => {
                format!("{}_{}", sort.key(), if desc { "DESC" } else { "ASC" })
            }
        }
    }

    /// Each row's cursor for a page in this order: a custom field's values are read for the
    /// page (one statement).
    pub async fn cursors(
        self,
        db: &impl ConnectionTrait,
        rows: &[opportunities::Model],
    ) -> AppResult<std::collections::HashMap<Uuid, String>> {
        let keys = match self {
            ListOrder::Custom { sort, .. } => {
                let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
                sort.values(db, &ids).await?
            }
            ListOrder::UpdatedDesc => Default::default(),
        };
        Ok(rows
            .iter()
            .map(|m| {
                let k = match self {
                    ListOrder::UpdatedDesc => SortValue::Time(m.updated_at),
                    ListOrder::Custom { sort, .. } => {
                        keys.get(&m.id).cloned().unwrap_or_else(|| sort.missing())
                    }
                };
                let cursor = Cursor {
                    o: self.name(),
                    k,
                    id: m.id,
                };
                (m.id, cursor.encode())
            })
            .collect())
    }
}

/// A keyset page of visible opportunities matching `filter`, in `order`.
pub async fn list(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
    order: ListOrder,
    page: &Page,
) -> AppResult<(Vec<opportunities::Model>, bool)> {
    use opportunities::Column as C;
    let mut q = visible(ctx)?.filter(filter.condition(ctx)?);
    let id_col = || Expr::col((opportunities::Entity, C::Id));
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, &order.name())?;
        let bad = || AppError::bad_input("after", "is not a cursor of this list");
        q = q.filter(match (order, c.k) {
            (ListOrder::UpdatedDesc, SortValue::Time(t)) => Condition::any()
                .add(C::UpdatedAt.lt(t))
                .add(Condition::all().add(C::UpdatedAt.eq(t)).add(C::Id.lt(c.id))),
            (ListOrder::Custom { sort, desc }, k) => {
                sort.after(id_col(), &k, c.id, desc).ok_or_else(bad)?
            }
            _ => return Err(bad()),
        });
    }
    q = match order {
        ListOrder::UpdatedDesc => q.order_by_desc(C::UpdatedAt).order_by_desc(C::Id),
        ListOrder::Custom { sort, desc } => {
            let o = if desc {
                sea_orm::Order::Desc
            } else {
                sea_orm::Order::Asc
            };
            q.order_by(sort.expr(id_col()), o.clone())
                .order_by(C::Id, o)
        }
    };
    let mut rows = q.limit(page.first + 1).all(db).await?;
    let more = rows.len() as u64 > page.first;
    rows.truncate(page.first as usize);
    Ok((rows, more))
}

/// How many visible opportunities match `filter`.
pub async fn count(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    filter: &OpportunityFilter,
) -> AppResult<u64> {
    Ok(visible(ctx)?
        .filter(filter.condition(ctx)?)
        .count(db)
        .await?)
}

/// Amounts within `min..=max` (thousandths of a whole unit, either may be open), each compared
/// in its own currency: the amount scaled to thousandths by its currency's decimals (one `CASE`),
/// so `amount × scale ≥ min` holds exactly when the amount is at least `min` rounded up to the
/// currency's minor unit (and `≤ max` when at most `max` rounded down).
fn amount_between(min: Option<i64>, max: Option<i64>) -> Condition {
    use opportunities::Column as C;
    let scale_of = |decimals: u32| 10_i64.pow(money::MAX_EXPONENT - decimals);
    let scale = Expr::case(C::Currency.is_in(money::with_exponent(0)), scale_of(0))
        .case(C::Currency.is_in(money::with_exponent(3)), scale_of(3))
        .finally(scale_of(money::USUAL_EXPONENT));
    let scale: Expr = scale.into();
    let scaled = Expr::col((opportunities::Entity, C::AmountMinor)).mul(scale);
    let mut c = Condition::all();
    if let Some(m) = min {
        c = c.add(scaled.clone().gte(m));
    }
    if let Some(m) = max {
        c = c.add(scaled.lte(m));
    }
    c
}

/// One page of an opportunity's history, newest first (the caller checked it may read it).
pub async fn history(
    db: &impl ConnectionTrait,
    opportunity: Uuid,
    first: u64,
    after: Option<i64>,
) -> AppResult<(Vec<opportunity_history::Model>, bool)> {
    use opportunity_history::Column as C;
    let mut q = opportunity_history::Entity::find().filter(C::OpportunityId.eq(opportunity));
    if let Some(a) = after {
        q = q.filter(C::Id.lt(a));
    }
    let mut rows = q.order_by_desc(C::Id).limit(first + 1).all(db).await?;
    let more = rows.len() as u64 > first;
    rows.truncate(first as usize);
    Ok((rows, more))
}

/// What a subscriber should learn of a change: `(true, Some(row))` when the opportunity is visible to
/// them (and on the pipeline they watch), `(false, None)` when it was before this change but is not
/// now, and `None` when the change is none of their business.
pub async fn change_for_subscriber(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    event: &ChangeEvent,
    pipeline: Option<Uuid>,
) -> AppResult<Option<(bool, Option<opportunities::Model>)>> {
    let (actor, scope) = policy::authorize(ctx, OBJECT, Action::Read)?;
    let Some(row) = aggregate::unscoped::<OpportunityObject>(
        "a subscriber learns of a deal leaving their scope; the scope is checked below",
    )
    .filter(opportunities::Column::Id.eq(event.object_id))
    .one(db)
    .await?
    else {
        return Ok(None);
    };
    let shown = |owner: Uuid, pipe: Uuid, archived: bool| {
        policy::owner_in_scope(actor, scope, Some(owner))
            && pipeline.is_none_or(|p| p == pipe)
            && !archived
    };
    if shown(row.owner_id, row.pipeline_id, row.archived_at.is_some()) {
        return Ok(Some((true, Some(row))));
    }
    let entry = entity::change_log::Entity::find_by_id(event.cursor)
        .one(db)
        .await?;
    let before = |field: &str| -> Option<Value> {
        entry
            .as_ref()
            .and_then(|e| e.changes.get(field))
            .and_then(|c| c.get("before"))
            .cloned()
    };
    let uuid_before = |field: &str, now: Uuid| {
        before(field)
            .and_then(|v| v.as_str().and_then(|s| Uuid::parse_str(s).ok()))
            .unwrap_or(now)
    };
    let owner = uuid_before("ownerId", row.owner_id);
    let pipe = uuid_before("pipelineId", row.pipeline_id);
    let archived = before("archived")
        .and_then(|v| v.as_bool())
        .unwrap_or(row.archived_at.is_some());
    let created = entry.as_ref().is_some_and(|e| e.action == "create");
    if !created && shown(owner, pipe, archived) {
        Ok(Some((false, None)))
    } else {
        Ok(None)
    }
}
