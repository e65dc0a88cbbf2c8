//! Visits of several errands and needs, through the API: the free times of the whole visit,
//! one booking for it, the desks its needs ask for, and every refusal naming its field.

use serde_json::{json, Value};

use crate::booking::{book, book_at_once, stored_appointments};
use crate::helpers::{expect_problem, spawn_app, spawn_app_with, won_and_refused, TestApp};

const TUESDAY: &str = "2027-03-30";

async fn slots(app: &TestApp, query: &str) -> Vec<Value> {
    let path = format!("/api/v1/locations/raadhuset/slots?{query}&from={TUESDAY}&to={TUESDAY}");
    app.get_json(&path).await.as_array().unwrap().clone()
}

fn minutes(slot: &Value) -> i64 {
    let at = |key: &str| chrono::DateTime::parse_from_rfc3339(slot[key].as_str().unwrap()).unwrap();
    (at("end") - at("start")).num_minutes()
}

pub(crate) fn visit(start: &str, email: &str) -> Value {
    json!({
        "location": "raadhuset",
        "services": [{"service": "pas", "quantity": 2}, {"service": "sundhedskort"}],
        "start": start,
        "citizen": {"name": "Familien Hansen", "email": email},
    })
}

#[tokio::test]
async fn two_passports_and_a_health_card_are_one_visit_booked_moved_and_cancelled_whole() {
    let app = spawn_app().await;
    let free = slots(&app, "services=pas:2,sundhedskort").await;
    assert!(!free.is_empty());
    assert!(
        free.iter().all(|s| minutes(s) == 15 + 15 + 5),
        "two passports in full and a health card: {free:?}"
    );
    let start = free[0]["start"].as_str().unwrap();
    let response = book(&app, &visit(start, "hansen@example.dk")).await;
    assert_eq!(response.status(), 201);
    let booked: Value = response.json().await.unwrap();
    assert_eq!(
        booked["services"],
        json!([{"service": "pas", "quantity": 2}, {"service": "sundhedskort", "quantity": 1}])
    );
    assert_eq!(booked["service"], "pas", "the first errand leads");
    assert_eq!(booked["end"], free[0]["end"]);

    let (reference, token) = (
        booked["reference"].as_str().unwrap(),
        booked["token"].as_str().unwrap(),
    );
    let shown = app
        .get_json(&format!("/api/v1/appointments/{reference}?token={token}"))
        .await;
    assert_eq!(shown["services"], booked["services"]);
    let ics = app
        .client
        .get(app.url(&format!(
            "/api/v1/appointments/{reference}/calendar.ics?token={token}"
        )))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        ics.contains("SUMMARY:2 × Pas\\, Sundhedskort – Rådhuset"),
        "{ics}"
    );

    // Moved, the whole visit moves: the same length at the new time.
    let later = free.last().unwrap();
    let moved = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/reschedule?token={token}"
        )))
        .json(&json!({"start": later["start"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    let moved: Value = moved.json().await.unwrap();
    assert_eq!(
        (&moved["start"], &moved["end"]),
        (&later["start"], &later["end"])
    );
    assert_eq!(moved["services"], booked["services"]);
    let cancelled = app
        .client
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);
    assert_eq!(
        slots(&app, "services=pas:2,sundhedskort").await,
        free,
        "cancelled, every time is free again"
    );
}

#[tokio::test]
async fn a_step_free_need_gets_only_the_step_free_desks_times_and_extra_time_lengthens() {
    let app = spawn_app().await;
    let needs = app
        .get_json("/api/v1/locations/raadhuset/needs?lang=en")
        .await;
    let kinds: Vec<&str> = needs
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "interpreter",
            "step_free",
            "hearing_loop",
            "extra_time",
            "quiet_room"
        ]
    );
    assert_eq!(needs[1]["name"], "Step-free desk");
    let nuuk = app.get_json("/api/v1/locations/nuuk/needs").await;
    let kinds: Vec<&str> = nuuk
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["interpreter", "extra_time"],
        "no desk there has the others"
    );

    let plain = slots(&app, "service=pas").await;
    let step_free = slots(&app, "service=pas&needs=step_free").await;
    assert_eq!(plain[0]["available"], 2);
    assert_eq!(step_free[0]["start"], plain[0]["start"]);
    assert!(
        step_free.iter().all(|s| s["available"] == 1),
        "one step-free desk among the two"
    );
    let longer = slots(&app, "service=pas&needs=extra_time").await;
    assert!(longer.iter().all(|s| minutes(s) == 15 + 15));

    let start = step_free[0]["start"].as_str().unwrap();
    let with_need = |email: &str| {
        json!({
            "location": "raadhuset",
            "service": "pas",
            "needs": [{"kind": "step_free"}],
            "start": start,
            "citizen": {"name": "Kørestol Bruger", "email": email},
        })
    };
    assert_eq!(book(&app, &with_need("a@example.dk")).await.status(), 201);
    expect_problem(book(&app, &with_need("b@example.dk")).await, 409).await;
    let plain_booking = json!({
        "location": "raadhuset",
        "service": "pas",
        "start": start,
        "citizen": {"name": "Anden Borger", "email": "c@example.dk"},
    });
    assert_eq!(
        book(&app, &plain_booking).await.status(),
        201,
        "the other desk still takes a passport without the need"
    );
}

