//! Live queue alerts while the day runs: each errand's expected wait is read against its
//! target and its walk-ins of the last hour against the forecast; an alert is raised when
//! either has stayed over for a while and cleared when both have stayed well under (the
//! rule is [`crate::domain::queue_alert`], each location's own settings over the server's).
//! A change is told on the location's event stream (the consoles and the dashboard read the
//! alerts anew), to the webhook endpoints that asked for `queue.alert`, and in `/metrics`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, NaiveDate, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::json;

use crate::app::events::{Events, LocationEvent, QUEUE_ALERT};
use crate::app::message_queue::{self, WebhookNews};
use crate::app::wait_times::{queues, Queue};
use crate::app::{catalogue, desk};
use crate::clock::SharedClock;
use crate::domain::booking::Language;
use crate::domain::forecast::IntervalForecast;
use crate::domain::ids::{LocationId, ServiceId};
use crate::domain::kpi::wait_target_minutes;
use crate::domain::organisation::{Location, StaffUser};
use crate::domain::queue_alert::{
    expected_walk_ins, step, AlertCause, AlertChange, AlertRule, AlertState, Arrivals, Reading,
    SURGE_WINDOW_MINUTES,
};
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
    /// The rule that raised it: `wait` (the expected wait stayed over the target) or `surge`
    /// (walk-ins ran above the forecast).
    #[schema(example = "wait")]
    pub rule: &'static str,
    /// For a surge: the walk-ins of the hour before it was raised.
    pub arrived: Option<u32>,
    /// For a surge: the walk-ins forecast for that hour.
    pub expected_arrivals: Option<u32>,
}

/// Each location's forecast of the day, fitted once a day: the fit reads a year of history,
/// too much to do every reading.
#[derive(Default)]
pub struct Forecasts {
    days: Mutex<HashMap<(LocationId, NaiveDate), DayForecast>>,
}

/// One location's forecast of one day, every errand's intervals.
type DayForecast = Arc<Vec<IntervalForecast>>;

impl Forecasts {
    /// The forecast of `location`'s local day at `now`, fitted on the first call of the day.
    fn of_day(
        &self,
        conn: &mut DbConnection,
        location: &Location,
        now: DateTime<Utc>,
    ) -> AppResult<DayForecast> {
        let day = now.with_timezone(&location.timezone).date_naive();
        let key = (location.id, day);
        if let Some(known) = self.days.lock().expect("forecasts lock").get(&key) {
            return Ok(known.clone());
        }
        let slug = std::slice::from_ref(&location.slug);
        let fitted = Arc::new(crate::app::forecast::forecast(
            conn, slug, day, day, 15, now,
        )?);
        let mut days = self.days.lock().expect("forecasts lock");
        days.retain(|(_, d), _| *d == day);
        days.insert(key, fitted.clone());
        Ok(fitted)
    }
}

