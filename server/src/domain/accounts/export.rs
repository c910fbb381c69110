//! Accounts as CSV (`GET /exports/accounts.csv`): the rows of the `account` export grant's row
//! scope that match the list's filter (or the chosen ids), in the list's order, streamed in keyset
//! pages so an export of any size runs in flat memory. Columns follow the field grants: contact
//! details, annual revenue and each custom field appear only for a caller who may read them.

use std::collections::HashMap;

use entity::access::users;
use entity::custom_fields::custom_fields;
use entity::parties::parties;
use futures_util::stream::{self, Stream};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, QueryFilter};
use uuid::Uuid;

use super::filter::{AccountFilter, AccountOrder};
use super::policy::{AccountObject, ANNUAL_REVENUE};
use crate::auth::RequestCtx;
use crate::domain::custom_fields::rules::{self, CustomObject};
use crate::domain::custom_fields::service as custom;
use crate::domain::money;
use crate::domain::parties::kinds::ContactMechanismKind as Kind;
use crate::domain::parties::mechanisms;
use crate::domain::parties::policy::CONTACT_FIELD;
use crate::domain::parties::service as parties_svc;
use crate::domain::users::service::UserObject;
use crate::error::{AppError, AppResult};
use crate::kit::aggregate;
use crate::kit::csv::line;
use crate::kit::paging::{Cursor, Page};
use crate::policy::Action;
use crate::state::AppState;

/// Rows read a page.
const PAGE: u64 = 500;
/// Most ids one export may name.
pub const MAX_IDS: usize = 1_000;

/// What an export covers: the list's filter and order, or chosen accounts.
pub struct ExportQuery {
    pub filter: Option<AccountFilter>,
    /// The order of the rows (a custom field's must be one the caller may read).
    pub order: AccountOrder,
    /// Only these accounts (still under the row scope), when given.
    pub ids: Option<Vec<Uuid>>,
}

/// The columns a caller may see.
struct Columns {
    contacts: bool,
    revenue: bool,
    custom: Vec<custom_fields::Model>,
}

impl Columns {
    fn header(&self) -> String {
        let mut cols: Vec<String> = ["Code", "Name", "Area", "Industry", "Website", "Owner"]
            .map(String::from)
            .to_vec();
        if self.contacts {
            cols.extend(["E-mail".into(), "Phone".into()]);
        }
        if self.revenue {
            cols.extend(["Annual revenue".into(), "Currency".into()]);
        }
        cols.extend(["Archived".into(), "Updated".into()]);
        cols.extend(self.custom.iter().map(|d| d.label.clone()));
        line(&cols)
    }
}

/// One page of rows as CSV lines: the owners, contact details and custom values of the page read
/// in one statement each.
async fn page_text(
    db: &impl ConnectionTrait,
    cols: &Columns,
    rows: &[parties::Model],
) -> AppResult<String> {
    let ids: Vec<Uuid> = rows.iter().map(|m| m.id).collect();
    let owner_ids: Vec<Uuid> = rows.iter().filter_map(|m| m.owner_id).collect();
    let owners: HashMap<Uuid, String> = if owner_ids.is_empty() {
        HashMap::new()
    } else {
        aggregate::unscoped::<UserObject>("an exported row names its owner, as the list does")
            .filter(users::Column::Id.is_in(owner_ids))
            .all(db)
            .await?
            .into_iter()
            .map(|u| (u.id, u.display_name))
            .collect()
    };
    let contacts = if cols.contacts {
        mechanisms::of_parties(db, &ids).await?
    } else {
        HashMap::new()
    };
    let values = if cols.custom.is_empty() {
        HashMap::new()
    } else {
        custom::values_of(db, &ids).await?
    };
    let mut text = String::new();
    for m in rows {
        let mut out = vec![
            m.code.clone(),
            parties_svc::display_name(m),
            m.area.clone().unwrap_or_default(),
            m.industry.clone().unwrap_or_default(),
            m.website.clone().unwrap_or_default(),
            m.owner_id
                .and_then(|o| owners.get(&o).cloned())
                .unwrap_or_default(),
        ];
        if cols.contacts {
            let mine = contacts.get(&m.id).map(Vec::as_slice).unwrap_or_default();
            for kind in [Kind::Email, Kind::Phone] {
                out.push(
                    mechanisms::pick_primary(mine, kind)
                        .map(|c| c.value.clone())
                        .unwrap_or_default(),
                );
            }
        }
        if cols.revenue {
            out.push(match (m.annual_revenue_minor, &m.annual_revenue_currency) {
                (Some(minor), Some(currency)) => money::format_amount(minor, currency),
                _ => String::new(),
            });
            out.push(m.annual_revenue_currency.clone().unwrap_or_default());
        }
        out.push(if m.archived_at.is_some() { "yes" } else { "" }.into());
        out.push(m.updated_at.to_rfc3339());
        let held = values.get(&m.id).map(Vec::as_slice).unwrap_or_default();
        for d in &cols.custom {
            out.push(
                held.iter()
                    .find(|v| v.field_id == d.id)
                    .map(|v| rules::display(custom::field_type(d), &v.text_value))
                    .unwrap_or_default(),
            );
        }
        text.push_str(&line(&out));
    }
    Ok(text)
}

