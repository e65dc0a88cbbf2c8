//! Mail that cannot go: addresses the mailer would refuse are refused at the door; a row
//! that slipped in anyway, or that the mail server refuses, fails alone and never holds
//! back the others; and no address reaches the logs or the stored errors.

use std::collections::BTreeSet;
use std::fs::File;
use std::process::{Command, Stdio};
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::message_queue;
use skranke::app::outbox::deliver_due;
use skranke::clock::Clock as _;
use skranke::domain::booking::{Citizen, Language, MailKind};
use skranke::domain::ids::{LocationId, ServiceId};
use skranke::domain::waitlist::{WaitRange, WaitlistMailKind};
use skranke::store::schema::outbox;
use skranke::store::{self, appointments, organisations, DbConnection};

use crate::helpers::{
    expect_problem, fresh_pool, monday_morning, seed, spawn_app, TestApp, TestDatabase,
};
use crate::mail::SmtpSink;

const BASE: &str = "http://skranke.test";

/// 65 characters before the `@`: one more than RFC 5321 allows, and lettre refuses it.
fn too_long_address() -> String {
    format!("{}@example.dk", "a".repeat(65))
}

pub(crate) fn pas_at_raadhuset(conn: &mut DbConnection) -> (LocationId, ServiceId) {
    let location = organisations::find_location(conn, "raadhuset")
        .unwrap()
        .unwrap();
    let service = organisations::services_at(conn, location.id)
        .unwrap()
        .into_iter()
        .find(|s| s.spec.slug.as_str() == "pas")
        .unwrap();
    (location.id, service.id)
}

/// Writes a 15-minute passport booking at the city hall for `(name, email)` from `start`
/// straight into the store, around the booking rules; returns its id.
pub(crate) fn stored_passport(
    conn: &mut DbConnection,
    reference: &str,
    (name, email): (&str, &str),
    start: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i64, store::StoreError> {
    let (location, service) = pas_at_raadhuset(conn);
    let citizen = Citizen {
        name: name.to_owned(),
        email: email.to_owned(),
        phone: None,
        sms_opt_in: false,
        feedback_opt_in: false,
    };
    appointments::insert(
        conn,
        &appointments::NewAppointment {
            reference,
            token_hash: "not a real token",
            location,
            service,
            quantity: 1,
            starts_at: start,
            ends_at: start + Duration::minutes(15),
            blocks_until: start + Duration::minutes(15),
            citizen: &citizen,
            language: Language::Da,
            now,
        },
    )
}

/// Writes a booking and its confirmation mail straight into the store, around the edge's
/// checks, as a row from before them would be; returns the outbox row's id.
fn stored_booking(conn: &mut DbConnection, n: usize, email: &str, now: DateTime<Utc>) -> i64 {
    let start = now + Duration::days(2) + Duration::minutes(15 * n as i64);
    let citizen = format!("Borger {n}");
    let id = stored_passport(conn, &format!("T{n:03}-MLX"), (&citizen, email), start, now).unwrap();
    message_queue::appointment_mail(conn, id, MailKind::Confirmation, now, Some("token"), now)
        .unwrap();
    outbox::table
        .filter(outbox::owner_kind.eq("appointment"))
        .filter(outbox::owner_id.eq(id))
        .select(outbox::id)
        .first(conn)
        .unwrap()
}

/// `(attempts, last_error, given up, due at)` of an outbox row.
type MailState = (i32, Option<String>, bool, chrono::NaiveDateTime);

fn mail_state(app: &TestApp, id: i64) -> MailState {
    let (attempts, error, dropped, due): (i32, Option<String>, Option<chrono::NaiveDateTime>, _) =
        outbox::table
            .find(id)
            .select((
                outbox::attempts,
                outbox::last_error,
                outbox::dropped_at,
                outbox::due_at,
            ))
            .first(&mut *app.pool.get().unwrap())
            .unwrap();
    (attempts, error, dropped.is_some(), due)
}

fn recipients(sink: &SmtpSink) -> BTreeSet<String> {
    sink.take()
        .iter()
        .map(|m| {
            m.to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_owned()
        })
        .collect()
}

async fn book(app: &TestApp, email: &str) -> reqwest::Response {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    app.client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
            "citizen": {"name": "Mail Borger", "email": email}
        }))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn an_address_the_mailer_would_refuse_is_refused_at_the_door() {
    let app = spawn_app().await;
    let problem = expect_problem(book(&app, &too_long_address()).await, 422).await;
    assert_eq!(problem["errors"][0]["field"], "citizen.email", "{problem}");
    assert!(
        problem["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("64"),
        "{problem}"
    );
    let waitlist = app
        .client
        .post(app.url("/api/v1/waitlist"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "from": "2027-03-31", "to": "2027-03-31",
            "citizen": {"name": "Vente Borger", "email": too_long_address()}
        }))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(waitlist, 422).await;
    assert_eq!(problem["errors"][0]["field"], "citizen.email", "{problem}");
    let stored: i64 = skranke::store::schema::appointments::table
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(stored, 0, "nothing was booked");
    let longest = format!("{}@example.dk", "a".repeat(64));
    assert_eq!(book(&app, &longest).await.status(), 201, "64 is allowed");
}

