//! The open waiting times that anyone may read (a municipality's website, civic developers):
//! per location and errand the people waiting now and the estimated wait of one who takes
//! a ticket now, and yesterday's median wait per hour — aggregates only, never a ticket.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::app::catalogue;
use crate::domain::booking::Language;
use crate::domain::ids::LocationId;
use crate::domain::organisation::Service;
use crate::domain::queue::{estimated_wait_minutes, local_day};
use crate::domain::wait_times::{median_wait_by_hour, HourMedian};
use crate::error::AppResult;
use crate::store::{organisations, wait_times, DbConnection};

/// One errand's queue now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ServiceWait {
    /// The errand's slug.
    pub service: String,
    /// In the language asked for.
    pub name: String,
    pub waiting: u32,
    /// For one who takes a ticket now; `null` while no desk serving it is open.
    pub estimated_wait_minutes: Option<u32>,
}

/// Yesterday's median wait of the tickets drawn in one local hour.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct HourWait {
    /// The local hour, 0–23.
    pub hour: u32,
    pub median_wait_minutes: f64,
    /// How many called tickets the median is of.
    pub tickets: u32,
}

impl From<HourMedian> for HourWait {
    fn from(m: HourMedian) -> Self {
        Self {
            hour: m.hour,
            median_wait_minutes: m.median_wait_minutes,
            tickets: m.tickets,
        }
    }
}

/// One location's queues.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct LocationWaits {
    /// The location's slug.
    pub location: String,
    pub name: String,
    #[serde(skip)]
    pub timezone: chrono_tz::Tz,
    pub services: Vec<ServiceWait>,
    /// Yesterday (the location's local calendar), per hour with called tickets.
    pub yesterday_median_wait_by_hour: Vec<HourWait>,
}

/// Every location's queues at `generated_at`.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WaitTimes {
    pub generated_at: DateTime<Utc>,
    pub locations: Vec<LocationWaits>,
}

/// One errand's queue at a location now.
#[derive(Debug, Clone)]
pub struct Queue {
    pub service: Service,
    pub waiting: u32,
    /// The open desks that serve the errand.
    pub open_desks: u32,
}

/// The location's queues now: each errand served at a desk (the others have no queue).
pub fn queues(conn: &mut DbConnection, location: LocationId) -> AppResult<Vec<Queue>> {
    let services = organisations::services_at(conn, location)?;
    let desks = organisations::desks_at(conn, location)?;
    let waiting: HashMap<_, _> = wait_times::waiting_by_service(conn, location)?
        .into_iter()
        .collect();
    Ok(services
        .into_iter()
        .filter(|s| s.spec.channel.served_at_desk())
        .map(|service| Queue {
            waiting: waiting.get(&service.id).copied().unwrap_or(0),
            open_desks: desks
                .iter()
                .filter(|d| d.state.calls_tickets() && d.services.contains(&service.spec.slug))
                .count() as u32,
            service,
        })
        .collect())
}

/// The waiting times now, with errands' names in `lang`. Errands served at a desk only:
/// the others have no queue.
pub fn current(
    conn: &mut DbConnection,
    lang: Language,
    now: DateTime<Utc>,
) -> AppResult<WaitTimes> {
    let mut locations = Vec::new();
    for location in catalogue::locations(conn)? {
        let services = queues(conn, location.id)?
            .into_iter()
            .map(|q| ServiceWait {
                service: q.service.spec.slug.to_string(),
                name: q.service.spec.name(lang).to_owned(),
                waiting: q.waiting,
                estimated_wait_minutes: estimated_wait_minutes(
                    q.waiting,
                    f64::from(q.service.spec.duration_minutes),
                    q.open_desks,
                ),
            })
            .collect();
        let yesterday = local_day(now, location.timezone) - Duration::days(1);
        let waits = wait_times::waits_of_day(conn, location.id, yesterday)?;
        locations.push(LocationWaits {
            location: location.slug.to_string(),
            name: location.name,
            timezone: location.timezone,
            services,
            yesterday_median_wait_by_hour: median_wait_by_hour(&waits, location.timezone)
                .into_iter()
                .map(HourWait::from)
                .collect(),
        });
    }
    Ok(WaitTimes {
        generated_at: now,
        locations,
    })
}
