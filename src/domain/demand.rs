//! Demand history: arrivals per location, service and 15-minute interval, and a generator
//! of plausible synthetic history for the demo and the planner's tests.
//!
//! # The model behind the synthetic history
//!
//! Each errand offered at a location is a *stream*. Its expected arrivals in one local
//! quarter hour are a product of independent factors:
//!
//! ```text
//! expected = base rate × time of day × weekday × start of month × season × election
//! ```
//!
//! - **Base rate.** A location takes [`VISITS_PER_OPEN_HOUR`] citizens per open hour
//!   (Fredericia: about 2,200 personal visits a week over 6 receptions), shared among the
//!   errands met in person by a weight per [`ServiceKind`]; phone and video meetings come on
//!   top. Longer opening hours therefore mean proportionally more visits: a city hall open
//!   24 hours a week sees 350–400.
//! - **Time of day.** Copenhagen's citizen service rises over lunch until 14:00 and again
//!   16:30–18:00; the job centre is busiest in the morning. The curve is scaled to average 1
//!   over each day's open hours, so it moves citizens within a day without adding any.
//! - **Calendar.** Mondays are busiest and mid-week quietest; the first days of a month are
//!   busier (most of all at the job centre, when benefits are claimed); June is passport
//!   season; general citizen service swells in the weeks before an election with postal
//!   votes ([`ELECTIONS`]); July and December are quiet.
//!
//! The expected arrivals split into walk-ins and bookings by the errand's booking policy
//! ([`booked_share`]). Bookings follow a flatter daily curve than walk-ins, because a booking
//! calendar spreads citizens over the free times. Of the booked, a share do not come
//! ([`no_show_rate`]). Counts are Poisson around the expected values, so [`ExpectedDemand`]
//! is the truth that a forecast can be scored against.
//!
//! Waiting comes from a deliberately simple queue of walk-ins per location: the desks that
//! serve them follow a fixed weekly template sized for an ordinary day (as rosters were
//! before a planner), so lunch peaks, Mondays and elections overload them. Expected work
//! that the desks cannot finish in one interval is carried into the next (a fluid backlog),
//! and on top of that an M/M/c approximation gives the random waiting at the interval's
//! occupancy. Each walk-in's wait is exponential around that mean; a few give up when it is
//! long. Booked citizens are seen at desks reserved for appointments and barely wait.
//!
//! Everything is pure: the caller passes the dates and a seed, and each location-day draws
//! from its own generator seeded from `(seed, location, date)`, so a day's history is the
//! same whatever range it is generated in.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, TimeZone, Timelike, Utc, Weekday};
use chrono_tz::Tz;
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Binomial, Distribution, Gamma, LogNormal, Poisson};

use super::hours::{TimeRange, WeeklyHours};
use super::organisation::{BookingPolicy, Channel, LocationSpec, OrganisationSpec, ServiceSpec};
use super::Slug;

/// One 15-minute interval of history at a location for a service.
#[derive(Debug, Clone, PartialEq)]
pub struct DemandRecord {
    pub location: Slug,
    pub service: Slug,
    /// UTC, on a 15-minute boundary in the location's local time.
    pub interval_start: DateTime<Utc>,
    /// Tickets taken at the door.
    pub walk_ins: u32,
    /// Appointments that were booked for this interval.
    pub booked: u32,
    /// Of the booked, how many did not come (≤ `booked`).
    pub no_shows: u32,
    /// Citizens served: `walk_ins + booked − no_shows`, or fewer if some walked away.
    pub served: u32,
    /// Total handling time of those served.
    pub service_seconds: u32,
    /// Total waiting time of those served.
    pub wait_seconds: u32,
}

impl DemandRecord {
    /// Citizens who came: the walk-ins and the booked who showed up.
    pub fn arrivals(&self) -> u32 {
        self.walk_ins + self.booked - self.no_shows
    }
}

pub const INTERVAL_MINUTES: u32 = 15;
const INTERVAL_SECONDS: u32 = INTERVAL_MINUTES * 60;
const INTERVALS_PER_HOUR: f64 = 60.0 / INTERVAL_MINUTES as f64;

/// Citizens per open hour at a location, over all its errands: Fredericia's 2,200 visits a
/// week over 6 receptions is about 370 each, i.e. about 16 an hour for a city hall open
/// 24 hours a week.
pub const VISITS_PER_OPEN_HOUR: f64 = 16.0;

/// Of an errand where booking is optional, the share that book (Copenhagen's goal is half).
pub const OPTIONAL_BOOKED_SHARE: f64 = 0.4;

// ---------------------------------------------------------------------------------------
// Elections
// ---------------------------------------------------------------------------------------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElectionKind {
    European,
    Municipal,
    General,
}

/// An election day; postal votes are cast at citizen service in the weeks before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Election {
    pub date: NaiveDate,
    pub kind: ElectionKind,
}

const fn election(year: i32, month: u32, day: u32, kind: ElectionKind) -> Election {
    match NaiveDate::from_ymd_opt(year, month, day) {
        Some(date) => Election { date, kind },
        None => panic!("not a date"),
    }
}

/// Danish elections known to the model, in date order. The general election of 2022, the
/// EU election of 9 June 2024 and the municipal election of 18 November 2025 are real.
/// The general election of 2026 is **demo data**: the Folketing's term ends on 31 October
/// 2026, so it is placed on Tuesday 27 October 2026, inside the demo's twelve months.
pub const ELECTIONS: [Election; 4] = [
    election(2022, 11, 1, ElectionKind::General),
    election(2024, 6, 9, ElectionKind::European),
    election(2025, 11, 18, ElectionKind::Municipal),
    election(2026, 10, 27, ElectionKind::General),
];

impl Election {
    /// Whether citizens at a location in `zone` vote in it. Greenland and the Faroe Islands
    /// elect members of the Folketing, but are outside the EU and hold their own municipal
    /// elections; a location's time zone is the model's only clue to where it is.
    pub fn held_in(&self, zone: Tz) -> bool {
        self.kind == ElectionKind::General || zone == chrono_tz::Europe::Copenhagen
    }
}

/// The dates of the [`ELECTIONS`] held where `zone` is.
pub fn election_days(zone: Tz) -> impl Iterator<Item = NaiveDate> {
    ELECTIONS
        .iter()
        .filter(move |e| e.held_in(zone))
        .map(|e| e.date)
}

/// The postal-vote rush begins this many days before election day…
const POSTAL_VOTES_FROM_DAYS: i64 = 21;
/// …and ends this many days before it, when postal voting at the municipality closes.
const POSTAL_VOTES_UNTIL_DAYS: i64 = 2;
/// Extra general citizen-service demand on the last postal-voting day.
const POSTAL_VOTE_LIFT: f64 = 0.7;

/// Demand of general citizen service on local `date` in `zone` relative to a day without an
/// election near: rising linearly through the postal-voting weeks to a peak on the last day.
pub fn election_factor(date: NaiveDate, zone: Tz) -> f64 {
    let span = (POSTAL_VOTES_FROM_DAYS + 1 - POSTAL_VOTES_UNTIL_DAYS) as f64;
    election_days(zone)
        .map(|day| (day - date).num_days())
        .filter(|before| (POSTAL_VOTES_UNTIL_DAYS..=POSTAL_VOTES_FROM_DAYS).contains(before))
        .map(|before| 1.0 + POSTAL_VOTE_LIFT * (POSTAL_VOTES_FROM_DAYS + 1 - before) as f64 / span)
        .fold(1.0, f64::max)
}

// ---------------------------------------------------------------------------------------
// Kinds of errand and their calendar effects
// ---------------------------------------------------------------------------------------

/// What a service's demand behaves like. The organisation model has no such field, so it is
/// read from the words of the slug, the department and the names ([`ServiceKind::of`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ServiceKind {
    /// General citizen service: moves, health cards, pensions, postal votes.
    General,
    Passport,
    DrivingLicence,
    JobCentre,
    /// Specialist units such as building permits, and bookable resources such as citizen PCs.
    Specialist,
}

