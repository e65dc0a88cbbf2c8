//! Every refusal a citizen can meet, triggered as a Danish citizen would meet it, says what
//! to do in Danish: as the problem's `detail` to a client that names Danish, and on the
//! pages. A client that names no language reads the API's English, as before.

use serde_json::{json, Value};
use skranke::domain::booking::Language;
use skranke::messages::text;

use crate::english_markers::english_word;
use crate::helpers::{spawn_app_with, TestApp};

/// A client that names Danish, as a Danish browser or the municipality's own site does.
fn danish() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "da-DK,da;q=0.9".parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

/// Fails unless `said` is the start of the catalogue's Danish text of `key` (up to its
/// first value) and holds no English word.
fn assert_danish(what: &str, said: &str, key: &str) {
    let expected = text(Language::Da, key);
    assert_ne!(expected, key, "{key} is in the catalogue");
    let fixed = expected.split('{').next().unwrap();
    assert!(said.starts_with(fixed), "{what}: '{said}' is not {key}");
    if let Some(word) = english_word(said) {
        panic!("{what} says '{word}': {said}");
    }
    for machine in ["utc", "+02:00", "+01:00", "t10:", "t12:"] {
        assert!(!said.to_lowercase().contains(machine), "{what}: {said}");
    }
}

async fn detail(response: reqwest::Response, status: u16) -> String {
    assert_eq!(response.status(), status);
    let body: Value = response.json().await.unwrap();
    body["detail"].as_str().unwrap().to_owned()
}

fn booking(start: &str, service: &str, email: &str) -> Value {
    json!({"location": "raadhuset", "service": service, "start": start,
           "citizen": {"name": "Dansk Borger", "email": email}})
}

