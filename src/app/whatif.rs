//! What-if: a week planned as it is and as each scenario changes it, each a full
//! plan-and-simulate run, compared side by side.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::app::plan::{plan_inputs, read_week, Plan, PlanRequest, TargetSpec, Week};
use crate::domain::kpi::ChannelCosts;
use crate::domain::organisation::Channel;
use crate::domain::roster::publish::booked_desks;
use crate::domain::roster::Worker;
use crate::domain::whatif::{Adjusted, Known, Scenario};
use crate::domain::{FieldError, Slug};
use crate::error::{AppError, AppResult};
use crate::store::{organisations, DbConnection};

/// The most scenarios compared at once: each is a full plan.
pub const MAX_SCENARIOS: usize = 6;

/// A scenario file, as `skranke whatif --scenario FILE` and the API read it.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScenarioFile {
    /// The waiting target; 80 % within 10 minutes when left out.
    #[serde(default = "default_target")]
    pub target: TargetSpec,
    /// Locations to plan (slugs); all when left out.
    #[serde(default)]
    #[schema(value_type = Vec<String>)]
    pub locations: Vec<Slug>,
    #[serde(rename = "scenario", alias = "scenarios")]
    pub scenarios: Vec<Scenario>,
}

/// 80 % within 10 minutes.
pub fn default_target() -> TargetSpec {
    TargetSpec::ServiceLevel {
        service_level: 0.8,
        within_minutes: 10.0,
    }
}

/// The outcome of one column: the week as it is, or one scenario.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Outcome {
    /// The scenario's name; `None` for the week as it is.
    pub scenario: Option<String>,
    pub mean_wait_minutes: f64,
    /// Four in five citizens wait at most this long.
    pub p80_wait_minutes: f64,
    /// Share of citizens served within the target's time.
    pub within_target_share: f64,
    pub staff_hours: f64,
    /// Staff-intervals short of the requirement.
    pub uncovered_intervals: u64,
    /// Errand-intervals with nobody on duty who can handle the errand.
    pub skill_uncovered_intervals: u64,
    /// Expected citizens at the counters and in meetings.
    pub visits: f64,
    /// Expected citizens who use the self-service instead.
    pub online: f64,
    /// What the week's inquiries cost, in kroner, at the report's channel prices.
    pub channel_cost: f64,
    /// Desk-hours open for booking when the roster is published with the forecast's
    /// booked share.
    pub bookable_desk_hours: f64,
    /// Working-time rules broken (always 0; checked independently of the solver).
    pub rule_breaches: usize,
    pub objective: f64,
}

/// A week planned as it is and under each scenario.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct WhatIf {
    #[schema(value_type = String, format = Date)]
    pub from: NaiveDate,
    #[schema(value_type = String, format = Date)]
    pub to: NaiveDate,
    pub target: TargetSpec,
    /// The week as it is first, then each scenario in the file's order.
    pub outcomes: Vec<Outcome>,
}

/// Plans the week of `from`..=`to` as it is and under each scenario of `file`.
pub fn what_if(
    conn: &mut DbConnection,
    file: &ScenarioFile,
    (from, to): (NaiveDate, NaiveDate),
    costs: &ChannelCosts,
    now: DateTime<Utc>,
) -> AppResult<WhatIf> {
    let request = PlanRequest {
        locations: file.locations.clone(),
        from,
        to,
        target: file.target,
        staff: None,
    };
    check_count(file)?;
    let week = read_week(conn, &request, now)?;
    let zones: HashMap<Slug, chrono_tz::Tz> = week
        .locations
        .iter()
        .map(|l| (l.slug.clone(), l.timezone))
        .collect();
    let channels = channels(conn, &week)?;
    check(file, &week, &zones, &channels)?;
    let price = |service: &Slug| match channels.get(service) {
        Some(Channel::Phone) => costs.phone,
        Some(Channel::Video) => costs.video,
        _ => costs.in_person,
    };
    let as_it_is = Scenario {
        name: String::new(),
        policy: vec![],
        closed: vec![],
        hours: vec![],
        staff: 0,
        demand: vec![],
    };
    let mut outcomes = Vec::new();
    for (i, scenario) in std::iter::once(&as_it_is)
        .chain(&file.scenarios)
        .enumerate()
    {
        let adjusted = scenario.adjust_demand(&week.demand, &zones);
        let workers = scenario.adjust_staff(&week.workers);
        let mut outcome = outcome(&week, &adjusted, workers, &price, costs.digital)?;
        outcome.scenario = (i > 0).then(|| scenario.name.clone());
        outcomes.push(outcome);
    }
    Ok(WhatIf {
        from,
        to,
        target: file.target,
        outcomes,
    })
}

