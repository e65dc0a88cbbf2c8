//! Each person's week as the optimiser sees it: every shift they may work (a template at a
//! location on a day), and the best week for one person when each shift has a value: the
//! step that both the local search and the Lagrangian bound are built on.

use chrono::{DateTime, Duration, Utc};

use crate::MIN_REST_HOURS;

/// One shift a person may work.
#[derive(Debug, Clone)]
pub struct Placement {
    pub cell: usize,
    pub template: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    /// Paid time, in units of the greatest common divisor of the templates' minutes.
    pub units: usize,
    /// Away from the person's home location.
    pub away: bool,
    /// The intervals (indices into [`People::need`]) it is on duty for.
    pub covers: Vec<usize>,
}

/// One person's possible shifts, by day.
#[derive(Debug, Clone)]
pub struct Person {
    pub worker: usize,
    /// Per day of the problem: indices into [`People::placements`].
    pub days: Vec<Vec<usize>>,
    /// The contract, in units.
    pub capacity: usize,
    /// Whether two of their possible shifts on consecutive days leave less than the rest
    /// required between them (then the best week keeps the previous day in view).
    pub rest_binds: bool,
}

/// Everyone's possible shifts, and the intervals they cover.
#[derive(Debug, Clone)]
pub struct People {
    pub placements: Vec<Placement>,
    pub people: Vec<Person>,
    /// Staff required per interval: of each cell in order, its counter needs, then its
    /// errands to cover.
    pub need: Vec<u32>,
    /// Whether staff beyond the need cost over-cover (counters) or nothing (errands).
    pub counter: Vec<bool>,
}

impl People {
    /// The week of most value for `person`: at most one shift a day, within the contract
    /// and the rest between days, each shift worth `value(placement)`; only shifts of
    /// positive value are worked. Returns the value and the shift of each day.
    pub fn best_week(
        &self,
        person: &Person,
        value: impl Fn(usize) -> f64,
    ) -> (f64, Vec<Option<usize>>) {
        if person.rest_binds {
            return self.best_week_with_rest(person, value);
        }
        let cap = person.capacity;
        let none = usize::MAX;
        let mut best = vec![f64::NEG_INFINITY; cap + 1];
        best[0] = 0.0;
        let mut choice: Vec<Vec<usize>> = Vec::with_capacity(person.days.len());
        for day in &person.days {
            let mut next = best.clone();
            let mut chosen = vec![none; cap + 1];
            for &p in day {
                let v = value(p);
                if v <= 1e-12 {
                    continue;
                }
                let units = self.placements[p].units;
                for m in units..=cap {
                    let from = best[m - units];
                    if from > f64::NEG_INFINITY && from + v > next[m] + 1e-12 {
                        next[m] = from + v;
                        chosen[m] = p;
                    }
                }
            }
            best = next;
            choice.push(chosen);
        }
        let (mut m, total) =
            best.iter().enumerate().fold(
                (0, 0.0),
                |acc, (m, v)| if *v > acc.1 + 1e-12 { (m, *v) } else { acc },
            );
        let mut week = vec![None; person.days.len()];
        for d in (0..person.days.len()).rev() {
            let p = choice[d][m];
            if p != none {
                week[d] = Some(p);
                m -= self.placements[p].units;
            }
        }
        (total, week)
    }

    /// As [`People::best_week`], with the previous day's shift in the state.
    fn best_week_with_rest(
        &self,
        person: &Person,
        value: impl Fn(usize) -> f64,
    ) -> (f64, Vec<Option<usize>>) {
        let cap = person.capacity;
        let rest = Duration::hours(MIN_REST_HOURS);
        // State: units used and the shift of the previous day (slot 0 = none).
        let mut prev_options: Vec<usize> = Vec::new();
        let mut best = vec![vec![f64::NEG_INFINITY; cap + 1]];
        best[0][0] = 0.0;
        // Per day: for each state (option, units), the state of the previous day it came from.
        let mut back: Vec<Vec<Vec<(usize, usize)>>> = Vec::new();
        let mut options_by_day: Vec<Vec<usize>> = Vec::new();
        for day in &person.days {
            let options: Vec<usize> = day.iter().copied().filter(|p| value(*p) > 1e-12).collect();
            let width = options.len() + 1;
            let mut next = vec![vec![f64::NEG_INFINITY; cap + 1]; width];
            let mut from = vec![vec![(0usize, 0usize); cap + 1]; width];
            for (k, row) in best.iter().enumerate() {
                for (m, v) in row.iter().enumerate() {
                    if *v == f64::NEG_INFINITY {
                        continue;
                    }
                    if *v > next[0][m] {
                        next[0][m] = *v;
                        from[0][m] = (k, m);
                    }
                    for (j, &p) in options.iter().enumerate() {
                        let placement = &self.placements[p];
                        let mm = m + placement.units;
                        if mm > cap {
                            continue;
                        }
                        if k > 0 {
                            let q = &self.placements[prev_options[k - 1]];
                            if placement.start < q.end + rest {
                                continue;
                            }
                        }
                        let nv = v + value(p);
                        if nv > next[j + 1][mm] + 1e-12 {
                            next[j + 1][mm] = nv;
                            from[j + 1][mm] = (k, m);
                        }
                    }
                }
            }
            best = next;
            back.push(from);
            options_by_day.push(options.clone());
            prev_options = options;
        }
        let mut at = (0usize, 0usize);
        let mut total = 0.0;
        for (k, row) in best.iter().enumerate() {
            for (m, v) in row.iter().enumerate() {
                if *v > total + 1e-12 {
                    total = *v;
                    at = (k, m);
                }
            }
        }
        let mut week = vec![None; person.days.len()];
        for d in (0..person.days.len()).rev() {
            let (k, m) = at;
            if k > 0 {
                week[d] = Some(options_by_day[d][k - 1]);
            }
            at = back[d][k][m];
        }
        (total, week)
    }
}
