//! The answers citizens gave after their visits.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::schema::visit_feedback;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::feedback::Feedback;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::queue::TicketId;

/// Keeps the answer for a visit; a second answer for the same visit is a conflict, however
/// close together the two come (the ticket is the table's key).
pub fn insert(
    conn: &mut DbConnection,
    ticket: TicketId,
    location: LocationId,
    service: ServiceId,
    feedback: &Feedback,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let inserted = diesel::insert_into(visit_feedback::table)
        .values((
            visit_feedback::ticket_id.eq(ticket.0),
            visit_feedback::location_id.eq(location.0),
            visit_feedback::service_id.eq(service.0),
            visit_feedback::score.eq(i32::from(feedback.score.value())),
            visit_feedback::comment.eq(feedback.comment.as_deref()),
            visit_feedback::given_at.eq(now.naive_utc()),
        ))
        .execute(conn);
    match inserted {
        Ok(_) => Ok(()),
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Err(
            StoreError::Conflict("this visit has been given its feedback already".into()),
        ),
        Err(e) => Err(e.into()),
    }
}

/// Whether the visit at this ticket has its answer.
pub fn given(conn: &mut DbConnection, ticket: TicketId) -> StoreResult<bool> {
    let n: i64 = visit_feedback::table
        .filter(visit_feedback::ticket_id.eq(ticket.0))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
