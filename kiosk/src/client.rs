//! The kiosk's side of the Skranke server's HTTP API: taking a ticket at the door and
//! looking up the names that go on its print.
//!
//! The server's answers that are not a ticket (done online, needs a booking, closed,
//! unknown location) are not failures of the kiosk: they become a [`Refusal`], whose
//! message is written for the citizen in front of the screen.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};
use serde_json::json;
use thiserror::Error;
use url::Url;

use crate::config::Language;

/// Connecting must be quick: a citizen is waiting at the screen, and a server that does
/// not answer within seconds is as good as down.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(3);
/// Taking a ticket is one small transaction on the server.
pub const READ_TIMEOUT: Duration = Duration::from_secs(5);

/// A logo is a small picture; anything larger is not shown.
pub const MAX_PICTURE: u64 = 1 << 20;

/// A ticket the server issued (`201` from `POST /api/v1/tickets`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Issued {
    pub id: String,
    pub number: String,
    pub location: String,
    pub service: String,
    /// RFC 3339 with the location's UTC offset, so its clock time is already local.
    pub issued_at: String,
    /// People ahead; `None` when the server does not know.
    pub position: Option<u32>,
    /// `None` while no desk is open for the errand.
    pub estimated_wait_minutes: Option<u32>,
    pub status_url: String,
    /// Every errand of the visit, the one it waits for first.
    #[serde(default)]
    pub services: Vec<Errand>,
}

/// One errand of a visit of several, and how many of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Errand {
    pub service: String,
    #[serde(default = "one")]
    pub quantity: u32,
}

fn one() -> u32 {
    1
}

/// A need the citizen states at the door; `detail` is the interpreter's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatedNeed {
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// A visit of several errands, or with needs, as one ticket carries it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Visit {
    pub services: Vec<Errand>,
    #[serde(default)]
    pub needs: Vec<StatedNeed>,
}

/// The server's reasons for not issuing a ticket, each with what the citizen can do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The errand is done online.
    SelfService { url: Option<String> },
    /// The errand needs a booking: the starts of the next free times (RFC 3339, local
    /// offset), and where to book it.
    NeedsBooking {
        next_free: Vec<String>,
        booking_url: Option<String>,
    },
    /// The office is closed; `next_opening` is RFC 3339, if an opening is planned.
    Closed { next_opening: Option<String> },
    /// The server does not know the location or the errand.
    Unknown { detail: String },
    /// The visit cannot be one ticket here: the fields the server named (`services`,
    /// `services[1].quantity`, `needs[0].detail`, …), for the screen to say in the
    /// citizen's words.
    Invalid { detail: String, fields: Vec<String> },
    /// The scanned booking does not exist (or its code is not valid).
    NoBooking,
    /// The booking cannot be checked in now: `reason` is `too_early` (with `from`, when the
    /// window opens, RFC 3339 with the local offset), `too_late` or `not_booked`.
    NotNow {
        detail: String,
        reason: Option<String>,
        from: Option<String>,
    },
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Refusal::SelfService { url: Some(url) } => write!(
                f,
                "this errand is done online at {url}; use --assist if the citizen needs \
                 help at a desk"
            ),
            Refusal::SelfService { url: None } => write!(
                f,
                "this errand is done online; use --assist if the citizen needs help at a desk"
            ),
            Refusal::NeedsBooking {
                next_free,
                booking_url,
            } => {
                f.write_str("this errand needs a booking")?;
                match next_free.first() {
                    Some(start) => write!(f, "; the first free time is {}", local_time(start))?,
                    None => f.write_str("; there are no free times in the coming days")?,
                }
                match booking_url {
                    Some(url) => write!(f, "; book at {url}"),
                    None => Ok(()),
                }
            }
            Refusal::Closed {
                next_opening: Some(at),
            } => write!(
                f,
                "the office is closed now; it opens again {}",
                local_time(at)
            ),
            Refusal::Closed { next_opening: None } => {
                f.write_str("the office is closed now, and no opening time is planned")
            }
            Refusal::Unknown { detail } => write!(f, "the server does not know it: {detail}"),
            Refusal::Invalid { detail, .. } => {
                write!(f, "these errands and needs cannot be one ticket: {detail}")
            }
            Refusal::NoBooking => {
                f.write_str("no booking matches this code; please ask at the counter")
            }
            Refusal::NotNow { detail, .. } => {
                write!(f, "the booking cannot be checked in now: {detail}")
            }
        }
    }
}