#[tokio::test]
async fn one_bad_row_among_a_hundred_good_ones_fails_alone_in_one_pass() {
    let app = spawn_app().await;
    let now = app.clock.now();
    let bad = {
        let mut conn = app.pool.get().unwrap();
        let mut bad = None;
        for n in 0..101 {
            let email = if n == 37 {
                too_long_address()
            } else {
                format!("borger{n}@example.dk")
            };
            let id = stored_booking(&mut conn, n, &email, now);
            if n == 37 {
                bad = Some(id);
            }
        }
        bad.unwrap()
    };
    let sink = SmtpSink::start();
    let mailer = sink.mailer();

    let done = deliver_due(&app.pool, &mailer, BASE, now).unwrap();
    assert_eq!((done.sent, done.failed), (100, 1), "{done:?}");
    let expected: BTreeSet<String> = (0..101)
        .filter(|n| *n != 37)
        .map(|n| format!("borger{n}@example.dk"))
        .collect();
    assert_eq!(recipients(&sink), expected);

    let (attempts, error, given_up, _) = mail_state(&app, bad);
    assert_eq!(attempts, 1, "the attempt is counted");
    assert!(
        given_up,
        "a mail that cannot be composed is not tried again"
    );
    let error = error.unwrap();
    assert!(error.contains("64"), "{error}");
    assert!(!error.contains("aaaa"), "{error}");

    app.clock.advance(Duration::hours(2));
    let again = deliver_due(&app.pool, &mailer, BASE, app.clock.now()).unwrap();
    assert_eq!(
        (again.sent, again.failed),
        (0, 0),
        "nothing is left, nothing leased"
    );
}

/// Refuses `refused@…` for good and `later@…` for now, the way a real server answers.
fn refuse_some(recipient: &str) -> Option<String> {
    match recipient.split('@').next() {
        Some("refused") => Some(format!(
            "550 5.1.1 <{recipient}>: Recipient address rejected: User unknown"
        )),
        Some("later") => Some(format!("451 4.3.0 <{recipient}>: Temporary lookup failure")),
        _ => None,
    }
}