#[tokio::test]
async fn every_bad_visit_names_its_field_and_stores_nothing() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let free = slots(&app, "services=pas:2,sundhedskort").await;
    let start = free[0]["start"].as_str().unwrap();
    let before = stored_appointments(&app);
    let with = |key: &str, value: Value| {
        let mut body = visit(start, "ok@example.dk");
        body[key] = value;
        body
    };
    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "an unknown errand",
            with("services", json!([{"service": "dykkercertifikat"}])),
            "services[0].service",
        ),
        (
            "more passports than one visit may hold",
            with("services", json!([{"service": "pas", "quantity": 5}])),
            "services[0].quantity",
        ),
        (
            "none of an errand",
            with("services", json!([{"service": "pas", "quantity": 0}])),
            "services[0].quantity",
        ),
        (
            "an errand not offered here",
            with(
                "services",
                json!([{"service": "pas"}, {"service": "borger-pc"}]),
            ),
            "services[1].service",
        ),
        (
            "an errand named twice",
            with("services", json!([{"service": "pas"}, {"service": "pas"}])),
            "services[1].service",
        ),
        (
            "an unknown need",
            with("needs", json!([{"kind": "wheelchair"}])),
            "needs[0].kind",
        ),
        (
            "an interpreter without a language",
            with("needs", json!([{"kind": "interpreter"}])),
            "needs[0].detail",
        ),
        (
            "both forms of the errand",
            with("service", json!("pas")),
            "services",
        ),
    ];
    for (what, body, field) in cases {
        let problem = expect_problem(book(&app, &body).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{what}: {problem}");
    }
    let path =
        format!("/api/v1/locations/raadhuset/slots?services=pas:9&from={TUESDAY}&to={TUESDAY}");
    let response = app.client.get(app.url(&path)).send().await.unwrap();
    let problem = expect_problem(response, 422).await;
    assert_eq!(problem["errors"][0]["field"], "services[0].quantity");
    assert_eq!(stored_appointments(&app), before, "nothing was booked");

    // With the language the interpreter is booked, and the visit takes the need's time.
    let mut interpreted = visit(start, "tolk@example.dk");
    interpreted["needs"] = json!([{"kind": "interpreter", "detail": "arabisk"}]);
    let booked: Value = book(&app, &interpreted).await.json().await.unwrap();
    let start_at = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    let end_at = chrono::DateTime::parse_from_rfc3339(booked["end"].as_str().unwrap()).unwrap();
    assert_eq!((end_at - start_at).num_minutes(), 35 + 15, "{booked}");
}

/// However many race for the last places of one span, only as many visits as there are
/// desks serving all their errands get it.
#[tokio::test]
async fn a_hundred_concurrent_visits_for_one_span_never_overbook() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let first = slots(&app, "services=pas:2,sundhedskort").await[0].clone();
    let start = first["start"].as_str().unwrap().to_owned();
    let available = first["available"].as_u64().unwrap() as usize;
    assert!(available >= 1);
    let bodies: Vec<Value> = (0..100)
        .map(|i| visit(&start, &format!("familie{i}@example.dk")))
        .collect();
    let statuses = book_at_once(&app, &bodies).await;
    assert_eq!(
        won_and_refused(&statuses),
        (available, 100 - available),
        "{statuses:?}"
    );
    let after = slots(&app, "services=pas:2,sundhedskort").await;
    assert!(
        after.iter().all(|s| s["start"] != first["start"]),
        "the span is full"
    );
}
