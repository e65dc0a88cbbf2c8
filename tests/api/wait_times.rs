//! The open waiting times: anyone may read them from any origin, a cache may keep them a
//! little while, and they count the queues now and yesterday's waits without telling of a
//! single ticket.

use serde_json::Value;

use crate::helpers::{desks_serving, spawn_app, TestApp};

async fn post(app: &TestApp, token: &str, path: &str) {
    let response = app
        .client
        .post(app.url(path))
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    assert!(
        response.status().is_success(),
        "{path}: {}",
        response.status()
    );
}

fn errand<'a>(body: &'a Value, location: &str, service: &str) -> &'a Value {
    let location = body["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["location"] == location)
        .unwrap();
    location["services"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["service"] == service)
        .unwrap()
}

#[tokio::test]
async fn the_queues_now_and_yesterdays_medians_are_open_to_all_and_tell_of_no_ticket() {
    let app = spawn_app().await;
    // Tuesday 10:30 in Copenhagen: one ticket, called after 10 minutes, another after 20.
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let staff = app.login("staff").await;
    let desk = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await[0];
    app.walk_in("koerekort").await;
    app.walk_in("koerekort").await;
    app.clock.set("2027-03-30T08:40:00Z".parse().unwrap());
    post(&app, &staff, &format!("/api/v1/desks/{desk}/open")).await;
    post(&app, &staff, &format!("/api/v1/desks/{desk}/call-next")).await;
    app.clock.set("2027-03-30T08:50:00Z".parse().unwrap());
    post(&app, &staff, &format!("/api/v1/desks/{desk}/call-next")).await;
    post(&app, &staff, &format!("/api/v1/desks/{desk}/close")).await;

    // Wednesday 10:30: two wait, and no desk is open for them yet.
    app.clock.set("2027-03-31T08:30:00Z".parse().unwrap());
    let first = app.walk_in("koerekort").await;
    app.walk_in("koerekort").await;
    let response = app.get("/api/v1/open/wait-times?lang=da").await;
    assert_eq!(response.status(), 200);
    let headers = response.headers().clone();
    assert_eq!(headers["access-control-allow-origin"], "*");
    let cache = headers["cache-control"].to_str().unwrap();
    assert!(
        cache.contains("public") && cache.contains("max-age="),
        "{cache}"
    );
    let body: Value = response.json().await.unwrap();
    assert_eq!(body["generated_at"], "2027-03-31T08:30:00Z");
    let licence = errand(&body, "raadhuset", "koerekort");
    assert_eq!(licence["name"], "Kørekort");
    assert_eq!(licence["waiting"], 2);
    assert_eq!(
        licence["estimated_wait_minutes"],
        Value::Null,
        "no desk open"
    );
    assert_eq!(errand(&body, "raadhuset", "pas")["waiting"], 0);
    let hall = &body["locations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["location"] == "raadhuset")
        .unwrap();
    assert_eq!(
        hall["yesterday_median_wait_by_hour"],
        serde_json::json!([{"hour": 10, "median_wait_minutes": 10.0, "tickets": 2}])
    );
    let text = body.to_string();
    for individual in [
        first["id"].as_str().unwrap(),
        first["number"].as_str().unwrap(),
    ] {
        assert!(!text.contains(individual), "{individual} in {text}");
    }

    let staff = app.login("staff").await;
    post(&app, &staff, &format!("/api/v1/desks/{desk}/open")).await;
    let body = app.get_json("/api/v1/open/wait-times?lang=en").await;
    let licence = errand(&body, "raadhuset", "koerekort");
    assert_eq!(licence["name"], "Driving licence");
    assert!(
        licence["estimated_wait_minutes"].as_u64().unwrap() > 0,
        "{licence}"
    );
}
