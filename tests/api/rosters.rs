//! Rosters through the API: planned and stored, shown, and published as the capacity that
//! citizens book.

use std::collections::HashMap;

use chrono::{DateTime, Duration, FixedOffset};
use serde_json::{json, Value};

use crate::helpers::{expect_problem, spawn_app, TestApp};

/// The week after the test clock's Monday 29 March 2027.
const WEEK: &str = "2027-W14";
const TUESDAY: &str = "2027-04-06";

/// A test app with the demo's planning data and four weeks of demand history.
pub(crate) async fn planning_app() -> TestApp {
    let app = spawn_app().await;
    let mut conn = app.pool.get().unwrap();
    let spec = skranke::app::demo::organisation().unwrap();
    let planning = skranke::app::demo::planning().unwrap();
    skranke::store::planning::save(&mut conn, spec.slug.as_str(), &planning).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 29).unwrap();
    let history = skranke::domain::demand::synthetic_history(
        &spec,
        today - Duration::days(35),
        today - Duration::days(1),
        7,
    );
    skranke::store::demand::insert(&mut conn, spec.slug.as_str(), &history).unwrap();
    drop(conn);
    app
}

async fn post(app: &TestApp, token: &str, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .bearer_auth(token)
        .json(body)
        .send()
        .await
        .unwrap()
}

/// A roster of [`body`] planned as `token`: its id.
async fn planned(app: &TestApp, token: &str) -> i64 {
    let response = post(app, token, "/api/v1/rosters", &body()).await;
    assert_eq!(response.status(), 201, "the week is planned");
    response.json::<Value>().await.unwrap()["id"]
        .as_i64()
        .unwrap()
}

/// Publishes roster `id` as `token` with `body` as the request's.
async fn publish(app: &TestApp, token: &str, id: i64, body: &Value) -> reqwest::Response {
    post(app, token, &format!("/api/v1/rosters/{id}/publish"), body).await
}

fn body() -> Value {
    json!({
        "locations": ["raadhuset"],
        "period": WEEK,
        "target": {"service_level": 0.8, "within_minutes": 10},
    })
}

async fn slots_on(app: &TestApp, day: &str) -> Vec<Value> {
    app.get_json(&format!(
        "/api/v1/locations/raadhuset/slots?service=pas&from={day}&to={day}"
    ))
    .await
    .as_array()
    .unwrap()
    .clone()
}

fn time(v: &Value) -> DateTime<FixedOffset> {
    DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap()
}

