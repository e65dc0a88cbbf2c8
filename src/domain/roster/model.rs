//! The roster's inputs and outputs: the problem as planners state it, the roster found,
//! and what an organisation file says for planning.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::hours::TimeRange;
use crate::domain::Slug;

pub use skranke_roster_search::Weights;

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
