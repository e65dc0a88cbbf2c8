//! The mail outbox: rows written with the change they tell of, delivered by a worker.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::outbox;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::booking::MailKind;
use crate::domain::organisation::parse_choice;

/// A mail waiting to go.
#[derive(Debug, Clone, PartialEq)]
pub struct Pending {
    pub id: i64,
    pub appointment_id: i64,
    pub kind: MailKind,
    pub attempts: i32,
    pub manage_token: Option<String>,
}

pub fn enqueue(
    conn: &mut DbConnection,
    appointment_id: i64,
    kind: MailKind,
    due_at: DateTime<Utc>,
    manage_token: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let kind: &'static str = kind.into();
    diesel::insert_into(outbox::table)
        .values((
            outbox::appointment_id.eq(appointment_id),
            outbox::kind.eq(kind),
            outbox::due_at.eq(due_at.naive_utc()),
            outbox::manage_token.eq(manage_token),
            outbox::attempts.eq(0),
            outbox::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up the reminders not yet sent (the booking was cancelled or moved).
pub fn drop_reminders(
    conn: &mut DbConnection,
    appointment_id: i64,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let reminder: &'static str = MailKind::Reminder.into();
    diesel::update(
        outbox::table
            .filter(outbox::appointment_id.eq(appointment_id))
            .filter(outbox::kind.eq(reminder))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null()),
    )
    .set((
        outbox::dropped_at.eq(now.naive_utc()),
        outbox::manage_token.eq(None::<String>),
    ))
    .execute(conn)?;
    Ok(())
}

/// Claims up to `limit` due mails for `lease`: another worker (or instance) skips them
/// until the lease runs out, so a mail is not sent twice while it is being sent.
pub fn claim_due(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    lease: Duration,
    limit: i64,
) -> StoreResult<Vec<Pending>> {
    super::write(conn, |conn| {
        let rows: Vec<(i64, i64, String, i32, Option<String>)> = outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null())
            .filter(outbox::due_at.le(now.naive_utc()))
            .order(outbox::due_at)
            .limit(limit)
            .select((
                outbox::id,
                outbox::appointment_id,
                outbox::kind,
                outbox::attempts,
                outbox::manage_token,
            ))
            .load(conn)?;
        let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
        diesel::update(outbox::table.filter(outbox::id.eq_any(&ids)))
            .set(outbox::due_at.eq((now + lease).naive_utc()))
            .execute(conn)?;
        rows.into_iter()
            .map(|(id, appointment_id, kind, attempts, manage_token)| {
                Ok(Pending {
                    id,
                    appointment_id,
                    kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                    attempts,
                    manage_token,
                })
            })
            .collect()
    })
}

pub fn mark_sent(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::sent_at.eq(now.naive_utc()),
            outbox::manage_token.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Records a failed attempt; the mail is tried again at `retry_at`, or dropped when `None`.
pub fn mark_failed(
    conn: &mut DbConnection,
    id: i64,
    error: &str,
    retry_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let dropped: Option<NaiveDateTime> = retry_at.is_none().then_some(now.naive_utc());
    diesel::update(outbox::table.find(id))
        .set((
            outbox::attempts.eq(outbox::attempts + 1),
            outbox::last_error.eq(error),
            outbox::due_at.eq(retry_at.unwrap_or(now).naive_utc()),
            outbox::dropped_at.eq(dropped),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives a mail up without an attempt (its booking no longer needs it).
pub fn drop_one(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(outbox::table.find(id))
        .set((
            outbox::dropped_at.eq(now.naive_utc()),
            outbox::manage_token.eq(None::<String>),
        ))
        .execute(conn)?;
    Ok(())
}

/// Mails not yet sent nor given up, by kind (for tests and metrics).
pub fn pending_kinds(
    conn: &mut DbConnection,
    appointment_id: i64,
) -> StoreResult<Vec<(String, NaiveDateTime)>> {
    Ok(outbox::table
        .filter(outbox::appointment_id.eq(appointment_id))
        .filter(outbox::sent_at.is_null())
        .filter(outbox::dropped_at.is_null())
        .order(outbox::due_at)
        .select((outbox::kind, outbox::due_at))
        .load(conn)?)
}
