use serde_json::json;

use crate::helpers::{expect_problem, spawn_app, PASSWORD};

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_read_the_same() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/login");
    let wrong = app
        .client
        .post(&url)
        .json(&json!({"username": "admin", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let wrong = expect_problem(wrong, 401).await;
    let unknown = app
        .client
        .post(&url)
        .json(&json!({"username": "ghost", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let unknown = expect_problem(unknown, 401).await;
    assert_eq!(wrong["detail"], unknown["detail"]);
}

#[tokio::test]
async fn a_bearer_token_works_until_logout() {
    let app = spawn_app().await;
    let token = app.login("admin").await;
    let plain = reqwest::Client::new();
    let me: serde_json::Value = plain
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"], json!(["admin", "planner"]));

    let out = plain
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204, "a bearer client needs no CSRF token");
    let after = plain
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_problem(after, 401).await;
}

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_token_to_change_anything() {
    let app = spawn_app().await;
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "staff", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body: serde_json::Value = login.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap();

    // The cookie alone reads, but does not write.
    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let forged = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    expect_problem(forged, 403).await;
    let wrong = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", "0".repeat(64))
        .send()
        .await
        .unwrap();
    expect_problem(wrong, 403).await;

    let out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    expect_problem(
        app.client
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
}

#[tokio::test]
async fn sessions_end_when_their_time_is_up() {
    let app = spawn_app().await;
    let token = app.login("staff").await;
    app.clock.advance(chrono::Duration::hours(13));
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_problem(me, 401).await;
}

#[tokio::test]
async fn guessing_passwords_is_rate_limited() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/login");
    let mut statuses = Vec::new();
    for _ in 0..12 {
        let r = app
            .client
            .post(&url)
            .json(&json!({"username": "admin", "password": "guess"}))
            .send()
            .await
            .unwrap();
        statuses.push(r.status().as_u16());
    }
    assert_eq!(statuses[..10], [401; 10]);
    assert_eq!(statuses[10..], [429; 2]);
    // A new window opens when the clock moves on.
    app.clock.advance(chrono::Duration::minutes(6));
    app.login("admin").await;
}
