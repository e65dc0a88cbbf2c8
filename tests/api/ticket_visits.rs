//! Tickets of several errands and needs at the door: called only by a desk that can take
//! the whole visit (or, when none is open, by the first errand's desk), finished with an
//! outcome for each errand, counted once per errand in the KPIs; and booked visits checked in.

use serde_json::{json, Value};

use crate::desks::{called_id, calls_at_once};
use crate::helpers::{city_hall_desk_named, expect_problem, spawn_app, SignedIn, TestApp};

const TUESDAY: &str = "2027-03-30";

/// An administrator at the city hall's desks.
struct Clerk<'a>(SignedIn<'a>);

impl<'a> std::ops::Deref for Clerk<'a> {
    type Target = SignedIn<'a>;

    fn deref(&self) -> &SignedIn<'a> {
        &self.0
    }
}

impl<'a> Clerk<'a> {
    async fn new(app: &'a TestApp) -> Self {
        Self(SignedIn::new(app, "admin").await)
    }

    /// Opens the city hall's desk of this name and returns its id.
    async fn open(&self, name: &str) -> i64 {
        let id = city_hall_desk_named(self.app, &self.token, name).await["id"]
            .as_i64()
            .unwrap();
        let opened = self.post(&format!("/api/v1/desks/{id}/open"), None).await;
        assert_eq!(opened.status(), 200);
        id
    }

    /// The id of the ticket `desk` calls next, or `None` when nothing waits for it.
    async fn call_next(&self, desk: i64) -> Option<String> {
        called_id(
            self.post(&format!("/api/v1/desks/{desk}/call-next"), None)
                .await,
        )
        .await
    }

    async fn finish(&self, ticket: &str, body: Value) -> reqwest::Response {
        self.post(&format!("/api/v1/tickets/{ticket}/finish"), Some(body))
            .await
    }
}

async fn take(app: &TestApp, body: Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/tickets"))
        .json(&body)
        .send()
        .await
        .unwrap()
}

