//! The call displays' chooser: the nav's "Kaldeskærm" reaches the display of each place the
//! user works, in both languages.

use fantoccini::Locator;

use crate::helpers::spawn_app;
use crate::steps::{sign_in, text_of};
use browser::Browser;

#[tokio::test]
async fn the_nav_reaches_the_display_of_every_place_the_user_works() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    sign_in(&browser, &app, "/staff/planner", "admin", "#plan-form").await;
    browser
        .find(Locator::Css(".staff-nav a[href^='/staff/displays']"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    for lang in ["da", "en"] {
        browser
            .goto(&app.url(&format!("/staff/displays?lang={lang}")))
            .await
            .unwrap();
        let links = browser
            .wait()
            .for_element(Locator::Css(".display-choices"))
            .await
            .unwrap()
            .find_all(Locator::Css("a.button"))
            .await
            .unwrap();
        let mut names = Vec::new();
        for link in &links {
            names.push(link.text().await.unwrap());
        }
        // The administrator works at all three places.
        assert_eq!(names.len(), 3, "{names:?}");
        assert!(names.iter().any(|n| n.contains("Nuuk")), "{names:?}");
        let current = text_of(&browser, ".staff-nav a[aria-current=page]").await;
        let expected = if lang == "da" {
            "Kaldeskærm"
        } else {
            "Call display"
        };
        assert_eq!(current.trim(), expected);
        browser
            .look_at(
                &format!("/staff/displays ({lang})"),
                &format!("displays-{lang}"),
            )
            .await;
    }
    // Nuuk's link opens Nuuk's display, not the first place's, in the page's language.
    browser
        .find(Locator::LinkText("Borgerservice Nuuk"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .wait()
        .for_element(Locator::Css("html[lang=en]"))
        .await
        .unwrap();
    let url = browser.current_url().await.unwrap();
    assert_eq!(url.path(), "/locations/nuuk/display", "{url}");
    browser.close().await;
}
