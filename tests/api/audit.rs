//! The audit log: staff actions and administrators' changes, with who and when.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::helpers::{expect_problem, spawn_app, TestApp};
use crate::known_day::{self, DAY};

async fn audit(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/audit?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

fn set_password_by_cli(app: &TestApp, user: &str) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_skranke"))
        .args(["set-password", user])
        .env("SKRANKE_DATABASE_URL", app.database_url())
        .env("SKRANKE_NOW", format!("{DAY}T12:00:00Z"))
        .env("SKRANKE_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"testkodeord-123\n")
        .unwrap();
    assert!(child.wait().unwrap().success());
}

#[tokio::test]
async fn staff_actions_and_admin_changes_appear_with_who_and_when() {
    let app = spawn_app().await;
    known_day::build(&app).await;
    set_password_by_cli(&app, "staff");
    let admin = app.login("admin").await;
    let response = audit(&app, &admin, &format!("from={DAY}&to={DAY}")).await;
    assert_eq!(response.status(), 200);
    let entries: Vec<Value> = response.json().await.unwrap();
    let find = |action: &str, at: &str| {
        entries
            .iter()
            .find(|e| e["action"] == action && e["at"].as_str().unwrap().starts_with(at))
            .unwrap_or_else(|| panic!("no {action} at {at} in {entries:?}"))
    };
    let opened = find("open", "2027-03-30T08:00:00Z");
    assert_eq!(opened["actor"], "staff");
    assert_eq!(opened["desk"], "Skranke 3");
    assert_eq!(opened["location"], "raadhuset");
    let referred = find("finish", "2027-03-30T08:27:00Z");
    assert_eq!(referred["ticket"], "V001");
    assert_eq!(referred["detail"], "referred");
    let transfer = find("transfer", "2027-03-30T08:16:00Z");
    assert_eq!(transfer["detail"], "koerekort");
    // The command line's clock starts at SKRANKE_NOW and runs on.
    let password = find("set_password", "2027-03-30T12:00:00");
    assert_eq!(password["actor"], "cli");
    assert_eq!(password["subject"], "staff");
    let times: Vec<&str> = entries.iter().map(|e| e["at"].as_str().unwrap()).collect();
    let mut sorted = times.clone();
    sorted.sort();
    assert_eq!(times, sorted, "oldest first");
    // The bookings of Monday are citizens' doings, not staff actions; nothing of theirs shows.
    assert!(!entries
        .iter()
        .any(|e| e.to_string().contains("example.org")));

    let other_day = audit(&app, &admin, "from=2027-03-31&to=2027-03-31").await;
    assert_eq!(other_day.json::<Vec<Value>>().await.unwrap().len(), 0);
}

#[tokio::test]
async fn only_admins_read_the_audit() {
    let app = spawn_app().await;
    let anonymous = app
        .client
        .get(app.url(&format!("/api/v1/audit?from={DAY}&to={DAY}")))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
    let staff = app.login("staff").await;
    expect_problem(
        audit(&app, &staff, &format!("from={DAY}&to={DAY}")).await,
        403,
    )
    .await;
    let admin = app.login("admin").await;
    let bad = expect_problem(
        audit(&app, &admin, "from=yesterday&to=2027-03-30").await,
        422,
    )
    .await;
    assert_eq!(bad["errors"][0]["field"], "from");
}
