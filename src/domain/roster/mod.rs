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
mod index;
mod model;
pub mod publish;
mod rules;
#[cfg(test)]
mod tests;
mod week;

pub use index::*;
pub use model::*;
pub use rules::{check_rules, RuleBreach};

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use skranke_roster_search::{lagrange, search};

/// How hard the counts are worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The LP relaxation rounded: fast, feasible, usually close.
    Rounded,
    /// An exact MIP per location and day.
    Exact,
}

/// How long and from which seed the optimiser searches.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Options {
    pub mode: Mode,
    /// A cap on the search: the roster is the best found when it runs out.
    pub time_limit: Duration,
    /// The search's random choices; with the same seed (and a time limit not reached) the
    /// roster is the same.
    pub seed: u64,
    /// Rounds of ruin and recreate after the first descent.
    pub rounds: u32,
    /// Subgradient steps of the Lagrangian bound.
    pub bound_iterations: u32,
}

impl Options {
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            time_limit: Duration::from_secs(30),
            seed: 20,
            rounds: 400,
            bound_iterations: 4000,
        }
    }
}

/// Plans `problem`'s week with the default options.
pub fn solve(problem: &Problem, mode: Mode) -> Result<Roster, RosterError> {
    solve_with(problem, &Options::new(mode))
}

/// Plans `problem`'s week: counts, named staff, the local search, and the bounds.
pub fn solve_with(problem: &Problem, options: &Options) -> Result<Roster, RosterError> {
    let begun = Instant::now();
    let index = Index::new(problem)?;
    let relaxation = counts::relaxation(problem, &index)?;
    let chosen = counts::integer(problem, &index, &relaxation, options.mode)?;
    let first = assign::assign(problem, &index, &chosen.counts);
    let people = week::people(problem, &index);
    let start = weeks_of(problem, &index, &people, &first);
    // The search may use most of the time; the bound is given what is left, at least a
    // tenth.
    let search_deadline = begun + options.time_limit.mul_f64(0.7);
    let (weeks, cost) = search::improve(
        &people,
        problem.weights,
        start,
        options.seed,
        options.rounds,
        search_deadline,
    );
    let shifts = shifts_of(problem, &index, &people, &weeks);
    let on = on_duty(&people, &weeks);
    let bound_deadline = (begun + options.time_limit).max(Instant::now() + options.time_limit / 10);
    let person_bound = lagrange::bound(
        &people,
        problem.weights,
        &on,
        cost,
        options.bound_iterations,
        bound_deadline,
    );
    let mut roster = evaluate(problem, &index, shifts);
    roster.lp_relaxation = relaxation.objective;
    // The counts' bounds know nothing of errands: what no roster can cover adds to them.
    let errands = lagrange::unavoidable(&people, problem.weights);
    roster.lower_bound = (relaxation.objective + errands)
        .max(chosen.cell_bound.unwrap_or(0.0) + errands)
        .max(person_bound)
        .min(roster.objective);
    roster.gap = gap(roster.objective, roster.lower_bound);
    Ok(roster)
}

/// The staff on duty per interval of `people` when everyone works `weeks`.
fn on_duty(people: &week::People, weeks: &search::Weeks) -> Vec<u32> {
    let mut on = vec![0u32; people.need.len()];
    for p in weeks.iter().flatten().flatten() {
        for s in &people.placements[*p].covers {
            on[*s] += 1;
        }
    }
    on
}

/// The shifts as each person's week of placements.
fn weeks_of(
    problem: &Problem,
    index: &Index,
    people: &week::People,
    shifts: &[Shift],
) -> search::Weeks {
    let mut weeks: search::Weeks = people
        .people
        .iter()
        .map(|p| vec![None; p.days.len()])
        .collect();
    for shift in shifts {
        let (Some(w), Some(site), Some(template)) = (
            index.worker_of(&shift.worker),
            index.site_of(&shift.location),
            index.template_of(&shift.template),
        ) else {
            continue;
        };
        let Some(cell) = index.cell_of(site, shift.date) else {
            continue;
        };
        let Some(day) = problem.dates.iter().position(|d| *d == shift.date) else {
            continue;
        };
        weeks[w][day] = people.people[w].days[day].iter().copied().find(|p| {
            people.placements[*p].cell == cell && people.placements[*p].template == template
        });
    }
    weeks
}

