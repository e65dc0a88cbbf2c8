//! Staff users, their roles and skills, and their sign-in sessions.

use std::collections::BTreeSet;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{sessions, staff_locations, staff_roles, staff_users};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{LocationId, OrganisationId, StaffId};
use crate::domain::organisation::{parse_choice, Role, StaffUser};

pub fn set_password_hash(conn: &mut DbConnection, staff: StaffId, hash: &str) -> StoreResult<()> {
    diesel::update(staff_users::table.find(staff.0))
        .set(staff_users::password_hash.eq(hash))
        .execute(conn)?;
    Ok(())
}

type UserRow = (i64, i64, String, String, Option<String>, bool);

fn user_columns() -> (
    staff_users::id,
    staff_users::organisation_id,
    staff_users::username,
    staff_users::display_name,
    staff_users::password_hash,
    staff_users::active,
) {
    (
        staff_users::id,
        staff_users::organisation_id,
        staff_users::username,
        staff_users::display_name,
        staff_users::password_hash,
        staff_users::active,
    )
}

/// The staff user with this username, if any.
/// Whether the staff member may work at `location`: listed there, or listed nowhere.
pub fn may_work_at(
    conn: &mut DbConnection,
    staff: StaffId,
    location: LocationId,
) -> StoreResult<bool> {
    let listed: Vec<i64> = staff_locations::table
        .filter(staff_locations::staff_id.eq(staff.0))
        .select(staff_locations::location_id)
        .load(conn)?;
    Ok(listed.is_empty() || listed.contains(&location.0))
}

/// The staff user with this id, if any.
pub fn find_by_id(conn: &mut DbConnection, id: StaffId) -> StoreResult<Option<StaffUser>> {
    let row: Option<UserRow> = staff_users::table
        .filter(staff_users::id.eq(id.0))
        .select(user_columns())
        .first(conn)
        .optional()?;
    row.map(|r| user_from_row(conn, r)).transpose()
}

pub fn find_by_username(conn: &mut DbConnection, username: &str) -> StoreResult<Option<StaffUser>> {
    let row: Option<UserRow> = staff_users::table
        .filter(staff_users::username.eq(username))
        .select(user_columns())
        .first(conn)
        .optional()?;
    row.map(|r| user_from_row(conn, r)).transpose()
}

fn user_from_row(
    conn: &mut DbConnection,
    (id, org, username, display_name, password_hash, active): UserRow,
) -> StoreResult<StaffUser> {
    let roles: Vec<String> = staff_roles::table
        .filter(staff_roles::staff_id.eq(id))
        .select(staff_roles::role)
        .load(conn)?;
    let roles = roles
        .iter()
        .map(|r| parse_choice::<Role>(r).map_err(StoreError::Corrupt))
        .collect::<StoreResult<BTreeSet<Role>>>()?;
    Ok(StaffUser {
        id: StaffId(id),
        organisation_id: OrganisationId(org),
        username,
        display_name,
        roles,
        password_hash,
        active,
    })
}

/// A signed-in session, found by the hash of its token.
#[derive(Debug, Clone)]
pub struct SessionRecord {
    pub user: StaffUser,
    pub csrf_token: String,
    pub expires_at: NaiveDateTime,
}

pub fn create_session(
    conn: &mut DbConnection,
    staff: StaffId,
    token_hash: &str,
    csrf_token: &str,
    now: NaiveDateTime,
    expires_at: NaiveDateTime,
) -> StoreResult<()> {
    diesel::insert_into(sessions::table)
        .values((
            sessions::token_hash.eq(token_hash),
            sessions::staff_id.eq(staff.0),
            sessions::csrf_token.eq(csrf_token),
            sessions::created_at.eq(now),
            sessions::expires_at.eq(expires_at),
        ))
        .execute(conn)?;
    Ok(())
}

/// The live session with this token hash, with its (active) user.
pub fn find_session(
    conn: &mut DbConnection,
    token_hash: &str,
    now: NaiveDateTime,
) -> StoreResult<Option<SessionRecord>> {
    let found: Option<(UserRow, String, NaiveDateTime)> = sessions::table
        .inner_join(staff_users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(sessions::expires_at.gt(now))
        .filter(staff_users::active.eq(true))
        .select((user_columns(), sessions::csrf_token, sessions::expires_at))
        .first(conn)
        .optional()?;
    found
        .map(|(row, csrf_token, expires_at)| {
            Ok(SessionRecord {
                user: user_from_row(conn, row)?,
                csrf_token,
                expires_at,
            })
        })
        .transpose()
}

pub fn delete_session(conn: &mut DbConnection, token_hash: &str) -> StoreResult<()> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)?;
    Ok(())
}

/// Usernames of the organisation's staff who have no password yet.
pub fn without_password(
    conn: &mut DbConnection,
    org_slug: &str,
) -> StoreResult<Vec<(StaffId, String)>> {
    use super::schema::organisations;
    let rows: Vec<(i64, String)> = staff_users::table
        .inner_join(organisations::table)
        .filter(organisations::slug.eq(org_slug))
        .filter(staff_users::password_hash.is_null())
        .select((staff_users::id, staff_users::username))
        .order(staff_users::username)
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, u)| (StaffId(id), u)).collect())
}
