//! GraphQL of activities: thin resolvers over [`super::service`].

use async_graphql::{Context, InputObject, MaybeUndefined, Object, SimpleObject, ID};
use chrono::{DateTime, Utc};
use entity::activities::activities;
use uuid::Uuid;

use super::kinds::{ActivityKind, ActivityStatus, AttendeeType, LinkType};
use super::rules;
use super::service::{self, ActivityChanges, NextStep};
use crate::domain::opportunities::graphql::Opportunity;
use crate::domain::opportunities::service as opps;
use crate::domain::parties::graphql::Party;
use crate::domain::parties::loaders::PartyLoader;
use crate::domain::parties::operations::party_id;
use crate::domain::users::graphql::User;
use crate::domain::users::loaders::UserLoader;
use crate::error::{AppError, AppResult};
use crate::kit::ids::{expect_global_id, optional_user_id, parse_global_id, to_global_id};
use crate::kit::paging::Loaded;
use crate::policy::FieldGuard;

fn loader_err(e: impl std::fmt::Display) -> AppError {
    AppError::internal(anyhow::anyhow!("loading: {e}"))
}

/// A call, meeting, task, logged e-mail or note.
#[derive(Clone)]
pub struct Activity(pub activities::Model);

/// A record an activity is linked to; `party`/`opportunity` is `null` when not visible to you.
#[derive(SimpleObject)]
pub struct ActivityLink {
    #[graphql(name = "type")]
    pub link_type: LinkType,
    pub record_id: ID,
    pub party: Option<Party>,
    pub opportunity: Option<Opportunity>,
}

/// Someone taking part; `user`/`contact` is `null` when not visible to you.
#[derive(SimpleObject)]
pub struct ActivityAttendee {
    #[graphql(name = "type")]
    pub attendee_type: AttendeeType,
    pub user: Option<User>,
    pub contact: Option<Party>,
}

