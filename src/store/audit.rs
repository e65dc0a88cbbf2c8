//! The audit log: administrators' changes written here, staff actions read from the
//! queue's own record of them, both with who and when.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;

use super::schema::{audit_log, desks, locations, queue_events, staff_users, tickets};
use super::{DbConnection, StoreResult};
use crate::domain::ids::StaffId;

/// An administrative change to record.
#[derive(Debug, Clone)]
pub struct NewEntry<'a> {
    pub at: DateTime<Utc>,
    pub staff: Option<StaffId>,
    pub actor: &'a str,
    pub action: &'a str,
    pub subject: Option<&'a str>,
    pub detail: Option<&'a str>,
    /// What an administrative change changed, as it was and as it became.
    pub before: Option<&'a str>,
    pub after: Option<&'a str>,
}

pub fn record(conn: &mut DbConnection, e: &NewEntry) -> StoreResult<()> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(e.at.naive_utc()),
            audit_log::staff_id.eq(e.staff.map(|s| s.0)),
            audit_log::actor.eq(e.actor),
            audit_log::action.eq(e.action),
            audit_log::subject.eq(e.subject),
            audit_log::detail.eq(e.detail),
            audit_log::before_change.eq(e.before),
            audit_log::after_change.eq(e.after),
        ))
        .execute(conn)?;
    Ok(())
}

/// Everyone who can appear in the audit as its actor: `(username, display name)`, by name.
pub fn actors(conn: &mut DbConnection) -> StoreResult<Vec<(String, String)>> {
    Ok(staff_users::table
        .select((staff_users::username, staff_users::display_name))
        .order(staff_users::display_name)
        .load(conn)?)
}

/// One line of the audit, from either source.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub at: DateTime<Utc>,
    /// A username, `cli`, or `unknown` once the user is gone.
    pub actor: String,
    pub action: String,
    pub location: Option<String>,
    pub desk: Option<String>,
    /// The ticket's number of the day (`V001`), never anything about its citizen.
    pub ticket: Option<String>,
    pub subject: Option<String>,
    pub detail: Option<String>,
    /// An administrative change's thing as it was and as it became.
    pub before: Option<String>,
    pub after: Option<String>,
}

type EventRow = (
    NaiveDateTime,
    Option<i64>,
    String,
    i64,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

type ChangeRow = (
    NaiveDateTime,
    String,
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
);

/// Everything done in `[from, to)`, oldest first, at most `limit` lines.
pub fn between(
    conn: &mut DbConnection,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    limit: i64,
) -> StoreResult<Vec<Entry>> {
    let (from, to) = (from.naive_utc(), to.naive_utc());
    let events: Vec<EventRow> = queue_events::table
        .filter(queue_events::at.ge(from))
        .filter(queue_events::at.lt(to))
        .order((queue_events::at, queue_events::id))
        .limit(limit)
        .select((
            queue_events::at,
            queue_events::staff_id,
            queue_events::action,
            queue_events::location_id,
            queue_events::desk_id,
            queue_events::ticket_id,
            queue_events::detail,
        ))
        .load(conn)?;
    let changes: Vec<ChangeRow> = audit_log::table
        .filter(audit_log::at.ge(from))
        .filter(audit_log::at.lt(to))
        .order((audit_log::at, audit_log::id))
        .limit(limit)
        .select((
            audit_log::at,
            audit_log::actor,
            audit_log::action,
            audit_log::subject,
            audit_log::detail,
            audit_log::before_change,
            audit_log::after_change,
        ))
        .load(conn)?;

    let names: HashMap<i64, String> = staff_users::table
        .select((staff_users::id, staff_users::username))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let places: HashMap<i64, String> = locations::table
        .select((locations::id, locations::slug))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let desk_names: HashMap<i64, String> = desks::table
        .select((desks::id, desks::name))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    let ticket_ids: Vec<i64> = events.iter().filter_map(|e| e.5).collect();
    let numbers: HashMap<i64, String> = tickets::table
        .filter(tickets::id.eq_any(&ticket_ids))
        .select((tickets::id, tickets::prefix, tickets::seq))
        .load::<(i64, String, i32)>(conn)?
        .into_iter()
        .map(|(id, prefix, seq)| (id, format!("{prefix}{seq:03}")))
        .collect();

    let mut entries: Vec<Entry> =
        events
            .into_iter()
            .map(
                |(at, staff, action, location, desk, ticket, detail)| Entry {
                    at: at.and_utc(),
                    actor: staff
                        .and_then(|s| names.get(&s).cloned())
                        .unwrap_or_else(|| "unknown".into()),
                    action,
                    location: places.get(&location).cloned(),
                    desk: desk.and_then(|d| desk_names.get(&d).cloned()),
                    ticket: ticket.and_then(|t| numbers.get(&t).cloned()),
                    subject: None,
                    detail,
                    before: None,
                    after: None,
                },
            )
            .chain(changes.into_iter().map(
                |(at, actor, action, subject, detail, before, after)| Entry {
                    at: at.and_utc(),
                    actor,
                    action,
                    location: None,
                    desk: None,
                    ticket: None,
                    subject,
                    detail,
                    before,
                    after,
                },
            ))
            .collect();
    entries.sort_by_key(|e| e.at);
    entries.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    Ok(entries)
}
