//! The catalogue: organisations, locations, their errands, hours, closures, capacity and
//! desks as citizens and staff see them, a module each. Writing them from an organisation
//! file is [`super::import`]'s.
//!
//! Every read here is answered through the catalogue kept in memory ([`super::catalogue`])
//! under a key of its own, so that what a request may be served from memory, and what
//! must be read fresh (a desk's state), is seen in one folder.

use diesel::prelude::*;

use super::schema::organisations;
use super::{DbConnection, StoreResult};
use crate::domain::ids::OrganisationId;

pub mod capacity;
pub mod closures;
pub mod desks;
pub mod hours;
pub mod locations;
pub mod services;

pub use capacity::{capacity_for, capacity_pools};
pub use closures::{add_closure, closures_from};
pub(in crate::store) use closures::{closure_of, closure_values, ClosureRow, CLOSURE_COLUMNS};
pub(in crate::store) use desks::desk_features_of;
pub use desks::{desk_layout, desks_at, find_desk, set_desk_state};
pub use hours::service_hours;
pub(in crate::store) use locations::alert_settings;
pub use locations::{find_location, list_locations, location_and_service, location_slug};
pub use services::{organisation_services, service_at, services_at};

/// The name people know the organisation by (the municipality).
pub fn organisation_name(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<String> {
    Ok(organisations::table
        .find(organisation.0)
        .select(organisations::name)
        .first(conn)?)
}

/// Whether an organisation with this slug exists.
pub fn organisation_exists(conn: &mut DbConnection, slug: &str) -> StoreResult<bool> {
    let n: i64 = organisations::table
        .filter(organisations::slug.eq(slug))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}
