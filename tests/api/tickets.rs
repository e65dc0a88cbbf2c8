use chrono::{DateTime, Utc};
use diesel::prelude::*;
use futures::future::join_all;
use serde_json::{json, Value};
use skranke::store::schema::door_outcomes;

use crate::helpers::{expect_problem, spawn_app, TestApp};

async fn take(app: &TestApp, service: &str, assist: bool) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": service, "assist": assist}))
        .send()
        .await
        .unwrap()
}

/// Tuesday 30 March 2027, 10:30 in Copenhagen: the city hall is open.
fn open_now(app: &TestApp) {
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
}

fn seq(number: &str) -> u32 {
    assert!(
        number.len() >= 4 && number.chars().next().unwrap().is_ascii_uppercase(),
        "{number}"
    );
    number[1..].parse().unwrap()
}

#[tokio::test]
async fn a_closed_office_says_when_it_opens() {
    // Easter Monday 2027 at 08:00: closed all day for the holiday, open Tuesday at ten.
    let app = spawn_app().await;
    let body = expect_problem(take(&app, "vejledning", false).await, 409).await;
    assert_eq!(body["next_opening"], "2027-03-30T10:00:00+02:00");
}

#[tokio::test]
async fn tickets_are_numbered_per_queue_and_show_their_place() {
    let app = spawn_app().await;
    open_now(&app);
    let first: Value = take(&app, "vejledning", false).await.json().await.unwrap();
    let second = take(&app, "vejledning", false).await;
    assert_eq!(second.status(), 201);
    let second: Value = second.json().await.unwrap();
    let (a, b) = (
        first["number"].as_str().unwrap(),
        second["number"].as_str().unwrap(),
    );
    assert_eq!((seq(a), seq(b)), (1, 2));
    assert_eq!(a[..1], b[..1], "one queue, one letter");
    assert_eq!(second["position"], 1);
    assert_eq!(second["issued_at"], "2027-03-30T10:30:00+02:00");
    assert!(
        second["estimated_wait_minutes"].is_null(),
        "no desk is open yet"
    );

    let id = second["id"].as_str().unwrap();
    assert!(id.len() >= 32, "unguessable");
    assert!(second["status_url"].as_str().unwrap().ends_with(id));
    let status = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(status["number"], b);
    assert_eq!(status["status"], "waiting");
    assert_eq!(status["position"], 1);
    let keys: Vec<&String> = status.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "desk",
            "estimated_wait_minutes",
            "number",
            "position",
            "status"
        ],
        "no personal data"
    );
    expect_problem(app.get("/api/v1/tickets/0000").await, 404).await;
}

#[tokio::test]
async fn the_door_sends_to_self_service_or_booking_and_records_it() {
    let app = spawn_app().await;
    open_now(&app);
    let online = expect_problem(take(&app, "sundhedskort", false).await, 422).await;
    assert!(online["self_service_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));
    assert_eq!(
        take(&app, "sundhedskort", true).await.status(),
        201,
        "helped, never turned away"
    );

    let booking = expect_problem(take(&app, "pas", false).await, 422).await;
    assert!(
        !booking["slots"].as_array().unwrap().is_empty(),
        "{booking}"
    );
    let booking_url = booking["booking_url"].as_str().unwrap();
    assert!(
        booking_url.ends_with("/book?location=raadhuset&service=pas"),
        "the booking of that errand there: {booking_url}"
    );
    assert_eq!(
        take(&app, "pas", true).await.status(),
        201,
        "a citizen who needs help with a booking-only errand is helped at a desk"
    );

    let mut outcomes: Vec<String> = door_outcomes::table
        .select(door_outcomes::outcome)
        .load(&mut *app.pool.get().unwrap())
        .unwrap();
    outcomes.sort();
    assert_eq!(
        outcomes,
        [
            "assisted_ticket",
            "assisted_ticket",
            "needs_booking",
            "self_service"
        ]
    );
}

/// Numbers are unique and without gaps however many citizens press at once.
#[tokio::test]
async fn three_hundred_concurrent_tickets_get_the_next_three_hundred_numbers() {
    let app = spawn_app().await;
    open_now(&app);
    let requests = (0..300).map(|_| {
        let (client, url) = (app.client.clone(), app.url("/api/v1/tickets"));
        async move {
            let body = json!({"location": "raadhuset", "service": "vejledning"});
            let response = client.post(url).json(&body).send().await.unwrap();
            assert_eq!(response.status(), 201);
            let ticket: Value = response.json().await.unwrap();
            seq(ticket["number"].as_str().unwrap())
        }
    });
    let mut numbers = join_all(requests).await;
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=300).collect::<Vec<u32>>());
}

