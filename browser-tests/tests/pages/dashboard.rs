//! The planner's dashboard in the browser: the known day's figures and charts, and a month
//! of a demo-shaped past, in Danish and English, axe-clean.

use fantoccini::Locator;

use crate::english_markers::english_word;
use crate::helpers::{spawn_app, TestApp};
use crate::known_day::{self, DAY};
use crate::steps::{sign_in, text_of};
use browser::Browser;

/// Signs in as the administrator, who plans, from the sign-in form.
pub(crate) async fn sign_in_as_planner(browser: &Browser, app: &TestApp) {
    sign_in(browser, app, "/staff/login", "admin", "#call-next").await;
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

    sign_in(&browser, &app, "/staff/login", "admin", "#call-next").await;
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
        ("wait_mean", "9:45"),
        ("wait_p50", "1:00"),
        ("wait_p90", "23"),
        ("within_target", "50 %"),
        ("service_minutes", "8:20"),
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
    assert!(title("chart-waits").await.contains("10: 9:45 min"));
    assert!(title("chart-booked").await.contains("uge 13: 25 %"));
    assert!(title("chart-resolution").await.contains("30-03: 66,67 %"));
    let goals = browser.find_all(Locator::Css("svg .goal")).await.unwrap();
    assert_eq!(goals.len(), 3);
    let jobcenter = text_of(&browser, "tr[data-department='jobcenter']").await;
    assert!(jobcenter.contains("16,67 %"), "{jobcenter}");
    browser.assert_accessible("/staff/dashboard").await;

    browser
        .goto(&app.url(&format!("/staff/dashboard?from={DAY}&to={DAY}&lang=en")))
        .await
        .unwrap();
    assert_eq!(figure(&browser, "wait_mean").await, "9:45");
    assert_eq!(
        figure(&browser, "first_contact_resolution").await,
        "66.67 %"
    );
    browser.assert_accessible("/staff/dashboard?lang=en").await;
    browser.close().await;
}

/// Five weeks of the demo's past before the test clock's day, as `skranke demo` writes it.
fn with_demo_past(app: &TestApp) {
    use skranke::clock::Clock as _;
    let spec = skranke::app::demo::organisation().unwrap();
    let today = app.clock.now().date_naive();
    let records = skranke::domain::demand::synthetic_history(
        &spec,
        today - chrono::Duration::days(35),
        today - chrono::Duration::days(1),
        7,
    );
    let days = skranke::domain::demand::past_days(&spec, &records, 7);
    skranke::store::past_visits::insert(&mut app.pool.get().unwrap(), &spec, &days).unwrap();
}

#[tokio::test]
async fn a_month_of_the_demo_reads_with_names_in_danish_and_english() {
    let app = spawn_app().await;
    with_demo_past(&app);
    let browser = Browser::start().await;
    sign_in(&browser, &app, "/staff/login", "admin", "#call-next").await;
    browser.goto(&app.url("/staff/dashboard")).await.unwrap();
    browser
        .wait()
        .for_element(Locator::Id("chart-distribution"))
        .await
        .unwrap();
    let tickets: u64 = figure(&browser, "tickets").await.parse().unwrap();
    assert!(tickets > 2_000, "{tickets} tickets in a month");
    // A full month, a first-contact bar for each of its days with tickets (the month ends
    // on Easter Monday, so the holidays and Sundays are closed).
    let field = |id: &'static str| {
        let browser = &browser;
        async move {
            browser
                .find(Locator::Id(id))
                .await
                .unwrap()
                .prop("value")
                .await
                .unwrap()
                .unwrap()
        }
    };
    let (from, to) = (field("from").await, field("to").await);
    assert_eq!((from.as_str(), to.as_str()), ("2027-03-01", "2027-03-29"));
    let open_days: i64 = {
        use diesel::prelude::*;
        use skranke::store::schema::tickets;
        let first: chrono::NaiveDate = from.parse().unwrap();
        let last: chrono::NaiveDate = to.parse().unwrap();
        tickets::table
            .filter(tickets::local_day.between(first, last))
            .select(tickets::local_day)
            .distinct()
            .load::<chrono::NaiveDate>(&mut app.pool.get().unwrap())
            .unwrap()
            .len() as i64
    };
    let days = browser
        .find_all(Locator::Css("#chart-resolution rect.bar"))
        .await
        .unwrap();
    assert!(open_days >= 20, "{open_days} days with tickets");
    assert_eq!(days.len() as i64, open_days);
    // The month before is there to compare with.
    let before = text_of(&browser, "dd[data-previous='tickets']").await;
    assert!(before.starts_with("Forrige periode: "), "{before}");
    // Minutes as m:ss or whole minutes.
    let wait = figure(&browser, "wait_mean").await;
    assert!(
        wait.chars().all(|c| c.is_ascii_digit() || c == ':') && !wait.contains(','),
        "{wait}"
    );
    // Names, never slugs.
    let spec = skranke::app::demo::organisation().unwrap();
    for (selector, key) in [
        ("tr[data-service]", "data-service"),
        ("tr[data-department]", "data-department"),
    ] {
        let rows = browser.find_all(Locator::Css(selector)).await.unwrap();
        assert!(!rows.is_empty(), "{selector}");
        for row in rows {
            let slug = row.attr(key).await.unwrap().unwrap();
            let name = row
                .find(Locator::Css("td"))
                .await
                .unwrap()
                .text()
                .await
                .unwrap();
            assert_ne!(name, slug, "{selector}");
        }
    }
    let koerekort = spec
        .services
        .iter()
        .find(|s| s.slug.as_str() == "koerekort")
        .unwrap();
    let row = text_of(&browser, "tr[data-service='koerekort'] td").await;
    assert_eq!(row, koerekort.name_da);
    // The distribution's axes and legend are in Danish.
    let chart = text_of(&browser, "#chart-distribution").await;
    assert!(
        chart.contains("Ventetid (minutter)") && chart.contains("Uden tid"),
        "{chart}"
    );
    let text = text_of(&browser, "body").await;
    if let Some(word) = english_word(&text) {
        panic!("the Danish dashboard says '{word}'");
    }
    browser.look_at("/staff/dashboard", "dashboard-da").await;

    browser
        .goto(&app.url("/staff/dashboard?span=week&lang=en"))
        .await
        .unwrap();
    let row = text_of(&browser, "tr[data-service='koerekort'] td").await;
    assert_eq!(row, koerekort.name_en);
    let chart = text_of(&browser, "#chart-distribution").await;
    assert!(
        chart.contains("Waiting time (minutes)") && chart.contains("Walk-in"),
        "{chart}"
    );
    browser
        .look_at("/staff/dashboard?span=week&lang=en", "dashboard-en")
        .await;
    browser.close().await;
}