#[Object]
impl Activity {
    pub async fn id(&self) -> ID {
        to_global_id("Activity", self.0.id)
    }
    /// Custom fields you may read, in their order (`value` is `null` where unset).
    async fn custom_fields(
        &self,
        ctx: &Context<'_>,
    ) -> AppResult<Vec<crate::domain::custom_fields::graphql::CustomFieldValue>> {
        crate::domain::custom_fields::graphql::values_on(
            ctx,
            crate::domain::custom_fields::rules::CustomObject::Activity,
            self.0.id,
        )
        .await
    }
    async fn kind(&self) -> ActivityKind {
        ActivityKind::parse(&self.0.kind).unwrap_or(ActivityKind::Note)
    }
    async fn subject(&self) -> &str {
        &self.0.subject
    }
    async fn description(&self) -> Option<&str> {
        self.0.description.as_deref()
    }
    async fn starts_at(&self) -> Option<DateTime<Utc>> {
        self.0.starts_at
    }
    async fn ends_at(&self) -> Option<DateTime<Utc>> {
        self.0.ends_at
    }
    async fn due_at(&self) -> Option<DateTime<Utc>> {
        self.0.due_at
    }
    async fn remind_at(&self) -> Option<DateTime<Utc>> {
        self.0.remind_at
    }
    async fn status(&self) -> ActivityStatus {
        ActivityStatus::parse(&self.0.status).unwrap_or(ActivityStatus::Planned)
    }
    /// A planned task past its due time.
    async fn overdue(&self) -> bool {
        rules::overdue(
            ActivityStatus::parse(&self.0.status).unwrap_or(ActivityStatus::Planned),
            self.0.due_at,
            crate::db::now(),
        )
    }
    async fn outcome(&self) -> Option<&str> {
        self.0.outcome.as_deref()
    }
    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at
    }
    /// Where a meeting takes place.
    async fn location(&self) -> Option<&str> {
        self.0.location.as_deref()
    }
    /// The RFC 5545 rule a repeating activity follows (`FREQ=WEEKLY;COUNT=10`): on a call or
    /// meeting series and on each of its occurrences in the calendar; on a repeating task, until
    /// it is done and the next task takes it on.
    async fn recurrence(&self) -> Option<&str> {
        self.0.recurrence.as_deref()
    }
    /// The IANA time zone the rule repeats in (`Europe/Berlin`: 9:00 there each time, across
    /// daylight saving); `null`: UTC.
    async fn time_zone(&self) -> Option<&str> {
        self.0.time_zone.as_deref()
    }
    /// The series this is an occurrence of: in the calendar, or once changed on its own.
    async fn series_id(&self) -> Option<ID> {
        self.0.series_id.map(|id| to_global_id("Activity", id))
    }
    /// The start of the series' occurrence this stands for (what `editOccurrence` takes).
    async fn occurrence_at(&self) -> Option<DateTime<Utc>> {
        self.0.occurrence_at
    }
    /// The online-meeting link.
    async fn meeting_url(&self) -> Option<&str> {
        self.0.meeting_url.as_deref()
    }
    /// Guarded: `null` with a `FORBIDDEN` error without the field grant `activity.privateNote`.
    #[graphql(guard = "FieldGuard::of(crate::domain::activities::policy::PRIVATE_NOTE)")]
    async fn private_note(&self) -> Option<&str> {
        self.0.private_note.as_deref()
    }
    async fn owner(&self, ctx: &Context<'_>) -> AppResult<Option<User>> {
        Ok(ctx
            .data::<Loaded<UserLoader>>()?
            .load_one(self.0.owner_id)
            .await
            .map_err(loader_err)?
            .map(User))
    }
    /// The records it belongs to.
    async fn links(&self, ctx: &Context<'_>) -> AppResult<Vec<ActivityLink>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let rows = service::links_of(&state.db, &[self.0.id]).await?;
        let parties = ctx
            .data::<Loaded<PartyLoader>>()?
            .load_many(
                rows.iter()
                    .filter(|l| l.object_type == LinkType::Party.as_str())
                    .map(|l| l.object_id),
            )
            .await
            .map_err(loader_err)?;
        let mut out = Vec::new();
        for l in rows {
            let ty = LinkType::parse(&l.object_type).unwrap_or(LinkType::Party);
            let (party, opportunity, global) = match ty {
                LinkType::Party => (
                    parties.get(&l.object_id).cloned().map(Party::from_model),
                    None,
                    "Party",
                ),
                LinkType::Opportunity => (
                    None,
                    opps::get(&state.db, req, l.object_id)
                        .await?
                        .map(Opportunity),
                    "Opportunity",
                ),
            };
            out.push(ActivityLink {
                link_type: ty,
                record_id: to_global_id(global, l.object_id),
                party,
                opportunity,
            });
        }
        Ok(out)
    }
    async fn attendees(&self, ctx: &Context<'_>) -> AppResult<Vec<ActivityAttendee>> {
        let state = crate::kit::resolve::state(ctx)?;
        let rows = service::attendees_of(&state.db, &[self.0.id]).await?;
        let mut out = Vec::new();
        for a in rows {
            let ty = AttendeeType::parse(&a.attendee_type).unwrap_or(AttendeeType::User);
            let (user, contact) = match ty {
                AttendeeType::User => (
                    ctx.data::<Loaded<UserLoader>>()?
                        .load_one(a.attendee_id)
                        .await
                        .map_err(loader_err)?
                        .map(User),
                    None,
                ),
                AttendeeType::Contact => (
                    None,
                    ctx.data::<Loaded<PartyLoader>>()?
                        .load_one(a.attendee_id)
                        .await
                        .map_err(loader_err)?
                        .map(Party::from_model),
                ),
            };
            out.push(ActivityAttendee {
                attendee_type: ty,
                user,
                contact,
            });
        }
        Ok(out)
    }
    async fn version(&self) -> i32 {
        self.0.version
    }
    async fn created_at(&self) -> DateTime<Utc> {
        self.0.created_at
    }
    async fn updated_at(&self) -> DateTime<Utc> {
        self.0.updated_at
    }
}

/// A record to link: a party (any party id) or an opportunity.
fn link_of(id: &ID, field: &str) -> AppResult<(LinkType, Uuid)> {
    match parse_global_id(id) {
        Some((ty, uuid)) if ty == "Opportunity" => Ok((LinkType::Opportunity, uuid)),
        Some((ty, _)) if matches!(ty.as_str(), "Person" | "Organization" | "Account") => {
            Ok((LinkType::Party, party_id(id, field)?))
        }
        _ => Err(AppError::bad_input(
            field,
            "is not a party or opportunity id",
        )),
    }
}