fn shifts_of(
    problem: &Problem,
    index: &Index,
    people: &week::People,
    weeks: &search::Weeks,
) -> Vec<Shift> {
    let mut out = Vec::new();
    for (i, week) in weeks.iter().enumerate() {
        let worker = &problem.workers[people.people[i].worker];
        for p in week.iter().flatten() {
            let placement = &people.placements[*p];
            let cell = &index.cells[placement.cell];
            out.push(Shift {
                worker: worker.name.clone(),
                location: problem.sites[cell.site].slug.clone(),
                date: cell.date,
                template: problem.templates[placement.template].slug.clone(),
                start: placement.start,
                end: placement.end,
            });
        }
    }
    out
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
    let mut skilled: BTreeMap<(usize, usize), u32> = BTreeMap::new();
    let mut travel = 0u32;
    let mut minutes: BTreeMap<&str, i64> = BTreeMap::new();
    for shift in &shifts {
        let site = index
            .site_of(&shift.location)
            .expect("shifts are at known sites");
        let template = index
            .template_of(&shift.template)
            .expect("shifts use known templates");
        let worker = &problem.workers[index.worker_of(&shift.worker).expect("known worker")];
        if let Some(cell) = index.cell_of(site, shift.date) {
            if works_counter(problem, worker, site) {
                for (r, need) in index.cells[cell].needs.iter().enumerate() {
                    if index.covers(problem, template, site, need.start) {
                        *on_duty.entry((cell, r)).or_default() += 1;
                    }
                }
            }
            for (r, need) in index.cells[cell].skill_needs.iter().enumerate() {
                if worker.services.contains(&need.service)
                    && index.covers(problem, template, site, need.start)
                {
                    *skilled.entry((cell, r)).or_default() += 1;
                }
            }
        }
        if worker.home.as_ref() != Some(&shift.location) {
            travel += 1;
        }
        *minutes.entry(&worker.name).or_default() += problem.templates[template].paid_minutes();
    }
    let mut coverage = Vec::new();
    let mut skill_gaps = Vec::new();
    let (mut uncovered, mut over, mut skill_uncovered) = (0u64, 0u64, 0u64);
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
        for (r, need) in cell.skill_needs.iter().enumerate() {
            let planned = skilled.get(&(c, r)).copied().unwrap_or(0);
            if planned < need.staff {
                skill_uncovered += u64::from(need.staff - planned);
                skill_gaps.push(SkillGap {
                    location: need.location.clone(),
                    start: need.start,
                    service: need.service.clone(),
                    required: need.staff,
                    planned,
                });
            }
        }
    }
    coverage.sort_by(|a, b| (&a.location, a.start).cmp(&(&b.location, b.start)));
    skill_gaps.sort_by(|a, b| {
        (&a.location, a.start, &a.service).cmp(&(&b.location, b.start, &b.service))
    });
    let fairness_hours = fairness_hours(problem, &minutes);
    let w = &problem.weights;
    let objective = w.uncovered * (uncovered + skill_uncovered) as f64
        + w.over * over as f64
        + w.travel * f64::from(travel)
        + w.fairness * fairness_hours;
    let mut shifts = shifts;
    shifts
        .sort_by(|a, b| (a.start, &a.location, &a.worker).cmp(&(b.start, &b.location, &b.worker)));
    Roster {
        shifts,
        coverage,
        skill_gaps,
        parts: Parts {
            uncovered,
            skill_uncovered,
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
