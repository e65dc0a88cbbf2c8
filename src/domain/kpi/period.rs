//! The period a report covers: local dates, read in each location's own zone.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

/// How long a dashboard period is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, strum::EnumString, strum::IntoStaticStr, strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Span {
    Day,
    Week,
    Month,
}

/// The period: local dates, both included, at each location in its own zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// Refuses a period that ends before it begins, naming the field.
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, (&'static str, String)> {
        if to < from {
            return Err(("to", format!("{to} is before from ({from})")));
        }
        Ok(Self { from, to })
    }

    /// The UTC instants that surely contain the period in any zone (a day either side).
    pub fn utc_bounds(self) -> (DateTime<Utc>, DateTime<Utc>) {
        let start = self.from.and_hms_opt(0, 0, 0).expect("midnight").and_utc();
        let end = (self.to + Duration::days(1))
            .and_hms_opt(0, 0, 0)
            .expect("midnight")
            .and_utc();
        (start - Duration::days(1), end + Duration::days(1))
    }

    /// The period of the same length that ends the day before this one begins.
    pub fn previous(self) -> Self {
        let days = (self.to - self.from).num_days() + 1;
        Self {
            from: self.from - Duration::days(days),
            to: self.from - Duration::days(1),
        }
    }

    /// The day, week (seven days) or month (the same date a month before, plus a day)
    /// that ends with `to`.
    pub fn ending(span: Span, to: NaiveDate) -> Self {
        let from = match span {
            Span::Day => to,
            Span::Week => to - Duration::days(6),
            Span::Month => to
                .checked_sub_months(chrono::Months::new(1))
                .map_or(to - Duration::days(29), |d| d + Duration::days(1)),
        };
        Self { from, to }
    }

    pub(super) fn contains(self, day: NaiveDate) -> bool {
        self.from <= day && day <= self.to
    }

    /// The period's instants at a location.
    pub(super) fn window(self, zone: Tz) -> (DateTime<Utc>, DateTime<Utc>) {
        (
            local_midnight(self.from, zone),
            local_midnight(self.to + Duration::days(1), zone),
        )
    }
}

/// The first instant of a local day (the earliest, should midnight be skipped or repeated).
fn local_midnight(day: NaiveDate, zone: Tz) -> DateTime<Utc> {
    let midnight = day.and_hms_opt(0, 0, 0).expect("midnight");
    zone.from_local_datetime(&midnight)
        .earliest()
        .or_else(|| {
            zone.from_local_datetime(&(midnight + Duration::hours(1)))
                .earliest()
        })
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| midnight.and_utc())
}
