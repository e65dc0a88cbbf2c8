//! What citizens and staff read of the organisation: its municipality's identity,
//! locations, their errands and desks.

use chrono::{DateTime, Utc};

use crate::app::desk;
use crate::domain::hours::Closure;
use crate::domain::municipality::Municipality;
use crate::domain::organisation::{Desk, Location, Role, Service, StaffUser};
use crate::error::{AppError, AppResult};
use crate::messages::Said;
use crate::store::{municipalities, organisations, DbConnection};

/// The municipality whose citizens' pages these are, as its last import describes it;
/// `None` before any organisation file with one was imported.
pub fn municipality(conn: &mut DbConnection) -> AppResult<Option<Municipality>> {
    Ok(municipalities::shown(conn)?)
}

pub fn locations(conn: &mut DbConnection) -> AppResult<Vec<Location>> {
    Ok(organisations::list_locations(conn)?)
}

/// The locations where the staff user may work the desks (see [`desk::may_work_at`]).
pub fn workplaces(conn: &mut DbConnection, staff: &StaffUser) -> AppResult<Vec<Location>> {
    let mut here = Vec::new();
    for location in locations(conn)? {
        if desk::works_at(conn, staff, location.id)? {
            here.push(location);
        }
    }
    Ok(here)
}

/// The location with this slug, or a 404 that names it.
pub fn location(conn: &mut DbConnection, slug: &str) -> AppResult<Location> {
    organisations::find_location(conn, slug)?.ok_or_else(|| {
        AppError::not_found(format!("there is no location '{slug}'"))
            .saying(Said::key("refusal.no_location"))
    })
}

pub fn services(conn: &mut DbConnection, location_slug: &str) -> AppResult<Vec<Service>> {
    let location = location(conn, location_slug)?;
    Ok(organisations::services_at(conn, location.id)?)
}

/// The location and one errand it offers, or a 404 that says so.
pub fn location_and_errand(
    conn: &mut DbConnection,
    location_slug: &str,
    service_slug: &str,
) -> AppResult<(Location, Service)> {
    let place = location(conn, location_slug)?;
    let errand = organisations::services_at(conn, place.id)?
        .into_iter()
        .find(|x| x.spec.slug.as_str() == service_slug)
        .ok_or_else(|| {
            AppError::not_found(format!("'{service_slug}' is not offered here"))
                .saying(Said::key("refusal.not_offered"))
        })?;
    Ok((place, errand))
}

/// The desks of a location, for staff who work there (see [`desk::may_work_at`]);
/// planners, who plan every location's desks, read them anywhere.
pub fn desks(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location_slug: &str,
) -> AppResult<Vec<Desk>> {
    let location = location(conn, location_slug)?;
    if !staff.has_any_role(&[Role::Planner]) {
        desk::may_work_at(conn, staff, location.id)?;
    }
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
