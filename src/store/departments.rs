//! The departments of an organisation, by the names people read on the kiosk's headings.

use diesel::prelude::*;

use super::schema::departments;
use super::{DbConnection, StoreResult};
use crate::domain::ids::OrganisationId;

/// Each department's slug and name, in the order of the organisation file.
pub fn names(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<(String, String)>> {
    Ok(departments::table
        .filter(departments::organisation_id.eq(organisation.0))
        .order(departments::id)
        .select((departments::slug, departments::name))
        .load(conn)?)
}
