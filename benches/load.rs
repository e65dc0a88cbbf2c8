//! Skranke under a rush, measured as an outside client sees it: `skranke demo` writes the
//! demo municipality and its year of history and stops, then `skranke serve` runs on that
//! database as its own process and 16 clients on the same machine send it free-time lookups,
//! bookings, walk-in tickets (with 0, 1,000 and 5,000 already waiting) and call-next → start
//! → finish cycles. Each row prints requests per second and the 99th percentile latency; the
//! last lines the serving server's peak memory and that of the demo's seeding, which is not
//! the load's. At the end, the rows of every backend as one table beside
//! the aims, with the tickets' rate at 5,000 waiting as a share of that at 0.
//!
//! `cargo bench --bench load` on SQLite; with `SKRANKE_TEST_DATABASE_URL=postgres://…` on a
//! fresh PostgreSQL database as well, both in one run. Words after `--` pick rows by name
//! (`cargo bench --bench load -- lookups tickets`: lookups, bookings, tickets, calls); without
//! them every row runs. `SKRANKE_BIN` names another build's binary to measure, so that two
//! builds can be timed against each other by the same load.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use futures::future::join_all;
use serde_json::{json, Value};

#[allow(dead_code)]
#[path = "../tests/api/helpers.rs"]
mod helpers;

const CLIENTS: usize = 16;
/// How long each row's load runs.
const SECONDS: u64 = 5;
/// Tuesday 30 March 2027 (after Easter), 10:30 in Copenhagen: the city hall is open.
const NOW: &str = "2027-03-30T08:30:00Z";
const PASSWORD: &str = "bench-kodeord-1";
/// Tickets measured at each queue length.
const TICKETS_PER_ROW: usize = 1_000;

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let dir = std::env::temp_dir().join(format!("skranke-load-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut backends = vec![(
        "SQLite",
        format!("sqlite://{}", dir.join("load.db").display()),
    )];
    // A fresh PostgreSQL database, dropped again at the end.
    let postgres = std::env::var("SKRANKE_TEST_DATABASE_URL")
        .is_ok()
        .then(helpers::TestDatabase::new);
    if let Some(db) = &postgres {
        backends.push(("PostgreSQL", db.url_string()));
    }
    println!(
        "{CLIENTS} concurrent clients, {SECONDS} s per row, server and clients on the same cores"
    );
    let rows = Rows::from_args();
    let mut measured = Vec::new();
    for (name, url) in backends {
        println!("\n{name}");
        measured.push((name, runtime.block_on(run(&url, &rows))));
    }
    print_table(&measured);
    let _ = std::fs::remove_dir_all(dir);
}

/// What one row measured, by its name in the table.
#[derive(Default)]
struct Measured(Vec<(String, String)>);

impl Measured {
    fn add(&mut self, row: &str, cell: String) {
        self.0.push((row.to_owned(), cell));
    }

    fn get(&self, row: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(r, _)| r == row)
            .map(|(_, c)| c.as_str())
    }
}

/// The aims per row, SQLite then PostgreSQL.
const AIMS: [(&str, &str, &str); 8] = [
    (LOOKUPS, "≥ 5,000/s, p99 ≤ 10 ms", "≥ 3,000/s, p99 ≤ 15 ms"),
    (BOOKINGS, "≥ 3,000/s, p99 ≤ 50 ms", "≥ 1,400/s, p99 ≤ 50 ms"),
    (
        TICKETS_0,
        "≥ 5,000/s, p99 ≤ 50 ms",
        "≥ 2,000/s, p99 ≤ 50 ms",
    ),
    (TICKETS_1000, "", ""),
    (
        TICKETS_5000,
        "within 20 % of 0 waiting",
        "within 20 % of 0 waiting",
    ),
    (CALLS, "≥ 2,000/s", "≥ 1,000/s"),
    (MEMORY, "≤ 60 MB", "≤ 60 MB"),
    (SEEDING, "", ""),
];

const LOOKUPS: &str = "free-time lookups (one errand, one day)";
const BOOKINGS: &str = "bookings (distinct free times)";
const TICKETS_0: &str = "walk-in tickets, 0 already waiting";
const TICKETS_1000: &str = "walk-in tickets, 1000 already waiting";
const TICKETS_5000: &str = "walk-in tickets, 5000 already waiting";
const CALLS: &str = "call-next + start + finish";
const MEMORY: &str = "server peak memory";
const SEEDING: &str = "demo seeding's peak memory (not under load)";
const FLAT: &str = "tickets at 5,000 waiting / at 0";