/// An attendee: a user id or a person's party id.
fn attendee_of(id: &ID, field: &str) -> AppResult<(AttendeeType, Uuid)> {
    match parse_global_id(id) {
        Some((ty, uuid)) if ty == "User" => Ok((AttendeeType::User, uuid)),
        Some((ty, uuid)) if ty == "Person" => Ok((AttendeeType::Contact, uuid)),
        _ => Err(AppError::bad_input(field, "is not a user or person id")),
    }
}

fn ids<T>(
    list: Option<Vec<ID>>,
    field: &str,
    f: fn(&ID, &str) -> AppResult<T>,
) -> AppResult<Option<Vec<T>>> {
    list.map(|l| {
        l.iter()
            .enumerate()
            .map(|(i, id)| f(id, &format!("{field}.{i}")))
            .collect()
    })
    .transpose()
}

fn maybe<T>(m: MaybeUndefined<T>) -> Option<Option<T>> {
    match m {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(v) => Some(Some(v)),
    }
}

/// A new activity. Calls and meetings need `startsAt`; notes and logged e-mails are done at once.
#[derive(InputObject)]
pub struct CreateActivityInput {
    pub kind: ActivityKind,
    pub subject: String,
    pub description: Option<String>,
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub remind_at: Option<DateTime<Utc>>,
    pub status: Option<ActivityStatus>,
    pub outcome: Option<String>,
    pub owner_id: Option<ID>,
    /// Needs the field grant `activity.privateNote`.
    pub private_note: Option<String>,
    /// Where a meeting takes place.
    pub location: Option<String>,
    /// An online-meeting link; `https://` is added when no scheme is given.
    pub meeting_url: Option<String>,
    /// Repeats a call or meeting from its start, or a task from its due time, by an RFC 5545
    /// rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=10`; daily, weekly, monthly or yearly; at most 1,000
    /// times when it ends). A repeating task is one task at a time: done or cancelled, it is
    /// followed by the next, due at the rule's next time.
    pub recurrence: Option<String>,
    /// The IANA time zone the rule repeats in (`Europe/Berlin`); UTC when none.
    pub time_zone: Option<String>,
    /// Parties (any party id) and opportunities.
    pub links: Option<Vec<ID>>,
    /// Users and people (party ids).
    pub attendees: Option<Vec<ID>>,
}

/// Changes to an activity; omitted fields stay, `null` clears a time, an empty string a text.
#[derive(InputObject)]
pub struct UpdateActivityInput {
    pub id: ID,
    pub version: i32,
    pub subject: Option<String>,
    pub description: Option<String>,
    pub starts_at: MaybeUndefined<DateTime<Utc>>,
    pub ends_at: MaybeUndefined<DateTime<Utc>>,
    pub due_at: MaybeUndefined<DateTime<Utc>>,
    pub remind_at: MaybeUndefined<DateTime<Utc>>,
    pub status: Option<ActivityStatus>,
    pub outcome: Option<String>,
    pub owner_id: Option<ID>,
    pub private_note: Option<String>,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
    /// The series' rule, for every occurrence not changed on its own; an empty string stops the
    /// repeating.
    pub recurrence: Option<String>,
    /// The IANA time zone the rule repeats in; an empty string: UTC.
    pub time_zone: Option<String>,
    /// Replaces the links when given.
    pub links: Option<Vec<ID>>,
    /// Replaces the attendees when given.
    pub attendees: Option<Vec<ID>>,
}

/// One occurrence of a series changed on its own; omitted fields keep the series' values.
#[derive(InputObject)]
pub struct EditOccurrenceInput {
    /// The series (the repeating activity's id).
    pub series_id: ID,
    /// The occurrence's start in the series (`occurrenceAt` in the calendar).
    pub occurrence_at: DateTime<Utc>,
    pub subject: Option<String>,
    pub description: Option<String>,
    /// Moves this occurrence.
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub status: Option<ActivityStatus>,
    pub outcome: Option<String>,
    /// Needs the field grant `activity.privateNote`.
    pub private_note: Option<String>,
    pub location: Option<String>,
    pub meeting_url: Option<String>,
}

/// The next step to set on the linked opportunity.
#[derive(InputObject)]
pub struct NextStepInput {
    /// Needed only when the activity is linked to several opportunities.
    pub opportunity_id: Option<ID>,
    pub next_step: String,
    /// `YYYY-MM-DD`.
    pub next_step_date: Option<String>,
}

