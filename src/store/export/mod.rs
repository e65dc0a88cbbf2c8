//! Reading an organisation back as its description, for `skranke export` and for what
//! `skranke import --dry-run` compares. Lists come in the order their rows were written, so
//! a file imported into an empty database comes back in its own order; what the tables keep
//! as sets (a location's errands, a desk's errands, a person's locations) comes in the order
//! of the errands and locations themselves.

mod locations;
mod staff;

use diesel::prelude::*;

use super::schema::{departments, organisations};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::{DepartmentSpec, OrganisationSpec};
use crate::domain::roster::PlanningSpec;
use crate::domain::Slug;

/// The slugs of every organisation in the database, oldest first.
pub fn organisation_slugs(conn: &mut DbConnection) -> StoreResult<Vec<String>> {
    Ok(organisations::table
        .select(organisations::slug)
        .order(organisations::id)
        .load(conn)?)
}

/// The organisation with this slug and its planning data, as an import file describes them;
/// `None` when there is no such organisation.
pub fn load(
    conn: &mut DbConnection,
    slug: &str,
) -> StoreResult<Option<(OrganisationSpec, PlanningSpec)>> {
    let Some((id, name)): Option<(i64, String)> = organisations::table
        .filter(organisations::slug.eq(slug))
        .select((organisations::id, organisations::name))
        .first(conn)
        .optional()?
    else {
        return Ok(None);
    };
    let org = OrganisationId(id);
    let municipality = super::municipalities::of(conn, org)?
        .ok_or_else(|| StoreError::Corrupt(format!("organisation '{slug}' has no municipality")))?;
    let departments = departments::table
        .filter(departments::organisation_id.eq(id))
        .select((departments::slug, departments::name))
        .order(departments::id)
        .load::<(String, String)>(conn)?
        .into_iter()
        .map(|(slug, name)| {
            Ok(DepartmentSpec {
                slug: slug_from_db(&slug)?,
                name,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    let services = super::organisations::organisation_services(conn, org)?;
    let service_order: Vec<(i64, Slug)> = services
        .iter()
        .map(|s| (s.id.0, s.spec.slug.clone()))
        .collect();
    let locations = locations::all(conn, org, &service_order)?;
    let (staff, planning) = staff::all(conn, org, &service_order)?;
    Ok(Some((
        OrganisationSpec {
            slug: slug_from_db(slug)?,
            name,
            municipality,
            departments,
            services: services.into_iter().map(|s| s.spec).collect(),
            locations,
            staff,
            needs: super::needs::offered(conn, org)?,
        },
        planning,
    )))
}

fn slug_from_db(raw: &str) -> StoreResult<Slug> {
    Slug::parse(raw).map_err(StoreError::Corrupt)
}

/// Slugs of `ids` in the order of `order` (ids in the order they should come).
fn in_order<'a>(
    ids: impl IntoIterator<Item = i64>,
    order: &'a [(i64, Slug)],
) -> impl Iterator<Item = Slug> + 'a {
    let wanted: std::collections::HashSet<i64> = ids.into_iter().collect();
    order
        .iter()
        .filter(move |(id, _)| wanted.contains(id))
        .map(|(_, slug)| slug.clone())
}