/// Every backend's rows side by side, as a Markdown table, with the aims beside them.
fn print_table(measured: &[(&str, Measured)]) {
    let mut header = String::from("\n| |");
    let mut rule = String::from("|---|");
    for (name, _) in measured {
        header.push_str(&format!(" {name} | aim |"));
        rule.push_str("---|---|");
    }
    println!("{header}\n{rule}");
    let aims = AIMS.iter().map(|(row, sqlite, pg)| (*row, *sqlite, *pg));
    for (row, sqlite, pg) in aims.chain(std::iter::once((FLAT, "≥ 80 %", "≥ 80 %"))) {
        let mut line = format!("| {row} |");
        for (name, cells) in measured {
            let aim = if *name == "SQLite" { sqlite } else { pg };
            line.push_str(&format!(" {} | {aim} |", cells.get(row).unwrap_or("–")));
        }
        println!("{line}");
    }
}

/// A server on `database`, its address once it serves.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// `skranke demo` (which writes the demo first) or `skranke serve`.
    fn start(command: &str, database: &str) -> Server {
        let binary =
            std::env::var("SKRANKE_BIN").unwrap_or_else(|_| env!("CARGO_BIN_EXE_skranke").into());
        let mut child = Command::new(binary)
            .arg(command)
            .env("SKRANKE_DATABASE_URL", database)
            .env("SKRANKE_BIND", "127.0.0.1:0")
            .env("SKRANKE_NOW", NOW)
            .env("SKRANKE_DEMO_PASSWORD", PASSWORD)
            // Every client comes from one address: the limits are off, as for any load test.
            .env("SKRANKE_RATE_LIMIT_PER_MINUTE", "0")
            .env("SKRANKE_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the skranke binary runs");
        let base = helpers::announced_base(&mut child);
        Server { child, base }
    }

    /// The server's peak resident memory, in MB.
    fn peak_mb(&self) -> f64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .unwrap_or_default();
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Requests per second and latencies of one row.
struct Row {
    done: usize,
    refused: usize,
    took: Duration,
    latencies: Vec<Duration>,
}

impl Row {
    /// Prints the row, and says what it measured as a table's cell.
    fn print(mut self, what: &str) -> String {
        self.latencies.sort();
        let p99 = self
            .latencies
            .get((self.latencies.len() * 99 / 100).min(self.latencies.len().saturating_sub(1)))
            .copied()
            .unwrap_or_default();
        let refused = if self.refused > 0 {
            format!(" ({} refused)", self.refused)
        } else {
            String::new()
        };
        let rate = self.rate();
        println!(
            "  {what:<44} {rate:>7.0}/s  p99 {:>6.1} ms  {} done{refused}",
            self.p99_ms(p99),
            self.done
        );
        format!("{rate:.0}/s, p99 {:.0} ms", self.p99_ms(p99))
    }

    fn rate(&self) -> f64 {
        self.done as f64 / self.took.as_secs_f64()
    }

    fn p99_ms(&self, p99: Duration) -> f64 {
        p99.as_secs_f64() * 1000.0
    }
}

/// Runs `work(client, n)` from each of `clients` tasks until `until` says stop; `work` returns
/// whether the request did what it should.
async fn load<F, Fut>(clients: usize, until: Limit, work: F) -> Row
where
    F: Fn(usize, usize) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let started = Instant::now();
    let counter = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let tasks = (0..clients).map(|c| {
        let (work, counter) = (work.clone(), counter.clone());
        tokio::spawn(async move {
            let (mut done, mut refused, mut latencies) = (0, 0, Vec::new());
            loop {
                let n = counter.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let stop = match until {
                    Limit::Time(t) => started.elapsed() >= t,
                    Limit::Count(k) => n >= k,
                };
                if stop {
                    break;
                }
                let begun = Instant::now();
                if work(c, n).await {
                    done += 1;
                } else {
                    refused += 1;
                }
                latencies.push(begun.elapsed());
            }
            (done, refused, latencies)
        })
    });
    let mut row = Row {
        done: 0,
        refused: 0,
        took: Duration::ZERO,
        latencies: Vec::new(),
    };
    for (done, refused, latencies) in join_all(tasks).await.into_iter().map(Result::unwrap) {
        row.done += done;
        row.refused += refused;
        row.latencies.extend(latencies);
    }
    row.took = started.elapsed();
    row
}

