//! One interval's forecast, and 15-minute forecasts summed into longer intervals on the
//! local clock.

use chrono::{DateTime, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;

use crate::domain::demand::INTERVAL_MINUTES;

/// Expected demand for one service at one location in one interval.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct IntervalForecast {
    pub location: crate::domain::Slug,
    pub service: crate::domain::Slug,
    /// Start of the interval, UTC; the interval lasts `interval_minutes`.
    pub start: chrono::DateTime<chrono::Utc>,
    pub interval_minutes: u32,
    /// Expected walk-in arrivals in the interval.
    pub walk_ins: f64,
    /// Expected booked appointments starting in the interval (no-shows included).
    pub booked: f64,
    /// Share of booked appointments whose citizen does not come (0..=1).
    pub no_show_rate: f64,
    /// Mean handling time of one visit, minutes, from history.
    pub mean_service_minutes: f64,
}

/// The interval lengths a forecast can be asked for.
pub const INTERVAL_CHOICES: [u32; 3] = [15, 30, 60];

/// The local date an interval starts on.
pub(in crate::domain) fn local_date(f: &IntervalForecast, zone: Tz) -> NaiveDate {
    f.start.with_timezone(&zone).date_naive()
}

pub(super) fn minute_of_day(start: DateTime<Utc>, zone: Tz) -> u32 {
    let local = start.with_timezone(&zone);
    local.hour() * 60 + local.minute()
}

/// Sums 15-minute forecasts into intervals of `interval` minutes, aligned on the local clock.
pub(super) fn aggregate(
    quarters: Vec<IntervalForecast>,
    zone: Tz,
    interval: u32,
) -> Vec<IntervalForecast> {
    if interval == INTERVAL_MINUTES {
        return quarters;
    }
    let mut out: Vec<IntervalForecast> = Vec::new();
    for q in quarters {
        let offset = minute_of_day(q.start, zone) % interval;
        let start = q.start - chrono::Duration::minutes(i64::from(offset));
        match out.last_mut() {
            Some(last) if last.start == start => {
                let booked = last.booked + q.booked;
                let visits = last.walk_ins + last.booked + q.walk_ins + q.booked;
                if booked > 0.0 {
                    last.no_show_rate =
                        (last.no_show_rate * last.booked + q.no_show_rate * q.booked) / booked;
                }
                if visits > 0.0 {
                    last.mean_service_minutes = (last.mean_service_minutes
                        * (last.walk_ins + last.booked)
                        + q.mean_service_minutes * (q.walk_ins + q.booked))
                        / visits;
                }
                last.walk_ins += q.walk_ins;
                last.booked = booked;
            }
            _ => out.push(IntervalForecast {
                start,
                interval_minutes: interval,
                ..q
            }),
        }
    }
    out
}
