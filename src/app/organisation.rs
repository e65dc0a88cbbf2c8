//! Creating and updating an organisation from its description (the import file, the demo).

use chrono::{DateTime, Utc};

use crate::domain::organisation::OrganisationSpec;
use crate::error::AppResult;
use crate::store::organisations::{self, SaveSummary};
use crate::store::{self, DbConnection};

/// Saves the whole organisation in one transaction: all of it lands, or none of it.
pub fn import(
    conn: &mut DbConnection,
    spec: &OrganisationSpec,
    now: DateTime<Utc>,
) -> AppResult<SaveSummary> {
    store::write(conn, |conn| {
        Ok(organisations::save(conn, spec, now.naive_utc())?)
    })
}
