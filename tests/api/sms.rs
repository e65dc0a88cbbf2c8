//! Text messages through an HTTP SMS gateway, played by a small server on loopback that
//! answers as told (429, 503, then 200): the reminder reaches it with the citizen's number
//! in E.164 digits and a short text in the citizen's language, and is tried again after a
//! refusal that may pass; nothing stored or logged carries the number.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::message_queue;
use skranke::app::outbox::{deliver_due, Delivery, Transports};
use skranke::app::sms_gateway::SmsGateway;
use skranke::clock::Clock as _;
use skranke::domain::booking::MailKind;
use skranke::domain::sms::{fits_one, Sms};
use skranke::store::{appointments, schema::outbox, Pool};

use crate::helpers::{spawn_app, TestApp};

/// One request the gateway double received: its `Authorization` header and JSON body.
#[derive(Debug, Clone)]
struct Received {
    authorization: Option<String>,
    body: Value,
}

/// An SMS gateway on loopback: answers each request with the next status of its script
/// (200 when the script is spent) and keeps what it received.
struct GatewayDouble {
    port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl GatewayDouble {
    fn answering(script: &[u16]) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let script = Arc::new(Mutex::new(script.iter().copied().collect::<VecDeque<_>>()));
        let keep = received.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let status = script.lock().unwrap().pop_front().unwrap_or(200);
                keep.lock().unwrap().push(answer(stream, status));
            }
        });
        Self { port, received }
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}/rest/mtsms", self.port)
    }

    fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }
}

/// Reads one HTTP request and answers it with `status`; the body of a refusal quotes the
/// recipient, as some gateways do.
fn answer(stream: std::net::TcpStream, status: u16) -> Received {
    let mut out = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    let (mut length, mut authorization) = (0, None);
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':').unwrap_or((line, ""));
        match name.to_ascii_lowercase().as_str() {
            "content-length" => length = value.trim().parse().unwrap(),
            "authorization" => authorization = Some(value.trim().to_owned()),
            _ => {}
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).unwrap();
    let body: Value = serde_json::from_slice(&body).unwrap();
    let reply = if status == 200 {
        json!({"ids": [1]}).to_string()
    } else {
        json!({"message": format!("cannot deliver to {}", body["recipients"][0]["msisdn"])})
            .to_string()
    };
    let _ = write!(
        out,
        "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{reply}",
        reply.len()
    );
    Received {
        authorization,
        body,
    }
}

/// Books a time with a mobile number and queues its reminder by SMS, due now.
async fn booked_with_reminder(app: &TestApp, phone: &str, language: &str) -> (i64, String) {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
            "citizen": {"name": "Sms Borger", "email": "sms@example.dk", "phone": phone},
            "language": language
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let reference = booked["reference"].as_str().unwrap().to_owned();
    let mut conn = app.pool.get().unwrap();
    let id = appointments::find(&mut conn, &reference)
        .unwrap()
        .unwrap()
        .id;
    let now = app.clock.now();
    message_queue::appointment_sms(&mut conn, id, MailKind::Reminder, now, now).unwrap();
    (id, reference)
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

#[tokio::test]
async fn the_reminder_reaches_the_gateway_and_is_tried_again_after_a_429_and_a_503() {
    let app = spawn_app().await;
    let double = GatewayDouble::answering(&[429, 503]);
    let gateway = (double.url(), Some("hemmelig-token"));
    let (_, reference) = booked_with_reminder(&app, "12 34 56 78", "da").await;
    let now = app.clock.now();

    let first = pass(&app.pool, &gateway, now).await;
    assert_eq!(
        (first.sent, first.failed),
        (1, 1),
        "the mail goes, the SMS waits"
    );
    let second = pass(&app.pool, &gateway, now + Duration::minutes(1)).await;
    assert_eq!((second.sent, second.failed), (0, 1));
    let third = pass(&app.pool, &gateway, now + Duration::minutes(3)).await;
    assert_eq!((third.sent, third.failed), (1, 0));
    let again = pass(&app.pool, &gateway, now + Duration::hours(2)).await;
    assert_eq!(again, Delivery::default(), "sent once");

    let received = double.received();
    assert_eq!(received.len(), 3);
    let last = &received[2];
    assert_eq!(last.authorization.as_deref(), Some("Bearer hemmelig-token"));
    assert_eq!(last.body["recipients"], json!([{"msisdn": 4512345678u64}]));
    let text = last.body["message"].as_str().unwrap();
    assert!(text.starts_with("Påmindelse: "), "{text}");
    assert!(text.contains(&reference), "{text}");
    assert!(
        text.contains(&format!("http://skranke.test/appointments/{reference}")),
        "{text}"
    );
    assert!(
        fits_one(text),
        "one SMS: {} characters: {text}",
        text.chars().count()
    );
    assert!(!last.body["sender"].as_str().unwrap().is_empty());

    let errors = last_errors(&app);
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert!(errors[0].contains("503"), "{errors:?}");
}

#[tokio::test]
async fn an_english_citizen_gets_english_and_a_refusal_stores_no_number() {
    let app = spawn_app().await;
    let double = GatewayDouble::answering(&[400]);
    let gateway = (double.url(), None);
    booked_with_reminder(&app, "+47 912 34 567", "en").await;
    let done = pass(&app.pool, &gateway, app.clock.now()).await;
    assert_eq!((done.sent, done.failed), (1, 1));
    let received = double.received();
    assert_eq!(received[0].authorization, None);
    assert_eq!(
        received[0].body["recipients"],
        json!([{"msisdn": 4791234567u64}])
    );
    let text = received[0].body["message"].as_str().unwrap();
    assert!(text.starts_with("Reminder: "), "{text}");

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
