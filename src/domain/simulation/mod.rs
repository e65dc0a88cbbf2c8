//! Discrete-event simulation of planned days: how long citizens would wait with the desks a
//! roster puts at each location, before the days come.
//!
//! Per location, citizens arrive from the forecast: walk-ins as a Poisson process whose
//! rate changes from interval to interval (the count in an interval is Poisson, the times
//! uniform in it), and booked citizens at their booked times, each coming with the chance
//! of not being a no-show (a few minutes early, as people do). Handling times are
//! exponential around the errand's mean, as Erlang C assumes, so the simulation and the
//! staffing requirement speak of the same queue (real handling times vary less, so this
//! errs on the side of longer waits).
//!
//! Desks call by the call-next rule of `domain::queue`: checked-in appointments whose time
//! has come (earliest booking first), then the walk-in who has waited longest, then
//! appointments checked in early when nothing else waits. The number of desks follows the
//! roster interval by interval; a desk that closes finishes its citizen first. Citizens are
//! carried across interval boundaries, and those still inside at closing are served by the
//! last interval's desks (at least one). Each citizen's wait is counted in the interval they
//! arrived in (appointments: the interval of their booked time, from that time).

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use rand_distr::{Distribution, Exp, Poisson};

use super::erlang::{Goal, Target};
use super::forecast::IntervalForecast;
use super::Slug;

/// Desks staffed at a location in one interval (from a roster).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct StaffedInterval {
    pub location: crate::domain::Slug,
    pub start: chrono::DateTime<chrono::Utc>,
    pub desks: u32,
}

/// What the simulation saw in one interval at one location (waits of the walk-ins and
/// checked-in appointments that arrived in it).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SimulatedInterval {
    pub location: crate::domain::Slug,
    pub start: chrono::DateTime<chrono::Utc>,
    pub mean_wait_minutes: f64,
    /// Share of arrivals served within the target's time (1.0 for an average-wait target
    /// that is met and 0.0 when not, if the target has no time).
    pub served_within_share: f64,
    pub met: bool,
    /// Citizens served, summed over the replications.
    pub served: u64,
    /// How many of them waited 0, 1, 2 … whole minutes (the last counts every longer wait).
    #[serde(skip)]
    pub waits: Vec<u64>,
}

/// Longest wait told apart in [`SimulatedInterval::waits`], minutes.
const WAIT_BINS: usize = 240;

/// The waits of several intervals together, as citizens saw them.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, utoipa::ToSchema)]
pub struct WaitSummary {
    pub mean_wait_minutes: f64,
    /// Four in five citizens waited at most this long (whole minutes).
    pub p80_wait_minutes: f64,
    /// Share served within the target's time (for an average-wait target: in intervals that met it).
    pub within_target_share: f64,
}

/// The waits of `intervals` together, each citizen counted once.
pub fn summarise(intervals: &[SimulatedInterval]) -> WaitSummary {
    let served: u64 = intervals.iter().map(|i| i.served).sum();
    if served == 0 {
        return WaitSummary {
            mean_wait_minutes: 0.0,
            p80_wait_minutes: 0.0,
            within_target_share: 1.0,
        };
    }
    let weighted = |f: fn(&SimulatedInterval) -> f64| {
        intervals
            .iter()
            .map(|i| f(i) * i.served as f64)
            .sum::<f64>()
            / served as f64
    };
    let mut bins = vec![0u64; WAIT_BINS + 1];
    for i in intervals {
        for (bin, n) in i.waits.iter().enumerate() {
            bins[bin] += n;
        }
    }
    let wanted = (served as f64 * 0.8).ceil() as u64;
    let mut seen = 0;
    let p80 = bins
        .iter()
        .position(|n| {
            seen += n;
            seen >= wanted
        })
        .unwrap_or(WAIT_BINS);
    WaitSummary {
        mean_wait_minutes: weighted(|i| i.mean_wait_minutes),
        p80_wait_minutes: p80 as f64,
        within_target_share: weighted(|i| i.served_within_share),
    }
}

/// How early a booked citizen comes, at most, in minutes.
const EARLY_ARRIVAL_MINUTES: f64 = 5.0;

/// Discrete-event simulation of the planned days, `runs` replications from `seed`.
pub fn simulate(
    forecast: &[crate::domain::forecast::IntervalForecast],
    staffed: &[StaffedInterval],
    target: &crate::domain::erlang::Target,
    runs: u32,
    seed: u64,
) -> Vec<SimulatedInterval> {
    let mut plans: BTreeMap<&Slug, Plan> = BTreeMap::new();
    for f in forecast {
        plans.entry(&f.location).or_default().add_demand(f);
    }
    for s in staffed {
        if let Some(plan) = plans.get_mut(&s.location) {
            plan.desks.insert(s.start, s.desks);
        }
    }
    let mut tallies: BTreeMap<&Slug, Vec<Tally>> = plans
        .iter()
        .map(|(l, p)| (*l, vec![Tally::default(); p.intervals.len()]))
        .collect();
    let within = match target.goal() {
        Goal::ServiceLevel { within_minutes, .. } => Some(within_minutes),
        Goal::AverageWait { .. } => None,
    };
    for run in 0..runs.max(1) {
        let mut rng = StdRng::seed_from_u64(mix(seed, u64::from(run)));
        for (location, plan) in &plans {
            let tally = tallies.get_mut(location).expect("one per plan");
            plan.run(&mut rng, within, tally);
        }
    }
    plans
        .iter()
        .flat_map(|(location, plan)| {
            let tally = &tallies[location];
            plan.intervals
                .keys()
                .zip(tally)
                .map(|(start, t)| t.result((*location).clone(), *start, target))
                .collect::<Vec<_>>()
        })
        .collect()
}

