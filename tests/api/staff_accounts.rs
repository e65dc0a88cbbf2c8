//! Staff accounts and desks kept by administrators through the API: validation as the
//! import's, revisions that refuse a stale save, deactivation that ends sign-in, and
//! password-set links that are mailed, used once, expire after a day and are stored hashed.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::app::auth::token_hash;
use skranke::clock::Clock as _;

use crate::helpers::{expect_problem, spawn_app, TestApp, PASSWORD};
use crate::mail::SmtpSink;

const NEW_PASSWORD: &str = "korrekt hest batteri";

fn anna() -> Value {
    json!({
        "username": "anna.jensen",
        "name": "Anna Jensen",
        "email": "anna.jensen@kommune.example.dk",
        "roles": ["staff"],
        "locations": ["raadhuset"],
        "home_location": "raadhuset",
        "services": ["pas", "koerekort"],
        "contract_hours": 37,
    })
}

async fn send(
    app: &TestApp,
    method: reqwest::Method,
    path: &str,
    token: &str,
    body: Option<Value>,
) -> reqwest::Response {
    let request = app.client.request(method, app.url(path)).bearer_auth(token);
    let request = match body {
        Some(body) => request.json(&body),
        None => request,
    };
    request.send().await.unwrap()
}

/// What a GET signed in with `token` answers in JSON, whatever its status.
async fn get_json<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str, token: &str) -> T {
    send(app, reqwest::Method::GET, path, token, None)
        .await
        .json()
        .await
        .unwrap()
}

async fn post(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    send(app, reqwest::Method::POST, path, token, Some(body)).await
}

async fn put(app: &TestApp, path: &str, token: &str, body: Value) -> reqwest::Response {
    send(app, reqwest::Method::PUT, path, token, Some(body)).await
}

