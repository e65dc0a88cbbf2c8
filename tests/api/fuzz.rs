//! The schema-driven fuzzer: Schemathesis sends requests generated from `/api/openapi.json`
//! to the real binary on a fresh database, signed in as an administrator, and fails on any
//! 5xx, a status or content type the description does not give, or a body off its schema.
//! It needs Schemathesis, so plain `cargo test` leaves it out; `.ci/fuzz` installs it and
//! runs this on SQLite and on PostgreSQL.

use std::process::{Child, Command, Stdio};

use crate::helpers::{announced_base, fresh_pool, seed, TestDatabase, PASSWORD};

/// Monday 29 March 2027, 10:30 in Copenhagen: the offices are open.
const NOW: &str = "2027-03-29T08:30:00Z";

/// Generated cases per operation and phase; each backend's run stays within about two
/// minutes on two cores.
const MAX_EXAMPLES: &str = "25";

/// The checks that fail the run. `negative_data_rejection` expects a 4xx for every input
/// the description rules out.
const CHECKS: &str = "not_a_server_error,status_code_conformance,content_type_conformance,\
response_schema_conformance,negative_data_rejection,ignored_auth";

/// The `skranke serve` process, stopped with the test.
struct Server {
    child: Child,
    base: String,
}

impl Server {
    fn start(db: &TestDatabase, mail: &std::path::Path) -> Self {
        let mut child = Command::new(env!("CARGO_BIN_EXE_skranke"))
            .arg("serve")
            .env("SKRANKE_DATABASE_URL", db.url_string())
            .env("SKRANKE_BIND", "127.0.0.1:0")
            .env("SKRANKE_NOW", NOW)
            .env("SKRANKE_RATE_LIMIT_PER_MINUTE", "0")
            .env("SKRANKE_MAIL_DIR", mail)
            .env("SKRANKE_LOG", "warn")
            .stdout(Stdio::piped())
            .spawn()
            .expect("the skranke binary starts");
        let base = announced_base(&mut child);
        Self { child, base }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// One Schemathesis run against `base`, signed in with `token`, with `more` arguments; the
/// report is printed, and the test fails on any failure it found.
fn schemathesis_run(schemathesis: &str, base: &str, token: &str, more: &[&str]) -> String {
    // Schemathesis keeps what it found in `.schemathesis/` under its working directory.
    let workdir = tempfile::tempdir().unwrap();
    let mut run = Command::new(schemathesis);
    run.current_dir(workdir.path())
        .arg("run")
        .arg(format!("{base}/api/openapi.json"))
        .args(["--checks", CHECKS])
        .args(["--max-examples", MAX_EXAMPLES])
        .args(["--workers", "2"])
        .args(["--request-timeout", "30"])
        // An event stream that is found answers for as long as it is read.
        .args(["--exclude-path", "/api/v1/locations/{location}/events"])
        // Each valid what-if plans a week several times over (seconds per case in a debug
        // build), so the fuzzer's time limits make its answers look inconsistent; its
        // refusals are tested in tests/api/whatif.rs.
        .args(["--exclude-path", "/api/v1/whatif"])
        .args(["--header", &format!("Authorization: Bearer {token}")])
        .args(["--generation-database", "none"])
        .arg("--no-color")
        .args(more);
    if let Ok(seed) = std::env::var("SKRANKE_FUZZ_SEED") {
        run.args(["--seed", &seed]);
    }
    let out = run.output().expect("schemathesis runs");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    println!("{report}");
    assert!(
        out.status.success(),
        "Schemathesis found problems (the report is above)"
    );
    report
}

#[tokio::test]
#[ignore = "needs Schemathesis in SKRANKE_SCHEMATHESIS; .ci/fuzz runs it"]
async fn generated_requests_get_the_answers_the_description_promises() {
    let schemathesis = std::env::var("SKRANKE_SCHEMATHESIS").expect(
        "SKRANKE_SCHEMATHESIS names the schemathesis program (.ci/fuzz installs it from PyPI)",
    );
    let db = TestDatabase::new();
    seed(&mut fresh_pool(&db).get().unwrap(), NOW.parse().unwrap());
    let mail = tempfile::tempdir().unwrap();
    let server = Server::start(&db, mail.path());

    let login: serde_json::Value = reqwest::Client::new()
        .post(format!("{}/api/v1/auth/login", server.base))
        .json(&serde_json::json!({"username": "admin", "password": PASSWORD}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let token = login["token"].as_str().expect("admin signs in");
    let doc: serde_json::Value = reqwest::get(format!("{}/api/openapi.json", server.base))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let operations: usize = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .map(|item| item.as_object().unwrap().len())
        .sum();

    // Signing out ends the session the other operations use: it goes last, alone.
    let logout = "/api/v1/auth/logout";
    let everything_else = schemathesis_run(
        &schemathesis,
        &server.base,
        token,
        &[
            "--exclude-path",
            logout,
            "--phases",
            "examples,coverage,fuzzing,stateful",
        ],
    );
    let signing_out = schemathesis_run(
        &schemathesis,
        &server.base,
        token,
        &[
            "--include-path",
            logout,
            // No links lead to signing out: nothing for the stateful phase.
            "--phases",
            "examples,coverage,fuzzing",
        ],
    );
    let tested = |report: &str| -> usize {
        let line = report
            .lines()
            .skip_while(|l| !l.contains("API Operations:"))
            .find(|l| l.trim_start().starts_with("Tested:"));
        line.and_then(|l| l.trim().trim_start_matches("Tested:").trim().parse().ok())
            .unwrap_or(0)
    };
    // Every operation but the event stream, what-if's API (left out above), and the
    // description itself, which Schemathesis reads rather than tests.
    assert_eq!(
        tested(&everything_else) + tested(&signing_out),
        operations - 3,
        "Schemathesis tested other operations than the description has (the reports are above)"
    );
    drop(server);
}
