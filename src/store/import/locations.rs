//! Writing an imported location: its errands, opening and service hours, closures,
//! capacity rules and desks, each replaced by what the file says.

use std::collections::HashMap;

use diesel::prelude::*;

use super::summary::SaveSummary;
use crate::domain::ids::{LocationId, OrganisationId, ServiceId};
use crate::domain::organisation::{DeskState, LocationSpec};
use crate::domain::Slug;
use crate::store::organisations::closure_values;
use crate::store::schema::{
    capacity_rule_services, capacity_rules, closures, desk_features, desk_services, desks,
    location_services, locations, opening_hours,
};
use crate::store::{DbConnection, StoreError, StoreResult};

pub(super) fn save_location(
    conn: &mut DbConnection,
    org: OrganisationId,
    l: &LocationSpec,
    service_ids: &HashMap<Slug, ServiceId>,
    summary: &mut SaveSummary,
) -> StoreResult<()> {
    let existing: Option<(i64, i64)> = locations::table
        .filter(locations::slug.eq(l.slug.as_str()))
        .select((locations::id, locations::organisation_id))
        .first(conn)
        .optional()?;
    let values = (
        locations::name.eq(&l.name),
        locations::address.eq(&l.address),
        locations::contact.eq(l.contact.as_deref().unwrap_or_default()),
        locations::timezone.eq(l.timezone.name()),
        locations::alert_after_minutes.eq(l.alerts.after_minutes.map(|m| m as i32)),
        locations::surge_alert_percent.eq(l.alerts.surge_percent.map(|p| p as i32)),
    );
    summary.count("locations", existing.is_none());
    let id = match existing {
        Some((_, owner)) if owner != org.0 => {
            return Err(StoreError::Conflict(format!(
                "the location slug '{}' is taken by another organisation",
                l.slug
            )))
        }
        Some((id, _)) => {
            diesel::update(locations::table.find(id))
                .set(values)
                .execute(conn)?;
            id
        }
        None => diesel::insert_into(locations::table)
            .values((
                locations::organisation_id.eq(org.0),
                locations::slug.eq(l.slug.as_str()),
                values,
            ))
            .returning(locations::id)
            .get_result(conn)?,
    };
    let location = LocationId(id);
    replace_location_services(conn, location, &l.services, service_ids)?;
    replace_hours(conn, location, l, service_ids)?;
    replace_closures(conn, location, l)?;
    replace_capacity(conn, location, l, service_ids)?;
    save_desks(conn, location, l, service_ids, summary)
}

/// Replaces the location's opening and errands' hours and its capacity rules by the spec's,
/// as an import does: for the administration's change of its hours.
pub(crate) fn replace_hours_and_capacity(
    conn: &mut DbConnection,
    location: LocationId,
    l: &LocationSpec,
    service_ids: &HashMap<Slug, ServiceId>,
) -> StoreResult<()> {
    replace_hours(conn, location, l, service_ids)?;
    replace_capacity(conn, location, l, service_ids)
}

pub(crate) fn replace_location_services(
    conn: &mut DbConnection,
    location: LocationId,
    offered: &[Slug],
    service_ids: &HashMap<Slug, ServiceId>,
) -> StoreResult<()> {
    diesel::delete(location_services::table.filter(location_services::location_id.eq(location.0)))
        .execute(conn)?;
    let rows: Vec<_> = offered
        .iter()
        .map(|s| {
            (
                location_services::location_id.eq(location.0),
                location_services::service_id.eq(service_ids[s].0),
            )
        })
        .collect();
    super::super::insert_all(conn, location_services::table, rows)?;
    Ok(())
}

fn replace_hours(
    conn: &mut DbConnection,
    location: LocationId,
    l: &LocationSpec,
    service_ids: &HashMap<Slug, ServiceId>,
) -> StoreResult<()> {
    diesel::delete(opening_hours::table.filter(opening_hours::location_id.eq(location.0)))
        .execute(conn)?;
    let general = l
        .opening_hours
        .iter()
        .map(|(day, range)| (None, day, range));
    let per_service = l.service_hours.iter().flat_map(|sh| {
        let service = service_ids[&sh.service].0;
        sh.hours
            .iter()
            .map(move |(day, range)| (Some(service), day, range))
    });
    let rows: Vec<_> = general
        .chain(per_service)
        .map(|(service, day, range)| {
            (
                opening_hours::location_id.eq(location.0),
                opening_hours::service_id.eq(service),
                opening_hours::weekday.eq(day.num_days_from_monday() as i32),
                opening_hours::opens.eq(range.start),
                opening_hours::closes.eq(range.end),
            )
        })
        .collect();
    super::super::insert_all(conn, opening_hours::table, rows)?;
    Ok(())
}