impl ServiceKind {
    /// Classifies by words: `job…` is the job centre, `pas`/`passport…` passports,
    /// `koerekort…`/`kørekort…`/`driving…` driving licences, `byg…`/`building…`/`permit…`
    /// and `pc` (citizen PCs) specialist; anything else is general citizen service.
    /// The words are those of the slug, the department slug and both names.
    pub fn of(service: &ServiceSpec) -> Self {
        let text = format!(
            "{} {} {} {}",
            service.slug, service.department, service.name_da, service.name_en
        )
        .to_lowercase();
        let words: Vec<&str> = text.split(|c: char| !c.is_alphanumeric()).collect();
        let is = |names: &[&str]| words.iter().any(|w| names.contains(w));
        let starts = |prefixes: &[&str]| {
            words
                .iter()
                .any(|w| prefixes.iter().any(|p| w.starts_with(p)))
        };
        if starts(&["job"]) {
            Self::JobCentre
        } else if is(&["pas", "pasfornyelse"]) || starts(&["passport"]) {
            Self::Passport
        } else if starts(&["koerekort", "kørekort", "driving"]) {
            Self::DrivingLicence
        } else if is(&["pc"]) || starts(&["byg", "building", "permit"]) {
            Self::Specialist
        } else {
            Self::General
        }
    }

    /// Relative share of a location's visits.
    fn weight(self) -> f64 {
        match self {
            Self::General => 3.0,
            Self::Passport => 2.0,
            Self::DrivingLicence | Self::JobCentre => 1.5,
            Self::Specialist => 0.5,
        }
    }

    /// Extra demand on the 1st of the month, fading over the following days.
    fn month_start_lift(self) -> f64 {
        match self {
            // Benefit claims and unemployment declarations fall due at the turn of the month.
            Self::JobCentre => 0.8,
            Self::General => 0.3,
            Self::Passport | Self::DrivingLicence | Self::Specialist => 0.15,
        }
    }

    fn season(self, month: u32) -> f64 {
        let table = match self {
            Self::Passport => &PASSPORT_SEASON,
            _ => &BASE_SEASON,
        };
        table[month as usize - 1]
    }

    fn daily_profile(self) -> &'static [(u32, f64)] {
        match self {
            Self::JobCentre => &MORNING_PROFILE,
            _ => &LUNCH_AND_EVENING_PROFILE,
        }
    }
}

/// Month of year, January first: July's summer holidays and December's Christmas are quiet.
const BASE_SEASON: [f64; 12] = [
    1.05, 1.0, 1.0, 1.0, 1.0, 1.0, 0.75, 0.95, 1.0, 1.0, 1.0, 0.85,
];
/// Passports are renewed before the summer holidays: June is twice an ordinary spring month.
const PASSPORT_SEASON: [f64; 12] = [
    0.9, 0.95, 1.0, 1.15, 1.4, 2.0, 1.3, 0.9, 0.85, 0.8, 0.8, 0.75,
];

/// Monday first: the weekend's errands arrive on Monday, mid-week is quietest.
const WEEKDAY_FACTOR: [f64; 7] = [1.3, 1.05, 0.9, 0.95, 0.9, 0.8, 0.8];

const fn hm(hour: u32, minute: u32) -> u32 {
    hour * 60 + minute
}

/// `(minute of day, factor)`, linearly interpolated: a rise over lunch until 14:00, a lull,
/// and the after-work peak 16:30–18:00 where a location is open that late.
const LUNCH_AND_EVENING_PROFILE: [(u32, f64); 13] = [
    (hm(0, 0), 0.6),
    (hm(9, 0), 0.7),
    (hm(10, 0), 0.8),
    (hm(11, 0), 0.9),
    (hm(11, 30), 1.1),
    (hm(13, 45), 1.5),
    (hm(14, 15), 1.05),
    (hm(15, 30), 0.85),
    (hm(16, 15), 0.95),
    (hm(16, 45), 1.35),
    (hm(17, 45), 1.35),
    (hm(18, 30), 0.8),
    (hm(24, 0), 0.6),
];

/// The job centre: busiest in the morning (Copenhagen's job centres), quiet late.
const MORNING_PROFILE: [(u32, f64); 8] = [
    (hm(0, 0), 0.6),
    (hm(8, 0), 1.5),
    (hm(10, 0), 1.5),
    (hm(11, 0), 1.3),
    (hm(12, 0), 1.0),
    (hm(14, 0), 0.7),
    (hm(16, 0), 0.6),
    (hm(24, 0), 0.5),
];

/// Relative walk-in demand of the interval starting at `start` (local time), taken at the
/// interval's middle so that a quarter hour is judged by what happens during it.
pub fn time_of_day_factor(kind: ServiceKind, start: NaiveTime) -> f64 {
    let middle =
        f64::from(start.num_seconds_from_midnight()) / 60.0 + f64::from(INTERVAL_MINUTES) / 2.0;
    interpolate(kind.daily_profile(), middle)
}

fn interpolate(points: &[(u32, f64)], x: f64) -> f64 {
    points
        .windows(2)
        .find(|w| x <= f64::from(w[1].0))
        .map(|w| {
            let ((x0, y0), (x1, y1)) = ((f64::from(w[0].0), w[0].1), (f64::from(w[1].0), w[1].1));
            y0 + (y1 - y0) * (x - x0) / (x1 - x0)
        })
        .unwrap_or(points[points.len() - 1].1)
}

/// Relative demand on a local date at a location in `zone`: weekday × start of month ×
/// season × postal votes.
pub fn calendar_factor(kind: ServiceKind, date: NaiveDate, zone: Tz) -> f64 {
    let weekday = WEEKDAY_FACTOR[date.weekday().num_days_from_monday() as usize];
    let days_in = f64::from(date.day() - 1);
    let month_start = 1.0 + kind.month_start_lift() * (-days_in / 2.0).exp();
    let election = if kind == ServiceKind::General {
        election_factor(date, zone)
    } else {
        1.0
    };
    weekday * month_start * kind.season(date.month()) * election
}

/// The share of an errand's citizens who come by booking. Phone and video meetings have no
/// door to walk in at, so all of them are booked whatever the policy says.
pub fn booked_share(service: &ServiceSpec) -> f64 {
    if service.channel != Channel::InPerson {
        return 1.0;
    }
    match service.booking {
        BookingPolicy::Required => 1.0,
        BookingPolicy::Optional => OPTIONAL_BOOKED_SHARE,
        BookingPolicy::WalkInOnly => 0.0,
    }
}

/// The share of bookings that nobody comes to: Copenhagen's job centres lose 30 % of their
/// meetings; citizen service about one in nine.
pub fn no_show_rate(kind: ServiceKind) -> f64 {
    match kind {
        ServiceKind::JobCentre => 0.28,
        _ => 0.11,
    }
}

// ---------------------------------------------------------------------------------------
// Opening hours in local time
// ---------------------------------------------------------------------------------------

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
fn open_starts(location: &LocationSpec, date: NaiveDate) -> Vec<(NaiveTime, DateTime<Utc>)> {
    let mut starts: Vec<_> = open_quarters(location, date)
        .flat_map(|t| local_instants(location.timezone, date, t).map(move |start| (t, start)))
        .collect();
    starts.sort_by_key(|(_, start)| *start);
    starts
}

/// The service's own, shorter hours at a location, if it keeps any.
fn service_hours<'a>(location: &'a LocationSpec, service: &Slug) -> Option<&'a WeeklyHours> {
    location
        .service_hours
        .iter()
        .find(|h| &h.service == service)
        .map(|h| &h.hours)
}

fn is_open(hours: Option<&WeeklyHours>, weekday: Weekday, t: NaiveTime) -> bool {
    hours.is_none_or(|h| h.day(weekday).iter().any(|r| r.contains(t)))
}