/// Why no ticket was taken.
#[derive(Debug, Error)]
pub enum ClientError {
    #[error("cannot reach the Skranke server at {server}: {reason}")]
    Unreachable { server: String, reason: String },
    #[error("{0}; nothing was printed")]
    Refused(Refusal),
    #[error("the Skranke server answered {status}: {detail}; nothing was printed")]
    Unexpected { status: u16, detail: String },
    #[error("the Skranke server's answer cannot be read: {0}; nothing was printed")]
    BadAnswer(String),
}

/// A problem+json body, with the fields the kiosk acts on.
#[derive(Debug, Default, Deserialize)]
struct Problem {
    #[serde(default)]
    detail: Option<String>,
    #[serde(default)]
    self_service_url: Option<String>,
    #[serde(default)]
    slots: Option<Vec<Slot>>,
    #[serde(default)]
    booking_url: Option<String>,
    #[serde(default)]
    next_opening: Option<String>,
    #[serde(default)]
    reason: Option<String>,
    #[serde(default)]
    check_in_from: Option<String>,
    #[serde(default)]
    errors: Vec<FieldProblem>,
}

/// A field the server refused, as problem+json names it.
#[derive(Debug, Deserialize)]
struct FieldProblem {
    field: String,
}

#[derive(Debug, Deserialize)]
struct Slot {
    start: String,
    #[serde(default)]
    available: u32,
}

/// The names people read on a ticket, from the errand menu.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
pub struct PrintNames {
    /// The municipality.
    pub organisation: String,
    /// The location.
    pub name: String,
    #[serde(rename = "groups", deserialize_with = "errand_names")]
    pub errands: Vec<ErrandName>,
    /// The kiosk's words from the server's catalogue, by language code and key.
    #[serde(default)]
    pub texts: BTreeMap<String, BTreeMap<String, String>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ErrandName {
    pub slug: String,
    pub name_da: String,
}

impl PrintNames {
    /// The errand's Danish name, if the menu has it.
    pub fn errand(&self, slug: &str) -> Option<&str> {
        self.errands
            .iter()
            .find(|e| e.slug == slug)
            .map(|e| e.name_da.as_str())
    }

    /// The catalogue's text of `key` in `lang`, if the menu brought it.
    pub fn text(&self, lang: Language, key: &str) -> Option<&str> {
        self.texts
            .get(lang.code())
            .and_then(|texts| texts.get(key))
            .map(String::as_str)
    }
}

fn errand_names<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Vec<ErrandName>, D::Error> {
    #[derive(Deserialize)]
    struct Group {
        services: Vec<ErrandName>,
    }
    let groups = Vec::<Group>::deserialize(d)?;
    Ok(groups.into_iter().flat_map(|g| g.services).collect())
}

/// A client of one Skranke server.
#[derive(Debug, Clone)]
pub struct Client {
    base: Url,
    agent: ureq::Agent,
}

impl Client {
    pub fn new(base: Url) -> Self {
        let agent = ureq::AgentBuilder::new()
            .timeout_connect(CONNECT_TIMEOUT)
            .timeout_read(READ_TIMEOUT)
            .timeout_write(READ_TIMEOUT)
            .build();
        Self { base, agent }
    }

