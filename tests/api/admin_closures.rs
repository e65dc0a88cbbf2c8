//! Closing a location from the administration: the confirmed bookings it affects are shown
//! first; cancelling cancels exactly those, with one apology each, and frees nothing else;
//! keeping cancels none; a bad value is refused as the organisation file's check refuses it;
//! of two saves read at the same version exactly one passes.

use chrono::{DateTime, FixedOffset, Timelike};
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::domain::outbox::Owner;
use skranke::store::schema::outbox;
use skranke::store::{self, appointments};

use crate::helpers::{expect_problem, spawn_app, TestApp};

pub(crate) const TUESDAY: &str = "2027-03-30";

pub(crate) async fn free_on(app: &TestApp, day: &str) -> Vec<Value> {
    app.get_json(&format!(
        "/api/v1/locations/raadhuset/slots?service=pas&from={day}&to={day}"
    ))
    .await
    .as_array()
    .unwrap()
    .clone()
}

fn local_hour(slot: &Value, key: &str) -> (u32, u32) {
    let at: DateTime<FixedOffset> = slot[key].as_str().unwrap().parse().unwrap();
    (at.hour(), at.minute())
}

pub(crate) async fn book(app: &TestApp, start: &Value, email: &str) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "Berørt Borger", "email": email}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let body: Value = response.json().await.unwrap();
    body["reference"].as_str().unwrap().to_owned()
}

/// A morning booking that ends by noon, two that start at or after noon on Tuesday, and
/// one on Wednesday afternoon: `(morning, [afternoon, afternoon], wednesday)`.
pub(crate) async fn bookings(app: &TestApp) -> (String, Vec<String>, String) {
    let tuesday = free_on(app, TUESDAY).await;
    let morning = tuesday
        .iter()
        .find(|s| local_hour(s, "end") <= (12, 0))
        .unwrap();
    let afternoon: Vec<&Value> = tuesday
        .iter()
        .filter(|s| local_hour(s, "start") >= (12, 0))
        .take(2)
        .collect();
    assert_eq!(afternoon.len(), 2, "{tuesday:?}");
    let wednesday = free_on(app, "2027-03-31").await;
    let wednesday = wednesday
        .iter()
        .find(|s| local_hour(s, "start") >= (12, 0))
        .unwrap();
    let morning = book(app, &morning["start"], "morgen@example.org").await;
    let mut hit = Vec::new();
    for (i, slot) in afternoon.iter().enumerate() {
        hit.push(book(app, &slot["start"], &format!("eftermiddag{i}@example.org")).await);
    }
    hit.sort();
    let wednesday = book(app, &wednesday["start"], "onsdag@example.org").await;
    (morning, hit, wednesday)
}

/// The demo's organisation file, to compare the import's refusals with.
pub(crate) fn example_file() -> String {
    std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/organisation.toml"
    ))
    .unwrap()
}

/// Rådhuset as the administration's API reads it.
pub(crate) async fn admin_location(app: &TestApp, admin: &str) -> Value {
    app.get_json_as(admin, "/api/v1/admin/locations/raadhuset")
        .await
}

pub(crate) async fn version(app: &TestApp, admin: &str) -> i64 {
    admin_location(app, admin).await["version"]
        .as_i64()
        .unwrap()
}

pub(crate) async fn close(app: &TestApp, admin: &str, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/admin/locations/raadhuset/closures"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap()
}

fn noon_closure(version: i64) -> Value {
    json!({"from": TUESDAY, "closed_from": "12:00", "reason": "Sygdom", "version": version})
}

/// The audit log of the test's day, as `admin` reads it.
pub(crate) async fn audit_today(app: &TestApp, admin: &str) -> Vec<Value> {
    app.audit_of_day(admin, "2027-03-29").await
}

pub(crate) fn status_of(app: &TestApp, reference: &str) -> String {
    let record = appointments::find(&mut app.pool.get().unwrap(), reference)
        .unwrap()
        .unwrap();
    <&str>::from(record.status).to_owned()
}

/// The payloads of the cancellation mails queued for the booking.
pub(crate) fn cancellation_mails(app: &TestApp, reference: &str) -> Vec<String> {
    let id = appointments::find(&mut app.pool.get().unwrap(), reference)
        .unwrap()
        .unwrap()
        .id;
    outbox::table
        .filter(outbox::owner_kind.eq("appointment"))
        .filter(outbox::owner_id.eq(id))
        .filter(outbox::event.eq("cancelled"))
        .select(outbox::payload)
        .load(&mut *app.pool.get().unwrap())
        .unwrap()
}