/// Local quarter-hour starts within the location's hours on `date` (none on a closure).
fn open_quarters(location: &LocationSpec, date: NaiveDate) -> impl Iterator<Item = NaiveTime> + '_ {
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
fn quarters(range: &TimeRange) -> impl Iterator<Item = NaiveTime> {
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

/// The UTC instants of a local wall-clock time: none when a spring-forward change skips it,
/// two when an autumn change repeats it (both are real intervals).
fn local_instants(tz: Tz, date: NaiveDate, t: NaiveTime) -> impl Iterator<Item = DateTime<Utc>> {
    let local = tz.from_local_datetime(&date.and_time(t));
    let (first, second) = match local {
        chrono::LocalResult::Single(a) => (Some(a), None),
        chrono::LocalResult::Ambiguous(a, b) => (Some(a), Some(b)),
        chrono::LocalResult::None => (None, None),
    };
    first
        .into_iter()
        .chain(second)
        .map(|t| t.with_timezone(&Utc))
}

// ---------------------------------------------------------------------------------------
// The model
// ---------------------------------------------------------------------------------------

/// Expected counts in one interval, before Poisson noise.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ExpectedDemand {
    pub walk_ins: f64,
    pub booked: f64,
    pub no_shows: f64,
}

impl ExpectedDemand {
    /// Expected citizens who come: walk-ins plus the booked who show up.
    pub fn arrivals(&self) -> f64 {
        self.walk_ins + self.booked - self.no_shows
    }
}

/// The demand model of one organisation: what the synthetic history is drawn from, and the
/// truth that forecasts of it can be compared with.
#[derive(Debug, Clone)]
pub struct DemandModel<'a> {
    locations: Vec<LocationModel<'a>>,
}

#[derive(Debug, Clone)]
struct LocationModel<'a> {
    spec: &'a LocationSpec,
    streams: Vec<Stream<'a>>,
    /// Desks serving walk-ins per weekday, Monday first.
    desks: [u32; 7],
    /// Mean handling time of a walk-in, in minutes.
    mean_service_minutes: f64,
}

/// One errand at one location.
#[derive(Debug, Clone)]
struct Stream<'a> {
    service: &'a ServiceSpec,
    hours: Option<&'a WeeklyHours>,
    kind: ServiceKind,
    /// The location's time zone, which decides the elections it votes in.
    zone: Tz,
    /// Expected citizens per interval when every factor is 1.
    base_rate: f64,
    /// Per weekday, Monday first: the daily curves' means over the open hours.
    curve_means: [CurveMeans; 7],
    booked_share: f64,
    no_show_rate: f64,
    /// In person, so its walk-ins join the location's queue.
    at_counter: bool,
    service_time: LogNormal<f64>,
}

#[derive(Debug, Clone, Copy)]
struct CurveMeans {
    walk_ins: f64,
    booked: f64,
}

/// The means of the walk-in curve and of the flatter booking curve over the quarters that a
/// service is open at a location on a weekday (1 when it is closed, to divide by safely).
fn curve_means(
    kind: ServiceKind,
    location: &LocationSpec,
    hours: Option<&WeeklyHours>,
    weekday: Weekday,
) -> CurveMeans {
    let curve: Vec<f64> = location
        .opening_hours
        .day(weekday)
        .iter()
        .flat_map(quarters)
        .filter(|t| is_open(hours, weekday, *t))
        .map(|t| time_of_day_factor(kind, t))
        .collect();
    if curve.is_empty() {
        return CurveMeans {
            walk_ins: 1.0,
            booked: 1.0,
        };
    }
    let n = curve.len() as f64;
    CurveMeans {
        walk_ins: curve.iter().sum::<f64>() / n,
        booked: curve.iter().map(|c| c.sqrt()).sum::<f64>() / n,
    }
}

/// Spread of one citizen's handling time around the errand's duration.
const SERVICE_TIME_CV: f64 = 0.4;
/// Occupancy that the weekly desk template was sized for, on an ordinary day.
const TEMPLATE_OCCUPANCY: f64 = 0.65;

impl<'a> DemandModel<'a> {
    pub fn new(spec: &'a OrganisationSpec) -> Self {
        let locations = spec
            .locations
            .iter()
            .map(|location| LocationModel::new(spec, location))
            .collect();
        Self { locations }
    }

    /// Expected demand for `service` at `location` in the interval starting at
    /// `interval_start`, or `None` when that is not an open interval there.
    pub fn expected(
        &self,
        location: &Slug,
        service: &Slug,
        interval_start: DateTime<Utc>,
    ) -> Option<ExpectedDemand> {
        let model = self.locations.iter().find(|l| &l.spec.slug == location)?;
        let stream = model.streams.iter().find(|s| &s.service.slug == service)?;
        let local = interval_start.with_timezone(&model.spec.timezone);
        let (date, t) = (local.date_naive(), local.time());
        let on_quarter =
            t.num_seconds_from_midnight() % INTERVAL_SECONDS == 0 && t.nanosecond() == 0;
        let open =
            open_quarters(model.spec, date).any(|q| q == t) && stream.is_open(date.weekday(), t);
        (on_quarter && open).then(|| stream.expected(date, t))
    }

    /// Expected citizens who come (walk-ins and booked who show up); 0 when closed.
    pub fn arrival_rate(
        &self,
        location: &Slug,
        service: &Slug,
        interval_start: DateTime<Utc>,
    ) -> f64 {
        self.expected(location, service, interval_start)
            .map_or(0.0, |e| e.arrivals())
    }

    /// Draws history for every local date from `first` to `last` inclusive, ordered by
    /// location, date, interval and service. Intervals where nobody came or booked are left out.
    pub fn history(&self, first: NaiveDate, last: NaiveDate, seed: u64) -> Vec<DemandRecord> {
        let mut out = Vec::new();
        for location in &self.locations {
            for date in first.iter_days().take_while(|d| *d <= last) {
                let mut rng = StdRng::seed_from_u64(day_seed(seed, &location.spec.slug, date));
                location.simulate_day(date, &mut rng, &mut out);
            }
        }
        out
    }
}

/// Twelve months (or any range) of plausible history for the demo and the planner's tests.
pub fn synthetic_history(
    spec: &OrganisationSpec,
    first: NaiveDate,
    last: NaiveDate,
    seed: u64,
) -> Vec<DemandRecord> {
    DemandModel::new(spec).history(first, last, seed)
}

/// A seed per location-day, so that a day's draws do not depend on the range generated.
fn day_seed(seed: u64, location: &Slug, date: NaiveDate) -> u64 {
    let bytes = location
        .as_str()
        .bytes()
        .chain(date.num_days_from_ce().to_le_bytes());
    bytes.fold(splitmix64(seed), |h, b| splitmix64(h ^ u64::from(b)))
}

fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl<'a> Stream<'a> {
    fn new(service: &'a ServiceSpec, location: &'a LocationSpec, base_rate: f64) -> Self {
        let kind = ServiceKind::of(service);
        let hours = service_hours(location, &service.slug);
        let mean_seconds = f64::from(service.duration_minutes.max(1) * 60);
        Self {
            service,
            hours,
            kind,
            zone: location.timezone,
            base_rate,
            curve_means: std::array::from_fn(|i| {
                let weekday = Weekday::try_from(i as u8).expect("below 7");
                curve_means(kind, location, hours, weekday)
            }),
            booked_share: booked_share(service),
            no_show_rate: no_show_rate(kind),
            at_counter: service.channel == Channel::InPerson,
            service_time: LogNormal::from_mean_cv(mean_seconds, SERVICE_TIME_CV)
                .expect("positive mean"),
        }
    }

    fn is_open(&self, weekday: Weekday, t: NaiveTime) -> bool {
        is_open(self.hours, weekday, t)
    }

    fn expected(&self, date: NaiveDate, t: NaiveTime) -> ExpectedDemand {
        self.shaped(
            self.base_rate * calendar_factor(self.kind, date, self.zone),
            date.weekday(),
            t,
        )
    }

    /// Splits a level into walk-ins, which follow the daily curve, and bookings, which the
    /// booking calendar spreads more evenly (the square root of the curve). Both curves are
    /// scaled to average 1 over the day's open hours, so that the level is the day's mean.
    fn shaped(&self, level: f64, weekday: Weekday, t: NaiveTime) -> ExpectedDemand {
        let curve = time_of_day_factor(self.kind, t);
        let means = self.curve_means[weekday.num_days_from_monday() as usize];
        let booked = level * curve.sqrt() / means.booked * self.booked_share;
        ExpectedDemand {
            walk_ins: level * curve / means.walk_ins * (1.0 - self.booked_share),
            booked,
            no_shows: booked * self.no_show_rate,
        }
    }

    fn mean_service_minutes(&self) -> f64 {
        f64::from(self.service.duration_minutes)
    }

    /// Expected desk-minutes of walk-in work in the location's queue.
    fn walk_in_work(&self, expected: &ExpectedDemand) -> f64 {
        if self.at_counter {
            expected.walk_ins * self.mean_service_minutes()
        } else {
            0.0
        }
    }
}

impl<'a> LocationModel<'a> {
    fn new(org: &'a OrganisationSpec, spec: &'a LocationSpec) -> Self {
        let offered: Vec<&ServiceSpec> = org
            .services
            .iter()
            .filter(|s| spec.services.contains(&s.slug))
            .collect();
        // The visits are shared among the errands met in person; phone and video meetings
        // come on top at the same scale, since they are not visits.
        let in_person: f64 = offered
            .iter()
            .filter(|s| s.channel == Channel::InPerson)
            .map(|s| ServiceKind::of(s).weight())
            .sum();
        let per_weight = VISITS_PER_OPEN_HOUR / INTERVALS_PER_HOUR / in_person.max(1.0);
        let streams: Vec<Stream> = offered
            .into_iter()
            .map(|s| Stream::new(s, spec, per_weight * ServiceKind::of(s).weight()))
            .collect();
        let mut model = Self {
            spec,
            mean_service_minutes: mean_walk_in_minutes(&streams),
            streams,
            desks: [1; 7],
        };
        model.desks = model.desk_template();
        model
    }

    /// Walk-in desks per weekday, sized for the day's mean walk-in load without calendar
    /// effects: the roster of a municipality that staffs by habit, which the planner is
    /// there to improve. (Booked citizens are seen at desks reserved for appointments.)
    fn desk_template(&self) -> [u32; 7] {
        std::array::from_fn(|i| {
            let weekday = Weekday::try_from(i as u8).expect("below 7");
            let loads: Vec<f64> = self
                .spec
                .opening_hours
                .day(weekday)
                .iter()
                .flat_map(quarters)
                .map(|t| self.ordinary_load(weekday, t))
                .collect();
            let mean = loads.iter().sum::<f64>() / loads.len().max(1) as f64;
            ((mean / TEMPLATE_OCCUPANCY).ceil() as u32).max(1)
        })
    }

    /// Expected walk-in work (in desks busy) in an interval of an ordinary day.
    fn ordinary_load(&self, weekday: Weekday, t: NaiveTime) -> f64 {
        self.streams
            .iter()
            .filter(|s| s.is_open(weekday, t))
            .map(|s| s.walk_in_work(&s.shaped(s.base_rate, weekday, t)))
            .sum::<f64>()
            / f64::from(INTERVAL_MINUTES)
    }

    fn simulate_day(&self, date: NaiveDate, rng: &mut StdRng, out: &mut Vec<DemandRecord>) {
        let desks = self.desks[date.weekday().num_days_from_monday() as usize];
        let mut queue = Queue::new(f64::from(desks), self.mean_service_minutes);
        for (t, start) in open_starts(self.spec, date) {
            self.simulate_interval(date, t, start, &mut queue, rng, out);
        }
    }

    fn simulate_interval(
        &self,
        date: NaiveDate,
        t: NaiveTime,
        start: DateTime<Utc>,
        queue: &mut Queue,
        rng: &mut StdRng,
        out: &mut Vec<DemandRecord>,
    ) {
        let open: Vec<(&Stream, ExpectedDemand)> = self
            .streams
            .iter()
            .filter(|s| s.is_open(date.weekday(), t))
            .map(|s| (s, s.expected(date, t)))
            .collect();
        // The queue runs on expected work: the steady-state term already accounts for random
        // arrivals, and a backlog of drawn work would count that randomness twice.
        let offered: f64 = open.iter().map(|(s, e)| s.walk_in_work(e)).sum();
        let walk_in_wait = queue.wait_minutes(offered);
        let arrivals: Vec<(&Stream, Arrivals)> = open
            .iter()
            .map(|(s, e)| (*s, Arrivals::draw(e, rng)))
            .collect();
        queue.advance(offered);
        for (stream, a) in arrivals {
            if a.walk_ins + a.booked == 0 {
                continue;
            }
            let done = serve(stream, a, walk_in_wait, rng);
            out.push(DemandRecord {
                location: self.spec.slug.clone(),
                service: stream.service.slug.clone(),
                interval_start: start,
                walk_ins: a.walk_ins,
                booked: a.booked,
                no_shows: a.no_shows,
                served: done.served,
                service_seconds: done.service_seconds.round() as u32,
                wait_seconds: done.wait_seconds.round() as u32,
            });
        }
    }
}

fn mean_walk_in_minutes(streams: &[Stream]) -> f64 {
    let walk_ins = |s: &Stream| {
        if s.at_counter {
            s.base_rate * (1.0 - s.booked_share)
        } else {
            0.0
        }
    };
    let weight: f64 = streams.iter().map(walk_ins).sum();
    if weight == 0.0 {
        return 0.0;
    }
    streams
        .iter()
        .map(|s| walk_ins(s) * s.mean_service_minutes())
        .sum::<f64>()
        / weight
}

/// Counts drawn for one stream in one interval.
#[derive(Debug, Clone, Copy)]
struct Arrivals {
    walk_ins: u32,
    booked: u32,
    no_shows: u32,
}

impl Arrivals {
    fn draw(expected: &ExpectedDemand, rng: &mut StdRng) -> Self {
        let booked = poisson(expected.booked, rng);
        let no_show_rate = if expected.booked > 0.0 {
            expected.no_shows / expected.booked
        } else {
            0.0
        };
        Self {
            walk_ins: poisson(expected.walk_ins, rng),
            booked,
            no_shows: binomial(booked, no_show_rate, rng),
        }
    }
}

/// Mean wait of a booked citizen at a counter: called at the booked time, give or take.
const BOOKED_WAIT_MINUTES: f64 = 1.5;
/// How much of the walk-in queue spills onto the booked when the desks are overloaded.
const BOOKED_SHARE_OF_QUEUE: f64 = 0.1;
/// Mean wait for a booked phone or video call to be picked up.
const REMOTE_WAIT_MINUTES: f64 = 0.5;
/// Mean patience of a walk-in: the wait at which 1 − 1/e of them would have given up.
const PATIENCE_MINUTES: f64 = 240.0;

/// What became of one stream's arrivals in one interval.
#[derive(Debug, Clone, Copy)]
struct Outcome {
    served: u32,
    service_seconds: f64,
    wait_seconds: f64,
}

