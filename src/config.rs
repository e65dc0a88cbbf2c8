//! Settings from the environment, overridden by command-line flags.

use std::path::PathBuf;

use chrono::{DateTime, Utc};
use clap::Args;

use crate::app::event_streams::{self, StreamSettings};
use crate::app::metrics::ScrapeToken;
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

    /// The HTTP SMS gateway's URL for text messages; without it none are sent.
    #[arg(long = "sms-url", env = "SKRANKE_SMS_URL", global = true)]
    pub sms_url: Option<String>,

    /// The SMS gateway's token, sent as `Authorization: Bearer`.
    #[arg(
        long = "sms-token",
        env = "SKRANKE_SMS_TOKEN",
        global = true,
        hide_env_values = true
    )]
    pub sms_token: Option<String>,

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

    #[command(flatten)]
    pub costs: CostSettings,

    /// Days after a visit that citizens' names, e-mails and phone numbers are kept.
    #[arg(
        long = "retention-days",
        env = "SKRANKE_RETENTION_DAYS",
        default_value_t = 90,
        global = true
    )]
    pub retention_days: u32,
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

    /// Minutes an errand's expected wait must stay over its target before the desks are
    /// told to open one more, and back under it before that alert is cleared.
    #[arg(
        long = "alert-after-minutes",
        env = "SKRANKE_ALERT_AFTER_MINUTES",
        default_value_t = crate::domain::queue_alert::DEFAULT_HOLD_MINUTES,
        value_parser = clap::value_parser!(u32).range(1..=240),
        global = true
    )]
    pub alert_after_minutes: u32,

    #[command(flatten)]
    pub events: EventStreamArgs,

    /// The bearer token `/metrics` asks for (16 characters or more); open when unset.
    #[arg(
        long = "metrics-token",
        env = "SKRANKE_METRICS_TOKEN",
        global = true,
        hide_env_values = true,
        value_parser = parse_scrape_token
    )]
    pub metrics_token: Option<ScrapeToken>,

    /// An address and port to serve `/metrics` on, and nowhere else.
    #[arg(long = "metrics-bind", env = "SKRANKE_METRICS_BIND", global = true)]
    pub metrics_bind: Option<String>,

    /// The sites that may embed the call display: a CSP frame-ancestors source list such
    /// as `'self' https://info.kommune.dk`; `'none'` for no one.
    #[arg(
        long = "display-frame-ancestors",
        env = "SKRANKE_DISPLAY_FRAME_ANCESTORS",
        default_value = "'none'",
        global = true,
        value_parser = parse_frame_ancestors
    )]
    pub display_frame_ancestors: String,
}

impl Default for Settings {
    /// The defaults the flags declare, with nothing read from the environment or the
    /// command line: the base that tests change what they need in.
    fn default() -> Self {
        use clap::{Args as _, FromArgMatches as _};
        let command = Self::augment_args(clap::Command::new("skranke")).mut_args(|a| a.env(None));
        let matches = command
            .try_get_matches_from(["skranke"])
            .expect("every setting has a default or is optional");
        Self::from_arg_matches(&matches).expect("the defaults are settings")
    }
}

impl Settings {
    pub fn waitlist(&self) -> crate::app::waitlist_offers::WaitlistSettings {
        crate::app::waitlist_offers::WaitlistSettings {
            hold: chrono::Duration::minutes(i64::from(self.waitlist_hold_minutes)),
        }
    }

    /// When live queue alerts are raised and cleared.
    pub fn alert_rule(&self) -> crate::domain::queue_alert::AlertRule {
        crate::domain::queue_alert::AlertRule {
            hold: chrono::Duration::minutes(i64::from(self.alert_after_minutes)),
            ..Default::default()
        }
    }

