//! Changing an errand from the administration: saved, offered where asked and audited with
//! before and after; a bad value refused as the organisation file's check refuses it, on
//! the same field with the same words; what a location cannot take refused on `locations`;
//! of two saves read at the same version exactly one passes; the page says what is wrong
//! in its language and who saved in between.

use serde_json::{json, Value};

use crate::admin_closures::{audit_today, example_file, file_says};
use crate::helpers::{expect_problem, spawn_app, TestApp};

async fn errand(app: &TestApp, admin: &str, slug: &str) -> Value {
    app.get_json_as(admin, &format!("/api/v1/admin/services/{slug}"))
        .await
}

async fn save(app: &TestApp, admin: &str, slug: &str, body: &Value) -> reqwest::Response {
    app.client
        .put(app.url(&format!("/api/v1/admin/services/{slug}")))
        .bearer_auth(admin)
        .json(body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn admin_errand_is_saved_offered_where_asked_and_audited() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut body = errand(&app, &admin, "jobsamtale").await;
    let v = body["version"].as_i64().unwrap();
    assert_eq!(body["locations"], json!(["raadhuset"]));
    body["name_da"] = json!("Samtale med jobcentret");
    body["reminder_hours"] = json!(48);
    body["what_to_bring_en"] = json!("Your <b>CV</b>");
    body["locations"] = json!(["raadhuset", "taastrup-bibliotek"]);
    let response = save(&app, &admin, "jobsamtale", &body).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["version"], v + 1);

    let after = errand(&app, &admin, "jobsamtale").await;
    assert_eq!(after["name_da"], "Samtale med jobcentret");
    assert_eq!(after["reminder_hours"], 48);
    assert_eq!(after["what_to_bring_en"], "Your <b>CV</b>");
    assert_eq!(
        after["locations"],
        json!(["raadhuset", "taastrup-bibliotek"])
    );
    assert_eq!(after["version"], v + 1);
    let offered = app
        .get_json("/api/v1/locations/taastrup-bibliotek/services")
        .await;
    assert!(
        offered
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["slug"] == "jobsamtale"),
        "{offered}"
    );

    let audit = audit_today(&app, &admin).await;
    let change = audit
        .iter()
        .find(|e| e["action"] == "service.update")
        .expect("the change in the audit log");
    assert_eq!(change["subject"], "jobsamtale");
    let (was, became) = (
        change["before"].as_str().unwrap(),
        change["after"].as_str().unwrap(),
    );
    assert!(
        was.contains("name_da = \"Jobsamtale (telefon)\"\n"),
        "{was}"
    );
    assert!(was.contains("# offered at: raadhuset\n"), "{was}");
    assert!(became.contains("reminder_hours = 48\n"), "{became}");
    assert!(
        became.contains("# offered at: raadhuset, taastrup-bibliotek\n"),
        "{became}"
    );
}

#[tokio::test]
async fn admin_errand_bad_values_are_refused_as_the_organisation_file_refuses_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let read = errand(&app, &admin, "pas").await;
    let file = example_file();
    for (field, value, line) in [
        ("duration_minutes", json!(0), "duration_minutes = 0"),
        ("book_ahead_days", json!(731), "book_ahead_days = 731"),
        (
            "min_notice_minutes",
            json!(263520),
            "min_notice_minutes = 263520",
        ),
        ("queue_prefix", json!("p"), "queue_prefix = \"p\""),
        ("booking", json!("sometimes"), "booking = \"sometimes\""),
        (
            "self_service_url",
            json!("ftp://borger.dk"),
            "self_service_url = \"ftp://borger.dk\"",
        ),
        ("department", json!("skat"), "department = \"skat\""),
        ("name_en", json!(" "), "name_en = \" \""),
    ] {
        let mut body = read.clone();
        body[field] = value;
        let refused = expect_problem(save(&app, &admin, "pas", &body).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], field, "{refused}");
        let with_it = with_line(&file, field, line);
        let in_file = file_says(&with_it, &format!("services[0].{field}"));
        assert_eq!(refused["errors"][0]["message"], in_file);
    }
    assert_eq!(errand(&app, &admin, "pas").await, read, "nothing saved");
}

/// The organisation file with `line` for `field` in Pas's table, instead of its own line
/// for it when it has one.
fn with_line(file: &str, field: &str, line: &str) -> String {
    let start = file.find("slug = \"pas\"\n").unwrap();
    let end = start + file[start..].find("[[services]]").unwrap();
    let mut table: Vec<&str> = file[start..end].lines().collect();
    match table
        .iter()
        .position(|l| l.starts_with(&format!("{field} = ")))
    {
        Some(at) => table[at] = line,
        None => table.insert(1, line),
    }
    format!(
        "{}{}\n\n{}",
        &file[..start],
        table.join("\n").trim_end(),
        &file[end..]
    )
}