fn replace_closures(
    conn: &mut DbConnection,
    location: LocationId,
    l: &LocationSpec,
) -> StoreResult<()> {
    diesel::delete(closures::table.filter(closures::location_id.eq(location.0))).execute(conn)?;
    let rows: Vec<_> = l
        .closures
        .iter()
        .map(|c| closure_values(location, c))
        .collect();
    super::super::insert_all(conn, closures::table, rows)?;
    Ok(())
}

fn replace_capacity(
    conn: &mut DbConnection,
    location: LocationId,
    l: &LocationSpec,
    service_ids: &HashMap<Slug, ServiceId>,
) -> StoreResult<()> {
    diesel::delete(capacity_rules::table.filter(capacity_rules::location_id.eq(location.0)))
        .execute(conn)?;
    for rule in &l.capacity {
        let kind: &'static str = rule.desk_kind.into();
        for day in &rule.weekdays {
            let rule_id: i64 = diesel::insert_into(capacity_rules::table)
                .values((
                    capacity_rules::location_id.eq(location.0),
                    capacity_rules::weekday.eq(day.0 as i32),
                    capacity_rules::starts.eq(rule.range.start),
                    capacity_rules::ends.eq(rule.range.end),
                    capacity_rules::desks.eq(rule.desks as i32),
                    capacity_rules::desk_kind.eq(kind),
                ))
                .returning(capacity_rules::id)
                .get_result(conn)?;
            let rows: Vec<_> = rule
                .services
                .iter()
                .map(|s| {
                    (
                        capacity_rule_services::rule_id.eq(rule_id),
                        capacity_rule_services::service_id.eq(service_ids[s].0),
                    )
                })
                .collect();
            super::super::insert_all(conn, capacity_rule_services::table, rows)?;
        }
    }
    Ok(())
}

fn save_desks(
    conn: &mut DbConnection,
    location: LocationId,
    l: &LocationSpec,
    service_ids: &HashMap<Slug, ServiceId>,
    summary: &mut SaveSummary,
) -> StoreResult<()> {
    let existing: HashMap<String, i64> = desks::table
        .filter(desks::location_id.eq(location.0))
        .select((desks::name, desks::id))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let mut kept = Vec::new();
    for d in &l.desks {
        let kind: &'static str = d.kind.into();
        let id = match existing.get(&d.name) {
            Some(&id) => {
                diesel::update(desks::table.find(id))
                    .set((
                        desks::kind.eq(kind),
                        desks::active.eq(true),
                        desks::out_of_order.eq(d.out_of_order),
                    ))
                    .execute(conn)?;
                if d.out_of_order {
                    // As when an administrator takes it out of order: closed at once.
                    let closed: &'static str = DeskState::Closed.into();
                    diesel::update(desks::table.find(id))
                        .set(desks::state.eq(closed))
                        .execute(conn)?;
                }
                id
            }
            None => {
                let closed: &'static str = DeskState::Closed.into();
                diesel::insert_into(desks::table)
                    .values((
                        desks::location_id.eq(location.0),
                        desks::name.eq(&d.name),
                        desks::kind.eq(kind),
                        desks::state.eq(closed),
                        desks::active.eq(true),
                        desks::out_of_order.eq(d.out_of_order),
                    ))
                    .returning(desks::id)
                    .get_result(conn)?
            }
        };
        summary.count("desks", !existing.contains_key(&d.name));
        kept.push(id);
        diesel::delete(desk_services::table.filter(desk_services::desk_id.eq(id))).execute(conn)?;
        let rows: Vec<_> = d
            .services
            .iter()
            .map(|s| {
                (
                    desk_services::desk_id.eq(id),
                    desk_services::service_id.eq(service_ids[s].0),
                )
            })
            .collect();
        super::super::insert_all(conn, desk_services::table, rows)?;
        diesel::delete(desk_features::table.filter(desk_features::desk_id.eq(id))).execute(conn)?;
        let rows: Vec<_> = d
            .features
            .iter()
            .map(|f| {
                let feature: &'static str = f.into();
                (
                    desk_features::desk_id.eq(id),
                    desk_features::feature.eq(feature),
                )
            })
            .collect();
        super::super::insert_all(conn, desk_features::table, rows)?;
    }
    summary.deactivated_desks += diesel::update(
        desks::table
            .filter(desks::location_id.eq(location.0))
            .filter(desks::id.ne_all(kept))
            .filter(desks::active.eq(true)),
    )
    .set(desks::active.eq(false))
    .execute(conn)?;
    Ok(())
}
