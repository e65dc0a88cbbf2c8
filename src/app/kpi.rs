//! The KPI report use case: checks the period and the location, reads the facts and
//! lets the domain count.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::kpi::{self, ChannelCosts, Facts, LocationInfo, Period, Report};
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

/// The report of a period, for one location (by slug) or all.
pub fn report(
    conn: &mut DbConnection,
    period: Period,
    location: Option<&str>,
    costs: ChannelCosts,
    now: DateTime<Utc>,
) -> AppResult<Report> {
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
    };
    Ok(kpi::report(
        &facts,
        period,
        location.map(str::to_owned),
        costs,
        now,
    ))
}
