//! Control characters (NUL above all, which PostgreSQL refuses in text) are refused at the
//! door in every kind of input: 422 naming the field for bodies and query parameters, 404
//! for a path; nothing is stored and nothing answers 500.

use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::store::schema::{appointments, waitlist_entries};

use crate::helpers::{expect_problem, spawn_app_with, TestApp};

async fn spawn() -> TestApp {
    spawn_app_with(|s| s.rate_limit_per_minute = 0).await
}

async fn first_free(app: &TestApp) -> Value {
    app.get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await[0]["start"]
        .clone()
}

async fn post_json(app: &TestApp, path: &str, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url(path))
        .json(body)
        .send()
        .await
        .unwrap()
}

fn field_of(problem: &Value) -> &str {
    problem["errors"][0]["field"].as_str().unwrap()
}

fn stored(app: &TestApp) -> (i64, i64) {
    let mut conn = app.pool.get().unwrap();
    (
        appointments::table.count().get_result(&mut conn).unwrap(),
        waitlist_entries::table
            .count()
            .get_result(&mut conn)
            .unwrap(),
    )
}

#[tokio::test]
async fn a_booking_with_a_control_character_names_the_field_and_books_nothing() {
    let app = spawn().await;
    let start = first_free(&app).await;
    let cases = [
        ("a\u{0}b", "ok@example.dk", None, "citizen.name"),
        (
            "Ada",
            "ok@example.dk",
            Some("+45 1234\u{0}5678"),
            "citizen.phone",
        ),
        ("Ada\u{1b}[2J", "ok@example.dk", None, "citizen.name"),
        ("Ada\u{7f}", "ok@example.dk", None, "citizen.name"),
        ("Ada\u{85}", "ok@example.dk", None, "citizen.name"),
        ("Ada", "ok\u{0}@example.dk", None, "citizen.email"),
    ];
    for (name, email, phone, field) in cases {
        let body = json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": name, "email": email, "phone": phone}
        });
        let problem =
            expect_problem(post_json(&app, "/api/v1/appointments", &body).await, 422).await;
        assert_eq!(field_of(&problem), field, "{problem}");
        assert!(
            !problem["detail"].as_str().unwrap().contains(name),
            "the refusal does not echo the text: {problem}"
        );
    }
    let slug = json!({
        "location": "rå\u{0}dhuset", "service": "pas", "start": start,
        "citizen": {"name": "Ada", "email": "ok@example.dk"}
    });
    let problem = expect_problem(post_json(&app, "/api/v1/appointments", &slug).await, 422).await;
    assert_eq!(field_of(&problem), "location");
    assert_eq!(stored(&app), (0, 0));
    let clean = json!({
        "location": "raadhuset", "service": "pas", "start": start,
        "citizen": {"name": "Ada Æblegård", "email": "ok@example.dk"}
    });
    assert_eq!(
        post_json(&app, "/api/v1/appointments", &clean)
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn a_waitlist_sign_up_with_a_control_character_names_the_field() {
    let app = spawn().await;
    let body = json!({
        "location": "raadhuset", "service": "pas", "from": "2027-04-02", "to": "2027-04-02",
        "citizen": {"name": "Vente\u{0}Borger", "email": "vente@example.dk"}
    });
    let problem = expect_problem(post_json(&app, "/api/v1/waitlist", &body).await, 422).await;
    assert_eq!(field_of(&problem), "citizen.name");
    assert_eq!(stored(&app), (0, 0));
}

#[tokio::test]
async fn a_staff_body_with_a_control_character_names_the_field() {
    let app = spawn().await;
    let login = json!({"username": "ad\u{0}min", "password": "x"});
    let problem = expect_problem(post_json(&app, "/api/v1/auth/login", &login).await, 422).await;
    assert_eq!(field_of(&problem), "username");
    let login = json!({"username": "admin", "password": "hemmelig\u{0}kode"});
    let problem = expect_problem(post_json(&app, "/api/v1/auth/login", &login).await, 422).await;
    assert_eq!(field_of(&problem), "password");
    assert!(!problem.to_string().contains("hemmelig"), "{problem}");
}

#[tokio::test]
async fn a_form_field_with_a_control_character_is_refused() {
    let app = spawn().await;
    let start = first_free(&app).await;
    let response = app
        .client
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("start", start.as_str().unwrap()),
            ("name", "a\u{0}b"),
            ("email", "ok@example.dk"),
            ("form_token", "whatever"),
        ])
        .send()
        .await
        .unwrap();
    let problem = expect_problem(response, 422).await;
    assert_eq!(field_of(&problem), "name");
    assert_eq!(stored(&app), (0, 0));
}

#[tokio::test]
async fn a_control_character_in_a_path_is_not_found() {
    let app = spawn().await;
    for path in [
        "/api/v1/locations/nu%00uk/services",
        "/api/v1/locations/nu%0Auk/slots?service=pas",
        "/api/v1/appointments/ABC%00-DEF?token=x",
        "/api/v1/tickets/abc%7F",
        "/locations/nu%00uk/display",
    ] {
        let problem = expect_problem(app.get(path).await, 404).await;
        let detail = problem["detail"].as_str().unwrap();
        assert!(
            !detail.chars().any(char::is_control),
            "the refusal echoes no control character: {detail:?}"
        );
    }
    assert_eq!(
        app.get("/api/v1/locations/nuuk/services").await.status(),
        200
    );
}

#[tokio::test]
async fn a_control_character_in_a_query_parameter_names_it() {
    let app = spawn().await;
    for (path, field) in [
        (
            "/api/v1/locations/raadhuset/slots?service=pa%00s",
            "service",
        ),
        ("/api/v1/appointments/ABC-DEF?token=a%00b", "token"),
        ("/api/v1/locations/raadhuset/services?lang=e%1Bn", "lang"),
    ] {
        let problem = expect_problem(app.get(path).await, 422).await;
        assert_eq!(field_of(&problem), field, "{path}: {problem}");
    }
}