/// Asserts that the change answered by `done` cancelled exactly `hit`, each booking with
/// one apology that gives `reason`, and left each of `untouched` booked without a mail.
pub(crate) fn assert_cancelled_exactly(
    app: &TestApp,
    done: &Value,
    hit: &[String],
    reason: &str,
    untouched: &[&String],
) {
    let mut cancelled: Vec<String> = serde_json::from_value(done["cancelled"].clone()).unwrap();
    cancelled.sort();
    assert_eq!(cancelled, hit);
    for reference in hit {
        assert_eq!(status_of(app, reference), "cancelled");
        let mails = cancellation_mails(app, reference);
        assert_eq!(mails.len(), 1, "{reference}: {mails:?}");
        assert!(mails[0].contains(reason), "{mails:?}");
    }
    for reference in untouched {
        assert_eq!(status_of(app, reference), "booked");
        assert!(cancellation_mails(app, reference).is_empty());
    }
}

/// The organisation file's refusal, on `field` of the closure, of the demo's file with
/// `lines` added to its first closure.
pub(crate) fn file_refusal(lines: &str, field: &str) -> String {
    let with_it = example_file().replacen(
        "reason = \"Jul\"\n",
        &format!("reason = \"Jul\"\n{lines}"),
        1,
    );
    file_says(&with_it, &format!("closures[0].{field}"))
}

/// What the organisation file's check says of `file` on the field whose name ends in `field`.
pub(crate) fn file_says(file: &str, field: &str) -> String {
    let problems = skranke::import::parse_organisation("organisation.toml", file)
        .unwrap_err()
        .problems;
    problems
        .iter()
        .find(|p| p.field.ends_with(field))
        .unwrap_or_else(|| panic!("nothing on {field}: {problems:?}"))
        .message
        .clone()
}

fn pending_events(app: &TestApp, reference: &str) -> Vec<String> {
    let id = appointments::find(&mut app.pool.get().unwrap(), reference)
        .unwrap()
        .unwrap()
        .id;
    store::outbox::pending(&mut app.pool.get().unwrap(), Owner::appointment(id))
        .unwrap()
        .into_iter()
        .map(|(_, event, _)| event)
        .collect()
}

pub(crate) fn affected_of(problem: &Value) -> Vec<String> {
    let mut refs: Vec<String> = problem["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["reference"].as_str().unwrap().to_owned())
        .collect();
    refs.sort();
    refs
}

#[tokio::test]
async fn closing_at_noon_with_cancel_cancels_exactly_the_afternoon_and_apologises_once_each() {
    let app = spawn_app().await;
    let (morning, afternoon, wednesday) = bookings(&app).await;
    let untouched = [morning.clone(), wednesday.clone()];
    let before: Vec<Value> = free_on(&app, TUESDAY).await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;

    // Without a choice nothing changes: the bookings in the way are listed.
    let asked = expect_problem(close(&app, &admin, noon_closure(v)).await, 422).await;
    assert_eq!(asked["errors"][0]["field"], "bookings");
    assert_eq!(affected_of(&asked), afternoon);
    // A choice made for other bookings than those affected is asked again.
    let mut partial = noon_closure(v);
    partial["bookings"] = json!("cancel");
    partial["affected"] = json!([afternoon[0]]);
    expect_problem(close(&app, &admin, partial).await, 422).await;
    for reference in afternoon.iter().chain(&untouched) {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
    assert_eq!(version(&app, &admin).await, v, "nothing saved");

    let mut chosen = noon_closure(v);
    chosen["bookings"] = json!("cancel");
    chosen["affected"] = json!(afternoon);
    let response = close(&app, &admin, chosen).await;
    assert_eq!(response.status(), 201);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["kept"], json!([]));
    assert_eq!(done["version"], v + 1);
    let [morning, wednesday] = &untouched;
    assert_cancelled_exactly(&app, &done, &afternoon, "Sygdom", &[morning, wednesday]);
    for reference in &afternoon {
        assert!(
            !pending_events(&app, reference).contains(&"reminder".to_owned()),
            "no reminder for a cancelled booking"
        );
    }
    for reference in &untouched {
        assert!(pending_events(&app, reference).contains(&"reminder".to_owned()));
    }
    // The afternoon is closed, not freed; what is left of the morning is as it was (a slot
    // whose buffer runs past noon no longer fits).
    let after = free_on(&app, TUESDAY).await;
    let morning_before: Vec<&Value> = before
        .iter()
        .filter(|s| local_hour(s, "end") <= (12, 0))
        .collect();
    assert!(!after.is_empty());
    for slot in &after {
        assert!(
            morning_before.contains(&slot),
            "{slot} was not free so before"
        );
    }

    let audit = audit_today(&app, &admin).await;
    let change = audit
        .iter()
        .find(|e| e["action"] == "location.closure")
        .expect("the closure in the audit log");
    assert_eq!(change["actor"], "admin");
    assert_eq!(change["subject"], "raadhuset");
    assert!(!change["before"].as_str().unwrap().contains("Sygdom"));
    assert!(change["after"]
        .as_str()
        .unwrap()
        .contains("reason = \"Sygdom\"\nclosed_from = \"12:00\""));
    assert!(change["detail"].as_str().unwrap().starts_with("cancel: "));
}

#[tokio::test]
async fn closing_at_noon_with_keep_cancels_nothing() {
    let app = spawn_app().await;
    let (morning, afternoon, wednesday) = bookings(&app).await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let mut chosen = noon_closure(v);
    chosen["bookings"] = json!("keep");
    chosen["affected"] = json!(afternoon);
    let response = close(&app, &admin, chosen).await;
    assert_eq!(response.status(), 201);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([]));
    let mut kept: Vec<String> = serde_json::from_value(done["kept"].clone()).unwrap();
    kept.sort();
    assert_eq!(kept, afternoon);
    for reference in afternoon.iter().chain([&morning, &wednesday]) {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
    // The closure stands all the same: nothing more is offered after noon.
    assert!(free_on(&app, TUESDAY)
        .await
        .iter()
        .all(|s| local_hour(s, "end") <= (12, 0)));
}

#[tokio::test]
async fn a_bad_value_is_refused_as_the_organisation_file_refuses_it() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    for (field, value) in [("closed_from", "12:60"), ("closed_until", "noon")] {
        let mut body = noon_closure(v);
        body[field] = json!(value);
        let refused = expect_problem(close(&app, &admin, body).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], field);
        let in_file = file_refusal(&format!("{field} = \"{value}\"\n"), field);
        assert_eq!(refused["errors"][0]["message"], in_file.as_str());
    }
    let mut no_reason = noon_closure(v);
    no_reason["reason"] = json!(" ");
    let refused = expect_problem(close(&app, &admin, no_reason).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "reason");
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

