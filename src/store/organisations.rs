//! The catalogue: organisations, locations, their errands, hours, closures, capacity and
//! desks as citizens and staff see them. Writing them from an organisation file is
//! [`super::import`]'s.
//!
//! Every read here is answered through the catalogue kept in memory ([`super::catalogue`])
//! under a key of its own, so that what a request may be served from memory, and what
//! must be read fresh (a desk's state), is seen in one file; that is why it is longer than
//! most.

use std::collections::{BTreeSet, HashMap};

use chrono::{NaiveDate, NaiveTime, Weekday};
use diesel::prelude::*;

use super::catalogue::{self, Key};
use super::schema::{
    capacity_rule_services, capacity_rules, closures, departments, desk_features, desk_services,
    desks, location_services, locations, opening_hours, organisations, services,
};
use super::{DbConnection, StoreError, StoreResult};
use crate::domain::booking::VisitRules;
use crate::domain::hours::{TimeRange, WeeklyHours};
use crate::domain::ids::{DeskId, LocationId, OrganisationId, ServiceId};
use crate::domain::organisation::{parse_choice, Desk, DeskState, Location, Service, ServiceSpec};
use crate::domain::queue_alert::AlertSettings;
use crate::domain::reminder_channels::ReminderChannels;
use crate::domain::timezone::parse_zone;
use crate::domain::visit::{DeskFeature, PoolRule};
use crate::domain::Slug;

/// The name people know the organisation by (the municipality).
pub fn organisation_name(
    conn: &mut DbConnection,
    organisation: crate::domain::ids::OrganisationId,
) -> StoreResult<String> {
    Ok(organisations::table
        .find(organisation.0)
        .select(organisations::name)
        .first(conn)?)
}

/// Whether an organisation with this slug exists.
pub fn organisation_exists(conn: &mut DbConnection, slug: &str) -> StoreResult<bool> {
    let n: i64 = organisations::table
        .filter(organisations::slug.eq(slug))
        .count()
        .get_result(conn)?;
    Ok(n > 0)
}

type LocationRow = (
    i64,
    i64,
    String,
    String,
    String,
    String,
    Option<i32>,
    Option<i32>,
);

const LOCATION_COLUMNS: (
    locations::id,
    locations::organisation_id,
    locations::slug,
    locations::name,
    locations::address,
    locations::timezone,
    locations::alert_after_minutes,
    locations::surge_alert_percent,
) = (
    locations::id,
    locations::organisation_id,
    locations::slug,
    locations::name,
    locations::address,
    locations::timezone,
    locations::alert_after_minutes,
    locations::surge_alert_percent,
);

/// Every location, by name, with its general opening hours.
pub fn list_locations(conn: &mut DbConnection) -> StoreResult<Vec<Location>> {
    let rows: Vec<LocationRow> = locations::table
        .select(LOCATION_COLUMNS)
        .order(locations::name)
        .load(conn)?;
    let mut hours = general_hours(conn, None)?;
    rows.into_iter()
        .map(|row| {
            let h = hours.remove(&row.0).unwrap_or_default();
            location_from_row(row, h)
        })
        .collect()
}

/// The location with this slug, if any.
pub fn find_location(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<Location>> {
    catalogue::cached(conn, Key::Location(slug.to_owned()), |conn| {
        load_find_location(conn, slug)
    })
}

fn load_find_location(conn: &mut DbConnection, slug: &str) -> StoreResult<Option<Location>> {
    let row: Option<LocationRow> = locations::table
        .filter(locations::slug.eq(slug))
        .select(LOCATION_COLUMNS)
        .first(conn)
        .optional()?;
    let Some(row) = row else { return Ok(None) };
    let hours = general_hours(conn, Some(row.0))?
        .remove(&row.0)
        .unwrap_or_default();
    location_from_row(row, hours).map(Some)
}

fn location_from_row(
    (id, org, slug, name, address, tz, after, surge): LocationRow,
    opening_hours: WeeklyHours,
) -> StoreResult<Location> {
    Ok(Location {
        id: LocationId(id),
        organisation_id: OrganisationId(org),
        slug: Slug::parse(&slug).map_err(StoreError::Corrupt)?,
        name,
        address,
        timezone: parse_zone(&tz).map_err(StoreError::Corrupt)?,
        opening_hours,
        alerts: alert_settings(after, surge)?,
    })
}

/// A location's alert settings as stored (`NULL` for the server's).
pub(super) fn alert_settings(after: Option<i32>, surge: Option<i32>) -> StoreResult<AlertSettings> {
    let unsigned = |n: Option<i32>| {
        n.map(|n| u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("alert setting {n}"))))
            .transpose()
    };
    Ok(AlertSettings {
        after_minutes: unsigned(after)?,
        surge_percent: unsigned(surge)?,
    })
}

