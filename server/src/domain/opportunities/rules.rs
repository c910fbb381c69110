//! The pure rules of the pipeline: what entering a stage does to an opportunity, and the fractional
//! order keys that place a card between two others without touching them.

use super::kinds::{ForecastCategory, OpportunityStatus, StageOutcome};

/// The forecast category a stage gives its open opportunities: won and lost stages close them;
/// otherwise probability 80 or more is `COMMIT`, 40 or more `BEST_CASE`, else `PIPELINE`.
pub fn forecast_category_of_stage(outcome: StageOutcome, probability: i32) -> &'static str {
    match outcome {
        StageOutcome::Won => ForecastCategory::Closed,
        StageOutcome::Lost => ForecastCategory::Omitted,
        StageOutcome::Open if probability >= 80 => ForecastCategory::Commit,
        StageOutcome::Open if probability >= 40 => ForecastCategory::BestCase,
        StageOutcome::Open => ForecastCategory::Pipeline,
    }
    .as_str()
}

/// What entering a stage does to an opportunity's status, probability and lost reason.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageEntry {
    pub status: OpportunityStatus,
    pub probability: i32,
    /// The lost reason to keep: only a lost opportunity has one.
    pub lost_reason: Option<String>,
    /// Whether the opportunity is closed (won or lost) afterwards.
    pub closed: bool,
}

/// Entering a stage resets the probability to the stage's default; a WON or LOST stage closes the
/// opportunity, an OPEN stage (re)opens it. A lost reason survives only into a LOST stage.
pub fn enter_stage(
    outcome: StageOutcome,
    default_probability: i32,
    lost_reason: Option<String>,
) -> StageEntry {
    let status = match outcome {
        StageOutcome::Open => OpportunityStatus::Open,
        StageOutcome::Won => OpportunityStatus::Won,
        StageOutcome::Lost => OpportunityStatus::Lost,
    };
    StageEntry {
        status,
        probability: default_probability,
        lost_reason: if status == OpportunityStatus::Lost {
            lost_reason
        } else {
            None
        },
        closed: status != OpportunityStatus::Open,
    }
}

/// The probability a stage of `outcome` must have, if fixed: won is certain, lost is nothing.
pub fn fixed_probability(outcome: StageOutcome) -> Option<i32> {
    match outcome {
        StageOutcome::Open => None,
        StageOutcome::Won => Some(100),
        StageOutcome::Lost => Some(0),
    }
}

