//! Shift rosters: who works where and when in a planned week, so that the staff on duty
//! match the staffing requirement.
//!
//! # The model
//!
//! Shift templates (a local start and end, unpaid breaks) are worked at locations on days.
//! A staff member works at most one shift a day, rests at least 11 hours between two
//! shifts, stays within the weekly hours of the contract, is not rostered while absent, and
//! works only at the locations allowed and where at least one errand they can handle is
//! offered. The objective is lexicographic in effect, by weights far apart ([`Weights`]):
//! uncovered requirement first, then over-cover, then travel (shifts away from home), then
//! fairness (each person's hours against their contract's share of all hours rostered).
//!
//! # How it is solved, and the bound
//!
//! A MIP over every person × shift × day is too large for a pure-Rust branch and bound at
//! 10 locations and 150 staff, so the solve is a decomposition:
//!
//! 1. **Counts** ([`counts`]): how many shifts of each template to run at each location on
//!    each day. Its LP relaxation over the whole week, with every location and day coupled
//!    through the staff available per location and day, per day, and in total hours, is
//!    solved once: that objective is a valid lower bound, because every roster that keeps
//!    the rules gives counts that satisfy those constraints at no less cost (travel is at
//!    least the shifts beyond the home staff present; fairness is never negative). Then the
//!    integer counts are found per location and day ([`Mode::Exact`]: a small MIP each,
//!    solved to optimality; [`Mode::Rounded`]: the LP's counts rounded and improved
//!    greedily). The sum of the per-location-day MIP optima is a second valid bound
//!    (those subproblems only drop coupling constraints); the reported bound is the larger.
//!    Counts that break a day's or the week's coupling are cut back where that costs least.
//! 2. **Assignment** ([`assign`]): named staff to those shifts, day by day, as a bipartite
//!    matching that keeps every rule, preferring home staff, then those furthest below
//!    their contract share, then preferred templates; augmenting paths move already placed
//!    people to free the one a shift needs (the repair step). A shift nobody can take is
//!    left out and shows up as uncovered requirement.
//!
//! The objective reported is that of the final roster, measured interval by interval,
//! and the gap is `(objective − bound) / objective`.

mod assign;
mod counts;
mod model;
pub mod publish;
mod rules;
#[cfg(test)]
mod tests;

pub use model::*;
pub use rules::{check_rules, RuleBreach};

use std::collections::BTreeMap;

/// How hard the counts are worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The LP relaxation rounded: fast, feasible, usually close.
    Rounded,
    /// An exact MIP per location and day.
    Exact,
}

/// Plans `problem`'s week.
pub fn solve(problem: &Problem, mode: Mode) -> Result<Roster, RosterError> {
    let index = Index::new(problem)?;
    let relaxation = counts::relaxation(problem, &index)?;
    let chosen = counts::integer(problem, &index, &relaxation, mode)?;
    let shifts = assign::assign(problem, &index, &chosen.counts);
    let mut roster = evaluate(problem, &index, shifts);
    roster.lp_relaxation = relaxation.objective;
    roster.lower_bound = relaxation.objective.max(chosen.cell_bound.unwrap_or(0.0));
    roster.gap = gap(roster.objective, roster.lower_bound);
    Ok(roster)
}

/// `(objective − bound) / objective`, 0 for a perfect (zero-cost) roster.
pub fn gap(objective: f64, bound: f64) -> f64 {
    if objective <= 1e-9 {
        0.0
    } else {
        ((objective - bound) / objective).max(0.0)
    }
}

/// Measures a roster against the requirement: coverage per interval and the objective.
pub fn evaluate(problem: &Problem, index: &Index, shifts: Vec<Shift>) -> Roster {
    let mut on_duty: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    let mut travel = 0u32;
    let mut minutes: BTreeMap<&str, i64> = BTreeMap::new();
    for shift in &shifts {
        let site = index
            .site_of(&shift.location)
            .expect("shifts are at known sites");
        let template = index
            .template_of(&shift.template)
            .expect("shifts use known templates");
        let cell = index.cell_of(site, shift.date);
        if let Some(cell) = cell {
            for (r, need) in index.cells[cell].needs.iter().enumerate() {
                if index.covers(problem, template, site, need.start) {
                    *on_duty.entry((cell, r)).or_default() += 1;
                }
            }
        }
        let worker = &problem.workers[index.worker_of(&shift.worker).expect("known worker")];
        if worker.home.as_ref() != Some(&shift.location) {
            travel += 1;
        }
        *minutes.entry(&worker.name).or_default() += problem.templates[template].paid_minutes();
    }
    let mut coverage = Vec::new();
    let (mut uncovered, mut over) = (0u64, 0u64);
    for (c, cell) in index.cells.iter().enumerate() {
        for (r, need) in cell.needs.iter().enumerate() {
            let planned = on_duty.get(&(c, r)).copied().unwrap_or(0);
            uncovered += u64::from(need.staff.saturating_sub(planned));
            over += u64::from(planned.saturating_sub(need.staff));
            coverage.push(Coverage {
                location: problem.sites[cell.site].slug.clone(),
                start: need.start,
                required: need.staff,
                planned,
            });
        }
    }
    coverage.sort_by(|a, b| (&a.location, a.start).cmp(&(&b.location, b.start)));
    let fairness_hours = fairness_hours(problem, &minutes);
    let w = &problem.weights;
    let objective = w.uncovered * uncovered as f64
        + w.over * over as f64
        + w.travel * f64::from(travel)
        + w.fairness * fairness_hours;
    let mut shifts = shifts;
    shifts
        .sort_by(|a, b| (a.start, &a.location, &a.worker).cmp(&(b.start, &b.location, &b.worker)));
    Roster {
        shifts,
        coverage,
        parts: Parts {
            uncovered,
            over,
            travel,
            fairness_hours,
        },
        objective,
        lower_bound: 0.0,
        lp_relaxation: 0.0,
        gap: 0.0,
    }
}

/// Σ |hours − contract share of all hours rostered|, over everyone in the problem.
fn fairness_hours(problem: &Problem, minutes: &BTreeMap<&str, i64>) -> f64 {
    let total: f64 = minutes.values().map(|m| *m as f64 / 60.0).sum();
    let contracts: f64 = problem
        .workers
        .iter()
        .map(|w| f64::from(w.contract_minutes))
        .sum();
    if contracts <= 0.0 {
        return 0.0;
    }
    problem
        .workers
        .iter()
        .map(|w| {
            let hours = minutes.get(w.name.as_str()).copied().unwrap_or(0) as f64 / 60.0;
            (hours - total * f64::from(w.contract_minutes) / contracts).abs()
        })
        .sum()
}
