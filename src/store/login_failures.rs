//! Failed sign-ins in a row per key (an account, a client address), kept in the database
//! so that every server process on it applies the same back-off. Keys arrive hashed.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error};

use super::schema::login_failures as rows;
use super::{DbConnection, StoreResult};

/// When sign-ins for `key` may be tried again, if they may not at `now`.
pub fn blocked_until(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
) -> StoreResult<Option<DateTime<Utc>>> {
    let until: Option<Option<chrono::NaiveDateTime>> = rows::table
        .find(key)
        .select(rows::blocked_until)
        .first(conn)
        .optional()?;
    Ok(until
        .flatten()
        .map(|t| t.and_utc())
        .filter(|until| *until > now))
}

/// Counts one failure for `key` at `now` unless the key is blocked then; the count starts
/// again when the last failure was before `forget_before`. Returns the failures in a row
/// counting this one, or the end of the block that refused it. Run it in a writing
/// transaction: on PostgreSQL the row's lock makes concurrent counts queue, so none is lost
/// and none slips past a block another one has just set.
pub fn count(
    conn: &mut DbConnection,
    key: &str,
    now: DateTime<Utc>,
    forget_before: DateTime<Utc>,
) -> StoreResult<Result<u32, DateTime<Utc>>> {
    let now_naive = now.naive_utc();
    // The first failure for a key inserts its row; a concurrent first insert wins, and this
    // one, inside a savepoint, gives way to it without aborting the transaction.
    let inserted = conn.transaction(|conn| {
        diesel::insert_into(rows::table)
            .values((
                rows::key_hash.eq(key),
                rows::failures.eq(0),
                rows::last_failure_at.eq(now_naive),
            ))
            .execute(conn)
    });
    match inserted {
        Ok(_) | Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {}
        Err(e) => return Err(e.into()),
    }
    diesel::update(
        rows::table
            .find(key)
            .filter(rows::last_failure_at.lt(forget_before.naive_utc())),
    )
    .set((
        rows::failures.eq(0),
        rows::blocked_until.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)?;
    let counted: Option<i32> = diesel::update(
        rows::table.find(key).filter(
            rows::blocked_until
                .is_null()
                .or(rows::blocked_until.le(now_naive)),
        ),
    )
    .set((
        rows::failures.eq(rows::failures + 1),
        rows::last_failure_at.eq(now_naive),
    ))
    .returning(rows::failures)
    .get_result(conn)
    .optional()?;
    match counted {
        Some(failures) => Ok(Ok(u32::try_from(failures).unwrap_or(u32::MAX))),
        None => {
            let until = blocked_until(conn, key, now)?.unwrap_or(now);
            Ok(Err(until))
        }
    }
}

/// Blocks sign-ins for `key` until `until`.
pub fn block(conn: &mut DbConnection, key: &str, until: DateTime<Utc>) -> StoreResult<()> {
    diesel::update(rows::table.find(key))
        .set(rows::blocked_until.eq(until.naive_utc()))
        .execute(conn)?;
    Ok(())
}

/// Forgets the failures of `key` (its owner signed in).
pub fn clear(conn: &mut DbConnection, key: &str) -> StoreResult<()> {
    diesel::delete(rows::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes the counts of keys whose last failure was before `before` and that block
/// nothing any more; returns how many.
pub fn forget_before(conn: &mut DbConnection, before: DateTime<Utc>) -> StoreResult<usize> {
    let before = before.naive_utc();
    Ok(diesel::delete(
        rows::table.filter(rows::last_failure_at.lt(before)).filter(
            rows::blocked_until
                .is_null()
                .or(rows::blocked_until.lt(before)),
        ),
    )
    .execute(conn)?)
}
