//! Two server processes on one database, as behind a load balancer: tickets, bookings and
//! calls for the same queue and times sent to both at once keep every guarantee that one
//! process keeps. On PostgreSQL (the production case) when SKRANKE_TEST_DATABASE_URL names
//! it; on one SQLite file otherwise.

use std::collections::HashSet;
use std::process::Child;

use futures::future::join_all;
use serde_json::{json, Value};

use crate::helpers::{desks_serving, won_and_refused, TestDatabase};
use crate::server_process::start_server;

/// Tuesday 30 March 2027, 10:30 in Copenhagen: the city hall is open.
const NOW: &str = "2027-03-30T08:30:00Z";
const PASSWORD: &str = "to-servere-kodeord";

struct Servers {
    children: Vec<Child>,
    bases: Vec<String>,
    client: reqwest::Client,
}

impl Drop for Servers {
    fn drop(&mut self) {
        for child in &mut self.children {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Servers {
    /// Two demo servers on `db`, the second started once the first has made the demo.
    fn start(db: &TestDatabase) -> Self {
        let env = [
            ("SKRANKE_NOW", NOW),
            ("SKRANKE_DEMO_PASSWORD", PASSWORD),
            ("SKRANKE_RATE_LIMIT_PER_MINUTE", "0"),
        ];
        let (mut children, mut bases) = (Vec::new(), Vec::new());
        for _ in 0..2 {
            let (child, _, base) = start_server(db, &["demo"], &env);
            children.push(child);
            bases.push(base);
        }
        Self {
            children,
            bases,
            client: reqwest::Client::new(),
        }
    }

    /// The server that the `n`th request goes to: every other one.
    fn base(&self, n: usize) -> &str {
        &self.bases[n % 2]
    }

    async fn login(&self, n: usize) -> String {
        let body: Value = self
            .client
            .post(format!("{}/api/v1/auth/login", self.base(n)))
            .json(&json!({"username": "admin", "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        body["token"].as_str().expect("signed in").to_owned()
    }
}

fn seq(number: &str) -> u32 {
    number[number.len() - 3..].parse().unwrap()
}

#[tokio::test]
async fn two_servers_on_one_database_keep_numbers_capacity_and_calls_right() {
    let db = TestDatabase::new();
    let servers = Servers::start(&db);

    // 200 tickets for one queue, half through each server, all at once: 1..=200, no gaps.
    let tickets = (0..200).map(|n| {
        let url = format!("{}/api/v1/tickets", servers.base(n));
        let client = servers.client.clone();
        async move {
            let response = client
                .post(url)
                .json(&json!({"location": "raadhuset", "service": "vejledning"}))
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 201);
            let ticket: Value = response.json().await.unwrap();
            seq(ticket["number"].as_str().unwrap())
        }
    });
    let mut numbers = join_all(tickets).await;
    numbers.sort_unstable();
    assert_eq!(numbers, (1..=200).collect::<Vec<u32>>());

    // 100 citizens race for one time through both servers: exactly its places are given.
    let slots: Value = servers
        .client
        .get(format!(
            "{}/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-31&to=2027-03-31",
            servers.base(0)
        ))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let (start, available) = (&slots[0]["start"], slots[0]["available"].as_u64().unwrap());
    let bookings = (0..100).map(|n| {
        let url = format!("{}/api/v1/appointments", servers.base(n));
        let body = json!({"location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "To Servere", "email": format!("to-{n}@example.dk")}});
        let client = servers.client.clone();
        async move {
            let response = client.post(url).json(&body).send().await.unwrap();
            response.status().as_u16()
        }
    });
    let statuses = join_all(bookings).await;
    let available = available as usize;
    assert_eq!(
        won_and_refused(&statuses),
        (available, 100 - available),
        "{statuses:?}"
    );

    // Every desk that serves the queue calls through one server or the other, at once,
    // until nothing waits: each ticket is called exactly once.
    let token = servers.login(0).await;
    let desks = desks_serving(
        &servers.client,
        servers.base(0),
        &token,
        ("raadhuset", "vejledning"),
    )
    .await;
    assert!(desks.len() > 1, "several desks call at once");
    let tokens = [token, servers.login(1).await];
    for (n, desk) in desks.iter().enumerate() {
        let opened = servers
            .client
            .post(format!("{}/api/v1/desks/{desk}/open", servers.base(n)))
            .bearer_auth(&tokens[n % 2])
            .send()
            .await
            .unwrap();
        assert_eq!(opened.status(), 200);
    }
    let callers = desks.iter().enumerate().map(|(n, desk)| {
        let (client, base, token) = (
            servers.client.clone(),
            servers.base(n).to_owned(),
            tokens[n % 2].clone(),
        );
        async move {
            let mut called = Vec::new();
            loop {
                let response = client
                    .post(format!("{base}/api/v1/desks/{desk}/call-next"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                if response.status() == 204 {
                    return called;
                }
                assert_eq!(response.status(), 200);
                let ticket: Value = response.json().await.unwrap();
                let id = ticket["id"].as_str().unwrap().to_owned();
                let started = client
                    .post(format!("{base}/api/v1/tickets/{id}/start"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(started.status(), 200, "start {id}");
                let finished = client
                    .post(format!("{base}/api/v1/tickets/{id}/finish"))
                    .bearer_auth(&token)
                    .json(&json!({"outcome": "resolved"}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(finished.status(), 200, "finish {id}");
                called.push(id);
            }
        }
    });
    let called: Vec<String> = join_all(callers).await.into_iter().flatten().collect();
    let once: HashSet<&String> = called.iter().collect();
    assert_eq!(once.len(), called.len(), "no ticket was called twice");
    assert_eq!(called.len(), 200, "every ticket was called");
}
