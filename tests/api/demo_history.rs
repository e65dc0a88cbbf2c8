//! The demo's year as tickets, bookings and staff actions: `skranke report` shows a full
//! month of it, the rows follow the live system's rules, and the forecast's history counts
//! each past citizen once.

use std::collections::BTreeMap;
use std::process::Command;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::BigInt;
use serde_json::Value;
use skranke::store::schema::{demand_history, locations, tickets};

use crate::helpers::{fresh_pool, TestDatabase};

const NOW: &str = "2026-12-02T08:00:00Z";

fn now() -> DateTime<Utc> {
    NOW.parse().unwrap()
}

fn demo_database() -> TestDatabase {
    crate::demo_database::demo_database(NOW)
}

#[derive(QueryableByName)]
struct Count {
    #[diesel(sql_type = BigInt)]
    n: i64,
}

fn count(db: &TestDatabase, sql: &str) -> i64 {
    let mut conn = fresh_pool(db).get().unwrap();
    let rows: Vec<Count> = match &mut *conn {
        skranke::store::DbConnection::Sqlite(c) => diesel::sql_query(sql).load(c),
        skranke::store::DbConnection::Postgres(c) => diesel::sql_query(sql).load(c),
    }
    .unwrap();
    rows[0].n
}

#[test]
fn a_fresh_demo_reports_thousands_of_tickets_for_the_last_month() {
    let db = demo_database();
    let out = Command::new(env!("CARGO_BIN_EXE_skranke"))
        .args(["report", "--from", "2026-11-02", "--to", "2026-12-01"])
        .env("SKRANKE_DATABASE_URL", db.url_string())
        .env("SKRANKE_NOW", NOW)
        .env("SKRANKE_LOG", "warn")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let totals = &report["totals"];
    let tickets = totals["tickets"].as_u64().unwrap();
    assert!(tickets > 2_000, "{totals}");
    // Each figure of a believable month, not only the count.
    let rate = |k: &str| {
        totals[k]
            .as_f64()
            .unwrap_or_else(|| panic!("{k}: {totals}"))
    };
    assert!((0.05..0.2).contains(&rate("no_show_rate")), "{totals}");
    assert!((0.03..0.15).contains(&rate("cancel_rate")), "{totals}");
    assert!((0.2..0.6).contains(&rate("booked_share")), "{totals}");
    assert!(
        (0.7..0.95).contains(&rate("first_contact_resolution")),
        "{totals}"
    );
    assert!((5.0..30.0).contains(&rate("service_minutes")), "{totals}");
    assert!(rate("staff_hours") > 500.0, "{totals}");
    let wait = &totals["wait_minutes"];
    assert!(
        wait["p50"].as_f64().unwrap() < wait["p90"].as_f64().unwrap(),
        "{wait}"
    );
    // Every day of the month but the Sundays, when every location is closed.
    let days = report["by_day"].as_array().unwrap();
    assert_eq!(days.len(), 30 - 4, "{days:?}");
    // Nothing of today or later: the past ends where the demo's clock starts.
    let later: i64 = tickets::table
        .filter(tickets::local_day.ge(now().date_naive()))
        .count()
        .get_result(&mut fresh_pool(&db).get().unwrap())
        .unwrap();
    assert_eq!(later, 0);
}

