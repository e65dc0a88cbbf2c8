//! Changing a location's details and weekly hours from the administration: saved and
//! audited with before and after; a bad value refused as the organisation file's check
//! refuses it; shorter hours show the confirmed bookings they leave out first, and cancel
//! exactly those with one apology each only when asked; of two saves read at the same
//! version exactly one passes.

use serde_json::{json, Value};

use crate::admin_closures::{
    admin_location, affected_of, assert_cancelled_exactly, audit_today, bookings,
    cancellation_mails, example_file, file_says, status_of, version, TUESDAY,
};
use crate::helpers::{expect_problem, spawn_app, TestApp};

async fn save(app: &TestApp, admin: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/admin/locations/raadhuset"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Rådhuset as the demo has it, at version `v`, with Tuesday's hours as given.
fn with_tuesday(v: i64, tuesday: &[&str]) -> Value {
    json!({
        "name": "Rådhuset", "address": "Torvet 1, 9999 Demoby", "contact": "",
        "opening_hours": {
            "mon": ["10:00-14:30"], "tue": tuesday, "wed": ["10:00-14:30"],
            "thu": ["10:00-17:00"], "fri": ["10:00-13:30"]
        },
        "version": v
    })
}

#[tokio::test]
async fn admin_location_details_and_hours_are_saved_and_audited() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let before = admin_location(&app, &admin).await;
    let v = before["version"].as_i64().unwrap();
    assert_eq!(before["opening_hours"]["tue"], json!(["10:00-14:30"]));
    let mut body = with_tuesday(v, &["13:00-14:30", "10:00-12:00"]);
    body["name"] = json!("Rådhuset Nord");
    body["contact"] = json!("Telefon 70 00 00 00");
    let response = save(&app, &admin, body).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["version"], v + 1);
    let after = admin_location(&app, &admin).await;
    assert_eq!(after["name"], "Rådhuset Nord");
    assert_eq!(after["contact"], "Telefon 70 00 00 00");
    assert_eq!(
        after["opening_hours"]["tue"],
        json!(["10:00-12:00", "13:00-14:30"])
    );
    assert_eq!(after["version"], v + 1);

    let audit = audit_today(&app, &admin).await;
    let change = audit
        .iter()
        .find(|e| e["action"] == "location.update")
        .expect("the change in the audit log");
    assert_eq!(change["subject"], "raadhuset");
    let (was, became) = (
        change["before"].as_str().unwrap(),
        change["after"].as_str().unwrap(),
    );
    assert!(was.contains("name = \"Rådhuset\"\n"), "{was}");
    assert!(!was.contains("contact"), "{was}");
    assert!(
        became.contains("contact = \"Telefon 70 00 00 00\"\n"),
        "{became}"
    );
    assert!(
        became.contains("tue = [\"10:00-12:00\", \"13:00-14:30\"]"),
        "{became}"
    );

    // The organisation file carries the contact there and back.
    let conn = &mut app.pool.get().unwrap();
    let slug = skranke::store::export::organisation_slugs(conn).unwrap()[0].clone();
    let (spec, planning) = skranke::store::export::load(conn, &slug).unwrap().unwrap();
    let file = skranke::export::organisation_file(&spec, &planning);
    assert!(
        file.contains("contact = \"Telefon 70 00 00 00\"\n"),
        "{file}"
    );
    let again = skranke::import::parse_organisation("organisation.toml", &file).unwrap();
    assert_eq!(again.locations, spec.locations);
}

#[tokio::test]
async fn admin_location_bad_hours_are_refused_as_the_organisation_file_refuses_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let file = example_file();
    let raadhuset = "tue = [\"10:00-14:30\"], wed = [\"10:00-14:30\"], thu = [\"10:00-17:00\"]";
    assert!(file.contains(raadhuset));
    for (tuesday, field) in [
        (vec!["14:30-10:00"], "opening_hours.tue[0]"),
        (vec!["10:00-13:00", "12:00-14:30"], "opening_hours.tue"),
        (vec!["10-14"], "opening_hours.tue[0]"),
    ] {
        let refused =
            expect_problem(save(&app, &admin, with_tuesday(v, &tuesday)).await, 422).await;
        assert_eq!(refused["errors"][0]["field"], field, "{refused}");
        let quoted: Vec<String> = tuesday.iter().map(|r| format!("\"{r}\"")).collect();
        let with_it = file.replacen(
            raadhuset,
            &raadhuset.replace(
                "[\"10:00-14:30\"], wed",
                &format!("[{}], wed", quoted.join(", ")),
            ),
            1,
        );
        assert_eq!(refused["errors"][0]["message"], file_says(&with_it, field));
    }
    let mut nothing = with_tuesday(v, &[]);
    nothing["opening_hours"] = json!({});
    nothing["address"] = json!(" ");
    let refused = expect_problem(save(&app, &admin, nothing).await, 422).await;
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["address", "opening_hours"]);
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