/// The general (not per-service) opening hours of one or all locations.
fn general_hours(
    conn: &mut DbConnection,
    location: Option<i64>,
) -> StoreResult<HashMap<i64, WeeklyHours>> {
    let mut query = opening_hours::table
        .filter(opening_hours::service_id.is_null())
        .select((
            opening_hours::location_id,
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .into_boxed();
    if let Some(id) = location {
        query = query.filter(opening_hours::location_id.eq(id));
    }
    let rows: Vec<(i64, i32, NaiveTime, NaiveTime)> = query.load(conn)?;
    let mut out: HashMap<i64, WeeklyHours> = HashMap::new();
    for (location, weekday, opens, closes) in rows {
        let day = weekday_from_db(weekday)?;
        let range =
            TimeRange::new(opens, closes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        out.entry(location)
            .or_default()
            .set_day(day, vec![range])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    Ok(out)
}

fn weekday_from_db(n: i32) -> StoreResult<Weekday> {
    u8::try_from(n)
        .ok()
        .and_then(|n| Weekday::try_from(n).ok())
        .ok_or_else(|| StoreError::Corrupt(format!("weekday {n}")))
}

type ServiceRow = (
    i64,
    String,
    String,
    String,
    String,
    i32,
    i32,
    String,
    String,
    Option<String>,
    String,
    i32,
    i32,
    i32,
    i32,
    Option<String>,
    Option<String>,
    i32,
    i32,
    i32,
    i32,
    String,
    String,
    Option<i32>,
    i32,
    Option<String>,
);

/// The columns of [`ServiceRow`], for every query that reads whole errands.
type ServiceColumns = (
    services::id,
    services::slug,
    services::name_da,
    services::name_en,
    departments::slug,
    services::duration_minutes,
    services::buffer_minutes,
    services::channel,
    services::booking,
    services::self_service_url,
    services::queue_prefix,
    services::book_ahead_days,
    services::min_notice_minutes,
    services::slot_step_minutes,
    services::priority,
    services::what_to_bring_da,
    services::what_to_bring_en,
    services::reminder_hours,
    services::max_future_bookings,
    services::check_in_early_minutes,
    services::check_in_grace_minutes,
    services::late_arrival,
    services::reminder_channels,
    services::additional_minutes,
    services::max_per_visit,
    services::meeting_url,
);

const SERVICE_COLUMNS: ServiceColumns = (
    services::id,
    services::slug,
    services::name_da,
    services::name_en,
    departments::slug,
    services::duration_minutes,
    services::buffer_minutes,
    services::channel,
    services::booking,
    services::self_service_url,
    services::queue_prefix,
    services::book_ahead_days,
    services::min_notice_minutes,
    services::slot_step_minutes,
    services::priority,
    services::what_to_bring_da,
    services::what_to_bring_en,
    services::reminder_hours,
    services::max_future_bookings,
    services::check_in_early_minutes,
    services::check_in_grace_minutes,
    services::late_arrival,
    services::reminder_channels,
    services::additional_minutes,
    services::max_per_visit,
    services::meeting_url,
);

/// Every errand of the organisation, in the order they were created.
pub fn organisation_services(
    conn: &mut DbConnection,
    organisation: OrganisationId,
) -> StoreResult<Vec<Service>> {
    let rows: Vec<ServiceRow> = services::table
        .inner_join(departments::table)
        .filter(services::organisation_id.eq(organisation.0))
        .select(SERVICE_COLUMNS)
        .order(services::id)
        .load(conn)?;
    rows.into_iter().map(service_from_row).collect()
}

/// The errands offered at a location, by Danish name.
pub fn services_at(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<Service>> {
    catalogue::cached(conn, Key::Services(location.0), |conn| {
        load_services_at(conn, location)
    })
}

fn load_services_at(conn: &mut DbConnection, location: LocationId) -> StoreResult<Vec<Service>> {
    let rows: Vec<ServiceRow> = services::table
        .inner_join(location_services::table)
        .inner_join(departments::table)
        .filter(location_services::location_id.eq(location.0))
        .select(SERVICE_COLUMNS)
        .order(services::name_da)
        .load(conn)?;
    rows.into_iter().map(service_from_row).collect()
}

fn service_from_row(row: ServiceRow) -> StoreResult<Service> {
    let corrupt = StoreError::Corrupt;
    let unsigned =
        |n: i32| u32::try_from(n).map_err(|_| StoreError::Corrupt(format!("negative {n}")));
    Ok(Service {
        id: ServiceId(row.0),
        spec: ServiceSpec {
            slug: Slug::parse(&row.1).map_err(corrupt)?,
            name_da: row.2,
            name_en: row.3,
            department: Slug::parse(&row.4).map_err(corrupt)?,
            duration_minutes: unsigned(row.5)?,
            additional_minutes: row.23.map(unsigned).transpose()?,
            max_per_visit: unsigned(row.24)?,
            buffer_minutes: unsigned(row.6)?,
            channel: parse_choice(&row.7).map_err(corrupt)?,
            booking: parse_choice(&row.8).map_err(corrupt)?,
            self_service_url: row.9,
            meeting_url: row.25,
            queue_prefix: row
                .10
                .chars()
                .next()
                .ok_or_else(|| corrupt("empty queue prefix".into()))?,
            book_ahead_days: unsigned(row.11)?,
            min_notice_minutes: unsigned(row.12)?,
            slot_step_minutes: unsigned(row.13)?,
            priority: row.14,
            what_to_bring_da: row.15,
            what_to_bring_en: row.16,
            rules: VisitRules {
                reminder_hours: unsigned(row.17)?,
                max_future_bookings: unsigned(row.18)?,
                check_in_early_minutes: unsigned(row.19)?,
                check_in_grace_minutes: unsigned(row.20)?,
                late_arrival: parse_choice(&row.21).map_err(corrupt)?,
                reminder_channels: ReminderChannels::from_stored(&row.22).map_err(corrupt)?,
            },
        },
    })
}

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
pub(super) fn desk_features_of(
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

/// Closures of a location that end on or after `from`.
pub fn closures_from(
    conn: &mut DbConnection,
    location: LocationId,
    from: NaiveDate,
) -> StoreResult<Vec<crate::domain::hours::Closure>> {
    catalogue::cached(conn, Key::Closures(location.0, from), |conn| {
        load_closures_from(conn, location, from)
    })
}

fn load_closures_from(
    conn: &mut DbConnection,
    location: LocationId,
    from: NaiveDate,
) -> StoreResult<Vec<crate::domain::hours::Closure>> {
    let rows: Vec<ClosureRow> = closures::table
        .filter(
            closures::location_id
                .eq(location.0)
                .and(closures::last_day.ge(from)),
        )
        .select(CLOSURE_COLUMNS)
        .order(closures::first_day)
        .load(conn)?;
    rows.into_iter().map(closure_of).collect()
}

/// Adds a closure to a location.
pub fn add_closure(
    conn: &mut DbConnection,
    location: LocationId,
    c: &crate::domain::hours::Closure,
) -> StoreResult<()> {
    diesel::insert_into(closures::table)
        .values(closure_values(location, c))
        .execute(conn)?;
    Ok(())
}

/// A closure's row at `location`.
#[allow(clippy::type_complexity)]
pub(super) fn closure_values(
    location: LocationId,
    c: &crate::domain::hours::Closure,
) -> (
    diesel::dsl::Eq<closures::location_id, i64>,
    diesel::dsl::Eq<closures::first_day, NaiveDate>,
    diesel::dsl::Eq<closures::last_day, NaiveDate>,
    diesel::dsl::Eq<closures::reason, String>,
    diesel::dsl::Eq<closures::closed_from, Option<NaiveTime>>,
    diesel::dsl::Eq<closures::closed_until, Option<NaiveTime>>,
    diesel::dsl::Eq<closures::opening_hours, Option<String>>,
) {
    let hours = c
        .opening_hours
        .as_ref()
        .map(|h| serde_json::to_string(&h.to_map()).expect("a map of strings serialises"));
    (
        closures::location_id.eq(location.0),
        closures::first_day.eq(c.first),
        closures::last_day.eq(c.last),
        closures::reason.eq(c.reason.clone()),
        closures::closed_from.eq(c.closed_from),
        closures::closed_until.eq(c.closed_until),
        closures::opening_hours.eq(hours),
    )
}

/// A closure as stored: its days, reason, the part of each day it closes, and the hours a
/// period of reduced hours keeps open.
pub(super) type ClosureRow = (
    NaiveDate,
    NaiveDate,
    String,
    Option<chrono::NaiveTime>,
    Option<chrono::NaiveTime>,
    Option<String>,
);

pub(super) const CLOSURE_COLUMNS: (
    closures::first_day,
    closures::last_day,
    closures::reason,
    closures::closed_from,
    closures::closed_until,
    closures::opening_hours,
) = (
    closures::first_day,
    closures::last_day,
    closures::reason,
    closures::closed_from,
    closures::closed_until,
    closures::opening_hours,
);

pub(super) fn closure_of(
    (first, last, reason, closed_from, closed_until, hours): ClosureRow,
) -> StoreResult<crate::domain::hours::Closure> {
    let opening_hours = match hours {
        None => None,
        Some(json) => {
            let days: std::collections::BTreeMap<String, Vec<String>> =
                serde_json::from_str(&json).map_err(|e| StoreError::Corrupt(e.to_string()))?;
            let days = days.iter().map(|(k, r)| (k.as_str(), r.as_slice()));
            let hours = crate::domain::hours::parse_week(days)
                .map_err(|_| StoreError::Corrupt(format!("closure hours {json}")))?;
            Some(hours)
        }
    };
    Ok(crate::domain::hours::Closure {
        first,
        last,
        reason,
        closed_from,
        closed_until,
        opening_hours,
    })
}

/// The errand with this slug if it is offered at the location.
pub fn service_at(
    conn: &mut DbConnection,
    location: LocationId,
    slug: &str,
) -> StoreResult<Option<Service>> {
    Ok(services_at(conn, location)?
        .into_iter()
        .find(|s| s.spec.slug.as_str() == slug))
}

/// The errand's own, shorter hours at a location, when it keeps any.
pub fn service_hours(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<Option<WeeklyHours>> {
    catalogue::cached(conn, Key::ServiceHours(location.0, service.0), |conn| {
        load_service_hours(conn, location, service)
    })
}

fn load_service_hours(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<Option<WeeklyHours>> {
    let rows: Vec<(i32, NaiveTime, NaiveTime)> = opening_hours::table
        .filter(opening_hours::location_id.eq(location.0))
        .filter(opening_hours::service_id.eq(service.0))
        .select((
            opening_hours::weekday,
            opening_hours::opens,
            opening_hours::closes,
        ))
        .load(conn)?;
    if rows.is_empty() {
        return Ok(None);
    }
    let mut hours = WeeklyHours::default();
    for (weekday, opens, closes) in rows {
        let range =
            TimeRange::new(opens, closes).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        hours
            .set_day(weekday_from_db(weekday)?, vec![range])
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
    }
    Ok(Some(hours))
}

/// The capacity rules that take appointments for `service` at a location, and every errand
/// that shares those desks (whose appointments therefore use the same capacity).
pub fn capacity_for(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Vec<crate::domain::slots::CapacityRule>, Vec<ServiceId>)> {
    catalogue::cached(conn, Key::Capacity(location.0, service.0), |conn| {
        load_capacity_for(conn, location, service)
    })
}

fn load_capacity_for(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Vec<crate::domain::slots::CapacityRule>, Vec<ServiceId>)> {
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
        .map(|(weekday, starts, ends, desks)| {
            Ok(crate::domain::slots::CapacityRule {
                weekday: weekday_from_db(weekday)?,
                range: TimeRange::new(starts, ends)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                desks: u32::try_from(desks)
                    .map_err(|_| StoreError::Corrupt(format!("{desks} desks")))?,
            })
        })
        .collect::<StoreResult<Vec<_>>>()?;
    Ok((rules, pool.into_iter().map(ServiceId).collect()))
}

/// A location's slug by its id.
pub fn location_slug(conn: &mut DbConnection, location: LocationId) -> StoreResult<String> {
    catalogue::cached(conn, Key::LocationSlug(location.0), |conn| {
        load_location_slug(conn, location)
    })
}

fn load_location_slug(conn: &mut DbConnection, location: LocationId) -> StoreResult<String> {
    Ok(locations::table
        .find(location.0)
        .select(locations::slug)
        .first(conn)?)
}

/// The location and the errand of an appointment, by id.
pub fn location_and_service(
    conn: &mut DbConnection,
    location: LocationId,
    service: ServiceId,
) -> StoreResult<(Location, Service)> {
    let slug = location_slug(conn, location)?;
    let location = find_location(conn, &slug)?
        .ok_or_else(|| StoreError::Corrupt(format!("location {slug} vanished")))?;
    let service = services_at(conn, location.id)?
        .into_iter()
        .find(|s| s.id == service)
        .ok_or_else(|| {
            StoreError::Corrupt(format!("service {service} is not offered at {slug}"))
        })?;
    Ok((location, service))
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
                rule: crate::domain::slots::CapacityRule {
                    weekday: weekday_from_db(weekday)?,
                    range: TimeRange::new(starts, ends)
                        .map_err(|e| StoreError::Corrupt(e.to_string()))?,
                    desks: u32::try_from(desks)
                        .map_err(|_| StoreError::Corrupt(format!("{desks} desks")))?,
                },
                kind: parse_choice(&kind).map_err(StoreError::Corrupt)?,
                services: services.remove(&id).unwrap_or_default(),
            })
        })
        .collect()
}
