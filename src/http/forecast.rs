//! The demand forecast for planners.

use std::collections::HashMap;

use actix_web::web;
use chrono::{DateTime, Duration, FixedOffset, NaiveDate};
use serde::{Deserialize, Serialize};

use super::blocking;
use super::session::StaffSession;
use crate::app::{catalogue, forecast, AppState};
use crate::domain::organisation::Role;
use crate::domain::Slug;
use crate::error::{AppError, AppResult};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
pub struct ForecastQuery {
    /// The location's slug; every location when left out.
    #[param(example = "raadhuset")]
    pub location: Option<String>,
    /// First local date, `YYYY-MM-DD` (required).
    #[param(format = Date, example = "2027-03-30")]
    pub from: Option<String>,
    /// Last local date, inclusive; at most 62 days after `from` (required).
    #[param(format = Date, example = "2027-03-30")]
    pub to: Option<String>,
    /// Minutes per interval: 15 (default), 30 or 60.
    #[param(example = "30")]
    pub interval: Option<String>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct IntervalForecastView {
    pub location: String,
    pub service: String,
    /// With the location's UTC offset.
    #[schema(value_type = String, format = DateTime, example = "2027-04-05T10:00:00+02:00")]
    pub start: DateTime<FixedOffset>,
    #[schema(value_type = String, format = DateTime)]
    pub end: DateTime<FixedOffset>,
    pub interval_minutes: u32,
    /// Expected walk-in arrivals.
    pub walk_ins: f64,
    /// Expected booked appointments starting in the interval, no-shows included.
    pub booked: f64,
    /// Share of the booked who do not come.
    pub no_show_rate: f64,
    /// Mean handling time of one visit.
    pub mean_service_minutes: f64,
}

fn date(field: &str, raw: Option<&str>) -> AppResult<NaiveDate> {
    let raw = raw.ok_or_else(|| AppError::invalid_field(field, "is required (YYYY-MM-DD)"))?;
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| AppError::invalid_field(field, format!("'{raw}' is not a date YYYY-MM-DD")))
}

fn interval(raw: Option<&str>) -> AppResult<u32> {
    raw.map_or(Ok(15), |raw| {
        raw.parse()
            .map_err(|_| AppError::invalid_field("interval", "must be 15, 30 or 60 minutes"))
    })
}

/// Rounded for reading; a thousandth of a citizen is below any planner's care.
fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Expected walk-ins and bookings per location, errand and interval (planner or admin).
#[utoipa::path(get, path = "/api/v1/forecast", tag = "planning", params(ForecastQuery),
    security(("bearer" = []), ("session" = [])),
    responses((status = 200, body = [IntervalForecastView]), (status = 403, description = "not a planner or administrator"),
        (status = 422, description = "a missing or bad date, period, interval or location, named in `errors`")))]
pub async fn forecast(
    state: web::Data<AppState>,
    session: StaffSession,
    query: web::Query<ForecastQuery>,
) -> AppResult<web::Json<Vec<IntervalForecastView>>> {
    session.require(&[Role::Planner, Role::Admin])?;
    let query = query.into_inner();
    let from = date("from", query.from.as_deref())?;
    let to = date("to", query.to.as_deref())?;
    let minutes = interval(query.interval.as_deref())?;
    forecast::check_period(from, to, minutes)?;
    let locations: Vec<Slug> = match query.location.as_deref() {
        Some(raw) => vec![Slug::parse(raw).map_err(|e| AppError::invalid_field("location", e))?],
        None => Vec::new(),
    };
    let now = state.clock.now();
    let (intervals, zones) = blocking::run(&state, move |conn| {
        let intervals =
            forecast::forecast_for(conn, "location", &locations, from, to, minutes, now)?;
        let zones: HashMap<Slug, chrono_tz::Tz> = catalogue::locations(conn)?
            .into_iter()
            .map(|l| (l.slug, l.timezone))
            .collect();
        Ok((intervals, zones))
    })
    .await?;
    Ok(web::Json(
        intervals
            .into_iter()
            .map(|f| {
                let zone = zones.get(&f.location).copied().unwrap_or(chrono_tz::UTC);
                let end = f.start + Duration::minutes(i64::from(f.interval_minutes));
                IntervalForecastView {
                    location: f.location.to_string(),
                    service: f.service.to_string(),
                    start: f.start.with_timezone(&zone).fixed_offset(),
                    end: end.with_timezone(&zone).fixed_offset(),
                    interval_minutes: f.interval_minutes,
                    walk_ins: round(f.walk_ins),
                    booked: round(f.booked),
                    no_show_rate: round(f.no_show_rate),
                    mean_service_minutes: round(f.mean_service_minutes),
                }
            })
            .collect(),
    ))
}