/// The value `amount × probability / 100` in minor units, rounded half up.
pub fn weighted(amount_minor: i64, probability: i32) -> i64 {
    let p = i128::from(probability.clamp(0, 100));
    let v = (i128::from(amount_minor) * p + 50) / 100;
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// Digits of order keys, in byte order.
const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
const BASE: u64 = 36;
/// Width of the integer head of a key appended at either end of a column.
const HEAD: usize = 6;
/// Room left between a key and the next one appended after (or before) it.
const STEP: u64 = 1000;

/// Longest order key; a gap that has been split this often needs [`spaced`] keys.
pub const MAX_KEY_LEN: usize = 64;

fn digit(d: u64) -> char {
    DIGITS[d as usize] as char
}

fn value(c: u8) -> u64 {
    DIGITS.iter().position(|d| *d == c).unwrap_or(0) as u64
}

/// A fixed-width key for `n`, never ending in the zero digit.
fn head_key(n: u64) -> String {
    let mut s = vec![b'0'; HEAD];
    let mut x = n;
    for i in (0..HEAD).rev() {
        s[i] = DIGITS[(x % BASE) as usize];
        x /= BASE;
    }
    let mut out = String::from_utf8(s).unwrap_or_default();
    out.push('i');
    out
}

/// The integer value of a key's first [`HEAD`] digits.
fn head_of(key: &str) -> u64 {
    let b = key.as_bytes();
    (0..HEAD).fold(0, |acc, i| acc * BASE + b.get(i).map_or(0, |c| value(*c)))
}

/// A key strictly between `a` and `b` (byte order), where `a < b`, neither ends in `0`, and `b` may be
/// "above everything".
fn midpoint(a: &[u8], b: Option<&[u8]>) -> String {
    if let Some(b) = b {
        let mut n = 0;
        while n < b.len() && a.get(n).copied().unwrap_or(b'0') == b[n] {
            n += 1;
        }
        if n > 0 {
            let prefix = String::from_utf8_lossy(&b[..n]).into_owned();
            let rest = if n <= a.len() { &a[n..] } else { &[][..] };
            return prefix + &midpoint(rest, Some(&b[n..]));
        }
    }
    let da = a.first().map_or(0, |c| value(*c));
    let db = b.map_or(BASE, |b| b.first().map_or(0, |c| value(*c)));
    if db - da > 1 {
        digit((da + db).div_ceil(2)).to_string()
    } else if let Some(b) = b.filter(|b| b.len() > 1) {
        digit(value(b[0])).to_string()
    } else {
        let rest = if a.is_empty() { &[][..] } else { &a[1..] };
        format!("{}{}", digit(da), midpoint(rest, None))
    }
}

/// An order key that sorts after `after` and before `before` (either may be absent: the column's
/// top or bottom). Keys appended at either end stay short; keys between two cards grow by about one
/// digit every five splits of the same gap.
pub fn key_between(after: Option<&str>, before: Option<&str>) -> String {
    match (after, before) {
        (None, None) => head_key(BASE.pow(HEAD as u32) / 2),
        (Some(a), None) => {
            let h = head_of(a);
            if h + STEP < BASE.pow(HEAD as u32) {
                head_key(h + STEP)
            } else {
                midpoint(a.as_bytes(), None)
            }
        }
        (None, Some(b)) => {
            let h = head_of(b);
            if h > STEP {
                head_key(h - STEP)
            } else {
                midpoint(&[], Some(b.as_bytes()))
            }
        }
        // Neighbours out of order (two moves raced into one gap): place it after the first.
        (Some(a), Some(b)) if a >= b => key_between(Some(a), None),
        (Some(a), Some(b)) => midpoint(a.as_bytes(), Some(b.as_bytes())),
    }
}

/// `n` evenly spaced keys, in order: for seeding and for re-spacing a crowded column.
pub fn spaced(n: usize) -> Vec<String> {
    let room = BASE.pow(HEAD as u32);
    let step = (room / (n as u64 + 2)).clamp(1, STEP);
    let start = room / 2 - (step * n as u64 / 2).min(room / 2 - 1);
    (0..n as u64).map(|i| head_key(start + i * step)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_stage_reopens_and_takes_the_default_probability() {
        let e = enter_stage(StageOutcome::Open, 40, Some("price".into()));
        assert_eq!(e.status, OpportunityStatus::Open);
        assert_eq!(e.probability, 40);
        assert_eq!(e.lost_reason, None);
        assert!(!e.closed);
    }

    #[test]
    fn won_and_lost_stages_close() {
        let won = enter_stage(StageOutcome::Won, 100, Some("x".into()));
        assert_eq!(
            (won.status, won.probability, won.closed),
            (OpportunityStatus::Won, 100, true)
        );
        assert_eq!(won.lost_reason, None);
        let lost = enter_stage(StageOutcome::Lost, 0, Some("price".into()));
        assert_eq!(lost.status, OpportunityStatus::Lost);
        assert_eq!(lost.lost_reason.as_deref(), Some("price"));
        assert!(lost.closed);
        assert_eq!(fixed_probability(StageOutcome::Won), Some(100));
        assert_eq!(fixed_probability(StageOutcome::Lost), Some(0));
        assert_eq!(fixed_probability(StageOutcome::Open), None);
    }

    #[test]
    fn weighted_amounts_round_half_up() {
        assert_eq!(weighted(10_000, 25), 2_500);
        assert_eq!(weighted(1, 50), 1);
        assert_eq!(weighted(3, 10), 0);
        assert_eq!(weighted(i64::MAX, 100), i64::MAX);
    }

    #[test]
    fn keys_sort_between_their_neighbours() {
        let first = key_between(None, None);
        let below = key_between(Some(&first), None);
        let above = key_between(None, Some(&first));
        assert!(above < first && first < below, "{above} {first} {below}");
        let mid = key_between(Some(&first), Some(&below));
        assert!(first < mid && mid < below, "{first} {mid} {below}");
    }

    #[test]
    fn repeated_splits_of_one_gap_stay_ordered_and_short() {
        let a = key_between(None, None);
        let mut b = key_between(Some(&a), None);
        for _ in 0..200 {
            let m = key_between(Some(&a), Some(&b));
            assert!(a < m && m < b, "{a} {m} {b}");
            assert!(!m.ends_with('0'));
            b = m;
        }
        assert!(b.len() <= MAX_KEY_LEN, "{}", b.len());
        let mut a2 = a.clone();
        let b2 = key_between(Some(&a), None);
        for _ in 0..200 {
            let m = key_between(Some(&a2), Some(&b2));
            assert!(a2 < m && m < b2, "{a2} {m} {b2}");
            a2 = m;
        }
    }

    #[test]
    fn appends_at_either_end_stay_short() {
        let mut last = key_between(None, None);
        let mut top = last.clone();
        for _ in 0..10_000 {
            let next = key_between(Some(&last), None);
            assert!(next > last);
            last = next;
            let t = key_between(None, Some(&top));
            assert!(t < top, "{t} {top}");
            top = t;
        }
        assert!(last.len() <= 8 && top.len() <= 12, "{last} {top}");
    }

    #[test]
    fn spaced_keys_are_ordered() {
        let keys = spaced(100_000);
        assert!(keys.windows(2).all(|w| w[0] < w[1]));
        let k = key_between(Some(&keys[5]), Some(&keys[6]));
        assert!(keys[5] < k && k < keys[6]);
    }
}
