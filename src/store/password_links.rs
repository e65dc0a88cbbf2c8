//! One-time password-set links, kept only as hashes of their tokens.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::password_links;
use super::{DbConnection, StoreResult};
use crate::domain::ids::StaffId;

/// Stores a new link for `staff`; the token itself is never stored.
pub fn insert(
    conn: &mut DbConnection,
    staff: StaffId,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> StoreResult<i64> {
    Ok(diesel::insert_into(password_links::table)
        .values((
            password_links::staff_id.eq(staff.0),
            password_links::token_hash.eq(token_hash),
            password_links::created_at.eq(now.naive_utc()),
            password_links::expires_at.eq(expires_at.naive_utc()),
        ))
        .returning(password_links::id)
        .get_result(conn)?)
}

/// A stored link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkRecord {
    pub id: i64,
    pub staff: StaffId,
    pub expires_at: DateTime<Utc>,
    pub used_at: Option<DateTime<Utc>>,
}

/// The link whose token has this hash.
pub fn find(conn: &mut DbConnection, token_hash: &str) -> StoreResult<Option<LinkRecord>> {
    let row: Option<(i64, i64, NaiveDateTime, Option<NaiveDateTime>)> = password_links::table
        .filter(password_links::token_hash.eq(token_hash))
        .select((
            password_links::id,
            password_links::staff_id,
            password_links::expires_at,
            password_links::used_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, staff, expires_at, used_at)| LinkRecord {
        id,
        staff: StaffId(staff),
        expires_at: expires_at.and_utc(),
        used_at: used_at.map(|at| at.and_utc()),
    }))
}

/// The link with this id, if it is still unused and unexpired.
pub fn find_by_id(conn: &mut DbConnection, id: i64) -> StoreResult<Option<LinkRecord>> {
    let hash: Option<String> = password_links::table
        .find(id)
        .select(password_links::token_hash)
        .first(conn)
        .optional()?;
    match hash {
        Some(hash) => find(conn, &hash),
        None => Ok(None),
    }
}

/// Marks the link used, if it was still unused and unexpired at `now`; true when this call
/// was the one that used it, so that two requests with one link never both set a password.
pub fn use_once(conn: &mut DbConnection, id: i64, now: DateTime<Utc>) -> StoreResult<bool> {
    let now = now.naive_utc();
    let changed = diesel::update(
        password_links::table
            .filter(password_links::id.eq(id))
            .filter(password_links::used_at.is_null())
            .filter(password_links::expires_at.gt(now)),
    )
    .set(password_links::used_at.eq(now))
    .execute(conn)?;
    Ok(changed == 1)
}

/// Makes every unused link of `staff` unusable: a newer link replaces them, and a set
/// password ends them.
pub fn retire_unused(
    conn: &mut DbConnection,
    staff: StaffId,
    now: DateTime<Utc>,
) -> StoreResult<usize> {
    Ok(diesel::update(
        password_links::table
            .filter(password_links::staff_id.eq(staff.0))
            .filter(password_links::used_at.is_null()),
    )
    .set(password_links::expires_at.eq(now.naive_utc()))
    .execute(conn)?)
}
