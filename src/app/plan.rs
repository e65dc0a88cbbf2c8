//! Planning a period: forecast → staffing requirement → roster → simulated waits.
//!
//! Each step is the domain's (`forecast`, `erlang`, `roster`, `simulation`); what is here
//! is where they meet: reading a week's locations, errands, staff and forecast once, and
//! turning each step's answer into the next one's question. It is longer than a file of
//! one concept should be because that hand-over is one pipeline: cut by step, each part
//! would hold half of a conversion and the week it reads would be passed between them.

use std::collections::HashMap;

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::app::forecast::forecast;
use crate::domain::erlang::Target;
use crate::domain::forecast::IntervalForecast;
use crate::domain::organisation::{Location, Role};
use crate::domain::roster::{
    self, check_rules, Mode, Problem, RuleBreach, ShiftTemplate, Site, Weights, Worker,
};
use crate::domain::simulation::{simulate, summarise, StaffedInterval, WaitSummary};
use crate::domain::staffing::{errand_needs, requirements, ErrandLoad, StaffingPolicy};
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::store::{organisations, planning, DbConnection};

/// Who may plan and publish.
pub const PLANNER_ROLES: &[Role] = &[Role::Planner, Role::Admin];

/// The longest period planned at once.
pub const MAX_PLAN_DAYS: i64 = 14;
/// Replications of the simulation per plan, and its seed: the same plan gives the same waits.
const SIMULATION_RUNS: u32 = 20;
const SIMULATION_SEED: u64 = 6;

/// The waiting-time target as planners and the API write it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged, deny_unknown_fields)]
pub enum TargetSpec {
    /// A share served within a time: `{"service_level": 0.8, "within_minutes": 10}`.
    ServiceLevel {
        service_level: f64,
        within_minutes: f64,
    },
    /// `{"average_wait_minutes": 4}`.
    AverageWait { average_wait_minutes: f64 },
}

/// Which part of a target was wrong, so that each interface can name its own field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TargetField {
    ServiceLevel,
    WithinMinutes,
    AverageWaitMinutes,
}

impl TargetSpec {
    pub fn to_target(&self) -> Result<Target, (TargetField, String)> {
        match *self {
            Self::ServiceLevel {
                service_level,
                within_minutes,
            } => {
                if !(within_minutes.is_finite() && within_minutes >= 0.0) {
                    return Err((
                        TargetField::WithinMinutes,
                        format!("must be 0 or more, not {within_minutes}"),
                    ));
                }
                Target::service_level(service_level, within_minutes * 60.0)
                    .map_err(|e| (TargetField::ServiceLevel, message_of(&e)))
            }
            Self::AverageWait {
                average_wait_minutes,
            } => Target::average_wait(average_wait_minutes * 60.0).map_err(|_| {
                (
                    TargetField::AverageWaitMinutes,
                    format!("must be above 0, not {average_wait_minutes}"),
                )
            }),
        }
    }
}

fn message_of(e: &crate::domain::erlang::ErlangError) -> String {
    match e {
        crate::domain::erlang::ErlangError::Invalid { message, .. } => message.clone(),
        other => other.to_string(),
    }
}

/// What to plan.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanRequest {
    /// Every location when empty.
    pub locations: Vec<Slug>,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub target: TargetSpec,
    /// Only these staff (usernames); everyone with a contract when `None`.
    pub staff: Option<Vec<String>>,
}

/// One interval of the plan at one location.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanInterval {
    #[schema(value_type = String)]
    pub location: Slug,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    /// Expected citizens: walk-ins and the booked who come.
    pub forecast: f64,
    /// Desks needed to meet the target.
    pub required: u32,
    /// Desks staffed by the roster.
    pub planned: u32,
    pub simulated_wait_minutes: f64,
    pub met: bool,
}

/// One shift of the plan.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanShift {
    /// The username.
    pub staff: String,
    #[schema(value_type = String)]
    pub location: Slug,
    /// The shift template worked.
    #[schema(value_type = String)]
    pub template: Slug,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
}

/// An interval where an errand is forecast, or meetings are booked, and fewer who can
/// handle it are on duty than it needs (counted in `parts.skill_uncovered`).
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanSkillGap {
    #[schema(value_type = String)]
    pub location: Slug,
    #[schema(value_type = String)]
    pub service: Slug,
    #[schema(value_type = String, format = DateTime)]
    pub start: DateTime<FixedOffset>,
    pub required: u32,
    pub planned: u32,
}

