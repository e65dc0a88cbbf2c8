//! What-if scenarios: changes a planner considers (an errand made booking-only, a location
//! closed, shorter hours, staff more or fewer, demand up or down), applied to a week's
//! forecast and staff before it is planned, so that each can be compared with the week as it is.

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate, NaiveTime, Weekday};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use crate::domain::forecast::IntervalForecast;
use crate::domain::organisation::BookingPolicy;
use crate::domain::roster::Worker;
use crate::domain::{FieldError, Slug};

/// One scenario: a name and the changes it makes to the week as it is.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    /// An errand's booking policy changed.
    #[serde(default)]
    pub policy: Vec<PolicyChange>,
    /// A location closed on some days.
    #[serde(default)]
    pub closed: Vec<Closure>,
    /// A location's opening hours narrowed on some weekdays.
    #[serde(default)]
    pub hours: Vec<HoursChange>,
    /// Staff more (positive) or fewer (negative) than the organisation has.
    #[serde(default)]
    pub staff: i32,
    /// An errand's demand changed by a percentage.
    #[serde(default)]
    pub demand: Vec<DemandChange>,
}

/// `{service = "pas", booking = "required", moves_online = 0.1}`: every location, or one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyChange {
    #[schema(value_type = String)]
    pub service: Slug,
    #[schema(value_type = Option<String>)]
    pub location: Option<Slug>,
    pub booking: BookingPolicy,
    /// Share of the errand's citizens who use the self-service instead (0 to 1).
    #[serde(default)]
    pub moves_online: f64,
}

/// `{location = "bibliotek", dates = ["2027-04-09"]}`: the citizens of those days are lost
/// to the counters (they are not moved to other days or locations).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Closure {
    #[schema(value_type = String)]
    pub location: Slug,
    #[schema(value_type = Vec<String>, format = Date)]
    pub dates: Vec<NaiveDate>,
}

/// `{location = "raadhuset", weekdays = ["fri"], open = "10:00", close = "14:00"}`: the
/// citizens who came outside the new hours come within them on the same day instead.
/// Hours can only narrow: the forecast knows no demand outside the hours as they are.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct HoursChange {
    #[schema(value_type = String)]
    pub location: Slug,
    #[schema(value_type = Vec<String>)]
    pub weekdays: Vec<Weekday>,
    #[schema(value_type = String)]
    pub open: NaiveTime,
    #[schema(value_type = String)]
    pub close: NaiveTime,
}

/// `{service = "pas", percent = 20}`: every location, or one.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DemandChange {
    #[schema(value_type = String)]
    pub service: Slug,
    #[schema(value_type = Option<String>)]
    pub location: Option<Slug>,
    pub percent: f64,
}

/// What the scenarios may name: the week's locations (with their zones), errands and staff.
pub struct Known<'a> {
    pub zones: &'a HashMap<Slug, Tz>,
    pub services: &'a [Slug],
    pub staff: usize,
}

/// The week's demand after a scenario, and the citizens it sends to the self-service.
#[derive(Debug, Clone, PartialEq)]
pub struct Adjusted {
    pub demand: Vec<IntervalForecast>,
    /// Expected citizens per errand who use the self-service instead of a counter.
    pub online: BTreeMap<Slug, f64>,
}

