//! The open waiting times page `/ventetid`: the queues now and yesterday's medians, at a
//! phone's and a desktop's width in Danish and English, axe-clean, with no English on the
//! Danish page.

use crate::english_markers::english_word;
use crate::helpers::{desks_serving, spawn_app, TestApp};
use crate::steps::text_of;
use browser::Browser;

/// Tuesday: one driving-licence ticket waits 10 minutes before it is called. Wednesday: two wait
/// now, with a desk open.
async fn a_day_and_a_queue(app: &TestApp) {
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let staff = app.login("staff").await;
    let desk = desks_serving(&app.client, &app.base, &staff, ("raadhuset", "koerekort")).await[0];
    let post = |path: String| {
        let (client, url, token) = (app.client.clone(), app.url(&path), staff.clone());
        async move {
            let response = client.post(url).bearer_auth(token).send().await.unwrap();
            assert!(response.status().is_success(), "{}", response.status());
        }
    };
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app.walk_in("koerekort").await;
    app.clock.set("2027-03-30T08:40:00Z".parse().unwrap());
    post(format!("/api/v1/desks/{desk}/open")).await;
    post(format!("/api/v1/desks/{desk}/call-next")).await;
    app.clock.set("2027-03-31T08:30:00Z".parse().unwrap());
    app.walk_in("koerekort").await;
    app.walk_in("koerekort").await;
}

#[tokio::test]
async fn the_waiting_times_page_reads_well_on_a_phone_and_a_desktop_in_both_languages() {
    let app = spawn_app().await;
    a_day_and_a_queue(&app).await;
    let browser = Browser::start().await;
    for (lang, words) in [
        ("da", ["Ventetider", "Kørekort", "10:00–11:00"]),
        ("en", ["Waiting times", "Driving licence", "10:00–11:00"]),
    ] {
        let path = format!("/ventetid?lang={lang}");
        browser.goto(&app.url(&path)).await.unwrap();
        let text = text_of(&browser, "main").await;
        for word in words {
            assert!(text.contains(word), "{lang}: {word} in {text}");
        }
        if lang == "da" {
            if let Some(word) = english_word(&text) {
                panic!("the Danish page says '{word}'");
            }
        }
        browser.assert_accessible(&path).await;
        browser.assert_targets_large(&path).await;
        for width in [390, 1366] {
            browser
                .screenshot(width, &format!("wait-times-{width}-{lang}"))
                .await;
            browser.assert_accessible(&path).await;
        }
    }
    browser.close().await;
}
