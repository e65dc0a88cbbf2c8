//! An organisation's locations read back: errands, opening and per-errand hours, closures,
//! active desks and capacity rules.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveTime, Weekday};
use diesel::prelude::*;

use super::{in_order, slug_from_db};
use crate::domain::hours::{Closure, TimeRange, WeeklyHours};
use crate::domain::ids::OrganisationId;
use crate::domain::organisation::{
    parse_choice, CapacityRuleSpec, DeskKind, DeskSpec, LocationSpec, ServiceHoursSpec, WeekdayKey,
};
use crate::domain::timezone::parse_zone;
use crate::domain::Slug;
use crate::store::organisations::{alert_settings, closure_of, ClosureRow, CLOSURE_COLUMNS};
use crate::store::schema::{
    capacity_rule_services, capacity_rules, closures, desk_services, desks, location_services,
    locations, opening_hours,
};
use crate::store::{DbConnection, StoreError, StoreResult};

type Ordered = [(i64, Slug)];

pub(super) fn all(
    conn: &mut DbConnection,
    org: OrganisationId,
    service_order: &Ordered,
) -> StoreResult<Vec<LocationSpec>> {
    type Row = (
        i64,
        String,
        String,
        String,
        String,
        Option<i32>,
        Option<i32>,
        String,
    );
    let rows: Vec<Row> = locations::table
        .filter(locations::organisation_id.eq(org.0))
        .select((
            locations::id,
            locations::slug,
            locations::name,
            locations::address,
            locations::timezone,
            locations::alert_after_minutes,
            locations::surge_alert_percent,
            locations::contact,
        ))
        .order(locations::id)
        .load(conn)?;
    rows.into_iter()
        .map(
            |(id, slug, name, address, timezone, after, surge, contact)| {
                let offered: Vec<i64> = location_services::table
                    .filter(location_services::location_id.eq(id))
                    .select(location_services::service_id)
                    .load(conn)?;
                let (opening_hours, service_hours) = hours(conn, id, service_order)?;
                Ok(LocationSpec {
                    slug: slug_from_db(&slug)?,
                    name,
                    address,
                    contact: (!contact.is_empty()).then_some(contact),
                    timezone: parse_zone(&timezone).map_err(StoreError::Corrupt)?,
                    opening_hours,
                    closures: location_closures(conn, id)?,
                    services: in_order(offered, service_order).collect(),
                    service_hours,
                    desks: location_desks(conn, id, service_order)?,
                    capacity: capacity(conn, id, service_order)?,
                    alerts: alert_settings(after, surge)?,
                })
            },
        )
        .collect()
}

fn weekday(n: i32) -> StoreResult<Weekday> {
    u8::try_from(n)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("weekday {n}")))
}

fn range(start: NaiveTime, end: NaiveTime) -> StoreResult<TimeRange> {
    TimeRange::new(start, end).map_err(|e| StoreError::Corrupt(e.to_string()))
}