fn mix(seed: u64, run: u64) -> u64 {
    let mut z = seed ^ run.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// One errand's expected demand in one interval.
#[derive(Debug, Clone, Copy)]
struct Stream {
    walk_ins: f64,
    booked: f64,
    no_show_rate: f64,
    mean_service_minutes: f64,
}

#[derive(Debug, Clone, Default)]
struct Interval {
    minutes: u32,
    streams: Vec<Stream>,
}

/// One location's planned days: demand per interval and desks from each staffed start.
#[derive(Debug, Clone, Default)]
struct Plan {
    intervals: BTreeMap<DateTime<Utc>, Interval>,
    desks: BTreeMap<DateTime<Utc>, u32>,
}

/// A citizen of one replication; times in minutes from the plan's first interval.
#[derive(Debug, Clone, Copy)]
struct Citizen {
    arrives: f64,
    /// The booked time of an appointment; `None` for a walk-in.
    due: Option<f64>,
    handling: f64,
    interval: usize,
}

impl Citizen {
    /// Waiting counts from arrival, or for an early appointment from its booked time.
    fn wait_from(&self) -> f64 {
        self.due.map_or(self.arrives, |d| d.max(self.arrives))
    }
}

impl Plan {
    fn add_demand(&mut self, f: &IntervalForecast) {
        let interval = self.intervals.entry(f.start).or_default();
        interval.minutes = interval.minutes.max(f.interval_minutes.max(1));
        interval.streams.push(Stream {
            walk_ins: f.walk_ins.max(0.0),
            booked: f.booked.max(0.0),
            no_show_rate: f.no_show_rate.clamp(0.0, 1.0),
            mean_service_minutes: f.mean_service_minutes.max(0.0),
        });
    }

    fn origin(&self) -> Option<DateTime<Utc>> {
        self.intervals.keys().next().copied()
    }

    fn minutes_since(origin: DateTime<Utc>, t: DateTime<Utc>) -> f64 {
        (t - origin).num_milliseconds() as f64 / 60_000.0
    }

    /// The open spans (start, end) in minutes from the origin, in order.
    fn spans(&self, origin: DateTime<Utc>) -> Vec<(f64, f64)> {
        self.intervals
            .iter()
            .map(|(start, i)| {
                let s = Self::minutes_since(origin, *start);
                (s, s + f64::from(i.minutes))
            })
            .collect()
    }

    fn citizens(&self, origin: DateTime<Utc>, rng: &mut StdRng) -> Vec<Citizen> {
        let mut out = Vec::new();
        for (index, (start, interval)) in self.intervals.iter().enumerate() {
            let from = Self::minutes_since(origin, *start);
            let length = f64::from(interval.minutes);
            for s in &interval.streams {
                for _ in 0..poisson(s.walk_ins, rng) {
                    out.push(Citizen {
                        arrives: from + rng.gen::<f64>() * length,
                        due: None,
                        handling: handling(s.mean_service_minutes, rng),
                        interval: index,
                    });
                }
                for _ in 0..poisson(s.booked, rng) {
                    let due = from + rng.gen::<f64>() * length;
                    let comes = rng.gen::<f64>() >= s.no_show_rate;
                    let early = rng.gen::<f64>() * EARLY_ARRIVAL_MINUTES;
                    let handling = handling(s.mean_service_minutes, rng);
                    if comes {
                        out.push(Citizen {
                            arrives: due - early,
                            due: Some(due),
                            handling,
                            interval: index,
                        });
                    }
                }
            }
        }
        out.sort_by(|a, b| a.arrives.total_cmp(&b.arrives));
        out
    }

    /// One replication: adds each served citizen's wait to the tally of their interval.
    fn run(&self, rng: &mut StdRng, within: Option<f64>, tally: &mut [Tally]) {
        let Some(origin) = self.origin() else { return };
        let spans = self.spans(origin);
        let desks: Vec<(f64, u32)> = self
            .desks
            .iter()
            .map(|(t, d)| (Self::minutes_since(origin, *t), *d))
            .collect();
        let mut boundaries: Vec<f64> = spans
            .iter()
            .flat_map(|(s, e)| [*s, *e])
            .chain(desks.iter().map(|d| d.0))
            .collect();
        boundaries.sort_by(f64::total_cmp);
        boundaries.dedup();
        let citizens = self.citizens(origin, rng);
        let capacity = |t: f64| {
            let staffed = desks.iter().rev().find(|d| d.0 <= t).map_or(0, |d| d.1);
            let open = spans.iter().any(|(s, e)| *s <= t && t < *e);
            // After closing (and between days) whoever is inside is still served.
            if open {
                staffed
            } else {
                staffed.max(1)
            }
        };
        let mut queue = Queue::default();
        let mut next = 0;
        let mut now = citizens.first().map_or(0.0, |c| c.arrives);
        loop {
            while next < citizens.len() && citizens[next].arrives <= now {
                queue.join(next, &citizens[next]);
                next += 1;
            }
            queue.busy.retain(|finish| *finish > now);
            while queue.busy.len() < capacity(now) as usize {
                let Some(i) = queue.call(now, &citizens) else {
                    break;
                };
                let c = &citizens[i];
                let wait = (now - c.wait_from()).max(0.0);
                tally[c.interval].add(wait, within);
                queue.busy.push(now + c.handling);
            }
            let arrival = citizens.get(next).map(|c| c.arrives);
            let finish = queue.busy.iter().copied().min_by(f64::total_cmp);
            let boundary = boundaries.iter().copied().find(|b| *b > now);
            let waiting = !queue.is_empty();
            let candidates = [arrival, finish, if waiting { boundary } else { None }];
            // After the last boundary at least one desk serves, so someone is busy
            // whenever someone waits, and the loop ends once everyone is served.
            match candidates.into_iter().flatten().min_by(f64::total_cmp) {
                Some(t) => now = t,
                None => break,
            }
        }
    }
}

/// Who waits: walk-ins in order of arrival, appointments by booked time.
#[derive(Debug, Default)]
struct Queue {
    walk_ins: VecDeque<usize>,
    appointments: Vec<usize>,
    /// When each busy desk finishes.
    busy: Vec<f64>,
}

impl Queue {
    fn join(&mut self, index: usize, citizen: &Citizen) {
        if citizen.due.is_some() {
            self.appointments.push(index);
        } else {
            self.walk_ins.push_back(index);
        }
    }

    fn is_empty(&self) -> bool {
        self.walk_ins.is_empty() && self.appointments.is_empty()
    }

    /// The call-next rule: due appointments first, then the longest-waiting walk-in, then
    /// an appointment checked in early.
    fn call(&mut self, now: f64, citizens: &[Citizen]) -> Option<usize> {
        let earliest = self
            .appointments
            .iter()
            .enumerate()
            .min_by(|a, b| {
                let due = |i: &usize| citizens[*i].due.unwrap_or(f64::INFINITY);
                due(a.1).total_cmp(&due(b.1))
            })
            .map(|(pos, i)| (pos, citizens[*i].due.unwrap_or(f64::INFINITY)));
        match earliest {
            Some((pos, due)) if due <= now => Some(self.appointments.swap_remove(pos)),
            _ => self
                .walk_ins
                .pop_front()
                .or_else(|| earliest.map(|(pos, _)| self.appointments.swap_remove(pos))),
        }
    }
}

/// Waits seen in one interval, summed over the replications.
#[derive(Debug, Clone, Default)]
struct Tally {
    served: u64,
    wait_minutes: f64,
    within: u64,
    waits: Vec<u64>,
}

impl Tally {
    fn add(&mut self, wait: f64, within: Option<f64>) {
        self.served += 1;
        self.wait_minutes += wait;
        if self.waits.is_empty() {
            self.waits = vec![0; WAIT_BINS + 1];
        }
        self.waits[(wait.floor() as usize).min(WAIT_BINS)] += 1;
        if within.is_some_and(|w| wait <= w) {
            self.within += 1;
        }
    }

    fn result(&self, location: Slug, start: DateTime<Utc>, target: &Target) -> SimulatedInterval {
        let mean = if self.served > 0 {
            self.wait_minutes / self.served as f64
        } else {
            0.0
        };
        let (share, met) = match target.goal() {
            Goal::ServiceLevel { level, .. } => {
                let share = if self.served > 0 {
                    self.within as f64 / self.served as f64
                } else {
                    1.0
                };
                (share, share >= level)
            }
            Goal::AverageWait { minutes } => {
                let met = mean <= minutes;
                (if met { 1.0 } else { 0.0 }, met)
            }
        };
        SimulatedInterval {
            location,
            start,
            mean_wait_minutes: mean,
            served_within_share: share,
            met,
            served: self.served,
            waits: self.waits.clone(),
        }
    }
}

fn poisson(mean: f64, rng: &mut StdRng) -> u64 {
    if mean <= 0.0 {
        return 0;
    }
    Poisson::new(mean).map_or(0, |p| p.sample(rng) as u64)
}

fn handling(mean_minutes: f64, rng: &mut StdRng) -> f64 {
    if mean_minutes <= 0.0 {
        return 0.0;
    }
    Exp::new(1.0 / mean_minutes).map_or(mean_minutes, |e| e.sample(rng))
}

#[cfg(test)]
mod tests;
