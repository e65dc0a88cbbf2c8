//! The waitlist: a freed time is held for the first on the list, hidden from everyone else,
//! claimed by its holder, or passed on when the hold lapses — with the mails over SMTP.

use chrono::Duration;
use diesel::prelude::*;
use serde_json::{json, Value};
use skranke::app::waitlist_offers::{tick, WaitlistSettings};
use skranke::clock::Clock as _;

use crate::helpers::{expect_problem, spawn_app_with, TestApp};
use crate::mail::SmtpSink;

/// Friday: one desk for passports, 10:00–13:30 local.
const FRIDAY: &str = "2027-04-02";

async fn spawn() -> TestApp {
    // These tests book a whole day from one address; the rate limit has tests of its own.
    spawn_app_with(|s| s.rate_limit_per_minute = 0).await
}

async fn friday_slots(app: &TestApp) -> Vec<Value> {
    let path = format!("/api/v1/locations/raadhuset/slots?service=pas&from={FRIDAY}&to={FRIDAY}");
    app.get_json(&path).await.as_array().unwrap().clone()
}

async fn book(app: &TestApp, start: &Value, email: &str) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/appointments"))
        .json(&json!({
            "location": "raadhuset", "service": "pas", "start": start,
            "citizen": {"name": "Fuld Dag", "email": email}
        }))
        .send()
        .await
        .unwrap()
}

/// Books Friday full; returns the bookings made, earliest first.
async fn fill_friday(app: &TestApp) -> Vec<Value> {
    fill_day(app, FRIDAY).await
}

/// Joining for a whole visit: `services` in either form a booking's body or the slot
/// lookup takes.
fn visit_body(email: &str, language: &str, services: Value) -> Value {
    let mut body = join_body(email, language);
    body.as_object_mut().unwrap().remove("service");
    body["services"] = services;
    body
}

/// The mails to one address.
fn to(mails: Vec<Mail>, email: &str) -> Vec<Mail> {
    mails.into_iter().filter(|m| m.to == email).collect()
}

fn join_body(email: &str, language: &str) -> Value {
    json!({
        "location": "raadhuset", "service": "pas", "from": FRIDAY, "to": FRIDAY,
        "citizen": {"name": "Vente Borger", "email": email}, "language": language
    })
}

async fn join(app: &TestApp, body: &Value) -> reqwest::Response {
    app.client
        .post(app.url("/api/v1/waitlist"))
        .json(body)
        .send()
        .await
        .unwrap()
}

async fn joined(app: &TestApp, email: &str, language: &str) -> Value {
    let response = join(app, &join_body(email, language)).await;
    assert_eq!(response.status(), 201);
    response.json().await.unwrap()
}

async fn cancel(app: &TestApp, booking: &Value) {
    let path = format!(
        "/api/v1/appointments/{}?token={}",
        booking["reference"].as_str().unwrap(),
        booking["token"].as_str().unwrap()
    );
    let response = app.client.delete(app.url(&path)).send().await.unwrap();
    assert_eq!(response.status(), 200);
}

struct Mail {
    to: String,
    subject: String,
    body: String,
}

/// Sends what the outbox holds to the sink: the mails it took.
fn deliver(app: &TestApp, sink: &SmtpSink) -> Vec<Mail> {
    app.deliver_mail(&sink.mailer());
    sink.take()
        .iter()
        .map(|m| Mail {
            to: m
                .to()
                .unwrap()
                .first()
                .unwrap()
                .address()
                .unwrap()
                .to_owned(),
            subject: m.subject().unwrap().to_owned(),
            body: m.body_text(0).unwrap().into_owned(),
        })
        .collect()
}

