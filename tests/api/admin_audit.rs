//! The audit log as an administration page: read by period, by who and by kind, in the
//! page's language, with what an administrative change changed.

use serde_json::json;

use crate::helpers::{spawn_app, TestApp};

async fn page(app: &TestApp, token: &str, query: &str) -> (u16, String) {
    let response = app
        .client
        .get(app.url(&format!("/staff/admin/audit?{query}")))
        .header("accept", "text/html")
        .bearer_auth(token)
        .send()
        .await
        .unwrap();
    (response.status().as_u16(), response.text().await.unwrap())
}

#[tokio::test]
async fn the_audit_page_reads_by_who_and_kind_and_shows_the_change() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let wrong = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "staff", "password": "not the password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 401);
    let location: serde_json::Value = app
        .get_json_as(&admin, "/api/v1/admin/locations/raadhuset")
        .await;
    let closed = app
        .client
        .post(app.url("/api/v1/admin/locations/raadhuset/closures"))
        .bearer_auth(&admin)
        .json(&json!({"from": "2027-04-20", "reason": "Kursus <i>for alle</i>", "version": location["version"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(closed.status(), 201);

    let (status, all) = page(&app, &admin, "lang=da").await;
    assert_eq!(status, 200);
    assert!(all.contains("Lukkede en lokation"), "{all}");
    assert!(all.contains("Mislykket login"), "{all}");
    assert!(all.contains("Rådhuset"), "the location by its name: {all}");
    assert!(
        all.contains("Kursus &lt;i&gt;for alle&lt;&#x2f;i&gt;")
            || all.contains("Kursus &lt;i&gt;for alle&lt;/i&gt;"),
        "escaped: {all}"
    );
    assert!(!all.contains("<i>for alle"), "{all}");

    let (_, organisation) = page(&app, &admin, "lang=da&kind=organisation").await;
    assert!(organisation.contains("Lukkede en lokation"));
    assert!(!organisation.contains("Mislykket login"));

    let (_, by_admin) = page(
        &app,
        &admin,
        "lang=en&who=admin&from=2027-03-29&to=2027-03-29",
    )
    .await;
    assert!(by_admin.contains("Closed a location"), "{by_admin}");
    assert!(!by_admin.contains("Failed sign-in"), "{by_admin}");

    let (_, other_day) = page(&app, &admin, "lang=da&from=2027-03-28&to=2027-03-28").await;
    assert!(other_day.contains("id=\"audit-empty\""), "{other_day}");

    let (status, _) = page(&app, &admin, "lang=da&kind=whatever").await;
    assert_eq!(status, 422);
}
