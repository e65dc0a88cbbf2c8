use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{expect_problem, spawn_app, spawn_app_with, won_and_refused, TestApp};

const TUESDAY: &str = "2027-03-30";

async fn slots(app: &TestApp, service: &str, from: &str, to: &str) -> Vec<Value> {
    let path = format!("/api/v1/locations/raadhuset/slots?service={service}&from={from}&to={to}");
    app.get_json(&path).await.as_array().unwrap().clone()
}

pub(crate) fn booking(start: &str, email: &str) -> Value {
    json!({
        "location": "raadhuset",
        "service": "pas",
        "start": start,
        "citizen": {"name": "Test Borger", "email": email},
    })
}

pub(crate) async fn book(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/appointments"))
        .json(body)
        .send()
        .await
        .unwrap()
}

/// Sends every booking at once, as citizens racing for the same times do: the status of each.
pub(crate) async fn book_at_once(app: &TestApp, bodies: &[Value]) -> Vec<u16> {
    join_all(
        bodies
            .iter()
            .map(|body| async { book(app, body).await.status().as_u16() }),
    )
    .await
}

/// How many appointments are stored.
pub(crate) fn stored_appointments(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use skranke::store::schema::appointments::dsl::*;
    appointments
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

#[tokio::test]
async fn free_times_lie_inside_opening_hours_in_local_time() {
    let app = spawn_app().await;
    let list = slots(&app, "pas", TUESDAY, TUESDAY).await;
    assert!(!list.is_empty());
    for s in &list {
        let start = chrono::DateTime::parse_from_rfc3339(s["start"].as_str().unwrap()).unwrap();
        assert_eq!(
            start.offset().local_minus_utc(),
            2 * 3600,
            "summer time in Copenhagen"
        );
        let t = start.time();
        assert!(t >= chrono::NaiveTime::from_hms_opt(10, 0, 0).unwrap());
        assert!(t < chrono::NaiveTime::from_hms_opt(14, 30, 0).unwrap());
        assert!(s["available"].as_u64().unwrap() > 0);
    }
    assert!(
        slots(&app, "pas", "2027-04-04", "2027-04-04")
            .await
            .is_empty(),
        "closed on Sunday"
    );
}

#[tokio::test]
async fn a_booking_takes_a_place_and_a_full_time_answers_409() {
    let app = spawn_app().await;
    let first = slots(&app, "pas", TUESDAY, TUESDAY).await[0].clone();
    let start = first["start"].as_str().unwrap();
    let available = first["available"].as_u64().unwrap();

    for i in 0..available {
        let response = book(&app, &booking(start, &format!("borger{i}@example.dk"))).await;
        assert_eq!(response.status(), 201);
        let body: Value = response.json().await.unwrap();
        assert_eq!(body["start"], start);
        assert!(
            body["token"].as_str().unwrap().len() >= 32,
            "at least 128 bits"
        );
        assert!(body["manage_url"]
            .as_str()
            .unwrap()
            .contains(body["reference"].as_str().unwrap()));
    }
    let full = book(&app, &booking(start, "late@example.dk")).await;
    expect_problem(full, 409).await;
    let after = slots(&app, "pas", TUESDAY, TUESDAY).await;
    assert!(
        after.iter().all(|s| s["start"] != start),
        "a full time is not listed"
    );
}

/// The rule that matters most: however many race for one time, exactly `available` get it.
#[tokio::test]
async fn two_hundred_concurrent_bookings_for_one_time_never_overbook() {
    // All 200 come from one address: the rate limit is off, as for a load test.
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let first = slots(&app, "pas", TUESDAY, TUESDAY).await[0].clone();
    let start = first["start"].as_str().unwrap().to_owned();
    let available = first["available"].as_u64().unwrap() as usize;

    let bodies: Vec<Value> = (0..200)
        .map(|i| booking(&start, &format!("racer{i}@example.dk")))
        .collect();
    let statuses = book_at_once(&app, &bodies).await;
    assert_eq!(
        won_and_refused(&statuses),
        (available, 200 - available),
        "{statuses:?}"
    );
}

#[tokio::test]
async fn bad_bookings_are_refused_clearly_and_change_nothing() {
    let app = spawn_app().await;
    let before = slots(&app, "pas", TUESDAY, TUESDAY).await;
    let start = before[0]["start"].as_str().unwrap();

    let mut bad_citizen = booking(start, "not-an-address");
    bad_citizen["citizen"]["name"] = json!("");
    let body = expect_problem(book(&app, &bad_citizen).await, 422).await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["citizen.name", "citizen.email"]);

    let off_grid = booking("2027-03-30T10:07:00+02:00", "a@example.dk");
    expect_problem(book(&app, &off_grid).await, 422).await;
    let past = booking("2027-03-26T10:00:00+01:00", "a@example.dk");
    expect_problem(book(&app, &past).await, 422).await;
    let mut walk_in = booking(start, "a@example.dk");
    walk_in["service"] = json!("vejledning");
    expect_problem(book(&app, &walk_in).await, 422).await;
    let mut nowhere = booking(start, "a@example.dk");
    nowhere["location"] = json!("atlantis");
    expect_problem(book(&app, &nowhere).await, 404).await;

    assert_eq!(
        slots(&app, "pas", TUESDAY, TUESDAY).await,
        before,
        "nothing was booked"
    );
}

