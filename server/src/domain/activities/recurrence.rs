//! Repeating activities: an RFC 5545 rule (`FREQ=WEEKLY;BYDAY=MO;COUNT=10`) from the activity's
//! start (a task's due time), checked and expanded by the `rrule` crate in the activity's time
//! zone (an IANA name; UTC when none), so a weekly 9:00 meeting in Berlin stays at 9:00 there
//! across daylight saving.
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

/// Longest time zone name kept.
pub const MAX_ZONE_LEN: usize = 64;

/// The zone named `name` (an IANA name, as stored); UTC when none, or when the name is not known.
pub fn zone(name: Option<&str>) -> Tz {
    name.and_then(|n| n.parse::<chrono_tz::Tz>().ok())
        .map_or(Tz::UTC, Tz::Tz)
}

/// Checks `name` as an IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`), giving
/// its canonical spelling.
pub fn check_zone(field: &str, name: &str) -> Result<String, FieldError> {
    let name = name.trim();
    let found = (name.len() <= MAX_ZONE_LEN)
        .then(|| name.parse::<chrono_tz::Tz>().ok())
        .flatten();
    match found {
        Some(tz) => Ok(tz.name().to_string()),
        None => Err(FieldError::new(
            field,
            "must be an IANA time zone name, such as Europe/Berlin or America/New_York",
        )),
    }
}

fn set_of(
    rule: &str,
    start: DateTime<Utc>,
    zone: Tz,
) -> Result<(RRule<Unvalidated>, RRuleSet), String> {
    let parsed: RRule<Unvalidated> = rule.parse().map_err(|e| format!("{e}"))?;
    let set = parsed
        .clone()
        .build(start.with_timezone(&zone))
        .map_err(|e| format!("{e}"))?;
    Ok((parsed, set))
}

