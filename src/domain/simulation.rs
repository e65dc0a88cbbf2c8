//! PROVISIONAL: replaced by the forecast branch at merge.
//!
//! A stand-in for the discrete-event simulation: Erlang C's steady state per interval.
//! Booked citizens who come take their handling time off the desks (spread over the
//! intervals it lasts); the walk-ins queue for what is left.

use std::collections::BTreeMap;

use crate::domain::erlang::{self, Load};

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
}

/// Discrete-event simulation of the planned days, `runs` replications from `seed`.
pub fn simulate(
    forecast: &[crate::domain::forecast::IntervalForecast],
    staffed: &[StaffedInterval],
    target: &crate::domain::erlang::Target,
    _runs: u32,
    _seed: u64,
) -> Vec<SimulatedInterval> {
    type Key = (crate::domain::Slug, chrono::DateTime<chrono::Utc>);
    // (walk-ins, walk-in minutes of work, booked erlangs, interval minutes)
    let mut load: BTreeMap<Key, (f64, f64, f64, u32)> = BTreeMap::new();
    for f in forecast {
        let step = chrono::Duration::minutes(i64::from(f.interval_minutes.max(1)));
        let entry = load.entry((f.location.clone(), f.start)).or_insert((
            0.0,
            0.0,
            0.0,
            f.interval_minutes.max(1),
        ));
        entry.0 += f.walk_ins;
        entry.1 += f.walk_ins * f.mean_service_minutes;
        let attended = f.booked * (1.0 - f.no_show_rate);
        let mut left = f.mean_service_minutes;
        let mut start = f.start;
        while left > 1e-9 {
            let part = left.min(f64::from(f.interval_minutes.max(1)));
            load.entry((f.location.clone(), start))
                .or_insert((0.0, 0.0, 0.0, f.interval_minutes.max(1)))
                .2 += attended * part / f64::from(f.interval_minutes.max(1));
            left -= part;
            start += step;
        }
    }
    staffed
        .iter()
        .map(|s| {
            let (walk_ins, work, booked, minutes) = load
                .get(&(s.location.clone(), s.start))
                .copied()
                .unwrap_or((0.0, 0.0, 0.0, 15));
            let booked_desks = (booked - 1e-9).ceil().max(0.0) as u32;
            let free = s.desks.saturating_sub(booked_desks);
            let mut result = SimulatedInterval {
                location: s.location.clone(),
                start: s.start,
                mean_wait_minutes: 0.0,
                served_within_share: 1.0,
                met: s.desks >= booked_desks,
            };
            if walk_ins <= 1e-9 || !result.met {
                if walk_ins > 1e-9 {
                    result.served_within_share = 0.0;
                    result.mean_wait_minutes = f64::from(minutes);
                }
                return result;
            }
            let Ok(load) = Load::new(walk_ins, f64::from(minutes), work / walk_ins, None) else {
                return result;
            };
            let needed = erlang::required(&load, target, None, 0.0)
                .map(|st| st.raw_positions)
                .unwrap_or(u32::MAX);
            result.met = free >= needed;
            let wait = erlang::average_wait_seconds(free, &load) / 60.0;
            result.mean_wait_minutes = if wait.is_finite() {
                wait
            } else {
                f64::from(minutes)
            };
            // Without the target's time at hand, the share that does not wait at all is a
            // lower bound of the share served within it.
            result.served_within_share = if free == 0 {
                0.0
            } else {
                1.0 - erlang::erlang_c(free, load.traffic_erlangs())
            };
            result
        })
        .collect()
}
