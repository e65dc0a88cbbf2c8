//! Touch mode: the kiosk page on loopback for a browser in kiosk mode. The page talks only
//! to this server, which asks the Skranke server, prints, and answers in plain terms.

use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};
use serde::Deserialize;
use serde_json::{json, Value};
use tiny_http::{Header, Method, Request, Response, Server};

use crate::client::{ClientError, Refusal, Visit};
use crate::config::Language;
use crate::door::{Door, DoorError, Handed};
use crate::scan::Scan;
use crate::text::{BOLD_TTF, REGULAR_TTF};

const PAGE: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/kiosk.js");
const STYLE: &str = include_str!("../web/kiosk.css");

/// The bodies the page sends are a slug, a flag, a scanned link, or a visit's few errands
/// and needs.
const MAX_BODY: u64 = 4096;

/// Binds the listener; `run` then serves until the process ends.
pub struct Touch {
    server: Server,
    door: Arc<Door>,
    language: Language,
}

impl Touch {
    pub fn bind(listen: SocketAddr, door: Door, language: Language) -> std::io::Result<Self> {
        let server = Server::http(listen).map_err(std::io::Error::other)?;
        Ok(Self {
            server,
            door: Arc::new(door),
            language,
        })
    }

    pub fn address(&self) -> Option<SocketAddr> {
        self.server.server_addr().to_ip()
    }

    /// Serves each request on its own thread: a slow server answer for one touch must
    /// not hold up the page's other requests.
    pub fn run(self) {
        let page = PAGE.replace(
            "{{lang}}",
            match self.language {
                Language::Da => "da",
                Language::En => "en",
            },
        );
        let page = Arc::new(page);
        for request in self.server.incoming_requests() {
            let door = self.door.clone();
            let page = page.clone();
            std::thread::spawn(move || {
                let _ = respond(request, &door, &page);
            });
        }
    }
}

/// One answer of this server: status, content type, body, and whether it may be cached.
struct Reply {
    status: u16,
    content_type: String,
    body: Vec<u8>,
    cache: &'static str,
}

impl Reply {
    fn new(status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type: content_type.to_owned(),
            body: body.into(),
            cache: "no-store",
        }
    }

    fn json((status, value): Answer) -> Self {
        Self::new(status, "application/json", value.to_string())
    }
}

fn respond(mut request: Request, door: &Door, page: &str) -> std::io::Result<()> {
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    let reply = match (request.method(), path.as_str()) {
        (Method::Get, "/") => Reply::new(200, "text/html; charset=utf-8", page),
        (Method::Get, "/kiosk.js") => Reply::new(200, "text/javascript; charset=utf-8", SCRIPT),
        (Method::Get, "/kiosk.css") => Reply::new(200, "text/css; charset=utf-8", STYLE),
        (Method::Get, "/fonts/regular.ttf") => font(REGULAR_TTF),
        (Method::Get, "/fonts/bold.ttf") => font(BOLD_TTF),
        (Method::Get, "/api/menu") => Reply::json(menu(door)),
        (Method::Get, "/logo") => logo(door),
        (Method::Post, "/api/ticket") => {
            let body = read_body(&mut request);
            Reply::json(ticket(door, body))
        }
        (Method::Post, "/api/check-in") => {
            let body = read_body(&mut request);
            Reply::json(check_in(door, body))
        }
        _ => Reply::new(404, "text/plain; charset=utf-8", "not found"),
    };
    let mut response = Response::from_data(reply.body)
        .with_status_code(reply.status)
        .with_header(header("Content-Type", &reply.content_type))
        .with_header(header("Cache-Control", reply.cache));
    for (name, value) in SECURITY_HEADERS {
        response.add_header(header(name, value));
    }
    request.respond(response)
}

/// The screen's typeface, the one the tickets are printed in, from the binary: the kiosk
/// looks the same whatever fonts its computer has.
fn font(bytes: &'static [u8]) -> Reply {
    Reply {
        cache: "max-age=86400",
        ..Reply::new(200, "font/ttf", bytes)
    }
}

