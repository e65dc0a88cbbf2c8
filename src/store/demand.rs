//! Demand history: arrivals per location, service and 15-minute interval.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamp};

use super::schema::{demand_history, locations, services};
use super::{DbConnection, Dialect, StoreError, StoreResult};
use crate::domain::demand::DemandRecord;
use crate::domain::ids::LocationId;
use crate::domain::Slug;

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

/// A `demand_history` row: location, errand, start and the six counts.
type StoredRow = (i64, i64, NaiveDateTime, i32, i32, i32, i32, i32, i32);

/// What happened at `locations` from `since` until before `until`, per errand and UTC
/// quarter hour (local quarter hours too, in every zone with a whole-quarter offset): the
/// `demand_history` table (history from before the system, or the demo's) plus the real
/// walk-in tickets and appointments, aggregated in SQL. An interval found in both is summed.
///
/// From the queue: a ticket without an appointment is a walk-in, counted when it joined
/// the queue; a finished ticket is served, its handling time from the call to the end and
/// its wait from joining to the call. From the bookings: every appointment not cancelled
/// is booked at its start; one marked no-show, or never checked in, is a no-show.
pub fn history(
    conn: &mut DbConnection,
    locations: &[LocationId],
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<DemandRecord>> {
    let ids: Vec<i64> = locations.iter().map(|l| l.0).collect();
    let location_slugs = slugs(
        locations::table
            .filter(locations::id.eq_any(&ids))
            .select((locations::id, locations::slug))
            .load(conn)?,
    )?;
    let service_slugs = slugs(
        services::table
            .select((services::id, services::slug))
            .load(conn)?,
    )?;
    let stored: Vec<StoredRow> = demand_history::table
        .filter(demand_history::location_id.eq_any(&ids))
        .filter(demand_history::interval_start.ge(since.naive_utc()))
        .filter(demand_history::interval_start.lt(until.naive_utc()))
        .select((
            demand_history::location_id,
            demand_history::service_id,
            demand_history::interval_start,
            demand_history::walk_ins,
            demand_history::booked,
            demand_history::no_shows,
            demand_history::served,
            demand_history::service_seconds,
            demand_history::wait_seconds,
        ))
        .load(conn)?;
    let live = live_intervals(conn, since, until)?;
    let mut merged: BTreeMap<(i64, i64, NaiveDateTime), [i64; 6]> = BTreeMap::new();
    for (l, s, start, a, b, c, d, e, f) in stored {
        add(
            &mut merged,
            (l, s, start),
            [a, b, c, d, e, f].map(i64::from),
        );
    }
    for row in live.into_iter().filter(|r| ids.contains(&r.location_id)) {
        let start = DateTime::from_timestamp(row.bucket, 0)
            .ok_or_else(|| StoreError::Corrupt(format!("interval {}", row.bucket)))?
            .naive_utc();
        add(
            &mut merged,
            (row.location_id, row.service_id, start),
            [
                row.walk_ins,
                row.booked,
                row.no_shows,
                row.served,
                row.service_seconds,
                row.wait_seconds,
            ],
        );
    }
    let count = |n: i64| u32::try_from(n.max(0)).unwrap_or(u32::MAX);
    merged
        .into_iter()
        .map(|((l, s, start), [a, b, c, d, e, f])| {
            let slug = |map: &HashMap<i64, Slug>, id: i64| {
                map.get(&id)
                    .cloned()
                    .ok_or_else(|| StoreError::Corrupt(format!("no row {id}")))
            };
            Ok(DemandRecord {
                location: slug(&location_slugs, l)?,
                service: slug(&service_slugs, s)?,
                interval_start: start.and_utc(),
                walk_ins: count(a),
                booked: count(b),
                no_shows: count(c).min(count(b)),
                served: count(d),
                service_seconds: count(e),
                wait_seconds: count(f),
            })
        })
        .collect()
}

fn slugs(rows: Vec<(i64, String)>) -> StoreResult<HashMap<i64, Slug>> {
    rows.into_iter()
        .map(|(id, s)| Ok((id, Slug::parse(&s).map_err(StoreError::Corrupt)?)))
        .collect()
}

fn add<K: Ord>(merged: &mut BTreeMap<K, [i64; 6]>, key: K, values: [i64; 6]) {
    let sums = merged.entry(key).or_default();
    for (sum, v) in sums.iter_mut().zip(values) {
        *sum += v;
    }
}

/// One quarter hour of the queue's and the bookings' own records.
#[derive(Debug, QueryableByName)]
struct LiveInterval {
    #[diesel(sql_type = BigInt)]
    location_id: i64,
    #[diesel(sql_type = BigInt)]
    service_id: i64,
    /// Seconds since 1970 of the interval's start.
    #[diesel(sql_type = BigInt)]
    bucket: i64,
    #[diesel(sql_type = BigInt)]
    walk_ins: i64,
    #[diesel(sql_type = BigInt)]
    booked: i64,
    #[diesel(sql_type = BigInt)]
    no_shows: i64,
    #[diesel(sql_type = BigInt)]
    served: i64,
    #[diesel(sql_type = BigInt)]
    service_seconds: i64,
    #[diesel(sql_type = BigInt)]
    wait_seconds: i64,
}

/// The aggregation over tickets and appointments, written once in the dialect of the
/// connection it is for.
fn live_sql<D: Dialect>(_for: &D) -> String {
    let epoch = D::epoch_seconds;
    let bucket = |c: &str| format!("(({}) / 900) * 900", epoch(c));
    let seconds = |a: &str, b: &str| format!("(({}) - ({}))", epoch(a), epoch(b));
    format!(
        "SELECT location_id, service_id, bucket, \
           CAST(SUM(walk_ins) AS BIGINT) AS walk_ins, CAST(SUM(booked) AS BIGINT) AS booked, \
           CAST(SUM(no_shows) AS BIGINT) AS no_shows, CAST(SUM(served) AS BIGINT) AS served, \
           CAST(SUM(service_seconds) AS BIGINT) AS service_seconds, \
           CAST(SUM(wait_seconds) AS BIGINT) AS wait_seconds \
         FROM ( \
           SELECT t.location_id, t.service_id, {ticket_bucket} AS bucket, \
             CASE WHEN t.appointment_id IS NULL THEN 1 ELSE 0 END AS walk_ins, \
             0 AS booked, 0 AS no_shows, \
             CASE WHEN t.status = 'finished' THEN 1 ELSE 0 END AS served, \
             CASE WHEN t.status = 'finished' AND t.called_at IS NOT NULL \
               THEN {handling} ELSE 0 END AS service_seconds, \
             CASE WHEN t.status = 'finished' AND t.called_at IS NOT NULL \
               THEN {wait} ELSE 0 END AS wait_seconds \
           FROM tickets t WHERE t.queued_at >= {since} AND t.queued_at < {until} \
           UNION ALL \
           SELECT a.location_id, a.service_id, {booking_bucket}, 0, 1, \
             CASE WHEN a.status IN ('no_show', 'booked') THEN 1 ELSE 0 END, 0, 0, 0 \
           FROM appointments a \
           WHERE a.status <> 'cancelled' AND a.starts_at >= {since} AND a.starts_at < {until} \
         ) AS d GROUP BY location_id, service_id, bucket",
        ticket_bucket = bucket("t.queued_at"),
        handling = seconds("t.finished_at", "t.called_at"),
        wait = seconds("t.called_at", "t.queued_at"),
        booking_bucket = bucket("a.starts_at"),
        since = D::parameter(1),
        until = D::parameter(2),
    )
}

fn live_intervals(
    conn: &mut DbConnection,
    since: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<Vec<LiveInterval>> {
    let (since, until) = (since.naive_utc(), until.naive_utc());
    Ok(native!(conn, |c| diesel::sql_query(live_sql(&*c))
        .bind::<Timestamp, _>(since)
        .bind::<Timestamp, _>(until)
        .load(c))?)
}
