//! Changing a location's weekly booking capacity rules from the administration: a bad value
//! refused as the organisation file's check refuses it; fewer desks show the confirmed
//! bookings that no longer get one first, and cancel exactly those with one apology each
//! only when asked, keep cancelling none; the change audited with before and after; of two
//! saves read at the same version exactly one passes.

use serde_json::{json, Value};

use crate::admin_closures::{
    affected_of, audit_today, book, cancellation_mails, example_file, file_says, free_on,
    status_of, version, TUESDAY,
};
use crate::helpers::{expect_problem, signed_in_json, spawn_app, TestApp};
use skranke::store::appointments;

async fn save(app: &TestApp, admin: &str, body: Value) -> reqwest::Response {
    app.client
        .put(app.url("/api/v1/admin/locations/raadhuset/capacity"))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap()
}

/// Rådhuset's capacity as the administration's API reads it.
async fn read(app: &TestApp, admin: &str) -> Value {
    app.get_json_as(admin, "/api/v1/admin/locations/raadhuset/capacity")
        .await
}

/// Rådhuset's rules as read, with `desks` desks in the first (the counters, Monday to
/// Wednesday), to send back.
async fn rules(app: &TestApp, admin: &str, desks: u32) -> Value {
    let mut read = read(app, admin).await;
    read["capacity"][0]["desks"] = json!(desks);
    json!({"capacity": read["capacity"], "version": read["version"]})
}

/// Two bookings of Tuesday's first time, at Rådhuset's two desks, and one of its second:
/// `(first, second, later)`.
async fn two_at_once(app: &TestApp) -> (String, String, String) {
    let tuesday = free_on(app, TUESDAY).await;
    assert_eq!(tuesday[0]["available"], 2, "{tuesday:?}");
    let first = book(app, &tuesday[0]["start"], "foerst@example.org").await;
    let second = book(app, &tuesday[0]["start"], "anden@example.org").await;
    // An hour after the first, clear of its buffer.
    let first_start: chrono::DateTime<chrono::FixedOffset> =
        tuesday[0]["start"].as_str().unwrap().parse().unwrap();
    let later = tuesday
        .iter()
        .find(|s| {
            let start: chrono::DateTime<chrono::FixedOffset> =
                s["start"].as_str().unwrap().parse().unwrap();
            start >= first_start + chrono::Duration::hours(1)
        })
        .unwrap();
    let later = book(app, &later["start"], "senere@example.org").await;
    (first, second, later)
}

#[tokio::test]
async fn admin_capacity_is_read_saved_and_audited() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let read = read(&app, &admin).await;
    let v = read["version"].as_i64().unwrap();
    assert_eq!(read["roster_published"], false);
    assert_eq!(
        read["capacity"][0],
        json!({"days": ["mon", "tue", "wed"], "from": "10:00", "to": "14:30", "desks": 2,
            "kind": "counter", "services": ["pas", "koerekort", "sundhedskort"]})
    );
    let response = save(&app, &admin, rules(&app, &admin, 3).await).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["version"], v + 1);
    assert_eq!(done["cancelled"], json!([]));
    let tuesday = free_on(&app, TUESDAY).await;
    assert_eq!(tuesday[0]["available"], 3, "{tuesday:?}");

    let audit = audit_today(&app, &admin).await;
    let change = audit
        .iter()
        .find(|e| e["action"] == "location.capacity")
        .expect("the change in the audit log");
    assert_eq!(change["subject"], "raadhuset");
    let was = change["before"].as_str().unwrap();
    let became = change["after"].as_str().unwrap();
    assert!(was.contains("desks = 2\n"), "{was}");
    assert!(became.contains("desks = 3\n"), "{became}");
}

