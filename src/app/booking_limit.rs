//! The rate limit on bookings and waitlist sign-ups: per client address, against a bot
//! hoarding times, and per e-mail address, against one citizen's address being used from
//! many places. The e-mail address is kept only as a hash, in memory, and never logged.

use std::net::IpAddr;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};

use crate::domain::rate_limit::RateLimit;
use crate::error::{AppError, AppResult};
use crate::messages::{Arg, Said};

/// Requests per minute when `SKRANKE_RATE_LIMIT_PER_MINUTE` is not set.
pub const DEFAULT_PER_MINUTE: u32 = 10;

#[derive(Debug)]
pub struct BookingLimit {
    by_address: Mutex<RateLimit<IpAddr>>,
    by_email: Mutex<RateLimit<String>>,
}

impl BookingLimit {
    /// `None` for 0: no limit (load tests behind one address).
    pub fn per_minute(limit: u32) -> Option<Self> {
        (limit > 0).then(|| Self {
            by_address: Mutex::new(RateLimit::new(limit, Duration::minutes(1))),
            by_email: Mutex::new(RateLimit::new(limit, Duration::minutes(1))),
        })
    }

    /// Counts one request; both keys are counted, so a refusal by one still uses up the other.
    pub fn check(&self, from: Option<IpAddr>, email: &str, now: DateTime<Utc>) -> AppResult<()> {
        let by_address = match from {
            Some(ip) => self
                .by_address
                .lock()
                .expect("rate limit lock")
                .check(ip, now),
            None => Ok(()),
        };
        let key = crate::app::auth::token_hash(&email.trim().to_lowercase());
        let by_email = self
            .by_email
            .lock()
            .expect("rate limit lock")
            .check(key, now);
        let refused = |wait: Duration, whom: &str| {
            let seconds = wait.num_seconds().max(1);
            AppError::rate_limited(
                format!(
                    "too many bookings from {whom} in a minute; try again in {seconds} seconds"
                ),
                u64::try_from(seconds).unwrap_or(1),
            )
            .saying(Said::with(
                "refusal.too_many_bookings_now",
                vec![("seconds", Arg::Plain(seconds.to_string()))],
            ))
        };
        by_address.map_err(|wait| refused(wait, "this address"))?;
        by_email.map_err(|wait| refused(wait, "this e-mail address"))
    }
}
