//! An organisation's active staff read back, with their planning data and the shift
//! templates.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diesel::prelude::*;

use super::{in_order, slug_from_db};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::{parse_choice, Role, StaffSpec};
use crate::domain::roster::{Absence, PlanningSpec, ShiftTemplate, StaffPlanning};
use crate::domain::Slug;
use crate::store::planning::{breaks_from_db, TemplateRow, TEMPLATE_COLUMNS};
use crate::store::schema::{
    locations, shift_template_locations, shift_templates, staff_absences, staff_contracts,
    staff_locations, staff_preferred_shifts, staff_roles, staff_services, staff_users,
};
use crate::store::{DbConnection, StoreError, StoreResult};

type StaffRow = (i64, String, String, Option<String>, Option<i64>);

pub(super) fn all(
    conn: &mut DbConnection,
    org: OrganisationId,
    service_order: &[(i64, Slug)],
) -> StoreResult<(Vec<StaffSpec>, PlanningSpec)> {
    let location_order = locations::table
        .filter(locations::organisation_id.eq(org.0))
        .select((locations::id, locations::slug))
        .order(locations::id)
        .load::<(i64, String)>(conn)?
        .into_iter()
        .map(|(id, slug)| Ok((id, slug_from_db(&slug)?)))
        .collect::<StoreResult<Vec<_>>>()?;
    let shift_templates = templates(conn, org, &location_order)?;
    let template_order: Vec<(i64, Slug)> = shift_templates
        .iter()
        .map(|(id, t)| (*id, t.slug.clone()))
        .collect();
    let rows: Vec<StaffRow> = staff_users::table
        .filter(staff_users::organisation_id.eq(org.0))
        .filter(staff_users::active.eq(true))
        .select((
            staff_users::id,
            staff_users::username,
            staff_users::display_name,
            staff_users::password_hash,
            staff_users::home_location_id,
        ))
        .order(staff_users::id)
        .load(conn)?;
    let mut staff = Vec::new();
    let mut planning = Vec::new();
    for row in rows {
        let id = row.0;
        planning.push(person_planning(conn, id, &row.1, &template_order)?);
        staff.push(person(conn, row, &location_order, service_order)?);
    }
    Ok((
        staff,
        PlanningSpec {
            shift_templates: shift_templates.into_iter().map(|(_, t)| t).collect(),
            staff: planning,
        },
    ))
}

fn person(
    conn: &mut DbConnection,
    (id, username, display_name, password_hash, home): StaffRow,
    location_order: &[(i64, Slug)],
    service_order: &[(i64, Slug)],
) -> StoreResult<StaffSpec> {
    let roles = staff_roles::table
        .filter(staff_roles::staff_id.eq(id))
        .select(staff_roles::role)
        .load::<String>(conn)?
        .iter()
        .map(|r| parse_choice::<Role>(r).map_err(StoreError::Corrupt))
        .collect::<StoreResult<BTreeSet<_>>>()?;
    let places: Vec<i64> = staff_locations::table
        .filter(staff_locations::staff_id.eq(id))
        .select(staff_locations::location_id)
        .load(conn)?;
    let skills: Vec<i64> = staff_services::table
        .filter(staff_services::staff_id.eq(id))
        .select(staff_services::service_id)
        .load(conn)?;
    Ok(StaffSpec {
        username,
        display_name,
        roles,
        home_location: home.and_then(|h| in_order([h], location_order).next()),
        locations: in_order(places, location_order).collect(),
        services: in_order(skills, service_order).collect(),
        password_hash,
    })
}

fn person_planning(
    conn: &mut DbConnection,
    id: i64,
    username: &str,
    template_order: &[(i64, Slug)],
) -> StoreResult<StaffPlanning> {
    let minutes: Option<i32> = staff_contracts::table
        .find(id)
        .select(staff_contracts::contract_minutes)
        .first(conn)
        .optional()?;
    let absences = staff_absences::table
        .filter(staff_absences::staff_id.eq(id))
        .select((staff_absences::first_day, staff_absences::last_day))
        .order(staff_absences::id)
        .load::<(NaiveDate, NaiveDate)>(conn)?
        .into_iter()
        .map(|(from, to)| Absence { from, to })
        .collect();
    let preferred: Vec<i64> = staff_preferred_shifts::table
        .filter(staff_preferred_shifts::staff_id.eq(id))
        .select(staff_preferred_shifts::template_id)
        .load(conn)?;
    let minutes = minutes.unwrap_or(0);
    Ok(StaffPlanning {
        username: username.to_owned(),
        contract_minutes: u32::try_from(minutes)
            .map_err(|_| StoreError::Corrupt(format!("{minutes} contract minutes")))?,
        absences,
        preferred_templates: in_order(preferred, template_order).collect(),
    })
}

fn templates(
    conn: &mut DbConnection,
    org: OrganisationId,
    location_order: &[(i64, Slug)],
) -> StoreResult<Vec<(i64, ShiftTemplate)>> {
    let rows: Vec<TemplateRow> = shift_templates::table
        .filter(shift_templates::organisation_id.eq(org.0))
        .select(TEMPLATE_COLUMNS)
        .order(shift_templates::id)
        .load(conn)?;
    rows.into_iter()
        .map(|(id, slug, start, end, breaks)| {
            let places: Vec<i64> = shift_template_locations::table
                .filter(shift_template_locations::template_id.eq(id))
                .select(shift_template_locations::location_id)
                .load(conn)?;
            Ok((
                id,
                ShiftTemplate {
                    slug: slug_from_db(&slug)?,
                    start,
                    end,
                    breaks: breaks_from_db(&breaks)?,
                    locations: in_order(places, location_order).collect(),
                },
            ))
        })
        .collect()
}
