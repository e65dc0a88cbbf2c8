//! Holds: a freed time kept for one waiting citizen until they take it or the hold lapses.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::slots::Occupied;
use crate::domain::waitlist::{EntryId, HoldId, HoldStatus};
use crate::store::appointments::{as_occupied, earliest_overlapping};
use crate::store::schema::waitlist_holds as holds;
use crate::store::{DbConnection, StoreError, StoreResult};

/// What offering a time writes.
#[derive(Debug, Clone)]
pub struct NewHold<'a> {
    pub entry: EntryId,
    pub location: LocationId,
    pub service: ServiceId,
    pub starts_at: DateTime<Utc>,
    pub blocks_until: DateTime<Utc>,
    pub token_hash: &'a str,
    pub expires_at: DateTime<Utc>,
    pub now: DateTime<Utc>,
}

pub fn insert_hold(conn: &mut DbConnection, h: &NewHold) -> StoreResult<HoldId> {
    let held: &'static str = HoldStatus::Held.into();
    let id = diesel::insert_into(holds::table)
        .values((
            holds::entry_id.eq(h.entry.0),
            holds::location_id.eq(h.location.0),
            holds::service_id.eq(h.service.0),
            holds::starts_at.eq(h.starts_at.naive_utc()),
            holds::blocks_until.eq(h.blocks_until.naive_utc()),
            holds::token_hash.eq(h.token_hash),
            holds::expires_at.eq(h.expires_at.naive_utc()),
            holds::status.eq(held),
            holds::created_at.eq(h.now.naive_utc()),
        ))
        .returning(holds::id)
        .get_result(conn)?;
    Ok(HoldId(id))
}

/// A hold as its entry sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct HoldRecord {
    pub id: HoldId,
    pub entry: EntryId,
    pub starts_at: DateTime<Utc>,
    pub token_hash: String,
    pub expires_at: DateTime<Utc>,
    pub status: HoldStatus,
}

/// The entry's latest hold, whatever its state.
pub fn latest_hold(conn: &mut DbConnection, entry: EntryId) -> StoreResult<Option<HoldRecord>> {
    let row: Option<(i64, i64, NaiveDateTime, String, NaiveDateTime, String)> = holds::table
        .filter(holds::entry_id.eq(entry.0))
        .order(holds::id.desc())
        .select((
            holds::id,
            holds::entry_id,
            holds::starts_at,
            holds::token_hash,
            holds::expires_at,
            holds::status,
        ))
        .first(conn)
        .optional()?;
    row.map(|r| {
        Ok(HoldRecord {
            id: HoldId(r.0),
            entry: EntryId(r.1),
            starts_at: r.2.and_utc(),
            token_hash: r.3,
            expires_at: r.4.and_utc(),
            status: parse_choice(&r.5).map_err(StoreError::Corrupt)?,
        })
    })
    .transpose()
}

/// The times held now for these errands at a location that overlap `[from, to)`; `except`
/// leaves out the hold being claimed.
pub fn live_holds(
    conn: &mut DbConnection,
    location: LocationId,
    services: &[ServiceId],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    now: DateTime<Utc>,
    except: Option<HoldId>,
) -> StoreResult<Vec<Occupied>> {
    let ids: Vec<i64> = services.iter().map(|s| s.0).collect();
    let held: &'static str = HoldStatus::Held.into();
    let rows: Vec<(NaiveDateTime, NaiveDateTime)> = holds::table
        .filter(holds::location_id.eq(location.0))
        .filter(holds::id.ne(except.map_or(-1, |h| h.0)))
        .filter(holds::service_id.eq_any(ids))
        .filter(holds::status.eq(held))
        .filter(holds::expires_at.gt(now.naive_utc()))
        .filter(holds::starts_at.lt(to.naive_utc()))
        .filter(holds::starts_at.ge(earliest_overlapping(from)))
        .filter(holds::blocks_until.gt(from.naive_utc()))
        .select((holds::starts_at, holds::blocks_until))
        .load(conn)?;
    Ok(as_occupied(rows))
}

/// The starts this entry was offered before and did not claim: not offered to it again.
pub fn passed_starts(conn: &mut DbConnection, entry: EntryId) -> StoreResult<Vec<DateTime<Utc>>> {
    let passed: [&'static str; 2] = [HoldStatus::Lapsed.into(), HoldStatus::Released.into()];
    let rows: Vec<NaiveDateTime> = holds::table
        .filter(holds::entry_id.eq(entry.0))
        .filter(holds::status.eq_any(passed))
        .select(holds::starts_at)
        .load(conn)?;
    Ok(rows.into_iter().map(|t| t.and_utc()).collect())
}

/// Marks the holds at a location that expired unclaimed; returns how many.
pub fn lapse_expired(
    conn: &mut DbConnection,
    location: LocationId,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let held: &'static str = HoldStatus::Held.into();
    let lapsed: &'static str = HoldStatus::Lapsed.into();
    Ok(diesel::update(
        holds::table
            .filter(holds::location_id.eq(location.0))
            .filter(holds::status.eq(held))
            .filter(holds::expires_at.le(now.naive_utc())),
    )
    .set(holds::status.eq(lapsed))
    .execute(conn)?)
}

pub fn set_hold_status(
    conn: &mut DbConnection,
    id: HoldId,
    status: HoldStatus,
    appointment: Option<i64>,
) -> StoreResult<()> {
    let status: &'static str = status.into();
    diesel::update(holds::table.find(id.0))
        .set((
            holds::status.eq(status),
            holds::appointment_id.eq(appointment),
        ))
        .execute(conn)?;
    Ok(())
}
