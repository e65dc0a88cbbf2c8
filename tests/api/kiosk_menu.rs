//! The kiosk's errand menu: what each errand's touch will do, before it is touched.

use serde_json::Value;

use crate::helpers::{expect_problem, spawn_app};

fn entry<'a>(menu: &'a Value, slug: &str) -> Option<&'a Value> {
    menu["groups"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|g| g["services"].as_array().unwrap())
        .find(|s| s["slug"] == slug)
}

#[tokio::test]
async fn the_menu_says_what_each_errand_does_now() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let menu = app.get_json("/api/v1/locations/raadhuset/kiosk").await;
    assert_eq!(menu["open"], true);
    assert_eq!(menu["name"], "Rådhuset");
    assert_eq!(menu["organisation"], "Høje-Taastrup Kommune");

    let pas = entry(&menu, "pas").expect("passports");
    assert_eq!(pas["action"], "booking_required");
    let first_free = pas["next_free"][0].as_str().expect("a next free time");
    assert!(first_free.ends_with("+02:00"), "{first_free}");
    let booking_url = pas["booking_url"].as_str().unwrap();
    assert!(
        booking_url.starts_with("http")
            && booking_url.ends_with("/book?location=raadhuset&service=pas"),
        "{booking_url}"
    );
    assert_eq!(menu["today"], "2027-03-30");

    let groups: Vec<(&str, &str)> = menu["groups"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            (
                g["department"].as_str().unwrap(),
                g["name"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        groups,
        [
            ("borgerservice", "Borgerservice"),
            ("byggeri", "Byg og Miljø")
        ]
    );
    let identity = &menu["municipality"];
    assert_eq!(identity["name"], "Høje-Taastrup Kommune");
    assert_eq!(identity["brand_colour"], "#1a5632");
    assert!(identity["logo_url"]
        .as_str()
        .unwrap()
        .ends_with("/municipality/logo"));
    // The screen's words in both languages, from the catalogue.
    assert_eq!(menu["texts"]["da"]["kiosk.action_ticket"], "Tag nummer");
    assert_eq!(menu["texts"]["en"]["kiosk.action_ticket"], "Take a number");
    assert!(menu["texts"]["da"]["date.months"]
        .as_str()
        .unwrap()
        .starts_with("januar"));

    let card = entry(&menu, "sundhedskort").expect("health card");
    assert_eq!(card["action"], "self_service");
    assert!(card["self_service_url"]
        .as_str()
        .unwrap()
        .starts_with("https://"));

    assert_eq!(entry(&menu, "vejledning").unwrap()["action"], "ticket");
    assert_eq!(
        entry(&menu, "vejledning").unwrap()["name_en"],
        "General guidance"
    );
    assert!(
        entry(&menu, "jobsamtale").is_none(),
        "a phone meeting is not an errand at the door"
    );

    // Looking at the menu takes no ticket: the first ticket of the day is still number 1.
    let ticket = app.walk_in("vejledning").await;
    assert!(
        ticket["number"].as_str().unwrap().ends_with("001"),
        "{ticket}"
    );
}

#[tokio::test]
async fn a_closed_office_shows_every_errand_closed_with_the_next_opening() {
    let app = spawn_app().await; // Easter Monday
    let menu = app.get_json("/api/v1/locations/raadhuset/kiosk").await;
    assert_eq!(menu["open"], false);
    assert!(menu["next_opening"]
        .as_str()
        .unwrap()
        .starts_with("2027-03-30T10:00"));
    for group in menu["groups"].as_array().unwrap() {
        for service in group["services"].as_array().unwrap() {
            assert_eq!(service["action"], "closed", "{service}");
        }
    }
    expect_problem(app.get("/api/v1/locations/nowhere/kiosk").await, 404).await;
}
