//! After a finished visit the ticket's status page asks how it went, in Danish and in
//! English: a score is needed, the answer is taken once and thanked for.

use fantoccini::Locator;
use serde_json::json;

use crate::helpers::{desks_serving, finished_walk_in, signed_in_post, spawn_app};
use crate::known_day::DAY;
use browser::Browser;

#[tokio::test]
async fn the_status_page_asks_how_the_visit_went_once_it_is_finished() {
    let app = spawn_app().await;
    app.clock.set(format!("{DAY}T08:02:00Z").parse().unwrap());
    let staff = app.login("staff").await;
    let desks = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await;
    let desk = desks[0];
    signed_in_post(&app, &staff, &format!("/api/v1/desks/{desk}/open"), None).await;
    let browser = Browser::start().await;
    for lang in ["da", "en"] {
        let id = finished_walk_in(&app, &staff, desk, "koerekort").await;
        browser
            .goto(&app.url(&format!("/tickets/{id}?lang={lang}")))
            .await
            .unwrap();
        browser
            .wait()
            .for_element(Locator::Id("feedback"))
            .await
            .unwrap();
        browser
            .look_at(
                "/tickets/{id} (question)",
                &format!("feedback-1-question-{lang}"),
            )
            .await;
        // Sent without a score: said at the question, in the page's words.
        browser
            .find(Locator::Css("#feedback button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        let Ok(mend) = browser.wait().for_element(Locator::Id("score-error")).await else {
            panic!(
                "no score-error:\n{}",
                browser.source().await.unwrap_or_default()
            );
        };
        let mend = mend.text().await.unwrap();
        assert!(!mend.contains("score"), "{mend}");
        browser.assert_accessible("/tickets/{id} (no score)").await;
        browser
            .find(Locator::Css("label[for=score-4]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .find(Locator::Id("comment"))
            .await
            .unwrap()
            .send_keys("Hurtigt og venligt")
            .await
            .unwrap();
        browser
            .find(Locator::Css("#feedback button[type=submit]"))
            .await
            .unwrap()
            .click()
            .await
            .unwrap();
        browser
            .wait()
            .for_element(Locator::Id("feedback-thanks"))
            .await
            .unwrap();
        browser.assert_accessible("/tickets/{id} (thanks)").await;
        browser
            .photograph(&format!("feedback-2-thanks-{lang}"))
            .await;

        // Answered: the page no longer asks, and the API refuses a second answer.
        browser
            .goto(&app.url(&format!("/tickets/{id}?lang={lang}")))
            .await
            .unwrap();
        browser
            .wait()
            .for_element(Locator::Id("ticket"))
            .await
            .unwrap();
        assert!(browser.find(Locator::Id("feedback")).await.is_err());
        let again = app
            .client
            .post(app.url(&format!("/api/v1/tickets/{id}/feedback")))
            .json(&json!({"score": 5}))
            .send()
            .await
            .unwrap();
        assert_eq!(again.status(), 409);
    }
    browser.close().await;
}
