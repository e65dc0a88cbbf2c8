//! Local wall-clock times against real instants: the grid of an opening, and local ranges
//! resolved at their widest through daylight-saving gaps and overlaps.

use chrono::{
    DateTime, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, TimeZone, Timelike, Utc,
};
use chrono_tz::Tz;

use crate::domain::hours::TimeRange;

pub(super) use crate::domain::hours::intersect;

/// The local grid times of a range: its start, then every `step_seconds`, while before its end.
/// Counted in seconds from midnight, because `NaiveTime` arithmetic wraps past midnight.
pub(super) fn grid(range: TimeRange, step_seconds: i64) -> impl Iterator<Item = NaiveTime> {
    let start = i64::from(range.start.num_seconds_from_midnight());
    let end = i64::from(range.end.num_seconds_from_midnight());
    let nanos = range.start.nanosecond();
    (0..)
        .map(move |k| start + k * step_seconds)
        .take_while(move |secs| *secs < end)
        .filter_map(move |secs| {
            NaiveTime::from_num_seconds_from_midnight_opt(u32::try_from(secs).ok()?, nanos)
        })
}

/// Whether `time` is one of the grid times that start at `start`.
pub(super) fn on_grid(start: NaiveTime, time: NaiveTime, step_seconds: i64) -> bool {
    let offset =
        i64::from(time.num_seconds_from_midnight()) - i64::from(start.num_seconds_from_midnight());
    time.nanosecond() == start.nanosecond() && offset >= 0 && offset % step_seconds == 0
}

/// The real instants a local range on `date` runs between, at its widest (see the module
/// documentation); `None` when it has no length left.
pub(super) fn resolve_range(
    zone: Tz,
    date: NaiveDate,
    range: TimeRange,
) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
    let from = first_instant_from(zone, date.and_time(range.start))?;
    let to = match zone.from_local_datetime(&date.and_time(range.end)) {
        LocalResult::Ambiguous(_, later) => later.with_timezone(&Utc),
        _ => first_instant_from(zone, date.and_time(range.end))?,
    };
    (from < to).then_some((from, to))
}

/// The first instant whose local time is `local`, or, when the clocks skip it, the moment
/// they jump past it.
fn first_instant_from(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    // Gaps are an hour or less in practice; the bound covers even a skipped day (Samoa, 2011).
    const LONGEST_GAP_MINUTES: i64 = 26 * 60;
    (0..=LONGEST_GAP_MINUTES)
        .map_while(|m| local.checked_add_signed(TimeDelta::minutes(m)))
        // Transitions lie on whole minutes, so when `local` was skipped the first probe that
        // exists is the very moment the clocks jumped.
        .find_map(|probe| zone.from_local_datetime(&probe).earliest())
        .map(|t| t.with_timezone(&Utc))
}
