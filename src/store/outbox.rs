//! The outbox: every outgoing message (mail, SMS, webhook), written in the transaction of
//! the change it tells of, claimed under a lease by whichever worker comes first, and then
//! marked sent, failed (to be tried again) or dropped.

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::outbox;
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::message_kind::MessageKind;
use crate::domain::organisation::parse_choice;
use crate::domain::outbox::Owner;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMessage<'a> {
    pub kind: MessageKind,
    pub owner: Owner,
    /// What it tells of, in its owner's words (`confirmation`, `reminder`, `offer`).
    pub event: &'a str,
    /// A JSON object of what it is composed from besides its owner; no personal data.
    pub payload: &'a str,
    /// The secret for its link, kept until it is sent or dropped.
    pub secret: Option<&'a str>,
    pub due_at: DateTime<Utc>,
    /// Messages of one sequence go in the order they were queued (the events of one
    /// appointment to one endpoint); `None` for a message that may go whenever it is due.
    pub sequence: Option<&'a str>,
}

pub fn enqueue(
    conn: &mut DbConnection,
    message: &NewMessage,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    let kind: &'static str = message.kind.into();
    let owner_kind: &'static str = message.owner.kind.into();
    diesel::insert_into(outbox::table)
        .values((
            outbox::kind.eq(kind),
            outbox::owner_kind.eq(owner_kind),
            outbox::owner_id.eq(message.owner.id),
            outbox::event.eq(message.event),
            outbox::payload.eq(message.payload),
            outbox::secret.eq(message.secret),
            outbox::due_at.eq(message.due_at.naive_utc()),
            outbox::attempts.eq(0),
            outbox::created_at.eq(now.naive_utc()),
            outbox::sequence.eq(message.sequence),
        ))
        .execute(conn)?;
    Ok(())
}

/// Gives up the messages of `owner` not yet sent, about `event` (the reminders of a booking
/// that was cancelled or moved) or about anything (a webhook endpoint that was deleted),
/// and forgets their secrets.
pub fn drop_unsent(
    conn: &mut DbConnection,
    owner: Owner,
    event: Option<&str>,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    let owner_kind: &'static str = owner.kind.into();
    Ok(diesel::update(
        outbox::table
            .filter(outbox::owner_kind.eq(owner_kind))
            .filter(outbox::owner_id.eq(owner.id))
            .filter(
                outbox::event
                    .eq(event.unwrap_or_default())
                    .or(event.is_none().into_sql::<diesel::sql_types::Bool>()),
            )
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null()),
    )
    .set((
        outbox::dropped_at.eq(now.naive_utc()),
        outbox::secret.eq(None::<String>),
    ))
    .execute(conn)?)
}

/// A message claimed for sending.
#[derive(Debug, Clone, PartialEq)]
pub struct Claimed {
    pub id: i64,
    pub kind: MessageKind,
    pub owner: Owner,
    pub event: String,
    pub payload: String,
    pub secret: Option<String>,
    pub attempts: i32,
    /// When it was queued: a webhook is tried for a day from then.
    pub created_at: DateTime<Utc>,
}

type ClaimedRow = (
    i64,
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    i32,
    NaiveDateTime,
);

/// A message waits while an earlier one of its sequence is neither sent nor given up.
const FIRST_OF_ITS_SEQUENCE: &str = "NOT EXISTS (SELECT 1 FROM outbox AS earlier \
     WHERE earlier.sequence = outbox.sequence AND earlier.id < outbox.id \
     AND earlier.sent_at IS NULL AND earlier.dropped_at IS NULL)";

/// Claims up to `limit` due messages for `lease`, as the claimant named `lease_id`: other
/// workers, in this process or another, skip them until the lease runs out, so a message is
/// not sent twice while it is being sent. Oldest due first, and within a sequence only the
/// first unsent message.
pub fn claim_due(
    conn: &mut DbConnection,
    lease_id: &str,
    lease: Duration,
    limit: i64,
    now: DateTime<Utc>,
) -> StoreResult<Vec<Claimed>> {
    let now_naive = now.naive_utc();
    super::write(conn, |conn| {
        let due = outbox::table
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null())
            .filter(outbox::due_at.le(now_naive))
            .filter(
                outbox::leased_until
                    .is_null()
                    .or(outbox::leased_until.le(now_naive)),
            )
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                FIRST_OF_ITS_SEQUENCE,
            ))
            .order((outbox::due_at, outbox::id))
            .limit(limit)
            .select(outbox::id);
        // PostgreSQL locks the rows it picks and passes over those another worker is
        // picking at this moment; SQLite's writer holds the whole database already.
        let ids: Vec<i64> = match conn {
            DbConnection::Postgres(c) => due.for_update().skip_locked().load(c)?,
            DbConnection::Sqlite(c) => due.load(c)?,
        };
        // The lease is taken only where it is still free: on SQLite the write lock already
        // ensures it, on PostgreSQL the row lock does; the condition says what is meant.
        diesel::update(
            outbox::table.filter(outbox::id.eq_any(&ids)).filter(
                outbox::leased_until
                    .is_null()
                    .or(outbox::leased_until.le(now_naive)),
            ),
        )
        .set((
            outbox::lease.eq(lease_id),
            outbox::leased_until.eq((now + lease).naive_utc()),
        ))
        .execute(conn)?;
        let rows: Vec<ClaimedRow> = outbox::table
            .filter(outbox::id.eq_any(&ids))
            .filter(outbox::lease.eq(lease_id))
            .order((outbox::due_at, outbox::id))
            .select((
                outbox::id,
                outbox::kind,
                outbox::owner_kind,
                outbox::owner_id,
                outbox::event,
                outbox::payload,
                outbox::secret,
                outbox::attempts,
                outbox::created_at,
            ))
            .load(conn)?;
        rows.into_iter().map(claimed).collect()
    })
}

