//! The index the solver works on: each location's days as cells with their needs and the
//! templates and staff that can cover them, and the lookups from names to positions,
//! prepared once per solve from a [`Problem`].

use std::collections::HashMap;

use chrono::{DateTime, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};

use super::model::{Need, Problem, RosterError, SkillNeed, Worker};
use crate::domain::Slug;

/// One location on one day: the unit the counts are found for.
#[derive(Debug, Clone)]
pub struct Cell {
    pub site: usize,
    pub date: NaiveDate,
    /// In time order.
    pub needs: Vec<Need>,
    /// The errands to cover here this day.
    pub skill_needs: Vec<SkillNeed>,
    /// Templates that cover at least one of the needs and are worked here.
    pub templates: Vec<usize>,
    /// Staff who may work here that day.
    pub available: u32,
    /// Of those, the ones whose home it is.
    pub home: u32,
}

/// Lookups prepared once per solve.
#[derive(Debug, Clone)]
pub struct Index {
    sites: HashMap<Slug, usize>,
    templates: HashMap<Slug, usize>,
    workers: HashMap<String, usize>,
    cell_by: HashMap<(usize, NaiveDate), usize>,
    pub cells: Vec<Cell>,
    /// Per date of the problem: staff who may work somewhere that day.
    pub available_on: HashMap<NaiveDate, u32>,
}

impl Index {
    pub fn new(problem: &Problem) -> Result<Self, RosterError> {
        let sites: HashMap<Slug, usize> = problem
            .sites
            .iter()
            .enumerate()
            .map(|(i, s)| (s.slug.clone(), i))
            .collect();
        let templates = problem
            .templates
            .iter()
            .enumerate()
            .map(|(i, t)| (t.slug.clone(), i))
            .collect();
        let mut workers = HashMap::new();
        for (i, w) in problem.workers.iter().enumerate() {
            if workers.insert(w.name.clone(), i).is_some() {
                return Err(RosterError::Invalid {
                    field: "staff",
                    message: format!("{} is listed twice", w.name),
                });
            }
        }
        if problem.interval_minutes == 0 {
            return Err(RosterError::Invalid {
                field: "interval_minutes",
                message: "must be above 0".into(),
            });
        }
        let mut index = Self {
            sites,
            templates,
            workers,
            cell_by: HashMap::new(),
            cells: Vec::new(),
            available_on: HashMap::new(),
        };
        for need in &problem.needs {
            if let Some(cell) = index.cell_for(problem, &need.location, need.start)? {
                index.cells[cell].needs.push(need.clone());
            }
        }
        for need in &problem.skill_needs {
            if let Some(cell) = index.cell_for(problem, &need.location, need.start)? {
                index.cells[cell].skill_needs.push(need.clone());
            }
        }
        for c in 0..index.cells.len() {
            let (site, date) = (index.cells[c].site, index.cells[c].date);
            index.cells[c].needs.sort_by_key(|n| n.start);
            let templates: Vec<usize> = (0..problem.templates.len())
                .filter(|t| {
                    problem.templates[*t].is_worked_at(&problem.sites[site].slug)
                        && index.shift_times(problem, *t, site, date).is_some()
                        && (index.cells[c]
                            .needs
                            .iter()
                            .any(|n| index.covers(problem, *t, site, n.start))
                            || index.cells[c]
                                .skill_needs
                                .iter()
                                .any(|n| index.covers(problem, *t, site, n.start)))
                })
                .collect();
            let eligible = problem
                .workers
                .iter()
                .filter(|w| is_eligible(problem, w, site, date) && works_counter(problem, w, site));
            let (mut available, mut home) = (0, 0);
            for w in eligible {
                available += 1;
                if w.home.as_ref() == Some(&problem.sites[site].slug) {
                    home += 1;
                }
            }
            let cell = &mut index.cells[c];
            cell.templates = templates;
            cell.available = available;
            cell.home = home;
        }
        for date in &problem.dates {
            let n = problem
                .workers
                .iter()
                .filter(|w| (0..problem.sites.len()).any(|s| is_eligible(problem, w, s, *date)))
                .count();
            index.available_on.insert(*date, n as u32);
        }
        Ok(index)
    }

    /// The cell of a need at `location` from `start`, made on its first need; `None` for a
    /// need on a day the problem does not plan, and an error for a location it does not.
    fn cell_for(
        &mut self,
        problem: &Problem,
        location: &Slug,
        start: DateTime<Utc>,
    ) -> Result<Option<usize>, RosterError> {
        let site = self.site_of(location).ok_or_else(|| RosterError::Invalid {
            field: "locations",
            message: format!("'{location}' is required but not planned"),
        })?;
        let date = start.with_timezone(&problem.sites[site].zone).date_naive();
        if !problem.dates.contains(&date) {
            return Ok(None);
        }
        let next = self.cells.len();
        let cell = *self.cell_by.entry((site, date)).or_insert(next);
        if cell == next {
            self.cells.push(Cell {
                site,
                date,
                needs: Vec::new(),
                skill_needs: Vec::new(),
                templates: Vec::new(),
                available: 0,
                home: 0,
            });
        }
        Ok(Some(cell))
    }

    pub fn site_of(&self, slug: &Slug) -> Option<usize> {
        self.sites.get(slug).copied()
    }

    pub fn template_of(&self, slug: &Slug) -> Option<usize> {
        self.templates.get(slug).copied()
    }

    pub fn worker_of(&self, name: &str) -> Option<usize> {
        self.workers.get(name).copied()
    }

    pub fn cell_of(&self, site: usize, date: NaiveDate) -> Option<usize> {
        self.cell_by.get(&(site, date)).copied()
    }

    /// Whether a shift of `template` at `site` is on duty in the interval from `start`.
    pub fn covers(
        &self,
        problem: &Problem,
        template: usize,
        site: usize,
        start: DateTime<Utc>,
    ) -> bool {
        let local = start.with_timezone(&problem.sites[site].zone);
        problem.templates[template].on_duty(local.time(), problem.interval_minutes)
    }

    /// The UTC start and end of `template` worked at `site` on local `date`; `None` when a
    /// clock change removes its start or end that day.
    pub fn shift_times(
        &self,
        problem: &Problem,
        template: usize,
        site: usize,
        date: NaiveDate,
    ) -> Option<(DateTime<Utc>, DateTime<Utc>)> {
        let zone = problem.sites[site].zone;
        let t = &problem.templates[template];
        let at = |time: NaiveTime| match zone.from_local_datetime(&date.and_time(time)) {
            LocalResult::Single(s) | LocalResult::Ambiguous(s, _) => Some(s.with_timezone(&Utc)),
            LocalResult::None => None,
        };
        Some((at(t.start)?, at(t.end)?))
    }
}

/// Whether `worker` may be rostered at `site` on `date`: present, allowed there, and able
/// to handle one of its errands, at the counter or in the back office.
pub fn is_eligible(problem: &Problem, worker: &Worker, site: usize, date: NaiveDate) -> bool {
    let site = &problem.sites[site];
    !worker.is_absent(date)
        && worker.locations.contains(&site.slug)
        && worker
            .services
            .iter()
            .any(|s| site.services.contains(s) || site.back_office.contains(s))
        && worker.contract_minutes > 0
}

/// Whether `worker`, on duty at `site`, is counter staff there: they handle one of the
/// errands served at its counters.
pub fn works_counter(problem: &Problem, worker: &Worker, site: usize) -> bool {
    let site = &problem.sites[site];
    worker.services.iter().any(|s| site.services.contains(s))
}