#[tokio::test]
async fn admin_capacity_bad_values_are_refused_as_the_organisation_file_refuses_them() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let file = example_file();
    let first = "days = [\"mon\", \"tue\", \"wed\"]\nfrom = \"10:00\"\nto = \"14:30\"\ndesks = 2\n";
    assert!(file.contains(first));
    let cases: [(&str, Value, &str, &str); 5] = [
        (
            "from",
            json!("25:00"),
            "from = \"10:00\"",
            "from = \"25:00\"",
        ),
        ("to", json!("09:00"), "to = \"14:30\"", "to = \"09:00\""),
        ("desks", json!(0), "desks = 2", "desks = 0"),
        ("desks", json!(40), "desks = 2", "desks = 40"),
        (
            "days",
            json!(["mon", "fun"]),
            "days = [\"mon\", \"tue\", \"wed\"]",
            "days = [\"mon\", \"fun\"]",
        ),
    ];
    for (key, value, was, bad) in cases {
        let mut body = rules(&app, &admin, 2).await;
        body["capacity"][0][key] = value;
        let refused = expect_problem(save(&app, &admin, body).await, 422).await;
        let field = refused["errors"][0]["field"].as_str().unwrap().to_owned();
        assert!(
            field.starts_with(&format!("capacity[0].{key}")),
            "{refused}"
        );
        let with_it = file.replacen(first, &first.replacen(was, bad, 1), 1);
        let in_file = file_says(&with_it, &format!("locations[0].{field}"));
        assert_eq!(refused["errors"][0]["message"], in_file);
    }
    let mut unknown = rules(&app, &admin, 2).await;
    unknown["capacity"][0]["services"] = json!(["pas", "ukendt"]);
    let refused = expect_problem(save(&app, &admin, unknown).await, 422).await;
    assert_eq!(
        refused["errors"][0]["field"], "capacity[0].services[1]",
        "{refused}"
    );
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

#[tokio::test]
async fn admin_capacity_cut_shows_the_bookings_without_a_desk_and_cancels_exactly_those() {
    let app = spawn_app().await;
    let (first, second, later) = two_at_once(&app).await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;

    let asked = expect_problem(save(&app, &admin, rules(&app, &admin, 1).await).await, 422).await;
    assert_eq!(asked["errors"][0]["field"], "bookings");
    assert_eq!(affected_of(&asked), std::slice::from_ref(&second));
    let mut chosen = rules(&app, &admin, 1).await;
    chosen["bookings"] = json!("cancel");
    chosen["affected"] = json!([second]);
    let refused = expect_problem(save(&app, &admin, chosen.clone()).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "reason");
    assert_eq!(status_of(&app, &second), "booked");
    assert_eq!(version(&app, &admin).await, v, "nothing saved");

    chosen["reason"] = json!("Færre skranker");
    let response = save(&app, &admin, chosen).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([second]));
    assert_eq!(status_of(&app, &second), "cancelled");
    let mails = cancellation_mails(&app, &second);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert!(mails[0].contains("Færre skranker"), "{mails:?}");
    for reference in [&first, &later] {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
}

#[tokio::test]
async fn admin_capacity_cut_with_keep_cancels_nothing() {
    let app = spawn_app().await;
    let (first, second, later) = two_at_once(&app).await;
    let admin = app.login("admin").await;
    let mut kept = rules(&app, &admin, 1).await;
    kept["bookings"] = json!("keep");
    kept["affected"] = json!([second]);
    let response = save(&app, &admin, kept).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([]));
    assert_eq!(done["kept"], json!([second]));
    for reference in [&first, &second, &later] {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }
}

#[tokio::test]
async fn admin_capacity_of_two_saves_from_the_same_version_exactly_one_passes() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let v = version(&app, &admin).await;
    let (one, three) = (rules(&app, &admin, 1).await, rules(&app, &admin, 3).await);
    let (a, b) = tokio::join!(save(&app, &admin, one), save(&app, &admin, three));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 409]);
    let refused = if a.status() == 409 { a } else { b };
    let problem = expect_problem(refused, 409).await;
    assert_eq!(problem["changed_by"], "Administrator");
    assert_eq!(version(&app, &admin).await, v + 1);
}