/// The same race without HTTP in between: writers released together by a barrier, so that
/// all of them read the calendar before any of them writes, unless the lock holds them back.
#[test]
fn writers_released_together_still_never_overbook() {
    use skranke::app::booking::{book, slots, BookingRequest};
    use skranke::domain::booking::{Citizen, Language};
    use std::sync::{Arc, Barrier};

    const WRITERS: usize = 40;
    let db = crate::helpers::TestDatabase::new();
    let pool = skranke::store::connect(&db.url, WRITERS as u32).unwrap();
    let now = crate::helpers::monday_morning();
    crate::helpers::seed(&mut pool.get().unwrap(), now);
    let tuesday = TUESDAY.parse().unwrap();
    let (_, free) = slots(
        &mut pool.get().unwrap(),
        "raadhuset",
        "pas",
        tuesday,
        tuesday,
        now,
    )
    .unwrap();
    let (start, available) = (free[0].start.to_utc(), free[0].available as usize);

    let barrier = Arc::new(Barrier::new(WRITERS));
    let handles: Vec<_> = (0..WRITERS)
        .map(|i| {
            let (pool, barrier) = (pool.clone(), barrier.clone());
            std::thread::spawn(move || {
                let request = BookingRequest {
                    location: "raadhuset".into(),
                    visit: skranke::app::visit::VisitAsked::one("pas"),
                    start,
                    citizen: Citizen::parse("Racer", &format!("r{i}@example.dk"), None).unwrap(),
                    language: Language::Da,
                };
                let mut conn = pool.get().unwrap();
                barrier.wait();
                book(&mut conn, &request, now).is_ok()
            })
        })
        .collect();
    let won = handles
        .into_iter()
        .filter(|_| true)
        .map(|h| h.join().unwrap())
        .filter(|ok| *ok)
        .count();
    assert_eq!(won, available);
}

