use serde_json::Value;

use crate::helpers::{expect_problem, spawn_app};

fn find(list: &[Value], pred: impl Fn(&Value) -> bool) -> &Value {
    list.iter()
        .find(|v| pred(v))
        .expect("an entry that matches")
}

#[tokio::test]
async fn locations_carry_zone_address_and_opening_hours() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/locations").await;
    let list = list.as_array().unwrap();
    assert!(list.len() >= 3, "{list:?}");

    let city_hall = find(list, |l| l["name"].as_str().unwrap().contains("Rådhus"));
    assert_eq!(city_hall["timezone"], "Europe/Copenhagen");
    assert!(!city_hall["address"].as_str().unwrap().is_empty());
    let hours = &city_hall["opening_hours"];
    for day in ["mon", "tue", "wed"] {
        assert_eq!(hours[day], serde_json::json!(["10:00-14:30"]), "{day}");
    }
    assert_eq!(hours["thu"], serde_json::json!(["10:00-17:00"]));
    assert_eq!(hours["fri"], serde_json::json!(["10:00-13:30"]));
    assert!(hours.get("sun").is_none(), "closed days are left out");

    find(list, |l| l["timezone"] == "America/Nuuk");
}

#[tokio::test]
async fn services_cover_every_booking_policy_in_both_languages() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/locations").await;
    let mut policies = std::collections::BTreeSet::new();
    let mut self_service = false;
    for location in list.as_array().unwrap() {
        let slug = location["slug"].as_str().unwrap();
        let services = app
            .get_json(&format!("/api/v1/locations/{slug}/services"))
            .await;
        for s in services.as_array().unwrap() {
            policies.insert(s["booking"].as_str().unwrap().to_owned());
            assert!(s["duration_minutes"].as_u64().unwrap() > 0);
            assert_eq!(s["name"], s["name_da"]);
            self_service |= s["self_service_url"]
                .as_str()
                .is_some_and(|u| u.starts_with("https://"));
        }
    }
    assert_eq!(
        policies.into_iter().collect::<Vec<_>>(),
        ["optional", "required", "walk_in_only"]
    );
    assert!(self_service, "an errand links to self-service");

    let slug = list[0]["slug"].as_str().unwrap();
    let english = app
        .get_json(&format!("/api/v1/locations/{slug}/services?lang=en"))
        .await;
    for s in english.as_array().unwrap() {
        assert_eq!(s["name"], s["name_en"]);
    }
}

#[tokio::test]
async fn an_unknown_location_is_a_404_that_names_it() {
    let app = spawn_app().await;
    let body = expect_problem(app.get("/api/v1/locations/atlantis/services").await, 404).await;
    assert!(
        body["detail"].as_str().unwrap().contains("atlantis"),
        "{body}"
    );
}

#[tokio::test]
async fn desks_are_for_staff_and_every_in_person_queue_has_two() {
    let app = spawn_app().await;
    let list = app.get_json("/api/v1/locations").await;
    let slug = find(list.as_array().unwrap(), |l| {
        l["name"].as_str().unwrap().contains("Rådhus")
    })["slug"]
        .as_str()
        .unwrap()
        .to_owned();
    let path = format!("/api/v1/locations/{slug}/desks");
    expect_problem(app.get(&path).await, 401).await;

    let token = app.login("staff").await;
    let desks: Value = app.get_json_as(&token, &path).await;
    let desks = desks.as_array().unwrap();
    assert!(desks
        .iter()
        .all(|d| d["state"] == "closed" && d["id"].is_i64()));

    let services = app
        .get_json(&format!("/api/v1/locations/{slug}/services"))
        .await;
    for s in services
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["channel"] == "in_person")
    {
        let serving = desks
            .iter()
            .filter(|d| d["services"].as_array().unwrap().contains(&s["slug"]))
            .count();
        assert!(serving >= 2, "{} is served at {serving} desks", s["slug"]);
    }
}
