//! Bookings racing what changes the capacity under them: a closure committed while a
//! booking waits for its locks, and visits of several errands against single-errand
//! bookings for the same desks.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::prelude::*;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde_json::Value;

use skranke::domain::hours::Closure;
use skranke::store::{self, capacity_lock, organisations, StoreError};

use crate::booking::{book_at_once, booking as single};
use crate::helpers::{on_postgres, spawn_app_with, won_and_refused, TestApp};
use crate::visits::visit as family;

const TUESDAY: &str = "2027-03-30";

async fn free(app: &TestApp, query: &str) -> Vec<Value> {
    let path = format!("/api/v1/locations/raadhuset/slots?{query}&from={TUESDAY}&to={TUESDAY}");
    app.get_json(&path).await.as_array().unwrap().clone()
}

/// The booked spans at the city hall, as stored.
fn booked_spans(app: &TestApp) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    use skranke::store::schema::appointments::dsl::*;
    appointments
        .filter(status.eq("booked"))
        .select((starts_at, blocks_until))
        .load::<(chrono::NaiveDateTime, chrono::NaiveDateTime)>(&mut app.pool.get().unwrap())
        .unwrap()
        .into_iter()
        .map(|(a, b)| (a.and_utc(), b.and_utc()))
        .collect()
}

#[derive(QueryableByName)]
struct Waiting {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}

/// Whether a session of this database waits for an advisory lock (a booking's capacity).
fn a_booking_waits_for_its_lock(app: &TestApp) -> bool {
    let mut conn = app.pool.get().unwrap();
    let store::DbConnection::Postgres(c) = &mut *conn else {
        unreachable!("advisory locks are PostgreSQL's")
    };
    let waiting: Waiting = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database \
         WHERE l.locktype = 'advisory' AND NOT l.granted AND d.datname = current_database()",
    )
    .get_result(c)
    .unwrap();
    waiting.n > 0
}

/// A booking reads the location's calendar before it knows which locks to take. A closure
/// that commits while the booking waits for them must still turn the booking away: the
/// closure here holds the location's capacity lock (as closing from the administration
/// does) until the booking is seen waiting, then commits. On SQLite the booking waits for
/// the one writer before it reads anything, which the same test holds to.
#[tokio::test]
async fn a_closure_committed_while_a_booking_waits_for_its_lock_turns_it_away() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let start = free(&app, "service=pas").await[0]["start"]
        .as_str()
        .unwrap()
        .to_owned();
    let location = organisations::find_location(&mut app.pool.get().unwrap(), "raadhuset")
        .unwrap()
        .unwrap()
        .id;
    let tuesday: NaiveDate = TUESDAY.parse().unwrap();

    let (locked_tx, locked_rx) = std::sync::mpsc::channel();
    let (go_tx, go_rx) = std::sync::mpsc::channel::<()>();
    let pool = app.pool.clone();
    let closer = std::thread::spawn(move || {
        let mut conn = pool.get().unwrap();
        store::write(&mut conn, |conn| {
            capacity_lock::whole(conn, location)?;
            locked_tx.send(()).unwrap();
            go_rx.recv().unwrap();
            let closure = Closure::new(tuesday, tuesday, "Strømsvigt".into()).unwrap();
            organisations::add_closure(conn, location, &closure)?;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    });
    locked_rx.recv().unwrap();
    let booking = tokio::spawn({
        let (client, url) = (app.client.clone(), app.url("/api/v1/appointments"));
        let body = single(&start, "sent-hjem@example.dk");
        async move { client.post(url).json(&body).send().await.unwrap() }
    });
    if on_postgres(&app) {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        while !a_booking_waits_for_its_lock(&app) {
            assert!(
                std::time::Instant::now() < deadline,
                "the booking never waited"
            );
            tokio::task::yield_now().await;
        }
    }
    go_tx.send(()).unwrap();
    closer.join().unwrap();

    let response = booking.await.unwrap();
    assert_eq!(response.status(), 422, "a booking on a closed day");
    assert!(booked_spans(&app).is_empty(), "nothing was booked");
    assert!(
        free(&app, "service=pas").await.is_empty(),
        "the day is closed"
    );
}

/// Visits of two passports and a health card (35 minutes) race single passport bookings
/// (15 minutes) starting anywhere inside the visit's span, all for the same two desks: at
/// no moment do more bookings overlap than the desks the day had free.
#[tokio::test]
async fn visits_and_single_errands_racing_for_the_same_desks_never_overbook() {
    let app = spawn_app_with(|s| s.rate_limit_per_minute = 0).await;
    let visits = free(&app, "services=pas:2,sundhedskort").await;
    let first = &visits[0];
    let (start, end) = (
        first["start"].as_str().unwrap().to_owned(),
        first["end"].as_str().unwrap().to_owned(),
    );
    let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().to_utc();
    let singles: Vec<Value> = free(&app, "service=pas")
        .await
        .into_iter()
        .filter(|s| {
            let t = at(s["start"].as_str().unwrap());
            at(&start) <= t && t < at(&end)
        })
        .collect();
    assert!(
        singles.len() >= 2,
        "passport times inside the visit: {singles:?}"
    );
    let desks = singles
        .iter()
        .map(|s| s["available"].as_u64().unwrap())
        .chain(std::iter::once(first["available"].as_u64().unwrap()))
        .min()
        .unwrap() as usize;
    assert!(desks >= 1);

    let mut bodies: Vec<Value> = (0..40)
        .map(|i| family(&start, &format!("familie{i}@example.dk")))
        .collect();
    for (n, slot) in singles.iter().enumerate() {
        let t = slot["start"].as_str().unwrap();
        bodies.extend((0..20).map(|i| single(t, &format!("enlig{n}-{i}@example.dk"))));
    }
    // Shuffled, so that visits and single bookings arrive mixed.
    let mut mixed = bodies;
    mixed.shuffle(&mut StdRng::seed_from_u64(2027));
    let total = mixed.len();
    let statuses = book_at_once(&app, &mixed).await;
    let (won, refused) = won_and_refused(&statuses);
    assert_eq!(won + refused, total, "{statuses:?}");
    assert!(won >= 1, "{statuses:?}");

    let spans = booked_spans(&app);
    assert_eq!(spans.len(), won);
    for (from, _) in &spans {
        let overlapping = spans.iter().filter(|(a, b)| a <= from && from < b).count();
        assert!(
            overlapping <= desks,
            "{overlapping} bookings at {from}, {desks} desks: {spans:?}"
        );
    }
}