/// Serves one stream's arrivals: who walked away, how long handling and waiting took.
fn serve(stream: &Stream, a: Arrivals, walk_in_wait: f64, rng: &mut StdRng) -> Outcome {
    let (walked_away, booked_wait) = if stream.at_counter {
        let give_up = 1.0 - (-walk_in_wait / PATIENCE_MINUTES).exp();
        let booked_wait = BOOKED_WAIT_MINUTES + BOOKED_SHARE_OF_QUEUE * walk_in_wait;
        (binomial(a.walk_ins, give_up, rng), booked_wait)
    } else {
        (0, REMOTE_WAIT_MINUTES)
    };
    let served_walk_ins = a.walk_ins - walked_away;
    let served_booked = a.booked - a.no_shows;
    let served = served_walk_ins + served_booked;
    let service_seconds: f64 = (0..served).map(|_| stream.service_time.sample(rng)).sum();
    // Each citizen's wait is exponential around the mean, so a total is a gamma draw.
    let wait_seconds = total_of_exponentials(served_walk_ins, walk_in_wait * 60.0, rng)
        + total_of_exponentials(served_booked, booked_wait * 60.0, rng);
    Outcome {
        served,
        service_seconds,
        wait_seconds,
    }
}

/// The mean wait a location's walk-ins meet: expected work left over from earlier intervals,
/// plus the random queueing of an M/M/c system at this interval's occupancy.
#[derive(Debug, Clone)]
struct Queue {
    desks: f64,
    mean_service_minutes: f64,
    /// Desk-minutes of work that arrived but could not yet be served.
    backlog: f64,
}

/// Above this the steady-state formula explodes; the backlog takes over from there.
const MAX_STEADY_OCCUPANCY: f64 = 0.9;
/// Nobody is left waiting longer; the office calls in help.
const MAX_WAIT_MINUTES: f64 = 90.0;

impl Queue {
    fn new(desks: f64, mean_service_minutes: f64) -> Self {
        Self {
            desks,
            mean_service_minutes,
            backlog: 0.0,
        }
    }

    fn capacity(&self) -> f64 {
        self.desks * f64::from(INTERVAL_MINUTES)
    }

    /// Mean wait for a walk-in arriving while `offered` desk-minutes of work arrive.
    fn wait_minutes(&self, offered: f64) -> f64 {
        let occupancy = (offered / self.capacity()).min(MAX_STEADY_OCCUPANCY);
        let steady = steady_wait(occupancy, self.desks) * self.mean_service_minutes;
        (self.backlog / self.desks + steady).min(MAX_WAIT_MINUTES)
    }

    /// Carries the work the desks could not finish in this interval into the next.
    fn advance(&mut self, work: f64) {
        self.backlog = (self.backlog + work - self.capacity()).max(0.0);
    }
}

/// Sakasegawa's approximation of the mean M/M/c wait, in units of the mean service time.
fn steady_wait(occupancy: f64, desks: f64) -> f64 {
    if occupancy <= 0.0 {
        return 0.0;
    }
    occupancy.powf((2.0 * (desks + 1.0)).sqrt() - 1.0) / (desks * (1.0 - occupancy))
}

fn poisson(mean: f64, rng: &mut StdRng) -> u32 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).expect("positive mean").sample(rng) as u32
}

fn binomial(n: u32, p: f64, rng: &mut StdRng) -> u32 {
    if n == 0 || p <= 0.0 {
        return 0;
    }
    Binomial::new(u64::from(n), p.min(1.0))
        .expect("p in 0..=1")
        .sample(rng) as u32
}