/// Checks `text` (with or without the `RRULE:` prefix) as the rule of a series starting at
/// `start` and repeating in `zone`.
pub fn check(
    field: &str,
    text: &str,
    start: DateTime<Utc>,
    zone: Tz,
) -> Result<Checked, FieldError> {
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
        set_of(&rule, start, zone).map_err(|e| bad(format!("is not a valid rule: {e}")))?;
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

/// The starts of `rule` from `start` in `zone` that fall in `[from, to)`, at most `limit`.
pub fn starts_between(
    rule: &str,
    start: DateTime<Utc>,
    zone: Tz,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: u16,
) -> Vec<DateTime<Utc>> {
    let Ok((_, set)) = set_of(rule, start, zone) else {
        return Vec::new();
    };
    set.after(from.with_timezone(&zone))
        .before(to.with_timezone(&zone))
        .all(limit)
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .filter(|d| *d >= from && *d < to)
        .collect()
}

/// Whether `at` is one of the starts of `rule` from `start` in `zone`.
pub fn is_start(rule: &str, start: DateTime<Utc>, zone: Tz, at: DateTime<Utc>) -> bool {
    starts_between(rule, start, zone, at, at + chrono::Duration::seconds(1), 1) == [at]
}

/// What follows a repeating task done at its time `start`: the rule's next time after it, and
/// the rule the next task carries (`COUNT` one less; `None` when the next is the last). `None`
/// when the rule ends at `start`.
pub fn next_after(
    rule: &str,
    start: DateTime<Utc>,
    zone: Tz,
) -> Option<(DateTime<Utc>, Option<String>)> {
    let (parsed, set) = set_of(rule, start, zone).ok()?;
    let next = set
        .after(start.with_timezone(&zone))
        .all(2)
        .dates
        .into_iter()
        .map(|d| d.with_timezone(&Utc))
        .find(|d| *d > start)?;
    let rest = match parsed.get_count() {
        None => Some(rule.to_string()),
        Some(n) if n <= 1 => return None,
        Some(2) => None,
        Some(n) => Some(
            rule.split(';')
                .map(|part| match part.strip_prefix("COUNT=") {
                    Some(_) => format!("COUNT={}", n - 1),
                    None => part.to_string(),
                })
                .collect::<Vec<_>>()
                .join(";"),
        ),
    };
    Some((next, rest))
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
        let c = check("recurrence", "RRULE:freq=weekly;count=3", start, Tz::UTC).unwrap();
        assert_eq!(c.rule, "FREQ=WEEKLY;COUNT=3");
        assert_eq!(c.until, Some(at(21, 10)));
        let open = check("recurrence", "FREQ=DAILY;INTERVAL=2", start, Tz::UTC).unwrap();
        assert_eq!(open.until, None);
        for bad in [
            "",
            "FREQ=FORTNIGHTLY",
            "FREQ=HOURLY;BYMINUTE=0",
            "FREQ=DAILY;COUNT=5000",
            "DTSTART:20261207T100000Z\nRRULE:FREQ=DAILY",
            "FREQ=DAILY;UNTIL=20261201T000000Z",
        ] {
            let e = check("recurrence", bad, start, Tz::UTC).unwrap_err();
            assert_eq!(e.field, "recurrence", "{bad}");
        }
    }

    #[test]
    fn starts_fall_in_the_half_open_range() {
        let start = at(7, 10);
        let rule = "FREQ=DAILY;COUNT=10";
        let utc = Tz::UTC;
        assert_eq!(
            starts_between(rule, start, utc, at(8, 0), at(10, 10), 100),
            [at(8, 10), at(9, 10)]
        );
        assert_eq!(
            starts_between(rule, start, utc, at(1, 0), at(31, 0), 100).len(),
            10
        );
        assert!(is_start(rule, start, utc, at(12, 10)));
        assert!(!is_start(rule, start, utc, at(12, 11)));
        assert!(!is_start(rule, start, utc, at(17, 10)), "after the tenth");
        let weekly = "FREQ=WEEKLY;BYDAY=MO,WE";
        assert_eq!(
            starts_between(weekly, start, utc, at(7, 0), at(14, 0), 100),
            [at(7, 10), at(9, 10)]
        );
    }

    #[test]
    fn a_series_keeps_its_local_time_across_daylight_saving() {
        let utc = |m: u32, d: u32, h: u32| Utc.with_ymd_and_hms(2026, m, d, h, 0, 0).unwrap();
        // Monday 19 October 2026, 9:00 in Berlin (summer time, UTC+2); winter time from the 25th.
        let start = utc(10, 19, 7);
        let rule = "FREQ=WEEKLY;COUNT=3";
        let berlin = zone(Some("Europe/Berlin"));
        assert_eq!(
            starts_between(rule, start, berlin, utc(10, 1, 0), utc(12, 1, 0), 10),
            [utc(10, 19, 7), utc(10, 26, 8), utc(11, 2, 8)],
            "9:00 in Berlin each Monday"
        );
        assert_eq!(
            starts_between(rule, start, Tz::UTC, utc(10, 1, 0), utc(12, 1, 0), 10),
            [utc(10, 19, 7), utc(10, 26, 7), utc(11, 2, 7)],
            "7:00 UTC each Monday"
        );
        assert!(is_start(rule, start, berlin, utc(10, 26, 8)));
        assert!(!is_start(rule, start, berlin, utc(10, 26, 7)));
        let c = check("recurrence", rule, start, berlin).unwrap();
        assert_eq!(c.until, Some(utc(11, 2, 8)));
        assert_eq!(zone(Some("Mars/Olympus")), Tz::UTC);
        assert_eq!(check_zone("timeZone", " europe/berlin ").ok(), None);
        assert_eq!(
            check_zone("timeZone", "America/New_York").unwrap(),
            "America/New_York"
        );
        assert_eq!(
            check_zone("timeZone", "Mars/Olympus").unwrap_err().field,
            "timeZone"
        );
    }

    #[test]
    fn a_repeating_task_is_followed_by_the_next_until_its_count_runs_out() {
        let start = at(7, 17);
        let (next, rest) = next_after("FREQ=WEEKLY;COUNT=3", start, Tz::UTC).unwrap();
        assert_eq!(next, at(14, 17));
        assert_eq!(rest.as_deref(), Some("FREQ=WEEKLY;COUNT=2"));
        let (next, rest) = next_after("FREQ=WEEKLY;COUNT=2", next, Tz::UTC).unwrap();
        assert_eq!(next, at(21, 17));
        assert_eq!(rest, None, "the third is the last");
        assert_eq!(next_after("FREQ=WEEKLY;COUNT=1", start, Tz::UTC), None);
        let (next, rest) = next_after("FREQ=DAILY;INTERVAL=2", start, Tz::UTC).unwrap();
        assert_eq!(
            (next, rest.as_deref()),
            (at(9, 17), Some("FREQ=DAILY;INTERVAL=2"))
        );
        let until = "FREQ=DAILY;UNTIL=20261208T170000Z";
        assert_eq!(
            next_after(until, start, Tz::UTC).map(|n| n.0),
            Some(at(8, 17))
        );
        assert_eq!(next_after(until, at(8, 17), Tz::UTC), None);
    }
}
