//! A known day at the city hall, built through the real API with the test's clock, whose
//! every KPI the tests state by hand. Tuesday 2027-03-30, Copenhagen summer time (UTC+2).
//!
//! Booked on Monday 06:00Z: driving licence 10:00 (checks in), driving licence 10:30
//! (cancelled), passport 11:00 (never comes), job-centre phone meeting 10:00 (held).
//!
//! | UTC   | what |
//! |-------|------|
//! | 07:55 | the staff user signs in |
//! | 08:00 | desk "Skranke 3" opens (until 10:00) |
//! | 08:02 | walk-in V001 (guidance) |
//! | 08:04 | walk-in K001 (driving licence) |
//! | 08:05 | the 10:00 booking checks in: K002 |
//! | 08:06 | health card at the door: sent to self-service |
//! | 08:06 | K002 called (waited 1 min), started; finished resolved 08:16 |
//! | 08:16 | V001 called (waited 14 min), transferred to driving licence |
//! | 08:17 | V001 called again, started; finished referred 08:27 |
//! | 08:27 | K001 called (waited 23 min); no-show 08:28 |
//! | 08:30 | walk-in V002; called 08:31 (waited 1 min), started; resolved 08:36 |
//! | 09:00 | desk "Info" opens; pauses 09:30 |
//! | 10:00 | "Skranke 3" closes; the report is read at 11:00 |

use chrono::Duration;
use serde_json::{json, Value};

use crate::helpers::{city_hall_desk_named, TestApp};

pub const DAY: &str = "2027-03-30";

/// What the day left behind that the tests look at again.
pub struct KnownDay {
    /// The references of the four bookings, in the order above.
    pub references: Vec<String>,
}

async fn post(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> Value {
    let mut request = app.client.post(app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(
        response.status().is_success(),
        "POST {path}: {}",
        response.status()
    );
    if response.status() == 204 {
        Value::Null
    } else {
        response.json().await.unwrap()
    }
}

async fn book(app: &TestApp, service: &str, start: &str, email: &str) -> (String, String) {
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset",
            "service": service,
            "start": start,
            "citizen": {"name": "Kendt Borger", "email": email, "phone": "+45 12345678"},
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "booking {service} at {start}");
    let body: Value = response.json().await.unwrap();
    (
        body["reference"].as_str().unwrap().to_owned(),
        body["token"].as_str().unwrap().to_owned(),
    )
}

async fn walk_in(app: &TestApp, service: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": service}))
        .send()
        .await
        .unwrap()
}

async fn desk_id(app: &TestApp, token: &str, name: &str) -> i64 {
    city_hall_desk_named(app, token, name).await["id"]
        .as_i64()
        .unwrap()
}

/// Moves the test's clock to an instant of the day (UTC `HH:MM`).
fn at(app: &TestApp, hh_mm: &str) {
    app.clock.set(format!("{DAY}T{hh_mm}:00Z").parse().unwrap());
}

/// Builds the day; the clock ends at 11:00Z.
pub async fn build(app: &TestApp) -> KnownDay {
    app.clock.set("2027-03-29T06:00:00Z".parse().unwrap());
    let b1 = book(
        app,
        "koerekort",
        "2027-03-30T10:00:00+02:00",
        "en@example.org",
    )
    .await;
    let b2 = book(
        app,
        "koerekort",
        "2027-03-30T10:30:00+02:00",
        "to@example.org",
    )
    .await;
    let b3 = book(app, "pas", "2027-03-30T11:00:00+02:00", "tre@example.org").await;
    let b4 = book(
        app,
        "jobsamtale",
        "2027-03-30T10:00:00+02:00",
        "fire@example.org",
    )
    .await;
    let cancelled = app
        .client
        .delete(app.url(&format!("/api/v1/appointments/{}?token={}", b2.0, b2.1)))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);

    // Signed in on the day itself: a session lasts a working day.
    at(app, "07:55");
    let staff = app.login("staff").await;
    let skranke3 = desk_id(app, &staff, "Skranke 3").await;
    let info = desk_id(app, &staff, "Info").await;
    let call = |desk: i64| format!("/api/v1/desks/{desk}/call-next");
    let act = |id: &Value, verb: &str| format!("/api/v1/tickets/{}/{verb}", id.as_str().unwrap());

    at(app, "08:00");
    post(app, &staff, &format!("/api/v1/desks/{skranke3}/open"), None).await;
    at(app, "08:02");
    let v001: Value = walk_in(app, "vejledning").await.json().await.unwrap();
    at(app, "08:04");
    let k001: Value = walk_in(app, "koerekort").await.json().await.unwrap();
    at(app, "08:05");
    let checked_in = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{}/check-in?token={}",
            b1.0, b1.1
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(checked_in.status(), 201);
    let k002: Value = checked_in.json().await.unwrap();
    at(app, "08:06");
    assert_eq!(
        walk_in(app, "sundhedskort").await.status(),
        422,
        "done online"
    );

    let called = post(app, &staff, &call(skranke3), None).await;
    assert_eq!(called["id"], k002["id"], "the due booking first");
    post(app, &staff, &act(&k002["id"], "start"), None).await;
    at(app, "08:16");
    let finish = |o: &str| Some(json!({"outcome": o}));
    post(app, &staff, &act(&k002["id"], "finish"), finish("resolved")).await;
    let called = post(app, &staff, &call(skranke3), None).await;
    assert_eq!(called["id"], v001["id"], "guidance has priority");
    post(
        app,
        &staff,
        &act(&v001["id"], "transfer"),
        Some(json!({"service": "koerekort"})),
    )
    .await;
    at(app, "08:17");
    let called = post(app, &staff, &call(skranke3), None).await;
    assert_eq!(
        called["id"], v001["id"],
        "the transfer keeps its place in time"
    );
    post(app, &staff, &act(&v001["id"], "start"), None).await;
    at(app, "08:27");
    post(app, &staff, &act(&v001["id"], "finish"), finish("referred")).await;
    let called = post(app, &staff, &call(skranke3), None).await;
    assert_eq!(called["id"], k001["id"]);
    at(app, "08:28");
    post(app, &staff, &act(&k001["id"], "no-show"), None).await;
    at(app, "08:30");
    let v002: Value = walk_in(app, "vejledning").await.json().await.unwrap();
    at(app, "08:31");
    let called = post(app, &staff, &call(skranke3), None).await;
    assert_eq!(called["id"], v002["id"]);
    post(app, &staff, &act(&v002["id"], "start"), None).await;
    app.clock.advance(Duration::minutes(5));
    post(app, &staff, &act(&v002["id"], "finish"), finish("resolved")).await;

    at(app, "09:00");
    post(app, &staff, &format!("/api/v1/desks/{info}/open"), None).await;
    at(app, "09:30");
    post(app, &staff, &format!("/api/v1/desks/{info}/pause"), None).await;
    at(app, "10:00");
    post(
        app,
        &staff,
        &format!("/api/v1/desks/{skranke3}/close"),
        None,
    )
    .await;
    at(app, "11:00");
    KnownDay {
        references: vec![b1.0, b2.0, b3.0, b4.0],
    }
}