async fn create(app: &TestApp, admin: &str, account: Value) -> Value {
    let response = post(app, "/api/v1/admin/staff", admin, account).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

/// Signs in with `password`, answering the status.
async fn sign_in(app: &TestApp, username: &str, password: &str) -> (u16, Option<String>) {
    let response = reqwest::Client::new()
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap_or_default();
    (status, body["token"].as_str().map(str::to_owned))
}

/// Sends what the outbox holds to an SMTP sink and returns the tokens of the password
/// links in the mails, each with its recipient.
fn mailed_links(app: &TestApp) -> Vec<(String, String)> {
    let sink = SmtpSink::start();
    let mailer = sink.mailer();
    app.deliver_mail(&mailer);
    sink.take()
        .iter()
        .filter_map(|mail| {
            let to = mail.to()?.first()?.address()?.to_owned();
            let body = mail.body_text(0)?.into_owned();
            let start = body.find("http://skranke.test/staff/password/")?;
            let link = body[start..].split_whitespace().next()?;
            let token = link.rsplit('/').next()?.to_owned();
            Some((to, token))
        })
        .collect()
}

async fn me(app: &TestApp, token: &str) -> u16 {
    send(app, reqwest::Method::GET, "/api/v1/auth/me", token, None)
        .await
        .status()
        .as_u16()
}

async fn set_by_link(app: &TestApp, token: &str, password: &str) -> reqwest::Response {
    reqwest::Client::new()
        .post(app.url(&format!("/api/v1/password-links/{token}")))
        .json(&json!({"password": password, "password_again": password}))
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn a_new_colleague_chooses_a_password_from_the_mailed_link_once() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut account = anna();
    account["send_password_link"] = json!(true);
    let created = create(&app, &admin, account).await;
    assert_eq!(created["has_password"], false);
    assert_eq!(created["contract_hours"], 37.0);
    assert_eq!(created["roles"], json!(["staff"]));
    assert_eq!(sign_in(&app, "anna.jensen", NEW_PASSWORD).await.0, 401);

    let links = mailed_links(&app);
    assert_eq!(links.len(), 1, "one mail");
    let (to, token) = &links[0];
    assert_eq!(to, "anna.jensen@kommune.example.dk");
    assert_eq!(token.len(), 64, "256 random bits");

    let short = reqwest::Client::new()
        .post(app.url(&format!("/api/v1/password-links/{token}")))
        .json(&json!({"password": "kort", "password_again": "kort"}))
        .send()
        .await
        .unwrap();
    let problem = expect_problem(short, 422).await;
    assert_eq!(problem["errors"][0]["field"], "password");

    assert_eq!(set_by_link(&app, token, NEW_PASSWORD).await.status(), 204);
    let (status, session) = sign_in(&app, "anna.jensen", NEW_PASSWORD).await;
    assert_eq!(status, 200);
    assert!(session.is_some());

    let again = set_by_link(&app, token, "et andet kodeord her").await;
    expect_problem(again, 409).await;
    assert_eq!(
        sign_in(&app, "anna.jensen", NEW_PASSWORD).await.0,
        200,
        "the second use changed nothing"
    );
}

#[tokio::test]
async fn only_the_hash_of_a_link_is_stored_and_the_mail_forgets_it_once_sent() {
    use skranke::store::schema::{outbox, password_links};
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = create(&app, &admin, anna()).await["id"].as_i64().unwrap();
    let sent = post(
        &app,
        &format!("/api/v1/admin/staff/{id}/password-link"),
        &admin,
        json!({}),
    )
    .await;
    assert_eq!(sent.status(), 202);
    let links = mailed_links(&app);
    let token = &links[0].1;
    let mut conn = app.pool.get().unwrap();
    let stored: Vec<String> = password_links::table
        .select(password_links::token_hash)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(stored, [token_hash(token)]);
    let secrets: Vec<Option<String>> = outbox::table
        .filter(outbox::owner_kind.eq("staff_user"))
        .select(outbox::secret)
        .load(&mut *conn)
        .unwrap();
    assert_eq!(secrets, [None], "the sent mail keeps no token");
}

#[tokio::test]
async fn a_link_expires_after_24_hours_and_a_new_one_replaces_the_old() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = create(&app, &admin, anna()).await["id"].as_i64().unwrap();
    let link_path = format!("/api/v1/admin/staff/{id}/password-link");
    assert_eq!(
        post(&app, &link_path, &admin, json!({})).await.status(),
        202
    );
    let first = mailed_links(&app).remove(0).1;
    app.clock.advance(Duration::hours(24));
    let late = expect_problem(set_by_link(&app, &first, NEW_PASSWORD).await, 409).await;
    assert!(
        late["detail"].as_str().unwrap().contains("expired"),
        "{late}"
    );

    // A session of 12 hours ran out meanwhile.
    let admin = app.login("admin").await;
    assert_eq!(
        post(&app, &link_path, &admin, json!({})).await.status(),
        202
    );
    let second = mailed_links(&app).remove(0).1;
    assert_eq!(
        post(&app, &link_path, &admin, json!({})).await.status(),
        202
    );
    let third = mailed_links(&app).remove(0).1;
    expect_problem(set_by_link(&app, &second, NEW_PASSWORD).await, 409).await;
    app.clock
        .advance(Duration::hours(24) - Duration::seconds(1));
    assert_eq!(set_by_link(&app, &third, NEW_PASSWORD).await.status(), 204);
    expect_problem(
        set_by_link(&app, "0".repeat(64).as_str(), NEW_PASSWORD).await,
        404,
    )
    .await;
}

#[tokio::test]
async fn a_link_used_twice_at_once_sets_one_password() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut account = anna();
    account["send_password_link"] = json!(true);
    create(&app, &admin, account).await;
    let token = mailed_links(&app).remove(0).1;
    let (a, b) = tokio::join!(
        set_by_link(&app, &token, "den første adgangskode"),
        set_by_link(&app, &token, "den anden adgangskode"),
    );
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [204, 409]);
    let first = sign_in(&app, "anna.jensen", "den første adgangskode")
        .await
        .0;
    let second = sign_in(&app, "anna.jensen", "den anden adgangskode")
        .await
        .0;
    assert_eq!(
        [first, second].iter().filter(|s| **s == 200).count(),
        1,
        "exactly one of the two passwords works"
    );
}

