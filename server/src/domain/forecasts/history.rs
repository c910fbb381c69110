//! The statistical forecast's data: the visible opportunities of a pipeline with their stage, amount
//! and close-date history, replayed as of any moment (the model is fitted on what had closed by
//! then and simulates what was open then, with the stage, amount and close date it had then).

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use entity::opportunities::{opportunities, opportunity_history};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QuerySelect, QueryTrait,
};
use uuid::Uuid;

use super::stats::{ClosedSample, OpenDeal};
use crate::auth::RequestCtx;
use crate::domain::money;
use crate::domain::opportunities::service;
use crate::error::AppResult;

/// One change that matters to the model.
#[derive(Debug, Clone)]
enum Change {
    Stage(Uuid),
    Amount(Option<(i64, String)>),
    Close(Option<NaiveDate>),
}

/// An opportunity with its history.
#[derive(Debug, Clone)]
pub struct Story {
    pub owner: Uuid,
    stage: Uuid,
    amount: Option<(i64, String)>,
    close: Option<NaiveDate>,
    status: String,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
    changes: Vec<(DateTime<Utc>, Change)>,
}

#[derive(Debug, FromQueryResult)]
struct OppRow {
    id: Uuid,
    owner_id: Uuid,
    stage_id: Uuid,
    amount_minor: Option<i64>,
    currency: Option<String>,
    close_date: Option<NaiveDate>,
    status: String,
    created_at: DateTime<Utc>,
    closed_at: Option<DateTime<Utc>>,
}

/// Every visible opportunity of a pipeline (of `owners` when given) with its history: two
/// statements.
pub async fn load(
    db: &impl ConnectionTrait,
    ctx: &RequestCtx,
    pipeline: Uuid,
    owners: Option<&[Uuid]>,
) -> AppResult<Vec<Story>> {
    use opportunities::Column as C;
    let mut q = service::visible(ctx)?
        .filter(C::PipelineId.eq(pipeline))
        .filter(C::ArchivedAt.is_null());
    if let Some(o) = owners {
        q = q.filter(C::OwnerId.is_in(o.iter().copied()));
    }
    let ids = q.clone().select_only().column(C::Id).into_query();
    let rows = q
        .select_only()
        .columns([
            C::Id,
            C::OwnerId,
            C::StageId,
            C::AmountMinor,
            C::Currency,
            C::CloseDate,
            C::Status,
            C::CreatedAt,
            C::ClosedAt,
        ])
        .into_model::<OppRow>()
        .all(db)
        .await?;
    let mut stories: HashMap<Uuid, Story> = rows
        .into_iter()
        .map(|r| {
            (
                r.id,
                Story {
                    owner: r.owner_id,
                    stage: r.stage_id,
                    amount: r.amount_minor.zip(r.currency),
                    close: r.close_date,
                    status: r.status,
                    created_at: r.created_at,
                    closed_at: r.closed_at,
                    changes: Vec::new(),
                },
            )
        })
        .collect();
    use opportunity_history::Column as H;
    let history = opportunity_history::Entity::find()
        .filter(H::OpportunityId.in_subquery(ids))
        .filter(H::Field.is_in(["STAGE", "AMOUNT", "CLOSE_DATE"]))
        .order_by_asc(H::Id)
        .all(db)
        .await?;
    for h in history {
        let Some(s) = stories.get_mut(&h.opportunity_id) else {
            continue;
        };
        let to = h.to_value.as_deref().unwrap_or("");
        let change = match h.field.as_str() {
            "STAGE" => match Uuid::parse_str(to) {
                Ok(id) => Change::Stage(id),
                Err(_) => continue,
            },
            "AMOUNT" => Change::Amount(
                to.split_once(' ')
                    .and_then(|(a, c)| Some((money::read_amount(a, c)?, c.to_string()))),
            ),
            _ => Change::Close(NaiveDate::parse_from_str(to, "%Y-%m-%d").ok()),
        };
        s.changes.push((h.occurred_at, change));
    }
    Ok(stories.into_values().collect())
}

/// What the data looked like at one moment.
#[derive(Debug, Clone, Default)]
pub struct AsOf {
    /// Closed by then, with the owner.
    pub closed: Vec<(Uuid, ClosedSample)>,
    /// Open then, by currency, with the owner.
    pub open: HashMap<String, Vec<(Uuid, OpenDeal)>>,
}

/// A pipeline's stories and what they say now (kept together: "now" changes only when a story does).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub stories: Vec<Story>,
    pub now: AsOf,
}

