//! Reading leads under row scope: one lead, batches, the filtered and sorted keyset list, counts, and the open lead with an e-mail.

use super::*;

/// Leads (with their parties) within the caller's row scope for `action`.
pub fn scoped(
    ctx: &RequestCtx,
    action: Action,
) -> AppResult<SelectTwo<leads::Entity, parties::Entity>> {
    Ok(aggregate::visible::<LeadObject>(ctx, action)?.select_also(parties::Entity))
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
    /// Keys of the `lead_source` pick-list.
    pub sources: Vec<String>,
    pub owner_ids: Vec<Uuid>,
    pub list_id: Option<Uuid>,
    pub search: Option<String>,
    pub include_archived: bool,
    /// Conditions on lead custom fields (each needs the field's read grant).
    pub custom: Vec<crate::domain::custom_fields::filter::CustomFieldFilter>,
}

impl LeadFilter {
    /// The SQL condition of the filter (on `leads` joined with `parties`), checking the caller may
    /// read the custom fields it names.
    pub fn condition(&self, ctx: &RequestCtx) -> AppResult<Condition> {
        let mut c = Condition::all();
        if !self.custom.is_empty() {
            c = c.add(crate::domain::custom_fields::filter::conditions(
                &self.custom,
                ctx,
                crate::domain::custom_fields::rules::CustomObject::Lead,
                Expr::col((leads::Entity, leads::Column::PartyId)),
                "filter.custom",
            )?);
        }
        if !self.include_archived {
            c = c.add(parties::Column::ArchivedAt.is_null());
        }
        if !self.statuses.is_empty() {
            c = c.add(leads::Column::Status.is_in(self.statuses.iter().map(|s| s.as_str())));
        }
        if !self.sources.is_empty() {
            c = c.add(leads::Column::Source.is_in(self.sources.iter().cloned()));
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
        Ok(c)
    }
}

/// The orderings of the leads list.
#[derive(Copy, Clone, Debug, PartialEq)]
pub enum LeadSort {
    CreatedDesc,
    NameAsc,
    /// By a custom field's value, ascending unless `desc`.
    Custom {
        sort: CustomSort,
        desc: bool,
    },
}

/// A page's sort values of a custom field, by lead (party) id ([`LeadSort::keys`]).
pub type LeadKeys = std::collections::HashMap<Uuid, SortValue>;

impl LeadSort {
    fn name(self) -> String {
        match self {
            LeadSort::CreatedDesc => "LEAD_CREATED_DESC".into(),
            LeadSort::NameAsc => "LEAD_NAME_ASC".into(),
            LeadSort::Custom { sort, desc } => {
                format!("LEAD_{}_{}", sort.key(), if desc { "DESC" } else { "ASC" })
            }
        }
    }

    /// The sort values of `rows` not on the rows themselves (a custom field's: one statement).
    pub async fn keys(self, db: &impl ConnectionTrait, rows: &[LeadRow]) -> AppResult<LeadKeys> {
        match self {
            LeadSort::Custom { sort, .. } => {
                let ids: Vec<Uuid> = rows.iter().map(|r| r.lead.party_id).collect();
                sort.values(db, &ids).await
            }
            _ => Ok(LeadKeys::new()),
        }
    }

    /// The cursor of a row in this order (`keys` from [`Self::keys`] of its page).
    pub fn cursor(self, r: &LeadRow, keys: &LeadKeys) -> String {
        Cursor {
            o: self.name(),
            k: match self {
                LeadSort::CreatedDesc => SortValue::Time(r.lead.created_at),
                LeadSort::NameAsc => SortValue::Text(r.party.sort_name.clone()),
                LeadSort::Custom { sort, .. } => keys
                    .get(&r.lead.party_id)
                    .cloned()
                    .unwrap_or_else(|| sort.missing()),
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
    let mut q = scoped(ctx, Action::Read)?.filter(filter.condition(ctx)?);
    let id_col = || Expr::col((leads::Entity, leads::Column::PartyId));
    if let Some(after) = &page.after {
        let c = Cursor::decode(after, &sort.name())?;
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
            (LeadSort::Custom { sort, desc }, k) => {
                q.filter(sort.after(id_col(), &k, c.id, desc).ok_or_else(bad)?)
            }
            _ => return Err(bad()),
        };
    }
    q = match sort {
        LeadSort::Custom { sort, desc } => {
            let order = if desc {
                sea_orm::Order::Desc
            } else {
                sea_orm::Order::Asc
            };
            q.order_by(sort.expr(id_col()), order.clone())
                .order_by(leads::Column::PartyId, order)
        }
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
    Ok(aggregate::visible::<LeadObject>(ctx, Action::Read)?
        .filter(filter.condition(ctx)?)
        .count(db)
        .await?)
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
        .and_where(Expr::col(cm::Column::MatchKey).eq(crate::domain::validation::email_key(email)))
        .to_owned();
    let found = aggregate::unscoped::<LeadObject>(
        "a submitted e-mail joins its open lead, whoever owns it",
    )
    .select_also(parties::Entity)
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
        assert_eq!(v.email.as_deref(), Some("Ann@Example.COM"));
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
