//! The KPI report use case: checks the period and the location, reads the facts and
//! lets the domain count.

use chrono::{DateTime, NaiveDate, Utc};

use std::collections::HashMap;

use crate::domain::kpi::{self, ChannelCosts, Facts, LocationInfo, Period, Report, WaitBand};
use crate::domain::organisation::Role;
use crate::error::{AppError, AppResult};
use crate::store::{self, organisations, DbConnection};

/// Who may read the KPIs.
pub const REPORT_ROLES: &[Role] = &[Role::Planner, Role::Admin];

/// A local date from a query or a flag, or a 422 naming the field.
pub fn parse_day(field: &str, raw: Option<&str>) -> AppResult<NaiveDate> {
    let raw = raw
        .filter(|r| !r.is_empty())
        .ok_or_else(|| AppError::invalid_field(field, "give a date like 2027-03-30"))?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d").map_err(|_| {
        AppError::invalid_field(field, format!("'{raw}' is not a date like 2027-03-30"))
    })
}

/// The period `from`..=`to`, or a 422 naming the field at fault.
pub fn parse_period(from: Option<&str>, to: Option<&str>) -> AppResult<Period> {
    let from = parse_day("from", from)?;
    let to = parse_day("to", to)?;
    Period::new(from, to).map_err(|(field, message)| AppError::invalid_field(field, message))
}

/// The KPI report of `period` at one location (by slug) or all.
pub fn report(
    conn: &mut DbConnection,
    period: Period,
    location: Option<&str>,
    costs: ChannelCosts,
    now: DateTime<Utc>,
) -> AppResult<Report> {
    let (facts, location) = facts(conn, period, location)?;
    Ok(kpi::report(&facts, period, location, costs, now))
}

/// What the dashboard shows: the period's report, the one of the period before it to
/// compare with, how the waits spread, and the names of departments and errands.
#[derive(Debug, Clone)]
pub struct Dashboard {
    pub report: Report,
    pub previous: Report,
    pub waits: Vec<WaitBand>,
    /// Department slug → name.
    pub departments: HashMap<String, String>,
    /// Errand slug → Danish and English name.
    pub services: HashMap<String, (String, String)>,
}

pub fn dashboard(
    conn: &mut DbConnection,
    period: Period,
    location: Option<&str>,
    costs: ChannelCosts,
    now: DateTime<Utc>,
) -> AppResult<Dashboard> {
    let (facts, chosen) = facts(conn, period, location)?;
    let waits = kpi::wait_distribution(&facts, period);
    let report = kpi::report(&facts, period, chosen, costs, now);
    let previous = self::report(conn, period.previous(), location, costs, now)?;
    let (departments, services) = store::kpi::names(conn)?;
    Ok(Dashboard {
        report,
        previous,
        waits,
        departments: departments.into_iter().collect(),
        services: services
            .into_iter()
            .map(|(slug, da, en)| (slug, (da, en)))
            .collect(),
    })
}

/// The facts of `period` at the chosen location (or all), and the chosen one's slug.
fn facts(
    conn: &mut DbConnection,
    period: Period,
    location: Option<&str>,
) -> AppResult<(Facts, Option<String>)> {
    let location = location.filter(|l| !l.is_empty());
    let all = organisations::list_locations(conn)?;
    let chosen: Vec<_> = match location {
        Some(slug) => {
            let found: Vec<_> = all
                .into_iter()
                .filter(|l| l.slug.as_str() == slug)
                .collect();
            if found.is_empty() {
                return Err(AppError::invalid_field(
                    "location",
                    format!("there is no location '{slug}'"),
                ));
            }
            found
        }
        None => all,
    };
    let ids: Vec<_> = chosen.iter().map(|l| l.id).collect();
    let facts = Facts {
        locations: chosen
            .iter()
            .map(|l| LocationInfo {
                id: l.id,
                slug: l.slug.to_string(),
                zone: l.timezone,
            })
            .collect(),
        services: store::kpi::services(conn)?,
        tickets: store::kpi::tickets(conn, period, &ids)?,
        appointments: store::kpi::appointments(conn, period, &ids)?,
        checked_in_no_shows: store::kpi::checked_in_no_shows(conn, period, &ids)?,
        self_service: store::kpi::self_service(conn, period, &ids)?,
        desk_changes: store::kpi::desk_changes(conn, period, &ids)?,
        feedback: store::kpi::feedback(conn, period, &ids)?,
    };
    Ok((facts, location.map(str::to_owned)))
}
