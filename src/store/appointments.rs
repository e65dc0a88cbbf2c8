//! Appointments: booked times, found by their public reference.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{appointment_errands, appointments};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::booking::{AppointmentStatus, Citizen, Language};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::slots::{longest_blocking, Occupied};
use crate::domain::visit::VisitLine;

/// What a new booking writes.
#[derive(Debug, Clone)]
pub struct NewAppointment<'a> {
    pub reference: &'a str,
    pub token_hash: &'a str,
    pub location: LocationId,
    pub service: ServiceId,
    /// How many of the first errand; further errands are [`add_errands`]'.
    pub quantity: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    pub blocks_until: DateTime<Utc>,
    pub citizen: &'a Citizen,
    pub language: Language,
    pub now: DateTime<Utc>,
}

/// A stored appointment.
#[derive(Debug, Clone, PartialEq)]
pub struct AppointmentRecord {
    pub id: i64,
    pub reference: String,
    pub token_hash: String,
    pub location: LocationId,
    /// The visit's first errand.
    pub service: ServiceId,
    /// How many of the first errand.
    pub quantity: u32,
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// The end of its buffer: until then it takes a place of the capacity.
    pub blocks_until: DateTime<Utc>,
    pub status: AppointmentStatus,
    pub language: Language,
    pub sequence: i32,
    /// Blank once retention has removed it.
    pub citizen_name: Option<String>,
    pub citizen_email: Option<String>,
    /// The number given at booking, which a phone meeting is held on; blank once retention
    /// has removed it.
    pub citizen_phone: Option<String>,
    /// When an administrator kept it despite a change that left it without room.
    pub kept_despite_change_at: Option<DateTime<Utc>>,
}

const LIVE: [&str; 2] = ["booked", "checked_in"];

pub fn insert(conn: &mut DbConnection, a: &NewAppointment) -> StoreResult<i64> {
    let language: &'static str = a.language.into();
    let booked: &'static str = AppointmentStatus::Booked.into();
    Ok(diesel::insert_into(appointments::table)
        .values((
            appointments::reference.eq(a.reference),
            appointments::token_hash.eq(a.token_hash),
            appointments::location_id.eq(a.location.0),
            appointments::service_id.eq(a.service.0),
            appointments::quantity.eq(count(a.quantity)),
            appointments::starts_at.eq(a.starts_at.naive_utc()),
            appointments::ends_at.eq(a.ends_at.naive_utc()),
            appointments::blocks_until.eq(a.blocks_until.naive_utc()),
            appointments::status.eq(booked),
            appointments::citizen_name.eq(&a.citizen.name),
            appointments::citizen_email.eq(&a.citizen.email),
            appointments::citizen_phone.eq(a.citizen.phone.as_deref()),
            appointments::citizen_sms_opt_in.eq(a.citizen.sms_opt_in),
            appointments::citizen_feedback_opt_in.eq(a.citizen.feedback_opt_in),
            appointments::language.eq(language),
            appointments::sequence.eq(0),
            appointments::created_at.eq(a.now.naive_utc()),
            appointments::updated_at.eq(a.now.naive_utc()),
        ))
        .returning(appointments::id)
        .get_result(conn)?)
}

fn count(quantity: u32) -> i32 {
    i32::try_from(quantity).unwrap_or(i32::MAX)
}

/// Records the errands of a visit after its first, in the citizen's order.
pub fn add_errands(
    conn: &mut DbConnection,
    appointment: i64,
    further: &[VisitLine<ServiceId>],
) -> StoreResult<()> {
    let rows: Vec<_> = further
        .iter()
        .zip(1..)
        .map(|(line, position): (&VisitLine<ServiceId>, i32)| {
            (
                appointment_errands::appointment_id.eq(appointment),
                appointment_errands::position.eq(position),
                appointment_errands::service_id.eq(line.service.0),
                appointment_errands::quantity.eq(count(line.quantity)),
            )
        })
        .collect();
    super::insert_all(conn, appointment_errands::table, rows)?;
    Ok(())
}

/// The whole visit of an appointment: its own errand first, then the further ones.
pub fn errands_of(
    conn: &mut DbConnection,
    record: &AppointmentRecord,
) -> StoreResult<Vec<VisitLine<ServiceId>>> {
    let further: Vec<(i64, i32)> = appointment_errands::table
        .filter(appointment_errands::appointment_id.eq(record.id))
        .order(appointment_errands::position)
        .select((
            appointment_errands::service_id,
            appointment_errands::quantity,
        ))
        .load(conn)?;
    let first = VisitLine {
        service: record.service,
        quantity: record.quantity,
    };
    std::iter::once(Ok(first))
        .chain(further.into_iter().map(|(service, quantity)| {
            Ok(VisitLine {
                service: ServiceId(service),
                quantity: u32::try_from(quantity)
                    .map_err(|_| StoreError::Corrupt(format!("quantity {quantity}")))?,
            })
        }))
        .collect()
}

