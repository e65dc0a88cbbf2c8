//! Waitlist entries: who waits for which errand, place and dates, in the order they joined.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;

use crate::domain::booking::{Citizen, Language};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::waitlist::{EntryId, EntryStatus, HoldStatus, WaitRange};
use crate::store::schema::{waitlist_entries as entries, waitlist_holds as holds};
use crate::store::{DbConnection, StoreError, StoreResult};

/// What joining writes.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub reference: &'a str,
    pub token_hash: &'a str,
    pub location: LocationId,
    pub service: ServiceId,
    pub range: WaitRange,
    pub citizen: &'a Citizen,
    pub language: Language,
    pub now: DateTime<Utc>,
}

/// A stored entry.
#[derive(Debug, Clone, PartialEq)]
pub struct EntryRecord {
    pub id: EntryId,
    pub reference: String,
    pub token_hash: String,
    pub location: LocationId,
    pub service: ServiceId,
    pub range: WaitRange,
    pub status: EntryStatus,
    pub language: Language,
    pub citizen_name: Option<String>,
    pub citizen_email: Option<String>,
}

pub fn insert_entry(conn: &mut DbConnection, e: &NewEntry) -> StoreResult<EntryId> {
    let language: &'static str = e.language.into();
    let waiting: &'static str = EntryStatus::Waiting.into();
    let id = diesel::insert_into(entries::table)
        .values((
            entries::reference.eq(e.reference),
            entries::token_hash.eq(e.token_hash),
            entries::location_id.eq(e.location.0),
            entries::service_id.eq(e.service.0),
            entries::from_date.eq(e.range.from),
            entries::to_date.eq(e.range.to),
            entries::citizen_name.eq(&e.citizen.name),
            entries::citizen_email.eq(&e.citizen.email),
            entries::language.eq(language),
            entries::status.eq(waiting),
            entries::created_at.eq(e.now.naive_utc()),
            entries::updated_at.eq(e.now.naive_utc()),
        ))
        .returning(entries::id)
        .get_result(conn)?;
    Ok(EntryId(id))
}

type EntryRow = (
    i64,
    String,
    String,
    i64,
    i64,
    NaiveDate,
    NaiveDate,
    String,
    String,
    Option<String>,
    Option<String>,
);

fn entry_from(r: EntryRow) -> StoreResult<EntryRecord> {
    Ok(EntryRecord {
        id: EntryId(r.0),
        reference: r.1,
        token_hash: r.2,
        location: LocationId(r.3),
        service: ServiceId(r.4),
        range: WaitRange { from: r.5, to: r.6 },
        status: parse_choice(&r.7).map_err(StoreError::Corrupt)?,
        language: r
            .8
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("language {}", r.8)))?,
        citizen_name: r.9,
        citizen_email: r.10,
    })
}

type EntryColumns = (
    entries::id,
    entries::reference,
    entries::token_hash,
    entries::location_id,
    entries::service_id,
    entries::from_date,
    entries::to_date,
    entries::status,
    entries::language,
    entries::citizen_name,
    entries::citizen_email,
);

const ENTRY_COLUMNS: EntryColumns = (
    entries::id,
    entries::reference,
    entries::token_hash,
    entries::location_id,
    entries::service_id,
    entries::from_date,
    entries::to_date,
    entries::status,
    entries::language,
    entries::citizen_name,
    entries::citizen_email,
);

pub fn find_entry(conn: &mut DbConnection, reference: &str) -> StoreResult<Option<EntryRecord>> {
    let row: Option<EntryRow> = entries::table
        .filter(entries::reference.eq(reference))
        .select(ENTRY_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(entry_from).transpose()
}

pub fn entry_by_id(conn: &mut DbConnection, id: EntryId) -> StoreResult<Option<EntryRecord>> {
    let row: Option<EntryRow> = entries::table
        .find(id.0)
        .select(ENTRY_COLUMNS)
        .first(conn)
        .optional()?;
    row.map(entry_from).transpose()
}

/// Whether this e-mail address already waits for the errand at the location.
pub fn already_waiting(
    conn: &mut DbConnection,
    email: &str,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<bool> {
    let waiting: &'static str = EntryStatus::Waiting.into();
    let found: i64 = entries::table
        .filter(entries::citizen_email.eq(email))
        .filter(entries::location_id.eq(location.0))
        .filter(entries::service_id.eq(service.0))
        .filter(entries::status.eq(waiting))
        .count()
        .get_result(conn)?;
    Ok(found > 0)
}

/// The entries at a location still waiting for dates up to `today` or later, first joined
/// first, leaving out those that hold a time now.
pub fn line(
    conn: &mut DbConnection,
    location: LocationId,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> StoreResult<Vec<EntryRecord>> {
    let waiting: &'static str = EntryStatus::Waiting.into();
    let held: &'static str = HoldStatus::Held.into();
    let holding = holds::table
        .filter(holds::status.eq(held))
        .filter(holds::expires_at.gt(now.naive_utc()))
        .select(holds::entry_id);
    let rows: Vec<EntryRow> = entries::table
        .filter(entries::location_id.eq(location.0))
        .filter(entries::status.eq(waiting))
        .filter(entries::to_date.ge(today))
        .filter(entries::id.ne_all(holding))
        .order(entries::id)
        .select(ENTRY_COLUMNS)
        .load(conn)?;
    rows.into_iter().map(entry_from).collect()
}

/// Locations where someone waits or a hold has lapsed unprocessed: where the worker looks.
pub fn locations_to_match(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
) -> StoreResult<Vec<LocationId>> {
    let waiting: &'static str = EntryStatus::Waiting.into();
    let held: &'static str = HoldStatus::Held.into();
    // A day's margin covers every zone's local date; entries whose dates are over are left.
    let today_somewhere = (now - chrono::Duration::days(1)).date_naive();
    let mut ids: Vec<i64> = entries::table
        .filter(entries::status.eq(waiting))
        .filter(entries::to_date.ge(today_somewhere))
        .select(entries::location_id)
        .distinct()
        .load(conn)?;
    let lapsed: Vec<i64> = holds::table
        .filter(holds::status.eq(held))
        .filter(holds::expires_at.le(now.naive_utc()))
        .select(holds::location_id)
        .distinct()
        .load(conn)?;
    ids.extend(lapsed);
    ids.sort_unstable();
    ids.dedup();
    Ok(ids.into_iter().map(LocationId).collect())
}

pub fn set_entry_status(
    conn: &mut DbConnection,
    id: EntryId,
    status: EntryStatus,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let status: &'static str = status.into();
    diesel::update(entries::table.find(id.0))
        .set((
            entries::status.eq(status),
            entries::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
