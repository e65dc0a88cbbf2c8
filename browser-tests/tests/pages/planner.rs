//! The planner's page in the browser: plan a week, see the chart, publish.

use chrono::Duration;
use fantoccini::Locator;
use serde_json::Value;

use crate::helpers::{spawn_app, TestApp};
use crate::steps::sign_in;
use browser::Browser;

/// The demo's planning data and four weeks of history, on top of the test organisation.
pub(crate) fn with_planning(app: &TestApp) {
    let mut conn = app.pool.get().unwrap();
    let spec = skranke::app::demo::organisation().unwrap();
    let planning = skranke::app::demo::planning().unwrap();
    skranke::store::planning::save(&mut conn, spec.slug.as_str(), &planning).unwrap();
    let today = chrono::NaiveDate::from_ymd_opt(2027, 3, 29).unwrap();
    let history = skranke::domain::demand::synthetic_history(
        &spec,
        today - Duration::days(35),
        today - Duration::days(1),
        7,
    );
    skranke::store::demand::insert(&mut conn, spec.slug.as_str(), &history).unwrap();
}

/// Signs in as the administrator from the planner, and is back on it.
pub(crate) async fn sign_in_as_admin(browser: &Browser, app: &TestApp) {
    sign_in(
        browser,
        app,
        "/staff/planner?lang=en",
        "admin",
        "#plan-form",
    )
    .await;
}

#[tokio::test]
async fn a_planner_plans_a_week_sees_the_chart_and_publishes_it() {
    let app = spawn_app().await;
    with_planning(&app);
    let browser = Browser::start().await;
    sign_in_as_admin(&browser, &app).await;
    browser
        .goto(&app.url("/staff/planner?lang=en"))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("plan-form"))
        .await
        .unwrap();
    browser.assert_accessible("/staff/planner").await;
    // The coming week is filled in; plan the city hall alone, to an average wait.
    for other in ["taastrup-bibliotek", "nuuk"] {
        browser
            .find(Locator::Css(&format!(
                "input[name=location][value='{other}']"
            )))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    browser
        .find(Locator::Css("input[name=kind][value=average_wait]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Id("plan"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();

    // Planning computes for seconds, and for minutes on a machine busy with other tests:
    // the bound is there only so that a plan that never comes fails the test.
    let chart = browser
        .wait()
        .at_most(std::time::Duration::from_secs(600))
        .for_element(Locator::Css("svg.plan-chart[data-location=raadhuset]"))
        .await
        .unwrap();
    for line in ["forecast", "required", "planned"] {
        chart
            .find(Locator::Css(&format!("polyline.{line}")))
            .await
            .unwrap();
    }
    assert!(
        browser
            .find_all(Locator::Css("svg.plan-chart"))
            .await
            .unwrap()
            .len()
            == 1
    );
    browser
        .assert_accessible("/staff/planner with a roster")
        .await;
    let id = browser
        .find(Locator::Id("roster"))
        .await
        .unwrap()
        .attr("data-id")
        .await
        .unwrap()
        .unwrap();

    // The roster table: who works which shift, and the week against the contract.
    let shifts = browser
        .find_all(Locator::Css("table.roster-table tbody tr"))
        .await
        .unwrap();
    assert!(!shifts.is_empty(), "the roster table lists shifts");
    let first = shifts[0].text().await.unwrap();
    assert!(
        first.contains(':') && first.contains('–'),
        "a shift with its times: {first}"
    );
    browser
        .find(Locator::Css("table.week-table tbody tr"))
        .await
        .unwrap();
    browser.screenshot(1366, "planner-en").await;

    // Publishing asks first, with a preview of what it will create.
    browser
        .find(Locator::Id("publish"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#preview:not([hidden]) #preview-rows tr"))
        .await
        .unwrap();
    let token = app.login("admin").await;
    let draft: Value = app
        .client
        .get(app.url(&format!("/api/v1/rosters/{id}")))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        draft["status"], "draft",
        "nothing is published before the confirmation"
    );
    browser
        .assert_accessible("/staff/planner (publish preview)")
        .await;
    browser
        .assert_targets_large("/staff/planner (publish preview)")
        .await;
    browser
        .find(Locator::Id("confirm-publish"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#roster[data-status=published]"))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::XPath(
            "//p[@id='message' and starts-with(normalize-space(), 'Published')]",
        ))
        .await
        .unwrap();
    // A published roster can be withdrawn.
    browser
        .wait()
        .for_element(Locator::Id("withdraw"))
        .await
        .unwrap();
    let roster: Value = app
        .client
        .get(app.url(&format!("/api/v1/rosters/{id}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(roster["status"], "published");
    assert_eq!(roster["target"]["average_wait_minutes"], 4.0);
    assert_eq!(roster["locations"], serde_json::json!(["raadhuset"]));
    browser.close().await;
}