#[tokio::test]
async fn the_status_url_answers_with_the_ticket_page() {
    let app = spawn_app().await;
    open_now(&app);
    take(&app, "vejledning", false).await;
    let ticket: Value = take(&app, "vejledning", false).await.json().await.unwrap();
    let path = ticket["status_url"]
        .as_str()
        .unwrap()
        .replace("http://skranke.test", "");
    let page = app.get(&path).await;
    assert_eq!(page.status(), 200);
    let html = page.text().await.unwrap();
    assert!(html.contains(ticket["number"].as_str().unwrap()));
    assert!(html.contains("Foran dig: <strong>1</strong>"), "{html}");
    let english = app
        .get(&format!("{path}?lang=en"))
        .await
        .text()
        .await
        .unwrap();
    assert!(english.contains("Ahead of you"));
    assert_eq!(app.get("/tickets/unknown").await.status(), 404);
}

#[tokio::test]
async fn a_booking_checks_in_once_within_its_window() {
    let app = spawn_app().await;
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let start = slots[0]["start"].as_str().unwrap().to_owned();
    assert_eq!(start, "2027-03-30T10:00:00+02:00");
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(
            &json!({"location": "raadhuset", "service": "pas", "start": start,
                      "citizen": {"name": "Tjek Ind", "email": "tjek@example.dk"}}),
        )
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
    let check_in = |token: String| {
        let url = app.url(&format!(
            "/api/v1/appointments/{reference}/check-in?token={token}"
        ));
        let client = app.client.clone();
        async move { client.post(url).send().await.unwrap() }
    };

    app.clock.set("2027-03-30T07:00:00Z".parse().unwrap()); // an hour early
    let early = expect_problem(check_in(token.to_owned()).await, 409).await;
    assert!(
        early["detail"].as_str().unwrap().contains("too early"),
        "{early}"
    );
    // What a kiosk needs to say it in its own words: why, and from when, in local time.
    assert_eq!(early["reason"], "too_early");
    assert_eq!(early["check_in_from"], "2027-03-30T09:30:00+02:00");
    assert!(
        early["detail"]
            .as_str()
            .unwrap()
            .ends_with("come back from 2027-03-30T09:30:00+02:00"),
        "local time, not UTC: {early}"
    );
    expect_problem(check_in("0".repeat(64)).await, 404).await;

    app.clock.set("2027-03-30T07:45:00Z".parse().unwrap()); // a quarter of an hour early
    let ticket = check_in(token.to_owned()).await;
    assert_eq!(ticket.status(), 201);
    let ticket: Value = ticket.json().await.unwrap();
    assert_eq!(seq(ticket["number"].as_str().unwrap()), 1);
    let shown = app
        .get_json(&format!("/api/v1/appointments/{reference}?token={token}"))
        .await;
    assert_eq!(shown["status"], "checked_in");
    let again = expect_problem(check_in(token.to_owned()).await, 409).await;
    assert_eq!(again["reason"], "not_booked");
}

/// Books `service` at the first free time from `day` and returns (start, reference, token).
async fn book_first(app: &TestApp, service: &str, day: &str) -> (DateTime<Utc>, String, String) {
    let slots = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?service={service}&from={day}&to={day}"
        ))
        .await;
    let start = slots[0]["start"]
        .as_str()
        .unwrap_or_else(|| panic!("no free {service} on {day}: {slots}"))
        .to_owned();
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(
            &json!({"location": "raadhuset", "service": service, "start": start,
                      "citizen": {"name": "Sen Borger", "email": "sen@example.dk"}}),
        )
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        DateTime::parse_from_rfc3339(&start).unwrap().into(),
        booked["reference"].as_str().unwrap().to_owned(),
        booked["token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn a_latecomer_gets_what_the_errand_says_a_walk_in_ticket_or_a_refusal() {
    let app = spawn_app().await;
    let check_in = |reference: &str, token: &str| {
        let url = app.url(&format!(
            "/api/v1/appointments/{reference}/check-in?token={token}"
        ));
        let client = app.client.clone();
        async move { client.post(url).send().await.unwrap() }
    };

    // Passports: after the ten minutes' grace, an ordinary walk-in ticket.
    let (start, reference, token) = book_first(&app, "pas", "2027-03-31").await;
    app.clock.set(start + chrono::Duration::minutes(15));
    let late = check_in(&reference, &token).await;
    assert_eq!(late.status(), 201, "a walk-in ticket for the latecomer");
    let shown = app
        .get_json(&format!("/api/v1/appointments/{reference}?token={token}"))
        .await;
    assert_eq!(shown["status"], "checked_in");

    // Building permits refuse after five minutes (examples/organisation.toml).
    let (start, reference, token) = book_first(&app, "byggesag", "2027-04-06").await;
    app.clock.set(start + chrono::Duration::minutes(5));
    assert_eq!(check_in(&reference, &token).await.status(), 201, "in grace");
    let (start, reference, token) = book_first(&app, "byggesag", "2027-04-09").await;
    app.clock.set(start - chrono::Duration::minutes(16));
    let early = expect_problem(check_in(&reference, &token).await, 409).await;
    assert!(early["detail"].as_str().unwrap().contains("too early"));
    app.clock.set(start + chrono::Duration::minutes(6));
    let refused = expect_problem(check_in(&reference, &token).await, 409).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("5 minutes"),
        "{refused}"
    );
}