#[tokio::test]
async fn admin_shorter_hours_show_the_bookings_left_out_and_cancel_exactly_those() {
    let app = spawn_app().await;
    let (morning, afternoon, wednesday) = bookings(&app).await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let until_noon = with_tuesday(v, &["10:00-12:00"]);

    let asked = expect_problem(save(&app, &admin, until_noon.clone()).await, 422).await;
    assert_eq!(asked["errors"][0]["field"], "bookings");
    assert_eq!(affected_of(&asked), afternoon);
    let mut without_reason = until_noon.clone();
    without_reason["bookings"] = json!("cancel");
    without_reason["affected"] = json!(afternoon);
    let refused = expect_problem(save(&app, &admin, without_reason.clone()).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "reason");
    for reference in afternoon.iter().chain([&morning, &wednesday]) {
        assert_eq!(status_of(&app, reference), "booked");
    }
    assert_eq!(version(&app, &admin).await, v, "nothing saved");

    let mut chosen = without_reason;
    chosen["reason"] = json!("Nedsat åbningstid");
    let response = save(&app, &admin, chosen).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    let untouched = [&morning, &wednesday];
    assert_cancelled_exactly(&app, &done, &afternoon, "Nedsat åbningstid", &untouched);
    // The capacity rules are cut to the new hours: Tuesday offers the morning only.
    let tuesday = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?service=pas&from={TUESDAY}&to={TUESDAY}"
        ))
        .await;
    let tuesday = tuesday.as_array().unwrap();
    assert!(!tuesday.is_empty());
    for slot in tuesday {
        let end: chrono::DateTime<chrono::FixedOffset> =
            slot["end"].as_str().unwrap().parse().unwrap();
        assert!(
            end.format("%H:%M").to_string().as_str() <= "12:00",
            "{slot}"
        );
    }
}

#[tokio::test]
async fn admin_shorter_hours_with_keep_cancel_nothing() {
    let app = spawn_app().await;
    let (_, afternoon, _) = bookings(&app).await;
    let admin = app.login("admin").await;
    let mut kept = with_tuesday(version(&app, &admin).await, &["10:00-12:00"]);
    kept["bookings"] = json!("keep");
    kept["affected"] = json!(afternoon);
    let response = save(&app, &admin, kept).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([]));
    assert_eq!(done["kept"].as_array().unwrap().len(), 2);
    for reference in &afternoon {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
}

#[tokio::test]
async fn admin_location_of_two_saves_from_the_same_version_exactly_one_passes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let mut first = with_tuesday(v, &["10:00-14:30"]);
    first["contact"] = json!("Telefon 1");
    let mut second = with_tuesday(v, &["10:00-14:30"]);
    second["contact"] = json!("Telefon 2");
    let (a, b) = tokio::join!(save(&app, &admin, first), save(&app, &admin, second));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let refused = if a.status() == 409 { a } else { b };
    let problem = expect_problem(refused, 409).await;
    assert_eq!(problem["changed_by"], "Administrator");
    assert_eq!(version(&app, &admin).await, v + 1);
}

#[tokio::test]
async fn admin_location_page_refused_as_stale_stays_refused_until_reloaded() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let saved = save(&app, &admin, with_tuesday(v, &["10:00-14:30"])).await;
    assert_eq!(saved.status(), 200);
    let post = |version: String| {
        app.client
            .post(app.url("/staff/admin/locations/raadhuset/details"))
            .bearer_auth(&admin)
            .form(&[
                ("csrf_token", String::new()),
                ("lang", "en".to_owned()),
                ("name", "Rådhuset".to_owned()),
                ("address", "Torvet 1, 9999 Demoby".to_owned()),
                ("contact", "Telefon 2".to_owned()),
                ("hours_mon", "10:00-14:30".to_owned()),
                ("version", version),
            ])
            .send()
    };
    // A second tab, read before that save: refused, and its form keeps the version it was
    // read at, so sending it again is refused again instead of overwriting.
    let mut sent = v.to_string();
    for _ in 0..2 {
        let refused = post(sent.clone()).await.unwrap();
        assert_eq!(refused.status(), 409);
        let page = refused.text().await.unwrap();
        let form = &page[page.find("id=\"details-form\"").unwrap()..];
        let at = form.find("name=\"version\" value=\"").unwrap() + 22;
        sent = form[at..at + form[at..].find('"').unwrap()].to_owned();
        assert_eq!(sent, v.to_string(), "the version first read");
    }
    assert_eq!(version(&app, &admin).await, v + 1, "nothing saved over it");
    assert_eq!(admin_location(&app, &admin).await["contact"], "");
}

