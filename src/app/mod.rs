//! Use cases: each opens what it needs of the store, applies the domain's rules and
//! returns what happened. Nothing here knows HTTP.

pub mod auth;
pub mod booking;
pub mod calendar;
pub mod catalogue;
pub mod demo;
pub mod desk;
pub mod events;
pub mod forecast;
pub mod kiosk;
pub mod mail;
pub mod organisation;
pub mod plan;
pub mod plan_report;
pub mod qr;
pub mod rosters;
pub mod tickets;

use std::net::IpAddr;
use std::sync::{Arc, Mutex};

use chrono::Duration;

use crate::clock::SharedClock;
use crate::domain::rate_limit::RateLimit;
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
}

impl AppState {
    pub fn new(pool: Pool, clock: SharedClock, public_base: String) -> Self {
        Self {
            pool,
            clock,
            public_base,
            limits: Arc::new(Limits::default()),
            events: events::Events::default(),
        }
    }

    /// Live events through the database when it is PostgreSQL, so that every server
    /// process on it streams every event; SQLite keeps them in this process.
    pub fn relay_events(mut self, url: &crate::store::DatabaseUrl) -> AppResult<Self> {
        if let crate::store::DatabaseUrl::Postgres(url) = url {
            self.events = events::Events::relayed(self.pool.clone(), url)
                .map_err(|e| AppError::Internal(format!("listening for events: {e}")))?;
        }
        Ok(self)
    }
}

/// The rate limits of this server instance.
#[derive(Debug)]
pub struct Limits {
    /// Sign-in attempts per client address: enough for typing errors, too few for guessing.
    pub login: Mutex<RateLimit<IpAddr>>,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            login: Mutex::new(RateLimit::new(10, Duration::minutes(5))),
        }
    }
}

impl Limits {
    pub fn check_login(&self, from: IpAddr, now: chrono::DateTime<chrono::Utc>) -> AppResult<()> {
        let mut limit = self.login.lock().expect("rate limit lock");
        limit.check(from, now).map_err(|wait| {
            AppError::RateLimited(format!(
                "too many sign-in attempts; try again in {} seconds",
                wait.num_seconds().max(1)
            ))
        })
    }
}