#[tokio::test]
async fn a_deactivated_colleague_cannot_sign_in_and_their_sessions_end() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let staff = app.login("staff").await;
    let me = send(&app, reqwest::Method::GET, "/api/v1/auth/me", &staff, None).await;
    assert_eq!(me.status(), 200);
    let accounts: Vec<Value> = get_json(&app, "/api/v1/admin/staff", &admin).await;
    let account = accounts.iter().find(|a| a["username"] == "staff").unwrap();
    let path = format!("/api/v1/admin/staff/{}/deactivate", account["id"]);
    let body = json!({"version": account["version"]});
    let done: Value = post(&app, &path, &admin, body).await.json().await.unwrap();
    assert_eq!(done["active"], false);

    let me = send(&app, reqwest::Method::GET, "/api/v1/auth/me", &staff, None).await;
    expect_problem(me, 401).await;
    assert_eq!(sign_in(&app, "staff", PASSWORD).await.0, 401);

    // One's own account stays: somebody must be left to reactivate the others.
    let own = accounts.iter().find(|a| a["username"] == "admin").unwrap();
    let path = format!("/api/v1/admin/staff/{}/deactivate", own["id"]);
    let refused = post(&app, &path, &admin, json!({"version": own["version"]})).await;
    expect_problem(refused, 409).await;

    let path = format!("/api/v1/admin/staff/{}/reactivate", account["id"]);
    let back = post(&app, &path, &admin, json!({"version": done["version"]})).await;
    assert_eq!(back.status(), 200);
    assert_eq!(sign_in(&app, "staff", PASSWORD).await.0, 200);
}

#[tokio::test]
async fn bad_fields_are_refused_with_the_import_s_words_and_change_nothing() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut bad = anna();
    bad["username"] = json!("anna jensen");
    bad["roles"] = json!([]);
    bad["home_location"] = json!("nuuk");
    bad["contract_hours"] = json!(61);
    let response = post(&app, "/api/v1/admin/staff", &admin, bad).await;
    let problem = expect_problem(response, 422).await;
    let said = |field: &str| -> String {
        problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["field"] == field)
            .unwrap_or_else(|| panic!("no error on {field}: {problem}"))["message"]
            .as_str()
            .unwrap()
            .to_owned()
    };

    // The same bad values in the organisation file.
    let file = skranke::app::demo::ORGANISATION_FILE
        .replacen("username = \"lars.pedersen\"", "username = \"anna jensen\"", 1)
        .replacen("contract_hours = 30", "contract_hours = 61", 1)
        .replacen(
            "roles = [\"staff\"]\nhome_location = \"raadhuset\"\nlocations = [\"raadhuset\"]\nservices = [\"byggesag\"]",
            "roles = []\nhome_location = \"nuuk\"\nlocations = [\"raadhuset\"]\nservices = [\"byggesag\"]",
            1,
        );
    let problems = skranke::import::parse_organisation_and_planning("org.toml", &file)
        .unwrap_err()
        .problems;
    for (field, key) in [
        ("username", ".username"),
        ("roles", ".roles"),
        ("home_location", ".home_location"),
        ("contract_hours", ".contract_hours"),
    ] {
        let from_file = problems
            .iter()
            .find(|p| p.field.ends_with(key))
            .unwrap_or_else(|| panic!("the import says nothing of {key}: {problems:?}"));
        assert_eq!(said(field), from_file.message, "{field}");
    }

    let accounts: Vec<Value> = get_json(&app, "/api/v1/admin/staff", &admin).await;
    assert!(accounts.iter().all(|a| a["username"] != "anna jensen"));
    let taken = post(&app, "/api/v1/admin/staff", &admin, {
        let mut a = anna();
        a["username"] = json!("Staff");
        a
    })
    .await;
    let problem = expect_problem(taken, 422).await;
    assert_eq!(problem["errors"][0]["field"], "username");
}

