//! The planner's dashboard in the browser: the known day's figures and charts, axe-clean.

use fantoccini::Locator;

use crate::helpers::{spawn_app, TestApp, PASSWORD};
use crate::known_day::{self, DAY};
use browser::Browser;

async fn sign_in_as_planner(browser: &Browser, app: &TestApp) {
    browser.goto(&app.url("/staff/login")).await.unwrap();
    for (field, text) in [("username", "admin"), ("password", PASSWORD)] {
        browser
            .find(Locator::Id(field))
            .await
            .unwrap()
            .send_keys(text)
            .await
            .unwrap();
    }
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

async fn figure(browser: &Browser, kpi: &str) -> String {
    browser
        .find(Locator::Css(&format!("dd[data-kpi='{kpi}']")))
        .await
        .unwrap_or_else(|_| panic!("no figure {kpi}"))
        .text()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_planner_sees_the_known_day() {
    let app = spawn_app().await;
    known_day::build(&app).await;
    let browser = Browser::start().await;

    browser
        .goto(&app.url(&format!("/staff/dashboard?from={DAY}&to={DAY}")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("form[action='/staff/login']"))
        .await
        .expect("without a session, the sign-in form");

    sign_in_as_planner(&browser, &app).await;
    browser
        .goto(&app.url(&format!("/staff/dashboard?from={DAY}&to={DAY}")))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("chart-waits"))
        .await
        .unwrap();
    for (kpi, shown) in [
        ("tickets", "4"),
        ("appointments", "4"),
        ("wait_mean", "9,75"),
        ("wait_p50", "1"),
        ("wait_p90", "23"),
        ("within_target", "50 %"),
        ("service_minutes", "8,33"),
        ("no_show_rate", "33,33 %"),
        ("cancel_rate", "25 %"),
        ("booked_share", "25 %"),
        ("sent_to_self_service", "1"),
        ("first_contact_resolution", "66,67 %"),
        ("errands_per_staff_hour", "1,2"),
        ("cost_total", "363"),
    ] {
        assert_eq!(figure(&browser, kpi).await, shown, "{kpi}");
    }
    // The charts name their figures: waits at 10 o'clock, the week's booked share, the day's
    // first-contact resolution, each against its goal.
    let title = |id: &'static str| {
        let browser = &browser;
        async move {
            browser
                .find(Locator::Css(&format!("#{id} title")))
                .await
                .unwrap()
                .html(true)
                .await
                .unwrap()
        }
    };
    assert!(title("chart-waits").await.contains("10: 9,75 min"));
    assert!(title("chart-booked").await.contains("uge 13: 25 %"));
    assert!(title("chart-resolution").await.contains("30-03: 66,67 %"));
    let goals = browser.find_all(Locator::Css("svg .goal")).await.unwrap();
    assert_eq!(goals.len(), 3);
    let jobcenter = browser
        .find(Locator::Css("tr[data-department='jobcenter']"))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(jobcenter.contains("16,67 %"), "{jobcenter}");
    browser.assert_accessible("/staff/dashboard").await;

    browser
        .goto(&app.url(&format!("/staff/dashboard?from={DAY}&to={DAY}&lang=en")))
        .await
        .unwrap();
    assert_eq!(figure(&browser, "wait_mean").await, "9.75");
    assert_eq!(
        figure(&browser, "first_contact_resolution").await,
        "66.67 %"
    );
    browser.assert_accessible("/staff/dashboard?lang=en").await;
    browser.close().await;
}
