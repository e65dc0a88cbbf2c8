//! The repair and local search on named staff: each person's week in turn is replaced by
//! the best week for them given everyone else's (an exact step, so the roster never gets
//! worse), and when no one person can improve it, a few weeks are cleared at random and
//! rebuilt (ruin and recreate), keeping the best roster found. Seeded, so a seed and a
//! budget give one roster.

use std::time::Instant;

use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};

use crate::week::People;
use crate::Weights;

/// Everyone's week: the placement worked on each day, if any.
pub type Weeks = Vec<Vec<Option<usize>>>;

/// The cost of one interval with `on` staff: counters pay for gaps and over-cover, errands
/// only for gaps.
fn slot_cost(w: &Weights, need: u32, counter: bool, on: u32) -> f64 {
    let over = if counter {
        w.over * f64::from(on.saturating_sub(need))
    } else {
        0.0
    };
    w.uncovered * f64::from(need.saturating_sub(on)) + over
}

struct State<'a> {
    people: &'a People,
    weights: Weights,
    on: Vec<u32>,
    weeks: Weeks,
    cost: f64,
}

impl<'a> State<'a> {
    fn new(people: &'a People, weights: Weights, weeks: Weeks) -> Self {
        let mut on = vec![0u32; people.need.len()];
        for week in &weeks {
            for p in week.iter().flatten() {
                for s in &people.placements[*p].covers {
                    on[*s] += 1;
                }
            }
        }
        let mut state = Self {
            people,
            weights,
            on,
            weeks,
            cost: 0.0,
        };
        state.cost = state.full_cost();
        state
    }

    fn full_cost(&self) -> f64 {
        let w = &self.weights;
        let mut cost = 0.0;
        for (s, need) in self.people.need.iter().enumerate() {
            cost += slot_cost(w, *need, self.people.counter[s], self.on[s]);
        }
        for week in &self.weeks {
            for p in week.iter().flatten() {
                if self.people.placements[*p].away {
                    cost += w.travel;
                }
            }
        }
        cost
    }

    /// What one more person on duty in interval `s` saves.
    fn gain(&self, s: usize) -> f64 {
        if self.on[s] < self.people.need[s] {
            self.weights.uncovered
        } else if self.people.counter[s] {
            -self.weights.over
        } else {
            0.0
        }
    }

    fn value(&self, p: usize) -> f64 {
        let placement = &self.people.placements[p];
        let travel = if placement.away {
            self.weights.travel
        } else {
            0.0
        };
        placement.covers.iter().map(|s| self.gain(*s)).sum::<f64>() - travel
    }

    fn set_week(&mut self, i: usize, week: Vec<Option<usize>>) {
        let old = std::mem::take(&mut self.weeks[i]);
        self.apply(&old, false);
        self.apply(&week, true);
        self.weeks[i] = week;
    }

    /// Adds or removes a week's shifts, keeping the cost current.
    fn apply(&mut self, week: &[Option<usize>], add: bool) {
        let w = self.weights;
        for p in week.iter().flatten() {
            let placement = &self.people.placements[*p];
            for s in &placement.covers {
                let (need, counter) = (self.people.need[*s], self.people.counter[*s]);
                let before = self.on[*s];
                let after = if add { before + 1 } else { before - 1 };
                self.cost +=
                    slot_cost(&w, need, counter, after) - slot_cost(&w, need, counter, before);
                self.on[*s] = after;
            }
            if placement.away {
                self.cost += if add { w.travel } else { -w.travel };
            }
        }
    }

    /// Replaces person `i`'s week by their best given everyone else's; whether it improved.
    fn best_response(&mut self, i: usize) -> bool {
        let old = std::mem::take(&mut self.weeks[i]);
        self.apply(&old, false);
        let old_value: f64 = old.iter().flatten().map(|p| self.value(*p)).sum();
        let (value, week) = self
            .people
            .best_week(&self.people.people[i], |p| self.value(p));
        if value > old_value + 1e-9 {
            self.apply(&week, true);
            self.weeks[i] = week;
            true
        } else {
            self.apply(&old, true);
            self.weeks[i] = old;
            false
        }
    }

    /// Best responses in a random order until a whole round improves nothing.
    fn descend(&mut self, rng: &mut StdRng, deadline: Instant) {
        let mut order: Vec<usize> = (0..self.weeks.len()).collect();
        loop {
            order.shuffle(rng);
            let mut improved = false;
            for &i in &order {
                improved |= self.best_response(i);
            }
            if !improved || Instant::now() >= deadline {
                break;
            }
        }
    }
}

/// Improves `start` within `rounds` of ruin and recreate (or until `deadline`); returns
/// the best weeks found and their cost (uncovered, over-cover and travel).
pub fn improve(
    people: &People,
    weights: Weights,
    start: Weeks,
    seed: u64,
    rounds: u32,
    deadline: Instant,
) -> (Weeks, f64) {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut state = State::new(people, weights, start);
    state.descend(&mut rng, deadline);
    let mut best = (state.weeks.clone(), state.cost);
    let n = state.weeks.len();
    if n == 0 {
        return best;
    }
    for _ in 0..rounds {
        if Instant::now() >= deadline {
            break;
        }
        // Clear the weeks of a few people who could work where the roster falls short (or,
        // when it does not, who share a location-day with someone), so that shifts can
        // move between them; then rebuild them and the rest.
        let short: Vec<usize> = (0..state.on.len())
            .filter(|s| state.on[*s] < people.need[*s])
            .collect();
        let cell = if !short.is_empty() && rng.gen_bool(0.7) {
            let s = short[rng.gen_range(0..short.len())];
            people
                .placements
                .iter()
                .find(|p| p.covers.contains(&s))
                .map(|p| p.cell)
        } else {
            let first = rng.gen_range(0..n);
            state.weeks[first]
                .iter()
                .flatten()
                .next()
                .map(|p| people.placements[*p].cell)
        };
        let mut ruined: Vec<usize> = match cell {
            Some(cell) => (0..n)
                .filter(|j| {
                    people.people[*j]
                        .days
                        .iter()
                        .flatten()
                        .any(|p| people.placements[*p].cell == cell)
                })
                .collect(),
            None => vec![rng.gen_range(0..n)],
        };
        ruined.shuffle(&mut rng);
        ruined.truncate(rng.gen_range(2..=6));
        for &j in &ruined {
            state.set_week(j, vec![None; people.people[j].days.len()]);
        }
        for &j in &ruined {
            state.best_response(j);
        }
        state.descend(&mut rng, deadline);
        if state.cost < best.1 - 1e-9 {
            best = (state.weeks.clone(), state.cost);
        } else if state.cost > best.1 + 1e-9 {
            state = State::new(people, weights, best.0.clone());
        }
    }
    best
}
