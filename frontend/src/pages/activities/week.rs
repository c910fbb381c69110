//! Calendar arithmetic on days counted from 1970-01-01 (UTC, the zone the app
//! shows times in): weeks start on Monday.

use crate::api::activities::Activity;

/// Days from 1970-01-01 to the civil date `y-m-d`.
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// `YYYY-MM-DD` of day `z`.
pub fn day_text(z: i64) -> String {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// The day of `YYYY-MM-DD…` (an RFC 3339 time reads as its date).
pub fn parse_day(text: &str) -> Option<i64> {
    let n = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<i64>().ok());
    Some(days_from_civil(n(0..4)?, n(5..7)?, n(8..10)?))
}

/// The Monday on or before day `z`.
pub fn monday_of(z: i64) -> i64 {
    // 1970-01-01 was a Thursday, three days after a Monday.
    z - (z + 3).rem_euclid(7)
}

/// The activities of the week starting on `monday`, one list per day.
pub fn buckets(monday: i64, activities: &[Activity]) -> [Vec<Activity>; 7] {
    let mut days: [Vec<Activity>; 7] = Default::default();
    for a in activities {
        let offset = a.when().and_then(parse_day).map(|d| d - monday);
        if let Some(slot) = offset
            .and_then(|o| usize::try_from(o).ok())
            .and_then(|o| days.get_mut(o))
        {
            slot.push(a.clone());
        }
    }
    days
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_round_trip() {
        for text in ["1970-01-01", "2024-02-29", "2000-03-01", "2026-12-31"] {
            let z = parse_day(text).unwrap_or_default();
            assert_eq!(day_text(z), text);
        }
        assert_eq!(parse_day("1970-01-02T10:00:00Z"), Some(1));
        assert_eq!(parse_day("nope"), None);
    }

    #[test]
    fn weeks_start_on_monday() {
        let monday = parse_day("2024-05-06").unwrap_or_default();
        for d in 0..7 {
            assert_eq!(monday_of(monday + d), monday);
        }
        assert_eq!(day_text(monday_of(monday - 1)), "2024-04-29");
        // Sunday 2026-11-29 belongs to the week of Monday 2026-11-23.
        assert_eq!(
            monday_of(parse_day("2026-11-29").unwrap_or_default()),
            parse_day("2026-11-23").unwrap_or_default()
        );
    }

    #[test]
    fn activities_fall_on_their_day() {
        let monday = parse_day("2024-05-06").unwrap_or_default();
        let at = |t: &str, task: bool| Activity {
            subject: t.into(),
            starts_at: (!task).then(|| t.to_owned()),
            due_at: task.then(|| t.to_owned()),
            ..Activity::default()
        };
        let list = [
            at("2024-05-06T09:00:00Z", false),
            at("2024-05-12T23:00:00Z", true),
            at("2024-05-13T00:00:00Z", false),
            at("2024-05-05T10:00:00Z", false),
        ];
        let days = buckets(monday, &list);
        assert_eq!(days[0].len(), 1);
        assert_eq!(days[6][0].subject, "2024-05-12T23:00:00Z");
        assert_eq!(days.iter().map(Vec::len).sum::<usize>(), 2);
    }
}
