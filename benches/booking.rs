//! The booking's figures: bookings per second with 64 concurrent clients, and the latency of
//! a two-week free-time search with a year of bookings across 10 locations.
//!
//! `cargo bench --bench booking` (SQLite); with `SKRANKE_TEST_DATABASE_URL=postgres://…` the
//! server runs on a fresh PostgreSQL database instead.

use std::time::{Duration, Instant};

use chrono::{Datelike, NaiveDate, TimeZone, Weekday};
use diesel::ExpressionMethods as _;
use futures::future::join_all;
use serde_json::{json, Value};
use skranke::domain::Slug;
use skranke::store::schema::appointments;

#[allow(dead_code)]
#[path = "../tests/api/helpers.rs"]
mod helpers;

const CLIENTS: usize = 64;
const LOCATIONS: usize = 10;
const SEARCHES: usize = 1_000;

#[tokio::main]
async fn main() {
    throughput().await;
    search().await;
}

async fn unlimited() -> helpers::TestApp {
    // All clients come from one address: the rate limit is off, as for any load test.
    helpers::spawn_app_with(|s| s.rate_limit_per_minute = 0).await
}

/// Books every free place at the half hours of two months, from 64 clients at once.
async fn throughput() {
    let app = unlimited().await;
    let slots = app
        .get_json("/api/v1/locations/raadhuset/slots?service=pas&from=2027-03-30&to=2027-05-30")
        .await;
    // Half hours apart, appointments of 15 + 5 minutes never overlap: each place books.
    let mut places: Vec<String> = Vec::new();
    for slot in slots.as_array().unwrap() {
        let start = slot["start"].as_str().unwrap();
        let minute = &start[14..16];
        if minute == "00" || minute == "30" {
            for _ in 0..slot["available"].as_u64().unwrap() {
                places.push(start.to_owned());
            }
        }
    }
    let total = places.len();
    let started = Instant::now();
    let booked: usize = join_all((0..CLIENTS).map(|c| {
        let mine: Vec<String> = places.iter().skip(c).step_by(CLIENTS).cloned().collect();
        let (client, url) = (app.client.clone(), app.url("/api/v1/appointments"));
        async move {
            let mut booked = 0;
            for (i, start) in mine.iter().enumerate() {
                let response = client
                    .post(&url)
                    .json(&json!({
                        "location": "raadhuset", "service": "pas", "start": start,
                        "citizen": {"name": "Bench Borger", "email": format!("c{c}-{i}@example.dk")}
                    }))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(response.status(), 201, "{start}");
                booked += 1;
            }
            booked
        }
    }))
    .await
    .into_iter()
    .sum();
    assert_eq!(booked, total);
    let took = started.elapsed();
    println!(
        "bookings: {booked} with {CLIENTS} concurrent clients in {:.2} s = {:.0}/s",
        took.as_secs_f64(),
        booked as f64 / took.as_secs_f64()
    );
}

/// Ten locations like the city hall, each with a year of bookings that fill most places.
fn seed_year(app: &helpers::TestApp) -> usize {
    let mut conn = app.pool.get().unwrap();
    let mut spec = skranke::app::demo::organisation().unwrap();
    let template = spec
        .locations
        .iter()
        .find(|l| l.slug.as_str() == "raadhuset")
        .unwrap()
        .clone();
    spec.slug = Slug::parse("bench-kommune").unwrap();
    spec.staff.clear();
    spec.locations = (1..=LOCATIONS)
        .map(|n| {
            let mut place = template.clone();
            place.slug = Slug::parse(&format!("sted-{n}")).unwrap();
            place.name = format!("Sted {n}");
            place
        })
        .collect();
    skranke::app::organisation::import(&mut conn, &spec, helpers::monday_morning()).unwrap();

    let first: NaiveDate = "2027-03-30".parse().unwrap();
    let zone = chrono_tz::Europe::Copenhagen;
    let mut inserted = 0;
    for n in 1..=LOCATIONS {
        let location =
            skranke::store::organisations::find_location(&mut conn, &format!("sted-{n}"))
                .unwrap()
                .unwrap();
        let service = skranke::store::organisations::service_at(&mut conn, location.id, "pas")
            .unwrap()
            .unwrap();
        let mut rows = Vec::new();
        for day in first.iter_days().take(365) {
            if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
                continue;
            }
            // Two places at each half hour 10:00–13:30, one left free at every third.
            for half_hour in 0..8 {
                let local =
                    day.and_hms_opt(10, 0, 0).unwrap() + chrono::Duration::minutes(30 * half_hour);
                let start = zone.from_local_datetime(&local).single().unwrap().to_utc();
                let places = if (day.ordinal() + half_hour as u32) % 3 == 0 {
                    1
                } else {
                    2
                };
                for place in 0..places {
                    let at = start.naive_utc();
                    let reference = format!("B{n:02}{}{half_hour}{place}", day.format("%y%m%d"));
                    rows.push((
                        appointments::reference.eq(reference),
                        appointments::token_hash.eq("0".repeat(64)),
                        appointments::location_id.eq(location.id.0),
                        appointments::service_id.eq(service.id.0),
                        appointments::starts_at.eq(at),
                        appointments::ends_at.eq(at + chrono::Duration::minutes(15)),
                        appointments::blocks_until.eq(at + chrono::Duration::minutes(20)),
                        appointments::status.eq("booked"),
                        appointments::language.eq("da"),
                        appointments::sequence.eq(0),
                        appointments::created_at.eq(at),
                        appointments::updated_at.eq(at),
                    ));
                }
            }
        }
        for batch in rows.chunks(1_000) {
            inserted +=
                skranke::store::insert_all(&mut conn, appointments::table, batch.to_vec()).unwrap();
        }
    }
    inserted
}

/// Two-week searches at random locations and dates over the next half year.
async fn search() {
    let app = unlimited().await;
    let started = Instant::now();
    let seeded = seed_year(&app);
    println!(
        "seeded {seeded} bookings at {LOCATIONS} locations in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let first: NaiveDate = "2027-03-30".parse().unwrap();
    let mut rng: u64 = 0x5eed;
    let mut took = Vec::with_capacity(SEARCHES);
    let mut found = 0;
    for _ in 0..SEARCHES {
        // A small xorshift: the same searches every run, without another crate.
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        let location = 1 + rng % LOCATIONS as u64;
        let from = first + chrono::Duration::days((rng >> 8) as i64 % 170);
        let to = from + chrono::Duration::days(13);
        let path =
            format!("/api/v1/locations/sted-{location}/slots?service=pas&from={from}&to={to}");
        let at = Instant::now();
        let list: Value = app.get_json(&path).await;
        took.push(at.elapsed());
        found += list.as_array().unwrap().len();
    }
    took.sort();
    println!(
        "free-time search, 14 days, {SEARCHES} searches: p50 {:.1} ms, p99 {:.1} ms ({:.0} free times per answer)",
        ms(took[SEARCHES / 2]),
        ms(took[SEARCHES * 99 / 100]),
        found as f64 / SEARCHES as f64
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
