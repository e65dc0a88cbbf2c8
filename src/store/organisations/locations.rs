//! The locations: their names, addresses, time zones and alert settings, each with its
//! general opening hours, by slug or by id.

use diesel::prelude::*;

use super::hours::general_hours;
use super::services::services_at;
use crate::domain::hours::WeeklyHours;
use crate::domain::ids::{LocationId, OrganisationId, ServiceId};
use crate::domain::organisation::{Location, Service};
use crate::domain::queue_alert::AlertSettings;
use crate::domain::timezone::parse_zone;
use crate::domain::Slug;
use crate::store::catalogue::{self, Key};
use crate::store::schema::locations;
use crate::store::{DbConnection, StoreError, StoreResult};

type LocationRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
);

const LOCATION_COLUMNS: (
    locations::id,
    locations::organisation_id,
    locations::slug,
    locations::name,
    locations::address,
    locations::timezone,
    locations::alert_after_minutes,
    locations::surge_alert_percent,
) = (
    locations::id,
    locations::organisation_id,
    locations::slug,
    locations::name,
    locations::address,
    locations::timezone,
    locations::alert_after_minutes,
    locations::surge_alert_percent,
);

/// Every location, by name, with its general opening hours.
pub fn list_locations(conn: &mut DbConnection) -> StoreResult<Vec<Location>> {
    let rows: Vec<LocationRow> = locations::table
        .select(LOCATION_COLUMNS)
        .order(locations::name)
        .load(conn)?;
    let mut hours = general_hours(conn, None)?;
    rows.into_iter()
        .map(|row| {
            let h = hours.remove(&row.0).unwrap_or_default();
            location_from_row(row, h)
        })
        .collect()
}

/// The location with this slug, if any.
pub fn find_location(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<Location>> {
    catalogue::cached(conn, Key::Location(slug.to_owned()), |conn| {
        load_find_location(conn, slug)
    })
}

fn load_find_location(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<Location>> {
    let row: Option<LocationRow> = locations::table
        .filter(locations::slug.eq(slug))
        .select(LOCATION_COLUMNS)
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let hours = general_hours(conn, Some(row.0))?
        .remove(&row.0)
        .unwrap_or_default();
    location_from_row(row, hours).map(Some)
}

fn location_from_row(
    (id, org, slug, name, address, tz, after, surge): LocationRow,
    opening_hours: WeeklyHours,
) -> StoreResult<Location> {
    Ok(Location {
        id: LocationId(id),
        organisation_id: OrganisationId(org),
        slug: Slug::parse(&slug).map_err(StoreError::Corrupt)?,
        name,
        address,
        timezone: parse_zone(&tz).map_err(StoreError::Corrupt)?,
        opening_hours,
        alerts: alert_settings(after, surge)?,
    })
}

/// A location's alert settings as stored (`NULL` for the server's).
pub(in crate::store) fn alert_settings(
    after: Option<i32>,
    surge: Option<i32>,
) -> StoreResult<AlertSettings> {
    let unsigned = |n: Option<i32>| {
        n.map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("alert setting {n}"))))
            .transpose()
    };
    Ok(AlertSettings {
        after_minutes: unsigned(after)?,
        surge_percent: unsigned(surge)?,
    })
}
/// A location's slug by its id.
pub fn location_slug(conn: &mut DbConnection, location: LocationId) -> StoreResult<String> {
    catalogue::cached(conn, Key::LocationSlug(location.0), |conn| {
        load_location_slug(conn, location)
    })
}

fn load_location_slug(conn: &mut DbConnection, location: LocationId) -> StoreResult<String> {
    Ok(locations::table
        .find(location.0)
        .select(locations::slug)
        .first(conn)?)
}

/// The location and the errand of an appointment, by id.
pub fn location_and_service(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Location, Service)> {
    let slug = location_slug(conn, location)?;
    let location = find_location(conn, &slug)?
        .ok_or_else(|| StoreError::Corrupt(format!("location {slug} vanished")))?;
    let service = services_at(conn, location.id)?
        .into_iter()
        .find(|s| s.id == service)
        .ok_or_else(|| {
            StoreError::Corrupt(format!("service {service} is not offered at {slug}"))
        })?;
    Ok((location, service))
}
