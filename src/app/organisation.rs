//! Creating and updating an organisation from its description (the import file, the demo).

use chrono::{DateTime, Utc};

use crate::domain::organisation::OrganisationSpec;
use crate::error::AppResult;
use crate::store::import::SaveSummary;
use crate::store::{self, DbConnection};

/// Saves the whole organisation in one transaction: all of it lands, or none of it.
pub fn import(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    now: DateTime<Utc>,
) -> AppResult<SaveSummary> {
    store::write(conn, |conn| {
        Ok(store::import::save(conn, spec, now.naive_utc())?)
    })
}

/// Saves the organisation and its planning data (shift templates, contracts, absences,
/// preferences) in one transaction.
pub fn import_with_planning(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    planning: &crate::domain::roster::PlanningSpec,
    now: DateTime<Utc>,
) -> AppResult<SaveSummary> {
    store::write(conn, |conn| {
        let summary = store::import::save(conn, spec, now.naive_utc())?;
        store::planning::save(conn, spec.slug.as_str(), planning)?;
        Ok(summary)
    })
}
