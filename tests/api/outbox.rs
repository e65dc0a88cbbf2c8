//! The one outbox: what each change queues in its own transaction, that a worker that dies
//! between claiming and sending loses nothing, that two server processes on one database
//! send each message exactly once, and that a poison message holds back none of the others.

use std::collections::BTreeMap;
use std::sync::Mutex;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::message_queue;
use skranke::app::outbox::{deliver_due, Transports, LEASE};
use skranke::app::transport::{Failure, Transport};
use skranke::clock::Clock as _;
use skranke::domain::booking::{Citizen, Language, MailKind};
use skranke::domain::message_kind::MessageKind;
use skranke::domain::outbox::Owner;
use skranke::store::schema::appointments as appointments_table;
use skranke::store::schema::outbox;
use skranke::store::{self, appointments, DatabaseUrl, DbConnection};

use crate::helpers::{fresh_pool, monday_morning, seed, spawn_app, TestApp, TestDatabase};
use crate::mail::SmtpSink;
use crate::mail_failures::{pas_at_raadhuset, serve, stored_passport, wait_until};

const BASE: &str = "http://skranke.test";

async fn slots(app: &TestApp) -> Vec<Value> {
    app.get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await
        .as_array()
        .unwrap()
        .clone()
}

fn appointment_id(app: &TestApp, reference: &str) -> i64 {
    appointments::find(&mut app.pool.get().unwrap(), reference)
        .unwrap()
        .unwrap()
        .id
}

/// `(kind, event, due)` of what the appointment still has to send.
fn pending(app: &TestApp, id: i64) -> Vec<(MessageKind, String, DateTime<Utc>)> {
    store::outbox::pending(&mut app.pool.get().unwrap(), Owner::appointment(id)).unwrap()
}

fn rows_of(app: &TestApp, id: i64) -> i64 {
    outbox::table
        .filter(outbox::owner_kind.eq("appointment"))
        .filter(outbox::owner_id.eq(id))
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap()
}

fn mail(event: &str, due: DateTime<Utc>) -> (MessageKind, String, DateTime<Utc>) {
    (MessageKind::Mail, event.to_owned(), due)
}

fn at(slot: &Value) -> DateTime<Utc> {
    slot["start"].as_str().unwrap().parse().unwrap()
}

/// The errand's reminder goes a day before.
const REMINDER: Duration = Duration::hours(24);