/// Completes an activity, optionally setting the next step of its opportunity in the same
/// transaction.
#[derive(InputObject)]
pub struct CompleteActivityInput {
    pub id: ID,
    pub version: i32,
    pub outcome: Option<String>,
    pub next_step: Option<NextStepInput>,
}

/// The activity after a mutation.
#[derive(SimpleObject)]
pub struct ActivityPayload {
    pub activity: Activity,
}

fn activity_id(id: &ID, field: &str) -> AppResult<Uuid> {
    expect_global_id(id, "Activity", field)
}

/// Activity queries.
#[derive(Default)]
pub struct ActivityQuery;

#[Object]
impl ActivityQuery {
    /// One activity; `null` when it does not exist or is not visible to you.
    async fn activity(&self, ctx: &Context<'_>, id: ID) -> AppResult<Option<Activity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(service::get(&state.db, req, activity_id(&id, "id")?)
            .await?
            .map(Activity))
    }

    /// Activities that start or fall due in `[from, to)` (at most 62 days), in time order: yours, or
    /// those of the users or the team named (only what your row scope reaches).
    async fn calendar(
        &self,
        ctx: &Context<'_>,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        owner_ids: Option<Vec<ID>>,
        #[graphql(desc = "A team: its members' activities (the team view).")] team_id: Option<ID>,
    ) -> AppResult<Vec<Activity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let mut owners = ids(owner_ids, "ownerIds", |id, f| {
            expect_global_id(id, "User", f)
        })?
        .unwrap_or_default();
        if let Some(team) = team_id {
            let team = expect_global_id(&team, "Team", "teamId")?;
            let members = service::team_members(&state.db, team).await?;
            if members.is_empty() {
                return Ok(Vec::new());
            }
            owners.extend(members);
        }
        Ok(service::calendar(&state.db, req, &owners, from, to)
            .await?
            .into_iter()
            .map(Activity)
            .collect())
    }

    /// Your planned tasks by due time; only the overdue ones with `overdueOnly`.
    async fn my_tasks(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = false)] overdue_only: bool,
    ) -> AppResult<Vec<Activity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(
            service::my_tasks(&state.db, req, overdue_only, crate::db::now())
                .await?
                .into_iter()
                .map(Activity)
                .collect(),
        )
    }

    /// Your planned activities whose reminder time has come.
    async fn my_reminders(&self, ctx: &Context<'_>) -> AppResult<Vec<Activity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        Ok(service::my_reminders(&state.db, req, crate::db::now())
            .await?
            .into_iter()
            .map(Activity)
            .collect())
    }

    /// Activities linked to a party or an opportunity that you may see, newest first.
    async fn activities_of(
        &self,
        ctx: &Context<'_>,
        record_id: ID,
        #[graphql(default = 25)] first: i32,
    ) -> AppResult<Vec<Activity>> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let (ty, id) = link_of(&record_id, "recordId")?;
        let first = crate::kit::paging::Page::new(Some(first), None)?.first;
        Ok(service::linked_to(&state.db, req, ty, id, first)
            .await?
            .into_iter()
            .map(Activity)
            .collect())
    }
}

/// Activity mutations.
#[derive(Default)]
pub struct ActivityMutation;