/// The claim link's token in the offer mail to `email`, which must be the only offer.
fn offer_token(mails: &[Mail], email: &str, reference: &str) -> String {
    let offers: Vec<&Mail> = mails
        .iter()
        .filter(|m| m.body.contains("/offer?token="))
        .collect();
    assert_eq!(offers.len(), 1, "one offer");
    assert_eq!(offers[0].to, email);
    let marker = format!("http://skranke.test/waitlist/{reference}/offer?token=");
    let at = offers[0].body.find(&marker).expect("the claim link") + marker.len();
    offers[0].body[at..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned()
}

fn offer_path(entry: &Value, token: &str) -> String {
    format!(
        "/api/v1/waitlist/{}/offer?token={token}",
        entry["reference"].as_str().unwrap()
    )
}

async fn claim(app: &TestApp, entry: &Value, token: &str) -> reqwest::Response {
    let path = format!(
        "/api/v1/waitlist/{}/claim?token={token}",
        entry["reference"].as_str().unwrap()
    );
    app.client.post(app.url(&path)).send().await.unwrap()
}

fn settings() -> WaitlistSettings {
    WaitlistSettings::default()
}

#[tokio::test]
async fn a_freed_time_is_held_for_the_first_on_the_list_and_claimed_by_them() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_friday(&app).await;
    assert!(made.len() > 3);
    let first = joined(&app, "first@example.dk", "da").await;
    let second = joined(&app, "second@example.dk", "en").await;
    assert!(
        first["token"].as_str().unwrap().len() >= 32,
        "at least 128 bits"
    );
    let mails = deliver(&app, &sink);
    let welcome = mails.iter().find(|m| m.to == "first@example.dk").unwrap();
    assert!(
        welcome.subject.starts_with("Du er på ventelisten"),
        "{}",
        welcome.subject
    );
    assert!(welcome.body.contains(&format!(
        "/waitlist/{}/leave?token={}",
        first["reference"].as_str().unwrap(),
        first["token"].as_str().unwrap()
    )));

    let freed = &made[2];
    cancel(&app, freed).await;
    assert!(
        friday_slots(&app).await.is_empty(),
        "the freed time is held, and nobody else sees it"
    );
    let other = book(&app, &freed["start"], "quick@example.dk").await;
    expect_problem(other, 409).await;

    let mails = deliver(&app, &sink);
    let token = offer_token(
        &mails,
        "first@example.dk",
        first["reference"].as_str().unwrap(),
    );
    let offer_mail = mails.iter().find(|m| m.body.contains("/offer?")).unwrap();
    assert!(
        offer_mail.subject.starts_with("Ledig tid til dig"),
        "{}",
        offer_mail.subject
    );
    let offer = app.get_json(&offer_path(&first, &token)).await;
    assert_eq!(
        (offer["status"].as_str(), &offer["start"]),
        (Some("held"), &freed["start"])
    );
    let wrong = app.get(&offer_path(&first, &"0".repeat(64))).await;
    expect_problem(wrong, 404).await;
    expect_problem(claim(&app, &second, &token).await, 404).await;

    let claimed = claim(&app, &first, &token).await;
    assert_eq!(claimed.status(), 201);
    let appointment: Value = claimed.json().await.unwrap();
    assert_eq!(appointment["start"], freed["start"]);
    assert_eq!(appointment["status"], "booked");
    let mails = deliver(&app, &sink);
    let confirmation = mails.iter().find(|m| m.to == "first@example.dk").unwrap();
    assert!(
        confirmation.subject.starts_with("Din tid: Pas"),
        "{}",
        confirmation.subject
    );
    assert!(confirmation
        .body
        .contains(appointment["reference"].as_str().unwrap()));
    assert!(friday_slots(&app).await.is_empty());
    expect_problem(claim(&app, &first, &token).await, 409).await;
    let shown = app.get_json(&offer_path(&first, &token)).await;
    assert_eq!(shown["status"], "claimed");
}