/// The times taken by live appointments of these errands at a location that overlap `[from, to)`.
/// `except` leaves one appointment out (the one being moved).
pub fn occupied(
    conn: &mut DbConnection,
    location: LocationId,
    services: &[ServiceId],
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    except: Option<i64>,
) -> StoreResult<Vec<Occupied>> {
    let ids: Vec<i64> = services.iter().map(|s| s.0).collect();
    let rows: Vec<(NaiveDateTime, NaiveDateTime)> = appointments::table
        .filter(appointments::location_id.eq(location.0))
        .filter(appointments::id.ne(except.unwrap_or(-1)))
        .filter(appointments::service_id.eq_any(ids))
        .filter(appointments::status.eq_any(LIVE))
        .filter(appointments::starts_at.lt(to.naive_utc()))
        .filter(appointments::starts_at.ge(earliest_overlapping(from)))
        .filter(appointments::blocks_until.gt(from.naive_utc()))
        .select((appointments::starts_at, appointments::blocks_until))
        .load(conn)?;
    Ok(as_occupied(rows))
}

/// The earliest start of anything that blocks capacity past `from`: the bound that keeps a
/// search for what overlaps an interval on the start-time index's few rows near it.
pub(super) fn earliest_overlapping(from: DateTime<Utc>) -> NaiveDateTime {
    (from - longest_blocking()).naive_utc()
}

/// Stored `(start, end)` spans in UTC, as the capacity they take.
pub(super) fn as_occupied(rows: Vec<(NaiveDateTime, NaiveDateTime)>) -> Vec<Occupied> {
    rows.into_iter()
        .map(|(start, end)| Occupied {
            start: start.and_utc(),
            end: end.and_utc(),
        })
        .collect()
}

/// How many live appointments for this errand a citizen holds that start after `now`.
pub fn future_count_for(
    conn: &mut DbConnection,
    email: &str,
    service: ServiceId,
    now: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(appointments::table
        .filter(appointments::citizen_email.eq(email))
        .filter(appointments::service_id.eq(service.0))
        .filter(appointments::status.eq_any(LIVE))
        .filter(appointments::starts_at.gt(now.naive_utc()))
        .count()
        .get_result(conn)?)
}

type Row = (
    i64,
    String,
    String,
    i64,
    i64,
    i32,
    NaiveDateTime,
    NaiveDateTime,
    NaiveDateTime,
    String,
    String,
    i32,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<NaiveDateTime>,
);

pub fn find(conn: &mut DbConnection, reference: &str) -> StoreResult<Option<AppointmentRecord>> {
    find_by(conn, Key::Reference(reference))
}

pub fn find_by_id(conn: &mut DbConnection, id: i64) -> StoreResult<Option<AppointmentRecord>> {
    find_by(conn, Key::Id(id))
}

/// The appointment behind a ticket, when its citizen asked for the mail after the visit and
/// can still be mailed.
pub fn feedback_mail_for(
    conn: &mut DbConnection,
    ticket: crate::domain::queue::TicketId,
) -> StoreResult<Option<i64>> {
    Ok(super::schema::tickets::table
        .inner_join(appointments::table)
        .filter(super::schema::tickets::id.eq(ticket.0))
        .filter(appointments::citizen_feedback_opt_in)
        .filter(appointments::citizen_email.is_not_null())
        .select(appointments::id)
        .first(conn)
        .optional()?)
}

/// The citizen's phone number as given, when the citizen asked for text messages; `None`
/// when not, or when retention removed it.
pub fn sms_phone_of(conn: &mut DbConnection, id: i64) -> StoreResult<Option<String>> {
    Ok(appointments::table
        .find(id)
        .filter(appointments::citizen_sms_opt_in)
        .select(appointments::citizen_phone)
        .first::<Option<String>>(conn)
        .optional()?
        .flatten())
}

enum Key<'a> {
    Reference(&'a str),
    Id(i64),
}

/// The columns of [`Row`].
type RecordColumns = (
    appointments::id,
    appointments::reference,
    appointments::token_hash,
    appointments::location_id,
    appointments::service_id,
    appointments::quantity,
    appointments::starts_at,
    appointments::ends_at,
    appointments::blocks_until,
    appointments::status,
    appointments::language,
    appointments::sequence,
    appointments::citizen_name,
    appointments::citizen_email,
    appointments::citizen_phone,
    appointments::kept_despite_change_at,
);

