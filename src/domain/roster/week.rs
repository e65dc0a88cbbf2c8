//! Each person's week as the optimiser sees it, made from the problem: every shift they may
//! work (a template at a location on a day) and the intervals it covers. The best week for
//! one person, the search and the bound over them are the crate `skranke-roster-search`.

use chrono::{DateTime, Duration, Utc};

use super::index::{is_eligible, works_counter, Index};
use super::model::Problem;
use super::rules::MIN_REST_HOURS;

pub use skranke_roster_search::week::{People, Person, Placement};

/// A template worked in a cell: the counter intervals it covers, and the errand intervals
/// it covers for those who can handle the errand.
struct CellShift {
    template: usize,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    counters: Vec<usize>,
    errands: Vec<(usize, crate::domain::Slug)>,
}

fn gcd(a: i64, b: i64) -> i64 {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

pub fn people(problem: &Problem, index: &Index) -> People {
    let mut need = Vec::new();
    let mut counter = Vec::new();
    let mut counter_offset = Vec::with_capacity(index.cells.len());
    let mut skill_offset = Vec::with_capacity(index.cells.len());
    for cell in &index.cells {
        counter_offset.push(need.len());
        need.extend(cell.needs.iter().map(|n| n.staff));
        counter.extend(cell.needs.iter().map(|_| true));
        skill_offset.push(need.len());
        need.extend(cell.skill_needs.iter().map(|n| n.staff));
        counter.extend(cell.skill_needs.iter().map(|_| false));
    }
    let unit = problem
        .templates
        .iter()
        .map(|t| t.paid_minutes().max(1))
        .fold(0, gcd)
        .max(1);
    let day_of = |date| problem.dates.iter().position(|d| *d == date);
    // The shifts of each cell, shared by everyone who may work there.
    let mut by_cell: Vec<Vec<CellShift>> = Vec::new();
    for (c, cell) in index.cells.iter().enumerate() {
        let mut list = Vec::new();
        for &t in &cell.templates {
            let Some((start, end)) = index.shift_times(problem, t, cell.site, cell.date) else {
                continue;
            };
            let counters = cell
                .needs
                .iter()
                .enumerate()
                .filter(|(_, n)| index.covers(problem, t, cell.site, n.start))
                .map(|(r, _)| counter_offset[c] + r)
                .collect();
            let errands = cell
                .skill_needs
                .iter()
                .enumerate()
                .filter(|(_, n)| index.covers(problem, t, cell.site, n.start))
                .map(|(r, n)| (skill_offset[c] + r, n.service.clone()))
                .collect();
            list.push(CellShift {
                template: t,
                start,
                end,
                counters,
                errands,
            });
        }
        by_cell.push(list);
    }
    let mut placements = Vec::new();
    let mut people = Vec::new();
    for (w, worker) in problem.workers.iter().enumerate() {
        let mut days = vec![Vec::new(); problem.dates.len()];
        for (c, cell) in index.cells.iter().enumerate() {
            let Some(day) = day_of(cell.date) else {
                continue;
            };
            if !is_eligible(problem, worker, cell.site, cell.date) {
                continue;
            }
            let away = worker.home.as_ref() != Some(&problem.sites[cell.site].slug);
            let at_counter = works_counter(problem, worker, cell.site);
            for shift in &by_cell[c] {
                let minutes = problem.templates[shift.template].paid_minutes();
                if minutes > i64::from(worker.contract_minutes) {
                    continue;
                }
                let mut covers = if at_counter {
                    shift.counters.clone()
                } else {
                    Vec::new()
                };
                covers.extend(
                    shift
                        .errands
                        .iter()
                        .filter(|(_, service)| worker.services.contains(service))
                        .map(|(s, _)| *s),
                );
                if covers.is_empty() {
                    continue;
                }
                days[day].push(placements.len());
                placements.push(Placement {
                    cell: c,
                    template: shift.template,
                    start: shift.start,
                    end: shift.end,
                    units: (minutes.max(0) / unit) as usize,
                    away,
                    covers,
                });
            }
        }
        let rest = Duration::hours(MIN_REST_HOURS);
        let rest_binds = (1..days.len()).any(|d| {
            days[d - 1].iter().any(|a| {
                days[d].iter().any(|b| {
                    let (a, b) = (&placements[*a], &placements[*b]);
                    b.start < a.end + rest && a.start < b.end + rest
                })
            })
        });
        people.push(Person {
            worker: w,
            days,
            capacity: (i64::from(worker.contract_minutes) / unit) as usize,
            rest_binds,
        });
    }
    People {
        placements,
        people,
        need,
        counter,
    }
}
