//! The staff's pages in the browser: sign in, call a ticket from the console, see it on
//! the call display, finish it by keyboard.

use fantoccini::Locator;
use serde_json::Value;

use crate::helpers::{city_hall_desk_serving, spawn_app, TestApp};
use crate::steps::{sign_in_here, submit_sign_in, text_of};
use browser::Browser;

pub(crate) async fn sign_in(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/staff")).await.unwrap();
    // Without a session the console sends the browser to the sign-in form.
    browser
        .wait()
        .for_element(Locator::Css("form[action='/staff/login']"))
        .await
        .unwrap();
    browser.assert_accessible("/staff/login").await;
    sign_in_here(browser, "staff").await;
    browser
        .wait()
        .for_element(Locator::Id("call-next"))
        .await
        .unwrap();
}

/// Calls the next ticket once the console allows it, and waits until it is the console's
/// current one.
pub(crate) async fn call_next(browser: &Browser, number: &str) {
    browser
        .wait()
        .for_element(Locator::Css("#call-next:not([disabled])"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    current_is(browser, number).await;
}

/// Waits until the console's current ticket is `number` (`–` when none is).
pub(crate) async fn current_is(browser: &Browser, number: &str) {
    browser
        .wait()
        .for_element(Locator::XPath(&format!(
            "//p[@id='current-number' and normalize-space()='{number}']"
        )))
        .await
        .unwrap_or_else(|e| panic!("the console does not show {number}: {e}"));
}

/// Picks a select's option by its value, as a person would by clicking it.
pub(crate) async fn choose(browser: &Browser, select: &str, value: &str) {
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
    let ticket = app.walk_in("vejledning").await;
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
    let desk = city_hall_desk_serving(&app, &token, "vejledning").await;
    choose(&console, "desk", &desk["id"].to_string()).await;
    console
        .find(Locator::Css("button[data-desk='open']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    call_next(&console, number).await;
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
    // The status in the clerk's language (the browser asks for Danish).
    console
        .wait()
        .for_element(Locator::XPath(
            "//span[@id='current-status' and text()='bliver betjent']",
        ))
        .await
        .unwrap();
    // Only the next step's buttons: finishing, not starting again.
    assert!(console
        .find(Locator::Css("button[data-act=start][hidden]"))
        .await
        .is_ok());
    assert!(console
        .find(Locator::Css("button[data-finish=resolved]:not([hidden])"))
        .await
        .is_ok());
    body.send_keys("f").await.unwrap();
    // Finished: the panel is free, and the finish can be undone for a while.
    console
        .wait()
        .for_element(Locator::Css("#undo-bar:not([hidden])"))
        .await
        .unwrap();
    current_is(&console, "–").await;
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
    submit_sign_in(&browser, "staff", "not the password").await;
    let error = browser
        .wait()
        .for_element(Locator::Css("#login-error[role=alert]"))
        .await
        .unwrap();
    assert!(error.text().await.unwrap().contains("wrong"));
    browser.assert_accessible("/staff/login (error)").await;
    browser.close().await;
}

#[tokio::test]
async fn sign_in_from_each_staff_page_returns_to_it() {
    let app = spawn_app().await;
    for (path, landmark) in [
        ("/staff/planner", "plan-form"),
        ("/staff/displays", "displays"),
        ("/staff", "call-next"),
    ] {
        let browser = Browser::start().await;
        browser.goto(&app.url(path)).await.unwrap();
        sign_in_here(&browser, "admin").await;
        browser
            .wait()
            .for_element(Locator::Id(landmark))
            .await
            .unwrap();
        let url = browser.current_url().await.unwrap();
        assert_eq!(url.path(), path, "signed in from {path}, back on {url}");
        browser.close().await;
    }
}

/// The console's desk, opened: signs in, picks the city hall and the desk `desk`.
pub(crate) async fn at_desk(browser: &Browser, app: &TestApp, desk: i64) {
    sign_in(browser, app).await;
    choose(browser, "location", "raadhuset").await;
    choose(browser, "desk", &desk.to_string()).await;
}

/// The first of the city hall's desks that serves `service`, as an administrator reads
/// it through the API.
async fn desk_serving(app: &TestApp, service: &str) -> Value {
    let token = app.login("admin").await;
    city_hall_desk_serving(app, &token, service).await
}

pub(crate) async fn open_desk(browser: &Browser) {
    browser
        .find(Locator::Css("button[data-desk='open']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#call-next:not([disabled])"))
        .await
        .unwrap();
}

#[tokio::test]
async fn the_console_shows_what_a_desk_serves_and_remembers_it_across_a_reload() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app.walk_in("koerekort").await;
    app.walk_in("koerekort").await;
    let desk = desk_serving(&app, "koerekort").await;
    let id = desk["id"].as_i64().unwrap();
    let browser = Browser::start().await;
    at_desk(&browser, &app, id).await;
    // Each errand the desk serves, by name, with how many wait for it.
    let serves = "#serves li[data-service='koerekort']";
    // The list is drawn as soon as the desk is chosen, and again when its queue comes in.
    browser
        .wait()
        .for_element(Locator::XPath(
            "//ul[@id='serves']/li[@data-service='koerekort'][contains(., '2 venter')]",
        ))
        .await
        .expect("the desk's queue shown");
    // Read in one step: the list is drawn again as the desk's queue comes in, and an item
    // found first and read after could be gone by then.
    let text = browser
        .execute(
            &format!("return document.querySelector(\"{serves}\").innerText;"),
            vec![],
        )
        .await
        .unwrap();
    let text = text.as_str().unwrap_or_default();
    assert!(
        text.contains("Kørekort") && text.contains("2 venter"),
        "{text}"
    );
    assert!(!text.contains("koerekort"), "no slugs: {text}");
    browser.assert_accessible("/staff (desk chosen)").await;
    browser.assert_targets_large("/staff (desk chosen)").await;
    browser.screenshot(1366, "console-da").await;

    browser.refresh().await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css(&format!("#desk option[value='{id}']:checked")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#serves li[data-service='koerekort']"))
        .await
        .unwrap();
    browser.close().await;
}

#[tokio::test]
async fn a_no_show_is_undone_from_the_console() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let ticket = app.walk_in("vejledning").await;
    let number = ticket["number"].as_str().unwrap();
    let desk = desk_serving(&app, "vejledning").await;
    let browser = Browser::start().await;
    at_desk(&browser, &app, desk["id"].as_i64().unwrap()).await;
    open_desk(&browser).await;
    call_next(&browser, number).await;
    browser
        .find(Locator::Css("button[data-act='no-show']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#undo-bar:not([hidden]) #undo"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    current_is(&browser, number).await;
    let status = app
        .get_json(&format!(
            "/api/v1/tickets/{}",
            ticket["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(status["status"], "called", "the no-show is undone");
    browser.close().await;
}

#[tokio::test]
async fn a_waiting_ticket_is_called_out_of_turn_from_the_console() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app.walk_in("vejledning").await;
    let later = app.walk_in("vejledning").await;
    let number = later["number"].as_str().unwrap();
    let desk = desk_serving(&app, "vejledning").await;
    let browser = Browser::start().await;
    at_desk(&browser, &app, desk["id"].as_i64().unwrap()).await;
    open_desk(&browser).await;
    let id = later["id"].as_str().unwrap();
    browser
        .wait()
        .for_element(Locator::Css(&format!(
            "tr[data-ticket='{id}'] button.call-now"
        )))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#out-of-turn:not([hidden]) #reason"))
        .await
        .unwrap()
        .send_keys("Kommer tilbage med papirer")
        .await
        .unwrap();
    browser.assert_accessible("/staff (call out of turn)").await;
    browser
        .find(Locator::Css("#out-of-turn button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    current_is(&browser, number).await;
    let status = app.get_json(&format!("/api/v1/tickets/{id}")).await;
    assert_eq!(status["status"], "called");
    browser.close().await;
}

/// The display fills a landscape and a portrait screen: the call, the errands by name
/// and the clock.
#[tokio::test]
async fn the_display_shows_errand_names_and_the_clock_on_wide_and_tall_screens() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app.walk_in("koerekort").await;
    let display = Browser::start().await;
    for (width, height, name) in [
        (1920, 1080, "display-1920x1080"),
        (1080, 1920, "display-1080x1920"),
    ] {
        display.set_window_size(width, height).await.unwrap();
        display
            .goto(&app.url("/locations/raadhuset/display"))
            .await
            .unwrap();
        // The list is drawn anew on each event: wait on the name itself, not on a node.
        display
            .wait()
            .for_element(Locator::XPath(
                "//ul[@id='waiting']/li[@data-service='koerekort']/span[@class='errand' and text()='Kørekort']",
            ))
            .await
            .unwrap();
        let clock = display
            .wait()
            .for_element(Locator::XPath(
                "//time[@id='clock' and string-length(normalize-space()) >= 4]",
            ))
            .await
            .unwrap();
        assert!(clock
            .text()
            .await
            .unwrap()
            .chars()
            .any(|c| c.is_ascii_digit()));
        // The call area spans the screen, not a third of it.
        let wide: Value = display
            .execute(
                "const r = document.getElementById('display').getBoundingClientRect();
                 return r.width / window.innerWidth;",
                vec![],
            )
            .await
            .unwrap();
        assert!(wide.as_f64().unwrap() > 0.9, "{name}: {wide}");
        display.assert_accessible(name).await;
        display.assert_targets_large(name).await;
        display.save_screenshot(name).await;
    }
    display.close().await;
}

/// Raises the city hall's alert for driving licences: six waiting and no desk open, read
/// twice the hold apart.
async fn surge(app: &TestApp) {
    use skranke::app::queue_alerts::{tick, Forecasts};
    use skranke::clock::Clock as _;
    use skranke::domain::queue_alert::AlertRule;
    for _ in 0..6 {
        app.walk_in("koerekort").await;
    }
    for _ in 0..2 {
        let (pool, events, now) = (app.pool.clone(), app.events.clone(), app.clock.now());
        let changed = tokio::task::spawn_blocking(move || {
            tick(
                &pool,
                &events,
                AlertRule::default(),
                &Forecasts::default(),
                now,
            )
            .unwrap()
        })
        .await
        .unwrap();
        app.clock.advance(AlertRule::default().hold);
        if !changed.is_empty() {
            return;
        }
    }
    panic!("no alert was raised");
}

#[tokio::test]
async fn a_queue_alert_tells_the_console_and_the_dashboard_to_open_one_more_desk() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let desk = desk_serving(&app, "koerekort").await;
    let id = desk["id"].as_i64().unwrap();
    let browser = Browser::start().await;
    at_desk(&browser, &app, id).await;
    surge(&app).await;
    // The alert arrives on the location's stream; the console reads it then.
    let alert = browser
        .wait()
        .for_element(Locator::Css(
            "#queue-alerts:not([hidden]) li[data-service='koerekort']",
        ))
        .await
        .unwrap();
    let text = alert.text().await.unwrap();
    assert_eq!(
        text,
        "Åbn en skranke mere: 6 venter på Kørekort, forventet ventetid 90 min"
    );
    browser.assert_accessible("/staff (queue alert)").await;
    browser.assert_fits(390, "/staff (queue alert)").await;
    browser.screenshot(390, "console-alert-da-390").await;
    browser.screenshot(1366, "console-alert-da-1366").await;

    crate::dashboard::sign_in_as_planner(&browser, &app).await;
    browser
        .goto(&app.url("/staff/dashboard?lang=en"))
        .await
        .unwrap();
    let told = text_of(&browser, "#queue-alerts").await;
    assert!(
        told.contains("Open one more desk: 6 waiting for Driving licence, expected wait 90 min"),
        "{told}"
    );
    browser
        .assert_accessible("/staff/dashboard (queue alert)")
        .await;
    browser.screenshot(390, "dashboard-alert-en-390").await;
    browser.screenshot(1366, "dashboard-alert-en-1366").await;
    browser.close().await;
}
