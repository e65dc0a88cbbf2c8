//! Webhooks: administrators alone register, read and delete endpoints; a booking, a move, a
//! cancellation and a ticket reach a receiver on loopback through the outbox, each signed
//! the Standard Webhooks way, in order per appointment, tried again after a 500 and given up
//! after a day, with the endpoint's state and last error (no address) for the administrator.

use base64::engine::general_purpose::STANDARD;
use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::outbox::{deliver_due, Delivery, Transports};
use skranke::app::webhook_sender::WebhookSender;
use skranke::clock::Clock as _;
use skranke::store::Pool;

use crate::helpers::{expect_problem, signed_in_json, spawn_app, TestApp, PASSWORD};
use crate::loopback::{Loopback, Request};

const SECRET: &str = "en-hemmelighed-til-crm-systemet";

pub(crate) fn receiver(script: &[u16]) -> Loopback {
    Loopback::answering(script, |_, _| "{}".to_owned())
}

async fn register(app: &TestApp, token: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/webhooks"))
        .bearer_auth(token)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Registers `url` for `events` as the administrator; returns its id.
pub(crate) async fn registered(app: &TestApp, url: &str, events: &[&str]) -> i64 {
    let admin = app.login("admin").await;
    let response = register(
        app,
        &admin,
        json!({"url": url, "secret": SECRET, "events": events}),
    )
    .await;
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["id"].as_i64().unwrap()
}

async fn endpoints(app: &TestApp) -> Value {
    let admin = app.login("admin").await;
    signed_in_json(&app.client, &app.url("/api/v1/webhooks"), &admin).await
}

/// One pass of the worker with mail to files and webhooks over HTTP, off the async runtime.
pub(crate) async fn pass(pool: &Pool, at: DateTime<Utc>) -> Delivery {
    let pool = pool.clone();
    tokio::task::spawn_blocking(move || {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::new(None, dir.path().to_owned()).unwrap();
        let sender = WebhookSender::new().unwrap();
        let transports = Transports {
            mail: &mailer,
            sms: None,
            webhook: Some(&sender),
        };
        deliver_due(&pool, transports, "http://skranke.test", at).unwrap()
    })
    .await
    .unwrap()
}

/// Checks a delivery as a receiver would: the signature over `id.timestamp.body` with the
/// shared secret, computed here apart from Skranke's own code.
pub(crate) fn verified(request: &Request) -> Value {
    let id = request.header("webhook-id").unwrap();
    let timestamp = request.header("webhook-timestamp").unwrap();
    let mut mac = Hmac::<sha2_hmac::Sha256>::new_from_slice(SECRET.as_bytes()).unwrap();
    mac.update(format!("{id}.{timestamp}.{}", request.body).as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    assert_eq!(request.header("webhook-signature"), Some(expected.as_str()));
    assert_eq!(request.header("content-type"), Some("application/json"));
    let body = request.json();
    assert_eq!(body["id"], id, "the header names the body's id");
    body
}

/// Books the first free passport time on 31 March; returns reference and token.
async fn book(app: &TestApp) -> (String, String, String) {
    let booked = app
        .book_first_passport(json!({
            "citizen": {"name": "Webhook Borger", "email": "webhook@example.dk", "phone": "12345678"}
        }))
        .await;
    let text = |k: &str| booked[k].as_str().unwrap().to_owned();
    (text("reference"), text("token"), text("start"))
}

#[tokio::test]
async fn only_administrators_register_read_and_delete_endpoints_and_bad_ones_are_refused() {
    let app = spawn_app().await;
    let staff = app.login("staff").await;
    let good = json!({"url": "https://crm.kommune.dk/hooks", "secret": SECRET, "events": ["ticket.called"]});
    expect_problem(register(&app, &staff, good.clone()).await, 403).await;
    let listed = app
        .client
        .get(app.url("/api/v1/webhooks"))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    expect_problem(listed, 403).await;
    // A client of its own: the app's client keeps the last sign-in's cookie.
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/webhooks"))
        .json(&good)
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;

    let admin = app.login("admin").await;
    for (body, field) in [
        (
            json!({"url": "http://crm.kommune.dk/hooks", "secret": SECRET, "events": ["ticket.called"]}),
            "url",
        ),
        (
            json!({"url": "https://crm.kommune.dk/hooks", "secret": "kort", "events": ["ticket.called"]}),
            "secret",
        ),
        (
            json!({"url": "https://crm.kommune.dk/hooks", "secret": SECRET, "events": ["ticket.lost"]}),
            "events",
        ),
        (
            json!({"url": "https://crm.kommune.dk/hooks", "secret": SECRET, "events": []}),
            "events",
        ),
    ] {
        let problem = expect_problem(register(&app, &admin, body).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{problem}");
    }
    assert_eq!(endpoints(&app).await, json!([]), "a refusal stores nothing");

    let response = register(&app, &admin, good).await;
    assert_eq!(response.status(), 201);
    let id = response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap();
    let listed = endpoints(&app).await;
    assert_eq!(listed[0]["id"], id);
    assert_eq!(listed[0]["url"], "https://crm.kommune.dk/hooks");
    assert_eq!(listed[0]["events"], json!(["ticket.called"]));
    assert_eq!(listed[0]["state"], "active");
    assert!(
        !listed.to_string().contains(SECRET),
        "the secret is never read back"
    );

    let path = app.url(&format!("/api/v1/webhooks/{id}"));
    let by_staff = app
        .client
        .delete(&path)
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    expect_problem(by_staff, 403).await;
    let deleted = app
        .client
        .delete(&path)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    assert_eq!(endpoints(&app).await, json!([]));
    let again = app
        .client
        .delete(&path)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_problem(again, 404).await;
}

#[tokio::test]
async fn a_receiver_verifies_every_delivery_sees_them_in_order_and_gets_a_retry_after_a_500() {
    let app = spawn_app().await;
    let hook = receiver(&[500]);
    let events = [
        "appointment.booked",
        "appointment.moved",
        "appointment.cancelled",
        "ticket.issued",
    ];
    registered(&app, &hook.url("/skranke"), &events).await;
    let (reference, token, start) = book(&app).await;
    let path = format!("/api/v1/appointments/{reference}");
    let later = start.parse::<DateTime<Utc>>().unwrap() + Duration::hours(2);
    let moved = app
        .client
        .post(app.url(&format!("{path}/reschedule?token={token}")))
        .json(&json!({"start": later.to_rfc3339()}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let cancelled = app
        .client
        .delete(app.url(&format!("{path}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    let now = app.clock.now();

    pass(&app.pool, now).await;
    assert_eq!(
        hook.received().len(),
        1,
        "the move and the cancel wait for the booking"
    );
    let failing = endpoints(&app).await;
    assert_eq!(failing[0]["state"], "retrying");
    let error = failing[0]["last_error"].as_str().unwrap();
    assert!(error.contains("500"), "{error}");
    assert!(
        !error.contains("127.0.0.1") && !error.contains("skranke"),
        "{error}"
    );

    let early = pass(&app.pool, now + Duration::seconds(30)).await;
    assert_eq!(early, Delivery::default(), "the retry waits its turn");
    pass(&app.pool, now + Duration::minutes(1)).await;
    let received = hook.received();
    let bodies: Vec<Value> = received.iter().map(verified).collect();
    let types: Vec<&str> = bodies.iter().map(|b| b["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "appointment.booked",
            "appointment.booked",
            "appointment.moved",
            "appointment.cancelled"
        ]
    );
    assert_eq!(
        bodies[0]["id"], bodies[1]["id"],
        "a retry is the same event"
    );
    assert_ne!(bodies[1]["id"], bodies[2]["id"]);
    assert_eq!(bodies[1]["data"]["reference"], reference.as_str());
    assert_eq!(bodies[1]["data"]["service"], "pas");
    assert_eq!(bodies[1]["data"]["location"], "raadhuset");
    assert_eq!(bodies[1]["data"]["start"], start.as_str());
    assert!(bodies[2]["data"]["start"]
        .as_str()
        .unwrap()
        .ends_with("+02:00"));
    for request in &received {
        for personal in ["Webhook Borger", "webhook@example.dk", "12345678"] {
            assert!(!request.body.contains(personal), "{}", request.body);
        }
    }
    assert_eq!(endpoints(&app).await[0]["state"], "active");

    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let ticket = app.walk_in("vejledning").await;
    pass(&app.pool, app.clock.now()).await;
    let issued = verified(hook.received().last().unwrap());
    assert_eq!(issued["type"], "ticket.issued");
    assert_eq!(issued["data"]["ticket"], ticket["id"]);
    assert_eq!(issued["data"]["number"], ticket["number"]);
    assert_eq!(hook.received().len(), 5, "each event once");
}

#[tokio::test]
async fn a_delivery_failing_for_a_day_is_given_up_and_shown_as_failed() {
    let app = spawn_app().await;
    let hook = receiver(&[500; 40]);
    registered(&app, &hook.url("/hooks"), &["appointment.booked"]).await;
    book(&app).await;
    let now = app.clock.now();
    pass(&app.pool, now).await;
    let given_up = pass(&app.pool, now + Duration::hours(23) + Duration::minutes(59)).await;
    assert_eq!(given_up.failed, 1);
    let after = pass(&app.pool, now + Duration::hours(30)).await;
    assert_eq!(after.failed, 0, "nothing is tried after the day");
    assert_eq!(hook.received().len(), 2);
    let listed = endpoints(&app).await;
    assert_eq!(listed[0]["state"], "failed");
    assert!(listed[0]["last_error"].as_str().unwrap().contains("500"));
}

#[tokio::test]
async fn a_deleted_endpoint_is_owed_nothing() {
    let app = spawn_app().await;
    let hook = receiver(&[]);
    let id = registered(&app, &hook.url("/hooks"), &["appointment.booked"]).await;
    book(&app).await;
    let admin = app.login("admin").await;
    let deleted = app
        .client
        .delete(app.url(&format!("/api/v1/webhooks/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(deleted.status(), 204);
    let done = pass(&app.pool, app.clock.now()).await;
    assert_eq!(done.sent, 1, "the confirmation mail alone");
    assert!(hook.received().is_empty());
}

#[tokio::test]
async fn a_planner_is_refused_every_webhook_route_and_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let account = json!({
        "username": "per.planner", "name": "Per Planner", "email": "per.planner@kommune.example.dk",
        "roles": ["planner"], "locations": ["raadhuset"], "home_location": "raadhuset",
        "services": [], "contract_hours": 37,
    });
    let created = app
        .client
        .post(app.url("/api/v1/admin/staff"))
        .bearer_auth(&admin)
        .json(&account)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 201);
    skranke::app::auth::set_password(&mut app.pool.get().unwrap(), "per.planner", PASSWORD)
        .unwrap();
    let id = registered(&app, "https://crm.kommune.dk/hooks", &["ticket.called"]).await;
    let planner = app.login("per.planner").await;
    let me = signed_in_json(&app.client, &app.url("/api/v1/auth/me"), &planner).await;
    assert_eq!(
        me["roles"],
        json!(["planner"]),
        "a planner and nothing else"
    );
    let body = json!({"url": "https://crm.kommune.dk/other", "secret": SECRET, "events": ["ticket.called"]});
    let (list, one) = (
        app.url("/api/v1/webhooks"),
        app.url(&format!("/api/v1/webhooks/{id}")),
    );
    for request in [
        app.client.get(&list),
        app.client.post(&list).json(&body),
        app.client.delete(&one),
    ] {
        let response = request.bearer_auth(&planner).send().await.unwrap();
        expect_problem(response, 403).await;
    }
    let listed = endpoints(&app).await;
    assert_eq!(listed.as_array().unwrap().len(), 1, "{listed}");
    assert_eq!(listed[0]["url"], "https://crm.kommune.dk/hooks");
}
