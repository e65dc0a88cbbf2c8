//! The `skranke` binary as an administrator runs it.

use std::process::Command;

use diesel::prelude::*;
use skranke::store::schema::organisations;

use crate::helpers::{fresh_pool, TestDatabase};
use crate::server_process::start_server;

pub fn skranke(db: &TestDatabase, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_skranke"))
        .args(args)
        .env("SKRANKE_DATABASE_URL", db.url_string())
        .env("SKRANKE_LOG", "warn")
        .output()
        .expect("the skranke binary runs")
}

fn organisation_count(db: &TestDatabase) -> i64 {
    organisations::table
        .count()
        .get_result(&mut *fresh_pool(db).get().unwrap())
        .unwrap()
}

#[test]
fn a_bad_file_is_refused_with_file_line_and_field_and_changes_nothing() {
    let db = TestDatabase::new();
    let dir = tempfile::tempdir().unwrap();
    let good = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/organisation.toml"
    ))
    .unwrap();
    let bad = good.replacen("Europe/Copenhagen", "Europe/Taastrup", 1);
    let line = bad
        .lines()
        .position(|l| l.contains("Europe/Taastrup"))
        .unwrap()
        + 1;
    let path = dir.path().join("kommune.toml");
    std::fs::write(&path, &bad).unwrap();

    let out = skranke(&db, &["import", path.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains(&format!("kommune.toml:{line}:")),
        "{stderr}"
    );
    assert!(
        stderr.contains("timezone") && stderr.contains("Europe/Taastrup"),
        "{stderr}"
    );
    assert_eq!(organisation_count(&db), 0);
}