#[tokio::test]
async fn a_lapsed_hold_goes_to_the_next_and_then_back_to_everyone() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_friday(&app).await;
    let first = joined(&app, "first@example.dk", "da").await;
    let second = joined(&app, "second@example.dk", "en").await;
    deliver(&app, &sink);
    let freed = &made[0];
    cancel(&app, freed).await;
    let first_token = offer_token(
        &deliver(&app, &sink),
        "first@example.dk",
        first["reference"].as_str().unwrap(),
    );

    assert_eq!(
        tick(&app.pool, &settings(), app.clock.now()).unwrap(),
        0,
        "still held"
    );
    app.clock.advance(Duration::minutes(30));
    assert_eq!(tick(&app.pool, &settings(), app.clock.now()).unwrap(), 1);
    assert!(
        friday_slots(&app).await.is_empty(),
        "now held for the second"
    );
    expect_problem(claim(&app, &first, &first_token).await, 409).await;
    let mails = deliver(&app, &sink);
    let second_token = offer_token(
        &mails,
        "second@example.dk",
        second["reference"].as_str().unwrap(),
    );
    let english = mails.iter().find(|m| m.to == "second@example.dk").unwrap();
    assert!(
        english.subject.starts_with("A time for you"),
        "{}",
        english.subject
    );
    expect_problem(book(&app, &freed["start"], "quick@example.dk").await, 409).await;

    app.clock.advance(Duration::minutes(30));
    assert_eq!(
        tick(&app.pool, &settings(), app.clock.now()).unwrap(),
        0,
        "both have let it lapse"
    );
    let free = friday_slots(&app).await;
    assert_eq!(free.len(), 1);
    assert_eq!(free[0]["start"], freed["start"], "back to everyone");
    expect_problem(claim(&app, &second, &second_token).await, 409).await;
    assert_eq!(
        book(&app, &freed["start"], "quick@example.dk")
            .await
            .status(),
        201
    );
}

#[tokio::test]
async fn leaving_the_list_passes_a_held_time_on_at_once() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_friday(&app).await;
    let first = joined(&app, "first@example.dk", "da").await;
    let second = joined(&app, "second@example.dk", "da").await;
    cancel(&app, &made[1]).await;
    deliver(&app, &sink);

    let leave = |entry: &Value, token: &str| {
        let path = format!(
            "/api/v1/waitlist/{}?token={token}",
            entry["reference"].as_str().unwrap()
        );
        app.client.delete(app.url(&path)).send()
    };
    expect_problem(leave(&first, &"0".repeat(64)).await.unwrap(), 404).await;
    let left = leave(&first, first["token"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(left.status(), 204);
    let token = offer_token(
        &deliver(&app, &sink),
        "second@example.dk",
        second["reference"].as_str().unwrap(),
    );
    assert_eq!(claim(&app, &second, &token).await.status(), 201);
    let again = leave(&first, first["token"].as_str().unwrap())
        .await
        .unwrap();
    expect_problem(again, 409).await;
}

#[tokio::test]
async fn a_move_away_frees_the_old_time_for_the_list() {
    let app = spawn().await;
    let made = fill_friday(&app).await;
    let entry = joined(&app, "mover@example.dk", "da").await;
    let tuesday = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-03-30")
        .await;
    let path = format!(
        "/api/v1/appointments/{}/reschedule?token={}",
        made[3]["reference"].as_str().unwrap(),
        made[3]["token"].as_str().unwrap()
    );
    let moved = app
        .client
        .post(app.url(&path))
        .json(&json!({"start": tuesday[0]["start"]}))
        .send()
        .await
        .unwrap();
    assert_eq!(moved.status(), 200);
    assert!(friday_slots(&app).await.is_empty(), "held for the waitlist");
    let mut conn = app.pool.get().unwrap();
    let held: Vec<String> = {
        use skranke::store::schema::waitlist_holds::dsl::*;
        waitlist_holds.select(status).load(&mut conn).unwrap()
    };
    assert_eq!(held, ["held"]);
    assert!(entry["reference"].is_string());
}

#[tokio::test]
async fn joining_while_times_are_free_is_refused_with_the_first_of_them() {
    let app = spawn().await;
    let refused = expect_problem(join(&app, &join_body("early@example.dk", "da")).await, 409).await;
    assert!(
        refused["detail"]
            .as_str()
            .unwrap()
            .contains("2027-04-02 10:00"),
        "{refused}"
    );
    assert_eq!(stored_entries(&app), 0);
}

fn stored_entries(app: &TestApp) -> i64 {
    use skranke::store::schema::waitlist_entries::dsl::*;
    waitlist_entries
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap()
}

#[tokio::test]
async fn bad_waitlist_input_names_the_field_and_stores_nothing() {
    let app = spawn().await;
    fill_friday(&app).await;
    let field_of = |body: &Value| body["errors"][0]["field"].as_str().unwrap().to_owned();
    let cases: [(&str, Value, &str); 4] = [
        ("from", json!("2027-03-28"), "from"),
        ("to", json!("2027-04-01"), "to"),
        ("service", json!("dykkercertifikat"), "service"),
        ("service", json!("vejledning"), "service"),
    ];
    for (key, value, field) in cases {
        let mut body = join_body("bad@example.dk", "da");
        body[key] = value;
        let problem = expect_problem(join(&app, &body).await, 422).await;
        assert_eq!(field_of(&problem), field, "{problem}");
    }
    let mut bad_email = join_body("not-an-address", "da");
    bad_email["citizen"]["name"] = json!("");
    let problem = expect_problem(join(&app, &bad_email).await, 422).await;
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["citizen.name", "citizen.email"]);
    let mut nowhere = join_body("bad@example.dk", "da");
    nowhere["location"] = json!("atlantis");
    expect_problem(join(&app, &nowhere).await, 404).await;
    let mut long = join_body("bad@example.dk", "da");
    long["to"] = json!("2027-07-01");
    let problem = expect_problem(join(&app, &long).await, 422).await;
    assert_eq!(field_of(&problem), "to");
    let broken = app
        .client
        .post(app.url("/api/v1/waitlist"))
        .header("content-type", "application/json")
        .body("{\"location\": ")
        .send()
        .await
        .unwrap();
    expect_problem(broken, 400).await;
    assert_eq!(stored_entries(&app), 0, "nothing was stored");
}