#[tokio::test]
async fn booking_moving_and_cancelling_queue_exactly_their_messages() {
    let app = spawn_app().await;
    let now = app.clock.now();
    let free = slots(&app).await;
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": free[0]["start"],
            "citizen": {"name": "Kø Borger", "email": "koe@example.dk"}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );
    let id = appointment_id(&app, reference);
    let first = at(&free[0]);
    assert_eq!(
        pending(&app, id),
        [
            mail("confirmation", now),
            mail("reminder", first - REMINDER)
        ]
    );
    assert_eq!(rows_of(&app, id), 2);

    // A move to a time that is not free fails whole: nothing queued, no reminder dropped.
    let refused = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/reschedule?token={token}"
        )))
        .json(&json!({"start": "2027-03-31T03:07:00+02:00"}))
        .send()
        .await
        .unwrap();
    assert!(refused.status().is_client_error(), "{}", refused.status());
    assert_eq!(rows_of(&app, id), 2);

    let moved = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/reschedule?token={token}"
        )))
        .json(&json!({"start": free[3]["start"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let second = at(&free[3]);
    assert_eq!(
        pending(&app, id),
        [
            mail("confirmation", now),
            mail("changed", now),
            mail("reminder", second - REMINDER)
        ],
        "the first reminder is given up"
    );
    assert_eq!(rows_of(&app, id), 4);

    let cancelled = app
        .client
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(
        pending(&app, id),
        [
            mail("confirmation", now),
            mail("changed", now),
            mail("cancelled", now)
        ]
    );
    assert_eq!(rows_of(&app, id), 5);
}

/// The mail files a file mailer wrote.
fn files_in(dir: &std::path::Path) -> usize {
    std::fs::read_dir(dir).unwrap().count()
}

#[tokio::test]
async fn a_worker_that_dies_after_claiming_loses_nothing_and_the_mail_goes_once() {
    let app = spawn_app().await;
    crate::mail::book(&app, "efter.nedbrud@example.dk").await;
    let now = app.clock.now();

    // A worker claims the confirmation and dies before sending it.
    let claimed =
        store::outbox::claim_due(&mut app.pool.get().unwrap(), "dead", LEASE, 50, now).unwrap();
    assert_eq!(claimed.len(), 1);

    // The server starts again: a new pool on the same database.
    let pool = store::connect(&DatabaseUrl::parse(&app.database_url()), 2).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(None, dir.path().to_owned()).unwrap();
    let done = deliver_due(&pool, &mailer, BASE, now).unwrap();
    assert_eq!(done.sent, 0, "the lease still holds it");

    let later = now + LEASE + Duration::seconds(1);
    let done = deliver_due(&pool, &mailer, BASE, later).unwrap();
    assert_eq!((done.sent, done.failed, done.dropped), (1, 0, 0));
    let again = deliver_due(&pool, &mailer, BASE, later + LEASE * 2).unwrap();
    assert_eq!(again.sent, 0);
    assert_eq!(files_in(dir.path()), 1, "sent once");

    // The dead worker's late word changes nothing.
    let settled = store::outbox::settle(
        &mut pool.get().unwrap(),
        claimed[0].id,
        "dead",
        &store::outbox::Outcome::Sent,
        later,
    )
    .unwrap();
    assert!(!settled);
}

/// Writes `n` bookings at the city hall with a confirmation each, around the booking rules
/// (as many as a test needs, on any day); the citizen of booking `i` is `borger{i}@…`.
pub(crate) fn queue_confirmations(conn: &mut DbConnection, n: usize, now: DateTime<Utc>) {
    store::write(conn, |conn| {
        for i in 0..n {
            let start = now + Duration::days(2) + Duration::minutes(i as i64);
            let (name, email) = (format!("Borger {i}"), format!("borger{i}@example.dk"));
            let reference = format!("Q{i:04}-OBX");
            let id = stored_passport(conn, &reference, (&name, &email), start, now)?;
            message_queue::appointment_mail(conn, id, MailKind::Confirmation, now, None, now)?;
        }
        Ok::<_, store::StoreError>(())
    })
    .unwrap();
}

/// Takes every mail, and refuses the one to `poison` with an error that quotes the address
/// and a phone number, as a careless gateway would.
struct Recorder {
    poison: &'static str,
    sent: Mutex<Vec<String>>,
}

impl Transport<lettre::Message> for Recorder {
    fn send(&self, message: &lettre::Message) -> Result<(), Failure> {
        let to = message.envelope().to()[0].to_string();
        if to == self.poison {
            return Err(Failure::permanent(&format!(
                "550 5.1.1 <{to}> unknown; call +45 12 34 56 78"
            )));
        }
        self.sent.lock().unwrap().push(to);
        Ok(())
    }
}

#[tokio::test]
async fn a_poison_message_among_a_hundred_good_ones_holds_back_none() {
    let app = spawn_app().await;
    let now = app.clock.now();
    queue_confirmations(&mut app.pool.get().unwrap(), 101, now);
    let recorder = Recorder {
        poison: "borger50@example.dk",
        sent: Mutex::new(Vec::new()),
    };
    let done = deliver_due(
        &app.pool,
        Transports {
            mail: &recorder,
            sms: None,
            webhook: None,
        },
        BASE,
        now,
    )
    .unwrap();
    assert_eq!((done.sent, done.failed, done.dropped), (100, 1, 0));
    let mut sent = recorder.sent.into_inner().unwrap();
    sent.sort();
    sent.dedup();
    assert_eq!(sent.len(), 100);
    assert!(!sent.iter().any(|to| to == "borger50@example.dk"));

    let errors: Vec<Option<String>> = outbox::table
        .filter(outbox::last_error.is_not_null())
        .select(outbox::last_error)
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(errors.len(), 1);
    let error = errors[0].as_deref().unwrap();
    assert!(error.contains("550 5.1.1"), "{error}");
    assert!(
        !error.contains("borger50") && !error.contains("12 34 56 78"),
        "{error}"
    );
}

/// A mail transport that, while its first mail goes, lets the lease on the rest of its
/// worker's batch run out and a second worker pass: a mail server slow enough to hold the
/// first worker past its lease.
struct Stalling<'a> {
    pool: store::Pool,
    now: DateTime<Utc>,
    second: &'a Recorder,
    sent: Mutex<Vec<String>>,
}

impl Transport<lettre::Message> for Stalling<'_> {
    fn send(&self, message: &lettre::Message) -> Result<(), Failure> {
        let to = message.envelope().to()[0].to_string();
        let mut sent = self.sent.lock().unwrap();
        if sent.is_empty() {
            let mut conn = self.pool.get().unwrap();
            let sending: i64 = appointments_table::table
                .filter(appointments_table::citizen_email.eq(&to))
                .select(appointments_table::id)
                .first(&mut *conn)
                .unwrap();
            // Time passes for the batch's other leases (taken when the batch was claimed)
            // while this mail's lease, renewed just before it went, still holds.
            diesel::update(
                outbox::table
                    .filter(outbox::owner_id.ne(sending))
                    .filter(outbox::sent_at.is_null()),
            )
            .set(outbox::leased_until.eq((self.now - Duration::seconds(1)).naive_utc()))
            .execute(&mut *conn)
            .unwrap();
            let transports = Transports {
                mail: self.second,
                sms: None,
                webhook: None,
            };
            deliver_due(&self.pool, transports, BASE, self.now).unwrap();
        }
        sent.push(to);
        Ok(())
    }
}

#[tokio::test]
async fn a_worker_held_past_its_lease_sends_nothing_another_worker_took_meanwhile() {
    let app = spawn_app().await;
    let now = app.clock.now();
    queue_confirmations(&mut app.pool.get().unwrap(), 5, now);
    let pool = app.pool.clone();
    let (first_sent, second_sent) = tokio::task::spawn_blocking(move || {
        let second = Recorder {
            poison: "nobody@example.dk",
            sent: Mutex::new(Vec::new()),
        };
        let first = Stalling {
            pool: pool.clone(),
            now,
            second: &second,
            sent: Mutex::new(Vec::new()),
        };
        let transports = Transports {
            mail: &first,
            sms: None,
            webhook: None,
        };
        let done = deliver_due(&pool, transports, BASE, now).unwrap();
        assert_eq!((done.sent, done.failed), (1, 0), "{done:?}");
        (
            first.sent.into_inner().unwrap(),
            second.sent.into_inner().unwrap(),
        )
    })
    .await
    .unwrap();
    assert_eq!(first_sent.len(), 1);
    assert_eq!(
        second_sent.len(),
        4,
        "the second took what the first had not begun"
    );
    let mut all: Vec<&String> = first_sent.iter().chain(&second_sent).collect();
    all.sort();
    all.dedup();
    assert_eq!(
        all.len(),
        5,
        "each mail went once: {first_sent:?} {second_sent:?}"
    );
    let left: i64 = outbox::table
        .filter(outbox::sent_at.is_null())
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(left, 0, "and each is marked sent");
}

/// Two workers with pools of their own on one database, as two server processes are,
/// drain 1,000 messages at once: each goes exactly once.
#[tokio::test]
async fn two_workers_on_one_database_send_a_thousand_messages_exactly_once() {
    let app = spawn_app().await;
    let now = app.clock.now();
    queue_confirmations(&mut app.pool.get().unwrap(), 1000, now);
    let url = DatabaseUrl::parse(&app.database_url());
    let start = std::sync::Arc::new(std::sync::Barrier::new(2));
    let workers: Vec<_> = (0..2)
        .map(|_| {
            let (url, start) = (url.clone(), start.clone());
            std::thread::spawn(move || {
                let pool = store::connect(&url, 2).unwrap();
                let recorder = Recorder {
                    poison: "nobody@example.dk",
                    sent: Mutex::new(Vec::new()),
                };
                start.wait();
                let done = deliver_due(
                    &pool,
                    Transports {
                        mail: &recorder,
                        sms: None,
                        webhook: None,
                    },
                    BASE,
                    now,
                )
                .unwrap();
                assert_eq!(done.failed, 0);
                recorder.sent.into_inner().unwrap()
            })
        })
        .collect();
    let mut times: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_worker = Vec::new();
    for worker in workers {
        let sent = worker.join().unwrap();
        per_worker.push(sent.len());
        for to in sent {
            *times.entry(to).or_default() += 1;
        }
    }
    assert_eq!(times.len(), 1000, "every message went: {per_worker:?}");
    assert!(
        times.values().all(|n| *n == 1),
        "none went twice: {per_worker:?}"
    );
    let left: i64 = outbox::table
        .filter(outbox::sent_at.is_null())
        .count()
        .get_result(&mut *app.pool.get().unwrap())
        .unwrap();
    assert_eq!(left, 0);
}

/// Two real `skranke serve` processes on one database, each with a mail server of its own,
/// start at once on 1,000 queued messages: between them each goes exactly once.
#[tokio::test]
async fn two_server_processes_send_a_thousand_queued_messages_exactly_once() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    seed(&mut pool.get().unwrap(), monday_morning());
    queue_confirmations(&mut pool.get().unwrap(), 1000, monday_morning());
    let sinks = [SmtpSink::start(), SmtpSink::start()];
    let dirs = [tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap()];
    let url = db.url_string();
    let env = sinks
        .each_ref()
        .map(|sink| [("SKRANKE_SMTP_URL", sink.url())]);
    let (first, second) = tokio::join!(
        serve(&url, &env[0], dirs[0].path()),
        serve(&url, &env[1], dirs[1].path()),
    );
    let unsent = || -> i64 {
        outbox::table
            .filter(outbox::sent_at.is_null())
            .count()
            .get_result(&mut *pool.get().unwrap())
            .unwrap()
    };
    let done = wait_until(std::time::Duration::from_secs(240), || unsent() == 0).await;
    drop((first, second));
    assert!(done, "{} messages still unsent", unsent());

    let mut times: BTreeMap<String, usize> = BTreeMap::new();
    let mut per_server = Vec::new();
    for sink in &sinks {
        let received = sink.take();
        per_server.push(received.len());
        for message in received {
            let to = message.to().unwrap().first().unwrap().address().unwrap();
            *times.entry(to.to_owned()).or_default() += 1;
        }
    }
    assert_eq!(times.len(), 1000, "every message went: {per_server:?}");
    assert!(
        times.values().all(|n| *n == 1),
        "none went twice: {per_server:?}"
    );
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

fn count(conn: &mut DbConnection, sql: &str) -> i64 {
    diesel::sql_query(sql).get_result::<Count>(conn).unwrap().n
}

/// The migration to the one outbox carries over the unsent mails of the appointments'
/// outbox and of the waitlist's mail table, secrets and attempts included, and reverts.
#[test]
fn the_unsent_mail_of_both_old_tables_is_carried_over() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let mut conn = pool.get().unwrap();
    let now = monday_morning();
    seed(&mut conn, now);
    queue_confirmations(&mut conn, 3, now);
    let (location, service) = pas_at_raadhuset(&mut conn);
    let day: chrono::NaiveDate = "2027-04-02".parse().unwrap();
    let entry = store::waitlist::insert_entry(
        &mut conn,
        &store::waitlist::NewEntry {
            reference: "W77-OBX",
            token_hash: "not a real token",
            location,
            service,
            range: skranke::domain::waitlist::WaitRange { from: day, to: day },
            citizen: &Citizen {
                name: "Vente Borger".into(),
                email: "vente@example.dk".into(),
                phone: None,
                sms_opt_in: false,
                feedback_opt_in: false,
            },
            language: Language::En,
            now,
        },
    )
    .unwrap();
    message_queue::waitlist_mail(
        &mut conn,
        entry,
        None,
        skranke::domain::waitlist::WaitlistMailKind::Joined,
        "hemmelig",
        now,
    )
    .unwrap();
    let first: i64 = outbox::table
        .order(outbox::id)
        .select(outbox::id)
        .first(&mut *conn)
        .unwrap();
    diesel::update(outbox::table.find(first))
        .set(outbox::sent_at.eq(Some(now.naive_utc())))
        .execute(&mut *conn)
        .unwrap();

    store::revert_through(&mut conn, "2026-12-10-000001_one_outbox").unwrap();
    let unsent = "SELECT COUNT(*) AS n FROM outbox WHERE sent_at IS NULL AND kind = 'confirmation'";
    assert_eq!(count(&mut conn, unsent), 2, "the sent one stays behind");
    let waiting = "SELECT COUNT(*) AS n FROM waitlist_mails WHERE token = 'hemmelig'";
    assert_eq!(count(&mut conn, waiting), 1);
    // A reminder queued before the change, tried twice.
    diesel::sql_query(
        "INSERT INTO outbox (appointment_id, kind, due_at, attempts, last_error, created_at) \
         SELECT id, 'reminder', starts_at, 2, 'timed out', created_at FROM appointments \
         WHERE reference = 'Q0002-OBX'",
    )
    .execute(&mut *conn)
    .unwrap();

    store::migrate(&mut conn).unwrap();
    type Row = (String, String, String, Option<String>, i32, Option<String>);
    let rows: Vec<Row> = outbox::table
        .order(outbox::id)
        .select((
            outbox::kind,
            outbox::owner_kind,
            outbox::event,
            outbox::secret,
            outbox::attempts,
            outbox::last_error,
        ))
        .load(&mut *conn)
        .unwrap();
    let row = |owner: &str, event: &str, secret: Option<&str>, attempts, error: Option<&str>| {
        (
            "mail".to_owned(),
            owner.to_owned(),
            event.to_owned(),
            secret.map(str::to_owned),
            attempts,
            error.map(str::to_owned),
        )
    };
    assert_eq!(
        rows,
        [
            row("appointment", "confirmation", None, 0, None),
            row("appointment", "confirmation", None, 0, None),
            row("appointment", "reminder", None, 2, Some("timed out")),
            row("waitlist_entry", "joined", Some("hemmelig"), 0, None),
        ]
    );
    drop(conn);
    let dir = tempfile::tempdir().unwrap();
    let mailer = Mailer::new(None, dir.path().to_owned()).unwrap();
    let done = deliver_due(&pool, &mailer, BASE, now).unwrap();
    assert_eq!(
        (done.sent, done.failed),
        (3, 0),
        "the reminder is not due yet"
    );
}
