//! The KPI report of the known day, every figure counted by hand (see `known_day.rs`).

use serde_json::{json, Value};

use crate::helpers::{expect_problem, spawn_app, TestApp};
use crate::known_day::{self, DAY};

pub async fn kpi(app: &TestApp, token: &str, query: &str) -> reqwest::Response {
    app.client
        .get(app.url(&format!("/api/v1/reports/kpi?{query}")))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

pub async fn kpi_json(app: &TestApp, token: &str, query: &str) -> Value {
    let response = kpi(app, token, query).await;
    assert_eq!(response.status(), 200, "{query}");
    response.json().await.unwrap()
}

/// The day's totals: 4 tickets with waits 1, 14, 23 and 1 minutes (targets 2 min), three
/// finished (service 10, 10 and 5 min; two resolved, one referred), one of them booked;
/// 4 appointments (one cancelled, one passport never came, one phone meeting held);
/// one citizen sent online; desks open 2 h + 30 min.
fn assert_totals(m: &Value) {
    assert_eq!(m["tickets"], 4);
    assert_eq!(m["appointments"], 4);
    assert_eq!(
        m["wait_minutes"],
        json!({"mean": 9.75, "p50": 1.0, "p80": 23.0, "p90": 23.0})
    );
    assert_eq!(m["share_within_target"], 0.5);
    assert_eq!(m["service_minutes"], 8.33);
    assert_eq!(m["no_shows"], 1);
    assert_eq!(m["no_show_rate"], 0.3333);
    assert_eq!(m["cancelled"], 1);
    assert_eq!(m["cancel_rate"], 0.25);
    assert_eq!(m["booked_tickets"], 1);
    assert_eq!(m["booked_share"], 0.25);
    assert_eq!(m["sent_to_self_service"], 1);
    assert_eq!(m["resolved"], 2);
    assert_eq!(m["referred"], 1);
    assert_eq!(m["first_contact_resolution"], 0.6667);
    assert_eq!(m["staff_hours"], 2.5);
    assert_eq!(m["errands_per_staff_hour"], 1.2);
    // 4 visits × 80 kr, 1 phone meeting × 40 kr, 1 online × 3 kr.
    assert_eq!(
        m["cost"]["in_person"],
        json!({"inquiries": 4, "cost": 320.0})
    );
    assert_eq!(m["cost"]["phone"], json!({"inquiries": 1, "cost": 40.0}));
    assert_eq!(m["cost"]["digital"], json!({"inquiries": 1, "cost": 3.0}));
    assert_eq!(m["cost"]["letter"], json!({"inquiries": 0, "cost": 0.0}));
    assert_eq!(m["cost"]["total"], 363.0);
    assert_eq!(m["usage_share"], 1.0);
}

fn row<'a>(report: &'a Value, grouping: &str, key: &str, value: &str) -> &'a Value {
    report[grouping]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r[key] == value)
        .unwrap_or_else(|| panic!("no {grouping} row {value}: {report}"))
}

