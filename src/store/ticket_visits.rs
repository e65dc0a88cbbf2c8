//! A ticket's whole visit: its errands with their outcomes, the needs stated for it, and
//! the waiting tickets that only some desks may call.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{appointments, ticket_errands, ticket_needs, tickets};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::queue::{Outcome, TicketId, TicketStatus, VisitTicket, WaitingTicket};
use crate::domain::visit::{desk_features, Need, VisitLine};

/// One errand of a ticket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TicketErrand {
    pub line: VisitLine<ServiceId>,
    pub outcome: Option<Outcome>,
}

/// Records a new ticket's errands (when it is more than one of one errand) and needs.
pub fn record(
    conn: &mut DbConnection,
    ticket: TicketId,
    lines: &[VisitLine<ServiceId>],
    needs: &[Need],
) -> StoreResult<()> {
    let single = matches!(lines, [only] if only.quantity == 1);
    if !single {
        let rows: Vec<_> = lines
            .iter()
            .zip(0..)
            .map(|(line, position): (&VisitLine<ServiceId>, i32)| {
                (
                    ticket_errands::ticket_id.eq(ticket.0),
                    ticket_errands::position.eq(position),
                    ticket_errands::service_id.eq(line.service.0),
                    ticket_errands::quantity.eq(i32::try_from(line.quantity).unwrap_or(i32::MAX)),
                )
            })
            .collect();
        super::insert_all(conn, ticket_errands::table, rows)?;
    }
    let rows: Vec<_> = needs
        .iter()
        .map(|need| {
            let kind: &'static str = need.kind.into();
            (
                ticket_needs::ticket_id.eq(ticket.0),
                ticket_needs::kind.eq(kind),
                ticket_needs::detail.eq(need.detail.as_deref()),
            )
        })
        .collect();
    super::insert_all(conn, ticket_needs::table, rows)?;
    Ok(())
}

type ErrandRow = (i64, i64, i32, Option<String>);

fn errand((_, service, quantity, outcome): ErrandRow) -> StoreResult<TicketErrand> {
    Ok(TicketErrand {
        line: VisitLine {
            service: ServiceId(service),
            quantity: u32::try_from(quantity)
                .map_err(|_| StoreError::Corrupt(format!("quantity {quantity}")))?,
        },
        outcome: outcome
            .map(|o| parse_choice(&o).map_err(StoreError::Corrupt))
            .transpose()?,
    })
}

/// The errands of these tickets, in order, by ticket; a ticket of one of one errand has none.
pub fn errands_of(
    conn: &mut DbConnection,
    ids: &[TicketId],
) -> StoreResult<HashMap<TicketId, Vec<TicketErrand>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
    let rows: Vec<ErrandRow> = ticket_errands::table
        .filter(ticket_errands::ticket_id.eq_any(ids))
        .order((ticket_errands::ticket_id, ticket_errands::position))
        .select((
            ticket_errands::ticket_id,
            ticket_errands::service_id,
            ticket_errands::quantity,
            ticket_errands::outcome,
        ))
        .load(conn)?;
    let mut out: HashMap<TicketId, Vec<TicketErrand>> = HashMap::new();
    for row in rows {
        let id = TicketId(row.0);
        out.entry(id).or_default().push(errand(row)?);
    }
    Ok(out)
}

/// A ticket's errands in order: those recorded, or its own errand alone.
pub fn errands(
    conn: &mut DbConnection,
    ticket: TicketId,
    own: ServiceId,
    outcome: Option<Outcome>,
) -> StoreResult<Vec<TicketErrand>> {
    Ok(errands_of(conn, &[ticket])?
        .remove(&ticket)
        .unwrap_or_else(|| {
            vec![TicketErrand {
                line: VisitLine::one(own),
                outcome,
            }]
        }))
}

/// Gives errands of a ticket their outcome, by their position.
pub fn set_outcomes(
    conn: &mut DbConnection,
    ticket: TicketId,
    outcomes: &[(usize, Outcome)],
) -> StoreResult<()> {
    for (position, outcome) in outcomes {
        let text: &'static str = (*outcome).into();
        let position = i32::try_from(*position).unwrap_or(i32::MAX);
        diesel::update(ticket_errands::table.find((ticket.0, position)))
            .set(ticket_errands::outcome.eq(text))
            .execute(conn)?;
    }
    Ok(())
}

/// Takes back the outcomes of a ticket's errands (an undone finish).
pub fn clear_outcomes(conn: &mut DbConnection, ticket: TicketId) -> StoreResult<()> {
    diesel::update(ticket_errands::table.filter(ticket_errands::ticket_id.eq(ticket.0)))
        .set(ticket_errands::outcome.eq(None::<String>))
        .execute(conn)?;
    Ok(())
}

/// The needs stated for these tickets, by ticket.
pub fn needs_of(
    conn: &mut DbConnection,
    ids: &[TicketId],
) -> StoreResult<HashMap<TicketId, Vec<Need>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let ids: Vec<i64> = ids.iter().map(|t| t.0).collect();
    let rows: Vec<(i64, String, Option<String>)> = ticket_needs::table
        .filter(ticket_needs::ticket_id.eq_any(ids))
        .order((ticket_needs::ticket_id, ticket_needs::kind))
        .select((
            ticket_needs::ticket_id,
            ticket_needs::kind,
            ticket_needs::detail,
        ))
        .load(conn)?;
    let mut out: HashMap<TicketId, Vec<Need>> = HashMap::new();
    for (id, kind, detail) in rows {
        out.entry(TicketId(id)).or_default().push(Need {
            kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
            detail,
        });
    }
    Ok(out)
}

type VisitRow = (i64, i64, NaiveDateTime, Option<NaiveDateTime>);

/// The location's waiting tickets of a whole visit, with their open errands and what their
/// needs ask of the desk. They are few: only a desk that can take them calls them. The
/// condition is the bare column, as the partial index `tickets_waiting_visits` states it:
/// compared with a bound `true`, SQLite cannot tell that the index holds every such ticket
/// and reads all the waiting tickets of the location instead.
pub fn waiting(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<VisitTicket>> {
    let waiting: &'static str = TicketStatus::Waiting.into();
    let rows: Vec<VisitRow> = tickets::table
        .left_join(appointments::table)
        .filter(tickets::location_id.eq(location.0))
        .filter(tickets::status.eq(waiting))
        .filter(tickets::whole_visit)
        .select((
            tickets::id,
            tickets::service_id,
            tickets::queued_at,
            appointments::starts_at.nullable(),
        ))
        .load(conn)?;
    let ids: Vec<TicketId> = rows.iter().map(|r| TicketId(r.0)).collect();
    let mut errands = errands_of(conn, &ids)?;
    let mut needs = needs_of(conn, &ids)?;
    Ok(rows
        .into_iter()
        .map(|(id, service, queued_at, start)| {
            let id = TicketId(id);
            let service = ServiceId(service);
            let open = errands.remove(&id).map_or_else(
                || vec![service],
                |lines| {
                    lines
                        .iter()
                        .filter(|e| e.outcome.is_none())
                        .map(|e| e.line.service)
                        .collect()
                },
            );
            VisitTicket {
                waiting: WaitingTicket {
                    id,
                    service,
                    queued_at: queued_at.and_utc(),
                    appointment_start: start.map(|s| s.and_utc()),
                },
                open,
                features: desk_features(&needs.remove(&id).unwrap_or_default()),
            }
        })
        .collect())
}
