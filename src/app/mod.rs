//! Use cases: each opens what it needs of the store, applies the domain's rules and
//! returns what happened. Nothing here knows HTTP.

pub mod admin;
pub mod appointment_mail;
pub mod appointment_sms;
pub mod audit;
pub mod auth;
pub mod booking;
pub mod booking_limit;
pub mod booking_once;
pub mod calendar;
pub mod capacity;
pub mod capacity_edit;
pub mod catalogue;
pub mod closures;
pub mod demo;
pub mod desk;
pub mod desk_admin;
pub mod errand_edit;
pub mod event_streams;
pub mod events;
pub mod feedback;
pub mod feedback_mail;
pub mod forecast;
pub mod interpreter_tasks;
pub mod kiosk;
pub mod kpi;
pub mod location_edit;
pub mod mail_html;
pub mod mailer;
pub mod message_queue;
pub mod metrics;
pub mod organisation;
pub mod outbox;
pub mod password_links;
pub mod password_mail;
pub mod plan;
pub mod qr;
pub mod queue_alerts;
pub mod queue_visits;
pub mod retention;
pub mod rosters;
pub mod sms_gateway;
pub mod staff_accounts;
pub mod ticket_status;
pub mod tickets;
pub mod transport;
pub mod visit;
pub mod wait_times;
pub mod waitlist;
pub mod waitlist_mail;
pub mod waitlist_offers;
pub mod webhook_sender;
pub mod webhooks;
pub mod whatif;

use std::net::IpAddr;
use std::sync::Arc;

use crate::clock::SharedClock;
use crate::error::{AppError, AppResult};
use crate::store::Pool;

/// What every use case may reach: the database, the clock and the public base URL.
#[derive(Clone, Debug)]
pub struct AppState {
    pub pool: Pool,
    pub clock: SharedClock,
    /// The base of links in mails and QR codes, without a trailing slash.
    pub public_base: String,
    pub limits: Arc<Limits>,
    pub events: events::Events,
    /// What one inquiry costs per channel, for the KPI report.
    pub costs: crate::domain::kpi::ChannelCosts,
    /// This server's Prometheus registry.
    pub metrics: metrics::Metrics,
    pub waitlist: waitlist_offers::WaitlistSettings,
    /// The open event streams and their caps.
    pub streams: Arc<event_streams::EventStreams>,
    pub edge: EdgeSettings,
}

/// What the HTTP edge enforces beyond the use cases.
#[derive(Clone, Debug)]
pub struct EdgeSettings {
    /// The bearer token `/metrics` asks for; `None` leaves it open.
    pub metrics_token: Option<metrics::ScrapeToken>,
    /// Whether `/metrics` is served on an address of its own, and so not with the rest.
    pub metrics_apart: bool,
    /// The CSP `frame-ancestors` sources of the call display: who may embed it.
    pub display_frame_ancestors: String,
}

impl Default for EdgeSettings {
    fn default() -> Self {
        Self {
            metrics_token: None,
            metrics_apart: false,
            display_frame_ancestors: "'none'".into(),
        }
    }
}

impl AppState {
    pub fn new(pool: Pool, clock: SharedClock, public_base: String) -> Self {
        let metrics = metrics::Metrics::default();
        Self {
            pool,
            clock,
            public_base,
            limits: Arc::new(Limits::default()),
            events: events::Events::default(),
            costs: crate::domain::kpi::ChannelCosts::default(),
            streams: Arc::new(event_streams::EventStreams::new(
                event_streams::StreamSettings::default(),
                metrics.event_streams(),
            )),
            metrics,
            waitlist: waitlist_offers::WaitlistSettings::default(),
            edge: EdgeSettings::default(),
        }
    }

    /// The heartbeat, caps and lifetime of event streams.
    pub fn with_event_streams(mut self, settings: event_streams::StreamSettings) -> Self {
        self.streams = Arc::new(event_streams::EventStreams::new(
            settings,
            self.metrics.event_streams(),
        ));
        self
    }

    /// Who may read `/metrics` and embed the call display.
    pub fn with_edge(mut self, edge: EdgeSettings) -> Self {
        self.edge = edge;
        self
    }

    /// The per-channel costs the KPI report prices inquiries at.
    pub fn with_costs(mut self, costs: crate::domain::kpi::ChannelCosts) -> Self {
        self.costs = costs;
        self
    }

    /// Booking and waitlist requests allowed per client address and per e-mail address
    /// each minute; 0 turns the limits off.
    pub fn with_booking_limit(mut self, per_minute: u32) -> Self {
        self.limits = Arc::new(Limits::new(per_minute));
        self
    }

    pub fn with_waitlist(mut self, settings: waitlist_offers::WaitlistSettings) -> Self {
        self.waitlist = settings;
        self
    }

    /// Live events through the database when it is PostgreSQL, so that every server
    /// process on it streams every event; SQLite keeps them in this process.
    pub fn relay_events(mut self, url: &crate::store::DatabaseUrl) -> AppResult<Self> {
        if let crate::store::DatabaseUrl::Postgres(url) = url {
            self.events = events::Events::relayed(url)
                .map_err(|e| AppError::Internal(format!("listening for events: {e}")))?;
        }
        Ok(self)
    }
}

/// The rate limits of this server instance. Sign-ins are limited by the database
/// (`auth::login`), so that every instance on it counts the same failures.
#[derive(Debug)]
pub struct Limits {
    /// Bookings and waitlist sign-ups, per client address and per e-mail; `None` when off.
    pub booking: Option<booking_limit::BookingLimit>,
}

impl Default for Limits {
    fn default() -> Self {
        Self::new(booking_limit::DEFAULT_PER_MINUTE)
    }
}

impl Limits {
    /// `booking_per_minute` bookings (0: no booking limit).
    pub fn new(booking_per_minute: u32) -> Self {
        Self {
            booking: booking_limit::BookingLimit::per_minute(booking_per_minute),
        }
    }

    /// Counts one booking or waitlist request from `from` for `email`.
    pub fn check_booking(
        &self,
        from: Option<IpAddr>,
        email: &str,
        now: chrono::DateTime<chrono::Utc>,
    ) -> AppResult<()> {
        match &self.booking {
            Some(limit) => limit.check(from, email, now),
            None => Ok(()),
        }
    }
}
