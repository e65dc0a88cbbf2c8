//! Demand history: arrivals per location, service and 15-minute interval.

use std::collections::HashMap;

use diesel::prelude::*;

use super::schema::{demand_history, locations, services};
use super::{DbConnection, StoreResult};
use crate::domain::demand::DemandRecord;

/// Rows per INSERT: well under the bound-parameter limits of both backends.
const CHUNK: usize = 500;

/// Adds history records of one organisation, whose locations and services already exist.
pub fn insert(
    conn: &mut DbConnection,
    org_slug: &str,
    records: &[DemandRecord],
) -> StoreResult<usize> {
    use super::schema::organisations;
    let location_ids: HashMap<String, i64> = locations::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq(org_slug))
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let service_ids: HashMap<String, i64> = services::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq(org_slug))
        .select((services::slug, services::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut inserted = 0;
    for chunk in records.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|r| {
                (
                    demand_history::location_id.eq(location_ids[r.location.as_str()]),
                    demand_history::service_id.eq(service_ids[r.service.as_str()]),
                    demand_history::interval_start.eq(r.interval_start.naive_utc()),
                    demand_history::walk_ins.eq(r.walk_ins as i32),
                    demand_history::booked.eq(r.booked as i32),
                    demand_history::no_shows.eq(r.no_shows as i32),
                    demand_history::served.eq(r.served as i32),
                    demand_history::service_seconds.eq(r.service_seconds as i32),
                    demand_history::wait_seconds.eq(r.wait_seconds as i32),
                )
            })
            .collect();
        inserted += super::insert_all(conn, demand_history::table, rows)?;
    }
    Ok(inserted)
}

/// How many history intervals a location has.
pub fn count_for_location(conn: &mut DbConnection, location_slug: &str) -> StoreResult<i64> {
    Ok(demand_history::table
        .inner_join(locations::table)
        .filter(locations::slug.eq(location_slug))
        .count()
        .get_result(conn)?)
}
