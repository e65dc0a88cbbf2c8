//! A family books two passports and a health card in one visit through the pages, with an
//! interpreter, in Danish and in English: the form of errands and needs, its mistakes shown
//! at their fields in the page's own words, the visit's days and times (the same as the API
//! gives for the whole visit), and the confirmation with every errand and the visit's end.
//! Every step is checked by axe and photographed at both widths.

use fantoccini::Locator;
use serde_json::Value;

use crate::english_markers::english_word;
use crate::helpers::{spawn_app, TestApp};
use crate::steps::{click, text_of, type_into};
use browser::Browser;

/// Chooses two passports and a health card on the visit's form, with an interpreter for
/// Arabic (the need ticked already), and sends it.
async fn send_the_family_visit(browser: &Browser) {
    click(browser, "label[for=errand-pas]").await;
    browser
        .wait()
        .for_element(Locator::Id("quantity-pas"))
        .await
        .unwrap()
        .select_by_value("2")
        .await
        .unwrap();
    click(browser, "label[for=errand-sundhedskort]").await;
    type_into(browser, "interpreter_language", "arabisk").await;
    click(browser, ".visit-form button[type=submit]").await;
}

/// The free times the API gives for the visit on `day`: their starts and ends.
async fn visit_times(app: &TestApp, day: &str) -> Vec<(String, String)> {
    let path = format!(
        "/api/v1/locations/raadhuset/slots?services=pas:2,sundhedskort&needs=interpreter&from={day}&to={day}"
    );
    let at = |slot: &Value, key: &str| {
        chrono::DateTime::parse_from_rfc3339(slot[key].as_str().unwrap())
            .unwrap()
            .to_rfc3339()
    };
    app.get_json(&path)
        .await
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (at(s, "start"), at(s, "end")))
        .collect()
}

#[tokio::test]
async fn a_family_books_two_passports_and_a_health_card_with_an_interpreter_in_both_languages() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    for lang in ["da", "en"] {
        browser
            .goto(&app.url(&format!("/book?location=raadhuset&lang={lang}")))
            .await
            .unwrap();
        click(&browser, "#several").await;
        browser
            .wait()
            .for_element(Locator::Id("errands"))
            .await
            .unwrap();
        browser
            .look_at("/book/visit (form)", &format!("visit-2-form-{lang}"))
            .await;

        // An interpreter without a language, and no errand: both are shown at their fields.
        click(&browser, "label[for=need-interpreter]").await;
        click(&browser, ".visit-form button[type=submit]").await;
        let errands_error = text_of(&browser, "#errands-error").await;
        let language_error = text_of(&browser, "#interpreter_language-error").await;
        let summary = text_of(&browser, "#problem").await;
        assert!(
            summary.contains(&errands_error) && summary.contains(&language_error),
            "{summary}"
        );
        assert!(
            !errands_error.contains("services") && !language_error.contains("needs["),
            "the page's own words, not the API's: {errands_error} / {language_error}"
        );
        if lang == "da" {
            let main = text_of(&browser, "main").await;
            if let Some(word) = english_word(&main) {
                panic!("'{word}' on the Danish form:\n{main}");
            }
        }
        browser
            .look_at(
                "/book/visit (mistakes)",
                &format!("visit-2-mistakes-{lang}"),
            )
            .await;
        let ticked = browser
            .find(Locator::Id("need-interpreter"))
            .await
            .unwrap()
            .prop("checked")
            .await
            .unwrap();
        assert_eq!(ticked.as_deref(), Some("true"), "the tick is kept");

        send_the_family_visit(&browser).await;

        // The visit's days: each a button that carries the visit in the form's body.
        let day = browser
            .wait()
            .for_element(Locator::Css("button[name=day][value='2027-03-31']"))
            .await
            .expect("the visit's first free days are offered");
        let crumbs = text_of(&browser, ".crumbs").await;
        assert!(crumbs.contains("2 × "), "every errand is named: {crumbs}");
        browser
            .look_at("/book/visit (day)", &format!("visit-3-day-{lang}"))
            .await;
        let day = browser
            .find(Locator::Css("button[name=day][value='2027-03-31']"))
            .await
            .unwrap_or(day);
        day.click().await.unwrap();

        // The times are the whole visit's, as the API gives them.
        browser
            .wait()
            .for_element(Locator::Css("input[name=start]"))
            .await
            .unwrap();
        let mut shown = Vec::new();
        for input in browser
            .find_all(Locator::Css("input[name=start]"))
            .await
            .unwrap()
        {
            let value = input.attr("value").await.unwrap().unwrap();
            shown.push(
                chrono::DateTime::parse_from_rfc3339(&value)
                    .unwrap()
                    .to_rfc3339(),
            );
        }
        let api = visit_times(&app, "2027-03-31").await;
        let starts: Vec<String> = api.iter().map(|(start, _)| start.clone()).collect();
        assert_eq!(shown, starts, "the visit's times");
        browser
            .look_at("/book/visit (time)", &format!("visit-4-time-{lang}"))
            .await;

        click(&browser, "label[for=start-1]").await;
        type_into(&browser, "name", "Familien Hansen").await;
        type_into(&browser, "email", &format!("hansen-{lang}@example.dk")).await;
        click(&browser, "form.form button[type=submit]").await;

        let reference = text_of(&browser, "#reference").await;
        let errands = text_of(&browser, "#errands").await;
        assert!(
            errands.starts_with("2 × ") && errands.contains(", "),
            "every errand: {errands}"
        );
        let ends = text_of(&browser, "#ends").await;
        let end = chrono::DateTime::parse_from_rfc3339(&api[0].1).unwrap();
        assert!(
            ends.contains(&end.format("%H:%M").to_string()),
            "the visit's end, {end}: {ends}"
        );
        browser
            .assert_accessible("/book (confirmation of a visit)")
            .await;
        browser.photograph(&format!("visit-5-receipt-{lang}")).await;

        let manage = browser
            .find(Locator::Id("manage"))
            .await
            .unwrap()
            .attr("href")
            .await
            .unwrap()
            .unwrap();
        let booked = app.get_json(&format!("/api/v1{manage}")).await;
        assert_eq!(booked["reference"], reference.as_str());
        assert_eq!(
            booked["services"],
            serde_json::json!([{"service": "pas", "quantity": 2}, {"service": "sundhedskort", "quantity": 1}])
        );
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(booked["end"].as_str().unwrap())
                .unwrap()
                .to_rfc3339(),
            api[0].1
        );
    }
    browser.close().await;
}

