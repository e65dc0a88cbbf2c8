//! One errand at one location in the synthetic model: its expected walk-ins, bookings and
//! no-shows in a quarter hour, and how long its citizens take at the desk.

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use rand_distr::LogNormal;

use super::factors::{
    booked_share, calendar_factor, no_show_rate, time_of_day_factor, ServiceKind,
};
use crate::domain::demand::intervals::{is_open, quarters, service_hours};
use crate::domain::hours::WeeklyHours;
use crate::domain::organisation::{LocationSpec, ServiceSpec};

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

/// One errand at one location.
#[derive(Debug, Clone)]
pub(super) struct Stream<'a> {
    pub(super) service: &'a ServiceSpec,
    pub(super) hours: Option<&'a WeeklyHours>,
    pub(super) kind: ServiceKind,
    /// The location's time zone, which decides the elections it votes in.
    pub(super) zone: Tz,
    /// Expected citizens per interval when every factor is 1.
    pub(super) base_rate: f64,
    /// Per weekday, Monday first: the daily curves' means over the open hours.
    pub(super) curve_means: [CurveMeans; 7],
    pub(super) booked_share: f64,
    pub(super) no_show_rate: f64,
    /// In person, so its walk-ins join the location's queue.
    pub(super) at_counter: bool,
    pub(super) service_time: LogNormal<f64>,
}

#[derive(Debug, Clone, Copy)]
pub(super) struct CurveMeans {
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
pub(in crate::domain::demand) const SERVICE_TIME_CV: f64 = 0.4;

impl<'a> Stream<'a> {
    pub(super) fn new(
        service: &'a ServiceSpec,
        location: &'a LocationSpec,
        base_rate: f64,
    ) -> Self {
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
            at_counter: service.channel.served_at_desk(),
            service_time: LogNormal::from_mean_cv(mean_seconds, SERVICE_TIME_CV)
                .expect("positive mean"),
        }
    }

    pub(super) fn is_open(&self, weekday: Weekday, t: NaiveTime) -> bool {
        is_open(self.hours, weekday, t)
    }

    pub(super) fn expected(&self, date: NaiveDate, t: NaiveTime) -> ExpectedDemand {
        self.shaped(
            self.base_rate * calendar_factor(self.kind, date, self.zone),
            date.weekday(),
            t,
        )
    }

    /// Splits a level into walk-ins, which follow the daily curve, and bookings, which the
    /// booking calendar spreads more evenly (the square root of the curve). Both curves are
    /// scaled to average 1 over the day's open hours, so that the level is the day's mean.
    pub(super) fn shaped(&self, level: f64, weekday: Weekday, t: NaiveTime) -> ExpectedDemand {
        let curve = time_of_day_factor(self.kind, t);
        let means = self.curve_means[weekday.num_days_from_monday() as usize];
        let booked = level * curve.sqrt() / means.booked * self.booked_share;
        ExpectedDemand {
            walk_ins: level * curve / means.walk_ins * (1.0 - self.booked_share),
            booked,
            no_shows: booked * self.no_show_rate,
        }
    }

    pub(super) fn mean_service_minutes(&self) -> f64 {
        f64::from(self.service.duration_minutes)
    }

    /// Expected desk-minutes of walk-in work in the location's queue.
    pub(super) fn walk_in_work(&self, expected: &ExpectedDemand) -> f64 {
        if self.at_counter {
            expected.walk_ins * self.mean_service_minutes()
        } else {
            0.0
        }
    }
}
