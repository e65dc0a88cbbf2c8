//! The capacity rules of a location: how many desks take appointments when, for which
//! errands and of which kind.

use std::collections::HashMap;

use chrono::NaiveTime;
use diesel::prelude::*;

use super::hours::{range_from_db, weekday_from_db};
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::organisation::parse_choice;
use crate::domain::slots::CapacityRule;
use crate::domain::visit::PoolRule;
use crate::store::catalogue::{self, Key};
use crate::store::schema::{capacity_rule_services, capacity_rules};
use crate::store::{DbConnection, StoreError, StoreResult};

/// The capacity rules that take appointments for `service` at a location, and every errand
/// that shares those desks (whose appointments therefore use the same capacity).
pub fn capacity_for(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Vec<CapacityRule>, Vec<ServiceId>)> {
    catalogue::cached(conn, Key::Capacity(location.0, service.0), |conn| {
        load_capacity_for(conn, location, service)
    })
}

fn load_capacity_for(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Vec<CapacityRule>, Vec<ServiceId>)> {
    let rule_ids: Vec<i64> = capacity_rules::table
        .inner_join(capacity_rule_services::table)
        .filter(capacity_rules::location_id.eq(location.0))
        .filter(capacity_rule_services::service_id.eq(service.0))
        .select(capacity_rules::id)
        .load(conn)?;
    let rows: Vec<(i32, NaiveTime, NaiveTime, i32)> = capacity_rules::table
        .filter(capacity_rules::id.eq_any(&rule_ids))
        .select((
            capacity_rules::weekday,
            capacity_rules::starts,
            capacity_rules::ends,
            capacity_rules::desks,
        ))
        .load(conn)?;
    let mut pool: Vec<i64> = capacity_rule_services::table
        .filter(capacity_rule_services::rule_id.eq_any(&rule_ids))
        .select(capacity_rule_services::service_id)
        .load(conn)?;
    pool.push(service.0);
    pool.sort_unstable();
    pool.dedup();
    let rules = rows
        .into_iter()
        .map(|(weekday, starts, ends, desks)| rule_from_db(weekday, starts, ends, desks))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((rules, pool.into_iter().map(ServiceId).collect()))
}
/// Every capacity rule of a location, one per weekday, with the kind of desk it books and
/// the errands it takes: what a visit of several errands is fitted to.
pub fn capacity_pools(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<PoolRule<ServiceId>>> {
    catalogue::cached(conn, Key::Pools(location.0), |conn| {
        load_capacity_pools(conn, location)
    })
}

fn load_capacity_pools(
    conn: &mut DbConnection,
    location: LocationId,
) -> StoreResult<Vec<PoolRule<ServiceId>>> {
    let rows: Vec<(i64, i32, NaiveTime, NaiveTime, i32, String)> = capacity_rules::table
        .filter(capacity_rules::location_id.eq(location.0))
        .order(capacity_rules::id)
        .select((
            capacity_rules::id,
            capacity_rules::weekday,
            capacity_rules::starts,
            capacity_rules::ends,
            capacity_rules::desks,
            capacity_rules::desk_kind,
        ))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut services: HashMap<i64, Vec<ServiceId>> = HashMap::new();
    let pairs: Vec<(i64, i64)> = capacity_rule_services::table
        .filter(capacity_rule_services::rule_id.eq_any(&ids))
        .select((
            capacity_rule_services::rule_id,
            capacity_rule_services::service_id,
        ))
        .load(conn)?;
    for (rule, service) in pairs {
        services.entry(rule).or_default().push(ServiceId(service));
    }
    rows.into_iter()
        .map(|(id, weekday, starts, ends, desks, kind)| {
            Ok(PoolRule {
                rule: rule_from_db(weekday, starts, ends, desks)?,
                kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                services: services.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// A stored capacity rule: its weekday, its range and how many desks it books.
fn rule_from_db(
    weekday: i32,
    starts: NaiveTime,
    ends: NaiveTime,
    desks: i32,
) -> StoreResult<CapacityRule> {
    Ok(CapacityRule {
        weekday: weekday_from_db(weekday)?,
        range: range_from_db(starts, ends)?,
        desks: u32::try_from(desks).map_err(|_| StoreError::Corrupt(format!("{desks} desks")))?,
    })
}
