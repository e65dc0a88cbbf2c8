//! The one question after a finished visit: its answer is taken once per visit, and only
//! once the visit is finished.

use chrono::{DateTime, Utc};

use crate::domain::feedback::Feedback;
use crate::domain::queue::TicketStatus;
use crate::error::{AppError, AppResult};
use crate::messages::Said;
use crate::store::{self, feedback, tickets, DbConnection, StoreError};

/// Keeps the answer for the visit at the ticket with this public id: 404 for no such
/// ticket, 409 before the visit is finished or when it has its answer already.
pub fn give(
    conn: &mut DbConnection,
    public_id: &str,
    answer: &Feedback,
    now: DateTime<Utc>,
) -> AppResult<()> {
    store::write(conn, |conn| {
        let ticket = tickets::find_public(conn, public_id)?.ok_or_else(|| {
            AppError::not_found("there is no ticket with that id")
                .saying(Said::key("refusal.no_ticket"))
        })?;
        if ticket.status != TicketStatus::Finished {
            return Err(AppError::conflict(format!(
                "the visit is {}; feedback is asked for once it is finished",
                ticket.status
            ))
            .saying(Said::key("feedback.not_finished")));
        }
        match feedback::insert(
            conn,
            ticket.id,
            ticket.location,
            ticket.service,
            answer,
            now,
        ) {
            Err(StoreError::Conflict(detail)) => {
                Err(AppError::conflict(detail).saying(Said::key("feedback.given_already")))
            }
            other => Ok(other?),
        }
    })
}

/// Whether the visit at the ticket with this public id may still be asked the question:
/// it is finished and has no answer yet.
pub fn asks(conn: &mut DbConnection, public_id: &str) -> AppResult<bool> {
    let Some(ticket) = tickets::find_public(conn, public_id)? else {
        return Ok(false);
    };
    Ok(ticket.status == TicketStatus::Finished && !feedback::given(conn, ticket.id)?)
}
