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

use crate::client::{ClientError, Refusal};
use crate::config::Language;
use crate::door::{Door, DoorError, Handed};
use crate::scan::Scan;

const PAGE: &str = include_str!("../web/index.html");
const SCRIPT: &str = include_str!("../web/kiosk.js");
const STYLE: &str = include_str!("../web/kiosk.css");

/// The bodies the page sends are a slug, a flag or a scanned link.
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

fn respond(mut request: Request, door: &Door, page: &str) -> std::io::Result<()> {
    let path = request.url().split('?').next().unwrap_or("").to_owned();
    let (status, content_type, body) = match (request.method(), path.as_str()) {
        (Method::Get, "/") => (200, "text/html; charset=utf-8", page.to_owned()),
        (Method::Get, "/kiosk.js") => (200, "text/javascript; charset=utf-8", SCRIPT.into()),
        (Method::Get, "/kiosk.css") => (200, "text/css; charset=utf-8", STYLE.into()),
        (Method::Get, "/api/menu") => json_answer(menu(door)),
        (Method::Post, "/api/ticket") => {
            let body = read_body(&mut request);
            json_answer(ticket(door, body))
        }
        (Method::Post, "/api/check-in") => {
            let body = read_body(&mut request);
            json_answer(check_in(door, body))
        }
        _ => (404, "text/plain; charset=utf-8", "not found".into()),
    };
    let mut response = Response::from_string(body)
        .with_status_code(status)
        .with_header(header("Content-Type", content_type))
        .with_header(header("Cache-Control", "no-store"));
    for (name, value) in SECURITY_HEADERS {
        response.add_header(header(name, value));
    }
    request.respond(response)
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

fn json_answer((status, value): Answer) -> (u16, &'static str, String) {
    (status, "application/json", value.to_string())
}

fn menu(door: &Door) -> Answer {
    match door.client().menu(door.location()) {
        Ok(menu) => (200, menu),
        Err(error) => server_trouble(&error),
    }
}

#[derive(Deserialize)]
struct TicketRequest {
    service: String,
    #[serde(default)]
    assist: bool,
}

fn ticket(door: &Door, body: Result<Value, String>) -> Answer {
    let request: TicketRequest =
        match body.and_then(|v| serde_json::from_value(v).map_err(|e| e.to_string())) {
            Ok(request) => request,
            Err(error) => return (400, json!({"outcome": "error", "message": error})),
        };
    handed(door.take(&request.service, request.assist))
}

fn check_in(door: &Door, body: Result<Value, String>) -> Answer {
    let text = body
        .ok()
        .and_then(|v| v.get("scan").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_default();
    match Scan::parse(&text) {
        Ok(scan) => handed(door.check_in(&scan)),
        Err(error) => (
            200,
            json!({"outcome": "unreadable", "message": error.to_string()}),
        ),
    }
}

fn handed(result: Result<Handed, DoorError>) -> Answer {
    match result {
        Ok(handed) => {
            let issued = handed.issued;
            (
                200,
                json!({
                    "outcome": "ticket",
                    "number": issued.number,
                    "service": issued.service,
                    "position": issued.position,
                    "estimated_wait_minutes": issued.estimated_wait_minutes,
                    "printed": handed.print_failure.is_none(),
                    "print_failure": handed.print_failure,
                }),
            )
        }
        Err(DoorError::Server(ClientError::Refused(refusal))) => (200, refused(refusal)),
        Err(DoorError::Server(error)) => server_trouble(&error),
        // The number stands; only its print is missing.
        Err(DoorError::Render { number, source }) => (
            200,
            json!({"outcome": "ticket", "number": number, "printed": false,
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
            first_free,
            booking_url,
        } => json!({
            "outcome": "booking_required",
            "first_free": first_free,
            "qr_svg": booking_url.as_deref().and_then(qr_svg),
            "booking_url": booking_url,
        }),
        Refusal::Closed { next_opening } => {
            json!({"outcome": "closed", "next_opening": next_opening})
        }
        Refusal::NoBooking => json!({"outcome": "no_booking"}),
        Refusal::NotNow { detail } => json!({"outcome": "not_now", "message": detail}),
        Refusal::Unknown { detail } => json!({"outcome": "unknown", "message": detail}),
    }
}

/// 503 for the page: try again soon; nothing was printed.
fn server_trouble(error: &ClientError) -> Answer {
    (
        503,
        json!({"outcome": "unreachable", "message": error.to_string()}),
    )
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
