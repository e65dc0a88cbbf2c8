use crate::helpers::spawn_app;

#[tokio::test]
async fn the_front_page_shows_locations_hours_and_errands_in_danish_and_english() {
    let app = spawn_app().await;
    let response = app.get("/").await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    let html = response.text().await.unwrap();
    assert!(html.contains("<html lang=\"da\">"));
    for location in app.get_json("/api/v1/locations").await.as_array().unwrap() {
        assert!(
            html.contains(location["name"].as_str().unwrap()),
            "{}",
            location["name"]
        );
    }
    assert!(html.contains("Kræver tidsbestilling") && html.contains("10:00-14:30"));

    let english = app.get("/?lang=en").await.text().await.unwrap();
    assert!(english.contains("<html lang=\"en\">") && english.contains("Booking required"));

    let css = app.get("/static/skranke.css").await;
    assert_eq!(css.status(), 200);
}