#[tokio::test]
async fn admin_capacity_page_shows_each_rule_and_a_field_error_in_the_pages_language() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let page = app
        .client
        .get(app.url("/staff/admin/locations/raadhuset/capacity?lang=da"))
        .bearer_auth(&admin)
        .send()
        .await
        .unwrap();
    let status = page.status();
    let body = page.text().await.unwrap();
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("Bookingkapacitet"), "{body}");
    assert!(
        body.contains("id=\"desks_0\" name=\"desks_0\" value=\"2\""),
        "{body}"
    );
    let rows = read(&app, &admin).await["capacity"]
        .as_array()
        .unwrap()
        .len();
    let v = version(&app, &admin).await;

    // The first rule with desks that are not a number, and one with a time past midnight.
    let post = |fields: Vec<(String, String)>| {
        app.client
            .post(app.url("/staff/admin/locations/raadhuset/capacity"))
            .bearer_auth(&admin)
            .form(&fields)
            .send()
    };
    let form = |desks: &str, to: &str, version: i64| {
        let mut fields = vec![
            ("csrf_token".to_owned(), String::new()),
            ("lang".to_owned(), "da".to_owned()),
            ("rows".to_owned(), (rows + 1).to_string()),
            ("version".to_owned(), version.to_string()),
        ];
        for (key, value) in [
            ("days_0", "mon"),
            ("days_0", "tue"),
            ("days_0", "wed"),
            ("from_0", "10:00"),
            ("to_0", to),
            ("desks_0", desks),
            ("services_0", "pas"),
            ("services_0", "koerekort"),
            ("services_0", "sundhedskort"),
        ] {
            fields.push((key.to_owned(), value.to_owned()));
        }
        // The other rules stay as they are, by leaving them out as removed.
        for i in 1..rows {
            fields.push((format!("remove_{i}"), "on".to_owned()));
        }
        fields
    };
    let refused = post(form("to", "14:30", v)).await.unwrap();
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("Skriv et antal skranker"), "{body}");
    let refused = post(form("2", "25:00", v)).await.unwrap();
    assert_eq!(refused.status(), 422);
    let body = refused.text().await.unwrap();
    assert!(body.contains("Skriv tidspunktet som 14:30"), "{body}");
    assert!(body.contains("aria-invalid=\"true\""), "{body}");
    let stale = post(form("2", "14:30", v - 1)).await.unwrap();
    assert_eq!(stale.status(), 409);
    assert_eq!(version(&app, &admin).await, v, "nothing saved");
}

/// The booking's reference and token, to check it in.
fn token_of(app: &TestApp, reference: &str) -> String {
    use diesel::prelude::*;
    use skranke::store::schema::appointments;
    // The token is mailed, never stored: the test sets a known one by its hash.
    let token = format!("token-{reference}");
    diesel::update(appointments::table.filter(appointments::reference.eq(reference)))
        .set(appointments::token_hash.eq(skranke::app::auth::token_hash(&token)))
        .execute(&mut *app.pool.get().unwrap())
        .unwrap();
    token
}

/// Keeps `second` over a cut to one desk: `(first, second, later)`.
async fn kept_over_a_cut(app: &TestApp, admin: &str) -> (String, String, String) {
    let (first, second, later) = two_at_once(app).await;
    let mut kept = rules(app, admin, 1).await;
    kept["bookings"] = json!("keep");
    kept["affected"] = json!([second]);
    let response = save(app, admin, kept).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["kept"], json!([second]));
    (first, second, later)
}

