//! The period a report covers: local dates, read in each location's own zone.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

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
