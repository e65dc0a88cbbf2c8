//! A citizen books through the pages, without help: place, errand, day, time, details,
//! confirmation; then opens the manage page, moves the time and cancels. Every page is checked by axe.

use fantoccini::Locator;

use crate::helpers::spawn_app;
use crate::steps::{fill_in_and_send, open_manage_page, shown_reference, text_of};
use browser::Browser;

/// Clicks the link that reads `text`, or the card whose first line does (a day with its
/// count of free times, an errand with how long it takes).
async fn click_link(browser: &Browser, text: &str) {
    let path = format!("//a[normalize-space(.)='{text}' or normalize-space(span[1])='{text}']");
    let Ok(link) = browser.wait().for_element(Locator::XPath(&path)).await else {
        let page = browser.source().await.unwrap_or_default();
        panic!("no link '{text}' on the page:\n{page}");
    };
    link.click().await.unwrap();
}

#[tokio::test]
async fn a_citizen_books_and_cancels_through_the_pages() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser.goto(&app.url("/")).await.unwrap();
    click_link(&browser, "Bestil tid").await;
    browser.assert_accessible("/book (place)").await;
    click_link(&browser, "Rådhuset").await;
    browser.assert_accessible("/book (errand)").await;

    // The health card is done online: its link comes first.
    let body = text_of(&browser, "main").await;
    assert!(body.contains("klares nemmest selv på nettet"), "{body}");
    click_link(&browser, "Pas").await;
    browser.assert_accessible("/book (day)").await;
    browser.assert_targets_large("/book (day)").await;
    click_link(&browser, "onsdag 31. marts 2027").await;
    browser.assert_accessible("/book (time)").await;
    browser.assert_targets_large("/book (time)").await;

    let first_time = browser
        .find(Locator::Css("input[name=start]"))
        .await
        .unwrap();
    let start = first_time.attr("value").await.unwrap().unwrap();
    first_time.click().await.unwrap();
    fill_in_and_send(
        &browser,
        &[("name", "Side Borger"), ("email", "side@example.dk")],
        "form button[type=submit]",
    )
    .await;
    let reference = shown_reference(&browser).await;
    browser.assert_accessible("/book (confirmation)").await;

    // The booking exists, at the time chosen.
    let manage = browser
        .find(Locator::Id("manage"))
        .await
        .unwrap()
        .attr("href")
        .await
        .unwrap()
        .unwrap();
    assert!(manage.starts_with(&format!("/appointments/{reference}?token=")));
    let booked = app.get_json(&format!("/api/v1{manage}")).await;
    assert_eq!(booked["status"], "booked");
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(booked["start"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&start).unwrap()
    );

    open_manage_page(&browser).await;
    browser.assert_accessible("/appointments/{reference}").await;

    // Move it to the next day.
    browser
        .find(Locator::Id("move"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    click_link(&browser, "torsdag 1. april 2027").await;
    browser
        .assert_accessible("/appointments/{reference}/move")
        .await;
    let new_time = browser
        .wait()
        .for_element(Locator::Css("input[name=start]"))
        .await
        .unwrap();
    let new_start = new_time.attr("value").await.unwrap().unwrap();
    new_time.click().await.unwrap();
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("move"))
        .await
        .unwrap();
    let said = browser
        .find(Locator::Id("moved"))
        .await
        .expect("the move is confirmed on the page")
        .text()
        .await
        .unwrap();
    assert!(
        said.contains("fra onsdag 31. marts 2027") && said.contains("til torsdag 1. april 2027"),
        "what changed: {said}"
    );
    let moved = app.get_json(&format!("/api/v1{manage}")).await;
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(moved["start"].as_str().unwrap()).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&new_start).unwrap(),
        "moved to the new time"
    );
    browser
        .find(Locator::Id("cancel"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // One tap never cancels: the next page asks first.
    let confirm = browser
        .wait()
        .for_element(Locator::Id("confirm-cancel"))
        .await
        .unwrap();
    let still = app.get_json(&format!("/api/v1{manage}")).await;
    assert_eq!(
        still["status"], "booked",
        "not cancelled before it is confirmed"
    );
    browser
        .assert_accessible("/appointments/{reference}/cancel")
        .await;
    confirm.click().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Id("book-again"))
        .await
        .expect("the cancellation's receipt offers a new booking");
    let status = browser
        .wait()
        .for_element(Locator::XPath("//dd[@id='status' and text()='aflyst']"))
        .await;
    assert!(status.is_ok(), "the page shows the cancellation");
    let cancelled = app.get_json(&format!("/api/v1{manage}")).await;
    assert_eq!(cancelled["status"], "cancelled");
    browser.close().await;
}

/// Every step of booking, photographed at a phone's and a desktop's width in both
/// languages (under `target/screenshots/`), for a person to look at; each step is also
/// checked by axe at both widths.
#[tokio::test]
async fn each_booking_step_is_photographed_at_both_widths_in_both_languages() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    for lang in ["da", "en"] {
        let steps = [
            ("1-place", format!("/book?lang={lang}")),
            ("2-errand", format!("/book?location=raadhuset&lang={lang}")),
            (
                "3-day",
                format!("/book?location=raadhuset&service=pas&lang={lang}"),
            ),
            (
                "4-time",
                format!("/book?location=raadhuset&service=pas&day=2027-03-31&lang={lang}"),
            ),
        ];
        for (name, path) in &steps {
            browser.goto(&app.url(path)).await.unwrap();
            browser.look_at(path, &format!("book-{name}-{lang}")).await;
        }
        let first_time = browser
            .find(Locator::Css("input[name=start]"))
            .await
            .unwrap();
        first_time.click().await.unwrap();
        for (field, value) in [("name", "Billed Borger"), ("email", "billede@example.dk")] {
            let input = browser.find(Locator::Id(field)).await.unwrap();
            input.clear().await.unwrap();
            input.send_keys(value).await.unwrap();
        }
        browser
            .find(Locator::Css("form button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .wait()
            .for_element(Locator::Id("reference"))
            .await
            .unwrap();
        browser.photograph(&format!("book-5-receipt-{lang}")).await;
        open_manage_page(&browser).await;
        browser.photograph(&format!("book-6-manage-{lang}")).await;
    }
    browser.close().await;
}