#[tokio::test]
async fn two_administrators_saving_one_account_at_once_get_one_409_naming_the_other() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut second_admin = anna();
    second_admin["username"] = json!("bo.admin");
    second_admin["name"] = json!("Bo Nielsen");
    second_admin["roles"] = json!(["admin"]);
    second_admin["send_password_link"] = json!(true);
    create(&app, &admin, second_admin).await;
    let token = mailed_links(&app).remove(0).1;
    assert_eq!(set_by_link(&app, &token, NEW_PASSWORD).await.status(), 204);
    let bo = sign_in(&app, "bo.admin", NEW_PASSWORD).await.1.unwrap();

    let created = create(&app, &admin, anna()).await;
    let path = format!("/api/v1/admin/staff/{}", created["id"]);
    let mut by_admin = anna();
    by_admin["name"] = json!("Anna B. Jensen");
    by_admin["version"] = created["version"].clone();
    let mut by_bo = anna();
    by_bo["contract_hours"] = json!(30);
    by_bo["version"] = created["version"].clone();
    let (a, b) = tokio::join!(
        put(&app, &path, &admin, by_admin),
        put(&app, &path, &bo, by_bo),
    );
    let (a, b) = (a.status().as_u16(), b.status().as_u16());
    let mut statuses = [a, b];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 409]);
    let winner = if a == 200 {
        "Administrator"
    } else {
        "Bo Nielsen"
    };
    let loser_token = if a == 200 { &bo } else { &admin };

    // The loser reads that the winner saved, and when; a save from the fresh reading goes.
    let mut stale = anna();
    stale["version"] = created["version"].clone();
    let refused = put(&app, &path, loser_token, stale).await;
    let problem = expect_problem(refused, 409).await;
    assert_eq!(problem["changed_by"], winner);
    let detail = problem["detail"].as_str().unwrap();
    assert!(
        detail.starts_with(&format!("changed by {winner} at "))
            && detail.ends_with("reload it and try again"),
        "{detail}"
    );
    let fresh: Value = get_json(&app, &path, loser_token).await;
    let mut again = anna();
    again["version"] = fresh["version"].clone();
    let saved = put(&app, &path, loser_token, again).await;
    assert_eq!(saved.status(), 200);
}

#[tokio::test]
async fn every_change_is_in_the_audit_with_who_and_before_and_after() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let created = create(&app, &admin, anna()).await;
    let mut changed = anna();
    changed["contract_hours"] = json!(30);
    changed["version"] = created["version"].clone();
    let path = format!("/api/v1/admin/staff/{}", created["id"]);
    let response = put(&app, &path, &admin, changed).await;
    assert_eq!(response.status(), 200);
    let day = app.clock.now().date_naive();
    let entries: Vec<Value> =
        get_json(&app, &format!("/api/v1/audit?from={day}&to={day}"), &admin).await;
    let update = entries
        .iter()
        .find(|e| e["action"] == "staff.update")
        .unwrap_or_else(|| panic!("no update in {entries:?}"));
    assert_eq!(update["actor"], "admin");
    assert_eq!(update["subject"], "anna.jensen");
    // The account before and after as TOML lines, in the columns a location's change uses.
    let lines = |side: &str| -> toml::Table { update[side].as_str().unwrap().parse().unwrap() };
    assert_eq!(
        lines("before")["contract_minutes"].as_integer(),
        Some(37 * 60)
    );
    assert_eq!(
        lines("after")["contract_minutes"].as_integer(),
        Some(30 * 60)
    );
    assert_eq!(update["detail"], Value::Null);
    let created = entries
        .iter()
        .find(|e| e["action"] == "staff.create")
        .unwrap_or_else(|| panic!("no create in {entries:?}"));
    assert_eq!(created["before"], "", "nothing before a new account");
    assert!(!update.to_string().contains("argon2"));
}

#[tokio::test]
async fn one_s_own_password_changes_after_the_current_one_and_other_sessions_end() {
    let app = spawn_app().await;
    let here = app.login("staff").await;
    let elsewhere = app.login("staff").await;
    let change = |current: &str| json!({"current_password": current, "password": NEW_PASSWORD, "password_again": NEW_PASSWORD});
    let wrong = post(
        &app,
        "/api/v1/auth/password",
        &here,
        change("forkert kodeord"),
    )
    .await;
    let problem = expect_problem(wrong, 422).await;
    assert_eq!(problem["errors"][0]["field"], "current_password");
    let done = post(&app, "/api/v1/auth/password", &here, change(PASSWORD)).await;
    assert_eq!(done.status(), 204);
    assert_eq!(sign_in(&app, "staff", PASSWORD).await.0, 401);
    assert_eq!(sign_in(&app, "staff", NEW_PASSWORD).await.0, 200);
    assert_eq!(
        me(&app, &here).await,
        200,
        "the session it was changed in goes on"
    );
    assert_eq!(me(&app, &elsewhere).await, 401);
}

