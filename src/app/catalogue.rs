//! What citizens and staff read of the organisation: locations, their errands and desks.

use chrono::{DateTime, Utc};

use crate::domain::hours::Closure;
use crate::domain::organisation::{Desk, Location, Service};
use crate::error::{AppError, AppResult};
use crate::store::{organisations, DbConnection};

pub fn locations(conn: &mut DbConnection) -> AppResult<Vec<Location>> {
    Ok(organisations::list_locations(conn)?)
}

/// The location with this slug, or a 404 that names it.
pub fn location(conn: &mut DbConnection, slug: &str) -> AppResult<Location> {
    organisations::find_location(conn, slug)?
        .ok_or_else(|| AppError::not_found(format!("there is no location '{slug}'")))
}

pub fn services(conn: &mut DbConnection, location_slug: &str) -> AppResult<Vec<Service>> {
    let location = location(conn, location_slug)?;
    Ok(organisations::services_at(conn, location.id)?)
}

pub fn desks(conn: &mut DbConnection, location_slug: &str) -> AppResult<Vec<Desk>> {
    let location = location(conn, location_slug)?;
    Ok(organisations::desks_at(conn, location.id)?)
}

/// Closures of the location from today (in its own zone) on.
pub fn upcoming_closures(
    conn: &mut DbConnection,
    location: &Location,
    now: DateTime<Utc>,
) -> AppResult<Vec<Closure>> {
    let today = now.with_timezone(&location.timezone).date_naive();
    Ok(organisations::closures_from(conn, location.id, today)?)
}