/// The general hours, and each errand's own hours in the order they were written.
fn hours(
    conn: &mut DbConnection,
    location: i64,
    service_order: &Ordered,
) -> StoreResult<(WeeklyHours, Vec<ServiceHoursSpec>)> {
    let rows: Vec<(Option<i64>, i32, NaiveTime, NaiveTime)> = opening_hours::table
        .filter(opening_hours::location_id.eq(location))
        .select((
            opening_hours::service_id,
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .order(opening_hours::id)
        .load(conn)?;
    let mut general = WeeklyHours::default();
    let mut per_service: Vec<(i64, WeeklyHours)> = Vec::new();
    for (service, day, opens, closes) in rows {
        let hours = match service {
            None => &mut general,
            Some(service) => match per_service.iter().position(|(s, _)| *s == service) {
                Some(i) => &mut per_service[i].1,
                None => {
                    per_service.push((service, WeeklyHours::default()));
                    &mut per_service.last_mut().expect("just pushed").1
                }
            },
        };
        hours
            .set_day(weekday(day)?, vec![range(opens, closes)?])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    let service_hours = per_service
        .into_iter()
        .map(|(service, hours)| {
            let slug = in_order([service], service_order)
                .next()
                .ok_or_else(|| StoreError::Corrupt(format!("hours of unknown errand {service}")))?;
            Ok(ServiceHoursSpec {
                service: slug,
                hours,
            })
        })
        .collect::<StoreResult<_>>()?;
    Ok((general, service_hours))
}

fn location_closures(conn: &mut DbConnection, location: i64) -> StoreResult<Vec<Closure>> {
    let rows: Vec<ClosureRow> = closures::table
        .filter(closures::location_id.eq(location))
        .select(CLOSURE_COLUMNS)
        .order(closures::id)
        .load(conn)?;
    rows.into_iter().map(closure_of).collect()
}

/// The desks in use; those an import retired are history, not part of the organisation.
fn location_desks(
    conn: &mut DbConnection,
    location: i64,
    service_order: &Ordered,
) -> StoreResult<Vec<DeskSpec>> {
    let rows: Vec<(i64, String, String, bool)> = desks::table
        .filter(desks::location_id.eq(location).and(desks::active.eq(true)))
        .select((desks::id, desks::name, desks::kind, desks::out_of_order))
        .order(desks::id)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut features = crate::store::organisations::desk_features_of(conn, &ids)?;
    rows.into_iter()
        .map(|(id, name, kind, out_of_order)| {
            let served: Vec<i64> = desk_services::table
                .filter(desk_services::desk_id.eq(id))
                .select(desk_services::service_id)
                .load(conn)?;
            Ok(DeskSpec {
                name,
                kind: parse_choice::<DeskKind>(&kind).map_err(StoreError::Corrupt)?,
                services: in_order(served, service_order).collect(),
                out_of_order,
                features: features.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}

/// The rules, stored one row per weekday, joined back: the rows of one rule follow each other
/// with rising weekdays and the same times, desks and errands.
fn capacity(
    conn: &mut DbConnection,
    location: i64,
    service_order: &Ordered,
) -> StoreResult<Vec<CapacityRuleSpec>> {
    let rows: Vec<(i64, i32, NaiveTime, NaiveTime, i32, String)> = capacity_rules::table
        .filter(capacity_rules::location_id.eq(location))
        .select((
            capacity_rules::id,
            capacity_rules::weekday,
            capacity_rules::starts,
            capacity_rules::ends,
            capacity_rules::desks,
            capacity_rules::desk_kind,
        ))
        .order(capacity_rules::id)
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    let mut served: HashMap<i64, Vec<i64>> = HashMap::new();
    for (rule, service) in capacity_rule_services::table
        .filter(capacity_rule_services::rule_id.eq_any(ids))
        .select((
            capacity_rule_services::rule_id,
            capacity_rule_services::service_id,
        ))
        .load::<(i64, i64)>(conn)?
    {
        served.entry(rule).or_default().push(service);
    }
    let mut out: Vec<CapacityRuleSpec> = Vec::new();
    for (id, day, starts, ends, desks, kind) in rows {
        let day = WeekdayKey::from(weekday(day)?);
        let rule = CapacityRuleSpec {
            weekdays: BTreeSet::from([day]),
            range: range(starts, ends)?,
            desks: u32::try_from(desks)
                .map_err(|_| StoreError::Corrupt(format!("{desks} desks")))?,
            desk_kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
            services: in_order(served.remove(&id).unwrap_or_default(), service_order).collect(),
        };
        match out.last_mut() {
            Some(last) if continues(last, &rule, day) => {
                last.weekdays.insert(day);
            }
            _ => out.push(rule),
        }
    }
    Ok(out)
}

fn continues(rule: &CapacityRuleSpec, next: &CapacityRuleSpec, day: WeekdayKey) -> bool {
    rule.weekdays.last().is_some_and(|last| *last < day)
        && (rule.range, rule.desks, rule.desk_kind, &rule.services)
            == (next.range, next.desks, next.desk_kind, &next.services)
}
