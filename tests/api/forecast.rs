//! The demand forecast: planners only, a year of demo history in, the known shapes out;
//! and the real queue's tickets and bookings become history.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Value};
use skranke::app;
use skranke::domain::demand::synthetic_history;
use skranke::store;

use crate::helpers::{city_hall_desk_serving, expect_problem, spawn_app, TestApp};

/// The demo's year of history up to the day before the test clock's, as `skranke demo` makes it.
pub fn add_history(app: &TestApp) {
    let spec = app::demo::organisation().unwrap();
    let today = app.clock_now().date_naive();
    let history = synthetic_history(
        &spec,
        today - Duration::days(365),
        today - Duration::days(1),
        2026,
    );
    let mut conn = app.pool.get().unwrap();
    store::demand::insert(&mut conn, spec.slug.as_str(), &history).unwrap();
}

trait Now {
    fn clock_now(&self) -> DateTime<Utc>;
}

impl Now for TestApp {
    fn clock_now(&self) -> DateTime<Utc> {
        use skranke::clock::Clock as _;
        self.clock.now()
    }
}

async fn get(app: &TestApp, token: Option<&str>, query: &str) -> reqwest::Response {
    let mut request = app.client.get(app.url(&format!("/api/v1/forecast{query}")));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

fn local_date(interval: &Value) -> NaiveDate {
    DateTime::parse_from_rfc3339(interval["start"].as_str().unwrap())
        .unwrap()
        .date_naive()
}

fn local_minute(interval: &Value) -> u32 {
    use chrono::Timelike;
    let t = DateTime::parse_from_rfc3339(interval["start"].as_str().unwrap()).unwrap();
    t.hour() * 60 + t.minute()
}

#[tokio::test]
async fn only_planners_and_administrators_see_the_forecast() {
    let app = spawn_app().await;
    let query = "?location=raadhuset&from=2027-04-05&to=2027-04-05";
    expect_problem(get(&app, None, query).await, 401).await;
    let staff = app.login("staff").await;
    expect_problem(get(&app, Some(&staff), query).await, 403).await;
    let admin = app.login("admin").await;
    assert_eq!(get(&app, Some(&admin), query).await.status(), 200);
    let doc = app.get_json("/api/openapi.json").await;
    assert!(doc["paths"]["/api/v1/forecast"]["get"].is_object());
}

#[tokio::test]
async fn bad_questions_are_refused_naming_the_field() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    for (query, field) in [
        ("?location=raadhuset&from=2027-13-01&to=2027-04-05", "from"),
        ("?location=raadhuset&to=2027-04-05", "from"),
        ("?location=raadhuset&from=2027-04-05&to=5.4.2027", "to"),
        ("?location=raadhuset&from=2027-04-05&to=2027-04-04", "to"),
        ("?location=raadhuset&from=2027-04-01&to=2027-06-02", "to"),
        (
            "?location=atlantis&from=2027-04-05&to=2027-04-05",
            "location",
        ),
        (
            "?location=Not%20a%20slug&from=2027-04-05&to=2027-04-05",
            "location",
        ),
        (
            "?location=raadhuset&from=2027-04-05&to=2027-04-05&interval=20",
            "interval",
        ),
        (
            "?location=raadhuset&from=2027-04-05&to=2027-04-05&interval=x",
            "interval",
        ),
    ] {
        let problem = expect_problem(get(&app, Some(&admin), query).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{query}: {problem}");
    }
    // Sixty-two days are fine.
    let ok = get(
        &app,
        Some(&admin),
        "?location=nuuk&from=2027-04-01&to=2027-06-01",
    )
    .await;
    assert_eq!(ok.status(), 200);
}

#[tokio::test]
async fn the_coming_monday_has_a_lunch_peak_and_easter_monday_nothing() {
    let app = spawn_app().await;
    add_history(&app);
    let admin = app.login("admin").await;
    // The test clock stands on Easter Monday 2027, when the city hall is closed.
    let response = get(
        &app,
        Some(&admin),
        "?location=raadhuset&from=2027-03-29&to=2027-04-05",
    )
    .await;
    assert_eq!(response.status(), 200);
    let intervals: Vec<Value> = response.json().await.unwrap();
    let easter = NaiveDate::from_ymd_opt(2027, 3, 29).unwrap();
    let monday = NaiveDate::from_ymd_opt(2027, 4, 5).unwrap();
    assert!(!intervals.iter().any(|i| local_date(i) == easter));
    let on_monday: Vec<&Value> = intervals
        .iter()
        .filter(|i| local_date(i) == monday)
        .collect();
    assert_eq!(on_monday[0]["start"], "2027-04-05T10:00:00+02:00");
    assert_eq!(on_monday[0]["location"], "raadhuset");
    let walk_ins = |from: u32, to: u32| -> f64 {
        on_monday
            .iter()
            .filter(|i| (from..to).contains(&local_minute(i)))
            .map(|i| i["walk_ins"].as_f64().unwrap())
            .sum()
    };
    let (morning, lunch) = (walk_ins(600, 660), walk_ins(780, 840));
    assert!(
        lunch > 1.3 * morning,
        "lunch {lunch:.1} vs morning {morning:.1}"
    );
    let passports = on_monday
        .iter()
        .filter(|i| i["service"] == "pas")
        .map(|i| i["booked"].as_f64().unwrap())
        .sum::<f64>();
    assert!(passports > 3.0, "passports are booked: {passports:.1}");
    let rate = on_monday.iter().find(|i| i["service"] == "pas").unwrap()["no_show_rate"]
        .as_f64()
        .unwrap();
    assert!((0.05..0.2).contains(&rate), "{rate}");

    // Hours sum the quarters and start on the hour.
    let hourly: Vec<Value> = get(
        &app,
        Some(&admin),
        "?location=raadhuset&from=2027-04-05&to=2027-04-05&interval=60",
    )
    .await
    .json()
    .await
    .unwrap();
    assert!(hourly
        .iter()
        .all(|i| local_minute(i) % 60 == 0 && i["interval_minutes"] == 60));
    let total = |list: &[&Value]| -> f64 {
        list.iter()
            .map(|i| i["walk_ins"].as_f64().unwrap() + i["booked"].as_f64().unwrap())
            .sum()
    };
    let hourly_refs: Vec<&Value> = hourly.iter().collect();
    assert!((total(&hourly_refs) - total(&on_monday)).abs() < 0.05);
}

#[tokio::test]
async fn a_booking_already_made_is_in_the_forecast() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    let start = slots[0]["start"].as_str().unwrap().to_owned();
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(
            &json!({"location": "raadhuset", "service": "pas", "start": start,
                      "citizen": {"name": "Borger", "email": "borger@example.dk"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let intervals: Vec<Value> = get(
        &app,
        Some(&admin),
        "?location=raadhuset&from=2027-03-31&to=2027-03-31",
    )
    .await
    .json()
    .await
    .unwrap();
    // Without any history, the one booking is all the forecast knows.
    for i in &intervals {
        let expected = if i["service"] == "pas" && i["start"] == start.as_str() {
            1.0
        } else {
            0.0
        };
        assert_eq!(i["booked"].as_f64().unwrap(), expected, "{i}");
        assert_eq!(i["walk_ins"].as_f64().unwrap(), 0.0);
    }
    assert!(intervals.iter().any(|i| i["booked"] == 1.0));
}

#[tokio::test]
async fn tickets_and_bookings_of_the_real_queue_become_history() {
    let app = spawn_app().await;
    // Tuesday 30 March 2027, 10:15 in Taastrup.
    let quarter: DateTime<Utc> = "2027-03-30T08:15:00Z".parse().unwrap();
    app.clock.set(quarter - Duration::hours(3));
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let mut bookings = Vec::new();
    for slot in slots.as_array().unwrap().iter().take(2) {
        let booked: Value = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(
                &json!({"location": "raadhuset", "service": "pas", "start": slot["start"],
                          "citizen": {"name": "Borger", "email": "borger@example.dk"}}),
            )
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        bookings.push(booked);
    }
    let cancelled = &bookings[1];
    let response = app
        .client
        .delete(app.url(&format!(
            "/api/v1/appointments/{}?token={}",
            cancelled["reference"].as_str().unwrap(),
            cancelled["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert!(response.status().is_success());

    app.clock.set(quarter + Duration::minutes(1));
    let mut tickets = Vec::new();
    for _ in 0..3 {
        tickets.push(app.walk_in("vejledning").await);
    }
    let staff = app.login("staff").await;
    let desk = city_hall_desk_serving(&app, &staff, "vejledning").await["id"]
        .as_i64()
        .unwrap();
    let post = |path: String, body: Option<Value>| {
        let mut request = app.client.post(app.url(&path)).bearer_auth(&staff);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send()
    };
    assert!(post(format!("/api/v1/desks/{desk}/open"), None)
        .await
        .unwrap()
        .status()
        .is_success());
    app.clock.set(quarter + Duration::minutes(3));
    let called: Value = post(format!("/api/v1/desks/{desk}/call-next"), None)
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = called["id"].as_str().unwrap().to_owned();
    post(format!("/api/v1/tickets/{id}/start"), None)
        .await
        .unwrap();
    app.clock.set(quarter + Duration::minutes(7));
    let done = post(
        format!("/api/v1/tickets/{id}/finish"),
        Some(json!({"outcome": "resolved"})),
    )
    .await
    .unwrap();
    assert!(done.status().is_success());

    let mut conn = app.pool.get().unwrap();
    let hall = store::organisations::find_location(&mut conn, "raadhuset")
        .unwrap()
        .unwrap();
    let until: DateTime<Utc> = "2027-03-31T00:00:00Z".parse().unwrap();
    let history =
        store::demand::history(&mut conn, &[hall.id], until - Duration::days(2), until).unwrap();
    let walk_ins = history
        .iter()
        .find(|r| r.service.as_str() == "vejledning")
        .unwrap();
    assert_eq!(walk_ins.interval_start, quarter);
    assert_eq!(
        (walk_ins.walk_ins, walk_ins.booked, walk_ins.served),
        (3, 0, 1)
    );
    assert_eq!(walk_ins.service_seconds, 240, "from the call to the end");
    assert_eq!(walk_ins.wait_seconds, 120, "from the ticket to the call");
    let booked: Vec<_> = history
        .iter()
        .filter(|r| r.service.as_str() == "pas")
        .collect();
    assert_eq!(
        booked.len(),
        1,
        "the cancelled booking is no demand: {booked:?}"
    );
    let start: DateTime<Utc> = DateTime::parse_from_rfc3339(bookings[0]["start"].as_str().unwrap())
        .unwrap()
        .into();
    assert_eq!(booked[0].interval_start, start);
    assert_eq!(
        (booked[0].booked, booked[0].no_shows),
        (1, 1),
        "never checked in"
    );
    // Nothing at the other locations, nor outside the window.
    let nuuk = store::organisations::find_location(&mut conn, "nuuk")
        .unwrap()
        .unwrap();
    assert!(
        store::demand::history(&mut conn, &[nuuk.id], until - Duration::days(2), until)
            .unwrap()
            .is_empty()
    );
    assert!(
        store::demand::history(&mut conn, &[hall.id], until, until + Duration::days(1))
            .unwrap()
            .is_empty()
    );
}