/// The holder's claim and fifty others racing for the held time: only the holder gets it.
#[tokio::test]
async fn a_held_time_raced_by_many_goes_only_to_its_holder() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_friday(&app).await;
    let entry = joined(&app, "holder@example.dk", "da").await;
    deliver(&app, &sink);
    let freed = made[4].clone();
    cancel(&app, &freed).await;
    let token = offer_token(
        &deliver(&app, &sink),
        "holder@example.dk",
        entry["reference"].as_str().unwrap(),
    );

    let racers = (0..50).map(|i| {
        let (client, url) = (app.client.clone(), app.url("/api/v1/appointments"));
        let body = json!({
            "location": "raadhuset", "service": "pas", "start": freed["start"],
            "citizen": {"name": "Racer", "email": format!("racer{i}@example.dk")}
        });
        async move {
            client
                .post(url)
                .json(&body)
                .send()
                .await
                .unwrap()
                .status()
                .as_u16()
        }
    });
    let (statuses, claimed) = tokio::join!(
        futures::future::join_all(racers),
        claim(&app, &entry, &token)
    );
    assert_eq!(claimed.status(), 201);
    assert!(statuses.iter().all(|s| *s == 409), "{statuses:?}");
    let booked: i64 = {
        use skranke::store::schema::appointments::dsl::*;
        appointments
            .filter(status.eq("booked"))
            .count()
            .get_result(&mut app.pool.get().unwrap())
            .unwrap()
    };
    assert_eq!(booked as usize, made.len(), "the day is exactly full again");
}

/// More desks for bookings (a new organisation file, or a published roster) free times too:
/// the worker offers them to the list.
#[tokio::test]
async fn grown_capacity_is_offered_to_the_list_first() {
    use skranke::domain::organisation::WeekdayKey;
    let app = spawn().await;
    fill_friday(&app).await;
    joined(&app, "first@example.dk", "da").await;
    let mut spec = skranke::app::demo::organisation().unwrap();
    let raadhuset = spec
        .locations
        .iter_mut()
        .find(|l| l.slug.as_str() == "raadhuset")
        .unwrap();
    let friday = WeekdayKey::from(chrono::Weekday::Fri);
    let rule = raadhuset
        .capacity
        .iter_mut()
        .find(|r| r.weekdays.contains(&friday) && r.services.iter().any(|s| s.as_str() == "pas"))
        .unwrap();
    rule.desks += 1;
    skranke::app::organisation::import(&mut app.pool.get().unwrap(), &spec, app.clock.now())
        .unwrap();

    assert_eq!(tick(&app.pool, &settings(), app.clock.now()).unwrap(), 1);
    let free = friday_slots(&app).await;
    assert!(!free.is_empty(), "the new desk has times for everyone");
    assert!(
        free.iter()
            .all(|s| s["start"] != "2027-04-02T10:00:00+02:00"),
        "10:00 on the new desk is held for the first on the list"
    );
    assert_eq!(
        tick(&app.pool, &settings(), app.clock.now()).unwrap(),
        0,
        "nobody else waits"
    );
}