fn total_of_exponentials(n: u32, mean: f64, rng: &mut StdRng) -> f64 {
    if n == 0 || mean <= 0.0 {
        return 0.0;
    }
    Gamma::new(f64::from(n), mean)
        .expect("positive shape and scale")
        .sample(rng)
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::sync::OnceLock;

    use chrono::{Duration, NaiveDateTime};

    use super::*;
    use crate::domain::hours::Closure;
    use crate::domain::organisation::{DepartmentSpec, ServiceHoursSpec};

    const SEED: u64 = 7;

    fn date(raw: &str) -> NaiveDate {
        raw.parse().unwrap()
    }

    fn first() -> NaiveDate {
        date("2025-11-01")
    }

    fn last() -> NaiveDate {
        date("2026-10-31")
    }

    fn slug(raw: &str) -> Slug {
        Slug::parse(raw).unwrap()
    }

    fn week(days: &[(Weekday, &str)]) -> WeeklyHours {
        let mut hours = WeeklyHours::default();
        for (day, range) in days {
            hours
                .set_day(*day, vec![TimeRange::parse(range).unwrap()])
                .unwrap();
        }
        hours
    }

    fn service(
        slug_: &str,
        department: &str,
        name_en: &str,
        minutes: u32,
        channel: Channel,
        booking: BookingPolicy,
    ) -> ServiceSpec {
        ServiceSpec {
            slug: slug(slug_),
            name_da: name_en.into(),
            name_en: name_en.into(),
            department: slug(department),
            duration_minutes: minutes,
            buffer_minutes: 0,
            channel,
            booking,
            self_service_url: None,
            queue_prefix: 'A',
            book_ahead_days: 60,
            min_notice_minutes: 60,
            slot_step_minutes: 15,
            priority: 0,
            what_to_bring_da: None,
            what_to_bring_en: None,
            rules: Default::default(),
        }
    }

    fn closures(ranges: &[(&str, &str)]) -> Vec<Closure> {
        ranges
            .iter()
            .map(|(a, b)| Closure::new(date(a), date(b), "Helligdag".into()).unwrap())
            .collect()
    }

    /// Danish public holidays of the window (and the Friday after Ascension).
    const DANISH_HOLIDAYS: [(&str, &str); 6] = [
        ("2025-12-24", "2025-12-26"),
        ("2025-12-31", "2026-01-01"),
        ("2026-04-02", "2026-04-06"),
        ("2026-05-14", "2026-05-15"),
        ("2026-05-25", "2026-05-25"),
        ("2026-06-05", "2026-06-05"),
    ];

    fn location(
        slug_: &str,
        timezone: Tz,
        opening_hours: WeeklyHours,
        services: &[&str],
        service_hours: Vec<ServiceHoursSpec>,
        holidays: &[(&str, &str)],
    ) -> LocationSpec {
        LocationSpec {
            slug: slug(slug_),
            name: slug_.into(),
            address: "Torvet 1".into(),
            timezone,
            opening_hours,
            closures: closures(holidays),
            services: services.iter().map(|s| slug(s)).collect(),
            service_hours,
            desks: Vec::new(),
            capacity: Vec::new(),
        }
    }

    /// A city hall with Høje-Taastrup's hours, a library open till 18:00 and a Nuuk office.
    fn organisation() -> OrganisationSpec {
        use BookingPolicy::*;
        use Channel::*;
        use Weekday::*;
        let services = vec![
            service(
                "borgerservice",
                "borgerservice",
                "Citizen service",
                10,
                InPerson,
                Optional,
            ),
            service("pas", "borgerservice", "Passport", 15, InPerson, Required),
            service(
                "koerekort",
                "borgerservice",
                "Driving licence",
                15,
                InPerson,
                Required,
            ),
            service(
                "sundhedskort",
                "borgerservice",
                "Health card",
                5,
                InPerson,
                WalkInOnly,
            ),
            service(
                "jobsamtale",
                "jobcenter",
                "Job centre meeting",
                30,
                InPerson,
                Required,
            ),
            service(
                "jobsamtale-telefon",
                "jobcenter",
                "Job centre phone meeting",
                20,
                Phone,
                Required,
            ),
            service("byggesag", "byg", "Building permit", 30, InPerson, Required),
        ];
        let city_hall = location(
            "raadhuset",
            chrono_tz::Europe::Copenhagen,
            week(&[
                (Mon, "10:00-14:30"),
                (Tue, "10:00-14:30"),
                (Wed, "10:00-14:30"),
                (Thu, "10:00-17:00"),
                (Fri, "10:00-13:30"),
            ]),
            &[
                "borgerservice",
                "pas",
                "koerekort",
                "sundhedskort",
                "jobsamtale",
                "jobsamtale-telefon",
                "byggesag",
            ],
            vec![ServiceHoursSpec {
                service: slug("byggesag"),
                hours: week(&[
                    (Mon, "10:00-12:00"),
                    (Tue, "10:00-12:00"),
                    (Thu, "10:00-12:00"),
                ]),
            }],
            &DANISH_HOLIDAYS,
        );
        let library = location(
            "hovedbiblioteket",
            chrono_tz::Europe::Copenhagen,
            week(&[
                (Mon, "12:00-18:00"),
                (Tue, "12:00-18:00"),
                (Wed, "12:00-18:00"),
                (Thu, "12:00-18:00"),
                (Fri, "10:00-14:00"),
            ]),
            &["borgerservice", "pas", "sundhedskort"],
            Vec::new(),
            &DANISH_HOLIDAYS,
        );
        let nuuk = location(
            "nuuk",
            chrono_tz::America::Nuuk,
            week(&[
                (Mon, "09:00-15:00"),
                (Tue, "09:00-15:00"),
                (Wed, "09:00-15:00"),
                (Thu, "09:00-15:00"),
                (Fri, "09:00-15:00"),
            ]),
            &["borgerservice", "pas", "jobsamtale"],
            Vec::new(),
            &[
                ("2025-12-24", "2025-12-26"),
                ("2026-01-01", "2026-01-01"),
                ("2026-06-22", "2026-06-22"),
            ],
        );
        OrganisationSpec {
            slug: slug("demo"),
            name: "Demo Kommune".into(),
            departments: ["borgerservice", "jobcenter", "byg"]
                .iter()
                .map(|d| DepartmentSpec {
                    slug: slug(d),
                    name: d.to_string(),
                })
                .collect(),
            services,
            locations: vec![city_hall, library, nuuk],
            staff: Vec::new(),
        }
    }

    fn spec() -> &'static OrganisationSpec {
        static SPEC: OnceLock<OrganisationSpec> = OnceLock::new();
        SPEC.get_or_init(organisation)
    }

    /// The window's history, drawn once and shared by the tests.
    fn history() -> &'static [DemandRecord] {
        static HISTORY: OnceLock<Vec<DemandRecord>> = OnceLock::new();
        HISTORY.get_or_init(|| synthetic_history(spec(), first(), last(), SEED))
    }

    fn location_spec(slug_: &str) -> &'static LocationSpec {
        spec()
            .locations
            .iter()
            .find(|l| l.slug.as_str() == slug_)
            .unwrap()
    }

    fn zone_of(r: &DemandRecord) -> Tz {
        location_spec(r.location.as_str()).timezone
    }

    fn local(r: &DemandRecord) -> NaiveDateTime {
        r.interval_start.with_timezone(&zone_of(r)).naive_local()
    }

    fn clock(raw: &str) -> NaiveTime {
        crate::domain::hours::parse_clock(raw).unwrap()
    }

    /// Local start time within `[from, to)`.
    fn between(r: &DemandRecord, from: &str, to: &str) -> bool {
        let t = local(r).time();
        clock(from) <= t && t < clock(to)
    }

    fn kind_of(r: &DemandRecord) -> ServiceKind {
        ServiceKind::of(
            spec()
                .services
                .iter()
                .find(|s| s.slug == r.service)
                .unwrap(),
        )
    }

    fn total(filter: impl Fn(&DemandRecord) -> bool, value: impl Fn(&DemandRecord) -> u32) -> f64 {
        history()
            .iter()
            .filter(|r| filter(r))
            .map(|r| f64::from(value(r)))
            .sum()
    }

    /// How many location-days the records that pass `filter` fall on.
    fn days(filter: impl Fn(&DemandRecord) -> bool) -> f64 {
        let dates: BTreeSet<(Slug, NaiveDate)> = history()
            .iter()
            .filter(|r| filter(r))
            .map(|r| (r.location.clone(), local(r).date()))
            .collect();
        dates.len() as f64
    }

    /// Arrivals per open day among the records that pass `filter`.
    fn per_day(filter: impl Fn(&DemandRecord) -> bool + Copy) -> f64 {
        total(filter, DemandRecord::arrivals) / days(filter)
    }

    fn at(r: &DemandRecord, location: &str) -> bool {
        r.location.as_str() == location
    }

    fn is(r: &DemandRecord, service: &str) -> bool {
        r.service.as_str() == service
    }

    #[test]
    fn records_fall_on_open_local_quarter_hours() {
        for r in history() {
            let loc = location_spec(r.location.as_str());
            let when = local(r);
            let (day, t) = (when.date(), when.time());
            assert!(
                t.minute() % 15 == 0 && t.second() == 0,
                "{r:?} starts at local {t}"
            );
            assert!(loc.services.contains(&r.service), "{r:?}");
            assert!(
                !loc.closures.iter().any(|c| c.covers(day)),
                "{r:?} on a closure"
            );
            assert!(
                loc.opening_hours
                    .on(day)
                    .iter()
                    .any(|range| range.contains(t)),
                "{r:?} at closed {when}"
            );
            assert!(
                is_open(service_hours(loc, &r.service), day.weekday(), t),
                "{r:?} outside the service's hours"
            );
        }
        // The window crosses daylight-saving changes in both zones.
        for loc in &spec().locations {
            let offsets: BTreeSet<i64> = history()
                .iter()
                .filter(|r| r.location == loc.slug)
                .map(|r| (local(r) - r.interval_start.naive_utc()).num_minutes())
                .collect();
            assert_eq!(offsets.len(), 2, "{}: {offsets:?}", loc.slug);
        }
    }

    #[test]
    fn daylight_saving_moves_the_utc_start_and_keeps_the_local_one() {
        let first_start = |loc: &str, day: &str| {
            open_intervals(location_spec(loc), &slug("borgerservice"), date(day))[0].to_rfc3339()
        };
        // Copenhagen springs forward on Sunday 29 March 2026, Nuuk on Saturday night 28 March.
        assert_eq!(
            first_start("raadhuset", "2026-03-27"),
            "2026-03-27T09:00:00+00:00"
        );
        assert_eq!(
            first_start("raadhuset", "2026-03-30"),
            "2026-03-30T08:00:00+00:00"
        );
        assert_eq!(
            first_start("nuuk", "2026-03-27"),
            "2026-03-27T11:00:00+00:00"
        );
        assert_eq!(
            first_start("nuuk", "2026-03-30"),
            "2026-03-30T10:00:00+00:00"
        );
        assert_eq!(
            first_start("raadhuset", "2026-10-26"),
            "2026-10-26T09:00:00+00:00"
        );

        // Through the night of a change itself: the skipped hour has no intervals, the
        // repeated hour has two of each.
        let mut night = location_spec("raadhuset").clone();
        night.opening_hours = week(&[(Weekday::Sun, "00:00-04:00")]);
        let count = |day: &str| {
            let starts = open_intervals(&night, &slug("borgerservice"), date(day));
            assert!(
                starts
                    .windows(2)
                    .all(|w| w[1] - w[0] == Duration::minutes(15)),
                "{starts:?}"
            );
            starts.len()
        };
        assert_eq!(count("2026-03-22"), 16);
        assert_eq!(count("2026-03-29"), 12);
        assert_eq!(count("2026-10-25"), 20);
    }

    #[test]
    fn open_intervals_respect_service_hours_closures_and_the_menu() {
        let hall = location_spec("raadhuset");
        assert_eq!(
            open_intervals(hall, &slug("borgerservice"), date("2026-03-02")).len(),
            18
        );
        assert_eq!(
            open_intervals(hall, &slug("byggesag"), date("2026-03-02")).len(),
            8
        );
        assert!(
            open_intervals(hall, &slug("byggesag"), date("2026-03-04")).is_empty(),
            "not on Wednesdays"
        );
        assert!(
            open_intervals(hall, &slug("borgerservice"), date("2026-06-05")).is_empty(),
            "Grundlovsdag"
        );
        assert!(
            open_intervals(hall, &slug("borgerservice"), date("2026-03-07")).is_empty(),
            "Saturday"
        );
        assert!(open_intervals(
            location_spec("nuuk"),
            &slug("koerekort"),
            date("2026-03-02")
        )
        .is_empty());
    }

    #[test]
    fn demand_rises_over_lunch_until_two() {
        let general = |r: &DemandRecord| at(r, "raadhuset") && kind_of(r) == ServiceKind::General;
        let mon_to_thu = |r: &DemandRecord| local(r).weekday().num_days_from_monday() < 4;
        // Per quarter hour: 10 quarters in 11:30–14:00, 4 in 10:00–11:00, on every Mon–Thu.
        let lunch = total(
            |r| general(r) && mon_to_thu(r) && between(r, "11:30", "14:00"),
            DemandRecord::arrivals,
        ) / 10.0;
        let morning = total(
            |r| general(r) && mon_to_thu(r) && between(r, "10:00", "11:00"),
            DemandRecord::arrivals,
        ) / 4.0;
        assert!(
            lunch > 1.3 * morning,
            "lunch {lunch:.0} vs morning {morning:.0}"
        );

        // The job centre is the other way round: busiest in the morning.
        let job = |r: &DemandRecord| kind_of(r) == ServiceKind::JobCentre && mon_to_thu(r);
        let job_morning = total(
            |r| job(r) && between(r, "10:00", "11:00"),
            DemandRecord::arrivals,
        );
        let job_afternoon = total(
            |r| job(r) && between(r, "13:00", "14:00"),
            DemandRecord::arrivals,
        );
        assert!(
            job_morning > 1.15 * job_afternoon,
            "{job_morning} vs {job_afternoon}"
        );
    }

    #[test]
    fn late_opening_has_an_after_work_peak() {
        let late =
            |r: &DemandRecord| at(r, "hovedbiblioteket") && local(r).weekday() != Weekday::Fri;
        let evening = total(
            |r| late(r) && between(r, "16:30", "18:00"),
            DemandRecord::arrivals,
        );
        let afternoon = total(
            |r| late(r) && between(r, "15:00", "16:30"),
            DemandRecord::arrivals,
        );
        assert!(
            evening > 1.25 * afternoon,
            "evening {evening} vs afternoon {afternoon}"
        );
    }

    #[test]
    fn mondays_are_busier_than_midweek() {
        let window = |r: &DemandRecord, day: Weekday| {
            at(r, "raadhuset") && local(r).weekday() == day && between(r, "10:00", "13:30")
        };
        let monday = per_day(|r| window(r, Weekday::Mon));
        let wednesday = per_day(|r| window(r, Weekday::Wed));
        assert!(
            monday > 1.25 * wednesday,
            "Monday {monday:.1} vs Wednesday {wednesday:.1}"
        );
    }

    #[test]
    fn first_days_of_the_month_are_busier_most_of_all_at_the_job_centre() {
        // Leave out the postal-vote weeks, which would flatter the middle of the month.
        let ordinary = |r: &DemandRecord| election_factor(local(r).date(), zone_of(r)) == 1.0;
        let early = |r: &DemandRecord| ordinary(r) && local(r).day() <= 3;
        let middle = |r: &DemandRecord| ordinary(r) && (8..=25).contains(&local(r).day());
        let ratio = |of: fn(&DemandRecord) -> bool| {
            per_day(|r| of(r) && early(r)) / per_day(|r| of(r) && middle(r))
        };
        let job = ratio(|r| kind_of(r) == ServiceKind::JobCentre);
        let general = ratio(|r| kind_of(r) == ServiceKind::General);
        assert!(job > 1.3, "job centre {job:.2}");
        assert!(general > 1.08, "general {general:.2}");
        assert!(
            job > general + 0.15,
            "job centre {job:.2} vs general {general:.2}"
        );
    }

    #[test]
    fn june_is_passport_season() {
        let month = |r: &DemandRecord, m: u32| local(r).month() == m;
        let passports = |m: u32| total(|r| is(r, "pas") && month(r, m), DemandRecord::arrivals);
        let general = |m: u32| {
            total(
                |r| is(r, "borgerservice") && month(r, m),
                DemandRecord::arrivals,
            )
        };
        assert!(
            passports(6) >= 1.5 * passports(3),
            "June {} vs March {}",
            passports(6),
            passports(3)
        );
        assert!(
            general(6) < 1.2 * general(3),
            "only passports have a season: {} vs {}",
            general(6),
            general(3)
        );
    }

    #[test]
    fn postal_votes_fill_the_weeks_before_an_election() {
        let election = date("2026-10-27");
        let before = |r: &DemandRecord, from: i64, to: i64| {
            let days = (election - local(r).date()).num_days();
            (from..=to).contains(&days)
        };
        let ratio = |of: fn(&DemandRecord) -> bool| {
            per_day(|r| of(r) && before(r, 2, 14)) / per_day(|r| of(r) && before(r, 22, 42))
        };
        let general = ratio(|r| kind_of(r) == ServiceKind::General);
        let passports = ratio(|r| kind_of(r) == ServiceKind::Passport);
        // The earlier weeks hold the start of October, which lifts them a little too.
        assert!(general > 1.2, "general citizen service {general:.2}");
        assert!(passports < 1.1, "passports do not vote: {passports:.2}");
        assert!(general > passports + 0.2, "{general:.2} vs {passports:.2}");
        assert!(
            election_factor(date("2025-11-14"), chrono_tz::Europe::Copenhagen) > 1.4,
            "the municipal election of 2025 too"
        );
    }

    #[test]
    fn weekly_volumes_are_plausible_and_scale_with_opening_hours() {
        let weeks = ((last() - first()).num_days() + 1) as f64 / 7.0;
        let in_person =
            |r: &DemandRecord| kind_of(r) != ServiceKind::JobCentre || is(r, "jobsamtale");
        let visits =
            |loc: &str| total(|r| at(r, loc) && in_person(r), DemandRecord::arrivals) / weeks;
        let (hall, library) = (visits("raadhuset"), visits("hovedbiblioteket"));
        assert!(
            (300.0..=500.0).contains(&hall),
            "city hall {hall:.0} a week"
        );
        // 28 hours a week against 24.
        let ratio = library / hall;
        assert!(
            (0.9..=1.45).contains(&ratio),
            "library {library:.0} vs city hall {hall:.0}"
        );
    }

    #[test]
    fn booking_policy_sets_the_booked_share_and_phones_have_no_door() {
        let sum = |service: &str, value: fn(&DemandRecord) -> u32| total(|r| is(r, service), value);
        assert_eq!(sum("pas", |r| r.walk_ins), 0.0, "booking required");
        assert_eq!(sum("sundhedskort", |r| r.booked), 0.0, "walk-in only");
        let booked = sum("borgerservice", |r| r.booked);
        let share = booked / (booked + sum("borgerservice", |r| r.walk_ins));
        assert!(
            (0.33..=0.47).contains(&share),
            "optional booking: {share:.2}"
        );
        assert_eq!(sum("jobsamtale-telefon", |r| r.walk_ins), 0.0);
        assert!(sum("jobsamtale-telefon", |r| r.booked) > 100.0);
    }

    #[test]
    fn job_centre_meetings_are_missed_most() {
        let rate = |service: &str| {
            total(|r| is(r, service), |r| r.no_shows) / total(|r| is(r, service), |r| r.booked)
        };
        let job = rate("jobsamtale");
        let passport = rate("pas");
        assert!((0.25..=0.31).contains(&job), "job centre {job:.3}");
        assert!((0.08..=0.15).contains(&passport), "passport {passport:.3}");
    }

    #[test]
    fn service_times_centre_on_the_duration() {
        for service in &spec().services {
            let seconds = total(|r| r.service == service.slug, |r| r.service_seconds);
            let served = total(|r| r.service == service.slug, |r| r.served);
            let mean_minutes = seconds / served / 60.0;
            let expected = f64::from(service.duration_minutes);
            // Four standard errors of a mean of `served` times with this spread.
            let tolerance = 4.0 * SERVICE_TIME_CV / served.sqrt();
            assert!(
                (mean_minutes / expected - 1.0).abs() < tolerance,
                "{}: {mean_minutes:.1} min",
                service.slug
            );
        }
    }

    #[test]
    fn walk_ins_wait_longest_at_peaks_and_booked_citizens_barely_wait() {
        let mean_wait = |filter: &dyn Fn(&DemandRecord) -> bool| {
            total(filter, |r| r.wait_seconds) / total(filter, |r| r.served) / 60.0
        };
        let walk_in = |r: &DemandRecord| at(r, "raadhuset") && is(r, "sundhedskort");
        let peak = mean_wait(&|r| walk_in(r) && between(r, "13:00", "14:00"));
        let quiet = mean_wait(&|r| walk_in(r) && between(r, "10:00", "11:00"));
        assert!(
            peak > 1.5 * quiet,
            "peak {peak:.1} min vs quiet {quiet:.1} min"
        );
        let overall = mean_wait(&|r| is(r, "sundhedskort"));
        assert!(
            (2.0..=20.0).contains(&overall),
            "walk-ins wait {overall:.1} min on average"
        );
        let booked = mean_wait(&|r| is(r, "pas"));
        assert!(
            booked < 0.5 * overall,
            "booked {booked:.1} vs walk-in {overall:.1} min"
        );
    }

    #[test]
    fn counts_are_consistent_and_some_walk_away() {
        for r in history() {
            assert!(r.no_shows <= r.booked, "{r:?}");
            assert!(r.served <= r.arrivals(), "{r:?}");
            assert!(
                r.walk_ins + r.booked > 0,
                "empty intervals are left out: {r:?}"
            );
        }
        let walked_away = total(|_| true, DemandRecord::arrivals) - total(|_| true, |r| r.served);
        assert!(walked_away > 0.0);
        assert!(
            walked_away < 0.05 * total(|_| true, |r| r.walk_ins),
            "{walked_away}"
        );
    }

    #[test]
    fn history_is_the_expected_rate_plus_poisson_noise() {
        let model = DemandModel::new(spec());
        let drawn: HashMap<(&Slug, &Slug, DateTime<Utc>), &DemandRecord> = history()
            .iter()
            .map(|r| ((&r.location, &r.service, r.interval_start), r))
            .collect();
        for loc in &spec().locations {
            for service in &loc.services {
                let (mut expected, mut observed, mut chi2, mut cells) = (0.0, 0.0, 0.0, 0.0);
                // Var[(X − λ)² / λ] = 2 + 1/λ for a Poisson X with mean λ.
                let mut chi2_variance = 0.0;
                for day in first().iter_days().take_while(|d| *d <= last()) {
                    for start in open_intervals(loc, service, day) {
                        let e = model.arrival_rate(&loc.slug, service, start);
                        let o = drawn
                            .get(&(&loc.slug, service, start))
                            .map_or(0.0, |r| f64::from(r.arrivals()));
                        expected += e;
                        observed += o;
                        chi2 += (o - e).powi(2) / e;
                        chi2_variance += 2.0 + 1.0 / e;
                        cells += 1.0;
                    }
                }
                let what = format!("{} {service}", loc.slug);
                // Within four standard deviations of a Poisson total.
                assert!(
                    (observed - expected).abs() < 4.0 * expected.sqrt(),
                    "{what}: {observed} vs {expected:.0}"
                );
                // Poisson: the variance equals the mean, so this averages to 1.
                let dispersion = chi2 / cells;
                let tolerance = 4.0 * chi2_variance.sqrt() / cells;
                assert!(
                    (dispersion - 1.0).abs() < tolerance,
                    "{what}: dispersion {dispersion:.2} ± {tolerance:.2}"
                );
            }
        }
        assert_eq!(
            model.arrival_rate(
                &slug("raadhuset"),
                &slug("pas"),
                "2026-03-07T10:00:00Z".parse().unwrap()
            ),
            0.0,
            "Saturday"
        );
        assert!(
            model
                .expected(
                    &slug("raadhuset"),
                    &slug("pas"),
                    "2026-03-06T09:07:00Z".parse().unwrap()
                )
                .is_none(),
            "not a quarter hour"
        );
    }

    #[test]
    fn same_seed_same_history_whatever_the_range() {
        let week = synthetic_history(spec(), date("2026-03-23"), date("2026-03-29"), SEED);
        let same_days: Vec<&DemandRecord> = history()
            .iter()
            .filter(|r| (date("2026-03-23")..=date("2026-03-29")).contains(&local(r).date()))
            .collect();
        assert_eq!(week.iter().collect::<Vec<_>>(), same_days);
        let other = synthetic_history(spec(), date("2026-03-23"), date("2026-03-29"), SEED + 1);
        assert_ne!(week, other);
    }

    #[test]
    fn queue_waits_grow_steeply_with_load_and_overload_carries_over() {
        let mut queue = Queue::new(2.0, 10.0);
        let light = queue.wait_minutes(10.0);
        let heavy = queue.wait_minutes(27.0);
        assert!(light < 2.0 && heavy > 10.0 * light, "{light} vs {heavy}");
        // Two desks finish 30 desk-minutes a quarter hour; 45 leave 15 for the next.
        queue.advance(45.0);
        assert!((queue.backlog - 15.0).abs() < 1e-9);
        assert!(queue.wait_minutes(0.0) >= 7.5);
        queue.advance(0.0);
        assert_eq!(queue.backlog, 0.0);
    }

    #[test]
    fn service_kinds_are_read_from_the_names() {
        let kind = |slug_: &str, department: &str, name: &str| {
            ServiceKind::of(&service(
                slug_,
                department,
                name,
                10,
                Channel::InPerson,
                BookingPolicy::Optional,
            ))
        };
        assert_eq!(kind("pas", "borgerservice", "Pas"), ServiceKind::Passport);
        assert_eq!(
            kind("nyt-pas", "borgerservice", "Nyt pas"),
            ServiceKind::Passport
        );
        assert_eq!(
            kind("koerekort-fornyelse", "borgerservice", "Kørekort"),
            ServiceKind::DrivingLicence
        );
        assert_eq!(
            kind("samtale", "jobcenter", "Samtale"),
            ServiceKind::JobCentre
        );
        assert_eq!(
            kind("byggesag", "teknik", "Byggesag"),
            ServiceKind::Specialist
        );
        assert_eq!(
            kind("borger-pc", "borgerservice", "Citizen PC"),
            ServiceKind::Specialist
        );
        assert_eq!(
            kind("flytning", "borgerservice", "Moving"),
            ServiceKind::General
        );
        assert_eq!(kind("pasning", "boern", "Childcare"), ServiceKind::General);
    }

    #[test]
    fn elections_are_known_and_in_order() {
        use chrono_tz::{America::Nuuk, Europe::Copenhagen};
        assert!(ELECTIONS.windows(2).all(|w| w[0].date < w[1].date));
        assert!(election_days(Copenhagen).any(|d| d == date("2024-06-09")));
        let lift = |day: &str| election_factor(date(day), Copenhagen);
        assert_eq!(lift("2026-10-27"), 1.0, "voting on the day is at the polls");
        assert_eq!(lift("2026-09-01"), 1.0);
        assert!(lift("2026-10-25") > 1.6);
        assert!(lift("2026-10-06") < lift("2026-10-20"));
        // Greenland votes for the Folketing but not for Danish councils or the EU.
        assert_eq!(
            election_factor(date("2026-10-25"), Nuuk),
            lift("2026-10-25")
        );
        assert_eq!(election_factor(date("2025-11-14"), Nuuk), 1.0);
        assert!(!election_days(Nuuk).any(|d| d == date("2024-06-09")));
    }
}