#[tokio::test]
async fn the_known_day_reads_as_counted_by_hand() {
    let app = spawn_app().await;
    known_day::build(&app).await;
    let admin = app.login("admin").await;
    let report = kpi_json(&app, &admin, &format!("from={DAY}&to={DAY}")).await;

    assert_totals(&report["totals"]);
    assert_totals(row(&report, "by_location", "location", "raadhuset"));
    assert_totals(row(&report, "by_day", "day", DAY));
    assert_eq!(report["by_location"].as_array().unwrap().len(), 1);

    // The driving licence: K001, K002 and the transferred V001; bookings 10:00 and 10:30.
    let k = row(&report, "by_service", "service", "koerekort");
    assert_eq!(k["department"], "borgerservice");
    assert_eq!(k["wait_target_minutes"], 2.0);
    assert_eq!(k["tickets"], 3);
    assert_eq!(k["appointments"], 2);
    assert_eq!(
        k["wait_minutes"],
        json!({"mean": 12.67, "p50": 14.0, "p80": 23.0, "p90": 23.0})
    );
    assert_eq!(k["share_within_target"], 0.3333);
    assert_eq!(k["service_minutes"], 10.0);
    assert_eq!(k["no_show_rate"], 0.0);
    assert_eq!(k["cancel_rate"], 0.5);
    assert_eq!(k["booked_share"], 0.3333);
    assert_eq!(k["first_contact_resolution"], 0.5);
    assert_eq!(k["staff_hours"], Value::Null, "desks serve several errands");
    assert_eq!(k["errands_per_staff_hour"], Value::Null);
    let v = row(&report, "by_service", "service", "vejledning");
    assert_eq!(
        (v["tickets"].clone(), v["wait_minutes"]["mean"].clone()),
        (json!(1), json!(1.0))
    );
    assert_eq!(v["first_contact_resolution"], 1.0);
    let pas = row(&report, "by_service", "service", "pas");
    assert_eq!(pas["wait_target_minutes"], 4.0, "a specialist errand");
    assert_eq!(
        (pas["appointments"].clone(), pas["no_show_rate"].clone()),
        (json!(1), json!(1.0))
    );
    assert_eq!(
        pas["wait_minutes"]["mean"],
        Value::Null,
        "no waits, no mean"
    );
    assert_eq!(pas["first_contact_resolution"], Value::Null);
    let s = row(&report, "by_service", "service", "sundhedskort");
    assert_eq!(
        (s["tickets"].clone(), s["sent_to_self_service"].clone()),
        (json!(0), json!(1))
    );

    // The running cost split: 5 of 6 inquiries are the citizen service's, 1 the job centre's.
    let b = row(&report, "by_department", "department", "borgerservice");
    assert_eq!(
        (b["tickets"].clone(), b["appointments"].clone()),
        (json!(4), json!(3))
    );
    assert_eq!(b["usage_share"], 0.8333);
    assert_eq!(b["cost"]["total"], 323.0);
    let j = row(&report, "by_department", "department", "jobcenter");
    assert_eq!(j["usage_share"], 0.1667);
    assert_eq!(j["cost"]["phone"], json!({"inquiries": 1, "cost": 40.0}));
    assert_eq!(
        j["no_show_rate"], 0.0,
        "a phone meeting is held once booked"
    );

    // Local hours: everything happened at 10 o'clock but the passport booked for 11;
    // desks were open 1 h in the 10 o'clock hour and 1.5 h in the 11 o'clock hour.
    let ten = &report["by_hour"].as_array().unwrap()[0];
    assert_eq!(
        (ten["hour"].clone(), ten["tickets"].clone()),
        (json!(10), json!(4))
    );
    assert_eq!(ten["staff_hours"], 1.0);
    assert_eq!(ten["errands_per_staff_hour"], 3.0);
    assert_eq!(ten["appointments"], 3);
    let eleven = &report["by_hour"].as_array().unwrap()[1];
    assert_eq!(eleven["hour"], 11);
    assert_eq!(eleven["staff_hours"], 1.5);
    assert_eq!(eleven["errands_per_staff_hour"], 0.0);
    assert_eq!(eleven["no_show_rate"], 1.0);
    assert_eq!(report["by_hour"].as_array().unwrap().len(), 2);

    // Another location had nothing that day; another day had nothing here.
    let library = kpi_json(
        &app,
        &admin,
        &format!("from={DAY}&to={DAY}&location=taastrup-bibliotek"),
    )
    .await;
    assert_eq!(library["totals"]["tickets"], 0);
    assert_eq!(library["totals"]["first_contact_resolution"], Value::Null);
    let here = kpi_json(
        &app,
        &admin,
        &format!("from={DAY}&to={DAY}&location=raadhuset"),
    )
    .await;
    assert_totals(&here["totals"]);
    let before = kpi_json(&app, &admin, "from=2027-03-22&to=2027-03-29").await;
    assert_eq!(before["totals"]["tickets"], 0);
}

