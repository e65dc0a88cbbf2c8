//! The KPI report's figures: how long the report of a month and of a year takes over a
//! year of tickets at one city hall (200 a day, each called, started and finished).
//!
//! `cargo bench --bench kpi` (SQLite); with `SKRANKE_TEST_DATABASE_URL=postgres://…` on
//! a fresh PostgreSQL database instead.

use std::time::Instant;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc, Weekday};
use skranke::app;
use skranke::domain::ids::{DeskId, LocationId, ServiceId, StaffId};
use skranke::domain::kpi::ChannelCosts;
use skranke::domain::queue::{TicketNumber, TicketStatus};
use skranke::store::{self, organisations, tickets, DbConnection};

#[allow(dead_code)]
#[path = "../tests/api/helpers.rs"]
mod helpers;

const TICKETS_PER_DAY: u32 = 200;

fn main() {
    let db = helpers::TestDatabase::new();
    let pool = helpers::fresh_pool(&db);
    let mut conn = pool.get().unwrap();
    helpers::seed(&mut conn, helpers::monday_morning());
    let first: NaiveDate = "2026-01-05".parse().unwrap();
    let started = Instant::now();
    let count = store::write(&mut conn, |conn| year_of_tickets(conn, first)).unwrap();
    println!(
        "seeded {count} tickets with 4 staff actions each in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    for (what, days) in [("a month", 30), ("a year", 364)] {
        let period = app::kpi::parse_period(
            Some(&first.to_string()),
            Some(&(first + Duration::days(days - 1)).to_string()),
        )
        .unwrap();
        let runs = 5;
        let started = Instant::now();
        let mut tickets = 0;
        for _ in 0..runs {
            let now: DateTime<Utc> = "2027-01-10T12:00:00Z".parse().unwrap();
            let report =
                app::kpi::report(&mut conn, period, None, ChannelCosts::default(), now).unwrap();
            tickets = report.totals.tickets;
        }
        let each = started.elapsed().as_secs_f64() / f64::from(runs);
        println!(
            "KPI report of {what} ({tickets} tickets): {:.0} ms each, {:.0} tickets/s",
            each * 1000.0,
            tickets as f64 / each
        );
    }
}

/// Every weekday of a year at the city hall: a desk open 8–12 UTC and the day's tickets.
fn year_of_tickets(
    conn: &mut DbConnection,
    first: NaiveDate,
) -> Result<u32, skranke::error::AppError> {
    let location = organisations::find_location(conn, "raadhuset")?.unwrap();
    let service = organisations::service_at(conn, location.id, "vejledning")?.unwrap();
    let desk = organisations::desks_at(conn, location.id)?[0].id;
    let staff = store::staff::find_by_username(conn, "staff")?.unwrap().id;
    let mut count = 0;
    for offset in 0..364 {
        let day = first + Duration::days(offset);
        if matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            continue;
        }
        let open = day.and_hms_opt(8, 0, 0).unwrap().and_utc();
        event(conn, location.id, None, desk, staff, "open", open)?;
        for seq in 1..=TICKETS_PER_DAY {
            let issued = open + Duration::seconds(i64::from(seq) * 70);
            one_ticket(
                conn,
                (location.id, service.id, desk, staff),
                day,
                seq,
                issued,
            )?;
            count += 1;
        }
        event(
            conn,
            location.id,
            None,
            desk,
            staff,
            "closed",
            open + Duration::hours(4),
        )?;
    }
    Ok(count)
}

fn one_ticket(
    conn: &mut DbConnection,
    (location, service, desk, staff): (LocationId, ServiceId, DeskId, StaffId),
    day: NaiveDate,
    seq: u32,
    issued: DateTime<Utc>,
) -> Result<(), skranke::error::AppError> {
    let public_id = format!("bench-{day}-{seq}");
    let id = tickets::insert(
        conn,
        &tickets::NewTicket {
            public_id: &public_id,
            location,
            service,
            local_day: day,
            number: TicketNumber::new('V', seq).unwrap(),
            assisted: false,
            appointment: None,
            whole_visit: false,
            now: issued,
        },
    )?
    .id;
    let called = issued + Duration::minutes(i64::from(seq % 9));
    let finished = called + Duration::minutes(6);
    let outcome = if seq % 3 == 0 { "referred" } else { "resolved" };
    tickets::set_status(conn, id, TicketStatus::Called, Some(desk), None, called)?;
    event(conn, location, Some(id), desk, staff, "call", called)?;
    event(conn, location, Some(id), desk, staff, "start", called)?;
    tickets::set_status(
        conn,
        id,
        TicketStatus::Finished,
        None,
        Some(outcome),
        finished,
    )?;
    event(conn, location, Some(id), desk, staff, "finish", finished)?;
    Ok(())
}

fn event(
    conn: &mut DbConnection,
    location: LocationId,
    ticket: Option<skranke::domain::queue::TicketId>,
    desk: DeskId,
    staff: StaffId,
    action: &str,
    at: DateTime<Utc>,
) -> Result<(), skranke::error::AppError> {
    tickets::record_event(
        conn,
        &tickets::Event {
            location,
            ticket,
            desk: Some(desk),
            staff,
            action,
            detail: None,
            at,
        },
    )?;
    Ok(())
}
