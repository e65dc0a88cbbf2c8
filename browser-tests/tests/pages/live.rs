//! The pages that follow a location live keep following it: after the server refused
//! their event stream (its limits) and after it ended the stream (its lifetime).

use std::time::Duration;

use fantoccini::Locator;
use skranke::config::EventStreamArgs;

use crate::helpers::{city_hall_desk_serving, eventually, spawn_app_with, TestApp};
use browser::Browser;

const EVENTS: &str = "route=\"/api/v1/locations/{location}/events\"";

/// Requests to the event stream that got `status`, as `/metrics` counts them.
async fn stream_answers(app: &TestApp, status: u16) -> f64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .filter(|l| l.starts_with("skranke_http_requests_total{"))
        .filter(|l| l.contains(EVENTS) && l.contains(&format!("status=\"{status}\"")))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
}

/// Calls the next walk-in to a desk through the API; returns the number called.
async fn call_one(app: &TestApp) -> String {
    let ticket = app.walk_in("vejledning").await;
    let token = app.login("staff").await;
    let desk = city_hall_desk_serving(app, &token, "vejledning").await["id"].clone();
    for action in ["open", "call-next"] {
        let answer = app
            .client
            .post(app.url(&format!("/api/v1/desks/{desk}/{action}")))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 200, "{action}");
    }
    ticket["number"].as_str().unwrap().to_owned()
}

async fn assert_shown(display: &Browser, number: &str) {
    let latest = display
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::XPath(&format!(
            "//p[@id='latest']/span[@class='number' and text()='{number}']"
        )))
        .await;
    assert!(latest.is_ok(), "the display shows {number}");
}

#[tokio::test]
async fn the_display_listens_again_after_its_stream_was_refused() {
    let app = spawn_app_with(|s| {
        s.events = EventStreamArgs {
            heartbeat_seconds: 0.1,
            per_client: 10,
            total: 1,
            lifetime_seconds: 3600.0,
        }
    })
    .await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let display = Browser::start().await;
    // Someone else holds the server's one place.
    let mut holder = reqwest::get(app.url("/api/v1/locations/raadhuset/events"))
        .await
        .unwrap();
    assert_eq!(holder.status(), 200);
    holder.chunk().await.unwrap();
    display
        .goto(&app.url("/locations/raadhuset/display"))
        .await
        .unwrap();
    eventually("the display refused", || async {
        stream_answers(&app, 503).await >= 1.0
    })
    .await;
    drop(holder);
    eventually("the display listening again", || async {
        stream_answers(&app, 200).await >= 2.0
    })
    .await;
    let number = call_one(&app).await;
    assert_shown(&display, &number).await;
    display.close().await;
}

#[tokio::test]
async fn the_display_listens_again_after_the_server_ended_its_stream() {
    let app = spawn_app_with(|s| s.events.lifetime_seconds = 0.5).await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let display = Browser::start().await;
    display
        .goto(&app.url("/locations/raadhuset/display"))
        .await
        .unwrap();
    eventually("the display reconnecting twice", || async {
        stream_answers(&app, 200).await >= 3.0
    })
    .await;
    let number = call_one(&app).await;
    assert_shown(&display, &number).await;
    display.close().await;
}