/// Rådhuset's hours as the demo has them, with the building-permit errand's own hours on
/// Tuesday as given (the others' mornings as the file has them).
fn with_building_tuesday(v: i64, tuesday: &[&str]) -> Value {
    let mut body = with_tuesday(v, &["10:00-14:30"]);
    let morning = json!(["10:00-12:00"]);
    body["service_hours"] = json!([{"service": "byggesag", "hours": {
        "mon": morning, "tue": tuesday, "wed": morning, "thu": morning, "fri": morning
    }}]);
    body
}

/// The example organisation file with the building errand's own Tuesday at the city hall
/// written as `tuesday`.
fn with_building_tuesday_in_file(tuesday: &str) -> String {
    example_file().replacen(
        "tue = [\"10:00-12:00\"], wed = [\"10:00-12:00\"], thu",
        &format!("tue = {tuesday}, wed = [\"10:00-12:00\"], thu"),
        1,
    )
}

#[tokio::test]
async fn an_errands_own_hours_are_refused_as_the_organisation_file_refuses_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let refused = expect_problem(
        save(&app, &admin, with_building_tuesday(v, &["09:00-12:00"])).await,
        422,
    )
    .await;
    assert_eq!(refused["errors"][0]["field"], "service_hours[0].hours.tue");
    let in_file = file_says(
        &with_building_tuesday_in_file("[\"09:00-12:00\"]"),
        "service_hours[0].hours.tue",
    );
    assert_eq!(refused["errors"][0]["message"], in_file);
    let mut unknown = with_building_tuesday(v, &["10:00-12:00"]);
    unknown["service_hours"][0]["service"] = json!("ukendt");
    let refused = expect_problem(save(&app, &admin, unknown).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "service_hours[0].service");
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

/// The first Tuesday the building-permit errand can be booked (two days' notice).
const NEXT: &str = "2027-04-06";

#[tokio::test]
async fn an_errands_shorter_hours_cancel_exactly_its_bookings_outside_them_on_cancel_only() {
    for choice in ["keep", "cancel"] {
        let app = spawn_app().await;
        let slots = app
            .get_json(&format!(
                "/api/v1/locations/raadhuset/slots?service=byggesag&from={NEXT}&to={NEXT}"
            ))
            .await;
        let at = |hour: &str| {
            let slot = slots
                .as_array()
                .unwrap()
                .iter()
                .find(|s| s["start"].as_str().unwrap()[11..16] == *hour);
            slot.unwrap_or_else(|| panic!("{hour}: {slots}"))["start"].clone()
        };
        let (early, late) = (at("10:00"), at("11:00"));
        let mut references = Vec::new();
        for (start, email) in [(early, "tidlig@example.org"), (late, "sen@example.org")] {
            let response = app
                .client
                .post(app.url("/api/v1/appointments"))
                .json(&json!({
                    "location": "raadhuset", "service": "byggesag", "start": start,
                    "citizen": {"name": "Bygherre", "email": email}
                }))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            let body: Value = response.json().await.unwrap();
            references.push(body["reference"].as_str().unwrap().to_owned());
        }
        let admin = app.login("admin").await;
        let v = version(&app, &admin).await;
        let mut body = with_building_tuesday(v, &["10:00-11:00"]);
        let asked = expect_problem(save(&app, &admin, body.clone()).await, 422).await;
        assert_eq!(affected_of(&asked), [references[1].clone()]);
        body["bookings"] = json!(choice);
        body["affected"] = json!([references[1]]);
        body["reason"] = json!("Byggesag kun om morgenen");
        let response = save(&app, &admin, body).await;
        assert_eq!(response.status(), 200, "{choice}");
        let done: Value = response.json().await.unwrap();
        if choice == "cancel" {
            let hit = [references[1].clone()];
            let untouched = [&references[0]];
            assert_cancelled_exactly(&app, &done, &hit, "Byggesag kun om morgenen", &untouched);
        } else {
            assert_eq!(done["cancelled"], json!([]));
            for reference in &references {
                assert_eq!(status_of(&app, reference), "booked");
                assert!(cancellation_mails(&app, reference).is_empty());
            }
        }
        // The errand is offered only in its new hours, its capacity cut to them.
        let free = app
            .get_json(&format!(
                "/api/v1/locations/raadhuset/slots?service=byggesag&from={NEXT}&to={NEXT}"
            ))
            .await;
        let ends: Vec<&str> = (free.as_array().unwrap().iter())
            .map(|s| &s["end"].as_str().unwrap()[11..16])
            .collect();
        assert!(
            !ends.is_empty() && ends.iter().all(|end| *end <= "11:00"),
            "{ends:?}"
        );
        let audit = audit_today(&app, &admin).await;
        let change = audit
            .iter()
            .find(|e| e["action"] == "location.update")
            .unwrap();
        assert!(change["after"]
            .as_str()
            .unwrap()
            .contains("tue = [\"10:00-11:00\"]"));
    }
}

