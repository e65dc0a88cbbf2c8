//! Stage 2: named staff on the counted shifts, day by day, keeping every rule.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::index::{is_eligible, works_counter, Index};
use super::model::{Problem, Shift};
use super::rules::MIN_REST_HOURS;

/// One shift to fill.
struct Slot {
    site: usize,
    template: usize,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    candidates: Vec<usize>,
}

/// What is known of a person so far in the week.
#[derive(Default, Clone)]
struct Week {
    minutes: i64,
    shifts: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

pub fn assign(problem: &Problem, index: &Index, counts: &[Vec<u32>]) -> Vec<Shift> {
    let mut weeks = vec![Week::default(); problem.workers.len()];
    let mut out = Vec::new();
    let mut dates = problem.dates.clone();
    dates.sort();
    for date in dates {
        let mut slots = slots_on(problem, index, counts, date, &weeks);
        // The hardest to fill first, so that the easy ones do not take their people.
        slots.sort_by_key(|s| (s.candidates.len(), s.start));
        let matched = match_day(&slots);
        for (s, worker) in matched.iter().enumerate() {
            let Some(w) = worker else { continue };
            let slot = &slots[s];
            weeks[*w].minutes += problem.templates[slot.template].paid_minutes();
            weeks[*w].shifts.push((slot.start, slot.end));
            out.push(Shift {
                worker: problem.workers[*w].name.clone(),
                location: problem.sites[slot.site].slug.clone(),
                date,
                template: problem.templates[slot.template].slug.clone(),
                start: slot.start,
                end: slot.end,
            });
        }
    }
    out
}

fn slots_on(
    problem: &Problem,
    index: &Index,
    counts: &[Vec<u32>],
    date: NaiveDate,
    weeks: &[Week],
) -> Vec<Slot> {
    let mut slots = Vec::new();
    for (c, cell) in index
        .cells
        .iter()
        .enumerate()
        .filter(|(_, c)| c.date == date)
    {
        for (k, n) in counts[c].iter().enumerate() {
            let template = cell.templates[k];
            let Some((start, end)) = index.shift_times(problem, template, cell.site, date) else {
                continue;
            };
            let mut candidates: Vec<usize> = (0..problem.workers.len())
                .filter(|w| {
                    may_take(
                        problem, *w, &weeks[*w], cell.site, template, date, start, end,
                    )
                })
                .collect();
            let site = &problem.sites[cell.site].slug;
            let template_slug = &problem.templates[template].slug;
            candidates.sort_by(|a, b| {
                let key = |w: usize| {
                    let worker = &problem.workers[w];
                    (
                        worker.home.as_ref() != Some(site),
                        weeks[w].minutes as f64 / f64::from(worker.contract_minutes.max(1)),
                        !worker.preferred_templates.contains(template_slug),
                    )
                };
                let (ka, kb) = (key(*a), key(*b));
                ka.0.cmp(&kb.0)
                    .then(ka.1.total_cmp(&kb.1))
                    .then(ka.2.cmp(&kb.2))
                    .then(problem.workers[*a].name.cmp(&problem.workers[*b].name))
            });
            for _ in 0..*n {
                slots.push(Slot {
                    site: cell.site,
                    template,
                    start,
                    end,
                    candidates: candidates.clone(),
                });
            }
        }
    }
    slots
}

#[allow(clippy::too_many_arguments)]
fn may_take(
    problem: &Problem,
    w: usize,
    week: &Week,
    site: usize,
    template: usize,
    date: NaiveDate,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
) -> bool {
    let worker = &problem.workers[w];
    let rest = Duration::hours(MIN_REST_HOURS);
    is_eligible(problem, worker, site, date)
        && works_counter(problem, worker, site)
        && week.minutes + problem.templates[template].paid_minutes()
            <= i64::from(worker.contract_minutes)
        && week
            .shifts
            .iter()
            .all(|(s, e)| start >= *e + rest || end + rest <= *s)
}

/// A maximum matching of people to the day's slots (each person at most one): slots in
/// order, each taking its best free candidate or, by an augmenting path, one whose slot
/// can move to another person.
fn match_day(slots: &[Slot]) -> Vec<Option<usize>> {
    let mut slot_of: HashMap<usize, usize> = HashMap::new();
    let mut worker_of: Vec<Option<usize>> = vec![None; slots.len()];
    for s in 0..slots.len() {
        let mut seen = vec![false; slots.len()];
        augment(s, slots, &mut slot_of, &mut worker_of, &mut seen);
    }
    worker_of
}

fn augment(
    s: usize,
    slots: &[Slot],
    slot_of: &mut HashMap<usize, usize>,
    worker_of: &mut [Option<usize>],
    seen: &mut [bool],
) -> bool {
    for &w in &slots[s].candidates {
        let taken = slot_of.get(&w).copied();
        if let Some(t) = taken {
            if seen[t] {
                continue;
            }
            seen[t] = true;
            if !augment(t, slots, slot_of, worker_of, seen) {
                continue;
            }
        }
        slot_of.insert(w, s);
        worker_of[s] = Some(w);
        return true;
    }
    false
}
