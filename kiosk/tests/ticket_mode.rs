//! The one-shot `ticket` mode against a fake Skranke server: a loopback listener that
//! answers each request with a canned response, as the real server would answer the
//! door for an errand taken at the desk, one done online and a closed office.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::Path;
use std::process::Output;
use std::thread;

use skranke_kiosk::escpos;

#[path = "support/binary.rs"]
mod binary;
#[path = "support/qr.rs"]
mod qr;
use binary::kiosk_command;
use qr::decode_qr_code;

const STATUS_URL: &str = "http://skranke.test/tickets/7f3a9c2e51d04b6a";
const SELF_SERVICE_URL: &str = "https://www.borger.dk/pas";

/// Starts the fake server; returns its base URL. The thread lives as long as the test.
fn fake_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("local address").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            // One failed exchange must not stop the server for the next request.
            let _ = answer(stream);
        }
    });
    format!("http://127.0.0.1:{port}")
}

/// Reads one request and writes the canned response for it.
fn answer(stream: TcpStream) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request_line = String::new();
    reader.read_line(&mut request_line)?;
    let mut content_length = 0;
    loop {
        let mut header = String::new();
        reader.read_line(&mut header)?;
        if header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                content_length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; content_length];
    reader.read_exact(&mut body)?;
    let (status, content_type, body) = route(&request_line, &String::from_utf8_lossy(&body));
    let mut stream = stream;
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    )?;
    stream.flush()
}

/// The canned answers: `pas` gets a ticket, `sygesikring` is done online, `koerekort`
/// finds the office closed.
fn route(request_line: &str, body: &str) -> (&'static str, &'static str, String) {
    const JSON: &str = "application/json";
    const PROBLEM: &str = "application/problem+json";
    if request_line.starts_with("GET /api/v1/locations ") {
        let locations = r#"[{"slug":"raadhuset","name":"Rådhuset","timezone":"Europe/Copenhagen",
            "address":"Torvet 1","opening_hours":[],"closures":[]}]"#;
        return ("200 OK", JSON, locations.into());
    }
    if !request_line.starts_with("POST /api/v1/tickets ") {
        return (
            "404 Not Found",
            PROBLEM,
            r#"{"detail":"no such page"}"#.into(),
        );
    }
    if body.contains(r#""service":"pas""#) {
        let ticket = format!(
            r#"{{"id":"7f3a9c2e51d04b6a","number":"A014","location":"raadhuset","service":"pas",
            "issued_at":"2027-03-29T10:14:05+02:00","position":3,"estimated_wait_minutes":null,
            "status_url":"{STATUS_URL}"}}"#
        );
        ("201 Created", JSON, ticket)
    } else if body.contains(r#""service":"sygesikring""#) {
        let problem = format!(
            r#"{{"detail":"this errand is done online","self_service_url":"{SELF_SERVICE_URL}",
            "assist_available":true}}"#
        );
        ("422 Unprocessable Entity", PROBLEM, problem)
    } else if body.contains(r#""service":"koerekort""#) {
        let problem =
            r#"{"detail":"the office is closed now","next_opening":"2027-03-30T08:00:00+02:00"}"#;
        ("409 Conflict", PROBLEM, problem.into())
    } else {
        ("404 Not Found", PROBLEM, r#"{"detail":"unknown"}"#.into())
    }
}

fn kiosk(server: &str, args: &[&str]) -> Output {
    kiosk_command()
        .args(["--server", server, "--location", "raadhuset"])
        .args(args)
        .output()
        .expect("the binary runs")
}

/// Runs `ticket --service SERVICE` writing a PNG and an ESC/POS file into `dir`.
fn take(server: &str, service: &str, dir: &Path) -> Output {
    let png = dir.join("ticket.png");
    let job = dir.join("ticket.bin");
    kiosk(
        server,
        &[
            "ticket",
            "--service",
            service,
            "--png",
            png.to_str().expect("utf-8 path"),
            "--escpos",
            job.to_str().expect("utf-8 path"),
        ],
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_nothing_written(dir: &Path) {
    let files: Vec<_> = std::fs::read_dir(dir).expect("temp dir").collect();
    assert!(files.is_empty(), "files were written: {files:?}");
}

#[test]
fn a_ticket_is_printed_and_its_number_shown() {
    let server = fake_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let printer = dir.path().join("printer.bin");
    let png = dir.path().join("ticket.png");
    let job = dir.path().join("ticket.bin");
    let output = kiosk(
        &server,
        &[
            "--printer",
            printer.to_str().expect("utf-8 path"),
            "ticket",
            "--service",
            "pas",
            "--png",
            png.to_str().expect("utf-8 path"),
            "--escpos",
            job.to_str().expect("utf-8 path"),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert_eq!(text(&output.stdout).trim(), "A014");

    let png = std::fs::read(&png).expect("PNG written");
    assert_eq!(decode_qr_code(&png), STATUS_URL);
    let bytes = std::fs::read(&job).expect("ESC/POS written");
    let commands = escpos::parse(&bytes).expect("ESC/POS parses");
    assert!(commands
        .iter()
        .any(|c| matches!(c, escpos::Command::RasterImage { .. })));
    assert_eq!(std::fs::read(&printer).expect("printed"), bytes);
}

#[test]
fn an_errand_done_online_gives_the_link_and_prints_nothing() {
    let server = fake_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let output = take(&server, "sygesikring", dir.path());
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    let message = text(&output.stderr);
    assert!(message.contains(SELF_SERVICE_URL), "{message}");
    assert_nothing_written(dir.path());
}

#[test]
fn a_closed_office_names_its_next_opening() {
    let server = fake_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let output = take(&server, "koerekort", dir.path());
    assert_eq!(output.status.code(), Some(3));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    let message = text(&output.stderr);
    assert!(message.contains("08:00 on 30.03.2027"), "{message}");
    assert_nothing_written(dir.path());
}

#[test]
fn a_server_that_is_down_is_reported_and_nothing_printed() {
    // Bind and drop: nothing listens on the port, so connections are refused.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("free port")
        .port();
    let server = format!("http://127.0.0.1:{port}");
    let dir = tempfile::tempdir().expect("temp dir");
    let output = take(&server, "pas", dir.path());
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "{}", text(&output.stdout));
    let message = text(&output.stderr);
    assert!(
        message.contains(&format!("cannot reach the Skranke server at {server}")),
        "{message}"
    );
    assert_nothing_written(dir.path());
}

#[test]
fn a_printer_failure_keeps_the_number_and_exits_4() {
    let server = fake_server();
    let dir = tempfile::tempdir().expect("temp dir");
    let missing = dir.path().join("no-such-dir").join("printer.bin");
    let output = kiosk(
        &server,
        &[
            "--printer",
            missing.to_str().expect("utf-8 path"),
            "ticket",
            "--service",
            "pas",
        ],
    );
    assert_eq!(output.status.code(), Some(4));
    assert_eq!(text(&output.stdout).trim(), "A014");
    assert!(
        text(&output.stderr).contains("was not printed"),
        "{}",
        text(&output.stderr)
    );
}
