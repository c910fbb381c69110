//! `opportunityChanges`: live board updates with replay from a cursor.

use super::*;

/// One live change of an opportunity.
#[derive(SimpleObject)]
pub struct OpportunityChange {
    /// The change-log cursor; pass the last one you saw as `after` when you reconnect.
    pub cursor: String,
    pub kind: ChangeKind,
    pub opportunity_id: ID,
    /// The opportunity as you may see it now; `null` for removals.
    pub opportunity: Option<Opportunity>,
}

/// Most changes replayed to a reconnecting subscriber; a client further behind reloads the board.
pub(super) const MAX_REPLAY: u64 = 1_000;

/// Opportunity subscriptions.
#[derive(Default)]
pub struct OpportunitySubscription;

#[async_graphql::Subscription]
impl OpportunitySubscription {
    /// Changes to opportunities you may see (on one pipeline, if named), as they commit, each re-read
    /// under your row scope and field grants. One that leaves what you may see (reassigned out of
    /// your scope, archived, moved to another pipeline) arrives once as a removal. With `after` (a
    /// cursor you received), the changes you missed since are replayed first.
    async fn opportunity_changes(
        &self,
        ctx: &Context<'_>,
        pipeline_id: Option<ID>,
        after: Option<String>,
    ) -> async_graphql::Result<impl futures_util::Stream<Item = OpportunityChange>> {
        use futures_util::StreamExt;
        let state = crate::kit::resolve::state(ctx)?.clone();
        let req = crate::kit::resolve::caller(ctx)?.clone();
        policy::authorize(&req, OpportunityObject::OBJECT, Action::Read)?;
        let pipeline = pipeline_id
            .as_ref()
            .map(|id| self::pipeline_id(id, "pipelineId"))
            .transpose()?;
        let after = after
            .map(|a| {
                a.parse::<i64>()
                    .map_err(|_| AppError::bad_input("after", "is not a cursor of this stream"))
            })
            .transpose()?;
        // Subscribe before replaying, so nothing committed in between is lost.
        let rx = state.events.subscribe();
        let replay = match after {
            Some(a) => {
                crate::events::since(&state.db, OpportunityObject::OBJECT, a, MAX_REPLAY).await?
            }
            None => Vec::new(),
        };
        let replayed_up_to = replay.last().map_or(after.unwrap_or(0), |e| e.cursor);
        let live = tokio_stream::wrappers::BroadcastStream::new(rx)
            .filter_map(|ev| async move { ev.ok() })
            .filter(move |ev| {
                let keep = ev.cursor > replayed_up_to;
                async move { keep }
            });
        let stream = futures_util::stream::iter(replay)
            .chain(live)
            .filter_map(move |ev| {
                let (state, req) = (state.clone(), req.clone());
                async move {
                    if ev.object_type != OpportunityObject::OBJECT {
                        return None;
                    }
                    let (visible, m) =
                        service::change_for_subscriber(&state.db, &req, &ev, pipeline)
                            .await
                            .ok()
                            .flatten()?;
                    Some(OpportunityChange {
                        cursor: ev.cursor.to_string(),
                        kind: if visible {
                            ChangeKind::Upsert
                        } else {
                            ChangeKind::Remove
                        },
                        opportunity_id: to_global_id("Opportunity", ev.object_id),
                        opportunity: if visible { m.map(Opportunity) } else { None },
                    })
                }
            });
        Ok(stream)
    }
}
