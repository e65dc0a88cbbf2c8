//! Feedback after a visit, through the API: refused before the visit is finished, taken
//! once when it is, refused the second time however close together the answers come.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{
    desks_serving, expect_problem, finished_walk_in, signed_in_post, spawn_app, won_and_refused,
    TestApp,
};
use crate::known_day::DAY;
use skranke::clock::Clock as _;

async fn feedback(app: &TestApp, ticket: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url(&format!("/api/v1/tickets/{ticket}/feedback")))
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// The staff's session and an open desk for driving licences, on the known day.
async fn open_desk(app: &TestApp) -> (String, i64) {
    app.clock.set(format!("{DAY}T08:02:00Z").parse().unwrap());
    let staff = app.login("staff").await;
    let desks = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await;
    signed_in_post(
        app,
        &staff,
        &format!("/api/v1/desks/{}/open", desks[0]),
        None,
    )
    .await;
    (staff, desks[0])
}

#[tokio::test]
async fn feedback_is_taken_once_after_the_visit_is_finished() {
    let app = spawn_app().await;
    let (staff, desk) = open_desk(&app).await;
    let first = finished_walk_in(&app, &staff, desk, "koerekort").await;
    let waiting = app.walk_in("koerekort").await;
    let early = feedback(&app, waiting["id"].as_str().unwrap(), json!({"score": 4})).await;
    let problem = expect_problem(early, 409).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("finished"),
        "{problem}"
    );

    let bad = feedback(&app, &first, json!({"score": 6})).await;
    let problem = expect_problem(bad, 422).await;
    assert_eq!(problem["errors"][0]["field"], "score");

    let answer = json!({"score": 4, "comment": "Venligt, men lidt ventetid."});
    let given = feedback(&app, &first, answer).await;
    assert_eq!(given.status(), 201);
    let given: Value = given.json().await.unwrap();
    assert_eq!(given, json!({"ticket": first, "score": 4, "comment": true}));

    let again = feedback(&app, &first, json!({"score": 1})).await;
    expect_problem(again, 409).await;

    let unknown = feedback(&app, "no-such-ticket", json!({"score": 3})).await;
    expect_problem(unknown, 404).await;
}

#[tokio::test]
async fn answers_sent_at_once_are_taken_once() {
    let app = spawn_app().await;
    let (staff, desk) = open_desk(&app).await;
    let id = finished_walk_in(&app, &staff, desk, "koerekort").await;
    let answers = (1..=10).map(|i| feedback(&app, &id, json!({"score": 1 + i % 5})));
    let statuses: Vec<u16> = join_all(answers)
        .await
        .into_iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(won_and_refused(&statuses), (1, 9), "{statuses:?}");
}

async fn kpi(app: &TestApp, token: &str, format: &str) -> reqwest::Response {
    let url = format!("/api/v1/reports/kpi?location=raadhuset&from={DAY}&to={DAY}{format}");
    app.client
        .get(app.url(&url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_kpis_count_the_scores_per_errand_and_place_and_never_a_comment() {
    let app = spawn_app().await;
    let (staff, desk) = open_desk(&app).await;
    let first = finished_walk_in(&app, &staff, desk, "koerekort").await;
    let second = finished_walk_in(&app, &staff, desk, "koerekort").await;
    let secret = "Ekspedienten hed Hanne";
    let given = feedback(&app, &first, json!({"score": 5, "comment": secret})).await;
    assert_eq!(given.status(), 201);
    assert_eq!(
        feedback(&app, &second, json!({"score": 2})).await.status(),
        201
    );
    finished_walk_in(&app, &staff, desk, "koerekort").await;

    let planner = app.login("admin").await;
    let text = kpi(&app, &planner, "").await.text().await.unwrap();
    assert!(!text.contains(secret), "no comment in the report");
    let report: Value = serde_json::from_str(&text).unwrap();
    let scored = json!({"answers": 2, "mean": 3.5});
    assert_eq!(report["totals"]["feedback"], scored);
    assert_eq!(report["by_location"][0]["location"], "raadhuset");
    assert_eq!(report["by_location"][0]["feedback"], scored);
    let by_service = report["by_service"].as_array().unwrap();
    let licence = by_service
        .iter()
        .find(|r| r["service"] == "koerekort")
        .unwrap();
    assert_eq!(licence["feedback"], scored);
    assert_eq!(licence["tickets"], 3, "three visits, two answers");
    assert!(by_service
        .iter()
        .filter(|r| r["service"] != "koerekort")
        .all(|r| r["feedback"] == json!({"answers": 0, "mean": null})));

    let csv = kpi(&app, &planner, "&format=csv")
        .await
        .text()
        .await
        .unwrap();
    let header: Vec<&str> = csv.lines().next().unwrap().split(',').collect();
    let at = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let row: Vec<&str> = csv
        .lines()
        .find(|l| l.starts_with("service,koerekort,"))
        .unwrap()
        .split(',')
        .collect();
    assert_eq!(row[at("feedback_answers")], "2");
    assert_eq!(row[at("feedback_mean")], "3.5");
    assert!(!csv.contains(secret));
}

#[tokio::test]
async fn one_mail_after_the_visit_asks_a_citizen_who_asked_for_it_and_nobody_else() {
    let app = spawn_app().await;
    let sink = crate::smtp_sink::SmtpSink::start();
    let mailer = sink.mailer();
    let deliver = |app: &TestApp| {
        skranke::app::outbox::deliver_due(
            &app.pool,
            &mailer,
            "http://skranke.test",
            app.clock.now(),
        )
        .unwrap()
    };
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "koerekort",
            "start": format!("{DAY}T10:00:00+02:00"), "language": "en",
            "citizen": {"name": "Svar Borger", "email": "svar@example.dk", "feedback_opt_in": true}
        }))
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
    assert_eq!(deliver(&app).sent, 1, "the confirmation");
    sink.take();

    let (staff, desk) = open_desk(&app).await;
    let checked_in: Value = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/check-in?token={token}"
        )))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let id = checked_in["id"].as_str().unwrap();
    let called = signed_in_post(
        &app,
        &staff,
        &format!("/api/v1/desks/{desk}/call-next"),
        None,
    )
    .await;
    assert_eq!(called["id"], id);
    signed_in_post(&app, &staff, &format!("/api/v1/tickets/{id}/start"), None).await;
    let resolved = Some(json!({"outcome": "resolved"}));
    signed_in_post(
        &app,
        &staff,
        &format!("/api/v1/tickets/{id}/finish"),
        resolved,
    )
    .await;
    // A walk-in asked for nothing.
    finished_walk_in(&app, &staff, desk, "koerekort").await;
    assert_eq!(
        deliver(&app).sent,
        0,
        "not while the citizen is still at the desk"
    );

    app.clock.advance(chrono::Duration::minutes(31));
    assert_eq!(deliver(&app).sent, 1, "one mail, to the one who asked");
    let mails = sink.take();
    assert_eq!(
        mails[0].to().unwrap().first().unwrap().address(),
        Some("svar@example.dk")
    );
    assert_eq!(mails[0].subject(), Some("How was your visit?"));
    let body = mails[0].body_text(0).unwrap();
    assert!(
        body.contains(&format!("http://skranke.test/tickets/{id}?lang=en")),
        "{body}"
    );
    assert_eq!(feedback(&app, id, json!({"score": 4})).await.status(), 201);
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(deliver(&app).sent, 0, "never a second mail");
}
