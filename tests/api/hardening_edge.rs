//! The edge of the server as an attacker and a careless client meet it: event streams
//! capped and freed, security headers, redirects that stay on this site, errors that keep
//! to the contract, the metrics behind their token, the role checked before the body, and
//! the demo's users with passwords hashed each on their own.

use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use skranke::clock::ManualClock;
use skranke::config::{EventStreamArgs, Settings};

use crate::helpers::{
    build, eventually, expect_problem, fresh_pool, monday_morning, redirects_shown, seed, settings,
    spawn_app, spawn_app_with, value_after, TestApp, TestDatabase, PASSWORD,
};

// --- Event streams -------------------------------------------------------------------

fn small_streams() -> EventStreamArgs {
    EventStreamArgs {
        heartbeat_seconds: 0.05,
        per_client: 3,
        total: 5,
        lifetime_seconds: 3600.0,
    }
}

/// A client whose connections come from `address` (any of 127.0.0.0/8 reaches loopback).
fn client_from(address: &str) -> reqwest::Client {
    reqwest::Client::builder()
        .local_address(address.parse::<IpAddr>().unwrap())
        .build()
        .unwrap()
}

async fn open_stream(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    client
        .get(app.url("/api/v1/locations/raadhuset/events"))
        .send()
        .await
        .unwrap()
}

/// A stream that answered and says it listens.
async fn listening(app: &TestApp, client: &reqwest::Client) -> reqwest::Response {
    let mut stream = open_stream(app, client).await;
    assert_eq!(stream.status(), 200);
    let hello = stream.chunk().await.unwrap().unwrap();
    assert!(hello.starts_with(b": listening"), "{hello:?}");
    stream
}

/// The open-stream gauge as `/metrics` shows it.
async fn open_streams(app: &TestApp) -> i64 {
    let text = app.get("/metrics").await.text().await.unwrap();
    text.lines()
        .find_map(|l| l.strip_prefix("skranke_event_streams_open "))
        .expect("the gauge is shown")
        .trim()
        .parse()
        .unwrap()
}

async fn assert_answers(app: &TestApp) {
    assert_eq!(app.get("/health").await.status(), 200);
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let booked = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
            "citizen": {"name": "Vedholdende Borger", "email": "vedholdende@example.dk"}
        }))
        .send()
        .await
        .unwrap();
    assert_eq!(booked.status(), 201, "a booking goes through");
}

#[tokio::test]
async fn abandoned_streams_are_capped_counted_and_freed_by_the_heartbeat() {
    let app = spawn_app_with(|s| {
        s.events = small_streams();
        s.rate_limit_per_minute = 0;
    })
    .await;
    let (one, other) = (client_from("127.0.0.1"), client_from("127.0.0.2"));

    let mut streams = Vec::new();
    for _ in 0..3 {
        streams.push(listening(&app, &one).await);
    }
    // Many more than the caps, at once: each refused, none kept.
    let refused = futures::future::join_all((0..50).map(|_| open_stream(&app, &one))).await;
    for answer in refused {
        assert!(
            answer.headers()["retry-after"]
                .to_str()
                .unwrap()
                .parse::<u64>()
                .unwrap()
                >= 1
        );
        let problem = expect_problem(answer, 429).await;
        assert!(problem["detail"]
            .as_str()
            .unwrap()
            .contains("3 event streams"));
    }
    for _ in 0..2 {
        streams.push(listening(&app, &other).await);
    }
    let full = open_stream(&app, &other).await;
    assert!(full.headers().contains_key("retry-after"));
    expect_problem(full, 503).await;
    assert_eq!(open_streams(&app).await, 5);
    assert_answers(&app).await;

    // The clients go away without a word; only the heartbeat's writes find out.
    drop(streams);
    eventually("every abandoned stream closed", || async {
        assert_eq!(app.get("/health").await.status(), 200);
        open_streams(&app).await == 0
    })
    .await;
    assert_answers(&app).await;
    listening(&app, &one).await;
}

