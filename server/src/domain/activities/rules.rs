//! The pure rules of activities: which times a kind needs, and what completing does.

use chrono::{DateTime, Utc};

use super::kinds::{ActivityKind, ActivityStatus};
use crate::error::FieldError;

/// The times of an activity, as they will be stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Times {
    pub starts_at: Option<DateTime<Utc>>,
    pub ends_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub remind_at: Option<DateTime<Utc>>,
}

/// Calls and meetings are scheduled (a start); an end never precedes the start; a reminder comes
/// before the start or due time it reminds of.
pub fn check_times(kind: ActivityKind, t: &Times) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if matches!(kind, ActivityKind::Meeting | ActivityKind::Call) && t.starts_at.is_none() {
        errors.push(FieldError::new(
            "startsAt",
            "is required for calls and meetings",
        ));
    }
    if let (Some(s), Some(e)) = (t.starts_at, t.ends_at) {
        if e < s {
            errors.push(FieldError::new("endsAt", "must not be before startsAt"));
        }
    }
    if t.ends_at.is_some() && t.starts_at.is_none() {
        errors.push(FieldError::new("endsAt", "needs a startsAt"));
    }
    if let Some(r) = t.remind_at {
        if let Some(at) = t.starts_at.or(t.due_at) {
            if r > at {
                errors.push(FieldError::new(
                    "remindAt",
                    "must not be after the start or due time",
                ));
            }
        }
    }
    errors
}

/// When an activity counts as done: set on entering DONE, kept while DONE, cleared otherwise.
pub fn completed_at(
    before: Option<DateTime<Utc>>,
    status: ActivityStatus,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    match status {
        ActivityStatus::Done => before.or(Some(now)),
        _ => None,
    }
}

/// Whether a planned task is overdue at `now`.
pub fn overdue(status: ActivityStatus, due_at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    status == ActivityStatus::Planned && due_at.is_some_and(|d| d < now)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Duration;

    #[test]
    fn meetings_need_a_start_and_ends_follow_starts() {
        let now = Utc::now();
        let e = check_times(ActivityKind::Meeting, &Times::default());
        assert_eq!(e[0].field, "startsAt");
        let e = check_times(
            ActivityKind::Meeting,
            &Times {
                starts_at: Some(now),
                ends_at: Some(now - Duration::hours(1)),
                ..Default::default()
            },
        );
        assert_eq!(e[0].field, "endsAt");
        assert!(check_times(ActivityKind::Task, &Times::default()).is_empty());
        assert!(check_times(ActivityKind::Note, &Times::default()).is_empty());
        let e = check_times(
            ActivityKind::Task,
            &Times {
                due_at: Some(now),
                remind_at: Some(now + Duration::minutes(5)),
                ..Default::default()
            },
        );
        assert_eq!(e[0].field, "remindAt");
    }

    #[test]
    fn completion_and_overdue() {
        let now = Utc::now();
        let earlier = now - Duration::days(1);
        assert_eq!(completed_at(None, ActivityStatus::Done, now), Some(now));
        assert_eq!(
            completed_at(Some(earlier), ActivityStatus::Done, now),
            Some(earlier)
        );
        assert_eq!(
            completed_at(Some(earlier), ActivityStatus::Planned, now),
            None
        );
        assert!(overdue(ActivityStatus::Planned, Some(earlier), now));
        assert!(!overdue(ActivityStatus::Done, Some(earlier), now));
        assert!(!overdue(ActivityStatus::Planned, None, now));
    }
}
