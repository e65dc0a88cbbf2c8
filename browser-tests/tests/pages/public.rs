//! The public pages that need no sign-in: the front page and a ticket's status page.

use fantoccini::Locator;

use crate::helpers::{city_hall_desk_serving, spawn_app};
use crate::steps::text_of;
use browser::Browser;

#[tokio::test]
async fn the_front_page_lists_locations_and_is_accessible_in_both_languages() {
    let app = spawn_app().await;
    let browser = Browser::start().await;

    browser.goto(&app.url("/")).await.unwrap();
    let heading = browser.find(Locator::Css("h1")).await.unwrap();
    assert!(!heading.text().await.unwrap().is_empty());
    let body = text_of(&browser, "body").await;
    assert!(body.contains("Rådhuset"), "{body}");
    browser.assert_accessible("/").await;
    browser.assert_targets_large("/").await;

    browser.goto(&app.url("/?lang=en")).await.unwrap();
    let lang = browser
        .find(Locator::Css("html"))
        .await
        .unwrap()
        .attr("lang")
        .await
        .unwrap();
    assert_eq!(lang.as_deref(), Some("en"));
    browser.assert_accessible("/?lang=en").await;
    browser.assert_targets_large("/?lang=en").await;
    browser.close().await;
}

/// Switching language on a step of the booking keeps the step: the place chosen stays.
#[tokio::test]
async fn switching_language_keeps_the_booking_step() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser
        .goto(&app.url("/book?location=raadhuset"))
        .await
        .unwrap();
    browser
        .find(Locator::Css("a[hreflang='en']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let html = browser
        .wait()
        .for_element(Locator::Css("html[lang='en']"))
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    assert!(url.as_str().contains("location=raadhuset"), "{url}");
    let text = html.text().await.unwrap();
    assert!(text.contains("General guidance"), "{text}");
    browser.close().await;
}

#[tokio::test]
async fn a_ticket_status_page_shows_the_number_and_is_accessible() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let ticket = app.walk_in("koerekort").await;
    let browser = Browser::start().await;
    let status_url = url::Url::parse(ticket["status_url"].as_str().unwrap()).unwrap();
    browser.goto(&app.url(status_url.path())).await.unwrap();
    let body = text_of(&browser, "body").await;
    assert!(body.contains(ticket["number"].as_str().unwrap()), "{body}");
    browser.assert_accessible("/tickets/{id}").await;

    // Called from a desk, the open page changes by itself to name the desk.
    let token = app.login("staff").await;
    let desk = city_hall_desk_serving(&app, &token, "koerekort").await;
    for action in ["open", "call-next"] {
        let response = app
            .client
            .post(app.url(&format!("/api/v1/desks/{}/{action}", desk["id"])))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
        assert!(response.status().is_success(), "{action}");
    }
    let called = browser
        .wait()
        .for_element(Locator::Css("#ticket .called"))
        .await
        .expect("the page shows the call");
    let text = called.text().await.unwrap();
    assert!(text.contains(desk["name"].as_str().unwrap()), "{text}");
    browser.assert_accessible("/tickets/{id} (called)").await;
    browser.close().await;
}
