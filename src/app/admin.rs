//! Administration of the organisation in the browser: who may do it, and how a save made
//! from an older reading is refused.

use chrono_tz::Tz;
use serde_json::{Map, Value};

use crate::domain::organisation::Role;
use crate::domain::revision::Stale;
use crate::error::AppError;
use crate::messages::{Arg, Said};

/// Who may change the organisation (locations, errands, desks, staff, capacity) and read
/// the audit log of those changes.
pub const ADMIN_ROLES: &[Role] = &[Role::Admin];

/// The 409 of a save made from an older reading of a location, an account or a desk: who
/// saved in between and when (on the wall clock of `zone`), in words and in `changed_by`
/// and `changed_at`, to reload.
pub fn stale(stale: &Stale, zone: Tz) -> AppError {
    let mut extra = Map::new();
    extra.insert("changed_by".into(), Value::from(stale.changed_by.clone()));
    if let Some(at) = stale.changed_at {
        extra.insert("changed_at".into(), Value::from(at.to_rfc3339()));
    }
    let said = match (&stale.changed_by, stale.time(zone)) {
        (Some(who), Some(time)) => Said::with(
            "admin.stale",
            vec![("who", Arg::Plain(who.clone())), ("time", Arg::Plain(time))],
        ),
        _ => Said::key("admin.stale_by_import"),
    };
    AppError::Conflict {
        detail: stale.sentence(zone).into(),
        extra,
    }
    .saying(said)
}
