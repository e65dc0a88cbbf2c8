//! Queue tickets and what the door answered.

use chrono::{DateTime, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{appointments, door_outcomes, queue_events, tickets};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{DeskId, LocationId, ServiceId, StaffId};
use crate::domain::organisation::parse_choice;
use crate::domain::queue::{TicketId, TicketNumber, TicketStatus};

/// What a new ticket writes.
#[derive(Debug, Clone)]
pub struct NewTicket<'a> {
    pub public_id: &'a str,
    pub location: LocationId,
    pub service: ServiceId,
    pub local_day: NaiveDate,
    pub number: TicketNumber,
    pub assisted: bool,
    pub appointment: Option<i64>,
    /// Only a desk that can take the whole visit calls it (see `ticket_visits::waiting`).
    pub whole_visit: bool,
    pub now: DateTime<Utc>,
}

/// Writes a new waiting ticket; returns it as it was written, without reading it back.
pub fn insert(conn: &mut DbConnection, t: &NewTicket) -> StoreResult<TicketRecord> {
    let waiting: &'static str = TicketStatus::Waiting.into();
    let id = diesel::insert_into(tickets::table)
        .values((
            tickets::public_id.eq(t.public_id),
            tickets::location_id.eq(t.location.0),
            tickets::service_id.eq(t.service.0),
            tickets::local_day.eq(t.local_day),
            tickets::prefix.eq(t.number.prefix().to_string()),
            tickets::seq.eq(t.number.seq() as i32),
            tickets::status.eq(waiting),
            tickets::appointment_id.eq(t.appointment),
            tickets::assisted.eq(t.assisted),
            tickets::whole_visit.eq(t.whole_visit),
            tickets::queued_at.eq(t.now.naive_utc()),
            tickets::issued_at.eq(t.now.naive_utc()),
        ))
        .returning(tickets::id)
        .get_result(conn)?;
    Ok(TicketRecord {
        id: TicketId(id),
        public_id: t.public_id.to_owned(),
        location: t.location,
        service: t.service,
        number: t.number,
        status: TicketStatus::Waiting,
        issued_at: t.now,
        desk: None,
    })
}

