//! Text messages through an HTTP SMS gateway, played by a small server on loopback that
//! answers as told (429, 503, then 200): the reminder reaches it with the citizen's number
//! in E.164 digits and a short text in the citizen's language, and is tried again after a
//! refusal that may pass; nothing stored or logged carries the number.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde_json::json;
use skranke::app::mailer::Mailer;
use skranke::app::message_queue;
use skranke::app::outbox::{deliver_due, Delivery, Transports};
use skranke::app::sms_gateway::SmsGateway;
use skranke::clock::Clock as _;
use skranke::domain::booking::MailKind;
use skranke::domain::sms::{fits_one, Sms};
use skranke::store::{appointments, schema::outbox, Pool};

use crate::helpers::{expect_problem, spawn_app, TestApp};
use crate::loopback::Loopback;

/// An SMS gateway on loopback; the body of a refusal quotes the recipient, as some
/// gateways do.
fn gateway_answering(script: &[u16]) -> Loopback {
    Loopback::answering(script, |status, request| {
        if status == 200 {
            json!({"ids": [1]}).to_string()
        } else {
            let to = &request.json()["recipients"][0]["msisdn"];
            json!({"message": format!("cannot deliver to {to}")}).to_string()
        }
    })
}

const GATEWAY_PATH: &str = "/rest/mtsms";

/// A booking as the citizen made it through the API.
struct Booking {
    id: i64,
    reference: String,
    token: String,
    start: DateTime<Utc>,
}

/// Books the first free passport time on 31 March with a mobile number, asking for text
/// messages or not. Passports send their reminders by mail and SMS.
async fn booked(app: &TestApp, phone: &str, language: &str, sms_opt_in: bool) -> Booking {
    let booked = app
        .book_first_passport(json!({
            "citizen": {"name": "Sms Borger", "email": "sms@example.dk", "phone": phone,
                        "sms_opt_in": sms_opt_in},
            "language": language
        }))
        .await;
    let reference = booked["reference"].as_str().unwrap().to_owned();
    let id = appointments::find(&mut app.pool.get().unwrap(), &reference)
        .unwrap()
        .unwrap()
        .id;
    Booking {
        id,
        reference,
        token: booked["token"].as_str().unwrap().to_owned(),
        start: booked["start"].as_str().unwrap().parse().unwrap(),
    }
}

/// The gateway's URL and token, as the settings give them.
type GatewayAt = (String, Option<&'static str>);

/// One pass of the worker with mail to files and SMS to the gateway, off the async runtime
/// (the gateway's client blocks, and has a runtime of its own to start and stop).
async fn pass(pool: &Pool, gateway: &GatewayAt, at: chrono::DateTime<chrono::Utc>) -> Delivery {
    let (pool, (url, token)) = (pool.clone(), gateway.clone());
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(None, dir.path().to_owned()).unwrap();
        let gateway = SmsGateway::new(&url, token).unwrap();
        let sms: &dyn skranke::app::transport::Transport<Sms> = &gateway;
        let transports = Transports {
            mail: &mailer,
            sms: Some(sms),
            webhook: None,
        };
        deliver_due(&pool, transports, "http://skranke.test", at).unwrap()
    })
    .await
    .unwrap()
}