impl Story {
    /// Its close date now.
    pub fn close_now(&self) -> Option<NaiveDate> {
        self.close
    }

    /// `OPEN`, `WON` or `LOST`.
    pub fn status(&self) -> &str {
        &self.status
    }

    /// Every stage it was ever in (each once), its current one included.
    pub fn stages_entered(&self) -> Vec<Uuid> {
        let mut out: Vec<Uuid> = Vec::new();
        for (_, c) in &self.changes {
            if let Change::Stage(s) = c {
                if !out.contains(s) {
                    out.push(*s);
                }
            }
        }
        if !out.contains(&self.stage) {
            out.push(self.stage);
        }
        out
    }

    /// The days of each time its close date was pushed later.
    pub fn close_pushes(&self) -> Vec<i64> {
        let mut out = Vec::new();
        let mut prev: Option<NaiveDate> = None;
        for (_, c) in &self.changes {
            if let Change::Close(d) = c {
                if let (Some(p), Some(d)) = (prev, d) {
                    if *d > p {
                        out.push((*d - p).num_days());
                    }
                }
                if d.is_some() {
                    prev = *d;
                }
            }
        }
        out
    }

    fn state_at(&self, t: DateTime<Utc>) -> (Uuid, Option<(i64, String)>, Option<NaiveDate>) {
        let (mut stage, mut amount, mut close) = (None, None, None);
        let mut first = (None, None, None);
        for (at, c) in &self.changes {
            let before = *at <= t;
            match c {
                Change::Stage(s) => {
                    first.0.get_or_insert(*s);
                    if before {
                        stage = Some(*s);
                    }
                }
                Change::Amount(a) => {
                    first.1.get_or_insert(a.clone());
                    if before {
                        amount = Some(a.clone());
                    }
                }
                Change::Close(d) => {
                    first.2.get_or_insert(*d);
                    if before {
                        close = Some(*d);
                    }
                }
            }
        }
        (
            stage.or(first.0).unwrap_or(self.stage),
            amount.unwrap_or_else(|| first.1.flatten().or_else(|| self.amount.clone())),
            close.unwrap_or_else(|| first.2.flatten().or(self.close)),
        )
    }

    /// Whether it was won, and when, if it had closed by `t`.
    fn closed_by(&self, t: DateTime<Utc>) -> Option<(bool, DateTime<Utc>)> {
        match (self.status.as_str(), self.closed_at) {
            ("WON", Some(c)) if c <= t => Some((true, c)),
            ("LOST", Some(c)) if c <= t => Some((false, c)),
            _ => None,
        }
    }

    /// The day it was won, if it was.
    pub fn won_on(&self) -> Option<NaiveDate> {
        (self.status == "WON")
            .then_some(self.closed_at)
            .flatten()
            .map(|c| c.date_naive())
    }

    /// Its amount now.
    pub fn amount_now(&self) -> Option<&(i64, String)> {
        self.amount.as_ref()
    }

    /// Whether it was open at `t`.
    pub fn open_at(&self, t: DateTime<Utc>) -> bool {
        self.created_at <= t && self.closed_by(t).is_none()
    }

    fn sample(&self, open_stages: &[Uuid], won: bool, closed: DateTime<Utc>) -> ClosedSample {
        let mut stages: Vec<(Uuid, f64)> = Vec::new();
        let mut entered: Option<(Uuid, DateTime<Utc>)> = None;
        let mut first_close: Option<Option<NaiveDate>> = None;
        let mut leave = |entered: &mut Option<(Uuid, DateTime<Utc>)>, at: DateTime<Utc>| {
            if let Some((s, since)) = entered.take() {
                if open_stages.contains(&s) {
                    let days = (at - since).num_seconds().max(0) as f64 / 86_400.0;
                    match stages.iter_mut().find(|(x, _)| *x == s) {
                        Some(e) => e.1 += days,
                        None => stages.push((s, days)),
                    }
                }
            }
        };
        for (at, c) in &self.changes {
            match c {
                Change::Stage(s) => {
                    leave(&mut entered, *at);
                    entered = Some((*s, *at));
                }
                Change::Close(d) => {
                    first_close.get_or_insert(*d);
                }
                Change::Amount(_) => {}
            }
        }
        leave(&mut entered, closed);
        if stages.is_empty() && open_stages.contains(&self.stage) {
            stages.push((self.stage, 0.0));
        }
        let expected = first_close.flatten().or(self.close);
        ClosedSample {
            stages,
            won,
            slip_days: won
                .then(|| expected.map(|e| (closed.date_naive() - e).num_days()))
                .flatten(),
        }
    }
}