/// Records what the door answered (`ticket`, `self_service`, …), for the KPIs.
pub fn record_door(
    conn: &mut DbConnection,
    location: LocationId,
    service: Option<ServiceId>,
    outcome: &str,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    diesel::insert_into(door_outcomes::table)
        .values((
            door_outcomes::location_id.eq(location.0),
            door_outcomes::service_id.eq(service.map(|s| s.0)),
            door_outcomes::outcome.eq(outcome),
            door_outcomes::at.eq(at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// A stored ticket, found by its public id.
#[derive(Debug, Clone, PartialEq)]
pub struct TicketRecord {
    pub id: TicketId,
    pub public_id: String,
    pub location: LocationId,
    pub service: ServiceId,
    pub number: TicketNumber,
    pub status: TicketStatus,
    pub issued_at: DateTime<Utc>,
    pub desk: Option<DeskId>,
}

type TicketRow = (
    i64,
    String,
    i64,
    i64,
    String,
    i32,
    String,
    NaiveDateTime,
    Option<i64>,
);

/// The columns a [`TicketRecord`] is read from.
const RECORD: (
    tickets::id,
    tickets::public_id,
    tickets::location_id,
    tickets::service_id,
    tickets::prefix,
    tickets::seq,
    tickets::status,
    tickets::issued_at,
    tickets::desk_id,
) = (
    tickets::id,
    tickets::public_id,
    tickets::location_id,
    tickets::service_id,
    tickets::prefix,
    tickets::seq,
    tickets::status,
    tickets::issued_at,
    tickets::desk_id,
);

pub fn find_public(conn: &mut DbConnection, public_id: &str) -> StoreResult<Option<TicketRecord>> {
    let row: Option<TicketRow> = tickets::table
        .filter(tickets::public_id.eq(public_id))
        .select(RECORD)
        .first(conn)
        .optional()?;
    row.map(record).transpose()
}

fn record(
    (id, public_id, location, service, prefix, seq, status, issued_at, desk): TicketRow,
) -> StoreResult<TicketRecord> {
    let corrupt = StoreError::Corrupt;
    let prefix = prefix
        .chars()
        .next()
        .ok_or_else(|| corrupt("empty prefix".into()))?;
    Ok(TicketRecord {
        id: TicketId(id),
        public_id,
        location: LocationId(location),
        service: ServiceId(service),
        number: TicketNumber::new(prefix, seq.max(0) as u32).map_err(corrupt)?,
        status: parse_choice(&status).map_err(corrupt)?,
        issued_at: issued_at.and_utc(),
        desk: desk.map(DeskId),
    })
}

/// Sets a ticket's status; `called_by` sets the desk and the call time, `finished` the
/// outcome and the end time.
pub fn set_status(
    conn: &mut DbConnection,
    id: TicketId,
    status: TicketStatus,
    called_by: Option<DeskId>,
    outcome: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let change = StatusChange {
        status: status.into(),
        desk_id: called_by.map(|d| d.0),
        called_at: called_by.map(|_| now.naive_utc()),
        outcome: status.is_final().then_some(outcome),
        finished_at: status.is_final().then(|| now.naive_utc()),
    };
    diesel::update(tickets::table.find(id.0))
        .set(&change)
        .execute(conn)?;
    Ok(())
}

/// What a status change writes, in one statement: a field left `None` is not written
/// (an `outcome` of `Some(None)` is written as no outcome).
#[derive(AsChangeset)]
#[diesel(table_name = tickets)]
struct StatusChange<'a> {
    status: &'static str,
    desk_id: Option<i64>,
    called_at: Option<NaiveDateTime>,
    outcome: Option<Option<&'a str>>,
    finished_at: Option<NaiveDateTime>,
}

/// Takes back a final status (an undone no-show or finish): the ticket is `status` again,
/// with no outcome and no end.
pub fn reopen(conn: &mut DbConnection, id: TicketId, status: TicketStatus) -> StoreResult<()> {
    let text: &'static str = status.into();
    diesel::update(tickets::table.find(id.0))
        .set((
            tickets::status.eq(text),
            tickets::outcome.eq(None::<String>),
            tickets::finished_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

/// A ticket's latest staff action as recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastAction {
    pub action: String,
    pub staff: Option<StaffId>,
    pub at: DateTime<Utc>,
}

/// The latest staff action on a ticket, if any.
pub fn last_action(conn: &mut DbConnection, id: TicketId) -> StoreResult<Option<LastAction>> {
    let row: Option<(String, Option<i64>, NaiveDateTime)> = queue_events::table
        .filter(queue_events::ticket_id.eq(id.0))
        .order((queue_events::at.desc(), queue_events::id.desc()))
        .select((
            queue_events::action,
            queue_events::staff_id,
            queue_events::at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(action, staff, at)| LastAction {
        action,
        staff: staff.map(StaffId),
        at: at.and_utc(),
    }))
}

/// Moves a ticket to another errand's queue; it keeps its `queued_at`, so its place in time.
pub fn transfer(conn: &mut DbConnection, id: TicketId, service: ServiceId) -> StoreResult<()> {
    let waiting: &'static str = TicketStatus::Waiting.into();
    diesel::update(tickets::table.find(id.0))
        .set((
            tickets::service_id.eq(service.0),
            tickets::status.eq(waiting),
            tickets::desk_id.eq(None::<i64>),
        ))
        .execute(conn)?;
    Ok(())
}

/// One staff action, with who, where and when.
#[derive(Debug, Clone)]
pub struct Event<'a> {
    pub location: LocationId,
    pub ticket: Option<TicketId>,
    pub desk: Option<DeskId>,
    pub staff: StaffId,
    pub action: &'a str,
    pub detail: Option<&'a str>,
    pub at: DateTime<Utc>,
}

pub fn record_event(conn: &mut DbConnection, e: &Event) -> StoreResult<()> {
    diesel::insert_into(queue_events::table)
        .values((
            queue_events::location_id.eq(e.location.0),
            queue_events::ticket_id.eq(e.ticket.map(|t| t.0)),
            queue_events::desk_id.eq(e.desk.map(|d| d.0)),
            queue_events::staff_id.eq(e.staff.0),
            queue_events::action.eq(e.action),
            queue_events::detail.eq(e.detail),
            queue_events::at.eq(e.at.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn find_by_id(conn: &mut DbConnection, id: TicketId) -> StoreResult<Option<TicketRecord>> {
    let row: Option<TicketRow> = tickets::table
        .find(id.0)
        .select(RECORD)
        .first(conn)
        .optional()?;
    row.map(record).transpose()
}

/// A ticket on a location's board: waiting or called, with its errand and desk.
/// The booking a ticket came from, as staff see it.
#[derive(Debug, Clone, PartialEq)]
pub struct BookingFacts {
    /// The citizen's name; blank once retention removed it.
    pub name: Option<String>,
    pub start: DateTime<Utc>,
    /// When an administrator kept it despite a change that left it without room.
    pub kept_despite_change_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct BoardEntry {
    pub id: TicketId,
    pub public_id: String,
    pub number: TicketNumber,
    pub status: TicketStatus,
    pub service: String,
    /// The errand's name in Danish and in English.
    pub service_name: (String, String),
    pub queued_at: DateTime<Utc>,
    pub desk: Option<String>,
    pub called_at: Option<DateTime<Utc>>,
    /// The booking it came from, for staff.
    pub booking: Option<BookingFacts>,
}

type BoardRow = (
    (i64, String, String, i32, String),
    (String, String, String),
    NaiveDateTime,
    Option<String>,
    Option<NaiveDateTime>,
    Option<(Option<String>, NaiveDateTime, Option<NaiveDateTime>)>,
);

/// Every waiting, called and served ticket of a location, in the order they joined.
pub fn board(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<BoardEntry>> {
    use super::schema::{desks, services};
    let live: [&'static str; 3] = [
        TicketStatus::Waiting.into(),
        TicketStatus::Called.into(),
        TicketStatus::Serving.into(),
    ];
    let rows: Vec<BoardRow> = tickets::table
        .inner_join(services::table)
        .left_join(desks::table)
        .left_join(appointments::table)
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq_any(live))
        .order((tickets::queued_at, tickets::id))
        .select((
            (
                tickets::id,
                tickets::public_id,
                tickets::prefix,
                tickets::seq,
                tickets::status,
            ),
            (services::slug, services::name_da, services::name_en),
            tickets::queued_at,
            desks::name.nullable(),
            tickets::called_at,
            (
                appointments::citizen_name,
                appointments::starts_at,
                appointments::kept_despite_change_at,
            )
                .nullable(),
        ))
        .load(conn)?;
    rows.into_iter()
        .map(
            |(
                (id, public_id, prefix, seq, status),
                (service, name_da, name_en),
                queued_at,
                desk,
                called_at,
                booking,
            )| {
                let prefix = prefix
                    .chars()
                    .next()
                    .ok_or_else(|| StoreError::Corrupt("empty prefix".into()))?;
                Ok(BoardEntry {
                    id: TicketId(id),
                    public_id,
                    number: TicketNumber::new(prefix, seq.max(0) as u32)
                        .map_err(StoreError::Corrupt)?,
                    status: parse_choice(&status).map_err(StoreError::Corrupt)?,
                    service,
                    service_name: (name_da, name_en),
                    queued_at: queued_at.and_utc(),
                    desk,
                    called_at: called_at.map(|t| t.and_utc()),
                    booking: booking.map(|(name, start, kept)| BookingFacts {
                        name,
                        start: start.and_utc(),
                        kept_despite_change_at: kept.map(|t| t.and_utc()),
                    }),
                })
            },
        )
        .collect()
}
