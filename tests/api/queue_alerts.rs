//! Live queue alerts through a simulated day: the morning's walk-ins are served as they come
//! and raise nothing; a late surge raises one alert once the expected wait has stayed over
//! the errand's target, told on the location's stream, in the console's alerts, on the
//! dashboard, in `/metrics` and to a webhook receiver on loopback; more desks clear the
//! queue and, once it has stayed down, the alert. Walk-ins well above the forecast raise
//! one too, before anyone waits; and each location keeps its own hold.

use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Value};
use skranke::app::queue_alerts::{tick, Changed, Forecasts};
use skranke::clock::Clock as _;
use skranke::domain::queue_alert::{expected_walk_ins, AlertChange, AlertRule};

use crate::forecast::add_history;
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
    walk_in_at(app, "raadhuset").await;
}

async fn walk_in_at(app: &TestApp, location: &str) {
    let response = app
        .client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": location, "service": "koerekort"}))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
}

async fn open(app: &TestApp, token: &str, desk: i64) {
    post(app, token, &format!("/api/v1/desks/{desk}/open"), None).await;
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
    read_with(app, Arc::default()).await
}

/// As [`read_queues`], with the day's forecasts kept from one reading to the next.
async fn read_with(app: &TestApp, forecasts: Arc<Forecasts>) -> Vec<Changed> {
    let (pool, events, now) = (app.pool.clone(), app.events.clone(), app.clock.now());
    tokio::task::spawn_blocking(move || {
        tick(&pool, &events, AlertRule::default(), &forecasts, now).unwrap()
    })
    .await
    .unwrap()
}

fn change(c: AlertChange) -> Vec<Changed> {
    change_at("raadhuset", c)
}

