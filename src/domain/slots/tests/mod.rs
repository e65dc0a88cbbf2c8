//! The free-time rules on small offices, one concern per file; the helpers and the test
//! office are shared.

mod capacity;
mod clocks;
mod hours;
mod visits;
mod window;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc, Weekday};
use chrono_tz::America::Nuuk;
use chrono_tz::Europe::Copenhagen;
use chrono_tz::Tz;

use super::*;
use crate::domain::hours::{Closure, TimeRange, WeeklyHours};

fn date(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn utc(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn range(s: &str) -> TimeRange {
    TimeRange::parse(s).unwrap()
}

fn week(days: &[(Weekday, &str)]) -> WeeklyHours {
    let mut hours = WeeklyHours::default();
    for (day, r) in days {
        hours.set_day(*day, vec![range(r)]).unwrap();
    }
    hours
}

fn rules(duration: u32, buffer: u32) -> BookingRules {
    BookingRules {
        duration_minutes: duration,
        buffer_minutes: buffer,
        slot_step_minutes: DEFAULT_SLOT_STEP_MINUTES,
        book_ahead_days: 1000,
        min_notice_minutes: 0,
    }
}

/// One desk all day every day, so that only the hours decide.
fn all_day(desks: u32) -> Vec<CapacityRule> {
    [
        Weekday::Mon,
        Weekday::Tue,
        Weekday::Wed,
        Weekday::Thu,
        Weekday::Fri,
        Weekday::Sat,
        Weekday::Sun,
    ]
    .into_iter()
    .map(|weekday| CapacityRule {
        weekday,
        range: range("00:00-23:59"),
        desks,
    })
    .collect()
}

fn occupied(start: &str, end: &str) -> Occupied {
    Occupied {
        start: utc(start),
        end: utc(end),
    }
}

/// A test location: owns what `SlotInputs` borrows.
struct Office {
    zone: Tz,
    hours: WeeklyHours,
    service_hours: Option<WeeklyHours>,
    closures: Vec<Closure>,
    rules: BookingRules,
    capacity: Vec<CapacityRule>,
    desk_ceiling: Option<u32>,
    occupied: Vec<Occupied>,
    held: Vec<Occupied>,
}

impl Office {
    fn new(zone: Tz, hours: WeeklyHours) -> Self {
        Self {
            zone,
            hours,
            service_hours: None,
            closures: Vec::new(),
            rules: rules(15, 0),
            capacity: all_day(1),
            desk_ceiling: None,
            occupied: Vec::new(),
            held: Vec::new(),
        }
    }

    fn inputs(&self) -> SlotInputs<'_> {
        SlotInputs {
            zone: self.zone,
            hours: &self.hours,
            service_hours: self.service_hours.as_ref(),
            closures: &self.closures,
            rules: self.rules,
            capacity: &self.capacity,
            desk_ceiling: self.desk_ceiling,
            occupied: &self.occupied,
            held: &self.held,
        }
    }

    fn slots(&self, now: &str, from: &str, to: &str) -> Vec<Slot> {
        free_slots(&self.inputs(), utc(now), date(from), date(to))
    }

    fn check(&self, now: &str, start: &str) -> Result<u32, SlotRefusal> {
        availability_at(&self.inputs(), utc(now), utc(start))
    }
}

const LONG_AGO: &str = "2026-01-01T00:00:00Z";

fn starts(slots: &[Slot]) -> Vec<String> {
    slots.iter().map(|s| s.start.to_rfc3339()).collect()
}

fn local_clock(slots: &[Slot]) -> Vec<String> {
    slots
        .iter()
        .map(|s| s.start.format("%H:%M").to_string())
        .collect()
}

/// The property that binds the two entry points: every listed slot checks with the same
/// number, and every other start (each 5 minutes over the range) is refused.
fn assert_list_and_check_agree(office: &Office, now: &str, from: &str, to: &str) {
    let slots = office.slots(now, from, to);
    assert!(!slots.is_empty(), "a range with nothing to compare");
    let inputs = office.inputs();
    for slot in &slots {
        assert_eq!(
            availability_at(&inputs, utc(now), slot.start.with_timezone(&Utc)),
            Ok(slot.available),
            "listed {}",
            slot.start
        );
    }
    let listed: std::collections::HashSet<DateTime<Utc>> =
        slots.iter().map(|s| s.start.with_timezone(&Utc)).collect();
    let first = date(from)
        .and_hms_opt(0, 0, 0)
        .unwrap()
        .and_utc()
        .checked_sub_signed(TimeDelta::hours(14))
        .unwrap();
    let last = date(to).and_hms_opt(23, 59, 0).unwrap().and_utc() + TimeDelta::hours(14);
    let dates = date(from)..=date(to);
    let mut t = first;
    while t <= last {
        let local_date = t.with_timezone(&office.zone).date_naive();
        if dates.contains(&local_date) && !listed.contains(&t) {
            assert!(
                availability_at(&inputs, utc(now), t).is_err(),
                "{t} checks as bookable but is not listed"
            );
        }
        t += TimeDelta::minutes(5);
    }
}
