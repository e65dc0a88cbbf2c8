//! The weekly hours as stored: a location's general hours and an errand's own, shorter
//! ones, one row a range.

use std::collections::HashMap;

use chrono::{NaiveTime, Weekday};
use diesel::prelude::*;

use crate::domain::hours::{TimeRange, WeeklyHours};
use crate::domain::ids::{LocationId, ServiceId};
use crate::store::catalogue::{self, Key};
use crate::store::schema::opening_hours;
use crate::store::{DbConnection, StoreError, StoreResult};

/// The general (not per-service) opening hours of one or all locations.
pub(super) fn general_hours(
    conn: &mut DbConnection,
    location: Option<i64>,
) -> StoreResult<HashMap<i64, WeeklyHours>> {
    let mut query = opening_hours::table
        .filter(opening_hours::service_id.is_null())
        .select((
            opening_hours::location_id,
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .into_boxed();
    if let Some(id) = location {
        query = query.filter(opening_hours::location_id.eq(id));
    }
    let rows: Vec<(i64, i32, NaiveTime, NaiveTime)> = query.load(conn)?;
    let mut out: HashMap<i64, WeeklyHours> = HashMap::new();
    for (location, weekday, opens, closes) in rows {
        add_range(out.entry(location).or_default(), weekday, opens, closes)?;
    }
    Ok(out)
}

/// The errand's own, shorter hours at a location, when it keeps any.
pub fn service_hours(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<Option<WeeklyHours>> {
    catalogue::cached(conn, Key::ServiceHours(location.0, service.0), |conn| {
        load_service_hours(conn, location, service)
    })
}

fn load_service_hours(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<Option<WeeklyHours>> {
    let rows: Vec<(i32, NaiveTime, NaiveTime)> = opening_hours::table
        .filter(opening_hours::location_id.eq(location.0))
        .filter(opening_hours::service_id.eq(service.0))
        .select((
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut hours = WeeklyHours::default();
    for (weekday, opens, closes) in rows {
        add_range(&mut hours, weekday, opens, closes)?;
    }
    Ok(Some(hours))
}

/// Adds one stored range to `hours`; a row the domain would refuse is corrupt.
fn add_range(
    hours: &mut WeeklyHours,
    weekday: i32,
    opens: NaiveTime,
    closes: NaiveTime,
) -> StoreResult<()> {
    hours
        .set_day(
            weekday_from_db(weekday)?,
            vec![range_from_db(opens, closes)?],
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// A stored weekday, Monday 0.
pub(super) fn weekday_from_db(n: i32) -> StoreResult<Weekday> {
    u8::try_from(n)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("weekday {n}")))
}

/// A stored range of a day.
pub(super) fn range_from_db(start: NaiveTime, end: NaiveTime) -> StoreResult<TimeRange> {
    TimeRange::new(start, end).map_err(|e| StoreError::Corrupt(e.to_string()))
}