/// What the published roster promises for a 20-minute passport span (15 minutes and a
/// 5-minute buffer) from each start: the fewest booked desks over the intervals it touches.
fn promised(roster: &Value, day: &str) -> Vec<(DateTime<FixedOffset>, u64)> {
    let booked: HashMap<DateTime<FixedOffset>, u64> = roster["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["location"] == "raadhuset")
        .map(|i| (time(&i["start"]), i["booked_desks"].as_u64().unwrap()))
        .collect();
    let mut starts: Vec<_> = booked
        .keys()
        .filter(|t| t.date_naive().to_string() == day)
        .copied()
        .collect();
    starts.sort();
    starts
        .into_iter()
        .filter_map(|s| {
            // The span reaches into the next interval, which must be open too.
            let next = booked.get(&(s + Duration::minutes(15))).copied()?;
            Some((s, booked[&s].min(next)))
        })
        .filter(|(_, n)| *n > 0)
        .collect()
}

#[tokio::test]
async fn a_published_roster_is_what_citizens_can_book() {
    let app = planning_app().await;
    let admin = app.login("admin").await;
    let before: Vec<u64> = slots_on(&app, TUESDAY)
        .await
        .iter()
        .map(|s| s["available"].as_u64().unwrap())
        .collect();
    assert!(
        !before.is_empty() && before.iter().all(|n| *n <= 2),
        "the imported rules: 2 desks"
    );

    let response = post(&app, &admin, "/api/v1/rosters", &body()).await;
    assert_eq!(response.status(), 201);
    let roster: Value = response.json().await.unwrap();
    assert_eq!(roster["status"], "draft");
    assert!(
        roster["lower_bound"].as_f64().unwrap() <= roster["objective"].as_f64().unwrap() + 1e-6
    );
    assert!(!roster["shifts"].as_array().unwrap().is_empty());
    let id = roster["id"].as_i64().unwrap();
    // A draft changes nothing for citizens.
    let draft: Vec<u64> = slots_on(&app, TUESDAY)
        .await
        .iter()
        .map(|s| s["available"].as_u64().unwrap())
        .collect();
    assert_eq!(draft, before);
    let shown = app
        .client
        .get(app.url(&format!("/api/v1/rosters/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    assert_eq!(
        shown.json::<Value>().await.unwrap()["intervals"],
        roster["intervals"]
    );

    let mut totals = Vec::new();
    for share in [1.0, 0.5] {
        let published: Value = publish(&app, &admin, id, &json!({"booked_share": share}))
            .await
            .json()
            .await
            .unwrap();
        assert_eq!(published["status"], "published");
        let slots = slots_on(&app, TUESDAY).await;
        let offered: Vec<(DateTime<FixedOffset>, u64)> = slots
            .iter()
            .map(|s| (time(&s["start"]), s["available"].as_u64().unwrap()))
            .collect();
        assert_eq!(
            offered,
            promised(&published, TUESDAY),
            "booked share {share}"
        );
        totals.push(offered.iter().map(|(_, n)| n).sum::<u64>());
    }
    assert!(
        totals[0] > totals[1],
        "more desks for appointments, more free places: {totals:?}"
    );
    assert!(
        totals[0] > before.iter().sum::<u64>(),
        "the roster staffs more than the imported rules"
    );

    // A roster that keeps no desk for appointments closes its days to booking.
    publish(&app, &admin, id, &json!({"booked_share": 0.0})).await;
    assert!(slots_on(&app, TUESDAY).await.is_empty());
    // Days the roster does not cover keep the imported rules.
    assert!(!slots_on(&app, "2027-04-13").await.is_empty());
}

#[tokio::test]
async fn only_planners_and_administrators_plan() {
    let app = planning_app().await;
    let staff = app.login("staff").await;
    let refused = post(&app, &staff, "/api/v1/rosters", &body()).await;
    expect_problem(refused, 403).await;
    let refused = post(&app, &staff, "/api/v1/rosters/1/publish", &json!({})).await;
    expect_problem(refused, 403).await;
    // A client without the signed-in cookie.
    let anonymous = reqwest::Client::new()
        .post(app.url("/api/v1/rosters"))
        .json(&body())
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
}

#[tokio::test]
async fn bad_input_names_the_field_and_stores_nothing() {
    let app = planning_app().await;
    let admin = app.login("admin").await;
    let cases = [
        (
            json!({"service_level": 1.2, "within_minutes": 10}),
            json!(WEEK),
            json!(["raadhuset"]),
            "target.service_level",
        ),
        (
            json!({"service_level": 0.8}),
            json!(WEEK),
            json!(["raadhuset"]),
            "target.within_minutes",
        ),
        (
            json!({"average_wait_minutes": 0}),
            json!(WEEK),
            json!(["raadhuset"]),
            "target.average_wait_minutes",
        ),
        (
            json!({"service_level": 0.8, "within_minutes": 10, "average_wait_minutes": 4}),
            json!(WEEK),
            json!([]),
            "target.average_wait_minutes",
        ),
        (
            json!({"average_wait_minutes": 4}),
            json!("2027-W99"),
            json!([]),
            "period",
        ),
        (
            json!({"average_wait_minutes": 4}),
            json!({"from": "2027-04-11", "to": "2027-04-05"}),
            json!([]),
            "period.to",
        ),
        (
            json!({"average_wait_minutes": 4}),
            json!({"from": "2027-04-31", "to": "2027-05-02"}),
            json!([]),
            "period.from",
        ),
        (
            json!({"average_wait_minutes": 4}),
            json!(WEEK),
            json!(["atlantis"]),
            "locations[0]",
        ),
    ];
    for (target, period, locations, field) in cases {
        let request = json!({"locations": locations, "period": period, "target": target});
        let problem =
            expect_problem(post(&app, &admin, "/api/v1/rosters", &request).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{request}");
    }
    // A body of another shape than a roster request is malformed, not invalid.
    let malformed = [
        json!({"period": WEEK, "target": {"service_level": "high", "within_minutes": 10}}),
        json!({"period": WEEK, "target": {"desks": 3}}),
        json!({"period": {"from": "2027-04-05"}, "target": {"average_wait_minutes": 4}}),
        json!({"period": 14, "target": {"average_wait_minutes": 4}}),
    ];
    for request in malformed {
        expect_problem(post(&app, &admin, "/api/v1/rosters", &request).await, 400).await;
    }
    let unknown = app
        .client
        .get(app.url("/api/v1/rosters/1"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    expect_problem(unknown, 404).await;
    let id = planned(&app, &admin).await;
    let share = publish(&app, &admin, id, &json!({"booked_share": 1.5})).await;
    let problem = expect_problem(share, 422).await;
    assert_eq!(problem["errors"][0]["field"], "booked_share");
    let share = publish(&app, &admin, id, &json!({"booked_share": "half"})).await;
    let problem = expect_problem(share, 422).await;
    assert_eq!(problem["errors"][0]["field"], "booked_share");
    let still: Value = app
        .client
        .get(app.url(&format!("/api/v1/rosters/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(still["status"], "draft");
}

/// The description gives the body as optional, and `null` as a body that says "nothing":
/// both take the default share.
#[tokio::test]
async fn publishing_with_no_body_or_null_takes_the_default_share() {
    let app = planning_app().await;
    let admin = app.login("admin").await;
    let id = planned(&app, &admin).await;
    let url = app.url(&format!("/api/v1/rosters/{id}/publish"));
    let empty = app
        .client
        .post(&url)
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(empty.status(), 200);
    let null = publish(&app, &admin, id, &Value::Null).await;
    assert_eq!(null.status(), 200);
    let published: Value = null.json().await.unwrap();
    assert_eq!(published["status"], "published");
    assert_eq!(
        published["booked_share"],
        skranke::domain::roster::publish::DEFAULT_BOOKED_SHARE
    );
}

/// Before publishing, the planner sees what it will create and which bookings it would
/// leave without a desk; a published roster can be withdrawn, and the weekly rules hold
/// again.
#[tokio::test]
async fn a_preview_shows_what_publishing_creates_and_a_withdrawal_restores_the_rules() {
    let app = planning_app().await;
    let admin = app.login("admin").await;
    let before = slots_on(&app, TUESDAY).await;
    let slot = before[0].clone();
    let booked = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(
            &json!({"location": "raadhuset", "service": "pas", "start": slot["start"],
            "citizen": {"name": "Kirsten Holm", "email": "kirsten@example.dk"}}),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    let with_the_booking = slots_on(&app, TUESDAY).await;
    let id = planned(&app, &admin).await;
    let preview = |share: f64| {
        let (app, admin) = (&app, &admin);
        async move {
            let response = app
                .client
                .get(app.url(&format!(
                    "/api/v1/rosters/{id}/publish-preview?booked_share={share}"
                )))
                .bearer_auth(admin)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            response.json::<Vec<Value>>().await.unwrap()
        }
    };
    let half = preview(0.5).await;
    let tuesday = half
        .iter()
        .find(|l| l["date"] == TUESDAY && l["location"] == "raadhuset")
        .expect("Tuesday at the city hall");
    assert_eq!(tuesday["bookings"], 1);
    assert!(tuesday["bookable_hours"].as_f64().unwrap() > 0.0);
    assert_eq!(tuesday["outside"].as_array().unwrap().len(), 0, "{tuesday}");
    let none = preview(0.0).await;
    let tuesday = none.iter().find(|l| l["date"] == TUESDAY).unwrap();
    assert_eq!(tuesday["bookable_hours"], 0.0);
    assert_eq!(
        tuesday["outside"].as_array().unwrap().len(),
        1,
        "with no desk for appointments the booking is left outside"
    );
    expect_problem(
        app.client
            .get(app.url(&format!(
                "/api/v1/rosters/{id}/publish-preview?booked_share=2"
            )))
            .bearer_auth(&admin)
            .send()
            .await
            .unwrap(),
        422,
    )
    .await;
    let shown: Value = app
        .client
        .get(app.url(&format!("/api/v1/rosters/{id}")))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(shown["status"], "draft", "a preview publishes nothing");

    let withdraw = format!("/api/v1/rosters/{id}/withdraw");
    expect_problem(post(&app, &admin, &withdraw, &json!(null)).await, 409).await;
    publish(&app, &admin, id, &json!({"booked_share": 1.0})).await;
    assert_ne!(
        slots_on(&app, TUESDAY).await,
        with_the_booking,
        "the roster's capacity"
    );
    let withdrawn: Value = post(&app, &admin, &withdraw, &json!(null))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(withdrawn["status"], "draft");
    assert_eq!(
        slots_on(&app, TUESDAY).await,
        with_the_booking,
        "the weekly rules hold again"
    );
}

async fn meetings(app: &TestApp) -> Vec<Value> {
    let path = format!(
        "/api/v1/locations/raadhuset/slots?service=jobsamtale-video&from={TUESDAY}&to={TUESDAY}"
    );
    app.get_json(&path).await.as_array().unwrap().clone()
}

/// A published roster staffs the desks: a video meeting takes none of its desks, and keeps
/// to the capacity rule that names it (the caseworkers), roster or not.
#[tokio::test]
async fn a_video_meeting_takes_no_desk_of_a_published_roster() {
    let app = planning_app().await;
    let admin = app.login("admin").await;
    let before = meetings(&app).await;
    let id = planned(&app, &admin).await;
    let published = publish(&app, &admin, id, &json!({"booked_share": 1.0})).await;
    assert_eq!(published.status(), 200);
    assert_eq!(
        meetings(&app).await,
        before,
        "the roster changes no meeting"
    );
    let desks = slots_on(&app, TUESDAY).await;
    let start = &before[0]["start"];
    let booked = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "jobsamtale-video", "start": start,
            "citizen": {"name": "Video Borger", "email": "video@example.dk"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201);
    assert_eq!(slots_on(&app, TUESDAY).await, desks, "no desk was taken");
    let after = meetings(&app).await;
    let left = after.iter().find(|s| s["start"] == *start).unwrap();
    assert_eq!(
        left["available"].as_u64().unwrap() + 1,
        before[0]["available"].as_u64().unwrap(),
        "one caseworker was"
    );
}
