//! The figures `/metrics` reads from the database at each scrape, per location slug.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{appointments, desks, locations, outbox, tickets};
use super::{DbConnection, StoreResult};
use strum::VariantArray as _;

use crate::domain::message_kind::MessageKind;

/// A count per location slug.
pub type PerLocation = Vec<(String, i64)>;

/// What the database says now.
#[derive(Debug, Clone, Default)]
pub struct Snapshot {
    pub waiting: PerLocation,
    pub open_desks: PerLocation,
    pub tickets: PerLocation,
    pub bookings: PerLocation,
    pub cancellations: PerLocation,
    /// Outgoing messages not yet sent, per kind (`mail`, `sms`, `webhook`).
    pub queued: PerKind,
    /// Messages not sent that failed at least once, per kind.
    pub failed: PerKind,
    /// The live queue alerts raised now, as `(location slug, errand slug)`.
    pub alerts: Vec<(String, String)>,
}

/// A count for every kind of message, 0 where there are none.
pub type PerKind = Vec<(MessageKind, i64)>;

fn per_kind(rows: Vec<(String, i64)>) -> PerKind {
    MessageKind::VARIANTS
        .iter()
        .map(|&kind| {
            let name: &'static str = kind.into();
            let n = rows.iter().find(|(k, _)| k == name).map_or(0, |(_, n)| *n);
            (kind, n)
        })
        .collect()
}

pub fn snapshot(conn: &mut DbConnection) -> StoreResult<Snapshot> {
    let waiting = tickets::table
        .inner_join(locations::table)
        .filter(tickets::status.eq("waiting"))
        .group_by(locations::slug)
        .select((locations::slug, count_star()))
        .load(conn)?;
    let open_desks = desks::table
        .inner_join(locations::table)
        .filter(desks::state.eq("open"))
        .filter(desks::active.eq(true))
        .group_by(locations::slug)
        .select((locations::slug, count_star()))
        .load(conn)?;
    let tickets = tickets::table
        .inner_join(locations::table)
        .group_by(locations::slug)
        .select((locations::slug, count_star()))
        .load(conn)?;
    let bookings = appointments::table
        .inner_join(locations::table)
        .group_by(locations::slug)
        .select((locations::slug, count_star()))
        .load(conn)?;
    let cancellations = appointments::table
        .inner_join(locations::table)
        .filter(appointments::status.eq("cancelled"))
        .group_by(locations::slug)
        .select((locations::slug, count_star()))
        .load(conn)?;
    let queued = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::dropped_at.is_null())
        .group_by(outbox::kind)
        .select((outbox::kind, count_star()))
        .load(conn)?;
    // A message that failed at least once and never went (retrying, or given up).
    let failed = outbox::table
        .filter(outbox::sent_at.is_null())
        .filter(outbox::last_error.is_not_null())
        .group_by(outbox::kind)
        .select((outbox::kind, count_star()))
        .load(conn)?;
    Ok(Snapshot {
        waiting,
        open_desks,
        tickets,
        bookings,
        cancellations,
        queued: per_kind(queued),
        failed: per_kind(failed),
        alerts: super::queue_alerts::raised(conn)?,
    })
}