#[tokio::test]
async fn a_quiet_stream_beats_and_ends_after_its_lifetime_with_a_retry() {
    let app = spawn_app_with(|s| {
        s.events = EventStreamArgs {
            lifetime_seconds: 0.3,
            ..small_streams()
        }
    })
    .await;
    let mut stream = listening(&app, &app.client).await;
    let mut seen = String::new();
    let reading = async {
        while let Some(chunk) = stream.chunk().await.unwrap() {
            seen.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    };
    tokio::time::timeout(Duration::from_secs(60), reading)
        .await
        .expect("the server ends the stream");
    assert!(seen.contains(": heartbeat\n\n"), "{seen}");
    let last = seen.trim_end().rsplit("\n\n").next().unwrap();
    assert!(
        last.lines().any(|l| l.starts_with("retry: ")),
        "the last frame says when to reconnect: {last}"
    );
    eventually("the ended stream's place freed", || async {
        open_streams(&app).await == 0
    })
    .await;
}

// --- Security headers ----------------------------------------------------------------

fn assert_strict(response: &reqwest::Response, what: &str) {
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .map(|v| v.to_str().unwrap().to_owned())
            .unwrap_or_default()
    };
    let policy = header("content-security-policy");
    for part in [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
    ] {
        assert!(policy.contains(part), "{what}: {part} in {policy:?}");
    }
    assert!(!policy.contains("unsafe"), "{what}: {policy}");
    assert_eq!(header("x-content-type-options"), "nosniff", "{what}");
    assert_eq!(header("x-frame-options"), "DENY", "{what}");
    assert_eq!(header("referrer-policy"), "same-origin", "{what}");
}

#[tokio::test]
async fn every_answer_carries_the_security_headers() {
    let app = spawn_app().await;
    for path in [
        "/",
        "/book?location=raadhuset",
        "/staff/login",
        "/tickets/nothing",
        "/no/such/page",
        "/api/v1/locations",
        "/api/v1/nothing",
        "/health",
        "/metrics",
        "/static/skranke.css",
        "/api/openapi.json",
    ] {
        assert_strict(&app.get(path).await, path);
    }
    let put = app.client.put(app.url("/health")).send().await.unwrap();
    assert_strict(&put, "PUT /health");
    assert!(!app
        .get("/")
        .await
        .headers()
        .contains_key("strict-transport-security"));

    // Behind HTTPS, browsers are told to come back by HTTPS only.
    let https =
        spawn_app_with(|s| s.public_url = Some("https://skranke.kommune.dk".parse().unwrap()))
            .await;
    let hsts = https.get("/").await.headers()["strict-transport-security"].clone();
    assert!(hsts.to_str().unwrap().starts_with("max-age="), "{hsts:?}");
}

#[tokio::test]
async fn the_display_may_be_framed_by_the_configured_sites_only() {
    let strict = spawn_app().await;
    let display = strict.get("/locations/raadhuset/display").await;
    assert_strict(&display, "the display by default");

    let embeddable = spawn_app_with(|s| {
        s.display_frame_ancestors = "'self' https://info.kommune.dk".into();
    })
    .await;
    let display = embeddable.get("/locations/raadhuset/display").await;
    let policy = display.headers()["content-security-policy"]
        .to_str()
        .unwrap();
    assert!(
        policy.ends_with("frame-ancestors 'self' https://info.kommune.dk"),
        "{policy}"
    );
    assert!(
        policy.contains("script-src 'self'") && !policy.contains("unsafe"),
        "{policy}"
    );
    assert!(!display.headers().contains_key("x-frame-options"));
    assert_eq!(display.headers()["x-content-type-options"], "nosniff");
    // Only the display: every other page stays unframeable.
    assert_strict(&embeddable.get("/").await, "the front page");
}

/// Every page's script and style come from files: no inline `<script>`, no `on…=`
/// handler, no `<style>` or `style=` in the templates, the kiosk's page or the markup the
/// server writes into pages.
#[test]
fn no_page_carries_inline_script_or_style() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut pages: Vec<(String, String)> = Vec::new();
    for dir in ["web/templates", "kiosk/web"] {
        for entry in std::fs::read_dir(root.join(dir)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "html") {
                pages.push((
                    path.display().to_string(),
                    std::fs::read_to_string(&path).unwrap(),
                ));
            }
        }
    }
    assert!(
        pages.len() > 10,
        "the templates were found: {}",
        pages.len()
    );
    for lang in [
        skranke::domain::booking::Language::Da,
        skranke::domain::booking::Language::En,
    ] {
        pages.push((
            format!("plan_html::legend({lang:?})"),
            skranke::report::plan_html::legend(lang),
        ));
    }
    for (name, html) in &pages {
        let lower = html.to_lowercase();
        for script in lower.split("<script").skip(1) {
            let tag = script.split('>').next().unwrap();
            assert!(tag.contains("src="), "{name}: an inline <script>");
        }
        assert!(!lower.contains("<style"), "{name}: a <style> element");
        for (i, _) in lower.match_indices("style=") {
            let before = lower[..i].chars().last().unwrap_or(' ');
            assert!(
                before.is_alphanumeric() || before == '-',
                "{name}: a style attribute"
            );
        }
        for word in lower.split(|c: char| c.is_whitespace() || c == '<') {
            let handler = word.starts_with("on")
                && word.split('=').next().is_some_and(|a| {
                    a.len() > 2 && a.chars().all(|c| c.is_ascii_lowercase()) && word.contains('=')
                });
            assert!(!handler, "{name}: an inline event handler {word}");
        }
    }
}

