//! The staffing requirement: from the forecast, how many desks each location needs in each
//! interval, and how many staff that means.
//!
//! Booked appointments are not queued: each citizen who comes (the booked less the
//! no-shows) holds a desk for the handling time, starting in the interval they booked and
//! running into the next ones when it is longer. That load is fixed and rounded up to whole
//! desks. Only the walk-in stream queues at random, so only it is sized by Erlang — C, or A
//! when a patience is given — against the target and the maximum occupancy. Shrinkage (the
//! share of paid time not at a desk) then turns desks into staff to schedule.
//!
//! Only errands served at a staffed counter load the counters ([`ErrandLoad`]): an errand
//! served only at resource desks (a citizen PC) needs no staff, and phone and video
//! meetings are held by the people who have them, in the back office, wherever they are on
//! duty. Each counter errand forecast in an interval needs someone on duty who can handle
//! it, and the back-office meetings need as many of their holders as they take
//! ([`errand_needs`]).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use super::erlang::{self, ErlangError, Load, Target};
use super::forecast::IntervalForecast;
use super::organisation::Channel;
use super::roster::SkillNeed;
use super::Slug;

/// Where an errand offered at a location puts its load.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrandLoad {
    /// Citizens at a staffed counter: sized by Erlang, covered by counter staff.
    Counter,
    /// Citizens at a resource desk on their own (a citizen PC): no staff.
    Unstaffed,
    /// Phone and video meetings: appointments of the staff who hold them.
    BackOffice,
}

impl ErrandLoad {
    /// `at_counter`: whether a staffed counter at the location serves the errand.
    pub fn of(channel: Channel, at_counter: bool) -> Self {
        match (channel.served_at_desk(), at_counter) {
            (false, _) => Self::BackOffice,
            (true, true) => Self::Counter,
            (true, false) => Self::Unstaffed,
        }
    }
}

/// Expected citizens below which an errand counts as not forecast in an interval.
const FORECAST_FLOOR: f64 = 0.01;

/// The errands to cover: one person who can handle it for each counter errand forecast in
/// an interval (`counter`), and for back-office meetings (`back_office`) as many holders
/// as the appointments booked then occupy.
pub fn errand_needs(
    counter: &[IntervalForecast],
    back_office: &[IntervalForecast],
) -> Result<Vec<SkillNeed>, ErlangError> {
    let mut out: Vec<SkillNeed> = counter
        .iter()
        .filter(|f| f.walk_ins + booked_who_come(f) > FORECAST_FLOOR)
        .map(|f| SkillNeed {
            location: f.location.clone(),
            start: f.start,
            service: f.service.clone(),
            staff: 1,
        })
        .collect();
    let mut by_service: BTreeMap<&Slug, Vec<IntervalForecast>> = BTreeMap::new();
    for f in back_office {
        by_service.entry(&f.service).or_default().push(f.clone());
    }
    for (service, forecast) in by_service {
        // Booked meetings hold their holder for the meeting; none are held open for nobody.
        let policy = StaffingPolicy {
            min_desks_open: 0,
            ..StaffingPolicy::new(Target::average_wait(60.0)?)
        };
        for r in requirements(&forecast, &policy)? {
            if r.desks > 0 {
                out.push(SkillNeed {
                    location: r.location,
                    start: r.start,
                    service: service.clone(),
                    staff: r.desks,
                });
            }
        }
    }
    Ok(out)
}

/// How the requirement is sized.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StaffingPolicy {
    pub target: Target,
    /// Highest share of time a walk-in desk may be busy.
    pub max_occupancy: Option<f64>,
    /// Share of paid time not at a desk (0 to below 1).
    pub shrinkage: f64,
    /// Mean patience of a waiting walk-in (Erlang A); `None` is Erlang C.
    pub patience_minutes: Option<f64>,
    /// Desks kept open while the location is open, however quiet: someone must be at the
    /// counter when the door is open.
    pub min_desks_open: u32,
}

impl StaffingPolicy {
    pub fn new(target: Target) -> Self {
        Self {
            target,
            max_occupancy: None,
            shrinkage: 0.0,
            patience_minutes: None,
            min_desks_open: 1,
        }
    }
}

/// What one location needs in one interval.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Requirement {
    pub location: Slug,
    pub start: DateTime<Utc>,
    pub interval_minutes: u32,
    /// Expected citizens arriving: walk-ins and the booked who come.
    pub arrivals: f64,
    /// Desks held by booked citizens.
    pub booked_desks: u32,
    /// Desks for the walk-in queue to meet the target.
    pub walk_in_desks: u32,
    /// All desks to open.
    pub desks: u32,
    /// Staff to schedule for those desks after shrinkage.
    pub staff: u32,
}

#[derive(Default, Clone, Copy)]
struct Cell {
    interval_minutes: u32,
    walk_ins: f64,
    /// Walk-in minutes of work, for the mean handling time of the stream.
    walk_in_work: f64,
    attended: f64,
    /// Erlangs of booked work that fall into this interval.
    booked_load: f64,
}

