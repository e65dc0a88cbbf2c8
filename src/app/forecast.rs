//! The demand forecast as the planner asks for it: what the store knows of the locations
//! and their history, fitted and forecast by `domain::forecast`.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};

use crate::domain::forecast::{ForecastModel, IntervalForecast, INTERVAL_CHOICES};
use crate::domain::organisation::{Location, LocationSpec, ServiceHoursSpec, ServiceSpec};
use crate::domain::Slug;
use crate::error::{AppError, AppResult};
use crate::store::{self, organisations, DbConnection};

/// The longest period one request may forecast, in days.
pub const MAX_DAYS: i64 = 62;
/// How much history the forecast learns from: a year and a week, so that every month of
/// the year (June's passports) and the same week last year are in it.
const HISTORY_WEEKS: i64 = 53;

/// The forecast for these locations (every location when empty) over the local dates
/// `from..=to`, in intervals of `interval_minutes` (15 by default), only where the
/// location is open. Unknown location slugs are an `AppError` naming the field `locations`.
///
/// It learns from the year before `now`; appointments already booked after `now` are a
/// floor under the booked forecast.
pub fn forecast(
    conn: &mut crate::store::DbConnection,
    locations: &[crate::domain::Slug],
    from: chrono::NaiveDate,
    to: chrono::NaiveDate,
    interval_minutes: u32,
    now: chrono::DateTime<chrono::Utc>,
) -> crate::error::AppResult<Vec<crate::domain::forecast::IntervalForecast>> {
    forecast_for(
        conn,
        "locations",
        locations,
        from,
        to,
        interval_minutes,
        now,
    )
}

/// As [`forecast`], naming `field` for an unknown location (the HTTP query's `location`).
pub fn forecast_for(
    conn: &mut DbConnection,
    field: &str,
    locations: &[Slug],
    from: NaiveDate,
    to: NaiveDate,
    interval_minutes: u32,
    now: DateTime<Utc>,
) -> AppResult<Vec<IntervalForecast>> {
    check_period(from, to, interval_minutes)?;
    let all = organisations::list_locations(conn)?;
    let chosen: Vec<Location> = if locations.is_empty() {
        all
    } else {
        let unknown: Vec<&str> = locations
            .iter()
            .filter(|s| !all.iter().any(|l| &l.slug == *s))
            .map(Slug::as_str)
            .collect();
        if !unknown.is_empty() {
            return Err(AppError::invalid_field(
                field,
                format!("there is no location {}", unknown.join(", ")),
            ));
        }
        all.into_iter()
            .filter(|l| locations.contains(&l.slug))
            .collect()
    };
    let mut specs = Vec::new();
    let mut services: Vec<ServiceSpec> = Vec::new();
    for location in &chosen {
        let (spec, offered) = location_spec(conn, location, from)?;
        for s in offered {
            if !services.iter().any(|known| known.slug == s.slug) {
                services.push(s);
            }
        }
        specs.push(spec);
    }
    let ids: Vec<_> = chosen.iter().map(|l| l.id).collect();
    let history = store::demand::history(conn, &ids, now - Duration::weeks(HISTORY_WEEKS), now)?;
    let model = ForecastModel::fit(&specs, &services, &history);
    // What is booked already of the period; a day either side covers every time zone.
    let until = (to + Duration::days(2)).and_time(NaiveTime::MIN).and_utc();
    let since = (from - Duration::days(1))
        .and_time(NaiveTime::MIN)
        .and_utc();
    let booked = if until > now {
        store::demand::history(conn, &ids, since.max(now), until)?
    } else {
        Vec::new()
    };
    Ok(specs
        .iter()
        .flat_map(|spec| model.forecast_with_bookings(spec, from, to, interval_minutes, &booked))
        .collect())
}

/// Refuses a period the forecast will not answer, naming the field at fault.
pub fn check_period(from: NaiveDate, to: NaiveDate, interval_minutes: u32) -> AppResult<()> {
    if !INTERVAL_CHOICES.contains(&interval_minutes) {
        return Err(AppError::invalid_field(
            "interval",
            format!("must be 15, 30 or 60 minutes, not {interval_minutes}"),
        ));
    }
    if to < from {
        return Err(AppError::invalid_field("to", "must not be before from"));
    }
    if (to - from).num_days() + 1 > MAX_DAYS {
        return Err(AppError::invalid_field(
            "to",
            format!("a forecast covers at most {MAX_DAYS} days"),
        ));
    }
    Ok(())
}

/// A location as the domain's calendar rules see it: hours, the closures from `from` on,
/// the errands offered and their own hours; with the errands' specifications. (Closed days
/// in the past need no closure: the history shows them as days without any record.)
fn location_spec(
    conn: &mut DbConnection,
    location: &Location,
    from: NaiveDate,
) -> AppResult<(LocationSpec, Vec<ServiceSpec>)> {
    let services = organisations::services_at(conn, location.id)?;
    let mut service_hours = Vec::new();
    for s in &services {
        if let Some(hours) = organisations::service_hours(conn, location.id, s.id)? {
            service_hours.push(ServiceHoursSpec {
                service: s.spec.slug.clone(),
                hours,
            });
        }
    }
    let spec = LocationSpec {
        slug: location.slug.clone(),
        name: location.name.clone(),
        address: location.address.clone(),
        contact: None,
        timezone: location.timezone,
        opening_hours: location.opening_hours.clone(),
        closures: organisations::closures_from(conn, location.id, from)?,
        services: services.iter().map(|s| s.spec.slug.clone()).collect(),
        service_hours,
        desks: Vec::new(),
        capacity: Vec::new(),
        alerts: location.alerts,
    };
    Ok((spec, services.into_iter().map(|s| s.spec).collect()))
}
