//! Where each errand's live queue alert stands. Only errands with something to remember
//! have a row: a wait over its target, or an alert raised.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{locations, queue_alerts, services, tickets};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::queue_alert::{AlertCause, AlertState};

type Row = (
    i64,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<String>,
    Option<i32>,
    Option<i32>,
);

fn state((_, over, calm, raised, cause, arrived, expected): Row) -> StoreResult<AlertState> {
    let count = |n: Option<i32>| {
        n.and_then(|n| u32::try_from(n).ok())
            .ok_or_else(|| StoreError::Corrupt("a surge alert without its counts".into()))
    };
    let cause = match cause.as_deref() {
        None => None,
        Some("wait") => Some(AlertCause::Wait),
        Some("surge") => Some(AlertCause::Surge {
            arrived: count(arrived)?,
            expected: count(expected)?,
        }),
        Some(other) => return Err(StoreError::Corrupt(format!("alert cause '{other}'"))),
    };
    Ok(AlertState {
        over_since: over.map(|t| t.and_utc()),
        calm_since: calm.map(|t| t.and_utc()),
        raised_at: raised.map(|t| t.and_utc()),
        cause,
    })
}

/// The location's alerts that have something to remember, per errand.
pub fn at(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<(ServiceId, AlertState)>> {
    let rows: Vec<Row> = queue_alerts::table
        .filter(queue_alerts::location_id.eq(location.0))
        .select((
            queue_alerts::service_id,
            queue_alerts::over_since,
            queue_alerts::calm_since,
            queue_alerts::raised_at,
            queue_alerts::cause,
            queue_alerts::surge_arrived,
            queue_alerts::surge_expected,
        ))
        .load(conn)?;
    rows.into_iter()
        .map(|row| Ok((ServiceId(row.0), state(row)?)))
        .collect()
}

/// Keeps an errand's alert as it now stands (forgets it when there is nothing to keep).
pub fn save(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
    alert: &AlertState,
) -> StoreResult<()> {
    diesel::delete(
        queue_alerts::table
            .filter(queue_alerts::location_id.eq(location.0))
            .filter(queue_alerts::service_id.eq(service.0)),
    )
    .execute(conn)?;
    if *alert != AlertState::default() {
        let naive = |t: Option<DateTime<Utc>>| t.map(|t| t.naive_utc());
        let (arrived, expected) = match alert.cause {
            Some(AlertCause::Surge { arrived, expected }) => {
                (Some(arrived as i32), Some(expected as i32))
            }
            _ => (None, None),
        };
        diesel::insert_into(queue_alerts::table)
            .values((
                queue_alerts::location_id.eq(location.0),
                queue_alerts::service_id.eq(service.0),
                queue_alerts::over_since.eq(naive(alert.over_since)),
                queue_alerts::calm_since.eq(naive(alert.calm_since)),
                queue_alerts::raised_at.eq(naive(alert.raised_at)),
                queue_alerts::cause.eq(alert.cause.map(AlertCause::rule)),
                queue_alerts::surge_arrived.eq(arrived),
                queue_alerts::surge_expected.eq(expected),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Every raised alert, as `(location slug, errand slug)`, for `/metrics`.
pub fn raised(conn: &mut DbConnection) -> StoreResult<Vec<(String, String)>> {
    Ok(queue_alerts::table
        .inner_join(locations::table)
        .inner_join(services::table)
        .filter(queue_alerts::raised_at.is_not_null())
        .select((locations::slug, services::slug))
        .order((locations::slug, services::slug))
        .load(conn)?)
}

/// The walk-in tickets taken at `location` in `from..until`, per errand; `from_day` is
/// the location's local date at `from`, which lets the query read the few days' tickets by
/// the numbering's index instead of the location's whole history.
pub fn walk_ins(
    conn: &mut DbConnection,
    location: LocationId,
    from_day: NaiveDate,
    from: DateTime<Utc>,
    until: DateTime<Utc>,
) -> StoreResult<HashMap<ServiceId, u32>> {
    let rows: Vec<(i64, i64)> = tickets::table
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::local_day.ge(from_day))
        .filter(tickets::appointment_id.is_null())
        .filter(tickets::issued_at.ge(from.naive_utc()))
        .filter(tickets::issued_at.lt(until.naive_utc()))
        .group_by(tickets::service_id)
        .select((tickets::service_id, count_star()))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(service, n)| (ServiceId(service), u32::try_from(n).unwrap_or(u32::MAX)))
        .collect())
}