    /// What the HTTP edge enforces; `metrics_apart` when `/metrics` has an address of its own.
    pub fn edge(&self) -> crate::app::EdgeSettings {
        crate::app::EdgeSettings {
            metrics_token: self.metrics_token.clone(),
            metrics_apart: self.metrics_bind.is_some(),
            display_frame_ancestors: self.display_frame_ancestors.clone(),
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

/// What one inquiry costs in each channel (kroner), for the KPI report's cost estimate.
#[derive(Debug, Clone, Args)]
pub struct CostSettings {
    #[arg(long = "cost-letter", env = "SKRANKE_COST_LETTER", default_value_t = 110.0, global = true, value_parser = parse_cost)]
    pub letter: f64,
    #[arg(long = "cost-in-person", env = "SKRANKE_COST_IN_PERSON", default_value_t = 80.0, global = true, value_parser = parse_cost)]
    pub in_person: f64,
    #[arg(long = "cost-phone", env = "SKRANKE_COST_PHONE", default_value_t = 40.0, global = true, value_parser = parse_cost)]
    pub phone: f64,
    #[arg(long = "cost-video", env = "SKRANKE_COST_VIDEO", default_value_t = 40.0, global = true, value_parser = parse_cost)]
    pub video: f64,
    #[arg(long = "cost-digital", env = "SKRANKE_COST_DIGITAL", default_value_t = 3.0, global = true, value_parser = parse_cost)]
    pub digital: f64,
}

impl CostSettings {
    pub fn costs(&self) -> crate::domain::kpi::ChannelCosts {
        crate::domain::kpi::ChannelCosts {
            letter: self.letter,
            in_person: self.in_person,
            phone: self.phone,
            video: self.video,
            digital: self.digital,
        }
    }
}

fn parse_cost(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(kr) if kr.is_finite() && kr >= 0.0 => Ok(kr),
        _ => Err(format!("'{raw}' is not an amount of kroner (0 or more)")),
    }
}

/// How the server keeps event streams (see [`StreamSettings`]).
#[derive(Debug, Clone, Args)]
pub struct EventStreamArgs {
    /// Seconds between the heartbeat comments of a quiet event stream (fractions allowed).
    #[arg(
        long = "events-heartbeat-seconds",
        env = "SKRANKE_EVENTS_HEARTBEAT_SECONDS",
        default_value_t = event_streams::DEFAULT_HEARTBEAT_SECONDS,
        value_parser = parse_seconds,
        global = true
    )]
    pub heartbeat_seconds: f64,
    /// Event streams one client address may hold open at once.
    #[arg(
        long = "events-per-client",
        env = "SKRANKE_EVENTS_PER_CLIENT",
        default_value_t = event_streams::DEFAULT_PER_CLIENT,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub per_client: u32,
    /// Event streams the server holds open at once; keep it under the file descriptor limit.
    #[arg(
        long = "events-total",
        env = "SKRANKE_EVENTS_TOTAL",
        default_value_t = event_streams::DEFAULT_TOTAL,
        value_parser = clap::value_parser!(u32).range(1..),
        global = true
    )]
    pub total: u32,
    /// Seconds an event stream lives before the server ends it and the browser reconnects.
    #[arg(
        long = "events-lifetime-seconds",
        env = "SKRANKE_EVENTS_LIFETIME_SECONDS",
        default_value_t = event_streams::DEFAULT_LIFETIME_SECONDS,
        value_parser = parse_seconds,
        global = true
    )]
    pub lifetime_seconds: f64,
}

impl EventStreamArgs {
    pub fn settings(&self) -> StreamSettings {
        StreamSettings {
            heartbeat: std::time::Duration::from_secs_f64(self.heartbeat_seconds),
            per_client: self.per_client,
            total: self.total,
            lifetime: std::time::Duration::from_secs_f64(self.lifetime_seconds),
        }
    }
}

/// Between a hundredth of a second and a week.
fn parse_seconds(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(s) if (0.01..=604_800.0).contains(&s) => Ok(s),
        _ => Err(format!(
            "'{raw}' is not a number of seconds from 0.01 to 604800"
        )),
    }
}

fn parse_scrape_token(raw: &str) -> Result<ScrapeToken, String> {
    let token = raw.trim();
    if token.chars().count() < 16 || token.chars().any(char::is_whitespace) {
        return Err("the metrics token must be 16 characters or more, without spaces".into());
    }
    Ok(ScrapeToken::new(token))
}

/// A CSP source list of `'self'`, `'none'` (alone) and origins such as
/// `https://info.kommune.dk` or `https://*.kommune.dk`; nothing that could end the
/// directive or the header.
fn parse_frame_ancestors(raw: &str) -> Result<String, String> {
    let sources: Vec<&str> = raw.split_whitespace().collect();
    let origin = |s: &str| {
        let rest = s
            .strip_prefix("https://")
            .or_else(|| s.strip_prefix("http://"));
        rest.is_some_and(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '*' | '/'))
        })
    };
    let fine = match sources.as_slice() {
        [] => false,
        ["'none'"] => true,
        many => many.iter().all(|s| *s == "'self'" || origin(s)),
    };
    if fine {
        Ok(sources.join(" "))
    } else {
        Err(format!(
            "'{raw}' is not a frame-ancestors list: give 'none', or 'self' and origins such as https://info.kommune.dk"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_ancestors_are_sources_and_nothing_else() {
        assert_eq!(parse_frame_ancestors("'none'").unwrap(), "'none'");
        assert_eq!(
            parse_frame_ancestors("  'self'   https://info.kommune.dk ").unwrap(),
            "'self' https://info.kommune.dk"
        );
        for bad in [
            "",
            "'none' 'self'",
            "https://a.dk; script-src *",
            "https://a.dk,https://b.dk",
            "*",
            "javascript:x",
            "'unsafe-inline'",
        ] {
            assert!(parse_frame_ancestors(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn a_short_metrics_token_is_refused() {
        assert!(parse_scrape_token("kort").is_err());
        assert!(parse_scrape_token("en lang men med mellemrum").is_err());
        assert!(parse_scrape_token("en-lang-nok-token-123").is_ok());
    }
}
