//! One location in the synthetic model: its errands, the fixed weekly desk template that
//! serves its walk-ins, and the simulation of a day there, quarter hour by quarter hour.

use chrono::{DateTime, Datelike, NaiveDate, NaiveTime, Utc, Weekday};
use rand::rngs::StdRng;

use super::arrivals::{serve, Arrivals};
use super::factors::{ServiceKind, VISITS_PER_OPEN_HOUR};
use super::queue::Queue;
use super::stream::{ExpectedDemand, Stream};
use crate::domain::demand::intervals::{open_starts, quarters};
use crate::domain::demand::record::{DemandRecord, INTERVAL_MINUTES};
use crate::domain::organisation::{Channel, LocationSpec, OrganisationSpec, ServiceSpec};

#[derive(Debug, Clone)]
pub(super) struct LocationModel<'a> {
    pub(super) spec: &'a LocationSpec,
    pub(super) streams: Vec<Stream<'a>>,
    /// Desks serving walk-ins per weekday, Monday first.
    pub(super) desks: [u32; 7],
    /// Mean handling time of a walk-in, in minutes.
    pub(super) mean_service_minutes: f64,
}

/// Occupancy that the weekly desk template was sized for, on an ordinary day.
const TEMPLATE_OCCUPANCY: f64 = 0.65;
const INTERVALS_PER_HOUR: f64 = 60.0 / INTERVAL_MINUTES as f64;

impl<'a> LocationModel<'a> {
    pub(super) fn new(org: &'a OrganisationSpec, spec: &'a LocationSpec) -> Self {
        let offered: Vec<&ServiceSpec> = org
            .services
            .iter()
            .filter(|s| spec.services.contains(&s.slug))
            .collect();
        // The visits are shared among the errands met in person; phone and video meetings
        // come on top at the same scale, since they are not visits.
        let in_person: f64 = offered
            .iter()
            .filter(|s| s.channel.served_at_desk())
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

    pub(super) fn simulate_day(
        &self,
        date: NaiveDate,
        rng: &mut Draws,
        out: &mut Vec<DemandRecord>,
    ) {
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
        rng: &mut Draws,
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
            .map(|(s, e)| (*s, Arrivals::draw(e, rng.of(s))))
            .collect();
        queue.advance(offered);
        for (stream, a) in arrivals {
            if a.walk_ins + a.booked == 0 {
                continue;
            }
            let done = serve(stream, a, walk_in_wait, rng.of(stream));
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

/// The random draws of one location-day. Video meetings draw from a generator of their
/// own, so that offering one leaves the rest of the day's history exactly as it was.
pub(super) struct Draws {
    pub(super) rest: StdRng,
    pub(super) video: StdRng,
}

impl Draws {
    fn of(&mut self, stream: &Stream) -> &mut StdRng {
        match stream.service.channel {
            Channel::Video => &mut self.video,
            Channel::InPerson | Channel::Phone => &mut self.rest,
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
