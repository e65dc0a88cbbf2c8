//! Webhooks' rules: the events an endpoint may ask for, which URLs may receive them (https,
//! or plain http only on the machine itself), how a delivery is signed (the Standard
//! Webhooks scheme) and how long a failing delivery is tried again.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use strum::VariantArray as _;

/// A registered endpoint.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    serde::Serialize,
    serde::Deserialize,
    derive_more::Display,
)]
#[serde(transparent)]
pub struct WebhookId(pub i64);

impl From<WebhookId> for super::outbox::Owner {
    /// An endpoint owns its deliveries: they stop when it is deleted.
    fn from(id: WebhookId) -> Self {
        Self {
            kind: super::outbox::OwnerKind::Webhook,
            id: id.0,
        }
    }
}

/// How an endpoint's deliveries go, as its administrator sees them.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
    serde::Serialize,
)]
#[strum(serialize_all = "snake_case")]
#[serde(rename_all = "snake_case")]
pub enum DeliveryState {
    /// Nothing has failed since the last delivery went.
    Active,
    /// The last attempt failed; it is tried again.
    Retrying,
    /// A delivery was given up after a day of attempts.
    Failed,
}

/// The events an endpoint asks for: at least one, each known, none twice.
pub fn parse_events<S: AsRef<str>>(names: &[S]) -> Result<Vec<WebhookEvent>, String> {
    if names.is_empty() {
        return Err("name at least one event".into());
    }
    let mut events = Vec::new();
    for name in names {
        let name = name.as_ref().trim();
        let event = name.parse::<WebhookEvent>().map_err(|_| {
            let known: Vec<&str> = WebhookEvent::VARIANTS.iter().map(|e| e.into()).collect();
            format!(
                "'{name}' is not an event; the events are {}",
                known.join(", ")
            )
        })?;
        if !events.contains(&event) {
            events.push(event);
        }
    }
    Ok(events)
}

/// What an endpoint can be told of.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    strum::EnumString,
    strum::IntoStaticStr,
    strum::Display,
    strum::VariantArray,
)]
pub enum WebhookEvent {
    #[strum(serialize = "appointment.booked")]
    AppointmentBooked,
    #[strum(serialize = "appointment.moved")]
    AppointmentMoved,
    #[strum(serialize = "appointment.cancelled")]
    AppointmentCancelled,
    #[strum(serialize = "visit.checked_in")]
    VisitCheckedIn,
    #[strum(serialize = "ticket.issued")]
    TicketIssued,
    #[strum(serialize = "ticket.called")]
    TicketCalled,
    #[strum(serialize = "ticket.finished")]
    TicketFinished,
    #[strum(serialize = "waitlist.offered")]
    WaitlistOffered,
    #[strum(serialize = "roster.published")]
    RosterPublished,
    #[strum(serialize = "queue.alert")]
    QueueAlert,
}

/// How long a delivery that keeps failing is tried again before it is given up.
pub const RETRY_FOR: Duration = Duration::hours(24);

