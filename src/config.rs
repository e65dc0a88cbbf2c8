//! Settings from the environment, overridden by command-line flags.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;

use crate::store::DatabaseUrl;

/// Everything a Skranke server needs to know about its surroundings.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    /// SQLite file path (or sqlite://PATH), or a postgres:// URL.
    #[arg(
        long = "database-url",
        env = "SKRANKE_DATABASE_URL",
        default_value = "skranke.db",
        global = true
    )]
    pub database_url: String,

    /// Address and port to listen on.
    #[arg(
        long,
        env = "SKRANKE_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: String,

    /// Base of the links in mails and QR codes (defaults to http://BIND).
    #[arg(long = "public-url", env = "SKRANKE_PUBLIC_URL", global = true)]
    pub public_url: Option<url::Url>,

    /// smtp://user:pass@host:port for outgoing mail; without it mail is written to files.
    #[arg(
        long = "smtp-url",
        env = "SKRANKE_SMTP_URL",
        global = true,
        hide_env_values = true
    )]
    pub smtp_url: Option<String>,

    /// Where mail is written as .eml files when there is no SMTP server.
    #[arg(
        long = "mail-dir",
        env = "SKRANKE_MAIL_DIR",
        default_value = "mail",
        global = true
    )]
    pub mail_dir: PathBuf,

    /// Password of the demo's staff users (random, and printed, when unset).
    #[arg(
        long = "demo-password",
        env = "SKRANKE_DEMO_PASSWORD",
        global = true,
        hide_env_values = true
    )]
    pub demo_password: Option<String>,

    /// The instant the server's clock starts from (RFC 3339), for demos, training and tests.
    #[arg(long, env = "SKRANKE_NOW", global = true, value_parser = parse_instant)]
    pub now: Option<DateTime<Utc>>,

    /// Database connections in the pool.
    #[arg(
        long = "db-pool-size",
        env = "SKRANKE_DB_POOL_SIZE",
        default_value_t = 10,
        global = true
    )]
    pub db_pool_size: u32,

    /// Bookings and waitlist sign-ups allowed per client address and per e-mail address
    /// each minute; 0 turns the limit off (load tests behind one address).
    #[arg(
        long = "rate-limit-per-minute",
        env = "SKRANKE_RATE_LIMIT_PER_MINUTE",
        default_value_t = crate::app::booking_limit::DEFAULT_PER_MINUTE,
        global = true
    )]
    pub rate_limit_per_minute: u32,

    /// Minutes a freed time is held for the first on the waitlist before it goes on.
    #[arg(
        long = "waitlist-hold-minutes",
        env = "SKRANKE_WAITLIST_HOLD_MINUTES",
        default_value_t = crate::domain::waitlist::DEFAULT_HOLD_MINUTES,
        value_parser = clap::value_parser!(u32).range(1..=10_080),
        global = true
    )]
    pub waitlist_hold_minutes: u32,
}

impl Settings {
    pub fn waitlist(&self) -> crate::app::waitlist::WaitlistSettings {
        crate::app::waitlist::WaitlistSettings {
            hold: chrono::Duration::minutes(i64::from(self.waitlist_hold_minutes)),
        }
    }

    pub fn database(&self) -> DatabaseUrl {
        DatabaseUrl::parse(&self.database_url)
    }

    /// The public base URL, ending without a slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.as_str().trim_end_matches('/').to_owned(),
            None => format!("http://{}", self.bind),
        }
    }
}

fn parse_instant(raw: &str) -> Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(raw)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| format!("'{raw}' is not an RFC 3339 instant like 2027-03-29T08:00:00Z: {e}"))
}
