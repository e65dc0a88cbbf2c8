//! The rules of the module documentation applied to one call: the booking window that the
//! clock allows, each local date's openings and capacity, and whether a start is bookable.

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeDelta, Utc};
use chrono_tz::Tz;

use super::answer::{Slot, SlotRefusal};
use super::inputs::{BookingRules, SlotInputs};
use super::local_time::{grid, intersect, resolve_range};
use super::steps::{min_difference, Steps};
use crate::domain::hours::{open_ranges, Closure, TimeRange};
use crate::domain::timezone::instants;

/// The inputs prepared once per call: the booking window and the occupancy over time.
pub(super) struct Planner<'a> {
    pub(super) inputs: &'a SlotInputs<'a>,
    pub(super) window: Window,
    pub(super) occupied: Steps,
}

impl<'a> Planner<'a> {
    pub(super) fn new(inputs: &'a SlotInputs<'a>, now: DateTime<Utc>) -> Self {
        let occupied = Steps::from_deltas(
            inputs
                .occupied
                .iter()
                .chain(inputs.held)
                .filter(|o| o.start < o.end)
                .flat_map(|o| [(o.start, 1), (o.end, -1)])
                .collect(),
        );
        Self {
            inputs,
            window: Window::new(inputs.zone, &inputs.rules, now),
            occupied,
        }
    }

    pub(super) fn closure_on(&self, date: NaiveDate) -> Option<&'a Closure> {
        self.inputs.closures.iter().find(|c| c.covers(date))
    }

    /// The closure of part of a day that closes the local moment `at`, if any.
    pub(super) fn closure_at(&self, at: chrono::NaiveDateTime) -> Option<&'a Closure> {
        let moment = at + TimeDelta::seconds(1);
        self.inputs
            .closures
            .iter()
            .find(|c| c.closes_during(at, moment))
    }

    /// The openings and capacity of one local date.
    pub(super) fn day(&self, date: NaiveDate) -> Day {
        let location = self.inputs.hours.on(date);
        let ranges = match self.inputs.service_hours {
            Some(own) => intersect(location, own.on(date)),
            None => location.to_vec(),
        };
        let ranges = open_ranges(&ranges, self.inputs.closures, date);
        let zone = self.inputs.zone;
        let openings = ranges
            .into_iter()
            .filter_map(|local| {
                let (opens, closes) = resolve_range(zone, date, local)?;
                Some(Opening {
                    local,
                    opens,
                    closes,
                })
            })
            .collect();
        let capacity = Steps::from_deltas(
            self.inputs
                .capacity
                .iter()
                .filter(|rule| rule.weekday == date.weekday())
                .filter_map(|rule| {
                    let (from, to) = resolve_range(zone, date, rule.range)?;
                    Some([(from, i64::from(rule.desks)), (to, -i64::from(rule.desks))])
                })
                .flatten()
                .collect(),
        )
        .at_most(self.inputs.desk_ceiling);
        Day { openings, capacity }
    }

    /// Every bookable slot of one (open) local date, in local grid order.
    pub(super) fn slots_on(&self, date: NaiveDate) -> Vec<Slot> {
        let day = self.day(date);
        let zone = self.inputs.zone;
        let rules = &self.inputs.rules;
        let mut slots = Vec::new();
        for opening in &day.openings {
            for time in grid(opening.local, rules.step_seconds()) {
                for start in instants(zone, date.and_time(time)) {
                    if self.window.admits(start, date).is_err() {
                        continue;
                    }
                    if let Ok(available) = self.bookable(&day, opening, start) {
                        slots.push(Slot {
                            start: start.with_timezone(&zone),
                            end: (start + rules.duration()).with_timezone(&zone),
                            available,
                        });
                    }
                }
            }
        }
        slots
    }

    /// The last two rules, for a start already known to be in the window, open and on the
    /// grid of `opening`: the span fits the opening, and capacity is left all through it.
    pub(super) fn bookable(
        &self,
        day: &Day,
        opening: &Opening,
        start: DateTime<Utc>,
    ) -> Result<u32, SlotRefusal> {
        let end = start
            .checked_add_signed(self.inputs.rules.span())
            .ok_or(SlotRefusal::OutsideHours)?;
        if start < opening.opens || end > opening.closes {
            return Err(SlotRefusal::OutsideHours);
        }
        let free = min_difference(&day.capacity, &self.occupied, start, end);
        // Negative when a capacity cut left more bookings than desks: still simply full.
        match u32::try_from(free.max(0)).unwrap_or(u32::MAX) {
            0 => Err(SlotRefusal::NoCapacity),
            available => Ok(available),
        }
    }
}

/// What the clock allows: not before `earliest`, not on a local date after `latest_date`.
pub(super) struct Window {
    pub(super) now: DateTime<Utc>,
    pub(super) earliest: DateTime<Utc>,
    pub(super) today: NaiveDate,
    pub(super) latest_date: NaiveDate,
    pub(super) zone: Tz,
}

impl Window {
    fn new(zone: Tz, rules: &BookingRules, now: DateTime<Utc>) -> Self {
        let today = now.with_timezone(&zone).date_naive();
        Self {
            now,
            earliest: now
                .checked_add_signed(TimeDelta::minutes(i64::from(rules.min_notice_minutes)))
                .unwrap_or(DateTime::<Utc>::MAX_UTC),
            today,
            latest_date: today
                .checked_add_days(Days::new(u64::from(rules.book_ahead_days)))
                .unwrap_or(NaiveDate::MAX),
            zone,
        }
    }

    /// `date` is the local date of `start`.
    pub(super) fn admits(&self, start: DateTime<Utc>, date: NaiveDate) -> Result<(), SlotRefusal> {
        if start < self.now {
            Err(SlotRefusal::Past)
        } else if start < self.earliest {
            Err(SlotRefusal::TooSoon {
                earliest: self.earliest.with_timezone(&self.zone),
            })
        } else if date > self.latest_date {
            Err(SlotRefusal::TooFarAhead {
                latest_date: self.latest_date,
            })
        } else {
            Ok(())
        }
    }
}

/// One local date's bookable openings and its capacity over time.
pub(super) struct Day {
    pub(super) openings: Vec<Opening>,
    pub(super) capacity: Steps,
}

/// One opening: its local range, and the real instants it opens and closes.
pub(super) struct Opening {
    pub(super) local: TimeRange,
    pub(super) opens: DateTime<Utc>,
    pub(super) closes: DateTime<Utc>,
}
