//! Spawning the app on a fresh database, and small helpers the tests share.

use std::sync::Arc;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::PgConnection;
use skranke::app;
use skranke::app::events::Events;
use skranke::app::outbox::{deliver_due, Delivery};
use skranke::clock::{Clock as _, ManualClock};
use skranke::config::Settings;
use skranke::startup::{Application, Provided, Stopper};
use skranke::store::{self, DatabaseUrl, DbConnection, Pool};

/// The password the test organisation's staff sign in with.
pub const PASSWORD: &str = "testkodeord-123";

/// A Monday morning in Copenhagen, before opening.
pub fn monday_morning() -> DateTime<Utc> {
    "2027-03-29T06:00:00Z".parse().unwrap()
}

/// A database of its own for one test, removed when the test ends.
pub struct TestDatabase {
    pub url: DatabaseUrl,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDatabase {
    /// A database with the schema migrated.
    pub fn new() -> Self {
        match std::env::var("SKRANKE_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let template = migrated_template(&admin);
                Self::postgres_from(admin, Some(template))
            }
            _ => Self::sqlite(),
        }
    }

    /// A database with nothing in it, not even the schema.
    pub fn empty() -> Self {
        match std::env::var("SKRANKE_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => Self::postgres_from(admin, None),
            _ => Self::sqlite(),
        }
    }

    fn sqlite() -> Self {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let path = dir.path().join("skranke.db");
        Self {
            url: DatabaseUrl::Sqlite(path.to_string_lossy().into_owned()),
            _dir: Some(dir),
            pg_admin: None,
        }
    }

    /// A database of PostgreSQL's own making: empty, or a copy of `template`.
    fn postgres_from(admin: String, template: Option<&str>) -> Self {
        assert!(
            admin.starts_with("postgres://") || admin.starts_with("postgresql://"),
            "SKRANKE_TEST_DATABASE_URL must be a postgres:// URL"
        );
        let name = format!("skranke_test_{}", &skranke::app::auth::random_token()[..16]);
        let mut conn = PgConnection::establish(&admin).unwrap_or_else(|e| {
            panic!("PostgreSQL at SKRANKE_TEST_DATABASE_URL is not reachable: {e}")
        });
        let template = template.map_or(String::new(), |t| format!(" TEMPLATE {t}"));
        diesel::sql_query(format!("CREATE DATABASE {name}{template}"))
            .execute(&mut conn)
            .unwrap();
        let mut url = url::Url::parse(&admin).unwrap();
        url.set_path(&format!("/{name}"));
        Self {
            url: DatabaseUrl::Postgres(url.to_string()),
            _dir: None,
            pg_admin: Some((admin, name)),
        }
    }

    /// The URL as the CLI takes it.
    pub fn url_string(&self) -> String {
        match &self.url {
            DatabaseUrl::Sqlite(path) => path.clone(),
            DatabaseUrl::Postgres(url) => url.clone(),
        }
    }
}

/// A database that a test process makes once and copies for every test that wants what it
/// holds: a copy takes a fraction of the time that making it takes. It is kept in a static,
/// which is never dropped, so on SQLite it is kept as the file's bytes, in memory, and no
/// file of it is left behind when the process exits.
pub enum Original {
    Sqlite(Vec<u8>),
    Postgres(TestDatabase),
}

impl Original {
    /// `db`, from now on only to be copied; nothing may be connected to it.
    pub fn of(db: TestDatabase) -> Self {
        match &db.url {
            DatabaseUrl::Sqlite(path) => {
                let mut conn = diesel::SqliteConnection::establish(path).unwrap();
                // Read through SQLite, with what its write-ahead log holds, as a file copy
                // might not.
                let image = conn.serialize_database_to_buffer();
                Self::Sqlite(image.try_as_slice().expect("the database read").to_vec())
            }
            DatabaseUrl::Postgres(_) => Self::Postgres(db),
        }
    }

    /// A database of its own holding what the original holds.
    pub fn copy(&self) -> TestDatabase {
        match self {
            Self::Sqlite(image) => {
                let copy = TestDatabase::sqlite();
                std::fs::write(copy.url_string(), image).expect("the database copied");
                copy
            }
            // PostgreSQL copies it as a template.
            Self::Postgres(db) => {
                let (admin, name) = db.pg_admin.as_ref().expect("a PostgreSQL database");
                TestDatabase::postgres_from(admin.clone(), Some(name))
            }
        }
    }
}