const RECORD_COLUMNS: RecordColumns = (
    appointments::id,
    appointments::reference,
    appointments::token_hash,
    appointments::location_id,
    appointments::service_id,
    appointments::quantity,
    appointments::starts_at,
    appointments::ends_at,
    appointments::blocks_until,
    appointments::status,
    appointments::language,
    appointments::sequence,
    appointments::citizen_name,
    appointments::citizen_email,
    appointments::citizen_phone,
    appointments::kept_despite_change_at,
);

fn find_by(conn: &mut DbConnection, key: Key) -> StoreResult<Option<AppointmentRecord>> {
    let query = appointments::table.into_boxed();
    let query = match key {
        Key::Reference(reference) => query.filter(appointments::reference.eq(reference)),
        Key::Id(id) => query.filter(appointments::id.eq(id)),
    };
    let row: Option<Row> = query.select(RECORD_COLUMNS).first(conn).optional()?;
    row.map(record_of).transpose()
}

fn record_of(r: Row) -> StoreResult<AppointmentRecord> {
    Ok(AppointmentRecord {
        id: r.0,
        reference: r.1,
        token_hash: r.2,
        location: LocationId(r.3),
        service: ServiceId(r.4),
        quantity: u32::try_from(r.5)
            .map_err(|_| StoreError::Corrupt(format!("quantity {}", r.5)))?,
        starts_at: r.6.and_utc(),
        ends_at: r.7.and_utc(),
        blocks_until: r.8.and_utc(),
        status: parse_choice(&r.9).map_err(StoreError::Corrupt)?,
        language: r
            .10
            .parse()
            .map_err(|_| StoreError::Corrupt(format!("language {}", r.10)))?,
        sequence: r.11,
        citizen_name: r.12,
        citizen_email: r.13,
        citizen_phone: r.14,
        kept_despite_change_at: r.15.map(|t| t.and_utc()),
    })
}

/// The confirmed (booked, not yet checked-in) appointments at a location that overlap
/// `[from, to)`, by start.
pub fn booked_overlapping(
    conn: &mut DbConnection,
    location: LocationId,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> StoreResult<Vec<AppointmentRecord>> {
    let booked: &'static str = AppointmentStatus::Booked.into();
    let rows: Vec<Row> = appointments::table
        .filter(appointments::location_id.eq(location.0))
        .filter(appointments::status.eq(booked))
        .filter(appointments::starts_at.lt(to.naive_utc()))
        .filter(appointments::starts_at.ge(earliest_overlapping(from)))
        .filter(appointments::ends_at.gt(from.naive_utc()))
        .order((appointments::starts_at, appointments::id))
        .select(RECORD_COLUMNS)
        .load(conn)?;
    rows.into_iter().map(record_of).collect()
}

/// Marks appointments as kept on purpose despite a change that left them without room.
pub fn keep(conn: &mut DbConnection, ids: &[i64], now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(appointments::table.filter(appointments::id.eq_any(ids)))
        .set((
            appointments::kept_despite_change_at.eq(Some(now.naive_utc())),
            appointments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks an appointment cancelled and raises its calendar sequence.
pub fn cancel(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let cancelled: &'static str = AppointmentStatus::Cancelled.into();
    diesel::update(appointments::table.find(id))
        .set((
            appointments::status.eq(cancelled),
            appointments::sequence.eq(appointments::sequence + 1),
            appointments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Moves an appointment to a new time and raises its calendar sequence.
pub fn reschedule(
    conn: &mut DbConnection,
    id: i64,
    starts_at: DateTime<Utc>,
    ends_at: DateTime<Utc>,
    blocks_until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::update(appointments::table.find(id))
        .set((
            appointments::starts_at.eq(starts_at.naive_utc()),
            appointments::ends_at.eq(ends_at.naive_utc()),
            appointments::blocks_until.eq(blocks_until.naive_utc()),
            appointments::sequence.eq(appointments::sequence + 1),
            appointments::updated_at.eq(now.naive_utc()),
            // A new time is booked within the capacity: nothing is kept over it any more.
            appointments::kept_despite_change_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Marks an appointment as checked in at the door.
pub fn check_in(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    let checked_in: &'static str = AppointmentStatus::CheckedIn.into();
    diesel::update(appointments::table.find(id))
        .set((
            appointments::status.eq(checked_in),
            appointments::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}
