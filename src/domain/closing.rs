//! Closing a location while bookings stand: which confirmed bookings a closure would leave
//! outside the hours, and what the administrator chose to do with them. Nothing is
//! cancelled without that choice.

use chrono::{DateTime, NaiveDateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use std::collections::BTreeMap;

use super::hours::{parse_clock, parse_date, parse_week, Closure, HoursError, WeeklyHours};

/// What becomes of the confirmed bookings a change leaves outside the hours.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::VariantArray,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
#[strum(serialize_all = "snake_case")]
pub enum BookingsChoice {
    /// They stand, over capacity; the staff meet them as booked.
    Keep,
    /// They are cancelled, and each citizen is sent one apology.
    Cancel,
}

/// What the administrator sends about the confirmed bookings a change leaves without room,
/// with the version of what the change was made from: an API request carries these fields
/// beside the change's own, a page's form carries them in hidden fields.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, utoipa::ToSchema)]
pub struct BookingsDecision {
    /// The version this request was made from: a change read at an older one is refused
    /// with 409.
    pub version: i32,
    /// What becomes of the confirmed bookings the change leaves without room: needed when
    /// there are any.
    #[serde(default)]
    pub bookings: Option<BookingsChoice>,
    /// The references of the affected bookings the choice was made for (422 lists them).
    #[serde(default)]
    pub affected: Vec<String>,
    /// Why, for the apology to each cancelled citizen: needed when bookings are cancelled.
    #[serde(default)]
    #[schema(example = "Skranken er ude af drift")]
    pub reason: String,
}

/// A closure as a form or a request gives it, each value as typed; empty is left out.
#[derive(Debug, Clone, Copy, Default)]
pub struct ClosureInput<'a> {
    pub from: &'a str,
    /// The last day; the first day when left out.
    pub to: &'a str,
    pub closed_from: &'a str,
    pub closed_until: &'a str,
    pub reason: &'a str,
    /// A period of reduced hours: each weekday's ranges, `{"mon": ["10:00-12:00"]}`, days
    /// left out closed.
    pub opening_hours: Option<&'a BTreeMap<String, Vec<String>>>,
}

impl ClosureInput<'_> {
    /// The closure, checked by the same rules as a closure in the organisation file, or
    /// every field that is wrong with why (`opening_hours.mon[0]` as the file's check names
    /// it below the closure).
    pub fn parse(&self) -> Result<Closure, Vec<(String, HoursError)>> {
        let hours = self.opening_hours.map(|days| {
            parse_week(days.iter().map(|(k, r)| (k.as_str(), r.as_slice()))).map_err(|week| {
                week.into_iter()
                    .map(|p| (p.field("opening_hours"), p.error))
                    .collect::<Vec<_>>()
            })
        });
        let (hours, mut problems) = match hours {
            None => (None, Vec::new()),
            Some(Ok(hours)) => (Some(hours), Vec::new()),
            Some(Err(problems)) => (None, problems),
        };
        let closure = self.parse_days().map_err(|days| {
            let days = days.into_iter().map(|(f, e)| (f.to_owned(), e));
            days.chain(problems.drain(..)).collect::<Vec<_>>()
        })?;
        if !problems.is_empty() {
            return Err(problems);
        }
        match hours {
            Some(hours) => closure
                .open_only(hours)
                .map_err(|e| vec![("opening_hours".to_owned(), e)]),
            None => Ok(closure),
        }
    }

    /// The closure's days, reason and part of each day.
    fn parse_days(&self) -> Result<Closure, Vec<(&'static str, HoursError)>> {
        let mut problems = Vec::new();
        let first = optional(&mut problems, "from", self.from, parse_date);
        let last = optional(&mut problems, "to", self.to, parse_date);
        let from = optional(&mut problems, "closed_from", self.closed_from, parse_clock);
        let until = optional(
            &mut problems,
            "closed_until",
            self.closed_until,
            parse_clock,
        );
        if first == Some(None) {
            problems.insert(0, ("from", HoursError::Missing));
        }
        let (Some(Some(first)), Some(last), Some(from), Some(until)) = (first, last, from, until)
        else {
            return Err(problems);
        };
        let reason = self.reason.trim().to_owned();
        Closure::new(first, last.unwrap_or(first), reason)
            .map_err(|e| {
                let at = if e == HoursError::NoReason {
                    "reason"
                } else {
                    "to"
                };
                vec![(at, e)]
            })?
            .during(from, until)
            .map_err(|e| vec![("closed_until", e)])
    }
}

/// `Some(None)` for an empty value, `Some(Some(value))`, or `None` after noting why not.
fn optional<T>(
    problems: &mut Vec<(&'static str, HoursError)>,
    field: &'static str,
    raw: &str,
    parse: impl Fn(&str) -> Result<T, HoursError>,
) -> Option<Option<T>> {
    let raw = raw.trim();
    if raw.is_empty() {
        return Some(None);
    }
    parse(raw)
        .map_err(|e| problems.push((field, e)))
        .ok()
        .map(Some)
}

/// The bookings of `bookings` (with their `[start, end)` in UTC) that `closure` closes
/// any part of, in the location's zone `zone`.
pub fn closed_by<'b, T>(
    closure: &Closure,
    zone: Tz,
    bookings: &'b [T],
    span: impl Fn(&T) -> (DateTime<Utc>, DateTime<Utc>),
) -> Vec<&'b T> {
    local_where(zone, bookings, span, |start, end| {
        closure.closes_during(start, end)
    })
}

