//! The server's Prometheus metrics. Each [`AppState`](super::AppState) has its own
//! registry, so several servers in one process (tests) never mix their figures.
//!
//! Queue lengths, open desks, tickets, bookings, cancellations and mail are read from the
//! database at each scrape, so every instance behind a load balancer reports the same
//! truth and a restart loses nothing. Waits and HTTP requests are what this instance saw.

use prometheus::{
    Encoder, HistogramOpts, HistogramVec, IntCounterVec, IntGauge, IntGaugeVec, Opts, Registry,
    TextEncoder,
};

use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::domain::message_kind::MessageKind;
use crate::error::{AppError, AppResult};
use crate::store::metrics::{snapshot, PerLocation};
use crate::store::DbConnection;

/// Bucket bounds of the wait histogram, in seconds: around the 2- and 4-minute targets,
/// then up to the long waits of a passport season.
const WAIT_BUCKETS: &[f64] = &[
    30.0, 60.0, 120.0, 240.0, 300.0, 600.0, 900.0, 1200.0, 1800.0, 3600.0,
];

#[derive(Clone)]
pub struct Metrics {
    registry: Registry,
    http_requests: IntCounterVec,
    waits: HistogramVec,
    waiting: IntGaugeVec,
    open_desks: IntGaugeVec,
    tickets: IntCounterVec,
    bookings: IntCounterVec,
    cancellations: IntCounterVec,
    mail_queued: IntGauge,
    mail_failed: IntGauge,
    messages_queued: IntGaugeVec,
    messages_failed: IntGaugeVec,
    event_streams: IntGauge,
    queue_alerts: IntGaugeVec,
    /// One scrape at a time, so two never add the same new rows to a counter.
    scrape: std::sync::Arc<std::sync::Mutex<()>>,
}

fn register<T: prometheus::core::Collector + Clone + 'static>(registry: &Registry, c: T) -> T {
    registry
        .register(Box::new(c.clone()))
        .expect("metric names are unique");
    c
}

impl Default for Metrics {
    fn default() -> Self {
        let registry = Registry::new();
        let per_location = |name: &str, help: &str| {
            IntGaugeVec::new(Opts::new(name, help), &["location"]).expect("valid metric")
        };
        let counter = |name: &str, help: &str| {
            IntCounterVec::new(Opts::new(name, help), &["location"]).expect("valid metric")
        };
        Self {
            http_requests: register(
                &registry,
                IntCounterVec::new(
                    Opts::new(
                        "skranke_http_requests_total",
                        "HTTP requests by route pattern and status",
                    ),
                    &["method", "route", "status"],
                )
                .expect("valid metric"),
            ),
            waits: register(
                &registry,
                HistogramVec::new(
                    HistogramOpts::new(
                        "skranke_wait_seconds",
                        "Time from taking a ticket to being called, per call",
                    )
                    .buckets(WAIT_BUCKETS.to_vec()),
                    &["location"],
                )
                .expect("valid metric"),
            ),
            waiting: register(
                &registry,
                per_location("skranke_queue_waiting", "Tickets waiting now"),
            ),
            open_desks: register(
                &registry,
                per_location("skranke_desks_open", "Desks open now"),
            ),
            tickets: register(
                &registry,
                counter("skranke_tickets_issued_total", "Tickets issued"),
            ),
            bookings: register(
                &registry,
                counter("skranke_bookings_total", "Appointments booked"),
            ),
            cancellations: register(
                &registry,
                counter("skranke_cancellations_total", "Appointments cancelled"),
            ),
            mail_queued: register(
                &registry,
                IntGauge::new("skranke_mail_queued", "Mails waiting to be sent")
                    .expect("valid metric"),
            ),
            mail_failed: register(
                &registry,
                IntGauge::new(
                    "skranke_mail_failed",
                    "Mails not sent that failed at least once",
                )
                .expect("valid metric"),
            ),
            messages_queued: register(
                &registry,
                IntGaugeVec::new(
                    Opts::new(
                        "skranke_messages_queued",
                        "Outgoing messages waiting to be sent, per kind (mail, sms, webhook)",
                    ),
                    &["kind"],
                )
                .expect("valid metric"),
            ),
            messages_failed: register(
                &registry,
                IntGaugeVec::new(
                    Opts::new(
                        "skranke_messages_failed",
                        "Outgoing messages not sent that failed at least once, per kind",
                    ),
                    &["kind"],
                )
                .expect("valid metric"),
            ),
            event_streams: register(
                &registry,
                IntGauge::new(
                    "skranke_event_streams_open",
                    "Event streams this server holds open",
                )
                .expect("valid metric"),
            ),
            queue_alerts: register(
                &registry,
                IntGaugeVec::new(
                    Opts::new(
                        "skranke_queue_alert",
                        "1 while a live alert says an errand's expected wait is over its target",
                    ),
                    &["location", "service"],
                )
                .expect("valid metric"),
            ),
            registry,
            scrape: Default::default(),
        }
    }
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Metrics")
    }
}