#[tokio::test]
async fn a_permanent_refusal_fails_for_good_and_a_passing_one_is_tried_again() {
    let app = spawn_app().await;
    let now = app.clock.now();
    let (refused, later) = {
        let mut conn = app.pool.get().unwrap();
        stored_booking(&mut conn, 0, "first@example.dk", now);
        let refused = stored_booking(&mut conn, 1, "refused@example.dk", now);
        let later = stored_booking(&mut conn, 2, "later@example.dk", now);
        stored_booking(&mut conn, 3, "last@example.dk", now);
        (refused, later)
    };
    let sink = SmtpSink::refusing(refuse_some);
    let mailer = sink.mailer();

    let done = deliver_due(&app.pool, &mailer, BASE, now).unwrap();
    assert_eq!((done.sent, done.failed), (2, 2), "{done:?}");
    assert_eq!(
        recipients(&sink),
        BTreeSet::from(["first@example.dk".to_owned(), "last@example.dk".to_owned()])
    );

    let (attempts, error, given_up, _) = mail_state(&app, refused);
    let error = error.unwrap();
    assert_eq!(attempts, 1);
    assert!(given_up, "a 5xx refusal of the recipient is final: {error}");
    assert!(error.contains("550") && error.contains("5.1.1"), "{error}");
    assert!(!error.contains("refused@"), "{error}");

    let (attempts, error, given_up, due) = mail_state(&app, later);
    let error = error.unwrap();
    assert_eq!(attempts, 1);
    assert!(!given_up, "a 4xx is tried again: {error}");
    assert!(
        error.contains("451") && !error.contains("later@"),
        "{error}"
    );
    assert_eq!(
        due,
        (now + Duration::minutes(1)).naive_utc(),
        "after a minute"
    );

    // The server takes everything now: only the passing failure goes, once its wait is over.
    let open = SmtpSink::start();
    let mailer = Mailer::new(Some(&open.url()), std::env::temp_dir()).unwrap();
    app.clock.advance(Duration::minutes(2));
    let done = deliver_due(&app.pool, &mailer, BASE, app.clock.now()).unwrap();
    assert_eq!((done.sent, done.failed), (1, 0), "{done:?}");
    assert_eq!(
        recipients(&open),
        BTreeSet::from(["later@example.dk".to_owned()])
    );
}

/// A free port on loopback for a server started after this returns.
pub(crate) fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// Polls `check` every 100 ms until it holds or `limit` has passed.
pub(crate) async fn wait_until(limit: StdDuration, mut check: impl FnMut() -> bool) -> bool {
    let started = Instant::now();
    while started.elapsed() < limit {
        if check() {
            return true;
        }
        tokio::time::sleep(StdDuration::from_millis(100)).await;
    }
    check()
}

