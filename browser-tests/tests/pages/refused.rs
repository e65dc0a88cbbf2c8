//! A refused booking in the browser keeps what was typed and says why at the top; the same
//! form sent twice (a double tap, a second tab) books once. In both languages.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::helpers::{spawn_app_with, TestApp};
use crate::steps::{shown_reference, text_of};
use browser::Browser;

/// How many more can book `start` on 31 March.
async fn available(app: &TestApp, start: &str) -> u64 {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    let at = chrono::DateTime::parse_from_rfc3339(start).unwrap();
    slots
        .as_array()
        .unwrap()
        .iter()
        .find(|s| chrono::DateTime::parse_from_rfc3339(s["start"].as_str().unwrap()).unwrap() == at)
        .map_or(0, |s| s["available"].as_u64().unwrap())
}

async fn type_into(browser: &Browser, field: &str, value: &str) {
    let input = browser.find(Locator::Id(field)).await.unwrap();
    input.clear().await.unwrap();
    input.send_keys(value).await.unwrap();
}

async fn first_time(browser: &Browser) -> String {
    let radio = browser.find(Locator::Id("start-1")).await.unwrap();
    radio.click().await.unwrap();
    radio.attr("value").await.unwrap().unwrap()
}

#[tokio::test]
async fn a_refused_booking_keeps_what_was_typed_and_a_double_submit_books_once() {
    // Others take the chosen time while the citizen types: many bookings from one address.
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let browser = Browser::start().await;
    for lang in ["da", "en"] {
        browser
            .goto(&app.url(&format!(
                "/book?location=raadhuset&service=pas&day=2027-03-31&lang={lang}"
            )))
            .await
            .unwrap();
        let taken = first_time(&browser).await;
        type_into(&browser, "name", "Side Borger").await;
        type_into(&browser, "email", &format!("side-{lang}@example.dk")).await;
        for n in 0..available(&app, &taken).await {
            let made = app
                .client
                .post(app.url("/api/v1/appointments"))
                .json(&json!({"location": "raadhuset", "service": "pas", "start": taken,
                              "citizen": {"name": "Anden", "email": format!("anden-{lang}-{n}@example.dk")}}))
                .send()
                .await
                .unwrap();
            assert_eq!(made.status(), 201);
        }
        browser
            .find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let problem = text_of(&browser, "#problem").await;
        assert!(!problem.is_empty());
        for (field, typed) in [
            ("name", "Side Borger".to_owned()),
            ("email", format!("side-{lang}@example.dk")),
        ] {
            let kept = browser
                .find(Locator::Id(field))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap();
            assert_eq!(kept.as_deref(), Some(typed.as_str()), "{field} kept");
        }
        browser
            .look_at(
                &format!("/book (refused, {lang})"),
                &format!("refused-{lang}"),
            )
            .await;

        // The same form, sent twice at once: one booking, and the receipt for it.
        let start = first_time(&browser).await;
        assert_ne!(start, taken, "the taken time is no longer offered");
        let before = available(&app, &start).await;
        let first: Value = browser
            .execute_async(
                "const done = arguments[arguments.length - 1];
                 const form = document.querySelector('form[action=\"/book\"]');
                 fetch('/book', { method: 'POST', body: new URLSearchParams(new FormData(form)) })
                   .then(r => r.text()).then(html => { form.submit(); done(html); });",
                vec![],
            )
            .await
            .unwrap();
        let reference = shown_reference(&browser).await;
        assert!(
            first.as_str().unwrap().contains(&reference),
            "both sends answer with the same booking {reference}"
        );
        assert_eq!(available(&app, &start).await, before - 1, "booked once");
    }
    browser.close().await;
}