#[tokio::test]
async fn the_waitlist_is_described_in_openapi() {
    let app = spawn().await;
    let doc = app.get_json("/api/openapi.json").await;
    for path in [
        "/api/v1/waitlist",
        "/api/v1/waitlist/{reference}",
        "/api/v1/waitlist/{reference}/offer",
        "/api/v1/waitlist/{reference}/claim",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is described");
    }
}

#[tokio::test]
async fn waitlist_dates_lie_within_the_errands_booking_window() {
    let app = spawn().await;
    // On Monday 29 March at 08:00 local: passports book 183 days ahead (to 28 September),
    // building-permit meetings need two days' notice (from 31 March).
    let cases = [
        ("pas", "9999-12-01", "9999-12-31", "from"),
        ("pas", "2027-09-29", "2027-09-30", "from"),
        ("pas", "2027-09-20", "2027-09-29", "to"),
        ("byggesag", "2027-03-30", "2027-04-02", "from"),
    ];
    for (service, from, to, field) in cases {
        let mut body = join_body("fremtid@example.dk", "da");
        body["service"] = json!(service);
        body["from"] = json!(from);
        body["to"] = json!(to);
        let problem = expect_problem(join(&app, &body).await, 422).await;
        assert_eq!(
            problem["errors"][0]["field"], field,
            "{from}..{to}: {problem}"
        );
    }
    assert_eq!(stored_entries(&app), 0, "nothing was stored");
}

const TUESDAY: &str = "2027-03-30";

/// Books `date` full of single passports, each at the earliest free time; returns them.
async fn fill_day(app: &TestApp, date: &str) -> Vec<Value> {
    let mut made = Vec::new();
    loop {
        let path = format!("/api/v1/locations/raadhuset/slots?service=pas&from={date}&to={date}");
        let free = app.get_json(&path).await;
        let Some(first) = free.as_array().unwrap().first() else {
            return made;
        };
        let response = book(
            app,
            &first["start"],
            &format!("fyld{}@example.dk", made.len()),
        )
        .await;
        assert_eq!(response.status(), 201);
        made.push(response.json().await.unwrap());
    }
}

/// The bookings of `made` that start at `time` (local, `HH:MM`).
fn at<'a>(made: &'a [Value], date: &str, time: &str) -> Vec<&'a Value> {
    let start = format!("{date}T{time}:00+02:00");
    made.iter()
        .filter(|b| b["start"] == start.as_str())
        .collect()
}

/// The live holds: whose entry, when they start, and how long they take with the buffer.
fn holds(app: &TestApp) -> Vec<(String, String, i64)> {
    use skranke::store::schema::{waitlist_entries, waitlist_holds};
    let rows: Vec<(String, chrono::NaiveDateTime, chrono::NaiveDateTime)> = waitlist_holds::table
        .inner_join(waitlist_entries::table.on(waitlist_entries::id.eq(waitlist_holds::entry_id)))
        .filter(waitlist_holds::status.eq("held"))
        .order(waitlist_holds::id)
        .select((
            waitlist_entries::reference,
            waitlist_holds::starts_at,
            waitlist_holds::blocks_until,
        ))
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    rows.into_iter()
        .map(|(entry, start, until)| {
            (
                entry,
                start.format("%H:%M").to_string(),
                (until - start).num_minutes(),
            )
        })
        .collect()
}

fn reference(entry: &Value) -> String {
    entry["reference"].as_str().unwrap().to_owned()
}

