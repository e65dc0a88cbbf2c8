//! Feedback after a visit, through the API: refused before the visit is finished, taken
//! once when it is, refused the second time however close together the answers come.

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{
    desks_serving, expect_problem, finished_walk_in, signed_in_post, spawn_app, TestApp,
};
use crate::known_day::DAY;

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
    let waiting: Value = app
        .client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": "koerekort"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
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
    assert_eq!(
        statuses.iter().filter(|s| **s == 201).count(),
        1,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 409).count(),
        9,
        "{statuses:?}"
    );
}
