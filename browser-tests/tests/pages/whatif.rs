//! The planner's what-if page in the browser: a scenario filled in, compared with the week
//! as it is, in Danish and English, at a phone's and a desktop's width.

use fantoccini::Locator;

use crate::planner::{sign_in_as_admin, with_planning};
use browser::Browser;

const SCENARIO: &str = "Kørekort kun med tidsbestilling";

// One test a language: each plans the week twice, and side by side they take half as long.
#[tokio::test]
async fn a_planner_compares_an_errand_made_booking_only_with_the_week_as_it_is_in_danish() {
    compares_with_the_week_as_it_is("da", "Som nu").await;
}

#[tokio::test]
async fn a_planner_compares_an_errand_made_booking_only_with_the_week_as_it_is_in_english() {
    compares_with_the_week_as_it_is("en", "As it is").await;
}

/// The scenario filled in on the page in `lang`, and the comparison it answers with, whose
/// first column is headed `as_it_is`.
async fn compares_with_the_week_as_it_is(lang: &str, as_it_is: &str) {
    let app = crate::helpers::spawn_app().await;
    with_planning(&app);
    let browser = Browser::start().await;
    sign_in_as_admin(&browser, &app).await;
    browser
        .goto(&app.url(&format!("/staff/planner/whatif?lang={lang}")))
        .await
        .unwrap();
    let week = browser.find(Locator::Id("week")).await.unwrap();
    assert_eq!(
        week.prop("value").await.unwrap().as_deref(),
        Some("2027-W14")
    );
    browser.assert_accessible("/staff/planner/whatif").await;
    browser
        .screenshot(390, &format!("whatif-form-{lang}-390"))
        .await;
    browser
        .find(Locator::Id("name"))
        .await
        .unwrap()
        .send_keys(SCENARIO)
        .await
        .unwrap();
    for (select, value) in [("service", "koerekort"), ("booking", "required")] {
        browser
            .find(Locator::Css(&format!("#{select} option[value='{value}']")))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
    }
    browser
        .find(Locator::Id("online"))
        .await
        .unwrap()
        .send_keys("20")
        .await
        .unwrap();
    browser
        .find(Locator::Css("form.whatif-form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    // Planning takes seconds; the page answers with the comparison or with what to mend.
    browser
        .wait()
        .at_most(std::time::Duration::from_secs(600))
        .for_element(Locator::Css("table.whatif, #whatif-errors, .alert-error"))
        .await
        .unwrap();
    let table = browser
        .find(Locator::Css("table.whatif"))
        .await
        .unwrap_or_else(|_| panic!("no comparison on the {lang} page"));
    let headings: Vec<String> = {
        let mut out = Vec::new();
        for th in table.find_all(Locator::Css("thead th")).await.unwrap() {
            out.push(th.text().await.unwrap());
        }
        out
    };
    assert_eq!(&headings[1..], [as_it_is, SCENARIO], "{headings:?}");
    let rows = table.find_all(Locator::Css("tbody tr")).await.unwrap();
    assert_eq!(rows.len(), 10);
    // What was asked stays in the form.
    let online = browser.find(Locator::Id("online")).await.unwrap();
    assert_eq!(online.prop("value").await.unwrap().as_deref(), Some("20"));
    browser
        .look_at(
            &format!("/staff/planner/whatif (compared, {lang})"),
            &format!("whatif-{lang}"),
        )
        .await;
    browser.close().await;
}
