//! Free times: which appointment starts a citizen may book for one service at one location.
//!
//! Two entry points share every rule, so that what the calendar offers is exactly what the
//! booking transaction accepts:
//!
//! - [`free_slots`] lists the bookable starts over a range of local dates, and
//! - [`availability_at`] checks one requested start and says why it is refused.
//!
//! # The rules
//!
//! A start is bookable when all of these hold:
//!
//! 1. It is not in the past, not before `now` plus the service's minimum notice, and its local
//!    date is at most `book_ahead_days` after today's local date in the location's zone.
//! 2. Its local date is not in a closure, nor its time in the closed part of a day that a
//!    closure closes only in part ("closes at 12 today").
//! 3. Its local wall-clock time lies in an *opening*: a range of the location's weekly hours,
//!    narrowed to the service's own hours at that location when it has any (the service is
//!    bookable only where both are open).
//! 4. It is on the grid: a whole number of `slot_step_minutes` after the opening's start, counted
//!    in local wall-clock time (an opening at 13:05 gives 13:05, 13:20, …).
//! 5. Its *span* `[start, start + duration + buffer)` fits in that one opening. The buffer is
//!    work for the desk (notes, tidying) and must be done while the office is open, so the
//!    buffer ends by closing at the latest, not only the appointment.
//! 6. At every instant of the span, the booking capacity minus the appointments and waitlist
//!    holds running then is at least one. The smallest such difference is the slot's
//!    `available`.
//!
//! Capacity comes from [`CapacityRule`]s. Rules that overlap in time **add up**: each rule is a
//! number of desks set aside for the service, so two rules of 1 desk over the same hour mean two
//! desks. Where no rule applies the capacity is zero and nothing can be booked.
//!
//! # Time zones and daylight saving
//!
//! Opening hours, closures, the grid and the booking window are local; everything that is
//! measured — durations, buffers, overlaps — is real elapsed time between UTC instants. So a
//! 30-minute appointment at 01:45 on the night the clocks go forward ends at 03:15 local.
//!
//! - **Gaps** (spring forward): a grid time that does not exist locally is not offered. An
//!   opening or capacity bound inside the gap is taken as the moment the clocks jump.
//! - **Overlaps** (fall back): a grid time that happens twice is offered **twice**, once with
//!   each UTC offset; both are real moments when the office is open, and the offset in the
//!   answer tells them apart. An opening or capacity range whose bound is such a time is taken
//!   at its widest: from the first moment its start is shown to the last moment its end is.
//!
//! Nothing here reads a clock: `now` is always a parameter.

mod answer;
mod inputs;
mod local_time;
mod planner;
mod steps;
#[cfg(test)]
mod tests;

use chrono::{DateTime, NaiveDate, Utc};

pub use answer::{Slot, SlotRefusal};
pub use inputs::{BookingRules, CapacityRule, Occupied, SlotInputs, DEFAULT_SLOT_STEP_MINUTES};

use local_time::on_grid;
use planner::Planner;

/// The longest that anything booked blocks capacity: by rule 5 its span fits in one
/// opening, and an opening lies within one local day (25 hours on the night the clocks fall
/// back). What overlaps an interval therefore starts less than this before it, so a search
/// by start need not look further back, through the whole history; two days leave room.
pub fn longest_blocking() -> chrono::TimeDelta {
    chrono::TimeDelta::days(2)
}

/// The bookable times whose local date is in `from..=to`, sorted by start, each with at
/// least one place free.
pub fn free_slots(
    inputs: &SlotInputs<'_>,
    now: DateTime<Utc>,
    from: NaiveDate,
    to: NaiveDate,
) -> Vec<Slot> {
    let planner = Planner::new(inputs, now);
    let first = from.max(planner.window.today);
    let last = to.min(planner.window.latest_date);
    let mut slots: Vec<Slot> = first
        .iter_days()
        .take_while(|date| *date <= last)
        .filter(|date| planner.closure_on(*date).is_none())
        .flat_map(|date| planner.slots_on(date))
        .collect();
    // Within a day the grid runs in local time, and the repeated hour of a fall-back night
    // puts later local times at earlier instants, so order by the instant itself.
    slots.sort_by_key(|slot| slot.start);
    slots
}

/// Whether the capacity leaves a desk for something already booked over `[start, end)`
/// beside what `inputs.occupied` and `inputs.held` take: the capacity rule of
/// [`availability_at`] alone, as a booking made earlier was checked by the window, hours
/// and grid of its own time.
pub fn has_room(inputs: &SlotInputs<'_>, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
    let planner = Planner::new(inputs, start);
    let day = planner.day(start.with_timezone(&inputs.zone).date_naive());
    steps::min_difference(&day.capacity, &planner.occupied, start, end) > 0
}

/// How many more bookings `start` takes, or why it cannot be booked. Agrees exactly with
/// [`free_slots`]: a listed slot gives its `available`, any other start a refusal.
pub fn availability_at(
    inputs: &SlotInputs<'_>,
    now: DateTime<Utc>,
    start: DateTime<Utc>,
) -> Result<u32, SlotRefusal> {
    let planner = Planner::new(inputs, now);
    let local = start.with_timezone(&inputs.zone);
    let date = local.date_naive();
    planner.window.admits(start, date)?;
    if let Some(closure) = planner
        .closure_on(date)
        .or_else(|| planner.closure_at(local.naive_local()))
    {
        return Err(SlotRefusal::Closed {
            reason: closure.reason.clone(),
        });
    }
    let day = planner.day(date);
    let opening = day
        .openings
        .iter()
        .find(|opening| opening.local.contains(local.time()))
        .ok_or(SlotRefusal::OutsideHours)?;
    if !on_grid(
        opening.local.start,
        local.time(),
        inputs.rules.step_seconds(),
    ) {
        return Err(SlotRefusal::OffGrid);
    }
    planner.bookable(&day, opening, start)
}
