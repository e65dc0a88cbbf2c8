//! The waitlist's mail queue: offers and confirmations to send, claimed under a lease.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use crate::domain::organisation::parse_choice;
use crate::domain::waitlist::{EntryId, HoldId, WaitlistMailKind};
use crate::store::schema::waitlist_mails as mails;
use crate::store::{DbConnection, StoreError, StoreResult};

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
    crate::store::write(conn, |conn| {
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
