//! The figures `/metrics` reads from the database at each scrape, per location slug.

use diesel::dsl::count_star;
use diesel::prelude::*;

use super::schema::{appointments, desks, locations, outbox, tickets};
use super::{DbConnection, StoreResult};
use crate::domain::outbox::MessageKind;

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
    pub mail_queued: i64,
    pub mail_failed: i64,
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
    let mail: &'static str = MessageKind::Mail.into();
    let mail_queued = outbox::table
        .filter(outbox::kind.eq(mail))
        .filter(outbox::sent_at.is_null())
        .filter(outbox::dropped_at.is_null())
        .count()
        .get_result(conn)?;
    // A mail that failed at least once and never went (retrying, or given up).
    let mail_failed = outbox::table
        .filter(outbox::kind.eq(mail))
        .filter(outbox::sent_at.is_null())
        .filter(outbox::last_error.is_not_null())
        .count()
        .get_result(conn)?;
    Ok(Snapshot {
        waiting,
        open_desks,
        tickets,
        bookings,
        cancellations,
        mail_queued,
        mail_failed,
    })
}