#[tokio::test]
async fn a_holder_sees_moves_and_cancels_and_the_times_free_at_once() {
    let app = spawn_app().await;
    let list = slots(&app, "pas", TUESDAY, TUESDAY).await;
    let (first, later) = (list[0].clone(), list[4].clone());
    let made: Value = book(
        &app,
        &booking(first["start"].as_str().unwrap(), "holder@example.dk"),
    )
    .await
    .json()
    .await
    .unwrap();
    let (reference, token) = (
        made["reference"].as_str().unwrap(),
        made["token"].as_str().unwrap(),
    );
    let path = format!("/api/v1/appointments/{reference}");
    let available_at = |list: &[Value], start: &Value| {
        list.iter()
            .find(|s| s["start"] == *start)
            .map_or(0, |s| s["available"].as_u64().unwrap())
    };

    let shown = app.get_json(&format!("{path}?token={token}")).await;
    assert_eq!(
        (shown["status"].as_str(), &shown["start"]),
        (Some("booked"), &first["start"])
    );
    // A wrong token reads exactly like an unknown reference.
    let wrong = expect_problem(
        app.get(&format!("{path}?token={}", "f".repeat(64))).await,
        404,
    )
    .await;
    let unknown = expect_problem(
        app.get(&format!("/api/v1/appointments/ZZZ-ZZZ?token={token}"))
            .await,
        404,
    )
    .await;
    assert_eq!(wrong["detail"], unknown["detail"]);

    let moved = app
        .client
        .post(app.url(&format!("{path}/reschedule?token={token}")))
        .json(&json!({"start": later["start"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let after_move = slots(&app, "pas", TUESDAY, TUESDAY).await;
    assert_eq!(
        available_at(&after_move, &first["start"]),
        first["available"].as_u64().unwrap()
    );
    assert_eq!(
        available_at(&after_move, &later["start"]),
        later["available"].as_u64().unwrap() - 1
    );

    let cancelled = app
        .client
        .delete(app.url(&format!("{path}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(
        slots(&app, "pas", TUESDAY, TUESDAY).await,
        list,
        "every time is free again"
    );
    let again = app
        .client
        .delete(app.url(&format!("{path}?token={token}")))
        .send()
        .await
        .unwrap();
    expect_problem(again, 409).await;
}

/// The calendar file parses, keeps its UID, raises SEQUENCE on each change, and cancels.
#[tokio::test]
async fn the_calendar_event_follows_the_appointment() {
    use icalendar::{Calendar, CalendarComponent, Component};
    let app = spawn_app().await;
    let list = slots(&app, "pas", TUESDAY, TUESDAY).await;
    let made: Value = book(
        &app,
        &booking(list[0]["start"].as_str().unwrap(), "cal@example.dk"),
    )
    .await
    .json()
    .await
    .unwrap();
    let (reference, token) = (
        made["reference"].as_str().unwrap(),
        made["token"].as_str().unwrap(),
    );
    let ics_path = format!("/api/v1/appointments/{reference}/calendar.ics?token={token}");
    let event = |text: String| {
        let calendar: Calendar = text.parse().unwrap();
        let method = calendar.property_value("METHOD").map(str::to_owned);
        let event = calendar
            .components
            .iter()
            .find_map(|c| match c {
                CalendarComponent::Event(e) => Some(e.clone()),
                _ => None,
            })
            .unwrap();
        (method, event)
    };

    let response = app.get(&ics_path).await;
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/calendar"));
    let (_, first) = event(response.text().await.unwrap());
    assert_eq!(first.property_value("SEQUENCE"), Some("0"));
    let start = chrono::DateTime::parse_from_rfc3339(list[0]["start"].as_str().unwrap()).unwrap();
    assert_eq!(
        first.property_value("DTSTART"),
        Some(start.to_utc().format("%Y%m%dT%H%M%SZ").to_string().as_str())
    );
    assert!(first
        .property_value("LOCATION")
        .unwrap()
        .contains("Rådhuset"));

    app.client
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/reschedule?token={token}"
        )))
        .json(&json!({"start": list[3]["start"]}))
        .send()
        .await
        .unwrap();
    let (_, moved) = event(app.get(&ics_path).await.text().await.unwrap());
    assert_eq!(moved.property_value("UID"), first.property_value("UID"));
    assert_eq!(moved.property_value("SEQUENCE"), Some("1"));

    app.client
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    let (method, gone) = event(app.get(&ics_path).await.text().await.unwrap());
    assert_eq!(method.as_deref(), Some("CANCEL"));
    assert_eq!(gone.property_value("STATUS"), Some("CANCELLED"));
    assert_eq!(gone.property_value("SEQUENCE"), Some("2"));
}

/// Every kind of bad booking: a 4xx problem that names what is wrong, and nothing stored.
#[tokio::test]
async fn every_kind_of_bad_booking_names_its_field_and_stores_nothing() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let start = slots(&app, "pas", TUESDAY, TUESDAY).await[0]["start"].clone();
    let start = start.as_str().unwrap();
    let field_of = |problem: &Value| problem["errors"][0]["field"].as_str().unwrap().to_owned();
    let with = |key: &str, value: Value| {
        let mut body = booking(start, "ok@example.dk");
        body[key] = value;
        body
    };
    let named: Vec<(&str, Value, &str)> = vec![
        (
            "not on the grid",
            with("start", json!("2027-03-30T10:07:00+02:00")),
            "start",
        ),
        (
            "in the past",
            with("start", json!("2027-03-26T10:00:00+01:00")),
            "start",
        ),
        (
            "outside hours",
            with("start", json!("2027-03-30T16:00:00+02:00")),
            "start",
        ),
        (
            "beyond the window",
            with("start", json!("2027-12-01T10:00:00+01:00")),
            "start",
        ),
        (
            "unknown service",
            with("service", json!("dykkercertifikat")),
            "service",
        ),
        (
            "invalid e-mail",
            with(
                "citizen",
                json!({"name": "Test Borger", "email": "no-at-sign"}),
            ),
            "citizen.email",
        ),
        (
            "empty name",
            with("citizen", json!({"name": "  ", "email": "ok@example.dk"})),
            "citizen.name",
        ),
        (
            "10,000-character name",
            with(
                "citizen",
                json!({"name": "A".repeat(10_000), "email": "ok@example.dk"}),
            ),
            "citizen.name",
        ),
    ];
    for (case, body, field) in named {
        let problem = expect_problem(book(&app, &body).await, 422).await;
        assert_eq!(field_of(&problem), field, "{case}: {problem}");
    }

    let nowhere = expect_problem(book(&app, &with("location", json!("atlantis"))).await, 404).await;
    assert!(nowhere["detail"].as_str().unwrap().contains("atlantis"));
    let raw = |body: String| {
        app.client
            .post(app.url("/api/v1/appointments"))
            .header("content-type", "application/json")
            .body(body)
            .send()
    };
    let malformed = expect_problem(raw("{\"location\": ".into()).await.unwrap(), 400).await;
    assert!(malformed["detail"].as_str().unwrap().contains("not valid"));
    let missing = expect_problem(
        raw(json!({"location": "raadhuset", "service": "pas", "start": start}).to_string())
            .await
            .unwrap(),
        400,
    )
    .await;
    assert!(
        missing["detail"].as_str().unwrap().contains("citizen"),
        "{missing}"
    );
    let mut huge = booking(start, "ok@example.dk");
    huge["citizen"]["name"] = json!("A".repeat(70 * 1024));
    let too_big = expect_problem(raw(huge.to_string()).await.unwrap(), 413).await;
    assert!(
        too_big["detail"].as_str().unwrap().contains("larger than"),
        "{too_big}"
    );

    assert_eq!(stored_appointments(&app), 0, "nothing was stored");
}
