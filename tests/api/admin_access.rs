//! The administration's one gate: every route under `/staff/admin` and `/api/v1/admin`, as
//! the OpenAPI description lists them (which must hold every route the server serves), is
//! refused to staff and planners, sends a browser without a session to sign in, and opens
//! to an administrator.

use reqwest::{Method, StatusCode};

use crate::helpers::{redirects_shown, spawn_app, TestApp, PASSWORD};
use crate::openapi::{fill_path, operations};

/// `(method, the path with its parameters filled)` of every administration route.
async fn admin_routes(app: &TestApp) -> Vec<(Method, String)> {
    let doc = app.get_json("/api/openapi.json").await;
    let routes: Vec<(Method, String)> = operations(&doc)
        .into_iter()
        .filter(|(_, path, _)| {
            path.starts_with("/staff/admin") || path.starts_with("/api/v1/admin")
        })
        .map(|(method, path, op)| {
            assert!(
                op["responses"].get("403").is_some(),
                "{method} {path} does not say it refuses non-administrators"
            );
            (method.to_uppercase().parse().unwrap(), fill_path(&path, op))
        })
        .collect();
    assert!(
        routes
            .iter()
            .any(|(m, p)| m == Method::GET && p == "/staff/admin"),
        "{routes:?}"
    );
    routes
}

async fn send(
    app: &TestApp,
    (method, path): &(Method, String),
    token: Option<&str>,
) -> reqwest::Response {
    let request = app
        .client
        .request(method.clone(), app.url(path))
        .form(&[("csrf_token", "")]);
    match token {
        Some(token) => request.bearer_auth(token),
        None => request,
    }
    .send()
    .await
    .unwrap()
}

#[tokio::test]
async fn staff_and_planners_are_refused_every_admin_route_and_administrators_let_in() {
    let app = spawn_app().await;
    skranke::app::auth::set_password(&mut app.pool.get().unwrap(), "kirsten.larsen", PASSWORD)
        .unwrap();
    let staff = app.login("staff").await;
    let planner = app.login("kirsten.larsen").await;
    let admin = app.login("admin").await;
    for route in admin_routes(&app).await {
        for (who, token) in [("staff", &staff), ("planner", &planner)] {
            let response = send(&app, &route, Some(token)).await;
            assert_eq!(response.status(), StatusCode::FORBIDDEN, "{who}: {route:?}");
        }
        let status = send(&app, &route, Some(&admin)).await.status();
        assert!(
            status != StatusCode::FORBIDDEN && status != StatusCode::UNAUTHORIZED,
            "admin: {route:?} answered {status}"
        );
        if route.0 == Method::GET {
            assert_eq!(status, StatusCode::OK, "admin: {route:?}");
        }
    }
}

#[tokio::test]
async fn without_a_session_a_page_sends_the_browser_to_sign_in_and_the_api_answers_401() {
    let app = spawn_app().await;
    let browser = redirects_shown();
    for route in admin_routes(&app).await {
        let response = browser
            .request(route.0.clone(), app.url(&route.1))
            .send()
            .await
            .unwrap();
        if route.1.starts_with("/api/") {
            assert_eq!(response.status(), StatusCode::UNAUTHORIZED, "{route:?}");
        } else {
            assert_eq!(response.status(), StatusCode::SEE_OTHER, "{route:?}");
            let to = response.headers()["location"].to_str().unwrap();
            assert!(to.starts_with("/staff/login?"), "{route:?} to {to}");
            let next = url::form_urlencoded::byte_serialize(route.1.as_bytes()).collect::<String>();
            assert!(to.contains(&format!("next={next}")), "{route:?} to {to}");
        }
    }
}

#[tokio::test]
async fn a_planner_reads_the_refusal_as_a_page_and_only_administrators_see_the_nav_item() {
    let app = spawn_app().await;
    skranke::app::auth::set_password(&mut app.pool.get().unwrap(), "kirsten.larsen", PASSWORD)
        .unwrap();
    let planner = app.login("kirsten.larsen").await;
    let admin = app.login("admin").await;
    let page = |token: String, path: &'static str| {
        app.client
            .get(app.url(path))
            .header("accept", "text/html")
            .bearer_auth(token)
            .send()
    };
    let refused = page(planner.clone(), "/staff/admin?lang=da").await.unwrap();
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    let html = refused.text().await.unwrap();
    assert!(html.contains("Det har du ikke adgang til"), "{html}");

    for (token, shown) in [(planner, false), (admin.clone(), true)] {
        let console = page(token, "/staff?lang=da")
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        // Templates write a slash in an attribute as `&#x2f;`.
        let console = console.replace("&#x2f;", "/");
        assert_eq!(
            console.contains("href=\"/staff/admin?lang=da\""),
            shown,
            "{console}"
        );
    }

    let index = page(admin, "/staff/admin?lang=en").await.unwrap();
    assert_eq!(index.status(), StatusCode::OK);
    let html = index.text().await.unwrap();
    for section in [
        "Locations",
        "Errands",
        "Desks",
        "Staff",
        "Capacity",
        "Audit log",
    ] {
        assert!(html.contains(section), "{section} in {html}");
    }
    assert!(
        html.contains("aria-current=\"page\">Administration"),
        "{html}"
    );
}

#[test]
fn every_admin_handler_takes_the_gate() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/src/http/admin");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let source = std::fs::read_to_string(&path).unwrap();
        for (at, _) in source.match_indices("pub async fn ") {
            let signature = &source[at..at + source[at..].find('{').unwrap()];
            assert!(
                signature.contains(": Admin"),
                "{} {signature} does not take the admin gate",
                path.display()
            );
        }
    }
}