/// The requirement per location and interval of the forecast, in time order per location.
pub fn requirements(
    forecast: &[IntervalForecast],
    policy: &StaffingPolicy,
) -> Result<Vec<Requirement>, ErlangError> {
    let mut cells: BTreeMap<(Slug, DateTime<Utc>), Cell> = BTreeMap::new();
    for f in forecast {
        let cell = cells.entry((f.location.clone(), f.start)).or_default();
        cell.interval_minutes = f.interval_minutes.max(1);
        if f.mean_service_minutes > 0.0 {
            cell.walk_ins += f.walk_ins.max(0.0);
            cell.walk_in_work += f.walk_ins.max(0.0) * f.mean_service_minutes;
        }
        cell.attended += booked_who_come(f);
    }
    // A second pass, once every open interval has its cell: appointments spill into the
    // intervals after their start, but not past closing (no cell there).
    for f in forecast {
        let minutes = f64::from(f.interval_minutes.max(1));
        let step = Duration::minutes(i64::from(f.interval_minutes.max(1)));
        let attended = booked_who_come(f);
        let (mut left, mut start) = (f.mean_service_minutes.max(0.0), f.start);
        while left > 1e-9 && attended > 0.0 {
            let part = left.min(minutes);
            if let Some(cell) = cells.get_mut(&(f.location.clone(), start)) {
                cell.booked_load += attended * part / minutes;
            }
            left -= part;
            start += step;
        }
    }
    cells
        .into_iter()
        .map(|((location, start), cell)| requirement(location, start, &cell, policy))
        .collect()
}

fn booked_who_come(f: &IntervalForecast) -> f64 {
    (f.booked * (1.0 - f.no_show_rate.clamp(0.0, 1.0))).max(0.0)
}

fn requirement(
    location: Slug,
    start: DateTime<Utc>,
    cell: &Cell,
    policy: &StaffingPolicy,
) -> Result<Requirement, ErlangError> {
    // A hundredth of a desk's work is rounding noise in a forecast, not a desk to open.
    let booked_desks = (cell.booked_load - 0.01).ceil().max(0.0) as u32;
    let walk_in_desks = if cell.walk_ins > 1e-9 {
        let load = Load::new(
            cell.walk_ins,
            f64::from(cell.interval_minutes),
            cell.walk_in_work / cell.walk_ins,
            policy.patience_minutes,
        )?;
        erlang::required(&load, &policy.target, policy.max_occupancy, 0.0)?.raw_positions
    } else {
        0
    };
    let desks = (booked_desks + walk_in_desks).max(policy.min_desks_open);
    Ok(Requirement {
        location,
        start,
        interval_minutes: cell.interval_minutes,
        arrivals: cell.walk_ins + cell.attended,
        booked_desks,
        walk_in_desks,
        desks,
        staff: staff_for(desks, policy.shrinkage)?,
    })
}