async fn ticket(app: &TestApp, body: Value) -> Value {
    let response = take(app, body).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

fn licence_and_guidance() -> Value {
    json!({
        "location": "raadhuset",
        "services": [{"service": "koerekort"}, {"service": "vejledning"}],
    })
}

fn id(ticket: &Value) -> String {
    ticket["id"].as_str().unwrap().to_owned()
}

async fn setup() -> TestApp {
    let app = spawn_app().await;
    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    app
}

fn stored_tickets(app: &TestApp) -> i64 {
    use diesel::prelude::*;
    use skranke::store::schema::tickets::dsl::*;
    tickets
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

#[tokio::test]
async fn a_ticket_of_two_errands_goes_to_a_desk_serving_both_finishes_with_two_outcomes_and_counts_twice(
) {
    let app = setup().await;
    let clerk = Clerk::new(&app).await;
    let visit = ticket(&app, licence_and_guidance()).await;
    assert_eq!(visit["service"], "koerekort", "the first errand leads");
    assert_eq!(
        visit["services"],
        json!([{"service": "koerekort", "quantity": 1}, {"service": "vejledning", "quantity": 1}])
    );
    app.clock.advance(chrono::Duration::minutes(1));
    let plain = ticket(
        &app,
        json!({"location": "raadhuset", "service": "koerekort"}),
    )
    .await;

    // Skranke 1 serves driving licences but not guidance: it calls the later plain ticket.
    let licences_only = clerk.open("Skranke 1").await;
    let both = clerk.open("Skranke 4").await;
    assert_eq!(clerk.call_next(licences_only).await, Some(id(&plain)));
    assert_eq!(clerk.call_next(licences_only).await, None);
    assert_eq!(clerk.call_next(both).await, Some(id(&visit)));
    let started = clerk
        .post(&format!("/api/v1/tickets/{}/start", id(&visit)), None)
        .await;
    assert_eq!(started.status(), 200);

    let cases: Vec<(&str, Value, &str)> = vec![
        (
            "one outcome for two errands",
            json!({"outcome": "resolved"}),
            "outcomes",
        ),
        (
            "an errand without its outcome",
            json!({"outcomes": [{"service": "koerekort", "outcome": "resolved"}]}),
            "outcomes",
        ),
        (
            "an errand not on the ticket",
            json!({"outcomes": [
                {"service": "koerekort", "outcome": "resolved"},
                {"service": "pas", "outcome": "resolved"},
            ]}),
            "outcomes[1].service",
        ),
        (
            "an outcome that is none",
            json!({"outcomes": [
                {"service": "koerekort", "outcome": "done"},
                {"service": "vejledning", "outcome": "resolved"},
            ]}),
            "outcomes[0].outcome",
        ),
        (
            "an errand named twice",
            json!({"outcomes": [
                {"service": "koerekort", "outcome": "resolved"},
                {"service": "koerekort", "outcome": "referred"},
            ]}),
            "outcomes[1].service",
        ),
    ];
    for (what, body, field) in cases {
        let problem = expect_problem(clerk.finish(&id(&visit), body).await, 422).await;
        assert_eq!(problem["errors"][0]["field"], field, "{what}: {problem}");
    }
    let status = app
        .get_json(&format!("/api/v1/tickets/{}", id(&visit)))
        .await;
    assert_eq!(status["status"], "serving", "nothing was changed");

    let finished = clerk
        .finish(
            &id(&visit),
            json!({"outcomes": [
                {"service": "vejledning", "outcome": "referred"},
                {"service": "koerekort", "outcome": "resolved"},
            ]}),
        )
        .await;
    assert_eq!(finished.status(), 200);
    assert_eq!(
        finished.json::<Value>().await.unwrap()["status"],
        "finished"
    );
    let answered = app
        .client
        .post(app.url(&format!("/api/v1/tickets/{}/feedback", id(&visit))))
        .json(&json!({"score": 4}))
        .send()
        .await
        .unwrap();
    assert_eq!(answered.status(), 201);

    let report = clerk
        .get_json(&format!(
            "/api/v1/reports/kpi?location=raadhuset&from={TUESDAY}&to={TUESDAY}"
        ))
        .await;
    let row = |service: &str| {
        report["by_service"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["service"] == service)
            .unwrap_or_else(|| panic!("no row for {service}: {report}"))
            .clone()
    };
    assert_eq!(report["totals"]["tickets"], 2, "two tickets came");
    assert_eq!(
        (
            row("koerekort")["tickets"].clone(),
            row("koerekort")["resolved"].clone()
        ),
        (json!(2), json!(1)),
        "the plain ticket and the visit's first errand"
    );
    assert_eq!(
        (
            row("vejledning")["tickets"].clone(),
            row("vejledning")["referred"].clone()
        ),
        (json!(1), json!(1)),
        "the visit's second errand with its own outcome"
    );
    assert_eq!(
        report["totals"]["referred"], 1,
        "the visit is resolved only when every errand is"
    );
    let one_four = json!({"answers": 1, "mean": 4.0});
    assert_eq!(
        report["totals"]["feedback"], one_four,
        "one visit, one answer"
    );
    assert_eq!(
        (
            row("koerekort")["feedback"].clone(),
            row("vejledning")["feedback"].clone()
        ),
        (one_four.clone(), one_four),
        "the answer counts under each errand of the visit"
    );
}

#[tokio::test]
async fn with_no_desk_for_the_whole_visit_open_the_first_errands_desk_calls_and_transfers_the_rest()
{
    let app = setup().await;
    let clerk = Clerk::new(&app).await;
    let visit = ticket(&app, licence_and_guidance()).await;
    app.clock.advance(chrono::Duration::minutes(2));
    let later = ticket(
        &app,
        json!({"location": "raadhuset", "service": "vejledning"}),
    )
    .await;

    let licences_only = clerk.open("Skranke 1").await;
    assert_eq!(clerk.call_next(licences_only).await, Some(id(&visit)));
    let moved = clerk
        .post(
            &format!("/api/v1/tickets/{}/transfer", id(&visit)),
            Some(json!({"service": "vejledning"})),
        )
        .await;
    assert_eq!(moved.status(), 200);
    let info = clerk.open("Info").await;
    assert_eq!(
        clerk.call_next(info).await,
        Some(id(&visit)),
        "the citizen keeps their place, ahead of {}",
        later["number"]
    );
    clerk
        .post(&format!("/api/v1/tickets/{}/start", id(&visit)), None)
        .await;
    let finished = clerk
        .finish(
            &id(&visit),
            json!({"outcomes": [
                {"service": "koerekort", "outcome": "resolved"},
                {"service": "vejledning", "outcome": "resolved"},
            ]}),
        )
        .await;
    assert_eq!(finished.status(), 200);
}

#[tokio::test]
async fn a_need_at_the_door_asks_for_a_desk_that_has_it_and_a_bad_one_is_named() {
    let app = setup().await;
    let clerk = Clerk::new(&app).await;
    let before = stored_tickets(&app);
    let problem = expect_problem(
        take(
            &app,
            json!({"location": "raadhuset", "service": "koerekort", "needs": [{"kind": "interpreter"}]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        problem["errors"][0]["field"], "needs[0].detail",
        "{problem}"
    );
    let problem = expect_problem(
        take(
            &app,
            json!({"location": "raadhuset", "services": [{"service": "koerekort"}, {"service": "dykning"}]}),
        )
        .await,
        422,
    )
    .await;
    assert_eq!(
        problem["errors"][0]["field"], "services[1].service",
        "{problem}"
    );
    assert_eq!(stored_tickets(&app), before, "no ticket was taken");

    let step_free = ticket(
        &app,
        json!({"location": "raadhuset", "service": "koerekort", "needs": [{"kind": "step_free"}]}),
    )
    .await;
    let plain_desk = clerk.open("Skranke 1").await;
    let step_free_desk = clerk.open("Skranke 2").await;
    assert_eq!(clerk.call_next(plain_desk).await, None);
    assert_eq!(clerk.call_next(step_free_desk).await, Some(id(&step_free)));
}

#[tokio::test]
async fn a_booked_visit_checked_in_is_a_ticket_of_all_its_errands() {
    let app = spawn_app().await;
    let path = format!(
        "/api/v1/locations/raadhuset/slots?services=pas:2,sundhedskort&from={TUESDAY}&to={TUESDAY}"
    );
    let free = app.get_json(&path).await;
    let start = free[0]["start"].as_str().unwrap().to_owned();
    let booked: Value = app
        .client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset",
            "services": [{"service": "pas", "quantity": 2}, {"service": "sundhedskort"}],
            "start": start,
            "citizen": {"name": "Familien Hansen", "email": "hansen@example.dk"},
        }))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let at = chrono::DateTime::parse_from_rfc3339(&start).unwrap();
    app.clock
        .set((at - chrono::Duration::minutes(5)).with_timezone(&chrono::Utc));
    let checked_in = app
        .client
        .post(app.url(&format!(
            "/api/v1/appointments/{}/check-in?token={}",
            booked["reference"].as_str().unwrap(),
            booked["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(checked_in.status(), 201);
    let visit: Value = checked_in.json().await.unwrap();
    assert_eq!(
        visit["services"],
        json!([{"service": "pas", "quantity": 2}, {"service": "sundhedskort", "quantity": 1}])
    );
    let clerk = Clerk::new(&app).await;
    let no_health_cards = clerk.open("Skranke 1").await;
    let both = clerk.open("Skranke 2").await;
    assert_eq!(clerk.call_next(no_health_cards).await, None);
    assert_eq!(clerk.call_next(both).await, Some(id(&visit)));
}

/// Desks calling at the same moment never share a ticket of several errands.
#[tokio::test]
async fn desks_calling_at_once_never_share_a_ticket_of_several_errands() {
    let app = setup().await;
    let clerk = Clerk::new(&app).await;
    let mut desks = Vec::new();
    for name in ["Skranke 3", "Skranke 4", "Skranke 5", "Skranke 6"] {
        desks.push(clerk.open(name).await);
    }
    for i in 0..24 {
        let body = if i % 3 == 0 {
            json!({"location": "raadhuset", "service": "vejledning"})
        } else {
            licence_and_guidance()
        };
        ticket(&app, body).await;
    }
    let mut called = calls_at_once(&app, &clerk.token, &desks, 32).await;
    assert_eq!(called.len(), 24, "every ticket called, and no more");
    called.sort();
    called.dedup();
    assert_eq!(called.len(), 24, "no ticket called twice");
}

#[tokio::test]
async fn an_interpreter_asked_for_at_the_door_or_when_booking_is_on_the_planners_task_list() {
    let app = spawn_app().await;
    let path = format!(
        "/api/v1/locations/raadhuset/slots?service=koerekort&needs=interpreter&from={TUESDAY}&to={TUESDAY}"
    );
    let free = app.get_json(&path).await;
    let book = |start: &Value, language: &str, email: &str| {
        json!({
            "location": "raadhuset",
            "service": "koerekort",
            "needs": [{"kind": "interpreter", "detail": language}],
            "start": start,
            "citizen": {"name": "Borger", "email": email},
        })
    };
    let mut booked = Vec::new();
    for (slot, language, email) in [
        (&free[0], "tigrinya", "a@example.dk"),
        (&free[1], "somali", "b@example.dk"),
    ] {
        let response = app
            .client
            .post(app.url("/api/v1/appointments"))
            .json(&book(&slot["start"], language, email))
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), 201);
        booked.push(response.json::<Value>().await.unwrap());
    }
    let cancelled = app
        .client
        .delete(app.url(&format!(
            "/api/v1/appointments/{}?token={}",
            booked[1]["reference"].as_str().unwrap(),
            booked[1]["token"].as_str().unwrap()
        )))
        .send()
        .await
        .unwrap();
    assert_eq!(cancelled.status(), 200);

    app.clock.set("2027-03-30T08:30:00Z".parse().unwrap());
    let walk_in = ticket(
        &app,
        json!({
            "location": "raadhuset",
            "service": "vejledning",
            "needs": [{"kind": "interpreter", "detail": "arabisk"}],
        }),
    )
    .await;
    let public = app
        .get_json(&format!("/api/v1/tickets/{}", id(&walk_in)))
        .await;
    assert!(
        !public.to_string().contains("arabisk"),
        "the public status says nothing of needs: {public}"
    );

    let planner = app.login("admin").await;
    let tasks_of = |token: &str, query: &str| {
        app.client
            .get(app.url(&format!("/api/v1/interpreter-tasks?{query}")))
            .bearer_auth(token)
            .send()
    };
    let tasks: Value = tasks_of(&planner, &format!("date={TUESDAY}&location=raadhuset"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let seen: Vec<(&str, &str, &str, &str)> = tasks
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                t["time"].as_str().unwrap(),
                t["language"].as_str().unwrap(),
                t["location"].as_str().unwrap(),
                t["source"].as_str().unwrap(),
            )
        })
        .collect();
    let mut expected = [
        (
            "2027-03-30T10:30:00+02:00",
            "arabisk",
            "raadhuset",
            "ticket",
        ),
        (
            free[0]["start"].as_str().unwrap(),
            "tigrinya",
            "raadhuset",
            "booking",
        ),
    ];
    expected.sort();
    assert_eq!(
        seen, expected,
        "by time, and the cancelled booking's interpreter is not needed: {tasks}"
    );
    let from_the_door = tasks
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["source"] == "ticket")
        .unwrap();
    assert_eq!(from_the_door["ticket"], walk_in["number"]);
    let other_day: Value = tasks_of(&planner, "date=2027-03-31")
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(other_day, json!([]));
    let staff = app.login("staff").await;
    expect_problem(
        tasks_of(&staff, &format!("date={TUESDAY}")).await.unwrap(),
        403,
    )
    .await;
    let problem = expect_problem(tasks_of(&planner, "date=tirsdag").await.unwrap(), 422).await;
    assert_eq!(problem["errors"][0]["field"], "date");
}
