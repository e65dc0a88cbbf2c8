//! What-if: a week planned as it is and under scenarios, through the API and the command line.

use std::process::Command;

use serde_json::{json, Value};

use crate::helpers::expect_problem;
use crate::plan_cli::demo_database;
use crate::rosters::planning_app;

const WEEK: &str = "2027-W14";
const BOOKING_ONLY: &str = "Kørekort kun med tidsbestilling";

fn booking_only() -> Value {
    json!({
        "name": BOOKING_ONLY,
        "policy": [{"service": "koerekort", "booking": "required", "moves_online": 0.2}],
    })
}

fn figure(outcome: &Value, name: &str) -> f64 {
    outcome[name]
        .as_f64()
        .unwrap_or_else(|| panic!("{name} in {outcome}"))
}

/// The week as it is and the scenario, each planned in full: the scenario sends a share of
/// the errand's citizens online and keeps every working-time rule.
fn assert_booking_only_compared(outcomes: &[Value]) {
    assert_eq!(outcomes.len(), 2, "{outcomes:?}");
    let (as_it_is, scenario) = (&outcomes[0], &outcomes[1]);
    assert_eq!(as_it_is["scenario"], Value::Null);
    assert_eq!(scenario["scenario"], BOOKING_ONLY);
    assert_eq!(figure(as_it_is, "online"), 0.0);
    assert!(figure(scenario, "online") > 0.0, "{scenario}");
    assert!(
        figure(scenario, "visits") < figure(as_it_is, "visits"),
        "those who go online do not come: {outcomes:?}"
    );
    assert!(figure(scenario, "channel_cost") < figure(as_it_is, "channel_cost"));
    for o in outcomes {
        assert_eq!(o["rule_breaches"], 0);
        assert!(figure(o, "staff_hours") > 0.0 && figure(o, "bookable_desk_hours") > 0.0);
        let share = figure(o, "within_target_share");
        assert!((0.0..=1.0).contains(&share));
        assert!(figure(o, "p80_wait_minutes") >= 0.0);
    }
}

#[tokio::test]
async fn an_errand_made_booking_only_is_compared_with_the_week_as_it_is() {
    let app = planning_app().await;
    let planner = app.login("admin").await;
    let response = app
        .client
        .post(app.url("/api/v1/whatif"))
        .bearer_auth(&planner)
        .json(&json!({
            "week": WEEK,
            "locations": ["raadhuset"],
            "scenarios": [booking_only()],
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let answer: Value = response.json().await.unwrap();
    assert_eq!(answer["from"], "2027-04-05");
    assert_eq!(answer["target"]["service_level"], 0.8);
    assert_booking_only_compared(answer["outcomes"].as_array().unwrap());
}

#[tokio::test]
async fn bad_scenarios_are_refused_by_field_and_only_planners_compare() {
    let app = planning_app().await;
    let planner = app.login("admin").await;
    let post = |body: Value, token: String| {
        app.client
            .post(app.url("/api/v1/whatif"))
            .bearer_auth(token)
            .json(&body)
            .send()
    };
    let clerk = app.login("staff").await;
    let refused = post(json!({"week": WEEK, "scenarios": [booking_only()]}), clerk)
        .await
        .unwrap();
    expect_problem(refused, 403).await;

    let cases = [
        (
            json!({"week": "2027-W99", "scenarios": [booking_only()]}),
            "week",
        ),
        (json!({"week": WEEK, "scenarios": []}), "scenarios"),
        (
            json!({"week": WEEK, "scenarios": [{"name": "x", "policy": [
                {"service": "fiskekort", "booking": "required"}]}]}),
            "scenarios[0].policy[0].service",
        ),
        (
            json!({"week": WEEK, "scenarios": [{"name": "x", "staff": -1000}]}),
            "scenarios[0].staff",
        ),
        (
            json!({"week": WEEK, "locations": ["atlantis"], "scenarios": [booking_only()]}),
            "locations[0]",
        ),
    ];
    for (body, field) in cases {
        let problem = expect_problem(post(body.clone(), planner.clone()).await.unwrap(), 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{body}: {problem}");
    }
    let unknown = post(
        json!({"week": WEEK, "scenarios": [{"name": "x", "bogus": 1}]}),
        planner.clone(),
    )
    .await
    .unwrap();
    expect_problem(unknown, 400).await;
}

#[test]
fn skranke_whatif_prints_the_week_and_the_scenario_side_by_side() {
    let db = demo_database();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("scenarios.toml");
    std::fs::write(
        &file,
        format!(
            "locations = [\"raadhuset\"]\n\n[[scenario]]\nname = \"{BOOKING_ONLY}\"\n\
             [[scenario.policy]]\nservice = \"koerekort\"\nbooking = \"required\"\nmoves_online = 0.2\n"
        ),
    )
    .unwrap();
    let whatif = |extra: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_skranke"))
            .args(["whatif", "--week", WEEK, "--scenario"])
            .arg(&file)
            .args(extra)
            .env("SKRANKE_DATABASE_URL", db.url_string())
            .env("SKRANKE_NOW", "2027-03-29T06:00:00Z")
            .env("SKRANKE_LOG", "warn")
            .output()
            .expect("the skranke binary runs")
    };
    let out = whatif(&[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let answer: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_booking_only_compared(answer["outcomes"].as_array().unwrap());

    let page = whatif(&["--format", "html", "--lang", "en"]);
    let html = String::from_utf8(page.stdout).unwrap();
    assert!(html.contains("<th scope=\"col\">As it is</th>"), "{html}");
    assert!(html.contains(&format!("<th scope=\"col\">{BOOKING_ONLY}</th>")));
    assert!(html.contains("Served within the target"));

    std::fs::write(&file, "[[scenario]]\nname = \"x\"\nstaff = \"many\"\n").unwrap();
    let bad = whatif(&[]);
    let stderr = String::from_utf8_lossy(&bad.stderr);
    assert!(!bad.status.success() && bad.stdout.is_empty());
    assert!(
        stderr.contains("scenarios.toml") && stderr.contains("staff"),
        "{stderr}"
    );
}
