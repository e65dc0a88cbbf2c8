//! Writing an imported organisation file: the organisation, its departments and errands
//! here, its locations (hours, closures, capacity, desks) and staff in their own files.
//! Everything is matched by slug (staff by username), so importing the same file again
//! changes nothing and an edited file updates in place.

mod locations;
mod staff;
mod summary;

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

pub(crate) use locations::replace_hours_and_capacity;
pub(crate) use locations::replace_location_services;
pub use summary::SaveSummary;

use super::schema::{departments, organisations, services};
use super::{DbConnection, StoreResult};
use crate::domain::ids::{OrganisationId, ServiceId};
use crate::domain::organisation::{OrganisationSpec, ServiceSpec};
use crate::domain::Slug;

/// Creates the organisation or brings it in line with `spec`. Call inside [`super::super::write`]:
/// it makes many statements that must land together or not at all.
pub fn save(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    now: NaiveDateTime,
) -> StoreResult<SaveSummary> {
    let mut summary = SaveSummary::default();
    let org = upsert_organisation(conn, spec, now, &mut summary)?;
    super::municipalities::save(conn, org, &spec.municipality)?;
    let mut department_ids = HashMap::new();
    for d in &spec.departments {
        department_ids.insert(
            d.slug.clone(),
            upsert_department(conn, org, &d.slug, &d.name, &mut summary)?,
        );
    }
    let mut service_ids = HashMap::new();
    for s in &spec.services {
        let department = department_ids[&s.department];
        let id = upsert_service(conn, org, department, s, &mut summary)?;
        mark_imported(conn, id)?;
        service_ids.insert(s.slug.clone(), id);
    }
    for l in &spec.locations {
        locations::save_location(conn, org, l, &service_ids, &mut summary)?;
    }
    staff::save_all(conn, org, &spec.staff, &service_ids, now, &mut summary)?;
    super::needs::save_offered(conn, org, &spec.needs)?;
    Ok(summary)
}

fn upsert_organisation(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    now: NaiveDateTime,
    summary: &mut SaveSummary,
) -> StoreResult<OrganisationId> {
    let existing: Option<i64> = organisations::table
        .filter(organisations::slug.eq(spec.slug.as_str()))
        .select(organisations::id)
        .first(conn)
        .optional()?;
    let id = match existing {
        Some(id) => {
            diesel::update(organisations::table.find(id))
                .set((
                    organisations::name.eq(&spec.name),
                    organisations::updated_at.eq(now),
                ))
                .execute(conn)?;
            id
        }
        None => {
            summary.organisation_created = true;
            diesel::insert_into(organisations::table)
                .values((
                    organisations::slug.eq(spec.slug.as_str()),
                    organisations::name.eq(&spec.name),
                    organisations::created_at.eq(now),
                    organisations::updated_at.eq(now),
                ))
                .returning(organisations::id)
                .get_result(conn)?
        }
    };
    Ok(OrganisationId(id))
}

fn upsert_department(
    conn: &mut DbConnection,
    org: OrganisationId,
    slug: &Slug,
    name: &str,
    summary: &mut SaveSummary,
) -> StoreResult<i64> {
    let existing: Option<i64> = departments::table
        .filter(
            departments::organisation_id
                .eq(org.0)
                .and(departments::slug.eq(slug.as_str())),
        )
        .select(departments::id)
        .first(conn)
        .optional()?;
    summary.count("departments", existing.is_none());
    Ok(match existing {
        Some(id) => {
            diesel::update(departments::table.find(id))
                .set(departments::name.eq(name))
                .execute(conn)?;
            id
        }
        None => diesel::insert_into(departments::table)
            .values((
                departments::organisation_id.eq(org.0),
                departments::slug.eq(slug.as_str()),
                departments::name.eq(name),
            ))
            .returning(departments::id)
            .get_result(conn)?,
    })
}

/// The import wrote the errand: a form read before it is stale, and no one saved it by hand.
fn mark_imported(conn: &mut DbConnection, id: ServiceId) -> StoreResult<()> {
    diesel::update(services::table.find(id.0))
        .set((
            services::version.eq(services::version + 1),
            services::changed_by.eq(None::<String>),
            services::changed_at.eq(None::<NaiveDateTime>),
        ))
        .execute(conn)?;
    Ok(())
}

pub(crate) fn upsert_service(
    conn: &mut DbConnection,
    org: OrganisationId,
    department: i64,
    s: &ServiceSpec,
    summary: &mut SaveSummary,
) -> StoreResult<ServiceId> {
    let channel: &'static str = s.channel.into();
    let booking: &'static str = s.booking.into();
    let late_arrival: &'static str = s.rules.late_arrival.into();
    let values = (
        services::department_id.eq(department),
        services::name_da.eq(&s.name_da),
        services::name_en.eq(&s.name_en),
        services::duration_minutes.eq(s.duration_minutes as i32),
        services::buffer_minutes.eq(s.buffer_minutes as i32),
        services::channel.eq(channel),
        services::booking.eq(booking),
        services::self_service_url.eq(s.self_service_url.as_deref()),
        services::meeting_url.eq(s.meeting_url.as_deref()),
        services::queue_prefix.eq(s.queue_prefix.to_string()),
        services::book_ahead_days.eq(s.book_ahead_days as i32),
        services::min_notice_minutes.eq(s.min_notice_minutes as i32),
        services::slot_step_minutes.eq(s.slot_step_minutes as i32),
        services::priority.eq(s.priority),
        services::what_to_bring_da.eq(s.what_to_bring_da.as_deref()),
        services::what_to_bring_en.eq(s.what_to_bring_en.as_deref()),
        services::reminder_hours.eq(s.rules.reminder_hours as i32),
        services::max_future_bookings.eq(s.rules.max_future_bookings as i32),
        services::check_in_early_minutes.eq(s.rules.check_in_early_minutes as i32),
        services::check_in_grace_minutes.eq(s.rules.check_in_grace_minutes as i32),
        services::late_arrival.eq(late_arrival),
        services::reminder_channels.eq(s.rules.reminder_channels.stored()),
        services::additional_minutes.eq(s.additional_minutes.map(|m| m as i32)),
        services::max_per_visit.eq(s.max_per_visit as i32),
    );
    let existing: Option<i64> = services::table
        .filter(
            services::organisation_id
                .eq(org.0)
                .and(services::slug.eq(s.slug.as_str())),
        )
        .select(services::id)
        .first(conn)
        .optional()?;
    summary.count("services", existing.is_none());
    let id = match existing {
        Some(id) => {
            diesel::update(services::table.find(id))
                .set(values)
                .execute(conn)?;
            id
        }
        None => diesel::insert_into(services::table)
            .values((
                services::organisation_id.eq(org.0),
                services::slug.eq(s.slug.as_str()),
                values,
            ))
            .returning(services::id)
            .get_result(conn)?,
    };
    Ok(ServiceId(id))
}