#[Object]
impl ActivityMutation {
    /// Logs a call, schedules a meeting, adds a task, logs an e-mail or writes a note.
    async fn create_activity(
        &self,
        ctx: &Context<'_>,
        input: CreateActivityInput,
    ) -> AppResult<ActivityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let changes = ActivityChanges {
            kind: Some(input.kind),
            subject: Some(input.subject),
            description: input.description,
            starts_at: input.starts_at.map(Some),
            ends_at: input.ends_at.map(Some),
            due_at: input.due_at.map(Some),
            remind_at: input.remind_at.map(Some),
            status: input.status,
            outcome: input.outcome,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            private_note: input.private_note,
            location: input.location,
            meeting_url: input.meeting_url,
            recurrence: input.recurrence,
            time_zone: input.time_zone,
            links: ids(input.links, "links", link_of)?,
            attendees: ids(input.attendees, "attendees", attendee_of)?,
        };
        let m = service::create(state, req, changes).await?;
        Ok(ActivityPayload {
            activity: Activity(m),
        })
    }

    /// Updates an activity at the version you read.
    async fn update_activity(
        &self,
        ctx: &Context<'_>,
        input: UpdateActivityInput,
    ) -> AppResult<ActivityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = activity_id(&input.id, "id")?;
        let changes = ActivityChanges {
            kind: None,
            subject: input.subject,
            description: input.description,
            starts_at: maybe(input.starts_at),
            ends_at: maybe(input.ends_at),
            due_at: maybe(input.due_at),
            remind_at: maybe(input.remind_at),
            status: input.status,
            outcome: input.outcome,
            owner_id: optional_user_id(input.owner_id, "ownerId")?,
            private_note: input.private_note,
            location: input.location,
            meeting_url: input.meeting_url,
            recurrence: input.recurrence,
            time_zone: input.time_zone,
            links: ids(input.links, "links", link_of)?,
            attendees: ids(input.attendees, "attendees", attendee_of)?,
        };
        let m = service::update(state, req, id, input.version, changes, None).await?;
        Ok(ActivityPayload {
            activity: Activity(m),
        })
    }

    /// Changes one occurrence of a repeating call or meeting on its own ("this occurrence", where
    /// `updateActivity` on the series is "every occurrence"): it becomes an activity of its own
    /// with the series' details and these changes. `status: CANCELLED` takes it out of the series;
    /// `DONE` logs it as held.
    async fn edit_occurrence(
        &self,
        ctx: &Context<'_>,
        input: EditOccurrenceInput,
    ) -> AppResult<ActivityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let series = activity_id(&input.series_id, "seriesId")?;
        let changes = ActivityChanges {
            subject: input.subject,
            description: input.description,
            starts_at: input.starts_at.map(Some),
            ends_at: input.ends_at.map(Some),
            status: input.status,
            outcome: input.outcome,
            private_note: input.private_note,
            location: input.location,
            meeting_url: input.meeting_url,
            ..Default::default()
        };
        let m = service::edit_occurrence(state, req, series, input.occurrence_at, changes).await?;
        Ok(ActivityPayload {
            activity: Activity(m),
        })
    }

    /// Marks an activity done with its outcome; with `nextStep`, sets the next step of the linked
    /// opportunity in the same transaction.
    async fn complete_activity(
        &self,
        ctx: &Context<'_>,
        input: CompleteActivityInput,
    ) -> AppResult<ActivityPayload> {
        let (state, req) = crate::kit::resolve::request(ctx)?;
        let id = activity_id(&input.id, "id")?;
        let next = input
            .next_step
            .map(|n| -> AppResult<NextStep> {
                Ok(NextStep {
                    opportunity_id: n
                        .opportunity_id
                        .as_ref()
                        .map(|o| expect_global_id(o, "Opportunity", "nextStep.opportunityId"))
                        .transpose()?,
                    next_step: n.next_step,
                    next_step_date: n.next_step_date,
                })
            })
            .transpose()?;
        let changes = ActivityChanges {
            status: Some(ActivityStatus::Done),
            outcome: input.outcome,
            ..Default::default()
        };
        let m = service::update(state, req, id, input.version, changes, next).await?;
        Ok(ActivityPayload {
            activity: Activity(m),
        })
    }
}

/// Activity subscriptions.
#[derive(Default)]
pub struct ActivitySubscription;

#[async_graphql::Subscription]
impl ActivitySubscription {
    /// Your planned activities as their reminder time comes.
    async fn reminder_due(
        &self,
        ctx: &Context<'_>,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = Activity>> {
        use futures_util::StreamExt;
        let state = crate::kit::resolve::state(ctx)?.clone();
        let req = crate::kit::resolve::caller(ctx)?.clone();
        let me = req.actor()?.user_id;
        let rx = state.events.subscribe();
        Ok(
            tokio_stream::wrappers::BroadcastStream::new(rx).filter_map(move |ev| {
                let (state, req) = (state.clone(), req.clone());
                async move {
                    let ev = ev.ok()?;
                    if ev.object_type != super::reminders::REMINDER {
                        return None;
                    }
                    let a = service::get(&state.db, &req, ev.object_id)
                        .await
                        .ok()
                        .flatten()
                        .filter(|a| a.owner_id == me)?;
                    if !service::is_series(&a) {
                        return Some(Activity(a));
                    }
                    // A series: the occurrence whose reminder came, unless changed on its own.
                    service::due_occurrences(&state.db, &[a], crate::db::now())
                        .await
                        .ok()?
                        .pop()
                        .map(Activity)
                }
            }),
        )
    }
}