#[derive(Clone, Copy)]
enum Limit {
    Time(Duration),
    Count(usize),
}

fn client() -> reqwest::Client {
    reqwest::Client::builder()
        .pool_max_idle_per_host(CLIENTS)
        .build()
        .unwrap()
}

/// The rows asked for by name on the command line; every row when none is named.
struct Rows(Vec<String>);

impl Rows {
    const NAMES: [&str; 4] = ["lookups", "bookings", "tickets", "calls"];

    fn from_args() -> Rows {
        // `cargo bench` adds `--bench`; any other word must name a row.
        let named: Vec<String> = std::env::args()
            .skip(1)
            .filter(|a| !a.starts_with("--"))
            .collect();
        for name in &named {
            assert!(
                Self::NAMES.contains(&name.as_str()),
                "no row is called {name}; the rows are {}",
                Self::NAMES.join(", ")
            );
        }
        Rows(named)
    }

    fn wants(&self, row: &str) -> bool {
        self.0.is_empty() || self.0.iter().any(|r| r == row)
    }
}

async fn run(database: &str, rows: &Rows) -> Measured {
    // The demo's year is built in memory as it is written; a server that serves the
    // municipality's data does not carry that, so the seeding runs in a process of its own.
    let seeding = Server::start("demo", database).peak_mb();
    let server = Server::start("serve", database);
    let base = server.base.clone();
    let http = client();
    let mut measured = Measured::default();
    if rows.wants("lookups") {
        measured.add(LOOKUPS, lookups(&http, &base).await);
    }
    if rows.wants("bookings") {
        measured.add(BOOKINGS, bookings(&http, &base).await);
    }
    if rows.wants("tickets") {
        tickets(&http, &base, &mut measured).await;
    }
    if rows.wants("calls") {
        measured.add(CALLS, calls(&http, &base).await);
    }
    let peak = server.peak_mb();
    println!("  {MEMORY} {peak:.0} MB");
    measured.add(MEMORY, format!("{peak:.0} MB"));
    println!("  {SEEDING} {seeding:.0} MB");
    measured.add(SEEDING, format!("{seeding:.0} MB"));
    measured
}

const DAYS: [&str; 8] = [
    "2027-03-30",
    "2027-03-31",
    "2027-04-01",
    "2027-04-02",
    "2027-04-05",
    "2027-04-06",
    "2027-04-07",
    "2027-04-08",
];

async fn lookups(http: &reqwest::Client, base: &str) -> String {
    let (http, base) = (http.clone(), base.to_owned());
    let row = load(
        CLIENTS,
        Limit::Time(Duration::from_secs(SECONDS)),
        move |_, n| {
            let day = DAYS[n % DAYS.len()];
            let url = format!(
                "{base}/api/v1/locations/raadhuset/slots?service=koerekort&from={day}&to={day}"
            );
            let http = http.clone();
            async move { http.get(url).send().await.is_ok_and(|r| r.status() == 200) }
        },
    )
    .await;
    row.print(LOOKUPS)
}

