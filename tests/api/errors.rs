use crate::helpers::{expect_problem, spawn_app};

#[tokio::test]
async fn health_answers_when_the_database_does() {
    let app = spawn_app().await;
    assert_eq!(app.get("/health").await.status(), 200);
}

#[tokio::test]
async fn malformed_json_is_a_400_that_says_why() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/login");
    let broken = app
        .client
        .post(&url)
        .header("content-type", "application/json")
        .body("{\"username\": ")
        .send()
        .await
        .unwrap();
    expect_problem(broken, 400).await;

    let missing = app
        .client
        .post(&url)
        .json(&serde_json::json!({"username": "admin"}))
        .send()
        .await
        .unwrap();
    let body = expect_problem(missing, 400).await;
    assert!(
        body["detail"].as_str().unwrap().contains("password"),
        "{body}"
    );

    let not_json = app
        .client
        .post(&url)
        .header("content-type", "text/plain")
        .body("admin")
        .send()
        .await
        .unwrap();
    expect_problem(not_json, 400).await;
}

#[tokio::test]
async fn unknown_paths_are_problem_404s() {
    let app = spawn_app().await;
    expect_problem(app.get("/api/v1/nothing-here").await, 404).await;
}

#[tokio::test]
async fn the_openapi_description_is_generated_from_the_code() {
    let app = spawn_app().await;
    let doc = app.get_json("/api/openapi.json").await;
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for path in [
        "/api/v1/locations",
        "/api/v1/locations/{location}/services",
        "/api/v1/locations/{location}/desks",
        "/api/v1/auth/login",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is described");
    }
}