/// The bookings of `bookings` that `hours` no longer hold: no range of their local day
/// holds all of them, in the location's zone `zone`.
pub fn outside_hours<'b, T>(
    hours: &WeeklyHours,
    zone: Tz,
    bookings: &'b [T],
    span: impl Fn(&T) -> (DateTime<Utc>, DateTime<Utc>),
) -> Vec<&'b T> {
    local_where(zone, bookings, span, |start, end| {
        let held = hours.on(start.date()).iter().any(|open| {
            open.start <= start.time() && (end.time() <= open.end && end.date() == start.date())
        });
        !held
    })
}

/// The bookings whose `[start, end)`, read on the clock of `zone`, is one that `hit`.
fn local_where<T>(
    zone: Tz,
    bookings: &[T],
    span: impl Fn(&T) -> (DateTime<Utc>, DateTime<Utc>),
    hit: impl Fn(NaiveDateTime, NaiveDateTime) -> bool,
) -> Vec<&T> {
    bookings
        .iter()
        .filter(|b| {
            let (start, end) = span(b);
            hit(
                start.with_timezone(&zone).naive_local(),
                end.with_timezone(&zone).naive_local(),
            )
        })
        .collect()
}

/// Whether the bookings the administrator saw are the ones the change would affect now:
/// when another booking came or went in between, the choice was made about other bookings
/// and must be asked again.
pub fn same_bookings(seen: &[String], now: &[&str]) -> bool {
    let mut seen: Vec<&str> = seen.iter().map(String::as_str).collect();
    let mut now = now.to_vec();
    seen.sort_unstable();
    now.sort_unstable();
    seen == now
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{NaiveDate, NaiveTime};
    use chrono_tz::Europe::Copenhagen;

    /// A booking by its name, from and to an instant.
    type Booking<'a> = (&'a str, DateTime<Utc>, DateTime<Utc>);

    fn booked<'a>(spans: &[(&'a str, &str, &str)]) -> Vec<Booking<'a>> {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        spans
            .iter()
            .map(|&(name, from, to)| (name, at(from), at(to)))
            .collect()
    }

    fn names<'a>(hit: Vec<&Booking<'a>>) -> Vec<&'a str> {
        hit.into_iter().map(|b| b.0).collect()
    }

    fn span(b: &Booking) -> (DateTime<Utc>, DateTime<Utc>) {
        (b.1, b.2)
    }

    #[test]
    fn a_closure_from_noon_affects_the_bookings_that_reach_past_noon_only() {
        let day: NaiveDate = "2027-03-30".parse().unwrap();
        let noon = Closure::new(day, day, "Sygdom".into())
            .unwrap()
            .during(NaiveTime::from_hms_opt(12, 0, 0), None)
            .unwrap();
        // Copenhagen is UTC+2 in summer time: 12:00 local is 10:00Z.
        let bookings = booked(&[
            ("morning", "2027-03-30T09:30:00Z", "2027-03-30T10:00:00Z"),
            ("across", "2027-03-30T09:45:00Z", "2027-03-30T10:15:00Z"),
            ("afternoon", "2027-03-30T11:00:00Z", "2027-03-30T11:20:00Z"),
            ("next day", "2027-03-31T11:00:00Z", "2027-03-31T11:20:00Z"),
        ]);
        let hit = names(closed_by(&noon, Copenhagen, &bookings, span));
        assert_eq!(hit, ["across", "afternoon"]);
    }

    #[test]
    fn a_closure_as_typed_is_checked_field_by_field() {
        let noon = ClosureInput {
            from: "2027-03-30",
            closed_from: "12:00",
            reason: "Sygdom",
            ..ClosureInput::default()
        }
        .parse()
        .unwrap();
        assert_eq!(noon.last, noon.first);
        assert_eq!(noon.closed_from, NaiveTime::from_hms_opt(12, 0, 0));
        let wrong = ClosureInput {
            from: "30-03-2027",
            closed_from: "12:60",
            reason: "Sygdom",
            ..ClosureInput::default()
        }
        .parse()
        .unwrap_err();
        let fields: Vec<&str> = wrong.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["from", "closed_from"]);
        assert_eq!(
            wrong[1].1.to_string(),
            "'12:60' is not a time of day like 09:30"
        );
        let no_reason = ClosureInput {
            from: "2027-03-30",
            reason: " ",
            ..ClosureInput::default()
        }
        .parse()
        .unwrap_err();
        assert_eq!(no_reason, vec![("reason".to_owned(), HoursError::NoReason)]);
    }

    #[test]
    fn shorter_hours_leave_out_the_bookings_that_reach_past_them() {
        let mut hours = WeeklyHours::default();
        let range = |r: &str| crate::domain::hours::TimeRange::parse(r).unwrap();
        hours
            .set_day(
                chrono::Weekday::Tue,
                vec![range("09:00-12:00"), range("13:00-15:00")],
            )
            .unwrap();
        // 2027-03-30 is a Tuesday; Copenhagen is UTC+2 then.
        let bookings = booked(&[
            ("inside", "2027-03-30T07:00:00Z", "2027-03-30T07:30:00Z"),
            ("lunch", "2027-03-30T09:45:00Z", "2027-03-30T10:15:00Z"),
            ("late", "2027-03-30T12:45:00Z", "2027-03-30T13:15:00Z"),
            ("wednesday", "2027-03-31T07:00:00Z", "2027-03-31T07:30:00Z"),
        ]);
        let hit = names(outside_hours(&hours, Copenhagen, &bookings, span));
        assert_eq!(hit, ["lunch", "late", "wednesday"]);
    }

    #[test]
    fn the_bookings_seen_must_be_the_bookings_affected() {
        let seen = vec!["B".to_owned(), "A".to_owned()];
        assert!(same_bookings(&seen, &["A", "B"]));
        assert!(!same_bookings(&seen, &["A", "B", "C"]));
        assert!(!same_bookings(&seen, &["A"]));
        assert!(same_bookings(&[], &[]));
    }
}