/// Shares that tell at a glance how good the plan is.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct PlanSummary {
    pub intervals: usize,
    /// Share of intervals where planned ≥ required.
    pub covered_share: f64,
    /// Share of intervals where the simulation meets the target.
    pub met_share: f64,
    pub shifts: usize,
    /// Hours of the shifts together.
    pub staff_hours: f64,
    /// The simulated waits of the whole period.
    pub waits: WaitSummary,
    /// Working-time rules the roster breaks (always 0; checked independently of the solver).
    pub rule_breaches: usize,
}

/// A planned period.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Plan {
    pub lower_bound: f64,
    pub lp_relaxation: f64,
    pub objective: f64,
    pub gap: f64,
    /// The objective's terms: staff-intervals uncovered and over-covered, shifts away
    /// from home, hours of deviation from the contract shares.
    #[schema(value_type = Object)]
    pub parts: roster::Parts,
    pub summary: PlanSummary,
    pub intervals: Vec<PlanInterval>,
    pub shifts: Vec<PlanShift>,
    pub skill_gaps: Vec<PlanSkillGap>,
}

/// The target as a `TargetSpec` error for the API: the field under `target`.
pub fn target_error(field: TargetField, message: String, prefix: &str) -> AppError {
    let name = match field {
        TargetField::ServiceLevel => "service_level",
        TargetField::WithinMinutes => "within_minutes",
        TargetField::AverageWaitMinutes => "average_wait_minutes",
    };
    AppError::invalid_field(&format!("{prefix}{name}"), message)
}

/// What a plan is made from: the roster's problem and what the report needs besides.
pub struct PlanInputs {
    pub problem: Problem,
    pub target: Target,
    pub locations: Vec<Location>,
    pub demand: Vec<IntervalForecast>,
    /// The part of `demand` that queues at the counters, which the simulation runs: phone
    /// and video meetings and citizens at a resource desk never stand in that queue.
    pub at_counter: Vec<IntervalForecast>,
    pub needs: Vec<crate::domain::staffing::Requirement>,
}

/// A period as it is read once from the database: the organisation, the forecast and the
/// staff. What-if scenarios change copies of it before it is planned.
#[derive(Debug, Clone)]
pub struct Week {
    pub target: Target,
    pub locations: Vec<Location>,
    pub dates: Vec<NaiveDate>,
    pub demand: Vec<IntervalForecast>,
    pub workers: Vec<Worker>,
    /// How each errand offered at each location loads its staff.
    offers: HashMap<(Slug, Slug), ErrandLoad>,
    /// Staffed desks per location: nobody can be rostered to a counter that is not there.
    counters: HashMap<Slug, u32>,
    templates: Vec<ShiftTemplate>,
}

