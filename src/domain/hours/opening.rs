//! When a location is open: its weekly hours with its special days cut out, now and next.

use chrono::{DateTime, Days, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use super::closure::Closure;
use super::range::TimeRange;
use super::week::WeeklyHours;

/// is closed all day).
pub fn open_ranges(ranges: &[TimeRange], closures: &[Closure], date: NaiveDate) -> Vec<TimeRange> {
    closures
        .iter()
        .fold(ranges.to_vec(), |open, closure| closure.cut(date, &open))
}

/// Whether the location is open at `now`: inside a range of its local weekday, not closed.
pub fn is_open(now: DateTime<Utc>, zone: Tz, hours: &WeeklyHours, closures: &[Closure]) -> bool {
    let local = now.with_timezone(&zone);
    let date = local.date_naive();
    open_ranges(hours.on(date), closures, date)
        .iter()
        .any(|r| r.contains(local.time()))
}

/// The next moment the location opens after `now`, looking up to `horizon_days` ahead.
pub fn next_opening(
    now: DateTime<Utc>,
    zone: Tz,
    hours: &WeeklyHours,
    closures: &[Closure],
    horizon_days: u32,
) -> Option<DateTime<Tz>> {
    let today = now.with_timezone(&zone).date_naive();
    (0..=horizon_days)
        .filter_map(|d| today.checked_add_days(Days::new(u64::from(d))))
        .flat_map(|date| {
            open_ranges(hours.on(date), closures, date)
                .into_iter()
                .map(move |r| date.and_time(r.start))
        })
        // A start inside a spring-forward gap opens at the first instant that exists after it.
        .filter_map(|local| {
            zone.from_local_datetime(&local).earliest().or_else(|| {
                zone.from_local_datetime(&(local + chrono::Duration::hours(1)))
                    .earliest()
            })
        })
        .find(|start| start.with_timezone(&Utc) > now)
}
