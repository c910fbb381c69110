//! Fiscal periods: months, quarters and years counted from the month the fiscal year starts in.
//! Fiscal year `N` starts in calendar year `N` at that month (with an April start, FY2026 runs from
//! 2026-04-01 to 2027-03-31 and its Q1 is April to June 2026).

use async_graphql::Enum;
use chrono::{Datelike, Months, NaiveDate};

use crate::error::FieldError;

stored_enum!(
    /// How long a forecast period is.
    PeriodKind { Month => "MONTH", Quarter => "QUARTER", Year => "YEAR" }
);

impl PeriodKind {
    /// Months in one period.
    pub fn months(self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::Year => 12,
        }
    }

    /// Periods in a fiscal year.
    fn per_year(self) -> i32 {
        (12 / self.months()) as i32
    }
}

/// One fiscal period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Period {
    pub kind: PeriodKind,
    /// The fiscal year.
    pub year: i32,
    /// 1-based within the fiscal year (1 for a year).
    pub number: i32,
    /// The first day.
    pub start: NaiveDate,
}

/// The earliest and latest fiscal years accepted.
const YEARS: std::ops::RangeInclusive<i32> = 1900..=2999;

impl Period {
    /// The period `number` of fiscal year `year`; errors name `field`.
    pub fn of(
        field: &str,
        kind: PeriodKind,
        year: i32,
        number: Option<i32>,
        fy_start_month: u32,
    ) -> Result<Self, FieldError> {
        if !YEARS.contains(&year) {
            return Err(FieldError::new(
                format!("{field}.year"),
                "must be between 1900 and 2999",
            ));
        }
        let number = match (kind, number) {
            (PeriodKind::Year, None | Some(1)) => 1,
            (PeriodKind::Year, Some(_)) => {
                return Err(FieldError::new(
                    format!("{field}.number"),
                    "must be left out for a year",
                ))
            }
            (_, None) => {
                return Err(FieldError::new(
                    format!("{field}.number"),
                    "is required for a month or quarter",
                ))
            }
            (k, Some(n)) if n < 1 || n > k.per_year() => {
                return Err(FieldError::new(
                    format!("{field}.number"),
                    format!("must be between 1 and {}", k.per_year()),
                ))
            }
            (_, Some(n)) => n,
        };
        let fy_start = NaiveDate::from_ymd_opt(year, fy_start_month.clamp(1, 12), 1)
            .ok_or_else(|| FieldError::new(format!("{field}.year"), "is out of range"))?;
        let start = fy_start
            .checked_add_months(Months::new((number as u32 - 1) * kind.months()))
            .ok_or_else(|| FieldError::new(format!("{field}.year"), "is out of range"))?;
        Ok(Self {
            kind,
            year,
            number,
            start,
        })
    }

    /// The period of `kind` holding `date`.
    pub fn containing(kind: PeriodKind, date: NaiveDate, fy_start_month: u32) -> Self {
        let m = fy_start_month.clamp(1, 12) as i32;
        // Months since the start of the fiscal year holding the date.
        let offset = (date.month() as i32 - m).rem_euclid(12);
        let year = if (date.month() as i32) < m {
            date.year() - 1
        } else {
            date.year()
        };
        let number = offset / kind.months() as i32 + 1;
        let fy_start = NaiveDate::from_ymd_opt(year, m as u32, 1).unwrap_or(date);
        let start = fy_start
            .checked_add_months(Months::new((number as u32 - 1) * kind.months()))
            .unwrap_or(date);
        Self {
            kind,
            year,
            number,
            start,
        }
    }

    /// The first day after the period.
    pub fn end_exclusive(&self) -> NaiveDate {
        self.start
            .checked_add_months(Months::new(self.kind.months()))
            .unwrap_or(self.start)
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        self.end_exclusive().pred_opt().unwrap_or(self.start)
    }

    /// Whether `d` lies in the period.
    pub fn holds(&self, d: NaiveDate) -> bool {
        d >= self.start && d < self.end_exclusive()
    }

    /// The period `n` periods later (earlier when negative).
    pub fn shifted(&self, n: i32, fy_start_month: u32) -> Self {
        let months = n * self.kind.months() as i32;
        let d = if months >= 0 {
            self.start.checked_add_months(Months::new(months as u32))
        } else {
            self.start.checked_sub_months(Months::new((-months) as u32))
        }
        .unwrap_or(self.start);
        Self::containing(self.kind, d, fy_start_month)
    }

    /// "FY2026 Q3", "FY2026 M7", "FY2026".
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Year => format!("FY{}", self.year),
            PeriodKind::Quarter => format!("FY{} Q{}", self.year, self.number),
            PeriodKind::Month => format!("FY{} M{}", self.year, self.number),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn calendar_and_april_fiscal_years() {
        let q3 = Period::of("p", PeriodKind::Quarter, 2026, Some(3), 1).unwrap();
        assert_eq!((q3.start, q3.end()), (d(2026, 7, 1), d(2026, 9, 30)));
        let q1 = Period::of("p", PeriodKind::Quarter, 2026, Some(1), 4).unwrap();
        assert_eq!((q1.start, q1.end()), (d(2026, 4, 1), d(2026, 6, 30)));
        let q4 = Period::of("p", PeriodKind::Quarter, 2026, Some(4), 4).unwrap();
        assert_eq!((q4.start, q4.end()), (d(2027, 1, 1), d(2027, 3, 31)));
        let fy = Period::of("p", PeriodKind::Year, 2026, None, 4).unwrap();
        assert_eq!((fy.start, fy.end()), (d(2026, 4, 1), d(2027, 3, 31)));
        let feb = Period::of("p", PeriodKind::Month, 2026, Some(11), 4).unwrap();
        assert_eq!((feb.start, feb.end()), (d(2027, 2, 1), d(2027, 2, 28)));
        assert_eq!(q3.label(), "FY2026 Q3");
    }

    #[test]
    fn containing_is_the_inverse_of_of() {
        for fy in 1..=12 {
            for kind in [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::Year] {
                let mut day = d(2025, 1, 1);
                while day < d(2027, 1, 1) {
                    let p = Period::containing(kind, day, fy);
                    assert!(p.holds(day), "{kind:?} fy{fy} {day} in {p:?}");
                    assert_eq!(
                        Period::of("p", kind, p.year, Some(p.number), fy).unwrap(),
                        p
                    );
                    assert_eq!(p.shifted(1, fy).start, p.end_exclusive());
                    assert_eq!(p.shifted(1, fy).shifted(-1, fy), p);
                    day = day.succ_opt().unwrap();
                }
            }
        }
    }

    #[test]
    fn bad_periods_name_the_field() {
        let e = Period::of("period", PeriodKind::Quarter, 2026, Some(5), 1).unwrap_err();
        assert_eq!(e.field, "period.number");
        let e = Period::of("period", PeriodKind::Month, 2026, None, 1).unwrap_err();
        assert_eq!(e.field, "period.number");
        let e = Period::of("period", PeriodKind::Year, 20260, None, 1).unwrap_err();
        assert_eq!(e.field, "period.year");
    }
}
