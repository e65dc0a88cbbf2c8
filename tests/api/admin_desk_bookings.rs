//! Taking a desk out of order from the administration: the confirmed bookings that the
//! capacity calendar then leaves without a desk (visits whose needs only that desk meets)
//! are shown first; cancelling cancels exactly those, with one apology each, keeping cancels
//! none and marks them; a save read at an older version of the desk is refused.

use serde_json::{json, Value};

use crate::admin_closures::{affected_of, cancellation_mails, status_of, TUESDAY};
use crate::helpers::{expect_problem, signed_in_json, spawn_app, TestApp};

/// Books `service` at `start`, with `needs`; the reference.
async fn book(app: &TestApp, start: &Value, needs: Value, email: &str) -> String {
    let response = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "needs": needs, "start": start,
            "citizen": {"name": "Berørt Borger", "email": email}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 201, "{:?}", response.text().await);
    let body: Value = response.json().await.unwrap();
    body["reference"].as_str().unwrap().to_owned()
}

/// Two step-free visits on Tuesday (only Skranke 2 is step-free), an hour apart, and a
/// plain passport beside the first: `([step-free, step-free], plain)`.
async fn bookings(app: &TestApp) -> (Vec<String>, String) {
    let free = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?service=pas&needs=step_free&from={TUESDAY}&to={TUESDAY}"
        ))
        .await;
    let free = free.as_array().unwrap();
    let at = |s: &Value| -> chrono::DateTime<chrono::FixedOffset> {
        s["start"].as_str().unwrap().parse().unwrap()
    };
    let later = free
        .iter()
        .find(|s| at(s) >= at(&free[0]) + chrono::Duration::hours(1))
        .unwrap();
    let step_free = json!([{"kind": "step_free"}]);
    let mut hit = vec![
        book(
            app,
            &free[0]["start"],
            step_free.clone(),
            "trin1@example.org",
        )
        .await,
        book(app, &later["start"], step_free, "trin2@example.org").await,
    ];
    hit.sort();
    let plain = book(app, &free[0]["start"], json!([]), "almindelig@example.org").await;
    (hit, plain)
}

/// Skranke 2 as the administration's API lists it.
async fn skranke_2(app: &TestApp, admin: &str) -> Value {
    let desks = signed_in_json(
        &app.client,
        &app.url("/api/v1/admin/locations/raadhuset/desks"),
        admin,
    )
    .await;
    desks
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["name"] == "Skranke 2")
        .unwrap()
        .clone()
}

/// Skranke 2 out of order, with `extra` fields.
async fn out_of_order(app: &TestApp, admin: &str, extra: Value) -> reqwest::Response {
    let desk = skranke_2(app, admin).await;
    let mut body = json!({"name": desk["name"], "services": desk["services"],
        "out_of_order": true, "version": desk["version"]});
    for (key, value) in extra.as_object().unwrap() {
        body[key] = value.clone();
    }
    app.client
        .put(app.url(&format!("/api/v1/admin/desks/{}", desk["id"])))
        .bearer_auth(admin)
        .json(&body)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn admin_desk_out_of_order_shows_the_bookings_without_a_desk_and_cancels_exactly_those() {
    let app = spawn_app().await;
    let (hit, plain) = bookings(&app).await;
    let admin = app.login("admin").await;

    let asked = expect_problem(out_of_order(&app, &admin, json!({})).await, 422).await;
    assert_eq!(asked["errors"][0]["field"], "bookings");
    assert_eq!(affected_of(&asked), hit, "{asked}");
    assert_eq!(skranke_2(&app, &admin).await["out_of_order"], false);

    let chosen = json!({"bookings": "cancel", "affected": hit});
    let refused = expect_problem(out_of_order(&app, &admin, chosen.clone()).await, 422).await;
    assert_eq!(refused["errors"][0]["field"], "reason");

    let mut chosen = chosen;
    chosen["reason"] = json!("Skranken er ude af drift");
    let response = out_of_order(&app, &admin, chosen).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["out_of_order"], true);
    let mut cancelled: Vec<String> = serde_json::from_value(done["cancelled"].clone()).unwrap();
    cancelled.sort();
    assert_eq!(cancelled, hit);
    for reference in &hit {
        assert_eq!(status_of(&app, reference), "cancelled");
        let mails = cancellation_mails(&app, reference);
        assert_eq!(mails.len(), 1, "{mails:?}");
        assert!(mails[0].contains("Skranken er ude af drift"), "{mails:?}");
    }
    assert_eq!(status_of(&app, &plain), "booked");
    assert!(cancellation_mails(&app, &plain).is_empty());
}

#[tokio::test]
async fn admin_desk_out_of_order_with_keep_cancels_nothing_and_a_stale_save_is_refused() {
    let app = spawn_app().await;
    let (hit, plain) = bookings(&app).await;
    let admin = app.login("admin").await;
    let version = skranke_2(&app, &admin).await["version"].clone();

    let response = out_of_order(&app, &admin, json!({"bookings": "keep", "affected": hit})).await;
    assert_eq!(response.status(), 200);
    let done: Value = response.json().await.unwrap();
    assert_eq!(done["cancelled"], json!([]));
    let mut kept: Vec<String> = serde_json::from_value(done["kept"].clone()).unwrap();
    kept.sort();
    assert_eq!(kept, hit);
    for reference in hit.iter().chain([&plain]) {
        assert_eq!(status_of(&app, reference), "booked");
        assert!(cancellation_mails(&app, reference).is_empty());
    }

    let stale = out_of_order(&app, &admin, json!({"version": version})).await;
    let problem = expect_problem(stale, 409).await;
    assert_eq!(problem["changed_by"], "Administrator");
}
