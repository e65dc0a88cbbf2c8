//! Planning data: shift templates, and each person's contract, absences and preferred
//! shifts; read back as the roster's templates and workers.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveTime};
use diesel::prelude::*;

use super::schema::{
    locations, organisations, services, shift_template_locations, shift_templates, staff_absences,
    staff_contracts, staff_locations, staff_preferred_shifts, staff_services, staff_users,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::hours::TimeRange;
use crate::domain::roster::{Absence, PlanningSpec, ShiftTemplate, Worker};
use crate::domain::Slug;

/// Replaces the organisation's templates and its staff's planning data with `spec`'s.
/// Call inside [`super::write`], after the organisation itself is saved.
pub fn save(conn: &mut DbConnection, org_slug: &str, spec: &PlanningSpec) -> StoreResult<()> {
    let org: i64 = organisations::table
        .filter(organisations::slug.eq(org_slug))
        .select(organisations::id)
        .first(conn)?;
    diesel::delete(shift_templates::table.filter(shift_templates::organisation_id.eq(org)))
        .execute(conn)?;
    let location_ids: HashMap<String, i64> = locations::table
        .filter(locations::organisation_id.eq(org))
        .select((locations::slug, locations::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut template_ids = HashMap::new();
    for t in &spec.shift_templates {
        let breaks: Vec<String> = t.breaks.iter().map(ToString::to_string).collect();
        let id: i64 = diesel::insert_into(shift_templates::table)
            .values((
                shift_templates::organisation_id.eq(org),
                shift_templates::slug.eq(t.slug.as_str()),
                shift_templates::starts.eq(t.start),
                shift_templates::ends.eq(t.end),
                shift_templates::breaks.eq(breaks.join(",")),
            ))
            .returning(shift_templates::id)
            .get_result(conn)?;
        let rows: Vec<_> = t
            .locations
            .iter()
            .map(|l| {
                (
                    shift_template_locations::template_id.eq(id),
                    shift_template_locations::location_id.eq(location_ids[l.as_str()]),
                )
            })
            .collect();
        super::insert_all(conn, shift_template_locations::table, rows)?;
        template_ids.insert(t.slug.clone(), id);
    }
    for s in &spec.staff {
        let Some(staff): Option<i64> = staff_users::table
            .filter(staff_users::username.eq(&s.username))
            .select(staff_users::id)
            .first(conn)
            .optional()?
        else {
            continue;
        };
        diesel::delete(staff_contracts::table.find(staff)).execute(conn)?;
        diesel::delete(staff_absences::table.filter(staff_absences::staff_id.eq(staff)))
            .execute(conn)?;
        diesel::insert_into(staff_contracts::table)
            .values((
                staff_contracts::staff_id.eq(staff),
                staff_contracts::contract_minutes.eq(s.contract_minutes as i32),
            ))
            .execute(conn)?;
        let absences: Vec<_> = s
            .absences
            .iter()
            .map(|a| {
                (
                    staff_absences::staff_id.eq(staff),
                    staff_absences::first_day.eq(a.from),
                    staff_absences::last_day.eq(a.to),
                )
            })
            .collect();
        super::insert_all(conn, staff_absences::table, absences)?;
        let preferred: Vec<_> = s
            .preferred_templates
            .iter()
            .map(|t| {
                (
                    staff_preferred_shifts::staff_id.eq(staff),
                    staff_preferred_shifts::template_id.eq(template_ids[t]),
                )
            })
            .collect();
        super::insert_all(conn, staff_preferred_shifts::table, preferred)?;
    }
    Ok(())
}

fn slug(raw: &str) -> StoreResult<Slug> {
    Slug::parse(raw).map_err(StoreError::Corrupt)
}

/// A shift template's row: id, slug, start, end and its breaks as stored.
pub(super) type TemplateRow = (i64, String, NaiveTime, NaiveTime, String);

pub(super) const TEMPLATE_COLUMNS: (
    shift_templates::id,
    shift_templates::slug,
    shift_templates::starts,
    shift_templates::ends,
    shift_templates::breaks,
) = (
    shift_templates::id,
    shift_templates::slug,
    shift_templates::starts,
    shift_templates::ends,
    shift_templates::breaks,
);

/// The breaks of a template, stored as `10:00-10:15,12:00-12:30`.
pub(super) fn breaks_from_db(raw: &str) -> StoreResult<Vec<TimeRange>> {
    raw.split(',')
        .filter(|b| !b.is_empty())
        .map(|b| TimeRange::parse(b).map_err(|e| StoreError::Corrupt(e.to_string())))
        .collect()
}

/// Every shift template, by slug.
pub fn templates(conn: &mut DbConnection) -> StoreResult<Vec<ShiftTemplate>> {
    let rows: Vec<TemplateRow> = shift_templates::table
        .select(TEMPLATE_COLUMNS)
        .order(shift_templates::slug)
        .load(conn)?;
    let places: Vec<(i64, String)> = shift_template_locations::table
        .inner_join(locations::table)
        .select((shift_template_locations::template_id, locations::slug))
        .load(conn)?;
    rows.into_iter()
        .map(|(id, name, start, end, breaks)| {
            let breaks = breaks_from_db(&breaks)?;
            let locations = places
                .iter()
                .filter(|(t, _)| *t == id)
                .map(|(_, l)| slug(l))
                .collect::<StoreResult<Vec<_>>>()?;
            Ok(ShiftTemplate {
                slug: slug(&name)?,
                start,
                end,
                breaks,
                locations,
            })
        })
        .collect()
}

/// Every active staff member with a contract of more than zero hours, as the roster sees them.
pub fn workers(conn: &mut DbConnection) -> StoreResult<Vec<Worker>> {
    let people: Vec<(i64, String, Option<i64>, i32)> = staff_users::table
        .inner_join(staff_contracts::table)
        .filter(staff_users::active.eq(true))
        .filter(staff_contracts::contract_minutes.gt(0))
        .select((
            staff_users::id,
            staff_users::username,
            staff_users::home_location_id,
            staff_contracts::contract_minutes,
        ))
        .order(staff_users::username)
        .load(conn)?;
    let location_slugs: HashMap<i64, String> = locations::table
        .select((locations::id, locations::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let mut places: BTreeMap<i64, Vec<Slug>> = BTreeMap::new();
    for (staff, location) in staff_locations::table
        .select((staff_locations::staff_id, staff_locations::location_id))
        .load::<(i64, i64)>(conn)?
    {
        places
            .entry(staff)
            .or_default()
            .push(slug(&location_slugs[&location])?);
    }
    let mut skills: BTreeMap<i64, Vec<Slug>> = BTreeMap::new();
    for (staff, service) in staff_services::table
        .inner_join(services::table)
        .select((staff_services::staff_id, services::slug))
        .load::<(i64, String)>(conn)?
    {
        skills.entry(staff).or_default().push(slug(&service)?);
    }
    let mut away: BTreeMap<i64, Vec<Absence>> = BTreeMap::new();
    for (staff, from, to) in staff_absences::table
        .select((
            staff_absences::staff_id,
            staff_absences::first_day,
            staff_absences::last_day,
        ))
        .load::<(i64, NaiveDate, NaiveDate)>(conn)?
    {
        away.entry(staff).or_default().push(Absence { from, to });
    }
    let mut preferred: BTreeMap<i64, Vec<Slug>> = BTreeMap::new();
    for (staff, template) in staff_preferred_shifts::table
        .inner_join(shift_templates::table)
        .select((staff_preferred_shifts::staff_id, shift_templates::slug))
        .load::<(i64, String)>(conn)?
    {
        preferred.entry(staff).or_default().push(slug(&template)?);
    }
    people
        .into_iter()
        .map(|(id, name, home, minutes)| {
            Ok(Worker {
                name,
                services: skills.remove(&id).unwrap_or_default(),
                home: home
                    .and_then(|h| location_slugs.get(&h))
                    .map(|h| slug(h))
                    .transpose()?,
                locations: places.remove(&id).unwrap_or_default(),
                contract_minutes: u32::try_from(minutes)
                    .map_err(|_| StoreError::Corrupt(format!("{minutes} contract minutes")))?,
                absences: away.remove(&id).unwrap_or_default(),
                preferred_templates: preferred.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// Each person with a contract: username, name and contracted minutes per week.
pub fn contracts(conn: &mut DbConnection) -> StoreResult<Vec<(String, String, u32)>> {
    let rows: Vec<(String, String, i32)> = staff_users::table
        .inner_join(staff_contracts::table)
        .select((
            staff_users::username,
            staff_users::display_name,
            staff_contracts::contract_minutes,
        ))
        .order(staff_users::username)
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(user, name, minutes)| (user, name, minutes.max(0) as u32))
        .collect())
}
