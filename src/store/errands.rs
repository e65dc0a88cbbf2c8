//! An errand as the administration saves it: its version, which every save from the
//! administration and every import raises, with who saved last and when; and the errand
//! written as an import writes it, with the locations that offer it.

use std::collections::HashMap;

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::import::{replace_location_services, upsert_service, SaveSummary};
use super::schema::{departments, services};
use super::staff_accounts::Saved;
use super::{organisations, DbConnection, StoreResult};
use crate::domain::ids::{LocationId, OrganisationId, ServiceId};
use crate::domain::organisation::ServiceSpec;
use crate::domain::revision::Revision;
use crate::domain::Slug;

/// The errand's id and revision, by its slug in the organisation.
pub fn revision(
    conn: &mut DbConnection,
    org: OrganisationId,
    slug: &str,
) -> StoreResult<Option<(ServiceId, Revision)>> {
    let row: Option<(i64, i32, Option<String>, Option<NaiveDateTime>)> = services::table
        .filter(services::organisation_id.eq(org.0))
        .filter(services::slug.eq(slug))
        .select((
            services::id,
            services::version,
            services::changed_by,
            services::changed_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(id, version, changed_by, changed_at)| {
        (
            ServiceId(id),
            Revision {
                version,
                changed_by,
                changed_at: changed_at.map(|at| at.and_utc()),
            },
        )
    }))
}

/// A location whose offer of the errand changes, with every errand it offers afterwards.
pub struct Offer<'a> {
    pub location: LocationId,
    pub offered: &'a [Slug],
}

/// Saves the errand read at version `read` as `spec`, and what the locations in `offers`
/// offer; false, and nothing written, when someone saved it since. The version's condition
/// is part of the first statement, so of two saves read at the same version one passes.
pub fn save(
    conn: &mut DbConnection,
    org: OrganisationId,
    id: ServiceId,
    read: i32,
    spec: &ServiceSpec,
    offers: &[Offer],
    saved: Saved,
) -> StoreResult<bool> {
    let claimed = diesel::update(
        services::table
            .filter(services::id.eq(id.0))
            .filter(services::version.eq(read)),
    )
    .set((
        services::version.eq(read + 1),
        services::changed_by.eq(saved.by),
        services::changed_at.eq(saved.at.naive_utc()),
    ))
    .execute(conn)?;
    if claimed != 1 {
        return Ok(false);
    }
    let department: i64 = departments::table
        .filter(departments::organisation_id.eq(org.0))
        .filter(departments::slug.eq(spec.department.as_str()))
        .select(departments::id)
        .first(conn)?;
    upsert_service(conn, org, department, spec, &mut SaveSummary::default())?;
    let service_ids: HashMap<_, _> = organisations::organisation_services(conn, org)?
        .into_iter()
        .map(|s| (s.spec.slug, s.id))
        .collect();
    for offer in offers {
        replace_location_services(conn, offer.location, offer.offered, &service_ids)?;
    }
    Ok(true)
}