async fn booked(app: &TestApp) -> (String, String) {
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
        .await;
    let body: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"],
            "citizen": {"name": "Gemt Ikke", "email": "gemt.ikke@example.dk"}
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    (
        body["reference"].as_str().unwrap().to_owned(),
        body["token"].as_str().unwrap().to_owned(),
    )
}

#[tokio::test]
async fn pages_and_answers_with_a_manage_token_are_not_stored() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let (reference, token) = booked(&app).await;
    for path in [
        format!("/appointments/{reference}?token={token}"),
        format!("/appointments/{reference}/move?token={token}"),
        format!("/api/v1/appointments/{reference}?token={token}"),
        format!("/api/v1/appointments/{reference}/calendar.ics?token={token}"),
        format!("/waitlist/{reference}/offer?token={token}"),
        format!("/waitlist/{reference}/leave?token={token}"),
    ] {
        let response = app.get(&path).await;
        assert_eq!(
            response
                .headers()
                .get("cache-control")
                .map(|v| v.to_str().unwrap()),
            Some("no-store"),
            "{path} ({})",
            response.status()
        );
    }

    // The confirmation page after booking by form shows the manage link.
    let citizen = reqwest::Client::builder()
        .cookie_store(true)
        .build()
        .unwrap();
    let form = citizen
        .get(app.url("/book?location=raadhuset&service=pas&day=2027-04-01"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let confirmation = citizen
        .post(app.url("/book"))
        .form(&[
            ("location", "raadhuset"),
            ("service", "pas"),
            ("start", &value_after(&form, "name=\"start\"")),
            ("name", "Form Borger"),
            ("email", "form.borger@example.dk"),
            ("form_token", &value_after(&form, "name=\"form_token\"")),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(confirmation.status(), 200);
    assert_eq!(confirmation.headers()["cache-control"], "no-store");
    assert!(confirmation.text().await.unwrap().contains("token="));

    // What may be cached says so itself.
    let css = app.get("/static/skranke.css").await;
    assert!(css.headers()["cache-control"]
        .to_str()
        .unwrap()
        .starts_with("public"));
}

// --- Redirects -----------------------------------------------------------------------

#[tokio::test]
async fn the_language_switch_never_leads_to_another_site() {
    let app = spawn_app().await;
    let no_redirects = redirects_shown();
    let host = app.base.trim_start_matches("http://");
    for referer in [
        format!("http://{host}//evil.example/x"),
        format!("http://{host}/\\evil.example/x"),
        format!("http://{host}/%2F/evil.example/x"),
        format!("http://{host}///evil.example"),
    ] {
        let back = no_redirects
            .get(app.url("/language/en"))
            .header("referer", &referer)
            .send()
            .await
            .unwrap();
        assert_eq!(back.status(), 303);
        let location = back.headers()["location"].to_str().unwrap();
        assert!(
            location.starts_with('/')
                && !location.starts_with("//")
                && !location.starts_with("/\\"),
            "{referer} → {location}"
        );
        assert!(
            location == "/?lang=en" || location.starts_with("/%2F"),
            "{referer} → {location}"
        );
    }
}

// --- Errors on the contract ----------------------------------------------------------

/// What a browser asks for when it opens a page or sends a form.
const BROWSER_ACCEPT: &str = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";

fn megabyte() -> String {
    "x".repeat(1024 * 1024)
}

fn content_type(response: &reqwest::Response) -> String {
    response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned()
}

#[tokio::test]
async fn bodies_over_the_limit_are_413_in_the_contracts_form() {
    let app = spawn_app().await;
    let form = app
        .client
        .post(app.url("/book"))
        .header("accept", BROWSER_ACCEPT)
        .form(&[("location", "raadhuset"), ("name", megabyte().as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), 413);
    assert!(
        content_type(&form).starts_with("text/html"),
        "an error page"
    );
    let page = form.text().await.unwrap();
    assert!(page.contains("413") && page.contains("<h1>"), "{page}");

    let json = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({"location": "raadhuset", "citizen": {"name": megabyte()}}))
        .send()
        .await
        .unwrap();
    expect_problem(json, 413).await;

    let admin = app.login("admin").await;
    let publish = app
        .client
        .post(app.url("/api/v1/rosters/1/publish"))
        .bearer_auth(&admin)
        .header("content-type", "application/json")
        .body(megabyte())
        .send()
        .await
        .unwrap();
    expect_problem(publish, 413).await;
}

#[tokio::test]
async fn a_method_the_path_does_not_take_is_405_with_allow() {
    let app = spawn_app().await;
    let put = app.client.put(app.url("/health")).send().await.unwrap();
    assert_eq!(put.headers()["allow"], "GET");
    let problem = expect_problem(put, 405).await;
    assert!(
        problem["detail"].as_str().unwrap().contains("GET"),
        "{problem}"
    );

    let delete = app
        .client
        .delete(app.url("/api/v1/rosters/1/publish"))
        .send()
        .await
        .unwrap();
    assert_eq!(delete.headers()["allow"], "POST");
    expect_problem(delete, 405).await;

    let page = app
        .client
        .delete(app.url("/book"))
        .header("accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    assert_eq!(page.status(), 405);
    let allow = page.headers()["allow"].to_str().unwrap().to_owned();
    assert!(allow.contains("GET") && allow.contains("POST"), "{allow}");
    assert!(content_type(&page).starts_with("text/html"));

    expect_problem(app.get("/api/v1/no-such-thing").await, 404).await;
    let missing = app
        .client
        .get(app.url("/no-such-page?lang=en"))
        .header("accept", BROWSER_ACCEPT)
        .send()
        .await
        .unwrap();
    assert_eq!(missing.status(), 404);
    assert!(content_type(&missing).starts_with("text/html"));
    assert!(missing.text().await.unwrap().contains("<html lang=\"en\">"));
    // A script asking the same gets the problem document.
    expect_problem(app.get("/no-such-page").await, 404).await;
}

#[tokio::test]
async fn a_page_refusing_a_form_shows_an_error_page() {
    let app = spawn_app().await;
    let incomplete = app
        .client
        .post(app.url("/book"))
        .header("accept", BROWSER_ACCEPT)
        .form(&[("location", "raadhuset")])
        .send()
        .await
        .unwrap();
    assert_eq!(incomplete.status(), 400);
    assert!(content_type(&incomplete).starts_with("text/html"));
    let page = incomplete.text().await.unwrap();
    assert!(page.contains("<main id=\"main\">"), "{page}");
}

// --- /metrics ------------------------------------------------------------------------

const SCRAPE_TOKEN: &str = "skrab-token-til-prometheus-1";

fn with_token(settings: &mut Settings) {
    settings.metrics_token = Some(skranke::app::metrics::ScrapeToken::new(SCRAPE_TOKEN));
}

#[tokio::test]
async fn the_metrics_need_their_token_when_one_is_set() {
    let app = spawn_app_with(with_token).await;
    let scrape = |token: Option<&'static str>| {
        let mut request = app.client.get(app.url("/metrics"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };
    for token in [None, Some("skrab-token-til-prometheus-2"), Some("")] {
        let refused = scrape(token).await.unwrap();
        assert_eq!(refused.headers()["www-authenticate"], "Bearer");
        let problem = expect_problem(refused, 401).await;
        assert!(
            !problem.to_string().contains("skranke_"),
            "no figures: {problem}"
        );
    }
    let allowed = scrape(Some(SCRAPE_TOKEN)).await.unwrap();
    assert_eq!(allowed.status(), 200);
    assert!(allowed
        .text()
        .await
        .unwrap()
        .contains("skranke_event_streams_open"));
    // Open without a token set, as before.
    assert_eq!(spawn_app().await.get("/metrics").await.status(), 200);
}

#[tokio::test]
async fn the_metrics_on_an_address_of_their_own_are_there_only() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let clock = Arc::new(ManualClock::new(monday_morning()));
    seed(&mut pool.get().unwrap(), monday_morning());
    let mut settings = settings(&db);
    with_token(&mut settings);
    settings.metrics_bind = Some("127.0.0.1:0".into());
    let application = build(&settings, Some(pool), clock);
    let main_address = application.address();
    let metrics_address = application.metrics_address().expect("metrics apart");
    let stopper = application.stopper();
    tokio::spawn(application.run_until_stopped());
    let client = reqwest::Client::new();
    let get = |address: std::net::SocketAddr, path: &str, token: Option<&str>| {
        let mut request = client.get(format!("http://{address}{path}"));
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        request.send()
    };

    let on_main = get(main_address, "/metrics", Some(SCRAPE_TOKEN))
        .await
        .unwrap();
    assert_eq!(on_main.status(), 404, "not on the main address");
    assert_eq!(
        get(main_address, "/health", None).await.unwrap().status(),
        200
    );
    let apart = get(metrics_address, "/metrics", Some(SCRAPE_TOKEN))
        .await
        .unwrap();
    assert_eq!(apart.status(), 200);
    let text = apart.text().await.unwrap();
    assert!(
        text.contains("route=\"/health\""),
        "the main server's requests are counted: {text}"
    );
    expect_problem(get(metrics_address, "/metrics", None).await.unwrap(), 401).await;
    expect_problem(get(metrics_address, "/health", None).await.unwrap(), 404).await;
    stopper.stop_now();
}

// --- The role before the body --------------------------------------------------------

fn roster_body() -> Value {
    json!({
        "locations": ["raadhuset"],
        "period": "2027-W14",
        "target": {"service_level": 0.8, "within_minutes": 10},
    })
}

/// A POST with a JSON body; with a bearer token, or from a client that never signed in.
async fn post_raw(
    app: &TestApp,
    token: Option<&str>,
    path: &str,
    body: String,
) -> reqwest::Response {
    let client = match token {
        Some(_) => app.client.clone(),
        None => reqwest::Client::new(),
    };
    let mut request = client
        .post(app.url(path))
        .header("content-type", "application/json")
        .body(body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    request.send().await.unwrap()
}

#[tokio::test]
async fn a_caller_without_the_role_is_refused_whatever_its_body() {
    let app = spawn_app().await;
    let mut conn = app.pool.get().unwrap();
    let mut spec = skranke::app::demo::organisation().unwrap();
    let mut planner = spec.staff[0].clone();
    planner.username = "planlaegger".into();
    planner.roles = [skranke::domain::organisation::Role::Planner].into();
    planner.password_hash = None;
    spec.staff.push(planner);
    skranke::app::organisation::import(&mut conn, &spec, monday_morning()).unwrap();
    skranke::app::auth::set_password(&mut conn, "planlaegger", PASSWORD).unwrap();
    drop(conn);
    let staff = app.login("staff").await;
    let planner = app.login("planlaegger").await;

    let bodies = [
        roster_body().to_string(),
        "{\"locations\": ".to_owned(),
        json!({"period": 14}).to_string(),
        megabyte(),
    ];
    for body in &bodies {
        for path in ["/api/v1/rosters", "/api/v1/rosters/1/publish"] {
            let answer = post_raw(&app, Some(&staff), path, body.clone()).await;
            expect_problem(answer, 403).await;
            let anonymous = post_raw(&app, None, path, body.clone()).await;
            expect_problem(anonymous, 401).await;
        }
        for path in [
            "/api/v1/tickets/nothing/finish",
            "/api/v1/tickets/nothing/transfer",
        ] {
            let answer = post_raw(&app, Some(&planner), path, body.clone()).await;
            expect_problem(answer, 403).await;
        }
    }
    // With the role, the body is still checked.
    let bad = post_raw(
        &app,
        Some(&planner),
        "/api/v1/rosters",
        "{\"locations\": ".into(),
    )
    .await;
    expect_problem(bad, 400).await;
    let bad = post_raw(
        &app,
        Some(&staff),
        "/api/v1/tickets/nothing/finish",
        "{}".into(),
    )
    .await;
    let problem = expect_problem(bad, 422).await;
    assert_eq!(problem["errors"][0]["field"], "outcome", "{problem}");
}

// --- The demo --------------------------------------------------------------------------

#[test]
fn each_demo_user_has_a_hash_and_salt_of_its_own() {
    let db = TestDatabase::new();
    let pool = fresh_pool(&db);
    let mut conn = pool.get().unwrap();
    skranke::app::demo::ensure(&mut conn, monday_morning(), Some("demo-kodeord-1")).unwrap();
    let mut hash = |username: &str| {
        skranke::store::staff::find_by_username(&mut conn, username)
            .unwrap()
            .and_then(|u| u.password_hash)
            .expect("a password is set")
    };
    let (admin, staff) = (hash("admin"), hash("staff"));
    assert_ne!(admin, staff, "one hash for two users");
    let salt = |phc: &str| phc.split('$').nth(4).unwrap().to_owned();
    assert_ne!(salt(&admin), salt(&staff), "one salt for two users");
}
