//! The staff's pages in the browser: sign in, call a ticket from the console, see it on
//! the call display, finish it by keyboard.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use browser::Browser;

async fn walk_in(app: &TestApp, service: &str) -> Value {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": service}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

async fn sign_in(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/staff")).await.unwrap();
    // Without a session the console sends the browser to the sign-in form.
    browser
        .wait()
        .for_element(Locator::Css("form[action='/staff/login']"))
        .await
        .unwrap();
    browser.assert_accessible("/staff/login").await;
    browser
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys("staff")
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys(PASSWORD)
        .await
        .unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("call-next"))
        .await
        .unwrap();
}

/// Picks a select's option by its value, as a person would by clicking it.
async fn choose(browser: &Browser, select: &str, value: &str) {
    browser
        .wait()
        .for_element(Locator::Css(&format!("#{select} option[value='{value}']")))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

#[tokio::test]
async fn a_ticket_is_called_from_the_console_and_shown_on_the_display() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let ticket = walk_in(&app, "vejledning").await;
    let number = ticket["number"].as_str().unwrap();

    let display = Browser::start().await;
    display
        .goto(&app.url("/locations/raadhuset/display"))
        .await
        .unwrap();
    display.assert_accessible("/locations/{l}/display").await;

    let console = Browser::start().await;
    sign_in(&console, &app).await;
    choose(&console, "location", "raadhuset").await;
    let token = app.login("admin").await;
    let desks: Value = app
        .client
        .get(app.url("/api/v1/locations/raadhuset/desks"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let desk = desks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| {
            d["services"]
                .as_array()
                .unwrap()
                .contains(&json!("vejledning"))
        })
        .unwrap();
    choose(&console, "desk", &desk["id"].to_string()).await;
    console
        .find(Locator::Css("button[data-desk='open']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    console
        .wait()
        .for_element(Locator::Css("#call-next:not([disabled])"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let shown = console
        .wait()
        .for_element(Locator::XPath(&format!(
            "//p[@id='current-number' and normalize-space()='{number}']"
        )))
        .await;
    assert!(shown.is_ok(), "the console shows {number}");
    console.assert_accessible("/staff").await;

    // The display hears of the call over the event stream.
    let latest = display
        .wait()
        .for_element(Locator::XPath(&format!(
            "//p[@id='latest']/span[@class='number' and text()='{number}']"
        )))
        .await;
    assert!(latest.is_ok(), "the display shows {number}");
    let desk_shown = display.find(Locator::Css("#latest .desk")).await.unwrap();
    assert_eq!(
        desk_shown.text().await.unwrap(),
        desk["name"].as_str().unwrap()
    );

    // Start and finish by keyboard.
    let body = console.find(Locator::Css("body")).await.unwrap();
    body.send_keys("s").await.unwrap();
    console
        .wait()
        .for_element(Locator::XPath(
            "//span[@id='current-status' and text()='serving']",
        ))
        .await
        .unwrap();
    body.send_keys("f").await.unwrap();
    console
        .wait()
        .for_element(Locator::XPath(
            "//span[@id='current-status' and text()='finished']",
        ))
        .await
        .unwrap();
    let status = app
        .get_json(&format!(
            "/api/v1/tickets/{}",
            ticket["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status["status"], "finished");
    console.close().await;
    display.close().await;
}

#[tokio::test]
async fn a_wrong_password_shows_the_form_again_with_the_reason() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    browser
        .goto(&app.url("/staff/login?lang=en"))
        .await
        .unwrap();
    browser
        .find(Locator::Id("username"))
        .await
        .unwrap()
        .send_keys("staff")
        .await
        .unwrap();
    browser
        .find(Locator::Id("password"))
        .await
        .unwrap()
        .send_keys("not the password")
        .await
        .unwrap();
    browser
        .find(Locator::Css("button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    let error = browser
        .wait()
        .for_element(Locator::Css("#login-error[role=alert]"))
        .await
        .unwrap();
    assert!(error.text().await.unwrap().contains("wrong"));
    browser.assert_accessible("/staff/login (error)").await;
    browser.close().await;
}