fn claimed(
    (id, kind, owner_kind, owner_id, event, payload, secret, attempts, created): ClaimedRow,
) -> StoreResult<Claimed> {
    Ok(Claimed {
        id,
        kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
        owner: Owner {
            kind: parse_choice(&owner_kind).map_err(StoreError::Corrupt)?,
            id: owner_id,
        },
        event,
        payload,
        secret,
        attempts,
        created_at: created.and_utc(),
    })
}

/// Renews the lease on one claimed message just before it is sent, to `until`. Returns
/// false when the lease is no longer `lease_id`'s: it ran out while earlier messages of the
/// batch were being sent, and another worker claimed the message (and may be sending it).
/// A worker sends only what this confirms, so two never send one message at once.
pub fn hold(
    conn: &mut DbConnection,
    id: i64,
    lease_id: &str,
    until: DateTime<Utc>,
) -> StoreResult<bool> {
    let held = diesel::update(
        outbox::table
            .filter(outbox::id.eq(id))
            .filter(outbox::lease.eq(lease_id))
            .filter(outbox::sent_at.is_null())
            .filter(outbox::dropped_at.is_null()),
    )
    .set(outbox::leased_until.eq(until.naive_utc()))
    .execute(conn)?;
    Ok(held == 1)
}

/// How one claimed message ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome<'a> {
    Sent,
    /// It should no longer go: its cause is gone.
    Dropped,
    /// Not delivered: tried again at `retry_at`, or given up when that is `None`.
    Failed {
        error: &'a str,
        retry_at: Option<DateTime<Utc>>,
    },
}

/// Records how a message claimed as `lease_id` ended and frees its lease. Returns false when
/// the lease was no longer this claimant's (it ran out and another worker took the message).
pub fn settle(
    conn: &mut DbConnection,
    id: i64,
    lease_id: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let mine = outbox::table
        .filter(outbox::id.eq(id))
        .filter(outbox::lease.eq(lease_id))
        .filter(outbox::sent_at.is_null());
    let free = (
        outbox::lease.eq(None::<String>),
        outbox::leased_until.eq(None::<NaiveDateTime>),
    );
    let now_naive = now.naive_utc();
    let changed = match outcome {
        Outcome::Sent => diesel::update(mine)
            .set((
                free,
                outbox::sent_at.eq(now_naive),
                outbox::secret.eq(None::<String>),
            ))
            .execute(conn)?,
        Outcome::Dropped => diesel::update(mine)
            .set((
                free,
                outbox::dropped_at.eq(now_naive),
                outbox::secret.eq(None::<String>),
            ))
            .execute(conn)?,
        Outcome::Failed { error, retry_at } => diesel::update(mine)
            .set((
                free,
                outbox::attempts.eq(outbox::attempts + 1),
                outbox::last_error.eq(*error),
                outbox::due_at.eq(retry_at.unwrap_or(now).naive_utc()),
                outbox::dropped_at.eq(retry_at.is_none().then_some(now_naive)),
            ))
            .execute(conn)?,
    };
    Ok(changed == 1)
}

/// `(kind, event, due at)` of the messages of `owner` not yet sent nor given up, oldest due
/// first (for tests and the metrics).
pub fn pending(
    conn: &mut DbConnection,
    owner: Owner,
) -> StoreResult<Vec<(MessageKind, String, DateTime<Utc>)>> {
    let owner_kind: &'static str = owner.kind.into();
    let rows: Vec<(String, String, NaiveDateTime)> = outbox::table
        .filter(outbox::owner_kind.eq(owner_kind))
        .filter(outbox::owner_id.eq(owner.id))
        .filter(outbox::sent_at.is_null())
        .filter(outbox::dropped_at.is_null())
        .order((outbox::due_at, outbox::id))
        .select((outbox::kind, outbox::event, outbox::due_at))
        .load(conn)?;
    rows.into_iter()
        .map(|(kind, event, due)| {
            Ok((
                parse_choice(&kind).map_err(StoreError::Corrupt)?,
                event,
                due.and_utc(),
            ))
        })
        .collect()
}