/// Reads what `request`'s period is planned from; bad input is named by its field.
pub fn read_week(
    conn: &mut DbConnection,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> AppResult<Week> {
    let target = request
        .target
        .to_target()
        .map_err(|(field, message)| target_error(field, message, "target."))?;
    if request.to < request.from {
        return Err(AppError::invalid_field(
            "period",
            "must not end before it starts",
        ));
    }
    if (request.to - request.from).num_days() >= MAX_PLAN_DAYS {
        return Err(AppError::invalid_field(
            "period",
            format!("plan at most {MAX_PLAN_DAYS} days at a time"),
        ));
    }
    let locations = chosen_locations(conn, &request.locations)?;
    let slugs: Vec<Slug> = locations.iter().map(|l| l.slug.clone()).collect();
    let demand = forecast(
        conn,
        &slugs,
        request.from,
        request.to,
        crate::domain::demand::INTERVAL_MINUTES,
        now,
    )?;
    let mut counters = HashMap::new();
    for l in &locations {
        let desks = organisations::desks_at(conn, l.id)?;
        let staffed = desks.iter().filter(|d| d.kind.is_staffed()).count();
        counters.insert(l.slug.clone(), staffed as u32);
    }
    Ok(Week {
        target,
        dates: request
            .from
            .iter_days()
            .take_while(|d| *d <= request.to)
            .collect(),
        demand,
        workers: chosen_workers(conn, request.staff.as_deref())?,
        offers: offers(conn, &locations)?,
        counters,
        templates: planning::templates(conn)?,
        locations,
    })
}

/// Reads the organisation and history and prepares `request`'s roster problem.
pub fn prepare(
    conn: &mut DbConnection,
    request: &PlanRequest,
    now: DateTime<Utc>,
) -> AppResult<PlanInputs> {
    read_week(conn, request, now)?.inputs()
}

/// Plans `request`: reads the organisation and history, writes nothing.
pub fn plan(conn: &mut DbConnection, request: &PlanRequest, now: DateTime<Utc>) -> AppResult<Plan> {
    plan_inputs(prepare(conn, request, now)?)
}

impl Week {
    /// The same week with other demand and staff.
    pub fn with(&self, demand: Vec<IntervalForecast>, workers: Vec<Worker>) -> Week {
        Week {
            demand,
            workers,
            ..self.clone()
        }
    }

    /// How the errand `service` at `location` loads its staff.
    pub fn load(&self, location: &Slug, service: &Slug) -> ErrandLoad {
        self.offers
            .get(&(location.clone(), service.clone()))
            .copied()
            .unwrap_or(ErrandLoad::Unstaffed)
    }

    /// The staffing requirement and the roster's problem of the week.
    pub fn inputs(&self) -> AppResult<PlanInputs> {
        let (counter, back_office): (Vec<_>, Vec<_>) = self
            .demand
            .iter()
            .filter(|f| self.load(&f.location, &f.service) != ErrandLoad::Unstaffed)
            .cloned()
            .partition(|f| self.load(&f.location, &f.service) == ErrandLoad::Counter);
        let policy = StaffingPolicy::new(self.target);
        let needs = requirements(&counter, &policy)
            .map_err(|e| AppError::invalid_field("target", e.to_string()))?;
        let errands =
            errand_needs(&counter, &back_office).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(PlanInputs {
            problem: self.problem(&needs, errands),
            target: self.target,
            locations: self.locations.clone(),
            demand: self.demand.clone(),
            at_counter: counter,
            needs,
        })
    }

    fn problem(
        &self,
        needs: &[crate::domain::staffing::Requirement],
        skill_needs: Vec<roster::SkillNeed>,
    ) -> Problem {
        let offered = |at: &Slug, load: ErrandLoad| -> Vec<Slug> {
            let mut list: Vec<Slug> = self
                .offers
                .iter()
                .filter(|((l, _), kind)| l == at && **kind == load)
                .map(|((_, s), _)| s.clone())
                .collect();
            list.sort();
            list
        };
        Problem {
            sites: self
                .locations
                .iter()
                .map(|l| Site {
                    slug: l.slug.clone(),
                    zone: l.timezone,
                    services: offered(&l.slug, ErrandLoad::Counter),
                    back_office: offered(&l.slug, ErrandLoad::BackOffice),
                })
                .collect(),
            dates: self.dates.clone(),
            interval_minutes: crate::domain::demand::INTERVAL_MINUTES,
            // The roster aims at the requirement up to the location's counters, and what
            // lies beyond stays uncovered.
            needs: needs
                .iter()
                .map(|n| roster::Need {
                    location: n.location.clone(),
                    start: n.start,
                    staff: n
                        .staff
                        .min(self.counters.get(&n.location).copied().unwrap_or(0)),
                })
                .collect(),
            skill_needs,
            templates: self.templates.clone(),
            workers: self.workers.clone(),
            weights: Weights::default(),
        }
    }
}

/// Rosters and simulates prepared inputs.
pub fn plan_inputs(inputs: PlanInputs) -> AppResult<Plan> {
    let PlanInputs {
        problem,
        target,
        locations,
        demand: _,
        at_counter,
        needs,
    } = inputs;
    let solved = roster::solve(&problem, Mode::Exact).map_err(|e| match e {
        roster::RosterError::Invalid { field, message } => AppError::invalid_field(field, message),
        roster::RosterError::Solver(m) => AppError::Internal(m),
    })?;
    let breaches: Vec<RuleBreach> = check_rules(&problem, &solved.shifts);
    let staffed: Vec<StaffedInterval> = solved
        .coverage
        .iter()
        .map(|c| StaffedInterval {
            location: c.location.clone(),
            start: c.start,
            desks: c.planned,
        })
        .collect();
    let simulated = simulate(
        &at_counter,
        &staffed,
        &target,
        SIMULATION_RUNS,
        SIMULATION_SEED,
    );
    let waits_summary = summarise(&simulated);
    let waits: HashMap<(Slug, DateTime<Utc>), (f64, bool)> = simulated
        .into_iter()
        .map(|s| ((s.location, s.start), (s.mean_wait_minutes, s.met)))
        .collect();
    let zones: HashMap<&Slug, chrono_tz::Tz> =
        locations.iter().map(|l| (&l.slug, l.timezone)).collect();
    let local = |slug: &Slug, t: DateTime<Utc>| t.with_timezone(&zones[slug]).fixed_offset();
    let required: HashMap<(Slug, DateTime<Utc>), u32> = needs
        .iter()
        .map(|n| ((n.location.clone(), n.start), n.staff))
        .collect();
    let arrivals: HashMap<(Slug, DateTime<Utc>), f64> = needs
        .iter()
        .map(|n| ((n.location.clone(), n.start), n.arrivals))
        .collect();
    let intervals: Vec<PlanInterval> = solved
        .coverage
        .iter()
        .map(|c| {
            let key = (c.location.clone(), c.start);
            let (wait, met) = waits.get(&key).copied().unwrap_or((0.0, false));
            PlanInterval {
                location: c.location.clone(),
                start: local(&c.location, c.start),
                forecast: round2(arrivals.get(&key).copied().unwrap_or(0.0)),
                required: required.get(&key).copied().unwrap_or(c.required),
                planned: c.planned,
                simulated_wait_minutes: round2(wait),
                met,
            }
        })
        .collect();
    let shifts: Vec<PlanShift> = solved
        .shifts
        .iter()
        .map(|s| PlanShift {
            staff: s.worker.clone(),
            location: s.location.clone(),
            template: s.template.clone(),
            start: local(&s.location, s.start),
            end: local(&s.location, s.end),
        })
        .collect();
    let skill_gaps = solved
        .skill_gaps
        .iter()
        .map(|g| PlanSkillGap {
            location: g.location.clone(),
            service: g.service.clone(),
            start: local(&g.location, g.start),
            required: g.required,
            planned: g.planned,
        })
        .collect();
    let n = intervals.len().max(1) as f64;
    Ok(Plan {
        lower_bound: solved.lower_bound,
        lp_relaxation: solved.lp_relaxation,
        objective: solved.objective,
        gap: solved.gap,
        parts: solved.parts,
        summary: PlanSummary {
            intervals: intervals.len(),
            covered_share: intervals.iter().filter(|i| i.planned >= i.required).count() as f64 / n,
            met_share: intervals.iter().filter(|i| i.met).count() as f64 / n,
            shifts: shifts.len(),
            staff_hours: round2(
                shifts
                    .iter()
                    .map(|s| (s.end - s.start).num_minutes() as f64 / 60.0)
                    .sum(),
            ),
            waits: waits_summary,
            rule_breaches: breaches.len(),
        },
        intervals,
        shifts,
        skill_gaps,
    })
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// The locations asked for (all when none), each known.
pub fn chosen_locations(conn: &mut DbConnection, asked: &[Slug]) -> AppResult<Vec<Location>> {
    let all = organisations::list_locations(conn)?;
    let unknown: Vec<FieldError> = asked
        .iter()
        .enumerate()
        .filter(|(_, s)| !all.iter().any(|l| &l.slug == *s))
        .map(|(i, s)| {
            FieldError::new(
                format!("locations[{i}]"),
                format!("there is no location '{s}'"),
            )
        })
        .collect();
    if !unknown.is_empty() {
        return Err(AppError::invalid(
            format!("locations: {}", unknown[0].message),
            unknown,
        ));
    }
    Ok(all
        .into_iter()
        .filter(|l| asked.is_empty() || asked.contains(&l.slug))
        .collect())
}

/// How each errand offered at each location loads its staff.
fn offers(
    conn: &mut DbConnection,
    locations: &[Location],
) -> AppResult<HashMap<(Slug, Slug), ErrandLoad>> {
    let mut out = HashMap::new();
    for l in locations {
        let desks = organisations::desks_at(conn, l.id)?;
        for s in organisations::services_at(conn, l.id)? {
            let at_counter = desks
                .iter()
                .any(|d| d.kind.is_staffed() && d.services.contains(&s.spec.slug));
            out.insert(
                (l.slug.clone(), s.spec.slug.clone()),
                ErrandLoad::of(s.spec.channel, at_counter),
            );
        }
    }
    Ok(out)
}

/// Everyone with a contract, or only those named (usernames); an unknown name is refused.
fn chosen_workers(conn: &mut DbConnection, only: Option<&[String]>) -> AppResult<Vec<Worker>> {
    let mut workers = planning::workers(conn)?;
    if let Some(only) = only {
        for (i, name) in only.iter().enumerate() {
            if !workers.iter().any(|w| &w.name == name) {
                return Err(AppError::invalid_field(
                    &format!("staff[{i}]"),
                    format!("'{name}' is not staff with a contract"),
                ));
            }
        }
        workers.retain(|w| only.contains(&w.name));
    }
    Ok(workers)
}
