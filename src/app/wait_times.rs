//! The open waiting times that anyone may read (a municipality's website, civic developers):
//! per location and errand the people waiting now and the estimated wait of one who takes
//! a ticket now, and yesterday's median wait per hour — aggregates only, never a ticket.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::app::catalogue;
use crate::domain::booking::Language;
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

/// The waiting times now, with errands' names in `lang`. Errands served at a desk only:
/// the others have no queue.
pub fn current(
    conn: &mut DbConnection,
    lang: Language,
    now: DateTime<Utc>,
) -> AppResult<WaitTimes> {
    let mut locations = Vec::new();
    for location in catalogue::locations(conn)? {
        let services = organisations::services_at(conn, location.id)?;
        let desks = organisations::desks_at(conn, location.id)?;
        let waiting: HashMap<_, _> = wait_times::waiting_by_service(conn, location.id)?
            .into_iter()
            .collect();
        let services = services
            .iter()
            .filter(|s| s.spec.channel.served_at_desk())
            .map(|s| {
                let waiting = waiting.get(&s.id).copied().unwrap_or(0);
                let open = desks
                    .iter()
                    .filter(|d| d.state.calls_tickets() && d.services.contains(&s.spec.slug))
                    .count() as u32;
                ServiceWait {
                    service: s.spec.slug.to_string(),
                    name: s.spec.name(lang).to_owned(),
                    waiting,
                    estimated_wait_minutes: estimated_wait_minutes(
                        waiting,
                        f64::from(s.spec.duration_minutes),
                        open,
                    ),
                }
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