#[tokio::test]
async fn of_two_closures_saved_from_the_same_version_exactly_one_passes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let first = json!({"from": "2027-04-20", "reason": "Kursus", "version": v});
    let second = json!({"from": "2027-04-21", "reason": "Flytning", "version": v});
    let (a, b) = tokio::join!(close(&app, &admin, first), close(&app, &admin, second));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [201, 409]);
    let refused = if a.status() == 409 { a } else { b };
    let problem = expect_problem(refused, 409).await;
    assert_eq!(problem["changed_by"], "Administrator");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("Administrator"),
        "{problem}"
    );
    assert_eq!(version(&app, &admin).await, v + 1);
    let closures = app
        .client
        .get(app.url("/api/v1/admin/locations/raadhuset"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["closures"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["from"] == "2027-04-20" || c["from"] == "2027-04-21")
        .count();
    assert_eq!(closures, 1);
}

#[tokio::test]
async fn a_save_over_an_import_is_refused_naming_the_import_in_the_readers_language() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let refused = app
        .client
        .post(app.url("/api/v1/admin/locations/raadhuset/closures"))
        .bearer_auth(&admin)
        .header("Accept-Language", "da")
        .json(&json!({"from": "2027-04-20", "reason": "Kursus", "version": v - 1}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(refused, 409).await;
    assert_eq!(problem["changed_by"], Value::Null, "{problem}");
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.contains("indlæsning af organisationsfilen"),
        "{detail}"
    );
    assert!(!detail.contains("import"), "{detail}");
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

#[tokio::test]
async fn a_closure_sent_from_a_stale_page_is_the_form_again_with_who_saved_first() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let first = json!({"from": "2027-04-20", "reason": "Kursus", "version": v});
    let saved = app
        .client
        .post(app.url("/api/v1/admin/locations/raadhuset/closures"))
        .bearer_auth(&admin)
        .json(&first)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 201);
    let refused = app
        .post_form(
            &admin,
            "/staff/admin/locations/raadhuset/closures",
            [
                ("csrf_token", ""),
                ("lang", "da"),
                ("from", "2027-04-21"),
                ("reason", "Flytning"),
                ("version", &v.to_string()),
            ],
        )
        .await;
    assert_eq!(refused.status(), 409);
    let page = refused.text().await.unwrap();
    let stale = &page[page.find("id=\"close-stale\"").unwrap()..];
    assert!(stale.contains("Ændret af Administrator"), "{stale}");
    let form = &page[page.find("id=\"close-form\"").unwrap()..];
    assert!(
        form.contains("value=\"Flytning\""),
        "what was typed is kept"
    );
    assert_eq!(version(&app, &admin).await, v + 1, "nothing saved over it");
}