async fn book(app: &TestApp, client: &reqwest::Client, body: Value) -> reqwest::Response {
    client
        .post(app.url("/api/v1/appointments"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ticket(app: &TestApp, client: &reqwest::Client, service: &str) -> reqwest::Response {
    client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": service}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn every_refusal_of_a_booking_says_what_to_do_in_danish() {
    // Many bookings from one address in a minute: the limit is another test's.
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap()); // Tuesday 10:30
    let da = danish();
    let cases = [
        (
            "2027-03-31T20:00:00+02:00",
            "pas",
            "refusal.slot_outside_hours",
            422,
        ),
        ("2027-03-30T08:00:00+02:00", "pas", "refusal.slot_past", 422),
        (
            "2027-03-30T11:00:00+02:00",
            "pas",
            "refusal.slot_too_soon",
            422,
        ),
        (
            "2027-12-30T10:00:00+01:00",
            "pas",
            "refusal.slot_too_far",
            422,
        ),
        (
            "2027-03-31T10:07:00+02:00",
            "pas",
            "refusal.slot_off_grid",
            422,
        ),
        (
            "2027-03-31T10:00:00+02:00",
            "vejledning",
            "refusal.not_bookable",
            422,
        ),
        (
            "2027-03-31T10:00:00+02:00",
            "borger-pc",
            "refusal.not_offered",
            422,
        ),
    ];
    for (start, service, key, status) in cases {
        let said = detail(
            book(&app, &da, booking(start, service, "a@example.dk")).await,
            status,
        )
        .await;
        assert_danish(key, &said, key);
    }
    let too_soon = detail(
        book(
            &app,
            &da,
            booking("2027-03-30T11:00:00+02:00", "pas", "a@example.dk"),
        )
        .await,
        422,
    )
    .await;
    assert!(
        too_soon.ends_with("tirsdag 30. marts 2027 kl. 12:30."),
        "{too_soon}"
    );

    let mut bad_address = booking("2027-03-31T10:00:00+02:00", "pas", "x");
    bad_address["citizen"]["email"] = json!("x");
    let said = detail(book(&app, &da, bad_address).await, 422).await;
    assert_danish("a bad e-mail address", &said, "error.email");

    let mut nowhere = booking("2027-03-31T10:00:00+02:00", "pas", "a@example.dk");
    nowhere["location"] = json!("nowhere");
    let said = detail(book(&app, &da, nowhere).await, 404).await;
    assert_danish("an unknown place", &said, "refusal.no_location");

    // Two coming passports per address; the third is refused, and a taken time too.
    let mut first = None;
    for start in ["2027-03-31T10:00:00+02:00", "2027-03-31T10:15:00+02:00"] {
        let made: Value = book(&app, &da, booking(start, "pas", "b@example.dk"))
            .await
            .json()
            .await
            .unwrap();
        first.get_or_insert(made);
    }
    let said = detail(
        book(
            &app,
            &da,
            booking("2027-03-31T10:30:00+02:00", "pas", "b@example.dk"),
        )
        .await,
        409,
    )
    .await;
    assert_danish("a third booking", &said, "refusal.too_many_bookings");

    // A cancelled booking can no longer be moved.
    let first = first.unwrap();
    let (reference, token) = (
        first["reference"].as_str().unwrap(),
        first["token"].as_str().unwrap(),
    );
    let cancelled = da
        .delete(app.url(&format!("/api/v1/appointments/{reference}?token={token}")))
        .send()
        .await
        .unwrap();
    assert!(cancelled.status().is_success());
    let moved = da
        .post(app.url(&format!(
            "/api/v1/appointments/{reference}/reschedule?token={token}"
        )))
        .json(&json!({"start": "2027-03-31T11:00:00+02:00"}))
        .send()
        .await
        .unwrap();
    let said = detail(moved, 409).await;
    assert_danish(
        "moving a cancelled booking",
        &said,
        "refusal.appointment_not_changeable",
    );
    assert!(said.contains("aflyst"), "{said}");
    let wrong = da
        .get(app.url(&format!(
            "/api/v1/appointments/{reference}?token={}",
            "0".repeat(64)
        )))
        .send()
        .await
        .unwrap();
    assert_danish(
        "a wrong token",
        &detail(wrong, 404).await,
        "refusal.no_appointment",
    );

    // The same refusal to a client that names no language: the API's English.
    let plain = reqwest::Client::new();
    let english = detail(
        book(
            &app,
            &plain,
            booking("2027-03-31T20:00:00+02:00", "pas", "c@example.dk"),
        )
        .await,
        422,
    )
    .await;
    assert!(english.contains("outside the opening hours"), "{english}");
}

#[tokio::test]
async fn the_door_and_the_check_in_refuse_in_danish_with_local_times() {
    let app = spawn_app_with(|_| {}).await; // Easter Monday: closed
    let da = danish();
    let said = detail(ticket(&app, &da, "vejledning").await, 409).await;
    assert_danish("a closed office", &said, "refusal.door_closed_until");
    assert!(
        said.ends_with("tirsdag 30. marts 2027 kl. 10:00."),
        "{said}"
    );

    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let said = detail(ticket(&app, &da, "sundhedskort").await, 422).await;
    assert_danish("an errand done online", &said, "refusal.door_self_service");
    let said = detail(ticket(&app, &da, "pas").await, 422).await;
    assert_danish(
        "an errand that needs a booking",
        &said,
        "refusal.door_needs_booking",
    );
    let missing = da
        .get(app.url("/api/v1/tickets/0000"))
        .send()
        .await
        .unwrap();
    assert_danish(
        "an unknown ticket",
        &detail(missing, 404).await,
        "refusal.no_ticket",
    );

    let made: Value = book(
        &app,
        &da,
        booking("2027-03-31T10:00:00+02:00", "pas", "d@example.dk"),
    )
    .await
    .json()
    .await
    .unwrap();
    let check_in = da
        .post(app.url(&format!(
            "/api/v1/appointments/{}/check-in?token={}",
            made["reference"].as_str().unwrap(),
            made["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    let said = detail(check_in, 409).await;
    assert_danish(
        "checking in a day early",
        &said,
        "refusal.check_in_too_early",
    );
    assert!(said.ends_with("onsdag 31. marts 2027 kl. 09:30."), "{said}");
}

#[tokio::test]
async fn a_danish_page_says_the_refusal_in_danish() {
    let app = spawn_app_with(|_| {}).await;
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "da-DK,da;q=0.9".parse().unwrap());
    headers.insert("accept", "text/html".parse().unwrap());
    let browser = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    let page = browser
        .get(app.url(&format!("/appointments/ABCDEFG?token={}", "0".repeat(64))))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    assert!(
        html.contains(text(Language::Da, "refusal.no_appointment")),
        "{html}"
    );
    let page = browser
        .get(app.url("/book?location=nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    assert!(page
        .text()
        .await
        .unwrap()
        .contains(text(Language::Da, "refusal.no_location")));
}

#[tokio::test]
async fn too_many_bookings_and_a_bad_range_of_days_are_said_in_danish() {
    // Two a minute: the waitlist's sign-up and the first booking; the second is refused.
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 2).await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let da = danish();
    let slots = |from: &str, to: &str| {
        da.get(app.url(&format!(
            "/api/v1/locations/raadhuset/slots?service=pas&from={from}&to={to}"
        )))
        .send()
    };
    let said = detail(slots("2027-04-02", "2027-04-01").await.unwrap(), 422).await;
    assert_danish(
        "the last day before the first",
        &said,
        "refusal.days_reversed",
    );
    let said = detail(slots("2027-04-01", "2027-07-01").await.unwrap(), 422).await;
    assert_danish("too many days", &said, "refusal.days_too_many");
    assert!(said.contains("62"), "{said}");

    let waitlist = da
        .post(app.url("/api/v1/waitlist"))
        .json(&json!({"location": "raadhuset", "service": "pas",
                      "from": "2027-04-10", "to": "2027-04-09",
                      "citizen": {"name": "Dansk Borger", "email": "g@example.dk"}}))
        .send()
        .await
        .unwrap();
    let said = detail(waitlist, 422).await;
    assert_danish("a waitlist's days the wrong way", &said, "error.pick_dates");

    let language = da.get(app.url("/language/fr")).send().await.unwrap();
    assert_danish(
        "a language we do not have",
        &detail(language, 404).await,
        "refusal.no_language",
    );

    let first = book(
        &app,
        &da,
        booking("2027-03-31T10:00:00+02:00", "pas", "e@example.dk"),
    )
    .await;
    assert_eq!(first.status(), 201);
    let second = book(
        &app,
        &da,
        booking("2027-03-31T10:15:00+02:00", "pas", "f@example.dk"),
    )
    .await;
    assert!(second.headers().contains_key("retry-after"));
    let said = detail(second, 429).await;
    assert_danish(
        "a booking over the limit",
        &said,
        "refusal.too_many_bookings_now",
    );
    assert!(said.ends_with(" sekunder."), "{said}");
}

/// A browser that speaks Danish and asks for pages.
fn danish_browser() -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("accept-language", "da-DK,da;q=0.9".parse().unwrap());
    headers.insert("accept", "text/html".parse().unwrap());
    reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap()
}

#[tokio::test]
async fn an_error_page_after_a_form_speaks_the_forms_language() {
    let app = spawn_app_with(|_| {}).await;
    let browser = danish_browser();
    let token = "0".repeat(64);
    let cancel = |lang: &'static str, form_token: &'static str| {
        browser
            .post(app.url("/appointments/ABCDEFG/cancel"))
            .header("cookie", "skranke_form=abc")
            .form(&[
                ("token", token.as_str()),
                ("form_token", form_token),
                ("lang", lang),
            ])
            .send()
    };
    // Sent from an English page by a browser that prefers Danish: the answer is English.
    let page = cancel("en", "abc").await.unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"en\">"), "{html}");
    assert!(
        html.contains(text(Language::En, "refusal.no_appointment")),
        "{html}"
    );
    let expired = cancel("en", "stale").await.unwrap();
    assert_eq!(expired.status(), 403);
    assert!(expired.text().await.unwrap().contains("<html lang=\"en\">"));
    // A form that names no language of ours leaves the browser's.
    let page = cancel("xx", "abc").await.unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(html.contains("<html lang=\"da\">"), "{html}");
    assert!(
        html.contains(text(Language::Da, "refusal.no_appointment")),
        "{html}"
    );
}

#[tokio::test]
async fn an_errand_not_offered_on_the_booking_page_is_said_in_danish() {
    let app = spawn_app_with(|_| {}).await;
    let page = danish_browser()
        .get(app.url("/book?location=raadhuset&service=nowhere"))
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 404);
    let html = page.text().await.unwrap();
    assert!(
        html.contains(text(Language::Da, "refusal.not_offered")),
        "{html}"
    );
}