/// Each scenario is a full plan: a handful at a time.
fn check_count(file: &ScenarioFile) -> AppResult<()> {
    if file.scenarios.is_empty() || file.scenarios.len() > MAX_SCENARIOS {
        return Err(AppError::invalid_field(
            "scenarios",
            format!(
                "give 1 to {MAX_SCENARIOS} scenarios, not {}",
                file.scenarios.len()
            ),
        ));
    }
    Ok(())
}

/// Every scenario names what the week has; each wrong field is reported.
fn check(
    file: &ScenarioFile,
    week: &Week,
    zones: &HashMap<Slug, chrono_tz::Tz>,
    channels: &HashMap<Slug, Channel>,
) -> AppResult<()> {
    let services: Vec<Slug> = channels.keys().cloned().collect();
    let known = Known {
        zones,
        services: &services,
        staff: week.workers.len(),
    };
    let errors: Vec<FieldError> = file
        .scenarios
        .iter()
        .enumerate()
        .flat_map(|(i, s)| s.check(&known, &format!("scenarios[{i}].")))
        .collect();
    match errors.first() {
        None => Ok(()),
        Some(first) => Err(AppError::invalid(
            format!("{}: {}", first.field, first.message),
            errors,
        )),
    }
}

/// The channel each errand offered in the week is served in.
fn channels(conn: &mut DbConnection, week: &Week) -> AppResult<HashMap<Slug, Channel>> {
    let mut out = HashMap::new();
    for l in &week.locations {
        for s in organisations::services_at(conn, l.id)? {
            out.insert(s.spec.slug, s.spec.channel);
        }
    }
    Ok(out)
}

/// Plans one column and reckons its figures.
fn outcome(
    week: &Week,
    adjusted: &Adjusted,
    workers: Vec<Worker>,
    price: &dyn Fn(&Slug) -> f64,
    digital_price: f64,
) -> AppResult<Outcome> {
    let changed = week.with(adjusted.demand.clone(), workers);
    let plan = plan_inputs(changed.inputs()?)?;
    let come = |f: &crate::domain::forecast::IntervalForecast| {
        f.walk_ins + f.booked * (1.0 - f.no_show_rate)
    };
    let visits: f64 = adjusted.demand.iter().map(come).sum();
    let online: f64 = adjusted.online.values().sum();
    let cost: f64 = adjusted
        .demand
        .iter()
        .map(|f| come(f) * price(&f.service))
        .sum::<f64>()
        + online * digital_price;
    let waits = plan.summary.waits;
    Ok(Outcome {
        scenario: None,
        mean_wait_minutes: round1(waits.mean_wait_minutes),
        p80_wait_minutes: waits.p80_wait_minutes,
        within_target_share: round3(waits.within_target_share),
        staff_hours: plan.summary.staff_hours,
        uncovered_intervals: plan.parts.uncovered,
        skill_uncovered_intervals: plan.parts.skill_uncovered,
        visits: visits.round(),
        // An empty sum of floats is -0; nobody online is 0.
        online: online.round() + 0.0,
        channel_cost: cost.round(),
        bookable_desk_hours: bookable_desk_hours(&plan, &adjusted.demand),
        rule_breaches: plan.summary.rule_breaches,
        objective: plan.objective,
    })
}

/// Desk-hours that publishing `plan` would open for booking, each location's planned desks
/// shared between bookings and walk-ins as its forecast is.
fn bookable_desk_hours(plan: &Plan, demand: &[crate::domain::forecast::IntervalForecast]) -> f64 {
    let mut shares: HashMap<&Slug, (f64, f64)> = HashMap::new();
    for f in demand {
        let (booked, all) = shares.entry(&f.location).or_default();
        *booked += f.booked;
        *all += f.booked + f.walk_ins;
    }
    let minutes: u32 = plan
        .intervals
        .iter()
        .map(|i| {
            let share = shares
                .get(&i.location)
                .map_or(0.0, |(b, a)| if *a > 0.0 { b / a } else { 0.0 });
            booked_desks(i.planned, share) * crate::domain::demand::INTERVAL_MINUTES
        })
        .sum();
    f64::from(minutes) / 60.0
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}