#[test]
fn the_demo_past_follows_the_rules_of_the_live_queue() {
    let db = demo_database();
    let all = count(&db, "SELECT COUNT(*) AS n FROM tickets");
    assert!(all > 50_000, "{all} tickets in a year");
    // Numbers restart per queue and local day and leave no gaps.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM (SELECT location_id, local_day, prefix \
             FROM tickets GROUP BY location_id, local_day, prefix \
             HAVING MAX(seq) <> COUNT(*) OR MIN(seq) <> 1) AS g"
        ),
        0
    );
    // Every finished ticket was called, then started, then finished, at its desk, with
    // an outcome; every no-show was called and never started.
    let actions = "LEFT JOIN (SELECT ticket_id, \
          MIN(CASE WHEN action = 'call' THEN at END) AS c, \
          MAX(CASE WHEN action = 'start' THEN at END) AS s, \
          MAX(CASE WHEN action = 'finish' THEN at END) AS f \
        FROM queue_events WHERE ticket_id IS NOT NULL GROUP BY ticket_id) e \
        ON e.ticket_id = t.id";
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT COUNT(*) AS n FROM tickets t {actions} WHERE t.status = 'finished' \
                 AND NOT (t.outcome IS NOT NULL AND t.desk_id IS NOT NULL \
                   AND t.queued_at <= t.called_at AND e.c = t.called_at AND e.c <= e.s \
                   AND e.s <= e.f AND e.f = t.finished_at)"
            )
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT COUNT(*) AS n FROM tickets t {actions} WHERE t.status = 'no_show' \
                 AND (t.called_at IS NULL OR e.c IS NULL OR t.outcome IS NOT NULL \
                   OR e.s IS NOT NULL)"
            )
        ),
        0
    );
    assert!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM tickets WHERE status = 'no_show'"
        ) > 0
    );
    // Only live statuses: nothing of the past is still waiting or at a desk.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM tickets WHERE status NOT IN ('finished', 'no_show')"
        ),
        0
    );
    // A booking's ticket is its check-in, never before the booking was made.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM tickets t JOIN appointments a ON a.id = t.appointment_id \
             WHERE a.status <> 'checked_in' OR t.queued_at < a.created_at \
             OR t.queued_at > a.starts_at"
        ),
        0
    );
    // Staff actions name the person at the desk; desks open before and close after.
    assert_eq!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM queue_events e JOIN desks d ON d.id = e.desk_id \
             WHERE d.kind = 'counter' AND e.staff_id IS NULL"
        ),
        0
    );
    assert!(
        count(
            &db,
            "SELECT COUNT(*) AS n FROM queue_events WHERE action = 'open'"
        ) > 1_000
    );
    // A new ticket after the demo gets an id of its own on either backend.
    let max_id = count(&db, "SELECT MAX(id) AS n FROM tickets");
    let mut conn = fresh_pool(&db).get().unwrap();
    let (location, service): (i64, i64) = tickets::table
        .select((tickets::location_id, tickets::service_id))
        .first(&mut conn)
        .unwrap();
    let id = skranke::store::tickets::insert(
        &mut conn,
        &skranke::store::tickets::NewTicket {
            public_id: "after-the-demo",
            location: skranke::domain::ids::LocationId(location),
            service: skranke::domain::ids::ServiceId(service),
            local_day: now().date_naive(),
            number: skranke::domain::queue::TicketNumber::new('Z', 1).unwrap(),
            assisted: false,
            appointment: None,
            whole_visit: false,
            now: now(),
        },
    )
    .unwrap()
    .id;
    assert!(id.0 > max_id);
}

/// The forecast reads history from the demand table plus the real tickets and bookings;
/// after the demo, each quarter hour of the demand model is there once, not twice.
#[test]
fn the_forecast_history_counts_each_past_citizen_once() {
    let db = demo_database();
    let mut conn = fresh_pool(&db).get().unwrap();
    let stored: i64 = demand_history::table.count().get_result(&mut conn).unwrap();
    assert_eq!(stored, 0, "the year is in the tickets, not twice");
    let spec = skranke::app::demo::organisation().unwrap();
    let today = now().date_naive();
    let model = skranke::domain::demand::synthetic_history(
        &spec,
        today - Duration::days(365),
        today - Duration::days(1),
        2026,
    );
    let ids: Vec<skranke::domain::ids::LocationId> = locations::table
        .select(locations::id)
        .load::<i64>(&mut conn)
        .unwrap()
        .into_iter()
        .map(skranke::domain::ids::LocationId)
        .collect();
    let read = skranke::store::demand::history(&mut conn, &ids, now() - Duration::days(400), now())
        .unwrap();
    let key = |r: &skranke::domain::demand::DemandRecord| {
        (
            r.location.to_string(),
            r.service.to_string(),
            r.interval_start,
        )
    };
    let arrivals =
        |rows: &[skranke::domain::demand::DemandRecord]| -> BTreeMap<_, (u32, u32, u32)> {
            rows.iter()
                .map(|r| (key(r), (r.walk_ins, r.booked, r.no_shows)))
                .filter(|(_, v)| *v != (0, 0, 0))
                .collect()
        };
    assert_eq!(arrivals(&read), arrivals(&model));
}

