//! Repeating calls and meetings: an RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=10`) from the
//! activity's start, checked and expanded by the `rrule` crate, in UTC (the zone the app shows
//! times in).
//!
//! Rules repeat daily, weekly, monthly or yearly (finer ones are not for activities); a rule that
//! ends (`COUNT` or `UNTIL`) may reach at most [`MAX_OCCURRENCES`] starts, and its last start is
//! kept so the calendar finds the series that reach a range with one indexed condition.

use chrono::{DateTime, Utc};
use rrule::{Frequency, RRule, RRuleSet, Tz, Unvalidated};

use crate::error::FieldError;

/// Most starts a rule with an end may have.
pub const MAX_OCCURRENCES: u16 = 1000;

/// A checked rule: its text as stored and its last start (`None` when it runs on).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Checked {
    pub rule: String,
    pub until: Option<DateTime<Utc>>,
}

fn set_of(rule: &str, start: DateTime<Utc>) -> Result<(RRule<Unvalidated>, RRuleSet), String> {
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|e| format!("{e}"))?;
    let set = parsed
        .clone()
        .build(start.with_timezone(&Tz::UTC))
        .map_err(|e| format!("{e}"))?;
    Ok((parsed, set))
}

/// Checks `text` (with or without the `RRULE:` prefix) as the rule of a series starting at
/// `start`.
pub fn check(field: &str, text: &str, start: DateTime<Utc>) -> Result<Checked, FieldError> {
    let bad = |why: String| FieldError::new(field, why);
    let rule = text.trim();
    let rule = rule
        .strip_prefix("RRULE:")
        .or_else(|| rule.strip_prefix("rrule:"))
        .unwrap_or(rule)
        .to_ascii_uppercase();
    if rule.is_empty() || rule.len() > 300 {
        return Err(bad(
            "must be a rule of at most 300 characters, such as FREQ=WEEKLY;COUNT=10".into(),
        ));
    }
    if rule.contains(['\n', '\r', ':']) {
        return Err(bad(
            "is one RRULE without DTSTART: the activity's start is where it begins".into(),
        ));
    }
    let (parsed, set) =
        set_of(&rule, start).map_err(|e| bad(format!("is not a valid rule: {e}")))?;
    if !matches!(
        parsed.get_freq(),
        Frequency::Daily | Frequency::Weekly | Frequency::Monthly | Frequency::Yearly
    ) {
        return Err(bad(
            "repeats daily, weekly, monthly or yearly (FREQ=DAILY, WEEKLY, MONTHLY or YEARLY)"
                .into(),
        ));
    }
    let ends = parsed.get_count().is_some() || parsed.get_until().is_some();
    let until = if ends {
        let found = set.all(MAX_OCCURRENCES + 1);
        if found.dates.len() > usize::from(MAX_OCCURRENCES) {
            return Err(bad(format!(
                "repeats more than {MAX_OCCURRENCES} times; end it sooner or let it run on"
            )));
        }
        match found.dates.last() {
            Some(last) => Some(last.with_timezone(&Utc)),
            None => return Err(bad("has no occurrence after the start".into())),
        }
    } else {
        None
    };
    Ok(Checked { rule, until })
}

/// The starts of `rule` from `start` that fall in `[from, to)`, at most `limit`.
pub fn starts_between(
    rule: &str,
    start: DateTime<Utc>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u16,
) -> Vec<DateTime<Utc>> {
    let Ok((_, set)) = set_of(rule, start) else {
        return Vec::new();
    };
    set.after(from.with_timezone(&Tz::UTC))
        .before(to.with_timezone(&Tz::UTC))
        .all(limit)
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| *d >= from && *d < to)
        .collect()
}

/// Whether `at` is one of the starts of `rule` from `start`.
pub fn is_start(rule: &str, start: DateTime<Utc>, at: DateTime<Utc>) -> bool {
    starts_between(rule, start, at, at + chrono::Duration::seconds(1), 1) == [at]
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap()
    }

    #[test]
    fn rules_are_checked_and_their_end_is_kept() {
        // Monday 7 December 2026, 10:00.
        let start = at(7, 10);
        let c = check("recurrence", "RRULE:freq=weekly;count=3", start).unwrap();
        assert_eq!(c.rule, "FREQ=WEEKLY;COUNT=3");
        assert_eq!(c.until, Some(at(21, 10)));
        let open = check("recurrence", "FREQ=DAILY;INTERVAL=2", start).unwrap();
        assert_eq!(open.until, None);
        for bad in [
            "",
            "FREQ=FORTNIGHTLY",
            "FREQ=HOURLY;BYMINUTE=0",
            "FREQ=DAILY;COUNT=5000",
            "DTSTART:20261207T100000Z\nRRULE:FREQ=DAILY",
            "FREQ=DAILY;UNTIL=20261201T000000Z",
        ] {
            let e = check("recurrence", bad, start).unwrap_err();
            assert_eq!(e.field, "recurrence", "{bad}");
        }
    }

    #[test]
    fn starts_fall_in_the_half_open_range() {
        let start = at(7, 10);
        let rule = "FREQ=DAILY;COUNT=10";
        assert_eq!(
            starts_between(rule, start, at(8, 0), at(10, 10), 100),
            [at(8, 10), at(9, 10)]
        );
        assert_eq!(
            starts_between(rule, start, at(1, 0), at(31, 0), 100).len(),
            10
        );
        assert!(is_start(rule, start, at(12, 10)));
        assert!(!is_start(rule, start, at(12, 11)));
        assert!(!is_start(rule, start, at(17, 10)), "after the tenth");
        let weekly = "FREQ=WEEKLY;BYDAY=MO,WE";
        assert_eq!(
            starts_between(weekly, start, at(7, 0), at(14, 0), 100),
            [at(7, 10), at(9, 10)]
        );
    }
}