/// Every free place for a passport at every location over two months, at the half hours
/// (spans of 20 minutes at most never overlap then), one booking each.
async fn free_places(http: &reqwest::Client, base: &str) -> Vec<(String, String, String)> {
    let mut places = Vec::new();
    let locations: Value = http
        .get(format!("{base}/api/v1/locations"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    for location in locations.as_array().unwrap() {
        let slug = location["slug"].as_str().unwrap();
        // One errand: errands share their desks, so another's free times would overlap.
        for service in ["pas"] {
            let slots: Value = http
                .get(format!(
                    "{base}/api/v1/locations/{slug}/slots?service={service}&from=2027-03-31&to=2027-05-28"
                ))
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap_or(Value::Null);
            for slot in slots.as_array().into_iter().flatten() {
                let start = slot["start"].as_str().unwrap();
                if !matches!(&start[14..16], "00" | "30") {
                    continue;
                }
                for _ in 0..slot["available"].as_u64().unwrap_or(0) {
                    places.push((slug.to_owned(), service.to_owned(), start.to_owned()));
                }
            }
        }
    }
    places
}

async fn bookings(http: &reqwest::Client, base: &str) -> String {
    let places = std::sync::Arc::new(free_places(http, base).await);
    let (http, base) = (http.clone(), base.to_owned());
    let total = places.len();
    let row = load(CLIENTS, Limit::Count(total), move |_, n| {
        let (location, service, start) = places[n].clone();
        let (http, url) = (http.clone(), format!("{base}/api/v1/appointments"));
        async move {
            http.post(url)
                .json(&json!({
                    "location": location, "service": service, "start": start,
                    "citizen": {"name": "Belastning Borger", "email": format!("load-{n}@example.dk")}
                }))
                .send()
                .await
                .is_ok_and(|r| r.status() == 201)
        }
    })
    .await;
    row.print(BOOKINGS)
}

async fn take_tickets(http: &reqwest::Client, base: &str, count: usize) -> Row {
    let (http, base) = (http.clone(), base.to_owned());
    load(CLIENTS, Limit::Count(count), move |_, _| {
        let (http, url) = (http.clone(), format!("{base}/api/v1/tickets"));
        async move {
            http.post(url)
                .json(&json!({"location": "raadhuset", "service": "vejledning"}))
                .send()
                .await
                .is_ok_and(|r| r.status() == 201)
        }
    })
    .await
}

async fn tickets(http: &reqwest::Client, base: &str, measured: &mut Measured) {
    let mut waiting = 0;
    let mut rates = Vec::new();
    for (queue, name) in [(0, TICKETS_0), (1_000, TICKETS_1000), (5_000, TICKETS_5000)] {
        if queue > waiting {
            take_tickets(http, base, queue - waiting).await;
            waiting = queue;
        }
        let row = take_tickets(http, base, TICKETS_PER_ROW).await;
        waiting += row.done;
        rates.push(row.rate());
        measured.add(name, row.print(name));
    }
    let flat = 100.0 * rates[2] / rates[0];
    println!("  {FLAT}: {flat:.0} %");
    measured.add(FLAT, format!("{flat:.0} %"));
}

/// Every desk of the city hall that serves general guidance, opened, each called by one client.
async fn calls(http: &reqwest::Client, base: &str) -> String {
    let token: Value = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = token["token"].as_str().expect("signed in").to_owned();
    let desks = helpers::desks_serving(http, base, &token, ("raadhuset", "vejledning")).await;
    for desk in &desks {
        http.post(format!("{base}/api/v1/desks/{desk}/open"))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap();
    }
    let (http, base, clients) = (http.clone(), base.to_owned(), desks.len().min(CLIENTS));
    let desks = std::sync::Arc::new(desks);
    let row = load(
        clients,
        Limit::Time(Duration::from_secs(SECONDS)),
        move |c, _| {
            let (http, base, token, desk) = (http.clone(), base.clone(), token.clone(), desks[c]);
            async move { cycle(&http, &base, &token, desk).await }
        },
    )
    .await;
    println!("  ({clients} desks, each called by one client)");
    row.print(CALLS)
}

async fn cycle(http: &reqwest::Client, base: &str, token: &str, desk: i64) -> bool {
    let Ok(called) = http
        .post(format!("{base}/api/v1/desks/{desk}/call-next"))
        .bearer_auth(token)
        .send()
        .await
    else {
        return false;
    };
    if called.status() != 200 {
        return false;
    }
    let ticket: Value = called.json().await.unwrap_or(Value::Null);
    let Some(id) = ticket["id"].as_str() else {
        return false;
    };
    let start = http
        .post(format!("{base}/api/v1/tickets/{id}/start"))
        .bearer_auth(token)
        .send()
        .await;
    let finish = http
        .post(format!("{base}/api/v1/tickets/{id}/finish"))
        .bearer_auth(token)
        .json(&json!({"outcome": "resolved"}))
        .send()
        .await;
    start.is_ok_and(|r| r.status() == 200) && finish.is_ok_and(|r| r.status() == 200)
}
