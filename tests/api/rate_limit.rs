//! Rate limits on booking and the waitlist: per client address and per e-mail address,
//! `SKRANKE_RATE_LIMIT_PER_MINUTE` (10 unless set; 0 turns them off).

use serde_json::{json, Value};
use skranke::domain::booking::Language;
use skranke::messages::text;

use crate::helpers::{expect_problem, spawn_app, spawn_app_with, value_after, TestApp};

const TUESDAY: &str = "2027-03-30";

async fn first_free(app: &TestApp) -> Value {
    let path = format!("/api/v1/locations/raadhuset/slots?service=pas&from={TUESDAY}&to={TUESDAY}");
    app.get_json(&path).await[0]["start"].clone()
}

async fn book_from(client: &reqwest::Client, app: &TestApp, email: &str) -> reqwest::Response {
    let start = first_free(app).await;
    client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "Hurtig Borger", "email": email}
        }))
        .send()
        .await
        .unwrap()
}

/// A client whose requests come from another loopback address.
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_eleventh_booking_from_one_address_in_a_minute_is_refused() {
    let app = spawn_app().await;
    for i in 0..10 {
        let response = book_from(&app.client, &app, &format!("b{i}@example.dk")).await;
        assert_eq!(response.status(), 201, "booking {i}");
    }
    let refused = expect_problem(book_from(&app.client, &app, "b10@example.dk").await, 429).await;
    assert!(
        refused["detail"].as_str().unwrap().contains("try again in"),
        "{refused}"
    );
    let waitlist = app
        .client
        .post(app.url("/api/v1/waitlist"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "from": TUESDAY, "to": TUESDAY,
            "citizen": {"name": "Hurtig Borger", "email": "w@example.dk"}
        }))
        .send()
        .await
        .unwrap();
    expect_problem(waitlist, 429).await;

    app.clock.advance(chrono::Duration::minutes(1));
    let later = book_from(&app.client, &app, "b11@example.dk").await;
    assert_eq!(later.status(), 201, "a new minute, a new allowance");
}

#[tokio::test]
async fn one_email_address_is_limited_across_client_addresses() {
    let app = spawn_app().await;
    for i in 0..10 {
        // Past the errand's own limit these are 409s; they count all the same.
        let status = book_from(&app.client, &app, "same@example.dk")
            .await
            .status();
        assert_ne!(status, 429, "request {i}");
    }
    let elsewhere = client_from("127.0.0.2");
    let refused = book_from(&elsewhere, &app, "same@example.dk").await;
    expect_problem(refused, 429).await;
    let other = book_from(&elsewhere, &app, "other@example.dk").await;
    assert_eq!(other.status(), 201, "another address and e-mail go on");
}

#[tokio::test]
async fn zero_turns_the_limits_off() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    for i in 0..15 {
        let response = book_from(&app.client, &app, &format!("many{i}@example.dk")).await;
        assert_eq!(response.status(), 201, "booking {i}");
    }
}

/// The hidden token of the form on a page, read as a browser without JavaScript would.
fn form_token_in(html: &str) -> String {
    value_after(html, "name=\"form_token\"")
}

#[tokio::test]
async fn the_page_forms_are_limited_like_the_api() {
    let app = spawn_app().await;
    let form = app
        .get("/waitlist?location=raadhuset&service=pas&from=2027-03-30")
        .await;
    let mut token = form_token_in(&form.text().await.unwrap());
    let submit = |email: String, token: String| {
        app.client
            .post(app.url("/waitlist"))
            .form(&[
                ("location", "raadhuset".to_owned()),
                ("service", "pas".to_owned()),
                ("from", TUESDAY.to_owned()),
                ("to", TUESDAY.to_owned()),
                ("name", "Side Borger".to_owned()),
                ("email", email),
                ("form_token", token),
            ])
            .send()
    };
    for i in 0..10 {
        // Tuesday has free times, so each is shown the form again with that reason.
        let response = submit(format!("p{i}@example.dk"), token).await.unwrap();
        assert_eq!(response.status(), 422, "request {i}");
        let html = response.text().await.unwrap();
        let free_times = text(Language::Da, "refusal.free_times_in_range");
        assert!(
            html.contains(free_times.split("{when}").next().unwrap()),
            "{html}"
        );
        token = form_token_in(&html);
    }
    // Over the limit the citizen sees the form again, with why, not an error document.
    let limited = submit("p10@example.dk".into(), token).await.unwrap();
    assert_eq!(limited.status(), 429);
    assert!(is_html(&limited), "a page, not an error document");
    let html = limited.text().await.unwrap();
    assert!(
        html.contains(text(Language::Da, "error.too_many")),
        "{html}"
    );
    assert!(
        html.contains("name=\"form_token\""),
        "the form is there to try again"
    );

    // The booking form counts on the same limit, and answers the same way.
    let page = app
        .get("/book?location=raadhuset&service=pas&day=2027-03-30")
        .await
        .text()
        .await
        .unwrap();
    let start = value_after(&page, "name=\"start\"");
    let booked = app
        .client
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset".to_owned()),
            ("service", "pas".to_owned()),
            ("start", start),
            ("name", "Side Borger".to_owned()),
            ("email", "side@example.dk".to_owned()),
            ("form_token", form_token_in(&page)),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 429);
    assert!(is_html(&booked), "a page, not an error document");
    let html = booked.text().await.unwrap();
    assert!(
        html.contains(text(Language::Da, "error.too_many")),
        "{html}"
    );
}

fn is_html(response: &reqwest::Response) -> bool {
    response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html")
}
