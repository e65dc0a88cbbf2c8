//! What the free times of one service at one location are computed from: the service's
//! booking rules, the capacity set aside for it, and the times already taken.

use chrono::{DateTime, TimeDelta, Utc, Weekday};
use chrono_tz::Tz;

use crate::domain::hours::{Closure, TimeRange, WeeklyHours};
use crate::domain::organisation::{CapacityRuleSpec, ServiceSpec};

/// The grid that a service's bookable times start on when it sets none.
pub const DEFAULT_SLOT_STEP_MINUTES: u32 = 15;

/// The parts of a service that decide when it can be booked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BookingRules {
    /// How long the citizen is with the desk.
    pub duration_minutes: u32,
    /// Desk time after each appointment before the next can start there.
    pub buffer_minutes: u32,
    /// Bookable starts lie this many minutes apart, from each opening's start (0 is taken as 1).
    pub slot_step_minutes: u32,
    /// The last bookable local date is today plus this many days.
    pub book_ahead_days: u32,
    /// A start must be at least this many minutes after `now`.
    pub min_notice_minutes: u32,
}

impl From<&ServiceSpec> for BookingRules {
    fn from(service: &ServiceSpec) -> Self {
        Self {
            duration_minutes: service.duration_minutes,
            buffer_minutes: service.buffer_minutes,
            slot_step_minutes: service.slot_step_minutes,
            book_ahead_days: service.book_ahead_days,
            min_notice_minutes: service.min_notice_minutes,
        }
    }
}

impl BookingRules {
    pub(super) fn step_seconds(&self) -> i64 {
        i64::from(self.slot_step_minutes.max(1)) * 60
    }

    /// What a booking takes from the capacity: the appointment and its buffer, at least a
    /// minute so that even a degenerate service occupies something.
    pub(super) fn span(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(
            self.duration_minutes
                .saturating_add(self.buffer_minutes)
                .max(1),
        ))
    }

    pub(super) fn duration(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(self.duration_minutes))
    }
}

/// On this weekday, over this local range, `desks` desks take appointments for the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapacityRule {
    pub weekday: Weekday,
    pub range: TimeRange,
    pub desks: u32,
}

impl CapacityRule {
    /// One rule per weekday of an organisation's rule; the caller picks the rules that apply to
    /// the service.
    pub fn from_spec(spec: &CapacityRuleSpec) -> impl Iterator<Item = CapacityRule> + '_ {
        spec.weekdays.iter().map(|day| CapacityRule {
            weekday: day.weekday(),
            range: spec.range,
            desks: spec.desks,
        })
    }
}

/// A stretch of time that takes one unit of capacity: an appointment (its `end` already
/// including its buffer) or a waitlist hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Occupied {
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Everything the free times of one service at one location depend on, apart from the clock.
#[derive(Debug, Clone, Copy)]
pub struct SlotInputs<'a> {
    /// The location's zone; all wall-clock rules run in it.
    pub zone: Tz,
    /// The location's opening hours.
    pub hours: &'a WeeklyHours,
    /// The service's own hours at this location, if they deviate: then it is bookable only
    /// where both these and the location's hours are open.
    pub service_hours: Option<&'a WeeklyHours>,
    pub closures: &'a [Closure],
    pub rules: BookingRules,
    /// The capacity rules for this service here; overlapping rules add up.
    pub capacity: &'a [CapacityRule],
    /// At most this many desks at any instant however the rules add up: the desks that can
    /// take a whole visit (see [`crate::domain::visit::visit_capacity`]); `None` for no limit.
    pub desk_ceiling: Option<u32>,
    /// Appointments that draw on the same capacity (of any service; the caller decides).
    pub occupied: &'a [Occupied],
    /// Waitlist holds, which draw on the capacity like appointments.
    pub held: &'a [Occupied],
}
