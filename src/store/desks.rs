//! Desks as administrators keep them: name, kind, errands and whether they are out of
//! order, with the revision each save raises.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use super::schema::{desk_services, desks, services};
use super::staff_accounts::Saved;
use super::{DbConnection, StoreResult};
use crate::domain::desk_draft::CheckedDesk;
use crate::domain::ids::{DeskId, LocationId};
use crate::domain::organisation::DeskState;
use crate::domain::revision::Revision;

/// A desk's revision and the location it stands at, for a save to check against.
pub fn revision(
    conn: &mut DbConnection,
    id: DeskId,
) -> StoreResult<Option<(LocationId, Revision)>> {
    let row: Option<(i64, i32, Option<String>, Option<NaiveDateTime>)> = desks::table
        .filter(desks::id.eq(id.0))
        .filter(desks::active.eq(true))
        .select((
            desks::location_id,
            desks::version,
            desks::changed_by,
            desks::changed_at,
        ))
        .first(conn)
        .optional()?;
    Ok(row.map(|(location, version, changed_by, changed_at)| {
        (
            LocationId(location),
            Revision {
                version,
                changed_by,
                changed_at: changed_at.map(|at| at.and_utc()),
            },
        )
    }))
}

/// Adds a desk, closed, at `location`.
pub fn insert(
    conn: &mut DbConnection,
    location: LocationId,
    desk: &CheckedDesk,
    saved: Saved,
) -> StoreResult<DeskId> {
    let kind: &'static str = desk.spec.kind.into();
    let closed: &'static str = DeskState::Closed.into();
    let id: i64 = diesel::insert_into(desks::table)
        .values((
            desks::location_id.eq(location.0),
            desks::name.eq(&desk.spec.name),
            desks::kind.eq(kind),
            desks::state.eq(closed),
            desks::active.eq(true),
            desks::out_of_order.eq(desk.spec.out_of_order),
            desks::version.eq(1),
            desks::changed_by.eq(saved.by),
            desks::changed_at.eq(saved.at.naive_utc()),
        ))
        .returning(desks::id)
        .get_result(conn)?;
    replace_services(conn, location, DeskId(id), desk)?;
    Ok(DeskId(id))
}

/// Saves `desk` over the one read at version `read`; false, and nothing written, when
/// someone saved it since. A desk taken out of order is closed with it.
pub fn update(
    conn: &mut DbConnection,
    location: LocationId,
    id: DeskId,
    desk: &CheckedDesk,
    read: i32,
    saved: Saved,
) -> StoreResult<bool> {
    let kind: &'static str = desk.spec.kind.into();
    let changed = diesel::update(
        desks::table
            .filter(desks::id.eq(id.0))
            .filter(desks::version.eq(read)),
    )
    .set((
        desks::name.eq(&desk.spec.name),
        desks::kind.eq(kind),
        desks::out_of_order.eq(desk.spec.out_of_order),
        desks::version.eq(read + 1),
        desks::changed_by.eq(saved.by),
        desks::changed_at.eq(saved.at.naive_utc()),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Ok(false);
    }
    if desk.spec.out_of_order {
        let closed: &'static str = DeskState::Closed.into();
        diesel::update(desks::table.find(id.0))
            .set(desks::state.eq(closed))
            .execute(conn)?;
    }
    replace_services(conn, location, id, desk)?;
    Ok(true)
}

fn replace_services(
    conn: &mut DbConnection,
    location: LocationId,
    id: DeskId,
    desk: &CheckedDesk,
) -> StoreResult<()> {
    let slugs: Vec<&str> = desk.spec.services.iter().map(|s| s.as_str()).collect();
    let organisation: i64 = super::schema::locations::table
        .find(location.0)
        .select(super::schema::locations::organisation_id)
        .first(conn)?;
    let ids: Vec<i64> = services::table
        .filter(services::organisation_id.eq(organisation))
        .filter(services::slug.eq_any(&slugs))
        .select(services::id)
        .load(conn)?;
    diesel::delete(desk_services::table.filter(desk_services::desk_id.eq(id.0))).execute(conn)?;
    let rows: Vec<_> = ids
        .into_iter()
        .map(|s| {
            (
                desk_services::desk_id.eq(id.0),
                desk_services::service_id.eq(s),
            )
        })
        .collect();
    super::insert_all(conn, desk_services::table, rows)?;
    Ok(())
}