fn last_errors(app: &TestApp) -> Vec<String> {
    outbox::table
        .filter(outbox::kind.eq("sms"))
        .filter(outbox::last_error.is_not_null())
        .select(outbox::last_error.assume_not_null())
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

/// The SMS rows of an appointment in the order they were queued: what each tells of, and
/// whether it was dropped.
fn sms_rows(app: &TestApp, appointment: i64) -> Vec<(String, bool)> {
    outbox::table
        .filter(outbox::kind.eq("sms"))
        .filter(outbox::owner_kind.eq("appointment"))
        .filter(outbox::owner_id.eq(appointment))
        .order(outbox::id)
        .select((outbox::event, outbox::dropped_at.is_not_null()))
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

fn texts(double: &Loopback) -> Vec<String> {
    double
        .received()
        .iter()
        .map(|r| r.json()["message"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn the_reminder_reaches_the_gateway_and_a_429_and_a_503_are_tried_again() {
    let app = spawn_app().await;
    let double = gateway_answering(&[429, 503]);
    let gateway = (double.url(GATEWAY_PATH), Some("hemmelig-token"));
    let booking = booked(&app, "12 34 56 78", "da", true).await;
    let now = app.clock.now();

    let first = pass(&app.pool, &gateway, now).await;
    assert_eq!(
        (first.sent, first.failed),
        (1, 1),
        "the confirmation's mail goes, its SMS waits"
    );
    let second = pass(&app.pool, &gateway, now + Duration::minutes(1)).await;
    assert_eq!((second.sent, second.failed), (0, 1));
    let third = pass(&app.pool, &gateway, now + Duration::minutes(3)).await;
    assert_eq!((third.sent, third.failed), (1, 0));
    let reminder_time = booking.start - Duration::hours(24);
    let early = pass(&app.pool, &gateway, reminder_time - Duration::minutes(1)).await;
    assert_eq!(
        early,
        Delivery::default(),
        "the reminders wait for their time"
    );
    let reminded = pass(&app.pool, &gateway, reminder_time).await;
    assert_eq!(
        (reminded.sent, reminded.failed),
        (2, 0),
        "the reminder by mail and by SMS"
    );
    let again = pass(&app.pool, &gateway, booking.start - Duration::hours(1)).await;
    assert_eq!(again, Delivery::default(), "each sent once");

    let received = double.received();
    assert_eq!(received.len(), 4);
    assert!(texts(&double)[2].starts_with("Bestilt: "), "{received:?}");
    let last = &received[3];
    assert_eq!(last.header("authorization"), Some("Bearer hemmelig-token"));
    assert_eq!(
        last.json()["recipients"],
        json!([{"msisdn": 4512345678u64}])
    );
    let body = last.json();
    let text = body["message"].as_str().unwrap();
    assert!(text.starts_with("Påmindelse: "), "{text}");
    assert!(text.contains(&booking.reference), "{text}");
    assert!(
        text.contains(&format!(
            "http://skranke.test/appointments/{}",
            booking.reference
        )),
        "{text}"
    );
    assert!(
        fits_one(text),
        "one SMS: {} characters: {text}",
        text.chars().count()
    );
    assert!(!last.json()["sender"].as_str().unwrap().is_empty());

    let errors = last_errors(&app);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("503"), "{errors:?}");
}

#[tokio::test]
async fn an_english_citizen_gets_english_and_a_refusal_stores_no_number() {
    let app = spawn_app().await;
    let double = gateway_answering(&[400]);
    let gateway = (double.url(GATEWAY_PATH), None);
    booked(&app, "+47 912 34 567", "en", true).await;
    let done = pass(&app.pool, &gateway, app.clock.now()).await;
    assert_eq!((done.sent, done.failed), (1, 1));
    let received = double.received();
    assert_eq!(received[0].header("authorization"), None);
    assert_eq!(
        received[0].json()["recipients"],
        json!([{"msisdn": 4791234567u64}])
    );
    let body = received[0].json();
    let text = body["message"].as_str().unwrap();
    assert!(text.starts_with("Booked: "), "{text}");

    let errors = last_errors(&app);
    assert_eq!(errors.len(), 1);
    assert!(errors[0].contains("400"), "{errors:?}");
    for digits in ["4791234567", "912 34 567", "91234567"] {
        assert!(!errors[0].contains(digits), "{errors:?}");
    }
    let given_up = pass(&app.pool, &gateway, app.clock.now() + Duration::hours(2)).await;
    assert_eq!(
        given_up,
        Delivery::default(),
        "a refusal is not tried again"
    );
}

#[tokio::test]
async fn no_text_message_goes_without_the_citizens_consent() {
    let app = spawn_app().await;
    let double = gateway_answering(&[]);
    let gateway = (double.url(GATEWAY_PATH), None);
    let booking = booked(&app, "12 34 56 78", "da", false).await;
    assert!(sms_rows(&app, booking.id).is_empty());
    // Even an SMS queued by mistake finds no number to go to.
    let now = app.clock.now();
    let mut conn = app.pool.get().unwrap();
    message_queue::appointment_sms(&mut conn, booking.id, MailKind::Reminder, now, now).unwrap();
    drop(conn);
    let first = pass(&app.pool, &gateway, now).await;
    assert_eq!(
        (first.sent, first.dropped),
        (1, 1),
        "the mail goes, the SMS is dropped"
    );
    let reminded = pass(&app.pool, &gateway, booking.start - Duration::hours(24)).await;
    assert_eq!(
        (reminded.sent, reminded.failed),
        (1, 0),
        "the reminder by mail only"
    );
    assert!(double.received().is_empty(), "{:?}", double.received());
}

#[tokio::test]
async fn a_move_and_a_cancellation_are_told_by_sms_and_drop_the_reminders_not_sent() {
    let app = spawn_app().await;
    let double = gateway_answering(&[]);
    let gateway = (double.url(GATEWAY_PATH), None);
    let booking = booked(&app, "12345678", "da", true).await;
    let path = format!("/api/v1/appointments/{}", booking.reference);
    let later = booking.start + Duration::hours(2);
    let moved = app
        .client
        .post(app.url(&format!("{path}/reschedule?token={}", booking.token)))
        .json(&json!({"start": later.to_rfc3339()}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200, "{:?}", moved.text().await);
    let cancelled = app
        .client
        .delete(app.url(&format!("{path}?token={}", booking.token)))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);

    let rows = sms_rows(&app, booking.id);
    let expected = [
        ("confirmation", false),
        ("reminder", true),
        ("changed", false),
        ("reminder", true),
        ("cancelled", false),
    ];
    let rows: Vec<(&str, bool)> = rows.iter().map(|(e, d)| (e.as_str(), *d)).collect();
    assert_eq!(rows, expected);

    let done = pass(&app.pool, &gateway, app.clock.now()).await;
    assert_eq!((done.sent, done.failed), (6, 0), "three mails, three texts");
    let texts = texts(&double);
    let openings: Vec<&str> = texts.iter().map(|t| t.split(':').next().unwrap()).collect();
    assert_eq!(openings, ["Bestilt", "Ny tid", "Aflyst"], "{texts:?}");
}

#[tokio::test]
async fn asking_for_text_messages_needs_a_mobile_number_and_books_nothing_without() {
    let app = spawn_app().await;
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    for phone in [None, Some("123456")] {
        let refused = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&json!({
                "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
                "citizen": {"name": "Sms Borger", "email": "sms@example.dk", "phone": phone,
                            "sms_opt_in": true}
            }))
            .send()
            .await
            .unwrap();
        let problem = expect_problem(refused, 422).await;
        assert_eq!(
            problem["errors"][0]["field"], "citizen.sms_opt_in",
            "{problem}"
        );
    }
    let after = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    assert_eq!(after[0], slots[0], "nothing was booked");
}