    /// `path` below the server's base URL, keeping any path prefix it has.
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base.as_str().trim_end_matches('/'))
    }

    /// Takes a ticket: `POST /api/v1/tickets`.
    pub fn take_ticket(
        &self,
        location: &str,
        service: &str,
        assist: bool,
    ) -> Result<Issued, ClientError> {
        self.post_ticket(json!({"location": location, "service": service, "assist": assist}))
    }

    /// Takes one ticket for a visit of several errands, or with needs.
    pub fn take_visit(
        &self,
        location: &str,
        visit: &Visit,
        assist: bool,
    ) -> Result<Issued, ClientError> {
        self.post_ticket(json!({
            "location": location, "services": visit.services, "needs": visit.needs,
            "assist": assist,
        }))
    }

    fn post_ticket(&self, body: serde_json::Value) -> Result<Issued, ClientError> {
        match self
            .agent
            .post(&self.url("/api/v1/tickets"))
            .send_json(body)
        {
            Ok(response) => issued(response),
            Err(ureq::Error::Status(status, response)) => {
                Err(refusal(status, read_problem(response)))
            }
            Err(ureq::Error::Transport(transport)) => Err(self.unreachable(&transport)),
        }
    }

    /// Checks a scanned booking in: its ticket in the queue (`201` from
    /// `POST /api/v1/appointments/{reference}/check-in`).
    pub fn check_in(&self, scan: &crate::scan::Scan) -> Result<Issued, ClientError> {
        let mut url = self.url(&format!("/api/v1/appointments/{}/check-in", scan.reference));
        url.push_str("?token=");
        url.push_str(
            &url::form_urlencoded::byte_serialize(scan.token.as_bytes()).collect::<String>(),
        );
        match self.agent.post(&url).call() {
            Ok(response) => issued(response),
            Err(ureq::Error::Status(status, response)) => {
                let problem = read_problem(response);
                let detail = problem.detail.unwrap_or_default();
                Err(ClientError::Refused(match status {
                    // A wrong token answers as an unknown booking, by design.
                    404 => Refusal::NoBooking,
                    409 | 422 => Refusal::NotNow {
                        detail,
                        reason: problem.reason,
                        from: problem.check_in_from,
                    },
                    _ => return Err(ClientError::Unexpected { status, detail }),
                }))
            }
            Err(ureq::Error::Transport(transport)) => Err(self.unreachable(&transport)),
        }
    }

    /// The errand menu (`GET /api/v1/locations/{location}/kiosk`), as the server wrote it:
    /// the touch screen reads it as it is.
    pub fn menu(&self, location: &str) -> Result<serde_json::Value, ClientError> {
        match self
            .agent
            .get(&self.url(&format!("/api/v1/locations/{location}/kiosk")))
            .call()
        {
            Ok(response) => response
                .into_json()
                .map_err(|e| ClientError::BadAnswer(e.to_string())),
            Err(ureq::Error::Status(status, response)) => Err(ClientError::Unexpected {
                status,
                detail: read_problem(response).detail.unwrap_or_default(),
            }),
            Err(ureq::Error::Transport(transport)) => Err(self.unreachable(&transport)),
        }
    }

    /// A picture the errand menu names (the municipality's logo), for the screen to show
    /// from the kiosk's own address: its content type and bytes, at most [`MAX_PICTURE`].
    pub fn picture(&self, url: &str) -> Result<(String, Vec<u8>), ClientError> {
        match self.agent.get(url).call() {
            Ok(response) => {
                let content_type = response.content_type().to_owned();
                let mut bytes = Vec::new();
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(response.into_reader(), MAX_PICTURE + 1),
                    &mut bytes,
                )
                .map_err(|e| ClientError::BadAnswer(e.to_string()))?;
                if bytes.len() as u64 > MAX_PICTURE {
                    return Err(ClientError::BadAnswer(format!(
                        "the picture at {url} is larger than {MAX_PICTURE} bytes"
                    )));
                }
                Ok((content_type, bytes))
            }
            Err(ureq::Error::Status(status, _)) => Err(ClientError::Unexpected {
                status,
                detail: format!("no picture at {url}"),
            }),
            Err(ureq::Error::Transport(transport)) => Err(self.unreachable(&transport)),
        }
    }

    /// The names for the print, from the errand menu.
    pub fn print_names(&self, location: &str) -> Result<PrintNames, ClientError> {
        serde_json::from_value(self.menu(location)?)
            .map_err(|e| ClientError::BadAnswer(e.to_string()))
    }

    fn unreachable(&self, transport: &ureq::Transport) -> ClientError {
        ClientError::Unreachable {
            server: self.base.as_str().trim_end_matches('/').to_owned(),
            reason: transport.to_string(),
        }
    }
}

/// The ticket of an answer that must be `201 Created`.
fn issued(response: ureq::Response) -> Result<Issued, ClientError> {
    if response.status() != 201 {
        return Err(ClientError::Unexpected {
            status: response.status(),
            detail: "expected 201 Created".into(),
        });
    }
    response
        .into_json::<Issued>()
        .map_err(|e| ClientError::BadAnswer(e.to_string()))
}

/// Reads a problem body; an unreadable one still leaves the status to go by.
fn read_problem(response: ureq::Response) -> Problem {
    response.into_json::<Problem>().unwrap_or_default()
}

