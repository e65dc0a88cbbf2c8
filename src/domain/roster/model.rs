//! The roster's inputs and outputs, and the index the solver works on.

use std::collections::HashMap;

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::hours::TimeRange;
use crate::domain::Slug;

/// A shift as worked: a local start and end on one day, with unpaid breaks inside.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTemplate {
    pub slug: Slug,
    pub start: NaiveTime,
    pub end: NaiveTime,
    pub breaks: Vec<TimeRange>,
    /// Where it is worked; empty means every location.
    pub locations: Vec<Slug>,
}

impl ShiftTemplate {
    /// Paid time: the shift less its breaks.
    pub fn paid_minutes(&self) -> i64 {
        (self.end - self.start).num_minutes()
            - self.breaks.iter().map(TimeRange::minutes).sum::<i64>()
    }

    pub fn is_worked_at(&self, location: &Slug) -> bool {
        self.locations.is_empty() || self.locations.contains(location)
    }

    /// On duty, not on a break, for the whole of `[from, from + minutes)` local time.
    pub fn on_duty(&self, from: NaiveTime, minutes: u32) -> bool {
        let (to, wrapped) = from.overflowing_add_signed(Duration::minutes(i64::from(minutes)));
        if wrapped != 0 || from < self.start || to > self.end {
            return false;
        }
        let span = TimeRange {
            start: from,
            end: to,
        };
        !self.breaks.iter().any(|b| b.overlaps(&span))
    }
}

/// A day, or days, a person is away (both ends included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Absence {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// A person who can be rostered.
#[derive(Debug, Clone, PartialEq)]
pub struct Worker {
    /// Unique; the username.
    pub name: String,
    /// The errands they can handle.
    pub services: Vec<Slug>,
    pub home: Option<Slug>,
    /// Where they may work.
    pub locations: Vec<Slug>,
    /// Contracted working time per week; the roster never exceeds it.
    pub contract_minutes: u32,
    pub absences: Vec<Absence>,
    /// Shift templates they would rather work.
    pub preferred_templates: Vec<Slug>,
}

impl Worker {
    pub fn is_absent(&self, date: NaiveDate) -> bool {
        self.absences.iter().any(|a| a.from <= date && date <= a.to)
    }
}

/// A location as the roster sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Site {
    pub slug: Slug,
    pub zone: Tz,
    /// Errands served at its counters: a person works a counter there only when they can
    /// handle one of them.
    pub services: Vec<Slug>,
    /// Phone and video meetings held from there: their holders work there in the back
    /// office, where they are no counter staff.
    pub back_office: Vec<Slug>,
}

/// Staff needed at a location in one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub location: Slug,
    pub start: DateTime<Utc>,
    pub staff: u32,
}

/// At least `staff` people on duty at a location in one interval who can handle `service`:
/// one for each counter errand forecast there, so that the errand mix is covered, and as
/// many as the phone and video meetings booked then take in the back office.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillNeed {
    pub location: Slug,
    pub start: DateTime<Utc>,
    pub service: Slug,
    pub staff: u32,
}

/// The weights of the objective, far enough apart to act lexicographically on the sizes
/// planned here: a whole week's travel and fairness cost less than one over-covered
/// interval, and all over-cover less than one uncovered one.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Weights {
    /// Per staff-interval short of the requirement.
    pub uncovered: f64,
    /// Per staff-interval beyond it.
    pub over: f64,
    /// Per shift away from home.
    pub travel: f64,
    /// Per hour of deviation from the contract share.
    pub fairness: f64,
}

impl Default for Weights {
    fn default() -> Self {
        Self {
            uncovered: 1000.0,
            over: 1.0,
            travel: 0.01,
            fairness: 0.0001,
        }
    }
}

/// Everything one roster is planned from.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    pub sites: Vec<Site>,
    /// The local dates planned.
    pub dates: Vec<NaiveDate>,
    pub interval_minutes: u32,
    pub needs: Vec<Need>,
    /// Errands to be covered by someone who can handle them.
    pub skill_needs: Vec<SkillNeed>,
    pub templates: Vec<ShiftTemplate>,
    pub workers: Vec<Worker>,
    pub weights: Weights,
}

/// One person on one shift.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Shift {
    pub worker: String,
    pub location: Slug,
    /// The local date at the location.
    pub date: NaiveDate,
    pub template: Slug,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

/// Required and planned staff at a location in one interval.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub location: Slug,
    pub start: DateTime<Utc>,
    pub required: u32,
    pub planned: u32,
}

