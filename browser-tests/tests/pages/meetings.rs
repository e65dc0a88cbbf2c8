//! A video meeting booked through the pages: the confirmation and the manage page show its
//! link and a button to join, in Danish and English; a phone meeting booked without a
//! number is told at the phone field to give one.

use fantoccini::Locator;

use crate::helpers::spawn_app;
use crate::steps::{open_manage_page, shown_reference, text_of};
use browser::Browser;

const DAY: &str = "2027-03-31";

async fn fill(browser: &Browser, fields: &[(&str, &str)]) {
    for (field, value) in fields {
        let input = browser.find(Locator::Id(field)).await.unwrap();
        input.clear().await.unwrap();
        input.send_keys(value).await.unwrap();
    }
}

async fn choose_first_time_and_send(browser: &Browser) {
    browser
        .find(Locator::Css("input[name=start]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    browser
        .find(Locator::Css("form button[type=submit]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
}

async fn join_link(browser: &Browser) -> String {
    let join = browser.find(Locator::Id("join")).await.unwrap();
    join.attr("href").await.unwrap().unwrap()
}

#[tokio::test]
async fn a_video_meeting_shows_its_link_on_the_confirmation_and_the_manage_page() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    for (lang, join) in [
        ("da", "Deltag i videomødet"),
        ("en", "Join the video meeting"),
    ] {
        let path =
            format!("/book?location=raadhuset&service=jobsamtale-video&day={DAY}&lang={lang}");
        browser.goto(&app.url(&path)).await.unwrap();
        let email = format!("video-{lang}@example.dk");
        fill(&browser, &[("name", "Video Borger"), ("email", &email)]).await;
        choose_first_time_and_send(&browser).await;
        let reference = shown_reference(&browser).await;
        let link = format!("https://meet.example.dk/jobcenter/{reference}");
        assert_eq!(join_link(&browser).await, link);
        let shown = browser.find(Locator::Id("meeting")).await.unwrap();
        assert_eq!(shown.text().await.unwrap(), link);
        let button = browser.find(Locator::Id("join")).await.unwrap();
        assert_eq!(button.text().await.unwrap(), join);
        browser
            .look_at(
                "/book (video meeting booked)",
                &format!("meeting-receipt-{lang}"),
            )
            .await;

        open_manage_page(&browser).await;
        assert_eq!(join_link(&browser).await, link);
        assert!(
            browser.find(Locator::Css(".check-in-code")).await.is_err(),
            "a meeting on screen is not checked in at the kiosk"
        );
        browser
            .look_at(
                "/appointments/{reference} (video meeting)",
                &format!("meeting-manage-{lang}"),
            )
            .await;
    }
    browser.close().await;
}

#[tokio::test]
async fn a_phone_meeting_without_a_number_is_told_at_the_phone_field() {
    let app = spawn_app().await;
    let browser = Browser::start().await;
    for (lang, words) in [
        ("da", "Skriv dit telefonnummer. Vi ringer dig op til mødet."),
        (
            "en",
            "Write your phone number. We call you for the meeting.",
        ),
    ] {
        let path = format!("/book?location=raadhuset&service=jobsamtale&day={DAY}&lang={lang}");
        browser.goto(&app.url(&path)).await.unwrap();
        // Another address in each language: the same form again would book once.
        let email = format!("tlf-{lang}@example.dk");
        fill(
            &browser,
            &[("name", "Tlf Borger"), ("email", &email), ("phone", "")],
        )
        .await;
        choose_first_time_and_send(&browser).await;
        let Ok(mend) = browser.wait().for_element(Locator::Id("phone-error")).await else {
            panic!(
                "no phone-error:\n{}",
                browser.source().await.unwrap_or_default()
            );
        };
        assert!(mend.text().await.unwrap().contains(words));
        browser
            .look_at(
                "/book (phone meeting without a number)",
                &format!("meeting-phone-needed-{lang}"),
            )
            .await;
        fill(&browser, &[("phone", "12 34 56 78")]).await;
        choose_first_time_and_send(&browser).await;
        let shown = text_of(&browser, "#meeting").await;
        assert!(shown.contains("12 34 56 78"), "{shown}");
        browser
            .look_at(
                "/book (phone meeting booked)",
                &format!("meeting-phone-receipt-{lang}"),
            )
            .await;
    }
    browser.close().await;
}