#[tokio::test]
async fn a_desk_out_of_order_is_closed_cannot_be_opened_and_is_marked_for_the_console() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let desks: Vec<Value> = get_json(&app, "/api/v1/admin/locations/raadhuset/desks", &admin).await;
    let desk = desks.iter().find(|d| d["kind"] == "counter").unwrap();
    let id = desk["id"].as_i64().unwrap();
    let staff = app.login("staff").await;
    let opened = post(&app, &format!("/api/v1/desks/{id}/open"), &staff, json!({})).await;
    assert_eq!(opened.status(), 200);

    let mut change = json!({
        "name": desk["name"],
        "kind": "counter",
        "services": desk["services"],
        "out_of_order": true,
        "version": desk["version"],
    });
    let path = format!("/api/v1/admin/desks/{id}");
    let saved = put(&app, &path, &admin, change.clone()).await;
    assert_eq!(saved.status(), 200);
    let saved: Value = saved.json().await.unwrap();
    assert_eq!(saved["out_of_order"], true);

    let listed: Vec<Value> = get_json(&app, "/api/v1/locations/raadhuset/desks", &staff).await;
    let seen = listed.iter().find(|d| d["id"] == id).unwrap();
    assert_eq!(seen["out_of_order"], true);
    assert_eq!(seen["state"], "closed", "taken out of order, it closed");
    let refused = post(&app, &format!("/api/v1/desks/{id}/open"), &staff, json!({})).await;
    expect_problem(refused, 409).await;
    let call = post(
        &app,
        &format!("/api/v1/desks/{id}/call-next"),
        &staff,
        json!({}),
    )
    .await;
    expect_problem(call, 409).await;

    // A stale save is refused; a name another desk has, or an errand not offered, too.
    let stale = put(&app, &path, &admin, change.clone()).await;
    expect_problem(stale, 409).await;
    change["version"] = saved["version"].clone();
    change["name"] = desks.iter().find(|d| d["id"] != id).unwrap()["name"].clone();
    change["services"] = json!(["no-such-errand"]);
    let bad = put(&app, &path, &admin, change).await;
    let problem = expect_problem(bad, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "services"]);

    let new = post(
        &app,
        "/api/v1/admin/locations/raadhuset/desks",
        &admin,
        json!({"name": "Ekstra skranke", "services": ["pas"]}),
    )
    .await;
    let status = new.status();
    let new: Value = new.json().await.unwrap();
    assert_eq!(status, 201, "{new}");
    assert_eq!(
        (new["kind"].as_str(), new["out_of_order"].as_bool()),
        (Some("counter"), Some(false))
    );
}