/// An interval where an errand needs someone who can handle it and too few are on duty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SkillGap {
    pub location: Slug,
    pub start: DateTime<Utc>,
    pub service: Slug,
    pub required: u32,
    pub planned: u32,
}

/// The objective's terms, unweighted.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Parts {
    /// Staff-intervals short of the requirement.
    pub uncovered: u64,
    /// Errand-intervals short of someone who can handle the errand (weighted as uncovered).
    pub skill_uncovered: u64,
    /// Staff-intervals beyond it.
    pub over: u64,
    /// Shifts away from home.
    pub travel: u32,
    /// Σ |hours − contract share|.
    pub fairness_hours: f64,
}

/// A planned week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Roster {
    pub shifts: Vec<Shift>,
    pub coverage: Vec<Coverage>,
    pub skill_gaps: Vec<SkillGap>,
    pub parts: Parts,
    pub objective: f64,
    /// A valid lower bound of the objective of any roster that keeps the rules.
    pub lower_bound: f64,
    /// The LP relaxation's objective (one of the bounds).
    pub lp_relaxation: f64,
    pub gap: f64,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RosterError {
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("the optimiser failed: {0}")]
    Solver(String),
}

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
            let site = index
                .site_of(&need.location)
                .ok_or_else(|| RosterError::Invalid {
                    field: "locations",
                    message: format!("'{}' is required but not planned", need.location),
                })?;
            let date = need
                .start
                .with_timezone(&problem.sites[site].zone)
                .date_naive();
            if !problem.dates.contains(&date) {
                continue;
            }
            let next = index.cells.len();
            let cell = *index.cell_by.entry((site, date)).or_insert(next);
            if cell == next {
                index.cells.push(Cell {
                    site,
                    date,
                    needs: Vec::new(),
                    skill_needs: Vec::new(),
                    templates: Vec::new(),
                    available: 0,
                    home: 0,
                });
            }
            index.cells[cell].needs.push(need.clone());
        }
        for need in &problem.skill_needs {
            let Some(site) = index.site_of(&need.location) else {
                return Err(RosterError::Invalid {
                    field: "locations",
                    message: format!("'{}' is required but not planned", need.location),
                });
            };
            let date = need
                .start
                .with_timezone(&problem.sites[site].zone)
                .date_naive();
            if !problem.dates.contains(&date) {
                continue;
            }
            let next = index.cells.len();
            let cell = *index.cell_by.entry((site, date)).or_insert(next);
            if cell == next {
                index.cells.push(Cell {
                    site,
                    date,
                    needs: Vec::new(),
                    skill_needs: Vec::new(),
                    templates: Vec::new(),
                    available: 0,
                    home: 0,
                });
            }
            index.cells[cell].skill_needs.push(need.clone());
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

/// What an organisation file says for planning: its shift templates and each person's
/// contract, absences and preferences.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PlanningSpec {
    pub shift_templates: Vec<ShiftTemplate>,
    pub staff: Vec<StaffPlanning>,
}

/// One person's planning data, by username.
#[derive(Debug, Clone, PartialEq)]
pub struct StaffPlanning {
    pub username: String,
    /// 0 for someone who is not rostered (an administrator, say).
    pub contract_minutes: u32,
    pub absences: Vec<Absence>,
    pub preferred_templates: Vec<Slug>,
}

/// The longest shift: with 11 hours' rest, a longer one could never be followed the next day.
pub const MAX_SHIFT_HOURS: i64 = 13;
/// The most weekly hours a contract may state.
pub const MAX_CONTRACT_HOURS: f64 = 60.0;

/// The Monday and Sunday of an ISO week written `2027-W14`.
pub fn iso_week(raw: &str) -> Result<(NaiveDate, NaiveDate), String> {
    let refuse = || format!("'{raw}' is not an ISO week like 2027-W14");
    let (year, week) = raw.split_once("-W").ok_or_else(refuse)?;
    if year.len() != 4 || week.len() != 2 {
        return Err(refuse());
    }
    let year: i32 = year.parse().map_err(|_| refuse())?;
    let week: u32 = week.parse().map_err(|_| refuse())?;
    let monday = NaiveDate::from_isoywd_opt(year, week, chrono::Weekday::Mon)
        .ok_or_else(|| format!("{year} has no week {week}"))?;
    Ok((monday, monday + Duration::days(6)))
}