#[tokio::test]
async fn admin_errand_a_location_that_cannot_take_the_change_refuses_it_on_locations() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let read = errand(&app, &admin, "byggesag").await;
    let mut body = read.clone();
    // No desk at Nuuk serves building permits, so their tickets could never be called.
    body["locations"] = json!(["raadhuset", "nuuk"]);
    let refused = expect_problem(save(&app, &admin, "byggesag", &body).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "locations", "{refused}");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("no desk there serves it"),
        "{refused}"
    );
    let mut body = errand(&app, &admin, "pas").await;
    // Pas shares Rådhuset with Kørekort, whose letter is K.
    body["queue_prefix"] = json!("K");
    let refused = expect_problem(save(&app, &admin, "pas", &body).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "locations", "{refused}");
    assert_eq!(
        errand(&app, &admin, "byggesag").await,
        read,
        "nothing saved"
    );
}

#[tokio::test]
async fn admin_errand_of_two_saves_from_the_same_version_exactly_one_passes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let read = errand(&app, &admin, "vejledning").await;
    let v = read["version"].as_i64().unwrap();
    let mut first = read.clone();
    first["name_en"] = json!("Advice");
    let mut second = read.clone();
    second["name_en"] = json!("Guidance");
    let (a, b) = tokio::join!(
        save(&app, &admin, "vejledning", &first),
        save(&app, &admin, "vejledning", &second)
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let refused = if a.status() == 409 { a } else { b };
    let problem = expect_problem(refused, 409).await;
    assert!(problem["changed_by"].is_string(), "{problem}");
    let after = errand(&app, &admin, "vejledning").await;
    assert_eq!(after["version"], v + 1);
    assert!(["Advice", "Guidance"].contains(&after["name_en"].as_str().unwrap()));
}

/// The errand's form as the page sends it, read at `version`.
fn form(version: i64, duration: &str) -> Vec<(&'static str, String)> {
    let mut fields: Vec<(&'static str, String)> = [
        ("csrf_token", ""),
        ("lang", "da"),
        ("name_da", "Pas"),
        ("name_en", "Passport"),
        ("what_to_bring_da", ""),
        ("what_to_bring_en", ""),
        ("buffer_minutes", "5"),
        ("booking", "required"),
        ("self_service_url", ""),
        ("book_ahead_days", "183"),
        ("min_notice_minutes", "120"),
        ("reminder_hours", "24"),
        ("max_future_bookings", "2"),
        ("queue_prefix", "P"),
        ("department", "borgerservice"),
        ("locations", "raadhuset"),
        ("locations", "taastrup-bibliotek"),
        ("locations", "nuuk"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_owned()))
    .collect();
    fields.push(("duration_minutes", duration.to_owned()));
    fields.push(("version", version.to_string()));
    fields
}

async fn post_form(app: &TestApp, admin: &str, fields: Vec<(&str, String)>) -> reqwest::Response {
    app.post_form(admin, "/staff/admin/errands/pas", fields)
        .await
}

#[tokio::test]
async fn admin_errand_page_says_what_is_wrong_in_danish_and_who_saved_in_between() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = errand(&app, &admin, "pas").await["version"]
        .as_i64()
        .unwrap();
    let page = app
        .client
        .get(app.url("/staff/admin/errands/pas?lang=da"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let status = page.status();
    let html = page.text().await.unwrap();
    assert_eq!(status, 200, "{html}");
    assert!(
        html.contains("name=\"duration_minutes\" value=\"15\""),
        "{html}"
    );

    for bad in ["femten", "0"] {
        let refused = post_form(&app, &admin, form(v, bad)).await;
        assert_eq!(refused.status(), 422);
        let html = refused.text().await.unwrap();
        assert!(
            html.contains("Skriv varigheden som et helt antal minutter fra 1 til 480."),
            "{html}"
        );
        assert!(html.contains(&format!("value=\"{bad}\"")), "kept as typed");
        assert!(html.contains("aria-invalid=\"true\""));
        assert!(!html.contains("must be"), "no English on a Danish page");
    }

    // The client follows the 303 to the errands, which say it is saved.
    let saved = post_form(&app, &admin, form(v, "20")).await;
    assert_eq!(saved.status(), 200);
    assert_eq!(
        saved.url().as_str(),
        app.url("/staff/admin/errands?lang=da&done=saved")
    );
    assert!(saved.text().await.unwrap().contains("Ærindet er gemt."));
    let stale = post_form(&app, &admin, form(v, "25")).await;
    assert_eq!(stale.status(), 409);
    let html = stale.text().await.unwrap();
    assert!(html.contains("Ændret af"), "{html}");
    let after = errand(&app, &admin, "pas").await;
    assert_eq!(after["duration_minutes"], 20);
    assert_eq!(after["version"], v + 1);
}
