//! The desks of a location: what each serves and has from the catalogue, the state each
//! is in read fresh.

use std::collections::{BTreeSet, HashMap};

use diesel::prelude::*;

use crate::domain::ids::{DeskId, LocationId};
use crate::domain::organisation::{parse_choice, Desk, DeskState};
use crate::domain::visit::DeskFeature;
use crate::domain::Slug;
use crate::store::catalogue::{self, Key};
use crate::store::schema::{desk_features, desk_services, desks, services};
use crate::store::{DbConnection, StoreError, StoreResult};

/// The active desks of a location, by name, with the errands each serves and the state
/// each is in. The state changes all day without moving the catalogue stamp, so it is read
/// fresh over what the catalogue keeps.
pub fn desks_at(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<Desk>> {
    let mut desks = desk_layout(conn, location)?;
    let states: HashMap<i64, String> = desks::table
        .filter(desks::location_id.eq(location.0))
        .select((desks::id, desks::state))
        .load::<(i64, String)>(conn)?
        .into_iter()
        .collect();
    // A desk removed since the catalogue was read is gone.
    desks.retain(|d| states.contains_key(&d.id.0));
    for desk in &mut desks {
        desk.state = parse_choice(&states[&desk.id.0]).map_err(StoreError::Corrupt)?;
    }
    Ok(desks)
}

/// The active desks of a location, by name, with the errands each serves and what each
/// has, from the catalogue alone: their state is as it was when the catalogue was read,
/// for readers that ask what the desks can do, not which are open (free times, needs).
pub fn desk_layout(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<Desk>> {
    catalogue::cached(conn, Key::Desks(location.0), |conn| {
        load_desks_at(conn, location)
    })
}

fn load_desks_at(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<Desk>> {
    let rows: Vec<(i64, String, String, String, bool)> = desks::table
        .filter(
            desks::location_id
                .eq(location.0)
                .and(desks::active.eq(true)),
        )
        .select((
            desks::id,
            desks::name,
            desks::kind,
            desks::state,
            desks::out_of_order,
        ))
        .order(desks::name)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut features = desk_features_of(conn, &ids)?;
    let mut served: HashMap<i64, Vec<Slug>> = HashMap::new();
    let pairs: Vec<(i64, String)> = desk_services::table
        .inner_join(services::table)
        .filter(desk_services::desk_id.eq_any(ids))
        .select((desk_services::desk_id, services::slug))
        .order(services::slug)
        .load(conn)?;
    for (desk, slug) in pairs {
        served
            .entry(desk)
            .or_default()
            .push(Slug::parse(&slug).map_err(StoreError::Corrupt)?);
    }
    rows.into_iter()
        .map(|(id, name, kind, state, out_of_order)| {
            Ok(Desk {
                id: DeskId(id),
                location_id: location,
                name,
                kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                state: parse_choice(&state).map_err(StoreError::Corrupt)?,
                services: served.remove(&id).unwrap_or_default(),
                out_of_order,
                features: features.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// What each of these desks has for citizens' needs.
pub(in crate::store) fn desk_features_of(
    conn: &mut DbConnection,
    desks: &[i64],
) -> StoreResult<HashMap<i64, BTreeSet<DeskFeature>>> {
    let rows: Vec<(i64, String)> = desk_features::table
        .filter(desk_features::desk_id.eq_any(desks))
        .select((desk_features::desk_id, desk_features::feature))
        .load(conn)?;
    let mut out: HashMap<i64, BTreeSet<DeskFeature>> = HashMap::new();
    for (desk, feature) in rows {
        out.entry(desk)
            .or_default()
            .insert(parse_choice(&feature).map_err(StoreError::Corrupt)?);
    }
    Ok(out)
}
/// The active desk with this id, with the errands it serves.
pub fn find_desk(conn: &mut DbConnection, id: DeskId) -> StoreResult<Option<Desk>> {
    let location: Option<i64> = catalogue::cached(conn, Key::DeskLocation(id.0), |conn| {
        Ok(desks::table
            .filter(desks::id.eq(id.0).and(desks::active.eq(true)))
            .select(desks::location_id)
            .first(conn)
            .optional()?)
    })?;
    let Some(location) = location else {
        return Ok(None);
    };
    Ok(desks_at(conn, LocationId(location))?
        .into_iter()
        .find(|d| d.id == id))
}

pub fn set_desk_state(conn: &mut DbConnection, id: DeskId, state: DeskState) -> StoreResult<()> {
    let state: &'static str = state.into();
    diesel::update(desks::table.find(id.0))
        .set(desks::state.eq(state))
        .execute(conn)?;
    Ok(())
}
