use serde_json::json;

use crate::helpers::{expect_problem, spawn_app, value_after, TestApp, PASSWORD};

#[tokio::test]
async fn a_wrong_password_and_an_unknown_user_read_the_same() {
    let app = spawn_app().await;
    let url = app.url("/api/v1/auth/login");
    let wrong = app
        .client
        .post(&url)
        .json(&json!({"username": "admin", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let wrong = expect_problem(wrong, 401).await;
    let unknown = app
        .client
        .post(&url)
        .json(&json!({"username": "ghost", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let unknown = expect_problem(unknown, 401).await;
    assert_eq!(wrong["detail"], unknown["detail"]);
}

#[tokio::test]
async fn a_bearer_token_works_until_logout() {
    let app = spawn_app().await;
    let token = app.login("admin").await;
    let plain = reqwest::Client::new();
    let me: serde_json::Value = plain
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["username"], "admin");
    assert_eq!(me["roles"], json!(["admin", "planner"]));

    let out = plain
        .post(app.url("/api/v1/auth/logout"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204, "a bearer client needs no CSRF token");
    let after = plain
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_problem(after, 401).await;
}

#[tokio::test]
async fn a_cookie_session_needs_the_csrf_token_to_change_anything() {
    let app = spawn_app().await;
    let login = app
        .client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": "staff", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    let cookie = login.headers()["set-cookie"].to_str().unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let body: serde_json::Value = login.json().await.unwrap();
    let csrf = body["csrf_token"].as_str().unwrap();

    // The cookie alone reads, but does not write.
    let me = app
        .client
        .get(app.url("/api/v1/auth/me"))
        .send()
        .await
        .unwrap();
    assert_eq!(me.status(), 200);
    let forged = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .send()
        .await
        .unwrap();
    expect_problem(forged, 403).await;
    let wrong = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", "0".repeat(64))
        .send()
        .await
        .unwrap();
    expect_problem(wrong, 403).await;

    let out = app
        .client
        .post(app.url("/api/v1/auth/logout"))
        .header("x-csrf-token", csrf)
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), 204);
    expect_problem(
        app.client
            .get(app.url("/api/v1/auth/me"))
            .send()
            .await
            .unwrap(),
        401,
    )
    .await;
}

#[tokio::test]
async fn sessions_end_when_their_time_is_up() {
    let app = spawn_app().await;
    let token = app.login("staff").await;
    app.clock.advance(chrono::Duration::hours(13));
    let me = reqwest::Client::new()
        .get(app.url("/api/v1/auth/me"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    expect_problem(me, 401).await;
}

/// A client whose requests come from another loopback address.
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<std::net::IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn sign_in(
    client: &reqwest::Client,
    app: &TestApp,
    username: &str,
    password: &str,
) -> reqwest::Response {
    client
        .post(app.url("/api/v1/auth/login"))
        .json(&json!({"username": username, "password": password}))
        .send()
        .await
        .unwrap()
}

/// The `Retry-After` of a 429 problem, checked against what its detail says.
async fn retry_after(response: reqwest::Response) -> i64 {
    let seconds: i64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    let problem = expect_problem(response, 429).await;
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("try again in {seconds} seconds")),
        "{problem}"
    );
    seconds
}

#[tokio::test]
async fn colleagues_behind_one_address_are_never_held_up() {
    let app = spawn_app().await;
    let colleagues: Vec<String> = skranke::app::demo::organisation()
        .unwrap()
        .staff
        .into_iter()
        .map(|s| s.username)
        .take(10)
        .collect();
    {
        let mut conn = app.pool.get().unwrap();
        for username in &colleagues {
            skranke::app::auth::set_password(&mut conn, username, PASSWORD).unwrap();
        }
    }
    // A morning at the office: everyone signs in from the same address, some mistype once,
    // and all sign in again after lunch.
    for round in 0..3 {
        for username in &colleagues {
            if round == 1 {
                let typo = sign_in(&app.client, &app, username, "testkodeord-12").await;
                assert_eq!(typo.status(), 401, "{username} mistyped");
            }
            let signed_in = sign_in(&app.client, &app, username, PASSWORD).await;
            assert_eq!(signed_in.status(), 200, "{username}, round {round}");
        }
    }
}

#[tokio::test]
async fn guesses_from_many_addresses_meet_the_accounts_back_off() {
    let app = spawn_app().await;
    let admin = app.login("admin").await;
    let guessers: Vec<reqwest::Client> = (2..=11)
        .map(|n| client_from(&format!("127.0.0.{n}")))
        .collect();

    // Four failures in a row pass; the fifth begins a wait of a second; until it is over,
    // every address is refused without its password being looked at.
    let mut statuses = Vec::new();
    for (n, guesser) in guessers.iter().enumerate() {
        let r = sign_in(guesser, &app, "admin", &format!("guess-{n}")).await;
        statuses.push(r.status().as_u16());
        if r.status() == 429 {
            assert_eq!(retry_after(r).await, 1);
        }
    }
    assert_eq!(statuses, [401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);
    let right_but_too_soon = sign_in(&guessers[0], &app, "admin", PASSWORD).await;
    assert_eq!(retry_after(right_but_too_soon).await, 1);

    // Each further failure doubles the wait, up to a quarter of an hour.
    let mut waits = Vec::new();
    for n in 0..12 {
        app.clock
            .advance(chrono::Duration::seconds(*waits.last().unwrap_or(&1)));
        let guesser = &guessers[n % guessers.len()];
        let wrong = sign_in(guesser, &app, "admin", &format!("again-{n}")).await;
        assert_eq!(wrong.status(), 401, "guess {n} came after the wait");
        waits.push(retry_after(sign_in(guesser, &app, "admin", "x").await).await);
    }
    assert_eq!(waits, [2, 4, 8, 16, 32, 64, 128, 256, 512, 900, 900, 900]);

    // Once the wait is over, the right password signs in and the count starts again.
    app.clock.advance(chrono::Duration::seconds(900));
    assert_eq!(
        sign_in(&guessers[3], &app, "admin", PASSWORD)
            .await
            .status(),
        200
    );
    let statuses =
        futures::future::join_all((0..5).map(|n| sign_in(&guessers[n], &app, "admin", "wrong")))
            .await;
    let statuses: Vec<u16> = statuses.iter().map(|r| r.status().as_u16()).collect();
    assert_eq!(
        statuses, [401; 5],
        "four failures in peace, the fifth begins a wait"
    );
    expect_problem(sign_in(&guessers[5], &app, "admin", PASSWORD).await, 429).await;

    // An unknown user backs off just the same, so the back-off tells no names.
    for guesser in &guessers[..5] {
        let r = sign_in(guesser, &app, "ghost-user-x", "ghost-pw-1").await;
        assert_eq!(r.status(), 401);
    }
    expect_problem(
        sign_in(&guessers[5], &app, "ghost-user-x", "ghost-pw-1").await,
        429,
    )
    .await;

    let entries = app.audit_of_day(&admin, "2027-03-29").await;
    let of = |action: &str, subject: serde_json::Value| -> Vec<&serde_json::Value> {
        entries
            .iter()
            .filter(|e| e["action"] == action && e["subject"] == subject)
            .collect()
    };
    let failed = of("login.failed", json!("admin"));
    assert_eq!(
        failed.len(),
        5 + 12 + 5,
        "every failure is a security event"
    );
    assert_eq!(failed[0]["actor"], "anonymous");
    assert!(
        failed[0]["detail"]
            .as_str()
            .unwrap()
            .contains("from 127.0.0.2"),
        "{}",
        failed[0]
    );
    let backoffs = of("login.backoff", json!("admin"));
    assert_eq!(
        backoffs.len(),
        1 + 12 + 1,
        "each failure past the fourth begins a wait"
    );
    assert!(
        backoffs[0]["detail"].as_str().unwrap().contains("1 s"),
        "{}",
        backoffs[0]
    );
    let unknown = of("login.failed", serde_json::Value::Null);
    assert_eq!(unknown.len(), 5, "{entries:?}");
    let audit = serde_json::to_string(&entries).unwrap();
    for secret in ["guess-", "again-", "ghost-", PASSWORD] {
        assert!(!audit.contains(secret), "{secret} is in the audit: {audit}");
    }
}

#[tokio::test]
async fn guesses_sent_at_once_meet_the_back_off_as_the_fifth_fails() {
    let app = spawn_app().await;
    let guesses = (0..20).map(|n| {
        let client = app.client.clone();
        let url = app.url("/api/v1/auth/login");
        async move {
            client
                .post(url)
                .json(&json!({"username": "staff", "password": format!("guess-{n}")}))
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let statuses = futures::future::join_all(guesses).await;
    let refused = statuses.iter().filter(|s| **s == 401).count();
    let held = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((refused, held), (5, 15), "{statuses:?}");
}

#[tokio::test]
async fn one_address_spraying_many_accounts_is_held_up_and_others_are_not() {
    let app = spawn_app().await;
    let sprayer = client_from("127.0.0.20");
    for n in 0..30 {
        let r = sign_in(&sprayer, &app, &format!("user{n}"), "Sommer2027!").await;
        assert_eq!(r.status(), 401, "account {n}");
    }
    let held = sign_in(&sprayer, &app, "admin", PASSWORD).await;
    assert_eq!(retry_after(held).await, 1);
    let elsewhere = sign_in(&app.client, &app, "admin", PASSWORD).await;
    assert_eq!(elsewhere.status(), 200, "another address goes on");
}

#[tokio::test]
async fn the_sign_in_page_shows_the_wait_during_a_back_off() {
    let app = spawn_app().await;
    for n in 0..5 {
        let r = sign_in(&app.client, &app, "staff", &format!("guess-{n}")).await;
        assert_eq!(r.status(), 401);
    }
    let form = app.get("/staff/login?lang=en").await.text().await.unwrap();
    let token = value_after(&form, "name=\"form_token\"");
    let page = app
        .client
        .post(app.url("/staff/login"))
        .form(&[
            ("username", "staff"),
            ("password", PASSWORD),
            ("form_token", token.as_str()),
            ("lang", "en"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 429);
    assert_eq!(page.headers()["retry-after"], "1");
    let html = page.text().await.unwrap();
    assert!(html.contains("Try again in 1 seconds"), "{html}");
}
