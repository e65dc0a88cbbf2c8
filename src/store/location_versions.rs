//! Each location's version, which every change made from the administration bumps, with who
//! made the last change and when: a form read at an older version is refused instead of
//! overwriting what another administrator saved in between.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::locations;
use super::{DbConnection, StoreResult};
use crate::domain::ids::LocationId;

/// A location's version and its last change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Version {
    pub number: i32,
    /// The display name of who changed it last, and when; `None` before any change.
    pub changed: Option<(String, DateTime<Utc>)>,
}

pub fn of(conn: &mut DbConnection, location: LocationId) -> StoreResult<Version> {
    let (number, by, at): (i32, Option<String>, Option<NaiveDateTime>) = locations::table
        .find(location.0)
        .select((
            locations::version,
            locations::changed_by,
            locations::changed_at,
        ))
        .first(conn)?;
    Ok(Version {
        number,
        changed: by.zip(at.map(|at| at.and_utc())),
    })
}

/// Moves the location from version `read` to the next, as changed by `by` at `now`; `false`
/// (and nothing changed) when it is no longer at `read`. The condition is part of the one
/// statement, so of two saves read at the same version exactly one passes.
pub fn advance(
    conn: &mut DbConnection,
    location: LocationId,
    read: i32,
    by: &str,
    now: DateTime<Utc>,
) -> StoreResult<bool> {
    let changed = diesel::update(
        locations::table
            .find(location.0)
            .filter(locations::version.eq(read)),
    )
    .set((
        locations::version.eq(read + 1),
        locations::changed_by.eq(by),
        locations::changed_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    Ok(changed == 1)
}