/// Two passports and a health card wait as one visit of 35 minutes (40 with the buffer):
/// a freed single passport's span is too short for it and goes to the next on the list; two
/// freed side by side make room, held whole, offered by a mail naming every errand, and
/// claimed as the whole visit.
#[tokio::test]
async fn a_waiting_visit_is_offered_only_a_freed_span_it_fits_and_claims_it_whole() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_day(&app, FRIDAY).await;
    let body = visit_body("familie@example.dk", "en", json!("pas:2,sundhedskort"));
    let response = join(&app, &body).await;
    assert_eq!(response.status(), 201);
    let family: Value = response.json().await.unwrap();
    assert_eq!(
        family["services"],
        json!([{"service": "pas", "quantity": 2}, {"service": "sundhedskort", "quantity": 1}])
    );
    let single = joined(&app, "enkelt@example.dk", "da").await;
    let mails = deliver(&app, &sink);
    let welcome = mails.iter().find(|m| m.to == "familie@example.dk").unwrap();
    assert!(
        welcome
            .subject
            .contains("2 × Passport, Health insurance card"),
        "{}",
        welcome.subject
    );

    cancel(&app, at(&made, FRIDAY, "11:00")[0]).await;
    assert_eq!(
        holds(&app),
        [(reference(&single), "09:00".to_owned(), 20)],
        "15 minutes and the buffer are too short for the visit: the next on the list gets them"
    );
    cancel(&app, at(&made, FRIDAY, "12:00")[0]).await;
    assert_eq!(holds(&app).len(), 1, "12:00 alone meets the 12:30 booking");
    assert_eq!(
        friday_slots(&app).await.len(),
        1,
        "so it is free for everyone"
    );
    cancel(&app, at(&made, FRIDAY, "12:30")[0]).await;
    assert_eq!(
        holds(&app)[1],
        (reference(&family), "10:00".to_owned(), 40),
        "the whole visit's span is held, from 12:00 local"
    );
    assert!(
        friday_slots(&app).await.is_empty(),
        "nobody else books into the held span"
    );

    let mails = deliver(&app, &sink);
    let token = offer_token(
        &to(mails, "familie@example.dk"),
        "familie@example.dk",
        &reference(&family),
    );
    let offer = app.get_json(&offer_path(&family, &token)).await;
    assert_eq!(offer["services"], family["services"]);
    assert_eq!(
        (offer["start"].as_str(), offer["end"].as_str()),
        (
            Some("2027-04-02T12:00:00+02:00"),
            Some("2027-04-02T12:35:00+02:00")
        )
    );

    let claimed = claim(&app, &family, &token).await;
    assert_eq!(claimed.status(), 201);
    let booked: Value = claimed.json().await.unwrap();
    assert_eq!(booked["services"], family["services"], "the whole visit");
    assert_eq!(booked["end"], offer["end"]);
    let mails = deliver(&app, &sink);
    let confirmation = mails.iter().find(|m| m.to == "familie@example.dk").unwrap();
    assert!(
        confirmation.body.contains("Health insurance card"),
        "{}",
        confirmation.body
    );
}

#[tokio::test]
async fn the_offer_mail_names_every_errand_of_the_visit() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_day(&app, FRIDAY).await;
    let services = json!([{"service": "pas", "quantity": 2}, {"service": "sundhedskort"}]);
    let body = visit_body("familie@example.dk", "da", services);
    let family: Value = join(&app, &body).await.json().await.unwrap();
    deliver(&app, &sink);
    cancel(&app, at(&made, FRIDAY, "12:00")[0]).await;
    cancel(&app, at(&made, FRIDAY, "12:30")[0]).await;
    let mails = deliver(&app, &sink);
    offer_token(&mails, "familie@example.dk", &reference(&family));
    let offer = mails.iter().find(|m| m.body.contains("/offer?")).unwrap();
    assert!(
        offer
            .subject
            .starts_with("Ledig tid til dig: 2 × Pas, Sundhedskort"),
        "{}",
        offer.subject
    );
    assert!(
        offer
            .body
            .lines()
            .any(|l| l.trim_end() == "2 × Pas, Sundhedskort"),
        "{}",
        offer.body
    );
}

