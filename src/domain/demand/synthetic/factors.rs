//! The factors that shape synthetic demand: the kind of errand, the time of day, the
//! calendar (weekday, start of month, season, postal votes) and the booking policy.

use chrono::{Datelike, NaiveDate, NaiveTime, Timelike};
use chrono_tz::Tz;

use crate::domain::demand::elections::{
    postal_voting_days_before, POSTAL_VOTES_FROM_DAYS, POSTAL_VOTES_UNTIL_DAYS,
};
use crate::domain::demand::record::INTERVAL_MINUTES;
use crate::domain::organisation::{BookingPolicy, ServiceSpec};

/// Citizens per open hour at a location, over all its errands: Fredericia's 2,200 visits a
/// week over 6 receptions is about 370 each, i.e. about 16 an hour for a city hall open
/// 24 hours a week.
pub const VISITS_PER_OPEN_HOUR: f64 = 16.0;

/// Of an errand where booking is optional, the share that book (Copenhagen's goal is half).
pub const OPTIONAL_BOOKED_SHARE: f64 = 0.4;

/// Extra general citizen-service demand on the last postal-voting day.
const POSTAL_VOTE_LIFT: f64 = 0.7;

/// Demand of general citizen service on local `date` in `zone` relative to a day without an
/// election near: rising linearly through the postal-voting weeks to a peak on the last day.
pub fn election_factor(date: NaiveDate, zone: Tz) -> f64 {
    let span = (POSTAL_VOTES_FROM_DAYS + 1 - POSTAL_VOTES_UNTIL_DAYS) as f64;
    postal_voting_days_before(date, zone)
        .map(|before| 1.0 + POSTAL_VOTE_LIFT * (POSTAL_VOTES_FROM_DAYS + 1 - before) as f64 / span)
        .fold(1.0, f64::max)
}

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

    /// Whether postal votes are cast at this errand's desks, so that elections lift it.
    fn takes_postal_votes(self) -> bool {
        match self {
            Self::General => true,
            Self::Passport | Self::DrivingLicence | Self::JobCentre | Self::Specialist => false,
        }
    }

    /// Relative share of a location's visits.
    pub(super) fn weight(self) -> f64 {
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
    let election = if kind.takes_postal_votes() {
        election_factor(date, zone)
    } else {
        1.0
    };
    weekday * month_start * kind.season(date.month()) * election
}

/// The share of an errand's citizens who come by booking. Phone and video meetings have no
/// door to walk in at, so all of them are booked whatever the policy says.
pub fn booked_share(service: &ServiceSpec) -> f64 {
    if !service.channel.served_at_desk() {
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