fn change_at(location: &str, c: AlertChange) -> Vec<Changed> {
    vec![Changed {
        location: location.into(),
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

/// The city hall's standing alerts as the console reads them, in `lang`.
async fn standing(app: &TestApp, token: &str, lang: &str) -> Value {
    let path = format!("/api/v1/locations/raadhuset/alerts?lang={lang}");
    signed_in_json(&app.client, &app.url(&path), token).await
}

/// `/staff/dashboard` as `token` sees it, in `lang`.
async fn dashboard(app: &TestApp, token: &str, lang: &str) -> String {
    let response = app
        .client
        .get(app.url(&format!("/staff/dashboard?lang={lang}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    response.text().await.unwrap()
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
    open(&app, &staff, desks[0]).await;
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

    let alerts = standing(&app, &staff, "da").await;
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
    let dashboard = dashboard(&app, &admin, "da").await;
    assert!(
        dashboard.contains("Åbn en skranke mere: 6 venter på Kørekort, forventet ventetid 90 min"),
        "the dashboard says what to do"
    );

    // Two more desks take the queue down; the alert clears once it has stayed down.
    for desk in &desks[1..3] {
        open(&app, &staff, *desk).await;
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
    let alerts = standing(&app, &staff, "en").await;
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

#[tokio::test]
async fn each_location_waits_as_long_as_its_own_setting_before_it_alerts() {
    // The demo's library says `alert_after_minutes = 5`; the city hall keeps the server's 10.
    let app = spawn_app().await;
    app.clock.set(local(13, 30));
    for location in ["raadhuset", "taastrup-bibliotek"] {
        for _ in 0..3 {
            walk_in_at(&app, location).await;
        }
    }
    assert_eq!(
        read_queues(&app).await,
        vec![],
        "no desk open: 45 minutes, not yet for long"
    );
    app.clock.set(local(13, 35));
    assert_eq!(
        read_queues(&app).await,
        change_at("taastrup-bibliotek", AlertChange::Raised),
        "the library after its 5 minutes"
    );
    app.clock.set(local(13, 39));
    assert_eq!(read_queues(&app).await, vec![]);
    app.clock.set(local(13, 40));
    assert_eq!(
        read_queues(&app).await,
        change(AlertChange::Raised),
        "the city hall after the server's 10"
    );
}

#[tokio::test]
async fn walk_ins_well_above_the_forecast_raise_an_alert_before_anyone_waits_and_it_clears() {
    let app = spawn_app().await;
    app.clock.set(local(9, 30));
    add_history(&app);
    let hook = receiver(&[]);
    registered(&app, &hook.url("/skranke"), &["queue.alert"]).await;
    let staff = app.login("staff").await;
    let desks = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await;
    open(&app, &staff, desks[0]).await;

    // What the forecast expects of driving licences in the hours the readings look at.
    let forecast = {
        let mut conn = app.pool.get().unwrap();
        let day = local(12, 0).date_naive();
        let here = [skranke::domain::Slug::parse("raadhuset").unwrap()];
        skranke::app::forecast::forecast(&mut conn, &here, day, day, 15, local(9, 30)).unwrap()
    };
    let koerekort = skranke::domain::Slug::parse("koerekort").unwrap();
    let expected = |now: DateTime<Utc>| {
        expected_walk_ins(&forecast, &koerekort, now - Duration::hours(1), now)
    };
    let most = [local(12, 0), local(12, 5), local(12, 10)]
        .map(expected)
        .into_iter()
        .fold(0.0, f64::max);
    assert!(
        most > 1.0,
        "the demo's history forecasts driving licences: {most}"
    );
    // 30 % over, and more than two standard deviations over, at each of the three readings.
    let surge = (most * 1.3).max(most + 2.0 * most.sqrt()).ceil() as u32 + 2;

    // Until 11:55 nobody comes (fewer than forecast: nothing to say); then a crowd, each
    // served at once, so that nobody waits and only the arrivals speak.
    let forecasts = Arc::new(Forecasts::default());
    app.clock.set(local(11, 50));
    assert_eq!(read_with(&app, forecasts.clone()).await, vec![]);
    app.clock.set(local(11, 55));
    for _ in 0..surge {
        walk_in(&app).await;
        serve_next(&app, &staff, desks[0]).await;
    }
    app.clock.set(local(12, 0));
    assert_eq!(
        read_with(&app, forecasts.clone()).await,
        vec![],
        "over, not yet for long"
    );
    app.clock.set(local(12, 5));
    assert_eq!(read_with(&app, forecasts.clone()).await, vec![]);
    app.clock.set(local(12, 10));
    assert_eq!(
        read_with(&app, forecasts.clone()).await,
        change(AlertChange::Raised)
    );
    let alerts = standing(&app, &staff, "da").await;
    assert_eq!(alerts.as_array().unwrap().len(), 1, "{alerts}");
    assert_eq!(alerts[0]["rule"], "surge");
    assert_eq!(alerts[0]["waiting"], 0);
    assert_eq!(alerts[0]["arrived"], surge);
    let forecast_then = expected(local(12, 10)).round() as u32;
    assert_eq!(alerts[0]["expected_arrivals"], forecast_then);
    assert_eq!(
        alert_line(&app).await.as_deref(),
        Some(r#"skranke_queue_alert{location="raadhuset",service="koerekort"} 1"#)
    );
    let admin = app.login("admin").await;
    for (lang, sentence) in [
        ("da", format!("Åbn en skranke mere: {surge} er kommet til Kørekort den seneste time, {forecast_then} var ventet")),
        ("en", format!("Open one more desk: {surge} came for Driving licence in the last hour, {forecast_then} were forecast")),
    ] {
        let dashboard = dashboard(&app, &admin, lang).await;
        assert!(dashboard.contains(&sentence), "{lang}: {sentence}");
    }

    // The crowd stays in the hour until 12:55; the alert stands until a calm hold after.
    app.clock.set(local(12, 55));
    assert_eq!(
        read_with(&app, forecasts.clone()).await,
        vec![],
        "still in the hour"
    );
    app.clock.set(local(13, 0));
    assert_eq!(
        read_with(&app, forecasts.clone()).await,
        vec![],
        "calm, not yet for long"
    );
    app.clock.set(local(13, 10));
    assert_eq!(
        read_with(&app, forecasts.clone()).await,
        change(AlertChange::Cleared)
    );
    assert!(alert_line(&app).await.is_none());

    pass(&app.pool, app.clock.now()).await;
    let bodies: Vec<Value> = hook.received().iter().map(verified).collect();
    let told: Vec<(&str, &str)> = bodies
        .iter()
        .map(|b| {
            (
                b["data"]["state"].as_str().unwrap(),
                b["data"]["rule"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(told, vec![("raised", "surge"), ("cleared", "surge")]);
    assert_eq!(bodies[0]["data"]["arrived"], surge);
    assert_eq!(bodies[0]["data"]["expected_arrivals"], forecast_then);
    assert_eq!(bodies[0]["data"]["waiting"], 0);
    assert_eq!(bodies[1]["data"]["arrived"], 0);
}
