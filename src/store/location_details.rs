//! A location's own details, hours and capacity rules as the administration writes them:
//! its name, address and contact, and its hours and rules replaced as an import replaces
//! them.

use std::collections::HashMap;

use diesel::prelude::*;

use super::import::replace_hours_and_capacity;
use super::schema::{locations, organisations};
use super::{organisations as catalogue, DbConnection, StoreResult};
use crate::domain::ids::{LocationId, OrganisationId};
use crate::domain::organisation::LocationSpec;

/// How citizens reach the location; empty when none is given.
pub fn contact(conn: &mut DbConnection, location: LocationId) -> StoreResult<String> {
    Ok(locations::table
        .find(location.0)
        .select(locations::contact)
        .first(conn)?)
}

/// The slug of the organisation, as its file names it.
pub fn organisation_slug(conn: &mut DbConnection, org: OrganisationId) -> StoreResult<String> {
    Ok(organisations::table
        .find(org.0)
        .select(organisations::slug)
        .first(conn)?)
}

/// Writes the details, and replaces the hours (the location's and its errands' own) and the
/// capacity rules by those of `spec`; what it offers, its desks and closures stay.
pub fn save(
    conn: &mut DbConnection,
    org: OrganisationId,
    location: LocationId,
    spec: &LocationSpec,
) -> StoreResult<()> {
    diesel::update(locations::table.find(location.0))
        .set((
            locations::name.eq(&spec.name),
            locations::address.eq(&spec.address),
            locations::contact.eq(spec.contact.as_deref().unwrap_or_default()),
        ))
        .execute(conn)?;
    let service_ids: HashMap<_, _> = catalogue::organisation_services(conn, org)?
        .into_iter()
        .map(|s| (s.spec.slug, s.id))
        .collect();
    replace_hours_and_capacity(conn, location, spec, &service_ids)
}