#[test]
fn the_example_file_imports() {
    let db = TestDatabase::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/organisation.toml");
    let out = skranke(&db, &["import", example]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Created "));
    let again = skranke(&db, &["import", example]);
    assert!(String::from_utf8_lossy(&again.stdout).starts_with("Updated "));
    assert_eq!(organisation_count(&db), 1);
}

#[test]
fn migrate_brings_an_empty_database_up_to_date() {
    let db = TestDatabase::empty();
    let out = skranke(&db, &["migrate"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(organisation_count(&db), 0);
}

/// Starts the binary with `args` on the test database and a free port; returns the child,
/// what it printed, and its base URL once it says it serves.
/// `skranke demo` creates the demo in an empty database, then serves it: the two things the
/// README promises a newcomer.
#[tokio::test]
async fn demo_creates_the_municipality_and_serves_it() {
    let db = TestDatabase::new();
    let (mut child, printed, base) = start_server(
        &db,
        &["demo"],
        &[
            ("SKRANKE_DEMO_PASSWORD", "demo-kodeord-1"),
            ("SKRANKE_NOW", "2027-04-01T08:00:00Z"),
        ],
    );
    let client = reqwest::Client::new();
    let locations: serde_json::Value = client
        .get(format!("{base}/api/v1/locations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let login = client
        .post(format!("{base}/api/v1/auth/login"))
        .json(&serde_json::json!({"username": "admin", "password": "demo-kodeord-1"}))
        .send()
        .await
        .unwrap();
    let status = login.status();
    child.kill().unwrap();
    child.wait().unwrap();

    let printed = printed.join("\n");
    assert!(
        printed.contains("Created the demo municipality"),
        "{printed}"
    );
    assert!(
        printed.contains("demo-kodeord-1"),
        "the logins are printed: {printed}"
    );
    assert!(locations.as_array().unwrap().len() >= 3);
    // The server's clock started at SKRANKE_NOW: closures are listed from that day on.
    let closures: Vec<&str> = locations[0]["closures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["to"].as_str().unwrap())
        .collect();
    assert!(
        !closures.is_empty() && closures.iter().all(|to| *to >= "2027-04-01"),
        "{closures:?}"
    );
    assert_eq!(status, 200, "admin signs in with SKRANKE_DEMO_PASSWORD");
    let tickets: i64 = skranke::store::schema::tickets::table
        .count()
        .get_result(&mut *fresh_pool(&db).get().unwrap())
        .unwrap();
    assert!(tickets > 10_000, "a year of tickets: {tickets}");
    assert!(
        printed.contains(&format!("{tickets} tickets")),
        "the count is printed: {printed}"
    );
}

fn erlang(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_skranke"))
        .arg("erlang")
        .args(args)
        .output()
        .unwrap()
}

const PUBLISHED: [&str; 10] = [
    "--calls",
    "100",
    "--interval-minutes",
    "30",
    "--aht-minutes",
    "3",
    "--target-seconds",
    "20",
    "--service-level",
    "0.8",
];

#[test]
fn the_erlang_calculator_reproduces_the_published_example() {
    let out = erlang(&[&PUBLISHED[..], &["--shrinkage", "0.3"]].concat());
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    for line in [
        "raw_positions: 14",
        "positions: 20",
        "service_level: 0.88835",
        "waiting_probability: 0.17413",
        "average_wait_seconds: 7.836",
        "occupancy: 0.714",
    ] {
        assert!(text.lines().any(|l| l == line), "{line} in\n{text}");
    }
    let json: serde_json::Value =
        serde_json::from_slice(&erlang(&[&PUBLISHED[..], &["--format", "json"]].concat()).stdout)
            .unwrap();
    assert_eq!(json["positions"], 14);
}

#[test]
fn the_erlang_calculator_names_the_flag_it_refuses() {
    let mut negative = PUBLISHED;
    negative[1] = "-5";
    let out = erlang(&negative);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--calls"));
    let mut over = PUBLISHED;
    over[9] = "1.5";
    let out = erlang(&over);
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--service-level"));
}

/// A confirmed booking survives the server being killed without warning.
#[tokio::test]
async fn a_confirmed_booking_survives_kill_9() {
    let db = TestDatabase::new();
    let now = [("SKRANKE_NOW", "2027-03-29T06:00:00Z")];
    let (mut server, _, base) = start_server(&db, &["demo"], &now);
    let client = reqwest::Client::new();
    let slots: serde_json::Value = client
        .get(format!(
            "{base}/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let booked: serde_json::Value = client
        .post(format!("{base}/api/v1/appointments"))
        .json(&serde_json::json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
            "citizen": {"name": "Varig Borger", "email": "varig@example.dk"}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    server.kill().unwrap(); // SIGKILL: no shutdown, no flush
    server.wait().unwrap();

    let (mut again, _, base) = start_server(&db, &["serve"], &now);
    let path = format!(
        "{base}/api/v1/appointments/{}?token={}",
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap()
    );
    let found = client.get(path).send().await.unwrap();
    let status = found.status();
    let body: serde_json::Value = found.json().await.unwrap();
    again.kill().unwrap();
    again.wait().unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["start"], slots[0]["start"]);
}

/// SIGTERM with an event stream open: the stream ends (its client sees the end) and the
/// server exits, without waiting out a timeout for the stream.
#[cfg(unix)]
#[tokio::test]
async fn sigterm_ends_the_event_streams_and_stops_the_server() {
    let db = TestDatabase::new();
    let example = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/organisation.toml");
    assert!(skranke(&db, &["import", example]).status.success());
    let (mut server, _, base) = start_server(&db, &["serve"], &[]);
    let mut stream = reqwest::Client::new()
        .get(format!("{base}/api/v1/locations/raadhuset/events"))
        .send()
        .await
        .unwrap();
    let hello = stream.chunk().await.unwrap().unwrap();
    assert!(hello.starts_with(b": listening"));

    let sent = std::process::Command::new("kill")
        .args(["-TERM", &server.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    // The bounds turn a hang into a failure; they are far below the 30 s a stream held before.
    let mut rest = String::new();
    let to_the_end = async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            rest.push_str(&String::from_utf8_lossy(&chunk));
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(15), to_the_end)
        .await
        .expect("the stream ends when the server stops");
    assert!(rest.contains("retry: "), "told to reconnect: {rest}");
    let exited = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
        loop {
            if let Some(status) = server.try_wait().unwrap() {
                return Some(status);
            }
            if std::time::Instant::now() > deadline {
                server.kill().unwrap();
                server.wait().unwrap();
                return None;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    let status = exited.expect("the server exits after SIGTERM");
    assert!(status.success(), "{status:?}");
}

/// `/metrics` on its own address, behind its token, and not on the main one.
#[tokio::test]
async fn metrics_bind_and_token_are_honoured() {
    let db = TestDatabase::new();
    let token = "metrics-token-for-the-test-1";
    let (mut server, printed, base) = start_server(
        &db,
        &["serve"],
        &[
            ("SKRANKE_METRICS_BIND", "127.0.0.1:0"),
            ("SKRANKE_METRICS_TOKEN", token),
        ],
    );
    let metrics = printed
        .iter()
        .find_map(|l| l.strip_prefix("Metrics are at "))
        .map(str::to_owned);
    let client = reqwest::Client::new();
    let on_main = client
        .get(format!("{base}/metrics"))
        .bearer_auth(token)
        .send()
        .await;
    let answers = match &metrics {
        Some(url) => Some((
            client
                .get(url)
                .bearer_auth(token)
                .send()
                .await
                .unwrap()
                .status(),
            client.get(url).send().await.unwrap().status(),
        )),
        None => None,
    };
    server.kill().unwrap();
    server.wait().unwrap();
    assert_eq!(on_main.unwrap().status(), 404);
    let (with_token, without) = answers.expect("the metrics address is printed");
    assert_eq!(with_token, 200);
    assert_eq!(without, 401);
}

#[test]
fn output_to_a_reader_that_has_gone_ends_quietly() {
    // `skranke import FILE | head -1`: the reader closes its end, and every later write
    // fails with a broken pipe. The pipe's reading end is closed before the command runs,
    // so every write of its output meets the closed pipe.
    let db = TestDatabase::new();
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/organisation.toml");
    for args in [
        vec!["import", file],
        [&["erlang"][..], &PUBLISHED, &["--format", "json"]].concat(),
    ] {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        let output = Command::new(env!("CARGO_BIN_EXE_skranke"))
            .args(&args)
            .env("SKRANKE_DATABASE_URL", db.url_string())
            .env("SKRANKE_LOG", "warn")
            .stdout(writer)
            .output()
            .expect("the skranke binary runs");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            output.status.success() && !stderr.contains("panicked"),
            "skranke {} into a closed pipe: {:?}\n{stderr}",
            args[0],
            output.status
        );
    }
}
