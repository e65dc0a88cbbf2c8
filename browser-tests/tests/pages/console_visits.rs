//! A ticket of several errands and needs at the desk console: the clerk reads every errand
//! and the interpreter's language, sends the errands this desk does not serve on, and
//! finishes the visit with an outcome for each errand, which can be undone.

use fantoccini::Locator;
use serde_json::{json, Value};

use crate::english_markers::english_word;
use crate::helpers::{city_hall_desk_named, spawn_app, TestApp};
use crate::staff::{at_desk, call_next, choose, current_is, open_desk};
use crate::steps::{click, text_of};
use browser::Browser;

const TUESDAY: &str = "2027-03-30";

/// The city hall's desk named `name`, by its id.
async fn desk_named(app: &TestApp, name: &str) -> i64 {
    let token = app.login("admin").await;
    city_hall_desk_named(app, &token, name).await["id"]
        .as_i64()
        .unwrap()
}

async fn status(app: &TestApp, id: &str) -> Value {
    app.get_json(&format!("/api/v1/tickets/{id}")).await["status"].clone()
}

#[tokio::test]
async fn a_visit_of_two_errands_is_sent_on_and_finished_with_an_outcome_for_each() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let ticket = take_visit(&app, json!([{"kind": "interpreter", "detail": "arabisk"}])).await;
    let (id, number) = (
        ticket["id"].as_str().unwrap(),
        ticket["number"].as_str().unwrap(),
    );

    // Skranke 1 serves driving licences but not guidance: the whole visit is not for it, but
    // no desk serving both is open, so it calls the visit and sends the rest on.
    let browser = Browser::start().await;
    at_desk(&browser, &app, desk_named(&app, "Skranke 1").await).await;
    open_desk(&browser).await;
    call_next(&browser, number).await;
    assert_eq!(
        text_of(&browser, "#current-errand").await,
        "Kørekort, Generel vejledning"
    );
    assert_eq!(text_of(&browser, "#current-needs").await, "Tolk (arabisk)");
    assert_eq!(
        text_of(&browser, "#rest-text").await,
        "Denne skranke betjener ikke Generel vejledning."
    );
    let main = text_of(&browser, "main").await;
    if let Some(word) = english_word(&main) {
        panic!("'{word}' on the Danish console:\n{main}");
    }
    browser
        .look_at("/staff (a visit called)", "console-visit-da")
        .await;
    click(&browser, "button[data-transfer='vejledning']").await;
    current_is(&browser, "–").await;
    assert_eq!(status(&app, id).await, "waiting", "back in the queue");

    // Skranke 3 serves both: it calls the visit, and its finish asks for each errand.
    choose(
        &browser,
        "desk",
        &desk_named(&app, "Skranke 3").await.to_string(),
    )
    .await;
    open_desk(&browser).await;
    call_next(&browser, number).await;
    assert!(browser
        .find(Locator::Css("#rest-transfer[hidden]"))
        .await
        .is_ok());
    click(&browser, "button[data-act='start']").await;
    browser
        .wait()
        .for_element(Locator::Css("#errand-outcomes:not([hidden])"))
        .await
        .unwrap();
    assert!(
        browser
            .find(Locator::Css("button[data-finish='resolved'][hidden]"))
            .await
            .is_ok(),
        "no one outcome for the whole visit"
    );
    click(&browser, "#finish-visit").await;
    let message = browser
        .wait()
        .for_element(Locator::XPath(
            "//p[@id='message' and normalize-space()!='']",
        ))
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert_eq!(
        message,
        "Vælg løst eller henvist for hvert ærinde, før besøget afsluttes."
    );
    assert_eq!(status(&app, id).await, "serving", "nothing was finished");
    click(&browser, "label[for='outcome-koerekort-resolved']").await;
    click(&browser, "label[for='outcome-vejledning-referred']").await;
    browser
        .look_at("/staff (outcomes)", "console-outcomes-da")
        .await;
    click(&browser, "#finish-visit").await;
    click(&browser, "#undo-bar:not([hidden]) #undo").await;
    // Undone: the visit is back at the desk with its errands open again.
    browser
        .wait()
        .for_element(Locator::Css("#errand-outcomes:not([hidden])"))
        .await
        .unwrap();
    assert_eq!(status(&app, id).await, "serving", "the finish is undone");
    click(&browser, "label[for='outcome-koerekort-resolved']").await;
    click(&browser, "label[for='outcome-vejledning-referred']").await;
    click(&browser, "#finish-visit").await;
    browser
        .wait()
        .for_element(Locator::Css("#undo-bar:not([hidden])"))
        .await
        .unwrap();
    assert_eq!(status(&app, id).await, "finished");

    let token = app.login("admin").await;
    let report: Value = app
        .get_json_as(
            &token,
            &format!("/api/v1/reports/kpi?location=raadhuset&from={TUESDAY}&to={TUESDAY}"),
        )
        .await;
    let outcome = |service: &str, outcome: &str| {
        report["by_service"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service"] == service)
            .unwrap_or_else(|| panic!("no row for {service}: {report}"))[outcome]
            .clone()
    };
    assert_eq!(
        (
            outcome("koerekort", "resolved"),
            outcome("vejledning", "referred")
        ),
        (json!(1), json!(1)),
        "each errand with the outcome ticked for it"
    );

    // In English: the next visit with a step-free desk asked for, at the same desk.
    let next = take_visit(
        &app,
        json!([{"kind": "interpreter", "detail": "somali"}, {"kind": "step_free"}]),
    )
    .await;
    browser.goto(&app.url("/staff?lang=en")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Css("#call-next:not([disabled])"))
        .await
        .unwrap();
    call_next(&browser, next["number"].as_str().unwrap()).await;
    assert_eq!(
        text_of(&browser, "#current-errand").await,
        "Driving licence, General guidance"
    );
    assert_eq!(
        text_of(&browser, "#current-needs").await,
        "Interpreter (somali), Step-free desk"
    );
    click(&browser, "button[data-act='start']").await;
    browser
        .wait()
        .for_element(Locator::Css("#errand-outcomes:not([hidden])"))
        .await
        .unwrap();
    browser
        .look_at("/staff (outcomes, en)", "console-outcomes-en")
        .await;
    browser.close().await;
}

/// A walk-in's ticket for a driving licence and guidance, with `needs`.
async fn take_visit(app: &TestApp, needs: Value) -> Value {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&json!({"location": "raadhuset",
            "services": [{"service": "koerekort"}, {"service": "vejledning"}],
            "needs": needs}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap()
}