/// The export as a CSV stream: the header, then a page of rows at a time. Refused (before any
/// byte is sent) without the `account` export grant or with a bad filter.
pub async fn stream(
    state: AppState,
    ctx: RequestCtx,
    q: ExportQuery,
) -> AppResult<impl Stream<Item = Result<String, std::io::Error>>> {
    let base = aggregate::visible::<AccountObject>(&ctx, Action::Export)?;
    let mut cond: Condition = match &q.ids {
        // Chosen rows are exported as they are, archived or not.
        Some(ids) => Condition::all().add(parties::Column::Id.is_in(ids.iter().copied())),
        None => AccountFilter::condition(q.filter.as_ref(), &ctx)?,
    };
    if q.ids.as_ref().is_some_and(|ids| ids.len() > MAX_IDS) {
        return Err(AppError::bad_input(
            "ids",
            format!("at most {MAX_IDS} accounts at a time"),
        ));
    }
    if q.ids.is_some() && q.filter.is_some() {
        cond = cond.add(AccountFilter::condition(q.filter.as_ref(), &ctx)?);
    }
    let actor = ctx.actor()?;
    let custom_defs: Vec<_> = custom::definitions(&state.db, Some(CustomObject::Account), false)
        .await?
        .into_iter()
        .filter(|d| custom::can_read(&ctx, d))
        .collect();
    let sort = q.order.sort(&custom_defs, &ctx, "sort")?;
    let cols = Columns {
        contacts: actor.grants.can_read(CONTACT_FIELD),
        revenue: actor.grants.can_read(ANNUAL_REVENUE),
        custom: custom_defs,
    };
    let header = cols.header();
    let query = base.filter(cond);
    let first = stream::once(async move { Ok::<_, std::io::Error>(header) });
    let pages = stream::unfold(
        (Some(None::<String>), state, cols, query),
        move |(after, state, cols, query)| async move {
            let after = after?;
            let page = async {
                let (rows, more) =
                    parties_svc::page(&state.db, query.clone(), sort, &Page { first: PAGE, after })
                        .await?;
                let keys = sort.keys(&state.db, &rows).await?;
                let next = more.then(|| {
                    rows.last().map(|m| {
                        Cursor {
                            o: sort.key(),
                            k: sort.value(m, &keys),
                            id: m.id,
                        }
                        .encode()
                    })
                });
                let text = page_text(&state.db, &cols, &rows).await?;
                AppResult::Ok((text, next.flatten(), rows.is_empty()))
            }
            .await;
            match page {
                Err(e) => Some((
                    Err(std::io::Error::other(e.message())),
                    (None, state, cols, query),
                )),
                Ok((_, _, true)) => None,
                Ok((text, next, false)) => {
                    let after = next.map(Some);
                    Some((Ok(text), (after, state, cols, query)))
                }
            }
        },
    );
    // Fused: a compressing body polls again after the end, which a bare `unfold` refuses.
    Ok(futures_util::StreamExt::fuse(
        futures_util::StreamExt::chain(first, pages),
    ))
}