/// Each errand's walk-ins over the last hour against its forecast (only errands with a
/// forecast in that hour).
fn arrivals(
    conn: &mut DbConnection,
    forecasts: &Forecasts,
    location: &Location,
    now: DateTime<Utc>,
) -> AppResult<HashMap<ServiceId, Arrivals>> {
    let forecast = forecasts.of_day(conn, location, now)?;
    let since = now - Duration::minutes(SURGE_WINDOW_MINUTES);
    let since_day = since.with_timezone(&location.timezone).date_naive();
    let arrived = queue_alerts::walk_ins(conn, location.id, since_day, since, now)?;
    let mut out = HashMap::new();
    for service in crate::store::organisations::services_at(conn, location.id)? {
        let expected = expected_walk_ins(&forecast, &service.spec.slug, since, now);
        if expected > 0.0 {
            let arrived = arrived.get(&service.id).copied().unwrap_or(0);
            out.insert(service.id, Arrivals { arrived, expected });
        }
    }
    Ok(out)
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

/// Reads every location's queues once at `now`, with `rule` where a location sets nothing
/// of its own; returns the alerts raised and cleared.
pub fn tick(
    pool: &Pool,
    events: &Events,
    rule: AlertRule,
    forecasts: &Forecasts,
    now: DateTime<Utc>,
) -> AppResult<Vec<Changed>> {
    let mut conn = pool.get()?;
    let mut changed = Vec::new();
    for location in catalogue::locations(&mut conn)? {
        let rule = rule.at(location.alerts);
        // Read before the lock: a day's first reading fits the forecast, which takes a while.
        let arrivals = arrivals(&mut conn, forecasts, &location, now)?;
        changed.extend(events.write(&mut conn, |conn| {
            // One reader at a time per location, so two servers never raise one alert twice.
            store::lock_location(conn, location.id)?;
            let changed = read_location(conn, &location, rule, &arrivals, now)?;
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
    arrivals: &HashMap<ServiceId, Arrivals>,
    now: DateTime<Utc>,
) -> AppResult<Vec<Changed>> {
    let mut kept: HashMap<ServiceId, AlertState> =
        queue_alerts::at(conn, location.id)?.into_iter().collect();
    let mut changed = Vec::new();
    for queue in queues(conn, location.id)? {
        let before = kept.remove(&queue.service.id).unwrap_or_default();
        let mut reading = reading(&queue);
        if let Some(a) = arrivals.get(&queue.service.id) {
            reading = reading.with_arrivals(*a);
        }
        let (after, change) = step(rule, before, reading, now);
        if after != before {
            queue_alerts::save(conn, location.id, queue.service.id, &after)?;
        }
        if let Some(change) = change {
            // A cleared alert names the rule that raised it.
            let cause = after.cause.or(before.cause).unwrap_or(AlertCause::Wait);
            tell_webhooks(conn, location, &queue, reading, cause, change, now)?;
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
    cause: AlertCause,
    change: AlertChange,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let service = queue.service.spec.slug.as_str();
    let news = WebhookNews {
        event: WebhookEvent::QueueAlert,
        organisation: location.organisation_id,
        sequence: Some(format!("queue_alert:{}:{service}", location.slug)),
    };
    let mut data = json!({
        "state": change,
        "rule": cause.rule(),
        "location": location.slug.as_str(),
        "service": service,
        "waiting": reading.waiting,
        "expected_wait_minutes": reading.expected_wait_minutes,
        "target_minutes": reading.target_minutes,
        "open_desks": queue.open_desks,
        "at": now.with_timezone(&location.timezone).to_rfc3339_opts(SecondsFormat::Secs, true),
    });
    // The hour's walk-ins as they are now, against what was forecast of them.
    if let Some(a) = reading.arrivals {
        data["arrived"] = json!(a.arrived);
        data["expected_arrivals"] = json!(a.expected.round() as u32);
    }
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
    let raised: HashMap<ServiceId, (DateTime<Utc>, AlertCause)> =
        queue_alerts::at(conn, location.id)?
            .into_iter()
            .filter_map(|(service, state)| {
                let cause = state.cause.unwrap_or(AlertCause::Wait);
                state.raised_at.map(|at| (service, (at, cause)))
            })
            .collect();
    if raised.is_empty() {
        return Ok(Vec::new());
    }
    Ok(queues(conn, location.id)?
        .into_iter()
        .filter_map(|queue| {
            let (raised_at, cause) = *raised.get(&queue.service.id)?;
            let reading = reading(&queue);
            let (arrived, expected_arrivals) = match cause {
                AlertCause::Surge { arrived, expected } => (Some(arrived), Some(expected)),
                AlertCause::Wait => (None, None),
            };
            Some(QueueAlertView {
                service: queue.service.spec.slug.to_string(),
                name: queue.service.spec.name(lang).to_owned(),
                waiting: reading.waiting,
                expected_wait_minutes: reading.expected_wait_minutes,
                target_minutes: reading.target_minutes,
                raised_at,
                rule: cause.rule(),
                arrived,
                expected_arrivals,
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
        .spawn(move || {
            let forecasts = Forecasts::default();
            loop {
            match tick(&pool, &events, rule, &forecasts, clock.now()) {
                Ok(changed) => {
                    for c in changed {
                        tracing::info!(location = %c.location, service = %c.service, change = %c.change, "queue alert");
                    }
                }
                Err(e) => tracing::error!(error = %e, "the queue alerts could not be read"),
            }
            std::thread::sleep(every);
            }
        })
        .expect("starting the queue alerts thread");
}
