//! The person-level lower bound: the coverage constraints priced by Lagrange multipliers,
//! so that the rest falls apart into one problem per person — their best week under every
//! rule (contract hours, one shift a day, rest, absences, allowed locations) — solved
//! exactly. Any multipliers give a valid bound; subgradient steps towards the best known
//! roster's cost raise it. It is at least as strong as the person-level LP relaxation.

use std::time::Instant;

use crate::week::People;
use crate::Weights;

/// Errand-intervals no roster can cover: more needed than there are people who could be on
/// duty there with the errand, and of those only one person can cover, more than that
/// person's best week reaches. Their cost is in every roster, on top of the counters'.
pub fn unavoidable(people: &People, weights: Weights) -> f64 {
    let mut reach: Vec<Vec<usize>> = vec![Vec::new(); people.need.len()];
    for (i, person) in people.people.iter().enumerate() {
        let mut seen: Vec<usize> = person
            .days
            .iter()
            .flatten()
            .flat_map(|p| people.placements[*p].covers.iter().copied())
            .filter(|s| !people.counter[*s])
            .collect();
        seen.sort_unstable();
        seen.dedup();
        for s in seen {
            reach[s].push(i);
        }
    }
    let mut short = 0.0;
    let mut exclusive_need = vec![0.0; people.people.len()];
    for (s, need) in people.need.iter().enumerate() {
        if people.counter[s] {
            continue;
        }
        match reach[s].as_slice() {
            [only] => exclusive_need[*only] += f64::from(*need),
            others => short += f64::from(need.saturating_sub(others.len() as u32)),
        }
    }
    // Someone who alone can cover some intervals covers at most as many as their best week.
    for (i, person) in people.people.iter().enumerate() {
        if exclusive_need[i] == 0.0 {
            continue;
        }
        let (most, _) = people.best_week(person, |p| {
            people.placements[p]
                .covers
                .iter()
                .filter(|s| !people.counter[**s] && reach[**s].len() == 1)
                .count() as f64
        });
        short += (exclusive_need[i] - most.round()).max(0.0);
    }
    weights.uncovered * short
}

/// The best bound found within `iterations` (or until `deadline`), starting from
/// multipliers read off `on` (the staff on duty per interval in the best roster known,
/// whose cost is `upper`).
pub fn bound(
    people: &People,
    weights: Weights,
    on: &[u32],
    upper: f64,
    iterations: u32,
    deadline: Instant,
) -> f64 {
    let (low, high) = (-weights.over, weights.uncovered);
    // Errands cost nothing when over-covered: their multipliers stay at 0 or above.
    let low_of = |s: usize| if people.counter[s] { low } else { 0.0 };
    let mut lambda: Vec<f64> = people
        .need
        .iter()
        .zip(on)
        .enumerate()
        .map(|(s, (need, on))| match on.cmp(need) {
            std::cmp::Ordering::Less => high,
            std::cmp::Ordering::Equal => 0.5 * high,
            std::cmp::Ordering::Greater => low_of(s),
        })
        .collect();
    let mut best = f64::NEG_INFINITY;
    let mut theta = 0.2;
    let mut stalled = 0;
    let mut value = vec![0.0; people.placements.len()];
    let mut covered = vec![0u32; people.need.len()];
    for _ in 0..iterations {
        for (p, placement) in people.placements.iter().enumerate() {
            let travel = if placement.away { weights.travel } else { 0.0 };
            value[p] = placement.covers.iter().map(|s| lambda[*s]).sum::<f64>() - travel;
        }
        covered.iter_mut().for_each(|c| *c = 0);
        let mut l: f64 = people
            .need
            .iter()
            .zip(&lambda)
            .map(|(n, x)| f64::from(*n) * x)
            .sum();
        for person in &people.people {
            let (v, week) = people.best_week(person, |p| value[p]);
            l -= v;
            for p in week.iter().flatten() {
                for s in &people.placements[*p].covers {
                    covered[*s] += 1;
                }
            }
        }
        if l > best + 1e-9 {
            best = l;
            stalled = 0;
        } else {
            stalled += 1;
            if stalled >= 40 {
                theta *= 0.5;
                stalled = 0;
            }
        }
        let g: Vec<f64> = people
            .need
            .iter()
            .zip(&covered)
            .map(|(n, c)| f64::from(*n) - f64::from(*c))
            .collect();
        // A zero step where the multiplier sits at its limit and the step would pass it.
        let norm: f64 = g
            .iter()
            .zip(&lambda)
            .enumerate()
            .filter(|(s, (g, x))| !((**g > 0.0 && **x >= high) || (**g < 0.0 && **x <= low_of(*s))))
            .map(|(_, (g, _))| g * g)
            .sum();
        if norm <= 1e-12 || upper - best <= 1e-9 * upper.abs().max(1.0) {
            break;
        }
        if Instant::now() >= deadline || theta < 1e-6 {
            break;
        }
        let step = theta * (upper - l).max(1e-6 * upper.abs().max(1.0)) / norm;
        for (s, (x, g)) in lambda.iter_mut().zip(&g).enumerate() {
            *x = (*x + step * g).clamp(low_of(s), high);
        }
    }
    best
}
