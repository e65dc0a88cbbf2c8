//! Reduced hours for a period from the administration: a closure that keeps hours of its
//! own open. The confirmed bookings outside them are shown first; cancelling cancels
//! exactly those, with one apology each; keeping cancels none; a bad value is refused as the
//! organisation file's check refuses it; the slot lookup and the kiosk keep to the period's
//! hours, in local time on both sides of a change to or from summer time.

use serde_json::{json, Value};

use crate::admin_closures::{
    affected_of, assert_cancelled_exactly, bookings, cancellation_mails, close, file_refusal,
    free_on, status_of, version, TUESDAY,
};
use crate::helpers::{expect_problem, spawn_app};

/// Tuesday and Wednesday with Tuesday open in the morning only and Wednesday as usual.
fn short_tuesday(version: i64) -> Value {
    json!({
        "from": TUESDAY, "to": "2027-03-31", "reason": "Personalemangel",
        "opening_hours": {"tue": ["10:00-12:00"], "wed": ["10:00-14:30"]},
        "version": version
    })
}

/// The local `HH:MM` and UTC offset of a slot's `key`, as the lookup writes it.
fn local(slot: &Value, key: &str) -> (String, String) {
    let at = slot[key].as_str().unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(at).unwrap();
    (at.format("%H:%M").to_string(), at.format("%:z").to_string())
}

#[tokio::test]
async fn a_shortened_period_with_cancel_cancels_exactly_the_bookings_outside_it_once_each() {
    let app = spawn_app().await;
    let (morning, afternoon, wednesday) = bookings(&app).await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;

    let asked = expect_problem(close(&app, &admin, short_tuesday(v)).await, 422).await;
    assert_eq!(asked["errors"][0]["field"], "bookings");
    assert_eq!(affected_of(&asked), afternoon);
    assert_eq!(version(&app, &admin).await, v, "nothing saved");

    let mut chosen = short_tuesday(v);
    chosen["bookings"] = json!("cancel");
    chosen["affected"] = json!(afternoon);
    let response = close(&app, &admin, chosen).await;
    assert_eq!(response.status(), 201);
    let done: Value = response.json().await.unwrap();
    let untouched = [&morning, &wednesday];
    assert_cancelled_exactly(&app, &done, &afternoon, "Personalemangel", &untouched);
    // Tuesday offers its morning only; Wednesday and the Tuesday after keep their afternoons.
    let tuesday = free_on(&app, TUESDAY).await;
    assert!(!tuesday.is_empty());
    assert!(tuesday
        .iter()
        .all(|s| local(s, "end").0.as_str() <= "12:00"));
    for day in ["2027-03-31", "2027-04-06"] {
        let free = free_on(&app, day).await;
        assert!(
            free.iter().any(|s| local(s, "start").0.as_str() >= "13:00"),
            "{day}"
        );
    }
    let shown = crate::admin_closures::admin_location(&app, &admin).await;
    let period = shown["closures"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["reason"] == "Personalemangel")
        .expect("the period among the closures");
    assert_eq!(period["opening_hours"]["tue"], json!(["10:00-12:00"]));
}

#[tokio::test]
async fn a_shortened_period_with_keep_cancels_nothing() {
    let app = spawn_app().await;
    let (morning, afternoon, wednesday) = bookings(&app).await;
    let admin = app.login("admin").await;
    let mut chosen = short_tuesday(version(&app, &admin).await);
    chosen["bookings"] = json!("keep");
    chosen["affected"] = json!(afternoon);
    let response = close(&app, &admin, chosen).await;
    assert_eq!(response.status(), 201);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([]));
    for reference in afternoon.iter().chain([&morning, &wednesday]) {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
}

#[tokio::test]
async fn a_bad_period_is_refused_as_the_organisation_file_refuses_it() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let cases = [
        (
            json!({"tue": ["12:00-10:00"]}),
            "{ tue = [\"12:00-10:00\"] }",
            None,
            "opening_hours.tue[0]",
        ),
        (
            json!({"tue": ["10:00-12:00", "11:00-13:00"]}),
            "{ tue = [\"10:00-12:00\", \"11:00-13:00\"] }",
            None,
            "opening_hours.tue",
        ),
        (
            json!({"fun": ["10:00-12:00"]}),
            "{ fun = [\"10:00-12:00\"] }",
            None,
            "opening_hours.fun",
        ),
        (
            json!({"tue": ["10:00-12:00"]}),
            "{ tue = [\"10:00-12:00\"] }",
            Some("12:00"),
            "opening_hours",
        ),
    ];
    for (hours, written, closed_from, field) in cases {
        let mut body = short_tuesday(v);
        body["opening_hours"] = hours;
        if let Some(from) = closed_from {
            body["closed_from"] = json!(from);
        }
        let refused = expect_problem(close(&app, &admin, body).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], field, "{refused}");
        let part = closed_from.map_or(String::new(), |f| format!("closed_from = \"{f}\"\n"));
        let in_file = file_refusal(&format!("{part}opening_hours = {written}\n"), field);
        assert_eq!(refused["errors"][0]["message"], in_file.as_str());
    }
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

#[tokio::test]
async fn a_period_across_the_end_of_summer_time_keeps_its_local_hours() {
    let app = spawn_app().await;
    // A Monday a week before the period, for it to lie within the booking horizon.
    app.clock.set("2027-10-18T06:00:00Z".parse().unwrap());
    let admin = app.login("admin").await;
    // Summer time ends on Sunday 31 October 2027: Monday 25 is UTC+2, Monday 1 November UTC+1.
    let period = json!({
        "from": "2027-10-25", "to": "2027-11-05", "reason": "Ombygning",
        "opening_hours": {"mon": ["10:00-11:00"]},
        "version": version(&app, &admin).await
    });
    assert_eq!(close(&app, &admin, period).await.status(), 201);
    for (day, offset) in [("2027-10-25", "+02:00"), ("2027-11-01", "+01:00")] {
        let free = free_on(&app, day).await;
        assert_eq!(
            local(&free[0], "start"),
            ("10:00".into(), offset.into()),
            "{day}"
        );
        assert!(
            free.iter().all(|s| local(s, "end").0.as_str() <= "11:00"),
            "{day}"
        );
    }
    for closed in ["2027-10-26", "2027-11-03"] {
        assert_eq!(free_on(&app, closed).await, Vec::<Value>::new(), "{closed}");
    }
    assert!(
        !free_on(&app, "2027-11-09").await.is_empty(),
        "after the period"
    );
}

#[tokio::test]
async fn the_kiosk_opens_next_when_the_period_opens() {
    let app = spawn_app().await; // Easter Monday, closed
    let admin = app.login("admin").await;
    let period = json!({
        "from": TUESDAY, "reason": "Personalemøde",
        "opening_hours": {"tue": ["11:30-14:30"]},
        "version": version(&app, &admin).await
    });
    assert_eq!(close(&app, &admin, period).await.status(), 201);
    let menu = app.get_json("/api/v1/locations/raadhuset/kiosk").await;
    assert_eq!(menu["open"], false);
    let next = menu["next_opening"].as_str().unwrap();
    assert!(next.starts_with("2027-03-30T11:30"), "{next}");
}