/// When a delivery queued at `queued` that failed after `attempts` earlier attempts is
/// tried again: after a growing wait (as every message), until [`RETRY_FOR`] has passed
/// since it was queued; never after a permanent refusal.
pub fn retry_at(
    attempts: i32,
    permanent: bool,
    queued: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Option<DateTime<Utc>> {
    let next = now + super::outbox::retry_delay(attempts);
    (!permanent && next <= queued + RETRY_FOR).then_some(next)
}

/// An endpoint's address: https, or http on a loopback address (a receiver on the same
/// machine, as in tests and behind a local proxy).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointUrl(url::Url);

impl EndpointUrl {
    pub fn parse(raw: &str) -> Result<Self, String> {
        let url = url::Url::parse(raw.trim()).map_err(|e| format!("not a URL: {e}"))?;
        let loopback = match url.host() {
            Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
            Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
            Some(url::Host::Domain(name)) => name.eq_ignore_ascii_case("localhost"),
            None => false,
        };
        match url.scheme() {
            "https" if url.host().is_some() => Ok(Self(url)),
            "http" if loopback => Ok(Self(url)),
            _ => Err("give an https URL (plain http only to this machine's loopback)".into()),
        }
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }
}

/// The `webhook-signature` header for a delivery: `v1,` and the base64 HMAC-SHA256 of
/// `id.timestamp.body`. A secret written the Standard Webhooks way (`whsec_` and base64)
/// is keyed by the bytes it encodes, so their libraries verify it; any other by its UTF-8.
pub fn signature(secret: &str, id: &str, timestamp: i64, body: &str) -> String {
    let key = secret
        .strip_prefix("whsec_")
        .and_then(|encoded| STANDARD.decode(encoded).ok())
        .unwrap_or_else(|| secret.as_bytes().to_vec());
    let mut mac = Hmac::<sha2_hmac::Sha256>::new_from_slice(&key).expect("any key length");
    mac.update(format!("{id}.{timestamp}.{body}").as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

/// A secret long enough to sign with.
pub fn check_secret(secret: &str) -> Result<(), String> {
    if secret.chars().count() < 24 {
        return Err("give a secret of at least 24 characters".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signatures_match_the_standard_webhooks_example() {
        // The example of the Standard Webhooks specification and its libraries' tests.
        let signed = signature(
            "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw",
            "msg_p5jXN8AQM9LWM0D4loKWxJek",
            1614265330,
            r#"{"test": 2432232314}"#,
        );
        assert_eq!(signed, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
        let plain = signature("en-hemmelighed-paa-24-tegn", "m1", 1, "{}");
        assert_ne!(
            plain,
            signature("en-hemmelighed-paa-24-tegx", "m1", 1, "{}")
        );
        assert_ne!(
            plain,
            signature("en-hemmelighed-paa-24-tegn", "m1", 2, "{}")
        );
    }

    #[test]
    fn only_https_or_loopback_receives() {
        for ok in [
            "https://crm.kommune.dk/hooks/skranke",
            "http://127.0.0.1:9000/hook",
            "http://[::1]:9000/hook",
            "http://localhost/hook",
        ] {
            assert!(EndpointUrl::parse(ok).is_ok(), "{ok}");
        }
        for wrong in [
            "http://crm.kommune.dk/hook",
            "http://10.0.0.5/hook",
            "ftp://127.0.0.1/x",
            "crm.kommune.dk",
        ] {
            assert!(EndpointUrl::parse(wrong).is_err(), "{wrong}");
        }
    }

    #[test]
    fn events_are_named_as_the_api_says() {
        let names: Vec<&str> = WebhookEvent::VARIANTS.iter().map(|e| e.into()).collect();
        assert!(names.contains(&"appointment.booked"));
        assert_eq!(
            "ticket.called".parse::<WebhookEvent>(),
            Ok(WebhookEvent::TicketCalled)
        );
        assert!("ticket.lost".parse::<WebhookEvent>().is_err());
        assert_eq!(
            parse_events(&["ticket.called", "ticket.called"]),
            Ok(vec![WebhookEvent::TicketCalled])
        );
        assert!(parse_events(&["ticket.lost"])
            .unwrap_err()
            .contains("ticket.lost"));
        assert!(parse_events::<&str>(&[]).is_err());
    }

    #[test]
    fn failing_deliveries_are_tried_for_a_day_then_given_up() {
        let queued: DateTime<Utc> = "2027-03-29T08:00:00Z".parse().unwrap();
        assert_eq!(
            retry_at(0, false, queued, queued),
            Some(queued + Duration::minutes(1))
        );
        let late = queued + Duration::hours(23) + Duration::minutes(30);
        assert_eq!(
            retry_at(12, false, queued, late),
            None,
            "an hour on is past the day"
        );
        assert!(retry_at(12, false, queued, queued + Duration::hours(22)).is_some());
        assert_eq!(retry_at(0, true, queued, queued), None);
        assert!(check_secret("kort").is_err());
        assert!(check_secret("en-hemmelighed-paa-24-tegn").is_ok());
    }
}