/// The name of a PostgreSQL database that holds the schema of this tree's migrations and
/// nothing else, made once (by whichever test process comes first) and kept: each test's
/// database is a copy of it, which PostgreSQL makes in a fraction of the time that running
/// the migrations takes. The name says which migrations it holds, so a changed migration
/// gets a template of its own.
fn migrated_template(admin: &str) -> &'static str {
    static TEMPLATE: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let name = format!("skranke_template_{:016x}", migrations_hash());
        let mut conn = PgConnection::establish(admin).expect("PostgreSQL for the tests");
        if !database_exists(&mut conn, &name) {
            // Made under a name of its own and renamed when complete, so that another
            // process never copies a template half migrated.
            let made = TestDatabase::postgres_from(admin.to_owned(), None);
            let DatabaseUrl::Postgres(url) = &made.url else {
                unreachable!("a PostgreSQL database")
            };
            // One connection, closed before the database is renamed and copied.
            store::migrate(&mut DbConnection::Postgres(
                PgConnection::establish(url).unwrap(),
            ))
            .unwrap();
            let (_, unfinished) = made.pg_admin.as_ref().unwrap();
            let renamed =
                diesel::sql_query(format!("ALTER DATABASE {unfinished} RENAME TO {name}"))
                    .execute(&mut conn);
            // Another process finished first: its template serves, this one is dropped.
            assert!(
                renamed.is_ok() || database_exists(&mut conn, &name),
                "{renamed:?}"
            );
            if renamed.is_ok() {
                std::mem::forget(made);
            }
        }
        name
    })
}

fn database_exists(conn: &mut PgConnection, name: &str) -> bool {
    diesel::sql_query(format!(
        "SELECT 1 FROM pg_database WHERE datname = '{name}'"
    ))
    .execute(conn)
    .unwrap()
        == 1
}

/// A digest of the PostgreSQL migrations' folder names and texts.
fn migrations_hash() -> u64 {
    use std::hash::{Hash, Hasher};
    // The server's package, or the page tests' beside it.
    let package = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let dir = [package, &package.join("..")]
        .map(|p| p.join("migrations/postgres"))
        .into_iter()
        .find(|d| d.is_dir())
        .expect("the migrations");
    let mut folders: Vec<_> = std::fs::read_dir(&dir)
        .expect("the migrations")
        .map(|e| e.unwrap().path())
        .collect();
    folders.sort();
    // SipHash with fixed keys: the same digest in every process.
    let mut hasher = std::hash::DefaultHasher::new();
    for folder in folders {
        folder.file_name().hash(&mut hasher);
        for file in ["up.sql", "down.sql"] {
            std::fs::read_to_string(folder.join(file))
                .unwrap_or_default()
                .hash(&mut hasher);
        }
    }
    hasher.finish()
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        if let Some((admin, name)) = &self.pg_admin {
            if let Ok(mut conn) = PgConnection::establish(admin) {
                let _ = diesel::sql_query(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                    .execute(&mut conn);
            }
        }
    }
}

/// A running server with the demo organisation (without its history) and a clock the test moves.
pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: Arc<ManualClock>,
    pub pool: Pool,
    /// The server's live events, for a test that runs a worker's pass itself.
    pub events: Events,
    server: Stopper,
    _db: TestDatabase,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        // Stop the server's workers with the test, so that no pool outlives its database.
        // The command is sent here; nothing needs to wait for the workers to finish.
        self.server.stop_now();
    }
}

impl TestApp {
    /// The database's URL as the CLI takes it.
    pub fn database_url(&self) -> String {
        self._db.url_string()
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.client.get(self.url(path)).send().await.unwrap()
    }

    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        let response = self.get(path).await;
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// Sends a plain form of `fields` to `path` signed in by the bearer `token`: a form a
    /// bearer token signs needs no CSRF token, as no other site can send it.
    pub async fn post_form<K: AsRef<str>, V: AsRef<str>>(
        &self,
        token: &str,
        path: &str,
        fields: impl IntoIterator<Item = (K, V)>,
    ) -> reqwest::Response {
        let fields: Vec<(String, String)> = fields
            .into_iter()
            .map(|(k, v)| (k.as_ref().to_owned(), v.as_ref().to_owned()))
            .collect();
        self.client
            .post(self.url(path))
            .bearer_auth(token)
            .form(&fields)
            .send()
            .await
            .unwrap()
    }

    /// Sends what the outbox holds now through `mailer`, with the links of the tests' server.
    pub fn deliver_mail(&self, mailer: &skranke::app::mailer::Mailer) -> Delivery {
        deliver_due(&self.pool, mailer, "http://skranke.test", self.clock.now()).unwrap()
    }