/// The location's entry in the organisation file as exported now.
fn raadhuset_in_file(app: &TestApp) -> String {
    let conn = &mut app.pool.get().unwrap();
    let slug = skranke::store::export::organisation_slugs(conn).unwrap()[0].clone();
    let (spec, _) = skranke::store::export::load(conn, &slug).unwrap().unwrap();
    let raadhuset = spec
        .locations
        .iter()
        .find(|l| l.slug.as_str() == "raadhuset");
    skranke::export::location_file(raadhuset.unwrap())
}

#[tokio::test]
async fn a_location_read_and_saved_back_unchanged_changes_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let read = admin_location(&app, &admin).await;
    assert_eq!(
        read["service_hours"],
        json!([{"service": "byggesag", "hours": {
            "mon": ["10:00-12:00"], "tue": ["10:00-12:00"], "wed": ["10:00-12:00"],
            "thu": ["10:00-12:00"], "fri": ["10:00-12:00"]
        }}])
    );
    let file = raadhuset_in_file(&app);
    let mut body = json!({});
    for key in [
        "name",
        "address",
        "contact",
        "opening_hours",
        "service_hours",
        "version",
    ] {
        body[key] = read[key].clone();
    }
    let response = save(&app, &admin, body.clone()).await;
    assert_eq!(response.status(), 200);
    let mut again = admin_location(&app, &admin).await;
    assert_eq!(again["version"], read["version"].as_i64().unwrap() + 1);
    again["version"] = read["version"].clone();
    assert_eq!(again, read);
    assert_eq!(raadhuset_in_file(&app), file);

    // A range that is not one is refused on the field the organisation file's check names.
    body["version"] = json!(read["version"].as_i64().unwrap() + 1);
    body["service_hours"][0]["hours"]["tue"] = json!(["10:00-11:00", "11-12"]);
    let refused = expect_problem(save(&app, &admin, body).await, 422).await;
    assert_eq!(
        refused["errors"][0]["field"],
        "service_hours[0].hours.tue[1]"
    );
    let in_file = file_says(
        &with_building_tuesday_in_file("[\"10:00-11:00\", \"11-12\"]"),
        "service_hours[0].hours.tue[1]",
    );
    assert_eq!(refused["errors"][0]["message"], in_file);
    assert_eq!(raadhuset_in_file(&app), file, "nothing saved");
}

#[tokio::test]
async fn an_errands_hours_sent_from_a_stale_page_are_refused_and_kept_as_typed() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let saved = save(&app, &admin, with_tuesday(v, &["10:00-14:30"])).await;
    assert_eq!(saved.status(), 200);
    let file = raadhuset_in_file(&app);
    // Passports' own Tuesday, from the page as read at `version`.
    let send = |version: i64| {
        let form = [
            ("csrf_token", String::new()),
            ("lang", "da".to_owned()),
            ("errand_hours_tue", "10:00-11:00, 12:00-13:00".to_owned()),
            ("version", version.to_string()),
        ];
        app.post_form(
            &admin,
            "/staff/admin/locations/raadhuset/errand-hours/pas",
            form,
        )
    };
    let refused = send(v).await;
    assert_eq!(refused.status(), 409);
    let page = refused.text().await.unwrap();
    let errand = &page[page.find("id=\"errand-pas\"").unwrap()..];
    let stale = &errand[errand.find("id=\"errand-stale\"").unwrap()..];
    assert!(stale.contains("Ændret af Administrator"), "{stale}");
    assert!(
        errand.contains("value=\"10:00-11:00, 12:00-13:00\""),
        "what was typed is kept"
    );
    assert!(errand.contains(&format!("name=\"version\" value=\"{v}\"")));
    let mut after = raadhuset_in_file(&app);
    assert_eq!(after, file, "nothing saved over it");
    // Sent again from the page as read now, they are saved.
    let sent = send(v + 1).await;
    // Followed back to the location's page, saying it is saved.
    assert_eq!(sent.status(), 200);
    assert!(sent.url().query().unwrap().contains("changed=errand_hours"));
    after = raadhuset_in_file(&app);
    assert!(
        after.contains("service = \"pas\"\nhours = { tue = [\"10:00-11:00\", \"12:00-13:00\"] }"),
        "{after}"
    );
}
