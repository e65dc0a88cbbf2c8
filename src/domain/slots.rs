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
//! 2. Its local date is not in a closure.
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

use std::fmt;

use chrono::{
    DateTime, Datelike, Days, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta,
    TimeZone, Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

use super::hours::{Closure, TimeRange, WeeklyHours};
use super::organisation::{CapacityRuleSpec, ServiceSpec};

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
    fn step_seconds(&self) -> i64 {
        i64::from(self.slot_step_minutes.max(1)) * 60
    }

    /// What a booking takes from the capacity: the appointment and its buffer, at least a
    /// minute so that even a degenerate service occupies something.
    fn span(&self) -> TimeDelta {
        TimeDelta::minutes(i64::from(
            self.duration_minutes
                .saturating_add(self.buffer_minutes)
                .max(1),
        ))
    }

    fn duration(&self) -> TimeDelta {
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
    /// Appointments that draw on the same capacity (of any service; the caller decides).
    pub occupied: &'a [Occupied],
    /// Waitlist holds, which draw on the capacity like appointments.
    pub held: &'a [Occupied],
}

/// A bookable time, in the location's zone.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub start: DateTime<Tz>,
    /// The end of the appointment itself (without the buffer).
    pub end: DateTime<Tz>,
    /// How many more bookings the slot takes; always at least 1.
    pub available: u32,
}

/// Why a requested start cannot be booked.
#[derive(Debug, Clone, PartialEq)]
pub enum SlotRefusal {
    Past,
    TooSoon {
        earliest: DateTime<Tz>,
    },
    TooFarAhead {
        latest_date: NaiveDate,
    },
    Closed {
        reason: String,
    },
    /// Not inside the opening hours, or the appointment and its buffer would not end by closing.
    OutsideHours,
    OffGrid,
    NoCapacity,
}

impl SlotRefusal {
    /// True when the time is valid but taken: a conflict (409) rather than invalid input (422).
    pub fn is_full(&self) -> bool {
        matches!(self, SlotRefusal::NoCapacity)
    }
}

impl fmt::Display for SlotRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SlotRefusal::Past => f.write_str("That time has already passed."),
            SlotRefusal::TooSoon { earliest } => write!(
                f,
                "That time is too soon to book; the earliest bookable time is {}.",
                earliest.format("%Y-%m-%d %H:%M")
            ),
            SlotRefusal::TooFarAhead { latest_date } => write!(
                f,
                "That day is too far ahead to book; the last bookable day is {latest_date}."
            ),
            SlotRefusal::Closed { reason } => {
                write!(f, "The office is closed that day ({reason}).")
            }
            SlotRefusal::OutsideHours => f.write_str(
                "That time is outside the opening hours for this errand, \
                 or the appointment would not end before closing.",
            ),
            SlotRefusal::OffGrid => f.write_str(
                "Appointments for this errand do not start at that time; choose one of the offered times.",
            ),
            SlotRefusal::NoCapacity => f.write_str("That time is fully booked."),
        }
    }
}

impl std::error::Error for SlotRefusal {}

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
    if let Some(closure) = planner.closure_on(date) {
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

/// The inputs prepared once per call: the booking window and the occupancy over time.
struct Planner<'a> {
    inputs: &'a SlotInputs<'a>,
    window: Window,
    occupied: Steps,
}

impl<'a> Planner<'a> {
    fn new(inputs: &'a SlotInputs<'a>, now: DateTime<Utc>) -> Self {
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

    fn closure_on(&self, date: NaiveDate) -> Option<&'a Closure> {
        self.inputs.closures.iter().find(|c| c.covers(date))
    }

