//! The errands: what each is called, how long it takes, how it is booked, and where it is
//! offered.

use diesel::prelude::*;

use crate::domain::booking::VisitRules;
use crate::domain::ids::{LocationId, OrganisationId, ServiceId};
use crate::domain::organisation::{parse_choice, Service, ServiceSpec};
use crate::domain::reminder_channels::ReminderChannels;
use crate::domain::Slug;
use crate::store::catalogue::{self, Key};
use crate::store::schema::{departments, location_services, services};
use crate::store::{DbConnection, StoreError, StoreResult};

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
