//! Staff accounts as administrators keep them: the whole account (roles, places, errands,
//! contract) with its revision, written only when the revision is still the one read.

use std::collections::{BTreeSet, HashMap};

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{
    locations, services, sessions, staff_contracts, staff_locations, staff_roles, staff_services,
    staff_users,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::{OrganisationId, StaffId};
use crate::domain::organisation::{parse_choice, Role};
use crate::domain::revision::Revision;
use crate::domain::staff_account::Account;
use crate::domain::Slug;

/// A stored account, as the administration shows it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct AccountRecord {
    pub id: StaffId,
    pub username: String,
    pub display_name: String,
    pub email: Option<String>,
    pub active: bool,
    /// Whether a password is set (the hash itself never leaves the store).
    pub has_password: bool,
    pub roles: BTreeSet<Role>,
    pub locations: Vec<Slug>,
    pub services: Vec<Slug>,
    pub home_location: Option<Slug>,
    pub contract_minutes: u32,
    #[serde(skip)]
    pub revision: Revision,
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    bool,
    bool,
    Option<i64>,
    i32,
    Option<String>,
    Option<NaiveDateTime>,
);

fn rows(
    conn: &mut DbConnection,
    org: OrganisationId,
    only: Option<StaffId>,
) -> StoreResult<Vec<AccountRecord>> {
    let found: Vec<Row> = staff_users::table
        .filter(staff_users::organisation_id.eq(org.0))
        .select((
            staff_users::id,
            staff_users::username,
            staff_users::display_name,
            staff_users::email,
            staff_users::active,
            staff_users::password_hash.is_not_null(),
            staff_users::home_location_id,
            staff_users::version,
            staff_users::changed_by,
            staff_users::changed_at,
        ))
        .order(staff_users::username)
        .load(conn)?;
    // An organisation's staff are few: one account is read like all, then picked.
    let found: Vec<Row> = found
        .into_iter()
        .filter(|r| only.is_none_or(|id| id.0 == r.0))
        .collect();
    let ids: Vec<i64> = found.iter().map(|r| r.0).collect();
    let place_slugs: HashMap<i64, String> = locations::table
        .filter(locations::organisation_id.eq(org.0))
        .select((locations::id, locations::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut roles: HashMap<i64, BTreeSet<Role>> = HashMap::new();
    for (id, role) in staff_roles::table
        .filter(staff_roles::staff_id.eq_any(&ids))
        .select((staff_roles::staff_id, staff_roles::role))
        .load::<(i64, String)>(conn)?
    {
        let role = parse_choice::<Role>(&role).map_err(StoreError::Corrupt)?;
        roles.entry(id).or_default().insert(role);
    }
    let mut places: HashMap<i64, Vec<Slug>> = HashMap::new();
    for (id, location) in staff_locations::table
        .filter(staff_locations::staff_id.eq_any(&ids))
        .select((staff_locations::staff_id, staff_locations::location_id))
        .load::<(i64, i64)>(conn)?
    {
        places
            .entry(id)
            .or_default()
            .push(slug(&place_slugs, location)?);
    }
    let mut errands: HashMap<i64, Vec<Slug>> = HashMap::new();
    for (id, service) in staff_services::table
        .inner_join(services::table)
        .filter(staff_services::staff_id.eq_any(&ids))
        .select((staff_services::staff_id, services::slug))
        .order(services::slug)
        .load::<(i64, String)>(conn)?
    {
        let service = Slug::parse(&service).map_err(StoreError::Corrupt)?;
        errands.entry(id).or_default().push(service);
    }
    let contracts: HashMap<i64, i32> = staff_contracts::table
        .filter(staff_contracts::staff_id.eq_any(&ids))
        .select((staff_contracts::staff_id, staff_contracts::contract_minutes))
        .load::<(i64, i32)>(conn)?
        .into_iter()
        .collect();
    found
        .into_iter()
        .map(
            |(id, username, display_name, email, active, has_password, home, version, by, at)| {
                let mut locations = places.remove(&id).unwrap_or_default();
                locations.sort();
                Ok(AccountRecord {
                    id: StaffId(id),
                    username,
                    display_name,
                    email,
                    active,
                    has_password,
                    roles: roles.remove(&id).unwrap_or_default(),
                    locations,
                    services: errands.remove(&id).unwrap_or_default(),
                    home_location: home.map(|h| slug(&place_slugs, h)).transpose()?,
                    contract_minutes: contracts
                        .get(&id)
                        .map_or(0, |m| u32::try_from(*m).unwrap_or(0)),
                    revision: Revision {
                        version,
                        changed_by: by,
                        changed_at: at.map(|at| at.and_utc()),
                    },
                })
            },
        )
        .collect()
}

fn slug(slugs: &HashMap<i64, String>, id: i64) -> StoreResult<Slug> {
    let raw = slugs
        .get(&id)
        .ok_or_else(|| StoreError::Corrupt(format!("location {id} of another organisation")))?;
    Slug::parse(raw).map_err(StoreError::Corrupt)
}

/// Every account of the organisation, by username.
pub fn list(conn: &mut DbConnection, org: OrganisationId) -> StoreResult<Vec<AccountRecord>> {
    rows(conn, org, None)
}

/// The organisation's account with this id.
pub fn find(
    conn: &mut DbConnection,
    org: OrganisationId,
    id: StaffId,
) -> StoreResult<Option<AccountRecord>> {
    Ok(rows(conn, org, Some(id))?.into_iter().next())
}

/// Whether another account already has this username, whatever its capitals: sign-in
/// should not depend on how a name was written.
pub fn username_taken(
    conn: &mut DbConnection,
    username: &str,
    except: Option<StaffId>,
) -> StoreResult<bool> {
    let wanted = username.to_lowercase();
    let all: Vec<(i64, String)> = staff_users::table
        .select((staff_users::id, staff_users::username))
        .load(conn)?;
    Ok(all
        .into_iter()
        .any(|(id, name)| name.to_lowercase() == wanted && Some(StaffId(id)) != except))
}

/// Who saves (their display name, as colleagues know them), and when.
#[derive(Debug, Clone, Copy)]
pub struct Saved<'a> {
    pub by: &'a str,
    pub at: DateTime<Utc>,
}

/// Creates an account without a password; it signs in once one is set.
pub fn insert(
    conn: &mut DbConnection,
    org: OrganisationId,
    account: &Account,
    saved: Saved,
) -> StoreResult<StaffId> {
    let id: i64 = diesel::insert_into(staff_users::table)
        .values((
            staff_users::organisation_id.eq(org.0),
            staff_users::username.eq(&account.username),
            staff_users::display_name.eq(&account.display_name),
            staff_users::email.eq(account.email.as_deref()),
            staff_users::active.eq(true),
            staff_users::created_at.eq(saved.at.naive_utc()),
            staff_users::version.eq(1),
            staff_users::changed_by.eq(saved.by),
            staff_users::changed_at.eq(saved.at.naive_utc()),
        ))
        .returning(staff_users::id)
        .get_result(conn)?;
    replace_skills(conn, org, StaffId(id), account)?;
    Ok(StaffId(id))
}

/// Saves `account` over the one read at version `read`; false, and nothing written, when
/// someone saved it since.
pub fn update(
    conn: &mut DbConnection,
    org: OrganisationId,
    id: StaffId,
    account: &Account,
    read: i32,
    saved: Saved,
) -> StoreResult<bool> {
    let changed = diesel::update(
        staff_users::table
            .filter(staff_users::id.eq(id.0))
            .filter(staff_users::version.eq(read)),
    )
    .set((
        staff_users::username.eq(&account.username),
        staff_users::display_name.eq(&account.display_name),
        staff_users::email.eq(account.email.as_deref()),
        staff_users::version.eq(read + 1),
        staff_users::changed_by.eq(saved.by),
        staff_users::changed_at.eq(saved.at.naive_utc()),
    ))
    .execute(conn)?;
    if changed == 1 {
        replace_skills(conn, org, id, account)?;
    }
    Ok(changed == 1)
}

/// Deactivates or reactivates the account read at version `read`; false when someone saved
/// it since. A deactivated account's sessions end here, in the same transaction.
pub fn set_active(
    conn: &mut DbConnection,
    id: StaffId,
    active: bool,
    read: i32,
    saved: Saved,
) -> StoreResult<bool> {
    let changed = diesel::update(
        staff_users::table
            .filter(staff_users::id.eq(id.0))
            .filter(staff_users::version.eq(read)),
    )
    .set((
        staff_users::active.eq(active),
        staff_users::version.eq(read + 1),
        staff_users::changed_by.eq(saved.by),
        staff_users::changed_at.eq(saved.at.naive_utc()),
    ))
    .execute(conn)?;
    if changed == 1 && !active {
        diesel::delete(sessions::table.filter(sessions::staff_id.eq(id.0))).execute(conn)?;
    }
    Ok(changed == 1)
}

/// Ends every session of the account but the one whose token hash is `keep`.
pub fn end_other_sessions(
    conn: &mut DbConnection,
    id: StaffId,
    keep: Option<&str>,
) -> StoreResult<usize> {
    let mine = sessions::table.filter(sessions::staff_id.eq(id.0));
    Ok(match keep {
        Some(keep) => diesel::delete(mine.filter(sessions::token_hash.ne(keep))).execute(conn)?,
        None => diesel::delete(mine).execute(conn)?,
    })
}

fn replace_skills(
    conn: &mut DbConnection,
    org: OrganisationId,
    id: StaffId,
    account: &Account,
) -> StoreResult<()> {
    let place_ids: HashMap<String, i64> = locations::table
        .filter(locations::organisation_id.eq(org.0))
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let errand_ids: HashMap<String, i64> = services::table
        .filter(services::organisation_id.eq(org.0))
        .select((services::slug, services::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let known = |ids: &HashMap<String, i64>, slug: &Slug| {
        ids.get(slug.as_str())
            .copied()
            .ok_or_else(|| StoreError::Conflict(format!("'{slug}' is gone")))
    };
    let home = account
        .home_location
        .as_ref()
        .map(|h| known(&place_ids, h))
        .transpose()?;
    diesel::update(staff_users::table.find(id.0))
        .set(staff_users::home_location_id.eq(home))
        .execute(conn)?;
    diesel::delete(staff_roles::table.filter(staff_roles::staff_id.eq(id.0))).execute(conn)?;
    diesel::delete(staff_locations::table.filter(staff_locations::staff_id.eq(id.0)))
        .execute(conn)?;
    diesel::delete(staff_services::table.filter(staff_services::staff_id.eq(id.0)))
        .execute(conn)?;
    diesel::delete(staff_contracts::table.find(id.0)).execute(conn)?;
    let roles: Vec<_> = account
        .roles
        .iter()
        .map(|r| {
            let role: &'static str = (*r).into();
            (staff_roles::staff_id.eq(id.0), staff_roles::role.eq(role))
        })
        .collect();
    super::insert_all(conn, staff_roles::table, roles)?;
    let mut places = Vec::new();
    for l in &account.locations {
        places.push((
            staff_locations::staff_id.eq(id.0),
            staff_locations::location_id.eq(known(&place_ids, l)?),
        ));
    }
    super::insert_all(conn, staff_locations::table, places)?;
    let mut skills = Vec::new();
    for s in &account.services {
        skills.push((
            staff_services::staff_id.eq(id.0),
            staff_services::service_id.eq(known(&errand_ids, s)?),
        ));
    }
    super::insert_all(conn, staff_services::table, skills)?;
    let minutes = i32::try_from(account.contract_minutes).unwrap_or(i32::MAX);
    diesel::insert_into(staff_contracts::table)
        .values((
            staff_contracts::staff_id.eq(id.0),
            staff_contracts::contract_minutes.eq(minutes),
        ))
        .execute(conn)?;
    Ok(())
}