    /// The openings and capacity of one local date.
    fn day(&self, date: NaiveDate) -> Day {
        let location = self.inputs.hours.on(date);
        let ranges = match self.inputs.service_hours {
            Some(own) => intersect(location, own.on(date)),
            None => location.to_vec(),
        };
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
        );
        Day { openings, capacity }
    }

    /// Every bookable slot of one (open) local date, in local grid order.
    fn slots_on(&self, date: NaiveDate) -> Vec<Slot> {
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
    fn bookable(
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
struct Window {
    now: DateTime<Utc>,
    earliest: DateTime<Utc>,
    today: NaiveDate,
    latest_date: NaiveDate,
    zone: Tz,
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
    fn admits(&self, start: DateTime<Utc>, date: NaiveDate) -> Result<(), SlotRefusal> {
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
struct Day {
    openings: Vec<Opening>,
    capacity: Steps,
}

/// One opening: its local range, and the real instants it opens and closes.
struct Opening {
    local: TimeRange,
    opens: DateTime<Utc>,
    closes: DateTime<Utc>,
}

/// A step function of time: each point's value holds from it until the next point, and is 0
/// before the first. Built by a sweep over sorted `+n`/`-n` events, so that the capacity and
/// occupancy of months cost a sort, never a loop over minutes.
struct Steps {
    points: Vec<(DateTime<Utc>, i64)>,
}

impl Steps {
    fn from_deltas(mut deltas: Vec<(DateTime<Utc>, i64)>) -> Self {
        deltas.sort_by_key(|(at, _)| *at);
        let mut points: Vec<(DateTime<Utc>, i64)> = Vec::with_capacity(deltas.len());
        let mut level = 0;
        for (at, delta) in deltas {
            level += delta;
            // Events at one instant merge, so the value at a point is the one after all of
            // them: an appointment ending at 10:30 does not overlap one starting then.
            match points.last_mut() {
                Some(last) if last.0 == at => last.1 = level,
                _ => points.push((at, level)),
            }
        }
        Self { points }
    }

    fn at(&self, t: DateTime<Utc>) -> i64 {
        match self.points.partition_point(|(at, _)| *at <= t) {
            0 => 0,
            i => self.points[i - 1].1,
        }
    }

    /// The instants strictly inside `(from, to)` where the value changes.
    fn changes_within(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
    ) -> impl Iterator<Item = DateTime<Utc>> + '_ {
        let first = self.points.partition_point(|(at, _)| *at <= from);
        let last = self.points.partition_point(|(at, _)| *at < to).max(first);
        self.points[first..last].iter().map(|(at, _)| *at)
    }
}

/// The least of `capacity − occupied` over `[from, to)`: both are constant between their
/// change points, so only `from` and those points need looking at.
fn min_difference(
    capacity: &Steps,
    occupied: &Steps,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> i64 {
    std::iter::once(from)
        .chain(capacity.changes_within(from, to))
        .chain(occupied.changes_within(from, to))
        .map(|t| capacity.at(t) - occupied.at(t))
        .min()
        .unwrap_or(0)
}

/// The ranges in which both `a` and `b` are open; both sorted and non-overlapping, and so is
/// the result.
fn intersect(a: &[TimeRange], b: &[TimeRange]) -> Vec<TimeRange> {
    a.iter()
        .flat_map(|x| {
            b.iter().filter_map(move |y| {
                let start = x.start.max(y.start);
                let end = x.end.min(y.end);
                (start < end).then_some(TimeRange { start, end })
            })
        })
        .collect()
}

/// The local grid times of a range: its start, then every `step_seconds`, while before its end.
/// Counted in seconds from midnight, because `NaiveTime` arithmetic wraps past midnight.
fn grid(range: TimeRange, step_seconds: i64) -> impl Iterator<Item = NaiveTime> {
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
fn on_grid(start: NaiveTime, time: NaiveTime, step_seconds: i64) -> bool {
    let offset =
        i64::from(time.num_seconds_from_midnight()) - i64::from(start.num_seconds_from_midnight());
    time.nanosecond() == start.nanosecond() && offset >= 0 && offset % step_seconds == 0
}

/// Every instant whose local time is `local`: none in a gap, two in a repeated hour.
fn instants(zone: Tz, local: NaiveDateTime) -> impl Iterator<Item = DateTime<Utc>> {
    let (first, second) = match zone.from_local_datetime(&local) {
        LocalResult::Single(t) => (Some(t), None),
        LocalResult::Ambiguous(a, b) => (Some(a), Some(b)),
        LocalResult::None => (None, None),
    };
    first
        .into_iter()
        .chain(second)
        .map(|t| t.with_timezone(&Utc))
}

/// The real instants a local range on `date` runs between, at its widest (see the module
/// documentation); `None` when it has no length left.
fn resolve_range(
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::FixedOffset;
    use chrono_tz::America::Nuuk;
    use chrono_tz::Europe::Copenhagen;

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

    #[test]
    fn an_ordinary_day_offers_quarter_hours_until_the_last_that_fits() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.rules = rules(30, 0);
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["10:00", "10:15", "10:30"]);
        assert_eq!(slots[0].end.format("%H:%M").to_string(), "10:30");
        assert!(slots.iter().all(|s| s.available == 1));
        assert_eq!(
            office.check(LONG_AGO, "2027-03-29T08:45:00Z"),
            Err(SlotRefusal::OutsideHours),
            "10:45 + 30 min would run past 11:00"
        );
    }

    #[test]
    fn ten_oclock_on_a_monday_is_eight_utc_in_summer_and_nine_in_winter() {
        let office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-14:30")]));
        let summer = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(
            summer[0].start.with_timezone(&Utc),
            utc("2027-03-29T08:00:00Z")
        );
        assert_eq!(summer[0].start.to_rfc3339(), "2027-03-29T10:00:00+02:00");
        let winter = office.slots(LONG_AGO, "2026-10-26", "2026-10-26");
        assert_eq!(
            winter[0].start.with_timezone(&Utc),
            utc("2026-10-26T09:00:00Z")
        );
        assert_eq!(winter[0].start.to_rfc3339(), "2026-10-26T10:00:00+01:00");
        assert_eq!(summer.len(), 18);
        assert_eq!(winter.len(), 18);
    }

    #[test]
    fn spring_forward_skips_the_missing_hour_and_counts_real_minutes() {
        // 2027-03-28 is a Sunday: at 02:00 CET the clocks jump to 03:00 CEST.
        let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
        let slots = office.slots(LONG_AGO, "2027-03-28", "2027-03-28");
        let clock = local_clock(&slots);
        assert_eq!(slots.len(), 20, "six wall-clock hours are five real ones");
        assert!(clock.iter().all(|c| !c.starts_with("02:")), "{clock:?}");
        assert_eq!(clock[7], "01:45");
        assert_eq!(clock[8], "03:00");
        assert!(slots.iter().all(|s| s.start.minute() % 15 == 0));
        assert_eq!(slots[7].start.to_rfc3339(), "2027-03-28T01:45:00+01:00");
        assert_eq!(slots[8].start.to_rfc3339(), "2027-03-28T03:00:00+02:00");
        assert_eq!(
            slots[8].start.with_timezone(&Utc) - slots[7].start.with_timezone(&Utc),
            TimeDelta::minutes(15),
            "01:45 and 03:00 are a quarter of an hour apart"
        );

        // 02:30 does not exist; asking for it in UTC always lands on a real local time.
        assert_eq!(
            office.check(LONG_AGO, "2027-03-28T01:30:00Z").unwrap(),
            1,
            "01:30Z is 03:30 CEST"
        );

        // A 30-minute appointment at 01:45 ends at 03:15 on the clock: 30 real minutes.
        let mut long = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
        long.rules = rules(30, 0);
        let slots = long.slots(LONG_AGO, "2027-03-28", "2027-03-28");
        let at_145 = slots
            .iter()
            .find(|s| s.start.format("%H:%M").to_string() == "01:45")
            .unwrap();
        assert_eq!(at_145.end.to_rfc3339(), "2027-03-28T03:15:00+02:00");
        assert_eq!(at_145.end - at_145.start, TimeDelta::minutes(30));
    }

    #[test]
    fn an_opening_inside_the_gap_starts_when_the_clocks_jump() {
        let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "02:30-04:00")]));
        let slots = office.slots(LONG_AGO, "2027-03-28", "2027-03-28");
        assert_eq!(local_clock(&slots), ["03:00", "03:15", "03:30", "03:45"]);
        // The grid still counts from 02:30, so 03:00 is on it; an opening at 02:40 would give
        // 03:10, 03:25, …
        let odd = Office::new(Copenhagen, week(&[(Weekday::Sun, "02:40-04:00")]));
        let slots = odd.slots(LONG_AGO, "2027-03-28", "2027-03-28");
        assert_eq!(local_clock(&slots), ["03:10", "03:25", "03:40"]);
    }

    #[test]
    fn fall_back_offers_the_repeated_hour_twice() {
        // 2026-10-25 is a Sunday: at 03:00 CEST the clocks go back to 02:00 CET.
        let office = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
        let slots = office.slots(LONG_AGO, "2026-10-25", "2026-10-25");
        assert_eq!(slots.len(), 28, "six wall-clock hours are seven real ones");
        let twice: Vec<String> = slots
            .iter()
            .filter(|s| s.start.format("%H:%M").to_string() == "02:15")
            .map(|s| s.start.to_rfc3339())
            .collect();
        assert_eq!(
            twice,
            ["2026-10-25T02:15:00+02:00", "2026-10-25T02:15:00+01:00"]
        );
        // Sorted by the real instant, a quarter of an hour apart all night.
        for pair in slots.windows(2) {
            assert_eq!(pair[1].start - pair[0].start, TimeDelta::minutes(15));
        }
        assert!(slots.iter().all(|s| s.start.minute() % 15 == 0));
        // A 30-minute appointment at the first 02:45 ends at 02:15 on the clock.
        let mut long = Office::new(Copenhagen, week(&[(Weekday::Sun, "00:00-06:00")]));
        long.rules = rules(30, 0);
        let slots = long.slots(LONG_AGO, "2026-10-25", "2026-10-25");
        let first_245 = slots
            .iter()
            .find(|s| s.start.to_rfc3339() == "2026-10-25T02:45:00+02:00")
            .unwrap();
        assert_eq!(first_245.end.to_rfc3339(), "2026-10-25T02:15:00+01:00");
    }

    #[test]
    fn nuuk_is_utc_minus_two_in_winter_and_minus_one_in_summer() {
        let office = Office::new(Nuuk, week(&[(Weekday::Mon, "10:00-12:00")]));
        let winter = office.slots(LONG_AGO, "2027-01-04", "2027-01-04");
        assert_eq!(
            winter[0].start.with_timezone(&Utc),
            utc("2027-01-04T12:00:00Z")
        );
        assert_eq!(winter[0].start.to_rfc3339(), "2027-01-04T10:00:00-02:00");
        let summer = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(
            summer[0].start.with_timezone(&Utc),
            utc("2027-03-29T11:00:00Z")
        );
        assert_eq!(summer[0].start.to_rfc3339(), "2027-03-29T10:00:00-01:00");
    }

    #[test]
    fn nuuk_changes_its_clocks_late_on_saturday_evening() {
        // Nuuk follows the EU rule at 01:00 UTC, which there is 23:00 on Saturday (-02).
        let office = Office::new(Nuuk, week(&[(Weekday::Sat, "22:00-23:59")]));
        let spring = office.slots(LONG_AGO, "2027-03-27", "2027-03-27");
        assert_eq!(
            starts(&spring),
            [
                "2027-03-27T22:00:00-02:00",
                "2027-03-27T22:15:00-02:00",
                "2027-03-27T22:30:00-02:00",
                "2027-03-27T22:45:00-02:00",
            ],
            "23:00-23:59 does not exist; the office closes when the clocks jump to Sunday"
        );
        assert_eq!(
            spring[0].start.with_timezone(&Utc),
            utc("2027-03-28T00:00:00Z")
        );

        // On 2027-10-30 the clocks go from Sunday 00:00 (-01) back to Saturday 23:00 (-02).
        let autumn = office.slots(LONG_AGO, "2027-10-30", "2027-10-30");
        let clock = local_clock(&autumn);
        assert_eq!(
            clock,
            [
                "22:00", "22:15", "22:30", "22:45", "23:00", "23:15", "23:30", "23:45", "23:00",
                "23:15", "23:30"
            ],
            "the repeated hour is offered twice, until the second 23:59"
        );
        assert_eq!(autumn[8].start.to_rfc3339(), "2027-10-30T23:00:00-02:00");
        assert_eq!(
            autumn[8].start.with_timezone(&Utc),
            utc("2027-10-31T01:00:00Z")
        );
    }

    #[test]
    fn a_closure_day_has_no_slots() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Thu, "10:00-17:00")]));
        office.closures =
            vec![Closure::new(date("2026-12-24"), date("2026-12-24"), "Juleaften".into()).unwrap()];
        assert!(office
            .slots(LONG_AGO, "2026-12-24", "2026-12-24")
            .is_empty());
        assert_eq!(office.slots(LONG_AGO, "2026-12-24", "2026-12-31").len(), 28);
        let refusal = office.check(LONG_AGO, "2026-12-24T09:00:00Z").unwrap_err();
        assert_eq!(
            refusal,
            SlotRefusal::Closed {
                reason: "Juleaften".into()
            }
        );
        assert_eq!(
            refusal.to_string(),
            "The office is closed that day (Juleaften)."
        );
    }

    #[test]
    fn never_in_the_past_nor_sooner_than_the_notice() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
        office.rules.min_notice_minutes = 60;
        // 10:07 local on Monday 2027-03-29: 11:07 is the earliest, so 11:15 is the first slot.
        let now = "2027-03-29T08:07:00Z";
        let slots = office.slots(now, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["11:15", "11:30", "11:45"]);
        assert_eq!(
            office.check(now, "2027-03-29T08:00:00Z"),
            Err(SlotRefusal::Past)
        );
        let too_soon = office.check(now, "2027-03-29T08:30:00Z").unwrap_err();
        assert_eq!(
            too_soon.to_string(),
            "That time is too soon to book; the earliest bookable time is 2027-03-29 11:07."
        );
        assert_list_and_check_agree(&office, now, "2027-03-28", "2027-03-30");
    }

    #[test]
    fn book_ahead_ends_the_range() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.rules.book_ahead_days = 14;
        // 23:30 on Sunday 2027-03-28 in Copenhagen: today is the 28th, so 14 days ahead is
        // Sunday the 11th of April, and Monday the 12th is one day too far.
        let now = "2027-03-28T21:30:00Z";
        let slots = office.slots(now, "2027-03-01", "2027-06-30");
        let days: Vec<NaiveDate> = slots.iter().map(|s| s.start.date_naive()).collect();
        assert_eq!(days.first(), Some(&date("2027-03-29")));
        assert_eq!(days.last(), Some(&date("2027-04-05")));
        office.rules.book_ahead_days = 15;
        let slots = office.slots(now, "2027-03-01", "2027-06-30");
        assert_eq!(slots.last().unwrap().start.date_naive(), date("2027-04-12"));
        office.rules.book_ahead_days = 14;
        let refusal = office.check(now, "2027-04-12T08:00:00Z").unwrap_err();
        assert_eq!(
            refusal,
            SlotRefusal::TooFarAhead {
                latest_date: date("2027-04-11")
            }
        );
        assert_eq!(
            refusal.to_string(),
            "That day is too far ahead to book; the last bookable day is 2027-04-11."
        );
    }

    #[test]
    fn today_is_the_local_date_of_now() {
        // 23:30 UTC on the 28th is already the 29th in Copenhagen, but still the 28th in Nuuk.
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Tue, "10:00-11:00")]));
        office.rules.book_ahead_days = 1;
        let now = "2027-03-28T23:30:00Z";
        assert_eq!(office.slots(now, "2027-03-28", "2027-04-30").len(), 4);
        office.zone = Nuuk;
        assert!(office.slots(now, "2027-03-28", "2027-04-30").is_empty());
    }

    #[test]
    fn an_appointment_takes_one_of_two_desks_where_it_runs() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
        office.capacity = all_day(2);
        office.rules = rules(30, 0);
        // 10:30-11:00 local.
        office.occupied = vec![occupied("2027-03-29T08:30:00Z", "2027-03-29T09:00:00Z")];
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        let available: Vec<(String, u32)> = slots
            .iter()
            .map(|s| (s.start.format("%H:%M").to_string(), s.available))
            .collect();
        let expected: Vec<(String, u32)> = [
            ("10:00", 2),
            ("10:15", 1),
            ("10:30", 1),
            ("10:45", 1),
            ("11:00", 2),
            ("11:15", 2),
            ("11:30", 2),
        ]
        .into_iter()
        .map(|(c, n)| (c.to_string(), n))
        .collect();
        assert_eq!(available, expected);
        assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");
    }

    #[test]
    fn a_full_time_is_refused_as_full() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
        office.occupied = vec![occupied("2027-03-29T08:00:00Z", "2027-03-29T08:15:00Z")];
        let refusal = office.check(LONG_AGO, "2027-03-29T08:00:00Z").unwrap_err();
        assert_eq!(refusal, SlotRefusal::NoCapacity);
        assert!(refusal.is_full());
        assert!(!SlotRefusal::Past.is_full());
    }

    #[test]
    fn holds_take_capacity_like_appointments() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.held = vec![occupied("2027-03-29T08:15:00Z", "2027-03-29T08:30:00Z")];
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["10:00", "10:30", "10:45"]);
    }

    #[test]
    fn buffers_keep_the_desk_free_before_the_next_start() {
        // An appointment 10:00-10:15 whose 10-minute buffer runs to 10:25.
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.occupied = vec![occupied("2027-03-29T08:00:00Z", "2027-03-29T08:25:00Z")];
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["10:30", "10:45"], "10:15 is blocked");

        // This service's own buffer must be free too: with a booking at 10:30, a 15-minute
        // appointment with a 5-minute buffer cannot start at 10:15.
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.rules = rules(15, 5);
        office.occupied = vec![occupied("2027-03-29T08:30:00Z", "2027-03-29T08:50:00Z")];
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["10:00"]);
        assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-29");
    }

    #[test]
    fn the_buffer_ends_by_closing() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-11:00")]));
        office.rules = rules(15, 5);
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        // 10:30 + 15 + 5 = 10:50; 10:45 + 20 would run to 11:05.
        assert_eq!(local_clock(&slots), ["10:00", "10:15", "10:30"]);
        assert_eq!(slots[2].end.format("%H:%M").to_string(), "10:45");
    }

    #[test]
    fn service_hours_narrow_the_location_hours() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-14:30")]));
        let mut own = WeeklyHours::default();
        own.set_day(
            Weekday::Mon,
            vec![range("09:00-10:30"), range("12:00-12:30")],
        )
        .unwrap();
        own.set_day(Weekday::Tue, vec![range("10:00-12:00")])
            .unwrap();
        office.service_hours = Some(own);
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-30");
        assert_eq!(
            local_clock(&slots),
            ["10:00", "10:15", "12:00", "12:15"],
            "only where both are open; the location is closed on Tuesday"
        );
        assert_eq!(
            office.check(LONG_AGO, "2027-03-29T09:00:00Z"),
            Err(SlotRefusal::OutsideHours),
            "11:00 is inside the location's hours but not the service's"
        );
        assert_list_and_check_agree(&office, LONG_AGO, "2027-03-29", "2027-03-30");
    }

    #[test]
    fn overlapping_capacity_rules_add_up() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
        office.capacity = vec![
            CapacityRule {
                weekday: Weekday::Mon,
                range: range("10:00-12:00"),
                desks: 1,
            },
            CapacityRule {
                weekday: Weekday::Mon,
                range: range("11:00-11:30"),
                desks: 2,
            },
        ];
        office.rules = rules(30, 0);
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        let available: Vec<u32> = slots.iter().map(|s| s.available).collect();
        // 10:00 10:15 10:30 10:45 11:00 11:15 11:30
        assert_eq!(available, [1, 1, 1, 1, 3, 1, 1]);
    }

    #[test]
    fn no_capacity_rule_no_slots() {
        let mut office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-12:00")]));
        office.capacity = vec![CapacityRule {
            weekday: Weekday::Mon,
            range: range("10:30-11:00"),
            desks: 1,
        }];
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(local_clock(&slots), ["10:30", "10:45"]);
        assert_eq!(
            office.check(LONG_AGO, "2027-03-29T08:00:00Z"),
            Err(SlotRefusal::NoCapacity)
        );
    }

    #[test]
    fn the_grid_counts_from_each_opening() {
        let mut hours = WeeklyHours::default();
        hours
            .set_day(
                Weekday::Mon,
                vec![range("10:00-10:30"), range("13:05-13:50")],
            )
            .unwrap();
        let office = Office::new(Copenhagen, hours);
        let slots = office.slots(LONG_AGO, "2027-03-29", "2027-03-29");
        assert_eq!(
            local_clock(&slots),
            ["10:00", "10:15", "13:05", "13:20", "13:35"]
        );
        for off in [
            "2027-03-29T08:05:00Z",
            "2027-03-29T11:15:00Z",
            "2027-03-29T08:00:30Z",
        ] {
            assert_eq!(
                office.check(LONG_AGO, off),
                Err(SlotRefusal::OffGrid),
                "{off}"
            );
        }
        assert_eq!(
            office.check(LONG_AGO, "2027-03-29T10:00:00Z"),
            Err(SlotRefusal::OutsideHours)
        );
    }

    #[test]
    fn list_and_check_agree_across_both_changes_of_the_clocks() {
        for zone in [Copenhagen, Nuuk] {
            let mut hours = WeeklyHours::default();
            hours
                .set_day(Weekday::Sat, vec![range("21:05-23:59")])
                .unwrap();
            hours
                .set_day(
                    Weekday::Sun,
                    vec![range("00:00-03:30"), range("04:10-06:00")],
                )
                .unwrap();
            hours
                .set_day(Weekday::Mon, vec![range("10:00-14:30")])
                .unwrap();
            let mut office = Office::new(zone, hours);
            office.rules = BookingRules {
                duration_minutes: 20,
                buffer_minutes: 5,
                slot_step_minutes: 10,
                book_ahead_days: 1000,
                min_notice_minutes: 0,
            };
            office.capacity = all_day(2);
            office.capacity.push(CapacityRule {
                weekday: Weekday::Sun,
                range: range("02:00-02:40"),
                desks: 1,
            });
            office.occupied = vec![
                occupied("2027-03-28T00:20:00Z", "2027-03-28T01:10:00Z"),
                occupied("2027-03-28T00:40:00Z", "2027-03-28T00:55:00Z"),
                occupied("2026-10-25T00:10:00Z", "2026-10-25T01:40:00Z"),
            ];
            office.held = vec![occupied("2026-10-25T00:30:00Z", "2026-10-25T01:20:00Z")];
            office.closures =
                vec![
                    Closure::new(date("2026-10-26"), date("2026-10-26"), "Lukket".into()).unwrap(),
                ];
            assert_list_and_check_agree(&office, LONG_AGO, "2026-10-24", "2026-10-31");
            assert_list_and_check_agree(&office, LONG_AGO, "2027-03-26", "2027-03-29");
            assert_list_and_check_agree(&office, LONG_AGO, "2027-10-29", "2027-11-01");
            // With the clock inside the night itself.
            assert_list_and_check_agree(
                &office,
                "2027-03-28T00:47:13Z",
                "2027-03-27",
                "2027-03-29",
            );
        }
    }

    #[test]
    fn half_a_year_is_computed_by_sweeping_not_by_minutes() {
        let mut hours = WeeklyHours::default();
        for day in [Weekday::Mon, Weekday::Tue, Weekday::Wed] {
            hours.set_day(day, vec![range("10:00-14:30")]).unwrap();
        }
        hours
            .set_day(Weekday::Thu, vec![range("10:00-17:00")])
            .unwrap();
        hours
            .set_day(Weekday::Fri, vec![range("10:00-13:30")])
            .unwrap();
        let mut office = Office::new(Copenhagen, hours);
        office.capacity = all_day(4);
        office.rules.book_ahead_days = 200;
        // A busy calendar: an appointment every 5 minutes, day and night, for half a year.
        let start = utc("2026-09-01T00:00:00Z");
        office.occupied = (0..183 * 24 * 12)
            .map(|i| {
                let at = start + TimeDelta::minutes(5 * i);
                Occupied {
                    start: at,
                    end: at + TimeDelta::minutes(if i % 3 == 0 { 20 } else { 5 }),
                }
            })
            .collect();
        let slots = office.slots("2026-09-01T00:00:00Z", "2026-09-01", "2027-03-02");
        assert!(!slots.is_empty());
        assert!(slots.windows(2).all(|w| w[0].start < w[1].start));
        let last = slots.last().unwrap().start.date_naive();
        assert!(last >= date("2027-02-26"), "{last}");
    }

    #[test]
    fn capacity_specs_expand_to_one_rule_per_weekday() {
        use super::super::organisation::{DeskKind, WeekdayKey};
        let spec = CapacityRuleSpec {
            weekdays: [Weekday::Mon, Weekday::Thu]
                .into_iter()
                .map(WeekdayKey::from)
                .collect(),
            range: range("10:00-12:00"),
            desks: 3,
            desk_kind: DeskKind::Counter,
            services: Vec::new(),
        };
        let rules: Vec<CapacityRule> = CapacityRule::from_spec(&spec).collect();
        assert_eq!(rules.len(), 2);
        assert_eq!(rules[1].weekday, Weekday::Thu);
        assert_eq!(rules[1].desks, 3);
    }

    #[test]
    fn offsets_in_the_answer_are_the_zones_own() {
        let office = Office::new(Copenhagen, week(&[(Weekday::Mon, "10:00-10:15")]));
        let slot = &office.slots(LONG_AGO, "2027-03-29", "2027-03-29")[0];
        assert_eq!(
            slot.start.fixed_offset().offset(),
            &FixedOffset::east_opt(2 * 3600).unwrap()
        );
    }
}
