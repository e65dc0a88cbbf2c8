//! Live queue alerts through a simulated day: the morning's walk-ins are served as they come
//! and raise nothing; a late surge raises one alert once the expected wait has stayed over
//! the errand's target, told on the location's stream, in the console's alerts, on the
//! dashboard, in `/metrics` and to a webhook receiver on loopback; more desks clear the
//! queue and, once it has stayed down, the alert.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use skranke::app::queue_alerts::{tick, Changed};
use skranke::clock::Clock as _;
use skranke::domain::queue_alert::{AlertChange, AlertRule};

use crate::helpers::{desks_serving, signed_in_json, spawn_app, TestApp};
use crate::webhooks::{pass, receiver, registered, verified};

async fn post(app: &TestApp, token: &str, path: &str, body: Option<Value>) -> Value {
    let mut request = app.client.post(app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    let status = response.status();
    let body: Value = response.json().await.unwrap_or(Value::Null);
    assert!(status.is_success(), "{path}: {status} {body}");
    body
}

async fn walk_in(app: &TestApp) {
    let response = app
        .client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": "koerekort"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

/// Calls the next citizen to `desk` and serves them to the end.
async fn serve_next(app: &TestApp, token: &str, desk: i64) {
    let called = post(app, token, &format!("/api/v1/desks/{desk}/call-next"), None).await;
    let id = called["id"].as_str().expect("someone waits");
    post(app, token, &format!("/api/v1/tickets/{id}/start"), None).await;
    let outcome = json!({"outcome": "resolved"});
    post(
        app,
        token,
        &format!("/api/v1/tickets/{id}/finish"),
        Some(outcome),
    )
    .await;
}

/// One reading of every queue at the test's clock, off the async runtime.
async fn read_queues(app: &TestApp) -> Vec<Changed> {
    let (pool, events, now) = (app.pool.clone(), app.events.clone(), app.clock.now());
    tokio::task::spawn_blocking(move || tick(&pool, &events, AlertRule::default(), now).unwrap())
        .await
        .unwrap()
}

fn change(c: AlertChange) -> Vec<Changed> {
    vec![Changed {
        location: "raadhuset".into(),
        service: "koerekort".into(),
        change: c,
    }]
}

/// Wednesday 31 March 2027 at `hh:mm` in Copenhagen (UTC+2).
fn local(hh: u32, mm: u32) -> DateTime<Utc> {
    format!("2027-03-31T{:02}:{mm:02}:00Z", hh - 2)
        .parse()
        .unwrap()
}

/// The alert's line in `/metrics`, if one stands.
async fn alert_line(app: &TestApp) -> Option<String> {
    let metrics = app.get("/metrics").await.text().await.unwrap();
    metrics
        .lines()
        .find(|l| l.starts_with("skranke_queue_alert{"))
        .map(str::to_owned)
}

#[tokio::test]
async fn a_late_surge_raises_one_alert_everywhere_and_its_end_clears_it() {
    let app = spawn_app().await;
    app.clock.set(local(9, 30));
    let hook = receiver(&[]);
    registered(&app, &hook.url("/skranke"), &["queue.alert"]).await;
    let staff = app.login("staff").await;
    let desks = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await;
    let mut stream = app.events.subscribe();

    // The morning: a driving licence errand every quarter, called as it comes.
    app.clock.set(local(10, 0));
    post(
        &app,
        &staff,
        &format!("/api/v1/desks/{}/open", desks[0]),
        None,
    )
    .await;
    for quarter in 0..12 {
        app.clock
            .set(local(10, 0) + Duration::minutes(15 * quarter));
        walk_in(&app).await;
        serve_next(&app, &staff, desks[0]).await;
        assert_eq!(read_queues(&app).await, vec![], "served at once");
    }

    // 13:30: six come at once; one desk, 15 minutes each, against a 2-minute target.
    app.clock.set(local(13, 30));
    for _ in 0..6 {
        walk_in(&app).await;
    }
    assert_eq!(read_queues(&app).await, vec![], "over, not yet for long");
    app.clock.set(local(13, 35));
    assert_eq!(read_queues(&app).await, vec![]);
    assert!(alert_line(&app).await.is_none());
    app.clock.set(local(13, 40));
    assert_eq!(read_queues(&app).await, change(AlertChange::Raised));
    let told = loop {
        let event = tokio::time::timeout(std::time::Duration::from_secs(10), stream.recv())
            .await
            .expect("the stream tells of the alert")
            .unwrap();
        if event.kind == "queue.alert" {
            break event;
        }
    };
    assert_eq!(told.location, "raadhuset");
    assert_eq!(told.service.as_deref(), Some("koerekort"));
    app.clock.set(local(13, 45));
    assert_eq!(read_queues(&app).await, vec![], "raised once");

    let alerts = signed_in_json(
        &app.client,
        &app.url("/api/v1/locations/raadhuset/alerts?lang=da"),
        &staff,
    )
    .await;
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(alerts[0]["service"], "koerekort");
    assert_eq!(alerts[0]["name"], "Kørekort");
    assert_eq!(alerts[0]["waiting"], 6);
    assert_eq!(alerts[0]["expected_wait_minutes"], 90);
    assert_eq!(
        alert_line(&app).await.as_deref(),
        Some(r#"skranke_queue_alert{location="raadhuset",service="koerekort"} 1"#)
    );
    let admin = app.login("admin").await;
    let dashboard = app
        .client
        .get(app.url("/staff/dashboard?lang=da"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        dashboard.contains("Åbn en skranke mere: 6 venter på Kørekort, forventet ventetid 90 min"),
        "the dashboard says what to do"
    );

    // Two more desks take the queue down; the alert clears once it has stayed down.
    for desk in &desks[1..3] {
        post(&app, &staff, &format!("/api/v1/desks/{desk}/open"), None).await;
    }
    app.clock.set(local(13, 50));
    for desk in &desks[0..3] {
        serve_next(&app, &staff, *desk).await;
    }
    assert_eq!(
        read_queues(&app).await,
        vec![],
        "3 wait at 3 desks: 15 minutes"
    );
    app.clock.set(local(14, 0));
    for desk in &desks[0..3] {
        serve_next(&app, &staff, *desk).await;
    }
    assert_eq!(read_queues(&app).await, vec![], "calm, not yet for long");
    app.clock.set(local(14, 5));
    assert_eq!(read_queues(&app).await, vec![]);
    app.clock.set(local(14, 10));
    assert_eq!(read_queues(&app).await, change(AlertChange::Cleared));
    let alerts = signed_in_json(
        &app.client,
        &app.url("/api/v1/locations/raadhuset/alerts?lang=en"),
        &staff,
    )
    .await;
    assert_eq!(alerts, json!([]));
    assert!(alert_line(&app).await.is_none());

    pass(&app.pool, app.clock.now()).await;
    let bodies: Vec<Value> = hook.received().iter().map(verified).collect();
    let told: Vec<(&str, &str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["type"].as_str().unwrap(),
                b["data"]["state"].as_str().unwrap(),
                b["data"]["service"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        told,
        vec![
            ("queue.alert", "raised", "koerekort"),
            ("queue.alert", "cleared", "koerekort"),
        ]
    );
    assert_eq!(bodies[0]["data"]["waiting"], 6);
    assert_eq!(bodies[0]["data"]["expected_wait_minutes"], 90);
    assert_eq!(bodies[1]["data"]["waiting"], 0);
}
