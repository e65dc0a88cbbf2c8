//! Demand history of chosen locations over a span of time, as records: what a forecast
//! starts from.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{demand_history, locations, services};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::demand::DemandRecord;
use crate::domain::ids::LocationId;
use crate::domain::Slug;

/// Every history interval of these locations that starts in `[from, to)` (UTC).
pub fn between(
    conn: &mut DbConnection,
    location_ids: &[LocationId],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> StoreResult<Vec<DemandRecord>> {
    let ids: Vec<i64> = location_ids.iter().map(|l| l.0).collect();
    type Row = (String, String, NaiveDateTime, i32, i32, i32, i32, i32, i32);
    let rows: Vec<Row> = demand_history::table
        .inner_join(locations::table)
        .inner_join(services::table)
        .filter(demand_history::location_id.eq_any(&ids))
        .filter(demand_history::interval_start.ge(from))
        .filter(demand_history::interval_start.lt(to))
        .select((
            locations::slug,
            services::slug,
            demand_history::interval_start,
            demand_history::walk_ins,
            demand_history::booked,
            demand_history::no_shows,
            demand_history::served,
            demand_history::service_seconds,
            demand_history::wait_seconds,
        ))
        .load(conn)?;
    let count = |n: i32| u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("{n} visits")));
    rows.into_iter()
        .map(
            |(l, s, start, walk_ins, booked, no_shows, served, secs, wait)| {
                Ok(DemandRecord {
                    location: Slug::parse(&l).map_err(StoreError::Corrupt)?,
                    service: Slug::parse(&s).map_err(StoreError::Corrupt)?,
                    interval_start: start.and_utc(),
                    walk_ins: count(walk_ins)?,
                    booked: count(booked)?,
                    no_shows: count(no_shows)?,
                    served: count(served)?,
                    service_seconds: count(secs)?,
                    wait_seconds: count(wait)?,
                })
            },
        )
        .collect()
}