#[tokio::test]
async fn staff_and_planners_are_refused_every_administration_route() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let mut planner = anna();
    planner["username"] = json!("per.planner");
    planner["roles"] = json!(["planner"]);
    planner["send_password_link"] = json!(true);
    let planner_id = create(&app, &admin, planner).await["id"].as_i64().unwrap();
    let token = mailed_links(&app).remove(0).1;
    assert_eq!(set_by_link(&app, &token, NEW_PASSWORD).await.status(), 204);
    let planner = sign_in(&app, "per.planner", NEW_PASSWORD).await.1.unwrap();
    let staff = app.login("staff").await;
    let id = planner_id;
    let routes = [
        (reqwest::Method::GET, "/api/v1/admin/staff".to_owned()),
        (reqwest::Method::POST, "/api/v1/admin/staff".to_owned()),
        (reqwest::Method::GET, format!("/api/v1/admin/staff/{id}")),
        (reqwest::Method::PUT, format!("/api/v1/admin/staff/{id}")),
        (
            reqwest::Method::POST,
            format!("/api/v1/admin/staff/{id}/deactivate"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/admin/staff/{id}/reactivate"),
        ),
        (
            reqwest::Method::POST,
            format!("/api/v1/admin/staff/{id}/password-link"),
        ),
        (
            reqwest::Method::GET,
            "/api/v1/admin/locations/raadhuset/desks".to_owned(),
        ),
        (
            reqwest::Method::POST,
            "/api/v1/admin/locations/raadhuset/desks".to_owned(),
        ),
        (reqwest::Method::PUT, "/api/v1/admin/desks/1".to_owned()),
    ];
    for token in [&staff, &planner] {
        for (method, path) in &routes {
            let body = matches!(*method, reqwest::Method::POST | reqwest::Method::PUT)
                .then(|| json!({"version": 1, "name": "x", "username": "xx"}));
            let response = send(&app, method.clone(), path, token, body).await;
            assert_eq!(response.status(), 403, "{method} {path}");
        }
    }
}

#[tokio::test]
async fn after_a_link_is_sent_the_page_says_to_whom_without_the_address_in_its_url() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = create(&app, &admin, anna()).await["id"].as_i64().unwrap();
    // The client follows the 303 to the account's page.
    let page = app
        .post_form(
            &admin,
            &format!("/staff/admin/staff/{id}/password-link?lang=da"),
            [("csrf_token", ""), ("lang", "da")],
        )
        .await;
    assert_eq!(page.status(), 200);
    let url = page.url().to_string();
    assert!(url.ends_with("done=link_sent"), "{url}");
    assert!(!url.contains("kommune.example.dk"), "{url}");
    let html = page.text().await.unwrap();
    assert!(
        html.contains("Linket er sendt til Anna Jensen på anna.jensen@kommune.example.dk."),
        "{html}"
    );
    assert_eq!(mailed_links(&app).len(), 1);
}

#[tokio::test]
async fn a_contract_that_is_not_a_number_is_named_on_the_form_and_nothing_is_saved() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let id = create(&app, &admin, anna()).await["id"].as_i64().unwrap();
    let before: Value = get_json(&app, &format!("/api/v1/admin/staff/{id}"), &admin).await;
    let form = |version: &str| {
        vec![
            ("csrf_token", "".to_owned()),
            ("username", "bo.hansen".to_owned()),
            ("name", "Bo Hansen".to_owned()),
            ("roles", "staff".to_owned()),
            ("contract_hours", "tredive".to_owned()),
            ("version", version.to_owned()),
        ]
    };
    let version = before["version"].to_string();
    for path in [
        "/staff/admin/staff?lang=da".to_owned(),
        format!("/staff/admin/staff/{id}?lang=da"),
    ] {
        let page = app.post_form(&admin, &path, form(&version)).await;
        assert_eq!(page.status(), 422, "{path}");
        let html = page.text().await.unwrap();
        assert!(
            html.contains("id=\"contract_hours-error\">Skriv et antal timer om ugen"),
            "{path}: {html}"
        );
    }
    let accounts: Vec<Value> = get_json(&app, "/api/v1/admin/staff", &admin).await;
    assert!(accounts.iter().all(|a| a["username"] != "bo.hansen"));
    let after: Value = get_json(&app, &format!("/api/v1/admin/staff/{id}"), &admin).await;
    assert_eq!(after, before);
}

#[tokio::test]
async fn a_refused_password_is_read_with_the_new_password_field() {
    let app = spawn_app().await;
    let staff = app.login("staff").await;
    let form = [
        ("csrf_token", ""),
        ("lang", "da"),
        ("current_password", "not the password"),
        ("password", "en lang ny adgangskode"),
        ("password_again", "en lang ny adgangskode"),
    ];
    let page = app.post_form(&staff, "/staff/account/password", form).await;
    assert_eq!(page.status(), 422);
    let html = page.text().await.unwrap();
    assert!(html.contains("id=\"password-error\""), "{html}");
    assert!(
        html.contains("aria-describedby=\"password-hint password-error\""),
        "{html}"
    );
}