/// Staff to schedule so that `desks` stay open when a share `shrinkage` of paid time is lost.
pub fn staff_for(desks: u32, shrinkage: f64) -> Result<u32, ErlangError> {
    if !(0.0..1.0).contains(&shrinkage) {
        return Err(ErlangError::Invalid {
            field: "shrinkage",
            message: format!("must be at least 0 and below 1, not {shrinkage}"),
        });
    }
    let exact = f64::from(desks) / (1.0 - shrinkage);
    // 14 / 0.7 is 20.000000000000004 in binary: no reason to schedule one more person.
    Ok((exact - 1e-6).ceil() as u32)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(minute: i64) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2027, 3, 1, 9, 0, 0).unwrap() + Duration::minutes(minute)
    }

    fn row(minute: i64, walk_ins: f64, booked: f64, minutes: f64) -> IntervalForecast {
        IntervalForecast {
            location: Slug::parse("raadhuset").unwrap(),
            service: Slug::parse("pas").unwrap(),
            start: at(minute),
            interval_minutes: 30,
            walk_ins,
            booked,
            no_show_rate: 0.0,
            mean_service_minutes: minutes,
        }
    }

    fn policy() -> StaffingPolicy {
        StaffingPolicy {
            min_desks_open: 0,
            ..StaffingPolicy::new(Target::service_level(0.8, 20.0).unwrap())
        }
    }

    #[test]
    fn walk_ins_alone_are_sized_by_erlang_c() {
        // The published example: 100 calls in 30 minutes of 3 minutes at 80 % in 20 s.
        let req = requirements(&[row(0, 100.0, 0.0, 3.0)], &policy()).unwrap();
        assert_eq!(req.len(), 1);
        assert_eq!((req[0].walk_in_desks, req[0].booked_desks), (14, 0));
        assert_eq!(req[0].desks, 14);
    }

    #[test]
    fn shrinkage_turns_desks_into_staff() {
        let p = StaffingPolicy {
            shrinkage: 0.3,
            ..policy()
        };
        let req = requirements(&[row(0, 100.0, 0.0, 3.0)], &p).unwrap();
        assert_eq!((req[0].desks, req[0].staff), (14, 20));
        assert!(staff_for(3, 1.0).is_err());
    }

    #[test]
    fn bookings_are_a_fixed_load_over_their_handling_time() {
        // 6 booked of whom a third stay away, 45 minutes each: 4 citizens hold 4 desks for
        // the whole first interval and half of the second — 4 desks, then 2.
        let mut booked = row(0, 0.0, 6.0, 45.0);
        booked.no_show_rate = 1.0 / 3.0;
        let req = requirements(&[booked, row(30, 0.0, 0.0, 45.0)], &policy()).unwrap();
        assert_eq!(
            req.iter().map(|r| r.booked_desks).collect::<Vec<_>>(),
            [4, 2]
        );
        assert!(req.iter().all(|r| r.walk_in_desks == 0));
        // The walk-ins are sized on top, by themselves.
        let mut both = row(0, 100.0, 6.0, 3.0);
        both.no_show_rate = 0.5;
        let req = requirements(&[both], &policy()).unwrap();
        assert_eq!((req[0].booked_desks, req[0].walk_in_desks), (1, 14));
        assert_eq!(req[0].desks, 15);
    }

    #[test]
    fn bookings_do_not_spill_past_closing() {
        let req = requirements(&[row(0, 0.0, 2.0, 90.0)], &policy()).unwrap();
        assert_eq!(req.len(), 1);
        assert_eq!(req[0].booked_desks, 2);
    }

    #[test]
    fn services_of_a_location_share_one_walk_in_queue() {
        let mut other = row(0, 50.0, 0.0, 3.0);
        other.service = Slug::parse("koerekort").unwrap();
        let req = requirements(&[row(0, 50.0, 0.0, 3.0), other], &policy()).unwrap();
        assert_eq!(req.len(), 1);
        assert_eq!(req[0].walk_in_desks, 14);
    }

    #[test]
    fn an_open_quiet_interval_keeps_the_minimum_and_patience_lowers_the_need() {
        let open = StaffingPolicy::new(Target::service_level(0.8, 20.0).unwrap());
        let req = requirements(&[row(0, 0.0, 0.0, 3.0)], &open).unwrap();
        assert_eq!(req[0].desks, 1);
        let impatient = StaffingPolicy {
            patience_minutes: Some(1.0),
            ..policy()
        };
        let with = requirements(&[row(0, 100.0, 0.0, 3.0)], &impatient).unwrap();
        assert!(with[0].walk_in_desks <= 14, "{}", with[0].walk_in_desks);
        let busy = StaffingPolicy {
            max_occupancy: Some(0.5),
            ..policy()
        };
        let with = requirements(&[row(0, 100.0, 0.0, 3.0)], &busy).unwrap();
        assert_eq!(with[0].walk_in_desks, 20);
    }

    #[test]
    fn only_counter_errands_load_the_counters() {
        assert_eq!(ErrandLoad::of(Channel::InPerson, true), ErrandLoad::Counter);
        assert_eq!(
            ErrandLoad::of(Channel::InPerson, false),
            ErrandLoad::Unstaffed
        );
        assert_eq!(ErrandLoad::of(Channel::Phone, true), ErrandLoad::BackOffice);
        assert_eq!(
            ErrandLoad::of(Channel::Video, false),
            ErrandLoad::BackOffice
        );
    }

    #[test]
    fn each_forecast_errand_needs_a_holder_and_meetings_their_time() {
        let mut quiet = row(15, 0.0, 0.0, 3.0);
        quiet.service = Slug::parse("byggesag").unwrap();
        let counter = [row(0, 2.0, 0.0, 3.0), quiet];
        // Two meetings of 30 minutes booked at 09:00: two holders for two quarter hours.
        let mut phone = row(0, 0.0, 2.0, 30.0);
        phone.service = Slug::parse("jobsamtale").unwrap();
        let mut later = row(15, 0.0, 0.0, 30.0);
        later.service = phone.service.clone();
        let mut free = row(30, 0.0, 0.0, 30.0);
        free.service = phone.service.clone();
        for r in [&mut phone, &mut later, &mut free] {
            r.interval_minutes = 15;
        }
        let needs = errand_needs(&counter, &[phone, later, free]).unwrap();
        let pas: Vec<_> = needs
            .iter()
            .filter(|n| n.service.as_str() == "pas")
            .collect();
        assert_eq!(pas.len(), 1);
        assert_eq!((pas[0].start, pas[0].staff), (at(0), 1));
        assert!(!needs.iter().any(|n| n.service.as_str() == "byggesag"));
        let meetings: Vec<(DateTime<Utc>, u32)> = needs
            .iter()
            .filter(|n| n.service.as_str() == "jobsamtale")
            .map(|n| (n.start, n.staff))
            .collect();
        assert_eq!(meetings, vec![(at(0), 2), (at(15), 2)]);
    }
}