/// The year goes in as one bulk load, for which PostgreSQL's foreign keys are set aside
/// and put back: after it, every table of the load still refuses a row naming nothing.
#[test]
fn the_demo_keeps_every_foreign_key_of_its_tables() {
    let db = demo_database();
    let pool = fresh_pool(&db);
    let conn = &mut *pool.get().unwrap();
    for (table, row) in [
        (
            "queue_events",
            "(location_id, ticket_id, action, at) \
             SELECT location_id, 999999999, 'call', at FROM queue_events LIMIT 1",
        ),
        (
            "door_outcomes",
            "(location_id, service_id, outcome, at) \
             SELECT 999999999, service_id, outcome, at FROM door_outcomes LIMIT 1",
        ),
        (
            "tickets",
            "(public_id, location_id, service_id, local_day, prefix, seq, status, \
               appointment_id, assisted, queued_at, issued_at) \
             SELECT 'x' || public_id, location_id, service_id, local_day, prefix, seq + 100000, \
               status, 999999999, assisted, queued_at, issued_at FROM tickets LIMIT 1",
        ),
        (
            "appointments",
            "(reference, token_hash, location_id, service_id, starts_at, ends_at, \
               blocks_until, status, language, sequence, created_at, updated_at) \
             SELECT 'x' || reference, token_hash, location_id, 999999999, starts_at, ends_at, \
               blocks_until, status, language, sequence, created_at, updated_at \
             FROM appointments LIMIT 1",
        ),
    ] {
        let refused = diesel::sql_query(format!("INSERT INTO {table} {row}")).execute(conn);
        assert!(
            matches!(
                refused,
                Err(diesel::result::Error::DatabaseError(
                    diesel::result::DatabaseErrorKind::ForeignKeyViolation,
                    _
                ))
            ),
            "{table}: {refused:?}"
        );
    }
}

#[derive(QueryableByName, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct IndexDefinition {
    #[diesel(sql_type = diesel::sql_types::Text)]
    name: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    definition: String,
}

fn indexes(db: &TestDatabase) -> Vec<IndexDefinition> {
    const TABLES: &str = "('appointments', 'tickets', 'queue_events', 'door_outcomes')";
    let mut conn = fresh_pool(db).get().unwrap();
    let mut found: Vec<IndexDefinition> = match &mut *conn {
        skranke::store::DbConnection::Sqlite(c) => diesel::sql_query(format!(
            "SELECT name, COALESCE(sql, '') AS definition FROM sqlite_master \
             WHERE type = 'index' AND tbl_name IN {TABLES}"
        ))
        .load(c),
        skranke::store::DbConnection::Postgres(c) => diesel::sql_query(format!(
            "SELECT indexname::text AS name, indexdef AS definition FROM pg_indexes \
             WHERE schemaname = current_schema() AND tablename IN {TABLES}"
        ))
        .load(c),
    }
    .unwrap();
    found.sort();
    found
}

/// The year goes in with the indexes of its tables set aside where that is faster: after
/// it, each table has exactly the indexes its migrations made, defined as they were.
#[test]
fn the_demo_keeps_every_index_of_its_tables() {
    let made = indexes(&demo_database());
    assert!(
        made.iter().any(|i| i.name == "tickets_waiting_order"),
        "{made:?}"
    );
    assert_eq!(made, indexes(&TestDatabase::new()));
}
