//! Opening hours in local time: the quarter hours at which a location is open for an
//! errand, in UTC, through closures and daylight-saving changes.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Timelike, Utc, Weekday};

use super::record::INTERVAL_SECONDS;
use crate::domain::hours::{TimeRange, WeeklyHours};
use crate::domain::organisation::LocationSpec;
use crate::domain::timezone::instants;
use crate::domain::Slug;

/// The interval starts (UTC) at which `location` is open for `service` on local `date`:
/// local quarter hours inside both the location's and the service's hours, none on a
/// closure. Empty when the location does not offer the service.
pub fn open_intervals(
    location: &LocationSpec,
    service: &Slug,
    date: NaiveDate,
) -> Vec<DateTime<Utc>> {
    if !location.services.contains(service) {
        return Vec::new();
    }
    let hours = service_hours(location, service);
    open_starts(location, date)
        .into_iter()
        .filter(|(t, _)| is_open(hours, date.weekday(), *t))
        .map(|(_, start)| start)
        .collect()
}

/// The location's open quarter hours on `date`, local and UTC, in the order they happen
/// (which differs from the local order when an autumn change repeats an hour).
pub(super) fn open_starts(
    location: &LocationSpec,
    date: NaiveDate,
) -> Vec<(NaiveTime, DateTime<Utc>)> {
    let mut starts: Vec<_> = open_quarters(location, date)
        .flat_map(|t| instants(location.timezone, date.and_time(t)).map(move |start| (t, start)))
        .collect();
    starts.sort_by_key(|(_, start)| *start);
    starts
}

/// The service's own, shorter hours at a location, if it keeps any.
pub(super) fn service_hours<'a>(
    location: &'a LocationSpec,
    service: &Slug,
) -> Option<&'a WeeklyHours> {
    location
        .service_hours
        .iter()
        .find(|h| &h.service == service)
        .map(|h| &h.hours)
}

pub(super) fn is_open(hours: Option<&WeeklyHours>, weekday: Weekday, t: NaiveTime) -> bool {
    hours.is_none_or(|h| h.day(weekday).iter().any(|r| r.contains(t)))
}

/// Local quarter-hour starts within the location's hours on `date` (none on a closure).
pub(super) fn open_quarters(
    location: &LocationSpec,
    date: NaiveDate,
) -> impl Iterator<Item = NaiveTime> + '_ {
    let closed = location.closures.iter().any(|c| c.covers(date));
    let ranges = if closed {
        &[][..]
    } else {
        location.opening_hours.on(date)
    };
    ranges.iter().flat_map(quarters)
}

/// Quarter hours starting inside `range`; a range that does not start on one begins at the
/// next, so no interval starts before the door opens.
pub(super) fn quarters(range: &TimeRange) -> impl Iterator<Item = NaiveTime> {
    let first = range
        .start
        .num_seconds_from_midnight()
        .div_ceil(INTERVAL_SECONDS);
    let end = range
        .end
        .num_seconds_from_midnight()
        .div_ceil(INTERVAL_SECONDS);
    (first..end).map(|q| {
        NaiveTime::from_num_seconds_from_midnight_opt(q * INTERVAL_SECONDS, 0)
            .expect("within the day")
    })
}
