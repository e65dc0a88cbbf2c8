//! Where each errand's live queue alert stands. Only errands with something to remember
//! have a row: a wait over its target, or an alert raised.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{locations, queue_alerts, services};
use super::{DbConnection, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::queue_alert::AlertState;

type Row = (
    i64,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
    Option<NaiveDateTime>,
);

fn state((_, over, calm, raised): Row) -> AlertState {
    AlertState {
        over_since: over.map(|t| t.and_utc()),
        calm_since: calm.map(|t| t.and_utc()),
        raised_at: raised.map(|t| t.and_utc()),
    }
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
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|row| (ServiceId(row.0), state(row)))
        .collect())
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
        diesel::insert_into(queue_alerts::table)
            .values((
                queue_alerts::location_id.eq(location.0),
                queue_alerts::service_id.eq(service.0),
                queue_alerts::over_since.eq(naive(alert.over_since)),
                queue_alerts::calm_since.eq(naive(alert.calm_since)),
                queue_alerts::raised_at.eq(naive(alert.raised_at)),
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