/// A visit that finds no time joins the waitlist from the time step: the form carries its
/// errands and needs in the body and names them, as does the confirmation, in both languages.
#[tokio::test]
async fn a_visit_joins_the_waitlist_with_its_errands_and_needs_in_both_languages() {
    let app = crate::helpers::spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    // Friday full of single passports: no 40 minutes in a row are left for the visit.
    let friday = "2027-04-02";
    let mut filled = 0;
    loop {
        let path =
            format!("/api/v1/locations/raadhuset/slots?service=pas&from={friday}&to={friday}");
        let free = app.get_json(&path).await;
        let Some(first) = free.as_array().unwrap().first().cloned() else {
            break;
        };
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&serde_json::json!({
                "location": "raadhuset", "service": "pas", "start": first["start"],
                "citizen": {"name": "Fuld Dag", "email": format!("fyld{filled}@example.dk")}
            }))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        filled += 1;
    }
    let browser = Browser::start().await;
    for lang in ["da", "en"] {
        browser
            .goto(&app.url(&format!("/book?location=raadhuset&lang={lang}")))
            .await
            .unwrap();
        click(&browser, "#several").await;
        click(&browser, "label[for=need-interpreter]").await;
        send_the_family_visit(&browser).await;
        click(&browser, "button[name=day][value='2027-03-31']").await;
        browser
            .wait()
            .for_element(Locator::Css("input[name=start]"))
            .await
            .unwrap();
        click(&browser, "button#waitlist").await;

        browser
            .wait()
            .for_element(Locator::Id("join"))
            .await
            .expect("the waitlist's form for the visit");
        let crumbs = text_of(&browser, ".crumbs").await;
        assert!(
            crumbs.contains("2 × ") && crumbs.contains(", "),
            "every errand: {crumbs}"
        );
        let needs = text_of(&browser, "#needs").await;
        assert!(
            needs.contains("(arabisk)"),
            "the need and its language: {needs}"
        );
        if lang == "da" {
            let main = text_of(&browser, "main").await;
            if let Some(word) = english_word(&main) {
                panic!("'{word}' on the Danish form:\n{main}");
            }
        }
        browser
            .look_at(
                "/waitlist/visit (form)",
                &format!("waitlist-visit-form-{lang}"),
            )
            .await;

        // Friday has no room for the visit, so the list takes it for Friday.
        browser
            .execute(
                &format!(
                    "document.getElementById('from').value = '{friday}';\
                     document.getElementById('to').value = '{friday}';"
                ),
                vec![],
            )
            .await
            .unwrap();
        type_into(&browser, "name", "Familien Hansen").await;
        type_into(&browser, "email", &format!("vente-{lang}@example.dk")).await;
        click(&browser, "#join").await;
        browser
            .wait()
            .for_element(Locator::Id("reference"))
            .await
            .expect("on the list");
        let errands = text_of(&browser, "#errands").await;
        assert!(errands.starts_with("2 × "), "every errand: {errands}");
        assert!(text_of(&browser, "#needs").await.contains("(arabisk)"));
        browser
            .look_at(
                "/waitlist (a visit joined)",
                &format!("waitlist-visit-joined-{lang}"),
            )
            .await;
    }
    browser.close().await;
}