/// A citizen who needs the step-free desk is offered a freed time only where that desk can
/// take them; a time freed at a busy hour goes to the next, and claiming keeps the need.
#[tokio::test]
async fn a_step_free_entry_is_offered_only_what_the_step_free_desk_can_take() {
    let app = spawn().await;
    let sink = SmtpSink::start();
    let made = fill_day(&app, TUESDAY).await;
    let mut body = join_body("rullestol@example.dk", "da");
    body["from"] = json!(TUESDAY);
    body["to"] = json!(TUESDAY);
    body["needs"] = json!([{"kind": "step_free"}]);
    let response = join(&app, &body).await;
    assert_eq!(response.status(), 201);
    let step_free: Value = response.json().await.unwrap();
    assert_eq!(step_free["needs"], json!(["step_free"]));
    let mut plain = join_body("anden@example.dk", "da");
    plain["from"] = json!(TUESDAY);
    plain["to"] = json!(TUESDAY);
    let plain: Value = join(&app, &plain).await.json().await.unwrap();

    let eleven = at(&made, TUESDAY, "11:00");
    assert_eq!(eleven.len(), 2, "both desks were booked");
    cancel(&app, eleven[0]).await;
    assert_eq!(
        holds(&app),
        [(reference(&plain), "09:00".to_owned(), 20)],
        "one desk free beside a booking may not be the step-free one"
    );
    for booking in at(&made, TUESDAY, "12:00") {
        cancel(&app, booking).await;
    }
    assert_eq!(
        holds(&app)[1],
        (reference(&step_free), "10:00".to_owned(), 20)
    );
    let free = app
        .get_json(&format!(
            "/api/v1/locations/raadhuset/slots?service=pas&from={TUESDAY}&to={TUESDAY}"
        ))
        .await;
    assert_eq!(
        free,
        json!([{"start": "2027-03-30T12:00:00+02:00", "end": "2027-03-30T12:15:00+02:00", "available": 1}]),
        "the other desk is everyone's"
    );
    use skranke::store::schema::{appointment_needs, waitlist_holds};
    let mails = deliver(&app, &sink);
    let hold_token = offer_token(
        &to(mails, "rullestol@example.dk"),
        "rullestol@example.dk",
        &reference(&step_free),
    );
    let claimed = claim(&app, &step_free, &hold_token).await;
    assert_eq!(claimed.status(), 201);
    let stated: Vec<String> = appointment_needs::table
        .select(appointment_needs::kind)
        .load(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(stated, ["step_free"], "the booking keeps the need");
    let claimed_holds: i64 = waitlist_holds::table
        .filter(waitlist_holds::status.eq("claimed"))
        .count()
        .get_result(&mut app.pool.get().unwrap())
        .unwrap();
    assert_eq!(claimed_holds, 1);
}

#[tokio::test]
async fn a_bad_visit_on_the_waitlist_names_its_field_and_stores_nothing() {
    let app = spawn().await;
    fill_day(&app, FRIDAY).await;
    let cases: [(Value, Value, &str); 7] = [
        (json!("pas:zwei"), Value::Null, "services[0].quantity"),
        (json!("pas:9"), Value::Null, "services[0].quantity"),
        (
            json!([{"service": "dykkercertifikat"}]),
            Value::Null,
            "services[0].service",
        ),
        (
            json!([{"service": "pas"}, {"service": "pas"}]),
            Value::Null,
            "services[1].service",
        ),
        (json!("pas"), json!([{"kind": "jetpack"}]), "needs[0].kind"),
        (
            json!("pas"),
            json!([{"kind": "interpreter"}]),
            "needs[0].detail",
        ),
        (Value::Null, Value::Null, "service"),
    ];
    for (services, needs, field) in cases {
        let mut body = join_body("forkert@example.dk", "da");
        body.as_object_mut().unwrap().remove("service");
        if !services.is_null() {
            body["services"] = services;
        }
        if !needs.is_null() {
            body["needs"] = needs;
        }
        let problem = expect_problem(join(&app, &body).await, 422).await;
        let fields: Vec<&str> = problem["errors"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["field"].as_str().unwrap())
            .collect();
        assert!(fields.contains(&field), "{field}: {problem}");
    }
    let mut both = join_body("forkert@example.dk", "da");
    both["services"] = json!("pas");
    let problem = expect_problem(join(&app, &both).await, 422).await;
    assert_eq!(problem["errors"][0]["field"], "services", "{problem}");
    assert_eq!(stored_entries(&app), 0, "nothing was stored");
    let stated: i64 = {
        use skranke::store::schema::waitlist_entry_needs::dsl::*;
        waitlist_entry_needs
            .count()
            .get_result(&mut app.pool.get().unwrap())
            .unwrap()
    };
    assert_eq!(stated, 0);
}
