//! A citizen who finds the day full joins the waitlist through the pages, gets the freed
//! time held by mail, and books it on the offer page; another leaves the list. Every page is
//! checked by axe.

use fantoccini::Locator;
use serde_json::{json, Value};
use skranke::app::mailer::Mailer;
use skranke::app::outbox::deliver_due;
use skranke::clock::Clock as _;

use crate::helpers::{spawn_app_with, TestApp};
use crate::steps::{click, shown_reference};
use browser::Browser;

const FRIDAY: &str = "2027-04-02";

/// Books Friday full through the API; returns the bookings.
async fn fill_friday(app: &TestApp) -> Vec<Value> {
    let mut made = Vec::new();
    loop {
        let path =
            format!("/api/v1/locations/raadhuset/slots?service=pas&from={FRIDAY}&to={FRIDAY}");
        let free = app.get_json(&path).await;
        let Some(first) = free.as_array().unwrap().first().cloned() else {
            return made;
        };
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&json!({
                "location": "raadhuset", "service": "pas", "start": first["start"],
                "citizen": {"name": "Fuld Dag", "email": format!("fill{}@example.dk", made.len())}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        made.push(response.json().await.unwrap());
    }
}

/// Sends the due mail as `.eml` files and returns the path and query of the first link
/// under `/waitlist/` that contains `kind`.
fn link_in_mail(app: &TestApp, kind: &str) -> String {
    let dir = tempfile::tempdir().unwrap();
    let files = Mailer::new(None, dir.path().to_owned()).unwrap();
    deliver_due(&app.pool, &files, "http://skranke.test", app.clock.now()).unwrap();
    for file in std::fs::read_dir(dir.path()).unwrap() {
        let raw = std::fs::read(file.unwrap().path()).unwrap();
        let message = mail_parser::MessageParser::default().parse(&raw).unwrap();
        let body = message.body_text(0).unwrap_or_default().into_owned();
        let marker = "http://skranke.test/waitlist/";
        if let Some(at) = body.find(marker) {
            let link = body[at..].split_whitespace().next().unwrap();
            if link.contains(kind) {
                return link.trim_start_matches("http://skranke.test").to_owned();
            }
        }
    }
    panic!("no mail with a {kind} link");
}

#[tokio::test]
async fn a_citizen_joins_the_waitlist_and_books_the_freed_time_through_the_pages() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let made = fill_friday(&app).await;
    let browser = Browser::start().await;
    browser
        .goto(&app.url(&format!(
            "/book?location=raadhuset&service=pas&day={FRIDAY}"
        )))
        .await
        .unwrap();
    let link = browser
        .wait()
        .for_element(Locator::LinkText(
            "Ingen tid passer? Skriv mig på venteliste",
        ))
        .await
        .expect("the time step offers the waitlist");
    link.click().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Id("join"))
        .await
        .unwrap();
    browser.assert_accessible("/waitlist (form)").await;
    let from = browser.find(Locator::Id("from")).await.unwrap();
    assert_eq!(from.prop("value").await.unwrap().as_deref(), Some(FRIDAY));
    for (field, value) in [("name", "Vente Borger"), ("email", "vente@example.dk")] {
        browser
            .find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(value)
            .await
            .unwrap();
    }
    click(&browser, "#join").await;
    let reference = shown_reference(&browser).await;
    browser.assert_accessible("/waitlist (joined)").await;
    link_in_mail(&app, "/leave?token=");

    // A booking is cancelled: the time is held for the citizen and offered by mail.
    let freed = &made[1];
    let cancel = format!(
        "/api/v1/appointments/{}?token={}",
        freed["reference"].as_str().unwrap(),
        freed["token"].as_str().unwrap()
    );
    let cancelled = app.client.delete(app.url(&cancel)).send().await.unwrap();
    assert_eq!(cancelled.status(), 200);
    let offer = link_in_mail(&app, "/offer?token=");
    assert!(offer.starts_with(&format!("/waitlist/{reference}/offer?token=")));
    browser.goto(&app.url(&offer)).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Id("claim"))
        .await
        .unwrap();
    browser
        .assert_accessible("/waitlist/{reference}/offer")
        .await;
    click(&browser, "#claim").await;
    let manage = browser
        .wait()
        .for_element(Locator::Id("manage"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    browser.assert_accessible("/waitlist (booked)").await;
    let booked = app.get_json(&format!("/api/v1{manage}")).await;
    assert_eq!(booked["status"], "booked");
    assert_eq!(booked["start"], freed["start"], "the freed time is theirs");
    browser.close().await;
}

#[tokio::test]
async fn a_citizen_leaves_the_waitlist_through_the_pages() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    fill_friday(&app).await;
    let joined: Value = app
        .client
        .post(app.url("/api/v1/waitlist"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "from": FRIDAY, "to": FRIDAY,
            "citizen": {"name": "Vente Borger", "email": "leave@example.dk"}, "language": "en"
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let browser = Browser::start().await;
    let leave = link_in_mail(&app, "/leave?token=");
    browser
        .goto(&app.url(&format!("{leave}&lang=en")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("confirm-leave"))
        .await
        .unwrap();
    browser
        .assert_accessible("/waitlist/{reference}/leave")
        .await;
    click(&browser, "#confirm-leave").await;
    // The heading of the page that follows: the confirmation page's own could be found
    // before the browser has left it.
    let left = browser
        .wait()
        .for_element(Locator::XPath(
            "//h1[normalize-space()='You have left the waitlist']",
        ))
        .await;
    assert!(left.is_ok(), "the page says the citizen has left the list");
    browser.assert_accessible("/waitlist (left)").await;
    let again = app
        .client
        .delete(app.url(&format!(
            "/api/v1/waitlist/{}?token={}",
            joined["reference"].as_str().unwrap(),
            joined["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), 409, "already off the list");
    browser.close().await;
}