    /// `GET path` signed in by the bearer `token`, which must answer 200: its JSON.
    pub async fn get_json_as(&self, token: &str, path: &str) -> serde_json::Value {
        let response = self
            .client
            .get(self.url(path))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "GET {path}");
        response.json().await.unwrap()
    }

    /// The audit's entries of `day` (`YYYY-MM-DD`, UTC), read with the bearer `token`.
    pub async fn audit_of_day(&self, token: &str, day: &str) -> Vec<serde_json::Value> {
        let path = format!("/api/v1/audit?from={day}&to={day}");
        let entries = self.get_json_as(token, &path).await;
        entries.as_array().expect("a list of entries").clone()
    }

    /// Books the first free passport time at the city hall on 31 March, with the booking's
    /// other fields from `fields` (its `citizen`, `language`, …): the booking.
    pub async fn book_first_passport(&self, fields: serde_json::Value) -> serde_json::Value {
        let slots = self
            .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31")
            .await;
        let mut body = serde_json::json!({
            "location": "raadhuset", "service": "pas", "start": slots[0]["start"]
        });
        for (key, value) in fields.as_object().expect("the booking's fields") {
            body[key] = value.clone();
        }
        let response = self
            .client
            .post(self.url("/api/v1/appointments"))
            .json(&body)
            .send()
            .await
            .unwrap();
        let status = response.status();
        let booked: serde_json::Value = response.json().await.unwrap();
        assert_eq!(status, 201, "{booked}");
        booked
    }

    /// Takes a ticket at the city hall's door for `service`, as the kiosk does: the ticket.
    pub async fn walk_in(&self, service: &str) -> serde_json::Value {
        let response = self
            .client
            .post(self.url("/api/v1/tickets"))
            .json(&serde_json::json!({"location": "raadhuset", "service": service}))
            .send()
            .await
            .unwrap();
        let status = response.status();
        let ticket: serde_json::Value = response.json().await.unwrap();
        assert_eq!(status, 201, "a ticket for {service}: {ticket}");
        ticket
    }

    /// Signs in and returns the bearer token.
    pub async fn login(&self, username: &str) -> String {
        let response = self
            .client
            .post(self.url("/api/v1/auth/login"))
            .json(&serde_json::json!({"username": username, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 200, "signing in as {username}");
        let body: serde_json::Value = response.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }
}

/// A caller of the API signed in with a bearer token.
pub struct SignedIn<'a> {
    pub app: &'a TestApp,
    pub token: String,
}

impl<'a> SignedIn<'a> {
    /// Signs in as `username`.
    pub async fn new(app: &'a TestApp, username: &str) -> Self {
        Self {
            token: app.login(username).await,
            app,
        }
    }

    /// A POST with this token and, when given, a JSON body.
    pub async fn post(&self, path: &str, body: Option<serde_json::Value>) -> reqwest::Response {
        let mut request = self
            .app
            .client
            .post(self.app.url(path))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        request.send().await.unwrap()
    }