impl Metrics {
    /// The gauge of open event streams, which the streams keep current themselves.
    pub fn event_streams(&self) -> IntGauge {
        self.event_streams.clone()
    }

    /// Counts one answered request under its route pattern, never its concrete path.
    pub fn request(&self, method: &str, route: &str, status: u16) {
        let status = status.to_string();
        self.http_requests
            .with_label_values(&[method, route, status.as_str()])
            .inc();
    }

    /// Records the wait of a ticket just called.
    pub fn called(&self, location: &str, waited: chrono::Duration) {
        let seconds = waited.num_milliseconds().max(0) as f64 / 1000.0;
        self.waits.with_label_values(&[location]).observe(seconds);
    }

    /// Reads the database's figures into the registry and writes the text format.
    pub fn render(&self, conn: &mut DbConnection) -> AppResult<String> {
        let _one = self.scrape.lock().expect("metrics lock");
        let now = snapshot(conn)?;
        set_gauges(&self.waiting, &now.waiting);
        set_gauges(&self.open_desks, &now.open_desks);
        catch_up(&self.tickets, &now.tickets);
        catch_up(&self.bookings, &now.bookings);
        catch_up(&self.cancellations, &now.cancellations);
        for (all, mail, per_kind) in [
            (&self.messages_queued, &self.mail_queued, &now.queued),
            (&self.messages_failed, &self.mail_failed, &now.failed),
        ] {
            for &(kind, n) in per_kind {
                let name: &'static str = kind.into();
                all.with_label_values(&[name]).set(n);
                if kind == MessageKind::Mail {
                    mail.set(n);
                }
            }
        }
        // A cleared alert leaves the figures: only those standing are 1.
        self.queue_alerts.reset();
        for (location, service) in &now.alerts {
            self.queue_alerts
                .with_label_values(&[location.as_str(), service.as_str()])
                .set(1);
        }
        let mut out = Vec::new();
        TextEncoder::new()
            .encode(&self.registry.gather(), &mut out)
            .map_err(|e| AppError::Internal(format!("encoding metrics: {e}")))?;
        String::from_utf8(out).map_err(|e| AppError::Internal(format!("metrics text: {e}")))
    }
}

/// Gauges are set afresh; a location with nothing left reads 0, not its last value.
fn set_gauges(gauges: &IntGaugeVec, now: &PerLocation) {
    gauges.reset();
    for (location, n) in now {
        gauges.with_label_values(&[location]).set(*n);
    }
}

/// The database's totals only grow (rows are never deleted, retention blanks them), so a
/// counter follows them by adding what is new since the last scrape.
fn catch_up(counters: &IntCounterVec, now: &PerLocation) {
    for (location, n) in now {
        let counter = counters.with_label_values(&[location]);
        let new = u64::try_from(*n).unwrap_or(0);
        if new > counter.get() {
            counter.inc_by(new - counter.get());
        }
    }
}

/// The token a scraper must send for `/metrics` (`SKRANKE_METRICS_TOKEN`). Only its digest
/// is kept, and a token is compared by digest in constant time, so neither the time an
/// answer takes nor its length tells a guesser how close it came.
#[derive(Clone)]
pub struct ScrapeToken([u8; 32]);

impl ScrapeToken {
    pub fn new(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    pub fn matches(&self, given: &str) -> bool {
        let given: [u8; 32] = Sha256::digest(given.as_bytes()).into();
        self.0.ct_eq(&given).into()
    }
}

impl std::fmt::Debug for ScrapeToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ScrapeToken(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::ScrapeToken;

    #[test]
    fn a_scrape_token_matches_itself_only() {
        let token = ScrapeToken::new("a-long-scrape-token-1234");
        assert!(token.matches("a-long-scrape-token-1234"));
        assert!(!token.matches("a-long-scrape-token-1235"));
        assert!(!token.matches(""));
        assert!(!format!("{token:?}").contains("scrape"));
    }
}
