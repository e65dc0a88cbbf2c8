//! Writing an imported organisation's staff: users matched by username, with their roles,
//! locations and skills replaced by what the file says.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::summary::SaveSummary;
use crate::domain::ids::{OrganisationId, ServiceId, StaffId};
use crate::domain::organisation::StaffSpec;
use crate::domain::Slug;
use crate::store::schema::{locations, staff_locations, staff_roles, staff_services, staff_users};
use crate::store::staff::set_password_hash;
use crate::store::{DbConnection, StoreError, StoreResult};

/// Creates or updates every staff user of the spec (matched by username).
pub(super) fn save_all(
    conn: &mut DbConnection,
    org: OrganisationId,
    staff: &[StaffSpec],
    service_ids: &HashMap<Slug, ServiceId>,
    now: NaiveDateTime,
    summary: &mut SaveSummary,
) -> StoreResult<()> {
    let location_ids: HashMap<String, i64> = locations::table
        .filter(locations::organisation_id.eq(org.0))
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    for s in staff {
        let home = s.home_location.as_ref().map(|l| location_ids[l.as_str()]);
        let id = upsert_user(conn, org, s, home, now, summary)?;
        replace_skills(conn, id, s, &location_ids, service_ids)?;
    }
    Ok(())
}

fn upsert_user(
    conn: &mut DbConnection,
    org: OrganisationId,
    s: &StaffSpec,
    home: Option<i64>,
    now: NaiveDateTime,
    summary: &mut SaveSummary,
) -> StoreResult<i64> {
    let existing: Option<(i64, i64)> = staff_users::table
        .filter(staff_users::username.eq(&s.username))
        .select((staff_users::id, staff_users::organisation_id))
        .first(conn)
        .optional()?;
    summary.count("staff", existing.is_none());
    let values = (
        staff_users::display_name.eq(&s.display_name),
        staff_users::home_location_id.eq(home),
        staff_users::active.eq(true),
    );
    match existing {
        Some((_, owner)) if owner != org.0 => Err(StoreError::Conflict(format!(
            "the username '{}' is taken in another organisation",
            s.username
        ))),
        Some((id, _)) => {
            diesel::update(staff_users::table.find(id))
                .set(values)
                .execute(conn)?;
            if let Some(hash) = &s.password_hash {
                set_password_hash(conn, StaffId(id), hash)?;
            }
            Ok(id)
        }
        None => Ok(diesel::insert_into(staff_users::table)
            .values((
                staff_users::organisation_id.eq(org.0),
                staff_users::username.eq(&s.username),
                staff_users::password_hash.eq(s.password_hash.as_deref()),
                staff_users::created_at.eq(now),
                values,
            ))
            .returning(staff_users::id)
            .get_result(conn)?),
    }
}

fn replace_skills(
    conn: &mut DbConnection,
    id: i64,
    s: &StaffSpec,
    location_ids: &HashMap<String, i64>,
    service_ids: &HashMap<Slug, ServiceId>,
) -> StoreResult<()> {
    diesel::delete(staff_roles::table.filter(staff_roles::staff_id.eq(id))).execute(conn)?;
    diesel::delete(staff_locations::table.filter(staff_locations::staff_id.eq(id)))
        .execute(conn)?;
    diesel::delete(staff_services::table.filter(staff_services::staff_id.eq(id))).execute(conn)?;
    let roles: Vec<_> = s
        .roles
        .iter()
        .map(|r| {
            let role: &'static str = (*r).into();
            (staff_roles::staff_id.eq(id), staff_roles::role.eq(role))
        })
        .collect();
    super::super::insert_all(conn, staff_roles::table, roles)?;
    let places: Vec<_> = s
        .locations
        .iter()
        .map(|l| {
            (
                staff_locations::staff_id.eq(id),
                staff_locations::location_id.eq(location_ids[l.as_str()]),
            )
        })
        .collect();
    super::super::insert_all(conn, staff_locations::table, places)?;
    let skills: Vec<_> = s
        .services
        .iter()
        .map(|sv| {
            (
                staff_services::staff_id.eq(id),
                staff_services::service_id.eq(service_ids[sv].0),
            )
        })
        .collect();
    super::super::insert_all(conn, staff_services::table, skills)?;
    Ok(())
}