    /// What a POST answers in JSON, whatever its status.
    pub async fn post_json(
        &self,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> serde_json::Value {
        self.post(path, body).await.json().await.unwrap()
    }

    /// Asserts that a POST is refused with a problem+json of this status; its body.
    pub async fn refused(
        &self,
        path: &str,
        body: Option<serde_json::Value>,
        status: u16,
    ) -> serde_json::Value {
        expect_problem(self.post(path, body).await, status).await
    }

    /// What a GET with this token answers in JSON, whatever its status.
    pub async fn get_json(&self, path: &str) -> serde_json::Value {
        signed_in_json(&self.app.client, &self.app.url(path), &self.token).await
    }

    /// The desks of the city hall that serve `service`.
    pub async fn desks_for(&self, service: &str) -> Vec<i64> {
        desks_serving(
            &self.app.client,
            &self.app.base,
            &self.token,
            ("raadhuset", service),
        )
        .await
    }
}

/// The address a `skranke serve` or `skranke demo` child says it serves at on its standard
/// output (`Skranke is at …`), without a trailing slash.
pub fn announced_base(child: &mut std::process::Child) -> String {
    use std::io::BufRead as _;
    let stdout = std::io::BufReader::new(child.stdout.take().expect("a piped standard output"));
    stdout
        .lines()
        .map_while(Result::ok)
        .find_map(|line| {
            line.strip_prefix("Skranke is at ")
                .map(|b| b.trim_end_matches('/').to_owned())
        })
        .expect("the server says where it serves")
}

/// The city hall's desks as the desks API lists them to `token`.
pub async fn city_hall_desks(app: &TestApp, token: &str) -> Vec<serde_json::Value> {
    let desks = signed_in_json(
        &app.client,
        &app.url("/api/v1/locations/raadhuset/desks"),
        token,
    )
    .await;
    desks.as_array().expect("a list of desks").clone()
}

/// The first of the city hall's desks that serves `service`, as the desks API lists it.
pub async fn city_hall_desk_serving(
    app: &TestApp,
    token: &str,
    service: &str,
) -> serde_json::Value {
    city_hall_desks(app, token)
        .await
        .into_iter()
        .find(|d| {
            d["services"]
                .as_array()
                .expect("each desk's errands")
                .iter()
                .any(|s| s == service)
        })
        .unwrap_or_else(|| panic!("no desk serves {service}"))
}

/// The city hall's desk called `name`, as the desks API lists it.
pub async fn city_hall_desk_named(app: &TestApp, token: &str, name: &str) -> serde_json::Value {
    city_hall_desks(app, token)
        .await
        .into_iter()
        .find(|d| d["name"] == name)
        .unwrap_or_else(|| panic!("no desk {name}"))
}

/// The value of the first field after `marker` in a page (`name="start"`), as a browser
/// without JavaScript would send it back.
pub fn value_after(html: &str, marker: &str) -> String {
    html.split(marker)
        .nth(1)
        .and_then(|rest| rest.split("value=\"").nth(1))
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no {marker} in {html}"))
        .to_owned()
}

/// Opens a pool on a fresh database with the schema migrated.
pub fn fresh_pool(db: &TestDatabase) -> Pool {
    store::connect(&db.url, 8).expect("connecting to the test database")
}

/// Imports the demo organisation (no history) and gives admin and staff [`PASSWORD`].
pub fn seed(conn: &mut DbConnection, now: DateTime<Utc>) {
    let spec = app::demo::organisation().unwrap();
    app::organisation::import(conn, &spec, now).unwrap();
    for user in ["admin", "staff"] {
        app::auth::set_password(conn, user, PASSWORD).unwrap();
    }
}

/// A database of its own holding what [`seed`] makes on [`monday_morning`]: each test
/// process seeds one database and copies it for every test (see [`Original`]).
pub fn seeded_database() -> TestDatabase {
    static SEEDED: std::sync::OnceLock<Original> = std::sync::OnceLock::new();
    SEEDED
        .get_or_init(|| {
            let db = TestDatabase::new();
            // The pool, and so every connection, is closed before the database is copied.
            seed(&mut fresh_pool(&db).get().unwrap(), monday_morning());
            Original::of(db)
        })
        .copy()
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// The settings of a test's server on `db`: the defaults, a loopback address of its own
/// (see [`loopback_address`]) with a free port, the public base the tests' links use.
pub fn settings(db: &TestDatabase) -> Settings {
    Settings {
        database_url: db.url_string(),
        bind: format!("{}:0", loopback_address()),
        public_url: Some("http://skranke.test".parse().unwrap()),
        db_pool_size: 8,
        ..Settings::default()
    }
}

/// An address on loopback that no other server of this test process had: 127.0.0.2,
/// 127.0.0.3, … (Linux routes all of 127.0.0.0/8 to `lo`). Cookies are kept per host, not
/// per port, so a browser that the page tests share between tests sends no cookie of one
/// test's server to another's.
pub fn loopback_address() -> std::net::Ipv4Addr {
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(2);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    assert!(n < 1 << 24, "loopback addresses used up");
    std::net::Ipv4Addr::from(0x7f00_0000 | n)
}

/// The application on `settings` with the test's clock, without the background workers:
/// a test runs their passes itself (`deliver_due`, `tick`) when it wants them.
pub fn build(settings: &Settings, pool: Option<Pool>, clock: Arc<ManualClock>) -> Application {
    let provided = Provided {
        pool,
        clock: Some(clock),
        without_workers: true,
        ..Provided::default()
    };
    Application::build_with(settings, provided).expect("building the application")
}

/// [`spawn_app`] with the settings changed first (other costs, limits, streams).
pub async fn spawn_app_with(change: impl FnOnce(&mut Settings)) -> TestApp {
    let db = seeded_database();
    let mut settings = settings(&db);
    change(&mut settings);
    let pool = fresh_pool(&db);
    let clock = Arc::new(ManualClock::new(monday_morning()));
    let application = build(&settings, Some(pool.clone()), clock.clone());
    let (address, server) = (application.address(), application.stopper());
    let events = application.state().events.clone();
    tokio::spawn(application.run_until_stopped());
    TestApp {
        base: format!("http://{address}"),
        client: reqwest::Client::builder()
            .cookie_store(true)
            // Shorter than the server's keep-alive (5 s): a connection the server may be
            // closing at that moment is never reused, which would fail the request sent on it.
            .pool_idle_timeout(std::time::Duration::from_secs(2))
            .build()
            .unwrap(),
        clock,
        pool,
        events,
        server,
        _db: db,
    }
}

/// A second server process on the same database as `app`, as behind a load balancer.
pub struct Sibling {
    pub base: String,
    server: Stopper,
}

impl Drop for Sibling {
    fn drop(&mut self) {
        self.server.stop_now();
    }
}

pub async fn spawn_sibling(app: &TestApp) -> Sibling {
    let application = build(&settings(&app._db), None, app.clock.clone());
    let (address, server) = (application.address(), application.stopper());
    tokio::spawn(application.run_until_stopped());
    Sibling {
        base: format!("http://{address}"),
        server,
    }
}

/// Whether the tests run on PostgreSQL, where several server processes share events.
pub fn on_postgres(app: &TestApp) -> bool {
    matches!(app._db.url, DatabaseUrl::Postgres(_))
}

/// Waits until `done` holds, asking again every 20 ms; the limit of 90 seconds only turns
/// a hang into a failure that says what did not happen.
pub async fn eventually<F, Fut>(what: &str, mut done: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let waiting = async {
        while !done().await {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(90), waiting)
        .await
        .unwrap_or_else(|_| panic!("{what} did not happen"));
}

/// A client that shows each redirect instead of following it, for the tests of where a
/// page sends the browser.
pub fn redirects_shown() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// A client that keeps its cookies as a browser does and shows each redirect instead of
/// following it.
pub fn browser_like() -> reqwest::Client {
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .cookie_store(true)
        .build()
        .unwrap()
}

/// Of the answers to requests that raced for one thing, how many took it (201) and how many
/// were refused for it (409).
pub fn won_and_refused(statuses: &[u16]) -> (usize, usize) {
    let count = |status: u16| statuses.iter().filter(|s| **s == status).count();
    (count(201), count(409))
}

/// Asserts a problem+json answer with this status and returns its body.
pub async fn expect_problem(response: reqwest::Response, status: u16) -> serde_json::Value {
    assert_eq!(response.status(), status);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert_eq!(content_type, "application/problem+json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["status"], status);
    assert!(body["title"].is_string() && body["type"].is_string());
    assert!(!body["detail"].as_str().unwrap().is_empty());
    body
}

/// What `url` answers in JSON to a GET signed in with `token`.
pub async fn signed_in_json(client: &reqwest::Client, url: &str, token: &str) -> serde_json::Value {
    let response = client.get(url).bearer_auth(token).send().await.unwrap();
    response.json().await.unwrap()
}

/// The ids of the desks at `location` that serve `service`, as the desks API lists them.
pub async fn desks_serving(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    (location, service): (&str, &str),
) -> Vec<i64> {
    let desks = signed_in_json(
        client,
        &format!("{base}/api/v1/locations/{location}/desks"),
        token,
    )
    .await;
    desks
        .as_array()
        .expect("a list of desks")
        .iter()
        .filter(|d| {
            d["services"]
                .as_array()
                .expect("each desk's errands")
                .iter()
                .any(|s| s == service)
        })
        .map(|d| d["id"].as_i64().expect("a desk id"))
        .collect()
}

/// A POST signed in with `token` that must succeed; its JSON answer (null when none).
pub async fn signed_in_post(
    app: &TestApp,
    token: &str,
    path: &str,
    body: Option<serde_json::Value>,
) -> serde_json::Value {
    let mut request = app.client.post(app.url(path)).bearer_auth(token);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let response = request.send().await.unwrap();
    assert!(response.status().is_success(), "POST {path}");
    response.json().await.unwrap_or(serde_json::Value::Null)
}

/// A walk-in at the Rådhuset for `service`, called to `desk` (open) by `staff`, served and
/// finished as resolved; its ticket id.
pub async fn finished_walk_in(app: &TestApp, staff: &str, desk: i64, service: &str) -> String {
    let ticket = app.walk_in(service).await;
    let id = ticket["id"].as_str().expect("a ticket").to_owned();
    let called = signed_in_post(app, staff, &format!("/api/v1/desks/{desk}/call-next"), None).await;
    assert_eq!(called["id"], id.as_str(), "the walk-in is called");
    signed_in_post(app, staff, &format!("/api/v1/tickets/{id}/start"), None).await;
    let resolved = Some(serde_json::json!({"outcome": "resolved"}));
    signed_in_post(
        app,
        staff,
        &format!("/api/v1/tickets/{id}/finish"),
        resolved,
    )
    .await;
    id
}
