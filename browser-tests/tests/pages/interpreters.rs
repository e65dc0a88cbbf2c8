//! The planner's interpreter tasks in the browser: the interpreters asked for on a day, at
//! the door and when booking, in a table of time, location and language, in Danish and
//! English, at a phone's and a desktop's width.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::english_markers::english_word;
use crate::helpers::TestApp;
use crate::steps::sign_in;
use crate::steps::text_of;
use browser::Browser;

/// A walk-in's ticket at the city hall with an interpreter in `language`.
async fn interpreted_ticket(app: &TestApp, language: &str) -> Value {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset", "service": "vejledning",
            "needs": [{"kind": "interpreter", "detail": language}]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_planner_reads_the_days_interpreter_tasks_in_a_table() {
    let app = crate::helpers::spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let first = interpreted_ticket(&app, "arabisk").await;
    app.clock.set("2027-03-30T09:05:00Z".parse().unwrap());
    let second = interpreted_ticket(&app, "somali").await;
    let number = |t: &Value| t["number"].as_str().unwrap().to_owned();

    let browser = Browser::start().await;
    sign_in(
        &browser,
        &app,
        "/staff/planner/interpreters?lang=da",
        "admin",
        ".interpreter-form",
    )
    .await;
    // The planner's page leads here.
    browser
        .goto(&app.url("/staff/planner?lang=da"))
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Id("interpreters-link"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Today's tasks at first, by local time: Copenhagen is two hours ahead in summer time.
    let rows = text_of(&browser, "#interpreter-tasks tbody").await;
    assert_eq!(
        rows.lines().collect::<Vec<_>>(),
        [
            format!("10:30 Rådhuset arabisk Nummer {}", number(&first)),
            format!("11:05 Rådhuset somali Nummer {}", number(&second)),
        ],
        "{rows}"
    );
    assert_eq!(
        text_of(&browser, "#tasks-heading").await,
        "Tolkeopgaver tirsdag 30. marts 2027"
    );
    let main = text_of(&browser, "main").await;
    if let Some(word) = english_word(&main) {
        panic!("'{word}' on the Danish page:\n{main}");
    }
    browser
        .look_at("/staff/planner/interpreters", "interpreters-da")
        .await;
    browser
        .assert_fits(390, "/staff/planner/interpreters")
        .await;

    browser
        .goto(&app.url("/staff/planner/interpreters?lang=en&date=2027-03-31&location=raadhuset"))
        .await
        .unwrap();
    assert_eq!(
        text_of(&browser, "#no-tasks").await,
        "Nobody asked for an interpreter that day."
    );
    browser
        .goto(&app.url("/staff/planner/interpreters?lang=en&date=2027-03-30"))
        .await
        .unwrap();
    let rows = text_of(&browser, "#interpreter-tasks tbody").await;
    let somali = format!("11:05 Rådhuset somali Number {}", number(&second));
    assert!(rows.contains(&somali), "{rows}");
    browser
        .look_at("/staff/planner/interpreters (en)", "interpreters-en")
        .await;

    browser
        .goto(&app.url("/staff/planner/interpreters?lang=en&date=30.03.2027"))
        .await
        .unwrap();
    assert_eq!(
        text_of(&browser, "#date-error").await,
        "Write the day as a date, e.g. 2027-03-30."
    );
    browser
        .assert_accessible("/staff/planner/interpreters (bad date)")
        .await;
    browser.close().await;
}