/// The municipality's logo as the errand menu names it, served from this address so that
/// the page's content policy stays `'self'`; 404 while there is none to show.
fn logo(door: &Door) -> Reply {
    let picture = door
        .client()
        .menu(door.location())
        .ok()
        .and_then(|menu| {
            menu.pointer("/municipality/logo_url")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .and_then(|url| door.client().picture(&url).ok())
        .filter(|(content_type, _)| content_type.starts_with("image/"));
    match picture {
        Some((content_type, bytes)) => Reply {
            cache: "max-age=300",
            ..Reply::new(200, &content_type, bytes)
        },
        None => Reply::new(404, "text/plain; charset=utf-8", "no logo"),
    }
}

/// The page's script and style come from this server's files only, nothing inline, and
/// nothing may frame it or guess a body's type.
const SECURITY_HEADERS: [(&str, &str); 4] = [
    (
        "Content-Security-Policy",
        "default-src 'self'; script-src 'self'; style-src 'self'; object-src 'none'; \
         base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("X-Content-Type-Options", "nosniff"),
    ("X-Frame-Options", "DENY"),
    ("Referrer-Policy", "no-referrer"),
];

fn header(name: &str, value: &str) -> Header {
    Header::from_bytes(name.as_bytes(), value.as_bytes()).expect("a valid header")
}

fn read_body(request: &mut Request) -> Result<Value, String> {
    let mut body = String::new();
    request
        .as_reader()
        .take(MAX_BODY)
        .read_to_string(&mut body)
        .map_err(|e| e.to_string())?;
    serde_json::from_str(&body).map_err(|e| e.to_string())
}

/// An answer for the page, with the HTTP status that says whether it can be retried.
type Answer = (u16, Value);

fn menu(door: &Door) -> Answer {
    match door.client().menu(door.location()) {
        Ok(menu) => (200, menu),
        Err(error) => server_trouble(&error),
    }
}

/// One errand by a touch (`service`), or a visit chosen on the screen of several errands
/// and needs (`services`, `needs`).
#[derive(Deserialize)]
struct TicketRequest {
    #[serde(default)]
    service: String,
    #[serde(flatten)]
    visit: Option<Visit>,
    #[serde(default)]
    assist: bool,
    /// The language the screen shows, for the print's words.
    #[serde(default)]
    lang: Language,
}

fn ticket(door: &Door, body: Result<Value, String>) -> Answer {
    let request: TicketRequest =
        match body.and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string())) {
            Ok(request) => request,
            Err(error) => return (400, json!({"outcome": "error", "message": error})),
        };
    let taken = match &request.visit {
        Some(visit) => door.take_visit(visit, request.assist, request.lang),
        None => door.take(&request.service, request.assist, request.lang),
    };
    handed(door, taken)
}

fn check_in(door: &Door, body: Result<Value, String>) -> Answer {
    let body = body.ok();
    let field = |name: &str| {
        body.as_ref()
            .and_then(|v| v.get(name).and_then(Value::as_str).map(str::to_owned))
    };
    let text = field("scan").unwrap_or_default();
    let lang = field("lang")
        .and_then(|l| l.parse().ok())
        .unwrap_or_default();
    match Scan::parse(&text) {
        Ok(scan) => handed(door, door.check_in(&scan, lang)),
        Err(error) => (
            200,
            json!({"outcome": "unreadable", "message": error.to_string()}),
        ),
    }
}

/// What became of a ticket's print: `printed`, `failed`, or `none` where no printer is
/// configured and the screen is all the citizen gets.
fn print_outcome(door: &Door, failure: Option<&String>) -> &'static str {
    match (door.has_printer(), failure) {
        (false, _) => "none",
        (true, None) => "printed",
        (true, Some(_)) => "failed",
    }
}

fn handed(door: &Door, result: Result<Handed, DoorError>) -> Answer {
    match result {
        Ok(handed) => {
            let issued = handed.issued;
            (
                200,
                json!({
                    "outcome": "ticket",
                    "number": issued.number,
                    "service": issued.service,
                    "services": issued.services,
                    "position": issued.position,
                    "estimated_wait_minutes": issued.estimated_wait_minutes,
                    "print": print_outcome(door, handed.print_failure.as_ref()),
                    "print_failure": handed.print_failure,
                }),
            )
        }
        Err(DoorError::Server(ClientError::Refused(refusal))) => (200, refused(refusal)),
        Err(DoorError::Server(error)) => server_trouble(&error),
        // The number stands; only its print is missing.
        Err(DoorError::Render { number, source }) => (
            200,
            json!({"outcome": "ticket", "number": number,
                   "print": if door.has_printer() { "failed" } else { "none" },
                   "print_failure": source.to_string()}),
        ),
    }
}

fn refused(refusal: Refusal) -> Value {
    match refusal {
        Refusal::SelfService { url } => json!({
            "outcome": "self_service",
            "qr_svg": url.as_deref().and_then(qr_svg),
            "url": url,
        }),
        Refusal::NeedsBooking {
            next_free,
            booking_url,
        } => json!({
            "outcome": "booking_required",
            "next_free": next_free,
            // The booking page opens in the language the screen shows.
            "qr_svg": booking_url.as_deref().map(|url| json!({
                "da": in_language(url, "da").as_deref().and_then(qr_svg),
                "en": in_language(url, "en").as_deref().and_then(qr_svg),
            })),
            "booking_url": booking_url,
        }),
        Refusal::Closed { next_opening } => {
            json!({"outcome": "closed", "next_opening": next_opening})
        }
        Refusal::NoBooking => json!({"outcome": "no_booking"}),
        Refusal::NotNow {
            detail,
            reason,
            from,
        } => json!({"outcome": "not_now", "message": detail, "reason": reason, "from": from}),
        Refusal::Unknown { detail } => json!({"outcome": "unknown", "message": detail}),
        Refusal::Invalid { detail, fields } => {
            json!({"outcome": "invalid", "message": detail, "fields": fields})
        }
    }
}

/// 503 for the page: try again soon; nothing was printed.
fn server_trouble(error: &ClientError) -> Answer {
    (
        503,
        json!({"outcome": "unreachable", "message": error.to_string()}),
    )
}

/// The link with `lang=` set, so that the page opens in the citizen's language.
fn in_language(url: &str, lang: &str) -> Option<String> {
    let mut url = url::Url::parse(url).ok()?;
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(name, _)| name != "lang")
        .map(|(name, value)| (name.into_owned(), value.into_owned()))
        .collect();
    url.query_pairs_mut()
        .clear()
        .extend_pairs(kept)
        .append_pair("lang", lang);
    Some(url.into())
}

/// A link as a QR code for a phone to scan off the screen.
fn qr_svg(url: &str) -> Option<String> {
    let code = QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(220, 220)
            .quiet_zone(true)
            .build(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_booking_link_opens_in_the_screens_language() {
        assert_eq!(
            in_language("https://k.dk/book?location=a&service=pas", "en").as_deref(),
            Some("https://k.dk/book?location=a&service=pas&lang=en")
        );
        assert_eq!(
            in_language("https://k.dk/book?lang=da&location=a", "en").as_deref(),
            Some("https://k.dk/book?location=a&lang=en"),
            "one language, the screen's"
        );
        assert_eq!(in_language("not a link", "da"), None);
    }
}