impl Scenario {
    /// Every problem with the scenario, each named by its field under `prefix`.
    pub fn check(&self, known: &Known, prefix: &str) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let mut error = |field: String, message: String| {
            errors.push(FieldError::new(format!("{prefix}{field}"), message))
        };
        if self.name.trim().is_empty() {
            error("name".into(), "must not be empty".into());
        }
        let location = |slug: &Slug| known.zones.contains_key(slug);
        let service = |slug: &Slug| known.services.contains(slug);
        for (i, p) in self.policy.iter().enumerate() {
            if !service(&p.service) {
                error(format!("policy[{i}].service"), unknown_service(&p.service));
            }
            if let Some(l) = p.location.as_ref().filter(|l| !location(l)) {
                error(format!("policy[{i}].location"), unknown_location(l));
            }
            if !(0.0..=1.0).contains(&p.moves_online) {
                error(
                    format!("policy[{i}].moves_online"),
                    format!("must be a share from 0 to 1, not {}", p.moves_online),
                );
            }
        }
        for (i, c) in self.closed.iter().enumerate() {
            if !location(&c.location) {
                error(
                    format!("closed[{i}].location"),
                    unknown_location(&c.location),
                );
            }
        }
        for (i, h) in self.hours.iter().enumerate() {
            if !location(&h.location) {
                error(
                    format!("hours[{i}].location"),
                    unknown_location(&h.location),
                );
            }
            if h.open >= h.close {
                error(
                    format!("hours[{i}].close"),
                    format!("must be after open ({}), not {}", h.open, h.close),
                );
            }
        }
        for (i, d) in self.demand.iter().enumerate() {
            if !service(&d.service) {
                error(format!("demand[{i}].service"), unknown_service(&d.service));
            }
            if let Some(l) = d.location.as_ref().filter(|l| !location(l)) {
                error(format!("demand[{i}].location"), unknown_location(l));
            }
            if !(d.percent.is_finite() && d.percent >= -100.0) {
                error(
                    format!("demand[{i}].percent"),
                    format!("must be -100 or more, not {}", d.percent),
                );
            }
        }
        if self.staff < 0 && self.staff.unsigned_abs() as usize >= known.staff {
            error(
                "staff".into(),
                format!(
                    "{} fewer would leave nobody of the {} staff",
                    self.staff.unsigned_abs(),
                    known.staff
                ),
            );
        }
        errors
    }

    /// The week's demand as the scenario changes it. Demand changes first, then policies,
    /// then hours and closures.
    pub fn adjust_demand(
        &self,
        demand: &[IntervalForecast],
        zones: &HashMap<Slug, Tz>,
    ) -> Adjusted {
        let mut demand = demand.to_vec();
        let mut online: BTreeMap<Slug, f64> = BTreeMap::new();
        for f in &mut demand {
            let factor: f64 = self
                .demand
                .iter()
                .filter(|d| applies(f, &d.service, &d.location))
                .map(|d| 1.0 + d.percent / 100.0)
                .product();
            f.walk_ins *= factor;
            f.booked *= factor;
            let policies: Vec<&PolicyChange> = self
                .policy
                .iter()
                .filter(|p| applies(f, &p.service, &p.location))
                .collect();
            for p in policies {
                let gone = (f.walk_ins + f.booked) * p.moves_online;
                *online.entry(f.service.clone()).or_default() += gone;
                f.walk_ins *= 1.0 - p.moves_online;
                f.booked *= 1.0 - p.moves_online;
                match p.booking {
                    BookingPolicy::Required => {
                        f.booked += f.walk_ins;
                        f.walk_ins = 0.0;
                    }
                    BookingPolicy::WalkInOnly => {
                        f.walk_ins += f.booked;
                        f.booked = 0.0;
                    }
                    BookingPolicy::Optional => {}
                }
            }
        }
        for h in &self.hours {
            narrow_hours(&mut demand, h, zones[&h.location]);
        }
        demand.retain(|f| {
            !self.closed.iter().any(|c| {
                c.location == f.location
                    && c.dates
                        .contains(&f.start.with_timezone(&zones[&f.location]).date_naive())
            })
        });
        Adjusted { demand, online }
    }

    /// The staff as the scenario changes them: those who leave, or the newcomers (copies
    /// of colleagues' contracts, skills and home), are spread evenly over the staff list.
    pub fn adjust_staff(&self, workers: &[Worker]) -> Vec<Worker> {
        let mut workers = workers.to_vec();
        workers.sort_by(|a, b| a.name.cmp(&b.name));
        let n = self.staff.unsigned_abs() as usize;
        if n == 0 || workers.is_empty() {
            return workers;
        }
        let picked: Vec<usize> = (0..n).map(|i| i * workers.len() / n).collect();
        if self.staff < 0 {
            let mut index = 0;
            workers.retain(|_| {
                index += 1;
                !picked.contains(&(index - 1))
            });
        } else {
            let newcomers: Vec<Worker> = picked
                .iter()
                .enumerate()
                .map(|(k, &i)| Worker {
                    name: format!("ny-{}", k + 1),
                    absences: Vec::new(),
                    ..workers[i].clone()
                })
                .collect();
            workers.extend(newcomers);
        }
        workers
    }
}

fn applies(f: &IntervalForecast, service: &Slug, location: &Option<Slug>) -> bool {
    &f.service == service && location.as_ref().is_none_or(|l| l == &f.location)
}

fn unknown_service(slug: &Slug) -> String {
    format!("there is no errand '{slug}' at the planned locations")
}

fn unknown_location(slug: &Slug) -> String {
    format!("there is no planned location '{slug}'")
}

/// Moves each errand's demand outside the new hours into its intervals within them, on the
/// same day and in proportion to what they had; a day with no interval left loses it.
fn narrow_hours(demand: &mut [IntervalForecast], change: &HoursChange, zone: Tz) {
    let day_of = |f: &IntervalForecast| {
        let local = f.start.with_timezone(&zone);
        (local.date_naive(), local.time())
    };
    let mut days: BTreeMap<(Slug, NaiveDate), Vec<usize>> = BTreeMap::new();
    for (i, f) in demand.iter().enumerate() {
        let (date, _) = day_of(f);
        if f.location == change.location && change.weekdays.contains(&date.weekday()) {
            days.entry((f.service.clone(), date)).or_default().push(i);
        }
    }
    for indices in days.values() {
        let inside = |i: &usize| {
            let (_, time) = day_of(&demand[*i]);
            change.open <= time && time < change.close
        };
        let (kept, moved): (Vec<usize>, Vec<usize>) = indices.iter().partition(|i| inside(i));
        for part in [Part::WalkIns, Part::Booked] {
            let total = |list: &[usize]| -> f64 { list.iter().map(|i| part.of(&demand[*i])).sum() };
            let (extra, base) = (total(&moved), total(&kept));
            for i in &moved {
                *part.of_mut(&mut demand[*i]) = 0.0;
            }
            for i in &kept {
                let share = if base > 0.0 {
                    part.of(&demand[*i]) / base
                } else {
                    1.0 / kept.len() as f64
                };
                *part.of_mut(&mut demand[*i]) += extra * share;
            }
        }
    }
}

/// The two kinds of citizens a forecast counts.
#[derive(Clone, Copy)]
enum Part {
    WalkIns,
    Booked,
}

impl Part {
    fn of(self, f: &IntervalForecast) -> f64 {
        match self {
            Self::WalkIns => f.walk_ins,
            Self::Booked => f.booked,
        }
    }

    fn of_mut(self, f: &mut IntervalForecast) -> &mut f64 {
        match self {
            Self::WalkIns => &mut f.walk_ins,
            Self::Booked => &mut f.booked,
        }
    }
}

#[cfg(test)]
mod tests;
