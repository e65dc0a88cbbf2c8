//! Live events across server processes: on PostgreSQL each event reaches the streams of
//! every server on the database, exactly once; on SQLite (one process) its own streams.

use crate::helpers::{on_postgres, spawn_app, spawn_sibling, TestApp};

/// Opens the location's stream at `base` and waits until it is listening.
async fn listen(base: &str) -> reqwest::Response {
    let mut stream = reqwest::Client::new()
        .get(format!("{base}/api/v1/locations/raadhuset/events"))
        .send()
        .await
        .unwrap();
    let hello = stream.chunk().await.unwrap().unwrap();
    assert!(hello.starts_with(b": listening"));
    stream
}

/// Reads the stream up to the event that carries `sentinel`, and returns what came. The
/// time limit only turns a missing event into a failure instead of a hung test.
async fn read_until(stream: &mut reqwest::Response, sentinel: &str) -> String {
    let mut seen = String::new();
    let reading = async {
        while !seen.contains(sentinel) {
            let chunk = stream
                .chunk()
                .await
                .unwrap()
                .expect("the stream stays open");
            seen.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(30), reading)
        .await
        .unwrap_or_else(|_| panic!("no event with {sentinel} arrived"));
    seen
}

async fn walk_in(app: &TestApp) -> String {
    let ticket = app.walk_in("vejledning").await;
    ticket["number"].as_str().unwrap().to_owned()
}

#[tokio::test]
async fn every_server_on_the_database_streams_every_event_once() {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let sibling = spawn_sibling(&app).await;
    let mut here = listen(&app.base).await;
    let mut there = listen(&sibling.base).await;

    // Two tickets through the first server; the second one marks the end of what to read.
    let first = walk_in(&app).await;
    let second = walk_in(&app).await;
    let sentinel = format!("\"number\":\"{second}\"");

    let seen_here = read_until(&mut here, &sentinel).await;
    assert_eq!(
        seen_here
            .matches(&format!("\"number\":\"{first}\""))
            .count(),
        1,
        "exactly once on the server that issued it: {seen_here}"
    );
    if on_postgres(&app) {
        let seen_there = read_until(&mut there, &sentinel).await;
        assert_eq!(
            seen_there
                .matches(&format!("\"number\":\"{first}\""))
                .count(),
            1,
            "exactly once on the other server: {seen_there}"
        );
        assert!(seen_there.contains("event: ticket.issued"));
    }
    drop(sibling);
}
