//! The queue's figures: tickets issued and call-next per second with concurrent clients,
//! fan-out of one event to 1,000 open event streams, and the accuracy of the estimated
//! wait on a simulated day.
//!
//! `cargo bench --bench queue` (SQLite); with `SKRANKE_TEST_DATABASE_URL=postgres://…` the
//! server runs on a fresh PostgreSQL database instead.

use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::{json, Value};
use skranke::domain::wait_accuracy::{over_days, Day};

#[allow(dead_code)]
#[path = "../tests/api/helpers.rs"]
mod helpers;

const CLIENTS: usize = 16;
const TICKETS: usize = 2_000;
const STREAMS: usize = 1_000;

#[tokio::main]
async fn main() {
    wait_accuracy();
    throughput().await;
    fan_out().await;
}

fn wait_accuracy() {
    let a = over_days(&Day::city_hall(), 50);
    println!(
        "estimated wait, 50 simulated days ({} tickets, mean wait {:.1} min): MAE {:.2} min; \
         people ahead × configured duration: MAE {:.2} min",
        a.tickets, a.mean_wait_minutes, a.mae_minutes, a.naive_mae_minutes
    );
}

async fn open_day() -> helpers::TestApp {
    let app = helpers::spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app
}

async fn throughput() {
    let app = open_day().await;
    let per_client = TICKETS / CLIENTS;
    let started = Instant::now();
    join_all((0..CLIENTS).map(|_| {
        let (client, url) = (app.client.clone(), app.url("/api/v1/tickets"));
        async move {
            for _ in 0..per_client {
                let response = client
                    .post(&url)
                    .json(&json!({"location": "raadhuset", "service": "vejledning"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201);
            }
        }
    }))
    .await;
    let issued = per_client * CLIENTS;
    report("tickets issued", issued, started.elapsed());

    let token = app.login("admin").await;
    let desks =
        helpers::desks_serving(&app.client, &app.base, &token, ("raadhuset", "vejledning")).await;
    for desk in &desks {
        let url = app.url(&format!("/api/v1/desks/{desk}/open"));
        app.client
            .post(url)
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
    }
    let started = Instant::now();
    let called: usize = join_all((0..CLIENTS).map(|i| {
        let desk = desks[i % desks.len()];
        let (client, token) = (app.client.clone(), token.clone());
        let call = app.url(&format!("/api/v1/desks/{desk}/call-next"));
        let base = app.url("/api/v1/tickets/");
        async move {
            let mut called = 0;
            loop {
                let response = client.post(&call).bearer_auth(&token).send().await.unwrap();
                if response.status() == 204 {
                    return called;
                }
                let ticket: Value = response.json().await.unwrap();
                called += 1;
                // The desk is free again only once the citizen is seen off.
                let id = ticket["id"].as_str().unwrap();
                for (action, body) in [
                    ("start", None),
                    ("finish", Some(json!({"outcome": "resolved"}))),
                ] {
                    let mut request = client
                        .post(format!("{base}{id}/{action}"))
                        .bearer_auth(&token);
                    if let Some(body) = body {
                        request = request.json(&body);
                    }
                    request.send().await.unwrap();
                }
            }
        }
    }))
    .await
    .into_iter()
    .sum();
    assert_eq!(called, issued, "every ticket called exactly once");
    report("call-next (+ start, finish)", called, started.elapsed());
}

async fn fan_out() {
    // All the streams come from one address here; the caps make room for them.
    let app = helpers::spawn_app_with(|s| {
        s.events.per_client = STREAMS as u32;
        s.events.total = STREAMS as u32;
    })
    .await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let client = reqwest::Client::new();
    let mut streams = join_all((0..STREAMS).map(|_| {
        let (client, url) = (
            client.clone(),
            app.url("/api/v1/locations/raadhuset/events"),
        );
        async move {
            let mut stream = client.get(url).send().await.unwrap();
            let hello = stream.chunk().await.unwrap().unwrap();
            assert!(hello.starts_with(b": listening"));
            stream
        }
    }))
    .await;
    let started = Instant::now();
    app.walk_in("vejledning").await;
    let mut arrived: Vec<Duration> = join_all(streams.iter_mut().map(|stream| async move {
        let mut seen = String::new();
        while !seen.contains("event: ticket.issued") {
            let chunk = stream.chunk().await.unwrap().unwrap();
            seen.push_str(std::str::from_utf8(&chunk).unwrap());
        }
        started.elapsed()
    }))
    .await;
    arrived.sort();
    println!(
        "one event to {STREAMS} open event streams: p50 {:.1} ms, p99 {:.1} ms, all {:.1} ms",
        ms(arrived[STREAMS / 2]),
        ms(arrived[STREAMS * 99 / 100]),
        ms(arrived[STREAMS - 1])
    );
}

fn report(what: &str, count: usize, took: Duration) {
    println!(
        "{what}: {count} with {CLIENTS} concurrent clients in {:.2} s = {:.0}/s",
        took.as_secs_f64(),
        count as f64 / took.as_secs_f64()
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
