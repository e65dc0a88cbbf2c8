//! The waitlist: entries in the order they joined, the holds on freed times, and their mail.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    waitlist_entries as entries, waitlist_holds as holds, waitlist_mails as mails,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::booking::{Citizen, Language};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::slots::Occupied;
use crate::domain::waitlist::WaitlistMailKind;
use crate::domain::waitlist::{EntryId, EntryStatus, HoldId, HoldStatus, WaitRange};

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
        .filter(holds::blocks_until.gt(from.naive_utc()))
        .select((holds::starts_at, holds::blocks_until))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(start, end)| Occupied {
            start: start.and_utc(),
            end: end.and_utc(),
        })
        .collect())
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

/// A waitlist mail waiting to go.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingMail {
    pub id: i64,
    pub entry: EntryId,
    pub hold: Option<HoldId>,
    pub kind: WaitlistMailKind,
    pub attempts: i32,
    pub token: Option<String>,
}

pub fn enqueue_mail(
    conn: &mut DbConnection,
    entry: EntryId,
    hold: Option<HoldId>,
    kind: WaitlistMailKind,
    token: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let kind: &'static str = kind.into();
    diesel::insert_into(mails::table)
        .values((
            mails::entry_id.eq(entry.0),
            mails::hold_id.eq(hold.map(|h| h.0)),
            mails::kind.eq(kind),
            mails::due_at.eq(now.naive_utc()),
            mails::token.eq(token),
            mails::attempts.eq(0),
            mails::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

type MailRow = (i64, i64, Option<i64>, String, i32, Option<String>);

/// Claims up to `limit` due mails for `lease`, as the appointments' outbox does.
pub fn claim_due_mails(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease: chrono::Duration,
    limit: i64,
) -> StoreResult<Vec<PendingMail>> {
    super::write(conn, |conn| {
        let rows: Vec<MailRow> = mails::table
            .filter(mails::sent_at.is_null())
            .filter(mails::dropped_at.is_null())
            .filter(mails::due_at.le(now.naive_utc()))
            .order(mails::due_at)
            .limit(limit)
            .select((
                mails::id,
                mails::entry_id,
                mails::hold_id,
                mails::kind,
                mails::attempts,
                mails::token,
            ))
            .load(conn)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        diesel::update(mails::table.filter(mails::id.eq_any(&ids)))
            .set(mails::due_at.eq((now + lease).naive_utc()))
            .execute(conn)?;
        rows.into_iter()
            .map(|(id, entry, hold, kind, attempts, token)| {
                Ok(PendingMail {
                    id,
                    entry: EntryId(entry),
                    hold: hold.map(HoldId),
                    kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                    attempts,
                    token,
                })
            })
            .collect()
    })
}

pub fn mark_mail_sent(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(mails::table.find(id))
        .set((
            mails::sent_at.eq(now.naive_utc()),
            mails::token.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt; tried again at `retry_at`, or dropped when `None`.
pub fn mark_mail_failed(
    conn: &mut DbConnection,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let dropped: Option<NaiveDateTime> = retry_at.is_none().then_some(now.naive_utc());
    diesel::update(mails::table.find(id))
        .set((
            mails::attempts.eq(mails::attempts + 1),
            mails::last_error.eq(error),
            mails::due_at.eq(retry_at.unwrap_or(now).naive_utc()),
            mails::dropped_at.eq(dropped),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn drop_mail(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(mails::table.find(id))
        .set((
            mails::dropped_at.eq(now.naive_utc()),
            mails::token.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}