#[tokio::test]
async fn admin_kept_booking_is_not_asked_about_again_nor_cancelled_by_a_later_change() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (first, second, later) = kept_over_a_cut(&app, &admin).await;

    // A second cut over the same time does not ask about it again.
    let mut fewer = rules(&app, &admin, 1).await;
    fewer["capacity"][0]["to"] = json!("12:00");
    let response = save(&app, &admin, fewer).await;
    assert_eq!(response.status(), 200, "{:?}", response.text().await);

    // Closing Tuesday from the first booking on affects all three: the kept one is listed
    // apart, and cancelling cancels the other two only.
    let tuesday_from = |reference: &str| {
        let record = appointments::find(&mut app.pool.get().unwrap(), reference)
            .unwrap()
            .unwrap();
        let local = record
            .starts_at
            .with_timezone(&chrono_tz::Europe::Copenhagen);
        local.format("%H:%M").to_string()
    };
    let closure = json!({"from": TUESDAY, "closed_from": tuesday_from(&first),
        "reason": "Vandskade", "version": version(&app, &admin).await});
    let close = |body: Value| {
        app.client
            .post(app.url("/api/v1/admin/locations/raadhuset/closures"))
            .bearer_auth(&admin)
            .json(&body)
            .send()
    };
    let asked = expect_problem(close(closure.clone()).await.unwrap(), 422).await;
    let mut others = vec![first.clone(), later.clone()];
    others.sort();
    assert_eq!(affected_of(&asked), others, "{asked}");
    assert_eq!(
        asked["already_kept"][0]["reference"],
        json!(second),
        "{asked}"
    );
    let mut cancel = closure;
    cancel["bookings"] = json!("cancel");
    cancel["affected"] = json!(others);
    let response = close(cancel).await.unwrap();
    assert_eq!(response.status(), 201);
    let done: Value = response.json().await.unwrap();
    let mut cancelled: Vec<String> = serde_json::from_value(done["cancelled"].clone()).unwrap();
    cancelled.sort();
    assert_eq!(cancelled, others);
    for reference in &others {
        assert_eq!(status_of(&app, reference), "cancelled");
        assert_eq!(cancellation_mails(&app, reference).len(), 1);
    }
    assert_eq!(status_of(&app, &second), "booked");
    assert!(cancellation_mails(&app, &second).is_empty());
}

#[tokio::test]
async fn admin_kept_booking_is_flagged_for_the_staff_who_meet_it() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let (first, second, _) = kept_over_a_cut(&app, &admin).await;
    let start = appointments::find(&mut app.pool.get().unwrap(), &second)
        .unwrap()
        .unwrap()
        .starts_at;
    app.clock.set(start - chrono::Duration::minutes(5));
    for reference in [&first, &second] {
        let token = token_of(&app, reference);
        let checked_in = app
            .client
            .post(app.url(&format!(
                "/api/v1/appointments/{reference}/check-in?token={token}"
            )))
            .send()
            .await
            .unwrap();
        assert_eq!(checked_in.status(), 201, "{:?}", checked_in.text().await);
    }
    let staff = app.login("staff").await;
    let queue = signed_in_json(
        &app.client,
        &app.url("/api/v1/locations/raadhuset/queue"),
        &staff,
    )
    .await;
    let kept: Vec<bool> = queue
        .as_array()
        .unwrap()
        .iter()
        .map(|t| !t["booking"]["kept_despite_change_at"].is_null())
        .collect();
    assert_eq!(kept, [false, true], "{queue}");
}

#[tokio::test]
async fn admin_capacity_cut_counts_a_visit_by_all_its_errands() {
    let app = spawn_app().await;
    let free = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?services=pas,sundhedskort&from={TUESDAY}&to={TUESDAY}"
        ))
        .await;
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "start": free[0]["start"],
            "services": [{"service": "pas"}, {"service": "sundhedskort"}],
            "citizen": {"name": "Familien Hansen", "email": "hansen@example.org"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201);
    let visit: Value = response.json().await.unwrap();
    let visit = visit["reference"].as_str().unwrap().to_owned();
    let passport = book(&app, &free[0]["start"], "pas@example.org").await;
    let admin = app.login("admin").await;

    // Tuesday's rule no longer takes health cards: the visit's second errand loses its
    // desk, and so the visit; the passport alone keeps one.
    let mut cut = rules(&app, &admin, 2).await;
    cut["capacity"][0]["services"] = json!(["pas", "koerekort"]);
    let asked = expect_problem(save(&app, &admin, cut.clone()).await, 422).await;
    assert_eq!(affected_of(&asked), std::slice::from_ref(&visit), "{asked}");
    cut["bookings"] = json!("cancel");
    cut["affected"] = json!([visit]);
    cut["reason"] = json!("Ingen sundhedskort om tirsdagen");
    let response = save(&app, &admin, cut).await;
    assert_eq!(response.status(), 200);
    assert_eq!(status_of(&app, &visit), "cancelled");
    assert_eq!(cancellation_mails(&app, &visit).len(), 1);
    assert_eq!(status_of(&app, &passport), "booked");
}