/// Turns an error status into what it means for the citizen.
fn refusal(status: u16, problem: Problem) -> ClientError {
    let detail = problem.detail.clone().unwrap_or_default();
    match status {
        422 if problem.slots.is_some() || problem.booking_url.is_some() => {
            let next_free = problem
                .slots
                .unwrap_or_default()
                .into_iter()
                .filter(|s| s.available > 0)
                .map(|s| s.start)
                .collect();
            ClientError::Refused(Refusal::NeedsBooking {
                next_free,
                booking_url: problem.booking_url,
            })
        }
        422 if problem.self_service_url.is_some() => ClientError::Refused(Refusal::SelfService {
            url: problem.self_service_url,
        }),
        422 if !problem.errors.is_empty() => ClientError::Refused(Refusal::Invalid {
            detail,
            fields: problem.errors.into_iter().map(|e| e.field).collect(),
        }),
        409 => ClientError::Refused(Refusal::Closed {
            next_opening: problem.next_opening,
        }),
        404 => ClientError::Refused(Refusal::Unknown { detail }),
        _ => ClientError::Unexpected { status, detail },
    }
}

/// `2027-03-29T10:14:00+02:00` → (`29.03.2027`, `10:14`): the date and clock time as
/// written, which for the server's timestamps is the location's local time.
pub fn local_parts(rfc3339: &str) -> Option<(String, String)> {
    let date = rfc3339.get(0..10)?;
    let time = rfc3339.get(11..16)?;
    let separator = rfc3339.get(10..11)?;
    let digits = |s: &str, at: &[usize]| {
        s.char_indices().all(|(i, c)| {
            if at.contains(&i) {
                !c.is_ascii_digit()
            } else {
                c.is_ascii_digit()
            }
        })
    };
    if !matches!(separator, "T" | "t" | " ") || !digits(date, &[4, 7]) || !digits(time, &[2]) {
        return None;
    }
    let (year, month, day) = (&date[0..4], &date[5..7], &date[8..10]);
    Some((format!("{day}.{month}.{year}"), time.to_owned()))
}

/// `at 10:14 on 29.03.2027`, or the raw text if it is not RFC 3339.
fn local_time(rfc3339: &str) -> String {
    match local_parts(rfc3339) {
        Some((date, time)) => format!("at {time} on {date}"),
        None => rfc3339.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_parts_keep_the_written_offset() {
        assert_eq!(
            local_parts("2027-03-29T10:14:00+02:00"),
            Some(("29.03.2027".into(), "10:14".into()))
        );
        assert_eq!(local_parts("29-03-2027"), None);
        assert_eq!(local_parts("2027-03-29Tab:cd"), None);
        assert_eq!(local_parts("ø"), None);
    }

    #[test]
    fn refusals_say_what_to_do() {
        let closed = refusal(
            409,
            Problem {
                next_opening: Some("2027-03-30T08:00:00+02:00".into()),
                ..Problem::default()
            },
        );
        assert!(closed
            .to_string()
            .contains("opens again at 08:00 on 30.03.2027"));
        let booking = refusal(
            422,
            Problem {
                slots: Some(vec![
                    Slot {
                        start: "2027-03-30T09:00:00+02:00".into(),
                        available: 0,
                    },
                    Slot {
                        start: "2027-03-30T09:15:00+02:00".into(),
                        available: 2,
                    },
                ]),
                booking_url: Some("https://x.dk/#loc-a".into()),
                ..Problem::default()
            },
        );
        let message = booking.to_string();
        assert!(
            message.contains("first free time is at 09:15 on 30.03.2027"),
            "{message}"
        );
        assert!(message.contains("https://x.dk/#loc-a"), "{message}");
        let invalid = refusal(
            422,
            Problem {
                detail: Some("services: one visit here may hold at most 6 errands".into()),
                errors: vec![FieldProblem {
                    field: "services".into(),
                }],
                ..Problem::default()
            },
        );
        assert!(
            matches!(&invalid, ClientError::Refused(Refusal::Invalid { fields, .. }) if fields == &["services"]),
            "{invalid:?}"
        );
        assert!(matches!(
            refusal(500, Problem::default()),
            ClientError::Unexpected { .. }
        ));
    }
}