/// Kills the server when the test ends, passed or not.
pub(crate) struct Running(std::process::Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts the real `skranke serve` on the database at `database_url`, on a free port, at
/// the tests' Monday morning, with `env` besides and its output in `dir` (`stdout`,
/// `stderr`); returns it with its base URL once `/health` answers.
pub(crate) async fn serve(
    database_url: &str,
    env: &[(&str, String)],
    dir: &std::path::Path,
) -> (Running, String) {
    let port = free_port();
    let server = Running(
        Command::new(env!("CARGO_BIN_EXE_skranke"))
            .arg("serve")
            .env("SKRANKE_DATABASE_URL", database_url)
            .env("SKRANKE_BIND", format!("127.0.0.1:{port}"))
            .env("SKRANKE_NOW", "2027-03-29T06:00:00Z")
            .env("SKRANKE_LOG", "info")
            .env("SKRANKE_MAIL_DIR", dir.join("mail"))
            .envs(env.iter().map(|(k, v)| (*k, v.as_str())))
            .stdout(Stdio::from(File::create(dir.join("stdout")).unwrap()))
            .stderr(Stdio::from(File::create(dir.join("stderr")).unwrap()))
            .spawn()
            .expect("the skranke binary starts"),
    );
    let base = format!("http://127.0.0.1:{port}");
    let client = reqwest::Client::new();
    let started = Instant::now();
    loop {
        match client.get(format!("{base}/health")).send().await {
            Ok(r) if r.status().is_success() => break,
            _ if started.elapsed() < StdDuration::from_secs(60) => {
                tokio::time::sleep(StdDuration::from_millis(100)).await
            }
            other => panic!("the server did not come up: {other:?}"),
        }
    }
    (server, base)
}

const JENS: &str = "jens.jensen@example.org";
const KAREN: &str = "karen.hansen@example.org";
const KAREN_PHONE: &str = "+45 12 34 56 78";
const WAITING: &str = "vente.borger@example.org";

fn refuse_everyone(recipient: &str) -> Option<String> {
    Some(format!(
        "550 5.1.1 <{recipient}>: Recipient address rejected: User unknown in virtual mailbox table"
    ))
}

/// The real `skranke serve` with its own logging, against a mail server that refuses every
/// recipient and quotes the address: neither its logs nor the stored errors keep one.
#[tokio::test]
async fn refused_mail_leaves_no_address_in_the_logs_or_the_database() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    seed(&mut pool.get().unwrap(), monday_morning());
    let sink = SmtpSink::refusing(refuse_everyone);
    let dir = tempfile::tempdir().unwrap();
    let (stdout, stderr) = (dir.path().join("stdout"), dir.path().join("stderr"));
    let (server, base) = serve(
        &db.url_string(),
        &[("SKRANKE_SMTP_URL", sink.url())],
        dir.path(),
    )
    .await;
    let client = reqwest::Client::new();

    let slots: Value = client
        .get(format!(
            "{base}/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31"
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for (n, citizen) in [
        json!({"name": "Jens Jensen", "email": JENS}),
        json!({"name": "Karen Hansen", "email": KAREN, "phone": KAREN_PHONE}),
    ]
    .into_iter()
    .enumerate()
    {
        let booked = client
            .post(format!("{base}/api/v1/appointments"))
            .json(&json!({
                "location": "raadhuset", "service": "pas", "start": slots[n]["start"],
                "citizen": citizen
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(booked.status(), 201);
    }
    {
        // A waitlist entry and its first mail, straight into the store.
        let mut conn = pool.get().unwrap();
        let (location, service) = pas_at_raadhuset(&mut conn);
        let day: chrono::NaiveDate = "2027-04-02".parse().unwrap();
        let citizen = Citizen {
            name: "Vente Borger".into(),
            email: WAITING.into(),
            phone: None,
            sms_opt_in: false,
            feedback_opt_in: false,
        };
        let entry = store::waitlist::insert_entry(
            &mut conn,
            &store::waitlist::NewEntry {
                reference: "W12-ABC",
                token_hash: "not a real token",
                location,
                service,
                range: WaitRange { from: day, to: day },
                citizen: &citizen,
                language: Language::Da,
                now: monday_morning(),
            },
        )
        .unwrap();
        message_queue::waitlist_mail(
            &mut conn,
            entry,
            None,
            WaitlistMailKind::Joined,
            "token",
            monday_morning(),
        )
        .unwrap();
    }

    // The confirmations and the waitlist mail; the reminders are not due yet.
    let errors = || -> Vec<Option<String>> {
        let mut conn = pool.get().unwrap();
        outbox::table
            .filter(outbox::event.eq_any(["confirmation", "joined"]))
            .select(outbox::last_error)
            .load(&mut conn)
            .unwrap()
    };
    // The worker runs every ten seconds.
    let refused = wait_until(StdDuration::from_secs(60), || {
        let errors = errors();
        errors.len() >= 3 && errors.iter().all(Option::is_some)
    })
    .await;
    drop(server);
    let logs =
        std::fs::read_to_string(&stdout).unwrap() + &std::fs::read_to_string(&stderr).unwrap();
    assert!(refused, "every mail was tried: {:?}\n{logs}", errors());

    assert!(
        logs.contains("message not delivered"),
        "the refusals are logged: {logs}"
    );
    let stored: Vec<String> = errors().into_iter().flatten().collect();
    for error in &stored {
        assert!(error.contains("550") && error.contains("5.1.1"), "{error}");
    }
    let text = format!("{logs}\n{}", stored.join("\n"));
    for personal in [
        JENS,
        KAREN,
        WAITING,
        "jens.jensen",
        "karen.hansen",
        "vente.borger",
        KAREN_PHONE,
        "12 34 56 78",
        "Jens Jensen",
        "Karen Hansen",
    ] {
        assert!(!text.contains(personal), "{personal} appears in:\n{text}");
    }
}
