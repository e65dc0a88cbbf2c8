//! Live queue alerts while the day runs: each errand's expected wait is read against its
//! target, an alert is raised when it has stayed over for a while and cleared when it has
//! stayed well under (the rule is [`crate::domain::queue_alert`]). A change is told on the
//! location's event stream (the consoles and the dashboard read the alerts anew), to the
//! webhook endpoints that asked for `queue.alert`, and in `/metrics`.

use std::collections::HashMap;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::json;

use crate::app::events::{Events, LocationEvent, QUEUE_ALERT};
use crate::app::message_queue::{self, WebhookNews};
use crate::app::wait_times::{queues, Queue};
use crate::app::{catalogue, desk};
use crate::clock::SharedClock;
use crate::domain::booking::Language;
use crate::domain::ids::ServiceId;
use crate::domain::kpi::wait_target_minutes;
use crate::domain::organisation::{Location, StaffUser};
use crate::domain::queue_alert::{step, AlertChange, AlertRule, AlertState, Reading};
use crate::domain::webhook::WebhookEvent;
use crate::error::AppResult;
use crate::store::{self, queue_alerts, DbConnection, Pool};

/// An alert that stands, with the queue as it is now.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct QueueAlertView {
    /// The errand's slug.
    pub service: String,
    /// In the language asked for.
    pub name: String,
    pub waiting: u32,
    /// For one who takes a ticket now (no desk open counts as one).
    pub expected_wait_minutes: u32,
    pub target_minutes: f64,
    pub raised_at: DateTime<Utc>,
}

/// One errand's reading against its target.
fn reading(queue: &Queue) -> Reading {
    let spec = &queue.service.spec;
    Reading::of(
        queue.waiting,
        f64::from(spec.duration_minutes),
        queue.open_desks,
        wait_target_minutes(spec.booking),
    )
}

/// A raised or cleared alert, as the change that made it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Changed {
    pub location: String,
    pub service: String,
    pub change: AlertChange,
}

/// Reads every location's queues once at `now`; returns the alerts raised and cleared.
pub fn tick(
    pool: &Pool,
    events: &Events,
    rule: AlertRule,
    now: DateTime<Utc>,
) -> AppResult<Vec<Changed>> {
    let mut conn = pool.get()?;
    let mut changed = Vec::new();
    for location in catalogue::locations(&mut conn)? {
        changed.extend(events.write(&mut conn, |conn| {
            // One reader at a time per location, so two servers never raise one alert twice.
            store::lock_location(conn, location.id)?;
            let changed = read_location(conn, &location, rule, now)?;
            let event = (!changed.is_empty()).then(|| LocationEvent {
                location: location.slug.to_string(),
                kind: QUEUE_ALERT,
                number: String::new(),
                service: match changed.as_slice() {
                    [one] => Some(one.service.clone()),
                    _ => None,
                },
                desk: None,
            });
            Ok((changed, event))
        })?);
    }
    Ok(changed)
}

fn read_location(
    conn: &mut DbConnection,
    location: &Location,
    rule: AlertRule,
    now: DateTime<Utc>,
) -> AppResult<Vec<Changed>> {
    let mut kept: HashMap<ServiceId, AlertState> =
        queue_alerts::at(conn, location.id)?.into_iter().collect();
    let mut changed = Vec::new();
    for queue in queues(conn, location.id)? {
        let before = kept.remove(&queue.service.id).unwrap_or_default();
        let reading = reading(&queue);
        let (after, change) = step(rule, before, reading, now);
        if after != before {
            queue_alerts::save(conn, location.id, queue.service.id, &after)?;
        }
        if let Some(change) = change {
            tell_webhooks(conn, location, &queue, reading, change, now)?;
            changed.push(Changed {
                location: location.slug.to_string(),
                service: queue.service.spec.slug.to_string(),
                change,
            });
        }
    }
    // An errand no longer served at a desk has no queue to alert of.
    for (service, _) in kept {
        queue_alerts::save(conn, location.id, service, &AlertState::default())?;
    }
    Ok(changed)
}

/// Queues `queue.alert` for the endpoints that asked, in order per errand and location.
fn tell_webhooks(
    conn: &mut DbConnection,
    location: &Location,
    queue: &Queue,
    reading: Reading,
    change: AlertChange,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let service = queue.service.spec.slug.as_str();
    let news = WebhookNews {
        event: WebhookEvent::QueueAlert,
        organisation: location.organisation_id,
        sequence: Some(format!("queue_alert:{}:{service}", location.slug)),
    };
    let data = json!({
        "state": change,
        "location": location.slug.as_str(),
        "service": service,
        "waiting": reading.waiting,
        "expected_wait_minutes": reading.expected_wait_minutes,
        "target_minutes": reading.target_minutes,
        "open_desks": queue.open_desks,
        "at": now.with_timezone(&location.timezone).to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    message_queue::webhook_event(conn, &news, data, now)?;
    Ok(())
}

/// The alerts standing at a location, for staff who work there, with errands' names in
/// `lang`.
pub fn standing(
    conn: &mut DbConnection,
    staff: &StaffUser,
    location_slug: &str,
    lang: Language,
) -> AppResult<Vec<QueueAlertView>> {
    let location = catalogue::location(conn, location_slug)?;
    desk::may_work_at(conn, staff, location.id)?;
    standing_at(conn, &location, lang)
}

/// The alerts standing at `location`, with the queue as it is now.
pub fn standing_at(
    conn: &mut DbConnection,
    location: &Location,
    lang: Language,
) -> AppResult<Vec<QueueAlertView>> {
    let raised: HashMap<ServiceId, DateTime<Utc>> = queue_alerts::at(conn, location.id)?
        .into_iter()
        .filter_map(|(service, state)| state.raised_at.map(|at| (service, at)))
        .collect();
    if raised.is_empty() {
        return Ok(Vec::new());
    }
    Ok(queues(conn, location.id)?
        .into_iter()
        .filter_map(|queue| {
            let raised_at = *raised.get(&queue.service.id)?;
            let reading = reading(&queue);
            Some(QueueAlertView {
                service: queue.service.spec.slug.to_string(),
                name: queue.service.spec.name(lang).to_owned(),
                waiting: reading.waiting,
                expected_wait_minutes: reading.expected_wait_minutes,
                target_minutes: reading.target_minutes,
                raised_at,
            })
        })
        .collect())
}

/// Runs [`tick`] every `every` until the process ends.
pub fn spawn_worker(
    pool: Pool,
    events: Events,
    clock: SharedClock,
    rule: AlertRule,
    every: std::time::Duration,
) {
    std::thread::Builder::new()
        .name("queue-alerts".into())
        .spawn(move || loop {
            match tick(&pool, &events, rule, clock.now()) {
                Ok(changed) => {
                    for c in changed {
                        tracing::info!(location = %c.location, service = %c.service, change = %c.change, "queue alert");
                    }
                }
                Err(e) => tracing::error!(error = %e, "the queue alerts could not be read"),
            }
            std::thread::sleep(every);
        })
        .expect("starting the queue alerts thread");
}