/// The model's view of `stories` at `t`: what had closed (samples) and what was open.
pub fn as_of<'a>(
    stories: impl IntoIterator<Item = &'a Story>,
    open_stages: &[Uuid],
    t: DateTime<Utc>,
) -> AsOf {
    let mut out = AsOf::default();
    for s in stories {
        if let Some((won, at)) = s.closed_by(t) {
            out.closed.push((s.owner, s.sample(open_stages, won, at)));
        } else if s.created_at <= t {
            let (stage, amount, close) = s.state_at(t);
            if let (Some((minor, cur)), Some(close)) = (amount, close) {
                out.open.entry(cur).or_default().push((
                    s.owner,
                    OpenDeal {
                        stage,
                        amount_minor: minor,
                        close,
                    },
                ));
            }
        }
    }
    out
}

/// A token that changes whenever the history or an opportunity changes (the newest history row
/// and the newest opportunity update), in one statement.
pub async fn token(db: &impl ConnectionTrait) -> AppResult<String> {
    let sql = "SELECT (SELECT MAX(id) FROM opportunity_history) AS h, \
               (SELECT CAST(MAX(updated_at) AS TEXT) FROM opportunities) AS u";
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(
            db.get_database_backend(),
            sql,
        ))
        .await?;
    let h: Option<i64> = row.as_ref().and_then(|r| r.try_get("", "h").ok()).flatten();
    let u: Option<String> = row.as_ref().and_then(|r| r.try_get("", "u").ok()).flatten();
    Ok(format!("{}|{}", h.unwrap_or(0), u.unwrap_or_default()))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(day: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 1, day, 12, 0, 0).unwrap()
    }

    /// A deal created on day 1 in stage 1, moved on day 5 to stage 2, closed on day `closed`
    /// (won or lost), expected to close on Jan 10, with its close date moved to the closing day.
    fn story(won: bool, closed: u32, s: [Uuid; 4]) -> Story {
        let close = |d: u32| NaiveDate::from_ymd_opt(2026, 1, d).unwrap();
        Story {
            owner: Uuid::nil(),
            stage: if won { s[2] } else { s[3] },
            amount: Some((1_000, "EUR".into())),
            close: Some(close(closed)),
            status: if won { "WON" } else { "LOST" }.into(),
            created_at: at(1),
            closed_at: Some(at(closed)),
            changes: vec![
                (at(1), Change::Amount(Some((1_000, "EUR".into())))),
                (at(1), Change::Close(Some(close(10)))),
                (at(1), Change::Stage(s[0])),
                (at(5), Change::Stage(s[1])),
                (at(closed), Change::Stage(if won { s[2] } else { s[3] })),
                (at(closed), Change::Close(Some(close(closed)))),
            ],
        }
    }

    #[test]
    fn the_replay_gives_stage_visits_days_and_slippage_as_of_any_moment() {
        let s = [1u128, 2, 3, 4].map(Uuid::from_u128);
        let open = [s[0], s[1]];
        let stories = vec![story(true, 15, s), story(false, 12, s), story(true, 20, s)];
        // On Jan 13 one deal was lost and two were open (in stage 2, with the close date first
        // expected).
        let v = as_of(&stories, &open, at(13));
        assert_eq!(v.closed.len(), 1);
        assert!(!v.closed[0].1.won);
        assert_eq!(v.closed[0].1.stages, vec![(s[0], 4.0), (s[1], 7.0)]);
        let eur = &v.open["EUR"];
        assert_eq!(eur.len(), 2);
        assert!(eur
            .iter()
            .all(|(_, d)| d.stage == s[1]
                && d.close == NaiveDate::from_ymd_opt(2026, 1, 10).unwrap()));
        // By Jan 31 all three had closed: won ones slipped 5 and 10 days past Jan 10.
        let v = as_of(&stories, &open, at(31));
        let mut slips: Vec<i64> = v.closed.iter().filter_map(|(_, c)| c.slip_days).collect();
        slips.sort_unstable();
        assert_eq!(slips, vec![5, 10]);
        assert!(v.open.is_empty());
        // Before creation nothing is known.
        let before = Utc.with_ymd_and_hms(2025, 12, 31, 0, 0, 0).unwrap();
        let v = as_of(&stories, &open, before);
        assert!(v.closed.is_empty() && v.open.is_empty());
    }
}