#[tokio::test]
async fn the_csv_carries_the_same_figures() {
    let app = spawn_app().await;
    known_day::build(&app).await;
    let admin = app.login("admin").await;
    let response = kpi(&app, &admin, &format!("from={DAY}&to={DAY}&format=csv")).await;
    assert_eq!(response.status(), 200);
    assert!(response.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/csv"));
    let text = response.text().await.unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    let field = |grouping: &str, key: &str, column: &str| {
        let i = header.iter().position(|h| *h == column).unwrap();
        let row = rows
            .iter()
            .find(|r| r[0] == grouping && r[1] == key)
            .unwrap_or_else(|| panic!("no {grouping} {key} in {text}"));
        row[i].to_owned()
    };
    let expected = [
        ("tickets", "4"),
        ("appointments", "4"),
        ("wait_mean", "9.75"),
        ("wait_p50", "1"),
        ("wait_p80", "23"),
        ("wait_p90", "23"),
        ("share_within_target", "0.5"),
        ("service_minutes", "8.33"),
        ("no_show_rate", "0.3333"),
        ("cancel_rate", "0.25"),
        ("booked_share", "0.25"),
        ("sent_to_self_service", "1"),
        ("first_contact_resolution", "0.6667"),
        ("staff_hours", "2.5"),
        ("errands_per_staff_hour", "1.2"),
        ("cost_in_person", "320"),
        ("cost_phone", "40"),
        ("cost_digital", "3"),
        ("cost_total", "363"),
    ];
    for (column, value) in expected {
        assert_eq!(field("total", "", column), value, "total {column}");
        assert_eq!(
            field("location", "raadhuset", column),
            value,
            "raadhuset {column}"
        );
        assert_eq!(field("day", DAY, column), value, "{DAY} {column}");
    }
    assert_eq!(
        field("service", "pas", "wait_mean"),
        "",
        "null is an empty field"
    );
    assert_eq!(field("department", "jobcenter", "usage_share"), "0.1667");
    assert_eq!(field("hour", "11", "staff_hours"), "1.5");
}

#[tokio::test]
async fn per_channel_costs_are_configurable() {
    let app = crate::helpers::spawn_app_with(|s| s.costs.in_person = 100.0).await;
    known_day::build(&app).await;
    let admin = app.login("admin").await;
    let report = kpi_json(&app, &admin, &format!("from={DAY}&to={DAY}")).await;
    assert_eq!(report["costs"]["in_person"], 100.0);
    assert_eq!(report["totals"]["cost"]["in_person"]["cost"], 400.0);
    assert_eq!(report["totals"]["cost"]["total"], 443.0);
}

#[tokio::test]
async fn only_planners_and_admins_read_the_kpis_and_bad_periods_name_their_field() {
    let app = spawn_app().await;
    let period = format!("from={DAY}&to={DAY}");
    let anonymous = app
        .client
        .get(app.url(&format!("/api/v1/reports/kpi?{period}")))
        .send()
        .await
        .unwrap();
    expect_problem(anonymous, 401).await;
    let staff = app.login("staff").await;
    expect_problem(kpi(&app, &staff, &period).await, 403).await;

    let admin = app.login("admin").await;
    for (query, field) in [
        ("to=2027-03-30".to_owned(), "from"),
        ("from=2027-03-30".to_owned(), "to"),
        ("from=30-03-2027&to=2027-03-30".to_owned(), "from"),
        ("from=2027-03-30&to=2027-02-30".to_owned(), "to"),
        ("from=2027-03-30&to=2027-03-29".to_owned(), "to"),
        (format!("{period}&location=atlantis"), "location"),
        (format!("{period}&format=xml"), "format"),
    ] {
        let body = expect_problem(kpi(&app, &admin, &query).await, 422).await;
        assert_eq!(body["errors"][0]["field"], field, "{query}: {body}");
    }
}

fn skranke_report(app: &TestApp, args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_skranke"))
        .arg("report")
        .args(args)
        .env("SKRANKE_DATABASE_URL", app.database_url())
        .env("SKRANKE_NOW", format!("{DAY}T11:00:00Z"))
        .env("SKRANKE_LOG", "warn")
        .output()
        .expect("the skranke binary runs")
}

#[tokio::test]
async fn the_command_line_prints_the_same_report() {
    let app = spawn_app().await;
    known_day::build(&app).await;
    let admin = app.login("admin").await;
    let csv = kpi(&app, &admin, &format!("from={DAY}&to={DAY}&format=csv"))
        .await
        .text()
        .await
        .unwrap();
    let out = skranke_report(&app, &["--from", DAY, "--to", DAY, "--format", "csv"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(String::from_utf8(out.stdout).unwrap(), csv);

    let out = skranke_report(
        &app,
        &["--from", DAY, "--to", DAY, "--location", "raadhuset"],
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_totals(&json["totals"]);

    let bad = skranke_report(&app, &["--from", "2027-13-01", "--to", DAY]);
    assert!(!bad.status.success());
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--from"));
    let nowhere = skranke_report(
        &app,
        &["--from", DAY, "--to", DAY, "--location", "atlantis"],
    );
    assert!(String::from_utf8_lossy(&nowhere.stderr).contains("--location"));
}

#[tokio::test]
async fn the_dashboard_is_for_planners_and_admins() {
    let app = spawn_app().await;
    let page = format!("/staff/dashboard?from={DAY}&to={DAY}");
    let anonymous = app.get(&page).await;
    assert_eq!(anonymous.url().path(), "/staff/login", "sent to sign in");
    let staff = app.login("staff").await;
    let refused = app
        .client
        .get(app.url(&page))
        .bearer_auth(&staff)
        .send()
        .await
        .unwrap();
    expect_problem(refused, 403).await;
    let admin = app.login("admin").await;
    let shown = app
        .client
        .get(app.url(&page))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    assert_eq!(shown.status(), 200);
    assert!(shown
        .text()
        .await
        .unwrap()
        .contains("data-kpi=\"tickets\">0<"));
    let bad = app
        .client
        .get(app.url("/staff/dashboard?from=2027-03-30&to=2027-03-01"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let body = expect_problem(bad, 422).await;
    assert_eq!(body["errors"][0]["field"], "to");
}
