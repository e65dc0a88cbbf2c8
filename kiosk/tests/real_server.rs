//! The kiosk's one-shot modes against the real Skranke server, run in-process on a
//! loopback port with a fresh SQLite database and the demo organisation.

use std::path::Path;
use std::process::Output;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};

#[path = "support/binary.rs"]
mod binary;
#[path = "support/qr.rs"]
mod qr;
#[path = "support/server.rs"]
mod support;
use binary::kiosk_command;
use qr::decode_qr_code;
use skranke_kiosk::config::Language;
use support::{start_server, Server};

fn kiosk(server: &Server, args: &[&str]) -> Output {
    kiosk_command()
        .args(["--server", &server.base, "--location", "raadhuset"])
        .args(args)
        .output()
        .unwrap()
}

/// The printed code leads to the ticket's live status page, which shows its number.
fn assert_status_page_shows(png: &Path, number: &str) {
    let status_url = decode_qr_code(&std::fs::read(png).unwrap());
    let response = ureq::get(&status_url).call().unwrap();
    assert_eq!(response.status(), 200);
    let page = response.into_string().unwrap();
    assert!(page.contains(number), "{status_url} shows {number}");
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).trim().to_owned()
}

#[test]
fn a_printed_ticket_leads_to_its_live_status_page() {
    let server = start_server();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ticket.png");
    let output = kiosk(
        &server,
        &[
            "ticket",
            "--service",
            "koerekort",
            "--png",
            png.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let number = stdout(&output);
    assert!(
        number.len() == 4 && number[1..].chars().all(|c| c.is_ascii_digit()),
        "{number}"
    );
    assert_status_page_shows(&png, &number);
}

#[test]
fn a_scanned_booking_is_checked_in_once_and_printed() {
    let server = start_server();
    let slots: Value = ureq::get(&format!(
        "{}/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31",
        server.base
    ))
    .call()
    .unwrap()
    .into_json()
    .unwrap();
    let start = slots[0]["start"].as_str().unwrap();
    let booking: Value = ureq::post(&format!("{}/api/v1/appointments", server.base))
        .send_json(json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "Kiosk Borger", "email": "kiosk@example.dk"}
        }))
        .unwrap()
        .into_json()
        .unwrap();
    let scanned = format!("{}\n", booking["manage_url"].as_str().unwrap());
    let starts: DateTime<Utc> = DateTime::parse_from_rfc3339(start).unwrap().into();
    server.clock.set(starts - Duration::minutes(10));

    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ticket.png");
    let output = kiosk(
        &server,
        &[
            "check-in",
            "--scan",
            &scanned,
            "--png",
            png.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let number = stdout(&output);
    assert_status_page_shows(&png, &number);

    let again = kiosk(&server, &["check-in", "--scan", &scanned]);
    assert_eq!(again.status.code(), Some(3), "{again:?}");
    let message = String::from_utf8_lossy(&again.stderr);
    assert!(message.contains("cannot be checked in now"), "{message}");
}

#[test]
fn a_wrong_or_unreadable_scan_prints_nothing_and_says_why() {
    let server = start_server();
    let dir = tempfile::tempdir().unwrap();
    let png = dir.path().join("ticket.png");
    let wrong = format!("{}/appointments/ABC-DEF?token=not-the-token", server.base);
    let output = kiosk(
        &server,
        &["check-in", "--scan", &wrong, "--png", png.to_str().unwrap()],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("no booking matches"));

    let output = kiosk(
        &server,
        &[
            "check-in",
            "--scan",
            "hello",
            "--png",
            png.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a Skranke booking link"));
    assert!(!png.exists(), "nothing printed");
}

/// The print names the municipality, the location and the errand as people know them,
/// not by their slugs.
#[test]
fn the_print_carries_the_names_people_know() {
    use skranke_kiosk::client::Client;
    use skranke_kiosk::door::Door;
    use skranke_kiosk::ticket::Paper;

    let server = start_server();
    let door = Door::new(
        Client::new(server.base.parse().unwrap()),
        "raadhuset".into(),
        None,
        Paper::Mm80,
    );
    let handed = door.take("vejledning", false, Language::Da).unwrap();
    let names = door.client().print_names("raadhuset").unwrap();
    let print = skranke_kiosk::door::ticket_print(&handed.issued, &names, Language::Da);
    assert_eq!(print.municipality, "Høje-Taastrup Kommune");
    assert_eq!(print.location, "Rådhuset");
    assert_eq!(print.errand, "Generel vejledning");
    assert_eq!(print.number, handed.issued.number);
}

/// The print's footer is the server catalogue's, in the language the citizen chose.
#[test]
fn the_print_says_what_to_do_in_the_chosen_language() {
    use skranke::domain::booking::Language as Said;
    use skranke::messages::text;
    use skranke_kiosk::client::Client;
    use skranke_kiosk::door::{ticket_print, Door};
    use skranke_kiosk::ticket::Paper;

    let server = start_server();
    let door = Door::new(
        Client::new(server.base.parse().unwrap()),
        "raadhuset".into(),
        None,
        Paper::Mm58,
    );
    let names = door.client().print_names("raadhuset").unwrap();
    for (lang, said) in [(Language::Da, Said::Da), (Language::En, Said::En)] {
        let handed = door.take("vejledning", false, lang).unwrap();
        let print = ticket_print(&handed.issued, &names, lang);
        let expected = text(said, "kiosk.ticket_footer");
        assert_ne!(expected, "kiosk.ticket_footer", "the catalogue has it");
        assert_eq!(print.footer, expected);
    }
}
