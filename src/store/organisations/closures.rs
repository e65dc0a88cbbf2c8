//! The closures of a location: whole days, part of each day, or periods of reduced hours.

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;

use crate::domain::hours::{parse_week, Closure};
use crate::domain::ids::LocationId;
use crate::store::catalogue::{self, Key};
use crate::store::schema::closures;
use crate::store::{DbConnection, StoreError, StoreResult};

/// Closures of a location that end on or after `from`.
pub fn closures_from(
    conn: &mut DbConnection,
    location: LocationId,
    from: NaiveDate,
) -> StoreResult<Vec<Closure>> {
    catalogue::cached(conn, Key::Closures(location.0, from), |conn| {
        load_closures_from(conn, location, from)
    })
}

fn load_closures_from(
    conn: &mut DbConnection,
    location: LocationId,
    from: NaiveDate,
) -> StoreResult<Vec<Closure>> {
    let rows: Vec<ClosureRow> = closures::table
        .filter(
            closures::location_id
                .eq(location.0)
                .and(closures::last_day.ge(from)),
        )
        .select(CLOSURE_COLUMNS)
        .order(closures::first_day)
        .load(conn)?;
    rows.into_iter().map(closure_of).collect()
}

/// Adds a closure to a location.
pub fn add_closure(conn: &mut DbConnection, location: LocationId, c: &Closure) -> StoreResult<()> {
    diesel::insert_into(closures::table)
        .values(closure_values(location, c))
        .execute(conn)?;
    Ok(())
}

/// A closure's row at `location`.
#[allow(clippy::type_complexity)]
pub(in crate::store) fn closure_values(
    location: LocationId,
    c: &Closure,
) -> (
    diesel::dsl::Eq<closures::location_id, i64>,
    diesel::dsl::Eq<closures::first_day, NaiveDate>,
    diesel::dsl::Eq<closures::last_day, NaiveDate>,
    diesel::dsl::Eq<closures::reason, String>,
    diesel::dsl::Eq<closures::closed_from, Option<NaiveTime>>,
    diesel::dsl::Eq<closures::closed_until, Option<NaiveTime>>,
    diesel::dsl::Eq<closures::opening_hours, Option<String>>,
) {
    let hours = c
        .opening_hours
        .as_ref()
        .map(|h| serde_json::to_string(&h.to_map()).expect("a map of strings serialises"));
    (
        closures::location_id.eq(location.0),
        closures::first_day.eq(c.first),
        closures::last_day.eq(c.last),
        closures::reason.eq(c.reason.clone()),
        closures::closed_from.eq(c.closed_from),
        closures::closed_until.eq(c.closed_until),
        closures::opening_hours.eq(hours),
    )
}

/// A closure as stored: its days, reason, the part of each day it closes, and the hours a
/// period of reduced hours keeps open.
pub(in crate::store) type ClosureRow = (
    NaiveDate,
    NaiveDate,
    String,
    Option<chrono::NaiveTime>,
    Option<chrono::NaiveTime>,
    Option<String>,
);

pub(in crate::store) const CLOSURE_COLUMNS: (
    closures::first_day,
    closures::last_day,
    closures::reason,
    closures::closed_from,
    closures::closed_until,
    closures::opening_hours,
) = (
    closures::first_day,
    closures::last_day,
    closures::reason,
    closures::closed_from,
    closures::closed_until,
    closures::opening_hours,
);

pub(in crate::store) fn closure_of(
    (first, last, reason, closed_from, closed_until, hours): ClosureRow,
) -> StoreResult<Closure> {
    let opening_hours = match hours {
        None => None,
        Some(json) => {
            let days: std::collections::BTreeMap<String, Vec<String>> =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let days = days.iter().map(|(k, r)| (k.as_str(), r.as_slice()));
            let hours = parse_week(days)
                .map_err(|_| StoreError::Corrupt(format!("closure hours {json}")))?;
            Some(hours)
        }
    };
    Ok(Closure {
        first,
        last,
        reason,
        closed_from,
        closed_until,
        opening_hours,
    })
}
